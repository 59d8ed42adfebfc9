import Foundation
import GRDB
import Hummingbird
import ParleyStore
import Testing

@testable import ParleyServer

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// The tallies the pages read instead of counting the record (`actor_tally`, `outlet_tally`) and
/// the cache of rendered answers: both must give exactly what counting and rendering give.
@Suite("Precomputed aggregates and the answer cache")
struct TallyTests {
  static let examples = Support.packageRoot.appendingPathComponent("Examples/articles").path

  @Test("Tallies equal a count of the base tables after the seeds, and after a second, overlapping ingest")
  func talliesMatchRecount() throws {
    let (store, first) = try StoreSupport.store(ingesting: [Support.seedsDirectory.path])
    #expect(first.failed.isEmpty)
    #expect(try store.tallyProblems() == [String]())
    #expect(try store.rowCounts(tables: ["outlet_event", "outlet_citing_tally"]).values.allSatisfy { $0 > 0 })
    let seeded = try tallies(store)
    #expect(seeded.actors.contains { $0.mentions > 0 && $0.events > 0 }, "the seeds mention actors in events")
    #expect(!seeded.outlets.isEmpty)

    // The seeds again (all duplicates) and the examples (new articles, some on the same events).
    let second = Ingestor(store: store, preparer: try StoreSupport.preparer()).run(paths: [
      Support.seedsDirectory.path, Self.examples,
    ])
    #expect(second.duplicates >= first.new, "the seeds are known the second time")
    #expect(second.new > 0)
    #expect(try store.tallyProblems() == [String]())
    let grown = try tallies(store)
    #expect(grown.actors.map(\.mentions).reduce(0, +) > seeded.actors.map(\.mentions).reduce(0, +))
  }

  /// Takes the database at `path` back to before a migration: drops the triggers whose name
  /// matches the `triggers` condition, then runs `sql` (its tables, indexes and record).
  func undoMigration(at path: String, triggers: String, then sql: String) throws {
    let queue = try DatabaseQueue(path: path)
    try queue.write { db in
      for name in try String.fetchAll(
        db, sql: "SELECT name FROM sqlite_master WHERE type = 'trigger' AND (\(triggers))")
      {
        try db.execute(sql: "DROP TRIGGER \(name.quotedDatabaseIdentifier)")
      }
      try db.execute(sql: sql)
    }
    try queue.close()
  }

  @Test("A record written before the tallies gets them filled in when opened")
  func migrationBackfills() throws {
    let (store, _) = try StoreSupport.store(ingesting: [Support.seedsDirectory.path, Self.examples])
    let expected = try tallies(store)
    let path = store.path
    // Take the database back to what the previous schema version wrote: no tallies, no
    // triggers, no index, and no record of the migration.
    try undoMigration(
      at: path,
      triggers: "name LIKE 'actor_tally%' OR name LIKE 'outlet_tally%' OR name LIKE 'plan_version_tally%'",
      then: """
        DROP TABLE actor_tally; DROP TABLE outlet_tally; DROP TABLE plan_version_tally;
        DROP TABLE plan_version_name; DROP INDEX article_newest; DROP INDEX plan_mention_version_article;
        DELETE FROM grdb_migrations WHERE identifier LIKE 'v6:%';
        """)
    let reopened = try RecordStore(path: path)
    #expect(try reopened.appliedMigrations().contains { $0.hasPrefix("v6:") })
    #expect(try reopened.tallyProblems() == [String]())
    let backfilled = try tallies(reopened)
    #expect(backfilled.actors == expected.actors)
    #expect(backfilled.outlets == expected.outlets)
    // And they keep up with what is ingested after the migration.
    try StoreSupport.ingest(
      "Title: Talks in Geneva\nDate: 2025-07-01\nOutlet: Reuters\n\nVladimir Putin met Volodymyr Zelensky in Geneva on Monday.",
      into: reopened)
    #expect(try reopened.tallyProblems() == [String]())
  }

  @Test("The sources list read from its tallies is the list counted from every report and citation")
  func sourcesMatchCounting() throws {
    let (store, _) = try StoreSupport.store(ingesting: [Support.seedsDirectory.path, Self.examples])
    let counted = try Self.countedSources(store)
    #expect(counted.contains { $0.events > 0 && !$0.citedBy.isEmpty }, "the examples cite outlets in events")
    for limit in [1, 2, 3, 5, 60, Int.max] {
      #expect(try store.sources(limit: limit).map(CountedOutlet.init) == Array(counted.prefix(limit)), "limit \(limit)")
    }
  }

  @Test("The sources tallies follow merged events, a changed outlet and removed citations")
  func sourceTalliesFollowUpdates() throws {
    let (store, _) = try StoreSupport.store(ingesting: [Support.seedsDirectory.path, Self.examples])
    let queue = try DatabaseQueue(path: store.path)
    try queue.write { db in
      // An event merge moves every report of one event to another, as `mergeEvent` does.
      let events = try Int64.fetchAll(db, sql: "SELECT DISTINCT eventId FROM report ORDER BY eventId LIMIT 2")
      #expect(events.count == 2)
      try db.execute(sql: "UPDATE report SET eventId = ? WHERE eventId = ?", arguments: [events[0], events[1]])
      // An article's outlet changes (to the outlet it cites, to none, back to one).
      let cited = try Int64.fetchOne(db, sql: "SELECT articleId FROM citation ORDER BY articleId LIMIT 1")
      let article = try #require(cited)
      for outlet in ["Reuters", nil, "Le Monde"] as [String?] {
        try db.execute(sql: "UPDATE article SET outlet = ? WHERE id = ?", arguments: [outlet, article])
      }
      try db.execute(sql: "DELETE FROM citation WHERE rowid = (SELECT min(rowid) FROM citation)")
    }
    try queue.close()
    #expect(try store.tallyProblems() == [String]())
    #expect(try store.sources(limit: .max).map(CountedOutlet.init) == Self.countedSources(store))
  }

  @Test("A record written before the sources tallies gets them filled in when opened, and kept after")
  func sourceTallyMigrationBackfills() throws {
    let (store, _) = try StoreSupport.store(ingesting: [Support.seedsDirectory.path, Self.examples])
    let expected = try store.sources(limit: .max)
    let path = store.path
    // Back to what migration v9 left: no sources tallies, no triggers, no record of v10.
    try undoMigration(
      at: path,
      triggers: "name LIKE 'outlet_event%' OR name LIKE 'outlet_citing%' OR name = 'outlet_source_article_update'",
      then: """
        DROP TABLE outlet_event; DROP TABLE outlet_event_tally; DROP TABLE outlet_citing_tally;
        DELETE FROM grdb_migrations WHERE identifier LIKE 'v10:%';
        """)
    let reopened = try RecordStore(path: path)
    #expect(try reopened.appliedMigrations().contains { $0.hasPrefix("v10:") })
    #expect(try reopened.tallyProblems() == [String]())
    #expect(try reopened.sources(limit: .max) == expected)
    try StoreSupport.ingest(
      "Title: Talks in Geneva\nDate: 2025-07-01\nOutlet: Reuters\n\nVladimir Putin met Volodymyr Zelensky in Geneva "
        + "on Monday, according to the Financial Times.",
      into: reopened)
    #expect(try reopened.tallyProblems() == [String]())
    #expect(try reopened.sources(limit: .max).map(CountedOutlet.init) == Self.countedSources(reopened))
  }

  /// `plan_position_tally` as counted from scratch: every position of a versioned provision, per
  /// version (its provision's), party, holder ('' for none), issue and stance.
  static func countedPlanPositions(_ store: RecordStore) throws -> (tally: [String: Int], counted: [String: Int]) {
    let queue = try DatabaseQueue(path: store.path)
    defer { try? queue.close() }
    return try queue.read { db in
      func key(_ row: Row) -> String {
        [
          String(row["versionId"] as Int64), row["party"], row["actorId"] as String? ?? "", row["category"],
          row["stance"],
        ].joined(separator: "|")
      }
      var tally: [String: Int] = [:]
      for row in try Row.fetchAll(db, sql: "SELECT * FROM plan_position_tally") { tally[key(row)] = row["count"] }
      var counted: [String: Int] = [:]
      for row in try Row.fetchAll(
        db,
        sql: """
          SELECT pr.versionId, p.party, p.actorId, p.category, p.stance FROM position p
            JOIN provision pr ON pr.id = p.provisionId WHERE pr.versionId IS NOT NULL
          """)
      {
        counted[key(row), default: 0] += 1
      }
      return (tally, counted)
    }
  }

  @Test("The plan position tally is the positions of each version counted from scratch, and follows removals")
  func planPositionTallyMatchesRecount() throws {
    let (store, _) = try StoreSupport.store(ingesting: [Support.seedsDirectory.path, Self.examples])
    let first = try Self.countedPlanPositions(store)
    #expect(!first.counted.isEmpty, "the seeds and examples take stances on plans' provisions")
    #expect(first.tally == first.counted)
    #expect(try store.tallyProblems() == [String]())
    // Another overlapping ingest: duplicates change nothing, new articles add.
    _ = Ingestor(store: store, preparer: try StoreSupport.preparer()).run(paths: [Support.seedsDirectory.path])
    try StoreSupport.ingest(
      "Title: Talks in Geneva\nDate: 2025-07-01\nOutlet: Reuters\n\nRussia rejected the ceasefire provision of the "
        + "20-point plan. Ukraine accepted the ceasefire provision of the 20-point plan.",
      into: store)
    let second = try Self.countedPlanPositions(store)
    #expect(second.tally == second.counted)
    // Positions removed (as an article's removal cascades to them) leave the tally as a recount.
    let queue = try DatabaseQueue(path: store.path)
    let busiest: Int64? = try queue.read { db in
      try Int64.fetchOne(
        db, sql: "SELECT articleId FROM position WHERE versionId IS NOT NULL GROUP BY articleId ORDER BY count(*) DESC")
    }
    let article = try #require(busiest)
    try queue.write { db in
      try db.execute(sql: "DELETE FROM position WHERE articleId = ?", arguments: [article])
    }
    let removed = try Self.countedPlanPositions(store)
    #expect(removed.counted.values.reduce(0, +) < second.counted.values.reduce(0, +))
    #expect(removed.tally == removed.counted)
    try queue.close()
    #expect(try store.tallyProblems() == [String]())
  }

  @Test("The tally check finds a miscount and a position under another version than its provision's")
  func planPositionTallyProblemsAreFound() throws {
    let (store, _) = try StoreSupport.store(ingesting: [Support.seedsDirectory.path, Self.examples])
    #expect(try store.tallyProblems() == [String]())
    let queue = try DatabaseQueue(path: store.path)
    try queue.write { db in
      try db.execute(
        sql: """
          UPDATE plan_position_tally SET count = count + 1 WHERE versionId = (SELECT min(versionId) FROM plan_position_tally)
          """)
    }
    let miscounted = try store.tallyProblems()
    #expect(miscounted.count >= 1)
    #expect(miscounted.allSatisfy { $0.hasPrefix("plan version ") })
    try queue.write { db in
      try db.execute(
        sql: """
          UPDATE plan_position_tally SET count = count - 1 WHERE versionId = (SELECT min(versionId) FROM plan_position_tally)
          """)
      try db.execute(
        sql:
          "UPDATE position SET versionId = NULL WHERE id = (SELECT min(id) FROM position WHERE versionId IS NOT NULL)")
    }
    try queue.close()
    #expect(try store.tallyProblems().contains { $0.hasPrefix("position ") })
  }

  /// A plan's matrix as it was counted before its tally: every position of the plan's provisions
  /// counted, and ranked for the first `perCell` sentences of each cell. Per party and issue: the
  /// counts per stance, and the sentences as stance, article, offsets and text.
  static func countedPlanMatrix(_ store: RecordStore, planId: Int64, perCell: Int) throws -> [String: CountedCell] {
    let queue = try DatabaseQueue(path: store.path)
    defer { try? queue.close() }
    return try queue.read { db in
      let filter =
        "WHERE p.provisionId IN (SELECT pr.id FROM provision pr JOIN plan_version v ON v.id = pr.versionId WHERE v.planId = ?)"
      var cells: [String: CountedCell] = [:]
      for row in try Row.fetchAll(
        db, sql: "SELECT party, category, stance, count(*) AS n FROM position p \(filter) GROUP BY 1, 2, 3",
        arguments: [planId])
      {
        cells[(row["party"] as String) + "|" + (row["category"] as String), default: CountedCell()]
          .counts[row["stance"]] = row["n"]
      }
      for row in try Row.fetchAll(
        db,
        sql: """
          SELECT * FROM (
            SELECT p.id, p.party, p.category, p.stance, p.evidence, p.articleId, p.start, p."end",
              row_number() OVER (PARTITION BY p.party, p.category, p.stance ORDER BY p.articleId, p.start, p.id) AS n
            FROM position p \(filter)
          ) WHERE n <= ? ORDER BY party, category, articleId, start, id
          """, arguments: [planId, perCell])
      {
        cells[(row["party"] as String) + "|" + (row["category"] as String), default: CountedCell()].evidence.append(
          "\(row["stance"] as String) #\(row["articleId"] as Int64) \(row["start"] as Int)-\(row["end"] as Int) "
            + (row["evidence"] as String))
      }
      return cells
    }
  }

  @Test("A plan's matrix from its tally and index is the matrix counted and ranked from every position")
  func planMatrixMatchesCounting() throws {
    let (store, _) = try StoreSupport.store(ingesting: [Support.seedsDirectory.path, Self.examples])
    try Self.expectPlanMatricesCounted(store)
  }

  static func expectPlanMatricesCounted(_ store: RecordStore) throws {
    let plans = try store.plans().map(\.id)
    var compared = 0
    for planId in plans {
      for perCell in [1, 2, 5, 100] {
        let counted = try countedPlanMatrix(store, planId: planId, perCell: perCell)
        let matrix = try store.positions(planId: planId, evidencePerCell: perCell)
        var read: [String: CountedCell] = [:]
        for cell in matrix.cells {
          read[cell.party + "|" + cell.category] = CountedCell(
            counts: cell.counts,
            evidence: cell.evidence.map { "\($0.stance) #\($0.articleId) \($0.start)-\($0.end) \($0.text)" })
        }
        #expect(read == counted, "plan \(planId), \(perCell) per cell")
        compared += counted.count
      }
    }
    #expect(compared > 0, "some plan has stances on its provisions")
  }

  @Test("A record written before the plan position tally gets it filled in when opened, and kept after")
  func planPositionTallyMigrationBackfills() throws {
    let (store, _) = try StoreSupport.store(ingesting: [Support.seedsDirectory.path, Self.examples])
    let expected = try Self.countedPlanPositions(store)
    let plans = try store.plans().map(\.id)
    let matrices = try plans.map { try store.positions(planId: $0) }
    let path = store.path
    // Back to what migration v10 left: no version on positions, no tally, index or triggers.
    try undoMigration(
      at: path, triggers: "name LIKE 'plan_position_tally%'",
      then: """
        DROP INDEX position_version_cell; DROP TABLE plan_position_tally;
        ALTER TABLE position DROP COLUMN versionId;
        DELETE FROM grdb_migrations WHERE identifier LIKE 'v11:%';
        """)
    let reopened = try RecordStore(path: path)
    #expect(try reopened.appliedMigrations().contains { $0.hasPrefix("v11:") })
    #expect(try reopened.tallyProblems() == [String]())
    let backfilled = try Self.countedPlanPositions(reopened)
    #expect(backfilled.tally == expected.tally)
    #expect(try plans.map { try reopened.positions(planId: $0) } == matrices)
    try Self.expectPlanMatricesCounted(reopened)
    try StoreSupport.ingest(
      "Title: Talks in Geneva\nDate: 2025-07-01\nOutlet: Reuters\n\nRussia rejected the ceasefire provision of the "
        + "20-point plan. Ukraine accepted the ceasefire provision of the 20-point plan.",
      into: reopened)
    #expect(try reopened.tallyProblems() == [String]())
    let grown = try Self.countedPlanPositions(reopened)
    #expect(grown.tally == grown.counted)
  }

  /// The sources list as it was counted before its tallies: every article, citation and report.
  static func countedSources(_ store: RecordStore) throws -> [CountedOutlet] {
    let queue = try DatabaseQueue(path: store.path)
    defer { try? queue.close() }
    return try queue.read { db in
      var byName: [String: CountedOutlet] = [:]
      func entry(_ name: String) -> CountedOutlet {
        byName[name] ?? CountedOutlet(outlet: name, published: 0, cited: 0, events: 0, citedBy: [:])
      }
      for row in try Row.fetchAll(
        db, sql: "SELECT outlet, count(*) AS n FROM article WHERE outlet IS NOT NULL GROUP BY outlet")
      {
        var e = entry(row["outlet"])
        e.published = row["n"]
        byName[e.outlet] = e
      }
      for row in try Row.fetchAll(db, sql: "SELECT outlet, count(*) AS n FROM citation GROUP BY outlet") {
        var e = entry(row["outlet"])
        e.cited = row["n"]
        byName[e.outlet] = e
      }
      for row in try Row.fetchAll(
        db,
        sql: """
          SELECT o, count(DISTINCT eventId) AS n FROM (
            SELECT r.eventId, a.outlet AS o FROM report r JOIN article a ON a.id = r.articleId WHERE a.outlet IS NOT NULL
            UNION ALL SELECT r.eventId, r.cited AS o FROM report r WHERE r.cited IS NOT NULL
          ) AS named GROUP BY o
          """)
      {
        var e = entry(row["o"])
        e.events = row["n"]
        byName[e.outlet] = e
      }
      for row in try Row.fetchAll(
        db,
        sql: """
          SELECT c.outlet AS cited, coalesce(a.outlet, 'unattributed') AS citing, count(*) AS n
          FROM citation c JOIN article a ON a.id = c.articleId GROUP BY c.outlet, coalesce(a.outlet, 'unattributed')
          """)
      {
        var e = entry(row["cited"])
        e.citedBy[row["citing"]] = row["n"]
        byName[e.outlet] = e
      }
      return byName.values.sorted { ($0.published + $0.cited, $1.outlet) > ($1.published + $1.cited, $0.outlet) }
    }
  }

  @Test("The timeline's outlets from the tally are the most active outlets of the sources list")
  func topOutletsMatchSources() throws {
    let (store, _) = try StoreSupport.store(ingesting: [Support.seedsDirectory.path, Self.examples])
    for limit in [1, 2, 3, 5, 60] {
      #expect(try store.topOutlets(limit: limit) == store.sources(limit: limit).map(\.outlet), "limit \(limit)")
    }
  }

  @Test("Pages and API answers from the cache are the answers made from the record; a change replaces them")
  func cachedAnswersEqualFreshOnes() async throws {
    let store = try StoreSupport.seedStore()
    let token = "a-token-long-enough-for-tests"
    let cached = try await ServerSupport.start(store: store, token: token)
    let fresh = try await ServerSupport.start(store: store, responseCacheBytes: 0)
    do {
      let paths = [
        "/", "/timeline", "/actors", "/actors/vladimir-putin", "/plans", "/plans/1", "/articles/1",
        "/search?q=ceasefire", "/api/v1/overview", "/api/v1/timeline?limit=5", "/api/v1/plans", "/api/v1/actors",
        "/api/v1/sources", "/api/v1/articles?limit=2",
      ]
      for path in paths {
        let reference = try await fresh.get(path)
        #expect(reference.status == 200, "\(path)")
        for _ in 0..<2 {
          let answer = try await cached.get(path)
          #expect(answer.status == reference.status, "\(path)")
          #expect(answer.body == reference.body, "\(path)")
          #expect(answer.headers["content-type"] == reference.headers["content-type"], "\(path)")
          #expect(answer.headers["link"] == reference.headers["link"], "\(path)")
          #expect(answer.headers["etag"] != nil, "\(path)")
        }
      }
      let before = try await cached.get("/api/v1/overview")
      let added = try await cached.post(
        "/api/v1/articles",
        body: Data(
          #"{"title": "Talks resume", "published": "2025-07-02", "text": "Marco Rubio met Sergei Lavrov in Riyadh."}"#
            .utf8),
        contentType: "application/json", headers: ["Authorization": "Bearer \(token)"])
      #expect(added.status == 201)
      let after = try await cached.get("/api/v1/overview")
      #expect(after.headers["etag"] != before.headers["etag"])
      #expect(after.body != before.body, "the new article shows at once")
      #expect(after.body == (try await fresh.get("/api/v1/overview")).body)
    } catch {
      await cached.stop()
      await fresh.stop()
      throw error
    }
    await cached.stop()
    await fresh.stop()
  }

  @Test("The cache keeps answers within its bounds and forgets them when the record changes")
  func cacheBounds() {
    let cache = ResponseCache(maxEntries: 2, maxBytes: 1 << 20, maxEntryBytes: 100)
    func entry(_ text: String) -> ResponseCache.Entry {
      ResponseCache.Entry(status: .ok, headers: [:], body: ByteBuffer(string: text))
    }
    cache.store(entry("a"), for: "/a", changes: 1)
    cache.store(entry("b"), for: "/b", changes: 1)
    cache.store(entry("c"), for: "/c", changes: 1)
    #expect(cache.count == 2)
    #expect(cache.entry(for: "/a", changes: 1) == nil, "the oldest goes first")
    #expect(cache.entry(for: "/c", changes: 1).map { String(buffer: $0.body) } == "c")
    cache.store(entry(String(repeating: "x", count: 200)), for: "/big", changes: 1)
    #expect(cache.entry(for: "/big", changes: 1) == nil, "too large to keep")
    // An answer made at an older state is never stored over a newer one, nor served for it.
    #expect(cache.entry(for: "/c", changes: 2) == nil)
    #expect(cache.count == 0)
    cache.store(entry("old"), for: "/c", changes: 1)
    #expect(cache.entry(for: "/c", changes: 2) == nil)
  }

  /// The tally rows, for comparing two databases.
  func tallies(_ store: RecordStore) throws -> (actors: [ActorTallyRow], outlets: [String: [Int]]) {
    let queue = try DatabaseQueue(path: store.path, configuration: readOnly())
    defer { try? queue.close() }
    return try queue.read { db in
      let actors = try Row.fetchAll(db, sql: "SELECT * FROM actor_tally ORDER BY actorId").map {
        ActorTallyRow(id: $0["actorId"], articles: $0["articles"], mentions: $0["mentions"], events: $0["events"])
      }
      var outlets: [String: [Int]] = [:]
      for row in try Row.fetchAll(db, sql: "SELECT * FROM outlet_tally") {
        outlets[row["outlet"]] = [row["published"], row["cited"], row["reports"]]
      }
      return (actors, outlets)
    }
  }

  func readOnly() -> Configuration {
    var configuration = Configuration()
    configuration.readonly = true
    return configuration
  }
}

/// An outlet of the sources list, as the test counts it.
struct CountedOutlet: Equatable {
  var outlet: String
  var published: Int
  var cited: Int
  var events: Int
  var citedBy: [String: Int]
}

extension CountedOutlet {
  init(_ s: OutletSummary) {
    self.init(outlet: s.outlet, published: s.published, cited: s.cited, events: s.events, citedBy: s.citedBy)
  }
}

/// One cell of a plan's matrix, as the test counts it: counts per stance and the listed sentences.
struct CountedCell: Equatable {
  var counts: [String: Int] = [:]
  var evidence: [String] = []
}

/// One row of `actor_tally`.
struct ActorTallyRow: Equatable {
  var id: String
  var articles: Int
  var mentions: Int
  var events: Int
}
