import Foundation
import ParleyModel
import ParleyYAML
import Yams

/// What an analyst states about a negotiation that reporting cannot: parties, red lines, plan texts.
public struct NegotiationFile: Sendable, Hashable, Codable {
  /// A side of the negotiation and the positions the analyst records for it.
  public struct Party: Sendable, Hashable, Codable {
    /// ISO alpha-3 or organization code; actors with this affiliation belong to the party.
    public var code: String
    public var name: String
    /// Extra actor ids that count for this party whatever their affiliation.
    public var actors: [String]
    public var redLines: [RedLine]

    enum CodingKeys: String, CodingKey { case code, name, actors, redLines = "red_lines" }

    public init(code: String, name: String, actors: [String] = [], redLines: [RedLine] = []) {
      self.code = code
      self.name = name
      self.actors = actors
      self.redLines = redLines
    }

    public init(from decoder: Decoder) throws {
      let c = try decoder.container(keyedBy: CodingKeys.self)
      code = try c.decode(String.self, forKey: .code)
      name = try c.decodeIfPresent(String.self, forKey: .name) ?? code
      actors = try c.decodeIfPresent([String].self, forKey: .actors) ?? []
      redLines = try c.decodeIfPresent([RedLine].self, forKey: .redLines) ?? []
    }
  }

  /// A stated position of a party on one provision category.
  public struct RedLine: Sendable, Hashable, Codable {
    public var category: ProvisionCategory
    /// `redLine` unless the file says otherwise.
    public var stance: Stance
    public var text: String

    public init(category: ProvisionCategory, stance: Stance = .redLine, text: String) {
      self.category = category
      self.stance = stance
      self.text = text
    }

    enum CodingKeys: String, CodingKey { case category, stance, text }

    public init(from decoder: Decoder) throws {
      let c = try decoder.container(keyedBy: CodingKeys.self)
      category = try c.decode(ProvisionCategory.self, forKey: .category)
      stance = try c.decodeIfPresent(Stance.self, forKey: .stance) ?? .redLine
      text = try c.decodeIfPresent(String.self, forKey: .text) ?? ""
    }
  }

  /// One text of a plan, as the analyst has it.
  public struct PlanVersion: Sendable, Hashable, Codable {
    public var label: String
    public var points: Int?
    /// "YYYY", "YYYY-MM" or "YYYY-MM-DD".
    public var date: String?
    public var provisions: [StatedProvision]

    public init(label: String, points: Int? = nil, date: String? = nil, provisions: [StatedProvision] = []) {
      self.label = label
      self.points = points
      self.date = date
      self.provisions = provisions
    }

    enum CodingKeys: String, CodingKey { case label, points, date, provisions }

    public init(from decoder: Decoder) throws {
      let c = try decoder.container(keyedBy: CodingKeys.self)
      label = try c.decode(String.self, forKey: .label)
      points = try c.decodeIfPresent(Int.self, forKey: .points)
      date = try c.decodeIfPresent(String.self, forKey: .date)
      provisions = try c.decodeIfPresent([StatedProvision].self, forKey: .provisions) ?? []
    }

    /// `date` as a partial date (nil when absent; `parse` rejects malformed ones).
    public var partialDate: PartialDate? { date.flatMap(PartialDate.init(iso:)) }
  }

  /// A provision a plan text contains, in the analyst's words.
  public struct StatedProvision: Sendable, Hashable, Codable {
    public var category: ProvisionCategory
    public var text: String

    public init(category: ProvisionCategory, text: String) {
      self.category = category
      self.text = text
    }
  }

  /// A named proposal and its successive texts, oldest first.
  public struct Plan: Sendable, Hashable, Codable {
    public var name: String
    public var versions: [PlanVersion]

    public init(name: String, versions: [PlanVersion] = []) {
      self.name = name
      self.versions = versions
    }

    enum CodingKeys: String, CodingKey { case name, versions }

    public init(from decoder: Decoder) throws {
      let c = try decoder.container(keyedBy: CodingKeys.self)
      name = try c.decode(String.self, forKey: .name)
      versions = try c.decodeIfPresent([PlanVersion].self, forKey: .versions) ?? []
    }
  }

  public var negotiation: String?
  public var parties: [Party]
  public var plans: [Plan]

  public init(negotiation: String? = nil, parties: [Party] = [], plans: [Plan] = []) {
    self.negotiation = negotiation
    self.parties = parties
    self.plans = plans
  }

  enum CodingKeys: String, CodingKey { case negotiation, parties, plans }

  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    negotiation = try c.decodeIfPresent(String.self, forKey: .negotiation)
    parties = try c.decodeIfPresent([Party].self, forKey: .parties) ?? []
    plans = try c.decodeIfPresent([Plan].self, forKey: .plans) ?? []
  }

  /// Reads and parses a negotiation file; errors name the file.
  public static func load(path: String) throws -> NegotiationFile {
    let data: Data
    do {
      data = try Data(contentsOf: URL(fileURLWithPath: path))
    } catch {
      throw RecordError(file: path, reason: "cannot be read")
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw RecordError(file: path, reason: "is not UTF-8 text")
    }
    return try parse(yaml: text, file: path)
  }

  /// Parses YAML; errors name the file and line and say what is wrong (unknown category with the allowed list, a
  /// date that is not YYYY[-MM[-DD]], missing code, duplicate party code, not a mapping...).
  public static func parse(yaml: String, file: String) throws -> NegotiationFile {
    let root: Node?
    do {
      root = try StrictYAML.compose(yaml)
    } catch {
      throw RecordError(file: file, line: error.line, reason: error.reason)
    }
    guard let root else { throw RecordError(file: file, reason: "is empty; expected a mapping with parties and plans") }
    return try YAMLFields(file: file).negotiation(root)
  }

  /// The party a reported actor belongs to: an explicit `actors` entry first, then the actor's affiliation if it is
  /// a party code.
  public func party(ofActor id: String, affiliation: String?) -> String? {
    if let p = parties.first(where: { $0.actors.contains(id) }) { return p.code }
    guard let affiliation else { return nil }
    return party(code: affiliation)?.code
  }

  /// The party with this code, compared without regard to case.
  public func party(code: String) -> Party? {
    let wanted = code.uppercased()
    return parties.first { $0.code.uppercased() == wanted }
  }
}

/// One reported stance, as the store hands it over for checking.
public struct ReportedStance: Sendable, Hashable {
  /// Party code.
  public var party: String
  public var category: ProvisionCategory
  public var stance: Stance
  /// The sentence the stance was read from.
  public var evidence: String
  public var articleId: Int64

  public init(party: String, category: ProvisionCategory, stance: Stance, evidence: String, articleId: Int64) {
    self.party = party
    self.category = category
    self.stance = stance
    self.evidence = evidence
    self.articleId = articleId
  }
}

/// Where the reporting contradicts the analyst's file.
public struct Contradiction: Sendable, Hashable, Codable {
  public var party: String
  public var category: ProvisionCategory
  public var stated: Stance
  public var reported: Stance
  public var statedText: String
  public var evidence: String
  public var articleId: Int64

  enum CodingKeys: String, CodingKey {
    case party, category, stated, reported, statedText = "stated_text", evidence, articleId = "article_id"
  }

  public init(
    party: String, category: ProvisionCategory, stated: Stance, reported: Stance, statedText: String,
    evidence: String, articleId: Int64
  ) {
    self.party = party
    self.category = category
    self.stated = stated
    self.reported = reported
    self.statedText = statedText
    self.evidence = evidence
    self.articleId = articleId
  }
}

extension NegotiationFile {
  /// Whether a reported stance opposes a stated one. Refusals (`rejects`, `red_line`) oppose `accepts` and
  /// `proposes`; wanting or tolerating (`demands`, `proposes`, `accepts`) is opposed by `rejects` and `red_line`.
  /// A reported `demands` does not oppose a stated refusal: one category holds both sides' terms (refusing NATO
  /// membership while demanding neutrality is one position, both under alliances).
  public static func opposes(stated: Stance, reported: Stance) -> Bool {
    switch stated {
    case .rejects, .redLine: return reported == .accepts || reported == .proposes
    case .demands, .proposes, .accepts: return reported.isNegative
    }
  }

  /// Every pair of a red line and a reported stance of the same party and category that oppose each other
  /// (see `opposes(stated:reported:)`), in the order of `reported`, then of the red lines.
  public func contradictions(with reported: [ReportedStance]) -> [Contradiction] {
    var out: [Contradiction] = []
    for r in reported {
      guard let party = party(code: r.party) else { continue }
      for line in party.redLines where line.category == r.category {
        guard Self.opposes(stated: line.stance, reported: r.stance) else { continue }
        out.append(
          Contradiction(
            party: party.code, category: r.category, stated: line.stance, reported: r.stance, statedText: line.text,
            evidence: r.evidence, articleId: r.articleId))
      }
    }
    return out
  }
}

/// Walks the YAML node tree of a negotiation file, so every error can say which line is wrong and why.
private struct YAMLFields {
  let file: String

  func fail(_ node: Node?, _ reason: String) -> RecordError {
    RecordError(file: file, line: node?.mark?.line, reason: reason)
  }

  /// The shared strict reading, with its errors in this format's type.
  func shaped<T>(_ body: () throws(YAMLShapeError) -> T) throws -> T {
    do {
      return try body()
    } catch {
      throw RecordError(file: file, line: error.line, reason: error.reason)
    }
  }
  func isNull(_ node: Node) -> Bool { StrictYAML.isNull(node) }
  func mapping(_ node: Node, _ what: String, allowed: [String]) throws -> [String: Node] {
    try shaped { () throws(YAMLShapeError) in try StrictYAML.mapping(node, what, allowed: allowed) }
  }
  func sequence(_ node: Node?, _ what: String) throws -> [Node] {
    try shaped { () throws(YAMLShapeError) in try StrictYAML.sequence(node, what) }
  }

  /// A text value; nil when absent or null.
  func string(_ node: Node?, _ what: String) throws -> String? {
    try shaped { () throws(YAMLShapeError) in try StrictYAML.string(node, what) }
  }

  func required(_ node: Node?, _ what: String, in parent: Node) throws -> String {
    guard let value = try string(node, what) else { throw fail(node ?? parent, "missing \(what)") }
    return value
  }

  /// "Military limits", "military-limits" and "military_limits" all name the same category.
  func normalized(_ s: String) -> String {
    s.lowercased().replacingOccurrences(of: " ", with: "_").replacingOccurrences(of: "-", with: "_")
  }

  func category(_ node: Node?, _ what: String, in parent: Node) throws -> ProvisionCategory {
    let raw = try required(node, "category of \(what)", in: parent)
    guard let c = ProvisionCategory(rawValue: normalized(raw)) else {
      let allowed = ProvisionCategory.allCases.map(\.rawValue).joined(separator: ", ")
      throw fail(node, "unknown category '\(raw)' in \(what) (allowed: \(allowed))")
    }
    return c
  }

  func negotiation(_ root: Node) throws -> NegotiationFile {
    let top = try mapping(root, "the file", allowed: ["negotiation", "parties", "plans", "conflict"])
    var result = NegotiationFile(negotiation: try string(top["negotiation"], "negotiation"))
    for (i, node) in try sequence(top["parties"], "parties").enumerated() {
      let party = try self.party(node, index: i)
      if let other = result.party(code: party.code) {
        throw fail(node, "duplicate party code '\(party.code)' (already used by \(other.name))")
      }
      result.parties.append(party)
    }
    for (i, node) in try sequence(top["plans"], "plans").enumerated() {
      result.plans.append(try plan(node, index: i))
    }
    return result
  }

  func party(_ node: Node, index: Int) throws -> NegotiationFile.Party {
    let what = "party \(index + 1)"
    let fields = try mapping(node, what, allowed: ["code", "name", "actors", "red_lines"])
    let code = try required(fields["code"], "code of \(what)", in: node)
    let name = try string(fields["name"], "name of \(what)") ?? code
    var actors: [String] = []
    if let single = fields["actors"], case .scalar = single, let id = try string(single, "actors of \(code)") {
      // A lone id is as clear as a one-item list.
      actors = [id]
    } else {
      for a in try sequence(fields["actors"], "actors of \(code)") {
        if let id = try string(a, "an actor of \(code)") { actors.append(id) }
      }
    }
    var redLines: [NegotiationFile.RedLine] = []
    for (j, r) in try sequence(fields["red_lines"], "red_lines of \(code)").enumerated() {
      let lineWhat = "red line \(j + 1) of \(code)"
      let f = try mapping(r, lineWhat, allowed: ["category", "stance", "text"])
      var stance = Stance.redLine
      if let raw = try string(f["stance"], "stance of \(lineWhat)") {
        guard let s = Stance(rawValue: normalized(raw)) else {
          let allowed = Stance.allCases.map(\.rawValue).joined(separator: ", ")
          throw fail(f["stance"], "unknown stance '\(raw)' in \(lineWhat) (allowed: \(allowed))")
        }
        stance = s
      }
      redLines.append(
        NegotiationFile.RedLine(
          category: try category(f["category"], lineWhat, in: r), stance: stance,
          text: try string(f["text"], "text of \(lineWhat)") ?? ""))
    }
    return NegotiationFile.Party(code: code, name: name, actors: actors, redLines: redLines)
  }

  func plan(_ node: Node, index: Int) throws -> NegotiationFile.Plan {
    let fields = try mapping(node, "plan \(index + 1)", allowed: ["name", "versions"])
    let name = try required(fields["name"], "name of plan \(index + 1)", in: node)
    var versions: [NegotiationFile.PlanVersion] = []
    for (j, v) in try sequence(fields["versions"], "versions of \(name)").enumerated() {
      let what = "version \(j + 1) of \(name)"
      let f = try mapping(v, what, allowed: ["label", "points", "date", "provisions"])
      var points: Int?
      if let raw = try string(f["points"], "points of \(what)") {
        guard let n = Int(raw), n > 0 else {
          throw fail(f["points"], "points of \(what) must be a positive whole number, not '\(raw)'")
        }
        points = n
      }
      let date = try string(f["date"], "date of \(what)")
      if let date, PartialDate(iso: date) == nil {
        throw fail(f["date"], "date '\(date)' of \(what) is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD")
      }
      var provisions: [NegotiationFile.StatedProvision] = []
      for (k, p) in try sequence(f["provisions"], "provisions of \(what)").enumerated() {
        let pWhat = "provision \(k + 1) of \(what)"
        let pf = try mapping(p, pWhat, allowed: ["category", "text"])
        provisions.append(
          NegotiationFile.StatedProvision(
            category: try category(pf["category"], pWhat, in: p), text: try string(pf["text"], "text of \(pWhat)") ?? ""
          ))
      }
      let label =
        try string(f["label"], "label of \(what)") ?? points.map { "\($0)-point version" } ?? "version \(j + 1)"
      versions.append(NegotiationFile.PlanVersion(label: label, points: points, date: date, provisions: provisions))
    }
    return NegotiationFile.Plan(name: name, versions: versions)
  }
}
