import Foundation
import Hummingbird
import Logging
import ParleyServer
import ParleyStore
import ServiceLifecycle

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// An HTTP answer as the tests look at it; header names are lowercased.
typealias HTTPResult = (status: Int, headers: [String: String], body: Data)

/// The real server, listening on a free loopback port, and a client for it.
struct RunningServer: Sendable {
  let baseURL: URL
  let port: Int
  private let group: ServiceGroup
  private let task: Task<Void, any Error>
  private let session: URLSession

  fileprivate init(baseURL: URL, port: Int, group: ServiceGroup, task: Task<Void, any Error>) {
    self.baseURL = baseURL
    self.port = port
    self.group = group
    self.task = task
    let configuration = URLSessionConfiguration.ephemeral
    configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
    configuration.timeoutIntervalForRequest = 60
    session = URLSession(configuration: configuration)
  }

  /// The full URL of `path` ("/api/v1/overview?limit=5").
  func url(_ path: String) -> URL {
    URL(string: baseURL.absoluteString + path) ?? baseURL
  }

  func get(_ path: String, headers: [String: String] = [:]) async throws -> HTTPResult {
    try await request("GET", path, headers: headers)
  }

  /// A POST with `body`; `contentType` nil sends an empty one (URLSession would otherwise add a form type).
  func post(
    _ path: String, body: Data, contentType: String?, headers: [String: String] = [:]
  ) async throws -> HTTPResult {
    var all = headers
    // An empty value stops URLSession from adding its default form content type.
    all["Content-Type"] = contentType ?? ""
    return try await request("POST", path, body: body, headers: all)
  }

  func request(_ method: String, _ path: String, body: Data? = nil, headers: [String: String] = [:]) async throws
    -> HTTPResult
  {
    var request = URLRequest(url: url(path))
    request.httpMethod = method
    request.httpBody = body
    for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
    let (data, response) = try await session.data(for: request)
    guard let http = response as? HTTPURLResponse else { throw URLError(.badServerResponse) }
    var fields: [String: String] = [:]
    for (name, value) in http.allHeaderFields {
      if let name = name as? String, let value = value as? String { fields[name.lowercased()] = value }
    }
    return (http.statusCode, fields, data)
  }

  /// Shuts the server down the way SIGTERM does and waits until it has stopped.
  func stop() async {
    await group.triggerGracefulShutdown()
    _ = await task.result
    session.invalidateAndCancel()
  }
}

/// Starts the real application for tests.
enum ServerSupport {
  /// Starts the server over `store` on 127.0.0.1 and a free port; returns once it accepts connections.
  static func start(
    store: RecordStore, token: String? = nil, maxBodyBytes: Int = 8 << 20, conflicts: [ConflictModel] = [],
    knowledge: KnowledgeOptions = KnowledgeOptions(), responseCacheBytes: Int = 64 << 20
  ) async throws -> RunningServer {
    try await start(
      reader: store, writer: store, token: token, maxBodyBytes: maxBodyBytes, conflicts: conflicts,
      knowledge: knowledge, responseCacheBytes: responseCacheBytes)
  }

  /// Starts the server over any backend's record (`writer` nil: read-only) on 127.0.0.1 and a
  /// free port; returns once it accepts connections.
  static func start(
    reader: any RecordQuerying, writer: (any ArticleWriter)?, token: String? = nil, maxBodyBytes: Int = 8 << 20,
    conflicts: [ConflictModel] = [], knowledge: KnowledgeOptions = KnowledgeOptions(),
    responseCacheBytes: Int = 64 << 20
  ) async throws -> RunningServer {
    var logger = Logger(label: "parley.test")
    // Request lines would drown the test output; warnings and errors still show.
    logger.logLevel = .warning
    let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
    let app = try ParleyServer.makeApplication(
      reader: reader, writer: writer,
      configuration: ServerConfiguration(
        host: "127.0.0.1", port: 0, token: token, maxBodyBytes: maxBodyBytes, conflicts: conflicts,
        knowledge: knowledge, responseCacheBytes: responseCacheBytes),
      logger: logger, onRunning: { port in continuation.yield(port) })
    let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
    // The server runs on threads of its own: tests that compute for long on the shared pool
    // would otherwise hold every thread of it while this server's answers wait their turn.
    let task = Task(executorPreference: ServerExecutor.shared) {
      defer { continuation.finish() }
      try await group.run()
    }
    var bound: Int?
    for await port in ports {
      bound = port
      break
    }
    guard let bound, let url = URL(string: "http://127.0.0.1:\(bound)") else {
      // The server stopped before listening: surface its error.
      try await task.value
      throw ServerStartError()
    }
    return RunningServer(baseURL: url, port: bound, group: group, task: task)
  }
}

/// Runs the in-process servers' tasks on a queue of their own instead of the shared
/// concurrency pool, which has one thread per core and which busy tests can fill.
final class ServerExecutor: TaskExecutor, Sendable {
  static let shared = ServerExecutor()
  private let queue = DispatchQueue(label: "parley.test.server", qos: .userInitiated, attributes: .concurrent)

  func enqueue(_ job: consuming ExecutorJob) {
    let job = UnownedJob(job)
    queue.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
  }
}

/// The server ended before it started listening, without saying why.
struct ServerStartError: Error {}
