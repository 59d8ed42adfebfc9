import ParleyText

/// MinHash signatures of word shingles, with LSH banding, for near-duplicate article detection without comparing all pairs.
public struct MinHasher: Sendable {
  public let permutations: Int
  public let shingleSize: Int
  public let bands: Int
  /// Signature positions per band (`permutations / bands`).
  public var rows: Int { permutations / bands }

  /// Estimated Jaccard similarity at or above which two articles are near-copies.
  public static let nearDuplicateThreshold: Double = 0.6

  /// Per-permutation seeds, fixed so signatures stored by one run compare with those of the next.
  private let seeds: [UInt64]

  /// `permutations` must be a positive multiple of `bands`; `shingleSize` at least 1.
  public init(permutations: Int = 128, shingleSize: Int = 4, bands: Int = 32) {
    precondition(permutations > 0 && bands > 0 && permutations % bands == 0, "permutations must be a multiple of bands")
    precondition(shingleSize > 0, "shingles need at least one word")
    self.permutations = permutations
    self.shingleSize = shingleSize
    self.bands = bands
    var state: UInt64 = 0x5041_524C_4559_4D48  // "PARLEYMH": any constant works, but it must never change.
    var seeds: [UInt64] = []
    seeds.reserveCapacity(permutations)
    for _ in 0..<permutations { seeds.append(Self.splitMix(&state)) }
    self.seeds = seeds
  }

  /// Signature of a text: words are lowercased, diacritic-folded alphanumeric runs; texts shorter than one
  /// shingle use the words they have. Empty when the text has no words (such texts match nothing).
  public func signature(of text: String) -> [UInt32] {
    let words = Self.words(text)
    guard !words.isEmpty else { return [] }
    var signature = [UInt32](repeating: .max, count: permutations)
    let width = min(shingleSize, words.count)
    seeds.withUnsafeBufferPointer { seeds in
      signature.withUnsafeMutableBufferPointer { sig in
        for start in 0...(words.count - width) {
          // Each shingle is hashed once; the permutations are cheap integer mixes of that hash.
          var h = Self.fnvOffset
          for k in start..<(start + width) {
            if k > start { h = (h ^ 0x20) &* Self.fnvPrime }
            for byte in words[k] { h = (h ^ UInt64(byte)) &* Self.fnvPrime }
          }
          for i in 0..<sig.count {
            let v = UInt32(truncatingIfNeeded: Self.mix(h ^ seeds[i]) >> 32)
            if v < sig[i] { sig[i] = v }
          }
        }
      }
    }
    return signature
  }

  /// One 63-bit-safe (non-negative) Int64 key per band, band index mixed in, to store in an indexed table and
  /// look up candidates. Bands the signature is too short to fill get no key.
  public func bandKeys(of signature: [UInt32]) -> [Int64] {
    let rows = self.rows
    let count = min(bands, signature.count / rows)
    var keys: [Int64] = []
    keys.reserveCapacity(count)
    for band in 0..<count {
      // The band index goes in first so equal rows in different bands never share a key.
      var h = Self.mix(Self.fnvOffset ^ UInt64(band))
      for r in 0..<rows { h = Self.mix(h ^ UInt64(signature[band * rows + r])) }
      keys.append(Int64(bitPattern: h & 0x7FFF_FFFF_FFFF_FFFF))
    }
    return keys
  }

  /// Estimated Jaccard similarity: fraction of equal positions (0 for empty or differently sized signatures).
  public static func similarity(_ a: [UInt32], _ b: [UInt32]) -> Double {
    guard !a.isEmpty, a.count == b.count else { return 0 }
    var equal = 0
    for i in a.indices where a[i] == b[i] { equal += 1 }
    return Double(equal) / Double(a.count)
  }

  /// Signature as little-endian bytes for storage.
  public static func encode(_ signature: [UInt32]) -> [UInt8] {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(signature.count * 4)
    for v in signature {
      bytes.append(UInt8(truncatingIfNeeded: v))
      bytes.append(UInt8(truncatingIfNeeded: v >> 8))
      bytes.append(UInt8(truncatingIfNeeded: v >> 16))
      bytes.append(UInt8(truncatingIfNeeded: v >> 24))
    }
    return bytes
  }

  /// A signature from its stored bytes; nil if the byte count is not a multiple of 4.
  public static func decode(_ bytes: [UInt8]) -> [UInt32]? {
    guard bytes.count % 4 == 0 else { return nil }
    var signature: [UInt32] = []
    signature.reserveCapacity(bytes.count / 4)
    var i = 0
    while i < bytes.count {
      signature.append(
        UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) << 16 | UInt32(bytes[i + 3]) << 24)
      i += 4
    }
    return signature
  }

  // MARK: Hashing

  static let fnvOffset: UInt64 = 0xCBF2_9CE4_8422_2325
  static let fnvPrime: UInt64 = 0x0000_0100_0000_01B3

  /// The splitmix64 finalizer: every input bit affects every output bit, so xor with a seed acts as a permutation.
  @inline(__always) static func mix(_ x: UInt64) -> UInt64 {
    var z = x
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  static func splitMix(_ state: inout UInt64) -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    return mix(state)
  }

  /// Lowercased, diacritic-folded alphanumeric runs as UTF-8 bytes.
  static func words(_ text: String) -> [[UInt8]] {
    var words: [[UInt8]] = []
    // Most words are ASCII and are built byte by byte; a word switches to `folded` at its first other letter.
    var ascii: [UInt8] = []
    var folded: String.UnicodeScalarView?
    func flush() {
      if let scalars = folded {
        words.append(Array(Fold.diacritics(String(scalars)).utf8))
      } else if !ascii.isEmpty {
        words.append(ascii)
      }
      ascii.removeAll(keepingCapacity: true)
      folded = nil
    }
    for s in text.unicodeScalars {
      let v = s.value
      let inWord = !ascii.isEmpty || folded != nil
      if v < 0x80 {
        if Scalars.isASCIILetter(v) || Scalars.isDigit(v) {
          let byte = UInt8(truncatingIfNeeded: v) | (Scalars.isASCIILetter(v) ? 0x20 : 0)
          if folded != nil { folded?.append(Unicode.Scalar(byte)) } else { ascii.append(byte) }
        } else if inWord {
          flush()
        }
      } else if Scalars.isAlnum(s) || (inWord && s.properties.generalCategory == .nonspacingMark) {
        if folded == nil { folded = String.UnicodeScalarView(ascii.map(Unicode.Scalar.init)) }
        folded?.append(contentsOf: s.properties.lowercaseMapping.unicodeScalars)
      } else if inWord {
        flush()
      }
    }
    flush()
    return words
  }
}
