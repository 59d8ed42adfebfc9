import Foundation

/// What a user typed into a search box, as terms with no query syntax left in them: every
/// backend builds its own full-text query from these, so the same words find the same articles
/// on SQLite (FTS5) and PostgreSQL (tsvector).
public struct SearchTerms: Sendable, Equatable {
  /// The words of one term (a quoted phrase keeps its spaces), without quotes or a trailing `*`.
  public var text: String
  /// A trailing `*` outside quotes: the last word is a prefix.
  public var prefix: Bool

  public init(text: String, prefix: Bool) {
    self.text = text
    self.prefix = prefix
  }

  /// Splits on whitespace outside double quotes; drops quotes inside terms and terms with no
  /// letter or digit (which no index holds), so the result can never be a syntax error.
  public static func parse(_ input: String) -> [SearchTerms] {
    var terms: [SearchTerms] = []
    var current = ""
    var inQuote = false
    func flush() {
      let t = current.trimmingCharacters(in: .whitespaces)
      current = ""
      guard !t.isEmpty else { return }
      let prefix = t.hasSuffix("*") && !inQuote
      let body = (prefix ? String(t.dropLast()) : t).replacingOccurrences(of: "\"", with: "")
      guard body.contains(where: { $0.isLetter || $0.isNumber }) else { return }
      terms.append(SearchTerms(text: body, prefix: prefix))
    }
    for ch in input {
      if ch == "\"" {
        flush()
        inQuote.toggle()
      } else if ch.isWhitespace && !inQuote {
        flush()
      } else {
        current.append(ch)
      }
    }
    flush()
    return terms
  }
}
