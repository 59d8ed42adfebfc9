import Foundation
import ParleyExtraction
import ParleyStore
import ParleyText
import Synchronization

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
  /// Writers ingesting at once, each with its own connection and its own share of the articles
  /// (more than one on PostgreSQL only: an SQLite record has one writer).
  public var writers = 1

  public init() {}

  /// Generates (or reuses) the corpus, ingests it into a new SQLite file and times the queries;
  /// `log` gets progress lines.
  public func run(log: (String) -> Void) throws -> RecordBenchmarkResult {
    let fm = FileManager.default
    let pid = ProcessInfo.processInfo.processIdentifier
    let dbPath = database ?? NSTemporaryDirectory() + "parley-bench-record-\(pid).sqlite"
    defer {
      if !keep {
        for suffix in ["", "-wal", "-shm"] { try? fm.removeItem(atPath: dbPath + suffix) }
      }
    }
    let target = SQLiteBenchmarkTarget(store: try Self.open(dbPath))
    var result = try run(into: target, log: log)
    result.database = keep ? dbPath : nil
    return result
  }

  /// Generates (or reuses) the corpus, ingests it into `target` with `writers` writers at once
  /// and times the queries; `log` gets progress lines (from the calling thread only).
  public func run(into target: some BenchmarkTarget, log: (String) -> Void) throws -> RecordBenchmarkResult {
    let fm = FileManager.default
    let pid = ProcessInfo.processInfo.processIdentifier
    let folder = directory ?? NSTemporaryDirectory() + "parley-bench-record-\(pid)"
    try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let corpus = (folder as NSString).appendingPathComponent("articles-\(articles)-seed-\(seed).jsonl")
    defer {
      if directory == nil { try? fm.removeItem(atPath: folder) }
    }
    var result = RecordBenchmarkResult()
    result.articles = articles
    result.writers = writers
    let clock = ContinuousClock()
    if fm.fileExists(atPath: corpus) {
      log("reusing the corpus \(corpus)")
    } else {
      log("generating \(articles) articles into \(corpus)")
      let t = try clock.measure { result.corpusBytes = try Self.generate(articles, seed: seed, to: corpus) }
      result.generateSeconds = t.seconds
    }
    result.corpusBytes = ((try? fm.attributesOfItem(atPath: corpus))?[.size] as? NSNumber)?.intValue ?? 0
    let parts = try Self.split(corpus, into: writers)

    let preparer: ArticlePreparer
    do {
      preparer = try IngestPipeline.preparer()
    } catch {
      throw RecordBenchmarkError.data(error)
    }
    let connected: [any ArticleWriter]
    do {
      connected = try target.writers(writers)
    } catch {
      throw RecordBenchmarkError.database(error)
    }

    log("ingesting into \(target.displayName)" + (writers > 1 ? " with \(writers) writers at once" : ""))
    let summary = ingest(parts, writers: connected, preparer: preparer, result: &result, log: log)
    if let lock = target.writeLockSeconds() {
      result.writeLockWaitSeconds = lock.waited
      result.writeLockHeldSeconds = lock.held
    }
    result.read = summary.read
    result.stored = summary.new
    result.nearCopies = summary.nearCopies
    result.duplicates = summary.duplicates
    result.failed = summary.failed.count
    result.failures = summary.failed.prefix(5).map { "\($0.path)\($0.line.map { ":\($0)" } ?? ""): \($0.reason)" }
    result.articlesPerSecond = Double(summary.read) / max(result.seconds, 0.001)
    try fillRecord(&result, target)
    result.read = summary.read
    result.stored = summary.new
    result.nearCopies = summary.nearCopies

    log("timing queries (\(runs) runs each)")
    result.queries = try timeQueries(target, log: log)
    result.peakRssBytes = ProcessMemory.peakResidentBytes()
    (result.prepareOnlyArticles, result.prepareOnlyPerSecond) = prepareOnly(corpus, preparer: preparer)
    return result
  }

  /// Ingests the parts of the corpus at once, one writer (connection) and one `Ingestor` per
  /// part on a thread of its own, as that many `parley ingest` processes would, and records the
  /// throughput per tenth, the writing threads' CPU and memory in `result`.
  private func ingest(
    _ parts: [String], writers: [any ArticleWriter], preparer: ArticlePreparer, result: inout RecordBenchmarkResult,
    log: (String) -> Void
  ) -> IngestSummary {
    let clock = ContinuousClock()
    let tenth = max(1, articles / 10)
    let progress = IngestProgress(tenth: tenth, started: clock.now)
    let finished = DispatchGroup()
    for (writer, part) in zip(writers, parts) {
      finished.enter()
      // A thread of its own: an Ingestor blocks while its writer waits for the database.
      let thread = Thread {
        let summary = Ingestor(writer: writer, preparer: preparer).run(
          paths: [part], onArticle: { _, _ in progress.article() }, onBatch: { progress.batch($0, cpu: $1) })
        progress.state.withLock { $0.summaries.append(summary) }
        finished.leave()
      }
      thread.stackSize = 8 << 20
      thread.start()
    }
    var lastReport = clock.now
    while finished.wait(timeout: .now() + .milliseconds(200)) == .timedOut {
      let now = clock.now
      guard now - lastReport >= .seconds(10) else { continue }
      lastReport = now
      let done = progress.done
      let elapsed = (now - progress.started).seconds
      let rate = Double(done) / max(elapsed, 0.001)
      let eta = Double(articles - done) / max(rate, 0.001)
      log(
        String(
          format: "  %d/%d articles (%.0f%%), %.0f articles/s, RSS %.0f MiB, %.0f s left", done, articles,
          100 * Double(done) / Double(articles), rate, Double(ProcessMemory.currentResidentBytes()) / 1_048_576, eta))
    }
    let ended = clock.now
    var summary = IngestSummary()
    let state = progress.state.withLock { $0 }
    for part in state.summaries {
      summary.read += part.read
      summary.new += part.new
      summary.duplicates += part.duplicates
      summary.nearCopies += part.nearCopies
      summary.failed += part.failed
    }
    result.seconds = (ended - progress.started).seconds
    var marks = state.marks
    if let last = marks.last, summary.read > last.done { marks.append((summary.read, ended)) }
    result.tenthsArticlesPerSecond = zip(marks, marks.dropFirst()).map { from, to in
      Double(to.done - from.done) / max((to.at - from.at).seconds, 0.001)
    }
    result.tenthsWriteCPUMsPerArticle = state.writeCPU.enumerated().map { i, seconds in
      let count = i == 9 ? max(0, summary.read - 9 * tenth) : tenth
      return 1000 * seconds / Double(max(1, count))
    }
    result.writeCPUMsPerArticle = 1000 * state.writeCPU.reduce(0, +) / Double(max(1, summary.read))
    result.firstTenthArticlesPerSecond = result.tenthsArticlesPerSecond.first ?? 0
    result.lastTenthArticlesPerSecond = result.tenthsArticlesPerSecond.last ?? 0
    result.rssAfter10PercentBytes = state.rssAfter10Percent
    result.rssEndBytes = ProcessMemory.currentResidentBytes()
    result.peakRssAfterIngestBytes = ProcessMemory.peakResidentBytes()
    result.rssMaxSampledBytes = max(state.rssMaxSampled, result.rssEndBytes)
    return summary
  }

  /// The corpus itself for one writer; else `count` files next to it, line i in file i mod
  /// `count`, so that every writer's articles span the whole period (made once, then reused).
  static func split(_ corpus: String, into count: Int) throws -> [String] {
    guard count > 1 else { return [corpus] }
    let base = (corpus as NSString).deletingPathExtension
    let parts = (0..<count).map { "\(base).part-\($0 + 1)-of-\(count).jsonl" }
    if parts.allSatisfy({ FileManager.default.fileExists(atPath: $0) }) { return parts }
    guard let input = fopen(corpus, "r") else { throw BenchmarkError.corpus("cannot read \(corpus)") }
    defer { fclose(input) }
    var outputs: [UnsafeMutablePointer<FILE>] = []
    defer { for output in outputs { fclose(output) } }
    for part in parts {
      guard let output = fopen(part + ".partial", "w") else { throw BenchmarkError.corpus("cannot write \(part)") }
      outputs.append(output)
    }
    var line: UnsafeMutablePointer<CChar>?
    var capacity = 0
    defer { free(line) }
    var index = 0
    while getline(&line, &capacity, input) > 0, let text = line {
      guard fputs(text, outputs[index % count]) >= 0 else { throw BenchmarkError.corpus("cannot write the parts") }
      index += 1
    }
    for output in outputs { fflush(output) }
    // Renamed only when complete, so an interrupted run never leaves short parts to reuse.
    for part in parts {
      try? FileManager.default.removeItem(atPath: part)
      do {
        try FileManager.default.moveItem(atPath: part + ".partial", toPath: part)
      } catch {
        throw BenchmarkError.corpus("cannot write \(part)")
      }
    }
    return parts
  }

  /// The query half of the benchmark on a database that is already filled.
  public func timeQueries(onDatabase path: String, log: (String) -> Void) throws -> RecordBenchmarkResult {
    var result = try timeQueries(on: SQLiteBenchmarkTarget(store: try Self.open(path)), log: log)
    result.database = path
    return result
  }

  /// The query half of the benchmark on a record that is already filled.
  public func timeQueries(on target: some BenchmarkTarget, log: (String) -> Void) throws -> RecordBenchmarkResult {
    var result = RecordBenchmarkResult()
    result.queriesOnly = true
    try fillRecord(&result, target)
    log("timing queries on \(target.displayName) (\(runs) runs each)")
    result.queries = try timeQueries(target, log: log)
    result.peakRssBytes = ProcessMemory.peakResidentBytes()
    return result
  }

  private static func open(_ path: String) throws -> RecordStore {
    do {
      return try RecordStore(path: path)
    } catch {
      throw RecordBenchmarkError.database(error)
    }
  }

  private func fillRecord(_ result: inout RecordBenchmarkResult, _ target: some BenchmarkTarget) throws {
    let sizes: (database: Int, wal: Int, shm: Int)
    let overview: Overview
    do {
      sizes = try target.sizes()
      overview = try target.reader.overview()
    } catch {
      throw RecordBenchmarkError.database(error)
    }
    result.backend = target.backend
    result.databaseBytes = sizes.database
    result.walBytes = sizes.wal
    result.shmBytes = sizes.shm
    result.databaseTotalBytes = sizes.database + sizes.wal + sizes.shm
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
  /// The statements are explained on SQLite only; the queries run through `RecordQuerying` on both backends.
  private func timeQueries(_ target: some BenchmarkTarget, log: (String) -> Void) throws -> [QueryTiming] {
    let store = target.explainer
    let reader = target.reader
    let putin = try store?.resolveActor("vladimir-putin") ?? []
    let russia = try store?.resolveActor("RUS") ?? []
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
          "total",
          """
          SELECT count(*) FROM (
            SELECT e.id FROM event e WHERE e.sourceId IN (\(marks))
            UNION SELECT e.id FROM event e WHERE e.targetId IN (\(marks))
            UNION SELECT e.id FROM event_participant p JOIN event e ON e.id = p.eventId WHERE p.actorId IN (\(marks))
          ) AS matched
          """, ids + ids + ids
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
        { try reader.events(EventFilter(limit: 50), withReports: true).items.count }
      ),
      (
        "events --actor vladimir-putin", actorSQL(putin),
        { try reader.events(EventFilter(actor: "vladimir-putin", limit: 50), withReports: false).items.count }
      ),
      (
        "events --actor RUS", actorSQL(russia),
        { try reader.events(EventFilter(actor: "RUS", limit: 50), withReports: false).items.count }
      ),
      (
        "timeline --actor vladimir-putin", actorSQL(putin) + [reportsSQL],
        { try reader.events(EventFilter(actor: "vladimir-putin", limit: 50), withReports: true).items.count }
      ),
      (
        "events --from 2025-06-01 --to 2025-06-30", [],
        {
          try reader.events(EventFilter(from: "2025-06-01", to: "2025-06-30", limit: 50), withReports: false).items
            .count
        }
      ),
      (
        "events --cameo 04 --offset 500", [],
        { try reader.events(EventFilter(cameo: "04", limit: 50, offset: 500), withReports: false).items.count }
      ),
      (
        "search \"ceasefire Donetsk\"", [], { try reader.search("ceasefire Donetsk", limit: 20, offset: 0).items.count }
      ),
      ("positions", [], { try reader.positions(planId: nil, negotiation: nil, evidencePerCell: nil).cells.count }),
      ("plans", [], { try reader.plans(negotiation: nil, articlesPerVersion: 20).count }),
      ("status", [], { try reader.overview().events }),
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
      if timing.slow || explain, let store {
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

/// A record the benchmark fills and queries: an SQLite file, or a PostgreSQL database (the
/// command provides that one, with the PostgreSQL trait).
public protocol BenchmarkTarget {
  /// Where the record is, as people are shown it.
  var displayName: String { get }
  /// "sqlite" or "postgresql".
  var backend: String { get }
  /// `count` writers into the record, each with a connection of its own.
  func writers(_ count: Int) throws -> [any ArticleWriter]
  /// The queries the benchmark times.
  var reader: any RecordQuerying { get }
  /// The SQLite store, whose statements' query plans can be shown; nil elsewhere.
  var explainer: RecordStore? { get }
  /// Bytes the record takes: the database, its write-ahead log and shared-memory files.
  func sizes() throws -> (database: Int, wal: Int, shm: Int)
  /// Seconds the writers' transactions waited for a write lock and held it, summed over the
  /// writers; nil where there is no such lock.
  func writeLockSeconds() -> (waited: Double, held: Double)?
}

/// An SQLite record: one writer, the store itself.
public struct SQLiteBenchmarkTarget: BenchmarkTarget {
  public let store: RecordStore
  public init(store: RecordStore) { self.store = store }
  public var displayName: String { store.path }
  public var backend: String { "sqlite" }
  public func writers(_ count: Int) throws -> [any ArticleWriter] {
    guard count == 1 else { throw BenchmarkError.corpus("an SQLite record has one writer") }
    return [store]
  }
  public var reader: any RecordQuerying { store }
  public var explainer: RecordStore? { store }
  public func sizes() throws -> (database: Int, wal: Int, shm: Int) {
    let sizes = store.fileSizes()
    return (sizes.database, sizes.wal, sizes.shm)
  }
  public func writeLockSeconds() -> (waited: Double, held: Double)? { nil }
}

/// Progress of the writers of one run, shared by their threads: articles stored, when each tenth
/// was reached, the writing threads' CPU time per tenth, memory samples.
private final class IngestProgress: Sendable {
  struct State: Sendable {
    var done = 0
    var marks: [(done: Int, at: ContinuousClock.Instant)]
    var writeCPU = Array(repeating: 0.0, count: 10)
    var written = 0
    var rssAfter10Percent = 0
    var rssMaxSampled = 0
    /// Each writer's totals, when it is done.
    var summaries: [IngestSummary] = []
  }
  let state: Mutex<State>
  let tenth: Int
  let started: ContinuousClock.Instant

  init(tenth: Int, started: ContinuousClock.Instant) {
    self.tenth = tenth
    self.started = started
    state = Mutex(State(marks: [(0, started)]))
  }

  var done: Int { state.withLock { $0.done } }

  /// One more article stored (by any writer); the rate per tenth shows whether the cost of an
  /// article grows with the record.
  func article() {
    let now = ContinuousClock.now
    let tenth = self.tenth
    let (done, sample) = state.withLock { s in
      s.done += 1
      if s.done % tenth == 0, s.done / tenth < 10 { s.marks.append((s.done, now)) }
      return (s.done, s.done == tenth || s.done % 500 == 0)
    }
    guard sample else { return }
    let rss = ProcessMemory.currentResidentBytes()
    state.withLock { s in
      if done == tenth { s.rssAfter10Percent = rss }
      s.rssMaxSampled = max(s.rssMaxSampled, rss)
    }
  }

  /// A batch of `count` articles written with `cpu` seconds of its writing thread; it counts in
  /// the tenth its last article falls in. CPU time is steadier than the wall clock on a shared
  /// machine (extraction runs beside the writes on the other cores).
  func batch(_ count: Int, cpu: Double) {
    let tenth = self.tenth
    state.withLock { s in
      s.written += count
      s.writeCPU[min(9, max(0, (s.written - 1) / tenth))] += cpu
    }
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
  /// "sqlite" or "postgresql".
  public var backend = "sqlite"
  /// Writers that ingested at once.
  public var writers = 1
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
  /// PostgreSQL: seconds the writers waited for the write lock, and held it, summed over writers.
  public var writeLockWaitSeconds: Double?
  public var writeLockHeldSeconds: Double?
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
    case queriesOnly, backend, writers, articles, corpusBytes, generateSeconds, read, stored, nearCopies, duplicates,
      failed, seconds
    case articlesPerSecond, firstTenthArticlesPerSecond, lastTenthArticlesPerSecond, tenthsArticlesPerSecond
    case writeCPUMsPerArticle, tenthsWriteCPUMsPerArticle, writeLockWaitSeconds, writeLockHeldSeconds
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
