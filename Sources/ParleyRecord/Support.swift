import Foundation
import ParleyKnowledge
import ParleyText

/// A record-layer input (lexicon or negotiation file) that could not be used, with the file, line and reason.
public struct RecordError: Error, CustomStringConvertible, Sendable, Hashable {
  public var file: String
  /// 1-based line of the offending value, when known.
  public var line: Int?
  public var reason: String

  public init(file: String, line: Int? = nil, reason: String) {
    self.file = file
    self.line = line
    self.reason = reason
  }

  public var description: String {
    if let line { return "\(file):\(line): \(reason)" }
    return "\(file): \(reason)"
  }
}

/// Folded word sequences, the form every cue list is matched in.
enum Words {
  /// The tokenizer's lowercased, diacritic-free forms, curly quotes and dashes read as straight ones.
  static func of(_ text: String) -> [String] {
    let scalars = Array(text.unicodeScalars.map(Scalars.normalized))
    var tokens: [Token] = []
    Tokenizer.tokenize(scalars, in: 0..<scalars.count, into: &tokens)
    return tokens.map(\.lower)
  }

  /// First index where `needle` occurs as a contiguous run in `haystack`.
  static func find(_ needle: [String], in haystack: [String]) -> Int? {
    guard let first = needle.first, needle.count <= haystack.count else { return nil }
    for i in 0...(haystack.count - needle.count) where haystack[i] == first {
      if haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
    }
    return nil
  }

  /// Expands "a|b c" into the word sequences "a c" and "b c", each folded like sentence text.
  static func expand(_ phrase: String) -> [[String]] {
    var results: [[String]] = [[]]
    for slot in phrase.split(separator: " ") {
      let alternatives = slot.split(separator: "|").map { of(String($0)) }.filter { !$0.isEmpty }
      guard !alternatives.isEmpty else { continue }
      results = results.flatMap { prefix in alternatives.map { prefix + $0 } }
    }
    return results.filter { !$0.isEmpty }
  }
}

/// Phrases indexed by their first word, longest first, so matching is a dictionary lookup per token.
struct PhraseIndex<Payload: Sendable>: Sendable {
  private var byFirst: [String: [(words: [String], payload: Payload)]] = [:]

  init(_ entries: [(phrase: String, payload: Payload)]) {
    for (phrase, payload) in entries {
      for words in Words.expand(phrase) {
        byFirst[words[0], default: []].append((words, payload))
      }
    }
    // A stable sort keeps list order among phrases of one length, which is how ties are broken.
    byFirst = byFirst.mapValues { list in
      list.enumerated().sorted { ($0.element.words.count, $1.offset) > ($1.element.words.count, $0.offset) }
        .map(\.element)
    }
  }

  /// The longest phrase starting at `i`, with its length; on equal lengths the entry listed first wins.
  func match(_ words: [String], at i: Int) -> (length: Int, payload: Payload)? {
    guard let candidates = byFirst[words[i]] else { return nil }
    for c in candidates where i + c.words.count <= words.count {
      if words[i..<(i + c.words.count)].elementsEqual(c.words) { return (c.words.count, c.payload) }
    }
    return nil
  }
}

/// Reads the shared record lexicon, naming the file and the JSON path in errors.
func decodeLexicon<T: Decodable>(_ type: T.Type, at url: URL) throws -> T {
  let data: Data
  do {
    data = try Data(contentsOf: url)
  } catch {
    throw RecordError(file: url.path, reason: "cannot be read")
  }
  do {
    return try JSONDecoder().decode(T.self, from: data)
  } catch let DecodingError.dataCorrupted(ctx) {
    throw RecordError(file: url.path, reason: "malformed at \(jsonPath(ctx.codingPath)): \(ctx.debugDescription)")
  } catch let DecodingError.keyNotFound(key, ctx) {
    throw RecordError(file: url.path, reason: "missing \"\(key.stringValue)\" at \(jsonPath(ctx.codingPath))")
  } catch let DecodingError.typeMismatch(_, ctx) {
    throw RecordError(file: url.path, reason: "wrong type at \(jsonPath(ctx.codingPath)): \(ctx.debugDescription)")
  } catch let DecodingError.valueNotFound(_, ctx) {
    throw RecordError(file: url.path, reason: "missing value at \(jsonPath(ctx.codingPath))")
  } catch {
    throw RecordError(file: url.path, reason: "\(error)")
  }
}

/// The bundled `lexicon/stances.json`, which holds both the stance and the revision cues.
func bundledLexiconURL() throws -> URL {
  try ResourceLocator.directory().appendingPathComponent("lexicon").appendingPathComponent("stances.json")
}

private func jsonPath(_ keys: [CodingKey]) -> String {
  let path = keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
  return path.isEmpty ? "the top level" : path
}
