/// How the conflict can move from the status quo to an equilibrium: a shortest sequence of improvements, each made by
/// one player from the state the previous one left.
public struct EvolutionPath: Sendable, Hashable {
  /// 0-based states, the status quo first and the equilibrium last.
  public let states: [Int]
  /// For each step, the index (in `StabilityAnalysis.players`) of the player who moved.
  public let movers: [Int]
  /// The concepts under which the last state is an equilibrium reached this way.
  public let concepts: Concepts

  public var target: Int { states.last ?? 0 }
}

extension StabilityAnalysis {
  /// Status quo analysis: for each solution concept, the equilibria the conflict can reach from `statusQuo` by a
  /// sequence of improvements that stops at the first equilibrium of that concept (a state where, under that
  /// concept, nobody moves on). One path per equilibrium reached, shortest, from the strongest concept that reaches
  /// it (Nash, SEQ∧SIM, SEQ, SIM, SMR, GMR); `concepts` lists every concept under which it is reached. Ordered by
  /// length, then state.
  public func evolution(from statusQuo: Int) -> [EvolutionPath] {
    guard (0..<graph.stateCount).contains(statusQuo) else { return [] }
    let order: [SolutionConcept] = [.nash, .seqSim, .seq, .sim, .smr, .gmr]
    let eqConcepts = (0..<graph.stateCount).map(equilibriumConcepts)
    var found: [Int: (states: [Int], movers: [Int], concepts: Concepts)] = [:]
    for concept in order {
      let isEquilibrium: (Int) -> Bool = { eqConcepts[$0].contains(concept) }
      // parent[x] = (previous state, mover), for states reached.
      var parent = [(Int32, Int32)](repeating: (-1, -1), count: graph.stateCount)
      var reached = [Bool](repeating: false, count: graph.stateCount)
      reached[statusQuo] = true
      var queue = [statusQuo]
      var head = 0
      while head < queue.count {
        let x = queue[head]
        head += 1
        if isEquilibrium(x) {
          var states = [x]
          var movers: [Int] = []
          var y = x
          while y != statusQuo {
            let (prev, mover) = parent[y]
            movers.append(Int(mover))
            y = Int(prev)
            states.append(y)
          }
          let bit = concept.bit
          if let known = found[x] {
            found[x] = (known.states, known.movers, known.concepts.union(bit))
          } else {
            found[x] = (states.reversed(), movers.reversed(), bit)
          }
          continue
        }
        for p in players.indices {
          for t in improvements[p].row(x).map(Int.init).sorted() where !reached[t] {
            reached[t] = true
            parent[t] = (Int32(x), Int32(p))
            queue.append(t)
          }
        }
      }
    }
    return found.values.map { EvolutionPath(states: $0.states, movers: $0.movers, concepts: $0.concepts) }
      .sorted { ($0.states.count, $0.target) < ($1.states.count, $1.target) }
  }
}
