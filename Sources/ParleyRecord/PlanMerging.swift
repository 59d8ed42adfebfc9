import ParleyModel

/// A plan mention as the family rules see it.
public struct PlanMentionFacts: Sendable, Hashable {
  /// The words of the mention ("the revised 20-point plan").
  public var name: String
  public var points: Int?

  public init(name: String, points: Int?) {
    self.name = name
    self.points = points
  }

  /// The family the words name: "28-point peace plan" → "peace plan".
  public var family: String { PlanIdentity.familyName(name) }

  /// What tells versions of one family apart: the point count, else the mention's words.
  public var versionName: String { points == nil ? name : "" }

  /// What links this mention to mentions of other articles: its point count, or for a mention
  /// without one its family name.
  public var linkKey: String { points.map { "points:\($0)" } ?? "name:" + family }
}

/// A plan family already in the record, as found by a probe: which articles' parties it holds
/// mentions under a link key.
public struct PlanLink: Sendable, Hashable {
  public var planId: Int64
  /// The party signature of an article that mentions the family under the probed key.
  public var parties: String

  public init(planId: Int64, parties: String) {
    self.planId = planId
    self.parties = parties
  }
}

/// What the plan rules need of a database: probes by link key, and the writes of a placement.
public protocol PlanStorage {
  /// Every (family, party signature) holding a mention under `key`.
  func planLinks(key: String) throws -> [PlanLink]
  /// Stores a new, empty family of articles with party signature `parties` and returns its id.
  func insertPlan(parties: String) throws -> Int64
  /// Moves every version, mention, provision, link and name of family `absorbed` to `survivor`
  /// (versions with the same points and name become one) and deletes `absorbed`.
  func mergePlan(_ absorbed: Int64, into survivor: Int64) throws
  /// Records that articles with party signature `parties` mention family `planId` under these
  /// link keys and family names, and renames the family after its most used name.
  func addMembers(planId: Int64, parties: String, keys: [String], familyNames: [String]) throws
  /// The id of the family's version with these points and name, created when missing.
  func version(planId: Int64, points: Int?, name: String) throws -> Int64
}

/// Everything the record's rules ask of a database: the shape each backend (SQLite in
/// `ParleyStore`, PostgreSQL next) implements, inside the transaction that stores one article.
public protocol RecordStorage: EventStorage, PlanStorage {}

/// The plan rules: which plan mentions are versions of one plan.
///
/// Families are the connected components of three links between mentions: the same point count
/// in articles about the same negotiation; the same family name, for mentions without a count,
/// in articles about the same negotiation; and, within one article, a mention and the article's
/// first (numbered) mention when both have one family name or the article marks a revision
/// ("trimmed to 20 points from the original 28"). A component does not depend on the order its
/// articles came in, and a new article reaches the families it links to by one probe per key.
public enum PlanRules {
  /// The countries an article is most about, as one text: sorted codes joined by commas; empty
  /// when it names fewer than two, too few to tell negotiations apart.
  public static func partySignature(_ mainParties: [String]) -> String {
    let codes = Set(mainParties)
    return codes.count < 2 ? "" : codes.sorted().joined(separator: ",")
  }

  /// Whether two articles are about the same negotiation: both name too few countries to tell, or
  /// they share at least two of their main countries. (An article naming too few is not tied to
  /// a negotiation that names enough: it would tie every negotiation's 20-point plan together.)
  public static func sameNegotiation(_ a: String, _ b: String) -> Bool {
    if a.isEmpty || b.isEmpty { return a.isEmpty && b.isEmpty }
    let theirs = Set(b.split(separator: ","))
    return a.split(separator: ",").filter { theirs.contains($0) }.count >= 2
  }

  /// Which mentions of one article are linked within it: for each mention, the index of the first
  /// mention of its group.
  public static func articleGroups(_ mentions: [PlanMentionFacts], cues: [RevisionCue]) -> [Int] {
    var parent = Array(mentions.indices)
    func find(_ i: Int) -> Int {
      var i = i
      while parent[i] != i { i = parent[i] }
      return i
    }
    func union(_ a: Int, _ b: Int) {
      let (x, y) = (find(a), find(b))
      if x != y { parent[max(x, y)] = min(x, y) }
    }
    // The anchor: the first numbered mention, else the first.
    guard let anchor = mentions.indices.first(where: { mentions[$0].points != nil }) ?? mentions.indices.first
    else { return [] }
    let revision = cues.contains { $0 != .unmarked }
    for i in mentions.indices where i != anchor {
      if revision || mentions[i].family == mentions[anchor].family { union(i, anchor) }
    }
    // Mentions linked across articles are linked within one too.
    var firstWithKey: [String: Int] = [:]
    for i in mentions.indices {
      if let j = firstWithKey[mentions[i].linkKey] { union(i, j) } else { firstWithKey[mentions[i].linkKey] = i }
    }
    return mentions.indices.map(find)
  }

  /// Puts an article's plan mentions in the record and returns each mention's version id.
  public static func place(
    _ mentions: [PlanMentionFacts], cues: [RevisionCue], mainParties: [String], in storage: some PlanStorage
  ) throws -> [Int64] {
    let parties = partySignature(mainParties)
    let groups = articleGroups(mentions, cues: cues)
    var versions: [Int64] = Array(repeating: -1, count: mentions.count)
    for group in Set(groups).sorted() {
      let members = mentions.indices.filter { groups[$0] == group }
      let keys = Set(members.map { mentions[$0].linkKey }).sorted()
      var linked: Set<Int64> = []
      for key in keys {
        for link in try storage.planLinks(key: key) where sameNegotiation(parties, link.parties) {
          linked.insert(link.planId)
        }
      }
      let planId = try linked.min() ?? storage.insertPlan(parties: parties)
      for other in linked.sorted() where other != planId { try storage.mergePlan(other, into: planId) }
      try storage.addMembers(
        planId: planId, parties: parties, keys: keys, familyNames: members.map { mentions[$0].family })
      for i in members {
        versions[i] = try storage.version(
          planId: planId, points: mentions[i].points, name: mentions[i].versionName)
      }
    }
    return versions
  }
}

/// A plan mention of one article as the provision rule sees it: where it is, what it counts, how
/// it is marked, and the version the plan rules put it in.
public struct PlacedPlanMention: Sendable, Hashable {
  public var version: Int64
  public var points: Int?
  /// Offset of the mention in its article's source.
  public var start: Int
  public var cue: RevisionCue

  public init(version: Int64, points: Int?, start: Int, cue: RevisionCue) {
    self.version = version
    self.points = points
    self.start = start
    self.cue = cue
  }
}

extension PlanRules {
  /// The version a provision of the article belongs to: the one with the point count the
  /// provision names; else the article's only version; else, of several, the one marked newer
  /// ("revised", "new": the older is named for contrast), on a tie the one named last before the
  /// provision. Nil when the article names no plan.
  /// The version each provision of article `x` belongs to, given the version each of its plan
  /// mentions was placed in (`versions[i]` for `x.plans[i]`, named with `cues[i]`).
  public static func provisionVersions(of x: Extraction, versions: [Int64], cues: [RevisionCue]) -> [Int64?] {
    let mentions = x.plans.indices.map { i in
      PlacedPlanMention(version: versions[i], points: x.plans[i].points, start: x.plans[i].span.start, cue: cues[i])
    }
    return x.provisions.map { provisionVersion(at: $0.span.start, points: $0.planPoints, mentions: mentions) }
  }

  public static func provisionVersion(at start: Int, points: Int?, mentions: [PlacedPlanMention]) -> Int64? {
    if let points, let match = mentions.first(where: { $0.points == points }) { return match.version }
    if Set(mentions.map(\.version)).count == 1 { return mentions.first?.version }
    func rank(_ m: PlacedPlanMention) -> (Int, Int, Int) {
      let before = m.start <= start
      return (m.cue.rawValue, before ? 1 : 0, before ? m.start : -m.start)
    }
    return mentions.max { rank($0) < rank($1) }?.version
  }
}
