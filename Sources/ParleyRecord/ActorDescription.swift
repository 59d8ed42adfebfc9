import ParleyModel

/// What the record says of one actor (its `actor` row), joined over every article that describes
/// it by an order-free rule, so that the row is a function of the set of articles.
//
// `joined(with:)` keeps, field by field, the value a fixed order prefers, which makes it
// commutative, associative and idempotent: a backend may apply it article by article, a batch at
// a time, or as an update of the row that concurrent writers take turns to lock, and every
// interleaving ends in the same row. The order, strings compared as UTF-8 bytes (SQLite's
// `BINARY`, PostgreSQL's `"C"`, never a locale's, which differs between servers):
// - name and kind, as one pair so that a name keeps the kind it was found with: a description
//   from the knowledge base over one found by its shape alone, then the least name, then the
//   least kind (of "Ukrainian students" and "Ukrainian activists", both `ukraine-cvl`, the
//   record names the group "Ukrainian activists", whichever article came first);
// - affiliation, role and sector (the CAMEO sector, "REB", "GOV"), each on its own: a value over
//   none, then the least;
// - known: whether any article found the actor in the knowledge base.
//
// The store backends write this rule as SQL in the upserts they already send
// (`ParleyStore/Ingest.swift`, `ParleyPostgres/PostgresIngest.swift`): a constant-cost update of
// the one row, where a rule over tallies of every description (the most frequent name, say)
// would read them back for each actor of each batch.
public struct ActorDescription: Sendable, Hashable {
  public var name: String
  public var kind: ActorKind
  public var affiliation: String?
  public var role: String?
  /// The CAMEO sector of the actor ("REB", "GOV", "IGO"), when an article gives one.
  public var sector: String?
  public var known: Bool

  /// A description from its columns; `sector` is the CAMEO sector code, nil for none.
  public init(
    name: String, kind: ActorKind, affiliation: String?, role: String?, sector: String? = nil, known: Bool
  ) {
    self.name = name
    self.kind = kind
    self.affiliation = affiliation
    self.role = role
    self.sector = sector
    self.known = known
  }

  /// An article's description of the actor, its sector included.
  public init(_ actor: Actor) {
    self.init(
      name: actor.name, kind: actor.kind, affiliation: actor.affiliation, role: actor.role, sector: actor.sector,
      known: actor.known)
  }

  /// The description the record keeps for an actor that `self` and `other` both describe.
  public func joined(with other: ActorDescription) -> ActorDescription {
    var joined = self
    if other.namesBefore(self) { (joined.name, joined.kind) = (other.name, other.kind) }
    joined.affiliation = Self.least(affiliation, other.affiliation)
    joined.role = Self.least(role, other.role)
    joined.sector = Self.least(sector, other.sector)
    joined.known = known || other.known
    return joined
  }

  /// Every description joined, or nil for none.
  public static func joined<S: Sequence>(_ descriptions: S) -> ActorDescription? where S.Element == ActorDescription {
    descriptions.reduce(nil) { $0?.joined(with: $1) ?? $1 }
  }

  /// Whether this description's name and kind win over `other`'s.
  func namesBefore(_ other: ActorDescription) -> Bool {
    if known != other.known { return known }
    if !name.utf8.elementsEqual(other.name.utf8) { return Self.precedes(name, other.name) }
    return Self.precedes(kind.rawValue, other.kind.rawValue)
  }

  /// Byte order: Swift's `<` on strings follows Unicode's canonical order, which no database's
  /// byte-wise comparison does.
  static func precedes(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }

  static func least(_ a: String?, _ b: String?) -> String? {
    guard let a else { return b }
    guard let b else { return a }
    return precedes(b, a) ? b : a
  }
}
