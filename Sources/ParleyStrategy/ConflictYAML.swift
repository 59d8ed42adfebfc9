import Foundation
import ParleyYAML
import Yams

/// The `conflict:` section of a negotiation YAML file (or a YAML file of its own), written by an analyst:
///
/// ```yaml
/// conflict:
///   title: Donetsk for a ceasefire            # optional
///   decision_makers:                          # in order; each one's options are numbered in turn
///     - name: Ukraine
///       options:
///         - withdraw_donetsk                  # a name: letters, digits, _ - . (not starting with a digit)
///         - name: join_nato                   # or a mapping with direction, label and description
///           direction: back                   # both (default) | fwd (only taken) | back (only reversed)
///           label: Join NATO                  # optional display name
///       preferences:                          # prioritized statements, most important first
///         - ceasefire
///         - not withdraw_donetsk
///         - withdraw_donetsk if ceasefire
///         - (join_nato or ceasefire) and not offensive
///     - name: Russia
///       options:
///         - ceasefire: Agree to a ceasefire   # name: description
///         - offensive
///       preferences:
///         - withdraw_donetsk
///         - not join_nato
///         - ceasefire iff withdraw_donetsk
///       # ranking: [9, [1, 2], 3, ...]        # instead of preferences: every state, best first, [ties]
///   infeasible:                               # combinations that cannot happen
///     - ceasefire and offensive
///   status_quo: [join_nato, offensive]        # options taken now; or a state number, or a Y/N pattern
///   # coalitions:                             # optional: decision makers that act together
///   #   - [Ukraine, Europe]
/// ```
///
/// Statements use option names with `not`, `and`, `or`, `if`, `iff` and parentheses (see `StatementSyntax`); a
/// ranking lists state numbers (gmcr-py's numbering) or Y/N patterns, option 0 first. Other top-level keys (the
/// negotiation's `parties`, `plans`, ...) are left to their own reader. Every error names the file and line.
public enum ConflictYAML {
  /// Reads the `conflict:` section of a YAML document.
  public static func read(yaml text: String, file: String) throws -> Conflict {
    let root: Node?
    do {
      root = try StrictYAML.compose(text)
    } catch {
      throw StrategyError(file: file, line: error.line, reason: error.reason)
    }
    guard let root, case let .mapping(top) = root else {
      throw StrategyError(file: file, line: root?.mark?.line, reason: "expected a mapping with a conflict: section")
    }
    guard let section = top.first(where: { $0.key.string == "conflict" })?.value else {
      throw StrategyError(file: file, line: root.mark?.line, reason: "has no conflict: section")
    }
    return try YAMLReader(file: file).conflict(section)
  }

  /// Whether a YAML document has a top-level `conflict:` key (without reading it).
  public static func hasConflictSection(_ text: String) -> Bool {
    guard let root = try? Yams.compose(yaml: text), case let .mapping(top) = root else { return false }
    return top.contains { $0.key.string == "conflict" }
  }

  /// The YAML text of a conflict, as a standalone file with a top-level `conflict:` key. Option names that are not
  /// identifiers are written as identifiers with the original as `label`, so statements can name them.
  public static func write(_ c: Conflict) throws -> String {
    try c.validate()
    // gmcr-py can hold statements the written syntax has no words for: an empty condition (always true) or an
    // empty compound (never true).
    let unwritable = { (s: Statement) in s.conditions.isEmpty || s.conditions.contains { $0.literals.isEmpty } }
    for dm in c.decisionMakers {
      if dm.statements.contains(where: unwritable) || dm.misperceptions.contains(where: { $0.literals.isEmpty }) {
        throw StrategyError(
          reason: "\(dm.name) has an empty statement or condition, which YAML statements cannot express")
      }
    }
    if c.infeasible.contains(where: { $0.literals.isEmpty }) {
      throw StrategyError(reason: "an infeasibility condition is empty, which YAML statements cannot express")
    }
    let ids = identifiers(c.options.map(\.name))
    var out = "conflict:\n"
    if let title = c.title { out += "  title: \(scalar(title))\n" }
    out += "  decision_makers:\n"
    for (i, dm) in c.decisionMakers.enumerated() {
      out += "    - name: \(scalar(dm.name))\n"
      let mine = c.options(of: i)
      out += mine.isEmpty ? "      options: []\n" : "      options:\n"
      for k in mine {
        let o = c.options[k]
        if o.direction == .both, o.description == nil, ids[k] == o.name {
          out += "        - \(ids[k])\n"
          continue
        }
        out += "        - name: \(ids[k])\n"
        if o.direction != .both { out += "          direction: \(o.direction.rawValue)\n" }
        if ids[k] != o.name { out += "          label: \(scalar(o.name))\n" }
        if let d = o.description { out += "          description: \(scalar(d))\n" }
      }
      if let r = dm.ranking {
        out +=
          "      ranking: ["
          + r.groups.map { $0.count == 1 ? "\($0[0])" : "[" + $0.map(String.init).joined(separator: ", ") + "]" }
          .joined(separator: ", ") + "]\n"
      }
      if !dm.statements.isEmpty {
        out += "      preferences:\n"
        for s in dm.statements { out += "        - \(scalar(StatementSyntax.render(s) { ids[$0] }))\n" }
      }
      if !dm.misperceptions.isEmpty {
        out += "      misperceptions:\n"
        for m in dm.misperceptions { out += "        - \(scalar(StatementSyntax.render(m) { ids[$0] }))\n" }
      }
    }
    if !c.infeasible.isEmpty {
      out += "  infeasible:\n"
      for m in c.infeasible { out += "    - \(scalar(StatementSyntax.render(m) { ids[$0] }))\n" }
    }
    if let sq = c.statusQuo {
      let taken = c.options.indices.filter { (sq >> UInt64($0)) & 1 == 1 }.map { ids[$0] }
      out += "  status_quo: [\(taken.joined(separator: ", "))]\n"
    }
    if let coalitions = c.coalitions, !coalitions.isEmpty {
      out += "  coalitions:\n"
      for g in coalitions {
        out += "    - [" + g.map { scalar(c.decisionMakers[$0].name) }.joined(separator: ", ") + "]\n"
      }
    }
    return out
  }

  /// Identifiers for option names: the name itself when it is one, else a lower-case, underscored form made unique.
  static func identifiers(_ names: [String]) -> [String] {
    var used = Set<String>()
    return names.map { name in
      var id = name
      if !StatementSyntax.isIdentifier(name) {
        let mapped = name.lowercased().unicodeScalars.map { s -> Character in
          s.properties.isAlphabetic || ("0"..."9").contains(s) ? Character(s) : "_"
        }
        id = String(mapped).split(separator: "_").joined(separator: "_")
        if id.isEmpty || !StatementSyntax.isIdentifier(id) { id = "option_" + id }
      }
      var unique = id
      var n = 2
      while used.contains(unique.lowercased()) {
        unique = "\(id)_\(n)"
        n += 1
      }
      used.insert(unique.lowercased())
      return unique
    }
  }

  /// A YAML scalar: plain when that reads back as the same string, double-quoted otherwise.
  static func scalar(_ s: String) -> String {
    let reserved: Set<String> = ["true", "false", "yes", "no", "on", "off", "y", "n", "null", "~", ""]
    let plainSafe = s.unicodeScalars.allSatisfy {
      $0.properties.isAlphabetic || ("0"..."9").contains($0) || " _-.()".unicodeScalars.contains($0)
    }
    let plain =
      plainSafe && !reserved.contains(s.lowercased()) && s.first != " " && s.last != " " && s.first != "-"
      && Double(s) == nil
    return plain ? s : JSON.quoted(s)
  }
}

/// Walks the YAML nodes of a `conflict:` section, so every error can say which line is wrong and why.
private struct YAMLReader {
  let file: String

  func fail(_ node: Node?, _ reason: String) -> StrategyError {
    StrategyError(file: file, line: node?.mark?.line, reason: reason)
  }

  /// The shared strict reading, with its errors in this format's type.
  func shaped<T>(_ body: () throws(YAMLShapeError) -> T) throws -> T {
    do {
      return try body()
    } catch {
      throw StrategyError(file: file, line: error.line, reason: error.reason)
    }
  }
  func isNull(_ node: Node) -> Bool { StrictYAML.isNull(node) }
  func mapping(_ node: Node, _ what: String, allowed: [String]) throws -> [String: Node] {
    try shaped { () throws(YAMLShapeError) in try StrictYAML.mapping(node, what, allowed: allowed) }
  }
  func sequence(_ node: Node?, _ what: String) throws -> [Node] {
    try shaped { () throws(YAMLShapeError) in try StrictYAML.sequence(node, what) }
  }
  func string(_ node: Node?, _ what: String) throws -> String? {
    try shaped { () throws(YAMLShapeError) in try StrictYAML.string(node, what) }
  }

  func conflict(_ section: Node) throws -> Conflict {
    let top = try mapping(
      section, "the conflict section",
      allowed: ["title", "decision_makers", "infeasible", "status_quo", "coalitions", "description"])
    let dmNodes = try sequence(top["decision_makers"], "decision_makers")
    guard !dmNodes.isEmpty else { throw fail(top["decision_makers"] ?? section, "the conflict has no decision_makers") }
    var options: [ConflictOption] = []
    var ids: [String: Int] = [:]
    var makers: [DecisionMaker] = []
    var dmFields: [[String: Node]] = []
    for (i, node) in dmNodes.enumerated() {
      let what = "decision maker \(i + 1)"
      let f = try mapping(
        node, what, allowed: ["name", "options", "preferences", "ranking", "misperceptions", "description"])
      guard let name = try string(f["name"], "name of \(what)") else {
        throw fail(f["name"] ?? node, "missing name of \(what)")
      }
      if makers.contains(where: { $0.name == name }) { throw fail(f["name"], "decision maker '\(name)' appears twice") }
      for o in try sequence(f["options"], "options of \(name)") {
        let option = try self.option(o, owner: i, of: name)
        let id = option.id
        guard ids[id.lowercased()] == nil else { throw fail(o, "option '\(id)' is declared twice") }
        ids[id.lowercased()] = options.count
        options.append(option.option)
      }
      makers.append(DecisionMaker(name: name))
      dmFields.append(f)
    }
    guard !options.isEmpty else { throw fail(section, "the conflict has no options") }
    guard options.count <= Conflict.maxOptions else {
      throw fail(section, "the conflict has \(options.count) options; at most \(Conflict.maxOptions) are supported")
    }
    let lookup: (String) -> Int? = { ids[$0.lowercased()] }
    var conflict = Conflict(title: try string(top["title"], "title"), options: options, decisionMakers: makers)
    for node in try sequence(top["infeasible"], "infeasible") {
      conflict.infeasible += try statement(node, "an infeasible combination", lookup).conditions
    }
    let patterns: [UInt64]
    do {
      patterns = try conflict.feasiblePatterns()
    } catch let e as StrategyError {
      throw fail(top["infeasible"], e.reason)
    }
    for (i, f) in dmFields.enumerated() {
      let name = makers[i].name
      let prefs = try sequence(f["preferences"], "preferences of \(name)")
      guard prefs.count <= Conflict.maxStatements else {
        throw fail(f["preferences"], "\(name) has more than \(Conflict.maxStatements) preferences")
      }
      for (k, s) in prefs.enumerated() {
        conflict.decisionMakers[i].statements.append(try statement(s, "preference \(k + 1) of \(name)", lookup))
      }
      for s in try sequence(f["misperceptions"], "misperceptions of \(name)") {
        conflict.decisionMakers[i].misperceptions += try statement(s, "a misperception of \(name)", lookup).conditions
      }
      if let r = f["ranking"], !isNull(r) {
        conflict.decisionMakers[i].ranking = try self.ranking(r, of: name, conflict: conflict, patterns: patterns)
      }
    }
    if let sq = top["status_quo"], !isNull(sq) {
      conflict.statusQuo = try statusQuo(sq, conflict: conflict, patterns: patterns, lookup)
    }
    var groups: [[Int]] = []
    var grouped = Set<Int>()
    for g in try sequence(top["coalitions"], "coalitions") {
      var names: [Node] = []
      if case .sequence(let s) = g { names = Array(s) } else { names = [g] }
      var group: [Int] = []
      for n in names {
        guard let name = try string(n, "a coalition member") else { throw fail(n, "a coalition member has no name") }
        guard let i = makers.firstIndex(where: { $0.name == name }) else {
          throw fail(
            n, "unknown decision maker '\(name)' in coalitions (known: \(makers.map(\.name).joined(separator: ", ")))")
        }
        guard grouped.insert(i).inserted else { throw fail(n, "\(name) is in two coalitions") }
        group.append(i)
      }
      if !group.isEmpty { groups.append(group) }
    }
    conflict.coalitions = groups.isEmpty ? nil : groups
    return conflict
  }

  func option(_ node: Node, owner: Int, of dm: String) throws -> (id: String, option: ConflictOption) {
    var id: String
    var direction = Direction.both
    var label: String?
    var description: String?
    if case .scalar = node {
      guard let s = try string(node, "an option of \(dm)") else { throw fail(node, "an option of \(dm) has no name") }
      id = s
    } else if case let .mapping(m) = node, m.count == 1, let only = m.first, only.key.string != "name" {
      // `- withdraw: Withdraw from the region` names the option and describes it.
      guard let s = try string(only.key, "an option of \(dm)") else {
        throw fail(node, "an option of \(dm) has no name")
      }
      id = s
      description = try string(only.value, "the description of \(s)")
    } else {
      let f = try mapping(node, "an option of \(dm)", allowed: ["name", "direction", "label", "description"])
      guard let s = try string(f["name"], "the name of an option of \(dm)") else {
        throw fail(node, "an option of \(dm) has no name")
      }
      id = s
      if let raw = try string(f["direction"], "the direction of \(s)") {
        switch raw.lowercased() {
        case "both": direction = .both
        case "fwd", "forward": direction = .forward
        case "back", "backward": direction = .back
        default: throw fail(f["direction"], "unknown direction '\(raw)' of \(s) (expected both, fwd or back)")
        }
      }
      label = try string(f["label"], "the label of \(s)")
      description = try string(f["description"], "the description of \(s)")
    }
    guard StatementSyntax.isIdentifier(id) else {
      throw fail(
        node,
        "option name '\(id)' of \(dm) must be a single word of letters, digits, _, - or . (not starting with a digit) "
          + "and not one of not, and, or, if, iff; put a longer name in label:")
    }
    return (id, ConflictOption(name: label ?? id, owner: owner, direction: direction, description: description))
  }

  func statement(_ node: Node, _ what: String, _ lookup: (String) -> Int?) throws -> Statement {
    guard let text = try string(node, what) else { throw fail(node, "\(what) is empty") }
    do {
      return try StatementSyntax.parse(text, option: lookup)
    } catch let e as StrategyError {
      throw fail(node, "\(what): \(e.reason)")
    }
  }

  /// A state given as a number (1-based, gmcr-py's numbering) or a Y/N pattern.
  func state(_ node: Node, _ what: String, conflict: Conflict, patterns: [UInt64]) throws -> Int {
    guard let raw = try string(node, what) else { throw fail(node, "\(what) is empty") }
    if let n = Int(raw) {
      guard (1...patterns.count).contains(n) else {
        throw fail(node, "\(what): state \(n) does not exist (states are 1...\(patterns.count))")
      }
      return n
    }
    let yn = raw.uppercased()
    guard yn.count == conflict.options.count, yn.allSatisfy({ $0 == "Y" || $0 == "N" }) else {
      throw fail(
        node, "\(what): '\(raw)' is neither a state number nor a Y/N pattern of \(conflict.options.count) letters")
    }
    var p: UInt64 = 0
    for (k, ch) in yn.enumerated() where ch == "Y" { p |= 1 << UInt64(k) }
    guard let s = patterns.firstIndex(of: p) else { throw fail(node, "\(what): \(raw) is not a feasible state") }
    return s + 1
  }

  func ranking(_ node: Node, of name: String, conflict: Conflict, patterns: [UInt64]) throws -> Ranking {
    var groups: [[Int]] = []
    for item in try sequence(node, "the ranking of \(name)") {
      if case let .sequence(tie) = item {
        groups.append(try tie.map { try state($0, "the ranking of \(name)", conflict: conflict, patterns: patterns) })
      } else {
        groups.append([try state(item, "the ranking of \(name)", conflict: conflict, patterns: patterns)])
      }
    }
    let ranking = Ranking(groups)
    do {
      _ = try ranking.payoff(stateCount: patterns.count)
    } catch let e as StrategyError {
      throw fail(node, "the ranking of \(name): \(e.reason) (\(patterns.count) feasible states)")
    }
    return ranking
  }

  func statusQuo(_ node: Node, conflict: Conflict, patterns: [UInt64], _ lookup: (String) -> Int?) throws -> UInt64 {
    if case let .sequence(items) = node {
      var p: UInt64 = 0
      for item in items {
        guard let name = try string(item, "an option of status_quo") else { continue }
        guard let k = lookup(name) else { throw fail(item, "unknown option '\(name)' in status_quo") }
        p |= 1 << UInt64(k)
      }
      guard patterns.contains(p) else { throw fail(node, "the status quo \(conflict.yn(p)) is not a feasible state") }
      return p
    }
    return patterns[try state(node, "status_quo", conflict: conflict, patterns: patterns) - 1]
  }
}
