/// Character classes used by the tokenizer and cleaner, with ASCII fast paths.
public enum Scalars {
  @inline(__always) public static func isASCIILetter(_ v: UInt32) -> Bool {
    (v | 0x20) >= 0x61 && (v | 0x20) <= 0x7A
  }
  @inline(__always) public static func isDigit(_ v: UInt32) -> Bool { v >= 0x30 && v <= 0x39 }

  @inline(__always) public static func isLetter(_ s: Unicode.Scalar) -> Bool {
    let v = s.value
    if v < 0x80 { return isASCIILetter(v) }
    return s.properties.isAlphabetic
  }
  @inline(__always) public static func isAlnum(_ s: Unicode.Scalar) -> Bool {
    isDigit(s.value) || isLetter(s)
  }
  @inline(__always) public static func isUpper(_ s: Unicode.Scalar) -> Bool {
    let v = s.value
    if v < 0x80 { return v >= 0x41 && v <= 0x5A }
    return s.properties.isUppercase
  }
  @inline(__always) public static func isLower(_ s: Unicode.Scalar) -> Bool {
    let v = s.value
    if v < 0x80 { return v >= 0x61 && v <= 0x7A }
    return s.properties.isLowercase
  }
  @inline(__always) public static func isSpace(_ s: Unicode.Scalar) -> Bool {
    switch s.value {
    case 0x20, 0x09, 0x0B, 0x0C, 0xA0, 0x1680, 0x2000...0x200A, 0x202F, 0x205F, 0x3000: return true
    default: return false
    }
  }
  @inline(__always) public static func isNewline(_ s: Unicode.Scalar) -> Bool {
    switch s.value {
    case 0x0A, 0x0D, 0x85, 0x2028, 0x2029: return true
    default: return false
    }
  }

  /// Characters dropped when cleaning: zero-width marks, soft hyphens, BOM and other format controls.
  @inline(__always) public static func isInvisible(_ s: Unicode.Scalar) -> Bool {
    switch s.value {
    case 0xAD, 0x200B...0x200F, 0x2060...0x2064, 0xFEFF, 0x00...0x08, 0x0E...0x1F, 0x7F: return true
    default: return false
    }
  }

  /// The matching form of a punctuation or space character (one scalar for one scalar, so offsets keep).
  @inline(__always) public static func normalized(_ s: Unicode.Scalar) -> Unicode.Scalar {
    let v = s.value
    if v < 0x80 { return v == 0x09 || v == 0x0B || v == 0x0C ? " " : s }
    switch v {
    case 0x2018, 0x2019, 0x201A, 0x201B, 0x2032, 0x02BC, 0x0060, 0x00B4: return "'"
    case 0x201C, 0x201D, 0x201E, 0x201F, 0x2033, 0x00AB, 0x00BB: return "\""
    case 0x2010, 0x2011, 0x2012, 0x2013, 0x2212, 0xFE63, 0xFF0D: return "-"
    case 0x2014, 0x2015: return "\u{2014}"
    case 0x2026: return "\u{2026}"
    case 0x2022, 0x25CF, 0x25AA, 0x25E6, 0x2043, 0x2219: return "\u{2022}"
    default: return isSpace(s) ? " " : s
    }
  }
}
