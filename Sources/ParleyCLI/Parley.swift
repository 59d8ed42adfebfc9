import ArgumentParser

/// The `parley` command: reads negotiation reporting and extracts who did what to whom.
public struct Parley: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "parley",
    abstract: "Rebuild the record of a negotiation from news reports.",
    discussion: """
      Parley reads articles (text, Markdown, HTML, JSON Lines), finds the actors, the outlets they cite, the events (coded in CAMEO), the plans and their provisions, each pointing back to the exact words it came from.
      """,
    version: "0.1.0",
    subcommands: [ExtractCommand.self, BenchCommand.self])

  public init() {}
}
