import Foundation
import ParleyStrategy
import PropertyBased
import Testing

/// Every concept read straight from its definition, over sets, with no cleverness: the reference the fast
/// analysis is checked against on small random conflicts.
enum BruteForce {
  /// Feasible patterns in increasing binary value.
  static func patterns(_ c: Conflict) -> [UInt64] {
    (0..<(UInt64(1) << UInt64(c.options.count))).filter { p in !c.infeasible.contains { $0.holds(in: p) } }
  }

  static func bit(_ p: UInt64, _ k: Int) -> Bool { (p >> UInt64(k)) & 1 == 1 }

  /// R_i(s): feasible states other than s that differ from s only in i's options, every changed option changed in a
  /// direction it permits, neither end misperceived by i.
  static func moves(_ c: Conflict, _ patterns: [UInt64], dm: Int) -> [[Int]] {
    let blind: (UInt64) -> Bool = { p in c.decisionMakers[dm].misperceptions.contains { $0.holds(in: p) } }
    return patterns.map { p in
      patterns.indices.filter { t in
        let q = patterns[t]
        guard q != p, !blind(p), !blind(q) else { return false }
        return c.options.indices.allSatisfy { k in
          if bit(p, k) == bit(q, k) { return true }
          guard c.options[k].owner == dm else { return false }
          switch c.options[k].direction {
          case .both: return true
          case .forward: return bit(q, k)
          case .back: return !bit(q, k)
          }
        }
      }
    }
  }

  /// Scores of prioritized statements, or the manual ranking's group (higher is better).
  static func payoff(_ c: Conflict, _ patterns: [UInt64], dm: Int) -> [Int] {
    let maker = c.decisionMakers[dm]
    if let r = maker.ranking {
      return patterns.indices.map { s in r.groups.count - (r.groups.firstIndex { $0.contains(s + 1) } ?? r.groups.count)
      }
    }
    let l = maker.statements.count
    return patterns.map { p in
      maker.statements.enumerated().reduce(0) { sum, e in e.element.holds(in: p) ? sum + (1 << (l - 1 - e.offset)) : sum
      }
    }
  }

  /// The states reachable from s by a legal sequence of moves of the given movers, by the inductive definition:
  /// (x, j) means x is reached with j among its last movers; j may extend a sequence ending at x when some other
  /// mover could have made its last move.
  static func reach(from s: Int, movers: [[[Int]]]) -> Set<Int> {
    var pairs = Set<[Int]>()
    for (j, m) in movers.enumerated() { for y in m[s] { pairs.insert([y, j]) } }
    var changed = true
    while changed {
      changed = false
      for p in pairs {
        for (k, m) in movers.enumerated() where k != p[1] {
          for y in m[p[0]] where pairs.insert([y, k]).inserted { changed = true }
        }
      }
    }
    return Set(pairs.map { $0[0] })
  }

  /// Stability of every state for every player (a player is a group of decision makers moving as one), from the
  /// option form.
  static func stability(_ c: Conflict, players: [[Int]]) -> [[Concepts]] {
    let patterns = patterns(c)
    let masks: [UInt64] = c.decisionMakers.indices.map { dm in
      c.options.indices.filter { c.options[$0].owner == dm }.reduce(0) { $0 | (1 << UInt64($1)) }
    }
    return stability(
      moves: c.decisionMakers.indices.map { moves(c, patterns, dm: $0) },
      payoffs: c.decisionMakers.indices.map { payoff(c, patterns, dm: $0) }, patterns: patterns, masks: masks,
      players: players)
  }

  /// Stability from the graph form: each decision maker's moves and payoffs, the states' option patterns and the
  /// options each decision maker controls.
  static func stability(
    moves dmMoves: [[[Int]]], payoffs u: [[Int]], patterns: [UInt64], masks dmMasks: [UInt64], players: [[Int]]
  ) -> [[Concepts]] {
    let n = patterns.count
    let playerMoves: [[[Int]]] = players.map { members in
      (0..<n).map { s in Array(reach(from: s, movers: members.map { dmMoves[$0] }).subtracting([s])).sorted() }
    }
    let playerUps: [[[Int]]] = players.indices.map { p in
      (0..<n).map { s in playerMoves[p][s].filter { t in players[p].allSatisfy { u[$0][t] > u[$0][s] } } }
    }
    let masks: [UInt64] = players.map { members in members.reduce(0) { $0 | dmMasks[$1] } }
    return players.indices.map { p in
      let others = players.indices.filter { $0 != p }
      return (0..<n).map { s in
        let sanction: (Int) -> Bool = { x in players[p].contains { u[$0][x] <= u[$0][s] } }
        let ups = playerUps[p][s]
        if ups.isEmpty { return Concepts.all }
        var result: Concepts = []
        let gmr = ups.allSatisfy { s1 in
          reach(from: s1, movers: others.map { playerMoves[$0] }).contains(where: sanction)
        }
        let smr = ups.allSatisfy { s1 in
          reach(from: s1, movers: others.map { playerMoves[$0] }).contains { s2 in
            sanction(s2) && playerMoves[p][s2].allSatisfy(sanction)
          }
        }
        let seq = ups.allSatisfy { s1 in reach(from: s1, movers: others.map { playerUps[$0] }).contains(where: sanction)
        }
        // Every combination: each other player stays or takes one of its improvements from s.
        var combos: [[Int?]] = [[]]
        for o in others {
          combos = combos.flatMap { c in ([nil] + playerUps[o][s].map { Optional($0) }).map { c + [$0] } }
        }
        let sim = ups.allSatisfy { s1 in
          combos.contains { choice in
            guard choice.contains(where: { $0 != nil }) else { return false }
            var q = (patterns[s] & ~masks[p]) | (patterns[s1] & masks[p])
            for (o, t) in zip(others, choice) { if let t { q = (q & ~masks[o]) | (patterns[t] & masks[o]) } }
            guard let x = patterns.firstIndex(of: q) else { return false }
            return sanction(x)
          }
        }
        if gmr { result.insert(.gmr) }
        if smr { result.insert(.smr) }
        if seq { result.insert(.seq) }
        if sim { result.insert(.sim) }
        if seq && sim { result.insert(.seqSim) }
        return result
      }
    }
  }
}

/// Small random conflicts: 2-4 decision makers, 1-2 options each (at most 6), random directions, infeasible
/// combinations, preferences as statements or as rankings with ties, sometimes a misperception or a coalition.
enum RandomConflict {
  static let generator = zip(
    Gen.int(in: 2...4), Gen.int(in: 1...2).array(of: 4), Gen.int(in: 0...5).array(of: 6),
    Gen.int(in: 0...728).array(of: 0...3), Gen.int(in: 0...3).array(of: 4 * 64), Gen.bool,
    Gen.int(in: 0...728).array(of: 8), Gen.int(in: 0...9)
  ).map { t in make(t.0, t.1, t.2, t.3, t.4, t.5, t.6, t.7) }

  /// A condition from a base-3 code: digit k is option k's requirement (0 none, 1 taken, 2 not taken).
  static func condition(_ code: Int, options: Int) -> Condition {
    var code = code
    var literals: [Literal] = []
    for k in 0..<options {
      if code % 3 != 0 { literals.append(Literal(option: k, taken: code % 3 == 1)) }
      code /= 3
    }
    return Condition(literals)
  }

  static func make(
    _ dmCount: Int, _ perDM: [Int], _ directions: [Int], _ infeasible: [Int], _ values: [Int], _ useStatements: Bool,
    _ statementCodes: [Int], _ extra: Int
  ) -> Conflict {
    var options: [ConflictOption] = []
    for dm in 0..<dmCount {
      for _ in 0..<perDM[dm] where options.count < 6 {
        let d = directions[options.count]
        options.append(
          ConflictOption(name: "o\(options.count)", owner: dm, direction: d == 4 ? .forward : d == 5 ? .back : .both))
      }
    }
    // A decision maker left without options still moves nowhere, which is a legal (if dull) model.
    let n = options.count
    var conflict = Conflict(
      options: options, decisionMakers: (0..<dmCount).map { DecisionMaker(name: "D\($0)") },
      infeasible: infeasible.map { condition($0, options: n) }.filter { !$0.literals.isEmpty })
    let patterns = BruteForce.patterns(conflict)
    if patterns.isEmpty { conflict.infeasible = [] }
    let states = BruteForce.patterns(conflict)
    for dm in 0..<dmCount {
      if useStatements {
        conflict.decisionMakers[dm].statements = (0..<(2 + dm % 2)).map { k in
          let a = condition(statementCodes[(dm * 2 + k) % 8], options: n)
          let b = condition(statementCodes[(dm * 2 + k + 3) % 8], options: n)
          return Statement(k == 1 ? [a, b] : [a])
        }
      } else {
        var groups: [Int: [Int]] = [:]
        for s in states.indices { groups[values[dm * 64 + s], default: []].append(s + 1) }
        conflict.decisionMakers[dm].ranking = Ranking(groups.keys.sorted(by: >).compactMap { groups[$0] })
      }
    }
    if extra == 0 { conflict.decisionMakers[0].misperceptions = [condition(statementCodes[7], options: n)] }
    if extra >= 7 { conflict.coalitions = [[0, 1]] }
    return conflict
  }
}

/// Small random models in graph form, where moves need not compose (a decision maker moving twice in a row can
/// reach what one move cannot), so the rule against consecutive moves and the sequences of three or more moves
/// matter.
enum RandomGraph {
  struct Model: Sendable, CustomStringConvertible {
    var moves: [[[Int]]]
    var payoffs: [[Int]]
    var patterns: [UInt64]
    var masks: [UInt64]
    var coalition: Bool

    func graph() throws -> GraphModel {
      try GraphModel(
        patterns: patterns,
        decisionMakers: moves.indices.map {
          Mover(name: "D\($0)", optionMask: masks[$0], moves: moves[$0], payoff: payoffs[$0])
        })
    }

    var description: String { "moves \(moves) payoffs \(payoffs) patterns \(patterns) masks \(masks)" }
  }

  static let generator = zip(
    Gen.int(in: 2...8), Gen.int(in: 2...4), Gen.int(in: 0...255).array(of: 4 * 8), Gen.int(in: 0...3).array(of: 4 * 8),
    Gen.int(in: 0...63).array(of: 8), Gen.bool
  ).map { t -> Model in
    let (n, dms, edges, values, bits, coalition) = t
    // Decision maker d owns bits of its own; a state's pattern gives each owner's bits a random value, so that
    // simultaneous moves combine into states or not.
    let masks: [UInt64] = (0..<dms).map { d in UInt64(3) << UInt64(2 * d) }
    var patterns: [UInt64] = []
    for s in 0..<n {
      var p = UInt64(bits[s]) | (UInt64(s) << 8)
      if s % 3 == 0 { p = UInt64(bits[s]) }
      if patterns.contains(p) { p |= UInt64(s + 1) << 12 }
      patterns.append(p)
    }
    let moves = (0..<dms).map { d in
      (0..<n).map { s in (0..<n).filter { t in t != s && (edges[d * 8 + s] >> t) & 1 == 1 } }
    }
    let payoffs = (0..<dms).map { d in (0..<n).map { s in values[d * 8 + s] } }
    return Model(moves: moves, payoffs: payoffs, patterns: patterns, masks: masks, coalition: coalition && dms >= 3)
  }
}

@Suite struct StrategyPropertyTests {
  @Test func graphFormConceptsEqualTheirDefinitions() async throws {
    await propertyCheck(count: 200, input: RandomGraph.generator) { model in
      let graph = try model.graph()
      let individual = StabilityAnalysis(graph: graph)
      let players = model.moves.indices.map { [$0] }
      #expect(
        individual.stability
          == BruteForce.stability(
            moves: model.moves, payoffs: model.payoffs, patterns: model.patterns, masks: model.masks, players: players))
      if model.coalition {
        let grouped = StabilityAnalysis(graph: graph, coalitions: [[0, 2]])
        #expect(
          grouped.stability
            == BruteForce.stability(
              moves: model.moves, payoffs: model.payoffs, patterns: model.patterns, masks: model.masks,
              players: grouped.players.map(\.members)))
      }
    }
  }

  @Test func statesMovesAndPayoffsFollowTheDefinitions() async throws {
    await propertyCheck(count: 150, input: RandomConflict.generator) { conflict in
      let graph = try conflict.graph()
      let patterns = BruteForce.patterns(conflict)
      #expect(graph.patterns == patterns)
      for dm in conflict.decisionMakers.indices {
        let expected = BruteForce.moves(conflict, patterns, dm: dm)
        for s in patterns.indices {
          #expect(graph.decisionMakers[dm].moves(from: s).map(Int.init).sorted() == expected[s])
        }
        #expect(graph.decisionMakers[dm].payoff == BruteForce.payoff(conflict, patterns, dm: dm))
      }
    }
  }

  @Test func everyConceptEqualsItsDefinition() async throws {
    await propertyCheck(count: 150, input: RandomConflict.generator) { conflict in
      let graph = try conflict.graph()
      let individual = StabilityAnalysis(graph: graph)
      let expected = BruteForce.stability(conflict, players: conflict.decisionMakers.indices.map { [$0] })
      #expect(individual.stability == expected)
      if let coalitions = conflict.coalitions {
        let grouped = StabilityAnalysis(graph: graph, coalitions: coalitions)
        #expect(grouped.stability == BruteForce.stability(conflict, players: grouped.players.map(\.members)))
      }
    }
  }

  @Test func conceptsNestAsTheTheoryPredicts() async throws {
    await propertyCheck(count: 150, input: RandomConflict.generator) { conflict in
      let a = StabilityAnalysis(graph: try conflict.graph(), coalitions: conflict.coalitions)
      for row in a.stability {
        for c in row {
          if c.contains(.nash) { #expect(c == .all) }
          if c.contains(.seq) { #expect(c.contains(.gmr)) }
          if c.contains(.smr) { #expect(c.contains(.gmr)) }
          #expect(c.contains(.seqSim) == (c.contains(.seq) && c.contains(.sim)))
        }
      }
      let nash = Set(a.equilibria(.nash))
      let gmr = Set(a.equilibria(.gmr))
      #expect(nash.isSubset(of: Set(a.equilibria(.seq))) && Set(a.equilibria(.seq)).isSubset(of: gmr))
      #expect(nash.isSubset(of: Set(a.equilibria(.smr))) && Set(a.equilibria(.smr)).isSubset(of: gmr))
      #expect(nash.isSubset(of: Set(a.equilibria(.sim))))
    }
  }
}
