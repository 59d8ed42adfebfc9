import ParleyModel
import ParleyText

/// A canonical identity in the knowledge base: a person, organization, country, place or outlet.
public struct Entity: Sendable, Hashable, Decodable {
  public var id: String
  public var name: String
  public var kind: ActorKind
  public var affiliation: String?
  public var role: String?
  /// The CAMEO sector of an organization or body (GOV, MIL, REB, IGO, ...), when the file gives one.
  public var sector: String?
  public var offices: [String]
  public var aliases: [String]
  /// Short forms that alone mean this entity ("Putin").
  public var short: [String]
  /// Country adjectives and nouns ("Ukrainian", "Ukrainians").
  public var demonyms: [String]

  public init(
    id: String, name: String, kind: ActorKind, affiliation: String?, role: String? = nil, sector: String? = nil,
    offices: [String] = [],
    aliases: [String] = [], short: [String] = [], demonyms: [String] = []
  ) {
    self.id = id
    self.name = name
    self.kind = kind
    self.affiliation = affiliation
    self.role = role
    self.sector = sector
    self.offices = offices
    self.aliases = aliases
    self.short = short
    self.demonyms = demonyms
  }

  enum CodingKeys: String, CodingKey {
    case id, name, kind, affiliation, role, sector, offices, aliases, short, demonyms
  }

  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    name = try c.decode(String.self, forKey: .name)
    id = try c.decodeIfPresent(String.self, forKey: .id) ?? Slug.make(name)
    kind = try c.decode(ActorKind.self, forKey: .kind)
    affiliation = try c.decodeIfPresent(String.self, forKey: .affiliation)
    role = try c.decodeIfPresent(String.self, forKey: .role)
    sector = try c.decodeIfPresent(String.self, forKey: .sector)
    offices = try c.decodeIfPresent([String].self, forKey: .offices) ?? []
    aliases = try c.decodeIfPresent([String].self, forKey: .aliases) ?? []
    short = try c.decodeIfPresent([String].self, forKey: .short) ?? []
    demonyms = try c.decodeIfPresent([String].self, forKey: .demonyms) ?? []
  }
}

/// A country record of countries.json; becomes a country entity and a capital place entity.
struct CountryRecord: Decodable {
  var code: String
  var name: String
  var aliases: [String]?
  var demonyms: [String]?
  var capital: String?
  var capital_aliases: [String]?
}

/// Lowercase ASCII slugs for ids ("Volodymyr Zelenskyy" -> "volodymyr-zelenskyy").
public enum Slug {
  public static func make(_ s: String) -> String {
    var out = ""
    var dash = false
    for c in Fold.diacritics(s.lowercased()).unicodeScalars {
      if Scalars.isASCIILetter(c.value) || Scalars.isDigit(c.value) {
        if dash, !out.isEmpty { out.append("-") }
        out.unicodeScalars.append(c)
        dash = false
      } else {
        dash = true
      }
    }
    return out.isEmpty ? "x" : out
  }
}
