/// Stable 64-bit hashing for feature keys: the same string and template give the same key on
/// every machine and in every process (Swift's `Hasher` is seeded per process, so models cannot
/// use it).
enum StableHash {
  static let offset: UInt64 = 0xcbf2_9ce4_8422_2325
  static let prime: UInt64 = 0x0000_0100_0000_01b3

  /// FNV-1a over UTF-8 bytes, finished with a mix so that short strings spread over all bits.
  @inline(__always)
  static func string(_ s: String) -> UInt64 {
    var h = offset
    for b in s.utf8 {
      h ^= UInt64(b)
      h &*= prime
    }
    return finish(h)
  }

  /// A final avalanche (the splitmix64 finalizer).
  @inline(__always)
  static func finish(_ x: UInt64) -> UInt64 {
    var z = x
    z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
    z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
    return z ^ (z >> 31)
  }

  /// Combines a running key with one more value; order matters.
  @inline(__always)
  static func mix(_ a: UInt64, _ b: UInt64) -> UInt64 {
    finish(a &+ 0x9e37_79b9_7f4a_7c15 &+ (b &* 0xff51_afd7_ed55_8ccd) ^ (a >> 29))
  }

  /// A feature key: template number and up to three values, combined linearly with distinct
  /// odd multipliers and finished once (one avalanche per feature keeps extraction cheap; the
  /// values are word hashes or small codes, so distinct tuples do not collide in practice).
  @inline(__always)
  static func feature(_ template: UInt64, _ a: UInt64) -> UInt64 {
    finish(template &* 0x2545_f491_4f6c_dd1d &+ a &* 0x9e37_79b9_7f4a_7c15)
  }
  @inline(__always)
  static func feature(_ template: UInt64, _ a: UInt64, _ b: UInt64) -> UInt64 {
    finish(template &* 0x2545_f491_4f6c_dd1d &+ a &* 0x9e37_79b9_7f4a_7c15 &+ (b ^ (b >> 31)) &* 0xc2b2_ae3d_27d4_eb4f)
  }
  @inline(__always)
  static func feature(_ template: UInt64, _ a: UInt64, _ b: UInt64, _ c: UInt64) -> UInt64 {
    finish(
      template &* 0x2545_f491_4f6c_dd1d &+ a &* 0x9e37_79b9_7f4a_7c15 &+ (b ^ (b >> 31)) &* 0xc2b2_ae3d_27d4_eb4f
        &+ (c ^ (c >> 29)) &* 0x1656_67b1_9e37_79f9)
  }
}

/// A small deterministic random generator (splitmix64), so training with one seed gives one model.
struct SeededGenerator: RandomNumberGenerator, Sendable {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9e37_79b9_7f4a_7c15
    return StableHash.finish(state)
  }
  /// A uniform number in 0..<1.
  mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}

extension Array {
  /// Fisher-Yates with our own generator: the order depends only on the seed.
  mutating func seededShuffle(_ g: inout SeededGenerator) {
    guard count > 1 else { return }
    for i in stride(from: count - 1, to: 0, by: -1) {
      let j = Int(g.next() % UInt64(i + 1))
      swapAt(i, j)
    }
  }
}

/// A read-only map from feature-style keys (already avalanched 64-bit hashes) to small values,
/// for the per-word lookups of tagging and lemmatizing. Swift's `Dictionary` would hash every
/// key again with SipHash, which cost more than the lookup; these keys are uniform already, so
/// their low bits index an open-addressing table directly.
struct KeyTable<Value: BitwiseCopyable & Sendable>: Sendable {
  private let keys: [UInt64]
  private let values: [Value]
  private let used: [Bool]
  private let mask: Int

  init(_ pairs: some Collection<(key: UInt64, value: Value)>, empty: Value) {
    var capacity = 16
    while capacity < pairs.count * 2 { capacity <<= 1 }
    var keys = [UInt64](repeating: 0, count: capacity)
    var values = [Value](repeating: empty, count: capacity)
    var used = [Bool](repeating: false, count: capacity)
    let m = capacity - 1
    for (k, v) in pairs {
      var i = Int(truncatingIfNeeded: k) & m
      while used[i] && keys[i] != k { i = (i + 1) & m }
      keys[i] = k
      values[i] = v
      used[i] = true
    }
    self.keys = keys
    self.values = values
    self.used = used
    mask = m
  }

  @inline(__always)
  subscript(key: UInt64) -> Value? {
    var i = Int(truncatingIfNeeded: key) & mask
    while used[i] {
      if keys[i] == key { return values[i] }
      i = (i + 1) & mask
    }
    return nil
  }
}
