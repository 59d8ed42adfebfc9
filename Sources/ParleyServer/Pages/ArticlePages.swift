import Foundation
import ParleyStore

struct ArticleRowView {
  var articleHref: String
  var articleTitle: String
  var publishedText: String
  var outletText: String
  var hasOutletText: Bool
  var actors: Int
  var events: Int
  var isNearCopy: Bool
  var similarityText: String
}

struct ArticlesView {
  var chrome: Chrome
  var articles: [ArticleRowView]
  var hasArticles: Bool
  var total: Int
  var pager: Pager
}

struct LegendCount {
  var kind: String
  var count: Int
}

struct ArticleView {
  var chrome: Chrome
  var article: ArticleRowView
  var format: String
  var isHTML: Bool
  var hasURL: Bool
  var sourceURL: String
  var hasOutlet: Bool
  var outletHref: String
  var path: String
  var paragraphs: [ArticleParagraph]
  var legend: [LegendCount]
  var nearCopies: [ArticleRowView]
  var hasNearCopies: Bool
  var isCopyOf: Bool
  var originalHref: String
  var duplicateParagraphsRemoved: Int
  var hasRemovedParagraphs: Bool
}

extension PageRenderer {
  static func articleRow(_ a: ArticleSummary) -> ArticleRowView {
    ArticleRowView(
      articleHref: Links.article(a.id), articleTitle: articleTitle(a), publishedText: a.published ?? "undated",
      outletText: a.outlet ?? "", hasOutletText: a.outlet != nil, actors: a.actors, events: a.events,
      isNearCopy: a.nearCopyOf != nil,
      similarityText: a.similarity.map { String(format: "%.0f%%", $0 * 100) } ?? "")
  }

  /// `/articles`: stored articles, newest first.
  public func articles(_ query: [String: String]) throws -> String {
    let limit = 50
    let offset = max(0, query["offset"].flatMap { Int($0) } ?? 0)
    let page = try store.articles(limit: limit, offset: offset)
    let view = ArticlesView(
      chrome: Chrome(title: "Articles"), articles: page.items.map(Self.articleRow), hasArticles: !page.items.isEmpty,
      total: page.total,
      pager: Pager(total: page.total, limit: limit, offset: offset) { o in
        Links.with("/articles", [("offset", o == 0 ? nil : String(o))])
      })
    return try render("articles", view)
  }

  /// `/articles/{id}`: the reader, with actors, citations, plans linked and event and provision
  /// sentences shaded; nil when there is no such article.
  public func article(id: Int64) throws -> String? {
    guard let d = try store.article(id: id) else { return nil }
    let planIds = Set(d.highlights.filter { $0.kind == "plan" }.compactMap { Int64($0.ref) })
    // Provisions carry their category, not their plan; when the article names one plan they
    // belong to it, otherwise the plans list is the honest target.
    let provisionHref = planIds.count == 1 ? planIds.first.map(Links.plan) ?? "/plans" : "/plans"
    let paragraphs = ArticleText.paragraphs(
      source: d.source, html: d.format == "html", highlights: d.highlights,
      link: { h in
        switch h.kind {
        case "actor": return SegmentLink(href: Links.actor(h.ref), kind: "actor", title: h.label)
        case "citation": return SegmentLink(href: Links.outlet(h.ref), kind: "citation", title: "cites " + h.label)
        case "plan":
          return SegmentLink(
            href: Int64(h.ref).map(Links.plan) ?? "/plans", kind: "plan", title: "plan: " + h.label)
        default: return SegmentLink(href: "#", kind: h.kind, title: h.label)
        }
      },
      badge: { h in
        if h.kind == "event" {
          let code = h.label.split(separator: " ").first.map(String.init) ?? "event"
          return ArticleBadge(
            href: Int64(h.ref).map(Links.event) ?? "/timeline", label: code, title: "event " + h.label,
            cssClass: "badge-event")
        }
        return ArticleBadge(
          href: provisionHref, label: h.label.replacingOccurrences(of: "_", with: " "),
          title: "provision: " + h.label, cssClass: "badge-provision")
      })
    var legend: [LegendCount] = []
    for kind in ["actor", "citation", "event", "plan", "provision"] {
      let n = d.highlights.filter { $0.kind == kind }.count
      if n > 0 { legend.append(LegendCount(kind: kind, count: n)) }
    }
    let row = Self.articleRow(d.article)
    let view = ArticleView(
      chrome: Chrome(title: row.articleTitle), article: row, format: d.format, isHTML: d.format == "html",
      hasURL: !Self.safeURL(d.article.url).isEmpty, sourceURL: Self.safeURL(d.article.url),
      hasOutlet: d.article.outlet != nil,
      outletHref: d.article.outlet.map(Links.outlet) ?? "", path: d.article.path, paragraphs: paragraphs,
      legend: legend, nearCopies: d.nearCopies.map(Self.articleRow), hasNearCopies: !d.nearCopies.isEmpty,
      isCopyOf: d.article.nearCopyOf != nil, originalHref: d.article.nearCopyOf.map(Links.article) ?? "",
      duplicateParagraphsRemoved: d.duplicateParagraphsRemoved,
      hasRemovedParagraphs: d.duplicateParagraphsRemoved > 0)
    return try render("article", view)
  }

  /// An article's own URL, only when it is http(s): a `javascript:` URL in an article's metadata
  /// would survive HTML escaping and run when clicked.
  static func safeURL(_ url: String?) -> String {
    guard let url, let scheme = URL(string: url)?.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
      return ""
    }
    return url
  }
}
