/// A CAMEO event code of two to four digits ("04", "043", "0871"); the first two digits are the root.
public struct CAMEOCode: Hashable, Sendable, Comparable, CustomStringConvertible {
  public let rawValue: String

  /// Accepts two to four ASCII digits with a root between 01 and 20.
  public init?(_ raw: String) {
    guard (2...4).contains(raw.utf8.count), raw.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }),
      let root = Int(raw.prefix(2)), (1...20).contains(root)
    else { return nil }
    rawValue = raw
    self.root = String(raw.prefix(2))
    rootNumber = root
  }

  /// The first two digits. Stored, not computed: the event coder asks for it of every
  /// candidate many times over, and each computation built a new string.
  public let root: String
  public let rootNumber: Int
  public var description: String { rawValue }

  // Equality and hashing are the raw value's alone (`root` and `rootNumber` follow from it).
  public static func == (a: CAMEOCode, b: CAMEOCode) -> Bool { a.rawValue == b.rawValue }
  public func hash(into hasher: inout Hasher) { hasher.combine(rawValue) }

  /// The PLOVER/GDELT quad class: 1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict.
  public var quadClass: Int {
    switch rootNumber {
    case 1...5: return 1
    case 6...8: return 2
    case 9...13: return 3
    default: return 4
    }
  }

  public static func < (a: CAMEOCode, b: CAMEOCode) -> Bool { a.rawValue < b.rawValue }
}
