import Foundation
import Testing

#if PostgreSQL
  import ParleyPostgres
  import ParleyStore
  import PostgresNIO

  /// `parley ingest` into PostgreSQL: the record's rules through the PostgreSQL writer give the
  /// rows SQLite gives, several processes at once give what one gives, and a connection the
  /// server ends mid-ingest loses nothing that was committed.
  @Suite(.enabled(if: PostgresTestServer.available, PostgresTestServer.skipReason))
  struct PostgresIngestTests {
    static let examples = Support.packageRoot.appendingPathComponent("Examples/articles").path

    /// Runs blocking work (an `Ingestor` waits for its writer thread) on a thread of its own, so
    /// that no thread of the test's task pool is held.
    static func offThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
      try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try work() }) }
        thread.stackSize = 8 << 20
        thread.start()
      }
    }

    /// Ingests `paths` into the PostgreSQL record in this process.
    static func ingest(_ paths: [String], into settings: PostgresSettings) async throws -> IngestSummary {
      let writer = try await PostgresArticleWriter.connect(settings)
      let preparer = try StoreSupport.preparer()
      let summary = try await offThread { Ingestor(writer: writer, preparer: preparer).run(paths: paths) }
      await writer.close()
      return summary
    }

    /// The PostgreSQL record as an SQLite file (`parley copy`), to compare with SQLite's tools.
    static func sqliteCopy(of settings: PostgresSettings) async throws -> RecordStore {
      let path = try Support.temporaryDirectory().appendingPathComponent("copy.sqlite").path
      _ = try await RecordCopy.copy(from: .postgres(settings), to: .sqlite(path: path))
      return try RecordStore(path: path)
    }

    /// Every table's rows equal, ids included; else the first lines that differ.
    static func expectSameRows(_ a: RecordStore, _ b: RecordStore, _ comment: String) throws {
      let (left, right) = (try a.dump(), try b.dump())
      for table in RecordStore.recordTables where left[table] != right[table] {
        let l = left[table] ?? []
        let r = right[table] ?? []
        Issue.record(
          "\(comment): \(table) differs (\(l.count) vs \(r.count) rows): \(Set(l).subtracting(r).sorted().prefix(2)) vs \(Set(r).subtracting(l).sorted().prefix(2))"
        )
      }
    }

    @Test func ingestGivesTheRowsSQLiteGivesAndAgainChangesNothing() async throws {
      let paths = [Support.seedsDirectory.path, Self.examples]
      let (sqlite, expected) = try StoreSupport.store(ingesting: paths)
      try await PostgresTestServer.withDatabase { settings in
        let summary = try await Self.ingest(paths, into: settings)
        #expect(summary == expected)
        #expect(summary.new > 10 && summary.failed.isEmpty)
        // The same rules with the same inputs in the same order: the same rows, ids included.
        let copy = try await Self.sqliteCopy(of: settings)
        try Self.expectSameRows(copy, sqlite, "first run")
        #expect(try copy.tallyProblems() == [])
        #expect(try copy.consistencyProblems() == [])

        try await Self.expectSameAnswers(settings, sqlite)

        let again = try await Self.ingest(paths, into: settings)
        #expect(again.new == 0 && again.duplicates == summary.read && again.failed.isEmpty)
        try Self.expectSameRows(try await Self.sqliteCopy(of: settings), sqlite, "second run")
        // The change counter moved once per stored article, not for duplicates.
        let record = try await PostgresRecord.connect(settings)
        let changes = try await PostgresTestServer.lines("SELECT changes::text FROM record_state", on: record)
        #expect(changes == ["\(summary.new)"])
        await record.close()
      }
    }

    /// The queries that run on both backends give the same answers on the same record: the
    /// same events and timelines (ids, sources, outlets, conflicts, reports), the same status, plans
    /// and positions matrices,
    /// the same search hits (PostgreSQL ranks and quotes passages its own way).
    static func expectSameAnswers(_ settings: PostgresSettings, _ sqlite: RecordStore) async throws {
      let reader = try await PostgresRecordReader.connect(settings)
      let filters = [
        EventFilter(limit: 500), EventFilter(limit: 7, offset: 5), EventFilter(actor: "RUS", limit: 50),
        EventFilter(actor: "zelensky", limit: 50), EventFilter(cameo: "04", limit: 50),
        EventFilter(from: "2025-06", to: "2025-09", limit: 50), EventFilter(outlet: "REUTERS", limit: 50),
      ]
      let searches = ["talks", "ceasefire* Gaza", "\"prisoner exchange\"", "Geneva", "nothing-here-at-all"]
      try await offThread {
        #expect(try reader.overview() == sqlite.overview())
        for filter in filters {
          #expect(try reader.events(filter, withReports: false) == sqlite.events(filter), "\(filter)")
          #expect(try reader.events(filter, withReports: true) == sqlite.events(filter, withReports: true), "\(filter)")
        }
        let all = try sqlite.events(EventFilter(limit: 500)).items
        #expect(all.count > 20)
        for event in all.prefix(30) { #expect(try reader.event(id: event.id) == sqlite.event(id: event.id)) }
        #expect(try reader.event(id: 999_999) == nil)
        #expect(try reader.plans(negotiation: nil) == sqlite.plans())
        #expect(try reader.positions(planId: nil, negotiation: nil, evidencePerCell: nil) == sqlite.positions())
        #expect(
          try reader.positions(planId: nil, negotiation: nil, evidencePerCell: 1000)
            == sqlite.positions(evidencePerCell: 1000))
        for plan in try sqlite.plans() {
          #expect(
            try reader.positions(planId: plan.id, negotiation: nil, evidencePerCell: nil)
              == sqlite.positions(planId: plan.id))
        }
        for words in searches {
          let pg = try reader.search(words, limit: 50, offset: 0)
          let lite = try sqlite.search(words, limit: 50, offset: 0)
          #expect(pg.total == lite.total, "\(words)")
          #expect(Set(pg.items.map(\.article)) == Set(lite.items.map(\.article)), "\(words)")
        }
      }
      await reader.close()
    }

    /// The real binary, with the test server's password in the environment.
    static func parley(_ arguments: [String], log: URL, environment: [String: String] = [:]) throws -> Process {
      var env = ProcessInfo.processInfo.environment
      for key in ["PGPASSFILE", "PARLEY_DB", "PGSSLMODE"] { env[key] = nil }
      env["PGPASSWORD"] = PostgresTestServer.environment["PARLEY_TEST_POSTGRES_PASSWORD"] ?? ""
      env.merge(environment) { _, new in new }
      return try ParleyProcess.start(try ParleyProcess.executable(), arguments, log: log, environment: env)
    }

    static func text(_ log: URL) -> String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    @Test func fourConcurrentIngestsGiveWhatOneGives() async throws {
      let dir = try Support.temporaryDirectory()
      // Two articles naming one group differently first: the first process reads both at once,
      // the last one later, the sequential ingest (in the other order) the second one first.
      let inputs = try IngestOrderTests.renamingArticles() + TestCorpus.write(into: dir, generated: 60, seed: 23)
      // Four overlapping halves: every article is in two of them, at different places.
      let n = inputs.count
      let slices = (0..<4).map { i in (0..<(n / 2)).map { inputs[(i * n / 4 + $0) % n] } }
      try await PostgresTestServer.withDatabase { shared in
        let processes = try slices.enumerated().map { i, slice in
          try Self.parley(
            ["ingest", "--db", shared.displayURL, "--verbose", "--batch-size", "4"] + slice,
            log: dir.appendingPathComponent("ingest-\(i).log"))
        }
        for process in processes { await ParleyProcess.exit(of: process) }
        for (i, process) in processes.enumerated() {
          let log = Self.text(dir.appendingPathComponent("ingest-\(i).log"))
          #expect(process.terminationStatus == 0, "process \(i): \(log)")
          #expect(log.contains("stored "), "process \(i) stored nothing: \(log)")
        }
        try await PostgresTestServer.withDatabase { alone in
          let summary = try await Self.ingest(Array(inputs.reversed()), into: alone)
          #expect(summary.failed.isEmpty)
          let together = try await Self.sqliteCopy(of: shared)
          let sequential = try await Self.sqliteCopy(of: alone)
          #expect(try together.consistencyProblems() == [])
          #expect(try together.tallyProblems() == [])
          // Every article once, with exactly the rows its own text yields.
          let footprints = try together.articleFootprints()
          #expect(footprints.count == (try TestCorpus.distinctArticles(inputs)))
          #expect(footprints == (try sequential.articleFootprints()))
          // The same events, plans, positions, tallies and actors (every column), row ids aside.
          let merged = try together.canonicalRecord()
          let mergedAlone = try sequential.canonicalRecord()
          for part in [
            "events", "plans", "positions", "position_tally", "plan_position_tally", "actors", "actor_alias",
          ] {
            let a = merged[part] ?? []
            let b = mergedAlone[part] ?? []
            #expect(a == b, "\(part): \(a.count) vs \(b.count); \(Set(a).subtracting(b).sorted().prefix(2))")
          }
          #expect(try together.rowCounts() == sequential.rowCounts())
          #expect(try together.overview().reports == sequential.overview().reports)
        }
      }
    }

    @Test func wrongPasswordAndUnknownDatabaseAreOneLineAndStatus4() async throws {
      let settings = try PostgresTestServer.settings()
      let dir = try Support.temporaryDirectory()
      let wrongLog = dir.appendingPathComponent("wrong.log")
      let wrong = try Self.parley(
        ["ingest", "--db", settings.displayURL, Self.examples], log: wrongLog, environment: ["PGPASSWORD": "wrong"])
      await ParleyProcess.exit(of: wrong)
      #expect(wrong.terminationStatus == 4)
      #expect(
        Self.text(wrongLog)
          == "parley: error: \(settings.displayURL): password authentication failed for user \"\(settings.user)\" (check PGPASSWORD, --password-file or the password file)\n"
      )
      var unknown = settings
      unknown.database = "no_such_database"
      let missingLog = dir.appendingPathComponent("missing.log")
      let missing = try Self.parley(["ingest", "--db", unknown.displayURL, Self.examples], log: missingLog)
      await ParleyProcess.exit(of: missing)
      #expect(missing.terminationStatus == 4)
      let lines = Self.text(missingLog).split(separator: "\n")
      #expect(lines.count == 1)
      #expect(
        lines.first?.hasPrefix("parley: error: \(unknown.displayURL): database \"no_such_database\" does not exist")
          == true)
    }

    /// The server ends the ingest's connection mid-run (what a server shutdown does to each
    /// session): the command fails with the reason and status 4, every committed batch stays, and
    /// running it again stores the rest, giving the rows of an uninterrupted run.
    @Test func aConnectionEndedMidIngestKeepsWhatWasCommittedAndARerunFinishes() async throws {
      let dir = try Support.temporaryDirectory()
      // Enough articles that the run cannot end between its first stored batch and the
      // termination (80 once finished in that time on a loaded machine).
      let inputs = try TestCorpus.write(into: dir, generated: 240, seed: 5)
      let (sqlite, _) = try StoreSupport.store(ingesting: inputs)
      try await PostgresTestServer.withDatabase { settings in
        // Connected before the ingest starts, so ending its session takes one query.
        let admin = try await PostgresRecord.connect(PostgresTestServer.settings(), migrate: false)
        let log = dir.appendingPathComponent("first.log")
        let first = try Self.parley(
          ["ingest", "--db", settings.displayURL, "--verbose", "--batch-size", "4"] + inputs, log: log)
        #expect(await ParleyProcess.waitFor(first, log: log, lineStarting: "stored ", timeout: 300))
        let ended = try await PostgresTestServer.lines(
          """
          SELECT pg_terminate_backend(pid)::text FROM pg_stat_activity
          WHERE datname = '\(settings.database)' AND pid <> pg_backend_pid()
          """, on: admin)
        await admin.close()
        await ParleyProcess.exit(of: first)
        let output = Self.text(log)
        if ended.isEmpty || first.terminationStatus == 0 {
          // The run was over before the server ended it: nothing to test this time.
          Issue.record("the ingest finished before its connection was ended: \(output)")
          return
        }
        #expect(first.terminationStatus == 4, "\(output)")
        // One clear line naming the database: the server's reason when the client read it
        // before the socket closed, else the closed connection (which of the three a run sees
        // is a race, lost more often on a loaded machine), and what to do next.
        let prefix = "parley: error: \(settings.displayURL): "
        let serverReason =
          output.contains(prefix + "the server ended the connection")
          && output.contains("terminating connection due to administrator command")
        let closed =
          output.contains(prefix + "the server closed the connection")
          || output.contains(prefix + "the connection ended while a statement was in flight")
        #expect(serverReason || closed, "\(output)")
        #expect(output.contains("run the same command again to store the rest"), "\(output)")

        let record = try await PostgresRecord.connect(settings)
        let stored = try await record.rowCounts()["article"] ?? 0
        await record.close()
        #expect(stored > 0, "the committed batches are gone")

        let rerun = try Self.parley(
          ["ingest", "--db", settings.displayURL] + inputs, log: dir.appendingPathComponent("rerun.log"))
        await ParleyProcess.exit(of: rerun)
        #expect(rerun.terminationStatus == 0, "\(Self.text(dir.appendingPathComponent("rerun.log")))")
        try Self.expectSameRows(try await Self.sqliteCopy(of: settings), sqlite, "after the re-run")
      }
    }
  }
#endif
