import Foundation
import ParleyBenchmarks
import ParleyStore
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Kills `parley ingest` with SIGKILL at random moments: after every kill the database must be
/// sound, and finishing the ingest must give exactly the database of one uninterrupted run.
@Suite(.serialized) struct CrashTests {
  @Test func killedIngestLeavesSoundDatabaseAndRerunMatchesUninterrupted() async throws {
    let parley = try ParleyProcess.executable()
    let dir = try Support.temporaryDirectory()
    let inputs = try TestCorpus.write(into: dir, generated: 55, seed: 7)
    let expectedArticles = try TestCorpus.distinctArticles(inputs)

    let reference = dir.appendingPathComponent("reference.sqlite").path
    let clock = ContinuousClock()
    let started = clock.now
    let full = try await ParleyProcess.run(
      parley, ["ingest", "--db", reference] + inputs, log: dir.appendingPathComponent("reference.log"))
    let fullSeconds = (clock.now - started) / .seconds(1)
    try #require(full.status == 0, "uninterrupted ingest failed: \(full.log)")
    let expected = try RecordStore(path: reference).dump()
    try #require(expected["article"]?.count == expectedArticles)

    // A fresh seed each run covers more moments over time; PARLEY_CRASH_SEED replays a failure.
    let seed =
      ProcessInfo.processInfo.environment["PARLEY_CRASH_SEED"].flatMap { UInt64($0) }
      ?? UInt64.random(in: 1...UInt64(UInt32.max))
    var rng = TestRandom(seed: seed)
    // Pure random delays span the run (its start loads data and extracts, its end writes);
    // every other round (the first of each campaign included) waits until the run has begun writing, so that kills also land inside
    // and between the article transactions. Each campaign kills one database until an ingest
    // finishes, then checks that a re-run gives the uninterrupted run's content.
    let longest = max(0.3, fullSeconds)
    var history: [String] = []
    var partial = 0
    let deadline = clock.now + .seconds(35)
    for campaign in 1...4 where partial < 4 && clock.now < deadline {
      let crashed = dir.appendingPathComponent("crashed-\(campaign).sqlite").path
      var stored = 0
      var finished = false
      for round in 1...8 where !finished {
        let log = dir.appendingPathComponent("campaign-\(campaign)-round-\(round).log")
        // Small batches, so that kills land between transactions as well as inside them (the
        // corpus fits one default batch); the reference and the re-runs use the default size,
        // which must give the same rows.
        let process = try ParleyProcess.start(
          parley, ["ingest", "--db", crashed, "--verbose", "--batch-size", "4"] + inputs, log: log)
        // The first round of a campaign waits for writing to begin, so that a kill lands among the
        // article transactions even when the reference run (timed on a busy machine) overstates
        // how long an ingest takes and every purely random delay would outlast it.
        let afterWrites = round % 2 == 1
        let delay = afterWrites ? rng.uniform(0, 0.3) : rng.uniform(0.05, longest)
        if afterWrites {
          // "stored PATH as article N" starts a line only for a new article ("skipped" for the rest).
          _ = await ParleyProcess.waitFor(process, log: log, lineStarting: "stored ", timeout: 4 * fullSeconds)
        }
        if await ParleyProcess.wait(process, seconds: delay) {
          finished = true
          #expect(process.terminationStatus == 0, "seed \(seed): ingest exited with \(process.terminationStatus)")
        } else {
          kill(process.processIdentifier, SIGKILL)
          await ParleyProcess.exit(of: process)
        }
        let store = try RecordStore(path: crashed)
        let integrity = try store.integrityCheck()
        let search = try store.searchIndexCheck()
        let problems = try store.consistencyProblems()
        let articles = try store.rowCounts(tables: ["article"])["article"] ?? 0
        let moment = String(format: "%.0f ms%@", delay * 1000, afterWrites ? " after writing began" : "")
        history.append(
          "\(campaign).\(round): \(finished ? "finished before" : "killed at") \(moment), \(articles) articles stored")
        let context = "seed \(seed) (rerun with PARLEY_CRASH_SEED=\(seed)); \(history.joined(separator: "; "))"
        #expect(integrity == "ok", "integrity_check: \(integrity); \(context)")
        #expect(search == "ok", "FTS integrity-check: \(search); \(context)")
        #expect(problems.isEmpty, "\(problems.prefix(5)); \(context)")
        #expect(articles >= stored, "articles went from \(stored) to \(articles); \(context)")
        if !finished, articles > stored, articles < expectedArticles { partial += 1 }
        stored = articles
      }
      let context = "seed \(seed) (rerun with PARLEY_CRASH_SEED=\(seed)); \(history.joined(separator: "; "))"
      let rerun = try await ParleyProcess.run(
        parley, ["ingest", "--db", crashed] + inputs, log: dir.appendingPathComponent("rerun-\(campaign).log"))
      #expect(rerun.status == 0, "re-run after the kills failed: \(rerun.log); \(context)")
      let actual = try RecordStore(path: crashed).dump()
      for table in RecordStore.recordTables {
        let a = actual[table] ?? []
        let e = expected[table] ?? []
        guard a != e else { continue }
        let firstDifference = zip(a, e).first { $0 != $1 }
        Issue.record(
          """
          campaign \(campaign): table \(table) differs from the uninterrupted run: \(a.count) rows, expected \(e.count); \
          first difference: \(firstDifference.map { "\($0.0) vs \($0.1)" } ?? "extra rows"); \(context)
          """)
      }
    }
    let context = "seed \(seed) (rerun with PARLEY_CRASH_SEED=\(seed)); \(history.joined(separator: "; "))"
    #expect(partial > 0, "no kill landed while articles were being stored; \(context)")
    print(
      "crash test: seed \(seed), uninterrupted run \(String(format: "%.1f", fullSeconds)) s; \(history.joined(separator: "; "))"
    )
  }
}

/// A corpus on disk for process tests: the seed articles plus generated ones as text files with
/// header lines, with near-copies and exact duplicates among them.
enum TestCorpus {
  /// Writes the generated articles into `dir/generated`; returns the input paths in ingest order
  /// (the seeds' folder first when it exists).
  static func write(into dir: URL, generated: Int, seed: UInt64) throws -> [String] {
    let folder = dir.appendingPathComponent("generated")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    var generator = try ArticleGenerator(seed: seed)
    generator.nearCopyRate = 0.1
    generator.duplicateRate = 0.05
    generator.maxWords = 400
    var paths: [String] = []
    for _ in 0..<generated {
      let article = generator.next()
      let url = folder.appendingPathComponent(article.id + ".txt")
      try article.textFile.write(to: url, atomically: true, encoding: .utf8)
      paths.append(url.path)
    }
    let seeds = (try? Support.seedFiles().map(\.path)) ?? []
    return seeds + paths
  }

  /// How many distinct article texts the inputs hold: an exact duplicate is the same file content.
  static func distinctArticles(_ paths: [String]) throws -> Int {
    Set(try paths.map { try Data(contentsOf: URL(fileURLWithPath: $0)) }).count
  }
}

/// SplitMix64, for delays that a printed seed reproduces.
struct TestRandom {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
  mutating func uniform(_ low: Double, _ high: Double) -> Double {
    low + (high - low) * Double(next() >> 11) / Double(1 << 53)
  }
}
