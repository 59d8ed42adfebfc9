import GRDB

// Reads the web pages need in a lighter form than the general queries: the overview and the
// plans list show plans without their provisions, and a plan page needs one plan, not all.
// `versions(_:planId:withProvisions:)` is the one place that orders a plan's versions; `plans()`
// uses it too.
extension RecordStore {
  /// Plans with their versions in history order but without provisions or article ids (the
  /// counts give the totals), most mentioned first, a page at a time. The pages that list plans
  /// show counts only, and the ids were 100,000 rows on 100,000 articles.
  public static func planOutlines(_ r: some RowReader, limit: Int, offset: Int) throws -> Page<PlanSummary> {
    let rows = try r.rows(
      """
      SELECT p.id, p.name,
        (SELECT coalesce(sum(t.mentions), 0) FROM plan_version v JOIN plan_version_tally t ON t.versionId = v.id
          WHERE v.planId = p.id) AS n
      FROM plan p ORDER BY n DESC, p.id LIMIT ? OFFSET ?
      """, [limit, offset])
    let items = try rows.map { row in
      let id: Int64 = row["id"]
      return PlanSummary(
        id: id, name: row["name"], versions: try versions(r, planId: id, withProvisions: false, articleLimit: 0))
    }
    let total: Int = try value(r, "SELECT count(*) FROM plan") ?? 0
    return Page(items: items, total: total, limit: limit, offset: offset)
  }

  /// Plans in id order, a page at a time, each version with at most `provisionsPerVersion` of its
  /// earliest provisions and `articlesPerVersion` of its articles (the counts give the totals):
  /// a list stays small however often a plan is reported; `plan(id:)` has the rest.
  public static func plans(
    _ r: some RowReader, limit: Int, offset: Int, provisionsPerVersion: Int, articlesPerVersion: Int
  ) throws -> Page<PlanSummary> {
    let rows = try r.rows("SELECT id, name FROM plan ORDER BY id LIMIT ? OFFSET ?", [limit, offset])
    let items = try rows.map { row in
      let id: Int64 = row["id"]
      return PlanSummary(
        id: id, name: row["name"],
        versions: try versions(
          r, planId: id, withProvisions: true, provisionLimit: provisionsPerVersion, articleLimit: articlesPerVersion))
    }
    let total: Int = try value(r, "SELECT count(*) FROM plan") ?? 0
    return Page(items: items, total: total, limit: limit, offset: offset)
  }

  /// One plan with its versions and their provisions, as `plans()` has it; nil when unknown.
  public static func plan(_ r: some RowReader, id: Int64, articlesPerVersion: Int = .max) throws -> PlanSummary? {
    guard let name: String = try value(r, "SELECT name FROM plan WHERE id = ?", [id]) else { return nil }
    return PlanSummary(
      id: id, name: name,
      versions: try versions(r, planId: id, withProvisions: true, articleLimit: articlesPerVersion))
  }
}
