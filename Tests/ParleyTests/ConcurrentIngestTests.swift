import Foundation
import ParleyStore
import Testing

/// Two `parley ingest` processes writing into one new database at once, with inputs that
/// overlap: both succeed, and the record holds what one process ingesting everything would.
@Suite(.serialized) struct ConcurrentIngestTests {
  @Test func twoProcessesIngestOverlappingInputsIntoOneDatabase() async throws {
    let parley = try ParleyProcess.executable()
    let dir = try Support.temporaryDirectory()
    // Two articles naming one group differently, both in the first process's inputs.
    let inputs = try IngestOrderTests.renamingArticles() + TestCorpus.write(into: dir, generated: 50, seed: 11)
    // The first two thirds and the last two thirds: the middle third is in both.
    let third = inputs.count / 3
    let first = Array(inputs[..<(2 * third)])
    let second = Array(inputs[third...])

    let shared = dir.appendingPathComponent("shared.sqlite").path
    let a = try ParleyProcess.start(
      parley, ["ingest", "--db", shared, "--verbose"] + first, log: dir.appendingPathComponent("a.log"))
    let b = try ParleyProcess.start(
      parley, ["ingest", "--db", shared, "--verbose"] + second, log: dir.appendingPathComponent("b.log"))
    await ParleyProcess.exit(of: a)
    await ParleyProcess.exit(of: b)
    let logA = (try? String(contentsOf: dir.appendingPathComponent("a.log"), encoding: .utf8)) ?? ""
    let logB = (try? String(contentsOf: dir.appendingPathComponent("b.log"), encoding: .utf8)) ?? ""
    #expect(a.terminationStatus == 0, "first process: \(logA)")
    #expect(b.terminationStatus == 0, "second process: \(logB)")
    // Both really wrote: each stored articles of its own (not one waiting for the other to end).
    #expect(logA.contains("stored "), "first process stored nothing: \(logA)")
    #expect(logB.contains("stored "), "second process stored nothing: \(logB)")

    // In the other order: what the record holds must not depend on which article came first.
    let sequential = dir.appendingPathComponent("sequential.sqlite").path
    let one = try await ParleyProcess.run(
      parley, ["ingest", "--db", sequential] + inputs.reversed(), log: dir.appendingPathComponent("sequential.log"))
    try #require(one.status == 0, "sequential ingest: \(one.log)")

    let together = try RecordStore(path: shared)
    let alone = try RecordStore(path: sequential)
    #expect(try together.integrityCheck() == "ok")
    #expect(try together.searchIndexCheck() == "ok")
    #expect(try together.consistencyProblems() == [])

    // Every article once, each with exactly the rows its own text yields.
    let expectedArticles = try TestCorpus.distinctArticles(inputs)
    let footprints = try together.articleFootprints()
    let expected = try alone.articleFootprints()
    #expect(footprints.count == expectedArticles)
    #expect(Set(footprints.keys) == Set(expected.keys))
    for (key, counts) in expected where footprints[key] != counts {
      Issue.record("article \(key): \(footprints[key] ?? [:]) rows, sequential run \(counts)")
    }
    // The record is a function of the set of articles (see `IngestOrderTests`): the interleaving
    // of two writers gives the same events, plans, positions and actors (every column) as one
    // writer, row ids aside.
    let merged = try together.canonicalRecord()
    let mergedAlone = try alone.canonicalRecord()
    for part in [
      "events", "plans", "positions", "position_tally", "plan_position_tally", "actors", "actor_alias",
    ] {
      let a = merged[part] ?? []
      let b = mergedAlone[part] ?? []
      #expect(a == b, "\(part): \(a.count) vs \(b.count); \(Set(a).subtracting(b).sorted().prefix(2))")
    }
    let counts = try together.rowCounts()
    let expectedCounts = try alone.rowCounts()
    for table in ["article", "mention", "citation", "report", "plan_mention", "provision", "position"] {
      #expect(
        counts[table] == expectedCounts[table], "\(table): \(counts[table] ?? 0) vs \(expectedCounts[table] ?? 0)")
    }
    #expect(try together.overview().reports == alone.overview().reports)
  }
}
