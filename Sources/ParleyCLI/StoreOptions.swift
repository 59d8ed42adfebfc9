import ArgumentParser
import Foundation
import ParleyExtraction
import ParleyRecord
import ParleyStore

#if PostgreSQL
  import ParleyPostgres
#endif

/// Where the record lives: `--db`, else `PARLEY_DB`, else `parley.sqlite` in the current folder.
/// A `postgresql://` URL names a PostgreSQL record, which `ingest` and `serve` write, every read
/// command reads, and `copy` reads and writes.
public struct StoreOptions: ParsableArguments {
  @Option(
    name: .customLong("db"),
    help: ArgumentHelp(
      "The record database: an SQLite file, or a postgresql://USER@HOST[:PORT]/DB URL (with the PostgreSQL build, where every command that reads or writes the record runs on it). Default: $PARLEY_DB, else parley.sqlite in the current folder.",
      valueName: "file-or-url"))
  public var database: String?

  @Option(
    name: .customLong("password-file"),
    help: ArgumentHelp(
      "For a PostgreSQL --db: a file whose first line is the password (readable by you only); else PGPASSWORD, else PGPASSFILE or ~/.pgpass.",
      valueName: "file"))
  public var passwordFile: String?

  public init() {}

  public var path: String { RecordStore.defaultPath(database) }

  /// The SQLite file this command works on. A PostgreSQL URL stops a command that reads SQLite
  /// only with a message, rather than creating a file called `postgresql:`.
  func sqlitePath() throws -> String {
    switch try StoreOptions.location(database) {
    case .sqlite(let path):
      return path
    case .postgres(let settings):
      StandardStreams.error(
        "parley: error: \(settings.displayURL): this command does not run on PostgreSQL yet; "
          + "`parley copy --from \(settings.displayURL) --to parley.sqlite` gives an SQLite copy that every command reads"
      )
      throw ExitCode(ExitStatus.unavailable)
    }
  }

  /// Resolves `--db`/`PARLEY_DB`; a PostgreSQL URL that cannot be used (a password in it, no
  /// database name) is a usage error.
  static func location(_ value: String?) throws -> DatabaseLocation {
    do {
      return try DatabaseLocation.resolve(value)
    } catch {
      StandardStreams.error("parley: error: \(error)")
      throw ExitCode(ExitStatus.usage)
    }
  }

  /// The record `parley ingest` writes into, with what ends its connection: the SQLite file, or
  /// the PostgreSQL database (connected, its schema brought up to date). A database that cannot
  /// be reached or used stops the command with one line and exit status 4.
  func openWriter() throws -> (writer: any ArticleWriter, close: () -> Void) {
    switch try StoreOptions.location(database) {
    case .sqlite:
      return (try open(forWriting: true), {})
    case .postgres(let unresolved):
      #if PostgreSQL
        let writer = try connect(unresolved) { try await PostgresArticleWriter.connect($0) }
        return (writer, { _ = try? Blocking.run { await writer.close() } })
      #else
        throw Self.withoutPostgres(unresolved)
      #endif
    }
  }

  /// The record the read commands read, on either backend, with what ends its connection.
  func openReader() throws -> (reader: any RecordQuerying, close: () -> Void) {
    switch try StoreOptions.location(database) {
    case .sqlite:
      return (try open(), {})
    case .postgres(let unresolved):
      #if PostgreSQL
        let reader = try connect(unresolved) { try await PostgresRecordReader.connect($0) }
        return (reader, { _ = try? Blocking.run { await reader.close() } })
      #else
        throw Self.withoutPostgres(unresolved)
      #endif
    }
  }

  #if PostgreSQL
    /// Connects to the PostgreSQL record with the password resolved; a server that cannot be
    /// reached or used is one line and exit status 4.
    private func connect<T: Sendable>(
      _ unresolved: PostgresSettings, _ open: @escaping @Sendable (PostgresSettings) async throws -> T
    ) throws -> T {
      do {
        let settings = try unresolved.resolvingPassword(passwordFile: passwordFile)
        // The command's main thread may wait: it is neither a task nor an event loop.
        return try Blocking.run { try await open(settings) }
      } catch {
        StandardStreams.error("parley: error: \(error)")
        throw ExitCode(ExitStatus.unavailable)
      }
    }

    /// As `connect(_:_:)`, for an asynchronous command (`serve`), which must not block its task.
    func connect<T: Sendable>(
      _ unresolved: PostgresSettings, _ open: @Sendable (PostgresSettings) async throws -> T
    ) async throws -> T {
      do {
        return try await open(try unresolved.resolvingPassword(passwordFile: passwordFile))
      } catch {
        StandardStreams.error("parley: error: \(error)")
        throw ExitCode(ExitStatus.unavailable)
      }
    }
  #else
    /// A PostgreSQL URL given to a build without the trait: one line and exit status 4.
    static func withoutPostgres(_ unresolved: PostgresSettings) -> ExitCode {
      StandardStreams.error(
        "parley: error: \(unresolved.displayURL): this parley was built without PostgreSQL support; build it with "
          + "`swift build --traits PostgreSQL`")
      return ExitCode(ExitStatus.unavailable)
    }
  #endif

  /// Opens the database; a query on a database that does not exist says so instead of creating one.
  func open(forWriting: Bool = false) throws -> RecordStore {
    let path = try sqlitePath()
    if !forWriting, !FileManager.default.fileExists(atPath: path) {
      StandardStreams.error(
        "parley: error: \(path): no such database; create it with `parley ingest --db \(path) ARTICLES...`")
      throw ExitCode(ExitStatus.unavailable)
    }
    do {
      return try RecordStore(path: path)
    } catch {
      StandardStreams.error("parley: error: \(error)")
      throw ExitCode(ExitStatus.unavailable)
    }
  }
}

/// The user's knowledge-base files (`--kb FILE`, repeatable), read after the bundled knowledge base
/// by every command that extracts: `extract`, `ingest` and `serve` (for `--ingest` and uploads).
public struct KnowledgeFileOptions: ParsableArguments {
  @Option(
    name: .customLong("kb"),
    help: ArgumentHelp(
      "A knowledge-base file to add (JSON, same layout as the bundled kb/*.json). Repeatable.", valueName: "file"))
  public var files: [String] = []

  @Option(
    name: .customLong("lexicon"),
    help: ArgumentHelp(
      "A CAMEO lexicon file to add (JSON, same layout as the bundled lexicon/cameo-verbs.json: object_classes, verbs, nouns). Repeatable.",
      valueName: "file"))
  public var lexicons: [String] = []

  public init() {}

  /// The files as the pipeline factory takes them.
  public var options: KnowledgeOptions { KnowledgeOptions(paths: files, lexiconPaths: lexicons) }

  /// The ingest pipeline with these files; exit status 3 when the data or a file cannot be loaded.
  func preparer() throws -> ArticlePreparer {
    do {
      return try IngestPipeline.preparer(options)
    } catch {
      StandardStreams.error("parley: error: \(error)")
      throw ExitCode(ExitStatus.dataError)
    }
  }

  /// The extractor of that pipeline, for commands that store nothing.
  func extractor() throws -> Extractor { try preparer().extractor }
}

/// `--json` for machines, tables for people.
public struct OutputOptions: ParsableArguments {
  @Flag(help: "Print JSON (one document, snake_case keys) instead of a table.")
  public var json = false
  public init() {}
}

/// An optional analyst's negotiation file (YAML): parties, red lines, plan texts.
public struct NegotiationOptions: ParsableArguments {
  @Option(
    name: .customLong("negotiation"),
    help: ArgumentHelp(
      "An analyst's negotiation file (YAML) with parties, red lines and plan texts to merge with the reporting.",
      valueName: "file"))
  public var file: String?
  public init() {}

  func load() throws -> NegotiationFile? {
    guard let file else { return nil }
    do {
      return try NegotiationFile.load(path: file)
    } catch {
      StandardStreams.error("parley: error: \(error)")
      throw ExitCode(ExitStatus.dataError)
    }
  }
}

/// Exit statuses shared by every command (documented in `parley --help`).
public enum ExitStatus {
  /// Some inputs could not be read or stored; the rest were.
  public static let inputFailed: Int32 = 1
  /// Parley's own data, a --kb file or a negotiation file cannot be loaded.
  public static let dataError: Int32 = 3
  /// The database cannot be opened or written.
  public static let unavailable: Int32 = 4
  /// The article, actor, event or plan asked for does not exist.
  public static let notFound: Int32 = 5
  /// A command line that cannot be used (swift-argument-parser's own usage errors exit so too).
  public static let usage: Int32 = 64
}

enum JSONOutput {
  static func print<T: Encodable>(_ value: T) throws {
    let encoder = JSONEncoder()
    encoder.keyEncodingStrategy = .convertToSnakeCase
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    StandardStreams.write(String(decoding: try encoder.encode(value), as: UTF8.self) + "\n")
  }

  static func line<T: Encodable>(_ value: T) throws -> String {
    let encoder = JSONEncoder()
    encoder.keyEncodingStrategy = .convertToSnakeCase
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(value), as: UTF8.self)
  }
}

extension Optional where Wrapped == String {
  /// A cell for a table: the value or an en dash.
  var cell: String { self ?? "–" }
}
