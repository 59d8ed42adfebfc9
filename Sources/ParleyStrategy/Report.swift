import Foundation

/// A complete stability analysis of a conflict, as `parley stability` shows it: every state with its pattern and each
/// decision maker's rank and stability, the equilibria under each concept, the coalition analysis when the model
/// groups decision makers, and the evolution from the status quo.
public struct StabilityReport: Sendable {
  public let conflict: Conflict
  public let graph: GraphModel
  /// Every decision maker on its own.
  public let individual: StabilityAnalysis
  /// Present when the conflict's coalitions put two or more decision makers together.
  public let coalition: StabilityAnalysis?
  /// 0-based.
  public let statusQuo: Int?
  public let evolution: [EvolutionPath]

  /// Analyses `conflict`; `statusQuo` (0-based) overrides the conflict's own. `progress(done, total)` reports work.
  public init(conflict: Conflict, statusQuo: Int? = nil, progress: ((Int, Int) -> Void)? = nil) throws {
    self.conflict = conflict
    let graph = try conflict.graph()
    self.graph = graph
    let groups = (conflict.coalitions ?? []).filter { $0.count > 1 }
    let perAnalysis = 3 * conflict.decisionMakers.count
    // Each analysis reports three steps per player; a coalition is one player.
    let players = groups.count + conflict.decisionMakers.count - groups.reduce(0) { $0 + $1.count }
    let total = perAnalysis + (groups.isEmpty ? 0 : 3 * players)
    let individual = StabilityAnalysis(graph: graph, progress: progress.map { p in { done, _ in p(done, total) } })
    self.individual = individual
    coalition =
      groups.isEmpty
      ? nil
      : StabilityAnalysis(
        graph: graph, coalitions: groups, progress: progress.map { p in { done, _ in p(perAnalysis + done, total) } })
    let given = statusQuo.flatMap { (0..<graph.stateCount).contains($0) ? $0 : nil }
    let sq = given ?? conflict.statusQuo.flatMap { graph.state(pattern: $0) }
    self.statusQuo = sq
    evolution = sq.map { individual.evolution(from: $0) } ?? []
  }

  /// The JSON document: `states`, `equilibria` and `evolution` with 1-based state numbers (gmcr-py's), plus the
  /// decision makers, options, status quo and coalition analysis.
  public func json() -> JSON {
    let concepts: (Concepts) -> JSON = { c in .list(c.list.map { .string($0.rawValue) }) }
    let ranks = graph.decisionMakers.map(\.ranks)
    var states: [JSON] = []
    for s in 0..<graph.stateCount {
      states.append(
        .dict([
          ("state", .int(s + 1)), ("pattern", .string(graph.labels[s])), ("decimal", .int(Int(graph.patterns[s]))),
          ("ranks", .list(ranks.map { .int($0[s]) })),
          ("stable", .list(individual.stability.map { concepts($0[s]) })),
          ("equilibrium", concepts(individual.equilibriumConcepts(s))),
        ]))
    }
    var top: [(String, JSON)] = []
    if let t = conflict.title { top.append(("title", .string(t))) }
    top.append(("decision_makers", .list(graph.decisionMakers.map { .string($0.name) })))
    top.append(
      (
        "options",
        .list(
          conflict.options.map { o in
            .dict([
              ("name", .string(o.name)), ("decision_maker", .string(conflict.decisionMakers[o.owner].name)),
              ("direction", .string(o.direction.rawValue)),
            ])
          })
      ))
    top.append(("states", .list(states)))
    top.append(("equilibria", equilibria(individual)))
    top.append(("status_quo", statusQuo.map { .int($0 + 1) } ?? .null))
    top.append(("evolution", .list(evolution.map { path(individual, $0) })))
    if let coalition {
      top.append(
        (
          "coalition_analysis",
          .dict([
            ("players", .list(coalition.players.map { .string($0.name) })),
            (
              "states",
              .list(
                (0..<graph.stateCount).map { s in
                  .dict([
                    ("state", .int(s + 1)), ("stable", .list(coalition.stability.map { concepts($0[s]) })),
                    ("equilibrium", concepts(coalition.equilibriumConcepts(s))),
                  ])
                })
            ),
            ("equilibria", equilibria(coalition)),
          ])
        ))
    }
    return .dict(top)
  }

  func equilibria(_ a: StabilityAnalysis) -> JSON {
    .dict(SolutionConcept.allCases.map { c in (c.rawValue, .list(a.equilibria(c).map { .int($0 + 1) })) })
  }

  func path(_ a: StabilityAnalysis, _ p: EvolutionPath) -> JSON {
    var steps: [JSON] = []
    for (i, s) in p.states.enumerated() {
      var step: [(String, JSON)] = [("state", .int(s + 1)), ("pattern", .string(graph.labels[s]))]
      if i > 0 { step.append(("by", .string(a.players[p.movers[i - 1]].name))) }
      steps.append(.dict(step))
    }
    return .dict([
      ("to", .int(p.target + 1)), ("pattern", .string(graph.labels[p.target])),
      ("concepts", .list(p.concepts.list.map { .string($0.rawValue) })), ("path", .list(steps)),
    ])
  }
}

extension GraphModel {
  /// A state written as its 1-based number or its Y/N pattern (option 0 first); nil if it is neither.
  public func state(named text: String) -> Int? {
    let t = text.trimmingCharacters(in: .whitespaces)
    if let n = Int(t) { return (1...stateCount).contains(n) ? n - 1 : nil }
    return labels.firstIndex(of: t.uppercased())
  }
}
