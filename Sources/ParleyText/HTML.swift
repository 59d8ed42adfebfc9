import Foundation
import ParleyModel

/// Metadata from an HTML page's head: `<title>`, `article:published_time`, `og:site_name`, `og:url`.
enum HTMLMetadata {
  static func article(path: String, source: String) -> RawArticle {
    var article = RawArticle(
      id: ArticleIdentity.id(forPath: path), path: path, format: .html, source: source)
    var metas: [String: String] = [:]
    var scan = source[...]
    // Only the head and the first part of the body carry metadata; bound the scan.
    let limit = source.index(source.startIndex, offsetBy: min(source.count, 200_000))
    scan = source[..<limit]
    while let open = scan.range(of: "<meta", options: .caseInsensitive) {
      guard let close = scan[open.upperBound...].firstIndex(of: ">") else { break }
      let attrs = HTMLTags.attributes(String(scan[open.upperBound..<close]))
      if let key = attrs["property"] ?? attrs["name"] ?? attrs["itemprop"], let content = attrs["content"] {
        metas[key.lowercased()] = HTMLEntities.decode(content)
      }
      scan = scan[scan.index(after: close)...]
    }
    if let t = metas["og:title"] ?? titleElement(source[..<limit]) {
      article.title = t.trimmingCharacters(in: .whitespacesAndNewlines)
    }
    for key in [
      "article:published_time", "og:published_time", "datepublished", "pubdate", "publish-date", "date", "dc.date",
    ] {
      if let v = metas[key], let d = ExplicitDate.parsePrefix(v)?.0 {
        article.published = d
        break
      }
    }
    if article.published == nil, let t = source[..<limit].range(of: "<time", options: .caseInsensitive),
      let close = source[t.upperBound...].firstIndex(of: ">")
    {
      if let dt = HTMLTags.attributes(String(source[t.upperBound..<close]))["datetime"] {
        article.published = ExplicitDate.parsePrefix(dt)?.0
      }
    }
    article.outlet = metas["og:site_name"] ?? metas["application-name"]
    article.url = metas["og:url"]
    // "Headline | Site Name": the site is the outlet, not part of the title.
    if let title = article.title, let site = article.outlet {
      for sep in [" | ", " - ", " \u{2014} ", " \u{2013} ", " :: "] where title.hasSuffix(sep + site) {
        article.title = String(title.dropLast(sep.count + site.count))
      }
    }
    return article
  }

  static func titleElement(_ s: Substring) -> String? {
    guard let open = s.range(of: "<title", options: .caseInsensitive),
      let gt = s[open.upperBound...].firstIndex(of: ">"),
      let close = s[gt...].range(of: "</title", options: .caseInsensitive)
    else { return nil }
    let raw = HTMLEntities.decode(String(s[s.index(after: gt)..<close.lowerBound]))
    return raw.isEmpty ? nil : raw
  }
}

/// Tag-level helpers shared by the metadata reader and the visible-text walker.
enum HTMLTags {
  /// Elements whose content is never article text.
  static let skipped: Set<String> = [
    "script", "style", "noscript", "template", "svg", "nav", "header", "footer", "aside", "form",
    "button", "iframe", "head", "select", "object", "canvas", "math", "figcaption",
  ]
  /// Elements that break text into blocks.
  static let blocks: Set<String> = [
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th", "table",
    "section", "article", "blockquote", "hr", "title", "dd", "dt", "dl", "pre", "main", "body", "figure",
  ]

  /// Parses `name="value"` pairs (quoted or bare) from the inside of a tag.
  static func attributes(_ s: String) -> [String: String] {
    var result: [String: String] = [:]
    let chars = Array(s.unicodeScalars)
    var i = 0
    while i < chars.count {
      while i < chars.count, !Scalars.isLetter(chars[i]) { i += 1 }
      let nameStart = i
      while i < chars.count, Scalars.isAlnum(chars[i]) || chars[i] == "-" || chars[i] == ":" || chars[i] == "_" {
        i += 1
      }
      let name = String(String.UnicodeScalarView(chars[nameStart..<i])).lowercased()
      while i < chars.count, chars[i] == " " { i += 1 }
      guard i < chars.count, chars[i] == "=" else { continue }
      i += 1
      while i < chars.count, chars[i] == " " { i += 1 }
      guard i < chars.count else { break }
      var value = String.UnicodeScalarView()
      if chars[i] == "\"" || chars[i] == "'" {
        let q = chars[i]
        i += 1
        while i < chars.count, chars[i] != q {
          value.append(chars[i])
          i += 1
        }
        i += 1
      } else {
        while i < chars.count, chars[i] != " ", chars[i] != "/" {
          value.append(chars[i])
          i += 1
        }
      }
      if !name.isEmpty { result[name] = String(value) }
    }
    return result
  }
}

/// HTML character references.
public enum HTMLEntities {
  static let named: [String: Unicode.Scalar] = [
    "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{A0}", "mdash": "\u{2014}",
    "ndash": "\u{2013}", "lsquo": "\u{2018}", "rsquo": "\u{2019}", "ldquo": "\u{201C}", "rdquo": "\u{201D}",
    "hellip": "\u{2026}", "laquo": "\u{AB}", "raquo": "\u{BB}", "copy": "\u{A9}", "reg": "\u{AE}",
    "eacute": "\u{E9}", "egrave": "\u{E8}", "aacute": "\u{E1}", "agrave": "\u{E0}", "oacute": "\u{F3}",
    "iacute": "\u{ED}", "uacute": "\u{FA}", "ntilde": "\u{F1}", "ccedil": "\u{E7}", "uuml": "\u{FC}",
    "ouml": "\u{F6}", "auml": "\u{E4}", "szlig": "\u{DF}", "euro": "\u{20AC}", "pound": "\u{A3}",
    "middot": "\u{B7}", "bull": "\u{2022}", "shy": "\u{AD}", "zwj": "\u{200D}", "thinsp": "\u{2009}",
  ]

  /// Decodes the reference starting at `i` (which holds "&"); returns the scalar and the length consumed.
  static func decode(_ s: [Unicode.Scalar], at i: Int) -> (Unicode.Scalar, Int)? {
    var j = i + 1
    var name = ""
    while j < s.count, j - i <= 12, s[j] != ";" {
      guard Scalars.isAlnum(s[j]) || s[j] == "#" else { return nil }
      name.unicodeScalars.append(s[j])
      j += 1
    }
    guard j < s.count, s[j] == ";", !name.isEmpty else { return nil }
    let length = j - i + 1
    if name.hasPrefix("#") {
      let body = name.dropFirst()
      let value = body.hasPrefix("x") || body.hasPrefix("X") ? UInt32(body.dropFirst(), radix: 16) : UInt32(body)
      guard let v = value, let scalar = Unicode.Scalar(v), v != 0 else { return nil }
      return (scalar, length)
    }
    guard let scalar = named[name] ?? named[name.lowercased()] else { return nil }
    return (scalar, length)
  }

  /// Replaces character references ("&rsquo;", "&#8217;") with the characters they stand for.
  public static func decode(_ text: String) -> String {
    let s = Array(text.unicodeScalars)
    var out = String.UnicodeScalarView()
    var i = 0
    while i < s.count {
      if s[i] == "&", let (c, n) = decode(s, at: i) {
        out.append(c)
        i += n
      } else {
        out.append(s[i])
        i += 1
      }
    }
    return String(out)
  }
}

/// Walks raw HTML and emits its visible text, one scalar at a time with its source offsets.
enum HTMLVisibleText {
  static func walk(_ s: [Unicode.Scalar], from start: Int, emit: (Unicode.Scalar, Int, Int) -> Void) {
    var i = start
    var skipUntil: String? = nil
    var skipDepth = 0
    while i < s.count {
      let c = s[i]
      if let skip = skipUntil, skip == "script" || skip == "style" {
        // Script and style are raw text: "<" inside them is no tag. Jump to the closing tag.
        guard let close = findClosing(s, name: skip, from: i) else { return }
        skipUntil = nil
        skipDepth = 0
        i = close
        continue
      }
      if c == "<" {
        // Comments, doctype, CDATA.
        if i + 3 < s.count, s[i + 1] == "!", s[i + 2] == "-", s[i + 3] == "-" {
          i = find(s, "-->", from: i + 4).map { $0 + 3 } ?? s.count
          continue
        }
        guard let close = findTagEnd(s, from: i + 1) else {
          i = s.count
          continue
        }
        var j = i + 1
        let isEnd = j < close && s[j] == "/"
        if isEnd { j += 1 }
        var name = ""
        while j < close, Scalars.isAlnum(s[j]) {
          name.unicodeScalars.append(Unicode.Scalar(UInt8(truncatingIfNeeded: s[j].value | 0x20)))
          j += 1
        }
        let selfClosing = close > 0 && s[close - 1] == "/"
        if let skip = skipUntil {
          if name == skip {
            if isEnd { skipDepth -= 1 } else if !selfClosing { skipDepth += 1 }
            if skipDepth == 0 { skipUntil = nil }
          }
        } else if !isEnd, !selfClosing, HTMLTags.skipped.contains(name) {
          skipUntil = name
          skipDepth = 1
        } else if HTMLTags.blocks.contains(name) {
          emit("\n", i, close + 1)
        }
        i = close + 1
        continue
      }
      if skipUntil != nil {
        i += 1
        continue
      }
      if c == "&", let (decoded, n) = HTMLEntities.decode(s, at: i) {
        emit(decoded, i, i + n)
        i += n
        continue
      }
      emit(c == "\n" || c == "\r" || c == "\t" ? " " : c, i, i + 1)
      i += 1
    }
  }

  /// The index just past `</name ...>` (case-insensitive), searching from `from`.
  static func findClosing(_ s: [Unicode.Scalar], name: String, from: Int) -> Int? {
    let n = Array(name.unicodeScalars)
    var i = from
    while i + 2 + n.count <= s.count {
      if s[i] == "<", s[i + 1] == "/" {
        var ok = true
        for (k, c) in n.enumerated() where Unicode.Scalar(UInt8(truncatingIfNeeded: s[i + 2 + k].value | 0x20)) != c {
          ok = false
          break
        }
        if ok, s[i + 2 + n.count].value < 0x80, !Scalars.isAlnum(s[i + 2 + n.count]) {
          var j = i + 2 + n.count
          while j < s.count, s[j] != ">" { j += 1 }
          return min(j + 1, s.count)
        }
      }
      i += 1
    }
    return nil
  }

  static func findTagEnd(_ s: [Unicode.Scalar], from: Int) -> Int? {
    var quote: Unicode.Scalar? = nil
    var i = from
    while i < s.count {
      let c = s[i]
      if let q = quote {
        if c == q { quote = nil }
      } else if c == "\"" || c == "'" {
        quote = c
      } else if c == ">" {
        return i
      }
      i += 1
    }
    return nil
  }

  static func find(_ s: [Unicode.Scalar], _ needle: String, from: Int) -> Int? {
    let n = Array(needle.unicodeScalars)
    guard !n.isEmpty, s.count >= n.count else { return nil }
    var i = from
    while i + n.count <= s.count {
      if s[i] == n[0] {
        var ok = true
        for k in 1..<n.count where s[i + k] != n[k] {
          ok = false
          break
        }
        if ok { return i }
      }
      i += 1
    }
    return nil
  }
}
