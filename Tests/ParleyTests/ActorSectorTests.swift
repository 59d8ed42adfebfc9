import Foundation
import GRDB
import ParleyStore
import ParleyText
import Testing

@testable import ParleyServer

/// The actor's CAMEO sector, as the extraction gives it, kept in the record (SQLite) and shown by
/// its readers: the actors list and detail, their JSON, the actor's page.
@Suite("Actor sector")
struct ActorSectorTests {
  static let rebels = """
    Title: Fighting in Darfur
    Date: 2025-06-02

    Sudanese rebels attacked the town of El Fasher on Sunday, the army said.
    """

  /// Another article on the same group, with other news.
  static let rebelsAgain = """
    Title: Darfur town shelled
    Date: 2025-06-05

    Sudanese rebels shelled a market in El Fasher on Thursday, killing twelve people, witnesses said.
    """

  /// The group the extraction finds in `rebels`.
  static let rebelId = "sudan-reb"

  static func sector(_ store: RecordStore, _ id: String) throws -> String?? {
    try store.actor(id: id).map(\.actor.sector)
  }

  @Test("An ingested article's group keeps the sector the extraction gives it")
  func ingestKeepsTheSector() throws {
    let store = try StoreSupport.emptyStore()
    let extracted = try StoreSupport.preparer().prepare(
      try ArticleReader.article(path: "rebels.txt", text: Self.rebels).get())
    let group = try #require(extracted.extraction.actors.first { $0.id == Self.rebelId })
    #expect(group.sector == "REB")
    try StoreSupport.ingest(Self.rebels, into: store, name: "rebels.txt")
    #expect(try Self.sector(store, Self.rebelId) == "REB")
    let listed = try store.actors(kind: nil, query: nil, limit: 100, offset: 0).items
    #expect(listed.first { $0.id == Self.rebelId }?.sector == "REB")
    // Every stored actor has the sector the extraction gave it (nil for none).
    for actor in extracted.extraction.actors {
      #expect(listed.first { $0.id == actor.id }?.sector == actor.sector, "\(actor.id)")
    }
    #expect(listed.contains { $0.sector == nil }, "some actor has no sector")
  }

  @Test("Ingesting again, or another article on the same group, leaves the sector as it is")
  func ingestIsIdempotent() throws {
    let store = try StoreSupport.emptyStore()
    try StoreSupport.ingest(Self.rebels, into: store, name: "rebels.txt")
    let before = try store.actors(kind: nil, query: nil, limit: 100, offset: 0).items
    let again = try StoreSupport.ingest(Self.rebels, into: store, name: "copy.txt")
    guard case .duplicate = again else {
      Issue.record("second ingest: \(again)")
      return
    }
    #expect(try store.actors(kind: nil, query: nil, limit: 100, offset: 0).items == before)
    try StoreSupport.ingest(Self.rebelsAgain, into: store, name: "again.txt")
    #expect(try Self.sector(store, Self.rebelId) == "REB")
  }

  @Test("A record written before actor sectors opens with its rows intact and the column added")
  func migrationAddsTheColumn() throws {
    let store = try StoreSupport.emptyStore()
    try StoreSupport.ingest(Self.rebels, into: store, name: "rebels.txt")
    let before = try store.actors(kind: nil, query: nil, limit: 100, offset: 0).items
    let overview = try store.overview()
    let path = store.path
    // Back to what migration v11 left: no sector column, no record of v12.
    let queue = try DatabaseQueue(path: path)
    try queue.write { db in
      try db.execute(
        sql: """
          ALTER TABLE actor DROP COLUMN sector;
          DELETE FROM grdb_migrations WHERE identifier LIKE 'v12:%';
          """)
    }
    try queue.close()
    #expect(try !DatabaseQueue(path: path).read { try $0.columns(in: "actor").map(\.name) }.contains("sector"))

    let reopened = try RecordStore(path: path)
    #expect(try reopened.appliedMigrations().contains { $0.hasPrefix("v12:") })
    let columns = try DatabaseQueue(path: path).read { try $0.columns(in: "actor").map(\.name) }
    #expect(columns.contains("sector"))
    #expect(try reopened.integrityCheck() == "ok")
    #expect(try reopened.overview() == overview)
    // Every row kept, with no sector until an article gives one.
    let migrated = try reopened.actors(kind: nil, query: nil, limit: 100, offset: 0).items
    #expect(migrated.map(\.id) == before.map(\.id))
    #expect(migrated.allSatisfy { $0.sector == nil })
    var withoutSectors = before
    for i in withoutSectors.indices { withoutSectors[i].sector = nil }
    #expect(migrated == withoutSectors)
    try StoreSupport.ingest(Self.rebelsAgain, into: reopened, name: "again.txt")
    #expect(try Self.sector(reopened, Self.rebelId) == "REB")
  }

  @Test("The actor's JSON has its sector, and null for an actor without one")
  func jsonCarriesTheSector() throws {
    let store = try StoreSupport.emptyStore()
    try StoreSupport.ingest(Self.rebels, into: store, name: "rebels.txt")
    let page = try store.actors(kind: nil, query: nil, limit: 100, offset: 0)
    guard case .array(let items) = try JSONValue.parse(try JSONEncoder().encode(page.items)) else {
      Issue.record("not an array")
      return
    }
    let rebel = try #require(items.first { $0["id"]?.string == Self.rebelId })
    #expect(rebel["sector"]?.string == "REB")
    let other = try #require(items.first { $0["id"]?.string != Self.rebelId && $0["sector"] == .null })
    #expect(other["sector"] == .null)
  }

  @Test("The actor's page shows the sector with its label next to the affiliation")
  func pageShowsTheSector() throws {
    let store = try StoreSupport.emptyStore()
    try StoreSupport.ingest(Self.rebels, into: store, name: "rebels.txt")
    let html = try #require(try PageRenderer(store: store).actor(id: Self.rebelId))
    #expect(html.contains("<dt>Sector</dt><dd>REB (rebels)</dd>"))
    #expect(SectorLabels.text("GOV") == "GOV (government)")
    #expect(SectorLabels.text("XYZ") == "XYZ")
    #expect(SectorLabels.text(nil) == "")
  }
}
