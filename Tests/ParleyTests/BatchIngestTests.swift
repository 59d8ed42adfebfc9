import Foundation
import GRDB
import ParleyStore
import Testing

/// Ingest writes a batch of articles per transaction while it extracts the next batch: the
/// record must be exactly the one that one transaction per article gives, and an article whose
/// writes fail must not take the others of its batch with it.
@Suite("Batch ingest")
struct BatchIngestTests {
  /// Generated reporting with near-copies and duplicates, as files, in ingest order.
  static func corpus(_ n: Int, seed: UInt64) throws -> [String] {
    try TestCorpus.write(into: Support.temporaryDirectory(), generated: n, seed: seed)
  }

  /// A fresh database holding `paths`, written `batchSize` articles per transaction.
  static func ingest(
    _ paths: [String], batchSize: Int, overlapped: Bool, prepare: (RecordStore) throws -> Void = { _ in }
  ) throws -> (RecordStore, IngestSummary, [(String, Result<IngestOutcome, StoreError>)]) {
    let store = try StoreSupport.emptyStore()
    try prepare(store)
    var ingestor = Ingestor(store: store, preparer: try StoreSupport.preparer())
    ingestor.batchSize = batchSize
    ingestor.overlapsWrites = overlapped
    var outcomes: [(String, Result<IngestOutcome, StoreError>)] = []
    let summary = ingestor.run(paths: paths, onArticle: { outcomes.append(($0, $1)) })
    return (store, summary, outcomes)
  }

  @Test("Each written batch reports its articles and its writing thread's CPU time")
  func batchesReportTheirWriteCost() throws {
    let files = try Self.corpus(12, seed: 3)
    let store = try StoreSupport.emptyStore()
    var ingestor = Ingestor(store: store, preparer: try StoreSupport.preparer())
    ingestor.batchSize = 5
    var batches: [(Int, Double)] = []
    let summary = ingestor.run(paths: files, onBatch: { batches.append(($0, $1)) })
    #expect(batches.map(\.0).reduce(0, +) == summary.read && summary.read > 10)
    #expect(batches.dropLast().allSatisfy { $0.0 == 5 }, "\(batches)")
    #expect(batches.allSatisfy { $0.1 > 0 && $0.1 < 60 }, "\(batches)")
  }

  @Test("Batched, overlapped ingest gives exactly the rows of one article per transaction")
  func batchedEqualsOneAtATime() throws {
    let files = try Self.corpus(40, seed: 31)
    let (single, singleSummary, singleOutcomes) = try Self.ingest(files, batchSize: 1, overlapped: false)
    let (batched, batchedSummary, batchedOutcomes) = try Self.ingest(files, batchSize: 16, overlapped: true)
    #expect(singleSummary.failed.isEmpty && batchedSummary.failed.isEmpty)
    #expect(batchedSummary.read == files.count)
    #expect(batchedSummary.new == singleSummary.new)
    #expect(batchedSummary.duplicates == singleSummary.duplicates && batchedSummary.duplicates > 0)
    #expect(batchedSummary.nearCopies == singleSummary.nearCopies && batchedSummary.nearCopies > 0)
    // The same outcome for each article, reported in input order.
    #expect(batchedOutcomes.map(\.0) == files)
    #expect(batchedOutcomes.map { try? $0.1.get() } == singleOutcomes.map { try? $0.1.get() })
    let expected = try single.dump()
    let actual = try batched.dump()
    for table in RecordStore.recordTables {
      #expect(actual[table] == expected[table], "table \(table) differs")
    }
    #expect(try batched.consistencyProblems().isEmpty)
    #expect(try batched.tallyProblems().isEmpty)
  }

  @Test("An article whose writes fail reports its reason; the others of its batch are stored")
  func failingArticleKeepsTheRestOfTheBatch() throws {
    let files = try Self.corpus(8, seed: 43).filter { $0.contains("/generated/") }
    // An article stored as new (not a duplicate, which never reaches the insert) in mid-batch.
    let contents = try files.map { try Data(contentsOf: URL(fileURLWithPath: $0)) }
    let unique = files.indices.filter { i in contents.filter { $0 == contents[i] }.count == 1 }
    let poisoned = try #require(unique.dropFirst(2).first.map { files[$0] })
    // A file named on the command line is recorded under its name.
    let name = (poisoned as NSString).lastPathComponent
    // A trigger that refuses one article, made by another connection as a faulty write would be.
    func poison(_ store: RecordStore) throws {
      let queue = try DatabaseQueue(path: store.path)
      // A trigger takes no bound parameters: the name goes in as an SQL string literal.
      let literal = "'" + name.replacingOccurrences(of: "'", with: "''") + "'"
      try queue.write { db in
        try db.execute(
          sql: """
            CREATE TRIGGER poison BEFORE INSERT ON article WHEN new.path = \(literal) BEGIN
              SELECT RAISE(ABORT, 'poisoned article');
            END
            """)
      }
    }
    let (store, summary, outcomes) = try Self.ingest(files, batchSize: 64, overlapped: true, prepare: poison)
    #expect(summary.read == files.count)
    #expect(summary.failed.map(\.path) == [poisoned])
    #expect(summary.failed.first?.reason.contains("poisoned article") == true)
    #expect(outcomes.map(\.0) == files)
    for (path, outcome) in outcomes {
      switch outcome {
      case .success: #expect(path != poisoned)
      case .failure(let error):
        #expect(path == poisoned)
        #expect(error.reason.contains("poisoned article"))
      }
    }
    // The others are stored exactly as without the poisoned article.
    let others = files.filter { $0 != poisoned }
    let (reference, referenceSummary, _) = try Self.ingest(others, batchSize: 1, overlapped: false)
    #expect(referenceSummary.failed.isEmpty)
    #expect(summary.new + summary.duplicates == referenceSummary.new + referenceSummary.duplicates)
    let expected = try reference.dump()
    let actual = try store.dump()
    for table in RecordStore.recordTables {
      #expect(actual[table] == expected[table], "table \(table) differs")
    }
    #expect(try store.consistencyProblems().isEmpty)
  }
}
