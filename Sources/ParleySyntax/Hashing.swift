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
