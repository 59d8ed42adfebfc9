/// An edit that turns a form into its lemma: optionally lowercase, drop `strip` final
/// characters, append `append` ("studies" -> drop 3, append "y").
struct LemmaEdit: Hashable, Sendable {
  var lowercase: Bool
  var strip: Int
  var append: String

  /// The edit that maps `form` to `lemma`, preferring to keep case when the lemma does.
  static func between(_ form: String, _ lemma: String) -> LemmaEdit {
    let f = Array(form.unicodeScalars)
    let lower = Array(form.lowercased().unicodeScalars)
    let l = Array(lemma.unicodeScalars)
    func edit(_ base: [Unicode.Scalar], lowercase: Bool) -> LemmaEdit {
      var common = 0
      while common < base.count && common < l.count && base[common] == l[common] { common += 1 }
      var tail = String.UnicodeScalarView()
      tail.append(contentsOf: l[common...])
      return LemmaEdit(lowercase: lowercase, strip: base.count - common, append: String(tail))
    }
    let keep = edit(f, lowercase: false)
    let low = edit(lower, lowercase: true)
    return low.strip + low.append.unicodeScalars.count < keep.strip + keep.append.unicodeScalars.count ? low : keep
  }

  func apply(_ form: String) -> String {
    if strip == 0 && append.isEmpty { return lowercase ? form.lowercased() : form }
    let base = lowercase ? form.lowercased() : form
    if base.utf8.allSatisfy({ $0 < 0x80 }) {
      // ASCII: one byte per code point, so the edit works on bytes without an array of scalars.
      let utf8 = base.utf8
      guard strip <= utf8.count else { return form }
      let kept = utf8.count - strip
      guard kept + append.utf8.count > 0 else { return form }
      var result = String(decoding: utf8.prefix(kept), as: UTF8.self)
      result.append(append)
      return result
    }
    var s = Array(base.unicodeScalars)
    guard strip <= s.count else { return form }
    s.removeLast(strip)
    var out = String.UnicodeScalarView()
    out.append(contentsOf: s)
    out.append(contentsOf: append.unicodeScalars)
    let result = String(out)
    return result.isEmpty ? form : result
  }
}

/// The lemmatizer, learned from the treebank: the lemma of a (form, UPOS) pair seen in training,
/// else the most frequent edit for the longest known final letters of the form under that UPOS.
/// Tables are keyed by a stable hash of (UPOS, text), so lookups never build strings.
struct Lemmatizer: Sendable {
  /// (UPOS, form) -> edit, for forms seen in training (exact case first, then lowercased).
  let known: [UInt64: LemmaEdit]
  /// (UPOS, suffix) -> edit, for suffixes of up to `maxSuffix` characters.
  let rules: [UInt64: LemmaEdit]
  static let maxSuffix = 6
  /// `known` and `rules` for lookups, as indices into `edits`: looked up for every word.
  private let knownIndex: KeyTable<Int32>
  private let ruleIndex: KeyTable<Int32>
  private let edits: [LemmaEdit]

  init(known: [UInt64: LemmaEdit], rules: [UInt64: LemmaEdit]) {
    self.known = known
    self.rules = rules
    var edits: [LemmaEdit] = []
    var index: [LemmaEdit: Int32] = [:]
    func indexed(_ table: [UInt64: LemmaEdit]) -> [(key: UInt64, value: Int32)] {
      table.map { key, edit in
        if let i = index[edit] { return (key, i) }
        edits.append(edit)
        index[edit] = Int32(edits.count - 1)
        return (key, Int32(edits.count - 1))
      }
    }
    knownIndex = KeyTable(indexed(known), empty: -1)
    ruleIndex = KeyTable(indexed(rules), empty: -1)
    self.edits = edits
  }

  @inline(__always)
  static func key(_ upos: UInt64, _ text: String) -> UInt64 { StableHash.mix(upos, StableHash.string(text)) }

  @inline(__always)
  static func key<S: Sequence>(_ upos: UInt64, scalars: S) -> UInt64 where S.Element == Unicode.Scalar {
    var h = StableHash.offset
    for c in scalars {
      // The same bytes as hashing the string's UTF-8.
      for b in c.utf8 { h = (h ^ UInt64(b)) &* StableHash.prime }
    }
    return StableHash.mix(upos, StableHash.finish(h))
  }

  func lemma(_ form: String, upos: String) -> String {
    let u = StableHash.string(upos)
    if let e = knownIndex[Self.key(u, form)] { return edits[Int(e)].apply(form) }
    let lower = form.lowercased()
    if let e = knownIndex[Self.key(u, lower)] { return edits[Int(e)].apply(lower) }
    if let e = rule(u, lower) { return e.apply(form) }
    return upos == "PROPN" ? form : lower
  }

  /// The suffix rule for the longest known final letters of `lower`.
  private func rule(_ u: UInt64, _ lower: String) -> LemmaEdit? {
    var lower = lower
    // ASCII (nearly every word): the suffixes are byte ranges, hashed in place.
    let ascii: LemmaEdit?? = lower.withUTF8 { bytes in
      guard bytes.allSatisfy({ $0 < 0x80 }) else { return .none }
      var k = min(Self.maxSuffix, bytes.count)
      while k >= 0 {
        var h = StableHash.offset
        for b in bytes[(bytes.count - k)...] { h = (h ^ UInt64(b)) &* StableHash.prime }
        if let e = ruleIndex[StableHash.mix(u, StableHash.finish(h))], edits[Int(e)].strip <= bytes.count {
          return .some(edits[Int(e)])
        }
        k -= 1
      }
      return .some(nil)
    }
    if let ascii { return ascii }
    let scalars = Array(lower.unicodeScalars)
    var k = min(Self.maxSuffix, scalars.count)
    while k >= 0 {
      if let e = ruleIndex[Self.key(u, scalars: scalars[(scalars.count - k)...])], edits[Int(e)].strip <= scalars.count
      {
        return edits[Int(e)]
      }
      k -= 1
    }
    return nil
  }

  /// Learns from (form, UPOS, lemma) triples. A suffix rule is kept when it is the majority edit
  /// of at least two words with that suffix.
  static func train(_ triples: [(form: String, upos: String, lemma: String)]) -> Lemmatizer {
    var knownCounts: [UInt64: [LemmaEdit: Int]] = [:]
    var lowerCounts: [UInt64: [LemmaEdit: Int]] = [:]
    var seenTypes: Set<UInt64> = []
    var ruleCounts: [UInt64: [LemmaEdit: Int]] = [:]
    for (form, upos, lemma) in triples where lemma != "_" && !form.isEmpty {
      let u = StableHash.string(upos)
      let e = LemmaEdit.between(form, lemma)
      knownCounts[key(u, form), default: [:]][e, default: 0] += 1
      let lower = form.lowercased()
      lowerCounts[key(u, lower), default: [:]][LemmaEdit.between(lower, lemma), default: 0] += 1
      // Suffix statistics count word types, not tokens: rules are for words never seen.
      guard seenTypes.insert(key(u, form)).inserted else { continue }
      let scalars = Array(lower.unicodeScalars)
      for k in 0...min(maxSuffix, scalars.count) {
        ruleCounts[key(u, scalars: scalars[(scalars.count - k)...]), default: [:]][e, default: 0] += 1
      }
    }
    func majority(_ counts: [LemmaEdit: Int]) -> (LemmaEdit, Int, Int)? {
      var best: (LemmaEdit, Int)?
      var total = 0
      for (e, c) in counts {
        total += c
        if let b = best {
          let tie = (e.strip, e.append, e.lowercase ? 1 : 0) < (b.0.strip, b.0.append, b.0.lowercase ? 1 : 0)
          if c > b.1 || (c == b.1 && tie) { best = (e, c) }
        } else {
          best = (e, c)
        }
      }
      return best.map { ($0.0, $0.1, total) }
    }
    var known: [UInt64: LemmaEdit] = [:]
    for (key, counts) in knownCounts { if let m = majority(counts) { known[key] = m.0 } }
    for (key, counts) in lowerCounts where known[key] == nil { if let m = majority(counts) { known[key] = m.0 } }
    var rules: [UInt64: LemmaEdit] = [:]
    for (key, counts) in ruleCounts {
      if let m = majority(counts), m.1 >= 2, Double(m.1) / Double(m.2) > 0.5 { rules[key] = m.0 }
    }
    return Lemmatizer(known: known, rules: rules)
  }
}
