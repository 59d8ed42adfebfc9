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
  var articlesText: String
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
  var moreEvidence: Bool
  var moreEvidenceText: String
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
  var conflictHref: String
  var conflictYAMLHref: String
}

struct PlansView {
  var chrome: Chrome
  var plans: [PlanLine]
  var hasPlans: Bool
  var total: Int
  var pager: Pager
}

extension PageRenderer {
  /// `/plans`: plans with their versions, most reported first.
  public func plans(_ query: [String: String] = [:]) throws -> String {
    let limit = 50
    let offset = max(0, query["offset"].flatMap { Int($0) } ?? 0)
    let page = try store.planOutlines(limit: limit, offset: offset)
    let view = PlansView(
      chrome: Chrome(title: "Plans", section: .plans), plans: page.items.map(Self.planLine),
      hasPlans: !page.items.isEmpty, total: page.total,
      pager: Pager(total: page.total, limit: limit, offset: offset) { o in
        Links.with("/plans", [("offset", o == 0 ? nil : String(o))])
      })
    return try render("plans", view)
  }

  /// `/plans/{id}`: the versions side by side, each marked against the one before (added,
  /// kept, dropped), and the party-by-provision matrix; nil when there is no such plan.
  public func plan(id: Int64) throws -> String? {
    // A version of a busy record is reported by thousands of articles: the page links the first.
    guard let plan = try store.plan(id: id, articlesPerVersion: Self.articlesPerVersion) else { return nil }
    let versions = plan.versions
    // Consecutive versions compared once each; the comparison folds a term reported by several
    // articles into one, so the columns list those folded terms.
    let diffs = zip(versions, versions.dropFirst()).map { PlanComparison.diff(plan: plan.name, from: $0, to: $1) }
    var columns: [VersionColumnView] = []
    for (i, v) in versions.enumerated() {
      var provisions: [ProvisionView]
      var change = ""
      if i > 0 {
        let diff = diffs[i - 1]
        let added = Set(diff.added.map(\.id))
        let kept = Set(diff.kept.compactMap { $0.last?.id })
        provisions = v.provisions.filter { added.contains($0.id) || kept.contains($0.id) }.map { p in
          Self.provisionView(p, status: added.contains(p.id) ? "added" : "kept")
        }
        provisions += diff.dropped.map { Self.provisionView($0, status: "dropped") }
        var parts = ["\(diff.added.count) added", "\(diff.kept.count) kept", "\(diff.dropped.count) dropped"]
        if !diff.categoriesAdded.isEmpty { parts.append("new topics: " + Self.humanList(diff.categoriesAdded)) }
        if !diff.categoriesDropped.isEmpty {
          parts.append("topics gone: " + Self.humanList(diff.categoriesDropped))
        }
        change = "Against version \(versions[i - 1].rank): " + parts.joined(separator: "; ")
      } else if let next = diffs.first {
        let distinct = Set(next.kept.compactMap { $0.first?.id } + next.dropped.map(\.id))
        provisions = v.provisions.filter { distinct.contains($0.id) }.map { Self.provisionView($0, status: "first") }
      } else {
        var seen: Set<String> = []
        provisions = v.provisions.filter { seen.insert($0.category + "|" + $0.text.lowercased()).inserted }.map {
          Self.provisionView($0, status: "first")
        }
      }
      columns.append(
        VersionColumnView(
          rank: v.rank, versionLabel: v.label, pointsText: v.points.map { "\($0) points" } ?? "points unknown",
          firstReportedText: v.firstReported ?? "undated", mentionsText: plural(v.mentions, "mention"),
          stated: v.stated,
          articles: v.articles.map { ArticleRefView(refHref: Links.article($0), refText: "#\($0)") },
          articlesText: v.articleCount > v.articles.count
            ? "\(v.articleCount) articles, the first \(v.articles.count):" : "Articles:",
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
      versionsText: plural(columns.count, "version"), matrix: Self.matrixView(matrix, scope: scope),
      conflictHref: Links.plan(id) + "/conflict", conflictYAMLHref: Links.plan(id) + "/conflict.yaml")
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

  /// Evidence sentences listed per cell: enough to judge, few enough for a busy record.
  static let maxEvidence = 8
  /// Articles a plan page links per version (the version's count of all is shown).
  static let articlesPerVersion = 50

  static func matrixView(_ m: PositionMatrix, scope: String) -> MatrixView {
    let rows = m.parties.map { party in
      MatrixRowView(
        partyName: party.name, partyCode: party.code,
        partyHref: Links.with("/actors", [("q", party.name)]),
        cells: m.categories.map { category in
          guard let cell = m.cell(party: party.code, category: category) else {
            return MatrixCellView(
              filled: false, stance: "", stanceClass: "", contested: false, countsText: "", hoverText: "",
              moreEvidence: false, moreEvidenceText: "", evidence: [])
          }
          let counts = cell.counts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
            .map { "\($0.key.replacingOccurrences(of: "_", with: " ")) \($0.value)" }.joined(separator: ", ")
          // The hover text is the evidence itself, capped so the tooltip stays readable.
          let hover = cell.evidence.prefix(4).map { "“\($0.text)”" }.joined(separator: "\n")
          return MatrixCellView(
            filled: true, stance: cell.stance.replacingOccurrences(of: "_", with: " "),
            stanceClass: "stance-" + cell.stance, contested: cell.contested, countsText: counts,
            hoverText: hover + (cell.evidence.count > 4 ? "\n…" : ""),
            moreEvidence: cell.evidence.count > maxEvidence,
            moreEvidenceText: plural(cell.evidence.count - maxEvidence, "more sentence"),
            evidence: cell.evidence.prefix(maxEvidence).map { e in
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
