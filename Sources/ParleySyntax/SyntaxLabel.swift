/// A UD relation, UPOS or Penn tag as two integers holding its UTF-8 bytes: tree questions
/// compare integers, and string literals keep call sites as they were (`relation(c) == "obj"`).
public struct SyntaxLabel: Hashable, Sendable, BitwiseCopyable, ExpressibleByStringLiteral, CustomStringConvertible {
  /// Bytes 0-7 and 8-15, little-endian, zero-padded. Every label the model produces fits in 16
  /// bytes; a longer string keeps its first 15 and a marker byte UTF-8 never contains, so it
  /// never equals a label of 16 bytes or fewer (two long strings sharing their first 15 bytes
  /// would compare equal).
  @usableFromInline let low: UInt64
  @usableFromInline let high: UInt64

  @inlinable @inline(__always)
  init(low: UInt64, high: UInt64) {
    self.low = low
    self.high = high
  }

  /// From a literal at a call site; inlined so the optimizer can fold the bytes into constants.
  @inlinable @inline(__always)
  public init(stringLiteral value: StaticString) {
    self = value.withUTF8Buffer { SyntaxLabel(bytes: $0) }
  }

  /// From the parse's strings, once per word.
  public init(_ string: String) {
    var string = string
    self = string.withUTF8 { SyntaxLabel(bytes: $0) }
  }

  @inlinable @inline(__always)
  init(bytes: UnsafeBufferPointer<UInt8>) {
    var low: UInt64 = 0
    var high: UInt64 = 0
    for i in 0..<min(bytes.count, 16) {
      if i < 8 {
        low |= UInt64(bytes[i]) << UInt64(8 * i)
      } else {
        high |= UInt64(bytes[i]) << UInt64(8 * (i - 8))
      }
    }
    if bytes.count > 16 { high = high & 0x00FF_FFFF_FFFF_FFFF | 0xFF00_0000_0000_0000 }
    self.init(low: low, high: high)
  }

  /// The relation without its subtype ("obl:agent" -> "obl"), as `split(separator: ":").first`
  /// reads it (a label opening with ":" gives its first non-empty piece).
  public var base: SyntaxLabel {
    guard low & 0xFF != UInt64(UInt8(ascii: ":")) else {
      return SyntaxLabel(String(description.split(separator: ":").first ?? ""))
    }
    for i in 0..<16 {
      let byte = i < 8 ? (low >> UInt64(8 * i)) & 0xFF : (high >> UInt64(8 * (i - 8))) & 0xFF
      if byte == 0 { return self }
      if byte == UInt64(UInt8(ascii: ":")) {
        // Keep bytes 0..<i.
        if i < 8 { return SyntaxLabel(low: low & ((1 << UInt64(8 * i)) - 1), high: 0) }
        return SyntaxLabel(low: low, high: i == 8 ? 0 : high & ((1 << UInt64(8 * (i - 8))) - 1))
      }
    }
    return self
  }

  /// The label as text (for a string longer than 16 bytes, its first 15 bytes).
  public var description: String {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(16)
    for i in 0..<16 {
      let byte = UInt8(truncatingIfNeeded: i < 8 ? low >> UInt64(8 * i) : high >> UInt64(8 * (i - 8)))
      if byte == 0 || byte == 0xFF { break }
      bytes.append(byte)
    }
    return String(decoding: bytes, as: UTF8.self)
  }
}

extension SyntaxLabel {
  /// Whether the label opens with `prefix`'s bytes, as `String.hasPrefix` reads ASCII labels
  /// ("nsubj:pass" has the prefix "nsubj").
  @inlinable
  public func hasPrefix(_ prefix: SyntaxLabel) -> Bool {
    // The prefix's bytes are its non-zero low bytes; compare only those.
    func mask(_ word: UInt64) -> UInt64 {
      var m: UInt64 = 0
      for i in 0..<8 where (word >> UInt64(8 * i)) & 0xFF != 0 { m |= 0xFF << UInt64(8 * i) }
      return m
    }
    let lowMask = mask(prefix.low)
    let highMask = mask(prefix.high)
    return low & lowMask == prefix.low && high & highMask == prefix.high
  }
}

extension SyntaxModel {
  /// Every UPOS, Penn tag and relation the model can give a word, each once, sorted: what
  /// `SyntaxLabel` must represent exactly.
  public var labelNames: [String] { Array(Set(tagger.upos + tagger.xpos + labeler.labels)).sorted() }
}
