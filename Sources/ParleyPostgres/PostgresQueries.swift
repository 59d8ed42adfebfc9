// The whole module exists only with the PostgreSQL trait (see Package.swift).
#if PostgreSQL

  import Dispatch
  import Foundation
  import GRDB
  import Logging
  import NIOCore
  import NIOPosix
  import ParleyRecord
  import ParleyStore
  import PostgresNIO
  import Synchronization

  /// The record's queries (`RecordQuerying`: every read command, the web pages and the API) on
  /// PostgreSQL. The statements and the code that makes answers of their rows are the store's
  /// own (`RecordStore`'s static queries over a `RowReader`), so both backends answer alike.
  ///
  /// Each query reads one snapshot (a read-only REPEATABLE READ transaction), so an ingest
  /// committing meanwhile is wholly in the answer or not at all. It holds one or more
  /// connections (`parley serve` answers several requests at once); a query takes a free one,
  /// waiting for one when all are busy, and replaces it first if the server has ended it (a
  /// restart, an administrator): a query in flight then fails, the next ones are answered. Like
  /// the ingest writer, it waits for the server on the calling thread: call it from a plain thread
  /// or a task of the global executor, never from an event loop.
  public final class PostgresRecordReader: RecordQuerying {
    /// Where the record is, without its password.
    public let settings: PostgresSettings
    /// The connections; slot `i` belongs to the query that took index `i` from `idle`.
    private let records: Mutex<[PostgresRecord]>
    /// Indexes into `records` of the connections no query is using.
    private let idle: Mutex<[Int]>
    /// Counts the idle connections: a query waits on it for one.
    private let available: DispatchSemaphore

    private init(settings: PostgresSettings, records: [PostgresRecord]) {
      self.settings = settings
      self.records = Mutex(records)
      idle = Mutex(Array(records.indices))
      available = DispatchSemaphore(value: records.count)
    }

    /// Opens `connections` connections (at least one) without changing the schema (a reader may
    /// have no right to); a database without a record fails its first query with a message that
    /// says so.
    public static func connect(_ settings: PostgresSettings, connections: Int = 1) async throws(PostgresStoreError)
      -> PostgresRecordReader
    {
      var records: [PostgresRecord] = []
      do {
        for _ in 0..<max(1, connections) { records.append(try await PostgresRecord.connect(settings, migrate: false)) }
      } catch {
        for record in records { await record.close() }
        throw error
      }
      return PostgresRecordReader(settings: settings, records: records)
    }

    /// Ends the connections.
    public func close() async {
      for record in records.withLock({ $0 }) { await record.close() }
    }

    public var displayName: String { settings.displayURL }

    /// Runs `body` with a connection of its own, waiting for one while all are busy.
    private func withSession<T>(_ body: (PipelinedSession) throws -> T) throws -> T {
      available.wait()
      let index = idle.withLock { $0.removeLast() }
      defer {
        idle.withLock { $0.append(index) }
        available.signal()
      }
      do {
        var record = records.withLock { $0[index] }
        if record.connection.isClosed {
          record = try PostgresRecord.connectWaiting(settings, logger: record.logger)
          records.withLock { $0[index] = record }
        }
        return try body(PipelinedSession(connection: record.connection, logger: record.logger))
      } catch  where Self.isDatabaseError(error) {
        throw StoreError(path: settings.displayURL, reason: PostgresStoreError.reason(error, settings: settings))
      }
    }

    /// The server's or the connection's errors become a `StoreError` (exit status 4 in the
    /// commands); an error of the caller's own making (an export's writer) passes through, as
    /// SQLite's reads let it.
    private static func isDatabaseError(_ error: any Error) -> Bool {
      error is PSQLError || error is PostgresStoreError || error is ChannelError || error is IOError
        || error is NIOConnectionError
    }

    /// Runs `body` on one snapshot of the record.
    public func snapshot<T>(_ body: (any RowReader) throws -> T) throws -> T {
      try withSession { session in
        session.send("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        do {
          let value = try body(PostgresRowReader(session: session))
          _ = try session.rows("COMMIT")
          return value
        } catch {
          _ = try? session.rows("ROLLBACK")
          throw error
        }
      }
    }

    /// One statement, outside a transaction: one round trip per web request, not three.
    public func stamp() throws -> RecordStamp {
      try withSession { try RecordStore.stamp(PostgresRowReader(session: $0)) }
    }
  }

  /// A PostgreSQL transaction as the store's `RowReader`: `?` placeholders become `$1`, `$2`, ...;
  /// rows become GRDB rows (integers as Int64, text, float8 as Double, bytea as Data).
  public struct PostgresRowReader: RowReader {
    let session: PipelinedSession
    public var dialect: SQLDialect { .postgres }

    public func rows(_ sql: String, _ arguments: [(any DatabaseValueConvertible)?]) throws -> [Row] {
      var binds = PostgresBindings(capacity: arguments.count)
      for argument in arguments {
        switch (argument?.databaseValue ?? .null).storage {
        case .null: binds.appendNull()
        case .int64(let value): binds.append(value)
        case .double(let value): binds.append(value)
        case .string(let value): binds.append(value)
        case .blob(let value): binds.append(ByteBuffer(bytes: value))
        }
      }
      let query = PostgresQuery(unsafeSQL: Self.numberedPlaceholders(sql), binds: binds)
      return try session.rows(query).map(Self.row)
    }

    /// `?` outside quoted strings and identifiers as `$1`, `$2`, ... in order.
    static func numberedPlaceholders(_ sql: String) -> String {
      var out = ""
      var n = 0
      var quote: Character?
      for ch in sql {
        if let q = quote {
          if ch == q { quote = nil }
          out.append(ch)
        } else if ch == "'" || ch == "\"" {
          quote = ch
          out.append(ch)
        } else if ch == "?" {
          n += 1
          out += "$\(n)"
        } else {
          out.append(ch)
        }
      }
      return out
    }

    /// A PostgreSQL row as a GRDB row, by the type of each column.
    static func row(_ row: PostgresRow) throws -> Row {
      var values: [String: (any DatabaseValueConvertible)?] = [:]
      for cell in row {
        guard cell.bytes != nil else {
          values[cell.columnName] = DatabaseValue.null
          continue
        }
        switch cell.dataType {
        case .int2: values[cell.columnName] = Int64(try cell.decode(Int16.self))
        case .int4: values[cell.columnName] = Int64(try cell.decode(Int32.self))
        case .int8: values[cell.columnName] = try cell.decode(Int64.self)
        case .float4: values[cell.columnName] = Double(try cell.decode(Float.self))
        case .float8: values[cell.columnName] = try cell.decode(Double.self)
        case .bool: values[cell.columnName] = try cell.decode(Bool.self)
        case .bytea: values[cell.columnName] = Data(try cell.decode(ByteBuffer.self).readableBytesView)
        default: values[cell.columnName] = try cell.decode(String.self)
        }
      }
      return Row(values)
    }
  }

#endif
