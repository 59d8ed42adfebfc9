import Foundation
import ParleyExtraction
import ParleyText
import Synchronization

/// What the extraction pipeline knows beyond Parley's bundled data: the user's knowledge-base
/// files (`--kb FILE`) and CAMEO lexicon files (`--lexicon FILE`), read after the bundled ones.
public struct KnowledgeOptions: Sendable, Hashable {
  /// Knowledge-base files in the order given; a later entry with the same id replaces an earlier one.
  public var files: [URL]
  /// CAMEO lexicon files in the order given; a sense repeating a known one replaces it.
  public var lexicons: [URL]

  public init(files: [URL] = [], lexicons: [URL] = []) {
    self.files = files
    self.lexicons = lexicons
  }

  /// Files named as on a command line (relative to the current folder).
  public init(paths: [String], lexiconPaths: [String] = []) {
    self.init(
      files: paths.map { URL(fileURLWithPath: $0) }, lexicons: lexiconPaths.map { URL(fileURLWithPath: $0) })
  }
}

/// The one place the ingest pipeline is built: the extractor and the record's rules from the
/// knowledge options, for `parley ingest` and `extract`, `serve --ingest` and uploads alike, so
/// that no entry point forgets the user's `--kb` files.
///
/// Loading takes about a second and 110 MiB, so each distinct set of options is loaded once per
/// process and shared (the pipeline is `Sendable` and read-only).
public enum IngestPipeline {
  private static let loaded = Mutex<[KnowledgeOptions: ArticlePreparer]>([:])

  /// The preparer (extraction, fingerprints, stances) for `knowledge`; throws when the bundled
  /// data or a knowledge-base file cannot be loaded, naming the file and the JSON path.
  public static func preparer(_ knowledge: KnowledgeOptions = KnowledgeOptions()) throws -> ArticlePreparer {
    // Loading under the lock makes concurrent first callers wait for one load instead of racing
    // to do the same second of work twice. A failure is not kept: a fixed file loads on retry.
    try loaded.withLock { cache in
      if let preparer = cache[knowledge] { return preparer }
      let preparer = try ArticlePreparer.bundled(extraKnowledge: knowledge.files, extraLexicons: knowledge.lexicons)
      cache[knowledge] = preparer
      return preparer
    }
  }

  /// The extractor alone (for `parley extract` and the benchmarks), shared with `preparer(_:)`.
  public static func extractor(_ knowledge: KnowledgeOptions = KnowledgeOptions()) throws -> Extractor {
    try preparer(knowledge).extractor
  }
}

/// Collects articles and processes them on every core as they come, handing the results on in
/// input order. At most `maxCount` articles or `maxBytes` of text are in flight, so memory does
/// not grow with the corpus; the caller's thread reads the next articles while the cores work.
public final class ArticleBatcher<Output: Sendable> {
  private let workers: OrderedWorkers<RawArticle, Output>
  private let sink: (Output) -> Void
  /// Text size of every article in flight, oldest first.
  private var sizes: [Int] = []
  private var sizesHead = 0
  private var bytes = 0
  public let maxCount: Int
  public let maxBytes: Int

  public init(
    maxCount: Int = 64, maxBytes: Int = 16 << 20, work: @escaping @Sendable (RawArticle) -> Output,
    sink: @escaping (Output) -> Void
  ) {
    workers = OrderedWorkers(work)
    self.sink = sink
    self.maxCount = maxCount
    self.maxBytes = maxBytes
  }

  /// Queues an article; hands on the results that are ready, and waits for the oldest while
  /// too much is in flight.
  public func add(_ raw: RawArticle) {
    let size = raw.source.utf8.count
    workers.submit(raw)
    sizes.append(size)
    bytes += size
    hand(workers.deliver())
    while workers.pending >= maxCount || (bytes >= maxBytes && workers.pending > 0) {
      hand(workers.deliver(waitForOne: true))
    }
  }

  /// Waits for everything queued and hands on the results. Call it at the end: it also stops
  /// the worker threads, which otherwise wait for more articles.
  public func flush() {
    hand(workers.finish())
  }

  private func hand(_ outputs: [Output]) {
    for output in outputs {
      bytes -= sizes[sizesHead]
      sizesHead += 1
      sink(output)
    }
    if sizesHead == sizes.count {
      sizes.removeAll(keepingCapacity: true)
      sizesHead = 0
    } else if sizesHead >= 1024 {
      sizes.removeFirst(sizesHead)
      sizesHead = 0
    }
  }
}
