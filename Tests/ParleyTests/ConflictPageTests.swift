import Foundation
import ParleyStore
import ParleyStrategy
import Testing

@testable import ParleyServer

/// The conflict-model pages: `/conflicts`, `/conflicts/{n}` and a plan's drafted model.
@Suite struct ConflictPageTests {
  static func pages(_ models: [ConflictModel]) throws -> PageRenderer {
    try PageRenderer(store: try StoreSupport.emptyStore(), conflicts: models)
  }

  static func count(_ needle: String, in haystack: String) -> Int { haystack.components(separatedBy: needle).count - 1 }

  @Test func pageDrawsOneNodePerStateAndMarksTheEquilibria() throws {
    var pd = PublishedConflicts.prisonersDilemma
    pd.statusQuo = 0b11  // both cooperate
    let model = try ConflictModel(name: "pd.yaml", conflict: pd)
    let html = try #require(try Self.pages([model]).conflict(number: 1))
    #expect(html.hasPrefix("<!DOCTYPE html>"))
    #expect(html.contains("<svg class=\"chart state-graph\""))
    #expect(Self.count("<g class=\"state", in: html) == 4, "one node per state")
    let equilibria = (0..<4).filter { !model.report.individual.equilibriumConcepts($0).isEmpty }
    #expect(Self.count("<g class=\"state equilibrium", in: html) == equilibria.count)
    // Mutual defection, state 1 (NN), is the Nash equilibrium.
    #expect(html.contains("<g class=\"state equilibrium on-path\"><title>State 1 NN: equilibrium under Nash"))
    #expect(html.contains("status-quo"), "the status quo is marked")
    #expect(Self.count("<path class=\"move ", in: html) == 4, "each prisoner moves between two pairs of states")
    #expect(html.contains("marker-end=\"url(#arrow-dm"))
    #expect(html.contains("id=\"stability\"") && html.contains("<td><code>YY</code></td>"))
    #expect(html.contains("id=\"evolution\"") && html.contains("moves to"), "the path from the status quo")
    #expect(try Self.pages([model]).conflict(number: 2) == nil)
    let list = try Self.pages([model]).conflictList()
    #expect(list.contains("href=\"/conflicts/1\"") && list.contains("Dilemma"))
  }

  @Test func hostileNamesAreEscaped() throws {
    let c = Conflict(
      title: "<b>title</b>",
      options: [ConflictOption(name: "x", owner: 0, description: "<img src=x onerror=alert(1)>")],
      decisionMakers: [
        DecisionMaker(name: "<script>alert(1)</script>", statements: [Statement([Literal(option: 0, taken: true)])])
      ])
    let html = try #require(try Self.pages([try ConflictModel(name: "<evil>.yaml", conflict: c)]).conflict(number: 1))
    #expect(!html.contains("<script>"))
    #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
    #expect(!html.contains("<img src=x") && !html.contains("<b>title</b>"))
    let list = try Self.pages([try ConflictModel(name: "<evil>.yaml", conflict: c)]).conflictList()
    #expect(!list.contains("<evil>"))
  }

  @Test func bigModelsShowTheTableAndPathsWithoutTheGraph() throws {
    var c = Conflict.random(decisionMakers: 3, options: 7, seed: 3)
    c.statusQuo = 0
    let model = try ConflictModel(name: "big.gmcr", conflict: c)
    #expect(model.report.graph.stateCount > StateGraph.maxStates)
    let html = try #require(try Self.pages([model]).conflict(number: 1))
    #expect(!html.contains("<svg class=\"chart state-graph\""))
    #expect(html.contains("the graph is drawn up to 64"))
    #expect(html.contains("id=\"equilibria\"") && html.contains("id=\"evolution\""))
  }

  @Test func planPageLinksToItsDraftedModel() throws {
    let (store, pages) = try PageTests.fixture.get()
    let plan = try PageTests.twentyEightPointPlan(store)
    let planPage = try #require(try pages.plan(id: plan.id))
    #expect(planPage.contains("href=\"/plans/\(plan.id)/conflict\""))
    let html = try #require(try pages.draftedConflict(planId: plan.id))
    #expect(html.contains("<svg class=\"chart state-graph\""))
    #expect(html.contains("Ukraine") && html.contains("Russia"))
    let draft = try #require(try store.conflictDraft(planId: plan.id))
    #expect(Self.count("<g class=\"state", in: html) == 1 << draft.options.count)
    #expect(try pages.draftedConflictYAML(planId: plan.id) == draft.yaml)
    #expect(try pages.draftedConflict(planId: 987_654) == nil)
  }

  @Test func conflictPagesOverHTTP() async throws {
    let model = try ConflictModel(name: "pd.yaml", conflict: PublishedConflicts.prisonersDilemma)
    let store = try StoreSupport.seedStore()
    let server = try await ServerSupport.start(store: store, conflicts: [model])
    do {
      let list = try await server.get("/conflicts")
      #expect(list.status == 200)
      let page = try await server.get("/conflicts/1")
      #expect(page.status == 200)
      #expect(String(decoding: page.body, as: UTF8.self).contains("<svg class=\"chart state-graph\""))
      #expect(try await server.get("/conflicts/2").status == 404)
      #expect(try await server.get("/conflicts/zero").status == 404)
      let plan = try #require(try store.plans().first { p in p.versions.contains { $0.points == 28 } })
      #expect(try await server.get("/plans/\(plan.id)/conflict").status == 200)
      let yaml = try await server.get("/plans/\(plan.id)/conflict.yaml")
      #expect(yaml.status == 200 && yaml.headers["content-type"]?.hasPrefix("text/plain") == true)
      #expect(
        try ConflictYAML.read(yaml: String(decoding: yaml.body, as: UTF8.self), file: "served.yaml").options.count > 0)
    } catch {
      await server.stop()
      throw error
    }
    await server.stop()
  }
}
