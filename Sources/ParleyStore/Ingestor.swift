import Foundation
import ParleyExtraction
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

/// Reads files and folders, prepares articles on every core, and stores them one transaction
/// per article, in input order (so a re-run after a crash produces the same database).
public struct Ingestor: Sendable {
  public let store: RecordStore
  public let preparer: ArticlePreparer
  public let reader: ArticleReader
  /// Articles prepared in parallel before being written; bounds memory.
  public var batchSize = 32

  public init(store: RecordStore, preparer: ArticlePreparer, reader: ArticleReader = ArticleReader()) {
    self.store = store
    self.preparer = preparer
    self.reader = reader
  }

  /// Ingests `paths`; `onArticle` is called after each article with its path and outcome (for progress).
  public func run(
    paths: [String], onFileCount: (Int) -> Void = { _ in },
    onArticle: (String, Result<IngestOutcome, StoreError>) -> Void = { _, _ in }
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
    func flush() {
      guard !batch.isEmpty, !storeFailed else {
        batch.removeAll()
        localPaths.removeAll()
        return
      }
      let prepared = prepareAll(batch)
      for (k, p) in prepared.enumerated() {
        let local = localPaths[k]
        summary.read += 1
        do {
          let outcome = try store.ingest(p)
          switch outcome {
          case .duplicate: summary.duplicates += 1
          case .new(_, let copy):
            summary.new += 1
            if copy != nil { summary.nearCopies += 1 }
          }
          onArticle(local, .success(outcome))
        } catch let error as StoreError {
          summary.failed.append(.init(path: local, line: nil, reason: error.reason))
          onArticle(local, .failure(error))
          // A database that refuses one write (disk full, read-only) refuses the next ones too.
          storeFailed = true
        } catch {
          summary.failed.append(.init(path: local, line: nil, reason: "\(error)"))
        }
      }
      batch.removeAll(keepingCapacity: true)
      localPaths.removeAll(keepingCapacity: true)
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
