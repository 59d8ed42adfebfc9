import Foundation
import ParleyExtraction
import ParleyStore
import ParleyText

/// The record benchmark behind `parley bench-record`: ingests a generated corpus into a new
/// database with the same code as `parley ingest`, then times the query commands on the result.
public struct RecordBenchmark: Sendable {
  /// How many articles to generate and ingest.
  public var articles = 100_000
  /// Folder for the corpus, kept and reused by later runs; nil for a temporary one, removed afterwards.
  public var directory: String?
  /// The database to create (it must not exist yet); nil for a temporary file.
  public var database: String?
  /// Keep the database afterwards (a temporary one is removed otherwise).
  public var keep = false
  public var seed: UInt64 = 42
  /// Runs of each query; the median and the slowest are reported.
  public var runs = 20
  /// Add the query plans of the statements behind the indexed queries even when they are fast.
  public var explain = false

  public init() {}

  /// Generates (or reuses) the corpus, ingests it and times the queries; `log` gets progress lines.
  public func run(log: (String) -> Void) throws -> RecordBenchmarkResult {
    let fm = FileManager.default
    let pid = ProcessInfo.processInfo.processIdentifier
    let folder = directory ?? NSTemporaryDirectory() + "parley-bench-record-\(pid)"
    try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let corpus = (folder as NSString).appendingPathComponent("articles-\(articles)-seed-\(seed).jsonl")
    let dbPath = database ?? NSTemporaryDirectory() + "parley-bench-record-\(pid).sqlite"
    defer {
      if directory == nil { try? fm.removeItem(atPath: folder) }
      if !keep {
        for suffix in ["", "-wal", "-shm"] { try? fm.removeItem(atPath: dbPath + suffix) }
      }
    }
    var result = RecordBenchmarkResult()
    result.articles = articles
    let clock = ContinuousClock()
    if fm.fileExists(atPath: corpus) {
      log("reusing the corpus \(corpus)")
    } else {
      log("generating \(articles) articles into \(corpus)")
      let t = try clock.measure { result.corpusBytes = try Self.generate(articles, seed: seed, to: corpus) }
      result.generateSeconds = t.seconds
    }
    result.corpusBytes = ((try? fm.attributesOfItem(atPath: corpus))?[.size] as? NSNumber)?.intValue ?? 0

    let preparer: ArticlePreparer
    do {
      preparer = try IngestPipeline.preparer()
    } catch {
      throw RecordBenchmarkError.data(error)
    }
    let store = try Self.open(dbPath)

    // Ingest: the same Ingestor as `parley ingest`, with progress and memory samples.
    log("ingesting into \(dbPath)")
    let tenth = max(1, articles / 10)
    var done = 0
    var lastReport = clock.now
    let started = clock.now
    // When each tenth of the articles was stored: the rate per tenth shows whether the cost of
    // an article grows with the record.
    var marks: [(done: Int, at: ContinuousClock.Instant)] = [(0, started)]
    // CPU seconds the writing thread spent per tenth: the writes and merges alone, steadier than
    // the wall clock on a shared machine (extraction runs beside them on the other cores).
    var writeCPU = Array(repeating: 0.0, count: 10)
    var written = 0
    let summary = Ingestor(store: store, preparer: preparer).run(
      paths: [corpus],
      onArticle: { _, _ in
        done += 1
        if done == tenth { result.rssAfter10PercentBytes = ProcessMemory.currentResidentBytes() }
        if done % tenth == 0, done / tenth < 10 { marks.append((done, clock.now)) }
        if done % 500 == 0 {
          result.rssMaxSampledBytes = max(result.rssMaxSampledBytes, ProcessMemory.currentResidentBytes())
        }
        let now = clock.now
        if now - lastReport >= .seconds(10) || done == articles {
          lastReport = now
          let elapsed = (now - started).seconds
          let rate = Double(done) / max(elapsed, 0.001)
          let eta = Double(articles - done) / max(rate, 0.001)
          log(
            String(
              format: "  %d/%d articles (%.0f%%), %.0f articles/s, RSS %.0f MiB, %.0f s left", done, articles,
              100 * Double(done) / Double(articles), rate, Double(ProcessMemory.currentResidentBytes()) / 1_048_576,
              eta))
        }
      },
      onBatch: { count, cpu in
        // A batch counts in the tenth its last article falls in.
        written += count
        writeCPU[min(9, max(0, (written - 1) / tenth))] += cpu
      })
    let ended = clock.now
    result.seconds = (ended - started).seconds
    if let last = marks.last, summary.read > last.done { marks.append((summary.read, ended)) }
    result.tenthsArticlesPerSecond = zip(marks, marks.dropFirst()).map { from, to in
      Double(to.done - from.done) / max((to.at - from.at).seconds, 0.001)
    }
    result.tenthsWriteCPUMsPerArticle = writeCPU.enumerated().map { i, seconds in
      let count = i == 9 ? max(0, summary.read - 9 * tenth) : tenth
      return 1000 * seconds / Double(max(1, count))
    }
    result.writeCPUMsPerArticle = 1000 * writeCPU.reduce(0, +) / Double(max(1, summary.read))
    result.firstTenthArticlesPerSecond = result.tenthsArticlesPerSecond.first ?? 0
    result.lastTenthArticlesPerSecond = result.tenthsArticlesPerSecond.last ?? 0
    result.rssEndBytes = ProcessMemory.currentResidentBytes()
    result.peakRssAfterIngestBytes = ProcessMemory.peakResidentBytes()
    result.rssMaxSampledBytes = max(result.rssMaxSampledBytes, result.rssEndBytes)
    result.read = summary.read
    result.stored = summary.new
    result.nearCopies = summary.nearCopies
    result.duplicates = summary.duplicates
    result.failed = summary.failed.count
    result.failures = summary.failed.prefix(5).map { "\($0.path)\($0.line.map { ":\($0)" } ?? ""): \($0.reason)" }
    result.articlesPerSecond = Double(summary.read) / max(result.seconds, 0.001)
    try fillRecord(&result, store)
    result.read = summary.read
    result.stored = summary.new
    result.nearCopies = summary.nearCopies

    log("timing queries (\(runs) runs each)")
    result.queries = try timeQueries(store, log: log)
    result.peakRssBytes = ProcessMemory.peakResidentBytes()
    (result.prepareOnlyArticles, result.prepareOnlyPerSecond) = prepareOnly(corpus, preparer: preparer)
    result.database = keep ? dbPath : nil
    return result
  }

  /// The query half of the benchmark on a database that is already filled.
  public func timeQueries(onDatabase path: String, log: (String) -> Void) throws -> RecordBenchmarkResult {
    let store = try Self.open(path)
    var result = RecordBenchmarkResult()
    result.queriesOnly = true
    try fillRecord(&result, store)
    log("timing queries on \(path) (\(runs) runs each)")
    result.queries = try timeQueries(store, log: log)
    result.peakRssBytes = ProcessMemory.peakResidentBytes()
    result.database = path
    return result
  }

  private static func open(_ path: String) throws -> RecordStore {
    do {
      return try RecordStore(path: path)
    } catch {
      throw RecordBenchmarkError.database(error)
    }
  }

  private func fillRecord(_ result: inout RecordBenchmarkResult, _ store: RecordStore) throws {
    let sizes = store.fileSizes()
    result.databaseBytes = sizes.database
    result.walBytes = sizes.wal
    result.shmBytes = sizes.shm
    result.databaseTotalBytes = sizes.database + sizes.wal + sizes.shm
    let overview = try store.overview()
    result.read = overview.articles
    result.stored = overview.articles
    result.nearCopies = overview.nearCopies
    result.events = overview.events
    result.reports = overview.reports
    result.actors = overview.actors
    result.plans = overview.plans
    result.planVersions = overview.planVersions
    result.positions = overview.positions
  }

  // MARK: Queries

  /// The query commands as the CLI and the web pages call them, with the statements behind the
  /// ones that must answer from indexes (mirrors Queries.swift, for EXPLAIN QUERY PLAN only).
  private func timeQueries(_ store: RecordStore, log: (String) -> Void) throws -> [QueryTiming] {
    let putin = try store.resolveActor("vladimir-putin")
    let russia = try store.resolveActor("RUS")
    let timelineSQL = [
      ("page", "SELECT e.id FROM event e ORDER BY e.sortKey, e.id LIMIT ? OFFSET ?", ["50", "0"]),
      ("total", "SELECT count(*) FROM event e", []),
    ]
    func actorSQL(_ ids: [String]) -> [(String, String, [String])] {
      let marks = Array(repeating: "?", count: ids.count).joined(separator: ",")
      return [
        (
          "page",
          """
          SELECT id FROM (
            SELECT * FROM (SELECT e.id, e.sortKey FROM event e WHERE e.sourceId IN (\(marks)) ORDER BY e.sortKey, e.id LIMIT ?)
            UNION
            SELECT * FROM (SELECT e.id, e.sortKey FROM event e WHERE e.targetId IN (\(marks)) ORDER BY e.sortKey, e.id LIMIT ?)
          ) ORDER BY sortKey, id LIMIT ? OFFSET ?
          """, ids + ["50"] + ids + ["50", "50", "0"]
        ),
        (
          "total", "SELECT count(*) FROM event e WHERE (e.sourceId IN (\(marks)) OR e.targetId IN (\(marks)))",
          ids + ids
        ),
      ]
    }
    let reportsSQL = (
      "reports",
      """
      SELECT r.eventId, r.articleId, a.title FROM report r JOIN article a ON a.id = r.articleId
      WHERE r.eventId IN (1, 2, 3) ORDER BY r.eventId, r.articleId, r.start
      """, [String]()
    )
    let queries: [(String, [(String, String, [String])], () throws -> Int)] = [
      (
        "timeline", timelineSQL + [reportsSQL],
        { try store.events(EventFilter(limit: 50), withReports: true).items.count }
      ),
      (
        "events --actor vladimir-putin", actorSQL(putin),
        { try store.events(EventFilter(actor: "vladimir-putin", limit: 50)).items.count }
      ),
      ("events --actor RUS", actorSQL(russia), { try store.events(EventFilter(actor: "RUS", limit: 50)).items.count }),
      (
        "timeline --actor vladimir-putin", actorSQL(putin) + [reportsSQL],
        { try store.events(EventFilter(actor: "vladimir-putin", limit: 50), withReports: true).items.count }
      ),
      (
        "events --from 2025-06-01 --to 2025-06-30", [],
        { try store.events(EventFilter(from: "2025-06-01", to: "2025-06-30", limit: 50)).items.count }
      ),
      (
        "events --cameo 04 --offset 500", [],
        { try store.events(EventFilter(cameo: "04", limit: 50, offset: 500)).items.count }
      ),
      ("search \"ceasefire Donetsk\"", [], { try store.search("ceasefire Donetsk").items.count }),
      ("positions", [], { try store.positions().cells.count }),
      ("plans", [], { try store.plans().count }),
      ("status", [], { try store.overview().events }),
    ]
    let clock = ContinuousClock()
    var out: [QueryTiming] = []
    for (name, statements, body) in queries {
      var times: [Double] = []
      var rows = 0
      // A query that takes seconds is slow whatever the count; stop repeating it after a
      // minute so one scan of the whole record does not hold up the benchmark.
      let budget = clock.now + .seconds(60)
      while times.count < runs, times.isEmpty || clock.now < budget {
        let t = try clock.measure { rows = try body() }
        times.append(t / .milliseconds(1))
      }
      let sorted = times.sorted()
      var timing = QueryTiming(
        name: name, runs: times.count, medianMs: sorted[sorted.count / 2], maxMs: sorted[sorted.count - 1],
        firstMs: times[0], rows: rows)
      timing.slow = timing.medianMs > 100
      if timing.slow || explain {
        for (label, sql, args) in statements {
          timing.plans.append(
            StatementPlan(statement: label, sql: sql, plan: try store.queryPlan(sql, arguments: args)))
        }
      }
      log(
        "  \(name): median \(String(format: "%.1f", timing.medianMs)) ms, max \(String(format: "%.1f", timing.maxMs)) ms"
      )
      out.append(timing)
    }
    return out
  }

  /// Extraction alone (no database) over the first articles, spread over the cores as the
  /// Ingestor does: what ingest would reach if writing cost nothing, to tell the two apart.
  private func prepareOnly(_ corpus: String, preparer: ArticlePreparer) -> (Int, Double) {
    var raws: [RawArticle] = []
    let limit = min(articles, 3000)
    struct Enough: Error {}
    // Thrown to stop reading once enough articles are in hand (the reader has no other exit).
    _ = try? ArticleReader().read(
      path: corpus,
      { raw in
        raws.append(raw)
        if raws.count >= limit { throw Enough() }
      },
      onError: { _ in })
    let clock = ContinuousClock()
    let elapsed = clock.measure {
      var start = 0
      while start < raws.count {
        let batch = Array(raws[start..<min(start + 32, raws.count)])
        _ = Parallel.map(batch) { preparer.prepare($0) }
        start += batch.count
      }
    }
    return (raws.count, Double(raws.count) / max(elapsed.seconds, 0.001))
  }

  /// Writes `n` generated articles as JSON Lines in 1 MiB chunks (constant memory); returns the file's size.
  public static func generate(_ n: Int, seed: UInt64, to path: String) throws -> Int {
    let partial = path + ".partial"
    guard FileManager.default.createFile(atPath: partial, contents: nil),
      let handle = FileHandle(forWritingAtPath: partial)
    else { throw BenchmarkError.corpus("cannot write the corpus to \(path)") }
    var generator = try ArticleGenerator(seed: seed)
    var buffer = ""
    var bytes = 0
    do {
      for _ in 0..<n {
        buffer += generator.next().jsonLine + "\n"
        if buffer.utf8.count > 1 << 20 {
          bytes += buffer.utf8.count
          try handle.write(contentsOf: Data(buffer.utf8))
          buffer = ""
        }
      }
      bytes += buffer.utf8.count
      try handle.write(contentsOf: Data(buffer.utf8))
      try handle.close()
      // Renamed only when complete, so an interrupted run never leaves a short corpus to reuse.
      try? FileManager.default.removeItem(atPath: path)
      try FileManager.default.moveItem(atPath: partial, toPath: path)
    } catch {
      throw BenchmarkError.corpus("cannot write the corpus to \(path)")
    }
    return bytes
  }
}

/// Why the record benchmark stopped before measuring.
public enum RecordBenchmarkError: Error, CustomStringConvertible, Sendable {
  /// Parley's bundled data (knowledge base, lexicons, syntax model) cannot be loaded.
  case data(any Error)
  /// The database cannot be opened or written.
  case database(any Error)

  public var description: String {
    switch self {
    case .data(let error), .database(let error): "\(error)"
    }
  }
}

/// The figures of one `parley bench-record` run (`--json` prints it with snake_case keys).
public struct RecordBenchmarkResult: Codable, Sendable {
  /// Only the queries were timed, on an existing database.
  public var queriesOnly = false
  public var articles = 0
  public var corpusBytes = 0
  public var generateSeconds = 0.0
  public var read = 0
  public var stored = 0
  public var nearCopies = 0
  public var duplicates = 0
  public var failed = 0
  public var seconds = 0.0
  public var articlesPerSecond = 0.0
  public var prepareOnlyArticles = 0
  public var prepareOnlyPerSecond = 0.0
  /// Articles per second over the first tenth of the articles read, and over the last tenth.
  public var firstTenthArticlesPerSecond = 0.0
  public var lastTenthArticlesPerSecond = 0.0
  /// Articles per second over each tenth of the run, in order (the last one takes any remainder).
  public var tenthsArticlesPerSecond: [Double] = []
  /// CPU milliseconds the writing thread spent per article (inserts and merges, no extraction),
  /// over the run and per tenth: whether writing an article costs more as the record grows.
  public var writeCPUMsPerArticle = 0.0
  public var tenthsWriteCPUMsPerArticle: [Double] = []
  public var databaseBytes = 0
  public var walBytes = 0
  public var shmBytes = 0
  /// The database with its write-ahead log and shared-memory index: what the record takes on disk.
  public var databaseTotalBytes = 0
  public var events = 0
  public var reports = 0
  public var actors = 0
  public var plans = 0
  public var planVersions = 0
  public var positions = 0
  public var rssAfter10PercentBytes = 0
  public var rssEndBytes = 0
  public var rssMaxSampledBytes = 0
  /// VmHWM when the ingest ends (generation and ingest), before the queries load their results.
  public var peakRssAfterIngestBytes = 0
  public var peakRssBytes = 0
  public var queries: [QueryTiming] = []
  public var database: String?
  /// The first inputs that failed ("path:line: reason"), for the command to report; not printed as JSON.
  public var failures: [String] = []

  enum CodingKeys: String, CodingKey {
    case queriesOnly, articles, corpusBytes, generateSeconds, read, stored, nearCopies, duplicates, failed, seconds
    case articlesPerSecond, firstTenthArticlesPerSecond, lastTenthArticlesPerSecond, tenthsArticlesPerSecond
    case writeCPUMsPerArticle, tenthsWriteCPUMsPerArticle
    case prepareOnlyArticles, prepareOnlyPerSecond, databaseBytes, walBytes, shmBytes, databaseTotalBytes, events
    case reports, actors, plans, planVersions, positions, rssAfter10PercentBytes, rssEndBytes, rssMaxSampledBytes
    case peakRssAfterIngestBytes, peakRssBytes, queries, database
  }

  public init() {}
}

/// Latency of one query over repeated runs.
public struct QueryTiming: Codable, Sendable {
  public var name: String
  public var runs: Int
  public var medianMs: Double
  public var maxMs: Double
  public var firstMs: Double
  public var rows: Int
  public var slow = false
  public var plans: [StatementPlan] = []
}

/// A statement behind a query with its `EXPLAIN QUERY PLAN`.
public struct StatementPlan: Codable, Sendable {
  public var statement: String
  public var sql: String
  public var plan: [String]
}
