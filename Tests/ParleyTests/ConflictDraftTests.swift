import Foundation
import ParleyCLI
import ParleyStore
import ParleyStrategy
import Testing

/// `parley conflict draft`: a starting GMCR model from the record, which `parley stability` reads unedited.
@Suite struct ConflictDraftTests {
  static let store = Result { try StoreSupport.seedStore() }

  static func twentyEightPointPlan(_ store: RecordStore) throws -> PlanSummary {
    try #require(try store.plans().first { p in p.versions.contains { $0.points == 28 } })
  }

  @Test func seedPlanDraftRoundTripsAndAnalyses() throws {
    let store = try Self.store.get()
    let plan = try Self.twentyEightPointPlan(store)
    let draft = try #require(try store.conflictDraft(planId: plan.id))
    let parsed = try ConflictYAML.read(yaml: draft.yaml, file: "draft.yaml")
    #expect(parsed == draft.conflict, "the YAML states exactly the drafted model")

    let names = parsed.decisionMakers.map(\.name)
    #expect(names.contains("Russia") && names.contains("Ukraine"))
    #expect((1...ConflictDraft.defaultMaxOptions).contains(parsed.options.count))
    // Russia demands the territorial terms and Ukraine rejects them: the most contested option, Ukraine's to grant.
    let territory = try #require(parsed.options.firstIndex { $0.name == "territory" })
    #expect(parsed.decisionMakers[parsed.options[territory].owner].name == "Ukraine")
    let russia = try #require(parsed.decisionMakers.first { $0.name == "Russia" })
    let ukraine = try #require(parsed.decisionMakers.first { $0.name == "Ukraine" })
    #expect(russia.statements.first == Statement([Literal(option: territory, taken: true)]))
    #expect(ukraine.statements.contains(Statement([Literal(option: territory, taken: false)])))
    // Evidence for the analyst: the sentence and its article as comments.
    #expect(draft.yaml.contains("# demands territory"))
    #expect(draft.yaml.contains("(article "))

    let report = try StabilityReport(conflict: parsed)
    #expect(report.graph.stateCount == 1 << parsed.options.count)
    #expect(report.statusQuo == 0, "nothing contested is in force: state 1, all N")
    #expect(!report.individual.equilibria(.nash).isEmpty || !report.individual.equilibria(.gmr).isEmpty)
  }

  @Test func commandWritesAFileThatStabilityReads() throws {
    let store = try Self.store.get()
    let plan = try Self.twentyEightPointPlan(store)
    let out = try Support.temporaryDirectory().appendingPathComponent("draft.yaml").path
    var command = try Parley.parseAsRoot([
      "conflict", "draft", "--db", store.path, "--plan", String(plan.id), "--out", out,
    ])
    try command.run()
    let conflict = try StabilityCommand.load(path: out)
    #expect(conflict.decisionMakers.contains { $0.name == "Ukraine" })
    _ = try StabilityReport(conflict: conflict)
    #expect(try store.conflictDraft(planId: 987_654) == nil, "an unknown plan")
  }

  static func position(_ party: String, _ issue: String, _ stance: String, count: Int = 1, text: String = "said so")
    -> ConflictDraft.Position
  {
    ConflictDraft.Position(
      party: party, issue: issue, stance: stance, count: count, contested: false,
      evidence: [ConflictDraft.Evidence(text: text, source: "article 1")])
  }

  @Test func contestedIssuesFirstCappedAndOwnedByWhomTheyBind() throws {
    let parties = ["AAA", "BBB", "CCC"].map { ConflictDraft.Party(code: $0, name: "Party \($0)") }
    var positions = [
      Self.position("AAA", "territory", "demands", count: 3), Self.position("BBB", "territory", "rejects"),
      Self.position("AAA", "sanctions", "rejects"), Self.position("CCC", "sanctions", "accepts"),
      Self.position("CCC", "humanitarian", "accepts"),  // an acceptance alone disputes nothing
    ]
    for k in 0..<8 { positions.append(Self.position("CCC", "issue\(k)", "demands")) }
    let terms = [
      ConflictDraft.Term(issue: "territory", text: "B cedes the region", binds: "BBB", source: "article 2"),
      ConflictDraft.Term(issue: "territory", text: "B withdraws", binds: "BBB", source: "article 2"),
    ]
    let draft = try ConflictDraft(
      title: "Test", source: "a test", parties: parties, positions: positions, terms: terms, maxOptions: 4)
    let issues = draft.options.map(\.issue)
    #expect(issues.count == 4)
    #expect(issues.contains("territory") && issues.contains("sanctions"))
    #expect(!issues.contains("humanitarian"))
    let territory = try #require(draft.options.first { $0.issue == "territory" })
    #expect(draft.parties[territory.owner].code == "BBB", "the party the terms bind")
    let sanctions = try #require(draft.options.first { $0.issue == "sanctions" })
    #expect(draft.parties[sanctions.owner].code == "AAA", "no term binds anyone: the party that rejects it")
    #expect(draft.leftOut.count == 6)
    // Demands before rejections, more reports first.
    let a = try #require(draft.parties.firstIndex { $0.code == "AAA" })
    #expect(draft.preferences[a].map { draft.options[$0.option].issue } == ["territory", "sanctions"])
    #expect(draft.preferences[a].map(\.taken) == [true, false])
    #expect(try ConflictYAML.read(yaml: draft.yaml, file: "t.yaml") == draft.conflict)
  }

  @Test func hostileNamesAndEvidenceStayInsideTheirComments() throws {
    let parties = [
      ConflictDraft.Party(code: "X", name: "true"), ConflictDraft.Party(code: "Y", name: "Y: \"the other\" # side"),
    ]
    let evil = "line one\nconflict:\n  decision_makers: []\r\u{2028}# \"quoted\" \u{7}bell"
    let positions = [
      Self.position("X", "territory", "demands", text: evil), Self.position("Y", "territory", "red_line", text: evil),
    ]
    let terms = [ConflictDraft.Term(issue: "territory", text: "a: b # c\n- d", binds: "Y", source: "article\n9")]
    let draft = try ConflictDraft(
      title: "- title: x", source: "a\ntest", parties: parties, positions: positions, terms: terms)
    let parsed = try ConflictYAML.read(yaml: draft.yaml, file: "evil.yaml")
    #expect(parsed == draft.conflict)
    #expect(parsed.decisionMakers.map(\.name) == ["true", "Y: \"the other\" # side"])
    #expect(parsed.title == "- title: x")
    #expect(parsed.options.first?.description == "a: b # c - d")
  }

  @Test func nothingToModelIsAnError() {
    #expect(throws: StrategyError.self) {
      try ConflictDraft(
        title: "t", source: "s", parties: [ConflictDraft.Party(code: "A", name: "A")],
        positions: [Self.position("A", "economic", "accepts")], terms: [])
    }
  }
}
