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

  @Test("A record written before the tallies gets them filled in when opened")
  func migrationBackfills() throws {
    let (store, _) = try StoreSupport.store(ingesting: [Support.seedsDirectory.path, Self.examples])
    let expected = try tallies(store)
    let path = store.path
    // Take the database back to what the previous schema version wrote: no tallies, no
    // triggers, no index, and no record of the migration.
    let queue = try DatabaseQueue(path: path)
    try queue.write { db in
      for name in try String.fetchAll(
        db,
        sql: """
          SELECT name FROM sqlite_master WHERE type = 'trigger' AND (name LIKE 'actor_tally%' OR name LIKE 'outlet_tally%'
            OR name LIKE 'plan_version_tally%')
          """)
      {
        try db.execute(sql: "DROP TRIGGER \(name.quotedDatabaseIdentifier)")
      }
      try db.execute(
        sql: """
          DROP TABLE actor_tally; DROP TABLE outlet_tally; DROP TABLE plan_version_tally;
          DROP TABLE plan_version_name; DROP INDEX article_newest; DROP INDEX plan_mention_version_article;
          DELETE FROM grdb_migrations WHERE identifier LIKE 'v6:%';
          """)
    }
    try queue.close()
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

/// One row of `actor_tally`.
struct ActorTallyRow: Equatable {
  var id: String
  var articles: Int
  var mentions: Int
  var events: Int
}
