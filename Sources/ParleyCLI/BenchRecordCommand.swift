import ArgumentParser
import Foundation
import ParleyExtraction
import ParleyStore
import ParleyText

/// `parley bench-record`: ingests a generated corpus into a fresh database and measures
/// throughput, size, memory and the latency of the query commands on the result.
public struct BenchRecordCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "bench-record",
    abstract: "Measure ingest throughput, database size, memory and query latency on a generated corpus.",
    discussion: """
      Writes --articles synthetic news articles (JSON Lines with id, title, published, outlet and text; reporting on several negotiations over two years, with syndicated near-copies and exact duplicates) to a folder, ingests them into a new database with the same code as `parley ingest`, then times the query commands on the full database: each runs --runs times and its median and slowest run are reported; a median over 100 ms is flagged, with the query plan of the statements behind it. Build with -c release for meaningful figures:

        swift build -c release && .build/release/parley bench-record --articles 100000 --db /tmp/bench.sqlite --keep

      Memory is the process's resident set (VmRSS after 10% of the articles and at the end, and the peak VmHWM).
      """)

  @Option(help: "How many articles to generate and ingest.")
  public var articles: Int = 100_000

  @Option(
    help:
      "Folder for the generated corpus, kept and reused by later runs (default: a temporary folder, removed afterwards)."
  )
  public var dir: String?

  @Option(
    name: .customLong("db"),
    help: ArgumentHelp("The database to create; it must not exist yet (default: a temporary file).", valueName: "file"))
  public var database: String?

  @Flag(help: "Keep the database afterwards (a temporary one is removed otherwise).")
  public var keep = false

  @Option(help: "Random seed of the generator, for repeatable corpora.")
  public var seed: UInt64 = 42

  @Option(help: "Runs of each query; the median and the slowest are reported.")
  public var runs: Int = 20

  @Flag(help: "Print the query plan of the timeline and events-by-actor statements even when they are fast.")
  public var explain = false

  @Flag(
    help: "Only time the queries, on the existing database named by --db (for instance one kept by an earlier run).")
  public var queriesOnly = false

  @Flag(help: "Print the result as one JSON object.")
  public var json = false

  public init() {}

  public func validate() throws {
    guard articles > 0 else { throw ValidationError("--articles must be positive.") }
    guard runs > 0 else { throw ValidationError("--runs must be positive.") }
    if queriesOnly {
      guard let database, FileManager.default.fileExists(atPath: database) else {
        throw ValidationError("--queries-only needs --db naming an existing database.")
      }
    } else if let database, FileManager.default.fileExists(atPath: database) {
      throw ValidationError("\(database) exists; the benchmark measures a new database (remove it or choose another).")
    }
  }

  public func run() throws {
    if queriesOnly, let database { return try timeExisting(database) }
    let fm = FileManager.default
    let pid = ProcessInfo.processInfo.processIdentifier
    let folder = dir ?? NSTemporaryDirectory() + "parley-bench-record-\(pid)"
    try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let corpus = (folder as NSString).appendingPathComponent("articles-\(articles)-seed-\(seed).jsonl")
    let dbPath = database ?? NSTemporaryDirectory() + "parley-bench-record-\(pid).sqlite"
    defer {
      if dir == nil { try? fm.removeItem(atPath: folder) }
      if !keep {
        for suffix in ["", "-wal", "-shm"] { try? fm.removeItem(atPath: dbPath + suffix) }
      }
    }

    var result = BenchRecordResult()
    result.articles = articles
    let clock = ContinuousClock()
    if fm.fileExists(atPath: corpus) {
      log("reusing the corpus \(corpus)")
    } else {
      log("generating \(articles) articles into \(corpus)")
      let t = clock.measure { result.corpusBytes = (try? Self.generate(articles, seed: seed, to: corpus)) ?? -1 }
      guard result.corpusBytes >= 0 else { throw ValidationError("cannot write the corpus to \(corpus)") }
      result.generateSeconds = t / .seconds(1)
    }
    result.corpusBytes = ((try? fm.attributesOfItem(atPath: corpus))?[.size] as? NSNumber)?.intValue ?? 0

    let preparer: ArticlePreparer
    do {
      preparer = try ArticlePreparer.bundled()
    } catch {
      StandardStreams.error("parley: error: \(error)")
      throw ExitCode(ExitStatus.dataError)
    }
    let store: RecordStore
    do {
      store = try RecordStore(path: dbPath)
    } catch {
      StandardStreams.error("parley: error: \(error)")
      throw ExitCode(ExitStatus.unavailable)
    }

    // Ingest: the same Ingestor as `parley ingest`, with progress and memory samples.
    log("ingesting into \(dbPath)")
    let tenth = max(1, articles / 10)
    var done = 0
    var lastReport = clock.now
    let started = clock.now
    let summary = Ingestor(store: store, preparer: preparer).run(
      paths: [corpus],
      onArticle: { _, _ in
        done += 1
        if done == tenth { result.rssAfter10PercentBytes = Memory.currentResidentBytes() }
        if done % 500 == 0 {
          result.rssMaxSampledBytes = max(result.rssMaxSampledBytes, Memory.currentResidentBytes())
        }
        let now = clock.now
        if now - lastReport >= .seconds(10) || done == articles {
          lastReport = now
          let elapsed = (now - started) / .seconds(1)
          let rate = Double(done) / max(elapsed, 0.001)
          let eta = Double(articles - done) / max(rate, 0.001)
          log(
            String(
              format: "  %d/%d articles (%.0f%%), %.0f articles/s, RSS %.0f MiB, %.0f s left", done, articles,
              100 * Double(done) / Double(articles), rate, Double(Memory.currentResidentBytes()) / 1_048_576, eta))
        }
      })
    result.seconds = (clock.now - started) / .seconds(1)
    result.rssEndBytes = Memory.currentResidentBytes()
    result.peakRssAfterIngestBytes = Memory.peakResidentBytes()
    result.rssMaxSampledBytes = max(result.rssMaxSampledBytes, result.rssEndBytes)
    result.read = summary.read
    result.stored = summary.new
    result.nearCopies = summary.nearCopies
    result.duplicates = summary.duplicates
    result.failed = summary.failed.count
    result.articlesPerSecond = Double(summary.read) / max(result.seconds, 0.001)
    for f in summary.failed.prefix(5) {
      StandardStreams.error("parley: error: \(f.path)\(f.line.map { ":\($0)" } ?? ""): \(f.reason)")
    }
    try fillRecord(&result, store)
    result.read = summary.read
    result.stored = summary.new
    result.nearCopies = summary.nearCopies

    log("timing queries (\(runs) runs each)")
    result.queries = try timeQueries(store)
    result.peakRssBytes = Memory.peakResidentBytes()
    (result.prepareOnlyArticles, result.prepareOnlyPerSecond) = prepareOnly(corpus, preparer: preparer)
    result.database = keep ? dbPath : nil
    if json {
      try JSONOutput.print(result)
    } else {
      StandardStreams.write(render(result))
    }
  }

  /// The query half of the benchmark on a database that is already filled.
  private func timeExisting(_ path: String) throws {
    let store: RecordStore
    do {
      store = try RecordStore(path: path)
    } catch {
      StandardStreams.error("parley: error: \(error)")
      throw ExitCode(ExitStatus.unavailable)
    }
    var result = BenchRecordResult()
    result.queriesOnly = true
    try fillRecord(&result, store)
    log("timing queries on \(path) (\(runs) runs each)")
    result.queries = try timeQueries(store)
    result.peakRssBytes = Memory.peakResidentBytes()
    result.database = path
    if json { try JSONOutput.print(result) } else { StandardStreams.write(render(result)) }
  }

  private func fillRecord(_ result: inout BenchRecordResult, _ store: RecordStore) throws {
    let sizes = store.fileSizes()
    result.databaseBytes = sizes.database
    result.walBytes = sizes.wal
    result.shmBytes = sizes.shm
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
  private func timeQueries(_ store: RecordStore) throws -> [QueryTiming] {
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
    return (raws.count, Double(raws.count) / max(elapsed / .seconds(1), 0.001))
  }

  // MARK: Output

  private func render(_ r: BenchRecordResult) -> String {
    func mib(_ b: Int) -> String { String(format: "%.1f MiB", Double(b) / 1_048_576) }
    var t = TextTable(["measure", "value"], maxWidth: 100)
    if r.queriesOnly {
      t.add(["articles", "\(r.read) (\(r.nearCopies) near-copies)"])
    } else {
      t.add([
        "articles read",
        "\(r.read) (\(r.stored) new, \(r.nearCopies) near-copies, \(r.duplicates) duplicates, \(r.failed) failed)",
      ])
      t.add(["corpus", String(format: "%.1f MB of JSON Lines", Double(r.corpusBytes) / 1e6)])
      t.add(["ingest time", String(format: "%.1f s", r.seconds)])
      t.add(["throughput", String(format: "%.0f articles/s", r.articlesPerSecond)])
      t.add([
        "extraction alone",
        String(
          format: "%.0f articles/s (first %d articles, all cores, no database)", r.prepareOnlyPerSecond,
          r.prepareOnlyArticles),
      ])
    }
    t.add([
      "database size",
      String(
        format: "%.1f MB (file %.1f MB + wal %.1f MB + shm %.1f MB)",
        Double(r.databaseBytes + r.walBytes + r.shmBytes) / 1e6, Double(r.databaseBytes) / 1e6,
        Double(r.walBytes) / 1e6, Double(r.shmBytes) / 1e6),
    ])
    t.add([
      "record",
      "\(r.events) events from \(r.reports) reports, \(r.actors) actors, \(r.plans) plans with \(r.planVersions) versions, \(r.positions) positions",
    ])
    if !r.queriesOnly {
      t.add(["RSS after 10%", mib(r.rssAfter10PercentBytes)])
      t.add(["RSS at the end", mib(r.rssEndBytes)])
      t.add(["RSS max sampled", mib(r.rssMaxSampledBytes)])
      t.add(["peak RSS after ingest", mib(r.peakRssAfterIngestBytes)])
    }
    t.add(["peak RSS after queries", mib(r.peakRssBytes)])
    if let db = r.database { t.add([r.queriesOnly ? "database" : "database kept", db]) }
    var q = TextTable(["query", "runs", "median ms", "max ms", "first ms", "rows", ""])
    for x in r.queries {
      q.add([
        x.name, "\(x.runs)", String(format: "%.1f", x.medianMs), String(format: "%.1f", x.maxMs),
        String(format: "%.1f", x.firstMs),
        "\(x.rows)", x.slow ? "SLOW (median over 100 ms)" : "",
      ])
    }
    var out = t.render() + "\n" + q.render()
    for x in r.queries where !x.plans.isEmpty {
      out += "\nquery plan of \(x.name):\n"
      for p in x.plans {
        out +=
          "  \(p.statement): \(p.sql.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " "))\n"
        for line in p.plan { out += "    \(line)\n" }
      }
    }
    return out
  }

  private func log(_ s: String) {
    if !json || StandardStreams.stderrIsTerminal { StandardStreams.error(s) }
  }

  /// Writes the corpus as JSON Lines in 1 MiB chunks (constant memory); returns its size.
  static func generate(_ n: Int, seed: UInt64, to path: String) throws -> Int {
    let partial = path + ".partial"
    guard FileManager.default.createFile(atPath: partial, contents: nil),
      let handle = FileHandle(forWritingAtPath: partial)
    else { throw ValidationError("cannot write \(partial)") }
    var generator = ArticleGenerator(seed: seed)
    var buffer = ""
    var bytes = 0
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
    return bytes
  }
}

/// The figures of one `parley bench-record` run (`--json` prints it with snake_case keys).
struct BenchRecordResult: Codable {
  /// Only the queries were timed, on an existing database.
  var queriesOnly = false
  var articles = 0
  var corpusBytes = 0
  var generateSeconds = 0.0
  var read = 0
  var stored = 0
  var nearCopies = 0
  var duplicates = 0
  var failed = 0
  var seconds = 0.0
  var articlesPerSecond = 0.0
  var prepareOnlyArticles = 0
  var prepareOnlyPerSecond = 0.0
  var databaseBytes = 0
  var walBytes = 0
  var shmBytes = 0
  var events = 0
  var reports = 0
  var actors = 0
  var plans = 0
  var planVersions = 0
  var positions = 0
  var rssAfter10PercentBytes = 0
  var rssEndBytes = 0
  var rssMaxSampledBytes = 0
  /// VmHWM when the ingest ends (generation and ingest), before the queries load their results.
  var peakRssAfterIngestBytes = 0
  var peakRssBytes = 0
  var queries: [QueryTiming] = []
  var database: String?
}

/// Latency of one query over repeated runs.
struct QueryTiming: Codable {
  var name: String
  var runs: Int
  var medianMs: Double
  var maxMs: Double
  var firstMs: Double
  var rows: Int
  var slow = false
  var plans: [StatementPlan] = []
}

/// A statement behind a query with its `EXPLAIN QUERY PLAN`.
struct StatementPlan: Codable {
  var statement: String
  var sql: String
  var plan: [String]
}
