import Foundation
import GRDB
import ParleyBenchmarks
import ParleyRecord
import ParleyStore
import ParleyText
import Testing

/// The record is a function of the set of articles: the same files ingested in another order
/// give the same events, plans and positions (row ids aside, which count arrival).
@Suite("Ingest order")
struct IngestOrderTests {
  /// The seed articles and generated reporting with near-copies and duplicates, as files.
  static func corpus() throws -> [String] {
    try TestCorpus.write(into: Support.temporaryDirectory(), generated: 40, seed: 23)
  }

  static func record(_ paths: [String]) throws -> [String: [String]] {
    let (store, summary) = try StoreSupport.store(ingesting: paths)
    #expect(summary.failed.isEmpty, "\(summary.failed.prefix(3))")
    return try store.canonicalRecord()
  }

  @Test("Forward, reversed and shuffled orders give the same events, plans, positions and tallies")
  func orderDoesNotMatter() throws {
    let files = try Self.corpus()
    var rng = SplitMix64(seed: 5)
    var shuffled = files
    for i in stride(from: shuffled.count - 1, to: 0, by: -1) {
      shuffled.swapAt(i, Int(rng.next() % UInt64(i + 1)))
    }
    let forward = try Self.record(files)
    #expect((forward["events"]?.count ?? 0) > 20, "the corpus should make a record worth comparing")
    #expect((forward["plans"]?.count ?? 0) > 0)
    #expect((forward["positions"]?.count ?? 0) > 10)
    let others = [("reversed", try Self.record(Array(files.reversed()))), ("shuffled", try Self.record(shuffled))]
    for (name, other) in others {
      for part in [
        "events", "plans", "positions", "position_tally", "plan_position_tally", "actors", "actor_alias",
      ] {
        Self.compare(part, forward, other, name)
      }
    }
  }

  /// Two articles that name one group differently: both make the actor `ukraine-cvl`, one as
  /// "Ukrainian students", the other as "Ukrainian activists".
  static func renamingArticles() throws -> [String] {
    let dir = try Support.temporaryDirectory()
    let texts = [
      (
        "students.txt",
        "Title: Students march in Kyiv\nDate: 2025-03-04\n\nUkrainian students protested against Russia in Kyiv "
          + "on Monday, demanding the release of Ukrainian prisoners.\n"
      ),
      (
        "activists.txt",
        "Title: Activists march in Kyiv\nDate: 2025-03-05\n\nUkrainian activists protested against Russia in Kyiv "
          + "on Tuesday, demanding the release of Ukrainian hostages.\n"
      ),
    ]
    return try texts.map { name, text in
      let url = dir.appendingPathComponent(name)
      try text.write(to: url, atomically: true, encoding: .utf8)
      return url.path
    }
  }

  @Test("Two orders give every actor the same name, kind, affiliation, role and knowledge")
  func actorsDoNotDependOnOrder() throws {
    let files = try Self.renamingArticles() + Self.corpus()
    let forward = try Self.record(files)
    let reversed = try Self.record(Array(files.reversed()))
    #expect((forward["actors"]?.count ?? 0) > 20)
    Self.compare("actors", forward, reversed, "reversed")
    Self.compare("actor_alias", forward, reversed, "reversed")
    // Which one is a rule of the record's (`ActorDescription`), not which article came first.
    #expect(forward["actors"]?.contains { $0.hasPrefix(#"id="ukraine-cvl"|name="Ukrainian activists"|"#) } == true)
  }

  @Test("Each actor row is the record's rule over the descriptions of the distinct articles")
  func actorRowsAreTheRuleOverTheSet() throws {
    let files = try Self.renamingArticles() + Self.corpus()
    let (store, summary) = try StoreSupport.store(ingesting: Array(files.reversed()))
    #expect(summary.failed.isEmpty)
    // What each distinct article (by its key, as ingest tells duplicates) says of its actors.
    let preparer = try StoreSupport.preparer()
    var keys: Set<String> = []
    var descriptions: [String: [ActorDescription]] = [:]
    for path in ArticleReader.expand(files).files {
      ArticleReader().read(
        path: path,
        { raw in
          let article = preparer.prepare(raw)
          guard keys.insert(article.key).inserted else { return }
          for actor in article.extraction.actors { descriptions[actor.id, default: []].append(ActorDescription(actor)) }
        }, onError: { Issue.record("\($0)") })
    }
    // The test means something only if some actor is described in more than one way.
    #expect(descriptions.values.contains { Set($0.map(\.name)).count > 1 })
    #expect(descriptions.values.contains { $0.contains { $0.sector != nil } }, "some actor has a sector")
    func columns(_ d: ActorDescription) -> [String] {
      [d.name, d.kind.rawValue, d.affiliation ?? "NULL", d.role ?? "NULL", d.sector ?? "NULL", d.known ? "1" : "0"]
    }
    let expected = descriptions.compactMapValues { ActorDescription.joined($0).map(columns) }
    let stored = try DatabaseQueue(path: store.path).read { db in
      try Row.fetchAll(db, sql: "SELECT id, name, kind, affiliation, role, sector, known FROM actor").map { row in
        (
          row["id"] as String,
          [
            row["name"] as String, row["kind"] as String, row["affiliation"] as String? ?? "NULL",
            row["role"] as String? ?? "NULL", row["sector"] as String? ?? "NULL", "\(row["known"] as Int)",
          ]
        )
      }
    }
    #expect(stored.count == expected.count)
    for (id, row) in stored where expected[id].map({ $0.map { Array($0.utf8) } }) != row.map({ Array($0.utf8) }) {
      Issue.record("actor \(id): stored \(row), the rule gives \(expected[id] ?? [])")
    }
  }

  /// Records an issue naming a few lines only one of the two records has.
  static func compare(_ part: String, _ forward: [String: [String]], _ other: [String: [String]], _ name: String) {
    let a = forward[part] ?? []
    let b = other[part] ?? []
    guard a != b else { return }
    // Lines of a plan list every passage it rests on: a glimpse of each is enough to see the difference.
    let onlyForward = Set(a).subtracting(b).sorted().map { String($0.prefix(240)) }
    let onlyOther = Set(b).subtracting(a).sorted().map { String($0.prefix(240)) }
    Issue.record(
      """
      \(name) order: \(part) differ (\(a.count) vs \(b.count)); only in forward order: \
      \(onlyForward.prefix(2)); only in \(name) order: \(onlyOther.prefix(2))
      """)
  }
}

/// Migration v9 on a record written before it: the merge keys are filled in by the record's own
/// rules, and ingest goes on from there.
@Suite("Merge keys migration")
struct MergeKeysMigrationTests {
  @Test("An older record gets its event spans, plan links and family names when opened")
  func migrationBackfillsMergeKeys() throws {
    let files = try TestCorpus.write(into: Support.temporaryDirectory(), generated: 30, seed: 41)
    let (store, _) = try StoreSupport.store(ingesting: Array(files.prefix(20)))
    func keys(_ store: RecordStore) throws -> [String: [String]] {
      var keys = try store.dump(tables: ["plan_family_name", "plan_link"])
      keys["spans"] = try DatabaseQueue(path: store.path).read { db in
        try String.fetchAll(
          db,
          sql: "SELECT id || ':' || coalesce(firstDay, '') || '-' || coalesce(lastDay, '') || ':' || dated FROM event"
        ).sorted()
      }
      return keys
    }
    let expected = try keys(store)
    #expect((expected["spans"]?.count ?? 0) > 10 && (expected["plan_link"]?.count ?? 0) > 0)
    // Take the database back to what v8 wrote: no spans, links or names, and no record of v9.
    let queue = try DatabaseQueue(path: store.path)
    try queue.write { db in
      try db.execute(
        sql: """
          DROP INDEX event_span;
          ALTER TABLE event DROP COLUMN firstDay;
          ALTER TABLE event DROP COLUMN lastDay;
          ALTER TABLE event DROP COLUMN dated;
          CREATE INDEX event_pair_time ON event(sourceId, targetId, root, sortKey);
          DROP TABLE plan_link;
          DROP TABLE plan_family_name;
          DELETE FROM grdb_migrations WHERE identifier LIKE 'v9:%';
          """)
    }
    try queue.close()
    let reopened = try RecordStore(path: store.path)
    let backfilled = try keys(reopened)
    // Spans and names are functions of the reports and mentions; an older record kept one
    // party signature per family, so its links are a subset of those ingest records.
    #expect(backfilled["spans"] == expected["spans"])
    #expect(backfilled["plan_family_name"] == expected["plan_family_name"])
    #expect(Set(backfilled["plan_link"] ?? []).isSubset(of: Set(expected["plan_link"] ?? [])))
    #expect(!(backfilled["plan_link"] ?? []).isEmpty)
    // Ingest goes on in the migrated record.
    let summary = Ingestor(store: reopened, preparer: try StoreSupport.preparer()).run(paths: files)
    #expect(summary.failed.isEmpty && summary.new > 0)
    #expect(try reopened.consistencyProblems() == [])
    #expect(try reopened.tallyProblems() == [])
  }
}
