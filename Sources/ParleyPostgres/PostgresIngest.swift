// The whole module exists only with the PostgreSQL trait (see Package.swift).
#if PostgreSQL

  import Foundation
  import Logging
  import NIOCore
  import ParleyModel
  import ParleyRecord
  import ParleyStore
  import PostgresNIO

  /// `parley ingest` into PostgreSQL: stores prepared articles by the record's own rules
  /// (`EventRules`, `PlanRules` of `ParleyRecord`), with the same rows SQLite's writer makes.
  ///
  /// Each transaction first takes one advisory lock (`writeLock`), so the writes of several
  /// processes, on one machine or many, take turns: the merge probes of one transaction see every
  /// article the others committed, an article is stored once, and a report that links two events
  /// is never merged by two writers at once. Extraction, the slow part, runs outside the lock in
  /// every process at once. Holding the lock, a writer also numbers new rows as SQLite does (the
  /// largest id plus one), so a record ingested here has the very ids and rows of one ingested
  /// into SQLite from the same inputs.
  ///
  /// The record's rules are synchronous; postgres-nio is not. The rules run on ingest's writer
  /// thread (`Ingestor`'s, not a task or an event loop), which waits for the server's answers
  /// (`PipelinedSession`); statements whose result is not read are pipelined.
  public final class PostgresArticleWriter: ArticleWriter {
    /// Where the record is, without its password.
    public let settings: PostgresSettings
    private let record: PostgresRecord

    /// Key of the advisory lock every ingest transaction takes ('parw' in ASCII).
    static let writeLock: Int64 = 0x7061_7277

    private init(record: PostgresRecord) {
      self.record = record
      settings = record.settings
    }

    /// Connects and brings the schema up to date.
    public static func connect(_ settings: PostgresSettings) async throws(PostgresStoreError) -> PostgresArticleWriter {
      PostgresArticleWriter(record: try await PostgresRecord.connect(settings))
    }

    /// Ends the connection.
    public func close() async {
      await record.close()
    }

    public var displayName: String { settings.displayURL }

    /// Stores the articles in one transaction; when one of them fails, each again in a
    /// transaction of its own, so that it reports its own reason and the others are stored (as
    /// SQLite's `RecordStore.ingest(_:policy:)` does).
    public func ingest(_ articles: [PreparedArticle], policy: MergePolicy) -> [Result<IngestOutcome, StoreError>] {
      if articles.count > 1 {
        do {
          let outcomes = try transaction { session in
            try articles.map { try PostgresWriter(session: session, article: $0, policy: policy).run() }
          }
          return outcomes.map { .success($0) }
        } catch {
          // A connection that is gone would fail each article again, saying only that it is
          // gone: report the reason it went (the server shutting down, say) for all of them.
          if record.connection.isClosed { return articles.map { _ in .failure(storeError(error)) } }
        }
      }
      return articles.map { article in
        do {
          return .success(
            try transaction { session in try PostgresWriter(session: session, article: article, policy: policy).run() })
        } catch {
          return .failure(storeError(error))
        }
      }
    }

    /// Runs `body` in a transaction holding the write lock: committed if it returns, rolled back if it throws.
    private func transaction<T>(_ body: (PipelinedSession) throws -> T) throws -> T {
      let session = PipelinedSession(connection: record.connection, logger: record.logger)
      session.send("BEGIN")
      session.send("SELECT pg_advisory_xact_lock(\(Self.writeLock))")
      do {
        let value = try body(session)
        _ = try session.rows("COMMIT")
        return value
      } catch {
        // The transaction's own error is the one to report; a rollback on a lost connection
        // fails too, and the server drops the transaction anyway.
        _ = try? session.rows("ROLLBACK")
        throw error
      }
    }

    private func storeError(_ error: any Error) -> StoreError {
      if let error = error as? StoreError { return error }
      return StoreError(path: settings.displayURL, reason: PostgresStoreError.reason(error, settings: settings))
    }
  }

  /// The inserts and merges of one article, inside its transaction: the twin of SQLite's writer
  /// in `ParleyStore/Ingest.swift`, statement for statement, in PostgreSQL's dialect.
  private struct PostgresWriter {
    let session: PipelinedSession
    let article: PreparedArticle
    let policy: MergePolicy
    var x: Extraction { article.extraction }

    private func send(_ query: PostgresQuery) { session.send(query) }
    private func rows(_ query: PostgresQuery) throws -> [PostgresRow] { try session.rows(query) }

    /// The id of the row an `INSERT ... RETURNING id` made.
    private func insertedId(_ query: PostgresQuery) throws -> Int64 {
      guard let row = try rows(query).first else {
        throw PostgresStoreError(server: "", reason: "an insert returned no id")
      }
      return try row.decode(Int64.self)
    }

    /// The next id of `table` as SQLite gives it (the largest plus one), safe under the write lock.
    private static func nextId(_ table: String, _ column: String = "id") -> String {
      "(SELECT coalesce(max(\(column)), 0) + 1 FROM \(table))"
    }

    func run() throws -> IngestOutcome {
      if let row = try rows("SELECT id FROM article WHERE key = \(article.key)").first {
        return .duplicate(id: try row.decode(Int64.self))
      }
      let nearCopy = try findNearCopy()
      let doc = x.document
      let articleId = try insertedId(
        """
        INSERT INTO article (id, key, docId, path, format, title, published, outlet, url, source, body,
          duplicateParagraphsRemoved, duplicateOf, similarity, signature)
        VALUES (\(unescaped: Self.nextId("article")), \(article.key), \(doc.id), \(doc.path), \(article.format.rawValue),
          \(doc.title), \(doc.published?.description), \(doc.outlet), \(doc.url), \(article.source), \(article.body),
          \(doc.duplicateParagraphsRemoved), \(nearCopy?.id), \(nearCopy?.similarity),
          \(ByteBuffer(bytes: MinHasher.encode(article.signature))))
        RETURNING id
        """)
      for key in Set(article.bandKeys).sorted() {
        send(
          "INSERT INTO article_band (rowid, key, articleId) VALUES (\(unescaped: Self.nextId("article_band", "rowid")), \(key), \(articleId))"
        )
      }
      insertActors(articleId)
      for c in x.citations {
        send(
          """
          INSERT INTO citation (rowid, articleId, outlet, start, "end", text)
          VALUES (\(unescaped: Self.nextId("citation", "rowid")), \(articleId), \(c.outlet), \(c.span.start), \(c.span.end), \(c.text))
          """)
      }
      try insertEvents(articleId)
      let versions = try insertPlans(articleId)
      try insertProvisions(articleId, versions: versions)
      // In the same transaction, so a reader never sees the new rows under the old counter.
      send("UPDATE record_state SET changes = changes + 1, modified = \(Date().timeIntervalSince1970) WHERE id = 1")
      return .new(id: articleId, nearCopyOf: nearCopy?.id)
    }

    /// The most similar earlier article among those sharing an LSH band, if similar enough.
    /// A copy of a copy links to the first of the family, so a family has one root.
    private func findNearCopy() throws -> (id: Int64, similarity: Double)? {
      let keys = Array(Set(article.bandKeys)).sorted()
      guard !keys.isEmpty else { return nil }
      var best: (id: Int64, similarity: Double)?
      for row in try rows(
        """
        SELECT articleId, duplicateOf, signature FROM article_signature
        WHERE articleId IN (SELECT DISTINCT articleId FROM article_band WHERE key = ANY(\(keys)))
        ORDER BY articleId
        """)
      {
        let (id, duplicateOf, bytes) = try row.decode((Int64, Int64?, ByteBuffer).self)
        guard let signature = MinHasher.decode(Array(bytes.readableBytesView)) else { continue }
        let similarity = MinHasher.similarity(signature, article.signature)
        guard similarity >= MinHasher.nearDuplicateThreshold else { continue }
        if best == nil || similarity > best?.similarity ?? 0 { best = (duplicateOf ?? id, similarity) }
      }
      return best
    }

    private func insertActors(_ articleId: Int64) {
      for actor in x.actors {
        // The knowledge base's name wins over a spelling found in one article.
        send(
          """
          INSERT INTO actor (id, name, kind, affiliation, role, known)
          VALUES (\(actor.id), \(actor.name), \(actor.kind.rawValue), \(actor.affiliation), \(actor.role), \(actor.known ? 1 : 0))
          ON CONFLICT (id) DO UPDATE SET
            affiliation = coalesce(actor.affiliation, excluded.affiliation),
            role = coalesce(actor.role, excluded.role),
            name = CASE WHEN excluded.known <> 0 AND actor.known = 0 THEN excluded.name ELSE actor.name END,
            known = greatest(actor.known, excluded.known)
          """)
        var aliases: [String: Int] = [:]
        for m in actor.mentions {
          aliases[m.text, default: 0] += 1
          send(
            """
            INSERT INTO mention (rowid, articleId, actorId, start, "end", text)
            VALUES (\(unescaped: Self.nextId("mention", "rowid")), \(articleId), \(actor.id), \(m.span.start), \(m.span.end), \(m.text))
            """)
        }
        for (alias, count) in aliases.sorted(by: { $0.key < $1.key }) {
          send(
            """
            INSERT INTO actor_alias (actorId, alias, count) VALUES (\(actor.id), \(alias), \(count))
            ON CONFLICT (actorId, alias) DO UPDATE SET count = actor_alias.count + excluded.count
            """)
        }
      }
    }

    // MARK: Events

    /// Puts each reported event in the record by `EventRules`: the rules decide, this writer
    /// only probes and writes (see its `EventStorage` conformance).
    private func insertEvents(_ articleId: Int64) throws {
      let published = x.document.published
      for e in x.events {
        let facts = ReportFacts(
          cameo: e.cameo.rawValue, source: e.source, target: e.target, date: e.date, published: published,
          location: e.location)
        let eventId = try EventRules.place(facts, policy: policy, in: self)
        for actor in e.participants {
          send("INSERT INTO event_participant (eventId, actorId) VALUES (\(eventId), \(actor)) ON CONFLICT DO NOTHING")
        }
        send(
          """
          INSERT INTO report (id, eventId, articleId, cameo, sourceId, targetId, date, location, cited, text, trigger,
            start, "end")
          VALUES (\(unescaped: Self.nextId("report")), \(eventId), \(articleId), \(e.cameo.rawValue), \(e.source),
            \(e.target), \(e.date?.description), \(e.location), \(e.cited), \(e.text), \(e.trigger), \(e.span.start),
            \(e.span.end))
          """)
      }
    }

    // MARK: Plans

    /// Puts each plan mention under a family and a version by `PlanRules`, and returns the
    /// version id of each of `x.plans`.
    private func insertPlans(_ articleId: Int64) throws -> [Int64] {
      let mentions = x.plans.map { PlanMentionFacts(name: $0.name, points: $0.points) }
      let versions = try PlanRules.place(mentions, cues: article.planCues, mainParties: article.mainParties, in: self)
      for (i, plan) in x.plans.enumerated() {
        send(
          """
          INSERT INTO plan_mention (rowid, articleId, versionId, name, cue, text, start, "end")
          VALUES (\(unescaped: Self.nextId("plan_mention", "rowid")), \(articleId), \(versions[i]), \(plan.name),
            \(article.planCues[i].rawValue), \(article.planContexts[i]), \(plan.span.start), \(plan.span.end))
          """)
      }
      return versions
    }

    // MARK: Provisions and positions

    private func insertProvisions(_ articleId: Int64, versions: [Int64]) throws {
      let placed = PlanRules.provisionVersions(of: x, versions: versions, cues: article.planCues)
      var provisionIds: [Int64] = []
      for (p, version) in zip(x.provisions, placed) {
        provisionIds.append(
          try insertedId(
            """
            INSERT INTO provision (id, articleId, versionId, category, text, demandedBy, appliesTo, start, "end")
            VALUES (\(unescaped: Self.nextId("provision")), \(articleId), \(version), \(p.category.rawValue), \(p.text),
              \(p.demandedBy), \(p.appliesTo), \(p.span.start), \(p.span.end))
            RETURNING id
            """))
      }
      for pos in article.positions where pos.provision < provisionIds.count {
        let p = x.provisions[pos.provision]
        send(
          """
          INSERT INTO position (id, party, actorId, category, stance, provisionId, articleId, evidence, start, "end")
          VALUES (\(unescaped: Self.nextId("position")), \(pos.party), \(pos.actorId), \(p.category.rawValue),
            \(pos.stance.rawValue), \(provisionIds[pos.provision]), \(articleId), \(pos.evidence), \(pos.span.start),
            \(pos.span.end))
          """)
        send(
          """
          INSERT INTO position_tally (party, actorId, category, stance, count)
          VALUES (\(pos.party), \(pos.actorId ?? ""), \(p.category.rawValue), \(pos.stance.rawValue), 1)
          ON CONFLICT (party, actorId, category, stance) DO UPDATE SET count = position_tally.count + 1
          """)
      }
    }
  }

  // MARK: Storage for the record's rules

  extension PostgresWriter: RecordStorage {}

  /// `column = value`, or `column IS NULL` for nil: a comparison the indexes serve (`IS NOT
  /// DISTINCT FROM` would say the same, but no index can answer it).
  private func matching(_ column: String, _ value: String?, in query: inout PostgresQuery.StringInterpolation) {
    query.appendLiteral(" AND \(column)")
    if let value {
      query.appendLiteral(" = ")
      query.appendInterpolation(value)
    } else {
      query.appendLiteral(" IS NULL")
    }
  }

  /// The probes and writes the event rules ask for. Spans are `firstDay` and `lastDay` (day
  /// numbers), probed on the `event_span` index in the order spans end, a page at a time: the rules
  /// usually stop at the first event past the report's days.
  extension PostgresWriter: EventStorage {
    private static let probePage = 16

    func events(
      source: String?, target: String?, root: String, cameo: String?, dated: Bool, endingFrom day: Int?,
      _ body: (StoredEvent) throws -> Bool
    ) throws {
      var after: (lastDay: Int?, id: Int64)?
      while true {
        var sql = PostgresQuery.StringInterpolation(literalCapacity: 400, interpolationCount: 8)
        sql.appendLiteral(
          """
          SELECT id, cameo, root, sourceId, targetId, date, location, sortKey, reportCount, firstDay, lastDay
          FROM event WHERE root = 
          """)
        sql.appendInterpolation(root)
        matching("sourceId", source, in: &sql)
        matching("targetId", target, in: &sql)
        if let cameo {
          sql.appendLiteral(" AND cameo = ")
          sql.appendInterpolation(cameo)
        }
        // Events of reports with a day date and periods of reports without one may overlap: only
        // the one kind is read, from its own part of the index.
        sql.appendLiteral(" AND dated = ")
        sql.appendInterpolation(dated ? 1 : 0)
        if let day {
          if let after, let last = after.lastDay {
            sql.appendLiteral(" AND (lastDay, id) > (")
            sql.appendInterpolation(last)
            sql.appendLiteral(", ")
            sql.appendInterpolation(after.id)
            sql.appendLiteral(")")
          } else {
            sql.appendLiteral(" AND lastDay >= ")
            sql.appendInterpolation(day)
          }
          sql.appendLiteral(" ORDER BY lastDay, id")
        } else {
          sql.appendLiteral(" AND lastDay IS NULL")
          if let after {
            sql.appendLiteral(" AND id > ")
            sql.appendInterpolation(after.id)
          }
          sql.appendLiteral(" ORDER BY id")
        }
        sql.appendLiteral(" LIMIT \(Self.probePage)")
        let page = try rows(PostgresQuery(stringInterpolation: sql))
        for row in page {
          let (id, cameo, root, source, target, date, location, sortKey, reportCount, first, last) = try row.decode(
            (Int64, String, String, String?, String?, String?, String?, String, Int, Int?, Int?).self)
          let summary = MergedEvent(
            cameo: cameo, root: root, source: source, target: target, date: date.flatMap(PartialDate.init(iso:)),
            location: location, sortKey: sortKey, reportCount: reportCount,
            span: first.flatMap { f in last.map { DaySpan(first: f, last: $0) } })
          after = (last, id)
          guard try body(StoredEvent(id: id, summary: summary)) else { return }
        }
        if page.count < Self.probePage { return }
      }
    }

    func insertEvent(_ s: MergedEvent) throws -> Int64 {
      try insertedId(
        """
        INSERT INTO event (id, cameo, root, sourceId, targetId, date, location, sortKey, reportCount, firstDay, lastDay,
          dated)
        VALUES (\(unescaped: Self.nextId("event")), \(s.cameo), \(s.root), \(s.source), \(s.target),
          \(s.date?.description), \(s.location), \(s.sortKey), \(s.reportCount), \(s.span?.first), \(s.span?.last),
          \(s.date?.dayNumber != nil ? 1 : 0))
        RETURNING id
        """)
    }

    func updateEvent(_ id: Int64, to s: MergedEvent) throws {
      send(
        """
        UPDATE event SET cameo = \(s.cameo), date = \(s.date?.description), location = \(s.location),
          sortKey = \(s.sortKey), reportCount = \(s.reportCount), firstDay = \(s.span?.first), lastDay = \(s.span?.last)
        WHERE id = \(id)
        """)
      // Only when they change: the actor tallies' triggers run on any update of these columns.
      send(
        """
        UPDATE event SET sourceId = \(s.source), targetId = \(s.target)
        WHERE id = \(id) AND (sourceId IS DISTINCT FROM \(s.source) OR targetId IS DISTINCT FROM \(s.target))
        """)
    }

    func mergeEvent(_ absorbed: Int64, into survivor: Int64) throws {
      send("UPDATE report SET eventId = \(survivor) WHERE eventId = \(absorbed)")
      send(
        """
        INSERT INTO event_participant (eventId, actorId)
          SELECT \(survivor), actorId FROM event_participant WHERE eventId = \(absorbed)
          ON CONFLICT DO NOTHING
        """)
      send("DELETE FROM event_participant WHERE eventId = \(absorbed)")
      send("DELETE FROM event WHERE id = \(absorbed)")
    }
  }

  /// The probes and writes the plan rules ask for: `plan_link` finds families by link key,
  /// `plan_family_name` counts the family names their mentions use.
  extension PostgresWriter: PlanStorage {
    func planLinks(key: String) throws -> [PlanLink] {
      try rows("SELECT planId, parties FROM plan_link WHERE key = \(key)").map { row in
        let (planId, parties) = try row.decode((Int64, String).self)
        return PlanLink(planId: planId, parties: parties)
      }
    }

    func insertPlan(parties: String) throws -> Int64 {
      try insertedId(
        "INSERT INTO plan (id, name, parties) VALUES (\(unescaped: Self.nextId("plan")), 'plan', \(parties)) RETURNING id"
      )
    }

    /// The version of family `planId` with these points and name, if there is one.
    private func findVersion(planId: Int64, points: Int?, name: String) throws -> Int64? {
      let query: PostgresQuery =
        if let points {
          "SELECT id FROM plan_version WHERE planId = \(planId) AND points = \(points) AND name = \(name)"
        } else {
          "SELECT id FROM plan_version WHERE planId = \(planId) AND points IS NULL AND name = \(name)"
        }
      return try rows(query).first.map { try $0.decode(Int64.self) }
    }

    func mergePlan(_ absorbed: Int64, into survivor: Int64) throws {
      let versions = try rows("SELECT id, points, name FROM plan_version WHERE planId = \(absorbed) ORDER BY id")
      for v in versions {
        let (id, points, name) = try v.decode((Int64, Int?, String).self)
        guard let same = try findVersion(planId: survivor, points: points, name: name) else {
          send("UPDATE plan_version SET planId = \(survivor) WHERE id = \(id)")
          continue
        }
        // Both families know this version: one version, with the mentions, provisions and tallies of both.
        send("UPDATE plan_mention SET versionId = \(same) WHERE versionId = \(id)")
        send("UPDATE provision SET versionId = \(same) WHERE versionId = \(id)")
        send(
          PostgresQuery(
            unsafeSQL: """
              UPDATE plan_version_tally SET
                mentions = mentions + (SELECT mentions FROM plan_version_tally WHERE versionId = $1),
                cue = cue + (SELECT cue FROM plan_version_tally WHERE versionId = $1),
                first = least(first, (SELECT first FROM plan_version_tally WHERE versionId = $1)),
                provisions = provisions + (SELECT provisions FROM plan_version_tally WHERE versionId = $1),
                articles = (SELECT count(DISTINCT articleId) FROM plan_mention WHERE versionId = $2)
              WHERE versionId = $2
              """, binds: Self.binds(id, same)))
        send(
          """
          INSERT INTO plan_version_name (versionId, name, count)
            SELECT \(same), name, count FROM plan_version_name WHERE versionId = \(id)
            ON CONFLICT (versionId, name) DO UPDATE SET count = plan_version_name.count + excluded.count
          """)
        send("DELETE FROM plan_version_name WHERE versionId = \(id)")
        send("DELETE FROM plan_version_tally WHERE versionId = \(id)")
        send("DELETE FROM plan_version WHERE id = \(id)")
      }
      send(
        """
        INSERT INTO plan_link (key, parties, planId) SELECT key, parties, \(survivor) FROM plan_link WHERE planId = \(absorbed)
          ON CONFLICT DO NOTHING
        """)
      send("DELETE FROM plan_link WHERE planId = \(absorbed)")
      send(
        """
        INSERT INTO plan_family_name (planId, name, mentions)
          SELECT \(survivor), name, mentions FROM plan_family_name WHERE planId = \(absorbed)
          ON CONFLICT (planId, name) DO UPDATE SET mentions = plan_family_name.mentions + excluded.mentions
        """)
      send("DELETE FROM plan_family_name WHERE planId = \(absorbed)")
      send(
        "UPDATE plan SET parties = least(parties, (SELECT parties FROM plan WHERE id = \(absorbed))) WHERE id = \(survivor)"
      )
      send("DELETE FROM plan WHERE id = \(absorbed)")
      rename(survivor)
    }

    func addMembers(planId: Int64, parties: String, keys: [String], familyNames: [String]) throws {
      for key in keys {
        send(
          "INSERT INTO plan_link (key, parties, planId) VALUES (\(key), \(parties), \(planId)) ON CONFLICT DO NOTHING")
      }
      var counts: [String: Int] = [:]
      for name in familyNames { counts[name, default: 0] += 1 }
      for (name, count) in counts.sorted(by: { $0.key < $1.key }) {
        send(
          """
          INSERT INTO plan_family_name (planId, name, mentions) VALUES (\(planId), \(name), \(count))
            ON CONFLICT (planId, name) DO UPDATE SET mentions = plan_family_name.mentions + excluded.mentions
          """)
      }
      send("UPDATE plan SET parties = least(parties, \(parties)) WHERE id = \(planId)")
      rename(planId)
    }

    /// A family is named by the family name most of its mentions use (on a tie the smallest).
    private func rename(_ planId: Int64) {
      send(
        PostgresQuery(
          unsafeSQL: """
            UPDATE plan SET name = coalesce(
              (SELECT name FROM plan_family_name WHERE planId = $1 ORDER BY mentions DESC, name LIMIT 1), name)
            WHERE id = $1
            """, binds: Self.binds(planId)))
    }

    func version(planId: Int64, points: Int?, name: String) throws -> Int64 {
      // Looked up before inserting: the UNIQUE constraint holds NULL points distinct, so an insert
      // that relied on it would add a version without points each time.
      if let id = try findVersion(planId: planId, points: points, name: name) { return id }
      return try insertedId(
        """
        INSERT INTO plan_version (id, planId, points, name)
        VALUES (\(unescaped: Self.nextId("plan_version")), \(planId), \(points), \(name)) RETURNING id
        """)
    }

    private static func binds(_ values: Int64...) -> PostgresBindings {
      var binds = PostgresBindings(capacity: values.count)
      for value in values { binds.append(value) }
      return binds
    }
  }

#endif
