// The whole module exists only with the PostgreSQL trait (see Package.swift).
#if PostgreSQL

  import Dispatch
  import Logging
  import NIOCore
  import PostgresNIO
  import Synchronization

  /// Runs asynchronous work to its end from a thread that may wait for it: a command's main
  /// thread or ingest's writer thread. Never call it from a task or an event loop: it blocks the
  /// calling thread, and a blocked cooperative or event-loop thread could be the one the work needs.
  public enum Blocking {
    /// The value `work` returns, or the error it throws.
    public static func run<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) throws -> T {
      let outcome = Mutex<Result<T, any Error>?>(nil)
      let done = DispatchSemaphore(value: 0)
      Task {
        let result: Result<T, any Error>
        do {
          result = .success(try await work())
        } catch {
          result = .failure(error)
        }
        outcome.withLock { $0 = result }
        done.signal()
      }
      done.wait()
      // Set before the signal; `nil` cannot happen, but is an error rather than a crash.
      guard let result = outcome.withLock({ $0 }) else { throw CancellationError() }
      return try result.get()
    }
  }

  /// Statements of one transaction sent from ingest's writer thread: a statement whose result
  /// nobody reads is queued and not waited for, so the thread goes on working meanwhile; a
  /// statement whose rows are needed waits for everything queued before it. postgres-nio runs the
  /// statements of one connection in the order they were queued, but sends each only once the
  /// server has answered the one before: every statement is a round trip of its own, queued or
  /// not, so what saves round trips is fewer statements (see `RowsInsert`).
  ///
  /// Not `Sendable`: it belongs to the thread running the transaction, which it blocks while the
  /// server answers (`EventLoopFuture.wait()`, which refuses to run on an event loop).
  final class PipelinedSession {
    let connection: PostgresConnection
    let logger: Logger
    private var pending: [EventLoopFuture<PostgresQueryResult>] = []

    init(connection: PostgresConnection, logger: Logger) {
      self.connection = connection
      self.logger = logger
    }

    /// Sends a statement whose result is not needed; a failure surfaces at the next `rows` or `flush`.
    func send(_ query: PostgresQuery) {
      // A statement written on a closed connection is never answered: not sent, it fails the next wait.
      guard !connection.isClosed else {
        lostConnection = true
        return
      }
      pending.append(connection.query(query, logger: logger))
    }

    /// Set when a statement could not be sent because the connection was gone.
    private var lostConnection = false

    static let closed = PostgresStoreError(server: "", reason: "the server closed the connection")

    /// The future's value, waiting on this thread. A statement in flight when the server closes
    /// the connection fails; one written just after may never be answered, so a wait that sees
    /// the connection closed gives up after a grace second instead of hanging.
    private func wait<T: Sendable>(_ future: EventLoopFuture<T>) throws -> T {
      let done = DispatchSemaphore(value: 0)
      future.whenComplete { _ in done.signal() }
      while done.wait(timeout: .now() + .seconds(1)) == .timedOut {
        if connection.isClosed {
          guard done.wait(timeout: .now() + .seconds(1)) == .success else { throw Self.closed }
          break
        }
      }
      return try future.wait()
    }

    /// Waits for every statement sent so far; throws the first failure (after one failure the
    /// server refuses the rest of the transaction, so later errors say nothing new).
    func flush() throws {
      let sent = pending
      pending.removeAll(keepingCapacity: true)
      var failure: (any Error)?
      for future in sent {
        do {
          _ = try wait(future)
        } catch {
          if failure == nil { failure = error }
        }
      }
      if let failure { throw failure }
      if lostConnection { throw Self.closed }
    }

    /// The rows of each of `queries`, sent together after everything sent before them: one
    /// round trip for all.
    func rowsOfEach(_ queries: [PostgresQuery]) throws -> [[PostgresRow]] {
      guard !connection.isClosed else {
        try flush()
        throw Self.closed
      }
      let results = queries.map { connection.query($0, logger: logger) }
      try flush()
      return try results.map { try wait($0).rows }
    }

    /// The rows of `query`, after everything sent before it.
    func rows(_ query: PostgresQuery) throws -> [PostgresRow] {
      guard !connection.isClosed else {
        try flush()
        throw Self.closed
      }
      let result = connection.query(query, logger: logger)
      try flush()
      return try wait(result).rows
    }
  }

#endif
