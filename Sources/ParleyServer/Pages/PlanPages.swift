import Foundation
import ParleyStore

struct ProvisionView {
  var status: String
  var statusText: String
  var hasStatus: Bool
  var category: String
  var provisionText: String
  var hasDemandedBy: Bool
  var demandedBy: ActorLinkView
  var hasAppliesTo: Bool
  var appliesTo: ActorLinkView
  var hasArticle: Bool
  var articleHref: String
  var articleId: Int64
}

struct VersionColumnView {
  var rank: Int
  var versionLabel: String
  var pointsText: String
  var firstReportedText: String
  var mentionsText: String
  var stated: Bool
  var articles: [ArticleRefView]
  var provisions: [ProvisionView]
  var hasProvisions: Bool
  var changeText: String
  var hasChange: Bool
}

struct ArticleRefView {
  var refHref: String
  var refText: String
}

struct EvidenceView {
  var evidenceText: String
  var stance: String
  var articleHref: String
  var articleId: Int64
  var stated: Bool
}

struct MatrixCellView {
  var filled: Bool
  var stance: String
  var stanceClass: String
  var contested: Bool
  var countsText: String
  var hoverText: String
  var evidence: [EvidenceView]
}

struct MatrixRowView {
  var partyName: String
  var partyCode: String
  var partyHref: String
  var cells: [MatrixCellView]
}

struct MatrixView {
  var categories: [String]
  var rows: [MatrixRowView]
  var hasRows: Bool
  var scopeText: String
}

struct PlanView {
  var chrome: Chrome
  var planName: String
  var columns: [VersionColumnView]
  var versionsText: String
  var matrix: MatrixView
}

struct PlansView {
  var chrome: Chrome
  var plans: [PlanLine]
  var hasPlans: Bool
  var matrix: MatrixView
}

extension PageRenderer {
  /// `/plans`: every plan with its versions, and the positions matrix over all plans.
  public func plans() throws -> String {
    let plans = try store.plans()
    let view = PlansView(
      chrome: Chrome(title: "Plans", section: .plans), plans: plans.map(Self.planLine), hasPlans: !plans.isEmpty,
      matrix: Self.matrixView(try store.positions(), scope: "all plans"))
    return try render("plans", view)
  }

  /// `/plans/{id}`: the versions side by side, each marked against the one before (added,
  /// kept, dropped), and the party-by-provision matrix; nil when there is no such plan.
  public func plan(id: Int64) throws -> String? {
    guard let plan = try store.plans().first(where: { $0.id == id }) else { return nil }
    var columns: [VersionColumnView] = []
    for (i, v) in plan.versions.enumerated() {
      var provisions: [ProvisionView]
      var change = ""
      if i > 0, let diff = try store.diff(planId: id, from: plan.versions[i - 1].rank, to: v.rank) {
        let added = Set(diff.added.map(\.id))
        provisions = v.provisions.map { p in Self.provisionView(p, status: added.contains(p.id) ? "added" : "kept") }
        provisions += diff.dropped.map { Self.provisionView($0, status: "dropped") }
        var parts = ["\(diff.added.count) added", "\(diff.kept.count) kept", "\(diff.dropped.count) dropped"]
        if !diff.categoriesAdded.isEmpty { parts.append("new topics: " + Self.humanList(diff.categoriesAdded)) }
        if !diff.categoriesDropped.isEmpty {
          parts.append("topics gone: " + Self.humanList(diff.categoriesDropped))
        }
        change = "Against version \(plan.versions[i - 1].rank): " + parts.joined(separator: "; ")
      } else {
        provisions = v.provisions.map { Self.provisionView($0, status: i == 0 ? "first" : "kept") }
      }
      columns.append(
        VersionColumnView(
          rank: v.rank, versionLabel: v.label, pointsText: v.points.map { "\($0) points" } ?? "points unknown",
          firstReportedText: v.firstReported ?? "undated", mentionsText: plural(v.mentions, "mention"),
          stated: v.stated,
          articles: v.articles.map { ArticleRefView(refHref: Links.article($0), refText: "#\($0)") },
          provisions: provisions, hasProvisions: !provisions.isEmpty, changeText: change,
          hasChange: !change.isEmpty))
    }
    var matrix = try store.positions(planId: id)
    var scope = "provisions of this plan"
    // Stances are often stated about a topic without tying them to a plan's text; the overall
    // matrix is then the useful one, labelled as such.
    if matrix.cells.isEmpty {
      matrix = try store.positions()
      scope = "all plans (no stance in the record is tied to this plan's provisions)"
    }
    let view = PlanView(
      chrome: Chrome(title: plan.name, section: .plans), planName: plan.name, columns: columns,
      versionsText: plural(columns.count, "version"), matrix: Self.matrixView(matrix, scope: scope))
    return try render("plan", view)
  }

  static func humanList(_ categories: [String]) -> String {
    categories.map { $0.replacingOccurrences(of: "_", with: " ") }.joined(separator: ", ")
  }

  static func provisionView(_ p: ProvisionSummary, status: String) -> ProvisionView {
    let statusText: String
    switch status {
    case "added": statusText = "added"
    case "dropped": statusText = "dropped"
    case "first": statusText = ""
    default: statusText = "kept"
    }
    return ProvisionView(
      status: status, statusText: statusText, hasStatus: !statusText.isEmpty,
      category: p.category.replacingOccurrences(of: "_", with: " "),
      provisionText: p.text, hasDemandedBy: p.demandedBy != nil, demandedBy: actorLink(p.demandedBy),
      hasAppliesTo: p.appliesTo != nil, appliesTo: actorLink(p.appliesTo), hasArticle: p.articleId > 0,
      articleHref: Links.article(p.articleId), articleId: p.articleId)
  }

  static func matrixView(_ m: PositionMatrix, scope: String) -> MatrixView {
    let rows = m.parties.map { party in
      MatrixRowView(
        partyName: party.name, partyCode: party.code,
        partyHref: Links.with("/actors", [("q", party.name)]),
        cells: m.categories.map { category in
          guard let cell = m.cell(party: party.code, category: category) else {
            return MatrixCellView(
              filled: false, stance: "", stanceClass: "", contested: false, countsText: "", hoverText: "",
              evidence: [])
          }
          let counts = cell.counts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
            .map { "\($0.key.replacingOccurrences(of: "_", with: " ")) \($0.value)" }.joined(separator: ", ")
          // The hover text is the evidence itself, capped so the tooltip stays readable.
          let hover = cell.evidence.prefix(4).map { "“\($0.text)”" }.joined(separator: "\n")
          return MatrixCellView(
            filled: true, stance: cell.stance.replacingOccurrences(of: "_", with: " "),
            stanceClass: "stance-" + cell.stance, contested: cell.contested, countsText: counts,
            hoverText: hover + (cell.evidence.count > 4 ? "\n…" : ""),
            evidence: cell.evidence.map { e in
              EvidenceView(
                evidenceText: e.text, stance: e.stance.replacingOccurrences(of: "_", with: " "),
                articleHref: Links.article(e.articleId), articleId: e.articleId, stated: e.stated)
            })
        })
    }
    return MatrixView(
      categories: m.categories.map { $0.replacingOccurrences(of: "_", with: " ") }, rows: rows,
      hasRows: !rows.isEmpty, scopeText: scope)
  }
}
