import ArgumentParser
import Foundation
import ParleyBenchmarks
import ParleyStore

#if PostgreSQL
  import ParleyPostgres
#endif

/// `parley bench-record`: ingests a generated corpus into a fresh database and measures
/// throughput, size, memory and the latency of the query commands on the result.
public struct BenchRecordCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "bench-record",
    abstract: "Measure ingest throughput, database size, memory and query latency on a generated corpus.",
    discussion: """
      Writes --articles synthetic news articles (JSON Lines with id, title, published, outlet and text; reporting on several negotiations over two years, with syndicated near-copies and exact duplicates) to a folder, ingests them into a new database with the same code as `parley ingest`, then times the query commands on the full database: each runs --runs times and its median and slowest run are reported; a median over 100 ms is flagged, with the query plan of the statements behind it. Build with -c release for meaningful figures:

        swift build -c release && .build/release/parley bench-record --articles 100000 --db /tmp/bench.sqlite --keep

      On PostgreSQL (a build with --traits PostgreSQL), --db names an empty database, which is kept, and --writers N ingests with N writers at once, each with its own connection and every N-th article, as N `parley ingest` processes on N machines would:

        .build/release/parley bench-record --articles 10000 --db postgresql://parley@db/bench --writers 2

      Throughput is reported overall, for the first and the last tenth of the articles and for every tenth (JSON: articles_per_second, first_tenth_articles_per_second, last_tenth_articles_per_second, tenths_articles_per_second), beside extraction alone with no database (prepare_only_per_second) and the CPU time of the writing thread per article (write_cpu_ms_per_article, tenths_write_cpu_ms_per_article: the writes and merges alone). Memory is the process's resident set (VmRSS after 10% of the articles and at the end, and the peak VmHWM); the database size counts its WAL and shared-memory files (PostgreSQL: pg_database_size).
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
    help: ArgumentHelp(
      "The database to create; it must not exist yet (default: a temporary file). With the PostgreSQL build, a postgresql://USER@HOST[:PORT]/DB URL naming an empty database.",
      valueName: "file-or-url"))
  public var database: String?

  @Option(
    name: .customLong("password-file"),
    help: ArgumentHelp(
      "For a PostgreSQL --db: a file whose first line is the password; else PGPASSWORD, else PGPASSFILE or ~/.pgpass.",
      valueName: "file"))
  public var passwordFile: String?

  @Option(help: "Writers ingesting at once, each with its own connection and every N-th article (PostgreSQL only).")
  public var writers: Int = 1

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
    guard writers > 0 else { throw ValidationError("--writers must be positive.") }
    if let database, PostgresSettings.isURL(database) { return }
    guard writers == 1 else {
      throw ValidationError("--writers above 1 needs a PostgreSQL --db (SQLite has one writer).")
    }
    if queriesOnly {
      guard let database, FileManager.default.fileExists(atPath: database) else {
        throw ValidationError("--queries-only needs --db naming an existing database.")
      }
    } else if let database, FileManager.default.fileExists(atPath: database) {
      throw ValidationError("\(database) exists; the benchmark measures a new database (remove it or choose another).")
    }
  }

  public func run() throws {
    var benchmark = RecordBenchmark()
    benchmark.articles = articles
    benchmark.directory = dir
    benchmark.database = database
    benchmark.keep = keep
    benchmark.seed = seed
    benchmark.runs = runs
    benchmark.explain = explain
    benchmark.writers = writers
    let result: RecordBenchmarkResult
    do {
      if let database, PostgresSettings.isURL(database) {
        result = try runOnPostgres(benchmark, url: database)
      } else if queriesOnly, let database {
        result = try benchmark.timeQueries(onDatabase: database, log: log)
      } else {
        result = try benchmark.run(log: log)
      }
    } catch RecordBenchmarkError.data(let error) {
      StandardStreams.error("parley: error: \(error)")
      throw ExitCode(ExitStatus.dataError)
    } catch RecordBenchmarkError.database(let error) {
      StandardStreams.error("parley: error: \(error)")
      throw ExitCode(ExitStatus.unavailable)
    } catch BenchmarkError.corpus(let message) {
      throw ValidationError(message)
    } catch let error as BenchmarkError {
      StandardStreams.error("parley: error: \(error)")
      throw ExitCode(ExitStatus.dataError)
    }
    for failure in result.failures { StandardStreams.error("parley: error: \(failure)") }
    if json {
      try JSONOutput.print(result)
    } else {
      StandardStreams.write(render(result))
    }
  }

  /// The benchmark on a PostgreSQL database: it must hold no article yet (unless only the
  /// queries are timed); it is kept.
  private func runOnPostgres(_ benchmark: RecordBenchmark, url: String) throws -> RecordBenchmarkResult {
    #if PostgreSQL
      let target: PostgresBenchmarkTarget
      do {
        guard case .postgres(let unresolved) = try DatabaseLocation.parse(url) else { throw ExitCode(ExitStatus.usage) }
        let settings = try unresolved.resolvingPassword(passwordFile: passwordFile)
        target = try Blocking.run { try await PostgresBenchmarkTarget.connect(settings) }
      } catch {
        StandardStreams.error("parley: error: \(error)")
        throw ExitCode(ExitStatus.unavailable)
      }
      defer { target.close() }
      if queriesOnly {
        var result = try benchmark.timeQueries(on: target, log: log)
        result.database = target.displayName
        return result
      }
      let stored = try target.reader.overview().articles
      guard stored == 0 else {
        StandardStreams.error(
          "parley: error: \(target.displayName) already holds \(stored) articles; the benchmark measures a new record (give it an empty database)"
        )
        throw ExitCode(ExitStatus.usage)
      }
      var result = try benchmark.run(into: target, log: log)
      result.database = target.displayName
      return result
    #else
      StandardStreams.error(
        "parley: error: this parley was built without PostgreSQL support; build it with `swift build --traits PostgreSQL`"
      )
      throw ExitCode(ExitStatus.unavailable)
    #endif
  }

  // MARK: Output

  private func render(_ r: RecordBenchmarkResult) -> String {
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
        "first / last tenth",
        String(
          format: "%.0f / %.0f articles/s (last tenth at %.0f%% of the first)", r.firstTenthArticlesPerSecond,
          r.lastTenthArticlesPerSecond, 100 * r.lastTenthArticlesPerSecond / max(r.firstTenthArticlesPerSecond, 0.001)),
      ])
      // Every tenth, so that a long run shows where it slowed, not only its two ends.
      t.add([
        "tenths",
        r.tenthsArticlesPerSecond.map { String(format: "%.0f", $0) }.joined(separator: ", ") + " articles/s",
      ])
      t.add([
        "writing (CPU) per tenth",
        r.tenthsWriteCPUMsPerArticle.map { String(format: "%.2f", $0) }.joined(separator: ", ") + " ms per article",
      ])
      t.add([
        "writing (CPU)",
        String(
          format: "%.2f ms per article; first / last tenth %.2f / %.2f ms", r.writeCPUMsPerArticle,
          r.tenthsWriteCPUMsPerArticle.first ?? 0, r.tenthsWriteCPUMsPerArticle.last ?? 0),
      ])
      t.add([
        "extraction alone",
        String(
          format: "%.0f articles/s (first %d articles, all cores, no database)", r.prepareOnlyPerSecond,
          r.prepareOnlyArticles),
      ])
    }
    if r.writers > 1 { t.add(["writers", "\(r.writers) at once, each with its own connection"]) }
    if let held = r.writeLockHeldSeconds, let waited = r.writeLockWaitSeconds {
      t.add([
        "write lock",
        String(
          format: "held %.1f s (%.0f%% of the ingest time), waited for %.1f s (summed over writers)", held,
          100 * held / max(r.seconds, 0.001), waited),
      ])
    }
    t.add([
      "database size",
      r.backend == "sqlite"
        ? String(
          format: "%.1f MB (file %.1f MB + wal %.1f MB + shm %.1f MB)",
          Double(r.databaseTotalBytes) / 1e6, Double(r.databaseBytes) / 1e6,
          Double(r.walBytes) / 1e6, Double(r.shmBytes) / 1e6)
        : String(format: "%.1f MB (pg_database_size)", Double(r.databaseTotalBytes) / 1e6),
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
}
