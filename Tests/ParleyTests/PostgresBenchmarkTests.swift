import Foundation
import Testing

#if PostgreSQL
  import ParleyPostgres
  import ParleyStore

  /// `parley bench-record --db postgresql://...`: the benchmark's record is the one `parley
  /// ingest` makes, with one writer (row for row, ids included, as SQLite) and with two at once
  /// (the same articles, events, plans, positions and tallies).
  @Suite(.enabled(if: PostgresTestServer.available, PostgresTestServer.skipReason))
  struct PostgresBenchmarkTests {
    /// Runs `bench-record` into the database and returns its JSON result.
    static func benchRecord(_ settings: PostgresSettings, corpus dir: URL, writers: Int, log: String) async throws
      -> [String: Any]
    {
      let logURL = dir.appendingPathComponent(log)
      let process = try PostgresIngestTests.parley(
        [
          "bench-record", "--articles", "150", "--seed", "7", "--dir", dir.path, "--db", settings.displayURL,
          "--writers", "\(writers)", "--runs", "1", "--json",
        ], log: logURL)
      await ParleyProcess.exit(of: process)
      let output = PostgresIngestTests.text(logURL)
      #expect(process.terminationStatus == 0, "\(output)")
      // The JSON object is the output's last lines; progress lines come before it.
      guard let start = output.range(of: "{\n")?.lowerBound,
        let object = try JSONSerialization.jsonObject(with: Data(output[start...].utf8)) as? [String: Any]
      else {
        Issue.record("no JSON result: \(output)")
        return [:]
      }
      return object
    }

    @Test func benchRecordWithOneAndTwoWritersStoresWhatIngestStores() async throws {
      let dir = try Support.temporaryDirectory()
      try await PostgresTestServer.withDatabase { two in
        let twoResult = try await Self.benchRecord(two, corpus: dir, writers: 2, log: "two.log")
        #expect(twoResult["writers"] as? Int == 2)
        #expect(twoResult["backend"] as? String == "postgresql")
        #expect(twoResult["read"] as? Int == 150)
        #expect(twoResult["failed"] as? Int == 0)
        #expect((twoResult["database_total_bytes"] as? Int ?? 0) > 1_000_000)
        #expect((twoResult["tenths_articles_per_second"] as? [Double])?.count == 10)
        #expect((twoResult["articles_per_second"] as? Double ?? 0) > 0)
        #expect((twoResult["queries"] as? [Any])?.count == 10)
        try await PostgresTestServer.withDatabase { one in
          let oneResult = try await Self.benchRecord(one, corpus: dir, writers: 1, log: "one.log")
          #expect(oneResult["writers"] as? Int == 1)
          for key in ["read", "stored", "near_copies", "duplicates", "events", "reports", "plans", "positions"] {
            #expect(oneResult[key] as? Int == twoResult[key] as? Int, "\(key)")
          }
          // One writer: the rows SQLite gives from the same corpus, ids included.
          let corpus = dir.appendingPathComponent("articles-150-seed-7.jsonl").path
          let (sqlite, summary) = try StoreSupport.store(ingesting: [corpus])
          #expect(oneResult["stored"] as? Int == summary.new)
          let alone = try await PostgresIngestTests.sqliteCopy(of: one)
          try PostgresIngestTests.expectSameRows(alone, sqlite, "one writer")
          // Two writers: every article once with its own rows, the same merged record.
          let together = try await PostgresIngestTests.sqliteCopy(of: two)
          #expect(try together.consistencyProblems() == [])
          #expect(try together.tallyProblems() == [])
          #expect(try together.articleFootprints() == alone.articleFootprints())
          let merged = try together.canonicalRecord()
          let mergedAlone = try alone.canonicalRecord()
          for part in ["events", "plans", "positions", "position_tally", "plan_position_tally"] {
            #expect(merged[part] == mergedAlone[part], "\(part)")
          }
          #expect(try together.rowCounts() == alone.rowCounts())
        }
        // A database that holds a record already is refused: the benchmark measures a new one.
        let againLog = dir.appendingPathComponent("again.log")
        let again = try PostgresIngestTests.parley(
          ["bench-record", "--articles", "150", "--seed", "7", "--dir", dir.path, "--db", two.displayURL],
          log: againLog)
        await ParleyProcess.exit(of: again)
        #expect(again.terminationStatus == 64)
        #expect(PostgresIngestTests.text(againLog).contains("already holds "))
      }
    }
  }
#endif
