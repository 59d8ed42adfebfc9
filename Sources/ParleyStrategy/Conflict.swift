/// Which changes of an option a decision maker's moves may make.
public enum Direction: String, Sendable, Hashable, CaseIterable {
  /// Taken and reversed freely.
  case both
  /// Only taken (N→Y): once done it cannot be undone.
  case forward = "fwd"
  /// Only reversed (Y→N).
  case back
}

/// A yes/no course of action controlled by one decision maker.
public struct ConflictOption: Sendable, Hashable {
  public var name: String
  /// Index of the decision maker that controls it.
  public var owner: Int
  public var direction: Direction
  /// The analyst's note on what taking the option means.
  public var description: String?

  public init(name: String, owner: Int, direction: Direction = .both, description: String? = nil) {
    self.name = name
    self.owner = owner
    self.direction = direction
    self.description = description
  }
}

/// An option taken (`taken`) or not taken in a state.
public struct Literal: Sendable, Hashable {
  /// Option index.
  public var option: Int
  public var taken: Bool

  public init(option: Int, taken: Bool) {
    self.option = option
    self.taken = taken
  }

  public var negated: Literal { Literal(option: option, taken: !taken) }
}

/// A conjunction of literals; options it does not mention are "don't care". The empty condition holds everywhere.
public struct Condition: Sendable, Hashable {
  public var literals: [Literal]

  public init(_ literals: [Literal]) { self.literals = literals }

  /// The options the condition mentions and the values it requires of them, as bit masks.
  public var masks: (care: UInt64, value: UInt64) {
    var care: UInt64 = 0
    var value: UInt64 = 0
    for l in literals where l.option >= 0 && l.option < 64 {
      care |= 1 << UInt64(l.option)
      if l.taken { value |= 1 << UInt64(l.option) }
    }
    return (care, value)
  }

  /// Whether a state (option `k` taken when bit `k` of `pattern` is set) satisfies every literal.
  public func holds(in pattern: UInt64) -> Bool {
    literals.allSatisfy { l in ((pattern >> UInt64(l.option)) & 1 == 1) == l.taken }
  }

  /// No state can satisfy it (an option required both taken and not).
  public var isContradictory: Bool {
    var seen: [Int: Bool] = [:]
    for l in literals {
      if let t = seen[l.option], t != l.taken { return true }
      seen[l.option] = l.taken
    }
    return false
  }
}

/// A preference statement in disjunctive normal form: it holds in a state when any of its conditions does.
/// gmcr-py writes a one-condition statement as a plain condition and a longer one as a `compound`.
public struct Statement: Sendable, Hashable {
  public var conditions: [Condition]

  public init(_ conditions: [Condition]) { self.conditions = conditions }

  /// A single condition.
  public init(_ literals: [Literal]) { self.conditions = [Condition(literals)] }

  public func holds(in pattern: UInt64) -> Bool { conditions.contains { $0.holds(in: pattern) } }

  /// Every option index the statement mentions.
  public var options: [Int] { conditions.flatMap { $0.literals.map(\.option) } }
}

/// An explicit preference ranking: groups of 1-based state numbers, most preferred first; a group of more than one
/// state is a tie.
public struct Ranking: Sendable, Hashable {
  public var groups: [[Int]]

  public init(_ groups: [[Int]]) { self.groups = groups }
}

/// A party to the conflict: its preferences, and what it misperceives.
public struct DecisionMaker: Sendable, Hashable {
  public var name: String
  /// Prioritized statements, most important first; statement k of L weighs 2^(L-1-k).
  public var statements: [Statement]
  /// A manual ranking; when present it is used instead of `statements`.
  public var ranking: Ranking?
  /// States matching any of these are invisible to this decision maker: it has no moves to or from them (gmcr-py's
  /// reading of misperception).
  public var misperceptions: [Condition]

  public init(name: String, statements: [Statement] = [], ranking: Ranking? = nil, misperceptions: [Condition] = []) {
    self.name = name
    self.statements = statements
    self.ranking = ranking
    self.misperceptions = misperceptions
  }
}

/// A conflict in option form, as an analyst states it.
public struct Conflict: Sendable, Hashable {
  /// At most this many options: states are enumerated over all 2^n combinations.
  public static let maxOptions = 20
  /// At most this many prioritized statements per decision maker (weights must fit in 64 bits).
  public static let maxStatements = 62

  public var title: String?
  public var options: [ConflictOption]
  public var decisionMakers: [DecisionMaker]
  /// A combination is infeasible when it matches any of these conditions.
  public var infeasible: [Condition]
  /// Groups of decision-maker indices that act together; nil or empty when every decision maker acts alone.
  public var coalitions: [[Int]]?
  /// The option pattern of the state the conflict is in now (bit k set: option k taken).
  public var statusQuo: UInt64?

  public init(
    title: String? = nil, options: [ConflictOption], decisionMakers: [DecisionMaker], infeasible: [Condition] = [],
    coalitions: [[Int]]? = nil, statusQuo: UInt64? = nil
  ) {
    self.title = title
    self.options = options
    self.decisionMakers = decisionMakers
    self.infeasible = infeasible
    self.coalitions = coalitions
    self.statusQuo = statusQuo
  }

  /// The option indices decision maker `dm` controls, in index order.
  public func options(of dm: Int) -> [Int] { options.indices.filter { options[$0].owner == dm } }

  /// Bit mask of the options decision maker `dm` controls.
  public func optionMask(of dm: Int) -> UInt64 {
    options.enumerated().reduce(0) { m, e in e.element.owner == dm ? m | (1 << UInt64(e.offset)) : m }
  }

  /// Whether an option pattern is feasible (matches no infeasibility condition).
  public func isFeasible(_ pattern: UInt64) -> Bool { !infeasible.contains { $0.holds(in: pattern) } }

  /// The Y/N string of a pattern, option 0 first (gmcr-py's order).
  public func yn(_ pattern: UInt64) -> String {
    String(options.indices.map { (pattern >> UInt64($0)) & 1 == 1 ? "Y" : "N" })
  }

  /// Checks indices, sizes and names; the readers check the same with line numbers, this catches models built in
  /// code.
  public func validate() throws {
    guard !options.isEmpty else { throw StrategyError(reason: "the conflict has no options") }
    guard options.count <= Self.maxOptions else {
      throw StrategyError(
        reason: "the conflict has \(options.count) options; at most \(Self.maxOptions) are supported")
    }
    guard !decisionMakers.isEmpty else { throw StrategyError(reason: "the conflict has no decision makers") }
    for (k, o) in options.enumerated() where !decisionMakers.indices.contains(o.owner) {
      throw StrategyError(
        reason: "option \(k) '\(o.name)' is controlled by decision maker \(o.owner), which does not exist")
    }
    let range = 0..<options.count
    func check(_ literals: [Literal], _ what: String) throws {
      for l in literals where !range.contains(l.option) {
        throw StrategyError(reason: "\(what) refers to option \(l.option), out of range 0...\(options.count - 1)")
      }
    }
    for c in infeasible { try check(c.literals, "an infeasibility condition") }
    for dm in decisionMakers {
      guard dm.statements.count <= Self.maxStatements else {
        throw StrategyError(
          reason: "\(dm.name) has \(dm.statements.count) preference statements; at most \(Self.maxStatements)")
      }
      for s in dm.statements { try check(s.conditions.flatMap(\.literals), "a preference of \(dm.name)") }
      for c in dm.misperceptions { try check(c.literals, "a misperception of \(dm.name)") }
    }
    if let coalitions {
      var seen = Set<Int>()
      for group in coalitions {
        guard !group.isEmpty else { throw StrategyError(reason: "a coalition is empty") }
        for m in group {
          guard decisionMakers.indices.contains(m) else {
            throw StrategyError(reason: "a coalition names decision maker \(m), which does not exist")
          }
          guard seen.insert(m).inserted else {
            throw StrategyError(reason: "decision maker \(decisionMakers[m].name) is in two coalitions")
          }
        }
      }
    }
  }
}
