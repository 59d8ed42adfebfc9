import Foundation
import Testing

#if PostgreSQL
  import GRDB
  @testable import ParleyPostgres
  import ParleyStore
  import PostgresNIO

  /// The throwaway server `.ci/postgres.sh` starts: its URL and password come from the
  /// environment. Without them the PostgreSQL suites are skipped (and say so), unless
  /// `PARLEY_REQUIRE_POSTGRES=1` (CI) makes the missing server a failure.
  enum PostgresTestServer {
    static let environment = ProcessInfo.processInfo.environment
    static let url = environment["PARLEY_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    static let available = url != nil
    static let skipReason: Comment =
      "no PostgreSQL server: run `.ci/postgres.sh swift test --traits PostgreSQL`, which starts one and sets PARLEY_TEST_POSTGRES_URL"

    /// The server's own settings (its `parley_test` database), with the password.
    static func settings() throws -> PostgresSettings {
      guard let url else { throw ProcessTestError(message: "PARLEY_TEST_POSTGRES_URL is not set") }
      var settings = try PostgresSettings(url: url)
      settings.password = environment["PARLEY_TEST_POSTGRES_PASSWORD"]
      return settings
    }

    /// Runs `body` with a new, empty database of its own (tests run in parallel), dropped after.
    static func withDatabase<T: Sendable>(_ body: (PostgresSettings) async throws -> T) async throws -> T {
      let admin = try settings()
      var settings = admin
      settings.database = "parley_t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
      try await execute("CREATE DATABASE \(settings.database)", on: admin)
      do {
        let value = try await body(settings)
        try await execute("DROP DATABASE \(settings.database) WITH (FORCE)", on: admin)
        return value
      } catch {
        try? await execute("DROP DATABASE \(settings.database) WITH (FORCE)", on: admin)
        throw error
      }
    }

    /// Runs one statement (no binds) on the database `settings` names.
    static func execute(_ sql: String, on settings: PostgresSettings) async throws {
      let record = try await PostgresRecord.connect(settings, migrate: false)
      do {
        try await record.run { connection, logger in
          for statement in PostgresSchema.statements(sql) {
            try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
          }
        }
      } catch {
        await record.close()
        throw error
      }
      await record.close()
    }

    /// The rows of a query as text lines (every column cast to text by the query), sorted.
    static func lines(_ sql: String, on record: PostgresRecord) async throws -> [String] {
      try await record.run { connection, logger in
        var out: [String] = []
        let rows = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger)
        for try await row in rows {
          out.append(row.map { (try? $0.decode(String?.self)).flatMap { $0 } ?? "NULL" }.joined(separator: "|"))
        }
        return out.sorted()
      }
    }
  }

  /// A seed record in SQLite, made once for the suites that copy it.
  private let seedRecord = Result { try StoreSupport.seedStore() }

  @Suite(.enabled(if: PostgresTestServer.available, PostgresTestServer.skipReason))
  struct PostgresSchemaTests {
    @Test func migrationsApplyOnceInOrderAndAgainChangeNothing() async throws {
      try await PostgresTestServer.withDatabase { settings in
        // Two processes starting on a new database at once: the advisory lock makes them take turns.
        try await withThrowingTaskGroup(of: Void.self) { group in
          for _ in 0..<2 {
            group.addTask { await (try? PostgresRecord.connect(settings))?.close() }
          }
          try await group.waitForAll()
        }
        let record = try await PostgresRecord.connect(settings)
        let applied = try await record.appliedMigrations()
        #expect(applied == PostgresSchema.migrations.map(\.name))
        try await record.migrate()
        #expect(try await record.appliedMigrations() == applied)
        let counts = try await record.rowCounts()
        #expect(Set(counts.keys) == Set(PostgresSchema.tables))
        #expect(counts.filter { $0.value != 0 } == ["record_state": 1])
        // Every index SQLite has, PostgreSQL has (plus the full-text one and the primary keys).
        let indexes = try await PostgresTestServer.lines(
          "SELECT indexname::text FROM pg_indexes WHERE schemaname = current_schema()", on: record)
        for name in [
          "article_published", "article_duplicateof", "article_band_key", "article_newest", "article_outlet",
          "event_span", "event_target", "event_source", "event_sort", "event_cameo", "position_cell",
          "position_actor", "position_provision", "provision_version", "plan_mention_version_article",
          "event_participant_actor", "article_search", "plan_link_plan",
        ] {
          #expect(indexes.contains(name), "index \(name)")
        }
        #expect(
          !indexes.contains("event_pair") && !indexes.contains("event_pair_time") && !indexes.contains("position_party")
        )
        await record.close()
      }
    }

    @Test func statementSplitterKeepsFunctionBodiesWhole() {
      let statements = PostgresSchema.statements(
        """
        -- a comment; with a semicolon and an apostrophe's
        CREATE TABLE t (a text DEFAULT ';');
        CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          INSERT INTO t VALUES ('x;y'); RETURN NULL;
        END $$;
        SELECT 1
        """)
      #expect(statements.count == 3)
      #expect(statements[1].hasSuffix("END $$"))
      #expect(statements[2] == "SELECT 1")
    }
  }

  @Suite(.enabled(if: PostgresTestServer.available, PostgresTestServer.skipReason))
  struct PostgresCopyTests {
    /// SQLite -> PostgreSQL -> SQLite gives back every row of every table, ids and rowids included,
    /// and the copy on PostgreSQL holds as many rows per table as the original.
    @Test func roundTripGivesIdenticalRows() async throws {
      // The seeds, and an article with every character COPY's text format escapes, in the raw
      // source the record keeps: backslashes, tabs, carriage returns, and text beyond ASCII.
      let original = try StoreSupport.seedStore()
      try StoreSupport.ingest(
        "date 2025-03-01\r\ntitle: Back\\slash\ttalks in Genève\r\n\r\nQatar hosted Hamas\tand Israel in Doha \\N — "
          + "a path C:\\talks\\new, 🕊️ and \"quotes\".\r\n",
        into: original, name: "escapes.txt")
      let tables = RecordStore.recordTables + ["record_state"]
      let counts = try original.rowCounts(tables: tables)
      #expect(counts["article"] == 6)
      #expect((counts["mention"] ?? 0) > 100)
      try await PostgresTestServer.withDatabase { settings in
        let there = try await RecordCopy.copy(from: .sqlite(path: original.path), to: .postgres(settings))
        #expect(Dictionary(uniqueKeysWithValues: there.tables.map { ($0.table, $0.rows) }) == counts)
        let record = try await PostgresRecord.connect(settings)
        #expect(try await record.rowCounts() == counts)
        await record.close()

        let back = try Support.temporaryDirectory().appendingPathComponent("back.sqlite").path
        let report = try await RecordCopy.copy(from: .postgres(settings), to: .sqlite(path: back))
        #expect(report.tables.map(\.rows) == there.tables.map(\.rows))
        let copy = try RecordStore(path: back)
        let before = try original.dump(tables: tables)
        let after = try copy.dump(tables: tables)
        for table in tables {
          #expect(before[table] == after[table], "table \(table)")
        }
        #expect(try rowids(original.path) == rowids(back))
        #expect(try copy.consistencyProblems().isEmpty)
        #expect(try copy.integrityCheck() == "ok")
        // The full-text index was rebuilt from the copied articles.
        #expect(try copy.search("ceasefire").total == original.search("ceasefire").total)
      }
    }

    @Test func refusesANonEmptyDestinationUnlessReplacing() async throws {
      let original = try seedRecord.get()
      try await PostgresTestServer.withDatabase { settings in
        _ = try await RecordCopy.copy(from: .sqlite(path: original.path), to: .postgres(settings))
        await #expect(throws: CopyError.self) {
          _ = try await RecordCopy.copy(from: .sqlite(path: original.path), to: .postgres(settings))
        }
        let replaced = try await RecordCopy.copy(
          from: .sqlite(path: original.path), to: .postgres(settings), replace: true)
        let record = try await PostgresRecord.connect(settings)
        #expect(try await record.rowCounts()["article"] == 5)
        #expect(replaced.tables.first { $0.table == "article" }?.rows == 5)
        // Ids continue after the copied ones: the next row does not collide.
        let next = try await PostgresTestServer.lines(
          "SELECT nextval(pg_get_serial_sequence('article', 'id'))::text", on: record)
        #expect(next == ["6"])
        await record.close()

        // Back into a non-empty SQLite file, likewise.
        let other = try StoreSupport.emptyStore()
        try StoreSupport.ingest("date 2025-01-01\ntitle: One\n\nHamas met Israel in Doha.", into: other)
        await #expect(throws: CopyError.self) {
          _ = try await RecordCopy.copy(from: .postgres(settings), to: .sqlite(path: other.path))
        }
        _ = try await RecordCopy.copy(from: .postgres(settings), to: .sqlite(path: other.path), replace: true)
        #expect(try other.rowCounts()["article"] == 5)
      }
    }

    /// A database without a Parley record, or an SQLite file that is not there, is refused with
    /// a reason, and the source is left as it was (a source is never migrated).
    @Test func refusesASourceWithoutARecord() async throws {
      try await PostgresTestServer.withDatabase { settings in
        let target = try Support.temporaryDirectory().appendingPathComponent("never.sqlite").path
        do {
          _ = try await RecordCopy.copy(from: .postgres(settings), to: .sqlite(path: target))
          Issue.record("an empty database was copied")
        } catch {
          #expect("\(error)".contains("holds no Parley record"), "\(error)")
        }
        #expect(!FileManager.default.fileExists(atPath: target))
        let record = try await PostgresRecord.connect(settings, migrate: false)
        let tables = try await PostgresTestServer.lines(
          "SELECT count(*)::text FROM information_schema.tables WHERE table_schema = current_schema()", on: record)
        #expect(tables == ["0"])
        await record.close()
        await #expect(throws: CopyError.self) {
          _ = try await RecordCopy.copy(from: .sqlite(path: "/nonexistent/record.sqlite"), to: .postgres(settings))
        }
      }
    }

    /// The PL/pgSQL triggers keep the tallies as SQLite's do, also for multi-row statements:
    /// mentions and plan mentions taken out and put back in one statement each give back the
    /// tallies SQLite computed.
    @Test func triggersKeepTalliesAsSQLiteDoes() async throws {
      let original = try seedRecord.get()
      try await PostgresTestServer.withDatabase { settings in
        _ = try await RecordCopy.copy(from: .sqlite(path: original.path), to: .postgres(settings))
        let record = try await PostgresRecord.connect(settings)
        let tallies = [
          "SELECT actorId, articles::text, mentions::text, events::text FROM actor_tally",
          "SELECT outlet, published::text, cited::text, reports::text FROM outlet_tally",
          "SELECT versionId::text, mentions::text, cue::text, first, articles::text, provisions::text FROM plan_version_tally",
          "SELECT versionId::text, name, count::text FROM plan_version_name",
        ]
        var before: [[String]] = []
        for sql in tallies { before.append(try await PostgresTestServer.lines(sql, on: record)) }
        #expect(before.allSatisfy { !$0.isEmpty })
        try await PostgresTestServer.execute(
          """
          CREATE TABLE saved_mention AS SELECT * FROM mention;
          CREATE TABLE saved_citation AS SELECT * FROM citation;
          CREATE TABLE saved_plan_mention AS SELECT * FROM plan_mention;
          DELETE FROM mention;
          DELETE FROM citation;
          DELETE FROM plan_mention;
          DELETE FROM plan_version_name;
          UPDATE plan_version_tally SET mentions = 0, cue = 0, first = '~', articles = 0;
          """, on: settings)
        let emptied = try await PostgresTestServer.lines(
          "SELECT count(*)::text FROM actor_tally WHERE mentions <> 0 OR articles <> 0", on: record)
        #expect(emptied == ["0"])
        try await PostgresTestServer.execute(
          """
          INSERT INTO mention SELECT * FROM saved_mention ORDER BY rowid;
          INSERT INTO citation SELECT * FROM saved_citation ORDER BY rowid;
          INSERT INTO plan_mention SELECT * FROM saved_plan_mention ORDER BY rowid;
          UPDATE event SET sourceId = sourceId, targetId = targetId;
          """, on: settings)
        for (index, sql) in tallies.enumerated() {
          #expect(try await PostgresTestServer.lines(sql, on: record) == before[index], "\(sql)")
        }
        await record.close()
      }
    }

    /// The ingest writer adds its mentions to `actor_tally` itself, once per batch: in a
    /// transaction that sets `parley.batch_mention_tally`, the mention trigger leaves the tally
    /// alone; in the next one (the setting ends with its transaction) it counts again.
    @Test func mentionTriggerLeavesTheTallyToAWriterThatSaysSo() async throws {
      let original = try seedRecord.get()
      try await PostgresTestServer.withDatabase { settings in
        _ = try await RecordCopy.copy(from: .sqlite(path: original.path), to: .postgres(settings))
        let record = try await PostgresRecord.connect(settings)
        let split = "(SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY articleId) FROM saved_mention)"
        try await PostgresTestServer.execute(
          """
          CREATE TABLE saved_mention AS SELECT * FROM mention;
          DELETE FROM mention;
          BEGIN;
          SELECT set_config('\(PostgresSchema.batchMentionTallySetting)', 'on', true);
          INSERT INTO mention SELECT * FROM saved_mention WHERE articleId <= \(split) ORDER BY rowid;
          COMMIT;
          """, on: settings)
        let counted =
          "SELECT actorId, articles::text, mentions::text FROM actor_tally WHERE mentions <> 0 OR articles <> 0"
        #expect(try await PostgresTestServer.lines(counted, on: record) == [])
        #expect(try await PostgresTestServer.lines("SELECT count(*)::text FROM mention", on: record) != ["0"])
        try await PostgresTestServer.execute(
          """
          BEGIN;
          SELECT set_config('\(PostgresSchema.batchMentionTallySetting)', 'on', true);
          COMMIT;
          INSERT INTO mention SELECT * FROM saved_mention WHERE articleId > \(split) ORDER BY rowid;
          """, on: settings)
        let expected = try await PostgresTestServer.lines(
          """
          SELECT actorId, count(DISTINCT articleId)::text, count(*)::text FROM saved_mention
          WHERE articleId > \(split) GROUP BY actorId
          """, on: record)
        #expect(!expected.isEmpty)
        #expect(try await PostgresTestServer.lines(counted, on: record) == expected)
        await record.close()
      }
    }

    @Test func fullTextSearchFindsWhatSQLiteFinds() async throws {
      let original = try seedRecord.get()
      try await PostgresTestServer.withDatabase { settings in
        _ = try await RecordCopy.copy(from: .sqlite(path: original.path), to: .postgres(settings))
        let record = try await PostgresRecord.connect(settings)
        for query in [
          "ceasefire", "Hamas Israel", "\"peace plan\"", "negotiat*", "WITKOFF", "\"no such phrase anywhere\"",
        ] {
          let sqlite = try original.search(query, limit: 50)
          let postgres = try await record.search(query, limit: 50)
          #expect(postgres.total == sqlite.total, "\(query)")
          #expect(Set(postgres.hits.map(\.docId)) == Set(sqlite.items.map(\.article.docId)), "\(query)")
        }
        let hits = try await record.search("ceasefire", limit: 2)
        #expect(hits.total >= 2)
        #expect(hits.hits.count == min(2, hits.total))
        #expect(hits.hits.contains { $0.snippet.lowercased().contains("[ceasefire]") })
        // Nothing a user types is query syntax.
        for hostile in ["a & b | !c", "'); DROP TABLE article; --", ":*", "<->"] {
          _ = try await record.search(hostile)
        }
        #expect(try await record.rowCounts()["article"] == 5)
        await record.close()
      }
    }

    /// `rowid` of the tables SQLite keys by it, per table, in order.
    private func rowids(_ path: String) throws -> [String: [Int64]] {
      let queue = try DatabaseQueue(path: path)
      return try queue.read { db in
        var out: [String: [Int64]] = [:]
        for table in PostgresSchema.rowidTables.sorted() {
          out[table] = try Int64.fetchAll(db, sql: "SELECT rowid FROM \(table) ORDER BY rowid")
        }
        return out
      }
    }
  }

  /// The real `parley` binary against the server: faults are one line and exit status 4.
  @Suite(.enabled(if: PostgresTestServer.available, PostgresTestServer.skipReason))
  struct PostgresCommandTests {
    struct Finished {
      var status: Int32
      var output: String
      var errors: String
    }

    func parley(_ arguments: [String], environment: [String: String] = [:]) async throws -> Finished {
      var env = ProcessInfo.processInfo.environment
      for key in ["PGPASSWORD", "PGPASSFILE", "PARLEY_DB", "PGSSLMODE"] { env[key] = nil }
      env["HOME"] = try Support.temporaryDirectory().path
      env.merge(environment) { _, new in new }
      let run = try await ParleyProcess.capture(try ParleyProcess.executable(), arguments, environment: env)
      return Finished(status: run.status, output: run.stdout, errors: run.stderr)
    }

    @Test func copiesBothWaysWithTheRealBinary() async throws {
      let original = try seedRecord.get()
      try await PostgresTestServer.withDatabase { settings in
        let password = PostgresTestServer.environment["PARLEY_TEST_POSTGRES_PASSWORD"] ?? ""
        let file = try Support.writeTemporary("password", text: password + "\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
        let to = try await parley(
          ["copy", "--from", original.path, "--to", settings.displayURL, "--password-file", file.path, "--json"])
        #expect(to.status == 0, "\(to.errors)")
        let report = try JSONDecoder().decode(CopyReport.self, from: Data(to.output.utf8))
        #expect(report.tables.first { $0.table == "article" }?.rows == 5)
        #expect(to.errors.contains("parley: copy: mention: "))
        #expect(!to.output.contains(password) && !to.errors.contains(password))

        let back = try Support.temporaryDirectory().appendingPathComponent("back.sqlite").path
        let from = try await parley(
          ["copy", "--from", settings.displayURL, "--to", back], environment: ["PGPASSWORD": password])
        #expect(from.status == 0, "\(from.errors)")
        #expect(from.output.contains("article"))
        let timeline = try await parley(["timeline", "--db", back])
        #expect(timeline.status == 0)

        // Every read command runs there; without a password the server refuses it in one line, status 4.
        let refused = try await parley(["sources", "--db", settings.displayURL])
        #expect(refused.status == 4)
        #expect(refused.errors.contains("password") && refused.errors.split(separator: "\n").count == 1)
        let viaEnvironment = try await parley(
          ["actors", "--json"], environment: ["PARLEY_DB": settings.displayURL, "PGPASSWORD": password])
        #expect(viaEnvironment.status == 0, "\(viaEnvironment.errors)")
        #expect(viaEnvironment.output.contains("\"total\""))
        // And status, with the password from the environment.
        let status = try await parley(
          ["status", "--db", settings.displayURL, "--json"], environment: ["PGPASSWORD": password])
        #expect(status.status == 0, "\(status.errors)")
        #expect(status.output.contains("\"articles\" : 5"))
      }
    }

    @Test func wrongPasswordUnknownDatabaseAndNoServerAreOneLineAndStatus4() async throws {
      let settings = try PostgresTestServer.settings()
      let sqlite = try seedRecord.get().path
      let wrong = try await parley(
        ["copy", "--from", sqlite, "--to", settings.displayURL], environment: ["PGPASSWORD": "wrong"])
      #expect(wrong.status == 4)
      #expect(
        wrong.errors
          == "parley: error: \(settings.displayURL): password authentication failed for user \"\(settings.user)\" (check PGPASSWORD, --password-file or the password file)\n"
      )

      var unknown = settings
      unknown.database = "no_such_database"
      let missing = try await parley(
        ["copy", "--from", unknown.displayURL, "--to", "x.sqlite"],
        environment: ["PGPASSWORD": settings.password ?? ""])
      #expect(missing.status == 4)
      #expect(
        missing.errors.hasPrefix("parley: error: \(unknown.displayURL): database \"no_such_database\" does not exist"))
      #expect(missing.errors.split(separator: "\n").count == 1)

      // A port nobody listens on (bound, then released).
      var nowhere = settings
      nowhere.port = try freePort()
      let unreachable = try await parley(["copy", "--from", sqlite, "--to", nowhere.displayURL])
      #expect(unreachable.status == 4)
      #expect(unreachable.errors.hasPrefix("parley: error: \(nowhere.displayURL): server unreachable at"))
      #expect(unreachable.errors.split(separator: "\n").count == 1)

      let inURL = try await parley(["copy", "--from", sqlite, "--to", "postgresql://parley:hunter2@127.0.0.1/x"])
      #expect(inURL.status == 64)
      #expect(inURL.errors.contains("refused") && !inURL.errors.contains("hunter2"))
    }

    @Test(.enabled(if: PostgresTestServer.environment["PARLEY_TEST_POSTGRES_CA"] != nil, "the test server has no TLS"))
    func requireVerifiesTheServerCertificate() async throws {
      var settings = try PostgresTestServer.settings()
      settings.host = "localhost"
      settings.tls = .require
      settings.rootCertificate = PostgresTestServer.environment["PARLEY_TEST_POSTGRES_CA"]
      let record = try await PostgresRecord.connect(settings, migrate: false)
      let ssl = try await PostgresTestServer.lines(
        "SELECT ssl::text FROM pg_stat_ssl WHERE pid = pg_backend_pid()", on: record)
      #expect(ssl == ["true"])
      await record.close()
      // The self-signed certificate is no authority the system trusts: refused, with a reason.
      settings.rootCertificate = nil
      do {
        let untrusted = try await PostgresRecord.connect(settings, migrate: false)
        await untrusted.close()
        Issue.record("an unverified certificate was accepted")
      } catch {
        #expect(error.description.hasPrefix(settings.displayURL))
      }
    }

    private func freePort() throws -> Int {
      let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
      defer { close(fd) }
      var address = sockaddr_in()
      address.sin_family = sa_family_t(AF_INET)
      address.sin_addr.s_addr = inet_addr("127.0.0.1")
      address.sin_port = 0
      var length = socklen_t(MemoryLayout<sockaddr_in>.size)
      let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
          bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
        }
      }
      guard bound else { throw ProcessTestError(message: "no free port") }
      return Int(UInt16(bigEndian: address.sin_port))
    }
  }

  /// Every SQLite migration has its PostgreSQL twin, by name and in order: a migration added to
  /// the SQLite schema alone fails here (no server needed) rather than as a refused copy later.
  /// PostgreSQL's own migrations (what only concurrent writers need) are named as such.
  @Suite struct PostgresSchemaMirrorTests {
    @Test func postgresMigrationsMirrorSQLiteOnes() throws {
      let sqlite = try StoreSupport.emptyStore().appliedMigrations()
      let names = PostgresSchema.migrations.map(\.name)
      #expect(names.filter { !$0.hasPrefix(PostgresSchema.postgresOnly) } == sqlite)
      #expect(names.filter { $0.hasPrefix(PostgresSchema.postgresOnly) }.count == 2)
    }

    /// COPY's text format: tabs between fields, `\N` for NULL, escapes for what would end a field
    /// or a line, bytea in hex.
    @Test func copyLinesEscapeWhatTheTextFormatNeeds() {
      var buffer = ByteBuffer()
      PostgresCopyDestination.appendCopyLine(
        [
          .null, 42.databaseValue, 0.1.databaseValue, "a\\b\tc\nd\re 🕊️".databaseValue,
          Data([0x00, 0xAB, 0xFF]).databaseValue, "".databaseValue,
        ], to: &buffer)
      #expect(String(buffer: buffer) == "\\N\t42\t0.1\ta\\\\b\\tc\\nd\\re 🕊️\t\\\\x00abff\t\n")
    }
  }

  /// CI sets PARLEY_REQUIRE_POSTGRES=1: there a missing server fails the run instead of
  /// skipping the PostgreSQL suites.
  @Suite struct PostgresServerRequirementTests {
    @Test func serverIsThereWhenRequired() {
      if PostgresTestServer.environment["PARLEY_REQUIRE_POSTGRES"] == "1" {
        #expect(PostgresTestServer.available, "PARLEY_REQUIRE_POSTGRES=1 but PARLEY_TEST_POSTGRES_URL is not set")
      }
    }
  }
#else
  /// Built without the PostgreSQL trait: the PostgreSQL suites are not compiled. This test is
  /// listed as skipped so a run shows that they did not run and how to run them.
  @Suite struct PostgresTests {
    @Test(.disabled("built without the PostgreSQL trait: run `.ci/postgres.sh swift test --traits PostgreSQL`"))
    func postgresSuitesNeedTheTrait() {}

    @Test func traitIsThereWhenRequired() {
      #expect(
        ProcessInfo.processInfo.environment["PARLEY_REQUIRE_POSTGRES"] != "1",
        "PARLEY_REQUIRE_POSTGRES=1 but the tests were built without the PostgreSQL trait")
    }
  }
#endif
