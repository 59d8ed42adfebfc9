/// An outlet the article names as the origin of its information ("according to Reuters").
public struct Citation: Hashable, Sendable {
  /// Canonical outlet name.
  public var outlet: String
  public var text: String
  public var span: TextSpan
  public init(outlet: String, text: String, span: TextSpan) {
    self.outlet = outlet
    self.text = text
    self.span = span
  }
}

/// A who-did-what-to-whom event coded in CAMEO.
public struct Event: Hashable, Sendable {
  public var cameo: CAMEOCode
  /// Actor ids from the same extraction.
  public var source: String?
  public var target: String?
  public var date: PartialDate?
  public var location: String?
  /// Canonical name of the outlet the event rests on, if the text says.
  public var cited: String?
  /// The sentence the event was coded from.
  public var text: String
  public var span: TextSpan
  /// The words that triggered the code (for explanation and highlighting).
  public var trigger: String
  /// Every party of the one happening this event is a dyad of, when it had more than two
  /// ("X met Y and Z": the dyads X-Y and X-Z share the participants X, Y, Z); else empty.
  public var participants: [String] = []

  public init(
    cameo: CAMEOCode, source: String?, target: String?, date: PartialDate? = nil,
    location: String? = nil, cited: String? = nil, text: String, span: TextSpan, trigger: String = ""
  ) {
    self.cameo = cameo
    self.source = source
    self.target = target
    self.date = date
    self.location = location
    self.cited = cited
    self.text = text
    self.span = span
    self.trigger = trigger
  }
}

/// A named proposal, usually with a point count ("28-point peace plan").
public struct Plan: Hashable, Sendable {
  public var name: String
  public var points: Int?
  public var text: String
  public var span: TextSpan
  public init(name: String, points: Int?, text: String, span: TextSpan) {
    self.name = name
    self.points = points
    self.text = text
    self.span = span
  }
}

/// The twelve provision categories of the gold standard.
public enum ProvisionCategory: String, Sendable, Hashable, CaseIterable, Codable {
  case ceasefire, territory
  case militaryLimits = "military_limits"
  case alliances
  case securityGuarantees = "security_guarantees"
  case sanctions, assets
  case languageCultureReligion = "language_culture_religion"
  case governance, humanitarian, economic, monitoring
}

/// A term of a proposal that the article states.
public struct Provision: Hashable, Sendable {
  public var category: ProvisionCategory
  public var text: String
  public var span: TextSpan
  /// Actor ids.
  public var demandedBy: String?
  public var appliesTo: String?
  /// Points of the plan the provision belongs to, when the article ties it to one.
  public var planPoints: Int?

  public init(
    category: ProvisionCategory, text: String, span: TextSpan, demandedBy: String? = nil,
    appliesTo: String? = nil, planPoints: Int? = nil
  ) {
    self.category = category
    self.text = text
    self.span = span
    self.demandedBy = demandedBy
    self.appliesTo = appliesTo
    self.planPoints = planPoints
  }
}
