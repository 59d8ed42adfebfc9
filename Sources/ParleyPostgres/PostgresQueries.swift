// The whole module exists only with the PostgreSQL trait (see Package.swift).
#if PostgreSQL

  import Foundation
  import GRDB
  import Logging
  import NIOCore
  import ParleyRecord
  import ParleyStore
  import PostgresNIO

  /// The record's queries (`RecordQuerying`: `status`, `events`, `timeline`, `search`, `plans`,
  /// `positions`) on
  /// PostgreSQL. The statements and the code that makes answers of their rows are the store's
  /// own (`RecordStore`'s static queries over a `RowReader`), so both backends answer alike.
  ///
  /// Each query reads one snapshot (a read-only REPEATABLE READ transaction), so an ingest
  /// committing meanwhile is wholly in the answer or not at all. Like the ingest writer, it waits
  /// for the server on the calling thread: call it from a plain thread (a command's main thread),
  /// not from a task or an event loop.
  public final class PostgresRecordReader: RecordQuerying {
    /// Where the record is, without its password.
    public let settings: PostgresSettings
    private let record: PostgresRecord

    private init(record: PostgresRecord) {
      self.record = record
      settings = record.settings
    }

    /// Connects without changing the schema (a reader may have no right to); a database
    /// without a record fails its first query with a message that says so.
    public static func connect(_ settings: PostgresSettings) async throws(PostgresStoreError) -> PostgresRecordReader {
      PostgresRecordReader(record: try await PostgresRecord.connect(settings, migrate: false))
    }

    /// Ends the connection.
    public func close() async {
      await record.close()
    }

    public var displayName: String { settings.displayURL }

    /// Runs `body` on one snapshot of the record.
    public func snapshot<T>(_ body: (PostgresRowReader) throws -> T) throws -> T {
      let session = PipelinedSession(connection: record.connection, logger: record.logger)
      do {
        session.send("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        let value = try body(PostgresRowReader(session: session))
        _ = try session.rows("COMMIT")
        return value
      } catch {
        _ = try? session.rows("ROLLBACK")
        if let error = error as? StoreError { throw error }
        throw StoreError(path: settings.displayURL, reason: PostgresStoreError.reason(error, settings: settings))
      }
    }

    public func overview() throws -> Overview {
      try snapshot { try RecordStore.overview($0) }
    }

    public func events(_ filter: EventFilter, withReports: Bool) throws -> Page<EventSummary> {
      try snapshot { try RecordStore.events($0, filter, withReports: withReports) }
    }

    public func event(id: Int64) throws -> EventSummary? {
      try snapshot { try RecordStore.event($0, id: id) }
    }

    public func search(_ text: String, limit: Int, offset: Int) throws -> Page<SearchHit> {
      try snapshot { try RecordStore.search($0, text, limit: limit, offset: offset) }
    }

    public func plans(negotiation: NegotiationFile?) throws -> [PlanSummary] {
      try snapshot { try RecordStore.plans($0, negotiation: negotiation) }
    }

    public func positions(planId: Int64?, negotiation: NegotiationFile?, evidencePerCell: Int?) throws
      -> PositionMatrix
    {
      try snapshot {
        try RecordStore.positions($0, planId: planId, negotiation: negotiation, evidencePerCell: evidencePerCell)
      }
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
