/// What kind of thing an actor is; the contract's `kind` field.
public enum ActorKind: String, Sendable, Hashable, CaseIterable, Codable {
  case person, organization, country, place, media
}

/// One occurrence of an actor in the source text.
public struct Mention: Hashable, Sendable {
  public var text: String
  public var span: TextSpan
  public init(text: String, span: TextSpan) {
    self.text = text
    self.span = span
  }
}

/// An actor found in one article, linked to a canonical identity when the knowledge base knows it.
public struct Actor: Hashable, Sendable, Identifiable {
  /// Canonical id (knowledge-base id, or a slug of the name for actors found by their shape).
  public var id: String
  public var name: String
  public var kind: ActorKind
  /// ISO 3166-1 alpha-3 code or organization code (EU, NATO, ...), or nil when unknown.
  public var affiliation: String?
  public var role: String?
  /// True when the knowledge base knows the actor; false for names found by their shape alone.
  public var known: Bool
  /// The CAMEO sector of a group named by its kind ("rebels" REB, "students" CVL), else nil.
  public var sector: String?
  /// The non-state group a person speaks or acts for, as the article's title says ("M23
  /// spokesman X"): its acts against its own state are not domestic. Not part of the contract.
  public var group: String?
  public var mentions: [Mention]

  public init(
    id: String, name: String, kind: ActorKind, affiliation: String?, role: String? = nil,
    known: Bool = true, mentions: [Mention] = [], sector: String? = nil
  ) {
    self.id = id
    self.name = name
    self.kind = kind
    self.affiliation = affiliation
    self.role = role
    self.known = known
    self.mentions = mentions
    self.sector = sector
  }
}
