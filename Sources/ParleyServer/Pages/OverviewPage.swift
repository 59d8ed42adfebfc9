import ParleyStore

struct CountView {
  var label: String
  var value: Int
  var countHref: String
}

struct PlanVersionLine {
  var versionLabel: String
  var pointsText: String
  var firstReportedText: String
  var mentionsText: String
}

struct PlanLine {
  var planName: String
  var planHref: String
  var versions: [PlanVersionLine]
}

struct OverviewView {
  var chrome: Chrome
  var counts: [CountView]
  var dateRange: String
  var hasDateRange: Bool
  var events: [EventRowView]
  var hasLatest: Bool
  var activeChart: BarChartModel
  var plans: [PlanLine]
  var hasPlans: Bool
  var morePlans: Bool
  var planTotal: Int
  var articles: [ArticleRowView]
  var hasArticles: Bool
}

extension PageRenderer {
  /// `/`: totals, the latest dated events, the most mentioned actors as bars, the plans, the
  /// newest articles.
  public func overview() throws -> String {
    let o = try store.overview()
    let counts = [
      CountView(label: "articles", value: o.articles, countHref: "/articles"),
      CountView(label: "near-copies", value: o.nearCopies, countHref: "/articles"),
      CountView(label: "actors", value: o.actors, countHref: "/actors"),
      CountView(label: "events", value: o.events, countHref: "/timeline"),
      CountView(label: "reports", value: o.reports, countHref: "/timeline"),
      CountView(label: "outlets", value: o.outlets, countHref: "/timeline"),
      CountView(label: "plans", value: o.plans, countHref: "/plans"),
      CountView(label: "plan versions", value: o.planVersions, countHref: "/plans"),
      CountView(label: "positions", value: o.positions, countHref: "/plans"),
    ]
    let latest = try store.latestEvents(limit: 10)
    let actors = try store.actors(limit: 10).items
    let chart = BarChart.layout(
      actors.map { BarItem(label: $0.name, value: $0.mentions, href: Links.actor($0.id)) },
      ariaLabel: "Mentions of the most mentioned actors")
    let planPage = try store.planOutlines(limit: 8)
    let plans = planPage.items.map(Self.planLine)
    let articles = try store.articles(limit: 6).items.map(Self.articleRow)
    let range = [o.firstDate, o.lastDate].compactMap { $0 }
    let view = OverviewView(
      chrome: Chrome(title: "Overview", section: .overview), counts: counts,
      dateRange: range.count == 2 ? "\(range[0]) to \(range[1])" : "", hasDateRange: range.count == 2,
      events: latest.map(Self.eventRow), hasLatest: !latest.isEmpty, activeChart: chart, plans: plans,
      hasPlans: !plans.isEmpty, morePlans: planPage.total > plans.count, planTotal: planPage.total, articles: articles,
      hasArticles: !articles.isEmpty)
    return try render("overview", view)
  }

  static func planLine(_ p: PlanSummary) -> PlanLine {
    PlanLine(
      planName: p.name, planHref: Links.plan(p.id),
      versions: p.versions.map { v in
        PlanVersionLine(
          versionLabel: v.label, pointsText: v.points.map { "\($0) points" } ?? "points unknown",
          firstReportedText: v.firstReported ?? "undated", mentionsText: plural(v.mentions, "mention"))
      })
  }
}

/// "1 mention", "3 mentions".
func plural(_ n: Int, _ noun: String) -> String { n == 1 ? "1 \(noun)" : "\(n) \(noun)s" }
