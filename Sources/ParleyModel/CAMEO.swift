/// A CAMEO event code of two to four digits ("04", "043", "0871"); the first two digits are the root.
public struct CAMEOCode: Hashable, Sendable, Comparable, CustomStringConvertible {
  public let rawValue: String

  /// Accepts two to four ASCII digits with a root between 01 and 20.
  public init?(_ raw: String) {
    guard (2...4).contains(raw.utf8.count), raw.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }),
      let root = Int(raw.prefix(2)), (1...20).contains(root)
    else { return nil }
    rawValue = raw
  }

  public var root: String { String(rawValue.prefix(2)) }
  public var rootNumber: Int { Int(root) ?? 0 }
  public var description: String { rawValue }

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
