import Foundation
import GRDB

/// The negotiation record: an SQLite database (WAL, so readers never wait for the writer and
/// several processes can share it) holding every article, actor, event, plan and position.
public final class RecordStore: Sendable {
  /// Path of the database file.
  public let path: String
  let pool: DatabasePool

  /// Opens (creating if needed) the database at `path` and brings its schema up to date.
  /// - Parameter readOnly: open without migrating or writing (for servers over another process's database).
  public init(path: String, readOnly: Bool = false) throws {
    self.path = path
    var config = Configuration()
    // A second ingest or the server may hold the write lock for one article's transaction;
    // waiting is the right answer, failing is not.
    config.busyMode = .timeout(60)
    config.readonly = readOnly
    // A DatabasePool puts the database in WAL mode (journal_mode = WAL).
    config.prepareDatabase { db in
      // In WAL mode, NORMAL syncs the log only at checkpoints, not at every commit. A crash or
      // power loss still leaves a consistent database (each transaction is in it whole or not
      // at all), but the last transactions before a power loss may be missing: an ingest run
      // again stores them (ingest is idempotent), which is the durability the record needs.
      try db.execute(sql: "PRAGMA synchronous = NORMAL")
      // Temporary tables, sorts and statement journals in memory. Every insert that fires a
      // trigger (most of an article's) keeps a journal of the pages it changes, so it can be
      // undone alone; SQLite spills those beyond 64 KiB to a temporary file, which made 0.6 GB
      // of file writes per 1,000 articles ingested.
      try db.execute(sql: "PRAGMA temp_store = MEMORY")
      // 64 MiB of page cache per connection: the default 2 MiB sends most reads of a large
      // record to the operating system.
      try db.execute(sql: "PRAGMA cache_size = -65536")
      // Checkpoint the log every 20,000 pages (80 MB) instead of every 1,000: a large record's
      // batches touch pages all over its indexes, and each checkpoint writes every page changed
      // since the last one back into the database file once, however often it changed. On a
      // 100,000-article record this took a quarter off the wall time of an ingest.
      try db.execute(sql: "PRAGMA wal_autocheckpoint = 20000")
    }
    do {
      pool = try DatabasePool(path: path, configuration: config)
      if !readOnly { try Self.migrate(pool) }
    } catch let error as DatabaseError {
      throw StoreError(path: path, reason: error.message ?? "\(error)")
    }
  }

  /// Brings the schema up to date. Two processes opening a new database at once may both see a
  /// migration as pending; the loser's transaction fails ("table already exists") and rolls
  /// back, and its retry finds the migration applied.
  private static func migrate(_ pool: DatabasePool) throws {
    var attempt = 0
    while true {
      do {
        try Schema.migrator.migrate(pool)
        return
      } catch is DatabaseError where attempt < 5 {
        attempt += 1
        Thread.sleep(forTimeInterval: 0.05 * Double(attempt))
      }
    }
  }

  /// The database path from `--db`, else `PARLEY_DB`, else `parley.sqlite` in the current folder.
  public static func defaultPath(_ explicit: String? = nil) -> String {
    if let explicit, !explicit.isEmpty { return explicit }
    if let env = ProcessInfo.processInfo.environment["PARLEY_DB"], !env.isEmpty { return env }
    return "parley.sqlite"
  }

  /// `PRAGMA integrity_check`: "ok" for a sound database, else SQLite's list of problems.
  public func integrityCheck() throws -> String {
    try pool.read { db in
      try String.fetchAll(db, sql: "PRAGMA integrity_check").joined(separator: "\n")
    }
  }

  /// Schema migrations applied so far, oldest first.
  public func appliedMigrations() throws -> [String] {
    try pool.read { db in try Schema.migrator.appliedMigrations(db) }
  }
}

/// A database that cannot be opened or written, with its path and the reason.
public struct StoreError: Error, CustomStringConvertible, Sendable {
  public var path: String
  public var reason: String
  public init(path: String, reason: String) {
    self.path = path
    self.reason = reason
  }
  public var description: String { "\(path): \(reason)" }
}

/// Where the record stands: a counter that grows with every change and when the last one happened.
public struct RecordStamp: Sendable, Hashable {
  /// Increases with every transaction that changed the record (a new article); equal counters
  /// mean the same content.
  public var changes: Int64
  /// Seconds since 1970 of the last change; nil for a database written before the counter existed.
  public var modified: Double?

  public init(changes: Int64, modified: Double?) {
    self.changes = changes
    self.modified = modified
  }
}
