import Hummingbird
import NIOCore
import Synchronization

/// Rendered answers (status 200 GET pages and API answers) kept for the record state they were
/// made from, keyed by the request's address. A page that aggregates the record costs its queries
/// once per state of the record instead of once per request: a newsroom's readers ask for the
/// same few pages between two ingests.
///
/// An entry is valid only for the change counter it was stored under; the first request that
/// sees a newer counter empties the cache. The counter is read before the answer is made (as
/// the ETag is), so an answer may be newer than its key but never older: a client can get a
/// page that already shows an article the ETag does not count yet, never a stale one.
final class ResponseCache: Sendable {
  /// One stored answer: what the handler returned, its body collected into one buffer.
  struct Entry: Sendable {
    var status: HTTPResponse.Status
    var headers: HTTPFields
    var body: ByteBuffer
  }

  struct State {
    var changes: Int64 = .min
    var entries: [String: Entry] = [:]
    /// Insertion order, for evicting the oldest first when over budget.
    var order: [String] = []
    var bytes = 0
  }

  /// Bounds: a crawler walking every actor and article page must not grow the server without limit.
  let maxEntries: Int
  let maxBytes: Int
  /// Answers larger than this are not kept (one huge list would evict everything else).
  let maxEntryBytes: Int
  private let state = Mutex(State())

  init(maxEntries: Int = 2_048, maxBytes: Int = 64 << 20, maxEntryBytes: Int = 4 << 20) {
    self.maxEntries = maxEntries
    self.maxBytes = maxBytes
    self.maxEntryBytes = maxEntryBytes
  }

  /// The answer stored for `key` at record state `changes`, if any; a newer state empties the cache.
  func entry(for key: String, changes: Int64) -> Entry? {
    state.withLock { s in
      if s.changes != changes {
        guard changes > s.changes else { return nil }
        s = State(changes: changes)
        return nil
      }
      return s.entries[key]
    }
  }

  /// Stores `entry` for `key`, if it was made at the newest record state seen and fits the budget.
  func store(_ entry: Entry, for key: String, changes: Int64) {
    let size = entry.body.readableBytes + key.utf8.count
    guard size <= maxEntryBytes else { return }
    state.withLock { s in
      if changes > s.changes { s = State(changes: changes) }
      guard changes == s.changes, s.entries[key] == nil else { return }
      s.entries[key] = entry
      s.order.append(key)
      s.bytes += size
      while s.entries.count > maxEntries || s.bytes > maxBytes, !s.order.isEmpty {
        let oldest = s.order.removeFirst()
        if let gone = s.entries.removeValue(forKey: oldest) {
          s.bytes -= gone.body.readableBytes + oldest.utf8.count
        }
      }
    }
  }

  /// Number of answers held (for tests).
  var count: Int { state.withLock { $0.entries.count } }

  /// The response's body as one buffer, and a response that sends it; nil when the body is too
  /// large to keep (the response is then returned as it is, streamed).
  static func collect(_ response: Response, limit: Int) async throws -> ByteBuffer? {
    if let length = response.body.contentLength, length > limit { return nil }
    let box = CollectedBody()
    try await response.body.write(CollectingWriter(box: box))
    return box.buffer
  }
}

/// Where `CollectingWriter` puts the bytes; only ever used by the one task writing the body.
private final class CollectedBody: @unchecked Sendable {
  var buffer = ByteBuffer()
}

/// A body writer that keeps what it is given instead of sending it.
private struct CollectingWriter: ResponseBodyWriter {
  let box: CollectedBody

  mutating func write(_ buffer: ByteBuffer) async throws {
    var buffer = buffer
    box.buffer.writeBuffer(&buffer)
  }

  consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
