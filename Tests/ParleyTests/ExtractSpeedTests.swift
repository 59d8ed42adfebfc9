import Foundation
import ParleyKnowledge
import Testing

@testable import ParleyExtraction
@testable import ParleyModel
@testable import ParleyText

/// The shortcuts of the extraction speed work give the answers of the code they replace.
@Suite struct ExtractSpeedTests {
  /// `Tokenizer.isMark` (the ASCII shortcut) agrees with the Unicode properties it stands for.
  @Test func markShortcutAgreesWithTheProperties() {
    let samples = (0..<0x80).compactMap(Unicode.Scalar.init) + ["\u{301}", "\u{308}", "\u{A8}", "é", "ß", "\u{2014}"]
    for c in samples {
      let expected = c.properties.isDiacritic || c.properties.generalCategory == .nonspacingMark
      #expect(Tokenizer.isMark(c) == expected, "U+\(String(c.value, radix: 16))")
    }
  }

  /// The early-exit Jaccard test answers as the full ratio does, near the threshold too.
  @Test func jaccardThresholdAgreesWithTheRatio() {
    var rng = SystemRandomNumberGenerator()
    for _ in 0..<2_000 {
      let n = Int.random(in: 0...40, using: &rng)
      let a = Set((0..<n).map { _ in Int.random(in: 0..<60, using: &rng) })
      // Mostly near copies of `a`, so that both answers occur.
      var b = a
      for _ in 0..<Int.random(in: 0...8, using: &rng) {
        if Bool.random(using: &rng), let x = b.randomElement(using: &rng) {
          b.remove(x)
        } else {
          b.insert(Int.random(in: 0..<60, using: &rng))
        }
      }
      for threshold in [0.5, 0.8, 0.9] {
        #expect(
          Paragraphing.jaccard(a, b, atLeast: threshold) == (Paragraphing.jaccard(a, b) >= threshold),
          "\(a.sorted()) \(b.sorted()) \(threshold)")
      }
    }
  }

  /// The JSON writer's buffer path writes what the escaping path writes.
  @Test func quotedBytesMatchTheEscapedString() {
    for s in ["", "plain", "with \"quotes\"", "back\\slash", "tab\tand\nnewline", "Zelenskyy \u{2014} Kyiv", "\u{1}"] {
      var bytes: [UInt8] = []
      JSONWriter.appendQuoted(s, to: &bytes)
      var text = ""
      JSONWriter.appendQuoted(s, to: &text)
      #expect(String(decoding: bytes, as: UTF8.self) == text)
    }
  }

  /// The sense index's pooled object classes hold, for every word, exactly the classes
  /// (distinct object-word sets of the verb senses) that list it.
  @Test func senseIndexPoolsTheClassesOfEveryWord() throws {
    let lexicon = try Support.lexicons().coding
    let index = SenseIndex(lexicon)
    // The classes as numbered by the index: each entry's per-sense class of its object words.
    var setOfClass: [Int: Set<String>] = [:]
    for (lemma, senses) in lexicon.verbs {
      guard let entry = index.entries[lemma] else { continue }
      for (sense, c) in zip(senses, entry.classes) where c >= 0 { setOfClass[c] = sense.objectWords }
    }
    #expect(!setOfClass.isEmpty)
    let words = Set(setOfClass.values.flatMap { $0 }).union(["no-such-word"])
    for w in words {
      var bits = [UInt64](repeating: 0, count: index.words)
      if let start = index.classes(of: w) { index.add(start, to: &bits) }
      for (c, set) in setOfClass {
        #expect(SenseIndex.matches(c, bits) == set.contains(w), "\(w) class \(c)")
      }
    }
  }
}
