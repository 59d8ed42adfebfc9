import Foundation
import GRDB
import ParleyKnowledge
import ParleyModel
import ParleyRecord

/// Read access to the record. Every query runs in one read transaction (a consistent snapshot,
/// even while an ingest writes) and answers from indexes.
extension RecordStore {
  func read<T>(_ body: (Database) throws -> T) throws -> T {
    do {
      return try pool.read { db in try body(db) }
    } catch let error as DatabaseError {
      throw StoreError(path: path, reason: error.message ?? "\(error)")
    }
  }

  // MARK: Overview

  public func overview() throws -> Overview {
    try read { db in try Self.overview(SQLiteRowReader(db: db)) }
  }

  // MARK: Articles

  static let articleColumns = """
    a.id, a.docId, a.path, a.title, a.published, a.outlet, a.url, a.duplicateOf, a.similarity,
    (SELECT count(DISTINCT actorId) FROM mention m WHERE m.articleId = a.id) AS actorCount,
    (SELECT count(*) FROM report r WHERE r.articleId = a.id) AS eventCount
    """

  static func articleSummary(_ row: Row) -> ArticleSummary {
    ArticleSummary(
      id: row["id"], docId: row["docId"], path: row["path"], title: row["title"], published: row["published"],
      outlet: row["outlet"], url: row["url"], nearCopyOf: row["duplicateOf"], similarity: row["similarity"],
      actors: row["actorCount"], events: row["eventCount"])
  }

  /// Articles, newest first (undated last), a page at a time.
  public func articles(limit: Int = 50, offset: Int = 0) throws -> Page<ArticleSummary> {
    try read { db in
      let rows = try Row.fetchAll(
        db,
        sql: """
          SELECT \(Self.articleColumns) FROM article a
          ORDER BY a.published IS NULL, a.published DESC, a.id LIMIT ? OFFSET ?
          """,
        arguments: [limit, offset])
      return Page(
        items: rows.map(Self.articleSummary), total: try Int.fetchOne(db, sql: "SELECT count(*) FROM article") ?? 0,
        limit: limit, offset: offset)
    }
  }

  /// One article with its source and everything to highlight in it; nil when there is no such id.
  public func article(id: Int64) throws -> ArticleDetail? {
    try read { db in
      guard
        let row = try Row.fetchOne(
          db,
          sql:
            "SELECT \(Self.articleColumns), a.source, a.format, a.duplicateParagraphsRemoved FROM article a WHERE a.id = ?",
          arguments: [id])
      else { return nil }
      var highlights: [Highlight] = []
      for m in try Row.fetchAll(
        db,
        sql: """
          SELECT m.start, m."end", m.text, m.actorId, actor.name FROM mention m JOIN actor ON actor.id = m.actorId
          WHERE m.articleId = ?
          """, arguments: [id])
      {
        highlights.append(
          Highlight(
            kind: "actor", start: m["start"], end: m["end"], text: m["text"], ref: m["actorId"], label: m["name"]))
      }
      for c in try Row.fetchAll(
        db, sql: "SELECT start, \"end\", text, outlet FROM citation WHERE articleId = ?", arguments: [id])
      {
        highlights.append(
          Highlight(
            kind: "citation", start: c["start"], end: c["end"], text: c["text"], ref: c["outlet"], label: c["outlet"]))
      }
      for r in try Row.fetchAll(
        db, sql: "SELECT start, \"end\", text, eventId, cameo, trigger FROM report WHERE articleId = ?", arguments: [id]
      ) {
        let code: String = r["cameo"]
        highlights.append(
          Highlight(
            kind: "event", start: r["start"], end: r["end"], text: r["text"], ref: String(r["eventId"] as Int64),
            label: "\(code) \(label(code))"))
      }
      for p in try Row.fetchAll(
        db,
        sql: """
          SELECT pm.start, pm."end", pm.name, v.planId FROM plan_mention pm JOIN plan_version v ON v.id = pm.versionId
          WHERE pm.articleId = ?
          """, arguments: [id])
      {
        highlights.append(
          Highlight(
            kind: "plan", start: p["start"], end: p["end"], text: p["name"], ref: String(p["planId"] as Int64),
            label: p["name"]))
      }
      for p in try Row.fetchAll(
        db, sql: "SELECT start, \"end\", text, category FROM provision WHERE articleId = ?", arguments: [id])
      {
        highlights.append(
          Highlight(
            kind: "provision", start: p["start"], end: p["end"], text: p["text"], ref: p["category"],
            label: p["category"]))
      }
      highlights.sort { ($0.start, $0.end, $0.kind) < ($1.start, $1.end, $1.kind) }
      let summary = Self.articleSummary(row)
      let root = summary.nearCopyOf ?? summary.id
      let copies = try Row.fetchAll(
        db,
        sql: """
          SELECT \(Self.articleColumns) FROM article a
          WHERE (a.id = ? OR a.duplicateOf = ?) AND a.id <> ? ORDER BY a.id
          """,
        arguments: [root, root, id]
      ).map(Self.articleSummary)
      return ArticleDetail(
        article: summary, format: row["format"], source: row["source"], highlights: highlights, nearCopies: copies,
        duplicateParagraphsRemoved: row["duplicateParagraphsRemoved"])
    }
  }

  // MARK: Actors

  static func actorRef(_ db: Database, _ id: String?) throws -> ActorRef? {
    guard let id else { return nil }
    guard
      let row = try Row.fetchOne(db, sql: "SELECT id, name, kind, affiliation FROM actor WHERE id = ?", arguments: [id])
    else { return ActorRef(id: id, name: id, kind: "unknown", affiliation: nil) }
    return ActorRef(id: row["id"], name: row["name"], kind: row["kind"], affiliation: row["affiliation"])
  }

  // The counts come from `actor_tally`, kept by triggers as mentions and events are written:
  // counting them here from every mention made ranking the actors cost 50 ms on 10,000 articles.
  static let actorColumns = """
    actor.id, actor.name, actor.kind, actor.affiliation, actor.role, actor.known,
    coalesce((SELECT t.articles FROM actor_tally t WHERE t.actorId = actor.id), 0) AS articleCount,
    coalesce((SELECT t.mentions FROM actor_tally t WHERE t.actorId = actor.id), 0) AS mentionCount,
    coalesce((SELECT t.events FROM actor_tally t WHERE t.actorId = actor.id), 0) AS eventCount
    """

  static func actorSummary(_ row: Row) -> ActorSummary {
    ActorSummary(
      id: row["id"], name: row["name"], kind: row["kind"], affiliation: row["affiliation"], role: row["role"],
      known: row["known"], articles: row["articleCount"], mentions: row["mentionCount"], events: row["eventCount"])
  }

  /// Actors, most mentioned first; `kind` and `query` (a substring of a name or spelling) filter.
  public func actors(kind: String? = nil, query: String? = nil, limit: Int = 50, offset: Int = 0) throws -> Page<
    ActorSummary
  > {
    try read { db in
      var conditions: [String] = []
      var args: StatementArguments = []
      if let kind {
        conditions.append("actor.kind = ?")
        args += [kind]
      }
      if let query, !query.isEmpty {
        conditions.append(
          "(actor.name LIKE ? OR actor.id IN (SELECT actorId FROM actor_alias WHERE alias LIKE ?))")
        args += ["%\(query)%", "%\(query)%"]
      }
      let whereSQL = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
      let total = try Int.fetchOne(db, sql: "SELECT count(*) FROM actor \(whereSQL)", arguments: args) ?? 0
      let rows = try Row.fetchAll(
        db,
        sql: """
          SELECT \(Self.actorColumns) FROM actor \(whereSQL)
          ORDER BY mentionCount DESC, actor.id LIMIT ? OFFSET ?
          """,
        arguments: args + [limit, offset])
      return Page(items: rows.map(Self.actorSummary), total: total, limit: limit, offset: offset)
    }
  }

  /// Actor ids a user's words stand for: an id, a name or spelling, or a party code (all its actors).
  public func resolveActor(_ text: String) throws -> [String] {
    try read { db in try Self.resolveActor(db, text) }
  }

  static func resolveActor(_ db: Database, _ text: String) throws -> [String] {
    try resolveActor(SQLiteRowReader(db: db), text)
  }

  /// One actor with its events, counterparts and positions; nil when unknown.
  public func actor(id: String, eventLimit: Int = 100) throws -> ActorDetail? {
    let detail: (ActorSummary, [String], [Interaction], [PositionEvidence])? = try read { db in
      guard
        let row = try Row.fetchOne(
          db, sql: "SELECT \(Self.actorColumns) FROM actor WHERE actor.id = ?", arguments: [id])
      else { return nil }
      let aliases = try String.fetchAll(
        db, sql: "SELECT alias FROM actor_alias WHERE actorId = ? ORDER BY count DESC, alias", arguments: [id])
      var interactions: [Interaction] = []
      for r in try Row.fetchAll(
        db,
        sql: """
          SELECT targetId AS other, root, count(*) AS n, 1 AS outgoing FROM event WHERE sourceId = ? AND targetId IS NOT NULL
          GROUP BY targetId, root
          UNION ALL
          SELECT sourceId AS other, root, count(*) AS n, 0 AS outgoing FROM event WHERE targetId = ? AND sourceId IS NOT NULL
          GROUP BY sourceId, root
          ORDER BY n DESC, other, root
          """,
        arguments: [id, id])
      {
        guard let other = try Self.actorRef(db, r["other"]) else { continue }
        let root: String = r["root"]
        interactions.append(
          Interaction(counterpart: other, root: root, label: label(root), count: r["n"], outgoing: r["outgoing"]))
      }
      let positions = try Self.positionEvidence(db, sql: "WHERE p.actorId = ?", arguments: [id])
      return (Self.actorSummary(row), aliases, interactions, positions)
    }
    guard let detail else { return nil }
    let events = try self.events(EventFilter(actor: id, limit: eventLimit)).items
    return ActorDetail(
      actor: detail.0, aliases: detail.1, events: events, interactions: detail.2, positions: detail.3)
  }

  // MARK: Events

  /// Events matching `filter`, in timeline order (dated first, oldest first), a page at a time.
  /// With `withReports`, each event carries its reports (the timeline view).
  public func events(_ filter: EventFilter, withReports: Bool = false) throws -> Page<EventSummary> {
    try read { db in try Self.events(SQLiteRowReader(db: db), filter, withReports: withReports) }
  }

  /// One event with all its reports; nil when there is no such id.
  public func event(id: Int64) throws -> EventSummary? {
    try read { db in try Self.eventSummaries(db, ids: [id], withReports: true).first }
  }

  /// Reports listed per event in timeline views; the counts always cover every report.
  public static let reportsShownPerEvent = 20
  /// Article ids listed per event; a much-reported event lists its first ones.
  public static let articleIdsPerEvent = 100

  /// Events with their sources, in the order of `ids`. Everything is read in a fixed number of
  /// statements per page, whatever the number of events or of reports per event.
  static func eventSummaries(_ db: Database, ids: [Int64], withReports: Bool) throws -> [EventSummary] {
    try eventSummaries(SQLiteRowReader(db: db), ids: ids, withReports: withReports)
  }

  /// Actor references for many ids in one statement (unknown ids are kept, named by their id).
  static func actorRefs(_ db: Database, _ ids: [String]) throws -> [String: ActorRef] {
    try actorRefs(SQLiteRowReader(db: db), ids)
  }

  // MARK: Plans

  /// Every plan with its versions in order (earliest first) and their provisions.
  public func plans(negotiation: NegotiationFile? = nil) throws -> [PlanSummary] {
    try read { db in try Self.plans(SQLiteRowReader(db: db), negotiation: negotiation) }
  }

  /// The analyst's plan texts as versions: added to the reported plan of the same name or point
  /// count, or as a plan of their own.
  static func merge(stated: NegotiationFile, into plans: [PlanSummary]) -> [PlanSummary] {
    var plans = plans
    var nextId: Int64 = -1
    for plan in stated.plans {
      let family = PlanIdentity.familyName(plan.name)
      let statedPoints = Set(plan.versions.compactMap(\.points))
      let index =
        plans.firstIndex { $0.name == family }
        ?? plans.firstIndex { p in p.versions.contains { v in v.points.map(statedPoints.contains) ?? false } }
      var target = index.map { plans[$0] } ?? PlanSummary(id: nextId, name: family, versions: [])
      for v in plan.versions {
        let provisions = v.provisions.enumerated().map { i, p in
          ProvisionSummary(
            id: -Int64(i + 1), category: p.category.rawValue, text: p.text, demandedBy: nil, appliesTo: nil,
            articleId: 0)
        }
        if let points = v.points, let i = target.versions.firstIndex(where: { $0.points == points }) {
          target.versions[i].provisions += provisions
          target.versions[i].provisionCount += provisions.count
          if target.versions[i].firstReported == nil { target.versions[i].firstReported = v.date }
        } else {
          nextId -= 1
          target.versions.append(
            PlanVersionSummary(
              id: nextId, rank: 0, label: v.label, points: v.points, firstReported: v.date, mentions: 0, articles: [],
              articleCount: 0, provisions: provisions, provisionCount: provisions.count, stated: true))
        }
      }
      for i in target.versions.indices { target.versions[i].rank = i + 1 }
      if let index { plans[index] = target } else { plans.append(target) }
      nextId -= 1
    }
    return plans
  }

  /// Provisions listed per plan version: the earliest reports of its terms. A version reported
  /// ten thousand times lists its first ones; `diff` compares those.
  public static let provisionsPerVersion = 500

  static func provisions(_ db: Database, versionId: Int64, limit: Int = provisionsPerVersion) throws
    -> [ProvisionSummary]
  {
    try provisions(SQLiteRowReader(db: db), versionId: versionId, limit: limit)
  }

  /// What version `to` of a plan adds, drops and keeps relative to version `from` (ranks,
  /// 1-based; defaults: the last two versions). Nil when the plan or a version does not exist.
  public func diff(planId: Int64, from: Int? = nil, to: Int? = nil, negotiation: NegotiationFile? = nil) throws
    -> PlanDiff?
  {
    guard let stored = try plan(id: planId) else { return nil }
    let plan = negotiation.map { Self.merge(stated: $0, into: [stored]).first { $0.id == planId } ?? stored } ?? stored
    guard plan.versions.count >= 2 else { return nil }
    let toRank = to ?? plan.versions.count
    let fromRank = from ?? toRank - 1
    guard let a = plan.versions.first(where: { $0.rank == fromRank }),
      let b = plan.versions.first(where: { $0.rank == toRank })
    else { return nil }
    return PlanComparison.diff(plan: plan.name, from: a, to: b)
  }

  // MARK: Positions

  /// Evidence sentences, at most `perCell` for each party, issue and stance (nil: all of them).
  static func positionEvidence(
    _ db: Database, sql whereSQL: String, arguments: [(any DatabaseValueConvertible)?], perCell: Int? = nil
  ) throws -> [PositionEvidence] {
    try positionEvidence(SQLiteRowReader(db: db), sql: whereSQL, arguments: arguments, perCell: perCell)
  }

  /// Sentences listed per matrix cell and stance; the counts always cover all of them.
  public static let evidencePerCell = 5

  /// The party-by-issue matrix: every party's stances on each provision category, with up to
  /// `evidencePerCell` evidence sentences per stance. `planId` limits it to provisions of that
  /// plan; `negotiation` adds the analyst's parties and red lines and lists where the reporting
  /// contradicts them. Counts are aggregated in SQL, so the matrix costs the same for any record size.
  public func positions(planId: Int64? = nil, negotiation: NegotiationFile? = nil, evidencePerCell: Int? = nil) throws
    -> PositionMatrix
  {
    try read { db in
      try Self.positions(
        SQLiteRowReader(db: db), planId: planId, negotiation: negotiation, evidencePerCell: evidencePerCell)
    }
  }

  // MARK: Sources

  /// Outlets: what each published, how often it is cited and by which other outlets, and how
  /// many events rest on it.
  public func sources(limit: Int = 100) throws -> [OutletSummary] {
    try read { db in
      var byName: [String: OutletSummary] = [:]
      func entry(_ name: String) -> OutletSummary {
        byName[name] ?? OutletSummary(outlet: name, published: 0, cited: 0, events: 0, citedBy: [:])
      }
      for r in try Row.fetchAll(
        db, sql: "SELECT outlet, count(*) AS n FROM article WHERE outlet IS NOT NULL GROUP BY outlet")
      {
        var e = entry(r["outlet"])
        e.published = r["n"]
        byName[e.outlet] = e
      }
      for r in try Row.fetchAll(db, sql: "SELECT outlet, count(*) AS n FROM citation GROUP BY outlet") {
        var e = entry(r["outlet"])
        e.cited = r["n"]
        byName[e.outlet] = e
      }
      for r in try Row.fetchAll(
        db,
        sql: """
          SELECT o, count(DISTINCT eventId) AS n FROM (
            SELECT r.eventId, a.outlet AS o FROM report r JOIN article a ON a.id = r.articleId WHERE a.outlet IS NOT NULL
            UNION ALL SELECT r.eventId, r.cited AS o FROM report r WHERE r.cited IS NOT NULL
          ) GROUP BY o
          """)
      {
        var e = entry(r["o"])
        e.events = r["n"]
        byName[e.outlet] = e
      }
      for r in try Row.fetchAll(
        db,
        sql: """
          SELECT c.outlet AS cited, coalesce(a.outlet, 'unattributed') AS citing, count(*) AS n
          FROM citation c JOIN article a ON a.id = c.articleId GROUP BY c.outlet, citing
          """)
      {
        var e = entry(r["cited"])
        e.citedBy[r["citing"]] = r["n"]
        byName[e.outlet] = e
      }
      return Array(
        byName.values.sorted { ($0.published + $0.cited, $1.outlet) > ($1.published + $1.cited, $0.outlet) }.prefix(
          limit))
    }
  }

  /// The names of the `limit` outlets that published or are cited most, in the order (and with
  /// the ties) of `sources(limit:)`, read from `outlet_tally` instead of counting every article,
  /// citation and report: the timeline's outlet menu needs the names only. The tally holds every
  /// outlet the sources list has, those only named by a report (counting zero) included.
  public func topOutlets(limit: Int) throws -> [String] {
    let ranked: [(outlet: String, total: Int)] = try read { db in
      try Row.fetchAll(
        db, sql: "SELECT outlet, published + cited AS n FROM outlet_tally WHERE published + cited + reports > 0"
      ).map { ($0["outlet"], $0["n"]) }
    }
    // Sorted here, with the comparison `sources` uses, so that ties and non-ASCII names order alike.
    return ranked.sorted { ($0.total, $1.outlet) > ($1.total, $0.outlet) }.prefix(limit).map(\.outlet)
  }

  // MARK: Search

  /// Full-text search over titles and article text (SQLite FTS5, diacritics ignored). Words are
  /// matched as given (all must occur); a phrase in double quotes matches as a phrase. Equal
  /// scores are ordered by article, so consecutive pages never overlap or skip a hit.
  public func search(_ text: String, limit: Int = 20, offset: Int = 0) throws -> Page<SearchHit> {
    try read { db in try Self.search(SQLiteRowReader(db: db), text, limit: limit, offset: offset) }
  }

  /// A user's words as an FTS5 query that cannot be a syntax error: each word or quoted phrase
  /// becomes a quoted string; a trailing `*` keeps prefix search.
  static func ftsQuery(_ text: String) -> String {
    SearchTerms.parse(text).map { "\"\($0.text)\"" + ($0.prefix ? "*" : "") }.joined(separator: " ")
  }

  // MARK: Export

  /// Every event as one export row, in timeline order, handed over one at a time (constant memory).
  public func exportEvents(_ body: (ExportRow) throws -> Void) throws {
    try read { db in
      let cursor = try Row.fetchCursor(
        db,
        sql: """
          SELECT e.id, e.cameo, e.root, e.date, e.sortKey, e.reportCount,
            s.id AS sid, s.name AS sname, s.affiliation AS saff, s.kind AS skind,
            t.id AS tid, t.name AS tname, t.affiliation AS taff, t.kind AS tkind, l.name AS lname,
            (SELECT group_concat(DISTINCT coalesce(r.cited, a.outlet)) FROM report r JOIN article a ON a.id = r.articleId WHERE r.eventId = e.id) AS sources,
            (SELECT group_concat(DISTINCT r.articleId) FROM report r WHERE r.eventId = e.id) AS articles,
            (SELECT count(DISTINCT coalesce(a.duplicateOf, a.id)) FROM report r JOIN article a ON a.id = r.articleId WHERE r.eventId = e.id) AS independent,
            (SELECT r.text FROM report r WHERE r.eventId = e.id ORDER BY r.articleId, r.start LIMIT 1) AS text
          FROM event e LEFT JOIN actor s ON s.id = e.sourceId LEFT JOIN actor t ON t.id = e.targetId
            LEFT JOIN actor l ON l.id = e.location
          ORDER BY e.sortKey, e.id
          """)
      while let r = try cursor.next() {
        let cameo: String = r["cameo"]
        let sortKey: String = r["sortKey"]
        try body(
          ExportRow(
            eventId: r["id"], date: (r["date"] as String?) ?? (sortKey == "~" ? nil : sortKey), sourceId: r["sid"],
            sourceName: r["sname"], sourceCountry: r["saff"], sourceKind: r["skind"], targetId: r["tid"],
            targetName: r["tname"], targetCountry: r["taff"], targetKind: r["tkind"], cameo: cameo, root: r["root"],
            quadClass: CAMEOCode(cameo)?.quadClass ?? 0, goldstein: goldstein(cameo), location: r["lname"],
            reports: r["reportCount"], independentSources: r["independent"],
            sources: ((r["sources"] as String?) ?? "").split(separator: ",").map(String.init).sorted(),
            articleIds: ((r["articles"] as String?) ?? "").split(separator: ",").compactMap { Int64($0) }.sorted(),
            text: (r["text"] as String?) ?? ""))
      }
    }
  }
}

/// CAMEO labels and Goldstein weights, loaded once.
private let cameoTable: CAMEOTable? = try? CAMEOTable.bundled()

func label(_ code: String) -> String {
  guard let c = CAMEOCode(code) else { return code }
  return cameoTable?.entry(for: c)?.label ?? code
}

func goldstein(_ code: String) -> Double {
  guard let c = CAMEOCode(code) else { return 0 }
  return cameoTable?.entry(for: c)?.goldstein ?? 0
}
