// The whole module exists only with the PostgreSQL trait (see Package.swift).
#if PostgreSQL

  import Foundation
  import Logging
  import NIOCore
  import ParleyModel
  import ParleyRecord
  import ParleyStore
  import PostgresNIO
  import Synchronization

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
            let state = try WriteState(session: session, articles: articles)
            try PostgresWriter.probeAhead(articles, policy: policy, state: state)
            return try articles.map { try PostgresWriter(state: state, article: $0, policy: policy).run() }
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
            try transaction { session in
              let state = try WriteState(session: session, articles: [article])
              return try PostgresWriter(state: state, article: article, policy: policy).run()
            })
        } catch {
          return .failure(storeError(error))
        }
      }
    }

    /// Seconds this writer's transactions waited for the write lock and held it: how much of a
    /// run the lock serializes, and so what another writer can gain.
    public var writeLockSeconds: (waited: Double, held: Double) { lockTimes.withLock { $0 } }
    private let lockTimes = Mutex<(waited: Double, held: Double)>((0, 0))

    /// Runs `body` in a transaction holding the write lock: committed if it returns, rolled back if it throws.
    private func transaction<T>(_ body: (PipelinedSession) throws -> T) throws -> T {
      let session = PipelinedSession(connection: record.connection, logger: record.logger)
      let clock = ContinuousClock()
      let asked = clock.now
      var locked = asked
      defer {
        let ended = clock.now
        lockTimes.withLock { $0 = ($0.waited + (locked - asked).seconds, $0.held + (ended - locked).seconds) }
      }
      session.send("BEGIN")
      do {
        // Waited for (one round trip per transaction) to tell waiting for the lock from holding it.
        _ = try session.rows("SELECT pg_advisory_xact_lock(\(Self.writeLock))")
        locked = clock.now
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

  /// What the articles of one transaction share: the id the next row of each table gets, the
  /// articles stored by key, and the reports and participants not sent yet.
  ///
  /// Numbering here instead of reading `RETURNING id` lets every insert be pipelined: under the
  /// write lock no other writer adds rows, so the largest id read once per transaction, counted
  /// up, is exactly the `max + 1` SQLite gives.
  final class WriteState {
    let session: PipelinedSession
    /// The next id of each numbered table.
    private var next: [String: Int64] = [:]
    /// Tables whose largest row this transaction deleted: their largest id is read again.
    private var stale: Set<String> = []
    /// Article key to id: the batch's articles the record already had, and those stored since.
    var stored: [String: Int64] = [:]
    /// Reports and participants of the events placed so far, sent together (see `flushEventRows`).
    var reports = RowsInsert(
      """
      INSERT INTO report (id, eventId, articleId, cameo, sourceId, targetId, date, location, cited, text, trigger,
        start, "end") VALUES
      """)
    var participants = RowsInsert(
      "INSERT INTO event_participant (eventId, actorId) VALUES", tail: " ON CONFLICT DO NOTHING")
    /// The first pages of the batch's event probes, sent ahead.
    var probes = ProbesAhead()

    /// Tables whose new rows the writer numbers, with their id column.
    static let numbered: [(table: String, column: String)] = [
      ("article", "id"), ("article_band", "rowid"), ("mention", "rowid"), ("citation", "rowid"), ("event", "id"),
      ("report", "id"), ("plan", "id"), ("plan_version", "id"), ("plan_mention", "rowid"), ("provision", "id"),
      ("position", "id"),
    ]

    /// Reads the largest id of every numbered table and which of `keys` are stored: two round trips
    /// for the whole batch instead of one probe per article.
    init(session: PipelinedSession, articles: [PreparedArticle]) throws {
      self.session = session
      let maxima = Self.numbered.map { "SELECT '\($0.table)', coalesce(max(\($0.column)), 0) FROM \($0.table)" }
        .joined(separator: " UNION ALL ")
      let keys = Array(Set(articles.map(\.key))).sorted()
      let bands = Array(Set(articles.flatMap(\.bandKeys))).sorted()
      let links = Array(
        Set(
          articles.flatMap { a in a.extraction.plans.map { PlanMentionFacts(name: $0.name, points: $0.points).linkKey }
          })
      ).sorted()
      // One round trip for the batch: the numbering, the stored articles, near-copy candidates
      // and plan links, instead of a probe per article and per plan mention.
      let answers = try session.rowsOfEach([
        PostgresQuery(unsafeSQL: maxima),
        "SELECT key, id FROM article WHERE key = ANY(\(keys))",
        """
        SELECT DISTINCT b.key, s.articleId, s.duplicateOf, s.signature
        FROM article_band b JOIN article_signature s ON s.articleId = b.articleId WHERE b.key = ANY(\(bands))
        """,
        "SELECT key, planId, parties FROM plan_link WHERE key = ANY(\(links))",
      ])
      guard answers.count == 4 else { throw PostgresStoreError(server: "", reason: "a probe gave no answer") }
      for row in answers[0] {
        let (table, largest) = try row.decode((String, Int64).self)
        next[table] = largest + 1
      }
      for row in answers[1] {
        let (key, id) = try row.decode((String, Int64).self)
        stored[key] = id
      }
      for key in bands { bandArticles[key] = [] }
      for row in answers[2] {
        let (key, id, duplicateOf, bytes) = try row.decode((Int64, Int64, Int64?, ByteBuffer).self)
        bandArticles[key, default: []].append(id)
        if signatures[id] == nil, let signature = MinHasher.decode(Array(bytes.readableBytesView)) {
          signatures[id] = (duplicateOf, signature)
        }
      }
      for key in links { planLinks[key] = [] }
      for row in answers[3] {
        let (key, planId, parties) = try row.decode((String, Int64, String).self)
        planLinks[key, default: []].append(PlanLink(planId: planId, parties: parties))
      }
    }

    /// Near-copy candidates: the articles holding each band key of the batch (stored before the
    /// transaction, then those it stores), with their signatures and the root they copy.
    var bandArticles: [Int64: [Int64]] = [:]
    var signatures: [Int64: (duplicateOf: Int64?, signature: [UInt32])] = [:]
    /// The plan links of each link key of the batch, kept as this transaction writes them.
    var planLinks: [String: [PlanLink]] = [:]
    /// Versions looked up or made in this transaction, by family, points and name.
    var versions: [VersionKey: Int64] = [:]

    struct VersionKey: Hashable {
      var planId: Int64
      var points: Int?
      var name: String
    }

    /// Article `id` was stored: a candidate for the later articles of the batch.
    func stored(_ id: Int64, bands: [Int64], duplicateOf: Int64?, signature: [UInt32]) {
      for key in bands { bandArticles[key, default: []].append(id) }
      signatures[id] = (duplicateOf, signature)
    }

    /// The id of a new row of `table`: the largest plus one, as SQLite gives it.
    func take(_ table: String) throws -> Int64 {
      if stale.remove(table) != nil {
        let column = Self.numbered.first { $0.table == table }?.column ?? "id"
        let rows = try session.rows(PostgresQuery(unsafeSQL: "SELECT coalesce(max(\(column)), 0) FROM \(table)"))
        guard let row = rows.first else { throw PostgresStoreError(server: "", reason: "max(\(column)) gave no row") }
        next[table] = try row.decode(Int64.self) + 1
      }
      guard let id = next[table] else {
        throw PostgresStoreError(server: "", reason: "\(table) is not a numbered table")
      }
      next[table] = id + 1
      return id
    }

    /// Row `id` of `table` is being deleted: when it is the largest, SQLite numbers the next row
    /// after the largest one left, which only the table knows.
    func deleting(_ table: String, _ id: Int64) {
      if next[table] == id + 1 { stale.insert(table) }
    }

    /// Sends the reports and participants held back; before anything that reads or moves them.
    func flushEventRows() {
      participants.send(to: session)
      reports.send(to: session)
    }
  }

  /// An event as a probe read it, with the day its span ends (the next page starts after it).
  struct ProbedEvent {
    var event: StoredEvent
    var lastDay: Int?
  }

  /// First pages of event probes sent ahead of the rules' questions, each valid until this
  /// transaction writes an event it could hold: one with the probe's key (inserted, or updated to
  /// it), or one it holds (updated away, merged, deleted). Nothing else writes events meanwhile:
  /// the transaction holds the write lock.
  struct ProbesAhead {
    private var pages: [EventProbe: [ProbedEvent]] = [:]

    mutating func keep(_ probe: EventProbe, _ page: [ProbedEvent]) { pages[probe] = page }

    /// The page kept for `probe`, if still valid.
    func first(_ probe: EventProbe) -> [ProbedEvent]? { pages[probe] }

    /// An event with this key was written.
    mutating func forget(root: String, source: String?, target: String?) {
      pages = pages.filter { $0.key.root != root || $0.key.source != source || $0.key.target != target }
    }

    /// Event `id` was written or deleted.
    mutating func forget(event id: Int64) {
      pages = pages.filter { !$0.value.contains { $0.event.id == id } }
    }
  }

  /// The rows of one multi-row `INSERT ... VALUES`, sent as statements of at most 1,000 rows (a
  /// statement takes at most 65,535 parameters): one statement for an article's mentions instead
  /// of one each, which the server parses and plans once.
  struct RowsInsert {
    private let head: String
    private let tail: String
    private var sql = PostgresQuery.StringInterpolation(literalCapacity: 1024, interpolationCount: 64)
    private var rows = 0
    private var fields = 0
    private var queries: [PostgresQuery] = []
    static let rowsPerStatement = 1000

    init(_ head: String, tail: String = "") {
      self.head = head
      self.tail = tail
      sql.appendLiteral(head)
    }

    mutating func value<V: PostgresDynamicTypeEncodable>(_ value: V) {
      separate()
      sql.appendInterpolation(value)
    }

    mutating func value<V: PostgresDynamicTypeEncodable>(_ value: V?) {
      separate()
      sql.appendInterpolation(value)
    }

    /// Closes the row whose values were just added.
    mutating func endRow() {
      sql.appendLiteral(")")
      rows += 1
      fields = 0
      if rows == Self.rowsPerStatement { finishStatement() }
    }

    private mutating func separate() {
      sql.appendLiteral(fields > 0 ? ", " : rows > 0 ? ", (" : " (")
      fields += 1
    }

    private mutating func finishStatement() {
      guard rows > 0 else { return }
      sql.appendLiteral(tail)
      queries.append(PostgresQuery(stringInterpolation: sql))
      sql = PostgresQuery.StringInterpolation(literalCapacity: 1024, interpolationCount: 64)
      sql.appendLiteral(head)
      rows = 0
    }

    /// Sends the rows added so far, pipelined, and starts empty again.
    mutating func send(to session: PipelinedSession) {
      finishStatement()
      for query in queries { session.send(query) }
      queries.removeAll()
    }
  }

  /// The inserts and merges of one article, inside its transaction: the twin of SQLite's writer
  /// in `ParleyStore/Ingest.swift` in PostgreSQL's dialect, giving the same rows with the same ids;
  /// the rows of one table are inserted by one statement where SQLite inserts them one by one.
  private struct PostgresWriter {
    let state: WriteState
    let article: PreparedArticle
    let policy: MergePolicy
    var session: PipelinedSession { state.session }
    var x: Extraction { article.extraction }

    private func send(_ query: PostgresQuery) { session.send(query) }
    private func rows(_ query: PostgresQuery) throws -> [PostgresRow] { try session.rows(query) }

    func run() throws -> IngestOutcome {
      if let id = state.stored[article.key] { return .duplicate(id: id) }
      let nearCopy = try findNearCopy()
      let doc = x.document
      let articleId = try state.take("article")
      state.stored[article.key] = articleId
      send(
        """
        INSERT INTO article (id, key, docId, path, format, title, published, outlet, url, source, body,
          duplicateParagraphsRemoved, duplicateOf, similarity, signature)
        VALUES (\(articleId), \(article.key), \(doc.id), \(doc.path), \(article.format.rawValue),
          \(doc.title), \(doc.published?.description), \(doc.outlet), \(doc.url), \(article.source), \(article.body),
          \(doc.duplicateParagraphsRemoved), \(nearCopy?.id), \(nearCopy?.similarity),
          \(ByteBuffer(bytes: MinHasher.encode(article.signature))))
        """)
      state.stored(
        articleId, bands: Array(Set(article.bandKeys)), duplicateOf: nearCopy?.id, signature: article.signature)
      var bands = RowsInsert("INSERT INTO article_band (rowid, key, articleId) VALUES")
      for key in Set(article.bandKeys).sorted() {
        bands.value(try state.take("article_band"))
        bands.value(key)
        bands.value(articleId)
        bands.endRow()
      }
      bands.send(to: session)
      try insertActors(articleId)
      var citations = RowsInsert("INSERT INTO citation (rowid, articleId, outlet, start, \"end\", text) VALUES")
      for c in x.citations {
        citations.value(try state.take("citation"))
        citations.value(articleId)
        citations.value(c.outlet)
        citations.value(c.span.start)
        citations.value(c.span.end)
        citations.value(c.text)
        citations.endRow()
      }
      citations.send(to: session)
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
      let keys = Set(article.bandKeys)
      guard !keys.isEmpty else { return nil }
      // The candidates the probe `article_band` -> `article_signature` gives, in id order.
      var candidates: Set<Int64> = []
      for key in keys {
        guard let ids = state.bandArticles[key] else { return try findNearCopyInRecord() }
        candidates.formUnion(ids)
      }
      var best: (id: Int64, similarity: Double)?
      for id in candidates.sorted() {
        guard let (duplicateOf, signature) = state.signatures[id] else { continue }
        let similarity = MinHasher.similarity(signature, article.signature)
        guard similarity >= MinHasher.nearDuplicateThreshold else { continue }
        if best == nil || similarity > best?.similarity ?? 0 { best = (duplicateOf ?? id, similarity) }
      }
      return best
    }

    /// `findNearCopy` asking the record, for band keys the batch's probe did not cover.
    private func findNearCopyInRecord() throws -> (id: Int64, similarity: Double)? {
      let keys = Array(Set(article.bandKeys)).sorted()
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

    /// The article's actors, their mentions and aliases: a statement for each table. An upsert
    /// may change a row only once per statement, so an actor named twice is upserted twice.
    private func insertActors(_ articleId: Int64) throws {
      var statements: [RowsInsert] = []
      func actorRows() -> RowsInsert {
        RowsInsert(
          "INSERT INTO actor (id, name, kind, affiliation, role, known) VALUES",
          // The knowledge base's name wins over a spelling found in one article.
          tail: """
             ON CONFLICT (id) DO UPDATE SET
              affiliation = coalesce(actor.affiliation, excluded.affiliation),
              role = coalesce(actor.role, excluded.role),
              name = CASE WHEN excluded.known <> 0 AND actor.known = 0 THEN excluded.name ELSE actor.name END,
              known = greatest(actor.known, excluded.known)
            """)
      }
      func aliasRows() -> RowsInsert {
        RowsInsert(
          "INSERT INTO actor_alias (actorId, alias, count) VALUES",
          tail: " ON CONFLICT (actorId, alias) DO UPDATE SET count = actor_alias.count + excluded.count")
      }
      var actors = actorRows()
      var aliases = aliasRows()
      var upserted: Set<String> = []
      var mentions = RowsInsert("INSERT INTO mention (rowid, articleId, actorId, start, \"end\", text) VALUES")
      for actor in x.actors {
        if !upserted.insert(actor.id).inserted {
          statements += [actors, aliases]
          (actors, aliases) = (actorRows(), aliasRows())
          upserted = [actor.id]
        }
        actors.value(actor.id)
        actors.value(actor.name)
        actors.value(actor.kind.rawValue)
        actors.value(actor.affiliation)
        actors.value(actor.role)
        actors.value(actor.known ? 1 : 0)
        actors.endRow()
        var counts: [String: Int] = [:]
        for m in actor.mentions {
          counts[m.text, default: 0] += 1
          mentions.value(try state.take("mention"))
          mentions.value(articleId)
          mentions.value(actor.id)
          mentions.value(m.span.start)
          mentions.value(m.span.end)
          mentions.value(m.text)
          mentions.endRow()
        }
        for (alias, count) in counts.sorted(by: { $0.key < $1.key }) {
          aliases.value(actor.id)
          aliases.value(alias)
          aliases.value(count)
          aliases.endRow()
        }
      }
      statements += [actors, aliases]
      // Every actor before the mentions that refer to it.
      for var rows in statements { rows.send(to: session) }
      mentions.send(to: session)
    }

    // MARK: Events

    /// Puts each reported event in the record by `EventRules`: the rules decide, this writer
    /// only probes and writes (see its `EventStorage` conformance). Reports and participants are
    /// held back and sent together, before any merge moves them and at the end.
    private func insertEvents(_ articleId: Int64) throws {
      for (e, facts) in zip(x.events, Self.reportFacts(article)) {
        let eventId = try EventRules.place(facts, policy: policy, in: self)
        for actor in e.participants {
          state.participants.value(eventId)
          state.participants.value(actor)
          state.participants.endRow()
        }
        state.reports.value(try state.take("report"))
        state.reports.value(eventId)
        state.reports.value(articleId)
        state.reports.value(e.cameo.rawValue)
        state.reports.value(e.source)
        state.reports.value(e.target)
        state.reports.value(e.date?.description)
        state.reports.value(e.location)
        state.reports.value(e.cited)
        state.reports.value(e.text)
        state.reports.value(e.trigger)
        state.reports.value(e.span.start)
        state.reports.value(e.span.end)
        state.reports.endRow()
      }
      state.flushEventRows()
    }

    /// What the event rules know of each reported event of `article`.
    static func reportFacts(_ article: PreparedArticle) -> [ReportFacts] {
      let published = article.extraction.document.published
      return article.extraction.events.map { e in
        ReportFacts(
          cameo: e.cameo.rawValue, source: e.source, target: e.target, date: e.date, published: published,
          location: e.location)
      }
    }

    // MARK: Plans

    /// Puts each plan mention under a family and a version by `PlanRules`, and returns the
    /// version id of each of `x.plans`.
    private func insertPlans(_ articleId: Int64) throws -> [Int64] {
      let mentions = x.plans.map { PlanMentionFacts(name: $0.name, points: $0.points) }
      let versions = try PlanRules.place(mentions, cues: article.planCues, mainParties: article.mainParties, in: self)
      var rows = RowsInsert(
        "INSERT INTO plan_mention (rowid, articleId, versionId, name, cue, text, start, \"end\") VALUES")
      for (i, plan) in x.plans.enumerated() {
        rows.value(try state.take("plan_mention"))
        rows.value(articleId)
        rows.value(versions[i])
        rows.value(plan.name)
        rows.value(article.planCues[i].rawValue)
        rows.value(article.planContexts[i])
        rows.value(plan.span.start)
        rows.value(plan.span.end)
        rows.endRow()
      }
      rows.send(to: session)
      return versions
    }

    // MARK: Provisions and positions

    private func insertProvisions(_ articleId: Int64, versions: [Int64]) throws {
      let placed = PlanRules.provisionVersions(of: x, versions: versions, cues: article.planCues)
      var provisions = RowsInsert(
        """
        INSERT INTO provision (id, articleId, versionId, category, text, demandedBy, appliesTo, start, "end") VALUES
        """)
      var provisionIds: [Int64] = []
      for (p, version) in zip(x.provisions, placed) {
        let id = try state.take("provision")
        provisionIds.append(id)
        provisions.value(id)
        provisions.value(articleId)
        provisions.value(version)
        provisions.value(p.category.rawValue)
        provisions.value(p.text)
        provisions.value(p.demandedBy)
        provisions.value(p.appliesTo)
        provisions.value(p.span.start)
        provisions.value(p.span.end)
        provisions.endRow()
      }
      provisions.send(to: session)
      var positions = RowsInsert(
        """
        INSERT INTO position (id, party, actorId, category, stance, provisionId, articleId, evidence, start, "end") VALUES
        """)
      // One upsert per cell: a statement may not change a row twice.
      struct Cell: Hashable, Comparable {
        var party: String, actorId: String, category: String, stance: String
        static func < (a: Cell, b: Cell) -> Bool {
          (a.party, a.actorId, a.category, a.stance) < (b.party, b.actorId, b.category, b.stance)
        }
      }
      var cells: [Cell: Int] = [:]
      for pos in article.positions where pos.provision < provisionIds.count {
        let p = x.provisions[pos.provision]
        positions.value(try state.take("position"))
        positions.value(pos.party)
        positions.value(pos.actorId)
        positions.value(p.category.rawValue)
        positions.value(pos.stance.rawValue)
        positions.value(provisionIds[pos.provision])
        positions.value(articleId)
        positions.value(pos.evidence)
        positions.value(pos.span.start)
        positions.value(pos.span.end)
        positions.endRow()
        let cell = Cell(
          party: pos.party, actorId: pos.actorId ?? "", category: p.category.rawValue, stance: pos.stance.rawValue)
        cells[cell, default: 0] += 1
      }
      positions.send(to: session)
      var tally = RowsInsert(
        "INSERT INTO position_tally (party, actorId, category, stance, count) VALUES",
        tail:
          " ON CONFLICT (party, actorId, category, stance) DO UPDATE SET count = position_tally.count + excluded.count")
      for (cell, count) in cells.sorted(by: { $0.key < $1.key }) {
        tally.value(cell.party)
        tally.value(cell.actorId)
        tally.value(cell.category)
        tally.value(cell.stance)
        tally.value(count)
        tally.endRow()
      }
      tally.send(to: session)
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
    static let probePage = 16

    /// The statement behind a probe: a page of events of one key, in the order their spans
    /// end, after the event `after` (the last of the previous page).
    static func probeQuery(_ probe: EventProbe, after: (lastDay: Int?, id: Int64)?) -> PostgresQuery {
      var sql = PostgresQuery.StringInterpolation(literalCapacity: 400, interpolationCount: 8)
      sql.appendLiteral(
        """
        SELECT id, cameo, root, sourceId, targetId, date, location, sortKey, reportCount, firstDay, lastDay
        FROM event WHERE root = 
        """)
      sql.appendInterpolation(probe.root)
      matching("sourceId", probe.source, in: &sql)
      matching("targetId", probe.target, in: &sql)
      if let cameo = probe.cameo {
        sql.appendLiteral(" AND cameo = ")
        sql.appendInterpolation(cameo)
      }
      // Events of reports with a day date and periods of reports without one may overlap: only
      // the one kind is read, from its own part of the index.
      sql.appendLiteral(" AND dated = ")
      sql.appendInterpolation(probe.dated ? 1 : 0)
      if let day = probe.endingFrom {
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
      return PostgresQuery(stringInterpolation: sql)
    }

    /// The events of a probe's page.
    static func storedEvents(_ rows: [PostgresRow]) throws -> [ProbedEvent] {
      try rows.map { row in
        let (id, cameo, root, source, target, date, location, sortKey, reportCount, first, last) = try row.decode(
          (Int64, String, String, String?, String?, String?, String?, String, Int, Int?, Int?).self)
        let summary = MergedEvent(
          cameo: cameo, root: root, source: source, target: target, date: date.flatMap(PartialDate.init(iso:)),
          location: location, sortKey: sortKey, reportCount: reportCount,
          span: first.flatMap { f in last.map { DaySpan(first: f, last: $0) } })
        return ProbedEvent(event: StoredEvent(id: id, summary: summary), lastDay: last)
      }
    }

    func events(
      source: String?, target: String?, root: String, cameo: String?, dated: Bool, endingFrom day: Int?,
      _ body: (StoredEvent) throws -> Bool
    ) throws {
      let probe = EventProbe(source: source, target: target, root: root, cameo: cameo, dated: dated, endingFrom: day)
      // The first page as sent ahead for the batch, unless a write since may have changed it.
      var ahead = state.probes.first(probe)
      var after: (lastDay: Int?, id: Int64)?
      while true {
        let page: [ProbedEvent]
        if let first = ahead {
          page = first
          ahead = nil
        } else {
          page = try Self.storedEvents(rows(Self.probeQuery(probe, after: after)))
        }
        for probed in page {
          after = (probed.lastDay, probed.event.id)
          guard try body(probed.event) else { return }
        }
        if page.count < Self.probePage { return }
      }
    }

    /// Sends the first probe of every report of `articles` at once and keeps the answers: one
    /// round trip for the batch instead of one per report.
    static func probeAhead(_ articles: [PreparedArticle], policy: MergePolicy, state: WriteState) throws {
      var probes: [EventProbe] = []
      var seen: Set<EventProbe> = []
      var keys: Set<String> = []
      for article in articles where state.stored[article.key] == nil && keys.insert(article.key).inserted {
        for facts in reportFacts(article) {
          for probe in EventRules.probes(for: facts, policy: policy) where seen.insert(probe).inserted {
            probes.append(probe)
          }
        }
      }
      let pages = try state.session.rowsOfEach(probes.map { probeQuery($0, after: nil) })
      for (probe, rows) in zip(probes, pages) { state.probes.keep(probe, try storedEvents(rows)) }
    }

    func insertEvent(_ s: MergedEvent) throws -> Int64 {
      state.probes.forget(root: s.root, source: s.source, target: s.target)
      let id = try state.take("event")
      send(
        """
        INSERT INTO event (id, cameo, root, sourceId, targetId, date, location, sortKey, reportCount, firstDay, lastDay,
          dated)
        VALUES (\(id), \(s.cameo), \(s.root), \(s.source), \(s.target),
          \(s.date?.description), \(s.location), \(s.sortKey), \(s.reportCount), \(s.span?.first), \(s.span?.last),
          \(s.date?.dayNumber != nil ? 1 : 0))
        """)
      return id
    }

    func updateEvent(_ id: Int64, to s: MergedEvent) throws {
      state.probes.forget(event: id)
      state.probes.forget(root: s.root, source: s.source, target: s.target)
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
      // The reports and participants placed so far go with the rest of their event.
      state.flushEventRows()
      state.probes.forget(event: absorbed)
      state.probes.forget(event: survivor)
      state.deleting("event", absorbed)
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
      if let links = state.planLinks[key] { return links }
      return try rows("SELECT planId, parties FROM plan_link WHERE key = \(key)").map { row in
        let (planId, parties) = try row.decode((Int64, String).self)
        return PlanLink(planId: planId, parties: parties)
      }
    }

    func insertPlan(parties: String) throws -> Int64 {
      let id = try state.take("plan")
      send("INSERT INTO plan (id, name, parties) VALUES (\(id), 'plan', \(parties))")
      return id
    }

    /// The version of family `planId` with these points and name, if there is one.
    private func findVersion(planId: Int64, points: Int?, name: String) throws -> Int64? {
      let key = WriteState.VersionKey(planId: planId, points: points, name: name)
      if let id = state.versions[key] { return id }
      let query: PostgresQuery =
        if let points {
          "SELECT id FROM plan_version WHERE planId = \(planId) AND points = \(points) AND name = \(name)"
        } else {
          "SELECT id FROM plan_version WHERE planId = \(planId) AND points IS NULL AND name = \(name)"
        }
      let id = try rows(query).first.map { try $0.decode(Int64.self) }
      state.versions[key] = id
      return id
    }

    func mergePlan(_ absorbed: Int64, into survivor: Int64) throws {
      // The absorbed family's versions move or go, and its links become the survivor's.
      state.versions.removeAll()
      for (key, links) in state.planLinks where links.contains(where: { $0.planId == absorbed }) {
        var moved: [PlanLink] = []
        for link in links {
          let link = link.planId == absorbed ? PlanLink(planId: survivor, parties: link.parties) : link
          if !moved.contains(link) { moved.append(link) }
        }
        state.planLinks[key] = moved
      }
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
        state.deleting("plan_version", id)
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
      state.deleting("plan", absorbed)
      send("DELETE FROM plan WHERE id = \(absorbed)")
      rename(survivor)
    }

    func addMembers(planId: Int64, parties: String, keys: [String], familyNames: [String]) throws {
      for key in keys {
        let link = PlanLink(planId: planId, parties: parties)
        if let links = state.planLinks[key], !links.contains(link) { state.planLinks[key] = links + [link] }
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
      let id = try state.take("plan_version")
      state.versions[WriteState.VersionKey(planId: planId, points: points, name: name)] = id
      send("INSERT INTO plan_version (id, planId, points, name) VALUES (\(id), \(planId), \(points), \(name))")
      return id
    }

    private static func binds(_ values: Int64...) -> PostgresBindings {
      var binds = PostgresBindings(capacity: values.count)
      for value in values { binds.append(value) }
      return binds
    }
  }

  extension Duration {
    /// The duration in seconds, as a `Double`.
    fileprivate var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
  }

#endif
