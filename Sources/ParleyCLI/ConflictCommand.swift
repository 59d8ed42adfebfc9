import ArgumentParser
import Foundation
import ParleyStore
import ParleyStrategy

/// `parley conflict`: conflict models (GMCR) made from the record.
public struct ConflictCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "conflict",
    abstract: "Work with conflict models (GMCR) made from the record; `parley stability` analyses them.",
    subcommands: [ConflictDraftCommand.self])

  public init() {}
}

/// `parley conflict draft`: a starting `conflict:` YAML model from the record's positions, for the analyst to edit.
public struct ConflictDraftCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "draft",
    abstract:
      "Write a starting conflict model (YAML) from the record: parties, contested terms, suggested preferences.",
    discussion: """
      The parties with a stance on the chosen issues become decision makers. The options are the most contested issues (provision categories such as territory): first those some party demands, proposes or accepts and another rejects or draws a red line on, then those most parties and reports take a stance on, at most --max-options of them (6 gives at most 64 states). Each option is controlled by the party the plan's terms on it bind (their appliesTo), else by the party that rejects it, else by the first party with a stance. A party that demands, proposes or accepts a term prefers it (- option); one that rejects it or draws a red line prefers its absence (- not option); red lines first, then demands, rejections, proposals and acceptances. Every option and preference carries its evidence (the sentence and its article) as a YAML comment. The status quo is no term in force.

      The draft is a guess: edit it (owners, the order of preferences, infeasible combinations), then analyse it with `parley stability FILE`, which reads the draft as it is.

      Exit status: 0 success; 1 the draft cannot be written to --out; 3 the negotiation file cannot be loaded; 4 the database cannot be opened; 5 no such plan, or no demand, proposal, rejection or red line to model.

      Examples:
        parley conflict draft --plan 1 --out peace-plan.yaml && parley stability peace-plan.yaml
        parley conflict draft --negotiation Examples/negotiation.yaml
      """)

  @OptionGroup public var store: StoreOptions
  @OptionGroup public var negotiation: NegotiationOptions

  @Option(help: "Draft from the positions on this plan's provisions (default: every position in the record).")
  public var plan: Int64?

  @Option(help: ArgumentHelp("Write the model to this file instead of standard output.", valueName: "file"))
  public var out: String?

  @Option(
    name: .customLong("max-options"),
    help: "At most this many options (issues); a model of n options has up to 2^n states.")
  public var maxOptions: Int = ConflictDraft.defaultMaxOptions

  public init() {}

  public func validate() throws {
    guard (1...ConflictDraft.maxOptionsLimit).contains(maxOptions) else {
      throw ValidationError("--max-options must be between 1 and \(ConflictDraft.maxOptionsLimit).")
    }
  }

  public func run() throws {
    let stated = try negotiation.load()
    let (db, close) = try store.openReader()
    defer { close() }
    let draft: ConflictDraft
    do {
      guard let made = try query({ try db.conflictDraft(planId: plan, negotiation: stated, maxOptions: maxOptions) })
      else {
        StandardStreams.error(
          "parley: error: no plan \(plan.map(String.init) ?? "") in \(db.displayName); `parley plans` lists them")
        throw ExitCode(ExitStatus.notFound)
      }
      draft = made
    } catch let error as StrategyError {
      StandardStreams.error("parley: error: \(error)")
      throw ExitCode(ExitStatus.notFound)
    }
    let text = draft.yaml
    // The promise is that `parley stability` reads the draft unedited: check it here rather than leave the
    // analyst with a file that does not load.
    _ = try ConflictYAML.read(yaml: text, file: out ?? "the draft")
    guard let out else {
      StandardStreams.write(text)
      return
    }
    do {
      try Data(text.utf8).write(to: URL(fileURLWithPath: out))
    } catch {
      StandardStreams.error("parley: error: \(out): cannot be written: \(error)")
      throw ExitCode(ExitStatus.inputFailed)
    }
    StandardStreams.error(
      "parley: wrote \(out): \(draft.parties.count) decision makers, \(draft.options.count) options; next: parley stability \(out)"
    )
  }
}
