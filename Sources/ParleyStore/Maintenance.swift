import Foundation
import GRDB

/// Checks and measurements of the database itself, for tests and benchmarks rather than users.
extension RecordStore {
  /// The tables of the record, in dependency order.
  public static let recordTables = [
    "article", "article_band", "actor", "actor_alias", "mention", "citation", "event", "report", "plan",
    "plan_version", "plan_mention", "provision", "position", "position_tally",
  ]

  /// Every row of each table as one line of text, sorted: two databases with the same content
  /// (ids included) give equal dumps. Loads everything in memory, so meant for small databases.
  public func dump(tables: [String] = RecordStore.recordTables) throws -> [String: [String]] {
    try read { db in
      var out: [String: [String]] = [:]
      for table in tables {
        let quoted = table.quotedDatabaseIdentifier
        var lines: [String] = []
        let cursor = try Row.fetchCursor(db, sql: "SELECT * FROM \(quoted)")
        while let row = try cursor.next() {
          lines.append(
            row.columnNames.map { "\($0)=\(Self.canonical(row[$0] as DatabaseValue))" }.joined(separator: "|"))
        }
        // Sorting the text rather than ordering in SQL keeps the order independent of indexes.
        out[table] = lines.sorted()
      }
      return out
    }
  }

  /// Rows per table.
  public func rowCounts(tables: [String] = RecordStore.recordTables) throws -> [String: Int] {
    try read { db in
      var out: [String: Int] = [:]
      for table in tables {
        out[table] = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table.quotedDatabaseIdentifier)") ?? 0
      }
      return out
    }
  }

  /// Per article (by its text key), how many rows it owns in each table that hangs off it.
  /// These depend only on the article, not on what was stored before it, so two databases
  /// filled in different orders (or by interleaved processes) must agree on them.
  public func articleFootprints() throws -> [String: [String: Int]] {
    let owned = ["article_band", "mention", "citation", "report", "plan_mention", "provision", "position"]
    return try read { db in
      var out: [String: [String: Int]] = [:]
      for key in try String.fetchAll(db, sql: "SELECT key FROM article") { out[key] = [:] }
      for table in owned {
        for row in try Row.fetchAll(
          db,
          sql: """
            SELECT a.key, count(*) AS n FROM \(table.quotedDatabaseIdentifier) t JOIN article a ON a.id = t.articleId
            GROUP BY a.key
            """)
        {
          out[row["key"], default: [:]][table] = row["n"]
        }
      }
      return out
    }
  }

  /// The merged record without row ids, which depend on the order articles arrived in: each
  /// event, plan and position described by what it says and the article passages (text key and
  /// offsets) it rests on. Two databases holding the same set of articles must give equal results,
  /// whatever order the articles were ingested in. Sorted lines per part: `events`, `plans`,
  /// `positions` and `position_tally`. Loads everything in memory, so meant for small databases.
  public func canonicalRecord() throws -> [String: [String]] {
    try read { db in
      func lines(_ sql: String) throws -> [String] {
        try Row.fetchAll(db, sql: sql).map { row in
          row.columnNames.map { "\($0)=\(Self.canonical(row[$0] as DatabaseValue))" }.joined(separator: "|")
        }.sorted()
      }
      // A report, plan mention or provision is named by its article's text key and its offsets.
      let events = try lines(
        """
        SELECT e.cameo, e.root, e.sourceId, e.targetId, e.date, e.location, e.sortKey, e.reportCount,
          (SELECT group_concat(x, ' ') FROM (
            SELECT a.key || '@' || r.start || '-' || r."end" || ':' || r.cameo || ':' || coalesce(r.date, '') AS x
            FROM report r JOIN article a ON a.id = r.articleId WHERE r.eventId = e.id ORDER BY x)) AS reports
        FROM event e
        """)
      let plans = try lines(
        """
        SELECT p.name,
          (SELECT group_concat(v, ' ; ') FROM (
            SELECT coalesce(pv.points, '') || '/' || pv.name || ': ' ||
              (SELECT group_concat(x, ' ') FROM (
                SELECT a.key || '@' || pm.start AS x FROM plan_mention pm JOIN article a ON a.id = pm.articleId
                WHERE pm.versionId = pv.id ORDER BY x)) || ' provisions ' ||
              coalesce((SELECT group_concat(x, ' ') FROM (
                SELECT a.key || '@' || pr.start AS x FROM provision pr JOIN article a ON a.id = pr.articleId
                WHERE pr.versionId = pv.id ORDER BY x)), '') AS v
            FROM plan_version pv WHERE pv.planId = p.id ORDER BY v)) AS versions
        FROM plan p
        """)
      let positions = try lines(
        """
        SELECT po.party, po.actorId, po.category, po.stance, a.key || '@' || po.start || '-' || po."end" AS passage,
          pa.key || '@' || pr.start AS provision
        FROM position po JOIN article a ON a.id = po.articleId
          JOIN provision pr ON pr.id = po.provisionId JOIN article pa ON pa.id = pr.articleId
        """)
      let tally = try lines("SELECT party, actorId, category, stance, count FROM position_tally")
      return ["events": events, "plans": plans, "positions": positions, "position_tally": tally]
    }
  }

  /// References that point nowhere (`PRAGMA foreign_key_check`) and events whose report count
  /// disagrees with their reports: empty for a consistent record.
  public func consistencyProblems() throws -> [String] {
    try read { db in
      var problems: [String] = []
      for row in try Row.fetchAll(db, sql: "PRAGMA foreign_key_check") {
        let table: String = row[0]
        let rowid: Int64? = row[1]
        let parent: String = row[2]
        problems.append("\(table) row \(rowid.map(String.init) ?? "?") refers to a missing \(parent)")
      }
      for row in try Row.fetchAll(
        db,
        sql: """
          SELECT e.id, e.reportCount, (SELECT count(*) FROM report r WHERE r.eventId = e.id) AS n FROM event e
          WHERE e.reportCount <> (SELECT count(*) FROM report r WHERE r.eventId = e.id)
          """)
      {
        let id: Int64 = row["id"]
        let stored: Int = row["reportCount"]
        let actual: Int = row["n"]
        problems.append("event \(id) counts \(stored) reports but has \(actual)")
      }
      return problems
    }
  }

  /// FTS5's own check that the search index matches the article table ("ok" or SQLite's error).
  public func searchIndexCheck() throws -> String {
    do {
      try pool.write { db in
        try db.execute(sql: "INSERT INTO article_fts(article_fts) VALUES ('integrity-check')")
      }
      return "ok"
    } catch let error as DatabaseError {
      return error.message ?? "\(error)"
    }
  }

  /// `EXPLAIN QUERY PLAN` of a statement: one line per step, indented by depth, so a benchmark
  /// can show whether a slow query walks an index or scans a table.
  public func queryPlan(_ sql: String, arguments: [String] = []) throws -> [String] {
    try read { db in
      var depth: [Int: Int] = [:]
      var lines: [String] = []
      for row in try Row.fetchAll(
        db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: StatementArguments(arguments))
      {
        let id: Int = row["id"]
        let parent: Int = row["parent"]
        let level = (depth[parent] ?? -1) + 1
        depth[id] = level
        lines.append(String(repeating: "  ", count: level) + (row["detail"] as String? ?? ""))
      }
      return lines
    }
  }

  /// Bytes on disk: the database file, its write-ahead log and the shared-memory index.
  public func fileSizes() -> (database: Int, wal: Int, shm: Int) {
    func size(_ p: String) -> Int {
      ((try? FileManager.default.attributesOfItem(atPath: p))?[.size] as? NSNumber)?.intValue ?? 0
    }
    return (size(path), size(path + "-wal"), size(path + "-shm"))
  }

  /// Copies the write-ahead log into the database file and empties it, so the file size is the
  /// size of the data (the log otherwise keeps its high-water mark).
  public func checkpoint() throws {
    try pool.writeWithoutTransaction { db in
      _ = try Row.fetchAll(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)")
    }
  }

  static func canonical(_ value: DatabaseValue) -> String {
    switch value.storage {
    case .null: return "NULL"
    case .int64(let i): return String(i)
    case .double(let d): return String(d)
    case .string(let s): return s.debugDescription
    case .blob(let data): return "x'" + data.map { String(format: "%02x", $0) }.joined() + "'"
    }
  }
}
