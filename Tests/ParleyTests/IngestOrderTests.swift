import Foundation
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
      for part in ["events", "plans", "positions", "position_tally"] { Self.compare(part, forward, other, name) }
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
