import Foundation
import GRDB
import ParleyBenchmarks
import ParleyStore
import Testing

/// The record is a function of the set of articles: the same files ingested in another order
/// give the same events, plans and positions (row ids aside, which count arrival).
@Suite("Ingest order")
struct IngestOrderTests {
  /// The seed articles and generated reporting with near-copies and duplicates, as files.
  static func corpus() throws -> [String] {
    try TestCorpus.write(into: Support.temporaryDirectory(), generated: 40, seed: 23)
  }

  static func record(_ paths: [String]) throws -> [String: [String]] {
    let (store, summary) = try StoreSupport.store(ingesting: paths)
    #expect(summary.failed.isEmpty, "\(summary.failed.prefix(3))")
    return try store.canonicalRecord()
  }

  @Test("Forward, reversed and shuffled orders give the same events, plans, positions and tallies")
  func orderDoesNotMatter() throws {
    let files = try Self.corpus()
    var rng = SplitMix64(seed: 5)
    var shuffled = files
    for i in stride(from: shuffled.count - 1, to: 0, by: -1) {
      shuffled.swapAt(i, Int(rng.next() % UInt64(i + 1)))
    }
    let forward = try Self.record(files)
    #expect((forward["events"]?.count ?? 0) > 20, "the corpus should make a record worth comparing")
    #expect((forward["plans"]?.count ?? 0) > 0)
    #expect((forward["positions"]?.count ?? 0) > 10)
    let others = [("reversed", try Self.record(Array(files.reversed()))), ("shuffled", try Self.record(shuffled))]
    for (name, other) in others {
      for part in ["events", "plans", "positions", "position_tally", "plan_position_tally"] {
        Self.compare(part, forward, other, name)
      }
    }
  }

  /// Records an issue naming a few lines only one of the two records has.
  static func compare(_ part: String, _ forward: [String: [String]], _ other: [String: [String]], _ name: String) {
    let a = forward[part] ?? []
    let b = other[part] ?? []
    guard a != b else { return }
    // Lines of a plan list every passage it rests on: a glimpse of each is enough to see the difference.
    let onlyForward = Set(a).subtracting(b).sorted().map { String($0.prefix(240)) }
    let onlyOther = Set(b).subtracting(a).sorted().map { String($0.prefix(240)) }
    Issue.record(
      """
      \(name) order: \(part) differ (\(a.count) vs \(b.count)); only in forward order: \
      \(onlyForward.prefix(2)); only in \(name) order: \(onlyOther.prefix(2))
      """)
  }
}

/// Migration v9 on a record written before it: the merge keys are filled in by the record's own
/// rules, and ingest goes on from there.
@Suite("Merge keys migration")
struct MergeKeysMigrationTests {
  @Test("An older record gets its event spans, plan links and family names when opened")
  func migrationBackfillsMergeKeys() throws {
    let files = try TestCorpus.write(into: Support.temporaryDirectory(), generated: 30, seed: 41)
    let (store, _) = try StoreSupport.store(ingesting: Array(files.prefix(20)))
    func keys(_ store: RecordStore) throws -> [String: [String]] {
      var keys = try store.dump(tables: ["plan_family_name", "plan_link"])
      keys["spans"] = try DatabaseQueue(path: store.path).read { db in
        try String.fetchAll(
          db,
          sql: "SELECT id || ':' || coalesce(firstDay, '') || '-' || coalesce(lastDay, '') || ':' || dated FROM event"
        ).sorted()
      }
      return keys
    }
    let expected = try keys(store)
    #expect((expected["spans"]?.count ?? 0) > 10 && (expected["plan_link"]?.count ?? 0) > 0)
    // Take the database back to what v8 wrote: no spans, links or names, and no record of v9.
    let queue = try DatabaseQueue(path: store.path)
    try queue.write { db in
      try db.execute(
        sql: """
          DROP INDEX event_span;
          ALTER TABLE event DROP COLUMN firstDay;
          ALTER TABLE event DROP COLUMN lastDay;
          ALTER TABLE event DROP COLUMN dated;
          CREATE INDEX event_pair_time ON event(sourceId, targetId, root, sortKey);
          DROP TABLE plan_link;
          DROP TABLE plan_family_name;
          DELETE FROM grdb_migrations WHERE identifier LIKE 'v9:%';
          """)
    }
    try queue.close()
    let reopened = try RecordStore(path: store.path)
    let backfilled = try keys(reopened)
    // Spans and names are functions of the reports and mentions; an older record kept one
    // party signature per family, so its links are a subset of those ingest records.
    #expect(backfilled["spans"] == expected["spans"])
    #expect(backfilled["plan_family_name"] == expected["plan_family_name"])
    #expect(Set(backfilled["plan_link"] ?? []).isSubset(of: Set(expected["plan_link"] ?? [])))
    #expect(!(backfilled["plan_link"] ?? []).isEmpty)
    // Ingest goes on in the migrated record.
    let summary = Ingestor(store: reopened, preparer: try StoreSupport.preparer()).run(paths: files)
    #expect(summary.failed.isEmpty && summary.new > 0)
    #expect(try reopened.consistencyProblems() == [])
    #expect(try reopened.tallyProblems() == [])
  }
}
