import ArgumentParser
import Foundation
import Logging
import ParleyServer
import ParleyStore
import ParleyStrategy
import ParleyText

#if PostgreSQL
  import ParleyPostgres
#endif

/// `parley serve`: the web app and JSON API over the record database.
@available(macOS 10.15, macCatalyst 13, iOS 13, tvOS 13, watchOS 6, *)
public struct ServeCommand: AsyncParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "serve",
    abstract: "Serve the record as web pages and a JSON API (/api/v1, described at /api/v1/openapi.json).",
    discussion: """
      Reads are open to anyone who can reach the address. Adding articles (POST /api/v1/articles) needs the token in the environment variable PARLEY_TOKEN, sent as 'Authorization: Bearer <token>'; without PARLEY_TOKEN the server is read-only. The token is not a flag because flags show up in process lists.

      Stops cleanly on SIGINT (Ctrl-C) and SIGTERM: requests in progress are answered first.

      Conflict models given with --conflict are shown at /conflicts (the state graph, the stability table, the evolution from the status quo); every plan page links to a model drafted from the record's positions, as `parley conflict draft --plan ID` writes it.

      Articles given with --ingest and uploaded articles are extracted with the knowledge-base files given with --kb, as `parley ingest --kb` does.

      With --db postgresql://... (the PostgreSQL build), pages and API answers are read from the PostgreSQL record over four connections, and --ingest and uploads are stored by its writer, alongside `parley ingest` in other processes.

      Exit status: 0 after a clean shutdown; 1 when the server cannot listen (address in use), --ingest inputs failed to load at all, or a --conflict model cannot be read; 3 Parley's data or a --kb file cannot be loaded; 4 the database cannot be opened (or, for PostgreSQL, reached, or holds no record).

      Examples:
        parley serve --ingest Examples/articles      # the example data at http://127.0.0.1:8080
        PARLEY_TOKEN=$(openssl rand -hex 16) parley serve --db talks.sqlite --host 0.0.0.0 --port 8000
        parley serve --conflict elmira.gmcr --conflict peace-plan.yaml   # models at /conflicts
      """)

  @OptionGroup public var store: StoreOptions

  @Option(help: "Address to listen on (127.0.0.1 keeps the server local; 0.0.0.0 listens on every interface).")
  public var host: String = "127.0.0.1"

  @Option(help: "Port to listen on (0 picks a free one).")
  public var port: Int = 8080

  @Option(name: .customLong("max-body-mib"), help: "Largest request body (an uploaded article) accepted, in MiB.")
  public var maxBodyMiB: Int = 8

  @Option(
    name: .customLong("response-cache-mib"),
    help: "Memory for rendered pages and API answers kept until the record changes, in MiB (0: none).")
  public var responseCacheMiB: Int = 64

  @Option(
    name: .customLong("ingest"),
    help: ArgumentHelp(
      "Article files or folders to add to the database before serving (as `parley ingest`). Repeatable.",
      valueName: "path"))
  public var ingestPaths: [String] = []

  @OptionGroup public var knowledge: KnowledgeFileOptions

  @Option(
    name: .customLong("conflict"),
    help: ArgumentHelp(
      "A conflict model (.gmcr or .yaml with a conflict: section) to show at /conflicts, analysed at start. Repeatable.",
      valueName: "file"))
  public var conflictFiles: [String] = []

  @Option(
    name: .customLong("log-level"),
    help: "Least severe log messages to print: trace, debug, info (one line per request), notice, warning, error.")
  public var logLevel: String = "info"

  public init() {}

  public func validate() throws {
    guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535.") }
    guard (1...1024).contains(maxBodyMiB) else { throw ValidationError("--max-body-mib must be between 1 and 1024.") }
    guard (0...4096).contains(responseCacheMiB) else {
      throw ValidationError("--response-cache-mib must be between 0 and 4096.")
    }
    guard Logger.Level(rawValue: logLevel) != nil else {
      throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical.")
    }
  }

  public func run() async throws {
    let level = Logger.Level(rawValue: logLevel) ?? .info
    LoggingSystem.bootstrap { label in
      var handler = StreamLogHandler.standardError(label: label)
      handler.logLevel = level
      return handler
    }
    let logger = Logger(label: "parley.serve")
    let token = ProcessInfo.processInfo.environment["PARLEY_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
    if let token, token.utf8.count < 16 {
      StandardStreams.error(
        "parley: warning: PARLEY_TOKEN is shorter than 16 characters; anyone who guesses it can add articles")
    }
    let conflicts = try loadConflicts()
    let writable = token != nil || !ingestPaths.isEmpty
    if !knowledge.files.isEmpty || !knowledge.lexicons.isEmpty {
      if writable {
        // Loaded now so that a bad --kb file stops the server at once (exit status 3) rather
        // than failing the first upload; the pipeline is kept for --ingest and uploads.
        _ = try knowledge.preparer()
      } else {
        StandardStreams.error(
          "parley: warning: --kb and --lexicon have no effect: the server takes no writes (set PARLEY_TOKEN, or give --ingest)"
        )
      }
    }
    let (reader, writer, close) = try await openRecord(writable: writable)
    if let writer, !ingestPaths.isEmpty {
      do {
        try ingest(into: writer)
      } catch {
        await close()
        throw error
      }
    }

    let configuration = ServerConfiguration(
      host: host, port: port, token: token, maxBodyBytes: maxBodyMiB << 20, conflicts: conflicts,
      knowledge: knowledge.options, responseCacheBytes: responseCacheMiB << 20)
    let host = self.host
    do {
      try await ParleyServer.serve(
        reader: reader, writer: writer, configuration: configuration, logger: logger,
        onRunning: { bound in
          let shown = host.contains(":") ? "[\(host)]" : host
          let writes =
            token == nil
            ? "writes disabled (set PARLEY_TOKEN to allow POST /api/v1/articles)"
            : "writes enabled with the token in PARLEY_TOKEN"
          StandardStreams.error(
            "parley: serving \(reader.displayName) at http://\(shown):\(bound)/ (API at /api/v1, \(writes)); Ctrl-C stops"
          )
        })
    } catch {
      await close()
      StandardStreams.error("parley: error: cannot serve on \(host):\(port): \(error)")
      throw ExitCode(ExitStatus.inputFailed)
    }
    await close()
    StandardStreams.error("parley: server stopped")
  }

  /// Reads and analyses the --conflict models before listening, so a bad file stops the server at once with the
  /// same message `parley stability` gives.
  private func loadConflicts() throws -> [ConflictModel] {
    try conflictFiles.map { path in
      do {
        return try ConflictModel(
          name: (path as NSString).lastPathComponent, conflict: try StabilityCommand.load(path: path))
      } catch {
        StandardStreams.error("parley: error: \(error)")
        throw ExitCode(ExitStatus.inputFailed)
      }
    }
  }

  /// Connections a PostgreSQL record is read over: as many requests are answered at once.
  static let readConnections = 4

  /// The record to serve: what answers the pages and the API, what stores uploads and --ingest
  /// (nil when the server takes no writes), and what ends the connections.
  private func openRecord(writable: Bool) async throws -> (
    reader: any RecordQuerying, writer: (any ArticleWriter)?, close: @Sendable () async -> Void
  ) {
    switch try StoreOptions.location(store.database) {
    case .sqlite:
      let db = try open(writable: writable)
      return (db, db, {})
    case .postgres(let unresolved):
      #if PostgreSQL
        // The writer first: it brings the schema up to date, which the reader does not touch.
        let writer: PostgresArticleWriter? =
          writable ? try await store.connect(unresolved) { try await PostgresArticleWriter.connect($0) } : nil
        let reader: PostgresRecordReader
        do {
          reader = try await store.connect(unresolved) {
            try await PostgresRecordReader.connect($0, connections: Self.readConnections)
          }
        } catch {
          await writer?.close()
          throw error
        }
        // A database without a record stops the server at once (exit status 4), as a missing
        // SQLite file does, rather than failing every request.
        do {
          _ = try reader.stamp()
        } catch {
          StandardStreams.error("parley: error: \(error)")
          await reader.close()
          await writer?.close()
          throw ExitCode(ExitStatus.unavailable)
        }
        return (
          reader, writer,
          {
            await reader.close()
            await writer?.close()
          }
        )
      #else
        throw StoreOptions.withoutPostgres(unresolved)
      #endif
    }
  }

  /// A server without a token never writes, so it opens the database read-only: even a bug
  /// in a handler could not change the record.
  private func open(writable: Bool) throws -> RecordStore {
    let path = try store.sqlitePath()
    if !writable, !FileManager.default.fileExists(atPath: path) {
      StandardStreams.error(
        "parley: error: \(path): no such database; create it with `parley ingest --db \(path) ARTICLES...` or give --ingest"
      )
      throw ExitCode(ExitStatus.unavailable)
    }
    do {
      return try RecordStore(path: path, readOnly: !writable)
    } catch {
      StandardStreams.error("parley: error: \(error)")
      throw ExitCode(ExitStatus.unavailable)
    }
  }

  private func ingest(into writer: any ArticleWriter) throws {
    let summary = Ingestor(writer: writer, preparer: try knowledge.preparer()).run(paths: ingestPaths)
    StandardStreams.error(
      "parley: ingested \(summary.read) articles: \(summary.new) new (\(summary.nearCopies) near-copies), \(summary.duplicates) already stored, \(summary.failed.count) failed"
    )
    for f in summary.failed {
      StandardStreams.error("parley: error: \(f.path)\(f.line.map { ":\($0)" } ?? ""): \(f.reason)")
    }
    // Serving a partly loaded record is still useful; serving none of what was asked for is not.
    if summary.read == 0 && !summary.failed.isEmpty { throw ExitCode(ExitStatus.inputFailed) }
  }
}
