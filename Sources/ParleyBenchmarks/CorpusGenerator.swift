import Foundation
import ParleyModel

/// Writes the dense synthetic reporting of `parley bench` as JSON Lines: every sentence is a
/// template from `report-templates.json` filled with its names; deterministic for a seed.
public struct CorpusGenerator: Sendable {
  private var rng: SplitMix64
  private let words: ReportTemplates

  /// Throws only when the bundled templates are missing or malformed.
  public init(seed: UInt64) throws {
    rng = SplitMix64(seed: seed)
    words = try ReportTemplates.bundled()
  }

  private mutating func pick<T>(_ xs: [T]) -> T { xs[Int(rng.next() % UInt64(xs.count))] }

  mutating func sentence() -> String {
    var s = pick(words.templates)
    let first = pick(words.people)
    let second = pick(words.people)
    // Every slot is drawn whether or not the template uses it, so the stream of draws (and the
    // corpus for a seed) does not depend on which template came up.
    let pairs: [(String, String)] = [
      ("{T1}", first.title), ("{P1}", first.name), ("{T2}", second.title), ("{P2}", second.name),
      ("{C1}", pick(words.capitals)), ("{C2}", pick(words.capitals)),
      ("{S1}", pick(words.sides)), ("{S2}", pick(words.sides)), ("{V}", pick(words.venues)),
      ("{O}", pick(words.outlets)), ("{N}", String(5 + Int(rng.next() % 30))),
    ]
    for (k, v) in pairs { s = s.replacingOccurrences(of: k, with: v) }
    return s.prefix(1).uppercased() + s.dropFirst()
  }

  /// Writes articles until `bytes` of article text are written; returns the file's size.
  public mutating func write(to path: String, bytes: Int) throws -> Int {
    guard FileManager.default.createFile(atPath: path, contents: nil),
      let handle = FileHandle(forWritingAtPath: path)
    else {
      throw BenchmarkError.corpus("cannot write the benchmark corpus to \(path)")
    }
    defer { try? handle.close() }
    var written = 0
    var fileBytes = 0
    var n = 0
    var buffer = ""
    while written < bytes {
      var text = ""
      let paragraphs = 6 + Int(rng.next() % 10)
      for _ in 0..<paragraphs {
        for _ in 0..<(2 + Int(rng.next() % 3)) { text += sentence() + " " }
        text += "\n\n"
      }
      n += 1
      written += text.utf8.count
      var w = JSONWriter()
      w.beginObject()
      w.field("id", "bench-\(n)")
      w.field("title", "Negotiation report \(n)")
      w.field("published", "2025-\(n % 12 + 1 < 10 ? "0" : "")\(n % 12 + 1)-1\(n % 9)")
      w.field("text", text)
      w.endObject()
      buffer += w.output + "\n"
      if buffer.utf8.count > 1 << 20 {
        fileBytes += buffer.utf8.count
        handle.write(Data(buffer.utf8))
        buffer = ""
      }
    }
    fileBytes += buffer.utf8.count
    handle.write(Data(buffer.utf8))
    return fileBytes
  }
}
