import Foundation

/// A request's query string, parsed strictly: every API parameter is checked here so that a
/// wrong value gets a 400 that names it instead of a silently empty or surprising answer.
struct QueryParameters: Sendable {
  /// The largest page the API serves; bigger pages would let one request hold a reader for long.
  static let maxLimit = 500
  /// Large enough for any real record, small enough that `offset + limit` cannot overflow.
  static let maxOffset = 1_000_000_000

  private var values: [String: String] = [:]

  /// Parses `query` (form encoding: `+` is a space) and rejects names not in `allowed` (typos
  /// such as `limt` would otherwise be ignored) and names given twice.
  init(_ query: String?, allowed: Set<String>) throws(APIError) {
    guard let query, !query.isEmpty else { return }
    for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
      let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      let name = try Self.decode(parts[0])
      let value = parts.count > 1 ? try Self.decode(parts[1]) : ""
      guard allowed.contains(name) else {
        let expected =
          allowed.isEmpty ? "this endpoint takes none" : "expected " + allowed.sorted().joined(separator: ", ")
        throw .badRequest("unknown parameter '\(Self.clip(name))' (\(expected))")
      }
      guard values[name] == nil else { throw .badRequest("parameter '\(name)' is given more than once") }
      values[name] = value
    }
  }

  private static func decode(_ raw: Substring) throws(APIError) -> String {
    guard let text = raw.replacingOccurrences(of: "+", with: " ").removingPercentEncoding else {
      throw .badRequest("malformed percent-encoding in the query string")
    }
    return text
  }

  /// A parameter's text; an empty value counts as absent (what an unfilled form field sends).
  func string(_ name: String, maxLength: Int = 200) throws(APIError) -> String? {
    guard let value = values[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
    guard value.count <= maxLength else {
      throw .badRequest("parameter '\(name)' is longer than \(maxLength) characters")
    }
    return value
  }

  func int(_ name: String, default fallback: Int, in range: ClosedRange<Int>) throws(APIError) -> Int {
    try optionalInt(name, in: range) ?? fallback
  }

  func optionalInt(_ name: String, in range: ClosedRange<Int>) throws(APIError) -> Int? {
    guard let text = try string(name, maxLength: 20) else { return nil }
    guard let value = Int(text) else { throw .badRequest("parameter '\(name)' must be an integer, not '\(text)'") }
    guard range.contains(value) else {
      let bound =
        range.upperBound >= Self.maxOffset
        ? "at least \(range.lowerBound)" : "between \(range.lowerBound) and \(range.upperBound)"
      throw .badRequest("parameter '\(name)' must be \(bound), not \(value)")
    }
    return value
  }

  /// `limit` and `offset`, the same on every list.
  func page(defaultLimit: Int = 50) throws(APIError) -> (limit: Int, offset: Int) {
    (
      try int("limit", default: defaultLimit, in: 1...Self.maxLimit),
      try int("offset", default: 0, in: 0...Self.maxOffset)
    )
  }

  /// A date or a prefix of one: YYYY, YYYY-MM or YYYY-MM-DD, checked to be a real day.
  func date(_ name: String) throws(APIError) -> String? {
    guard let text = try string(name, maxLength: 10) else { return nil }
    guard Self.isPartialDate(text) else {
      throw .badRequest("parameter '\(name)' must be a date YYYY, YYYY-MM or YYYY-MM-DD, not '\(text)'")
    }
    return text
  }

  static func isPartialDate(_ text: String) -> Bool {
    let parts = text.split(separator: "-", omittingEmptySubsequences: false)
    guard (1...3).contains(parts.count), parts[0].count == 4,
      parts.dropFirst().allSatisfy({ $0.count == 2 }),
      parts.allSatisfy({ $0.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) } }),
      let year = Int(parts[0]), year >= 1
    else { return false }
    guard parts.count > 1, let month = Int(parts[1]) else { return true }
    guard (1...12).contains(month) else { return false }
    guard parts.count > 2, let day = Int(parts[2]) else { return true }
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    return (1...days).contains(day)
  }

  /// User text quoted in an error message, kept short.
  static func clip(_ text: String) -> String { text.count <= 40 ? text : String(text.prefix(39)) + "…" }
}
