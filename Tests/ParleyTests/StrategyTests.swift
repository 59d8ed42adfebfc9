import Foundation
import ParleyStrategy
import Testing

/// Published GMCR cases, encoded by hand from the literature, and their published equilibria.
enum PublishedConflicts {
  /// The Prisoner's Dilemma as the GMCR literature states it in option form: each prisoner's option is to
  /// cooperate; each prefers above all that the other cooperates, then that it does not itself.
  /// States: 1 = NN, 2 = YN, 3 = NY, 4 = YY.
  static let prisonersDilemma = Conflict(
    title: "Prisoner's Dilemma",
    options: [
      ConflictOption(name: "cooperate_1", owner: 0),
      ConflictOption(name: "cooperate_2", owner: 1),
    ],
    decisionMakers: [
      DecisionMaker(
        name: "Prisoner 1",
        statements: [Statement([Literal(option: 1, taken: true)]), Statement([Literal(option: 0, taken: false)])]),
      DecisionMaker(
        name: "Prisoner 2",
        statements: [Statement([Literal(option: 0, taken: true)]), Statement([Literal(option: 1, taken: false)])]),
    ])

  /// The Elmira groundwater contamination conflict in its 9-state graph form (Fang, Hipel & Kilgour 1993;
  /// Kilgour, Hipel, Fang & Peng 2001). Options: MoE 1 modify the control order; Uniroyal 2 delay, 3 accept,
  /// 4 abandon; local government 5 insist on the original order. States 1-8 are Insist × Delay/Accept × Modify (modify
  /// varying fastest); state 9 is abandonment, whatever the others do. Modify and abandon cannot be reversed; Uniroyal
  /// cannot return to delay.
  static func elmira() throws -> GraphModel {
    // Options 1-5 as bits 0-4.
    let patterns: [UInt64] = [
      0b00010, 0b00011, 0b00100, 0b00101,  // 1-4: delay or accept, not insisting
      0b10010, 0b10011, 0b10100, 0b10101,  // 5-8: the same with the local government insisting
      0b01000,  // 9: abandon
    ]
    func moves(_ edges: [(Int, Int)]) -> [[Int]] {
      var m = [[Int]](repeating: [], count: 9)
      for (a, b) in edges { m[a - 1].append(b - 1) }
      return m
    }
    func ranking(_ order: [Int]) throws -> [Int] { try Ranking(order.map { [$0] }).payoff(stateCount: 9) }
    let moe = Mover(
      name: "MoE", optionMask: 0b00001, moves: moves([(1, 2), (3, 4), (5, 6), (7, 8)]),
      payoff: try ranking([7, 3, 4, 8, 5, 1, 2, 6, 9]))
    let uniroyal = Mover(
      name: "Uniroyal", optionMask: 0b01110,
      moves: moves([(1, 3), (2, 4), (5, 7), (6, 8)] + (1...8).map { ($0, 9) }),
      payoff: try ranking([1, 4, 8, 5, 9, 3, 7, 2, 6]))
    let local = Mover(
      name: "Local government", optionMask: 0b10000,
      moves: moves([(1, 5), (5, 1), (2, 6), (6, 2), (3, 7), (7, 3), (4, 8), (8, 4)]),
      payoff: try ranking([7, 3, 5, 1, 8, 6, 4, 2, 9]))
    return try GraphModel(patterns: patterns, decisionMakers: [moe, uniroyal, local])
  }

  /// The Cuban missile crisis as Fraser & Hipel model it (Conflict Analysis: Models and Resolutions, 1984):
  /// the US may 0 launch an air strike and 1 blockade Cuba; the USSR may 2 withdraw its missiles and 3 escalate.
  /// Withdrawing and escalating at once is infeasible, leaving 12 states, which Fraser & Hipel number by their
  /// decimal value 0-11 (state number = decimal + 1 here). Their preference vectors, in decimals:
  /// US 4 6 5 7 2 1 3 0 11 9 10 8, USSR 0 4 6 2 5 1 7 3 11 9 10 8.
  static let cubanMissileCrisis: Conflict = {
    func ranking(_ decimals: [Int]) -> Ranking { Ranking(decimals.map { [$0 + 1] }) }
    return Conflict(
      title: "Cuban missile crisis",
      options: [
        ConflictOption(name: "air_strike", owner: 0), ConflictOption(name: "blockade", owner: 0),
        ConflictOption(name: "withdraw", owner: 1), ConflictOption(name: "escalate", owner: 1),
      ],
      decisionMakers: [
        DecisionMaker(name: "US", ranking: ranking([4, 6, 5, 7, 2, 1, 3, 0, 11, 9, 10, 8])),
        DecisionMaker(name: "USSR", ranking: ranking([0, 4, 6, 2, 5, 1, 7, 3, 11, 9, 10, 8])),
      ],
      infeasible: [Condition([Literal(option: 2, taken: true), Literal(option: 3, taken: true)])],
      statusQuo: 0)
  }()
}

extension StabilityAnalysis {
  /// Equilibria as 1-based state numbers.
  func numbers(_ concept: SolutionConcept) -> [Int] { equilibria(concept).map { $0 + 1 } }
}

@Suite struct StrategyTests {
  @Test func prisonersDilemma() throws {
    let graph = try PublishedConflicts.prisonersDilemma.graph()
    #expect(graph.labels == ["NN", "YN", "NY", "YY"])
    // The ranking gmcr-py's documentation gives: P1 = 3,4,1,2; P2 = 2,4,1,3.
    #expect(graph.decisionMakers[0].ranking == Ranking([[3], [4], [1], [2]]))
    #expect(graph.decisionMakers[1].ranking == Ranking([[2], [4], [1], [3]]))
    let a = StabilityAnalysis(graph: graph)
    #expect(a.numbers(.nash) == [1])
    #expect(a.numbers(.gmr) == [1, 4])
    #expect(a.numbers(.smr) == [1, 4])
    #expect(a.numbers(.seq) == [1, 4])
    #expect(a.numbers(.sim) == [1, 4])
    #expect(a.numbers(.seqSim) == [1, 4])
  }

  @Test func elmira() throws {
    let a = StabilityAnalysis(graph: try PublishedConflicts.elmira())
    #expect(a.numbers(.nash) == [5, 8, 9])
    #expect(a.numbers(.seq) == [5, 8, 9])
    #expect(a.numbers(.gmr) == [1, 4, 5, 8, 9])
    #expect(a.numbers(.smr) == [1, 4, 5, 8, 9])
  }

  @Test func cubanMissileCrisis() throws {
    let conflict = PublishedConflicts.cubanMissileCrisis
    let graph = try conflict.graph()
    #expect(graph.stateCount == 12)
    #expect(graph.labels.first == "NNNN" && graph.labels.last == "YYNY")
    let a = StabilityAnalysis(graph: graph)
    // Fraser & Hipel's result: outcomes 4 (the USSR withdraws) and 6 (the blockade stays and the USSR withdraws),
    // by decimal, are the equilibria; both rest on sequential sanctions, so neither is Nash.
    #expect(a.numbers(.seq) == [5, 7])
    #expect(a.numbers(.nash) == [])
    // Any answer may sanction: the status quo holds because the USSR could escalate.
    #expect(a.numbers(.gmr) == [1, 2, 3, 5, 6, 7, 8])
    #expect(a.numbers(.smr) == a.numbers(.gmr))
    // No state is stable by simultaneous sanctions for both sides.
    #expect(a.numbers(.sim) == [])
    // From the status quo, the historical course: the US blockades, then the USSR withdraws.
    let paths = a.evolution(from: 0)
    let toSeven = try #require(paths.first { $0.target == 6 })
    #expect(toSeven.states == [0, 2, 6])
    #expect(toSeven.movers == [0, 1])
    #expect(toSeven.concepts == [.seq])
    // Under GMR and SMR the status quo is already an equilibrium, so nothing moves.
    #expect(paths.first { $0.target == 0 }?.concepts == [.gmr, .smr])
  }

  /// A sanction that exists only if an opponent moves twice (B, then C, then B again): with three decision makers the
  /// standard definition finds it; limiting each opponent to one move would not.
  @Test func sanctionsMayNeedAnOpponentToMoveTwice() throws {
    // Options: 0 a (A), 1 b1 and 2 b2 (B), 3 c (C). C can take c only after b1; B can take b2 only after c.
    let notTaken = { (k: Int) in Literal(option: k, taken: false) }
    let taken = { (k: Int) in Literal(option: k, taken: true) }
    var conflict = Conflict(
      options: [
        ConflictOption(name: "a", owner: 0), ConflictOption(name: "b1", owner: 1), ConflictOption(name: "b2", owner: 1),
        ConflictOption(name: "c", owner: 2),
      ],
      decisionMakers: [
        DecisionMaker(name: "A"),
        // B wants b1, then b2; C wants c: every step of the sanction is an improvement for its mover.
        DecisionMaker(name: "B", statements: [Statement([taken(1)]), Statement([taken(2)])]),
        DecisionMaker(name: "C", statements: [Statement([taken(3)])]),
      ],
      infeasible: [Condition([taken(3), notTaken(1)]), Condition([taken(2), notTaken(3)])])
    let patterns = try conflict.feasiblePatterns()
    #expect(patterns == [0, 1, 2, 3, 10, 11, 14, 15])
    // A gains by taking a (state 1 → 2) unless the others go all the way to b1, b2 and c.
    let value: [UInt64: Int] = [0: 1, 1: 2, 2: 3, 3: 3, 10: 3, 11: 3, 14: 0, 15: 0]
    var groups: [Int: [Int]] = [:]
    for (s, p) in patterns.enumerated() { groups[value[p] ?? 0, default: []].append(s + 1) }
    conflict.decisionMakers[0].ranking = Ranking(groups.keys.sorted(by: >).compactMap { groups[$0] })
    let a = StabilityAnalysis(graph: try conflict.graph())
    #expect(a.stability[0][0].contains(.gmr))
    #expect(a.stability[0][0].contains(.seq))
    #expect(!a.stability[0][0].contains(.nash))
  }

  /// Coalition analysis on the Prisoner's Dilemma: together the prisoners can reach mutual cooperation, which both
  /// prefer to mutual defection, so the Nash equilibrium (state 1) is not stable for the coalition; state 4 is.
  @Test func coalitionOfPrisoners() throws {
    let graph = try PublishedConflicts.prisonersDilemma.graph()
    let a = StabilityAnalysis(graph: graph, coalitions: [[0, 1]])
    #expect(a.players.map(\.name) == ["Prisoner 1 + Prisoner 2"])
    #expect(!a.stability[0][0].contains(.nash))
    #expect(a.stability[0][3] == .all)
    #expect(a.numbers(.nash) == [2, 3, 4])
  }

  @Test func reportListsStatesEquilibriaAndEvolutionWithGMCRNumbers() throws {
    let report = try StabilityReport(conflict: PublishedConflicts.cubanMissileCrisis)
    let json = report.json()
    let text = json.rendered()
    let parsed = try JSON.parse(text)
    #expect(parsed.value == json)
    let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    let equilibria = try #require(object["equilibria"] as? [String: [Int]])
    #expect(equilibria["seq"] == [5, 7])
    #expect(Set(equilibria.keys) == ["nash", "gmr", "smr", "seq", "sim", "seq_sim"])
    let states = try #require(object["states"] as? [[String: Any]])
    #expect(states.count == 12)
    #expect(states[6]["pattern"] as? String == "NYYN")
    #expect(states[6]["ranks"] as? [Int] == [2, 3])
    #expect(object["status_quo"] as? Int == 1)
    let evolution = try #require(object["evolution"] as? [[String: Any]])
    #expect(evolution.contains { ($0["to"] as? Int) == 7 && (($0["path"] as? [[String: Any]])?.count == 3) })
  }
}
