import Foundation

/// Building and reading the URLs the pages link to. Every value from the record goes through
/// percent-encoding here; the templates then HTML-escape the finished URL for the attribute.
enum Links {
  /// Characters left as they are in a path component or a query value (RFC 3986 unreserved).
  private static let unreserved = CharacterSet(
    charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

  static func encode(_ value: String) -> String {
    value.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
  }

  static func actor(_ id: String) -> String { "/actors/" + encode(id) }
  static func event(_ id: Int64) -> String { "/events/\(id)" }
  static func article(_ id: Int64) -> String { "/articles/\(id)" }
  static func plan(_ id: Int64) -> String { "/plans/\(id)" }
  static func outlet(_ name: String) -> String { "/timeline?outlet=" + encode(name) }

  /// `path` with the non-empty `parameters` as a query string, in the order given.
  static func with(_ path: String, _ parameters: [(String, String?)]) -> String {
    let pairs = parameters.compactMap { key, value -> String? in
      guard let value, !value.isEmpty else { return nil }
      return key + "=" + encode(value)
    }
    return pairs.isEmpty ? path : path + "?" + pairs.joined(separator: "&")
  }

  /// A path parameter as the client sent it, percent-decoding undone.
  static func decodePathComponent(_ raw: String) -> String {
    raw.removingPercentEncoding ?? raw
  }

  /// The query of a GET form: `+` is a space (HTML form encoding) and values are
  /// percent-decoded; the first value of a repeated key wins; blank values are dropped.
  static func parseQuery(_ query: String?) -> [String: String] {
    guard let query, !query.isEmpty else { return [:] }
    var out: [String: String] = [:]
    for pair in query.split(separator: "&") {
      let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      func decode(_ s: Substring) -> String {
        let spaced = s.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
      }
      let key = decode(parts[0])
      let value = parts.count > 1 ? decode(parts[1]).trimmingCharacters(in: .whitespaces) : ""
      guard !key.isEmpty, !value.isEmpty, out[key] == nil else { continue }
      out[key] = value
    }
    return out
  }
}

/// The twenty CAMEO root codes with their names and quad classes. Kept here rather than read
/// from the knowledge base because the filter form needs only the fixed top level.
enum CAMEORoots {
  static let names: [(code: String, name: String)] = [
    ("01", "Make public statement"), ("02", "Appeal"), ("03", "Express intent to cooperate"), ("04", "Consult"),
    ("05", "Engage in diplomatic cooperation"), ("06", "Engage in material cooperation"), ("07", "Provide aid"),
    ("08", "Yield"), ("09", "Investigate"), ("10", "Demand"), ("11", "Disapprove"), ("12", "Reject"),
    ("13", "Threaten"), ("14", "Protest"), ("15", "Exhibit force posture"), ("16", "Reduce relations"),
    ("17", "Coerce"), ("18", "Assault"), ("19", "Fight"), ("20", "Use unconventional mass violence"),
  ]

  static func name(_ root: String) -> String {
    names.first { $0.code == root }?.name ?? root
  }

  /// The standard quad class of a root: 1 verbal cooperation (01–05), 2 material cooperation
  /// (06–08), 3 verbal conflict (09–13), 4 material conflict (14–20); 0 when not a root.
  static func quadClass(_ root: String) -> Int {
    guard let n = Int(root.prefix(2)) else { return 0 }
    switch n {
    case 1...5: return 1
    case 6...8: return 2
    case 9...13: return 3
    case 14...20: return 4
    default: return 0
    }
  }

  /// The CSS class for a quad class, shared by the charts and the event lists.
  static func quadClassName(_ quad: Int) -> String {
    switch quad {
    case 1: return "q1"
    case 2: return "q2"
    case 3: return "q3"
    case 4: return "q4"
    default: return "q0"
    }
  }

  static func quadLabel(_ quad: Int) -> String {
    switch quad {
    case 1: return "verbal cooperation"
    case 2: return "material cooperation"
    case 3: return "verbal conflict"
    case 4: return "material conflict"
    default: return "unclassified"
    }
  }
}
