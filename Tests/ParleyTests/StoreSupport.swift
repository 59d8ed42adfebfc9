import Foundation
import ParleyStore
import ParleyText
import Testing

/// The preparer (extractor and record rules) loaded once for every store test.
private let sharedPreparer = Result { try ArticlePreparer.bundled() }

/// Fresh record databases for tests.
enum StoreSupport {
  static func preparer() throws -> ArticlePreparer { try sharedPreparer.get() }

  /// An empty database in a fresh temporary folder.
  static func emptyStore() throws -> RecordStore {
    try RecordStore(path: Support.temporaryDirectory().appendingPathComponent("record.sqlite").path)
  }

  /// A fresh database holding `paths` (files or folders), ingested in order.
  static func store(ingesting paths: [String]) throws -> (RecordStore, IngestSummary) {
    let store = try emptyStore()
    let summary = Ingestor(store: store, preparer: try preparer()).run(paths: paths)
    return (store, summary)
  }

  /// A fresh database holding the five seed articles.
  static func seedStore() throws -> RecordStore {
    try store(ingesting: [Support.seedsDirectory.path]).0
  }

  /// A fresh database holding the bundled example articles.
  static func exampleStore() throws -> RecordStore {
    try store(ingesting: [Support.packageRoot.appendingPathComponent("Examples/articles").path]).0
  }

  /// Stores one article written in a test.
  @discardableResult
  static func ingest(_ text: String, into store: RecordStore, name: String = "article.txt") throws -> IngestOutcome {
    let raw = try ArticleReader.article(path: name, text: text).get()
    return try store.ingest(try preparer().prepare(raw))
  }
}
