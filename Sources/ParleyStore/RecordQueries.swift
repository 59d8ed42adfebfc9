import Foundation
import GRDB
import ParleyModel
import ParleyRecord

/// Which SQL a backend speaks: the record's queries write the few statements that differ twice.
public enum SQLDialect: Sendable {
  case sqlite
  case postgres
}

/// One consistent snapshot of a record to run the record's read statements on, giving GRDB rows
/// (a PostgreSQL backend converts its rows), so that the queries' code that turns rows into
/// answers is one code for every backend. Column names are matched without case (PostgreSQL
/// folds unquoted names to lower case); statements name every column they read.
public protocol RowReader {
  var dialect: SQLDialect { get }
  /// The rows of `sql`, whose `?` placeholders take `arguments` in order.
  func rows(_ sql: String, _ arguments: [(any DatabaseValueConvertible)?]) throws -> [Row]
}

/// An SQLite read transaction as a `RowReader`.
struct SQLiteRowReader: RowReader {
  let db: Database
  var dialect: SQLDialect { .sqlite }

  func rows(_ sql: String, _ arguments: [(any DatabaseValueConvertible)?]) throws -> [Row] {
    // Prepared once per connection: the positions matrix runs one statement per cell.
    try Row.fetchAll(db.cachedStatement(sql: sql), arguments: StatementArguments(arguments))
  }
}

/// A record that can be read: SQLite's `RecordStore`, or PostgreSQL's reader in `ParleyPostgres`.
/// Every query (the commands', the web pages' and the API's) is written once, over a `RowReader`,
/// and runs on one `snapshot` of the record, so both backends give the same answers.
public protocol RecordQuerying: Sendable {
  /// Where the record is, as people are shown it.
  var displayName: String { get }
  /// Runs `body` on one consistent snapshot of the record (a read transaction).
  func snapshot<T>(_ body: (any RowReader) throws -> T) throws -> T
  /// The record's change counter, as cheap as one indexed read: the web server reads it on
  /// every request (`ETag`, `Last-Modified`, its answer cache).
  func stamp() throws -> RecordStamp
}

extension RecordStore: RecordQuerying {
  public func snapshot<T>(_ body: (any RowReader) throws -> T) throws -> T {
    try read { db in try body(SQLiteRowReader(db: db)) }
  }
}

/// The record's queries, the same for every backend: each runs the store's statements (the
/// static functions of `RecordStore` over a `RowReader`) on one snapshot.
extension RecordQuerying {
  public func stamp() throws -> RecordStamp {
    try snapshot { try RecordStore.stamp($0) }
  }

  public func overview() throws -> Overview {
    try snapshot { try RecordStore.overview($0) }
  }

  /// Events matching `filter`, in timeline order (dated first, oldest first), a page at a time.
  /// With `withReports`, each event carries its reports (the timeline view).
  public func events(_ filter: EventFilter, withReports: Bool = false) throws -> Page<EventSummary> {
    try snapshot { try RecordStore.events($0, filter, withReports: withReports) }
  }

  /// The `limit` latest dated events, latest first: the end of the timeline read backwards.
  public func latestEvents(limit: Int) throws -> [EventSummary] {
    try snapshot { try RecordStore.latestEvents($0, limit: limit) }
  }

  /// One event with all its reports; nil when there is no such id.
  public func event(id: Int64) throws -> EventSummary? {
    try snapshot { try RecordStore.event($0, id: id) }
  }

  /// Full-text search over titles and article text (see `RecordStore.search(_:_:limit:offset:)`).
  public func search(_ text: String, limit: Int = 20, offset: Int = 0) throws -> Page<SearchHit> {
    try snapshot { try RecordStore.search($0, text, limit: limit, offset: offset) }
  }

  /// Every plan with its versions in order (earliest first) and their provisions, each version
  /// listing at most `articlesPerVersion` of its articles (its `articleCount` counts them all).
  public func plans(negotiation: NegotiationFile? = nil, articlesPerVersion: Int = .max) throws -> [PlanSummary] {
    try snapshot { try RecordStore.plans($0, negotiation: negotiation, articlesPerVersion: articlesPerVersion) }
  }

  /// The party-by-issue matrix (see `RecordStore.positions(_:planId:negotiation:evidencePerCell:)`).
  public func positions(planId: Int64? = nil, negotiation: NegotiationFile? = nil, evidencePerCell: Int? = nil) throws
    -> PositionMatrix
  {
    try snapshot {
      try RecordStore.positions($0, planId: planId, negotiation: negotiation, evidencePerCell: evidencePerCell)
    }
  }

  /// Articles, newest first (undated last), a page at a time.
  public func articles(limit: Int = 50, offset: Int = 0) throws -> Page<ArticleSummary> {
    try snapshot { try RecordStore.articles($0, limit: limit, offset: offset) }
  }

  /// One article with its source and everything to highlight in it; nil when there is no such id.
  public func article(id: Int64) throws -> ArticleDetail? {
    try snapshot { try RecordStore.article($0, id: id) }
  }

  /// Actors, most mentioned first; `kind` and `query` (a substring of a name or spelling) filter.
  public func actors(kind: String? = nil, query: String? = nil, limit: Int = 50, offset: Int = 0) throws -> Page<
    ActorSummary
  > {
    try snapshot { try RecordStore.actors($0, kind: kind, query: query, limit: limit, offset: offset) }
  }

  /// Actor ids a user's words stand for: an id, a name or spelling, or a party code (all its actors).
  public func resolveActor(_ text: String) throws -> [String] {
    try snapshot { try RecordStore.resolveActor($0, text) }
  }

  /// One actor with its events, counterparts and positions (at most `evidencePerCell` for each
  /// party, issue and stance; nil: all); nil when unknown.
  public func actor(id: String, eventLimit: Int = 100, evidencePerCell: Int? = nil) throws -> ActorDetail? {
    try snapshot { try RecordStore.actor($0, id: id, eventLimit: eventLimit, evidencePerCell: evidencePerCell) }
  }

  /// How many positions the record holds for `actorId`, from the positions tally.
  public func positionCount(actorId: String) throws -> Int {
    try snapshot {
      try RecordStore.value(
        $0, "SELECT CAST(coalesce(sum(count), 0) AS bigint) FROM position_tally WHERE actorId = ?", [actorId]) ?? 0
    }
  }

  /// Outlets: what each published, how often it is cited and by which other outlets, and how
  /// many events rest on it.
  public func sources(limit: Int = 100) throws -> [OutletSummary] {
    try snapshot { try RecordStore.sources($0, limit: limit) }
  }

  /// The names of the `limit` outlets that published or are cited most, in `sources`' order.
  public func topOutlets(limit: Int) throws -> [String] {
    try snapshot { try RecordStore.topOutlets($0, limit: limit) }
  }

  /// Plans without their provisions, most mentioned first, a page at a time.
  public func planOutlines(limit: Int = 50, offset: Int = 0) throws -> Page<PlanSummary> {
    try snapshot { try RecordStore.planOutlines($0, limit: limit, offset: offset) }
  }

  /// Plans in id order, a page at a time, each version with a bounded number of provisions and articles.
  public func plans(limit: Int, offset: Int, provisionsPerVersion: Int, articlesPerVersion: Int) throws -> Page<
    PlanSummary
  > {
    try snapshot {
      try RecordStore.plans(
        $0, limit: limit, offset: offset, provisionsPerVersion: provisionsPerVersion,
        articlesPerVersion: articlesPerVersion)
    }
  }

  /// One plan with its versions and their provisions, as `plans()` has it, each version listing
  /// at most `articlesPerVersion` of its articles (`articleCount` counts them all); nil when unknown.
  public func plan(id: Int64, articlesPerVersion: Int = .max) throws -> PlanSummary? {
    try snapshot { try RecordStore.plan($0, id: id, articlesPerVersion: articlesPerVersion) }
  }

  /// What version `to` of a plan adds, drops and keeps relative to version `from` (ranks,
  /// 1-based; defaults: the last two versions). Nil when the plan or a version does not exist.
  public func diff(planId: Int64, from: Int? = nil, to: Int? = nil, negotiation: NegotiationFile? = nil) throws
    -> PlanDiff?
  {
    guard let stored = try plan(id: planId) else { return nil }
    let plan =
      negotiation.map { RecordStore.merge(stated: $0, into: [stored]).first { $0.id == planId } ?? stored } ?? stored
    guard plan.versions.count >= 2 else { return nil }
    let toRank = to ?? plan.versions.count
    let fromRank = from ?? toRank - 1
    guard let a = plan.versions.first(where: { $0.rank == fromRank }),
      let b = plan.versions.first(where: { $0.rank == toRank })
    else { return nil }
    return PlanComparison.diff(plan: plan.name, from: a, to: b)
  }

  /// Every event as one export row, in timeline order, handed over one at a time (constant memory).
  public func exportEvents(_ body: (ExportRow) throws -> Void) throws {
    try snapshot { try RecordStore.exportEvents($0, body) }
  }
}

/// The read statements and their answers, over any backend's `RowReader`.
extension RecordStore {
  /// The one value of a one-column, at-most-one-row statement.
  static func value<T: DatabaseValueConvertible>(
    _ reader: some RowReader, _ sql: String, _ arguments: [(any DatabaseValueConvertible)?] = []
  ) throws -> T? {
    guard let row = try reader.rows(sql, arguments).first else { return nil }
    return row[0]
  }

  /// The record's change counter (`record_state`, bumped by every ingest transaction).
  public static func stamp(_ r: some RowReader) throws -> RecordStamp {
    let hasCounter: Bool
    switch r.dialect {
    case .sqlite:
      hasCounter = try !r.rows(
        "SELECT 1 AS found FROM sqlite_master WHERE type = 'table' AND name = 'record_state'", []
      )
      .isEmpty
    case .postgres:
      // Every PostgreSQL record has it: its migrations create it with the rest of the schema.
      hasCounter = true
    }
    if hasCounter, let row = try r.rows("SELECT changes, modified FROM record_state WHERE id = 1", []).first {
      return RecordStamp(changes: row["changes"], modified: row["modified"])
    }
    // A database of an older Parley opened read-only (not migrated): only ingest changes the
    // record and every change adds an article, so the newest article id counts changes too.
    return RecordStamp(changes: try value(r, "SELECT max(id) FROM article") ?? 0, modified: nil)
  }

  public static func overview(_ r: some RowReader) throws -> Overview {
    func count(_ sql: String) throws -> Int { try value(r, sql) ?? 0 }
    return Overview(
      articles: try count("SELECT count(*) FROM article"),
      nearCopies: try count("SELECT count(*) FROM article WHERE duplicateOf IS NOT NULL"),
      actors: try count("SELECT count(*) FROM actor"),
      events: try count("SELECT count(*) FROM event"),
      reports: try count("SELECT count(*) FROM report"),
      plans: try count("SELECT count(*) FROM plan"),
      planVersions: try count("SELECT count(*) FROM plan_version"),
      positions: try count("SELECT count(*) FROM position"),
      // The outlets that published or are cited, from their tally: the union of every article's
      // and citation's outlet took 90 ms on 100,000 articles.
      outlets: try count("SELECT count(*) FROM outlet_tally WHERE published > 0 OR cited > 0"),
      firstDate: try value(r, "SELECT min(sortKey) FROM event WHERE sortKey <> '~'"),
      lastDate: try value(r, "SELECT max(sortKey) FROM event WHERE sortKey <> '~'"))
  }

  /// `column = ?` without regard to (ASCII) case: SQLite's NOCASE, PostgreSQL's lower().
  static func equalIgnoringCase(_ column: String, _ dialect: SQLDialect) -> String {
    dialect == .sqlite ? "\(column) = ? COLLATE NOCASE" : "lower(\(column)) = lower(?)"
  }

  /// SQLite's LIKE ignores ASCII case; PostgreSQL's ILIKE does the same.
  static func like(_ dialect: SQLDialect) -> String { dialect == .sqlite ? "LIKE" : "ILIKE" }

  static func resolveActor(_ r: some RowReader, _ text: String) throws -> [String] {
    if try !r.rows("SELECT 1 AS found FROM actor WHERE id = ?", [text]).isEmpty { return [text] }
    let byName: [String] = try r.rows(
      """
      SELECT id FROM actor WHERE \(equalIgnoringCase("name", r.dialect))
      UNION SELECT actorId AS id FROM actor_alias WHERE \(equalIgnoringCase("alias", r.dialect))
      """, [text, text]
    ).map { $0["id"] }
    if !byName.isEmpty { return byName.sorted() }
    // A surname alone ("Zelensky"): the people whose name or a spelling ends with it.
    let bySurname: [String] = try r.rows(
      """
      SELECT id FROM actor WHERE kind = 'person' AND name \(like(r.dialect)) ?
      UNION SELECT a.actorId AS id FROM actor_alias a JOIN actor ON actor.id = a.actorId
      WHERE actor.kind = 'person' AND a.alias \(like(r.dialect)) ?
      """, ["% " + text, "% " + text]
    ).map { $0["id"] }
    if !bySurname.isEmpty { return bySurname.sorted() }
    return try r.rows(
      "SELECT id FROM actor WHERE \(equalIgnoringCase("affiliation", r.dialect)) ORDER BY id", [text]
    ).map { $0["id"] }
  }

  /// Events matching `filter`, in timeline order (dated first, oldest first), a page at a time.
  public static func events(_ r: some RowReader, _ filter: EventFilter, withReports: Bool) throws -> Page<
    EventSummary
  > {
    var conditions: [String] = []
    var args: [(any DatabaseValueConvertible)?] = []
    if let cameo = filter.cameo, !cameo.isEmpty {
      conditions.append("e.cameo LIKE ?")
      args.append(cameo + "%")
    }
    if let from = filter.from, !from.isEmpty {
      conditions.append("e.sortKey >= ? AND e.sortKey <> '~'")
      args.append(from)
    }
    if let to = filter.to, !to.isEmpty {
      // "2025-11" as an upper bound includes every day of November.
      conditions.append("e.sortKey <= ?")
      args.append(to + "\u{FFFF}")
    }
    if let outlet = filter.outlet, !outlet.isEmpty {
      conditions.append(
        """
        EXISTS (SELECT 1 FROM report r JOIN article a ON a.id = r.articleId
                WHERE r.eventId = e.id AND (\(equalIgnoringCase("r.cited", r.dialect)) OR \(equalIgnoringCase("a.outlet", r.dialect))))
        """)
      args += [outlet, outlet]
    }
    let rest = conditions.isEmpty ? "" : " AND " + conditions.joined(separator: " AND ")
    var ids: [Int64]
    var total: Int
    if let actor = filter.actor, !actor.isEmpty {
      let actorIds = try resolveActor(r, actor)
      if actorIds.isEmpty { return Page(items: [], total: 0, limit: filter.limit, offset: filter.offset) }
      let marks = Array(repeating: "?", count: actorIds.count).joined(separator: ",")
      let actorArgs: [(any DatabaseValueConvertible)?] = actorIds
      // Each side walks its own (actor, sortKey) index and stops after enough rows: no sort of
      // every event of a busy actor.
      let n = filter.offset + filter.limit
      ids = try r.rows(
        """
        SELECT id FROM (
          SELECT * FROM (SELECT e.id, e.sortKey FROM event e WHERE e.sourceId IN (\(marks))\(rest) ORDER BY e.sortKey, e.id LIMIT ?) AS bySource
          UNION
          SELECT * FROM (SELECT e.id, e.sortKey FROM event e WHERE e.targetId IN (\(marks))\(rest) ORDER BY e.sortKey, e.id LIMIT ?) AS byTarget
          UNION
          SELECT * FROM (SELECT e.id, e.sortKey FROM event_participant p JOIN event e ON e.id = p.eventId
            WHERE p.actorId IN (\(marks))\(rest) ORDER BY e.sortKey, e.id LIMIT ?) AS byParticipant
        ) AS found ORDER BY sortKey, id LIMIT ? OFFSET ?
        """,
        actorArgs + args + [n] + actorArgs + args + [n] + actorArgs + args + [n, filter.limit, filter.offset]
      ).map { $0["id"] }
      // Counted as the union of the three index walks, not as one OR over every event (which
      // read the whole table with a subquery per event: 0.24 s at 100,000 articles).
      total =
        try value(
          r,
          """
          SELECT count(*) FROM (
            SELECT e.id FROM event e WHERE e.sourceId IN (\(marks))\(rest)
            UNION SELECT e.id FROM event e WHERE e.targetId IN (\(marks))\(rest)
            UNION SELECT e.id FROM event_participant p JOIN event e ON e.id = p.eventId WHERE p.actorId IN (\(marks))\(rest)
          ) AS matched
          """,
          actorArgs + args + actorArgs + args + actorArgs + args) ?? 0
    } else {
      let whereSQL = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
      ids = try r.rows(
        "SELECT e.id FROM event e \(whereSQL) ORDER BY e.sortKey, e.id LIMIT ? OFFSET ?",
        args + [filter.limit, filter.offset]
      ).map { $0["id"] }
      total = try value(r, "SELECT count(*) FROM event e \(whereSQL)", args) ?? 0
    }
    return Page(
      items: try eventSummaries(r, ids: ids, withReports: withReports), total: total, limit: filter.limit,
      offset: filter.offset)
  }

  /// The last `limit` events of the timeline's dated ones (`EventFilter(from: "0")`), in reverse:
  /// a walk down the (sortKey, id) index instead of counting every dated event (25 ms on 100,000
  /// articles) to page to the end.
  public static func latestEvents(_ r: some RowReader, limit: Int) throws -> [EventSummary] {
    let ids: [Int64] = try r.rows(
      "SELECT e.id FROM event e WHERE e.sortKey >= '0' AND e.sortKey <> '~' ORDER BY e.sortKey DESC, e.id DESC LIMIT ?",
      [limit]
    ).map { $0["id"] }
    return try eventSummaries(r, ids: ids, withReports: false)
  }

  /// One event with all its reports; nil when there is no such id.
  public static func event(_ r: some RowReader, id: Int64) throws -> EventSummary? {
    try eventSummaries(r, ids: [id], withReports: true).first
  }

  /// Events with their sources, in the order of `ids`. Everything is read in a fixed number of
  /// statements per page, whatever the number of events or of reports per event.
  static func eventSummaries(_ r: some RowReader, ids: [Int64], withReports: Bool) throws -> [EventSummary] {
    guard !ids.isEmpty else { return [] }
    let marks = Array(repeating: "?", count: ids.count).joined(separator: ",")
    let idArgs: [(any DatabaseValueConvertible)?] = ids
    let events = try r.rows(
      "SELECT id, cameo, root, sourceId, targetId, date, location, sortKey, reportCount FROM event WHERE id IN (\(marks))",
      idArgs)
    var actorIds: Set<String> = []
    for row in events {
      for key in ["sourceId", "targetId", "location"] {
        if let id = row[key] as String? { actorIds.insert(id) }
      }
    }
    var participantIds: [Int64: [String]] = [:]
    for p in try r.rows(
      "SELECT eventId, actorId FROM event_participant WHERE eventId IN (\(marks)) ORDER BY eventId, actorId", idArgs)
    {
      participantIds[p["eventId"], default: []].append(p["actorId"])
      actorIds.insert(p["actorId"])
    }
    let actors = try actorRefs(r, Array(actorIds))

    // Per event: independent families, outlets (published by or cited, each list in the order
    // the reports were stored), the first article ids.
    var aggregates: [Int64: (families: Int, outlets: [String], articles: [Int64])] = [:]
    let aggregateSQL: String
    switch r.dialect {
    case .sqlite:
      aggregateSQL = """
        SELECT r.eventId, count(DISTINCT coalesce(a.duplicateOf, a.id)) AS families,
          group_concat(DISTINCT a.outlet) AS published, group_concat(DISTINCT r.cited) AS cited
        FROM report r JOIN article a ON a.id = r.articleId
        WHERE r.eventId IN (\(marks)) GROUP BY r.eventId
        """
    case .postgres:
      // string_agg(DISTINCT) sorts; SQLite's group_concat keeps the order of the reports.
      aggregateSQL = """
        SELECT g.eventId, g.families,
          (SELECT string_agg(o.outlet, ',' ORDER BY o.first) FROM (
            SELECT a2.outlet, min(r2.id) AS first FROM report r2 JOIN article a2 ON a2.id = r2.articleId
            WHERE r2.eventId = g.eventId AND a2.outlet IS NOT NULL GROUP BY a2.outlet) AS o) AS published,
          (SELECT string_agg(c.cited, ',' ORDER BY c.first) FROM (
            SELECT r3.cited, min(r3.id) AS first FROM report r3
            WHERE r3.eventId = g.eventId AND r3.cited IS NOT NULL GROUP BY r3.cited) AS c) AS cited
        FROM (SELECT r.eventId, count(DISTINCT coalesce(a.duplicateOf, a.id)) AS families
          FROM report r JOIN article a ON a.id = r.articleId WHERE r.eventId IN (\(marks)) GROUP BY r.eventId) AS g
        """
    }
    for row in try r.rows(aggregateSQL, idArgs) {
      var outlets: [String] = []
      for list in [row["published"] as String?, row["cited"] as String?] {
        for o in (list ?? "").split(separator: ",").map(String.init) where !outlets.contains(o) { outlets.append(o) }
      }
      aggregates[row["eventId"]] = (row["families"], outlets, [])
    }
    for row in try r.rows(
      """
      SELECT eventId, articleId FROM (
        SELECT eventId, articleId, row_number() OVER (PARTITION BY eventId ORDER BY articleId) AS n
        FROM (SELECT DISTINCT eventId, articleId FROM report WHERE eventId IN (\(marks))) AS reported
      ) AS numbered WHERE n <= ? ORDER BY eventId, articleId
      """, idArgs + [articleIdsPerEvent])
    {
      aggregates[row["eventId"], default: (0, [], [])].articles.append(row["articleId"])
    }
    // Two or more exact dates among an event's reports: the reports disagree.
    var datesByEvent: [Int64: [(date: String, articles: String)]] = [:]
    let datesSQL: String
    switch r.dialect {
    case .sqlite:
      datesSQL = """
        SELECT eventId, date, group_concat(DISTINCT articleId) AS articles FROM report
        WHERE eventId IN (\(marks)) AND length(date) = 10 GROUP BY eventId, date ORDER BY eventId, date
        """
    case .postgres:
      datesSQL = """
        SELECT eventId, date, string_agg(articleId::text, ',' ORDER BY first) AS articles FROM (
          SELECT eventId, date, articleId, min(id) AS first FROM report
          WHERE eventId IN (\(marks)) AND length(date) = 10 GROUP BY eventId, date, articleId) AS dated
        GROUP BY eventId, date ORDER BY eventId, date
        """
    }
    for row in try r.rows(datesSQL, idArgs) {
      datesByEvent[row["eventId"], default: []].append((row["date"], row["articles"]))
    }
    var reportsByEvent: [Int64: [ReportSummary]] = [:]
    if withReports {
      for row in try r.rows(
        """
        SELECT * FROM (
          SELECT r.eventId, r.articleId, a.title, a.outlet, a.published, r.cited, r.cameo, r.date, r.location, r.text,
            r.trigger, r.start, r."end", coalesce(a.duplicateOf, a.id) AS family,
            row_number() OVER (PARTITION BY r.eventId ORDER BY r.articleId, r.start, r.id) AS n
          FROM report r JOIN article a ON a.id = r.articleId
          WHERE r.eventId IN (\(marks))
        ) AS numbered WHERE n <= ? ORDER BY eventId, n
        """, idArgs + [reportsShownPerEvent])
      {
        let report = ReportSummary(
          articleId: row["articleId"], articleTitle: row["title"], outlet: row["outlet"], published: row["published"],
          cited: row["cited"], cameo: row["cameo"], date: row["date"], text: row["text"], trigger: row["trigger"],
          start: row["start"], end: row["end"], family: row["family"])
        reportsByEvent[row["eventId"], default: []].append(report)
      }
    }
    var byId: [Int64: EventSummary] = [:]
    for row in events {
      let id: Int64 = row["id"]
      let cameoRaw: String = row["cameo"]
      let sortKey: String = row["sortKey"]
      let aggregate = aggregates[id] ?? (0, [], [])
      var conflicts: [String] = []
      if let dates = datesByEvent[id], dates.count > 1 {
        conflicts.append(
          "dates differ: "
            + dates.map { "\($0.date) (article \($0.articles.replacingOccurrences(of: ",", with: ", ")))" }
            .joined(separator: " vs "))
      }
      byId[id] = EventSummary(
        id: id, cameo: cameoRaw, root: row["root"], label: label(cameoRaw),
        quadClass: CAMEOCode(cameoRaw)?.quadClass ?? 0, goldstein: goldstein(cameoRaw),
        source: (row["sourceId"] as String?).flatMap { actors[$0] },
        target: (row["targetId"] as String?).flatMap { actors[$0] }, date: row["date"],
        sortDate: sortKey == "~" ? nil : sortKey, location: (row["location"] as String?).flatMap { actors[$0] },
        reports: row["reportCount"], independentSources: aggregate.families, outlets: aggregate.outlets,
        articleIds: aggregate.articles, conflicts: conflicts, reportList: reportsByEvent[id] ?? [],
        participants: (participantIds[id] ?? []).compactMap { actors[$0] })
    }
    return ids.compactMap { byId[$0] }
  }

  /// Actor references for many ids in one statement (unknown ids are kept, named by their id).
  static func actorRefs(_ r: some RowReader, _ ids: [String]) throws -> [String: ActorRef] {
    guard !ids.isEmpty else { return [:] }
    var out: [String: ActorRef] = [:]
    let marks = Array(repeating: "?", count: ids.count).joined(separator: ",")
    for row in try r.rows("SELECT id, name, kind, affiliation FROM actor WHERE id IN (\(marks))", ids) {
      let ref = ActorRef(id: row["id"], name: row["name"], kind: row["kind"], affiliation: row["affiliation"])
      out[ref.id] = ref
    }
    for id in ids where out[id] == nil { out[id] = ActorRef(id: id, name: id, kind: "unknown", affiliation: nil) }
    return out
  }

  /// How many matching articles search ranks: the newest stored (highest ids). Ranking costs
  /// a score per match, and a common word matches most of a large record (66,000 of 100,000
  /// articles for "ceasefire": 90 ms of scores, 0.6 s with the snippets, per request).
  public static let searchCandidates = 5_000

  /// Full-text search over titles and article text with the backend's own index (SQLite FTS5,
  /// PostgreSQL tsvector with GIN) and the same literal-input rules (`SearchTerms`: every word
  /// must occur, a quoted phrase matches as a phrase, a trailing `*` searches a prefix). Equal
  /// scores are ordered by article, so consecutive pages never overlap or skip a hit. The two
  /// backends find the same articles; their scores and passages are their own.
  ///
  /// The order is bounded: the `candidates` (`searchCandidates`) newest matches (by id, the order articles were
  /// stored in) come first, best score first; any older matches follow, newest first. With no
  /// more matches than that, every match is ranked. `total` always counts every match, and
  /// passages are made for the page's hits only.
  public static func search(
    _ r: some RowReader, _ text: String, limit: Int, offset: Int, candidates: Int = searchCandidates
  ) throws -> Page<SearchHit> {
    let terms = SearchTerms.parse(text)
    guard !terms.isEmpty else { return Page(items: [], total: 0, limit: limit, offset: offset) }
    let candidates = max(1, candidates)
    let total: Int
    // `matches` gives every match's id and score (computed only where a query reads it);
    // `hits` the rows and passages of a page of ids, in the page's order.
    let matches: String
    let hits: String
    let matchArgs: [(any DatabaseValueConvertible)?]
    switch r.dialect {
    case .sqlite:
      let query = ftsQuery(text)
      matchArgs = [query]
      total = try value(r, "SELECT count(*) FROM article_fts WHERE article_fts MATCH ?", matchArgs) ?? 0
      matches = "SELECT rowid AS id, bm25(article_fts) AS rank FROM article_fts WHERE article_fts MATCH ?"
      // CROSS JOIN: each page id probes the index by rowid, instead of the match walking every
      // hit. The score comes with the id: bm25 here, one row per match cursor, recounted the
      // phrase's documents for every row (1.8 ms each).
      hits = """
        SELECT \(articleColumns), snippet(article_fts, 1, '[', ']', '…', 16) AS snippet, page.rank AS rank
        FROM page CROSS JOIN article_fts ON article_fts.rowid = page.id JOIN article a ON a.id = page.id
        WHERE article_fts MATCH ? ORDER BY page.n
        """
    case .postgres:
      // to_tsquery with a quoted lexeme cannot be a syntax error (quote_literal escapes the
      // quotes; ':*' asks for the prefix); phraseto_tsquery takes any text.
      let query = terms.map {
        $0.prefix ? "to_tsquery('simple', quote_literal(lower(?)) || ':*')" : "phraseto_tsquery('simple', ?)"
      }.joined(separator: " && ")
      matchArgs = terms.map(\.text)
      total = try value(r, "SELECT count(*) FROM article WHERE search @@ (\(query))", matchArgs) ?? 0
      matches = """
        SELECT a.id, (-ts_rank(a.search, q))::float8 AS rank FROM article a, (SELECT \(query) AS q) AS query
        WHERE a.search @@ q
        """
      hits = """
        SELECT \(articleColumns),
          ts_headline('simple', a.body, q, 'StartSel=[, StopSel=], MaxWords=16, MinWords=8') AS snippet,
          page.rank AS rank
        FROM page JOIN article a ON a.id = page.id, (SELECT \(query) AS q) AS query
        ORDER BY page.n
        """
    }
    // The id of the oldest ranked match; none when every match is ranked.
    var cutoff: Int64 = 0
    if total > candidates {
      cutoff =
        try value(r, "SELECT id FROM (\(matches)) AS m ORDER BY id DESC LIMIT 1 OFFSET ?", matchArgs + [candidates - 1])
        ?? 0
    }
    // Numbered in the page's order, which the passages' query keeps.
    func page(where condition: String, order: String, _ args: [(any DatabaseValueConvertible)?]) throws -> [Row] {
      try r.rows(
        """
        WITH picked AS (
          SELECT id, rank FROM (\(matches)) AS m WHERE \(condition) ORDER BY \(order) LIMIT ? OFFSET ?
        ), page AS (SELECT id, rank, row_number() OVER (ORDER BY \(order)) AS n FROM picked)
        \(hits)
        """, matchArgs + args + matchArgs)
    }
    var rows: [Row] = []
    let ranked = cutoff == 0 ? total : candidates
    if offset < ranked {
      rows = try page(where: "id >= ?", order: "rank, id", [cutoff, limit, offset])
    }
    if cutoff > 0 && rows.count < limit && offset + rows.count >= ranked {
      rows += try page(where: "id < ?", order: "id DESC", [cutoff, limit - rows.count, max(0, offset - ranked)])
    }
    return Page(
      items: rows.map { SearchHit(article: articleSummary($0), snippet: $0["snippet"], rank: $0["rank"]) },
      total: total, limit: limit, offset: offset)
  }

  // MARK: Plans

  /// Every plan with its versions in order (earliest first) and their provisions.
  public static func plans(_ r: some RowReader, negotiation: NegotiationFile?, articlesPerVersion: Int = .max) throws
    -> [PlanSummary]
  {
    var plans: [PlanSummary] = []
    for p in try r.rows("SELECT id, name FROM plan ORDER BY id", []) {
      let planId: Int64 = p["id"]
      plans.append(
        PlanSummary(
          id: planId, name: p["name"],
          versions: try versions(r, planId: planId, withProvisions: true, articleLimit: articlesPerVersion)))
    }
    if let negotiation { plans = merge(stated: negotiation, into: plans) }
    return plans
  }

  /// A plan's versions, earliest first, ranked. Earliest first: marked "original"/"revised" wins,
  /// then first reported, then the larger draft (plans are trimmed more often than they grow),
  /// then first stored.
  static func versions(
    _ r: some RowReader, planId: Int64, withProvisions: Bool, provisionLimit: Int = provisionsPerVersion,
    articleLimit: Int = .max
  ) throws -> [PlanVersionSummary] {
    var versions: [PlanVersionSummary] = []
    var order: [Int64: (cue: Int, first: String, points: Int)] = [:]
    // Counts from `plan_version_tally` and the label from `plan_version_name`, kept at ingest:
    // aggregating every mention of every version made the plans lists cost 45-70 ms on 10,000
    // articles. The article ids come from the (versionId, articleId) index, as many as shown.
    let rows = try r.rows(
      """
      SELECT v.id, v.points, v.name, coalesce(t.mentions, 0) AS mentions, coalesce(t.first, '~') AS first,
        coalesce(t.cue, 0) AS cue, coalesce(t.articles, 0) AS articleCount, coalesce(t.provisions, 0) AS provisions,
        (SELECT n.name FROM plan_version_name n WHERE n.versionId = v.id ORDER BY n.count DESC, n.name LIMIT 1) AS label
      FROM plan_version v LEFT JOIN plan_version_tally t ON t.versionId = v.id
      WHERE v.planId = ?
      """, [planId])
    // No limit: SQLite's LIMIT -1, PostgreSQL's LIMIT NULL.
    let all: (any DatabaseValueConvertible)? = r.dialect == .sqlite ? -1 : nil
    let limit = articleLimit == .max ? all : articleLimit
    // On PostgreSQL every statement is a round trip to the server: the articles and provisions
    // of all the plan's versions come in one statement each (the same index ranges), not two per version.
    let batched =
      r.dialect == .postgres
      ? try versionContents(
        r, ids: rows.map { $0["id"] }, articleLimit: limit, provisionLimit: withProvisions ? provisionLimit : nil)
      : nil
    for v in rows {
      let id: Int64 = v["id"]
      let first: String = v["first"]
      // (Lists that show no articles ask for none.)
      let articles: [Int64] =
        articleLimit <= 0
        ? []
        : try batched.map { $0.articles[id] ?? [] }
          ?? r.rows(
            "SELECT DISTINCT articleId FROM plan_mention WHERE versionId = ? ORDER BY articleId LIMIT ?", [id, limit]
          )
          .map { $0["articleId"] }
      let points: Int? = v["points"]
      versions.append(
        PlanVersionSummary(
          id: id, rank: 0, label: (v["label"] as String?) ?? v["name"], points: points,
          firstReported: first == "~" ? nil : first, mentions: v["mentions"],
          articles: articles, articleCount: v["articleCount"],
          provisions: withProvisions
            ? try batched.map { $0.provisions[id] ?? [] } ?? provisions(r, versionId: id, limit: provisionLimit) : [],
          provisionCount: v["provisions"], stated: false))
      order[id] = (v["cue"], first, points ?? 0)
    }
    versions.sort { a, b in
      let x = order[a.id] ?? (0, "~", 0)
      let y = order[b.id] ?? (0, "~", 0)
      return (x.cue.signum(), x.first, -x.points, a.id) < (y.cue.signum(), y.first, -y.points, b.id)
    }
    for i in versions.indices { versions[i].rank = i + 1 }
    return versions
  }

  /// The first articles and provisions of each of the versions `ids`, as `versions` reads them
  /// one version at a time, in two statements (PostgreSQL only: SQLite has no LATERAL, and no
  /// round trips to save). No provisions when `provisionLimit` is nil.
  static func versionContents(
    _ r: some RowReader, ids: [Int64], articleLimit: (any DatabaseValueConvertible)?, provisionLimit: Int?
  ) throws -> (articles: [Int64: [Int64]], provisions: [Int64: [ProvisionSummary]]) {
    guard !ids.isEmpty else { return ([:], [:]) }
    let marks = Array(repeating: "?", count: ids.count).joined(separator: ",")
    let idArgs: [(any DatabaseValueConvertible)?] = ids
    var articles: [Int64: [Int64]] = [:]
    for row in try r.rows(
      """
      SELECT v.id AS versionId, m.articleId FROM plan_version v
      CROSS JOIN LATERAL (
        SELECT DISTINCT articleId FROM plan_mention WHERE versionId = v.id ORDER BY articleId LIMIT ?) AS m
      WHERE v.id IN (\(marks)) ORDER BY v.id, m.articleId
      """, [articleLimit] + idArgs)
    {
      articles[row["versionId"], default: []].append(row["articleId"])
    }
    guard let provisionLimit else { return (articles, [:]) }
    let rows = try r.rows(
      """
      SELECT v.id AS versionId, p.id, p.category, p.text, p.demandedBy, p.appliesTo, p.articleId FROM plan_version v
      CROSS JOIN LATERAL (
        SELECT id, category, text, demandedBy, appliesTo, articleId, start FROM provision WHERE versionId = v.id
        ORDER BY articleId, start, id LIMIT ?) AS p
      WHERE v.id IN (\(marks)) ORDER BY v.id, p.articleId, p.start, p.id
      """, [provisionLimit] + idArgs)
    let actorIds = rows.flatMap { [$0["demandedBy"] as String?, $0["appliesTo"] as String?] }.compactMap { $0 }
    let actors = try actorRefs(r, Array(Set(actorIds)))
    var provisions: [Int64: [ProvisionSummary]] = [:]
    for row in rows {
      provisions[row["versionId"], default: []].append(
        ProvisionSummary(
          id: row["id"], category: row["category"], text: row["text"],
          demandedBy: (row["demandedBy"] as String?).flatMap { actors[$0] },
          appliesTo: (row["appliesTo"] as String?).flatMap { actors[$0] }, articleId: row["articleId"]))
    }
    return (articles, provisions)
  }

  static func provisions(_ r: some RowReader, versionId: Int64, limit: Int = provisionsPerVersion) throws
    -> [ProvisionSummary]
  {
    let rows = try r.rows(
      """
      SELECT id, category, text, demandedBy, appliesTo, articleId FROM provision WHERE versionId = ?
      ORDER BY articleId, start, id LIMIT ?
      """, [versionId, limit])
    let ids = rows.flatMap { [$0["demandedBy"] as String?, $0["appliesTo"] as String?] }.compactMap { $0 }
    let actors = try actorRefs(r, Array(Set(ids)))
    return rows.map { row in
      ProvisionSummary(
        id: row["id"], category: row["category"], text: row["text"],
        demandedBy: (row["demandedBy"] as String?).flatMap { actors[$0] },
        appliesTo: (row["appliesTo"] as String?).flatMap { actors[$0] }, articleId: row["articleId"])
    }
  }

  // MARK: Positions

  /// Evidence sentences, at most `perCell` for each party, issue and stance (nil: all of them).
  /// Every order here ends with the row id: two stances taken in one sentence tie on the rest,
  /// and each backend would break the tie its own way.
  static func positionEvidence(
    _ r: some RowReader, sql whereSQL: String, arguments: [(any DatabaseValueConvertible)?], perCell: Int? = nil
  ) throws -> [PositionEvidence] {
    let rows = try r.rows(
      """
      SELECT * FROM (
        SELECT p.id, p.party, p.actorId, p.category, p.stance, p.evidence, p.articleId, p.start, p."end",
          row_number() OVER (PARTITION BY p.party, p.category, p.stance ORDER BY p.articleId, p.start, p.id) AS n
        FROM position p \(whereSQL)
      ) AS numbered WHERE n <= ? ORDER BY party, category, articleId, start, id
      """, arguments + [perCell ?? Int.max])
    return try evidence(r, rows)
  }

  /// Evidence rows (a position's party, actor, issue, stance, sentence and place) as values,
  /// their actors read in one query.
  private static func evidence(_ r: some RowReader, _ rows: [Row]) throws -> [PositionEvidence] {
    let actors = try actorRefs(r, Array(Set(rows.compactMap { $0["actorId"] as String? })))
    return rows.map { row in
      PositionEvidence(
        party: row["party"], actor: (row["actorId"] as String?).flatMap { actors[$0] }, category: row["category"],
        stance: row["stance"], text: row["evidence"], articleId: row["articleId"], start: row["start"],
        end: row["end"], stated: false)
    }
  }

  /// A plan's evidence sentences, at most `perCell` for each party, issue and stance, in the
  /// order `positionEvidence` gives them: each version's first `perCell` of a cell read from the
  /// `(versionId, party, category, stance, articleId, start)` index, then ranked together.
  static func planEvidence(_ r: some RowReader, planId: Int64, perCell: Int) throws -> [PositionEvidence] {
    let cells = """
      SELECT DISTINCT t.versionId, t.party, t.category, t.stance FROM plan_version v
        JOIN plan_position_tally t ON t.versionId = v.id WHERE v.planId = ?
      """
    let firsts: String
    switch r.dialect {
    case .sqlite:
      // SQLite has no LATERAL: a correlated list of row ids, each a short range of the index.
      firsts = """
        FROM (\(cells)) AS c JOIN position p ON p.id IN (
          SELECT q.id FROM position q
          WHERE q.versionId = c.versionId AND q.party = c.party AND q.category = c.category AND q.stance = c.stance
          ORDER BY q.articleId, q.start, q.id LIMIT ?)
        """
    case .postgres:
      firsts = """
        FROM (\(cells)) AS c CROSS JOIN LATERAL (
          SELECT q.id, q.party, q.actorId, q.category, q.stance, q.evidence, q.articleId, q.start, q."end"
          FROM position q
          WHERE q.versionId = c.versionId AND q.party = c.party AND q.category = c.category AND q.stance = c.stance
          ORDER BY q.articleId, q.start, q.id LIMIT ?) AS p
        """
    }
    let rows = try r.rows(
      """
      SELECT * FROM (
        SELECT p.id, p.party, p.actorId, p.category, p.stance, p.evidence, p.articleId, p.start, p."end",
          row_number() OVER (PARTITION BY p.party, p.category, p.stance ORDER BY p.articleId, p.start, p.id) AS n
        \(firsts)
      ) AS numbered WHERE n <= ? ORDER BY party, category, articleId, start, id
      """, [planId, perCell, perCell])
    return try evidence(r, rows)
  }

  /// The party-by-issue matrix: every party's stances on each provision category, with up to
  /// `evidencePerCell` evidence sentences per stance. `planId` limits it to provisions of that
  /// plan; `negotiation` adds the analyst's parties and red lines and lists where the reporting
  /// contradicts them. Counts are aggregated in SQL, so the matrix costs the same for any record size.
  public static func positions(
    _ r: some RowReader, planId: Int64?, negotiation: NegotiationFile?, evidencePerCell: Int?
  ) throws -> PositionMatrix {
    var evidence: [PositionEvidence] = []
    let rows: [Row]
    let perCell = evidencePerCell ?? Self.evidencePerCell
    if let planId {
      // Counts from the plan's versions' tallies, and evidence from the first sentences of each
      // version's cells (`position_version_cell`): at most versions x cells x `perCell` rows
      // ranked, instead of counting and ranking every position of the plan (13,004 for one plan
      // of 100,000 articles). A cell's first sentences overall are among its versions' first.
      evidence = try planEvidence(r, planId: planId, perCell: perCell)
      rows = try r.rows(
        """
        SELECT t.party, nullif(t.actorId, '') AS actorId, t.category, t.stance, CAST(sum(t.count) AS bigint) AS n
        FROM plan_version v JOIN plan_position_tally t ON t.versionId = v.id WHERE v.planId = ?
        GROUP BY t.party, t.actorId, t.category, t.stance
        """, [planId])
    } else {
      // The whole record: counts from the tallies, and a few sentences per cell read from the
      // (party, category, stance, article) index, each a short range.
      rows = try r.rows(
        "SELECT party, nullif(actorId, '') AS actorId, category, stance, count AS n FROM position_tally", [])
      // In one order on every backend: a cell lists its stances' sentences in this order.
      var rowsOfCells: [Row] = []
      switch r.dialect {
      case .sqlite:
        let cells = try r.rows(
          "SELECT DISTINCT party, category, stance FROM position_tally ORDER BY party, category, stance", [])
        for cell in cells {
          let (party, category, stance): (String, String, String) = (cell["party"], cell["category"], cell["stance"])
          rowsOfCells += try r.rows(
            """
            SELECT party, actorId, category, stance, evidence, articleId, start, "end" FROM position
            WHERE party = ? AND category = ? AND stance = ? ORDER BY articleId, start, id LIMIT ?
            """, [party, category, stance, perCell])
        }
      case .postgres:
        // The same short ranges in one statement: a statement per cell is a round trip to the
        // server each (476 cells on 100,000 articles).
        rowsOfCells = try r.rows(
          """
          SELECT p.party, p.actorId, p.category, p.stance, p.evidence, p.articleId, p.start, p."end"
          FROM (SELECT DISTINCT party, category, stance FROM position_tally) AS c
          CROSS JOIN LATERAL (
            SELECT party, actorId, category, stance, evidence, articleId, start, "end", id FROM position
            WHERE party = c.party AND category = c.category AND stance = c.stance
            ORDER BY articleId, start, id LIMIT ?) AS p
          ORDER BY c.party, c.category, c.stance, p.articleId, p.start, p.id
          """, [perCell])
      }
      let holders = try actorRefs(r, Array(Set(rowsOfCells.compactMap { $0["actorId"] as String? })))
      evidence = rowsOfCells.map { row in
        PositionEvidence(
          party: row["party"], actor: (row["actorId"] as String?).flatMap { holders[$0] }, category: row["category"],
          stance: row["stance"], text: row["evidence"], articleId: row["articleId"], start: row["start"],
          end: row["end"], stated: false)
      }
    }
    let actors = try actorRefs(r, Array(Set(rows.compactMap { $0["actorId"] as String? })))
    let tallies = rows.map { row in
      PositionMatrix.Tally(
        party: row["party"], actor: (row["actorId"] as String?).flatMap { actors[$0] }, category: row["category"],
        stance: row["stance"], count: row["n"])
    }
    var names: [String: String] = [:]
    for row in try r.rows(
      "SELECT affiliation, name FROM actor WHERE kind = 'country' AND affiliation IS NOT NULL ORDER BY id", [])
    {
      let code: String = row["affiliation"]
      if names[code] == nil { names[code] = row["name"] }
    }
    for row in try r.rows("SELECT id, name FROM actor WHERE kind = 'organization' AND known <> 0", []) {
      let code: String = row["id"]
      if names[code.uppercased()] == nil { names[code.uppercased()] = row["name"] }
    }
    return PositionMatrix.build(evidence: evidence, tallies: tallies, names: names, negotiation: negotiation)
  }
}
