/// One decision maker in graph form: the moves it can make from each state and how it values the states.
public struct Mover: Sendable, Hashable {
  public let name: String
  /// The options it controls (bit k: option k), so simultaneous moves can be combined.
  public let optionMask: UInt64
  /// Higher is better; equal values are ties. Only the order matters.
  public let payoff: [Int]
  /// Compressed rows: the moves from state s are `targets[start[s]..<start[s + 1]]`.
  let start: [Int32]
  let targets: [Int32]

  /// `moves[s]` lists the (0-based) states reachable from s in one move; self-moves are dropped.
  public init(name: String, optionMask: UInt64 = 0, moves: [[Int]], payoff: [Int]) {
    self.name = name
    self.optionMask = optionMask
    self.payoff = payoff
    var start: [Int32] = [0]
    var targets: [Int32] = []
    for (s, row) in moves.enumerated() {
      var seen = Set<Int>()
      for t in row where t != s && seen.insert(t).inserted { targets.append(Int32(t)) }
      start.append(Int32(targets.count))
    }
    self.start = start
    self.targets = targets
  }

  init(name: String, optionMask: UInt64, start: [Int32], targets: [Int32], payoff: [Int]) {
    self.name = name
    self.optionMask = optionMask
    self.start = start
    self.targets = targets
    self.payoff = payoff
  }

  /// How many moves it has in all.
  public var moveCount: Int { targets.count }

  /// The states reachable from `state` in one move (0-based).
  public func moves(from state: Int) -> ArraySlice<Int32> { targets[Int(start[state])..<Int(start[state + 1])] }

  /// The moves that reach a state this decision maker strictly prefers.
  public func improvements(from state: Int) -> [Int] {
    moves(from: state).lazy.map(Int.init).filter { payoff[$0] > payoff[state] }
  }

  /// 1 for the most preferred states, then 2, ...; tied states share a rank.
  public var ranks: [Int] {
    let levels = Array(Set(payoff)).sorted(by: >)
    var rankOf: [Int: Int] = [:]
    for (i, v) in levels.enumerated() { rankOf[v] = i + 1 }
    return payoff.map { rankOf[$0] ?? 0 }
  }

  /// The ranking as tie groups of 1-based state numbers, most preferred first.
  public var ranking: Ranking {
    var groups: [Int: [Int]] = [:]
    for (s, v) in payoff.enumerated() { groups[v, default: []].append(s + 1) }
    return Ranking(groups.keys.sorted(by: >).compactMap { groups[$0] })
  }
}

/// A conflict in graph form: the feasible states and, for each decision maker, its moves and preferences. Built
/// from a `Conflict` (`Conflict.graph()`) or by hand for models published as graphs.
public struct GraphModel: Sendable {
  /// Each state's options (bit k: option k taken). Moves by several decision makers at once combine through these.
  public let patterns: [UInt64]
  /// How states are shown: Y/N patterns for option-form models.
  public let labels: [String]
  public let decisionMakers: [Mover]
  private let table: [Int32]
  private let dictionary: [UInt64: Int32]

  public var stateCount: Int { patterns.count }

  /// Checks that moves stay in range and payoffs cover every state.
  public init(patterns: [UInt64], labels: [String]? = nil, decisionMakers: [Mover]) throws {
    self.patterns = patterns
    self.labels = labels ?? patterns.indices.map { String($0 + 1) }
    self.decisionMakers = decisionMakers
    let n = patterns.count
    guard self.labels.count == n else { throw StrategyError(reason: "\(self.labels.count) labels for \(n) states") }
    for dm in decisionMakers {
      guard dm.payoff.count == n, dm.start.count == n + 1 else {
        throw StrategyError(reason: "\(dm.name)'s moves or preferences do not cover the \(n) states")
      }
      guard dm.targets.allSatisfy({ $0 >= 0 && Int($0) < n }) else {
        throw StrategyError(reason: "\(dm.name) has a move to a state that does not exist")
      }
    }
    let maxPattern = patterns.max() ?? 0
    if maxPattern < 1 << 20 {
      var table = [Int32](repeating: -1, count: Int(maxPattern) + 1)
      for (s, p) in patterns.enumerated() where table[Int(p)] < 0 { table[Int(p)] = Int32(s) }
      self.table = table
      self.dictionary = [:]
    } else {
      var d: [UInt64: Int32] = [:]
      for (s, p) in patterns.enumerated() where d[p] == nil { d[p] = Int32(s) }
      self.table = []
      self.dictionary = d
    }
  }

  /// The state with this option pattern, if it is one.
  public func state(pattern: UInt64) -> Int? {
    if !table.isEmpty {
      guard pattern < UInt64(table.count) else { return nil }
      let s = table[Int(pattern)]
      return s < 0 ? nil : Int(s)
    }
    return dictionary[pattern].map(Int.init)
  }
}

extension Ranking {
  /// Payoffs for states 1...stateCount (higher is better); every state must be placed exactly once.
  public func payoff(stateCount: Int) throws -> [Int] {
    var payoff = [Int?](repeating: nil, count: stateCount)
    for (g, group) in groups.enumerated() {
      guard !group.isEmpty else { throw StrategyError(reason: "the ranking has an empty tie group") }
      for state in group {
        guard (1...max(1, stateCount)).contains(state), stateCount > 0 else {
          throw StrategyError(reason: "the ranking names state \(state); the states are 1...\(stateCount)")
        }
        guard payoff[state - 1] == nil else {
          throw StrategyError(reason: "the ranking names state \(state) twice")
        }
        payoff[state - 1] = groups.count - g
      }
    }
    let missing = payoff.indices.filter { payoff[$0] == nil }.map { String($0 + 1) }
    guard missing.isEmpty else {
      let shown = missing.prefix(12).joined(separator: ", ") + (missing.count > 12 ? ", ..." : "")
      throw StrategyError(reason: "the ranking does not place state\(missing.count == 1 ? "" : "s") \(shown)")
    }
    return payoff.map { $0 ?? 0 }
  }
}

extension Conflict {
  /// The feasible option patterns in increasing binary value: state number k (1-based) is element k-1.
  public func feasiblePatterns() throws -> [UInt64] {
    try validate()
    let masks = infeasible.map(\.masks)
    var out: [UInt64] = []
    for p in 0..<(UInt64(1) << UInt64(options.count)) where !masks.contains(where: { p & $0.care == $0.value }) {
      out.append(p)
    }
    guard !out.isEmpty else { throw StrategyError(reason: "every combination of options is infeasible") }
    return out
  }

  /// Decision maker `dm`'s payoff for each feasible pattern: the manual ranking if it has one, else the sum of the
  /// weights of the statements each state satisfies.
  public func payoff(of dm: Int, patterns: [UInt64]) throws -> [Int] {
    let maker = decisionMakers[dm]
    if let ranking = maker.ranking {
      do {
        return try ranking.payoff(stateCount: patterns.count)
      } catch let e as StrategyError {
        throw StrategyError(reason: "\(maker.name): \(e.reason)")
      }
    }
    let count = maker.statements.count
    let statements = maker.statements.map { $0.conditions.map(\.masks) }
    return patterns.map { p in
      var score = 0
      for (k, s) in statements.enumerated() where s.contains(where: { p & $0.care == $0.value }) {
        score += 1 << (count - 1 - k)
      }
      return score
    }
  }

  /// The graph form: feasible states numbered as gmcr-py numbers them, and each decision maker's unilateral moves
  /// (any non-empty subset of its own options changed at once, to a feasible state, obeying each option's direction,
  /// never to or from a state it misperceives).
  public func graph() throws -> GraphModel {
    let patterns = try feasiblePatterns()
    var index = [Int32](repeating: -1, count: 1 << options.count)
    for (s, p) in patterns.enumerated() { index[Int(p)] = Int32(s) }
    var forwardOnly: UInt64 = 0
    var backOnly: UInt64 = 0
    for (k, o) in options.enumerated() {
      if o.direction == .forward { forwardOnly |= 1 << UInt64(k) }
      if o.direction == .back { backOnly |= 1 << UInt64(k) }
    }
    var movers: [Mover] = []
    for (i, dm) in decisionMakers.enumerated() {
      let mask = optionMask(of: i)
      let blind = dm.misperceptions.map(\.masks)
      let sees: (UInt64) -> Bool = { p in !blind.contains { p & $0.care == $0.value } }
      var start: [Int32] = [0]
      var targets: [Int32] = []
      for p in patterns {
        if sees(p) {
          var d = mask
          while d != 0 {
            // Y→N changes are d & p; N→Y changes are d & ~p.
            if d & p & forwardOnly == 0, d & ~p & backOnly == 0 {
              let q = p ^ d
              let t = index[Int(q)]
              if t >= 0, sees(q) { targets.append(t) }
            }
            d = (d - 1) & mask
          }
        }
        start.append(Int32(targets.count))
      }
      movers.append(
        Mover(
          name: dm.name, optionMask: mask, start: start, targets: targets, payoff: try payoff(of: i, patterns: patterns)
        ))
    }
    return try GraphModel(patterns: patterns, labels: patterns.map(yn), decisionMakers: movers)
  }
}
