import ArgumentParser

/// The `parley` command: reads negotiation reporting and extracts who did what to whom.
@available(macOS 10.15, macCatalyst 13, iOS 13, tvOS 13, watchOS 6, *)
public struct Parley: AsyncParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "parley",
    abstract: "Rebuild the record of a negotiation from news reports.",
    discussion: """
      Parley reads articles (text, Markdown, HTML, JSON Lines), finds the actors, the outlets they cite, the events (coded in CAMEO), the plans and their provisions, each pointing back to the exact words it came from. `extract` prints that per article; `ingest` records it in a database that merges what many articles report, and the other commands query that record.

      Start with:
        parley ingest Examples/articles      # creates parley.sqlite here
        parley timeline
        parley positions --evidence

      The record is an SQLite file (--db FILE, else $PARLEY_DB, else parley.sqlite), or, in a build with the PostgreSQL trait, a PostgreSQL database (--db postgresql://USER@HOST[:PORT]/DB; the password from --password-file, PGPASSWORD or ~/.pgpass). Every command runs on either; on PostgreSQL several `parley ingest` processes may write at once, and `copy` moves a record between SQLite and PostgreSQL.

      Exit status: 0 success; 1 some inputs could not be read or stored (the rest were); 3 Parley's data, a --kb file or a negotiation file cannot be loaded; 4 the database cannot be opened or written; 5 the item asked for does not exist; 64 wrong usage.
      """,
    version: "0.1.0",
    subcommands: [
      ExtractCommand.self, IngestCommand.self, StatusCommand.self, ArticlesCommand.self, ActorsCommand.self,
      EventsCommand.self, TimelineCommand.self, PlansCommand.self, DiffCommand.self, PositionsCommand.self,
      SourcesCommand.self, SearchCommand.self, ExportCommand.self, BenchCommand.self, BenchRecordCommand.self,
      ServeCommand.self, ParseCommand.self, EvaluateSyntaxCommand.self, TrainSyntaxCommand.self, StabilityCommand.self,
      ConflictCommand.self, CopyCommand.self,
    ])

  public init() {}
}

extension Parley {
  /// Parses `arguments` and runs the command they name, synchronously (tests, embedding). The
  /// executable uses the async entry point instead, which `serve` needs.
  public static func runSynchronously(_ arguments: [String]) {
    do {
      var command = try parseAsRoot(arguments)
      try command.run()
    } catch {
      exit(withError: error)
    }
  }
}
