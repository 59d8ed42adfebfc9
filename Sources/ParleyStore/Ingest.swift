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

/// Rules that decide when reports from different articles are the same event.
public struct MergePolicy: Sendable {
  /// Two dated reports are one event when their dates are at most this many days apart.
  public var eventWindowDays = 3
  /// An undated report is matched against events up to this many days before its article's date.
  public var reportingLagDays = 14
  /// CAMEO roots whose events have no direction (a meeting of A with B is one of B with A).
  public var symmetricRoots: Set<String> = ["04"]
  public init() {}
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

  private func insertActors(_ articleId: Int64) throws {
    for actor in x.actors {
      // The knowledge base's name wins over a spelling found in one article.
      try exec(
        """
        INSERT INTO actor (id, name, kind, affiliation, role, known) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT(id) DO UPDATE SET
          affiliation = coalesce(actor.affiliation, excluded.affiliation),
          role = coalesce(actor.role, excluded.role),
          name = CASE WHEN excluded.known AND NOT actor.known THEN excluded.name ELSE actor.name END,
          known = max(actor.known, excluded.known)
        """,
        [actor.id, actor.name, actor.kind.rawValue, actor.affiliation, actor.role, actor.known])
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

  private func insertEvents(_ articleId: Int64) throws {
    let published = x.document.published
    for e in x.events {
      let eventId = try matchingEvent(e, published: published) ?? newEvent(e, published: published)
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

  private func newEvent(_ e: Event, published: PartialDate?) throws -> Int64 {
    try exec(
      """
      INSERT INTO event (cameo, root, sourceId, targetId, date, location, sortKey, reportCount)
      VALUES (?, ?, ?, ?, ?, ?, ?, 1)
      """,
      [
        e.cameo.rawValue, e.cameo.root, e.source, e.target, e.date?.description, e.location,
        (e.date ?? published)?.description ?? "~",
      ])
    return db.lastInsertedRowID
  }

  /// An event already in the record with the same participants and type in a compatible time
  /// window; when found, the event takes what the new report knows better (an exact date, a place).
  private func matchingEvent(_ e: Event, published: PartialDate?) throws -> Int64? {
    // With one side unknown, only an identical code is evidence enough of the same event.
    let oneSided = e.source == nil || e.target == nil
    var pairs: [(String?, String?)] = [(e.source, e.target)]
    if policy.symmetricRoots.contains(e.cameo.root), !oneSided, e.source != e.target {
      pairs.append((e.target, e.source))
    }
    // Only events near the report's time can match. Each probe is one range on the (source,
    // target, root, sortKey) index, so a pair that met a thousand times is still a short read.
    var windows: [(String, StatementArguments)] = [("", [])]
    if let reference = (e.date ?? published)?.dayNumber {
      let margin = max(policy.reportingLagDays, policy.eventWindowDays) + 31
      let low = PartialDate(dayNumber: reference - margin)
      let high = PartialDate(dayNumber: reference + margin)
      windows = [
        (" AND sortKey BETWEEN ? AND ?", [low.description, high.description]),
        (" AND sortKey IN ('~', ?)", [String(low.year)]),
      ]
    }
    var rows: [Row] = []
    for (source, target) in pairs {
      for (condition, windowArgs) in windows {
        var sql =
          "SELECT id, cameo, date, location, sortKey FROM event WHERE sourceId IS ? AND targetId IS ? AND root = ?"
        var args: StatementArguments = [source, target, e.cameo.root]
        if oneSided {
          // `+cameo`: not a term for an index. Offered `event_cameo`, SQLite preferred it to the
          // pair's range for the `sortKey IN` window, reading every event of that code.
          sql += " AND +cameo = ?"
          args += [e.cameo.rawValue]
        }
        rows += try Row.fetchAll(db.cachedStatement(sql: sql + condition), arguments: args + windowArgs)
      }
    }
    rows.sort { ($0["id"] as Int64) < ($1["id"] as Int64) }
    var best: (row: Row, score: Int)?
    for row in rows {
      let date = (row["date"] as String?).flatMap(PartialDate.init(iso:))
      let sortDate = (row["sortKey"] as String?).flatMap(PartialDate.init(iso:))
      guard let score = compatibility(report: e.date, published: published, eventDate: date, eventSortDate: sortDate)
      else { continue }
      var total = score
      if let loc = e.location, loc == (row["location"] as String?) { total += 2 }
      if e.cameo.rawValue == row["cameo"] { total += 1 }
      if best == nil || total > best?.score ?? 0 { best = (row, total) }
    }
    guard let row = best?.row else { return nil }
    // The event keeps the most precise date and code any report gives, and sorts by its date,
    // else by the earliest date it was reported.
    var date = (row["date"] as String?).flatMap(PartialDate.init(iso:))
    if let d = e.date, date == nil || d.precision > date?.precision ?? 0 { date = d }
    var sortDate = (row["sortKey"] as String?).flatMap(PartialDate.init(iso:))
    if let reported = e.date ?? published, sortDate == nil || reported < sortDate ?? reported { sortDate = reported }
    if let date { sortDate = date }
    let stored: String = row["cameo"]
    let cameo = e.cameo.rawValue.count > stored.count ? e.cameo.rawValue : stored
    let id: Int64 = row["id"]
    try exec(
      """
      UPDATE event SET reportCount = reportCount + 1, date = ?, location = coalesce(location, ?), cameo = ?,
        sortKey = ?
      WHERE id = ?
      """,
      [date?.description, e.location, cameo, sortDate?.description ?? "~", id])
    return id
  }

  /// How well a report's time fits an event's, or nil when they cannot be the same event.
  private func compatibility(
    report: PartialDate?, published: PartialDate?, eventDate: PartialDate?, eventSortDate: PartialDate?
  )
    -> Int?
  {
    if let report, let eventDate {
      if let a = report.dayNumber, let b = eventDate.dayNumber {
        let gap = abs(a - b)
        return gap <= policy.eventWindowDays ? 4 - min(gap, 3) : nil
      }
      // Month or year precision: compatible when one contains the other.
      return report.contains(eventDate) || eventDate.contains(report) ? 1 : nil
    }
    // At least one side undated: compare what is known of when it was reported.
    let mine = report ?? published
    let theirs = eventDate ?? eventSortDate
    guard let mine, let theirs else { return 0 }
    if let a = mine.dayNumber, let b = theirs.dayNumber {
      let lag = a - b
      let window = report == nil ? policy.reportingLagDays : policy.eventWindowDays
      return lag >= -policy.reportingLagDays && lag <= window ? 0 : nil
    }
    return mine.contains(theirs) || theirs.contains(mine) ? 0 : nil
  }

  // MARK: Plans

  /// Puts each plan mention under a plan family and a version, and returns the version id of
  /// each of `x.plans`. A version is known by its point count; a family by its name, or by
  /// sharing a version, or by being named in the same article as another of its versions.
  private func insertPlans(_ articleId: Int64) throws -> [Int64] {
    var familyOfArticle: Int64?
    var familyNames: [Int64: String] = [:]
    var resolved: [Int64?] = Array(repeating: nil, count: x.plans.count)
    let parties = article.mainParties.joined(separator: ",")
    // Versions the record already knows first, then other numbered ones: they are the strongest
    // evidence of which family the article's plans belong to.
    var known: Set<Int> = []
    for (i, plan) in x.plans.enumerated() {
      if let points = plan.points,
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM plan_version WHERE points = ?"), arguments: [points])
          == true
      {
        known.insert(i)
      }
    }
    func rank(_ i: Int) -> Int { known.contains(i) ? 0 : x.plans[i].points != nil ? 1 : 2 }
    let order = x.plans.indices.sorted { (rank($0), $0) < (rank($1), $1) }
    for i in order {
      let plan = x.plans[i]
      let family = PlanIdentity.familyName(plan.name)
      var planId: Int64?
      // Every plan with this point count (or this name) is a candidate; the first of the same
      // negotiation wins, so a 20-point Gaza plan never absorbs a 20-point Ukraine plan.
      let candidates =
        if let points = plan.points {
          try Int64.fetchAll(
            db.cachedStatement(sql: "SELECT DISTINCT planId FROM plan_version WHERE points = ? ORDER BY planId"),
            arguments: [points])
        } else {
          try Int64.fetchAll(
            db.cachedStatement(sql: "SELECT id FROM plan WHERE name = ? ORDER BY id"), arguments: [family])
        }
      planId = try candidates.first(where: samePartiesPlan)
      // Two drafts named in one article are versions of one plan when the article says one
      // revises the other ("trimmed to 20 points from the original 28"), or they share a name.
      let revision = article.planCues.contains { $0 != .unmarked }
      if planId == nil, let familyOfArticle, revision || familyNames[familyOfArticle] == family {
        planId = familyOfArticle
      }
      if planId == nil {
        try exec("INSERT INTO plan (name, parties) VALUES (?, ?)", [family, parties])
        planId = db.lastInsertedRowID
      }
      guard let planId else { continue }
      if familyOfArticle == nil { familyOfArticle = planId }
      if familyNames[planId] == nil {
        familyNames[planId] = try String.fetchOne(
          db.cachedStatement(sql: "SELECT name FROM plan WHERE id = ?"), arguments: [planId])
      }
      let versionName = plan.points.map { "\($0)-point \(family)" } ?? plan.name
      try exec(
        "INSERT OR IGNORE INTO plan_version (planId, points, name) VALUES (?, ?, ?)",
        [planId, plan.points, plan.points == nil ? versionName : ""])
      let versionId = try Int64.fetchOne(
        db.cachedStatement(sql: "SELECT id FROM plan_version WHERE planId = ? AND points IS ? AND name = ?"),
        arguments: [planId, plan.points, plan.points == nil ? versionName : ""])
      guard let versionId else { continue }
      resolved[i] = versionId
      try exec(
        "INSERT INTO plan_mention (articleId, versionId, name, cue, text, start, \"end\") VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
          articleId, versionId, plan.name, article.planCues[i].rawValue, article.planContexts[i], plan.span.start,
          plan.span.end,
        ])
    }
    return resolved.map { $0 ?? -1 }
  }

  /// Whether plan `id` belongs to the same negotiation as this article: they share at least two of
  /// their main countries (or either side names too few to tell).
  private func samePartiesPlan(_ id: Int64) throws -> Bool {
    guard
      let stored = try String.fetchOne(
        db.cachedStatement(sql: "SELECT parties FROM plan WHERE id = ?"), arguments: [id])
    else {
      return false
    }
    let theirs = Set(stored.split(separator: ",").map(String.init))
    let mine = Set(article.mainParties)
    if theirs.count < 2 || mine.count < 2 { return true }
    return theirs.intersection(mine).count >= 2
  }

  // MARK: Provisions and positions

  private func insertProvisions(_ articleId: Int64, versions: [Int64]) throws {
    let known = versions.enumerated().filter { $0.element >= 0 }
    let single = Set(known.map(\.element)).count == 1 ? known.first?.element : nil
    var provisionIds: [Int64] = []
    for p in x.provisions {
      // A provision tied to a point count goes to that version; otherwise to the article's only
      // plan. When it names several, the one marked as the newer ("revised", "new") is what the
      // article is about (the older is named for contrast); on a tie, the one named last before it.
      var version = single
      if version == nil, !known.isEmpty {
        func key(_ e: (offset: Int, element: Int64)) -> (Int, Int, Int) {
          let start = x.plans[e.offset].span.start
          return (
            article.planCues[e.offset].rawValue, start <= p.span.start ? 1 : 0, start <= p.span.start ? start : -start
          )
        }
        version = known.max { key($0) < key($1) }?.element
      }
      if let points = p.planPoints,
        let match = known.first(where: { x.plans[$0.offset].points == points })
      {
        version = match.element
      }
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
        INSERT INTO position (party, actorId, category, stance, provisionId, articleId, evidence, start, "end")
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
        [
          pos.party, pos.actorId, p.category.rawValue, pos.stance.rawValue, provisionIds[pos.provision], articleId,
          pos.evidence, pos.span.start, pos.span.end,
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

extension PartialDate {
  /// 1 for a year, 2 for a month, 3 for a day.
  var precision: Int { day != nil ? 3 : month != nil ? 2 : 1 }

  /// Whether this (coarser or equal) date contains `other`: 2025-11 contains 2025-11-02.
  func contains(_ other: PartialDate) -> Bool {
    guard year == other.year else { return false }
    guard let month else { return true }
    guard month == other.month else { return false }
    guard let day else { return true }
    return day == other.day
  }
}
