import ParleyStore

struct SearchHitView {
  var article: ArticleRowView
  var snippet: [TextPart]
}

struct SearchView {
  var chrome: Chrome
  var queryText: String
  var hasQuery: Bool
  var hits: [SearchHitView]
  var hasHits: Bool
  var total: Int
  var pager: Pager
}

extension PageRenderer {
  /// `/search?q=`: full-text search over article text, terms marked in the snippets.
  public func search(_ query: [String: String]) throws -> String {
    let q = query["q"] ?? ""
    let limit = 20
    let offset = max(0, query["offset"].flatMap { Int($0) } ?? 0)
    let page = try store.search(q, limit: limit, offset: offset)
    let view = SearchView(
      chrome: Chrome(title: q.isEmpty ? "Search" : "Search: \(q)", section: .search, searchText: q), queryText: q,
      hasQuery: !q.isEmpty,
      hits: page.items.map {
        SearchHitView(article: Self.articleRow($0.article), snippet: Self.snippetParts($0.snippet))
      },
      hasHits: !page.items.isEmpty, total: page.total,
      pager: Pager(total: page.total, limit: limit, offset: offset) { o in
        Links.with("/search", [("q", q), ("offset", o == 0 ? nil : String(o))])
      })
    return try render("search", view)
  }

  /// The snippet's `[term]` markers as marked parts. The text stays plain (the template escapes
  /// it) and only the markers become `<mark>`; an unpaired bracket is kept as text.
  static func snippetParts(_ snippet: String) -> [TextPart] {
    var parts: [TextPart] = []
    var rest = Substring(snippet)
    while let open = rest.firstIndex(of: "[") {
      guard let close = rest[open...].firstIndex(of: "]") else { break }
      if open > rest.startIndex { parts.append(TextPart(text: String(rest[..<open]), marked: false)) }
      let term = rest[rest.index(after: open)..<close]
      if !term.isEmpty { parts.append(TextPart(text: String(term), marked: true)) }
      rest = rest[rest.index(after: close)...]
    }
    if !rest.isEmpty { parts.append(TextPart(text: String(rest), marked: false)) }
    return parts
  }
}
