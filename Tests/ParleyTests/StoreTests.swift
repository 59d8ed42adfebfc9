import Foundation
import GRDB
import ParleyRecord
import ParleyStore
import Testing

/// The record on the seed corpus: what the issue promises an analyst gets from five articles.
@Suite struct SeedRecordTests {
  static let store = Result { try StoreSupport.seedStore() }

  @Test func theKremlinMeetingIsOneEventWithTwoReports() throws {
    let store = try Self.store.get()
    let meetings = try store.events(EventFilter(actor: "vladimir-putin", cameo: "04", limit: 100)).items
    let withWitkoff = meetings.filter { e in
      [e.source?.id, e.target?.id].contains("steve-witkoff")
    }
    #expect(withWitkoff.count == 1, "one meeting of Witkoff with Putin, not one per mention: \(withWitkoff)")
    let meeting = try #require(withWitkoff.first)
    #expect(meeting.reports == 2)
    #expect(meeting.independentSources == 2)
    #expect(meeting.articleIds.count == 2)
  }

  @Test func aParticipantFindsTheManyPartyMeetingItWasNeitherSourceNorTargetOf() throws {
    // The Kremlin meeting is coded as Witkoff's visit to Putin; Kushner took part in it.
    let store = try Self.store.get()
    let meetings = try store.events(EventFilter(actor: "jared-kushner", cameo: "04", limit: 100))
    let withPutin = meetings.items.filter { [$0.source?.id, $0.target?.id].contains("vladimir-putin") }
    #expect(!withPutin.isEmpty, "\(meetings.items.map { ($0.source?.id, $0.target?.id) })")
    #expect(meetings.total == meetings.items.count)
    // The listing names every participant of that meeting.
    let participants = Set(withPutin.flatMap { $0.participants.map(\.id) })
    #expect(participants.isSuperset(of: ["jared-kushner", "steve-witkoff", "vladimir-putin"]), "\(participants)")
  }

  @Test func oneTwentyEightPointPlanWithALaterTwentyPointVersion() throws {
    let plans = try Self.store.get().plans()
    let withDrafts = plans.filter { p in p.versions.contains { $0.points == 28 } }
    #expect(withDrafts.count == 1, "the 28-point plan is one plan: \(plans.map(\.name))")
    let plan = try #require(withDrafts.first)
    let points = plan.versions.map(\.points)
    #expect(points == [28, 20], "versions in order: \(points)")
    // Three articles report the 28-point draft.
    #expect(plan.versions.first?.articles.count == 3)
  }

  @Test func diffShowsWhatTheRevisionChanged() throws {
    let store = try Self.store.get()
    let plan = try #require(try store.plans().first { p in p.versions.contains { $0.points == 28 } })
    let diff = try #require(try store.diff(planId: plan.id))
    #expect(diff.from.points == 28)
    #expect(diff.to.points == 20)
    #expect(!diff.added.isEmpty || !diff.kept.isEmpty)
    #expect(!diff.dropped.isEmpty)
  }

  @Test func russiaDemandsAndUkraineRejectsTerritory() throws {
    let matrix = try Self.store.get().positions()
    let russia = try #require(matrix.cell(party: "RUS", category: "territory"))
    #expect(russia.counts["demands", default: 0] > 0)
    #expect(russia.stance == "demands")
    let ukraine = try #require(matrix.cell(party: "UKR", category: "territory"))
    #expect(ukraine.counts["rejects", default: 0] + ukraine.counts["red_line", default: 0] > 0, "\(ukraine.evidence)")
    // The evidence is the sentence itself, so a reader can check it.
    #expect(russia.evidence.contains { $0.text.contains("Donbas") || $0.text.contains("Donetsk") })
  }

  @Test func actorsUnderSeveralSpellingsAreOne() throws {
    let store = try Self.store.get()
    // The seeds spell him "Zelensky" and "Zelenskyy".
    let ids = try store.resolveActor("Zelensky")
    #expect(ids == ["volodymyr-zelenskyy"])
    let detail = try #require(try store.actor(id: "volodymyr-zelenskyy"))
    #expect(detail.actor.articles >= 2)
    #expect(detail.aliases.count >= 2, "\(detail.aliases)")
  }

  @Test func searchFindsArticlesByTheirWords() throws {
    let store = try Self.store.get()
    let hits = try store.search("Kremlin Witkoff")
    #expect(hits.total >= 2)
    #expect(hits.items.allSatisfy { $0.snippet.contains("[") })
    // FTS syntax in user input is taken literally, never an error.
    #expect(try store.search("\"unbalanced AND ( OR").total >= 0)
    #expect(try store.search("   ").total == 0)
  }

  @Test("An actor's positions bounded per issue and stance are the first of each, and the count covers all")
  func actorPositionsBoundedPerCell() throws {
    let (store, _) = try StoreSupport.store(ingesting: [
      Support.seedsDirectory.path, Support.packageRoot.appendingPathComponent("Examples/articles").path,
    ])
    var bounded = 0
    for actor in try store.actors(limit: 200).items {
      let all = try #require(try store.actor(id: actor.id)).positions
      #expect(try store.positionCount(actorId: actor.id) == all.count, "\(actor.id)")
      guard !all.isEmpty else { continue }
      let first = try #require(try store.actor(id: actor.id, evidencePerCell: 1)).positions
      struct Cell: Hashable {
        var party: String
        var category: String
        var stance: String
      }
      func cell(_ p: PositionEvidence) -> Cell { Cell(party: p.party, category: p.category, stance: p.stance) }
      #expect(Set(first.map(cell)) == Set(all.map(cell)), "every cell keeps a sentence")
      #expect(first.count == Set(first.map(cell)).count, "one per cell")
      // The kept sentence is the cell's first in the full list (which is in reading order).
      #expect(first.allSatisfy { p in all.first { cell($0) == cell(p) } == p })
      if first.count < all.count { bounded += 1 }
    }
    #expect(bounded > 0, "some actor states more than one position on an issue")
  }

  @Test("Search ranks the newest matches and lists the older ones after them, newest first")
  func searchRanksABoundedSetOfCandidates() throws {
    let (store, _) = try StoreSupport.store(ingesting: [
      Support.seedsDirectory.path, Support.packageRoot.appendingPathComponent("Examples/articles").path,
    ])
    func search(_ limit: Int, _ offset: Int, candidates: Int) throws -> Page<SearchHit> {
      try store.snapshot { try RecordStore.search($0, "talks", limit: limit, offset: offset, candidates: candidates) }
    }
    let all = try search(100, 0, candidates: RecordStore.searchCandidates)
    #expect(all.total >= 5)
    #expect(all.items.count == all.total)
    // Every match ranked, best first (bm25 is smaller for better), ties by article.
    let order = all.items.map { ($0.rank, $0.article.id) }
    #expect(zip(order, order.dropFirst()).allSatisfy { $0 < $1 })
    #expect(all.items.allSatisfy { $0.snippet.contains("[") })

    let newestFirst = all.items.map(\.article.id).sorted(by: >)
    let candidates = Set(newestFirst.prefix(3))
    let expected =
      all.items.filter { candidates.contains($0.article.id) }.map(\.article.id) + newestFirst.dropFirst(3)
    let bounded = try search(100, 0, candidates: 3)
    #expect(bounded.total == all.total)
    #expect(bounded.items.map(\.article.id) == expected)
    // The same hit has the same score and passage either way.
    let byId = Dictionary(uniqueKeysWithValues: all.items.map { ($0.article.id, $0) })
    #expect(bounded.items.allSatisfy { byId[$0.article.id] == $0 })
    // Pages of any size walk that order without overlap or gap, across the candidates' end too.
    for size in [1, 2, 4] {
      var paged: [Int64] = []
      for offset in stride(from: 0, to: all.total + size, by: size) {
        paged += try search(size, offset, candidates: 3).items.map(\.article.id)
      }
      #expect(paged == expected, "pages of \(size)")
    }
  }

  @Test func sourcesListOutletsAndWhoCitesThem() throws {
    let sources = try Self.store.get().sources()
    let wsj = try #require(sources.first { $0.outlet == "The Wall Street Journal" })
    #expect(wsj.cited >= 1)
    #expect(sources.contains { $0.outlet == "Bloomberg" })
  }

  @Test func exportHasOneRowPerEventWithWeights() throws {
    let store = try Self.store.get()
    var rows: [ExportRow] = []
    try store.exportEvents { rows.append($0) }
    #expect(rows.count == (try store.overview().events))
    #expect(rows.allSatisfy { (1...4).contains($0.quadClass) && !$0.articleIds.isEmpty && !$0.text.isEmpty })
    #expect(rows.contains { $0.root == "04" && $0.goldstein > 0 })
  }

  @Test func schemaIsVersionedAndTheDatabaseSound() throws {
    let store = try Self.store.get()
    #expect(try store.appliedMigrations().first?.hasPrefix("v1") == true)
    #expect(try store.integrityCheck() == "ok")
  }
}

/// Ingest rules on articles written for the test.
@Suite struct IngestTests {
  static let wire = """
    title: Envoys meet in Geneva
    date 2026-03-10

    Qatari Prime Minister Mohammed bin Abdulrahman Al Thani met Egyptian Foreign Minister Badr Abdelatty in Geneva on Monday to discuss a ceasefire in Gaza. The two men spoke for three hours about the exchange of hostages and prisoners, and agreed to meet again next week.

    Israel rejected a proposal to withdraw its troops from the Philadelphi corridor, officials said. Hamas demanded a permanent ceasefire and the full withdrawal of Israeli forces from Gaza.

    The talks follow weeks of pressure from Washington, which has pushed both sides to accept a phased deal.
    """

  @Test func theRecordKeepsPathsAsTheUserNamedThemNotTheMachinesLayout() throws {
    #expect(Ingestor.recordedPath(of: "/home/me/news/2025/kyiv.txt", named: "/home/me/news") == "news/2025/kyiv.txt")
    #expect(Ingestor.recordedPath(of: "/home/me/news/kyiv.txt", named: "/home/me/news/") == "news/kyiv.txt")
    #expect(Ingestor.recordedPath(of: "/home/me/news/kyiv.txt", named: "/home/me/news/kyiv.txt") == "kyiv.txt")
    #expect(Ingestor.recordedPath(of: "./kyiv.txt", named: ".") == "kyiv.txt")
    // Through a real ingest of an absolute folder: no stored path starts with it.
    let dir = try Support.temporaryDirectory().appendingPathComponent("feed")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    try Self.wire.write(to: dir.appendingPathComponent("wire.txt"), atomically: true, encoding: .utf8)
    let store = try StoreSupport.emptyStore()
    let summary = Ingestor(store: store, preparer: try StoreSupport.preparer()).run(paths: [dir.path])
    #expect(summary.new == 1)
    let paths = try store.articles().items.map(\.path)
    #expect(paths == ["feed/wire.txt"], "\(paths)")
  }

  @Test func ingestingTheSameArticleTwiceChangesNothing() throws {
    let store = try StoreSupport.emptyStore()
    let first = try StoreSupport.ingest(Self.wire, into: store, name: "a.txt")
    let before = try store.overview()
    let again = try StoreSupport.ingest(Self.wire, into: store, name: "copy-elsewhere.txt")
    guard case .new(let id, nil) = first else { Issue.record("first ingest: \(first)"); return }
    #expect(again == .duplicate(id: id))
    #expect(try store.overview() == before)
  }

  @Test func aSyndicatedCopyIsLinkedAndNotAnIndependentSource() throws {
    let store = try StoreSupport.emptyStore()
    try StoreSupport.ingest(Self.wire, into: store, name: "wire.txt")
    let copy = Self.wire.replacingOccurrences(
      of: "title: Envoys meet in Geneva", with: "title: Gaza talks: mediators meet"
    )
    .replacingOccurrences(of: "The talks follow weeks", with: "The meeting follows weeks")
    let outcome = try StoreSupport.ingest(copy, into: store, name: "syndicated.txt")
    guard case .new(_, let original) = outcome else { Issue.record("\(outcome)"); return }
    #expect(original != nil, "the copy is linked to the original")
    let meetings = try store.events(EventFilter(cameo: "04")).items
    let meeting = try #require(meetings.first)
    #expect(meeting.reports == 2)
    #expect(meeting.independentSources == 1, "a copy does not corroborate its original")
  }

  @Test func reportsWithDifferentDatesAreFlagged() throws {
    let store = try StoreSupport.emptyStore()
    let a = """
      title: Leaders meet
      date 2026-05-04

      Armenian Prime Minister Nikol Pashinyan met Azerbaijani President Ilham Aliyev in Abu Dhabi on May 2, 2026, to discuss the border.
      """
    let b = """
      title: A summit on the border
      date 2026-05-05

      According to Reuters, Pashinyan and Aliyev held talks in Abu Dhabi on May 3, 2026. The meeting was described as constructive by both delegations, who said a peace treaty was close.
      """
    try StoreSupport.ingest(a, into: store, name: "a.txt")
    try StoreSupport.ingest(b, into: store, name: "b.txt")
    let events = try store.events(EventFilter(actor: "nikol-pashinyan", cameo: "04")).items
    #expect(events.count == 1, "one meeting, reported twice: \(events.map { ($0.cameo, $0.date) })")
    let meeting = try #require(events.first)
    #expect(meeting.conflicts.contains { $0.hasPrefix("dates differ") }, "\(meeting.conflicts)")
  }

  @Test func eventsFarApartInTimeAreNotMerged() throws {
    let store = try StoreSupport.emptyStore()
    for (i, date) in ["2026-01-10", "2026-04-20"].enumerated() {
      let text = """
        title: Talks \(i)
        date \(date)

        Armenian Prime Minister Nikol Pashinyan met Azerbaijani President Ilham Aliyev in Abu Dhabi on Friday.
        """
      try StoreSupport.ingest(text, into: store, name: "t\(i).txt")
    }
    let events = try store.events(EventFilter(actor: "nikol-pashinyan", cameo: "04")).items
    #expect(events.count == 2)
    #expect(events.map(\.sortDate) == events.map(\.sortDate).sorted { ($0 ?? "~") < ($1 ?? "~") })
  }

  @Test func eventFiltersNarrowTheList() throws {
    let store = try StoreSupport.seedStore()
    let all = try store.events(EventFilter(limit: 500))
    #expect(all.total == all.items.count)
    let consult = try store.events(EventFilter(cameo: "04", limit: 500))
    #expect(consult.items.allSatisfy { $0.cameo.hasPrefix("04") })
    #expect(consult.total < all.total)
    let byParty = try store.events(EventFilter(actor: "RUS", limit: 500))
    #expect(byParty.items.allSatisfy { e in e.source?.affiliation == "RUS" || e.target?.affiliation == "RUS" })
    let page = try store.events(EventFilter(limit: 3, offset: 3))
    #expect(page.items.map(\.id) == Array(all.items.dropFirst(3).prefix(3)).map(\.id))
    let outlet = try store.events(EventFilter(outlet: "Bloomberg", limit: 500))
    #expect(!outlet.items.isEmpty && outlet.items.allSatisfy { $0.outlets.contains("Bloomberg") })
  }
}

/// The analyst's negotiation file merged with the reporting.
@Suite struct NegotiationMergeTests {
  @Test func redLinesJoinTheMatrixAndContradictionsAreListed() throws {
    let store = try StoreSupport.seedStore()
    let file = try NegotiationFile.parse(
      yaml: """
        negotiation: Ending the war in Ukraine
        parties:
          - code: RUS
            name: Russian Federation
            red_lines:
              - {category: alliances, text: Ukraine never joins NATO}
          - code: UKR
            name: Ukraine
            red_lines:
              - {category: territory, stance: accepts, text: Ukraine would cede land for peace}
        plans:
          - name: peace proposal
            versions:
              - label: 28-point draft
                points: 28
                provisions:
                  - {category: governance, text: Elections within 100 days of signing}
        """, file: "test.yaml")
    let matrix = try store.positions(negotiation: file)
    #expect(matrix.parties.contains { $0.code == "RUS" && $0.name == "Russian Federation" })
    let alliances = try #require(matrix.cell(party: "RUS", category: "alliances"))
    #expect(alliances.evidence.contains { $0.stated })
    // The file says Ukraine accepts ceding territory; the reporting has it rejecting.
    #expect(matrix.contradictions.contains { $0.party == "UKR" && $0.category == .territory })
    let plans = try store.plans(negotiation: file)
    let plan = try #require(plans.first { p in p.versions.contains { $0.points == 28 } })
    let draft = try #require(plan.versions.first { $0.points == 28 })
    #expect(draft.provisions.contains { $0.text == "Elections within 100 days of signing" })
  }
}
