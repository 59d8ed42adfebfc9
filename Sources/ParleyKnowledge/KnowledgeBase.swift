import Foundation
import ParleyModel
import ParleyText

/// The actors Parley knows: countries, capitals, organizations, government bodies, places,
/// people and outlets, loaded once from data files, with a gazetteer over all their names.
public struct KnowledgeBase: Sendable {
  public private(set) var entities: [Entity] = []
  private var byID: [String: Int] = [:]
  public private(set) var gazetteer = Gazetteer()
  /// Country entity index by alpha-3 code.
  public private(set) var countryByCode: [String: Int] = [:]
  /// Organization entity index by its own code ("EU", "NATO").
  public private(set) var organizationByCode: [String: Int] = [:]

  public init() {}

  /// The files of the bundled knowledge base, in load order.
  public static let bundledFiles = [
    "countries.json", "organizations.json", "bodies.json", "places.json", "people.json", "former-leaders.json",
    "outlets.json",
  ]

  /// Loads the bundled knowledge base from `directory/kb`, then each user file in `extra`.
  public static func load(directory: URL, extra: [URL] = []) throws -> KnowledgeBase {
    var kb = KnowledgeBase()
    let kbDir = directory.appendingPathComponent("kb")
    for file in bundledFiles {
      let url = kbDir.appendingPathComponent(file)
      if FileManager.default.fileExists(atPath: url.path) { try kb.add(fileAt: url) }
    }
    for url in extra { try kb.add(fileAt: url) }
    return kb
  }

  struct EntityFile: Decodable {
    var entities: [Entity]?
    var countries: [CountryRecord]?
  }

  /// Adds the entities (and countries) of a JSON file; an id already present is replaced.
  public mutating func add(fileAt url: URL) throws {
    let file = try decodeFile(EntityFile.self, at: url)
    if file.entities == nil && file.countries == nil {
      throw KnowledgeError(file: url.path, reason: "expected an object with \"entities\" or \"countries\"")
    }
    for c in file.countries ?? [] { add(country: c) }
    let bodies = url.lastPathComponent == "bodies.json"
    for var e in file.entities ?? [] {
      // Seats of power stand for their government: acts between them and their state are internal.
      if bodies, e.role == nil { e.role = "government body" }
      add(e)
    }
  }

  mutating func add(country c: CountryRecord) {
    var aliases = c.aliases ?? []
    if !aliases.contains(c.name) { aliases.append(c.name) }
    let country = Entity(
      id: Slug.make(c.name), name: c.name, kind: .country, affiliation: c.code.uppercased(), aliases: aliases,
      demonyms: c.demonyms ?? [])
    add(country)
    if let capital = c.capital, !capital.isEmpty, byID[Slug.make(capital)] == nil {
      add(
        Entity(
          id: Slug.make(capital), name: capital, kind: .place, affiliation: c.code.uppercased(),
          role: "capital", aliases: c.capital_aliases ?? []))
    }
  }

  /// Adds or replaces one entity and indexes all its names.
  public mutating func add(_ e: Entity) {
    let index: Int
    if let existing = byID[e.id] {
      index = existing
      entities[index] = e
    } else {
      index = entities.count
      entities.append(e)
      byID[e.id] = index
    }
    let i32 = Int32(index)
    if e.kind == .country, let code = e.affiliation { countryByCode[code] = index }
    if e.kind == .organization, let code = e.affiliation, Slug.make(code) == e.id || code == e.name {
      organizationByCode[code] = index
    }
    gazetteer.insert(e.name, entity: i32, form: .name)
    for a in e.aliases { gazetteer.insert(a, entity: i32, form: .name) }
    for s in e.short { gazetteer.insert(s, entity: i32, form: .short) }
    for d in e.demonyms { gazetteer.insert(d, entity: i32, form: .demonym) }
    if e.kind == .person {
      // Surnames link only after a full mention: "Martin" alone is nobody in particular.
      for full in [e.name] + e.aliases {
        let parts = full.split(separator: " ")
        if parts.count >= 2, let last = parts.last, last.count >= 3, last.first?.isUppercase == true {
          gazetteer.insert(String(last), entity: i32, form: .surname)
        }
      }
    }
  }

  public func entity(id: String) -> Entity? { byID[id].map { entities[$0] } }
  public func entity(at index: Int32) -> Entity { entities[Int(index)] }
  public var count: Int { entities.count }

  /// The actor that stands for an affiliation code: the country, or the organization with that code.
  public func entity(forAffiliation code: String) -> Entity? {
    if let i = countryByCode[code] { return entities[i] }
    if let i = organizationByCode[code] { return entities[i] }
    return nil
  }
}
