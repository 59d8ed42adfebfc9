import Foundation

/// One syntactic word of a CoNLL-U sentence (a line whose ID is an integer).
public struct CoNLLUWord: Sendable, Equatable {
  public var form: String
  public var lemma: String
  public var upos: String
  public var xpos: String
  public var feats: String
  /// 0 for the root; otherwise the 1-based ID of the head word.
  public var head: Int
  public var deprel: String
  public var misc: String

  public init(
    form: String, lemma: String = "_", upos: String = "_", xpos: String = "_", feats: String = "_",
    head: Int = 0, deprel: String = "_", misc: String = "_"
  ) {
    self.form = form
    self.lemma = lemma
    self.upos = upos
    self.xpos = xpos
    self.feats = feats
    self.head = head
    self.deprel = deprel
    self.misc = misc
  }
}

/// A multiword token range line ("3-4 don't"): the surface token over words `first...last`.
public struct CoNLLURange: Sendable, Equatable {
  public var first: Int
  public var last: Int
  public var form: String
  public var misc: String
}

/// A sentence of a CoNLL-U file: its comment lines, words and multiword token ranges.
public struct CoNLLUSentence: Sendable, Equatable {
  public var comments: [String] = []
  public var words: [CoNLLUWord] = []
  public var ranges: [CoNLLURange] = []
  /// 1-based line number of the sentence's first line in its file, for error messages.
  public var line: Int = 0

  public init(comments: [String] = [], words: [CoNLLUWord] = [], ranges: [CoNLLURange] = [], line: Int = 0) {
    self.comments = comments
    self.words = words
    self.ranges = ranges
    self.line = line
  }

  /// The value of a `# key = value` comment.
  public func comment(_ key: String) -> String? {
    for c in comments {
      let body = c.drop { $0 == "#" || $0 == " " }
      guard body.hasPrefix(key) else { continue }
      let rest = body.dropFirst(key.count).drop { $0 == " " }
      if rest.first == "=" { return String(rest.dropFirst().drop { $0 == " " }) }
    }
    return nil
  }
}

/// A CoNLL-U file that could not be read, with the file, the line and the reason.
public struct CoNLLUError: Error, CustomStringConvertible, Sendable, Equatable {
  public var file: String
  public var line: Int
  public var reason: String
  public var description: String { "\(file):\(line): \(reason)" }
}

/// Reads and writes CoNLL-U (universaldependencies.org/format.html). Empty nodes (`8.1`) carry
/// enhanced dependencies only and are skipped; basic trees are what Parley trains and scores on.
public enum CoNLLU {
  /// Reads a whole file. Lines longer than `maxLineBytes` and malformed lines are errors that
  /// name the file and the line.
  public static func read(path: String, maxLineBytes: Int = 1 << 20) throws -> [CoNLLUSentence] {
    let data: Data
    do {
      data = try Data(contentsOf: URL(fileURLWithPath: path))
    } catch {
      throw CoNLLUError(file: path, line: 0, reason: "cannot be read")
    }
    return try parse(data, file: path, maxLineBytes: maxLineBytes)
  }

  /// Parses CoNLL-U bytes; `file` names the source in errors.
  public static func parse(_ data: Data, file: String, maxLineBytes: Int = 1 << 20) throws -> [CoNLLUSentence] {
    if data.contains(0) { throw CoNLLUError(file: file, line: 0, reason: "binary content (NUL bytes), not CoNLL-U") }
    var sentences: [CoNLLUSentence] = []
    var current = CoNLLUSentence()
    var lineNumber = 0
    func flush() throws {
      if !current.words.isEmpty {
        try validate(current, file: file)
        sentences.append(current)
      } else if !current.ranges.isEmpty {
        throw CoNLLUError(file: file, line: current.line, reason: "a sentence with token ranges but no words")
      }
      current = CoNLLUSentence()
    }
    var start = data.startIndex
    while start < data.endIndex {
      let end = data[start...].firstIndex(of: 0x0A) ?? data.endIndex
      lineNumber += 1
      if end - start > maxLineBytes {
        throw CoNLLUError(file: file, line: lineNumber, reason: "line longer than \(maxLineBytes) bytes")
      }
      guard var line = String(validating: data[start..<end], as: UTF8.self) else {
        throw CoNLLUError(file: file, line: lineNumber, reason: "invalid UTF-8")
      }
      start = end < data.endIndex ? end + 1 : end
      if line.hasSuffix("\r") { line.removeLast() }
      if line.allSatisfy({ $0 == " " || $0 == "\t" }) {
        try flush()
        continue
      }
      if current.words.isEmpty && current.ranges.isEmpty && current.comments.isEmpty { current.line = lineNumber }
      if line.hasPrefix("#") {
        current.comments.append(line)
        continue
      }
      let cols = line.split(separator: "\t", omittingEmptySubsequences: false)
      guard cols.count == 10 else {
        throw CoNLLUError(
          file: file, line: lineNumber, reason: "expected 10 tab-separated columns, found \(cols.count)")
      }
      let id = cols[0]
      if id.contains(".") { continue }  // empty node: enhanced graph only
      if let dash = id.firstIndex(of: "-") {
        guard let a = Int(id[..<dash]), let b = Int(id[id.index(after: dash)...]), a <= b else {
          throw CoNLLUError(file: file, line: lineNumber, reason: "malformed token range \"\(id)\"")
        }
        current.ranges.append(CoNLLURange(first: a, last: b, form: String(cols[1]), misc: String(cols[9])))
        continue
      }
      guard let n = Int(id), n == current.words.count + 1 else {
        throw CoNLLUError(
          file: file, line: lineNumber,
          reason: "word ID \"\(id)\" out of sequence (expected \(current.words.count + 1))")
      }
      let head: Int
      if cols[6] == "_" {
        head = -1
      } else if let h = Int(cols[6]), h >= 0 {
        head = h
      } else {
        throw CoNLLUError(file: file, line: lineNumber, reason: "malformed HEAD \"\(cols[6])\"")
      }
      current.words.append(
        CoNLLUWord(
          form: String(cols[1]), lemma: String(cols[2]), upos: String(cols[3]), xpos: String(cols[4]),
          feats: String(cols[5]), head: head, deprel: String(cols[7]), misc: String(cols[9])))
    }
    try flush()
    return sentences
  }

  static func validate(_ s: CoNLLUSentence, file: String) throws {
    for (i, w) in s.words.enumerated() where w.head > s.words.count {
      throw CoNLLUError(
        file: file, line: s.line, reason: "word \(i + 1) has head \(w.head) outside its sentence of \(s.words.count)")
    }
  }

  /// Writes sentences as CoNLL-U text (comments, ranges before their first word, words, a blank line).
  public static func write(_ sentences: [CoNLLUSentence]) -> String {
    var out = ""
    for s in sentences { write(s, into: &out) }
    return out
  }

  /// Appends one sentence in CoNLL-U to `out`.
  public static func write(_ s: CoNLLUSentence, into out: inout String) {
    for c in s.comments { out += c + "\n" }
    var ranges = s.ranges.sorted { $0.first < $1.first }[...]
    for (i, w) in s.words.enumerated() {
      while let r = ranges.first, r.first == i + 1 {
        out += "\(r.first)-\(r.last)\t\(field(r.form))\t_\t_\t_\t_\t_\t_\t_\t\(field(r.misc))\n"
        ranges = ranges.dropFirst()
      }
      let head = w.head < 0 ? "_" : String(w.head)
      out += "\(i + 1)\t\(field(w.form))\t\(field(w.lemma))\t\(field(w.upos))\t\(field(w.xpos))\t\(field(w.feats))\t"
      out += "\(head)\t\(field(w.deprel))\t_\t\(field(w.misc))\n"
    }
    out += "\n"
  }

  /// A field value safe for one CoNLL-U column: no tabs or newlines, never empty.
  static func field(_ s: String) -> String {
    if s.isEmpty { return "_" }
    guard s.contains(where: { $0 == "\t" || $0 == "\n" || $0 == "\r" }) else { return s }
    return String(s.map { $0 == "\t" || $0 == "\n" || $0 == "\r" ? " " : $0 })
  }
}
