import GRDB

// Reads the web pages need in a lighter form than the general queries: the overview and the
// plans list show plans without their provisions, and a plan page needs one plan, not all.
// `versions(_:planId:withProvisions:)` is the one place that orders a plan's versions; `plans()`
// uses it too.
extension RecordStore {
  /// Plans with their versions in history order but without provisions, most mentioned first,
  /// a page at a time.
  public func planOutlines(limit: Int = 50, offset: Int = 0) throws -> Page<PlanSummary> {
    try read { db in
      let rows = try Row.fetchAll(
        db,
        sql: """
          SELECT p.id, p.name,
            (SELECT coalesce(sum(t.mentions), 0) FROM plan_version v JOIN plan_version_tally t ON t.versionId = v.id
              WHERE v.planId = p.id) AS n
          FROM plan p ORDER BY n DESC, p.id LIMIT ? OFFSET ?
          """,
        arguments: [limit, offset])
      let items = try rows.map { r in
        let id: Int64 = r["id"]
        return PlanSummary(id: id, name: r["name"], versions: try Self.versions(db, planId: id, withProvisions: false))
      }
      let total = try Int.fetchOne(db, sql: "SELECT count(*) FROM plan") ?? 0
      return Page(items: items, total: total, limit: limit, offset: offset)
    }
  }

  /// Plans in id order, a page at a time, each version with at most `provisionsPerVersion` of its
  /// earliest provisions and `articlesPerVersion` of its articles (the counts give the totals):
  /// a list stays small however often a plan is reported; `plan(id:)` has the rest.
  public func plans(limit: Int, offset: Int, provisionsPerVersion: Int, articlesPerVersion: Int) throws -> Page<
    PlanSummary
  > {
    try read { db in
      let rows = try Row.fetchAll(
        db, sql: "SELECT id, name FROM plan ORDER BY id LIMIT ? OFFSET ?", arguments: [limit, offset])
      let items = try rows.map { r in
        let id: Int64 = r["id"]
        return PlanSummary(
          id: id, name: r["name"],
          versions: try Self.versions(
            db, planId: id, withProvisions: true, provisionLimit: provisionsPerVersion,
            articleLimit: articlesPerVersion))
      }
      let total = try Int.fetchOne(db, sql: "SELECT count(*) FROM plan") ?? 0
      return Page(items: items, total: total, limit: limit, offset: offset)
    }
  }

  /// One plan with its versions and their provisions, as `plans()` has it; nil when unknown.
  public func plan(id: Int64) throws -> PlanSummary? {
    try read { db in
      guard let name = try String.fetchOne(db, sql: "SELECT name FROM plan WHERE id = ?", arguments: [id]) else {
        return nil
      }
      return PlanSummary(id: id, name: name, versions: try Self.versions(db, planId: id, withProvisions: true))
    }
  }

  /// A plan's versions, earliest first, ranked. Earliest first: marked "original"/"revised" wins,
  /// then first reported, then the larger draft (plans are trimmed more often than they grow),
  /// then first stored.
  static func versions(
    _ db: Database, planId: Int64, withProvisions: Bool, provisionLimit: Int = provisionsPerVersion,
    articleLimit: Int = .max
  ) throws -> [PlanVersionSummary] {
    try versions(
      SQLiteRowReader(db: db), planId: planId, withProvisions: withProvisions, provisionLimit: provisionLimit,
      articleLimit: articleLimit)
  }
}
