/// The part-of-speech tagger: a greedy left-to-right averaged perceptron over one joint tag
/// (UPOS and Penn Treebank XPOS together, so the parser sees "VBN" apart from "VBD"), with a
/// right-context window, a dictionary of words that always take one tag, and for other frequent
/// words the set of tags they took in training (a word seen often only as a noun is not tagged a
/// verb because its neighbours look like a verb's).
struct Tagger: Sendable {
  /// Joint tags, "UPOS\tXPOS".
  let tags: [String]
  let upos: [String]
  let xpos: [String]
  let model: LinearModel
  /// Normalized forms that take one tag in at least 97% of at least 20 training occurrences.
  let dictionary: [UInt64: UInt16]
  /// `dictionary` for tagging: looked up for every word.
  private let known: KeyTable<UInt16>
  /// Normalized forms seen at least `TaggerTrainer.classMinimum` times in training, with the
  /// joint tags they took (one bit per tag); other tags are never chosen for them.
  let classes: [UInt64: TagSet]
  /// `classes` for tagging; the empty set means "any tag".
  private let allowed: KeyTable<TagSet>
  /// The joint tag of a singular proper noun (PROPN, NNP), if the model has one.
  let properNounTag: UInt16?
  /// The joint tags a name can take: proper nouns, nouns and adjectives ("Israeli").
  let nominalTags: TagSet
  /// Whether the model reads the tag classes of the next three words (model format 5): a greedy
  /// tagger cannot see their tags, but their classes tell "after" before a clause ("after X
  /// fired") from "after" before a noun.
  let lookahead: Bool

  init(
    tags: [String], model: LinearModel, dictionary: [UInt64: UInt16], classes: [UInt64: TagSet] = [:],
    lookahead: Bool = false
  ) {
    self.tags = tags
    self.model = model
    self.dictionary = dictionary
    self.classes = classes
    self.lookahead = lookahead
    known = KeyTable(dictionary, empty: 0)
    allowed = KeyTable(classes, empty: TagSet())
    let upos = tags.map { String($0.split(separator: "\t", omittingEmptySubsequences: false).first ?? "X") }
    let xpos = tags.map { String($0.split(separator: "\t", omittingEmptySubsequences: false).dropFirst().first ?? "_") }
    self.upos = upos
    self.xpos = xpos
    properNounTag = upos.indices.first { upos[$0] == "PROPN" && xpos[$0] == "NNP" }.map(UInt16.init)
    var nominal = TagSet()
    for (k, u) in upos.enumerated() where ["PROPN", "NOUN", "ADJ"].contains(u) { nominal.insert(k) }
    nominalTags = nominal
  }

  /// Templates of a model without, and with, the lookahead ones.
  static let baseFeatureCount = 30
  static let featureCount = 34
  var featureCount: Int { lookahead ? Self.featureCount : Self.baseFeatureCount }

  /// A key for the tag class of each word (0 for a word with none), for the lookahead templates.
  static func classKeys(_ words: [WordCode], _ classOf: (UInt64) -> TagSet?) -> [UInt64] {
    words.map { w in classOf(w.norm).map { $0.key } ?? 0 }
  }

  /// Tag values for features before the sentence start.
  static let start: UInt64 = 0xFFFF_0001
  static let start2: UInt64 = 0xFFFF_0002

  /// The features of word `i` given the tags already chosen for `i-1` and `i-2`; with
  /// `classKeys` (one per word), also those of the tag classes of the next words.
  @inline(__always)
  static func features(
    _ w: UnsafeBufferPointer<WordCode>, _ i: Int, prev: UInt64, prev2: UInt64,
    classKeys: UnsafeBufferPointer<UInt64>?, into f: UnsafeMutableBufferPointer<UInt64>
  ) {
    let n = w.count
    let pad = WordCode.padding
    let c = w[i]
    let p1 = i > 0 ? w[i - 1] : pad
    let p2 = i > 1 ? w[i - 2] : pad
    let n1 = i + 1 < n ? w[i + 1] : pad
    let n2 = i + 2 < n ? w[i + 2] : pad
    typealias H = StableHash
    f[0] = H.feature(1, 1)
    f[1] = H.feature(2, c.norm)
    f[2] = H.feature(3, c.suffix1)
    f[3] = H.feature(4, c.suffix2)
    f[4] = H.feature(5, c.suffix3)
    f[5] = H.feature(6, c.suffix4)
    f[6] = H.feature(7, c.prefix1)
    f[7] = H.feature(8, c.prefix3)
    f[8] = H.feature(9, c.shape)
    f[9] = H.feature(10, prev)
    f[10] = H.feature(11, prev2)
    f[11] = H.feature(12, prev, prev2)
    f[12] = H.feature(13, prev, c.norm)
    f[13] = H.feature(14, p1.norm)
    f[14] = H.feature(15, p1.suffix3)
    f[15] = H.feature(16, p2.norm)
    f[16] = H.feature(17, n1.norm)
    f[17] = H.feature(18, n1.suffix3)
    f[18] = H.feature(19, n2.norm)
    f[19] = H.feature(20, p1.norm, c.norm)
    f[20] = H.feature(21, c.norm, n1.norm)
    f[21] = H.feature(22, n1.shape)
    f[22] = H.feature(23, p1.shape, c.shape)
    f[23] = H.feature(24, c.flags, i == 0 ? 1 : 0)
    f[24] = H.feature(25, prev, c.suffix3)
    f[25] = H.feature(26, c.suffix2, n1.suffix2)
    f[26] = H.feature(27, prev, n1.norm)
    f[27] = H.feature(28, prev, p1.norm)
    f[28] = H.feature(29, c.prefix2)
    f[29] = H.feature(30, c.suffix3, n1.norm)
    guard let k = classKeys else { return }
    let k1 = i + 1 < n ? k[i + 1] : Self.start
    let k2 = i + 2 < n ? k[i + 2] : Self.start
    let k3 = i + 3 < n ? k[i + 3] : Self.start
    f[30] = H.feature(31, k1)
    f[31] = H.feature(32, k1, k2)
    f[32] = H.feature(33, c.norm, k1, k2)
    f[33] = H.feature(34, c.norm, k2, k3)
  }

  /// Tags `words`; returns joint tag indices. A word marked in `names` is a name the knowledge
  /// base knows: a proper noun where so hinted, else a noun or an adjective, never a verb
  /// ("Beijing" is no gerund); the words after it are tagged knowing so.
  func tag(_ words: [WordCode], names: ArraySlice<NameHint>? = nil) -> [UInt16] {
    var out = [UInt16](repeating: 0, count: words.count)
    var scores = [Float](repeating: 0, count: tags.count)
    var feats = [UInt64](repeating: 0, count: featureCount)
    let keys = lookahead ? Self.classKeys(words) { allowed[$0] } : []
    words.withUnsafeBufferPointer { w in
      keys.withUnsafeBufferPointer { keys in
        feats.withUnsafeMutableBufferPointer { f in
          scores.withUnsafeMutableBufferPointer { s in
            var prev = Self.start
            var prev2 = Self.start2
            for i in 0..<w.count {
              let t: UInt16
              let hint = names.map { $0[$0.startIndex + i] } ?? .none
              if hint == .properNoun, let proper = properNounTag {
                t = proper
              } else if hint == .none, let known = known[w[i].norm] {
                t = known
              } else {
                Self.features(w, i, prev: prev, prev2: prev2, classKeys: lookahead ? keys : nil, into: f)
                s.update(repeating: 0)
                model.score(UnsafeBufferPointer(f), into: s)
                var bound = allowed[w[i].norm]
                if hint == .nominal {
                  let both = TagSet(bits: (bound ?? TagSet()).bits & nominalTags.bits)
                  bound = both.isEmpty ? nominalTags : both
                }
                t = UInt16(Self.argmax(UnsafeBufferPointer(s), allowed: bound))
              }
              out[i] = t
              prev2 = prev
              prev = UInt64(t)
            }
          }
        }
      }
    }
    return out
  }

  @inline(__always)
  static func argmax(_ s: UnsafeBufferPointer<Float>) -> Int {
    var best = 0
    for k in 1..<s.count where s[k] > s[best] { best = k }
    return best
  }

  /// The best tag among `allowed` (any tag when it is nil or empty).
  @inline(__always)
  static func argmax(_ s: UnsafeBufferPointer<Float>, allowed: TagSet?) -> Int {
    guard let allowed, !allowed.isEmpty else { return argmax(s) }
    var best = -1
    for k in 0..<s.count where allowed.contains(k) && (best < 0 || s[k] > s[best]) { best = k }
    return best < 0 ? argmax(s) : best
  }
}

/// What the knowledge base says of a word before it is tagged.
public enum NameHint: UInt8, Sendable, Hashable {
  /// Nothing known.
  case none
  /// A name to be tagged a proper noun (a name opening a sentence, where no capital tells).
  case properNoun
  /// A known name: a proper noun, a noun or an adjective, whichever the context says.
  case nominal
}

/// A set of joint tag indices below 256, one bit each.
struct TagSet: Sendable, Hashable, BitwiseCopyable {
  var bits = SIMD4<UInt64>(repeating: 0)

  var isEmpty: Bool { bits == SIMD4(repeating: 0) }

  @inline(__always)
  func contains(_ tag: Int) -> Bool { tag < 256 && bits[tag >> 6] & (1 << UInt64(tag & 63)) != 0 }

  mutating func insert(_ tag: Int) {
    guard tag < 256 else { return }
    bits[tag >> 6] |= 1 << UInt64(tag & 63)
  }

  /// A 64-bit key for the set (never 0, which stands for "no class").
  var key: UInt64 {
    var h: UInt64 = 0x243F_6A88_85A3_08D3
    for lane in 0..<4 { h = (h ^ bits[lane]) &* 0x9E37_79B9_7F4A_7C15 }
    return h == 0 ? 1 : h
  }
}

/// A training sentence for the tagger: its words and gold joint tags.
struct TaggedSentence: Sendable {
  var words: [WordCode]
  var tags: [Int]
}

/// Training of the tagger on gold sentences.
enum TaggerTrainer {
  /// How often a word must occur in training for its tags there to bound its tags in use.
  static let classMinimum = 5

  /// Words seen at least `classMinimum` times, with every tag they took.
  static func classes(_ sentences: [TaggedSentence]) -> [UInt64: TagSet] {
    var counts: [UInt64: Int] = [:]
    var sets: [UInt64: TagSet] = [:]
    for s in sentences {
      for (w, t) in zip(s.words, s.tags) {
        counts[w.norm, default: 0] += 1
        sets[w.norm, default: TagSet()].insert(t)
      }
    }
    return sets.filter { (counts[$0.key] ?? 0) >= classMinimum }
  }

  /// Words seen often with a single tag.
  static func dictionary(_ sentences: [TaggedSentence]) -> [UInt64: UInt16] {
    var counts: [UInt64: [Int: Int]] = [:]
    for s in sentences {
      for (w, t) in zip(s.words, s.tags) { counts[w.norm, default: [:]][t, default: 0] += 1 }
    }
    var out: [UInt64: UInt16] = [:]
    for (word, byTag) in counts {
      let total = byTag.values.reduce(0, +)
      guard total >= 20 else { continue }
      // Ties broken by tag index so the choice does not depend on dictionary order.
      var best = (tag: Int.max, count: 0)
      for (t, c) in byTag where c > best.count || (c == best.count && t < best.tag) { best = (t, c) }
      if Double(best.count) / Double(total) >= 0.97 { out[word] = UInt16(best.tag) }
    }
    return out
  }

  /// Trains for `epochs`, handing each epoch's averaged model to `report`, which returns whether
  /// it is the best so far; returns the best.
  static func train(
    _ sentences: [TaggedSentence], tags: [String], epochs: Int, seed: UInt64, prune: Float, lookahead: Bool = false,
    report: (Int, Tagger) -> Bool
  ) -> Tagger {
    let dictionary = Self.dictionary(sentences)
    let classes = Self.classes(sentences)
    var trainer = PerceptronTrainer(classCount: tags.count)
    var order = Array(sentences.indices)
    var rng = SeededGenerator(seed: seed)
    var scores = [Float](repeating: 0, count: tags.count)
    var feats = [UInt64](repeating: 0, count: lookahead ? Tagger.featureCount : Tagger.baseFeatureCount)
    let keys = lookahead ? sentences.map { Tagger.classKeys($0.words) { classes[$0] } } : []
    var best: Tagger?
    for epoch in 1...max(1, epochs) {
      order.seededShuffle(&rng)
      for si in order {
        let s = sentences[si]
        var prev = Tagger.start
        var prev2 = Tagger.start2
        s.words.withUnsafeBufferPointer { w in
          (lookahead ? keys[si] : []).withUnsafeBufferPointer { k in
            for i in 0..<w.count {
              var guess = 0
              if let known = dictionary[w[i].norm] {
                guess = Int(known)
              } else {
                feats.withUnsafeMutableBufferPointer { f in
                  scores.withUnsafeMutableBufferPointer { sc in
                    Tagger.features(w, i, prev: prev, prev2: prev2, classKeys: lookahead ? k : nil, into: f)
                    sc.update(repeating: 0)
                    trainer.score(UnsafeBufferPointer(f), into: sc)
                    guess = Tagger.argmax(UnsafeBufferPointer(sc), allowed: classes[w[i].norm])
                    trainer.update(UnsafeBufferPointer(f), truth: s.tags[i], guess: guess)
                  }
                }
                trainer.tick()
              }
              prev2 = prev
              prev = UInt64(guess)
            }
          }
        }
      }
      let model = Tagger(
        tags: tags, model: trainer.averaged(prune: prune), dictionary: dictionary, classes: classes,
        lookahead: lookahead)
      if report(epoch, model) || best == nil { best = model }
    }
    return best
      ?? Tagger(
        tags: tags, model: trainer.averaged(prune: prune), dictionary: dictionary, classes: classes,
        lookahead: lookahead)
  }
}
