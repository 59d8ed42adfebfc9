import Foundation
import ParleyKnowledge
import Testing

@testable import ParleyExtraction
@testable import ParleyModel
@testable import ParleySyntax
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

  /// A number token's value from its bytes equals the value of its digits read as a string
  /// (the way it was read before), for commas, decimals, suffixes and long numbers.
  @Test func numberValuesMatchTheStringReading() {
    func reference(_ lower: String) -> Double? {
      var digits = ""
      for c in lower.unicodeScalars {
        if Scalars.isDigit(c.value) || c == "." { digits.unicodeScalars.append(c) } else if c != "," { break }
      }
      return Double(digits)
    }
    var samples = [
      "5,000", "3.5", "21st", "1980s", "1.2.3", "0007", "123456789012345", "1234567890123456",
      "12345678901234567890", "1,234,567.89", "9,99", "0",
    ]
    var rng = SystemRandomNumberGenerator()
    for _ in 0..<500 {
      let parts = (0..<Int.random(in: 1...6, using: &rng)).map { _ in
        ["1", "9", "0", "42", ",", ".", "th", "5"].randomElement(using: &rng) ?? "1"
      }
      samples.append("7" + parts.joined())
    }
    for text in samples {
      let scalars = Array(text.unicodeScalars)
      var tokens: [Token] = []
      Tokenizer.tokenize(scalars, in: 0..<scalars.count, into: &tokens)
      for t in tokens where t.kind == .number {
        #expect(QuantityRecognizer.value(of: t) == reference(t.lower), "\(t.lower)")
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

/// The syntax models' scoring shortcuts give the scores of the code they replace.
@Suite struct SyntaxScoringSpeedTests {
  /// Long rows kept dense and summed in integers score every feature list as the sparse rows
  /// summed in floats did (`denseFrom: .max` is that path), collisions of home cells and
  /// fingerprints included, and the model file reads back the same rows.
  @Test func denseRowsScoreAsSparseRows() {
    var rng = SeededGenerator(seed: 7)
    for classCount in [5, 8, 51, 102] {
      var keys: [UInt64] = []
      var lengths: [UInt8] = []
      var classes: [UInt8] = []
      var weights: [Int16] = []
      for r in 0..<300 {
        // Few distinct low bits, so that home cells collide and runs form.
        let key = rng.next() & ~0xFFFF | UInt64(r % 37)
        guard !keys.contains(key) else { continue }
        let n = Int(rng.next() % UInt64(classCount)) + 1
        let chosen = Array(0..<classCount).shuffled(using: &rng).prefix(n).sorted()
        keys.append(key)
        lengths.append(UInt8(n))
        for c in chosen {
          classes.append(UInt8(c))
          let w = Int16(truncatingIfNeeded: Int(rng.next() % 65535) - 32767)
          weights.append(w == 0 ? 1 : w)
        }
      }
      // A row that cannot be dense: an explicit zero weight.
      keys.append(0xABCD_0000_0000_0001)
      lengths.append(UInt8(classCount))
      classes.append(contentsOf: (0..<classCount).map(UInt8.init))
      weights.append(contentsOf: (0..<classCount).map { Int16($0 % 3 - 1) })
      let new = LinearModel(
        classCount: classCount, scale: 1, rowKeys: keys, rowLength: lengths, entryClass: classes,
        entryWeight: weights, denseFrom: 4)
      let old = LinearModel(
        classCount: classCount, scale: 1, rowKeys: keys, rowLength: lengths, entryClass: classes,
        entryWeight: weights, denseFrom: .max)
      for _ in 0..<400 {
        // Known keys, unknown keys with a known key's home cell, repeats; up to 40 features.
        let features = (0..<Int(rng.next() % 41)).map { _ -> UInt64 in
          let k = keys[Int(rng.next() % UInt64(keys.count))]
          switch rng.next() % 3 {
          case 0: return k
          case 1: return k ^ (rng.next() << 30)
          default: return rng.next()
          }
        }
        var a = [Float](repeating: 0, count: classCount)
        var b = a
        features.withUnsafeBufferPointer { f in
          a.withUnsafeMutableBufferPointer { new.score(f, into: $0) }
          b.withUnsafeMutableBufferPointer { old.score(f, into: $0) }
        }
        #expect(a == b)
      }
      let written = new.rows()
      let reference = old.rows()
      #expect(written.keys == reference.keys)
      #expect(written.lengths == reference.lengths)
      #expect(written.classes == reference.classes)
      #expect(written.weights == reference.weights)
    }
  }
}

extension SyntaxScoringSpeedTests {
  /// Parsing sentences side by side (prefetching, dense tagger and labeler rows) gives the
  /// heads of parsing each sentence alone.
  @Test func sentencesParsedSideBySideParseAsAlone() throws {
    let model = try SyntaxModel.bundled()
    let treebank = Support.shared.appendingPathComponent("ud-english-ewt")
    let gold = try CoNLLU.read(path: treebank.appendingPathComponent("en_ewt-ud-test.conllu").path)
    let rootTag = UInt16(model.tagger.tags.count)
    let inputs = gold.prefix(400).map { sentence -> (words: [WordCode], tags: [UInt16]) in
      let words = [WordCode.root] + sentence.words.map { WordCode.make($0.form) }
      return (words, [rootTag] + model.tagger.tag(Array(words.dropFirst())))
    }
    let together = model.parser.parse(inputs)
    for (input, heads) in zip(inputs, together) {
      #expect(heads == model.parser.parse(words: input.words, tags: input.tags))
    }
  }
}
