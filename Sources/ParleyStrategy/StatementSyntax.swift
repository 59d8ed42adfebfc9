/// The written form of preference statements and conditions: option names combined with `not`, `and`, `or`, `if` and
/// `iff`, with parentheses. `not` binds tightest, then `and`, then `or`, then `if`/`iff`; so `a and b or c if d`
/// reads `((a and b) or c) if d`. `A if B` holds when B does not or A does (B → A); `A iff B` when both or neither do.
/// Statements are kept in disjunctive normal form, which is also how gmcr-py stores them.
public enum StatementSyntax {
  /// Words that cannot name an option.
  public static let keywords: Set<String> = ["not", "and", "or", "if", "iff"]
  /// A statement whose normal form would exceed this many conditions is refused as too complex.
  public static let maxConditions = 256

  /// Whether `name` can be written in a statement as is: letters, digits, `_`, `-` and `.`, not starting with a
  /// digit, `-` or `.`, and not a keyword.
  public static func isIdentifier(_ name: String) -> Bool {
    guard let first = name.unicodeScalars.first, first.properties.isAlphabetic || first == "_" else { return false }
    guard !keywords.contains(name.lowercased()) else { return false }
    return name.unicodeScalars.allSatisfy {
      $0.properties.isAlphabetic || ("0"..."9").contains($0) || "_-.".unicodeScalars.contains($0)
    }
  }

  /// Parses `text`; `option` maps a name to its index or returns nil for an unknown name. Errors are plain
  /// reasons, for the caller to place.
  public static func parse(_ text: String, option: (String) -> Int?) throws -> Statement {
    let tokens = try tokenize(text)
    guard !tokens.isEmpty else { throw StrategyError(reason: "the statement is empty") }
    let e = try withoutActuallyEscaping(option) { option in
      var p = Parser(tokens: tokens, option: option)
      let e = try p.implication()
      if p.at < p.tokens.count { throw StrategyError(reason: "unexpected '\(p.tokens[p.at])' in '\(text)'") }
      return e
    }
    let terms = try normalForm(e, negated: false)
    let simplified = simplify(terms)
    guard !simplified.isEmpty else { throw StrategyError(reason: "'\(text)' can never hold") }
    return Statement(simplified.map(Condition.init))
  }

  /// Writes a statement back: conditions joined by `or`, literals by `and`. `name` gives each option's written name.
  public static func render(_ s: Statement, name: (Int) -> String) -> String {
    if s.conditions.isEmpty { return "" }
    return s.conditions.map { render($0, name: name) }.joined(separator: " or ")
  }

  /// Writes a condition: literals joined by `and`.
  public static func render(_ c: Condition, name: (Int) -> String) -> String {
    c.literals.map { ($0.taken ? "" : "not ") + name($0.option) }.joined(separator: " and ")
  }

  indirect enum Expression {
    case literal(Literal)
    case not(Expression)
    case and(Expression, Expression)
    case or(Expression, Expression)
  }

  static func tokenize(_ text: String) throws -> [String] {
    var tokens: [String] = []
    var word = ""
    func flush() {
      if !word.isEmpty { tokens.append(word) }
      word = ""
    }
    for ch in text {
      if ch == "(" || ch == ")" {
        flush()
        tokens.append(String(ch))
      } else if ch.isWhitespace {
        flush()
      } else if ch.isLetter || ch.isNumber || ch == "_" || ch == "-" || ch == "." {
        word.append(ch)
      } else {
        throw StrategyError(
          reason: "unexpected character '\(ch)' in '\(text)' (write not, and, or, if, iff and option names)")
      }
    }
    flush()
    return tokens
  }

  struct Parser {
    let tokens: [String]
    let option: (String) -> Int?
    var at = 0

    func peek(_ word: String) -> Bool { at < tokens.count && tokens[at].lowercased() == word }

    mutating func implication() throws -> Expression {
      let lhs = try disjunction()
      if peek("if") {
        at += 1
        let rhs = try disjunction()
        return .or(lhs, .not(rhs))
      }
      if peek("iff") {
        at += 1
        let rhs = try disjunction()
        return .or(.and(lhs, rhs), .and(.not(lhs), .not(rhs)))
      }
      return lhs
    }

    mutating func disjunction() throws -> Expression {
      var e = try conjunction()
      while peek("or") {
        at += 1
        e = .or(e, try conjunction())
      }
      return e
    }

    mutating func conjunction() throws -> Expression {
      var e = try unary()
      while peek("and") {
        at += 1
        e = .and(e, try unary())
      }
      return e
    }

    mutating func unary() throws -> Expression {
      guard at < tokens.count else { throw StrategyError(reason: "the statement ends where an option name should be") }
      let t = tokens[at]
      at += 1
      if t.lowercased() == "not" { return .not(try unary()) }
      if t == "(" {
        let e = try implication()
        guard at < tokens.count, tokens[at] == ")" else { throw StrategyError(reason: "a '(' is not closed") }
        at += 1
        return e
      }
      if t == ")" || StatementSyntax.keywords.contains(t.lowercased()) {
        throw StrategyError(reason: "expected an option name, found '\(t)'")
      }
      guard let k = option(t) else { throw StrategyError(reason: "unknown option '\(t)'") }
      return .literal(Literal(option: k, taken: true))
    }
  }

  /// Disjunctive normal form, pushing negations to the literals (De Morgan).
  static func normalForm(_ e: Expression, negated: Bool) throws -> [[Literal]] {
    switch e {
    case let .literal(l): return [[negated ? l.negated : l]]
    case let .not(x): return try normalForm(x, negated: !negated)
    case let .and(a, b):
      return negated
        ? try normalForm(a, negated: true) + normalForm(b, negated: true)
        : try product(normalForm(a, negated: false), normalForm(b, negated: false))
    case let .or(a, b):
      return negated
        ? try product(normalForm(a, negated: true), normalForm(b, negated: true))
        : try normalForm(a, negated: false) + normalForm(b, negated: false)
    }
  }

  static func product(_ a: [[Literal]], _ b: [[Literal]]) throws -> [[Literal]] {
    guard a.count * b.count <= maxConditions else {
      throw StrategyError(reason: "the statement is too complex (more than \(maxConditions) alternatives)")
    }
    return a.flatMap { x in b.map { x + $0 } }
  }

  /// Drops repeated literals and conditions and conditions that can never hold, keeping first occurrences in order.
  static func simplify(_ terms: [[Literal]]) -> [[Literal]] {
    var out: [[Literal]] = []
    for t in terms {
      var seen: [Literal] = []
      for l in t where !seen.contains(l) { seen.append(l) }
      if Condition(seen).isContradictory { continue }
      if !out.contains(seen) { out.append(seen) }
    }
    return out
  }
}
