import ParleyModel

/// What a paragraph is to the analysis.
public enum ParagraphRole: String, Sendable {
  /// Reporting: all extraction runs on it.
  case body
  /// A headline or section heading: names are read from it, not events.
  case heading
  /// An item of a bulleted or numbered list.
  case listItem
  /// An author bio at the end: names are read from it, nothing else.
  case bio
  /// Site furniture ("Subscribe", "All rights reserved"): ignored.
  case boilerplate
}

/// A paragraph of the cleaned text.
public struct Paragraph: Sendable {
  public var range: Range<Int>
  public var role: ParagraphRole
  public init(range: Range<Int>, role: ParagraphRole) {
    self.range = range
    self.role = role
  }
}

/// An article's text cleaned for matching, with every character mapped back to the source.
///
/// Punctuation and spaces are normalized one-for-one; invisible characters, markup, list markers
/// and duplicate paragraphs are dropped. `sourceSpan` turns any cleaned range back into source
/// code-point offsets, so everything extracted quotes the original exactly.
public struct CleanText: Sendable {
  public internal(set) var scalars: [Unicode.Scalar] = []
  /// Source code-point offset where each cleaned character starts and ends.
  public internal(set) var originStart: [Int32] = []
  public internal(set) var originEnd: [Int32] = []
  public internal(set) var paragraphs: [Paragraph] = []
  public internal(set) var duplicateParagraphsRemoved = 0

  public init() {}

  /// The source span of cleaned characters `range` (empty ranges map to an empty span).
  public func sourceSpan(_ range: Range<Int>) -> TextSpan {
    guard !range.isEmpty, range.lowerBound >= 0, range.upperBound <= scalars.count else {
      let at = range.lowerBound < originStart.count ? Int(originStart[range.lowerBound]) : 0
      return TextSpan(at, at)
    }
    return TextSpan(Int(originStart[range.lowerBound]), Int(originEnd[range.upperBound - 1]))
  }

  public func string(_ range: Range<Int>) -> String {
    // Encoded straight into the string's storage: building a `String.UnicodeScalarView` one
    // scalar at a time cost more than tokenizing (every word form of the parser comes here).
    scalars.withUnsafeBufferPointer { all in
      let part = UnsafeBufferPointer(rebasing: all[range])
      var count = 0
      for c in part { count += UTF8.width(c) }
      return String(unsafeUninitializedCapacity: count) { out in
        var k = 0
        for c in part {
          if c.value < 0x80 {
            out[k] = UInt8(truncatingIfNeeded: c.value)
            k += 1
          } else {
            UTF8.encode(c) { byte in
              out[k] = byte
              k += 1
            }
          }
        }
        return k
      }
    }
  }

  /// Builds the cleaned text of an article.
  public static func build(_ article: RawArticle, source: [Unicode.Scalar], lexicon: TextLexicon) -> CleanText {
    var stream = CleanText()
    stream.scalars.reserveCapacity(source.count)
    stream.originStart.reserveCapacity(source.count)
    stream.originEnd.reserveCapacity(source.count)
    func emit(_ c: Unicode.Scalar, _ s: Int, _ e: Int) {
      if Scalars.isInvisible(c) { return }
      let n = c == "\r" ? "\n" : Scalars.normalized(c)
      if n == "\n", c == "\r" || c == "\n" {
        // Fold CRLF into one break.
        if c == "\n", stream.scalars.last == "\n", s > 0, source[s - 1] == "\r" { return }
      }
      stream.scalars.append(Scalars.isNewline(c) ? "\n" : n)
      stream.originStart.append(Int32(truncatingIfNeeded: s))
      stream.originEnd.append(Int32(truncatingIfNeeded: e))
    }
    if article.format == .html {
      HTMLVisibleText.walk(source, from: article.bodyStart, emit: emit)
    } else {
      // `emit` inlined over local arrays: through the closure every character paid for access
      // checks on the captured stream, and plain text is most of what is read.
      var scalars = stream.scalars
      var starts = stream.originStart
      var ends = stream.originEnd
      stream = CleanText()
      var i = article.bodyStart
      while i < source.count {
        let c = source[i]
        defer { i += 1 }
        if Scalars.isInvisible(c) { continue }
        let n = c == "\r" ? "\n" : Scalars.normalized(c)
        // Fold CRLF into one break.
        if n == "\n", c == "\n", scalars.last == "\n", i > 0, source[i - 1] == "\r" { continue }
        scalars.append(Scalars.isNewline(c) ? "\n" : n)
        starts.append(Int32(truncatingIfNeeded: i))
        ends.append(Int32(truncatingIfNeeded: i + 1))
      }
      stream.scalars = scalars
      stream.originStart = starts
      stream.originEnd = ends
    }
    return Paragraphing(stream: stream, lexicon: lexicon, markdown: article.format == .markdown).run()
  }
}

/// Splits the character stream into paragraphs, strips list markers, folds soft line wraps,
/// removes duplicate paragraphs and marks boilerplate and author bios.
struct Paragraphing {
  let stream: CleanText
  let lexicon: TextLexicon
  let markdown: Bool

  struct Line {
    var range: Range<Int>
    var role: ParagraphRole
    var blankBefore: Bool
  }

  func run() -> CleanText {
    let lines = splitLines()
    let blocks = joinWrapped(lines)
    var out = CleanText()
    var seenExact: Set<Int> = []
    var shingles: [Set<Int>] = []
    for block in blocks {
      let words = Self.wordHashes(stream.scalars, block.ranges)
      if words.isEmpty { continue }
      var key = words.count
      for w in words { key = key &* 1_099_511_628_211 ^ w }
      if seenExact.contains(key) {
        out.duplicateParagraphsRemoved += 1
        continue
      }
      if words.count >= 8 {
        let sh = Self.shingles(words)
        // (Jaccard is at most the ratio of the sizes: most pairs are ruled out by their counts.)
        if shingles.contains(where: { Self.sizeRatio($0, sh) >= 0.8 && Self.jaccard($0, sh, atLeast: 0.8) }) {
          out.duplicateParagraphsRemoved += 1
          continue
        }
        shingles.append(sh)
      }
      seenExact.insert(key)
      if !out.scalars.isEmpty {
        // The paragraph break maps to the end of the previous paragraph in the source.
        let last = out.originEnd.last ?? 0
        out.scalars.append("\n")
        out.originStart.append(last)
        out.originEnd.append(last)
      }
      let start = out.scalars.count
      for (n, r) in block.ranges.enumerated() {
        if n > 0 {
          // A folded line wrap reads as one space.
          out.scalars.append(" ")
          out.originStart.append(stream.originEnd[r.lowerBound - 1 < 0 ? 0 : r.lowerBound - 1])
          out.originEnd.append(stream.originStart[r.lowerBound])
        }
        out.scalars.append(contentsOf: stream.scalars[r])
        out.originStart.append(contentsOf: stream.originStart[r])
        out.originEnd.append(contentsOf: stream.originEnd[r])
      }
      var role = block.role
      if role == .body, isBoilerplate(block.ranges) { role = .boilerplate }
      out.paragraphs.append(Paragraph(range: start..<out.scalars.count, role: role))
    }
    markBio(&out)
    return out
  }

  struct Block {
    var ranges: [Range<Int>]
    var role: ParagraphRole
  }

  /// Lines with surrounding spaces trimmed and list/heading markers removed.
  func splitLines() -> [Line] {
    var lines: [Line] = []
    let s = stream.scalars
    var i = 0
    var blank = true
    while i <= s.count {
      var j = i
      while j < s.count, s[j] != "\n" { j += 1 }
      var a = i
      var b = j
      while a < b, s[a] == " " { a += 1 }
      while b > a, s[b - 1] == " " { b -= 1 }
      if a == b {
        blank = true
      } else {
        var role = ParagraphRole.body
        // Markdown headings and quotes.
        if markdown || s[a] == "#" {
          var k = a
          while k < b, s[k] == "#" { k += 1 }
          if k > a, k < b, s[k] == " " {
            role = .heading
            a = k + 1
          }
        }
        if a < b, s[a] == ">" && markdown {
          a += 1
          while a < b, s[a] == " " { a += 1 }
        }
        if a < b, let markerEnd = Self.listMarkerEnd(s, a, b) {
          role = .listItem
          a = markerEnd
        }
        if a < b {
          lines.append(Line(range: a..<b, role: role, blankBefore: blank))
        }
        blank = false
      }
      i = j + 1
    }
    return lines
  }

  /// The end of a bullet ("•", "-", "*") or number ("1.", "2)", "(3)") marker at the start of a line.
  static func listMarkerEnd(_ s: [Unicode.Scalar], _ a: Int, _ b: Int) -> Int? {
    guard a < b else { return nil }
    var k = a
    if s[k] == "\u{2022}" || ((s[k] == "-" || s[k] == "*" || s[k] == "+") && k + 1 < b && s[k + 1] == " ") {
      k += 1
    } else {
      if s[k] == "(" { k += 1 }
      let digits = k
      while k < b, Scalars.isDigit(s[k].value), k - digits < 3 { k += 1 }
      guard k > digits, k < b, s[k] == "." || s[k] == ")" else { return nil }
      k += 1
      guard k < b, s[k] == " " else { return nil }
    }
    while k < b, s[k] == " " { k += 1 }
    return k < b ? k : nil
  }

  /// Joins lines that a hard wrap split; every other line is its own paragraph.
  func joinWrapped(_ lines: [Line]) -> [Block] {
    var blocks: [Block] = []
    let s = stream.scalars
    let hardWrapped = Self.isHardWrapped(lines)
    for line in lines {
      if hardWrapped, let last = blocks.last, !line.blankBefore, line.role == .body, last.role == .body,
        let prev = last.ranges.last, prev.count >= 40
      {
        let end = s[prev.upperBound - 1]
        let first = s[line.range.lowerBound]
        let endsSentence = end == "." || end == "!" || end == "?" || end == ":" || end == "\"" || end == ";"
        if !endsSentence && (Scalars.isLower(first) || Scalars.isLetter(end) || end == ",") {
          blocks[blocks.count - 1].ranges.append(line.range)
          continue
        }
      }
      var role = line.role
      if role == .body, Self.isHeadingLike(s, line.range) {
        // Short lines after "... aims to:" are the items of that list, not headings.
        let afterColon =
          blocks.last.map { b in
            b.role == .listItem || (b.ranges.last.map { s[$0.upperBound - 1] == ":" } ?? false)
          } ?? false
        role = afterColon ? .listItem : .heading
      }
      blocks.append(Block(ranges: [line.range], role: role))
    }
    // A heading that a wrap continued is a paragraph after all.
    for i in blocks.indices where blocks[i].role == .heading && blocks[i].ranges.count > 1 { blocks[i].role = .body }
    // A text of one line heads nothing: it is what it reports (a wire lead, a sentence to code).
    if blocks.count == 1, blocks[0].role == .heading { blocks[0].role = .body }
    return blocks
  }

  /// Text wrapped at a fixed width: most lines of similar, moderate length.
  static func isHardWrapped(_ lines: [Line]) -> Bool {
    let lengths = lines.map { $0.range.count }
    guard lengths.count >= 4, let longest = lengths.max(), longest <= 120 else { return false }
    let moderate = lengths.filter { (40...100).contains($0) }.count
    return Double(moderate) / Double(lengths.count) >= 0.6
  }

  /// A line that reads as a headline or section heading: short, no closing punctuation.
  static func isHeadingLike(_ s: [Unicode.Scalar], _ r: Range<Int>) -> Bool {
    guard let last = s[r].last else { return false }
    if [".", "!", ";", ",", "\"", "'", ")", ":", "\u{2026}"].contains(last) { return false }
    let words = s[r].split(separator: " ").count
    return words <= 20
  }

  /// Lowercased letters and digits, words separated by single spaces: the duplicate key.
  static func foldKey(_ s: [Unicode.Scalar], _ ranges: [Range<Int>], limit: Int = 200) -> String {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(min(limit, 256))
    var pendingSpace = false
    outer: for r in ranges {
      for c in s[r] {
        if bytes.count >= limit { break outer }
        let v = c.value
        let alnum = v < 0x80 ? (Scalars.isASCIILetter(v) || Scalars.isDigit(v)) : Scalars.isAlnum(c)
        if alnum {
          if pendingSpace, !bytes.isEmpty { bytes.append(0x20) }
          pendingSpace = false
          if v < 0x80 {
            bytes.append(UInt8(v >= 0x41 && v <= 0x5A ? v + 32 : v))
          } else {
            bytes.append(contentsOf: c.properties.lowercaseMapping.utf8)
          }
        } else {
          pendingSpace = true
        }
      }
      pendingSpace = true
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  /// FNV-1a hashes of the lowercased words of `ranges`: the duplicate key without building
  /// strings (a keyed `Hasher` per character costs more than the rest of cleaning).
  static func wordHashes(_ s: [Unicode.Scalar], _ ranges: [Range<Int>]) -> [Int] {
    let basis: UInt64 = 0xcbf2_9ce4_8422_2325
    let prime: UInt64 = 0x0000_0100_0000_01B3
    var out: [Int] = []
    var h = basis
    var inWord = false
    for r in ranges {
      for c in s[r] {
        let v = c.value
        if v < 0x80 {
          if Scalars.isASCIILetter(v) || Scalars.isDigit(v) {
            h = (h ^ UInt64(v >= 0x41 && v <= 0x5A ? v + 32 : v)) &* prime
            inWord = true
            continue
          }
        } else if Scalars.isAlnum(c) {
          for l in c.properties.lowercaseMapping.unicodeScalars { h = (h ^ UInt64(l.value)) &* prime }
          inWord = true
          continue
        }
        if inWord {
          out.append(Int(truncatingIfNeeded: h))
          h = basis
          inWord = false
        }
      }
      if inWord {
        out.append(Int(truncatingIfNeeded: h))
        h = basis
        inWord = false
      }
    }
    return out
  }

  /// Word trigrams, each folded into one integer.
  static func shingles(_ words: [Int]) -> Set<Int> {
    guard words.count >= 3 else { return [] }
    var set = Set<Int>(minimumCapacity: words.count - 2)
    for i in 0..<(words.count - 2) {
      set.insert(words[i] &* 31 &+ words[i + 1] &* 1_000_003 &+ words[i + 2] &* 998_244_353)
    }
    return set
  }

  /// The smaller set's size over the larger's: an upper bound of their Jaccard similarity.
  static func sizeRatio(_ a: Set<Int>, _ b: Set<Int>) -> Double {
    let large = max(a.count, b.count)
    return large == 0 ? 0 : Double(min(a.count, b.count)) / Double(large)
  }

  /// Whether `jaccard(a, b) >= threshold`, giving up as soon as the elements left to count
  /// cannot reach it: most pairs of paragraphs share nearly nothing.
  static func jaccard(_ a: Set<Int>, _ b: Set<Int>, atLeast threshold: Double) -> Bool {
    let (small, large) = a.count <= b.count ? (a, b) : (b, a)
    var inter = 0
    var left = small.count
    for x in small {
      left -= 1
      if large.contains(x) {
        inter += 1
      } else {
        // The similarity grows with the intersection: with every element left shared, it is
        // at most this (the same division as `jaccard`, so the comparison agrees with it).
        let most = inter + left
        let union = a.count + b.count - most
        if union == 0 || Double(most) / Double(union) < threshold { return false }
      }
    }
    return jaccard(a, b) >= threshold
  }

  static func jaccard(_ a: Set<Int>, _ b: Set<Int>) -> Double {
    // Counted, not built: every paragraph is compared with all the earlier ones, and an
    // intersection set allocated and hashed anew for each pair.
    let (small, large) = a.count <= b.count ? (a, b) : (b, a)
    var inter = 0
    for x in small where large.contains(x) { inter += 1 }
    let union = a.count + b.count - inter
    return union == 0 ? 0 : Double(inter) / Double(union)
  }

  func isBoilerplate(_ ranges: [Range<Int>]) -> Bool {
    guard let first = ranges.first else { return false }
    // Only the opening words matter: fold just those.
    let head = Self.foldKey(stream.scalars, [first.lowerBound..<min(first.upperBound, first.lowerBound + 40)])
    return lexicon.boilerplate.contains { head.hasPrefix($0) }
  }

  /// Marks a trailing author bio: a short name line ("Jane Doe:"), an optional job-title line,
  /// and paragraphs that open with that name and a bio verb ("Jane Doe covers ...").
  func markBio(_ text: inout CleanText) {
    let n = text.paragraphs.count
    guard n >= 3 else { return }
    var words: [Int: [Substring]] = [:]
    for i in max(1, n - 4)..<n {
      words[i] = Self.foldKey(text.scalars, [text.paragraphs[i].range]).split(separator: " ")
    }
    for i in max(1, n - 4)..<n {
      // A name line is looked for only where a title or bio could follow it: reading a whole
      // paragraph as characters is the costly part.
      func isNameLine() -> Bool {
        let raw = text.string(text.paragraphs[i].range)
        let nameWords = raw.hasSuffix(":") ? raw.dropLast().split(separator: " ") : raw.split(separator: " ")
        return (2...4).contains(nameWords.count) && nameWords.allSatisfy { $0.first?.isUppercase == true }
          && !raw.contains(".")
      }
      let nextIsTitleOrBio =
        i + 1 < n && (text.paragraphs[i + 1].range.count < 60 || startsWithBioVerb(words[i + 1] ?? []))
      if (nextIsTitleOrBio && isNameLine()) || startsWithBioVerb(words[i] ?? []) {
        for k in i..<n where text.paragraphs[k].role != .boilerplate {
          text.paragraphs[k].role = .bio
        }
        return
      }
    }
  }

  /// "Jane Doe covers ...", "Jane Doe is a ...": two or three name words then a bio verb.
  func startsWithBioVerb(_ words: [Substring]) -> Bool {
    guard words.count >= 4 else { return false }
    let tail = words.dropFirst(2).prefix(3).joined(separator: " ")
    let tail3 = words.dropFirst(3).prefix(3).joined(separator: " ")
    return lexicon.bioVerbs.contains { tail.hasPrefix($0) || tail3.hasPrefix($0) }
  }
}
