/// Labels the arcs of a finished tree: each dependent gets its relation from features of the
/// dependent, its head and the whole tree around them (a dependent's own function words such as
/// "by" or "to", the head's auxiliaries), going top-down so the head's relation is known, and
/// left to right among siblings so the previous sibling's relation is known.
struct ArcLabeler: Sendable {
  let labels: [String]
  let rootLabel: Int
  let model: LinearModel

  static let maxFeatures = 40

  /// Writes the features of the arc head -> d into `f`, returning how many were written
  /// (at most `maxFeatures`: every loop below is capped).
  static func features(
    _ ctx: FeatureContext, tree: Tree, labels: [Int32], d: Int, previousSibling: Int32,
    into f: UnsafeMutableBufferPointer<UInt64>
  ) -> Int {
    typealias H = StableHash
    let heads = tree.heads
    let h = heads[d]
    let di = Int32(d)
    let dw = ctx.W(di)
    let dt = ctx.T(di)
    let hw = ctx.W(h)
    let ht = ctx.T(h)
    let dir: UInt64 = h < di ? 1 : 2
    let gap = abs(Int(h) - d)
    let dist: UInt64 = UInt64(gap <= 3 ? gap : gap <= 6 ? 4 : gap <= 10 ? 5 : 6)
    let hl: UInt64 = h > 0 ? UInt64(bitPattern: Int64(labels[Int(h)])) &+ 1000 : 999
    let psl: UInt64 = previousSibling >= 0 ? UInt64(bitPattern: Int64(labels[Int(previousSibling)])) &+ 1000 : 999
    let hh: Int32 = h > 0 ? heads[Int(h)] : -1
    f[0] = H.feature(101, 1)
    f[1] = H.feature(102, dw)
    f[2] = H.feature(103, dt)
    f[3] = H.feature(104, dw, dt)
    f[4] = H.feature(105, hw)
    f[5] = H.feature(106, ht)
    f[6] = H.feature(107, hw, ht)
    f[7] = H.feature(108, dt, ht)
    f[8] = H.feature(109, dw, ht)
    f[9] = H.feature(110, dt, hw)
    f[10] = H.feature(111, dw, hw)
    f[11] = H.feature(112, dt, ht, dir)
    f[12] = H.feature(113, H.mix(dt, ht), dir, dist)
    f[13] = H.feature(114, dt, hl)
    f[14] = H.feature(115, dt, ht, hl)
    f[15] = H.feature(116, dt, psl, dir)
    f[16] = H.feature(117, dt, ht, psl)
    f[17] = H.feature(118, dw, ht, dir)
    f[18] = H.feature(119, dt, ctx.T(hh), ht)
    f[19] = H.feature(120, dt, UInt64(min(tree.childCount(d), 5)), dir)
    f[20] = H.feature(121, dt, d == 1 ? 1 : 0, d == heads.count - 1 ? 1 : 0)
    f[21] = H.feature(127, dt, hl, dir)
    var k = 22
    // The dependent's own dependents: function words ("by", "to", "the") decide obl, obl:agent, nmod.
    var left = 0
    var right = 0
    for c in tree.children(d) {
      if c < di {
        left += 1
        guard left <= 3 else { continue }
        f[k] = H.feature(122, dt, ctx.W(c))
        f[k + 1] = H.feature(123, dt, ht, ctx.T(c))
        k += 2
      } else {
        right += 1
        guard right <= 2 else { break }
        f[k] = H.feature(124, dt, ctx.T(c))
        k += 1
      }
    }
    // The head's other dependents: auxiliaries, copulas and subjects before it, objects after.
    if h > 0 {
      var before = 0
      var after = 0
      for c in tree.children(Int(h)) where c != di {
        if c < h {
          before += 1
          guard before <= 4 else { continue }
          f[k] = H.feature(125, dt, ht, ctx.W(c))
        } else {
          after += 1
          guard after <= 3 else { break }
          f[k] = H.feature(126, dt, dir, ctx.T(c))
        }
        k += 1
      }
    }
    return k
  }

  /// Labels every arc of `heads`; returns label indices (root word gets the root label).
  func label(_ ctx: FeatureContext, heads: [Int32]) -> [Int32] {
    let tree = Tree(heads: heads)
    var out = [Int32](repeating: -1, count: heads.count)
    var feats = [UInt64](repeating: 0, count: Self.maxFeatures)
    var scores = [Float](repeating: 0, count: labels.count)
    var previous = [Int32](repeating: -1, count: heads.count)
    feats.withUnsafeMutableBufferPointer { f in
      scores.withUnsafeMutableBufferPointer { s in
        for d32 in tree.topDown() {
          let d = Int(d32)
          let h = Int(heads[d])
          if h == 0 {
            out[d] = Int32(rootLabel)
          } else {
            let k = Self.features(ctx, tree: tree, labels: out, d: d, previousSibling: previous[h], into: f)
            s.update(repeating: 0)
            model.score(UnsafeBufferPointer(rebasing: f[0..<k]), into: s)
            var best = -1
            for c in 0..<s.count where c != rootLabel && (best < 0 || s[c] > s[best]) { best = c }
            out[d] = Int32(max(0, best))
          }
          previous[h] = d32
        }
      }
    }
    return out
  }
}

/// A labeler training sentence: words and predicted tags (root at 0), gold heads and labels.
struct LabelerSentence: Sendable {
  var words: [WordCode]
  var tags: [UInt16]
  var heads: [Int32]
  var labels: [Int32]
}

/// Trains the labeler on gold trees, in the same top-down order as labeling.
enum LabelerTrainer {
  static func train(
    _ sentences: [LabelerSentence], labels: [String], rootLabel: Int, epochs: Int, seed: UInt64, prune: Float,
    report: (Int, ArcLabeler) -> Bool
  ) -> ArcLabeler {
    var trainer = PerceptronTrainer(classCount: labels.count)
    var order = Array(sentences.indices)
    var rng = SeededGenerator(seed: seed)
    var feats = [UInt64](repeating: 0, count: ArcLabeler.maxFeatures)
    var scores = [Float](repeating: 0, count: labels.count)
    var best: ArcLabeler?
    for epoch in 1...max(1, epochs) {
      order.seededShuffle(&rng)
      for si in order {
        let s = sentences[si]
        guard s.words.count > 1 else { continue }
        let ctx = FeatureContext(words: s.words, tags: s.tags)
        let tree = Tree(heads: s.heads)
        var assigned = [Int32](repeating: -1, count: s.heads.count)
        var previous = [Int32](repeating: -1, count: s.heads.count)
        for d32 in tree.topDown() {
          let d = Int(d32)
          let h = Int(s.heads[d])
          if h != 0 {
            feats.withUnsafeMutableBufferPointer { f in
              scores.withUnsafeMutableBufferPointer { sc in
                let k = ArcLabeler.features(
                  ctx, tree: tree, labels: assigned, d: d, previousSibling: previous[h], into: f)
                let used = UnsafeBufferPointer(rebasing: f[0..<k])
                sc.update(repeating: 0)
                trainer.score(used, into: sc)
                var guess = -1
                for c in 0..<sc.count where c != rootLabel && (guess < 0 || sc[c] > sc[guess]) { guess = c }
                trainer.update(used, truth: Int(s.labels[d]), guess: guess)
                // Training follows its own guesses, as labeling will.
                assigned[d] = Int32(guess)
              }
            }
            trainer.tick()
          } else {
            assigned[d] = Int32(rootLabel)
          }
          previous[h] = d32
        }
      }
      let model = ArcLabeler(labels: labels, rootLabel: rootLabel, model: trainer.averaged(prune: prune))
      if report(epoch, model) || best == nil { best = model }
    }
    return best ?? ArcLabeler(labels: labels, rootLabel: rootLabel, model: trainer.averaged(prune: prune))
  }
}

/// A tree as flat arrays: heads, and every word's dependents in order (counting sort, no
/// per-word arrays).
struct Tree {
  let heads: [Int32]
  /// Dependents of word i are `list[start[i]..<start[i + 1]]`.
  private let start: [Int32]
  private let list: [Int32]

  init(heads: [Int32]) {
    self.heads = heads
    var counts = [Int32](repeating: 0, count: heads.count + 1)
    for i in 1..<max(1, heads.count) where heads[i] >= 0 { counts[Int(heads[i]) + 1] += 1 }
    for i in 1..<counts.count { counts[i] += counts[i - 1] }
    var fill = counts
    var items = [Int32](repeating: 0, count: Int(counts[counts.count - 1]))
    for i in 1..<max(1, heads.count) where heads[i] >= 0 {
      let h = Int(heads[i])
      items[Int(fill[h])] = Int32(i)
      fill[h] += 1
    }
    start = counts
    list = items
  }

  @inline(__always) func childCount(_ i: Int) -> Int { Int(start[i + 1] - start[i]) }
  @inline(__always) func children(_ i: Int) -> ArraySlice<Int32> { list[Int(start[i])..<Int(start[i + 1])] }

  /// Words in breadth-first order from the root (the root itself excluded).
  func topDown() -> [Int32] {
    var out: [Int32] = [0]
    out.reserveCapacity(heads.count)
    var k = 0
    while k < out.count {
      out.append(contentsOf: children(Int(out[k])))
      k += 1
    }
    out.removeFirst()
    return out
  }
}
