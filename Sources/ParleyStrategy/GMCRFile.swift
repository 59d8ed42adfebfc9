/// gmcr-py's `.gmcr` save files (JSON), read into a `Conflict` and written from one, with gmcr-py's state numbering
/// (feasible states in increasing binary value, option 0 the lowest bit). The format is described in
/// `shared/strategy/GMCR-FORMAT.md`.
public enum GMCRFile {
  /// Parses a `.gmcr` document. Like gmcr-py, regroups options so each decision maker's are contiguous, in decision
  /// maker order; rankings are read in the numbering after regrouping. Errors name the file, the line and the JSON
  /// path (`decisionMakers[1].preferences[0]`).
  public static func read(json text: String, file: String) throws -> Conflict {
    let root: JSONNode
    do {
      root = try JSON.parse(text)
    } catch let e as StrategyError {
      throw e.located(file: file)
    }
    return try Reader(file: file).conflict(root)
  }

  /// The document for a conflict, options regrouped by decision maker if they are not already.
  public static func document(_ conflict: Conflict) throws -> JSON {
    try conflict.validate()
    let c = try conflict.groupedByDecisionMaker()
    let graph = try c.graph()
    let manual = c.decisionMakers.contains { $0.ranking != nil }
    var top: [(String, JSON)] = []
    top.append(
      (
        "options",
        .list(
          c.options.map { o in
            .dict([("name", .string(o.name)), ("permittedDirection", .string(o.direction.rawValue))])
          })
      ))
    var dms: [JSON] = []
    for (i, dm) in c.decisionMakers.enumerated() {
      var fields: [(String, JSON)] = [
        ("name", .string(dm.name)),
        ("options", .list(c.options(of: i).map { .int($0) })),
        ("preferences", .list(dm.statements.map(statementJSON))),
        ("preferenceRanking", rankingJSON(dm.ranking ?? graph.decisionMakers[i].ranking)),
      ]
      if !dm.misperceptions.isEmpty { fields.append(("misperceptions", .list(dm.misperceptions.map(conditionJSON)))) }
      dms.append(.dict(fields))
    }
    top.append(("decisionMakers", .list(dms)))
    top.append(("infeasibles", .list(c.infeasible.map(conditionJSON))))
    top.append(("useManualPreferenceRanking", .bool(manual)))
    if let coalitions = c.coalitions, !coalitions.isEmpty {
      top.append(("coalitions", .list(coalitions.map { g in g.count == 1 ? .int(g[0]) : .list(g.map { .int($0) }) })))
    }
    top.append(("program", .string("Parley")))
    top.append(("version", .string("1")))
    return .dict(top)
  }

  /// The `.gmcr` text of a conflict. A decision maker without a manual ranking gets the ranking its statements give,
  /// which gmcr-py uses only when `useManualPreferenceRanking` is true (that is, when some decision maker has one).
  public static func write(_ conflict: Conflict) throws -> String {
    try document(conflict).rendered() + "\n"
  }

  static func conditionJSON(_ c: Condition) -> JSON {
    .list(c.literals.map { .list([.int($0.option), .string($0.taken ? "Y" : "N")]) })
  }

  static func statementJSON(_ s: Statement) -> JSON {
    if s.conditions.count == 1, let only = s.conditions.first { return conditionJSON(only) }
    return .dict([("compound", .bool(true)), ("members", .list(s.conditions.map(conditionJSON)))])
  }

  static func rankingJSON(_ r: Ranking) -> JSON {
    .list(r.groups.map { g in g.count == 1 ? .int(g[0]) : .list(g.map { .int($0) }) })
  }
}

extension Conflict {
  /// The same conflict with options reordered so each decision maker's are contiguous, in decision maker order (the
  /// order gmcr-py numbers states in). Manual rankings and the status quo follow their states to the new numbering.
  public func groupedByDecisionMaker() throws -> Conflict {
    let order = decisionMakers.indices.flatMap { options(of: $0) }
    if order == Array(options.indices) { return self }
    var newIndex = [Int](repeating: 0, count: options.count)
    for (new, old) in order.enumerated() { newIndex[old] = new }
    func permute(_ p: UInt64) -> UInt64 {
      var q: UInt64 = 0
      for k in options.indices where (p >> UInt64(k)) & 1 == 1 { q |= 1 << UInt64(newIndex[k]) }
      return q
    }
    var out = self
    out.options = order.map { options[$0] }
    let remap: (Condition) -> Condition = { c in
      Condition(c.literals.map { Literal(option: newIndex[$0.option], taken: $0.taken) })
    }
    out.infeasible = infeasible.map(remap)
    out.statusQuo = statusQuo.map(permute)
    let oldPatterns = try feasiblePatterns()
    let newPatterns = try out.feasiblePatterns()
    var newNumber: [UInt64: Int] = [:]
    for (s, p) in newPatterns.enumerated() { newNumber[p] = s + 1 }
    for i in out.decisionMakers.indices {
      out.decisionMakers[i].statements = decisionMakers[i].statements.map { Statement($0.conditions.map(remap)) }
      out.decisionMakers[i].misperceptions = decisionMakers[i].misperceptions.map(remap)
      if let r = decisionMakers[i].ranking {
        out.decisionMakers[i].ranking = Ranking(
          r.groups.map { g in
            g.map { n in oldPatterns.indices.contains(n - 1) ? newNumber[permute(oldPatterns[n - 1])] ?? n : n }
          })
      }
    }
    return out
  }
}

/// Walks a parsed `.gmcr` document, keeping the JSON path and line of every value for errors.
private struct Reader {
  let file: String

  func fail(_ node: JSONNode?, _ path: String, _ reason: String) -> StrategyError {
    StrategyError(file: file, line: node.map(\.line), path: path, reason: reason)
  }

  func list(_ node: JSONNode, _ path: String) throws -> [JSONNode] {
    guard case let .array(items) = node.value else { throw fail(node, path, "expected a list, found \(node.kind)") }
    return items
  }

  func string(_ node: JSONNode, _ path: String) throws -> String {
    guard case let .string(s) = node.value else { throw fail(node, path, "expected a string, found \(node.kind)") }
    return s
  }

  func int(_ node: JSONNode, _ path: String) throws -> Int {
    guard case let .number(n) = node.value, n.rounded() == n, abs(n) < 1e9 else {
      throw fail(node, path, "expected a whole number, found \(node.kind)")
    }
    return Int(n)
  }

  func bool(_ node: JSONNode, _ path: String) throws -> Bool {
    guard case let .bool(b) = node.value else { throw fail(node, path, "expected true or false, found \(node.kind)") }
    return b
  }

  func conflict(_ root: JSONNode) throws -> Conflict {
    guard case .object = root.value else { throw fail(root, "", "the file must hold a JSON object") }
    guard let optionsNode = root["options"] else { throw fail(root, "", "missing \"options\"") }
    guard let dmsNode = root["decisionMakers"] else { throw fail(root, "", "missing \"decisionMakers\"") }
    var options: [ConflictOption] = []
    let optionNodes = try list(optionsNode, "options")
    guard !optionNodes.isEmpty else { throw fail(optionsNode, "options", "the conflict has no options") }
    guard optionNodes.count <= Conflict.maxOptions else {
      throw fail(
        optionsNode, "options", "\(optionNodes.count) options; at most \(Conflict.maxOptions) are supported")
    }
    for (k, node) in optionNodes.enumerated() {
      let path = "options[\(k)]"
      guard case .object = node.value else { throw fail(node, path, "expected an object, found \(node.kind)") }
      let name = try node["name"].map { try string($0, path + ".name") } ?? "option \(k + 1)"
      var direction = Direction.both
      if let d = node["permittedDirection"] {
        let raw = try string(d, path + ".permittedDirection")
        guard let parsed = Direction(rawValue: raw) else {
          throw fail(d, path + ".permittedDirection", "unknown direction \"\(raw)\" (expected both, fwd or back)")
        }
        direction = parsed
      }
      options.append(ConflictOption(name: name, owner: -1, direction: direction))
    }
    let n = options.count
    var makers: [DecisionMaker] = []
    var owned: [[Int]] = []
    var rankingNodes: [(node: JSONNode, path: String)?] = []
    let dmNodes = try list(dmsNode, "decisionMakers")
    guard !dmNodes.isEmpty else { throw fail(dmsNode, "decisionMakers", "the conflict has no decision makers") }
    for (i, node) in dmNodes.enumerated() {
      let path = "decisionMakers[\(i)]"
      guard case .object = node.value else { throw fail(node, path, "expected an object, found \(node.kind)") }
      let name = try node["name"].map { try string($0, path + ".name") } ?? "DM \(i + 1)"
      var mine: [Int] = []
      if let o = node["options"] {
        for (j, item) in try list(o, path + ".options").enumerated() {
          let p = "\(path).options[\(j)]"
          let k = try int(item, p)
          guard (0..<n).contains(k) else { throw fail(item, p, "option index \(k) is out of range 0...\(n - 1)") }
          if options[k].owner >= 0 {
            let other = options[k].owner == i ? "this decision maker" : "decisionMakers[\(options[k].owner)]"
            throw fail(item, p, "option \(k) (\(options[k].name)) is already controlled by \(other)")
          }
          options[k].owner = i
          mine.append(k)
        }
      }
      owned.append(mine)
      var maker = DecisionMaker(name: name)
      if let prefs = node["preferences"] {
        for (j, s) in try list(prefs, path + ".preferences").enumerated() {
          maker.statements.append(try statement(s, "\(path).preferences[\(j)]", optionCount: n))
        }
        guard maker.statements.count <= Conflict.maxStatements else {
          throw fail(prefs, path + ".preferences", "more than \(Conflict.maxStatements) statements")
        }
      }
      if let m = node["misperceptions"] {
        for (j, s) in try list(m, path + ".misperceptions").enumerated() {
          maker.misperceptions += try statement(s, "\(path).misperceptions[\(j)]", optionCount: n).conditions
        }
      }
      let key = node["preferenceRanking"] != nil ? "preferenceRanking" : "preferenceVector"
      if let r = node[key] {
        maker.ranking = try ranking(r, "\(path).\(key)")
        rankingNodes.append((r, "\(path).\(key)"))
      } else {
        rankingNodes.append(nil)
      }
      makers.append(maker)
    }
    for (k, o) in options.enumerated() where o.owner < 0 {
      throw fail(optionNodes[k], "options[\(k)]", "option \(k) (\(o.name)) is not controlled by any decision maker")
    }
    var infeasible: [Condition] = []
    if let inf = root["infeasibles"] {
      for (j, s) in try list(inf, "infeasibles").enumerated() {
        infeasible += try statement(s, "infeasibles[\(j)]", optionCount: n).conditions
      }
    }
    let manualNode = root["useManualPreferenceRanking"] ?? root["useManualPreferenceVectors"]
    let manualPath =
      root["useManualPreferenceRanking"] != nil ? "useManualPreferenceRanking" : "useManualPreferenceVectors"
    let manual = try manualNode.map { try bool($0, manualPath) } ?? false
    if manual {
      for (i, maker) in makers.enumerated() where maker.ranking == nil {
        throw fail(
          dmNodes[i], "decisionMakers[\(i)]", "\(maker.name) has no preferenceRanking, but \(manualPath) is true")
      }
    } else {
      for i in makers.indices { makers[i].ranking = nil }
    }
    var coalitions: [[Int]]?
    if let cn = root["coalitions"] {
      var groups: [[Int]] = []
      var seen = Set<Int>()
      for (j, g) in try list(cn, "coalitions").enumerated() {
        let path = "coalitions[\(j)]"
        let members: [(JSONNode, String)]
        if case .array(let items) = g.value {
          members = items.enumerated().map { ($1, "\(path)[\($0)]") }
        } else {
          members = [(g, path)]
        }
        var group: [Int] = []
        for (m, p) in members {
          let i = try int(m, p)
          guard makers.indices.contains(i) else {
            throw fail(m, p, "decision maker index \(i) is out of range 0...\(makers.count - 1)")
          }
          guard seen.insert(i).inserted else { throw fail(m, p, "\(makers[i].name) is in two coalitions") }
          group.append(i)
        }
        guard !group.isEmpty else { throw fail(g, path, "a coalition is empty") }
        groups.append(group)
      }
      coalitions = groups.isEmpty ? nil : groups
    }
    var conflict = Conflict(options: options, decisionMakers: makers, infeasible: infeasible, coalitions: coalitions)
    // gmcr-py regroups options by decision maker before numbering states; rankings are in that numbering already.
    let order = owned.flatMap { $0 }
    if order != Array(0..<n) {
      var newIndex = [Int](repeating: 0, count: n)
      for (new, old) in order.enumerated() { newIndex[old] = new }
      let remap: (Condition) -> Condition = { c in
        Condition(c.literals.map { Literal(option: newIndex[$0.option], taken: $0.taken) })
      }
      conflict.options = order.map { options[$0] }
      conflict.infeasible = infeasible.map(remap)
      for i in conflict.decisionMakers.indices {
        conflict.decisionMakers[i].statements = makers[i].statements.map { Statement($0.conditions.map(remap)) }
        conflict.decisionMakers[i].misperceptions = makers[i].misperceptions.map(remap)
      }
    }
    let patterns: [UInt64]
    do {
      patterns = try conflict.feasiblePatterns()
    } catch let e as StrategyError {
      throw fail(root["infeasibles"] ?? root, "infeasibles", e.reason)
    }
    for (i, where_) in rankingNodes.enumerated() {
      guard let where_, let r = conflict.decisionMakers[i].ranking else { continue }
      do {
        _ = try r.payoff(stateCount: patterns.count)
      } catch let e as StrategyError {
        throw fail(where_.node, where_.path, e.reason + " (\(patterns.count) feasible states)")
      }
    }
    return conflict
  }

  /// A condition (`[[option, "Y"|"N"], ...]`) or a compound (`{"compound": true, "members": [...]}`).
  func statement(_ node: JSONNode, _ path: String, optionCount n: Int) throws -> Statement {
    switch node.value {
    case .array:
      return Statement([try condition(node, path, optionCount: n)])
    case .object:
      if let c = node["compound"], try bool(c, path + ".compound") == false {
        throw fail(c, path + ".compound", "expected \"compound\": true")
      }
      guard let members = node["members"] else { throw fail(node, path, "a compound statement needs \"members\"") }
      return Statement(
        try list(members, path + ".members").enumerated().map {
          try condition($1, "\(path).members[\($0)]", optionCount: n)
        })
    default:
      throw fail(
        node, path, "expected a condition (a list of [option, \"Y\"/\"N\"] pairs) or a compound, found \(node.kind)")
    }
  }

  func condition(_ node: JSONNode, _ path: String, optionCount n: Int) throws -> Condition {
    var literals: [Literal] = []
    for (j, pair) in try list(node, path).enumerated() {
      let p = "\(path)[\(j)]"
      let items = try list(pair, p)
      guard items.count == 2 else {
        throw fail(pair, p, "expected [option, \"Y\" or \"N\"], found \(items.count) items")
      }
      let k = try int(items[0], p + "[0]")
      guard (0..<n).contains(k) else {
        throw fail(items[0], p + "[0]", "option index \(k) is out of range 0...\(n - 1)")
      }
      let v = try string(items[1], p + "[1]")
      guard v == "Y" || v == "N" else { throw fail(items[1], p + "[1]", "expected \"Y\" or \"N\", found \"\(v)\"") }
      literals.append(Literal(option: k, taken: v == "Y"))
    }
    return Condition(literals)
  }

  func ranking(_ node: JSONNode, _ path: String) throws -> Ranking {
    var groups: [[Int]] = []
    for (j, item) in try list(node, path).enumerated() {
      let p = "\(path)[\(j)]"
      if case .array(let tie) = item.value {
        groups.append(try tie.enumerated().map { try int($1, "\(p)[\($0)]") })
      } else {
        groups.append([try int(item, p)])
      }
    }
    return Ranking(groups)
  }
}
