import Foundation
import GRDB
import ParleyModel
import ParleyRecord
import ParleyText

/// What happened to one article on ingest.
public enum IngestOutcome: Sendable, Hashable {
  /// Stored as a new article; `nearCopyOf` names the earlier article it is a near-copy of.
  case new(id: Int64, nearCopyOf: Int64?)
  /// The same text is already stored (under this id): nothing changed.
  case duplicate(id: Int64)
}

extension RecordStore {
  /// Stores one prepared article and merges what it reports into the record, in one transaction:
  /// either all of the article is in the database or none of it is.
  @discardableResult
  public func ingest(_ article: PreparedArticle, policy: MergePolicy = MergePolicy()) throws -> IngestOutcome {
    do {
      return try pool.write { db in try Writer(db: db, article: article, policy: policy).run() }
    } catch let error as DatabaseError {
      throw StoreError(path: path, reason: error.message ?? "\(error)")
    }
  }

  /// Stores prepared articles in order, all in one transaction, and returns each article's
  /// outcome in the same order.
  ///
  /// The database ends up exactly as if each article had been ingested in its own transaction,
  /// one after the other. One transaction for many articles writes each page they share
  /// (indexes, tallies, the search index) once instead of once per article. A kill at any moment
  /// leaves the database as it was before the batch or with all of it, and a re-run stores the
  /// rest in the same order, so it gives the rows of an uninterrupted run.
  ///
  /// When an article's writes fail, the whole transaction is rolled back and the batch is
  /// stored again one article per transaction: the failing article reports its own reason and
  /// the others are stored as they would have been. (A savepoint per article would do the same
  /// in one pass, but SQLite journals every page a savepoint changes: about 1.5 MB per article
  /// written to a temporary file, measured, for a failure that should never happen.)
  public func ingest(
    _ articles: [PreparedArticle], policy: MergePolicy = MergePolicy()
  ) -> [Result<IngestOutcome, StoreError>] {
    guard articles.count > 1 else {
      return articles.map { article in Result { try ingest(article, policy: policy) }.mapError(storeError) }
    }
    do {
      let outcomes = try pool.write { db in
        try articles.map { try Writer(db: db, article: $0, policy: policy).run() }
      }
      return outcomes.map { .success($0) }
    } catch {
      return articles.map { article in Result { try ingest(article, policy: policy) }.mapError(storeError) }
    }
  }

  private func storeError(_ error: any Error) -> StoreError {
    if let error = error as? StoreError { return error }
    if let error = error as? DatabaseError { return StoreError(path: path, reason: error.message ?? "\(error)") }
    return StoreError(path: path, reason: "\(error)")
  }
}

/// The inserts and merges of one article, inside its transaction.
private struct Writer {
  let db: Database
  let article: PreparedArticle
  let policy: MergePolicy
  var x: Extraction { article.extraction }

  /// Runs a statement prepared once per connection: an article runs about a hundred of them, and
  /// parsing each anew was a measurable share of ingest.
  private func exec(_ sql: String, _ arguments: StatementArguments) throws {
    try db.cachedStatement(sql: sql).execute(arguments: arguments)
  }

  func run() throws -> IngestOutcome {
    if let id = try Int64.fetchOne(
      db.cachedStatement(sql: "SELECT id FROM article WHERE key = ?"), arguments: [article.key])
    {
      return .duplicate(id: id)
    }
    let nearCopy = try findNearCopy()
    let doc = x.document
    try exec(
      """
      INSERT INTO article (key, docId, path, format, title, published, outlet, url, source, body,
        duplicateParagraphsRemoved, duplicateOf, similarity, signature)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      """,
      [
        article.key, doc.id, doc.path, article.format.rawValue, doc.title, doc.published?.description, doc.outlet,
        doc.url, article.source, article.body, doc.duplicateParagraphsRemoved, nearCopy?.id, nearCopy?.similarity,
        Data(MinHasher.encode(article.signature)),
      ])
    let articleId = db.lastInsertedRowID
    for key in Set(article.bandKeys).sorted() {
      try exec("INSERT INTO article_band (key, articleId) VALUES (?, ?)", [key, articleId])
    }
    try insertActors(articleId)
    for c in x.citations {
      try exec(
        "INSERT INTO citation (articleId, outlet, start, \"end\", text) VALUES (?, ?, ?, ?, ?)",
        [articleId, c.outlet, c.span.start, c.span.end, c.text])
    }
    try insertEvents(articleId)
    let versions = try insertPlans(articleId)
    try insertProvisions(articleId, versions: versions)
    // In the same transaction, so a reader never sees the new rows under the old counter.
    try exec(
      "UPDATE record_state SET changes = changes + 1, modified = ? WHERE id = 1", [Date().timeIntervalSince1970])
    return .new(id: articleId, nearCopyOf: nearCopy?.id)
  }

  /// The most similar earlier article among those sharing an LSH band, if similar enough.
  /// A copy of a copy links to the first of the family, so a family has one root.
  private func findNearCopy() throws -> (id: Int64, similarity: Double)? {
    let keys = Array(Set(article.bandKeys))
    guard !keys.isEmpty else { return nil }
    let marks = Array(repeating: "?", count: keys.count).joined(separator: ",")
    let rows = try Row.fetchAll(
      db.cachedStatement(
        sql: """
          SELECT articleId AS id, duplicateOf, signature FROM article_signature
          WHERE articleId IN (SELECT DISTINCT articleId FROM article_band WHERE key IN (\(marks)))
          ORDER BY articleId
          """),
      arguments: StatementArguments(keys))
    var best: (id: Int64, similarity: Double)?
    for row in rows {
      let data: Data = row["signature"]
      guard let signature = MinHasher.decode([UInt8](data)) else { continue }
      let similarity = MinHasher.similarity(signature, article.signature)
      guard similarity >= MinHasher.nearDuplicateThreshold else { continue }
      if best == nil || similarity > best?.similarity ?? 0 {
        let root: Int64 = row["duplicateOf"] ?? row["id"]
        best = (root, similarity)
      }
    }
    return best
  }

  /// Whether the article's name and kind win over the row's (`ActorDescription.namesBefore`).
  private static let namesBefore =
    "(excluded.known > actor.known OR (excluded.known = actor.known AND (excluded.name, excluded.kind) < (actor.name, actor.kind)))"

  private func insertActors(_ articleId: Int64) throws {
    for actor in x.actors {
      // `ActorDescription.joined` in SQL (BINARY is its byte order): the row is the join of every
      // article's description, whatever order they came in. The update's WHERE leaves the row
      // alone when the join would not change it.
      try exec(
        """
        INSERT INTO actor (id, name, kind, affiliation, role, sector, known) VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT(id) DO UPDATE SET
          name = CASE WHEN \(Self.namesBefore) THEN excluded.name ELSE actor.name END,
          kind = CASE WHEN \(Self.namesBefore) THEN excluded.kind ELSE actor.kind END,
          affiliation = coalesce(min(actor.affiliation, excluded.affiliation), actor.affiliation, excluded.affiliation),
          role = coalesce(min(actor.role, excluded.role), actor.role, excluded.role),
          sector = coalesce(min(actor.sector, excluded.sector), actor.sector, excluded.sector),
          known = max(actor.known, excluded.known)
        WHERE \(Self.namesBefore)
          OR (excluded.affiliation IS NOT NULL AND (actor.affiliation IS NULL OR excluded.affiliation < actor.affiliation))
          OR (excluded.role IS NOT NULL AND (actor.role IS NULL OR excluded.role < actor.role))
          OR (excluded.sector IS NOT NULL AND (actor.sector IS NULL OR excluded.sector < actor.sector))
        """,
        [actor.id, actor.name, actor.kind.rawValue, actor.affiliation, actor.role, actor.sector, actor.known])
      var aliases: [String: Int] = [:]
      for m in actor.mentions {
        aliases[m.text, default: 0] += 1
        try exec(
          "INSERT INTO mention (articleId, actorId, start, \"end\", text) VALUES (?, ?, ?, ?, ?)",
          [articleId, actor.id, m.span.start, m.span.end, m.text])
      }
      for (alias, count) in aliases.sorted(by: { $0.key < $1.key }) {
        try exec(
          """
          INSERT INTO actor_alias (actorId, alias, count) VALUES (?, ?, ?)
          ON CONFLICT(actorId, alias) DO UPDATE SET count = count + excluded.count
          """,
          [actor.id, alias, count])
      }
    }
  }

  // MARK: Events

  /// Puts each reported event in the record by the record's event rules (`EventRules`): the
  /// rules decide, this writer only probes and writes (see its `EventStorage` conformance).
  private func insertEvents(_ articleId: Int64) throws {
    let published = x.document.published
    for e in x.events {
      let facts = ReportFacts(
        cameo: e.cameo.rawValue, source: e.source, target: e.target, date: e.date, published: published,
        location: e.location)
      let eventId = try EventRules.place(facts, policy: policy, in: self)
      for actor in e.participants {
        try exec("INSERT OR IGNORE INTO event_participant (eventId, actorId) VALUES (?, ?)", [eventId, actor])
      }
      try exec(
        """
        INSERT INTO report (eventId, articleId, cameo, sourceId, targetId, date, location, cited, text, trigger, start, "end")
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
        [
          eventId, articleId, e.cameo.rawValue, e.source, e.target, e.date?.description, e.location, e.cited, e.text,
          e.trigger, e.span.start, e.span.end,
        ])
    }
  }

  // MARK: Plans

  /// Puts each plan mention under a plan family and a version by the record's plan rules
  /// (`PlanRules`), and returns the version id of each of `x.plans`.
  private func insertPlans(_ articleId: Int64) throws -> [Int64] {
    let mentions = x.plans.map { PlanMentionFacts(name: $0.name, points: $0.points) }
    let versions = try PlanRules.place(
      mentions, cues: article.planCues, mainParties: article.mainParties, in: self)
    for (i, plan) in x.plans.enumerated() {
      try exec(
        "INSERT INTO plan_mention (articleId, versionId, name, cue, text, start, \"end\") VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
          articleId, versions[i], plan.name, article.planCues[i].rawValue, article.planContexts[i], plan.span.start,
          plan.span.end,
        ])
    }
    return versions
  }

  // MARK: Provisions and positions

  private func insertProvisions(_ articleId: Int64, versions: [Int64]) throws {
    let placed = PlanRules.provisionVersions(of: x, versions: versions, cues: article.planCues)
    var provisionIds: [Int64] = []
    for (p, version) in zip(x.provisions, placed) {
      try exec(
        """
        INSERT INTO provision (articleId, versionId, category, text, demandedBy, appliesTo, start, "end")
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        """,
        [
          articleId, version, p.category.rawValue, p.text, p.demandedBy, p.appliesTo, p.span.start, p.span.end,
        ])
      provisionIds.append(db.lastInsertedRowID)
    }
    for pos in article.positions where pos.provision < provisionIds.count {
      let p = x.provisions[pos.provision]
      try exec(
        """
        INSERT INTO position (party, actorId, category, stance, provisionId, articleId, evidence, start, "end",
          versionId)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
        [
          pos.party, pos.actorId, p.category.rawValue, pos.stance.rawValue, provisionIds[pos.provision], articleId,
          pos.evidence, pos.span.start, pos.span.end, placed[pos.provision],
        ])
      try exec(
        """
        INSERT INTO position_tally (party, actorId, category, stance, count) VALUES (?, ?, ?, ?, 1)
        ON CONFLICT(party, actorId, category, stance) DO UPDATE SET count = count + 1
        """,
        [pos.party, pos.actorId ?? "", p.category.rawValue, pos.stance.rawValue])
    }
  }
}

// MARK: Storage for the record's rules

extension Writer: RecordStorage {}

/// The probes and writes the event rules ask for, on SQLite. Spans are stored as `firstDay` and
/// `lastDay` (day numbers), probed on the `event_span` index in the order spans end.
extension Writer: EventStorage {
  func events(
    source: String?, target: String?, root: String, cameo: String?, dated: Bool, endingFrom day: Int?,
    _ body: (StoredEvent) throws -> Bool
  ) throws {
    var sql = """
      SELECT id, cameo, root, sourceId, targetId, date, location, sortKey, reportCount, firstDay, lastDay FROM event
      WHERE sourceId IS ? AND targetId IS ? AND root = ?
      """
    var args: StatementArguments = [source, target, root]
    if let cameo {
      // `+cameo`: not a term for an index, so that SQLite walks the pair's span range.
      sql += " AND +cameo = ?"
      args += [cameo]
    }
    // Events of reports with a day date and periods of reports without one may overlap: only the
    // one kind is read, from its own part of the index (else a probe could walk the other's).
    sql += " AND dated = ?"
    args += [dated]
    if let day {
      sql += " AND lastDay >= ? ORDER BY lastDay, id"
      args += [day]
    } else {
      sql += " AND lastDay IS NULL ORDER BY id"
    }
    // A cursor: the rules stop reading at the first event past the report's days.
    let rows = try Row.fetchCursor(db.cachedStatement(sql: sql), arguments: args)
    while let row = try rows.next() {
      let first: Int? = row["firstDay"]
      let last: Int? = row["lastDay"]
      let summary = MergedEvent(
        cameo: row["cameo"], root: row["root"], source: row["sourceId"], target: row["targetId"],
        date: (row["date"] as String?).flatMap(PartialDate.init(iso:)), location: row["location"],
        sortKey: row["sortKey"], reportCount: row["reportCount"],
        span: first.flatMap { f in last.map { DaySpan(first: f, last: $0) } })
      guard try body(StoredEvent(id: row["id"], summary: summary)) else { return }
    }
  }

  func insertEvent(_ s: MergedEvent) throws -> Int64 {
    try exec(
      """
      INSERT INTO event (cameo, root, sourceId, targetId, date, location, sortKey, reportCount, firstDay, lastDay,
        dated)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      """,
      [
        s.cameo, s.root, s.source, s.target, s.date?.description, s.location, s.sortKey, s.reportCount,
        s.span?.first, s.span?.last, s.date?.dayNumber != nil,
      ])
    return db.lastInsertedRowID
  }

  func updateEvent(_ id: Int64, to s: MergedEvent) throws {
    try exec(
      """
      UPDATE event SET cameo = ?, date = ?, location = ?, sortKey = ?, reportCount = ?, firstDay = ?, lastDay = ?
      WHERE id = ?
      """,
      [s.cameo, s.date?.description, s.location, s.sortKey, s.reportCount, s.span?.first, s.span?.last, id])
    // Only when they change: the actor tallies' trigger runs on any update of these columns.
    try exec(
      """
      UPDATE event SET sourceId = ?, targetId = ? WHERE id = ? AND (sourceId IS NOT ? OR targetId IS NOT ?)
      """,
      [s.source, s.target, id, s.source, s.target])
  }

  func mergeEvent(_ absorbed: Int64, into survivor: Int64) throws {
    try exec("UPDATE report SET eventId = ? WHERE eventId = ?", [survivor, absorbed])
    try exec(
      """
      INSERT OR IGNORE INTO event_participant (eventId, actorId)
        SELECT ?, actorId FROM event_participant WHERE eventId = ?
      """, [survivor, absorbed])
    try exec("DELETE FROM event_participant WHERE eventId = ?", [absorbed])
    try exec("DELETE FROM event WHERE id = ?", [absorbed])
  }
}

/// The probes and writes the plan rules ask for, on SQLite: `plan_link` finds families by link
/// key, `plan_family_name` counts the family names their mentions use.
extension Writer: PlanStorage {
  func planLinks(key: String) throws -> [PlanLink] {
    try Row.fetchAll(db.cachedStatement(sql: "SELECT planId, parties FROM plan_link WHERE key = ?"), arguments: [key])
      .map { PlanLink(planId: $0["planId"], parties: $0["parties"]) }
  }

  func insertPlan(parties: String) throws -> Int64 {
    try exec("INSERT INTO plan (name, parties) VALUES ('plan', ?)", [parties])
    return db.lastInsertedRowID
  }

  func mergePlan(_ absorbed: Int64, into survivor: Int64) throws {
    let versions = try Row.fetchAll(
      db.cachedStatement(sql: "SELECT id, points, name FROM plan_version WHERE planId = ? ORDER BY id"),
      arguments: [absorbed])
    for v in versions {
      let id: Int64 = v["id"]
      let points: Int? = v["points"]
      let name: String = v["name"]
      guard
        let same = try Int64.fetchOne(
          db.cachedStatement(sql: "SELECT id FROM plan_version WHERE planId = ? AND points IS ? AND name = ?"),
          arguments: [survivor, points, name])
      else {
        try exec("UPDATE plan_version SET planId = ? WHERE id = ?", [survivor, id])
        continue
      }
      // Both families know this version: one version, with the mentions, provisions and tallies of both.
      try exec("UPDATE plan_mention SET versionId = ? WHERE versionId = ?", [same, id])
      try exec("UPDATE provision SET versionId = ? WHERE versionId = ?", [same, id])
      try exec("UPDATE position SET versionId = ? WHERE versionId = ?", [same, id])
      try exec(
        """
        INSERT INTO plan_position_tally (versionId, party, actorId, category, stance, count)
          SELECT ?, party, actorId, category, stance, count FROM plan_position_tally WHERE versionId = ?
          ON CONFLICT (versionId, party, actorId, category, stance) DO UPDATE SET count = count + excluded.count
        """, [same, id])
      try exec("DELETE FROM plan_position_tally WHERE versionId = ?", [id])
      try exec(
        """
        UPDATE plan_version_tally SET
          mentions = mentions + (SELECT mentions FROM plan_version_tally WHERE versionId = ?1),
          cue = cue + (SELECT cue FROM plan_version_tally WHERE versionId = ?1),
          first = min(first, (SELECT first FROM plan_version_tally WHERE versionId = ?1)),
          provisions = provisions + (SELECT provisions FROM plan_version_tally WHERE versionId = ?1),
          articles = (SELECT count(DISTINCT articleId) FROM plan_mention WHERE versionId = ?2)
        WHERE versionId = ?2
        """, [id, same])
      try exec(
        """
        INSERT INTO plan_version_name (versionId, name, count)
          SELECT ?, name, count FROM plan_version_name WHERE versionId = ?
          ON CONFLICT (versionId, name) DO UPDATE SET count = count + excluded.count
        """, [same, id])
      try exec("DELETE FROM plan_version_name WHERE versionId = ?", [id])
      try exec("DELETE FROM plan_version_tally WHERE versionId = ?", [id])
      try exec("DELETE FROM plan_version WHERE id = ?", [id])
    }
    try exec(
      "INSERT OR IGNORE INTO plan_link (key, parties, planId) SELECT key, parties, ? FROM plan_link WHERE planId = ?",
      [survivor, absorbed])
    try exec("DELETE FROM plan_link WHERE planId = ?", [absorbed])
    try exec(
      """
      INSERT INTO plan_family_name (planId, name, mentions) SELECT ?, name, mentions FROM plan_family_name WHERE planId = ?
        ON CONFLICT (planId, name) DO UPDATE SET mentions = mentions + excluded.mentions
      """, [survivor, absorbed])
    try exec("DELETE FROM plan_family_name WHERE planId = ?", [absorbed])
    try exec(
      "UPDATE plan SET parties = min(parties, (SELECT parties FROM plan WHERE id = ?)) WHERE id = ?",
      [absorbed, survivor])
    try exec("DELETE FROM plan WHERE id = ?", [absorbed])
    try rename(survivor)
  }

  func addMembers(planId: Int64, parties: String, keys: [String], familyNames: [String]) throws {
    for key in keys {
      try exec("INSERT OR IGNORE INTO plan_link (key, parties, planId) VALUES (?, ?, ?)", [key, parties, planId])
    }
    var counts: [String: Int] = [:]
    for name in familyNames { counts[name, default: 0] += 1 }
    for (name, count) in counts.sorted(by: { $0.key < $1.key }) {
      try exec(
        """
        INSERT INTO plan_family_name (planId, name, mentions) VALUES (?, ?, ?)
          ON CONFLICT (planId, name) DO UPDATE SET mentions = mentions + excluded.mentions
        """, [planId, name, count])
    }
    try exec("UPDATE plan SET parties = min(parties, ?) WHERE id = ?", [parties, planId])
    try rename(planId)
  }

  /// A family is named by the family name most of its mentions use (on a tie the smallest).
  private func rename(_ planId: Int64) throws {
    try exec(
      """
      UPDATE plan SET name = coalesce(
        (SELECT name FROM plan_family_name WHERE planId = ?1 ORDER BY mentions DESC, name LIMIT 1), name)
      WHERE id = ?1
      """, [planId])
  }

  func version(planId: Int64, points: Int?, name: String) throws -> Int64 {
    // Looked up before inserting: the UNIQUE constraint holds NULL points distinct, so an insert
    // that relied on it would add a version without points each time.
    let find = try db.cachedStatement(sql: "SELECT id FROM plan_version WHERE planId = ? AND points IS ? AND name = ?")
    if let id = try Int64.fetchOne(find, arguments: [planId, points, name]) { return id }
    try exec("INSERT INTO plan_version (planId, points, name) VALUES (?, ?, ?)", [planId, points, name])
    return db.lastInsertedRowID
  }
}
