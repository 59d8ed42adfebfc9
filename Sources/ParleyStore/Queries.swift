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

  // MARK: Articles

  /// Articles, newest first (undated last), a page at a time.
  public static func articles(_ r: some RowReader, limit: Int, offset: Int) throws -> Page<ArticleSummary> {
    let rows = try r.rows(
      """
      SELECT \(articleColumns) FROM article a
      ORDER BY a.published IS NULL, a.published DESC, a.id LIMIT ? OFFSET ?
      """, [limit, offset])
    return Page(
      items: rows.map(articleSummary), total: try value(r, "SELECT count(*) FROM article") ?? 0, limit: limit,
      offset: offset)
  }

  /// One article with its source and everything to highlight in it; nil when there is no such id.
  public static func article(_ r: some RowReader, id: Int64) throws -> ArticleDetail? {
    guard
      let row = try r.rows(
        "SELECT \(articleColumns), a.source, a.format, a.duplicateParagraphsRemoved FROM article a WHERE a.id = ?",
        [id]
      ).first
    else { return nil }
    var highlights: [Highlight] = []
    for m in try r.rows(
      """
      SELECT m.start, m."end", m.text, m.actorId, actor.name FROM mention m JOIN actor ON actor.id = m.actorId
      WHERE m.articleId = ?
      """, [id])
    {
      highlights.append(
        Highlight(kind: "actor", start: m["start"], end: m["end"], text: m["text"], ref: m["actorId"], label: m["name"])
      )
    }
    for c in try r.rows("SELECT start, \"end\", text, outlet FROM citation WHERE articleId = ?", [id]) {
      highlights.append(
        Highlight(
          kind: "citation", start: c["start"], end: c["end"], text: c["text"], ref: c["outlet"], label: c["outlet"]))
    }
    for e in try r.rows("SELECT start, \"end\", text, eventId, cameo, trigger FROM report WHERE articleId = ?", [id]) {
      let code: String = e["cameo"]
      highlights.append(
        Highlight(
          kind: "event", start: e["start"], end: e["end"], text: e["text"], ref: String(e["eventId"] as Int64),
          label: "\(code) \(label(code))"))
    }
    for p in try r.rows(
      """
      SELECT pm.start, pm."end", pm.name, v.planId FROM plan_mention pm JOIN plan_version v ON v.id = pm.versionId
      WHERE pm.articleId = ?
      """, [id])
    {
      highlights.append(
        Highlight(
          kind: "plan", start: p["start"], end: p["end"], text: p["name"], ref: String(p["planId"] as Int64),
          label: p["name"]))
    }
    for p in try r.rows("SELECT start, \"end\", text, category FROM provision WHERE articleId = ?", [id]) {
      highlights.append(
        Highlight(
          kind: "provision", start: p["start"], end: p["end"], text: p["text"], ref: p["category"],
          label: p["category"]))
    }
    // Every field of the key: the rows come in no promised order, and two backends may differ.
    highlights.sort {
      ($0.start, $0.end, $0.kind, $0.ref, $0.text) < ($1.start, $1.end, $1.kind, $1.ref, $1.text)
    }
    let summary = articleSummary(row)
    let root = summary.nearCopyOf ?? summary.id
    let copies = try r.rows(
      """
      SELECT \(articleColumns) FROM article a
      WHERE (a.id = ? OR a.duplicateOf = ?) AND a.id <> ? ORDER BY a.id
      """, [root, root, id]
    ).map(articleSummary)
    return ArticleDetail(
      article: summary, format: row["format"], source: row["source"], highlights: highlights, nearCopies: copies,
      duplicateParagraphsRemoved: row["duplicateParagraphsRemoved"])
  }

  // MARK: Actors

  // The counts come from `actor_tally`, kept by triggers as mentions and events are written:
  // counting them here from every mention made ranking the actors cost 50 ms on 10,000 articles.
  static let actorColumns = """
    actor.id, actor.name, actor.kind, actor.affiliation, actor.role, actor.sector, actor.known,
    coalesce((SELECT t.articles FROM actor_tally t WHERE t.actorId = actor.id), 0) AS articleCount,
    coalesce((SELECT t.mentions FROM actor_tally t WHERE t.actorId = actor.id), 0) AS mentionCount,
    coalesce((SELECT t.events FROM actor_tally t WHERE t.actorId = actor.id), 0) AS eventCount
    """

  static func actorSummary(_ row: Row) -> ActorSummary {
    ActorSummary(
      id: row["id"], name: row["name"], kind: row["kind"], affiliation: row["affiliation"], role: row["role"],
      sector: row["sector"], known: row["known"], articles: row["articleCount"], mentions: row["mentionCount"],
      events: row["eventCount"])
  }

  /// Actors, most mentioned first; `kind` and `query` (a substring of a name or spelling, ASCII
  /// case ignored) filter.
  public static func actors(_ r: some RowReader, kind: String?, query: String?, limit: Int, offset: Int) throws
    -> Page<ActorSummary>
  {
    var conditions: [String] = []
    var args: [(any DatabaseValueConvertible)?] = []
    if let kind {
      conditions.append("actor.kind = ?")
      args.append(kind)
    }
    if let query, !query.isEmpty {
      let like = like(r.dialect)
      conditions.append(
        "(actor.name \(like) ? OR actor.id IN (SELECT actorId FROM actor_alias WHERE alias \(like) ?))")
      args += ["%\(query)%", "%\(query)%"]
    }
    let whereSQL = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
    let total: Int = try value(r, "SELECT count(*) FROM actor \(whereSQL)", args) ?? 0
    let rows = try r.rows(
      """
      SELECT \(actorColumns) FROM actor \(whereSQL)
      ORDER BY mentionCount DESC, actor.id LIMIT ? OFFSET ?
      """, args + [limit, offset])
    return Page(items: rows.map(actorSummary), total: total, limit: limit, offset: offset)
  }

  /// One actor with its first `eventLimit` events, counterparts and positions (the first
  /// `evidencePerCell` of each party, issue and stance; nil: all); nil when unknown.
  public static func actor(_ r: some RowReader, id: String, eventLimit: Int, evidencePerCell: Int? = nil) throws
    -> ActorDetail?
  {
    guard let row = try r.rows("SELECT \(actorColumns) FROM actor WHERE actor.id = ?", [id]).first else {
      return nil
    }
    let aliases: [String] = try r.rows(
      "SELECT alias FROM actor_alias WHERE actorId = ? ORDER BY count DESC, alias", [id]
    ).map { $0["alias"] }
    // A counterpart met as often in both directions ties on everything but the direction: it
    // orders too, or each backend would break the tie its own way.
    let counts = try r.rows(
      """
      SELECT other, root, n, outgoing FROM (
        SELECT targetId AS other, root, count(*) AS n, 1 AS outgoing FROM event
        WHERE sourceId = ? AND targetId IS NOT NULL GROUP BY targetId, root
        UNION ALL
        SELECT sourceId AS other, root, count(*) AS n, 0 AS outgoing FROM event
        WHERE targetId = ? AND sourceId IS NOT NULL GROUP BY sourceId, root
      ) AS counted ORDER BY n DESC, other, root, outgoing DESC
      """, [id, id])
    let others = try actorRefs(r, Array(Set(counts.map { $0["other"] as String })))
    let interactions = counts.compactMap { c -> Interaction? in
      guard let other = others[c["other"]] else { return nil }
      let root: String = c["root"]
      return Interaction(counterpart: other, root: root, label: label(root), count: c["n"], outgoing: c["outgoing"])
    }
    let positions = try positionEvidence(r, sql: "WHERE p.actorId = ?", arguments: [id], perCell: evidencePerCell)
    let events = try events(r, EventFilter(actor: id, limit: eventLimit), withReports: false).items
    return ActorDetail(
      actor: actorSummary(row), aliases: aliases, events: events, interactions: interactions, positions: positions)
  }

  /// Reports listed per event in timeline views; the counts always cover every report.
  public static let reportsShownPerEvent = 20
  /// Article ids listed per event; a much-reported event lists its first ones.
  public static let articleIdsPerEvent = 100

  // MARK: Plans

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

  /// Sentences listed per matrix cell and stance; the counts always cover all of them.
  public static let evidencePerCell = 5

  // MARK: Sources

  /// Outlets: what each published, how often it is cited and by which other outlets, and how
  /// many events rest on it. Read from the tallies (`outlet_tally`, `outlet_event_tally`,
  /// `outlet_citing_tally`), which hold exactly what counting every article, report and citation
  /// gives (`tallyProblems()` compares them): counting took more than 5 s on 100,000 articles.
  public static func sources(_ r: some RowReader, limit: Int) throws -> [OutletSummary] {
    var byName: [String: OutletSummary] = [:]
    // Every outlet an article, a citation or a report names; a tally row counting nothing is one
    // whose rows are gone, which the list never showed.
    for row in try r.rows(
      "SELECT outlet, published, cited FROM outlet_tally WHERE published + cited + reports > 0", [])
    {
      let name: String = row["outlet"]
      byName[name] = OutletSummary(
        outlet: name, published: row["published"], cited: row["cited"], events: 0, citedBy: [:])
    }
    let chosen = byName.values.sorted { ($0.published + $0.cited, $1.outlet) > ($1.published + $1.cited, $0.outlet) }
      .prefix(limit)
    var listed = Dictionary(uniqueKeysWithValues: chosen.map { ($0.outlet, $0) })
    for row in try r.rows("SELECT outlet, events FROM outlet_event_tally WHERE events > 0", []) {
      let name: String = row["outlet"]
      listed[name]?.events = row["events"]
    }
    for row in try r.rows("SELECT outlet, citing, citations FROM outlet_citing_tally WHERE citations > 0", []) {
      let name: String = row["outlet"]
      listed[name]?.citedBy[row["citing"]] = row["citations"]
    }
    return chosen.compactMap { listed[$0.outlet] }
  }

  /// The names of the `limit` outlets that published or are cited most, in the order (and with
  /// the ties) of `sources(limit:)`, read from `outlet_tally` instead of counting every article,
  /// citation and report: the timeline's outlet menu needs the names only. The tally holds every
  /// outlet the sources list has, those only named by a report (counting zero) included.
  public static func topOutlets(_ r: some RowReader, limit: Int) throws -> [String] {
    let ranked: [(outlet: String, total: Int)] = try r.rows(
      "SELECT outlet, published + cited AS n FROM outlet_tally WHERE published + cited + reports > 0", []
    ).map { ($0["outlet"], $0["n"]) }
    // Sorted here, with the comparison `sources` uses, so that ties and non-ASCII names order alike.
    return ranked.sorted { ($0.total, $1.outlet) > ($1.total, $0.outlet) }.prefix(limit).map(\.outlet)
  }

  // MARK: Search

  /// A user's words as an FTS5 query that cannot be a syntax error: each word or quoted phrase
  /// becomes a quoted string; a trailing `*` keeps prefix search.
  static func ftsQuery(_ text: String) -> String {
    SearchTerms.parse(text).map { "\"\($0.text)\"" + ($0.prefix ? "*" : "") }.joined(separator: " ")
  }

  // MARK: Export

  /// Events read per statement by `exportEvents`: memory stays bounded whatever the record's size.
  public static let exportPageSize = 1_000

  /// The distinct values of `expression` in a group as one comma-separated text, in no promised order.
  static func distinctList(_ expression: String, _ dialect: SQLDialect) -> String {
    dialect == .sqlite
      ? "group_concat(DISTINCT \(expression))" : "string_agg(DISTINCT (\(expression))::text, ',')"
  }

  /// Every event as one export row, in timeline order, handed over one at a time: the events are
  /// read `pageSize` at a time (keyset on the timeline order), so memory stays constant.
  public static func exportEvents(
    _ r: some RowReader, pageSize: Int = exportPageSize, _ body: (ExportRow) throws -> Void
  ) throws {
    var after: (sortKey: String, id: Int64)?
    repeat {
      var args: [(any DatabaseValueConvertible)?] = []
      var whereSQL = ""
      if let after {
        whereSQL = "WHERE e.sortKey > ? OR (e.sortKey = ? AND e.id > ?)"
        args = [after.sortKey, after.sortKey, after.id]
      }
      let rows = try r.rows(
        """
        SELECT e.id, e.cameo, e.root, e.date, e.sortKey, e.reportCount,
          s.id AS sid, s.name AS sname, s.affiliation AS saff, s.kind AS skind,
          t.id AS tid, t.name AS tname, t.affiliation AS taff, t.kind AS tkind, l.name AS lname,
          (SELECT \(distinctList("coalesce(r.cited, a.outlet)", r.dialect)) FROM report r JOIN article a ON a.id = r.articleId WHERE r.eventId = e.id) AS sources,
          (SELECT \(distinctList("r.articleId", r.dialect)) FROM report r WHERE r.eventId = e.id) AS articles,
          (SELECT count(DISTINCT coalesce(a.duplicateOf, a.id)) FROM report r JOIN article a ON a.id = r.articleId WHERE r.eventId = e.id) AS independent,
          (SELECT r.text FROM report r WHERE r.eventId = e.id ORDER BY r.articleId, r.start, r.id LIMIT 1) AS text
        FROM event e LEFT JOIN actor s ON s.id = e.sourceId LEFT JOIN actor t ON t.id = e.targetId
          LEFT JOIN actor l ON l.id = e.location
        \(whereSQL)
        ORDER BY e.sortKey, e.id LIMIT ?
        """, args + [pageSize])
      for row in rows {
        let cameo: String = row["cameo"]
        let sortKey: String = row["sortKey"]
        try body(
          ExportRow(
            eventId: row["id"], date: (row["date"] as String?) ?? (sortKey == "~" ? nil : sortKey),
            sourceId: row["sid"], sourceName: row["sname"], sourceCountry: row["saff"], sourceKind: row["skind"],
            targetId: row["tid"], targetName: row["tname"], targetCountry: row["taff"], targetKind: row["tkind"],
            cameo: cameo, root: row["root"], quadClass: CAMEOCode(cameo)?.quadClass ?? 0,
            goldstein: goldstein(cameo), location: row["lname"], reports: row["reportCount"],
            independentSources: row["independent"],
            sources: ((row["sources"] as String?) ?? "").split(separator: ",").map(String.init).sorted(),
            articleIds: ((row["articles"] as String?) ?? "").split(separator: ",").compactMap { Int64($0) }.sorted(),
            text: (row["text"] as String?) ?? ""))
      }
      after = rows.count < pageSize ? nil : rows.last.map { ($0["sortKey"], $0["id"]) }
    } while after != nil
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
