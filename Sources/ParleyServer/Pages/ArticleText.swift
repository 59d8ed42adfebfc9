import ParleyStore

// The article reader's text: the stored source cut into paragraphs and non-overlapping segments
// so that highlights that overlap (an actor mention inside an event sentence inside a
// provision) still nest as valid HTML.
//
// Nesting rule: the source is split at every highlight boundary. Events and provisions (sentence
// spans) become background classes of the segments they cover, with a small badge link at their
// start; actors, citations and plans (short mentions) become the segment's link, the shortest
// covering one winning when they overlap. Links never nest and every highlight stays reachable.
//
// HTML articles: `source` is the raw page and offsets count its code points, so the reader hides
// markup (tags, and the contents of head, script, style, nav, footer and similar) and decodes
// character references in place, keeping the offsets of the text that remains. Block-level tags
// start new paragraphs.

/// A small link placed where an event or provision span begins.
struct ArticleBadge: Sendable, Equatable {
  var href: String
  var label: String
  var title: String
  var cssClass: String
}

/// A run of article text with the same highlights.
struct ArticleSegment: Sendable, Equatable {
  var text: String
  /// "hl-event", "hl-provision" or both, for the background.
  var cssClass: String
  var badges: [ArticleBadge]
  var link: SegmentLink?
  var hasClass: Bool
}

/// Where a segment links to.
struct SegmentLink: Sendable, Equatable {
  var href: String
  var kind: String
  var title: String
}

/// A paragraph of the reader.
struct ArticleParagraph: Sendable, Equatable {
  var segments: [ArticleSegment]
}

enum ArticleText {
  /// What a code point of the source shows as.
  enum Cell: Equatable {
    case visible(Unicode.Scalar)
    /// A character reference decoded at its first code point.
    case decoded(String)
    case hidden
    /// Hidden, and a paragraph ends here.
    case paragraphBreak
  }

  /// Cells for plain text and Markdown: blank lines separate paragraphs, everything else shows.
  /// Text without any blank line puts one paragraph on each line (a common way to save articles).
  static func plainCells(_ scalars: [Unicode.Scalar]) -> [Cell] {
    var cells = scalars.map { Cell.visible($0) }
    var blankLines = false
    var i = 0
    while i < scalars.count {
      guard scalars[i] == "\n" else {
        i += 1
        continue
      }
      // A run of whitespace holding two or more newlines is a paragraph break.
      var j = i
      var newlines = 0
      while j < scalars.count, scalars[j].properties.isWhitespace {
        if scalars[j] == "\n" { newlines += 1 }
        j += 1
      }
      if newlines >= 2 {
        for k in i..<j { cells[k] = .hidden }
        cells[i] = .paragraphBreak
        blankLines = true
      }
      i = max(j, i + 1)
    }
    if !blankLines {
      for (k, c) in scalars.enumerated() where c == "\n" { cells[k] = .paragraphBreak }
    }
    return cells
  }

  static let hiddenElements: Set<String> = [
    "head", "script", "style", "noscript", "template", "svg", "nav", "footer", "iframe", "button", "form", "select",
  ]
  static let blockElements: Set<String> = [
    "p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "blockquote", "article", "section",
    "header", "main", "figure", "figcaption", "table", "tr", "pre", "hr", "dl", "dt", "dd", "aside", "body",
  ]
  static let entities: [String: String] = [
    "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{00A0}", "mdash": "—", "ndash": "–",
    "hellip": "…", "rsquo": "\u{2019}", "lsquo": "\u{2018}", "rdquo": "\u{201D}", "ldquo": "\u{201C}",
    "laquo": "«", "raquo": "»", "copy": "©", "eacute": "é", "euro": "€",
  ]

  /// Cells for an HTML page: markup hidden, hidden elements' contents hidden, references decoded.
  static func htmlCells(_ s: [Unicode.Scalar]) -> [Cell] {
    var cells = s.map { Cell.visible($0) }
    var i = 0
    var hiddenDepth: [String] = []
    func hide(_ range: Range<Int>) { for k in range { cells[k] = .hidden } }
    while i < s.count {
      if s[i] == "<" {
        // Comments and declarations end at the first ">" (or "-->").
        if i + 3 < s.count, s[i + 1] == "!", s[i + 2] == "-", s[i + 3] == "-" {
          var j = i + 4
          while j + 2 < s.count, !(s[j] == "-" && s[j + 1] == "-" && s[j + 2] == ">") { j += 1 }
          let end = min(s.count, j + 3)
          hide(i..<end)
          i = end
          continue
        }
        var j = i + 1
        var quote: Unicode.Scalar?
        while j < s.count {
          if let q = quote {
            if s[j] == q { quote = nil }
          } else if s[j] == "\"" || s[j] == "'" {
            quote = s[j]
          } else if s[j] == ">" {
            break
          }
          j += 1
        }
        let end = min(s.count, j + 1)
        var name = ""
        var k = i + 1
        let closing = k < s.count && s[k] == "/"
        if closing { k += 1 }
        while k < end, s[k].properties.isAlphabetic || ("0"..."9").contains(s[k]) {
          name.unicodeScalars.append(s[k])
          k += 1
        }
        name = name.lowercased()
        hide(i..<end)
        if blockElements.contains(name) { cells[i] = .paragraphBreak }
        if hiddenElements.contains(name) {
          let selfClosing = end >= 2 && s[end - 2] == "/"
          if closing {
            if let last = hiddenDepth.lastIndex(of: name) { hiddenDepth.removeSubrange(last...) }
          } else if !selfClosing {
            hiddenDepth.append(name)
          }
        }
        i = end
        continue
      }
      if !hiddenDepth.isEmpty {
        cells[i] = .hidden
        i += 1
        continue
      }
      if s[i] == "&" {
        var j = i + 1
        var body = ""
        while j < s.count, j - i <= 10, s[j].properties.isAlphabetic || s[j] == "#" || ("0"..."9").contains(s[j]) {
          body.unicodeScalars.append(s[j])
          j += 1
        }
        if j < s.count, s[j] == ";", let decoded = decodeReference(body) {
          hide(i..<(j + 1))
          cells[i] = .decoded(decoded)
          i = j + 1
          continue
        }
      }
      i += 1
    }
    return cells
  }

  static func decodeReference(_ body: String) -> String? {
    if body.hasPrefix("#x") || body.hasPrefix("#X") {
      return UInt32(body.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init).map { String($0) }
    }
    if body.hasPrefix("#") {
      return UInt32(body.dropFirst(), radix: 10).flatMap(Unicode.Scalar.init).map { String($0) }
    }
    return entities[body]
  }

  /// The reader's paragraphs. `links` maps a highlight to where it points, `badge` labels the
  /// start of a background span.
  static func paragraphs(
    source: String, html: Bool, highlights: [Highlight], link: (Highlight) -> SegmentLink,
    badge: (Highlight) -> ArticleBadge
  ) -> [ArticleParagraph] {
    let scalars = Array(source.unicodeScalars)
    let n = scalars.count
    let cells = html ? htmlCells(scalars) : plainCells(scalars)
    let spans = highlights.compactMap { h -> Highlight? in
      var h = h
      h.start = max(0, min(n, h.start))
      h.end = max(0, min(n, h.end))
      return h.start < h.end ? h : nil
    }
    var cuts = Set([0, n])
    for h in spans {
      cuts.insert(h.start)
      cuts.insert(h.end)
    }
    for (i, c) in cells.enumerated() where c == .paragraphBreak {
      cuts.insert(i)
      cuts.insert(i + 1)
    }
    let bounds = cuts.sorted()
    var paragraphs: [ArticleParagraph] = []
    var current: [ArticleSegment] = []
    var pendingBadges: [ArticleBadge] = []
    func closeParagraph() {
      // Whitespace between block tags of an HTML page would otherwise make empty paragraphs.
      let blank = current.allSatisfy { $0.badges.isEmpty && $0.text.allSatisfy(\.isWhitespace) }
      if !blank { paragraphs.append(ArticleParagraph(segments: current)) }
      current = []
    }
    for (a, b) in zip(bounds, bounds.dropFirst()) where a < b {
      if cells[a] == .paragraphBreak {
        closeParagraph()
        continue
      }
      for h in spans where h.start == a && isBackground(h.kind) {
        let badge = badge(h)
        if !pendingBadges.contains(badge) { pendingBadges.append(badge) }
      }
      var text = ""
      for i in a..<b {
        switch cells[i] {
        case .visible(let c): text.unicodeScalars.append(c)
        case .decoded(let d): text += d
        case .hidden, .paragraphBreak: break
        }
      }
      if text.isEmpty { continue }
      let covering = spans.filter { $0.start <= a && $0.end >= b }
      var classes: [String] = []
      if covering.contains(where: { $0.kind == "event" }) { classes.append("hl-event") }
      if covering.contains(where: { $0.kind == "provision" }) { classes.append("hl-provision") }
      let inline = covering.filter { !isBackground($0.kind) }.min { ($0.end - $0.start) < ($1.end - $1.start) }
      let segment = ArticleSegment(
        text: text, cssClass: classes.joined(separator: " "), badges: pendingBadges, link: inline.map(link),
        hasClass: !classes.isEmpty)
      pendingBadges = []
      // Runs with the same look merge, so the HTML carries one element per visible change.
      if let last = current.last, segment.badges.isEmpty, last.cssClass == segment.cssClass,
        last.link == segment.link, segment.link == nil
      {
        current[current.count - 1].text += segment.text
      } else {
        current.append(segment)
      }
    }
    closeParagraph()
    return paragraphs
  }

  static func isBackground(_ kind: String) -> Bool { kind == "event" || kind == "provision" }
}
