import Foundation
import GRDB

/// Checks and measurements of the database itself, for tests and benchmarks rather than users.
extension RecordStore {
  /// The tables of the record, in dependency order.
  public static let recordTables = [
    "article", "article_band", "actor", "actor_alias", "mention", "citation", "event", "report", "plan",
    "plan_version", "plan_mention", "provision", "position", "position_tally", "actor_tally", "outlet_tally",
    "plan_version_tally", "plan_version_name", "event_participant", "article_signature", "plan_link",
    "plan_family_name", "outlet_event", "outlet_event_tally", "outlet_citing_tally", "plan_position_tally",
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
  /// `positions`, `position_tally`, `plan_position_tally`, `actors` (every column of each actor
  /// row) and `actor_alias`. Loads everything in memory, so meant for small databases.
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
      // A version is named by its points and name within its family, the family by the first
      // passage (text key and offset) that mentions it.
      let planTally = try lines(
        """
        SELECT (SELECT min(a.key || '@' || pm.start) FROM plan_mention pm JOIN plan_version pv2 ON pv2.id = pm.versionId
            JOIN article a ON a.id = pm.articleId WHERE pv2.planId = pv.planId) || ' ' ||
            coalesce(pv.points, '') || '/' || pv.name AS version,
          t.party, t.actorId, t.category, t.stance, t.count
        FROM plan_position_tally t JOIN plan_version pv ON pv.id = t.versionId
        """)
      // Actors are keyed by their canonical ids, which do not depend on arrival; every column
      // the record chose for them is compared, with the spellings counted under each.
      let actors = try lines("SELECT id, name, kind, affiliation, role, sector, known FROM actor")
      let aliases = try lines("SELECT actorId, alias, count FROM actor_alias")
      return [
        "events": events, "plans": plans, "positions": positions, "position_tally": tally,
        "plan_position_tally": planTally, "actors": actors, "actor_alias": aliases,
      ]
    }
  }

  /// References that point nowhere (`PRAGMA foreign_key_check`), events whose report count
  /// disagrees with their reports and articles whose near-copy signature row is missing or
  /// differs: empty for a consistent record.
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
      if try db.tableExists("article_signature") {
        for id in try Int64.fetchAll(
          db,
          sql: """
            SELECT a.id FROM article a LEFT JOIN article_signature s ON s.articleId = a.id
            WHERE s.articleId IS NULL OR s.signature IS NOT a.signature OR s.duplicateOf IS NOT a.duplicateOf
            """)
        {
          problems.append("article \(id) has no near-copy signature row, or one that differs from the article's")
        }
      }
      return problems
    }
  }

  /// Where the tallies the pages read (`actor_tally`, `outlet_tally`, `plan_version_tally`,
  /// `plan_version_name`, the sources tallies of migration v10 and `plan_position_tally`) differ
  /// from a count of the rows they summarize: empty for a consistent record. One line per
  /// differing actor, outlet, version or cell.
  public func tallyProblems() throws -> [String] {
    try read { db in
      var problems: [String] = []
      for row in try Row.fetchAll(
        db,
        sql: """
          SELECT ids.aid AS id, coalesce(t.articles, 0) AS ta, coalesce(t.mentions, 0) AS tm,
            coalesce(t.events, 0) AS te,
            (SELECT count(DISTINCT m.articleId) FROM mention m WHERE m.actorId = ids.aid) AS a,
            (SELECT count(*) FROM mention m WHERE m.actorId = ids.aid) AS m,
            (SELECT count(*) FROM event e WHERE e.sourceId = ids.aid)
              + (SELECT count(*) FROM event e WHERE e.targetId = ids.aid) AS e
          FROM (SELECT id AS aid FROM actor UNION SELECT actorId FROM actor_tally) ids
            LEFT JOIN actor_tally t ON t.actorId = ids.aid
          WHERE ta <> a OR tm <> m OR te <> e ORDER BY ids.aid
          """)
      {
        let id: String = row["id"]
        problems.append(
          "actor \(id): tally \(row["ta"] as Int)/\(row["tm"] as Int)/\(row["te"] as Int) articles/mentions/events, "
            + "counted \(row["a"] as Int)/\(row["m"] as Int)/\(row["e"] as Int)")
      }
      for row in try Row.fetchAll(
        db,
        sql: """
          SELECT names.o AS o, coalesce(t.published, 0) AS tp, coalesce(t.cited, 0) AS tc,
            coalesce(t.reports, 0) AS tr,
            (SELECT count(*) FROM article a WHERE a.outlet = names.o) AS p,
            (SELECT count(*) FROM citation c WHERE c.outlet = names.o) AS c,
            (SELECT count(*) FROM report r WHERE r.cited = names.o) AS r
          FROM (SELECT outlet AS o FROM article WHERE outlet IS NOT NULL UNION SELECT outlet FROM citation
            UNION SELECT cited FROM report WHERE cited IS NOT NULL UNION SELECT outlet FROM outlet_tally) names
            LEFT JOIN outlet_tally t ON t.outlet = names.o
          WHERE tp <> p OR tc <> c OR tr <> r ORDER BY names.o
          """)
      {
        let outlet: String = row["o"]
        problems.append(
          "outlet \(outlet): tally \(row["tp"] as Int)/\(row["tc"] as Int)/\(row["tr"] as Int) published/cited/reports, "
            + "counted \(row["p"] as Int)/\(row["c"] as Int)/\(row["r"] as Int)")
      }
      for row in try Row.fetchAll(
        db,
        sql: """
          SELECT v.id, t.mentions AS tm, t.cue AS tc, t.first AS tf, t.articles AS ta, t.provisions AS tp,
            (SELECT count(*) FROM plan_mention pm WHERE pm.versionId = v.id) AS m,
            (SELECT coalesce(sum(pm.cue), 0) FROM plan_mention pm WHERE pm.versionId = v.id) AS c,
            (SELECT coalesce(min(coalesce(a.published, '~')), '~') FROM plan_mention pm
              JOIN article a ON a.id = pm.articleId WHERE pm.versionId = v.id) AS f,
            (SELECT count(DISTINCT pm.articleId) FROM plan_mention pm WHERE pm.versionId = v.id) AS a,
            (SELECT count(*) FROM provision pr WHERE pr.versionId = v.id) AS p,
            (SELECT count(*) FROM (SELECT name, count(*) AS n FROM plan_mention pm WHERE pm.versionId = v.id
              GROUP BY name EXCEPT SELECT name, count FROM plan_version_name n WHERE n.versionId = v.id))
            + (SELECT count(*) FROM (SELECT name, count FROM plan_version_name n WHERE n.versionId = v.id
              EXCEPT SELECT name, count(*) FROM plan_mention pm WHERE pm.versionId = v.id GROUP BY name)) AS names
          FROM plan_version v LEFT JOIN plan_version_tally t ON t.versionId = v.id
          WHERE t.versionId IS NULL OR tm <> m OR tc <> c OR tf <> f OR ta <> a OR tp <> p OR names > 0
          ORDER BY v.id
          """)
      {
        let id: Int64 = row["id"]
        problems.append(
          "plan version \(id): tally \(row["tm"] as Int?)/\(row["tc"] as Int?)/\(row["tf"] as String?)/"
            + "\(row["ta"] as Int?)/\(row["tp"] as Int?) mentions/cue/first/articles/provisions, counted "
            + "\(row["m"] as Int)/\(row["c"] as Int)/\(row["f"] as String)/\(row["a"] as Int)/\(row["p"] as Int), "
            + "\(row["names"] as Int) names differ")
      }
      try sourceTallyProblems(db, into: &problems)
      try planPositionTallyProblems(db, into: &problems)
      return problems
    }
  }

  /// `plan_position_tally` against a count of the positions of each version's provisions, and
  /// each position's `versionId` against its provision's (the index the evidence is read from).
  func planPositionTallyProblems(_ db: Database, into problems: inout [String]) throws {
    for row in try Row.fetchAll(
      db,
      sql: """
        SELECT p.id, p.versionId, pr.versionId AS provisionVersion FROM position p
          JOIN provision pr ON pr.id = p.provisionId
        WHERE p.versionId IS NOT pr.versionId ORDER BY p.id
        """)
    {
      problems.append(
        "position \(row["id"] as Int64): version \(row["versionId"] as Int64?), its provision's "
          + "\(row["provisionVersion"] as Int64?)")
    }
    for row in try Row.fetchAll(
      db,
      sql: """
        SELECT v, party, actorId, category, stance, sum(tallied) AS t, sum(counted) AS c, sum(empty) AS e FROM (
          SELECT versionId AS v, party, actorId, category, stance, count AS tallied, 0 AS counted,
            count <= 0 AS empty FROM plan_position_tally
          UNION ALL SELECT pr.versionId, p.party, coalesce(p.actorId, ''), p.category, p.stance, 0, 1, 0
            FROM position p JOIN provision pr ON pr.id = p.provisionId WHERE pr.versionId IS NOT NULL
        ) GROUP BY v, party, actorId, category, stance HAVING t <> c OR e > 0
        ORDER BY v, party, actorId, category, stance
        """)
    {
      problems.append(
        "plan version \(row["v"] as Int64), \(row["party"] as String)/\(row["actorId"] as String) "
          + "\(row["stance"] as String) \(row["category"] as String): tally \(row["t"] as Int), counted \(row["c"] as Int)"
      )
    }
  }

  /// The sources tallies (`outlet_event`, `outlet_event_tally`, `outlet_citing_tally`) against a
  /// count of the reports and citations they summarize; a row counting nothing should be gone.
  func sourceTallyProblems(_ db: Database, into problems: inout [String]) throws {
    for row in try Row.fetchAll(
      db,
      sql: """
        SELECT o, eventId, sum(tallied) AS t, sum(counted) AS c, sum(empty) AS e FROM (
          SELECT outlet AS o, eventId, reports AS tallied, 0 AS counted, reports <= 0 AS empty FROM outlet_event
          UNION ALL SELECT a.outlet, r.eventId, 0, 1, 0 FROM report r JOIN article a ON a.id = r.articleId
            WHERE a.outlet IS NOT NULL
          UNION ALL SELECT r.cited, r.eventId, 0, 1, 0 FROM report r WHERE r.cited IS NOT NULL
        ) GROUP BY o, eventId HAVING t <> c OR e > 0 ORDER BY o, eventId
        """)
    {
      problems.append(
        "outlet \(row["o"] as String) in event \(row["eventId"] as Int64): tally \(row["t"] as Int) reports, "
          + "counted \(row["c"] as Int)")
    }
    for row in try Row.fetchAll(
      db,
      sql: """
        SELECT o, sum(tallied) AS t, sum(counted) AS c FROM (
          SELECT outlet AS o, events AS tallied, 0 AS counted FROM outlet_event_tally
          UNION ALL SELECT outlet, 0, count(*) FROM outlet_event GROUP BY outlet
        ) GROUP BY o HAVING t <> c ORDER BY o
        """)
    {
      problems.append("outlet \(row["o"] as String): tally \(row["t"] as Int) events, counted \(row["c"] as Int)")
    }
    for row in try Row.fetchAll(
      db,
      sql: """
        SELECT o, citing, sum(tallied) AS t, sum(counted) AS c, sum(empty) AS e FROM (
          SELECT outlet AS o, citing, citations AS tallied, 0 AS counted, citations <= 0 AS empty
            FROM outlet_citing_tally
          UNION ALL SELECT c.outlet, coalesce(a.outlet, 'unattributed'), 0, 1, 0
            FROM citation c JOIN article a ON a.id = c.articleId
        ) GROUP BY o, citing HAVING t <> c OR e > 0 ORDER BY o, citing
        """)
    {
      problems.append(
        "outlet \(row["o"] as String) cited by \(row["citing"] as String): tally \(row["t"] as Int), "
          + "counted \(row["c"] as Int)")
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
