import Foundation
import ParleyExtraction
import ParleyRecord
import ParleyText

/// The totals of one `parley ingest` run.
public struct IngestSummary: Sendable, Hashable, Codable {
  /// An input that could not be stored, with the reason.
  public struct Failure: Sendable, Hashable, Codable {
    public var path: String
    public var line: Int?
    public var reason: String
  }
  /// Articles read from the inputs.
  public var read = 0
  /// Articles stored for the first time.
  public var new = 0
  /// Articles whose text was already stored (nothing changed).
  public var duplicates = 0
  /// New articles that are near-copies of a stored one (syndicated or reworded copies).
  public var nearCopies = 0
  public var failed: [Failure] = []
  public init() {}
}

/// A record that `Ingestor` can write into: SQLite's `RecordStore`, or the PostgreSQL writer of
/// `ParleyPostgres`. `ingest` is called from the ingest's own writer thread, never from a task or
/// an event loop, so a backend may block it while its database answers.
public protocol ArticleWriter: Sendable {
  /// Where the record is, as people are shown it (a path, or a URL without a password).
  var displayName: String { get }
  /// Stores the articles in order, a batch per transaction or one per transaction, each whole or
  /// not at all, and returns each article's outcome in the same order.
  func ingest(_ articles: [PreparedArticle], policy: MergePolicy) -> [Result<IngestOutcome, StoreError>]
}

extension ArticleWriter {
  /// Stores one article in a transaction of its own, by the rules `parley ingest` uses (the
  /// server's uploads): its outcome, or why it could not be stored.
  public func ingest(article: PreparedArticle) throws -> IngestOutcome {
    guard let outcome = ingest([article], policy: MergePolicy()).first else {
      throw StoreError(path: displayName, reason: "the article was not stored")
    }
    return try outcome.get()
  }
}

extension RecordStore: ArticleWriter {
  public var displayName: String { path }
}

/// Reads files and folders, prepares articles on every core, and stores them in input order, a
/// batch of articles per transaction (so a re-run after a crash produces the same database; an
/// article that cannot be stored does not take the others of its batch with it, see
/// `RecordStore.ingest(_:policy:)`). The next batch is prepared while the current one is written.
public struct Ingestor: Sendable {
  /// The record the articles go to.
  public let writer: any ArticleWriter
  public let preparer: ArticlePreparer
  public let reader: ArticleReader
  /// Articles prepared in parallel and then written in one transaction; bounds memory (at most
  /// two batches are in hand: one being written, the next being prepared).
  public var batchSize = 64
  /// Prepare the next batch while the current one is being written. Writing holds one core;
  /// without the overlap the other cores would wait for it.
  public var overlapsWrites = true

  public init(writer: any ArticleWriter, preparer: ArticlePreparer, reader: ArticleReader = ArticleReader()) {
    self.writer = writer
    self.preparer = preparer
    self.reader = reader
  }

  /// An ingestor into an SQLite record.
  public init(store: RecordStore, preparer: ArticlePreparer, reader: ArticleReader = ArticleReader()) {
    self.init(writer: store, preparer: preparer, reader: reader)
  }

  /// Ingests `paths`; `onArticle` is called after each article with its path and outcome (for
  /// progress), once the transaction holding the article has committed; `onBatch` after each
  /// batch with its article count and the CPU seconds its writing thread spent (the cost of the
  /// writes and merges alone, which other work on the machine barely changes: for benchmarks).
  public func run(
    paths: [String], onFileCount: (Int) -> Void = { _ in },
    onArticle: (String, Result<IngestOutcome, StoreError>) -> Void = { _, _ in },
    onBatch: (_ articles: Int, _ writeCPUSeconds: Double) -> Void = { _, _ in }
  ) -> IngestSummary {
    var summary = IngestSummary()
    // Each file with the name the record keeps for it (see `recordedPath`).
    var files: [(path: String, recorded: String)] = []
    for argument in paths {
      let (found, missing) = ArticleReader.expand([argument])
      for e in missing { summary.failed.append(.init(path: e.path, line: e.line, reason: e.reason)) }
      files += found.map { ($0, Self.recordedPath(of: $0, named: argument)) }
    }
    onFileCount(files.count)
    var batch: [RawArticle] = []
    var localPaths: [String] = []
    var storeFailed = false
    var writing: BatchWrite?
    // Waits for the batch being written and reports its articles.
    func finishWrite() {
      guard let write = writing else { return }
      writing = nil
      let results = write.wait()
      for (local, result) in zip(write.paths, results) {
        summary.read += 1
        switch result {
        case .success(let outcome):
          switch outcome {
          case .duplicate: summary.duplicates += 1
          case .new(_, let copy):
            summary.new += 1
            if copy != nil { summary.nearCopies += 1 }
          }
        case .failure(let error):
          summary.failed.append(.init(path: local, line: nil, reason: error.reason))
          // A database that refuses one write (disk full, read-only) refuses the next ones too:
          // the rest of this batch was still tried, later batches are not.
          storeFailed = true
        }
        onArticle(local, result)
      }
      onBatch(results.count, write.cpuSeconds)
    }
    func flush() {
      defer {
        batch.removeAll(keepingCapacity: true)
        localPaths.removeAll(keepingCapacity: true)
      }
      guard !batch.isEmpty, !storeFailed else { return }
      let prepared = prepareAll(batch)
      finishWrite()
      guard !storeFailed else { return }
      writing = BatchWrite(writer: writer, articles: prepared, paths: localPaths)
      if !overlapsWrites { finishWrite() }
    }
    for file in files {
      _ = reader.read(
        path: file.path,
        { raw in
          var article = raw
          article.path = file.recorded
          batch.append(article)
          localPaths.append(raw.path)
          if batch.count >= batchSize { flush() }
        },
        onError: { e in summary.failed.append(.init(path: e.path, line: e.line, reason: e.reason)) })
      if storeFailed { break }
    }
    flush()
    finishWrite()
    return summary
  }

  /// The path the record keeps for a file: the name of the folder the user gave and the path
  /// below it ("articles/2025/kyiv.txt"), or the file's own name when the user gave the file, so
  /// that a shared server shows nothing of the layout of the machine that fed it.
  public static func recordedPath(of file: String, named argument: String) -> String {
    let trimmed = argument.hasSuffix("/") && argument.count > 1 ? String(argument.dropLast()) : argument
    let folder = (trimmed as NSString).lastPathComponent
    guard file != argument, file.hasPrefix(trimmed + "/") else { return (file as NSString).lastPathComponent }
    let below = String(file.dropFirst(trimmed.count + 1))
    return folder.isEmpty || folder == "/" || folder == "." || folder == ".." ? below : folder + "/" + below
  }

  /// Extraction is the slow part and each article is independent: spread it over the cores.
  private func prepareAll(_ raws: [RawArticle]) -> [PreparedArticle] {
    let preparer = self.preparer
    return Parallel.map(raws) { preparer.prepare($0) }
  }
}

/// One batch being written on a thread of its own, so that the caller can prepare the next one
/// meanwhile. The outcome is set by that thread before it signals, and read only after `wait()`.
private final class BatchWrite: @unchecked Sendable {
  let paths: [String]
  private var results: [Result<IngestOutcome, StoreError>]?
  /// CPU time of the writing thread, set with the results.
  private(set) var cpuSeconds = 0.0
  private let done = DispatchSemaphore(value: 0)

  init(writer: any ArticleWriter, articles: [PreparedArticle], paths: [String]) {
    self.paths = paths
    // A thread of its own rather than a global queue's: `Parallel.map` keeps those busy with
    // extraction, and the writer must not wait for a free one.
    let thread = Thread { [self] in
      let start = Self.threadCPUSeconds()
      self.results = writer.ingest(articles, policy: MergePolicy())
      self.cpuSeconds = Self.threadCPUSeconds() - start
      self.done.signal()
    }
    thread.stackSize = 8 << 20
    thread.name = "parley-writer"
    thread.start()
  }

  /// CPU time the calling thread has used, in seconds.
  private static func threadCPUSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
  }

  /// Each article's outcome, in order, once the batch's transactions have ended.
  func wait() -> [Result<IngestOutcome, StoreError>] {
    done.wait()
    return results ?? []
  }
}
