import Foundation
import Hummingbird
import Logging
import ParleyStore

/// Where the server listens and what it accepts.
public struct ServerConfiguration: Sendable {
  public var host: String
  /// 0 picks a free port (reported through `onRunning`).
  public var port: Int
  /// The bearer token writes must present; without one the server is read-only.
  public var token: String?
  /// Largest request body accepted (an uploaded article), in bytes.
  public var maxBodyBytes: Int
  /// Conflict models shown at `/conflicts` (from `parley serve --conflict FILE`).
  public var conflicts: [ConflictModel]
  /// The knowledge-base files (`--kb`) uploads are extracted with, as `parley ingest` would.
  public var knowledge: KnowledgeOptions
  /// Memory for rendered answers kept until the record changes (`ResponseCache`); 0 keeps none.
  public var responseCacheBytes: Int

  public init(
    host: String = "127.0.0.1", port: Int = 8080, token: String? = nil, maxBodyBytes: Int = 8 << 20,
    conflicts: [ConflictModel] = [], knowledge: KnowledgeOptions = KnowledgeOptions(),
    responseCacheBytes: Int = 64 << 20
  ) {
    self.host = host
    self.port = port
    self.token = token
    self.maxBodyBytes = maxBodyBytes
    self.conflicts = conflicts
    self.knowledge = knowledge
    self.responseCacheBytes = responseCacheBytes
  }
}

/// The web app: HTML pages and the JSON API over one record database.
public enum ParleyServer {
  /// Builds the application over an SQLite record, which is both read and written (uploads).
  public static func makeApplication(
    store: RecordStore, configuration: ServerConfiguration, logger: Logger,
    onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
  ) throws -> some ApplicationProtocol {
    try makeApplication(
      reader: store, writer: store, configuration: configuration, logger: logger, onRunning: onRunning)
  }

  /// Builds the application over any backend's record: `reader` answers the pages and the API,
  /// `writer` stores uploads (nil: a read-only server, whose uploads are refused). Run it with
  /// `runService()` (which stops gracefully on SIGINT and SIGTERM) or inside a `ServiceGroup`.
  /// `onRunning` gets the port actually bound.
  public static func makeApplication(
    reader store: any RecordQuerying, writer: (any ArticleWriter)?, configuration: ServerConfiguration,
    logger: Logger, onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
  ) throws -> some ApplicationProtocol {
    guard configuration.maxBodyBytes > 0 else {
      throw ServerError("the body size limit must be positive, not \(configuration.maxBodyBytes)")
    }
    guard (0...65535).contains(configuration.port) else {
      throw ServerError("port must be between 0 and 65535, not \(configuration.port)")
    }
    let router = Router(context: BasicRequestContext.self, options: [.autoGenerateHeadEndpoints])
    // Middleware applies to routes added after it, so it goes first: every page and endpoint is logged.
    router.add(middleware: RequestLogMiddleware())
    router.add(middleware: APIErrorMiddleware())
    // Inside the error handling (errors get no validators), before every page and endpoint.
    let cache =
      configuration.responseCacheBytes > 0
      ? ResponseCache(
        maxBytes: configuration.responseCacheBytes, maxEntryBytes: min(4 << 20, configuration.responseCacheBytes))
      : nil
    router.add(middleware: ConditionalGetMiddleware(store: store, cache: cache))
    // An empty token would let "Authorization: Bearer " in: treat it as no token.
    let token = configuration.token.flatMap { $0.isEmpty ? nil : $0 }
    let api = API(
      store: store,
      uploads: ArticleUploads(
        token: token, maxBodyBytes: configuration.maxBodyBytes,
        ingester: Ingester(writer: writer, knowledge: configuration.knowledge)),
      openAPIDocument: ByteBuffer(bytes: try openAPIDocument()))
    api.register(on: router)
    try WebPages.register(on: router, store: store, conflicts: configuration.conflicts)
    let port = configuration.port
    return Application(
      router: router,
      configuration: ApplicationConfiguration(
        address: .hostname(configuration.host, port: port), serverName: "Parley"),
      onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) },
      logger: logger)
  }

  /// Runs the application over an SQLite record until SIGINT or SIGTERM, then finishes the
  /// requests in progress and returns.
  public static func serve(
    store: RecordStore, configuration: ServerConfiguration, logger: Logger,
    onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
  ) async throws {
    try await serve(reader: store, writer: store, configuration: configuration, logger: logger, onRunning: onRunning)
  }

  /// Runs the application over any backend's record until SIGINT or SIGTERM, then finishes the
  /// requests in progress and returns.
  public static func serve(
    reader: any RecordQuerying, writer: (any ArticleWriter)?, configuration: ServerConfiguration, logger: Logger,
    onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
  ) async throws {
    let app = try makeApplication(
      reader: reader, writer: writer, configuration: configuration, logger: logger, onRunning: onRunning)
    try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
  }

  /// The OpenAPI document, checked to be JSON at start-up rather than at the first request.
  static func openAPIDocument() throws -> Data {
    guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json", subdirectory: "openapi"),
      let data = try? Data(contentsOf: url)
    else { throw ServerError("the bundled openapi/openapi.json is missing") }
    guard (try? JSONSerialization.jsonObject(with: data)) != nil else {
      throw ServerError("the bundled openapi/openapi.json is not valid JSON")
    }
    return data
  }
}

/// Why the server cannot be built.
public struct ServerError: Error, CustomStringConvertible, Sendable {
  public var description: String
  public init(_ description: String) { self.description = description }
}
