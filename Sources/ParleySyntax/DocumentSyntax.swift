import Foundation
import ParleyModel
import ParleyText

/// One syntactic word of an article: where it is, which Parley token it belongs to, and its analysis.
/// Usually a word is a whole token; a token such as "don't" gives two words, "do" and "n't".
public struct SyntaxWord: Sendable, Equatable {
  /// Index of the token in `TextDocument.tokens`.
  public var token: Int
  /// Range in the cleaned text (`TextDocument.clean`); `TextDocument.clean.sourceSpan` maps it to the source.
  public var range: Range<Int>
  public var form: String
  public var analysis: WordAnalysis

  public init(token: Int, range: Range<Int>, form: String, analysis: WordAnalysis) {
    self.token = token
    self.range = range
    self.form = form
    self.analysis = analysis
  }
}

/// The analysed sentences of one article, in order; `words[i].analysis.head` counts from 1 within the sentence.
public struct SyntaxSentence: Sendable, Equatable {
  /// Index of the sentence in `TextDocument.sentences`.
  public var sentence: Int
  public var words: [SyntaxWord]

  public init(sentence: Int, words: [SyntaxWord]) {
    self.sentence = sentence
    self.words = words
  }

  /// Index (into `words`) of the head of word `i`, nil for the root.
  public func head(of i: Int) -> Int? {
    let h = words[i].analysis.head
    return h > 0 ? h - 1 : nil
  }
}

/// How Parley's tokens are split into the treebank's words (data: `word-splits.json`).
public struct WordSplits: Sendable, Decodable {
  public let clitics: [String]
  public let words: [String: [String]]
  /// Whether every clitic has an apostrophe (the bundled ones do), and the UTF-8 lengths of the
  /// whole words (bit n: a word of n bytes; bit 63: one of 63 or more). Read once here, they rule
  /// out both tables for most tokens without lowercasing or hashing them (asked of every token).
  private let cliticsHaveApostrophes: Bool
  private let wordLengths: UInt64

  public init(clitics: [String], words: [String: [String]]) {
    self.clitics = clitics
    self.words = words
    cliticsHaveApostrophes = clitics.allSatisfy { $0.utf8.contains(0x27) }
    wordLengths = words.keys.reduce(0) { $0 | 1 << UInt64(min($1.utf8.count, 63)) }
  }

  private enum CodingKeys: String, CodingKey { case clitics, words }

  public init(from decoder: any Decoder) throws {
    let file = try decoder.container(keyedBy: CodingKeys.self)
    self.init(
      clitics: try file.decode([String].self, forKey: .clitics),
      words: try file.decode([String: [String]].self, forKey: .words))
  }

  /// Lengths, in Unicode scalars, of the pieces of a token of `form`; one piece when it is not split.
  public func pieces(_ form: String) -> [Int] {
    // Most tokens are ASCII without an apostrophe: no clitic can end them (every clitic has
    // one, and lowercasing never makes one), so only the whole-word table needs looking at,
    // and only for a token as long as one of its words (lowercasing ASCII keeps the length).
    var ascii = true
    var apostrophe = false
    for b in form.utf8 {
      if b >= 0x80 { ascii = false }
      if b == 0x27 { apostrophe = true }
    }
    if ascii && !apostrophe && cliticsHaveApostrophes {
      let length = form.utf8.count
      if wordLengths & 1 << UInt64(min(length, 63)) != 0, let parts = words[form.lowercased()] {
        return parts.map { $0.unicodeScalars.count }
      }
      return [length]
    }
    let lower = form.lowercased()
    if let parts = words[lower] { return parts.map { $0.unicodeScalars.count } }
    let n = form.unicodeScalars.count
    for c in clitics where lower.hasSuffix(c) {
      let k = c.unicodeScalars.count
      if n > k && form.unicodeScalars.dropLast(k).contains(where: { $0.properties.isAlphabetic }) {
        return [n - k, k]
      }
    }
    return [n]
  }

  /// The splits shipped with Parley.
  public static func bundled() throws -> WordSplits {
    let url = try SyntaxModel.resourceDirectory().appendingPathComponent("word-splits.json")
    do {
      return try JSONDecoder().decode(WordSplits.self, from: Data(contentsOf: url))
    } catch {
      throw SyntaxModelError(file: url.path, reason: "cannot be loaded: \(error)")
    }
  }
}

/// Adds syntax to an article: splits its tokens into words, analyses each sentence, and keeps
/// every word tied to its token and its characters. Shared read-only across threads.
public struct SyntaxAnnotator: Sendable {
  public let model: SyntaxModel
  public let splits: WordSplits

  public init(model: SyntaxModel, splits: WordSplits) {
    self.model = model
    self.splits = splits
  }

  /// The bundled model and splits.
  public static func bundled() throws -> SyntaxAnnotator {
    SyntaxAnnotator(model: try SyntaxModel.bundled(), splits: try WordSplits.bundled())
  }

  /// The words of `tokens[range]` with their cleaned-text ranges (no analysis yet).
  public func words(_ doc: TextDocument, tokens range: Range<Int>) -> [(token: Int, range: Range<Int>, form: String)] {
    var out: [(token: Int, range: Range<Int>, form: String)] = []
    out.reserveCapacity(range.count)
    for k in range {
      let t = doc.tokens[k]
      let form = doc.clean.string(t.range)
      guard t.kind == .word else {
        out.append((k, t.range, form))
        continue
      }
      let pieces = splits.pieces(form)
      if pieces.count == 1 {
        out.append((k, t.range, form))
        continue
      }
      var start = t.range.lowerBound
      for p in pieces {
        let r = start..<min(t.range.upperBound, start + p)
        out.append((k, r, doc.clean.string(r)))
        start = r.upperBound
      }
    }
    return out
  }

  /// Analyses one sentence of the document.
  public func analyze(_ doc: TextDocument, sentence s: Int) -> SyntaxSentence {
    if let cut = Self.datelineEnd(doc, sentence: s) { return analyze(doc, sentence: s, datelineEnd: cut) }
    let ws = words(doc, tokens: doc.sentences[s].tokens)
    let analyses = model.analyze(ws.map(\.form))
    var out: [SyntaxWord] = []
    out.reserveCapacity(ws.count)
    for (w, a) in zip(ws, analyses) {
      out.append(SyntaxWord(token: w.token, range: w.range, form: w.form, analysis: a))
    }
    return SyntaxSentence(sentence: s, words: out)
  }

  /// Analyses every sentence of the document (all at once, so the parser can interleave them).
  /// `names`: tokens of names the knowledge base recognized, with what they tell the tagger.
  public func analyze(_ doc: TextDocument, names: [Int: NameHint] = [:]) -> [SyntaxSentence] {
    // A sentence opened by a dateline is two pieces, parsed apart (see `joined`).
    var pieces: [[(token: Int, range: Range<Int>, form: String)]] = []
    var cuts: [Int?] = []
    for s in doc.sentences.indices {
      let range = doc.sentences[s].tokens
      let cut = Self.datelineEnd(doc, sentence: s)
      cuts.append(cut)
      if let cut {
        pieces.append(words(doc, tokens: range.lowerBound..<cut))
        pieces.append(words(doc, tokens: cut..<range.upperBound))
      } else {
        pieces.append(words(doc, tokens: range))
      }
    }
    let marks: [[NameHint]]? =
      names.isEmpty
      ? nil
      : pieces.map { piece in
        piece.map { w in doc.tokens[w.token].range == w.range ? names[w.token] ?? .none : .none }
      }
    let analyses = model.analyze(sentences: pieces.map { $0.map(\.form) }, names: marks)
    var out: [SyntaxSentence] = []
    out.reserveCapacity(doc.sentences.count)
    var k = 0
    for (s, cut) in cuts.enumerated() {
      if cut != nil {
        out.append(Self.joined(sentence: s, head: (pieces[k], analyses[k]), body: (pieces[k + 1], analyses[k + 1])))
        k += 2
      } else {
        out.append(Self.joined(sentence: s, head: ([], []), body: (pieces[k], analyses[k])))
        k += 1
      }
    }
    return out
  }

  /// A wire dateline ("CITY, Country, July 28, 2025 (Agency) -", "CITY, Region:") is no part of
  /// the sentence it opens; parsed with it, its place names become the subject. The dateline
  /// and the sentence are parsed apart, and the dateline's tree hangs off the sentence's root.
  func analyze(_ text: TextDocument, sentence s: Int, datelineEnd cut: Int) -> SyntaxSentence {
    let range = text.sentences[s].tokens
    let head = words(text, tokens: range.lowerBound..<cut)
    let body = words(text, tokens: cut..<range.upperBound)
    return Self.joined(
      sentence: s, head: (head, model.analyze(head.map(\.form))), body: (body, model.analyze(body.map(\.form))))
  }

  /// One sentence from a dateline piece (possibly empty) and the body: the body's root stays
  /// the root, the dateline's root hangs off it as `dep`.
  static func joined(
    sentence s: Int, head: ([(token: Int, range: Range<Int>, form: String)], [WordAnalysis]),
    body: ([(token: Int, range: Range<Int>, form: String)], [WordAnalysis])
  ) -> SyntaxSentence {
    let offset = head.0.count
    let bodyRoot = (body.1.firstIndex { $0.head == 0 } ?? 0) + 1 + offset
    var words: [SyntaxWord] = []
    words.reserveCapacity(head.0.count + body.0.count)
    for (w, a) in zip(head.0, head.1) {
      var a = a
      if a.head == 0 {
        a.head = bodyRoot
        a.relation = "dep"
      }
      words.append(SyntaxWord(token: w.token, range: w.range, form: w.form, analysis: a))
    }
    for (w, a) in zip(body.0, body.1) {
      var a = a
      if a.head > 0 { a.head += offset }
      words.append(SyntaxWord(token: w.token, range: w.range, form: w.form, analysis: a))
    }
    return SyntaxSentence(sentence: s, words: words)
  }

  /// The first token after a dateline that opens sentence `s`: a word in capitals ("GAZA",
  /// "PUTRAJAYA"), then a dash or a colon, or a comma and only capitalized words, numbers and
  /// punctuation up to one, with words after it.
  static func datelineEnd(_ text: TextDocument, sentence s: Int) -> Int? {
    let range = text.sentences[s].tokens
    let tokens = text.tokens
    guard range.count > 4, tokens[range.lowerBound].isAllCaps, tokens[range.lowerBound].length >= 3 else { return nil }
    let separators: Set<String> = ["-", "\u{2014}", "\u{2013}", "--", ":"]
    var k = range.lowerBound + 1
    while k < range.upperBound, tokens[k].isAllCaps { k += 1 }
    let limit = min(range.upperBound - 2, range.lowerBound + 30)
    // "LYON: ..." names the place alone.
    if k < limit, tokens[k].kind == .punct, separators.contains(tokens[k].lower) { return k + 1 }
    guard k < range.upperBound, tokens[k].lower == "," else { return nil }
    while k < limit {
      let t = tokens[k]
      if t.kind == .punct, separators.contains(t.lower) { return k + 1 }
      if t.kind == .word, !t.isCapitalized { return nil }
      k += 1
    }
    return nil
  }
}
