import Foundation
import ParleyStore
import ParleyStrategy

/// A conflict model the server shows (from `parley serve --conflict FILE`), analysed once when it is loaded.
public struct ConflictModel: Sendable {
  /// What the pages call it: the file name.
  public let name: String
  public let report: StabilityReport

  /// Analyses `conflict`; throws when the model is inconsistent.
  public init(name: String, conflict: Conflict) throws {
    self.name = name
    report = try StabilityReport(conflict: conflict)
  }
}

struct ConflictOptionView {
  var number: Int
  var name: String
  var ownerName: String
  var colorClass: String
  var directionText: String
  var hasDirection: Bool
  var description: String
  var hasDescription: Bool
}

struct ConflictMakerView {
  var name: String
  var colorClass: String
  var preferences: [String]
  var hasPreferences: Bool
  var rankingText: String
}

struct StateRowView {
  var number: Int
  var pattern: String
  var isStatusQuo: Bool
  var isEquilibrium: Bool
  var cells: [String]
  var equilibriumText: String
}

struct ConceptLineView {
  var concept: String
  var definition: String
  var statesText: String
}

struct PathStepView {
  var number: Int
  var pattern: String
  var hasMover: Bool
  var mover: String
  var colorClass: String
}

struct EvolutionPathView {
  var targetNumber: Int
  var targetPattern: String
  var conceptsText: String
  var steps: [PathStepView]
  var isStatusQuo: Bool
}

struct ConflictPageView {
  var chrome: Chrome
  var heading: String
  var lede: String
  var hasOrigin: Bool
  var originText: String
  var originHref: String
  var hasYAML: Bool
  var yamlHref: String
  var options: [ConflictOptionView]
  var makers: [ConflictMakerView]
  var hasGraph: Bool
  var graph: StateGraphModel
  var graphNote: String
  var columns: [String]
  var rows: [StateRowView]
  var hasTableNote: Bool
  var tableNote: String
  var equilibria: [ConceptLineView]
  var hasCoalitions: Bool
  var coalitionPlayers: String
  var coalitionEquilibria: [ConceptLineView]
  var hasStatusQuo: Bool
  var statusQuoText: String
  var paths: [EvolutionPathView]
  var hasPaths: Bool
}

struct ConflictListLine {
  var href: String
  var name: String
  var title: String
  var summary: String
}

struct ConflictsView {
  var chrome: Chrome
  var models: [ConflictListLine]
  var hasModels: Bool
}

extension PageRenderer {
  /// `/conflicts`: the models given with `--conflict`.
  public func conflictList() throws -> String {
    let lines = conflicts.enumerated().map { i, m in
      ConflictListLine(
        href: "/conflicts/\(i + 1)", name: m.name, title: m.report.conflict.title ?? m.name,
        summary: Self.summary(m.report))
    }
    return try render(
      "conflicts", ConflictsView(chrome: Chrome(title: "Conflict models"), models: lines, hasModels: !lines.isEmpty))
  }

  /// `/conflicts/{n}` (1-based): one model given with `--conflict`; nil when there is no such model.
  public func conflict(number: Int) throws -> String? {
    guard conflicts.indices.contains(number - 1) else { return nil }
    let model = conflicts[number - 1]
    return try conflictPage(
      model.report, origin: (text: "from the file \(model.name)", href: "/conflicts"), yamlHref: nil)
  }

  /// `/plans/{id}/conflict`: the model `parley conflict draft --plan ID` writes, drafted now from the record; nil when
  /// there is no such plan. A plan with nothing to model gets a page that says so.
  public func draftedConflict(planId: Int64) throws -> String? {
    let draft: ConflictDraft
    do {
      guard let made = try store.conflictDraft(planId: planId) else { return nil }
      draft = made
    } catch let error as StrategyError {
      return try render(
        "message",
        MessageView(
          chrome: Chrome(title: "No model to draft", section: .plans), heading: "No model to draft",
          message: error.reason))
    }
    let report = try StabilityReport(conflict: draft.conflict)
    return try conflictPage(
      report,
      origin: (
        text: "drafted from \(draft.source); a starting point to edit, not an analysis", href: Links.plan(planId)
      ),
      yamlHref: "/plans/\(planId)/conflict.yaml")
  }

  /// The YAML of the drafted model of a plan (what `parley conflict draft --plan ID` prints); nil when there is no
  /// such plan or nothing to model.
  public func draftedConflictYAML(planId: Int64) throws -> String? {
    do {
      return try store.conflictDraft(planId: planId)?.yaml
    } catch is StrategyError {
      return nil
    }
  }

  /// A model's page: its options and preferences, the state graph (up to `StateGraph.maxStates` states), the
  /// stability table, the equilibria and the evolution from the status quo.
  func conflictPage(_ r: StabilityReport, origin: (text: String, href: String)?, yamlHref: String?) throws -> String {
    let c = r.conflict
    let g = r.graph
    let options = c.options.enumerated().map { k, o in
      ConflictOptionView(
        number: k + 1, name: o.name, ownerName: c.decisionMakers[o.owner].name,
        colorClass: StateGraph.colourClass(o.owner),
        directionText: o.direction == .forward
          ? "can only be taken" : o.direction == .back ? "can only be reversed" : "",
        hasDirection: o.direction != .both, description: o.description ?? "", hasDescription: o.description != nil)
    }
    let makers = c.decisionMakers.enumerated().map { i, dm in
      let statements = dm.statements.map { StatementSyntax.render($0) { c.options[$0].name } }
      return ConflictMakerView(
        name: dm.name, colorClass: StateGraph.colourClass(i), preferences: statements,
        hasPreferences: !statements.isEmpty && dm.ranking == nil,
        rankingText: dm.ranking != nil
          ? "a ranking of the states"
          : statements.isEmpty ? "no preferences: every state ties" : "prioritized statements, most important first")
    }
    let onPath = Set(r.evolution.flatMap(\.states))
    let wanted = (0..<g.stateCount).filter { s in
      g.stateCount <= StateGraph.maxStates || !r.individual.equilibriumConcepts(s).isEmpty || onPath.contains(s)
        || s == r.statusQuo
    }
    let shown: [SolutionConcept] = [.nash, .gmr, .smr, .seq, .sim]
    func names(_ set: Concepts, among: [SolutionConcept] = shown) -> String {
      let list = among.filter { set.contains($0) }.map(\.title)
      return list.isEmpty ? "–" : list.joined(separator: " ")
    }
    let ranks = g.decisionMakers.map(\.ranks)
    let rows = wanted.map { s in
      let eq = r.individual.equilibriumConcepts(s)
      return StateRowView(
        number: s + 1, pattern: g.labels[s], isStatusQuo: s == r.statusQuo, isEquilibrium: !eq.isEmpty,
        cells: ranks.map { String($0[s]) } + r.individual.stability.map { names($0[s]) },
        equilibriumText: names(eq, among: SolutionConcept.allCases))
    }
    let columns = g.decisionMakers.map { "rank: \($0.name)" } + g.decisionMakers.map { "stable for \($0.name)" }
    let graph = StateGraph.layout(r)
    let empty = StateGraphModel(
      width: "0", height: "0", nodes: [], edges: [], markers: [], movers: [], ariaLabel: "", hasEdgeNote: false,
      edgeNote: "")
    var paths: [EvolutionPathView] = []
    if let sq = r.statusQuo {
      paths = r.evolution.map { p in
        EvolutionPathView(
          targetNumber: p.target + 1, targetPattern: g.labels[p.target],
          conceptsText: names(p.concepts, among: SolutionConcept.allCases),
          steps: p.states.enumerated().map { i, s in
            let mover = i > 0 ? r.individual.players[p.movers[i - 1]] : nil
            return PathStepView(
              number: s + 1, pattern: g.labels[s], hasMover: mover != nil, mover: mover?.name ?? "",
              colorClass: mover.map { StateGraph.colourClass($0.members.first ?? 0) } ?? "")
          }, isStatusQuo: p.states.count == 1 && p.target == sq)
      }
    }
    let title = c.title ?? "Conflict model"
    let view = ConflictPageView(
      chrome: Chrome(title: title), heading: title, lede: Self.summary(r), hasOrigin: origin != nil,
      originText: origin?.text ?? "", originHref: origin?.href ?? "", hasYAML: yamlHref != nil,
      yamlHref: yamlHref ?? "", options: options, makers: makers, hasGraph: graph != nil, graph: graph ?? empty,
      graphNote: "The model has \(g.stateCount) states; the graph is drawn up to \(StateGraph.maxStates).",
      columns: columns, rows: rows, hasTableNote: wanted.count < g.stateCount,
      tableNote:
        "\(g.stateCount - wanted.count) states that are no equilibrium and on no path from the status quo are not listed (`parley stability FILE --all-states` lists them).",
      equilibria: Self.conceptLines(r.individual, g), hasCoalitions: r.coalition != nil,
      coalitionPlayers: r.coalition.map { $0.players.map(\.name).joined(separator: "; ") } ?? "",
      coalitionEquilibria: r.coalition.map { Self.conceptLines($0, g) } ?? [], hasStatusQuo: r.statusQuo != nil,
      statusQuoText: r.statusQuo.map { "state \($0 + 1) (\(g.labels[$0]))" } ?? "", paths: paths,
      hasPaths: !paths.isEmpty)
    return try render("conflict", view)
  }

  static func summary(_ r: StabilityReport) -> String {
    let g = r.graph
    return
      "\(plural(r.conflict.decisionMakers.count, "decision maker")), \(plural(r.conflict.options.count, "option")), \(plural(g.stateCount, "feasible state"))"
  }

  static func conceptLines(_ a: StabilityAnalysis, _ g: GraphModel) -> [ConceptLineView] {
    SolutionConcept.allCases.map { c in
      let states = a.equilibria(c)
      let listed = states.prefix(40).map { "\($0 + 1) \(g.labels[$0])" }.joined(separator: ", ")
      return ConceptLineView(
        concept: c.title, definition: c.definition,
        statesText: states.isEmpty ? "none" : listed + (states.count > 40 ? ", … (\(states.count) in all)" : ""))
    }
  }
}
