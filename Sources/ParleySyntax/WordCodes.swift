/// The hashed views of one word that the models' features are built from, computed once per
/// word so that feature extraction is integer work only.
struct WordCode: Sendable {
  /// Lowercased form with every digit written as 0, so "1994" and "2025" share statistics.
  var norm: UInt64
  /// Character shape with runs shortened: "Xxx", "dd", "XX.X.", "x-x".
  var shape: UInt64
  var suffix1: UInt64
  var suffix2: UInt64
  var suffix3: UInt64
  var suffix4: UInt64
  var prefix1: UInt64
  var prefix2: UInt64
  var prefix3: UInt64
  /// Bit set: capitalized, all caps, has digit, has hyphen, has period, no letter.
  var flags: UInt64

  static let padding = WordCode.make("<pad>")
  static let root = WordCode.make("<root>")

  static func make(_ form: String) -> WordCode {
    var form = form
    if let fast = form.withUTF8({ ascii($0) }) { return fast }
    return general(form)
  }

  /// Suffix and prefix hashes of a normalized form, from its first three and last four code
  /// points (fewer when the form is shorter).
  private static func pieces(_ head: ArraySlice<UInt32>, _ tail: ArraySlice<UInt32>) -> (
    UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64
  ) {
    func piece(_ template: UInt64, _ values: ArraySlice<UInt32>) -> UInt64 {
      var h = StableHash.offset ^ (template &* 0x1000_0000_01b3)
      for v in values {
        h ^= UInt64(v)
        h &*= StableHash.prime
      }
      return StableHash.finish(h)
    }
    return (
      piece(1, tail.suffix(1)), piece(2, tail.suffix(2)), piece(3, tail.suffix(3)), piece(4, tail.suffix(4)),
      piece(5, head.prefix(1)), piece(6, head.prefix(2)), piece(7, head.prefix(3))
    )
  }

  /// `pieces` of the first three and last four code points held in tuples (zeros before the
  /// first in `tail` when the form is shorter), with no array built: the same hashes.
  @inline(__always)
  private static func pieces(head: (UInt32, UInt32, UInt32), tail: (UInt32, UInt32, UInt32, UInt32), count n: Int)
    -> (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64)
  {
    @inline(__always) func start(_ template: UInt64) -> UInt64 { StableHash.offset ^ (template &* 0x1000_0000_01b3) }
    @inline(__always) func mix(_ h: UInt64, _ v: UInt32) -> UInt64 { (h ^ UInt64(v)) &* StableHash.prime }
    @inline(__always) func tailAt(_ i: Int) -> UInt32 {
      switch i {
      case 0: return tail.0
      case 1: return tail.1
      case 2: return tail.2
      default: return tail.3
      }
    }
    @inline(__always) func headAt(_ i: Int) -> UInt32 {
      switch i {
      case 0: return head.0
      case 1: return head.1
      default: return head.2
      }
    }
    // The last min(k, n) of the tail, in order; the first min(k, n) of the head.
    @inline(__always)
    func suffix(_ k: Int) -> UInt64 {
      var h = start(UInt64(k))
      for i in (4 - min(k, n))..<4 { h = mix(h, tailAt(i)) }
      return StableHash.finish(h)
    }
    @inline(__always)
    func prefix(_ k: Int) -> UInt64 {
      var h = start(UInt64(4 + k))
      for i in 0..<min(k, n) { h = mix(h, headAt(i)) }
      return StableHash.finish(h)
    }
    return (suffix(1), suffix(2), suffix(3), suffix(4), prefix(1), prefix(2), prefix(3))
  }

  /// The common case, ASCII, on bytes without allocating: the first three and last four
  /// normalized bytes are all the affix hashes need.
  private static func ascii(_ bytes: UnsafeBufferPointer<UInt8>) -> WordCode? {
    var shapeHash = StableHash.offset
    var normHash = StableHash.offset
    var last: UInt8 = 0
    var run = 0
    var flags: UInt64 = 0
    var letters = 0
    var uppers = 0
    var head: (UInt32, UInt32, UInt32) = (0, 0, 0)
    var tail: (UInt32, UInt32, UInt32, UInt32) = (0, 0, 0, 0)
    for (i, b) in bytes.enumerated() {
      guard b < 0x80 else { return nil }
      var v = b
      let s: UInt8
      if b >= 0x30 && b <= 0x39 {
        v = 0x30
        s = UInt8(ascii: "d")
        flags |= 4
      } else if b >= 0x41 && b <= 0x5A {
        letters += 1
        uppers += 1
        if i == 0 { flags |= 1 }
        v = b + 32
        s = UInt8(ascii: "X")
      } else if b >= 0x61 && b <= 0x7A {
        letters += 1
        s = UInt8(ascii: "x")
      } else {
        if b == 0x2D { flags |= 8 }
        if b == 0x2E { flags |= 16 }
        s = b
      }
      normHash ^= UInt64(v)
      normHash &*= StableHash.prime
      if i == 0 { head.0 = UInt32(v) } else if i == 1 { head.1 = UInt32(v) } else if i == 2 { head.2 = UInt32(v) }
      tail = (tail.1, tail.2, tail.3, UInt32(v))
      if s == last {
        run += 1
      } else {
        run = 1
        last = s
      }
      if run <= 2 {
        shapeHash ^= UInt64(s)
        shapeHash &*= StableHash.prime
      }
    }
    if letters >= 2 && uppers == letters { flags |= 2 }
    if letters == 0 { flags |= 32 }
    let p = pieces(head: head, tail: tail, count: bytes.count)
    return WordCode(
      norm: StableHash.finish(normHash), shape: StableHash.finish(shapeHash), suffix1: p.0, suffix2: p.1,
      suffix3: p.2, suffix4: p.3, prefix1: p.4, prefix2: p.5, prefix3: p.6, flags: flags)
  }

  /// Any Unicode: letters by their properties. Gives the same hashes as `ascii` on ASCII input.
  private static func general(_ form: String) -> WordCode {
    var norm: [UInt32] = []
    var shapeHash = StableHash.offset
    var lastShape: UInt32 = 0
    var run = 0
    var flags: UInt64 = 0
    var letters = 0
    var uppers = 0
    var first = true
    for c in form.unicodeScalars {
      let p = c.properties
      let s: UInt32
      if c.value >= 0x30 && c.value <= 0x39 {
        norm.append(0x30)
        s = 0x64  // d
        flags |= 4
      } else if p.isAlphabetic {
        letters += 1
        if p.isUppercase {
          uppers += 1
          if first { flags |= 1 }
          s = 0x58  // X
        } else {
          s = 0x78  // x
        }
        for l in p.lowercaseMapping.unicodeScalars { norm.append(l.value) }
      } else {
        if c == "-" { flags |= 8 }
        if c == "." { flags |= 16 }
        norm.append(c.value)
        s = c.value
      }
      if s == lastShape {
        run += 1
      } else {
        run = 1
        lastShape = s
      }
      if run <= 2 {
        shapeHash ^= UInt64(s)
        shapeHash &*= StableHash.prime
      }
      first = false
    }
    if letters >= 2 && uppers == letters { flags |= 2 }
    if letters == 0 { flags |= 32 }
    var normHash = StableHash.offset
    for v in norm {
      normHash ^= UInt64(v)
      normHash &*= StableHash.prime
    }
    let p = pieces(norm.prefix(3), norm.suffix(4))
    return WordCode(
      norm: StableHash.finish(normHash), shape: StableHash.finish(shapeHash), suffix1: p.0, suffix2: p.1,
      suffix3: p.2, suffix4: p.3, prefix1: p.4, prefix2: p.5, prefix3: p.6, flags: flags)
  }
}
