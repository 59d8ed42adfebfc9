/// A configuration of the arc-eager transition system (Nivre 2003) over words 1...n, with the
/// artificial root at 0. The buffer is always the suffix `front...n`, so it is one index.
struct ParseState {
  let n: Int
  var stack: [Int32]
  var front: Int
  var heads: [Int32]
  /// The two leftmost and two rightmost dependents of each word found so far, and their counts.
  var left1: [Int32]
  var left2: [Int32]
  var right1: [Int32]
  var right2: [Int32]
  var leftCount: [UInt8]
  var rightCount: [UInt8]
  var onStack: [Bool]

  init(words n: Int) {
    self.n = n
    stack = [0]
    stack.reserveCapacity(n + 1)
    front = 1
    heads = [Int32](repeating: -1, count: n + 1)
    left1 = heads
    left2 = heads
    right1 = heads
    right2 = heads
    leftCount = [UInt8](repeating: 0, count: n + 1)
    rightCount = leftCount
    onStack = [Bool](repeating: false, count: n + 1)
    onStack[0] = true
  }

  var isTerminal: Bool { front > n }
  var s0: Int { Int(stack[stack.count - 1]) }

  /// Transitions: shift, reduce, left-arc (front -> s0), right-arc (s0 -> front).
  static let shift = 0
  static let reduce = 1
  static let left = 2
  static let right = 3

  /// Whether `t` may be applied. The root takes one dependent only, so every parse is one tree.
  @inline(__always)
  func isValid(_ t: Int) -> Bool {
    guard front <= n else { return false }
    switch t {
    case Self.shift: return true
    case Self.reduce: return stack.count > 1 && heads[s0] >= 0
    case Self.left: return stack.count > 1 && heads[s0] < 0
    default: return s0 != 0 || rightCount[0] == 0
    }
  }

  mutating func apply(_ t: Int) {
    switch t {
    case Self.shift:
      stack.append(Int32(front))
      onStack[front] = true
      front += 1
    case Self.reduce:
      onStack[s0] = false
      stack.removeLast()
    case Self.left:
      let d = s0
      attach(d, to: front)
      onStack[d] = false
      stack.removeLast()
    default:
      attach(front, to: s0)
      stack.append(Int32(front))
      onStack[front] = true
      front += 1
    }
  }

  private mutating func attach(_ d: Int, to h: Int) {
    heads[d] = Int32(h)
    if d < h {
      // Left dependents arrive right to left: the newest is the leftmost.
      left2[h] = left1[h]
      left1[h] = Int32(d)
      leftCount[h] &+= leftCount[h] == 255 ? 0 : 1
    } else {
      right2[h] = right1[h]
      right1[h] = Int32(d)
      rightCount[h] &+= rightCount[h] == 255 ? 0 : 1
    }
  }

  /// Attaches words left without a head to the root's dependent (or makes the first of them
  /// the root's dependent), so the result is always a single tree.
  mutating func finish() -> [Int32] {
    var root = Int(right1[0])
    for i in 1...max(1, n) where i <= n && heads[i] < 0 {
      if root < 0 {
        heads[i] = 0
        root = i
      } else {
        heads[i] = Int32(root)
      }
    }
    return heads
  }

  /// The dynamic-oracle cost of `t` against gold heads (Goldberg & Nivre 2012): how many gold
  /// arcs become unreachable by taking it. `gold[i]` is the gold head of word i.
  func cost(_ t: Int, gold: [Int32]) -> Int {
    let b = front
    let rootFree = rightCount[0] == 0
    func headAvailable(_ k: Int) -> Bool { k == 0 ? rootFree && onStack[0] : onStack[k] }
    switch t {
    case Self.left:
      let s = s0
      var c = Int(gold[s]) > b ? 1 : 0
      for k in b...n where gold[k] == Int32(s) { c += 1 }
      return c
    case Self.right:
      let s = s0
      let g = Int(gold[b])
      var c = 0
      if g != s && (g > b || (g != s && headAvailable(g))) { c += 1 }
      for k in stack where heads[Int(k)] < 0 && gold[Int(k)] == Int32(b) { c += 1 }
      return c
    case Self.reduce:
      var c = 0
      for k in b...n where gold[k] == Int32(s0) { c += 1 }
      return c
    default:
      var c = 0
      let g = Int(gold[b])
      if g < b && headAvailable(g) { c += 1 }
      for k in stack where heads[Int(k)] < 0 && gold[Int(k)] == Int32(b) { c += 1 }
      return c
    }
  }
}

/// The dependency parser: greedy arc-eager over hashed features of words, tags and the partial
/// tree (Zhang & Nivre 2011's templates, without labels), trained with a dynamic oracle.
struct ArcEagerParser: Sendable {
  let model: LinearModel
  /// Template numbers (1...`featureCount`, as `FeatureContext.features` numbers them) this model
  /// was trained without, ascending; the model file records them.
  let dropped: [Int]
  /// Indices into the full feature vector of the templates kept, ascending.
  private let kept: [Int]

  static let featureCount = 66

  init(model: LinearModel, dropped: [Int] = []) {
    self.model = model
    let set = Set(dropped.filter { (1...Self.featureCount).contains($0) })
    self.dropped = set.sorted()
    kept = (0..<Self.featureCount).filter { !set.contains($0 + 1) }
  }

  /// How many features a step scores.
  var width: Int { kept.count }

  /// Moves the kept templates' features to the front of `f` (which holds all of them): a
  /// dropped template costs its hashing but no table lookup.
  @inline(__always)
  func select(_ f: UnsafeMutableBufferPointer<UInt64>) {
    guard kept.count < Self.featureCount else { return }
    for (j, k) in kept.enumerated() { f[j] = f[k] }
  }

  /// Parses one sentence: `words` and `tags` hold the root at index 0. Returns heads (0 = root).
  func parse(words: [WordCode], tags: [UInt16]) -> [Int32] {
    let n = words.count - 1
    guard n > 0 else { return [-1] }
    var state = ParseState(words: n)
    var feats = [UInt64](repeating: 0, count: Self.featureCount)
    var scores = [Float](repeating: 0, count: 4)
    let context = FeatureContext(words: words, tags: tags)
    let used = self.width
    feats.withUnsafeMutableBufferPointer { f in
      scores.withUnsafeMutableBufferPointer { s in
        while !state.isTerminal {
          context.features(state, into: f)
          select(f)
          s.update(repeating: 0)
          model.score(UnsafeBufferPointer(rebasing: f[0..<used]), into: s)
          var best = -1
          for t in 0..<4 where state.isValid(t) && (best < 0 || s[t] > s[best]) { best = t }
          state.apply(best < 0 ? ParseState.shift : best)
        }
      }
    }
    return state.finish()
  }
}

extension ArcEagerParser {
  /// How many sentences `parse(_:)` steps through side by side.
  static let lanes = 4

  /// Parses several sentences (each as `parse(words:tags:)` takes it) and returns the same heads
  /// as parsing them one by one. Why side by side: a step looks up 66 features in a table far
  /// larger than the caches, and the next step's features depend on this step's decision, so
  /// one sentence alone waits for every miss. Here each lane's features are computed and
  /// prefetched, and the other lanes take their steps while those lines arrive.
  func parse(_ sentences: [(words: [WordCode], tags: [UInt16])]) -> [[Int32]] {
    var out = [[Int32]](repeating: [], count: sentences.count)
    struct Lane {
      var sentence: Int
      var state: ParseState
      var context: FeatureContext
    }
    let width = Self.featureCount
    let used = self.width
    var lanes: [Lane] = []
    lanes.reserveCapacity(Self.lanes)
    var feats = [UInt64](repeating: 0, count: width * Self.lanes)
    var scores = [Float](repeating: 0, count: 4)
    var next = 0
    feats.withUnsafeMutableBufferPointer { all in
      scores.withUnsafeMutableBufferPointer { s in
        // Fills lane slot `k` (appending when `k == lanes.count`) with the next sentence that has
        // words, computes its first step's features and prefetches them; false when none is left.
        func start(_ k: Int) -> Bool {
          while next < sentences.count {
            let i = next
            next += 1
            let n = sentences[i].words.count - 1
            guard n > 0 else {
              out[i] = [-1]
              continue
            }
            let lane = Lane(
              sentence: i, state: ParseState(words: n),
              context: FeatureContext(words: sentences[i].words, tags: sentences[i].tags))
            if k == lanes.count { lanes.append(lane) } else { lanes[k] = lane }
            let f = UnsafeMutableBufferPointer(rebasing: all[(k * width)..<((k + 1) * width)])
            lane.context.features(lane.state, into: f)
            select(f)
            model.prefetch(UnsafeBufferPointer(rebasing: f[0..<used]))
            return true
          }
          return false
        }
        while lanes.count < Self.lanes, start(lanes.count) {}
        var k = 0
        while !lanes.isEmpty {
          if k >= lanes.count { k = 0 }
          let f = UnsafeMutableBufferPointer(rebasing: all[(k * width)..<((k + 1) * width)])
          s.update(repeating: 0)
          model.score(UnsafeBufferPointer(rebasing: f[0..<used]), into: s)
          var best = -1
          for t in 0..<4 where lanes[k].state.isValid(t) && (best < 0 || s[t] > s[best]) { best = t }
          lanes[k].state.apply(best < 0 ? ParseState.shift : best)
          if lanes[k].state.isTerminal {
            out[lanes[k].sentence] = lanes[k].state.finish()
            if !start(k) {
              // Keep the remaining lanes' features where they are: move the last lane into k.
              let last = lanes.count - 1
              if k != last {
                lanes[k] = lanes[last]
                for j in 0..<width { all[k * width + j] = all[last * width + j] }
              }
              lanes.removeLast()
              continue
            }
          } else {
            lanes[k].context.features(lanes[k].state, into: f)
            select(f)
            model.prefetch(UnsafeBufferPointer(rebasing: f[0..<used]))
          }
          k += 1
        }
      }
    }
    return out
  }
}

/// What the parser's features read: per-word hashes of form and tag, precomputed once.
struct FeatureContext {
  let w: [UInt64]
  let t: [UInt64]
  let wt: [UInt64]
  static let none: UInt64 = 0x5EED_0000_0000_0001
  static let noneTag: UInt64 = 0x5EED_0000_0000_0002

  init(words: [WordCode], tags: [UInt16]) {
    w = words.map(\.norm)
    t = tags.map { UInt64($0) &+ 17 }
    wt = zip(w, t).map { StableHash.mix($0, $1) }
  }

  @inline(__always) func W(_ i: Int32) -> UInt64 { i < 0 ? Self.none : w[Int(i)] }
  @inline(__always) func T(_ i: Int32) -> UInt64 { i < 0 ? Self.noneTag : t[Int(i)] }
  @inline(__always) func WT(_ i: Int32) -> UInt64 { i < 0 ? Self.none : wt[Int(i)] }

  @inline(__always)
  func features(_ st: ParseState, into f: UnsafeMutableBufferPointer<UInt64>) {
    typealias H = StableHash
    let n = st.n
    let s0: Int32 = st.stack.isEmpty ? -1 : st.stack[st.stack.count - 1]
    let s1: Int32 = st.stack.count > 1 ? st.stack[st.stack.count - 2] : -1
    let n0: Int32 = st.front <= n ? Int32(st.front) : -1
    let n1: Int32 = st.front + 1 <= n ? Int32(st.front + 1) : -1
    let n2: Int32 = st.front + 2 <= n ? Int32(st.front + 2) : -1
    let s0h: Int32 = s0 >= 0 ? st.heads[Int(s0)] : -1
    let s0h2: Int32 = s0h >= 0 ? st.heads[Int(s0h)] : -1
    let s0l: Int32 = s0 >= 0 ? st.left1[Int(s0)] : -1
    let s0l2: Int32 = s0 >= 0 ? st.left2[Int(s0)] : -1
    let s0r: Int32 = s0 >= 0 ? st.right1[Int(s0)] : -1
    let s0r2: Int32 = s0 >= 0 ? st.right2[Int(s0)] : -1
    let n0l: Int32 = n0 >= 0 ? st.left1[Int(n0)] : -1
    let n0l2: Int32 = n0 >= 0 ? st.left2[Int(n0)] : -1
    var d: UInt64 = 0
    if s0 >= 0 && n0 >= 0 {
      let gap = Int(n0 - s0)
      d = s0 == 0 ? 9 : UInt64(gap <= 4 ? gap : gap <= 7 ? 5 : gap <= 12 ? 6 : 7)
    }
    let vl0: UInt64 = s0 >= 0 ? UInt64(st.leftCount[Int(s0)]) : 99
    let vr0: UInt64 = s0 >= 0 ? UInt64(st.rightCount[Int(s0)]) : 99
    let vln: UInt64 = n0 >= 0 ? UInt64(st.leftCount[Int(n0)]) : 99
    let s0w = W(s0), s0t = T(s0), s0wt = WT(s0)
    let n0w = W(n0), n0t = T(n0), n0wt = WT(n0)
    let n1w = W(n1), n1t = T(n1)
    let n2t = T(n2)
    f[0] = H.feature(1, s0w)
    f[1] = H.feature(2, s0t)
    f[2] = H.feature(3, s0wt)
    f[3] = H.feature(4, n0w)
    f[4] = H.feature(5, n0t)
    f[5] = H.feature(6, n0wt)
    f[6] = H.feature(7, n1w)
    f[7] = H.feature(8, n1t)
    f[8] = H.feature(9, WT(n1))
    f[9] = H.feature(10, W(n2))
    f[10] = H.feature(11, n2t)
    f[11] = H.feature(12, WT(n2))
    f[12] = H.feature(13, s0wt, n0wt)
    f[13] = H.feature(14, s0wt, n0w)
    f[14] = H.feature(15, s0w, n0wt)
    f[15] = H.feature(16, s0wt, n0t)
    f[16] = H.feature(17, s0t, n0wt)
    f[17] = H.feature(18, s0w, n0w)
    f[18] = H.feature(19, s0t, n0t)
    f[19] = H.feature(20, n0t, n1t)
    f[20] = H.feature(21, n0t, n1t, n2t)
    f[21] = H.feature(22, s0t, n0t, n1t)
    f[22] = H.feature(23, T(s0h), s0t, n0t)
    f[23] = H.feature(24, s0t, T(s0l), n0t)
    f[24] = H.feature(25, s0t, T(s0r), n0t)
    f[25] = H.feature(26, s0t, n0t, T(n0l))
    f[26] = H.feature(27, s0w, d)
    f[27] = H.feature(28, s0t, d)
    f[28] = H.feature(29, n0w, d)
    f[29] = H.feature(30, n0t, d)
    f[30] = H.feature(31, s0w, n0w, d)
    f[31] = H.feature(32, s0t, n0t, d)
    f[32] = H.feature(33, s0w, vr0)
    f[33] = H.feature(34, s0t, vr0)
    f[34] = H.feature(35, s0w, vl0)
    f[35] = H.feature(36, s0t, vl0)
    f[36] = H.feature(37, n0w, vln)
    f[37] = H.feature(38, n0t, vln)
    f[38] = H.feature(39, W(s0h))
    f[39] = H.feature(40, T(s0h))
    f[40] = H.feature(41, W(s0l))
    f[41] = H.feature(42, T(s0l))
    f[42] = H.feature(43, W(s0r))
    f[43] = H.feature(44, T(s0r))
    f[44] = H.feature(45, W(n0l))
    f[45] = H.feature(46, T(n0l))
    f[46] = H.feature(47, W(s0h2))
    f[47] = H.feature(48, T(s0h2))
    f[48] = H.feature(49, W(s0l2))
    f[49] = H.feature(50, T(s0l2))
    f[50] = H.feature(51, W(s0r2))
    f[51] = H.feature(52, T(s0r2))
    f[52] = H.feature(53, W(n0l2))
    f[53] = H.feature(54, T(n0l2))
    f[54] = H.feature(55, s0t, T(s0l), T(s0l2))
    f[55] = H.feature(56, s0t, T(s0r), T(s0r2))
    f[56] = H.feature(57, s0t, T(s0h), T(s0h2))
    f[57] = H.feature(58, n0t, T(n0l), T(n0l2))
    f[58] = H.feature(59, W(s1))
    f[59] = H.feature(60, T(s1))
    f[60] = H.feature(61, T(s1), s0t, n0t)
    f[61] = H.feature(62, s0h >= 0 ? 1 : 0, s0t, n0t)
    f[62] = H.feature(63, s0w, n0t, n1t)
    f[63] = H.feature(64, n0w, n1w)
    f[64] = H.feature(65, s0t, n0w, n1t)
    f[65] = H.feature(66, 1)
  }
}

/// A parser training sentence: words and predicted tags with the root at index 0, gold heads.
struct ParserSentence: Sendable {
  var words: [WordCode]
  var tags: [UInt16]
  var gold: [Int32]
}

/// Trains the arc-eager parser with the dynamic oracle and error exploration: from the second
/// epoch on, training follows the model's own (possibly wrong) choice nine times in ten, so it
/// learns to recover from its mistakes.
enum ParserTrainer {
  static func train(
    _ sentences: [ParserSentence], epochs: Int, seed: UInt64, prune: Float, dropped: [Int] = [],
    report: (Int, ArcEagerParser) -> Bool
  ) -> ArcEagerParser {
    let layout = ArcEagerParser(model: PerceptronTrainer(classCount: 4).averaged(), dropped: dropped)
    let width = layout.width
    var trainer = PerceptronTrainer(classCount: 4)
    var order = Array(sentences.indices)
    var rng = SeededGenerator(seed: seed)
    var feats = [UInt64](repeating: 0, count: ArcEagerParser.featureCount)
    var scores = [Float](repeating: 0, count: 4)
    var best: ArcEagerParser?
    for epoch in 1...max(1, epochs) {
      order.seededShuffle(&rng)
      for si in order {
        let s = sentences[si]
        let n = s.words.count - 1
        guard n > 0 else { continue }
        let context = FeatureContext(words: s.words, tags: s.tags)
        var state = ParseState(words: n)
        while !state.isTerminal {
          var costs = [Int](repeating: Int.max, count: 4)
          var minCost = Int.max
          for t in 0..<4 where state.isValid(t) {
            costs[t] = state.cost(t, gold: s.gold)
            minCost = min(minCost, costs[t])
          }
          var predicted = -1
          var oracle = -1
          feats.withUnsafeMutableBufferPointer { f in
            scores.withUnsafeMutableBufferPointer { sc in
              context.features(state, into: f)
              layout.select(f)
              let used = UnsafeBufferPointer(rebasing: f[0..<width])
              sc.update(repeating: 0)
              trainer.score(used, into: sc)
              for t in 0..<4 where costs[t] != Int.max {
                if predicted < 0 || sc[t] > sc[predicted] { predicted = t }
                if costs[t] == minCost && (oracle < 0 || sc[t] > sc[oracle]) { oracle = t }
              }
              if costs[predicted] > minCost {
                trainer.update(used, truth: oracle, guess: predicted)
              }
            }
          }
          trainer.tick()
          let explore = epoch > 1 && rng.unit() < 0.9
          state.apply(explore ? predicted : oracle)
        }
      }
      let model = ArcEagerParser(model: trainer.averaged(prune: prune), dropped: dropped)
      if report(epoch, model) || best == nil { best = model }
    }
    return best ?? ArcEagerParser(model: trainer.averaged(prune: prune), dropped: dropped)
  }
}
