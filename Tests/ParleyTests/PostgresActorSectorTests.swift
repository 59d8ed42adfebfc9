import Foundation
import Testing

#if PostgreSQL
  import ParleyPostgres
  import ParleyStore

  /// The actor's CAMEO sector on PostgreSQL: the writer keeps it by the record's rule as SQLite
  /// does, the reader returns it, `parley copy` carries it both ways, and a database made before
  /// the column gets it when opened.
  @Suite(.enabled(if: PostgresTestServer.available, PostgresTestServer.skipReason))
  struct PostgresActorSectorTests {
    /// The two articles of `ActorSectorTests` as files in a folder of their own.
    static func articles() throws -> (first: String, second: String) {
      let dir = try Support.temporaryDirectory()
      let first = dir.appendingPathComponent("rebels.txt")
      let second = dir.appendingPathComponent("again.txt")
      try ActorSectorTests.rebels.write(to: first, atomically: true, encoding: .utf8)
      try ActorSectorTests.rebelsAgain.write(to: second, atomically: true, encoding: .utf8)
      return (first.path, second.path)
    }

    static func sector(_ settings: PostgresSettings, _ id: String) async throws -> String?? {
      let reader = try await PostgresRecordReader.connect(settings)
      let sector = try await PostgresIngestTests.offThread { try reader.actor(id: id).map(\.actor.sector) }
      await reader.close()
      return sector
    }

    @Test func ingestKeepsTheSectorAsSQLiteDoesAndAgainChangesNothing() async throws {
      let (first, second) = try Self.articles()
      let (sqlite, _) = try StoreSupport.store(ingesting: [first, second])
      #expect(try sqlite.actor(id: ActorSectorTests.rebelId)?.actor.sector == "REB")
      try await PostgresTestServer.withDatabase { settings in
        let summary = try await PostgresIngestTests.ingest([first, second], into: settings)
        #expect(summary.new == 2 && summary.failed.isEmpty)
        #expect(try await Self.sector(settings, ActorSectorTests.rebelId) == "REB")
        let reader = try await PostgresRecordReader.connect(settings)
        let actors = try await PostgresIngestTests.offThread { try reader.actors(limit: 500) }
        await reader.close()
        #expect(actors == (try sqlite.actors(limit: 500)))
        #expect(actors.items.contains { $0.sector == nil })
        // The copy to SQLite carries the column: the same rows as SQLite's own ingest.
        try PostgresIngestTests.expectSameRows(try await PostgresIngestTests.sqliteCopy(of: settings), sqlite, "copy")
        let again = try await PostgresIngestTests.ingest([first, second], into: settings)
        #expect(again.new == 0 && again.duplicates == 2)
        try PostgresIngestTests.expectSameRows(
          try await PostgresIngestTests.sqliteCopy(of: settings), sqlite, "after the second run")
      }
    }

    @Test func copyFromSQLiteCarriesTheSector() async throws {
      let (first, _) = try Self.articles()
      let (sqlite, _) = try StoreSupport.store(ingesting: [first])
      try await PostgresTestServer.withDatabase { settings in
        _ = try await RecordCopy.copy(from: .sqlite(path: sqlite.path), to: .postgres(settings))
        #expect(try await Self.sector(settings, ActorSectorTests.rebelId) == "REB")
      }
    }

    @Test func aDatabaseMadeBeforeSectorsGetsTheColumnAndKeepsItsRows() async throws {
      let (first, second) = try Self.articles()
      try await PostgresTestServer.withDatabase { settings in
        _ = try await PostgresIngestTests.ingest([first], into: settings)
        // Back to the schema before the migration: no column, no record of it.
        try await PostgresTestServer.execute(
          """
          ALTER TABLE actor DROP COLUMN sector;
          DELETE FROM parley_migrations WHERE name LIKE 'v12:%';
          """, on: settings)
        let old = try await PostgresRecord.connect(settings, migrate: false)
        let before = try await PostgresTestServer.lines(
          "SELECT id || '|' || name || '|' || kind FROM actor", on: old)
        await old.close()
        #expect(before.count > 1)

        let record = try await PostgresRecord.connect(settings)
        #expect(try await record.appliedMigrations().contains { $0.hasPrefix("v12:") })
        #expect(
          try await PostgresTestServer.lines("SELECT id || '|' || name || '|' || kind FROM actor", on: record)
            == before)
        #expect(
          try await PostgresTestServer.lines("SELECT count(*)::text FROM actor WHERE sector IS NOT NULL", on: record)
            == ["0"])
        await record.close()
        _ = try await PostgresIngestTests.ingest([second], into: settings)
        #expect(try await Self.sector(settings, ActorSectorTests.rebelId) == "REB")
      }
    }
  }
#endif
