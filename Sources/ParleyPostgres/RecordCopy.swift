// The whole module exists only with the PostgreSQL trait (see Package.swift).
#if PostgreSQL

  import Foundation
  import GRDB
  import Logging
  import NIOCore
  import ParleyStore
  import PostgresNIO
  import Synchronization

  /// `parley copy`: moves a whole record between SQLite and PostgreSQL, either way.
  ///
  /// Every table is copied row for row with its ids (and SQLite's `rowid` where the schema keys a
  /// table by it), so the copy answers every query as the original does. The source is read in
  /// one snapshot (a read transaction), so an ingest running meanwhile is either wholly in the
  /// copy or not at all; the destination is written in one transaction, so an interrupted copy
  /// leaves it as it was.
  public enum RecordCopy {
    /// Copies the record at `source` into `destination`; a destination that already holds a record
    /// is refused unless `replace`, which empties it first (in the same transaction).
    /// `progress` is called after each table with its name, row count and the time it took;
    /// `during` every `interval` while a table is copied, with its name, the rows copied so far,
    /// the rows the source holds and the time since the table began (a table of millions of rows
    /// takes minutes); `note` with what the destination did after the last row and how long it took.
    public static func copy(
      from source: DatabaseLocation, to destination: DatabaseLocation, replace: Bool = false,
      interval: Duration = .seconds(10),
      during: @Sendable (String, Int, Int, Duration) -> Void = { _, _, _, _ in },
      note: (String, Duration) -> Void = { _, _ in },
      progress: (String, Int, Duration) -> Void = { _, _, _ in }
    ) async throws -> CopyReport {
      guard source != destination else {
        throw CopyError.sameRecord(source.displayName)
      }
      let started = ContinuousClock.now
      let reader: any CopySource
      switch source {
      case .sqlite(let path): reader = try SQLiteCopySource(path: path)
      case .postgres(let settings): reader = try await PostgresCopySource(settings: settings)
      }
      // Checked before the destination is touched, so that a refused copy leaves no new, empty
      // record behind.
      do {
        guard try await !reader.columns(of: "article").isEmpty else {
          throw CopyError.noRecord(source.displayName)
        }
      } catch {
        await reader.close()
        throw error
      }
      let writer: any CopyDestination
      do {
        switch destination {
        case .sqlite(let path): writer = try SQLiteCopyDestination(path: path)
        case .postgres(let settings): writer = try await PostgresCopyDestination(settings: settings)
        }
      } catch {
        await reader.close()
        throw error
      }
      var counts: [CopyReport.Table] = []
      do {
        try await writer.begin()
        do {
          if try await !writer.isEmpty() {
            guard replace else { throw CopyError.destinationNotEmpty(destination.displayName) }
            try await writer.clear()
          }
          // Base tables first, so that the triggers they fire have run before the tallies they
          // keep are overwritten with the source's own.
          let order =
            PostgresSchema.tables.filter { !PostgresSchema.tallyTables.contains($0) }
            + PostgresSchema.tables.filter { PostgresSchema.tallyTables.contains($0) }
          for table in order {
            let tableStarted = ContinuousClock.now
            let columns = try await matchedColumns(table, source: reader, destination: writer)
            let total = try await reader.count(of: table)
            let reported = Mutex(tableStarted)
            let rows = try await writer.write(
              table: table, columns: columns, replacing: PostgresSchema.tallyTables.contains(table),
              from: reader
            ) { copied in
              let now = ContinuousClock.now
              let due = reported.withLock { last in
                guard now - last >= interval else { return false }
                last = now
                return true
              }
              if due { during(table, copied, total, now - tableStarted) }
            }
            counts.append(CopyReport.Table(table: table, rows: rows))
            progress(table, rows, ContinuousClock.now - tableStarted)
          }
          let finishing = ContinuousClock.now
          if let done = try await writer.finish() { note(done, ContinuousClock.now - finishing) }
          try await writer.commit()
        } catch {
          await writer.rollback()
          throw error
        }
      } catch {
        await reader.close()
        await writer.close()
        throw error
      }
      await reader.close()
      await writer.close()
      let elapsed = ContinuousClock.now - started
      // Column order in the report follows the schema, whatever order the copy took.
      let order = Dictionary(uniqueKeysWithValues: PostgresSchema.tables.enumerated().map { ($1, $0) })
      return CopyReport(
        from: source.displayName, to: destination.displayName,
        tables: counts.sorted { (order[$0.table] ?? 0) < (order[$1.table] ?? 0) },
        seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    /// The columns of `table` as both sides name them, in the destination's order. Both sides must
    /// have exactly the same columns (names compared without case: PostgreSQL folds them): a record
    /// of another Parley version is refused rather than copied with a column missing.
    static func matchedColumns(_ table: String, source: any CopySource, destination: any CopyDestination)
      async throws -> [CopyColumn]
    {
      let from = try await source.columns(of: table)
      let to = try await destination.columns(of: table)
      let fromByName = Dictionary(from.map { ($0.lowercased(), $0) }, uniquingKeysWith: { a, _ in a })
      let toNames = Set(to.map { $0.lowercased() })
      let missing = to.filter { fromByName[$0.lowercased()] == nil }
      let extra = from.filter { !toNames.contains($0.lowercased()) }
      guard missing.isEmpty, extra.isEmpty else {
        throw CopyError.schemaMismatch(
          table: table, onlyInSource: extra, onlyInDestination: missing)
      }
      return to.compactMap { name in
        fromByName[name.lowercased()].map { CopyColumn(source: $0, destination: name) }
      }
    }
  }

  /// What a copy moved: rows per table, in the schema's table order.
  public struct CopyReport: Sendable, Codable, Equatable {
    /// One table and how many rows it received.
    public struct Table: Sendable, Codable, Equatable {
      public var table: String
      public var rows: Int
    }
    public var from: String
    public var to: String
    public var tables: [Table]
    public var seconds: Double
  }

  /// Why a copy was refused or stopped.
  public enum CopyError: Error, CustomStringConvertible, Sendable {
    case sameRecord(String)
    case destinationNotEmpty(String)
    case noSuchSource(String)
    case noRecord(String)
    case schemaMismatch(table: String, onlyInSource: [String], onlyInDestination: [String])
    case sqlite(path: String, reason: String)
    case unsupportedType(column: String, type: String)

    public var description: String {
      switch self {
      case .sameRecord(let name):
        "\(name): source and destination are the same record"
      case .destinationNotEmpty(let name):
        "\(name) already holds a record; copy into an empty database, or give --replace to overwrite it"
      case .noSuchSource(let path):
        "\(path): no such database"
      case .noRecord(let name):
        "\(name) holds no Parley record"
      case .schemaMismatch(let table, let onlyInSource, let onlyInDestination):
        "table \(table) differs between the two records"
          + (onlyInSource.isEmpty ? "" : "; only the source has \(onlyInSource.joined(separator: ", "))")
          + (onlyInDestination.isEmpty ? "" : "; only the destination has \(onlyInDestination.joined(separator: ", "))")
          + " (are both written by the same version of Parley?)"
      case .sqlite(let path, let reason):
        "\(path): \(reason)"
      case .unsupportedType(let column, let type):
        "column \(column) has type \(type), which a Parley record does not use"
      }
    }
  }

  /// A column as the source and the destination spell it (`docId` in SQLite, `docid` in PostgreSQL).
  struct CopyColumn: Sendable {
    var source: String
    var destination: String
  }

  /// A record being read: its columns, and its rows in batches.
  protocol CopySource: Sendable {
    func columns(of table: String) async throws -> [String]
    /// How many rows `table` holds (for progress only).
    func count(of table: String) async throws -> Int
    /// Hands over every row of `table`, `columns` in that order, a batch at a time.
    func rows(of table: String, columns: [String], _ body: ([[DatabaseValue]]) async throws -> Void) async throws
    func close() async
  }

  /// A record being written, in one transaction from `begin` to `commit`.
  protocol CopyDestination: Sendable {
    func columns(of table: String) async throws -> [String]
    func begin() async throws
    func isEmpty() async throws -> Bool
    /// Deletes every row of the record.
    func clear() async throws
    /// Copies every row of `table` from `source`; `replacing` deletes the rows the destination's
    /// triggers (or migrations) put there first; `copied` is told the rows copied so far after
    /// each batch. Returns the number of rows copied.
    func write(
      table: String, columns: [CopyColumn], replacing: Bool, from source: any CopySource,
      copied: @Sendable (Int) -> Void
    ) async throws -> Int
    /// Work after the last row and before the commit; what it did, if anything, for the progress lines.
    func finish() async throws -> String?
    func commit() async throws
    func rollback() async
    func close() async
  }

  // MARK: SQLite

  /// Rows per batch read from SQLite: large enough to amortise a statement, small enough that a
  /// batch of long articles stays a few MiB.
  private let batchRows = 500

  /// An SQLite record read in one snapshot. The read transaction spans many database accesses,
  /// which GRDB allows only when asked (`allowsUnsafeTransactions`); `close` ends it.
  final class SQLiteCopySource: CopySource {
    let path: String
    let queue: DatabaseQueue

    init(path: String) throws {
      guard FileManager.default.fileExists(atPath: path) else { throw CopyError.noSuchSource(path) }
      self.path = path
      var config = Configuration()
      config.readonly = true
      config.allowsUnsafeTransactions = true
      config.busyMode = .timeout(60)
      do {
        queue = try DatabaseQueue(path: path, configuration: config)
        try queue.inDatabase { db in
          try db.execute(sql: "BEGIN DEFERRED")
          // The snapshot starts at the first read, not at BEGIN.
          _ = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master")
        }
      } catch let error as DatabaseError {
        throw CopyError.sqlite(path: path, reason: error.message ?? "\(error)")
      }
    }

    func columns(of table: String) throws -> [String] {
      try sqlite(path) {
        try queue.inDatabase { db in
          var names = try Row.fetchAll(db, sql: "PRAGMA table_info(\(table.quotedDatabaseIdentifier))").map {
            $0["name"] as String
          }
          if PostgresSchema.rowidTables.contains(table) { names.insert("rowid", at: 0) }
          return names
        }
      }
    }

    func count(of table: String) throws -> Int {
      try sqlite(path) {
        try queue.inDatabase { db in
          try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table.quotedDatabaseIdentifier)") ?? 0
        }
      }
    }

    /// Reads in key order, a batch at a time, each batch starting after the last key of the one
    /// before (never OFFSET, which would rescan). The key is the rowid, or the primary key of a
    /// WITHOUT ROWID table.
    func rows(of table: String, columns: [String], _ body: ([[DatabaseValue]]) async throws -> Void) async throws {
      let key = try sqlite(path) { try keyColumns(table) }
      let selected = (columns + key).map { $0 == "rowid" ? "rowid" : $0.quotedDatabaseIdentifier }
      let keyList = key.map { $0 == "rowid" ? "rowid" : $0.quotedDatabaseIdentifier }.joined(separator: ", ")
      let base = "SELECT \(selected.joined(separator: ", ")) FROM \(table.quotedDatabaseIdentifier)"
      var last: [DatabaseValue]? = nil
      while true {
        let batch: [[DatabaseValue]] = try sqlite(path) {
          try queue.inDatabase { db in
            var sql = base
            var arguments: [DatabaseValue] = []
            if let last {
              sql += " WHERE (\(keyList)) > (\(Array(repeating: "?", count: key.count).joined(separator: ", ")))"
              arguments = last
            }
            sql += " ORDER BY \(keyList) LIMIT \(batchRows)"
            return try Row.fetchAll(db, sql: sql, arguments: statementArguments(arguments)).map { row in
              (0..<row.count).map { row[$0] as DatabaseValue }
            }
          }
        }
        guard let lastRow = batch.last else { return }
        last = Array(lastRow.suffix(key.count))
        try await body(batch.map { Array($0.prefix(columns.count)) })
        if batch.count < batchRows { return }
      }
    }

    private func keyColumns(_ table: String) throws -> [String] {
      try queue.inDatabase { db in
        let withoutRowid =
          try String.fetchOne(
            db, sql: "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", arguments: [table]
          )?.uppercased().contains("WITHOUT ROWID") ?? false
        guard withoutRowid else { return ["rowid"] }
        return try Row.fetchAll(db, sql: "PRAGMA table_info(\(table.quotedDatabaseIdentifier))")
          .filter { ($0["pk"] as Int) > 0 }
          .sorted { ($0["pk"] as Int) < ($1["pk"] as Int) }
          .map { $0["name"] as String }
      }
    }

    func close() async {
      try? queue.inDatabase { db in try db.execute(sql: "COMMIT") }
      try? queue.close()
    }
  }

  /// An SQLite record written in one transaction. Created (with the current schema) through
  /// `RecordStore` when the file does not exist, so it is the same database `parley ingest` makes.
  final class SQLiteCopyDestination: CopyDestination {
    let path: String
    let queue: DatabaseQueue

    init(path: String) throws {
      self.path = path
      do {
        // Opening through the store creates the file and applies the SQLite migrations.
        _ = try RecordStore(path: path)
      } catch {
        throw CopyError.sqlite(path: path, reason: "\(error)")
      }
      var config = Configuration()
      config.allowsUnsafeTransactions = true
      config.busyMode = .timeout(60)
      do {
        queue = try DatabaseQueue(path: path, configuration: config)
      } catch let error as DatabaseError {
        throw CopyError.sqlite(path: path, reason: error.message ?? "\(error)")
      }
    }

    func columns(of table: String) throws -> [String] {
      try sqlite(path) {
        try queue.inDatabase { db in
          guard try db.tableExists(table) else { return [] }
          var names = try Row.fetchAll(db, sql: "PRAGMA table_info(\(table.quotedDatabaseIdentifier))").map {
            $0["name"] as String
          }
          if PostgresSchema.rowidTables.contains(table) { names.insert("rowid", at: 0) }
          return names
        }
      }
    }

    func begin() throws {
      // IMMEDIATE: take the write lock now, so a concurrent ingest waits for the copy (or the copy
      // for it) instead of one of them failing halfway.
      try sqlite(path) {
        try queue.inDatabase { db in
          try db.execute(sql: "BEGIN IMMEDIATE")
          // References are checked at the commit: a row may point at one copied after it (an
          // article marked as the near-copy of a later id), as long as the whole record is sound.
          try db.execute(sql: "PRAGMA defer_foreign_keys = ON")
        }
      }
    }

    func isEmpty() throws -> Bool {
      try sqlite(path) {
        try queue.inDatabase { db in
          for table in PostgresSchema.tables where table != "record_state" {
            if try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM \(table.quotedDatabaseIdentifier))") == true {
              return false
            }
          }
          return true
        }
      }
    }

    func clear() throws {
      // Children first; the triggers keep the full-text index in step as articles go.
      try sqlite(path) {
        try queue.inDatabase { db in
          for table in PostgresSchema.tables.reversed() {
            try db.execute(sql: "DELETE FROM \(table.quotedDatabaseIdentifier)")
          }
        }
      }
    }

    func write(
      table: String, columns: [CopyColumn], replacing: Bool, from source: any CopySource,
      copied: @Sendable (Int) -> Void
    ) async throws -> Int {
      if replacing {
        try sqlite(path) {
          try queue.inDatabase { db in try db.execute(sql: "DELETE FROM \(table.quotedDatabaseIdentifier)") }
        }
      }
      let names = columns.map { $0.destination == "rowid" ? "rowid" : $0.destination.quotedDatabaseIdentifier }
      let sql =
        "INSERT INTO \(table.quotedDatabaseIdentifier) (\(names.joined(separator: ", "))) VALUES (\(Array(repeating: "?", count: names.count).joined(separator: ", ")))"
      var count = 0
      try await source.rows(of: table, columns: columns.map(\.source)) { batch in
        try sqlite(path) {
          try queue.inDatabase { db in
            let statement = try db.cachedStatement(sql: sql)
            for row in batch {
              try statement.execute(arguments: statementArguments(row))
            }
          }
        }
        count += batch.count
        copied(count)
      }
      return count
    }

    func finish() -> String? { nil }

    func commit() throws {
      try sqlite(path) { try queue.inDatabase { db in try db.execute(sql: "COMMIT") } }
    }

    func rollback() {
      try? queue.inDatabase { db in if db.isInsideTransaction { try db.execute(sql: "ROLLBACK") } }
    }

    func close() async {
      try? queue.close()
    }
  }

  /// GRDB's arguments from values already in SQLite's storage classes.
  private func statementArguments(_ values: [DatabaseValue]) -> StatementArguments {
    StatementArguments(values.map { $0 as (any DatabaseValueConvertible)? })
  }

  /// Runs an SQLite access, naming the file in its error.
  private func sqlite<T>(_ path: String, _ body: () throws -> T) throws -> T {
    do {
      return try body()
    } catch let error as DatabaseError {
      throw CopyError.sqlite(path: path, reason: error.message ?? "\(error)")
    }
  }

  // MARK: PostgreSQL

  /// The columns of a PostgreSQL table that a copy moves (generated ones, the search vector, are
  /// computed by the server), with their types.
  private func postgresColumns(_ table: String, record: PostgresRecord) async throws -> [(name: String, type: String)] {
    try await record.run { connection, logger in
      var columns: [(name: String, type: String)] = []
      let rows = try await connection.query(
        """
        SELECT column_name::text, data_type::text FROM information_schema.columns
        WHERE table_schema = current_schema() AND table_name = \(table) AND is_generated = 'NEVER'
        ORDER BY ordinal_position
        """, logger: logger)
      for try await (name, type) in rows.decode((String, String).self) { columns.append((name: name, type: type)) }
      return columns
    }
  }

  /// A PostgreSQL record read in one snapshot (REPEATABLE READ, read only).
  final class PostgresCopySource: CopySource {
    let record: PostgresRecord

    init(settings: PostgresSettings) async throws {
      // A source is not migrated: copying out of a database must not change it.
      record = try await PostgresRecord.connect(settings, migrate: false)
      do {
        try await record.run { connection, logger in
          _ = try await connection.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", logger: logger)
        }
      } catch {
        await record.close()
        throw error
      }
    }

    func columns(of table: String) async throws -> [String] {
      let columns = try await postgresColumns(table, record: record)
      guard !columns.isEmpty else {
        throw PostgresStoreError(
          server: record.settings.displayURL, reason: "no table \(table): this database holds no Parley record")
      }
      return columns.map(\.name)
    }

    func count(of table: String) async throws -> Int {
      try await record.run { connection, logger in
        let rows = try await connection.query(PostgresQuery(unsafeSQL: "SELECT count(*) FROM \(table)"), logger: logger)
        for try await n in rows.decode(Int.self) { return n }
        return 0
      }
    }

    /// Streams the table in primary-key order; postgres-nio reads ahead only as far as we consume.
    func rows(of table: String, columns: [String], _ body: ([[DatabaseValue]]) async throws -> Void) async throws {
      let key = try await primaryKey(table)
      let list = columns.map(quotedPostgres).joined(separator: ", ")
      try await record.run { connection, logger in
        let rows = try await connection.query(
          PostgresQuery(
            unsafeSQL: "SELECT \(list) FROM \(table) ORDER BY \(key.map(quotedPostgres).joined(separator: ", "))"),
          logger: logger)
        var batch: [[DatabaseValue]] = []
        batch.reserveCapacity(batchRows)
        for try await row in rows {
          batch.append(try row.map(Self.value))
          if batch.count == batchRows {
            try await body(batch)
            batch.removeAll(keepingCapacity: true)
          }
        }
        if !batch.isEmpty { try await body(batch) }
      }
    }

    private func primaryKey(_ table: String) async throws -> [String] {
      try await record.run { connection, logger in
        var names: [String] = []
        let rows = try await connection.query(
          """
          SELECT a.attname::text FROM pg_index i
            JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
          WHERE i.indrelid = \(table)::regclass AND i.indisprimary
          ORDER BY array_position(i.indkey::int2[], a.attnum)
          """, logger: logger)
        for try await name in rows.decode(String.self) { names.append(name) }
        return names
      }
    }

    /// A PostgreSQL value as SQLite stores it: the schema uses these four types only.
    static func value(_ cell: PostgresCell) throws -> DatabaseValue {
      guard cell.bytes != nil else { return .null }
      switch cell.dataType {
      case .int8: return try cell.decode(Int64.self).databaseValue
      case .int4: return Int64(try cell.decode(Int32.self)).databaseValue
      case .float8: return try cell.decode(Double.self).databaseValue
      case .text, .varchar, .name: return try cell.decode(String.self).databaseValue
      case .bytea:
        let buffer = try cell.decode(ByteBuffer.self)
        return Data(buffer.readableBytesView).databaseValue
      default:
        throw CopyError.unsupportedType(column: cell.columnName, type: "\(cell.dataType)")
      }
    }

    func close() async {
      _ = try? await record.run { connection, logger in try await connection.query("COMMIT", logger: logger) }
      await record.close()
    }
  }

  /// A PostgreSQL record written in one transaction with COPY, the fastest way in: the rows travel
  /// as text in large writes rather than one statement each. As pg_restore does, the foreign keys
  /// and the indexes that no constraint needs are dropped for the copy and made again at the end:
  /// a foreign key checked row by row queues a check per row on the server until the end of the
  /// statement (4.5 million for the mentions of a 100,000-article record: most of the table's
  /// time), where adding it back checks every row in one join; an index is built once, sorted,
  /// instead of taking millions of insertions.
  final class PostgresCopyDestination: CopyDestination {
    let record: PostgresRecord
    /// The dropped indexes' definitions, created again by `finish`.
    private let dropped = Mutex<[String]>([])
    /// The dropped foreign keys: table, constraint name, definition; added again by `finish`.
    private let droppedKeys = Mutex<[(String, String, String)]>([])

    init(settings: PostgresSettings) async throws {
      record = try await PostgresRecord.connect(settings, migrate: true)
    }

    func columns(of table: String) async throws -> [String] {
      try await postgresColumns(table, record: record).map(\.name)
    }

    func begin() async throws {
      try await execute("BEGIN")
      // The ingest writers' lock: an ingest into this database waits for the copy (and the copy
      // for it) rather than numbering rows the copy is about to write with the same ids.
      try await execute("SELECT pg_advisory_xact_lock(\(PostgresArticleWriter.writeLock))")
      // The rows arrive with their tallies, which the copy writes verbatim; the user triggers would
      // only count them a second time. (Foreign keys are dropped below and checked at the end.) Disabling
      // them takes each table's exclusive lock until the commit: readers wait for a consistent copy.
      for table in PostgresSchema.tables {
        try await execute("ALTER TABLE \(table) DISABLE TRIGGER USER")
      }
      // Primary keys, unique constraints and the indexes foreign keys point at stay: they check
      // the rows as they come. Dropping the others locks their tables against readers until the
      // commit (a replaced record is not readable meanwhile; an empty one has nothing to read).
      let tables = PostgresSchema.tables.map { "'\($0)'::regclass" }.joined(separator: ", ")
      let keys: [(String, String, String)] = try await record.run { connection, logger in
        let rows = try await connection.query(
          PostgresQuery(
            unsafeSQL: """
              SELECT conrelid::regclass::text, conname::text, pg_get_constraintdef(oid) FROM pg_constraint
              WHERE contype = 'f' AND conrelid IN (\(tables)) ORDER BY 1, 2
              """), logger: logger)
        var found: [(String, String, String)] = []
        for try await key in rows.decode((String, String, String).self) { found.append(key) }
        return found
      }
      for (table, name, _) in keys { try await execute("ALTER TABLE \(table) DROP CONSTRAINT \(quotedPostgres(name))") }
      droppedKeys.withLock { $0 = keys }
      let indexes: [(String, String)] = try await record.run { connection, logger in
        let rows = try await connection.query(
          PostgresQuery(
            unsafeSQL: """
              SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i
              WHERE i.indrelid IN (\(tables))
                AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
              ORDER BY 1
              """), logger: logger)
        var found: [(String, String)] = []
        for try await pair in rows.decode((String, String).self) { found.append(pair) }
        return found
      }
      for (name, _) in indexes { try await execute("DROP INDEX \(name)") }
      dropped.withLock { $0 = indexes.map(\.1) }
    }

    func isEmpty() async throws -> Bool {
      let checks = PostgresSchema.tables.filter { $0 != "record_state" }.map { "EXISTS (SELECT 1 FROM \($0))" }
      return try await record.run { connection, logger in
        let rows = try await connection.query(
          PostgresQuery(unsafeSQL: "SELECT \(checks.joined(separator: " OR "))"), logger: logger)
        for try await any in rows.decode(Bool.self) { return !any }
        return true
      }
    }

    func clear() async throws {
      try await execute("TRUNCATE \(PostgresSchema.tables.joined(separator: ", ")) RESTART IDENTITY")
    }

    func write(
      table: String, columns: [CopyColumn], replacing: Bool, from source: any CopySource,
      copied: @Sendable (Int) -> Void
    ) async throws -> Int {
      if replacing { try await execute("DELETE FROM \(table)") }
      var count = 0
      try await record.run { connection, logger in
        try await connection.copyFrom(table: table, columns: columns.map(\.destination), logger: logger) { writer in
          var buffer = ByteBuffer()
          try await source.rows(of: table, columns: columns.map(\.source)) { batch in
            for row in batch {
              Self.appendCopyLine(row, to: &buffer)
            }
            count += batch.count
            copied(count)
            // About 1 MiB per write: few round trips, bounded memory.
            if buffer.readableBytes >= 1 << 20 {
              try await writer.write(buffer)
              buffer.clear()
            }
          }
          if buffer.readableBytes > 0 { try await writer.write(buffer) }
        }
      }
      return count
    }

    /// One row in COPY's text format: tab-separated, `\N` for NULL, backslash escapes for the
    /// characters that would end a field or a line, bytea as `\\x` and hex digits.
    static func appendCopyLine(_ row: [DatabaseValue], to buffer: inout ByteBuffer) {
      for (index, value) in row.enumerated() {
        if index > 0 { buffer.writeInteger(UInt8(ascii: "\t")) }
        switch value.storage {
        case .null:
          buffer.writeStaticString("\\N")
        case .int64(let n):
          buffer.writeString(String(n))
        case .double(let x):
          // Swift prints the shortest text that reads back as the same double, as PostgreSQL does.
          buffer.writeString(x.isNaN ? "NaN" : x == .infinity ? "Infinity" : x == -.infinity ? "-Infinity" : "\(x)")
        case .string(let s):
          appendEscaped(s, to: &buffer)
        case .blob(let data):
          buffer.writeStaticString("\\\\x")
          let digits = Array("0123456789abcdef".utf8)
          for byte in data {
            buffer.writeInteger(digits[Int(byte >> 4)])
            buffer.writeInteger(digits[Int(byte & 0x0f)])
          }
        }
      }
      buffer.writeInteger(UInt8(ascii: "\n"))
    }

    /// Text with COPY's escapes. Article bodies are most of the bytes a copy sends: the runs
    /// between characters that need an escape go in with one write each, not byte by byte.
    static func appendEscaped(_ text: String, to buffer: inout ByteBuffer) {
      var text = text
      text.withUTF8 { bytes in
        var start = 0
        for index in bytes.indices {
          let escape: StaticString
          switch bytes[index] {
          case UInt8(ascii: "\\"): escape = "\\\\"
          case UInt8(ascii: "\n"): escape = "\\n"
          case UInt8(ascii: "\r"): escape = "\\r"
          case UInt8(ascii: "\t"): escape = "\\t"
          default: continue
          }
          buffer.writeBytes(bytes[start..<index])
          buffer.writeStaticString(escape)
          start = index + 1
        }
        buffer.writeBytes(bytes[start...])
      }
    }

    func finish() async throws -> String? {
      for table in PostgresSchema.tables {
        try await execute("ALTER TABLE \(table) ENABLE TRIGGER USER")
      }
      for definition in dropped.withLock({ $0 }) { try await execute(definition) }
      // Checks every copied row against its parent in one join per key.
      for (table, name, definition) in droppedKeys.withLock({ $0 }) {
        try await execute("ALTER TABLE \(table) ADD CONSTRAINT \(quotedPostgres(name)) \(definition)")
      }
      // The planner's statistics now, not when autovacuum comes by: until then it would plan the
      // first queries as if every table were empty.
      try await execute("ANALYZE \(PostgresSchema.tables.joined(separator: ", "))")
      let rebuilt = dropped.withLock { $0.count }
      let keys = droppedKeys.withLock { $0.count }
      // Rows came with their ids: the identity sequences must continue after the largest, or the
      // next ingest would collide with a copied row.
      try await record.run { connection, logger in
        let rows = try await connection.query(
          """
          SELECT table_name::text, column_name::text FROM information_schema.columns
          WHERE table_schema = current_schema() AND is_identity = 'YES'
          """, logger: logger)
        var identities: [(String, String)] = []
        for try await pair in rows.decode((String, String).self) { identities.append(pair) }
        for (table, column) in identities {
          try await connection.query(
            PostgresQuery(
              unsafeSQL: """
                SELECT setval(pg_get_serial_sequence('\(table)', '\(column)'), coalesce(max(\(column)), 0) + 1, false)
                FROM \(table)
                """), logger: logger)
        }
      }
      return "built \(rebuilt) indexes, checked \(keys) foreign keys, analyzed \(PostgresSchema.tables.count) tables"
    }

    func commit() async throws {
      try await execute("COMMIT")
    }

    func rollback() async {
      _ = try? await record.run { connection, logger in try await connection.query("ROLLBACK", logger: logger) }
    }

    func close() async {
      await record.close()
    }

    private func execute(_ sql: String) async throws {
      try await record.run { connection, logger in
        _ = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger)
      }
    }
  }

  /// A column name as PostgreSQL reads it: `end` is a keyword, so every name is quoted (they are
  /// the folded, lower-case names the catalog returned).
  private func quotedPostgres(_ name: String) -> String {
    "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }

#endif
