import ArgumentParser
import Foundation
import ParleyStore
import ParleyText

/// `parley ingest`: articles into the record, merged with what it already holds.
public struct IngestCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "ingest",
    abstract: "Add articles to the record database, merging events, actors and plans across articles.",
    discussion: """
      Reads .txt, .md, .html/.htm and .jsonl files and folders of them, extracts the articles on every core, and stores them in input order, a batch of articles per transaction (each article is stored whole or not at all): killing the process at any moment leaves a consistent database, and running the same command again finishes the rest. An article whose text is already stored is skipped (ingest is idempotent); a near-copy of a stored article (a syndicated or lightly edited version) is stored and linked to it, and does not count as an independent source.

      Several processes may ingest into the same database at once, on one machine into an SQLite file, or on many into a PostgreSQL database (--db postgresql://USER@HOST[:PORT]/DB, built with the PostgreSQL trait; the password from --password-file, PGPASSWORD or a password file, never the URL).

      Exit status: 0 when every input was stored, 1 when some inputs failed (listed at the end with their reasons), 3 when Parley's data or a --kb file cannot be loaded, 4 when the database cannot be opened or written.

      Examples:
        parley ingest Examples/articles
        parley ingest --db talks.sqlite feeds/*.jsonl
        PGPASSWORD=... parley ingest --db postgresql://parley@db.example.org/negotiations feeds/
      """)

  @OptionGroup public var store: StoreOptions

  @Argument(help: "Article files or folders.")
  public var paths: [String]

  @OptionGroup public var knowledge: KnowledgeFileOptions

  @Option(
    name: .customLong("max-article-mib"),
    help: "Largest article accepted, in MiB; larger ones are reported and skipped.")
  public var maxArticleMiB: Int = 16

  @Option(
    name: .customLong("batch-size"),
    help:
      "Articles per transaction (default 64). Larger batches write faster; a kill loses at most one batch, which the next run stores again."
  )
  public var batchSize: Int = 64

  @Flag(help: "Print the summary as JSON.")
  public var json = false

  @Flag(name: .shortAndLong, help: "Print one line per article even on a terminal.")
  public var verbose = false

  public init() {}

  public func validate() throws {
    guard !paths.isEmpty else { throw ValidationError("Give at least one article file or folder.") }
    guard maxArticleMiB > 0 else { throw ValidationError("--max-article-mib must be positive.") }
    guard batchSize > 0 else { throw ValidationError("--batch-size must be positive.") }
  }

  public func run() throws {
    let preparer = try knowledge.preparer()
    let (db, close) = try store.openWriter()
    defer { close() }
    var ingestor = Ingestor(writer: db, preparer: preparer, reader: ArticleReader(maxArticleBytes: maxArticleMiB << 20))
    ingestor.batchSize = batchSize
    // A bar on a terminal; plain log lines when the output goes to a file or a CI log.
    let bar = StandardStreams.stderrIsTerminal && !verbose
    var progress: Progress?
    var databaseFailed: StoreError?
    let clock = ContinuousClock()
    let started = clock.now
    let summary = ingestor.run(
      paths: paths,
      onFileCount: { n in if bar { progress = Progress(total: n, label: "files") } },
      onArticle: { path, outcome in
        if case .failure(let error) = outcome, databaseFailed == nil { databaseFailed = error }
        let name = (path as NSString).lastPathComponent
        if bar {
          progress?.advance(name)
        } else {
          switch outcome {
          case .success(.new(let id, nil)): StandardStreams.error("stored \(path) as article \(id)")
          case .success(.new(let id, let copy?)):
            StandardStreams.error("stored \(path) as article \(id), a near-copy of article \(copy)")
          case .success(.duplicate(let id)): StandardStreams.error("skipped \(path): already stored as article \(id)")
          case .failure(let e): StandardStreams.error("failed \(path): \(e.reason)")
          }
        }
      })
    let seconds = (clock.now - started) / .seconds(1)
    if json {
      try JSONOutput.print(summary)
    } else {
      var table = TextTable(["read", "new", "near-copies", "duplicates", "failed", "seconds"])
      table.add([
        "\(summary.read)", "\(summary.new)", "\(summary.nearCopies)", "\(summary.duplicates)",
        "\(summary.failed.count)",
        String(format: "%.1f", seconds),
      ])
      StandardStreams.error(table.render() + "database: \(db.displayName)")
    }
    for f in summary.failed {
      StandardStreams.error("parley: error: \(f.path)\(f.line.map { ":\($0)" } ?? ""): \(f.reason)")
    }
    // A database that refused a write outranks unreadable inputs: nothing after it was stored.
    if let databaseFailed {
      StandardStreams.error(
        "parley: error: \(db.displayName): \(databaseFailed.reason); the articles stored before stay, "
          + "run the same command again to store the rest")
      throw ExitCode(ExitStatus.unavailable)
    }
    if !summary.failed.isEmpty { throw ExitCode(ExitStatus.inputFailed) }
  }
}
