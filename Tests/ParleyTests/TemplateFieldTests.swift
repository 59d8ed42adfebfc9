import Testing

@testable import ParleyServer

/// The views that name their fields for the templates (`TemplateFields.swift`) must give exactly
/// what reflection gives, the lookup they replace: every stored property, unwrapped when it is an
/// optional (nil when it is nil, so the template looks further up), and nothing else.
@Suite struct TemplateFieldTests {
  /// Compares `value`'s `child(named:)` with its `Mirror` for every property, and recurses into
  /// properties and array elements, so that one page view checks the views it holds.
  static func check(_ value: Any, _ path: String = "") {
    if let array = value as? [Any] {
      for (i, element) in array.enumerated() { check(element, "\(path)[\(i)]") }
      return
    }
    guard templateField(value, named: "noSuchField") != nil else { return }
    let mirror = Mirror(reflecting: value)
    #expect(!mirror.children.isEmpty, "\(path)")
    for child in mirror.children {
      guard let label = child.label else { continue }
      let reflected = Mirror(reflecting: child.value)
      let expected: Any? =
        reflected.displayStyle == .optional ? reflected.children.first?.value : child.value
      let named = templateField(value, named: label) ?? nil
      #expect((named == nil) == (expected == nil), "\(path).\(label)")
      if let named, let expected {
        #expect(String(describing: named) == String(describing: expected), "\(path).\(label)")
        check(named, "\(path).\(label)")
      }
    }
    #expect(templateField(value, named: "noSuchField")! == nil, "\(path)")
  }

  @Test func namedFieldsAreTheReflectedOnes() {
    let link = ActorLinkView(actorName: "Vladimir Putin", actorHref: "/actors/vladimir-putin")
    let event = EventRowView(
      eventHref: "/events/1", dateText: "2025-03-01", dateNote: "the date the reports give", cameo: "040",
      eventLabel: "Consult", quadClass: "vc", quadLabel: "verbal cooperation", hasSource: true, sourceActor: link,
      hasTarget: false, targetActor: ActorLinkView(actorName: "", actorHref: ""), reportCount: 2, singleReport: false,
      independentCount: 1, outletsText: "Reuters", hasConflicts: false)
    let position = PositionView(
      category: "ceasefire", stance: "supports", stanceClass: "stance-supports", evidenceText: "said so",
      articleHref: "/articles/3", articleId: 3)
    let interaction = InteractionView(
      counterpart: link, interactionLabel: "Consult", root: "04", outgoing: true, selfName: "Donald Trump", count: 3,
      quadClass: "verbal cooperation")
    let actorRow = ActorRowView(
      actorName: "Vladimir Putin", actorHref: "/actors/vladimir-putin", kind: "person", affiliationText: "RUS",
      roleText: "president", sectorText: "GOV (government)", hasSector: true, known: true, articles: 4, mentions: 9,
      events: 5)
    let article = ArticleRowView(
      articleHref: "/articles/1", articleTitle: "Talks", publishedText: "2025-03-01", outletText: "Reuters",
      hasOutletText: true, actors: 3, events: 2, isNearCopy: false, similarityText: "")
    let values: [Any] = [
      link, event, position, interaction, InteractionGroupView(groupTitle: "04 Consult", rows: [interaction]),
      actorRow, article, OptionView(value: "a", text: "A", selected: true), TextPart(text: "word", marked: true),
      SearchHitView(article: article, snippet: [TextPart(text: "x", marked: false)]),
      TimelineItem(id: 1, date: nil, title: "undated", quadClass: 1, href: "/events/1"),
      TimelineItem(id: 2, date: "2025-03-01", title: "dated", quadClass: 2, href: "/events/2"),
      AxisTick(x: "1", label: "2025"), Chrome(title: "Overview", section: .overview, searchText: "q"),
      Pager(total: 120, limit: 50, offset: 50) { "/timeline?offset=\($0)" },
      CountView(label: "articles", value: 5, countHref: "/articles"),
      PlanLine(
        planName: "peace plan", planHref: "/plans/1",
        versions: [
          PlanVersionLine(
            versionLabel: "28-point plan", pointsText: "28 points", firstReportedText: "2025-11-20",
            mentionsText: "3 mentions")
        ]),
    ]
    for (i, value) in values.enumerated() { Self.check(value, "value \(i)") }
    let provision = ProvisionView(
      status: "added", statusText: "added", hasStatus: true, category: "ceasefire", provisionText: "a ceasefire",
      hasDemandedBy: true, demandedBy: link, hasAppliesTo: false,
      appliesTo: ActorLinkView(actorName: "", actorHref: ""),
      hasArticle: true, articleHref: "/articles/2", articleId: 2)
    let column = VersionColumnView(
      rank: 1, versionLabel: "28-point plan", pointsText: "28 points", firstReportedText: "2025-11-20",
      mentionsText: "3 mentions", stated: false, articles: [ArticleRefView(refHref: "/articles/2", refText: "#2")],
      articlesText: "Articles:", provisions: [provision], hasProvisions: true, changeText: "", hasChange: false)
    let cell = MatrixCellView(
      filled: true, stance: "rejects", stanceClass: "stance-rejects", contested: true, countsText: "rejects 2",
      hoverText: "“no”", moreEvidence: false, moreEvidenceText: "",
      evidence: [
        EvidenceView(evidenceText: "no", stance: "rejects", articleHref: "/articles/2", articleId: 2, stated: false)
      ])
    let matrix = MatrixView(
      categories: ["ceasefire"],
      rows: [MatrixRowView(partyName: "Russia", partyCode: "RUS", partyHref: "/actors?q=Russia", cells: [cell])],
      hasRows: true, scopeText: "provisions of this plan")
    Self.check(
      PlanView(
        chrome: Chrome(title: "peace plan", section: .plans), planName: "peace plan", columns: [column],
        versionsText: "1 version", matrix: matrix, conflictHref: "/plans/1/conflict",
        conflictYAMLHref: "/plans/1/conflict.yaml"), "plan view")
  }
}
