/// A solution concept of the graph model: when a decision maker stays at a state.
public enum SolutionConcept: String, CaseIterable, Sendable, Hashable {
  case nash, gmr, smr, seq, sim
  /// Both SEQ and SIM.
  case seqSim = "seq_sim"

  public var title: String {
    switch self {
    case .nash: return "Nash"
    case .gmr: return "GMR"
    case .smr: return "SMR"
    case .seq: return "SEQ"
    case .sim: return "SIM"
    case .seqSim: return "SEQ∧SIM"
    }
  }

  /// One line, for help texts and reports.
  public var definition: String {
    switch self {
    case .nash: return "no unilateral improvement"
    case .gmr: return "every improvement can be answered by the others with a state no better than the start"
    case .smr: return "as GMR, and the mover cannot escape the sanction with a further move to a better state"
    case .seq: return "as GMR, with sanctions made only of the others' own improvements (credible)"
    case .sim:
      return "every improvement, made while others take improvements of theirs at the same time, can end no better"
    case .seqSim: return "both SEQ and SIM"
    }
  }

  var bit: Concepts {
    switch self {
    case .nash: return .nash
    case .gmr: return .gmr
    case .smr: return .smr
    case .seq: return .seq
    case .sim: return .sim
    case .seqSim: return .seqSim
    }
  }
}

/// A set of solution concepts (for example, those under which a state is stable for someone).
public struct Concepts: OptionSet, Sendable, Hashable {
  public let rawValue: UInt8
  public init(rawValue: UInt8) { self.rawValue = rawValue }

  public static let nash = Concepts(rawValue: 1)
  public static let gmr = Concepts(rawValue: 2)
  public static let smr = Concepts(rawValue: 4)
  public static let seq = Concepts(rawValue: 8)
  public static let sim = Concepts(rawValue: 16)
  public static let seqSim = Concepts(rawValue: 32)
  public static let all: Concepts = [.nash, .gmr, .smr, .seq, .sim, .seqSim]

  public func contains(_ concept: SolutionConcept) -> Bool { contains(concept.bit) }

  /// The concepts in the set, in `SolutionConcept.allCases` order.
  public var list: [SolutionConcept] { SolutionConcept.allCases.filter { contains($0.bit) } }
}

/// Who moves as one in an analysis: a decision maker alone, or a coalition of them.
public struct Player: Sendable, Hashable {
  public let name: String
  /// Decision-maker indices.
  public let members: [Int]
}

/// Which states are stable for whom, and the equilibria, under every solution concept.
///
/// Definitions (Fang, Hipel & Kilgour 1993; Xu, Hipel, Kilgour & Fang 2018). R_i(s) are i's unilateral moves from s,
/// R_i⁺(s) those to states i strictly prefers. R_H(s), for a group H of players, are the states reached by legal
/// sequences of moves by members of H, in which a member may move several times but never twice in a row; R_H⁺(s)
/// the same with improvements only. A sanction against i's improvement s1 from s is a state reached from s1 that i
/// does not prefer to s. With coalitions, a coalition's moves are its members' legal sequences, its improvements
/// the moves every member strictly prefers, and a sanction is a state some member does not prefer to s.
public struct StabilityAnalysis: Sendable {
  public let graph: GraphModel
  public let players: [Player]
  /// `stability[p][s]`: the concepts under which state s (0-based) is stable for player p.
  public let stability: [[Concepts]]
  /// Each player's improvements, for tracing evolutions.
  let improvements: [Rows]

  /// Analyses every state for every decision maker, or for every coalition when `coalitions` groups them
  /// (decision makers left out stand alone). `progress(done, total)` is called as the work advances.
  public init(graph: GraphModel, coalitions: [[Int]]? = nil, progress: ((Int, Int) -> Void)? = nil) {
    self.graph = graph
    // A decision maker belongs to its first coalition; indices that name nobody are ignored.
    var taken = Set<Int>()
    var groups = (coalitions ?? []).map { g in
      g.filter { graph.decisionMakers.indices.contains($0) && taken.insert($0).inserted }
    }.filter { !$0.isEmpty }
    let grouped = Set(groups.joined())
    for i in graph.decisionMakers.indices where !grouped.contains(i) { groups.append([i]) }
    groups.sort { ($0.min() ?? 0) < ($1.min() ?? 0) }
    players = groups.map { g in
      Player(name: g.map { graph.decisionMakers[$0].name }.joined(separator: " + "), members: g)
    }
    var engine = StabilityEngine(graph: graph, players: players, progress: progress)
    stability = engine.run()
    improvements = engine.improvements
  }

  /// The concepts under which `state` is an equilibrium: stable for every player.
  public func equilibriumConcepts(_ state: Int) -> Concepts {
    stability.reduce(Concepts.all) { $0.intersection($1[state]) }
  }

  /// The equilibria under `concept`, 0-based, ascending.
  public func equilibria(_ concept: SolutionConcept) -> [Int] {
    (0..<graph.stateCount).filter { equilibriumConcepts($0).contains(concept) }
  }

  /// Whether every player is a single decision maker.
  public var isIndividual: Bool { players.allSatisfy { $0.members.count == 1 } }
}

/// Compressed adjacency rows of one player: `targets[start[s]..<start[s + 1]]`.
struct Rows: Sendable {
  var start: [Int32]
  var targets: [Int32]

  func row(_ s: Int) -> ArraySlice<Int32> { targets[Int(start[s])..<Int(start[s + 1])] }
}

/// The computation behind `StabilityAnalysis`. Sanction sets are never listed: each concept needs only the least
/// value, over the states the others can reach, of a function of the state, so minima are propagated over the strongly
/// connected components of the graph of (state, last mover) pairs, linear in its size.
struct StabilityEngine {
  let graph: GraphModel
  let players: [Player]
  let progress: ((Int, Int) -> Void)?
  let n: Int
  let moves: [Rows]
  let improvements: [Rows]
  let masks: [UInt64]
  private var done = 0

  init(graph: GraphModel, players: [Player], progress: ((Int, Int) -> Void)?) {
    self.graph = graph
    self.players = players
    self.progress = progress
    n = graph.stateCount
    var moves: [Rows] = []
    var improvements: [Rows] = []
    for p in players {
      let m = Self.playerMoves(graph: graph, members: p.members)
      moves.append(m)
      var start: [Int32] = [0]
      var targets: [Int32] = []
      for s in 0..<graph.stateCount {
        for t in m.row(s)
        where p.members.allSatisfy({ graph.decisionMakers[$0].payoff[Int(t)] > graph.decisionMakers[$0].payoff[s] }) {
          targets.append(t)
        }
        start.append(Int32(targets.count))
      }
      improvements.append(Rows(start: start, targets: targets))
    }
    self.moves = moves
    self.improvements = improvements
    masks = players.map { p in p.members.reduce(UInt64(0)) { $0 | graph.decisionMakers[$1].optionMask } }
  }

  /// A lone decision maker's moves, or a coalition's: every state its members reach by a legal sequence.
  static func playerMoves(graph: GraphModel, members: [Int]) -> Rows {
    let dms = members.map { graph.decisionMakers[$0] }
    if dms.count == 1, let dm = dms.first { return Rows(start: dm.start, targets: dm.targets) }
    let n = graph.stateCount
    let h = dms.count
    var stamp = [Int32](repeating: -1, count: n * h)
    var seenState = [Int32](repeating: -1, count: n)
    var queue: [Int32] = []
    var start: [Int32] = [0]
    var targets: [Int32] = []
    for s in 0..<n {
      queue.removeAll(keepingCapacity: true)
      for (q, dm) in dms.enumerated() {
        for t in dm.moves(from: s) where stamp[Int(t) * h + q] != Int32(s) {
          stamp[Int(t) * h + q] = Int32(s)
          queue.append(t * Int32(h) + Int32(q))
        }
      }
      var head = 0
      while head < queue.count {
        let node = Int(queue[head])
        head += 1
        let x = node / h
        let last = node % h
        if x != s, seenState[x] != Int32(s) {
          seenState[x] = Int32(s)
          targets.append(Int32(x))
        }
        for (q, dm) in dms.enumerated() where q != last {
          for t in dm.moves(from: x) where stamp[Int(t) * h + q] != Int32(s) {
            stamp[Int(t) * h + q] = Int32(s)
            queue.append(t * Int32(h) + Int32(q))
          }
        }
      }
      start.append(Int32(targets.count))
    }
    return Rows(start: start, targets: targets)
  }

  mutating func tick(total: Int) {
    done += 1
    progress?(done, total)
  }

  mutating func run() -> [[Concepts]] {
    let total = players.count * 3
    var result: [[Concepts]] = []
    for p in players.indices {
      result.append(analyse(player: p, total: total))
    }
    return result
  }

  mutating func analyse(player p: Int, total: Int) -> [Concepts] {
    let members = players[p].members
    let payoffs = members.map { graph.decisionMakers[$0].payoff }
    let others = players.indices.filter { $0 != p }
    // SMR needs, for a single decision maker, the best it can reach from a sanction in one more move.
    var values = payoffs
    if members.count == 1 {
      let u = payoffs[0]
      values.append(
        (0..<n).map { x in moves[p].row(x).reduce(u[x]) { max($0, u[Int($1)]) } })
    }
    let anyMoves = Self.reachMinima(n: n, movers: others.map { moves[$0] }, values: values)
    tick(total: total)
    let byImprovements = Self.reachMinima(n: n, movers: others.map { improvements[$0] }, values: payoffs)
    tick(total: total)

    var out = [Concepts](repeating: [], count: n)
    for s in 0..<n {
      let ups = improvements[p].row(s)
      var c: Concepts = []
      if ups.isEmpty {
        c = .all
      } else {
        // A sanction is any state some member does not prefer to s.
        let sanctioned: ([[Int]], Int) -> Bool = { minima, s1 in
          members.indices.contains { minima[$0][s1] <= payoffs[$0][s] }
        }
        if ups.allSatisfy({ sanctioned(anyMoves, Int($0)) }) { c.insert(.gmr) }
        if ups.allSatisfy({ sanctioned(byImprovements, Int($0)) }) { c.insert(.seq) }
        if c.contains(.gmr) {
          if members.count == 1 {
            if ups.allSatisfy({ anyMoves[1][Int($0)] <= payoffs[0][s] }) { c.insert(.smr) }
          } else if ups.allSatisfy({ coalitionSMRSanction(player: p, others: others, from: s, to: Int($0)) }) {
            c.insert(.smr)
          }
        }
        if simultaneousSanctions(player: p, others: others, at: s, ups: ups) { c.insert(.sim) }
        if c.contains(.seq) && c.contains(.sim) { c.insert(.seqSim) }
      }
      out[s] = c
    }
    tick(total: total)
    return out
  }

  /// For every start state s1 and each value array v: the least v(x) over the states x the movers can reach from s1 by
  /// a legal sequence (no mover twice in a row); `Int.max` when they cannot move. Tarjan's algorithm over the
  /// (state, last mover) graph, iterative, computing each component's minimum as it is completed: components are
  /// completed after every component they reach.
  static func reachMinima(n: Int, movers: [Rows], values: [[Int]]) -> [[Int]] {
    let k = values.count
    var result = [[Int]](repeating: [Int](repeating: Int.max, count: n), count: k)
    let h = movers.count
    if h == 0 { return result }
    if h == 1 {
      // One mover cannot move twice in a row: its single moves are all it can do.
      for s1 in 0..<n {
        for y in movers[0].row(s1) {
          for v in 0..<k { result[v][s1] = min(result[v][s1], values[v][Int(y)]) }
        }
      }
      return result
    }
    let count = n * h
    var index = [Int32](repeating: -1, count: count)
    var low = [Int32](repeating: 0, count: count)
    var comp = [Int32](repeating: -1, count: count)
    var onStack = [Bool](repeating: false, count: count)
    var stack: [Int32] = []
    var compMin: [Int] = []
    var nextIndex: Int32 = 0
    var compCount: Int32 = 0
    // A frame walks the successors of `node`: mover r's moves from the node's state, position `pos`.
    var frames: [(node: Int32, r: Int32, pos: Int32)] = []
    var members: [Int32] = []

    func firstPosition(_ x: Int, _ r: Int) -> Int32 { r < h ? movers[r].start[x] : 0 }

    for root in 0..<count where index[root] < 0 {
      index[root] = nextIndex
      low[root] = nextIndex
      nextIndex += 1
      stack.append(Int32(root))
      onStack[root] = true
      let r0 = root % h == 0 ? 1 : 0
      frames.append((Int32(root), Int32(r0), firstPosition(root / h, r0)))
      while var frame = frames.popLast() {
        let node = Int(frame.node)
        let x = node / h
        let q = node % h
        var descended = false
        while Int(frame.r) < h {
          let r = Int(frame.r)
          if frame.pos < movers[r].start[x + 1] {
            let succ = Int(movers[r].targets[Int(frame.pos)]) * h + r
            frame.pos += 1
            if index[succ] < 0 {
              index[succ] = nextIndex
              low[succ] = nextIndex
              nextIndex += 1
              stack.append(Int32(succ))
              onStack[succ] = true
              frames.append(frame)
              let rs = succ % h == 0 ? 1 : 0
              frames.append((Int32(succ), Int32(rs), firstPosition(succ / h, rs)))
              descended = true
              break
            } else if onStack[succ] {
              low[node] = min(low[node], index[succ])
            }
          } else {
            var next = r + 1
            if next == q { next += 1 }
            frame.r = Int32(next)
            frame.pos = firstPosition(x, next)
          }
        }
        if descended { continue }
        if low[node] == index[node] {
          let c = compCount
          compCount += 1
          members.removeAll(keepingCapacity: true)
          while let m = stack.popLast() {
            onStack[Int(m)] = false
            comp[Int(m)] = c
            members.append(m)
            if Int(m) == node { break }
          }
          var best = [Int](repeating: Int.max, count: k)
          for m in members {
            let mx = Int(m) / h
            let mq = Int(m) % h
            for v in 0..<k { best[v] = min(best[v], values[v][mx]) }
            for r in 0..<h where r != mq {
              for y in movers[r].row(mx) {
                let sc = comp[Int(y) * h + r]
                if sc != c, sc >= 0 {
                  for v in 0..<k { best[v] = min(best[v], compMin[Int(sc) * k + v]) }
                }
              }
            }
          }
          compMin.append(contentsOf: best)
        }
        if let parent = frames.last {
          let pn = Int(parent.node)
          low[pn] = min(low[pn], low[node])
        }
      }
    }
    for s1 in 0..<n {
      for r in 0..<h {
        for y in movers[r].row(s1) {
          let c = Int(comp[Int(y) * h + r])
          for v in 0..<k { result[v][s1] = min(result[v][s1], compMin[c * k + v]) }
        }
      }
    }
    return result
  }

  /// SMR for a coalition of several decision makers: some state the others reach from s1 is a sanction (some member
  /// does not prefer it to s) from which no coalition move reaches a state every member prefers to s. The set of
  /// such states depends on s through every member's payoff, so this searches the (state, last mover) graph
  /// breadth-first, stopping at the first one.
  func coalitionSMRSanction(player p: Int, others: [Int], from s: Int, to s1: Int) -> Bool {
    let members = players[p].members
    let payoffs = members.map { graph.decisionMakers[$0].payoff }
    func notBetter(_ x: Int) -> Bool { payoffs.indices.contains { payoffs[$0][x] <= payoffs[$0][s] } }
    func good(_ x: Int) -> Bool { notBetter(x) && moves[p].row(x).allSatisfy { notBetter(Int($0)) } }
    let h = others.count
    guard h > 0 else { return false }
    var seen = Set<Int>()
    var queue: [Int] = []
    for (r, o) in others.enumerated() {
      for y in moves[o].row(s1) where seen.insert(Int(y) * h + r).inserted { queue.append(Int(y) * h + r) }
    }
    var head = 0
    while head < queue.count {
      let node = queue[head]
      head += 1
      let x = node / h
      if good(x) { return true }
      for (r, o) in others.enumerated() where r != node % h {
        for y in moves[o].row(x) where seen.insert(Int(y) * h + r).inserted { queue.append(Int(y) * h + r) }
      }
    }
    return false
  }

  /// SIM: for every improvement of the player, some choice of improvements the others make from s at the same time
  /// (each other player either stays or takes one of its improvements) combines into a state that is a sanction.
  /// Simultaneous moves combine option by option: each mover sets its own options as in the state it moved to.
  /// A combination that is not a state of the model is no sanction.
  func simultaneousSanctions(player p: Int, others: [Int], at s: Int, ups: ArraySlice<Int32>) -> Bool {
    let members = players[p].members
    let payoffs = members.map { graph.decisionMakers[$0].payoff }
    let base = graph.patterns[s]
    // For each other player with improvements: the values its options take after each of them.
    var choices: [(mask: UInt64, values: [UInt64])] = []
    for o in others {
      let mask = masks[o]
      var values: [UInt64] = []
      for t in improvements[o].row(s) {
        // In graph-form models a move may leave the mover's own options as they were; it is still a move.
        let v = graph.patterns[Int(t)] & mask
        if !values.contains(v) { values.append(v) }
      }
      if !values.isEmpty { choices.append((mask, values)) }
    }
    if choices.isEmpty { return false }
    let myMask = masks[p]
    func search(_ pattern: UInt64, _ depth: Int, _ moved: Bool) -> Bool {
      if depth == choices.count {
        guard moved, let x = graph.state(pattern: pattern) else { return false }
        return payoffs.indices.contains { payoffs[$0][x] <= payoffs[$0][s] }
      }
      let (mask, values) = choices[depth]
      if search(pattern, depth + 1, moved) { return true }
      for v in values where search((pattern & ~mask) | v, depth + 1, true) { return true }
      return false
    }
    return ups.allSatisfy { s1 in
      search((base & ~myMask) | (graph.patterns[Int(s1)] & myMask), 0, false)
    }
  }
}
