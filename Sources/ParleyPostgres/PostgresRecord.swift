// The whole module exists only with the PostgreSQL trait (see Package.swift).
#if PostgreSQL

  import Foundation
  import Logging
  import NIOCore
  import NIOPosix
  import NIOSSL
  import ParleyStore
  import PostgresNIO

  /// A record in a PostgreSQL database, reached over one connection.
  ///
  /// One connection rather than a pool: every operation here (migrating, copying, searching) is a
  /// sequence of statements in one transaction, and a single connection fails at once with the
  /// server's reason when the server is down, where a pool would keep retrying in the background.
  public final class PostgresRecord: Sendable {
    /// Where the record is, without its password.
    public let settings: PostgresSettings
    let connection: PostgresConnection
    let logger: Logger

    private init(settings: PostgresSettings, connection: PostgresConnection, logger: Logger) {
      self.settings = settings
      self.connection = connection
      self.logger = logger
    }

    /// Connects and brings the schema up to date (unless `migrate` is false, for a source that is
    /// only read). Throws `PostgresStoreError` naming the server and the reason.
    public static func connect(
      _ settings: PostgresSettings, migrate: Bool = true, logger: Logger = Logger(label: "parley.postgres")
    ) async throws(PostgresStoreError) -> PostgresRecord {
      let configuration = try configuration(for: settings)
      let connection: PostgresConnection
      do {
        connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
      } catch {
        throw PostgresStoreError(settings: settings, error: error)
      }
      let record = PostgresRecord(settings: settings, connection: connection, logger: logger)
      if migrate {
        do {
          try await record.migrate()
        } catch {
          await record.close()
          throw error
        }
      }
      return record
    }

    /// Connects without migrating, waiting for the server on the calling thread (a plain thread
    /// or a task of the global executor, never an event loop): how a reader replaces a
    /// connection the server ended while it was idle.
    static func connectWaiting(_ settings: PostgresSettings, logger: Logger = Logger(label: "parley.postgres"))
      throws(PostgresStoreError) -> PostgresRecord
    {
      let configuration = try configuration(for: settings)
      do {
        let connection = try PostgresConnection.connect(
          on: PostgresConnection.defaultEventLoopGroup.any(), configuration: configuration, id: 1, logger: logger
        ).wait()
        return PostgresRecord(settings: settings, connection: connection, logger: logger)
      } catch {
        throw PostgresStoreError(settings: settings, error: error)
      }
    }

    private static func configuration(for settings: PostgresSettings) throws(PostgresStoreError)
      -> PostgresConnection.Configuration
    {
      var configuration = PostgresConnection.Configuration(
        host: settings.host, port: settings.port, username: settings.user, password: settings.password,
        database: settings.database, tls: try tls(for: settings))
      configuration.options.connectTimeout = .seconds(Int64(settings.connectTimeout))
      return configuration
    }

    private static func tls(for settings: PostgresSettings) throws(PostgresStoreError)
      -> PostgresConnection.Configuration.TLS
    {
      do {
        switch settings.tls {
        case .disable:
          return .disable
        case .prefer:
          // Opportunistic encryption, as libpq's `prefer`: a server with a self-signed certificate
          // still connects. Whoever needs to know the server is genuine asks for `require`.
          var tls = TLSConfiguration.makeClientConfiguration()
          tls.certificateVerification = .none
          return .prefer(try NIOSSLContext(configuration: tls))
        case .require:
          var tls = TLSConfiguration.makeClientConfiguration()
          tls.certificateVerification = .fullVerification
          if let root = settings.rootCertificate {
            tls.trustRoots = .file(root)
          }
          return .require(try NIOSSLContext(configuration: tls))
        }
      } catch {
        throw PostgresStoreError(server: settings.displayURL, reason: "cannot set up TLS: \(error)")
      }
    }

    /// Ends the connection; errors closing it are of no use to anyone by then.
    public func close() async {
      try? await connection.close()
    }

    // MARK: Migrations

    /// The name of the table that lists applied migrations, as GRDB's `grdb_migrations` does for SQLite.
    public static let migrationsTable = "parley_migrations"

    /// Applies the pending migrations in one transaction. Idempotent: applied ones are skipped.
    /// An advisory lock makes two processes that start on a new database at once take turns
    /// instead of both creating the same tables.
    public func migrate() async throws(PostgresStoreError) {
      try await transaction { connection, logger in
        try await connection.query("SELECT pg_advisory_xact_lock(\(Self.migrationLock))", logger: logger)
        try await connection.query(
          """
          CREATE TABLE IF NOT EXISTS parley_migrations (
            name text PRIMARY KEY, applied timestamptz NOT NULL DEFAULT now())
          """, logger: logger)
        var applied = Set<String>()
        for try await name in try await connection.query("SELECT name FROM parley_migrations", logger: logger)
          .decode(String.self)
        {
          applied.insert(name)
        }
        for migration in PostgresSchema.migrations where !applied.contains(migration.name) {
          // postgres-nio speaks the extended query protocol only, which takes one statement at a time.
          for statement in PostgresSchema.statements(migration.sql) {
            try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
          }
          try await connection.query(
            "INSERT INTO parley_migrations (name) VALUES (\(migration.name))", logger: logger)
        }
      }
    }

    /// Arbitrary but fixed: the key of the advisory lock migrations take ('parl' in ASCII).
    static let migrationLock: Int64 = 0x7061_726C

    /// Migrations applied so far, oldest first.
    public func appliedMigrations() async throws(PostgresStoreError) -> [String] {
      try await run { connection, logger in
        var names: [String] = []
        let rows = try await connection.query(
          "SELECT name FROM parley_migrations ORDER BY applied, name", logger: logger)
        for try await name in rows.decode(String.self) { names.append(name) }
        // `applied` ties within one transaction: order by the schema's own list instead.
        let order = Dictionary(
          uniqueKeysWithValues: PostgresSchema.migrations.enumerated().map { ($1.name, $0) })
        return names.sorted { (order[$0] ?? Int.max, $0) < (order[$1] ?? Int.max, $1) }
      }
    }

    // MARK: Reading

    /// Rows per table of the record.
    public func rowCounts() async throws(PostgresStoreError) -> [String: Int] {
      try await run { connection, logger in
        var counts: [String: Int] = [:]
        for table in PostgresSchema.tables {
          let rows = try await connection.query(
            PostgresQuery(unsafeSQL: "SELECT count(*) FROM \(table)"), logger: logger)
          for try await n in rows.decode(Int.self) { counts[table] = n }
        }
        return counts
      }
    }

    /// Bytes the database takes on disk (`pg_database_size`): tables, indexes and TOAST.
    public func databaseSize() async throws(PostgresStoreError) -> Int {
      try await run { connection, logger in
        var size = 0
        let rows = try await connection.query("SELECT pg_database_size(current_database())", logger: logger)
        for try await n in rows.decode(Int.self) { size = n }
        return size
      }
    }

    /// Full-text search over titles and article text, with PostgreSQL's own (tsvector, GIN): the
    /// same literal-input rules as the SQLite record (`SearchTerms`: every word must occur, a
    /// quoted phrase matches as a phrase, a trailing `*` searches a prefix, nothing the user types
    /// is query syntax). Best matches first, ties by article id, so pages never overlap.
    public func search(_ text: String, limit: Int = 20, offset: Int = 0) async throws(PostgresStoreError)
      -> (total: Int, hits: [PostgresSearchHit])
    {
      let terms = SearchTerms.parse(text)
      guard !terms.isEmpty else { return (0, []) }
      var parts: [String] = []
      for (index, term) in terms.enumerated() {
        if term.prefix {
          // to_tsquery with a quoted lexeme cannot be a syntax error; the quotes are escaped by
          // quote_literal, and ':*' asks for the prefix.
          parts.append("to_tsquery('simple', quote_literal(lower($\(index + 1))) || ':*')")
        } else {
          parts.append("phraseto_tsquery('simple', $\(index + 1))")
        }
      }
      let query = parts.joined(separator: " && ")
      let (limitIndex, offsetIndex) = (terms.count + 1, terms.count + 2)
      return try await run { connection, logger in
        var bindings = PostgresBindings()
        for term in terms { bindings.append(term.text) }
        bindings.append(limit)
        bindings.append(offset)
        var total = 0
        // The count takes the terms only: a statement must use every bind it is given.
        var termBindings = PostgresBindings()
        for term in terms { termBindings.append(term.text) }
        let counted = try await connection.query(
          PostgresQuery(unsafeSQL: "SELECT count(*) FROM article WHERE search @@ (\(query))", binds: termBindings),
          logger: logger)
        for try await n in counted.decode(Int.self) { total = n }
        var hits: [PostgresSearchHit] = []
        let rows = try await connection.query(
          PostgresQuery(
            unsafeSQL: """
              SELECT id, docId, title, published, outlet,
                ts_headline('simple', body, q, 'StartSel=[, StopSel=], MaxWords=16, MinWords=8') AS snippet,
                ts_rank(search, q)::float8 AS rank
              FROM article, (SELECT \(query) AS q) AS query
              WHERE search @@ q ORDER BY rank DESC, id LIMIT $\(limitIndex) OFFSET $\(offsetIndex)
              """,
            binds: bindings),
          logger: logger)
        for try await (id, docId, title, published, outlet, snippet, rank) in rows.decode(
          (Int64, String, String?, String?, String?, String, Double).self)
        {
          hits.append(
            PostgresSearchHit(
              articleId: id, docId: docId, title: title, published: published, outlet: outlet, snippet: snippet,
              rank: rank))
        }
        return (total, hits)
      }
    }

    // MARK: Running statements

    /// Runs `body` on the connection, turning any failure into a `PostgresStoreError`.
    func run<T: Sendable>(
      _ body: (PostgresConnection, Logger) async throws -> T
    ) async throws(PostgresStoreError) -> T {
      do {
        return try await body(connection, logger)
      } catch let error as PostgresStoreError {
        throw error
      } catch {
        throw PostgresStoreError(settings: settings, error: error)
      }
    }

    /// Runs `body` in a transaction: committed if it returns, rolled back if it throws.
    func transaction<T: Sendable>(
      _ body: (PostgresConnection, Logger) async throws -> T
    ) async throws(PostgresStoreError) -> T {
      try await run { connection, logger in
        try await connection.query("BEGIN", logger: logger)
        do {
          let value = try await body(connection, logger)
          try await connection.query("COMMIT", logger: logger)
          return value
        } catch {
          // The transaction's own error is the one worth reporting; a failed rollback (the
          // connection is gone) changes nothing on the server, which drops the transaction.
          _ = try? await connection.query("ROLLBACK", logger: logger)
          throw error
        }
      }
    }
  }

  /// One article found by `PostgresRecord.search`, with a passage around the match.
  public struct PostgresSearchHit: Sendable, Equatable {
    public var articleId: Int64
    public var docId: String
    public var title: String?
    public var published: String?
    public var outlet: String?
    /// Words around the match, the matched ones in square brackets (as the SQLite record's snippets).
    public var snippet: String
    public var rank: Double
  }

  /// A PostgreSQL server that cannot be reached, refuses us, or fails a statement: which server
  /// (never with its password) and why, in words a person can act on.
  public struct PostgresStoreError: Error, CustomStringConvertible, Sendable {
    /// The server and database, as `postgresql://user@host:port/db`.
    public var server: String
    public var reason: String

    public init(server: String, reason: String) {
      self.server = server
      self.reason = reason
    }

    /// Reads the reason out of postgres-nio's error, whose own description hides the details
    /// (it may carry query text); the SQLSTATE says what happened.
    init(settings: PostgresSettings, error: any Error) {
      server = settings.displayURL
      reason = Self.reason(error, settings: settings)
    }

    public var description: String { "\(server): \(reason)" }

    static func reason(_ error: any Error, settings: PostgresSettings) -> String {
      if let error = error as? PostgresStoreError { return error.reason }
      guard let error = error as? PSQLError else { return "\(error)" }
      if let state = error.serverInfo?[.sqlState] {
        return serverReason(
          state: state, message: error.serverInfo?[.message], detail: error.serverInfo?[.detail], settings: settings)
      }
      switch error.code {
      case .connectionError:
        return
          "server unreachable at \(settings.host):\(settings.port) (\(error.underlying.map(Self.cause) ?? "no answer"))"
      case .sslUnsupported:
        return "the server does not offer TLS, and sslmode=require asks for it"
      case .failedToAddSSLHandler:
        return "TLS could not be set up"
      case .authMechanismRequiresPassword:
        return
          "the server asks for a password and none was given (set PGPASSWORD, use --password-file or a password file)"
      case .unsupportedAuthMechanism:
        return "the server asks for an authentication method Parley does not support"
      case .serverClosedConnection, .uncleanShutdown:
        return "the server closed the connection\(error.underlying.map { " (\(Self.cause($0)))" } ?? "")"
      case .clientClosedConnection:
        // Parley closes no connection mid-ingest: when the server ends a session, a statement
        // already queued may see the channel closed before the server's reason is read.
        return "the connection ended while a statement was in flight (the server or the network closed it)"
      default:
        // NIOSSL's errors name the certificate problem: that is what a person can act on.
        return "\(error.code)\(error.underlying.map { ": \(Self.cause($0))" } ?? "")"
      }
    }

    /// What a server's error means for the person running Parley, by its SQLSTATE.
    static func serverReason(state: String, message: String?, detail: String?, settings: PostgresSettings) -> String {
      switch state {
      case "28P01":
        return
          "password authentication failed for user \"\(settings.user)\" (check PGPASSWORD, --password-file or the password file)"
      case "28000":
        return "the server refused user \"\(settings.user)\": \(message ?? "not authorized")"
      case "3D000":
        return "database \"\(settings.database)\" does not exist on the server (create it with: "
          + "createdb -h \(settings.host) -p \(settings.port) -U \(settings.user) \(settings.database))"
      case "42501":
        return "permission denied: \(message ?? "the user lacks a privilege")"
      case "42P01":
        // A table of the record is missing: the database was never ingested into or copied to.
        return "no Parley record in database \"\(settings.database)\" (\(message ?? "a table is missing")); "
          + "create one with `parley ingest --db \(settings.displayURL) ARTICLES...` or `parley copy`"
      case "57P01", "57P02", "57P03":
        // Shutdown, crash recovery, or an administrator ending the session: the transaction in
        // flight is rolled back, what was committed stays.
        return "the server ended the connection: \(message ?? "shutting down")"
      default:
        return "server error \(state): \(message ?? "no message")\(detail.map { " (\($0))" } ?? "")"
      }
    }

    /// An underlying network or TLS error in a few words: the system's reason for a refused or
    /// failed connection ("Connection refused"), not NIO's whole report of every address tried.
    static func cause(_ error: any Error) -> String {
      if let error = error as? NIOConnectionError {
        if let first = error.connectionErrors.first { return cause(first.error) }
        if error.dnsAError != nil || error.dnsAAAAError != nil { return "host name not found" }
      }
      if let error = error as? IOError { return String(cString: strerror(error.errnoCode)) }
      if let error = error as? ChannelError, case .connectTimeout(let limit) = error {
        return "no answer within \(limit.nanoseconds / 1_000_000_000) s"
      }
      return "\(error)".split(whereSeparator: \.isNewline).joined(separator: " ")
    }
  }

#endif
