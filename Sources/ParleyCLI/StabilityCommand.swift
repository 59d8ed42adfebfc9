import ArgumentParser
import Foundation
import ParleyBenchmarks
import ParleyStrategy

/// `parley stability`: which states of a conflict model can last, for whom, and how the conflict gets there.
public struct StabilityCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "stability",
    abstract: "Analyse a conflict model (GMCR): stable states, equilibria and the evolution from the status quo.",
    discussion: """
      Reads a conflict model in the Graph Model for Conflict Resolution: a gmcr-py save file (.gmcr, JSON) or a YAML file with a top-level conflict: section (a negotiation file or a file of its own; the README shows the layout). For every feasible state it prints the Y/N pattern of the options (option 1 first), each decision maker's rank (1 = most preferred) and the solution concepts under which the state is stable for each of them; then the equilibria (states stable for everyone) and, from the status quo, the shortest paths of unilateral improvements to each equilibrium. States are numbered as gmcr-py numbers them: feasible states in increasing binary value, option 1 the lowest bit.

      Concepts: Nash (no unilateral improvement); GMR (every improvement can be answered by the others with a state no better than the start); SMR (GMR, and the mover cannot escape the answer with a better move); SEQ (GMR with answers made of the others' own improvements); SIM (improvements made at the same time as the others' improvements end no better); SEQ∧SIM (both). Answers are legal sequences of moves by the others, in which one may move several times but never twice in a row. When the model groups decision makers into coalitions, a coalition analysis follows.

      Exit status: 0 success; 1 the model file cannot be read or is invalid (the error names the file, line and JSON path); 64 wrong usage, or a --status-quo that is not a state.

      Examples:
        parley stability elmira.gmcr
        parley stability negotiation.yaml --status-quo NNYN
        parley stability model.gmcr --status-quo 1 --json > analysis.json
        parley stability model.gmcr --save model.yaml    # converts
        parley stability --bench-random 5x12             # times 4,096 states
      """)

  @Argument(help: "The model: a .gmcr file or a .yaml/.yml file with a conflict: section.")
  public var file: String?

  @Option(
    name: .customLong("status-quo"),
    help: ArgumentHelp(
      "The state the conflict is in now, as a state number or a Y/N pattern (option 1 first); overrides the model's status_quo.",
      valueName: "state"))
  public var statusQuo: String?

  @Flag(help: "Print one JSON object: states, equilibria and evolution, with gmcr-py's state numbers.")
  public var json = false

  @Flag(
    name: .customLong("all-states"),
    help: "List every state in the table, not only equilibria and path states, when there are more than 64.")
  public var allStates = false

  @Option(
    name: .customLong("save"),
    help: ArgumentHelp("Also write the model to this file, as .gmcr or .yaml by its extension.", valueName: "file"))
  public var saveTo: String?

  @Option(
    name: .customLong("bench-random"),
    help: ArgumentHelp(
      "Instead of a file, generate a random model of DMSxOPTIONS (e.g. 5x12: 4,096 states), time its full analysis on one core and report peak memory.",
      valueName: "DMSxOPTIONS"))
  public var benchRandom: String?

  @Option(help: "Seed of the random model for --bench-random.")
  public var seed: UInt64 = 1

  public init() {}

  public func validate() throws {
    if let spec = benchRandom {
      guard file == nil else { throw ValidationError("Give a model file or --bench-random, not both.") }
      guard Self.benchShape(spec) != nil else {
        throw ValidationError(
          "--bench-random takes DMSxOPTIONS, e.g. 5x12 (1-20 options, at least one decision maker).")
      }
    } else if file == nil {
      throw ValidationError("Give a model file (.gmcr or .yaml), or --bench-random DMSxOPTIONS.")
    }
  }

  static func benchShape(_ spec: String) -> (dms: Int, options: Int)? {
    let parts = spec.lowercased().split(separator: "x").compactMap { Int($0) }
    guard parts.count == 2, parts[0] >= 1, (1...Conflict.maxOptions).contains(parts[1]) else { return nil }
    return (parts[0], parts[1])
  }

  public func run() throws {
    if let spec = benchRandom, let shape = Self.benchShape(spec) {
      try bench(dms: shape.dms, options: shape.options)
      return
    }
    guard let file else { return }
    let conflict: Conflict
    do {
      conflict = try Self.load(path: file)
    } catch {
      StandardStreams.error("parley: error: \(error)")
      throw ExitCode(1)
    }
    if let saveTo {
      do {
        try Self.save(conflict, to: saveTo)
      } catch {
        StandardStreams.error("parley: error: \(saveTo): cannot be written: \(error)")
        throw ExitCode(1)
      }
    }
    var sq: Int?
    if let statusQuo {
      let graph: GraphModel
      do {
        graph = try conflict.graph()
      } catch {
        StandardStreams.error("parley: error: \(file): \(error)")
        throw ExitCode(1)
      }
      guard let s = graph.state(named: statusQuo) else {
        throw ValidationError(
          "--status-quo \(statusQuo) is not a state of \(file): give 1...\(graph.stateCount) or a feasible Y/N pattern of \(conflict.options.count) letters."
        )
      }
      sq = s
    }
    let report: StabilityReport
    do {
      report = try Self.analyse(conflict, statusQuo: sq)
    } catch {
      StandardStreams.error("parley: error: \(file): \(error)")
      throw ExitCode(1)
    }
    StandardStreams.write(json ? report.json().rendered() + "\n" : StabilityText.render(report, allStates: allStates))
  }

  /// Reads a model by its extension (.gmcr/.json as gmcr-py JSON, .yaml/.yml as YAML) or, failing that, its first
  /// character.
  public static func load(path: String) throws -> Conflict {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw StrategyError(
        file: path, reason: FileManager.default.fileExists(atPath: path) ? "cannot be read" : "no such file")
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw StrategyError(file: path, reason: "is not UTF-8 text")
    }
    let ext = (path as NSString).pathExtension.lowercased()
    let isJSON =
      ["gmcr", "json"].contains(ext)
      || (!["yaml", "yml"].contains(ext) && text.drop { $0.isWhitespace || $0 == "\u{FEFF}" }.first == "{")
    return isJSON ? try GMCRFile.read(json: text, file: path) : try ConflictYAML.read(yaml: text, file: path)
  }

  static func save(_ conflict: Conflict, to path: String) throws {
    let ext = (path as NSString).pathExtension.lowercased()
    let text = ["yaml", "yml"].contains(ext) ? try ConflictYAML.write(conflict) : try GMCRFile.write(conflict)
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
  }

  /// Runs the analysis, showing a progress bar on a terminal once it has taken more than a second.
  static func analyse(_ conflict: Conflict, statusQuo: Int?) throws -> StabilityReport {
    let clock = ContinuousClock()
    let started = clock.now
    var bar: Progress?
    var shown = 0
    return try StabilityReport(
      conflict: conflict, statusQuo: statusQuo,
      progress: { done, total in
        if bar == nil, clock.now - started > .seconds(1) { bar = Progress(total: total, label: "analysis steps") }
        guard let bar else { return }
        while shown < done {
          shown += 1
          bar.advance()
        }
      })
  }

  func bench(dms: Int, options: Int) throws {
    let clock = ContinuousClock()
    let conflict = Conflict.random(decisionMakers: dms, options: options, seed: seed)
    var report: StabilityReport?
    let elapsed = try clock.measure { report = try Self.analyse(conflict, statusQuo: 0) }
    guard let report else { return }
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    let peak = ProcessMemory.peakResidentBytes()
    let counts = SolutionConcept.allCases.map { ($0, report.individual.equilibria($0).count) }
    if json {
      let fields = counts.map { "\"\($0.0.rawValue)\":\($0.1)" }.joined(separator: ",")
      StandardStreams.write(
        "{\"decision_makers\":\(dms),\"options\":\(options),\"states\":\(report.graph.stateCount),\"seed\":\(seed),\"seconds\":\(String(format: "%.3f", seconds)),\"peak_rss_bytes\":\(peak),\"equilibria\":{\(fields)},\"evolution_paths\":\(report.evolution.count)}\n"
      )
    } else {
      var t = TextTable(["measure", "value"])
      t.add(["model", "\(dms) decision makers × \(options) options, random (seed \(seed))"])
      t.add(["states", String(report.graph.stateCount)])
      t.add(["moves", String(report.graph.decisionMakers.reduce(0) { $0 + $1.moveCount })])
      t.add(["analysis (all concepts, one core)", String(format: "%.3f s", seconds)])
      t.add(["peak memory (VmHWM)", String(format: "%.1f MiB", Double(peak) / 1_048_576)])
      for (c, n) in counts { t.add(["\(c.title) equilibria", String(n)]) }
      t.add(["evolution paths from state 1", String(report.evolution.count)])
      StandardStreams.write(t.render())
    }
  }
}

/// The human view of a stability report.
enum StabilityText {
  /// Concepts shown per decision maker; SEQ∧SIM is the two together, so it is left to the equilibria list.
  static let shown: [SolutionConcept] = [.nash, .gmr, .smr, .seq, .sim]

  static func names(_ c: Concepts, among: [SolutionConcept] = shown) -> String {
    let list = among.filter { c.contains($0) }.map(\.title)
    return list.isEmpty ? "-" : list.joined(separator: " ")
  }

  static func render(_ r: StabilityReport, allStates: Bool) -> String {
    let g = r.graph
    let dms = g.decisionMakers
    var out = ""
    if let title = r.conflict.title { out += "\(title)\n" }
    out += "\(g.stateCount) feasible states, \(dms.count) decision makers.\nOptions (Y/N patterns in this order): "
    out +=
      r.conflict.options.enumerated().map { k, o in
        "\(k + 1) \(o.name) (\(r.conflict.decisionMakers[o.owner].name)\(o.direction == .both ? "" : ", \(o.direction.rawValue) only"))"
      }.joined(separator: "; ") + "\n\n"
    let onPath = Set(r.evolution.flatMap(\.states))
    let wanted = (0..<g.stateCount).filter { s in
      allStates || g.stateCount <= 64 || !r.individual.equilibriumConcepts(s).isEmpty || onPath.contains(s)
    }
    var t = TextTable(
      ["state", "pattern"] + dms.map { "rank \($0.name)" } + dms.map { "stable for \($0.name)" } + ["equilibrium"],
      maxWidth: 40)
    let ranks = dms.map(\.ranks)
    for s in wanted {
      t.add(
        [String(s + 1) + (s == r.statusQuo ? "*" : ""), g.labels[s]] + ranks.map { String($0[s]) }
          + r.individual.stability.map { names($0[s]) } + [names(r.individual.equilibriumConcepts(s))])
    }
    out += t.render()
    if wanted.count < g.stateCount {
      out +=
        "(\(g.stateCount - wanted.count) states that are no equilibrium and on no path are not listed; --all-states lists them)\n"
    }
    if r.statusQuo != nil { out += "* the status quo\n" }
    out += "\nEquilibria (stable for every decision maker)\n"
    out += equilibria(r.individual, g)
    if let c = r.coalition {
      out += "\nCoalition analysis (players: \(c.players.map(\.name).joined(separator: "; ")))\n"
      out += equilibria(c, g)
    }
    if let sq = r.statusQuo {
      out += "\nEvolution from the status quo, state \(sq + 1) (\(g.labels[sq])), by unilateral improvements\n"
      if r.evolution.isEmpty { out += "  no equilibrium is reachable\n" }
      for p in r.evolution {
        var line =
          "  to \(p.target + 1) \(g.labels[p.target]) [\(names(p.concepts, among: SolutionConcept.allCases))]: "
        if p.states.count == 1 {
          line += "the status quo is itself an equilibrium"
        } else {
          line += "\(sq + 1) \(g.labels[sq])"
          for (i, s) in p.states.dropFirst().enumerated() {
            line += " → \(s + 1) \(g.labels[s]) (\(r.individual.players[p.movers[i]].name))"
          }
        }
        out += line + "\n"
      }
    }
    return out
  }

  static func equilibria(_ a: StabilityAnalysis, _ g: GraphModel) -> String {
    var out = ""
    for c in SolutionConcept.allCases {
      let states = a.equilibria(c)
      let shown = states.prefix(40).map { "\($0 + 1) \(g.labels[$0])" }.joined(separator: ", ")
      let more = states.count > 40 ? ", ... (\(states.count) in all)" : ""
      let title = c.title.padding(toLength: 8, withPad: " ", startingAt: 0)
      out += "  \(title) \(states.isEmpty ? "none" : shown + more)\n"
    }
    return out
  }
}
