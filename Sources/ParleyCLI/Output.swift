import ArgumentParser
import Foundation
import ParleyExtraction
import ParleyText

/// Buffered writes to standard output and error; output is flushed per article so a pipe sees
/// results as they come, without one system call per line fragment.
public struct StandardStreams: Sendable {
  public static func write(_ s: String) {
    FileHandle.standardOutput.write(Data(s.utf8))
  }
  public static func error(_ s: String) {
    FileHandle.standardError.write(Data((s.hasSuffix("\n") ? s : s + "\n").utf8))
  }
  public static var stdoutIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }
  public static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }
}

/// A plain-text table with aligned columns, for people.
public struct TextTable: Sendable {
  public var headers: [String]
  public var rows: [[String]] = []
  public var maxWidth: Int

  public init(_ headers: [String], maxWidth: Int = 60) {
    self.headers = headers
    self.maxWidth = maxWidth
  }

  public mutating func add(_ row: [String]) { rows.append(row) }

  public func render() -> String {
    let cells = ([headers] + rows).map { row in row.map { Self.clip($0, maxWidth) } }
    var widths = Array(repeating: 0, count: headers.count)
    for row in cells {
      for (i, c) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], c.count) }
    }
    var out = ""
    for (n, row) in cells.enumerated() {
      let line = row.enumerated().map { i, c in
        i == row.count - 1 ? c : c + String(repeating: " ", count: widths[i] - c.count)
      }.joined(separator: "  ")
      out += line + "\n"
      if n == 0 { out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n" }
    }
    return out
  }

  static func clip(_ s: String, _ n: Int) -> String {
    let flat = s.replacingOccurrences(of: "\n", with: " ")
    return flat.count <= n ? flat : String(flat.prefix(n - 1)) + "\u{2026}"
  }
}

/// A one-line progress display on standard error, drawn only when it is a terminal, so
/// pipes and logs stay clean.
public final class Progress {
  let total: Int
  let label: String
  var done = 0
  var lastDraw = ContinuousClock.now
  public let enabled: Bool

  public init(total: Int, label: String) {
    self.total = total
    self.label = label
    enabled = StandardStreams.stderrIsTerminal && total > 1
  }

  public func advance(_ note: String = "") {
    done += 1
    guard enabled else { return }
    let now = ContinuousClock.now
    guard done == total || now - lastDraw > .milliseconds(100) else { return }
    lastDraw = now
    let width = 30
    let filled = total == 0 ? width : min(width, done * width / total)
    let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
    let text = "\r[\(bar)] \(done)/\(total) \(label) \(TextTable.clip(note, 40))"
    FileHandle.standardError.write(Data((text + String(repeating: " ", count: max(0, 90 - text.count))).utf8))
    if done == total { FileHandle.standardError.write(Data("\n".utf8)) }
  }
}

/// The article inputs that `extract` and `parse` share: files or folders, and the size limit.
public struct ArticleInputs: ParsableArguments {
  @Argument(help: "Article files or folders.")
  public var paths: [String] = []

  @Option(
    name: .customLong("max-article-mib"),
    help: "Largest article accepted, in MiB; larger files and JSON Lines records are reported and skipped.")
  public var maxArticleMiB: Int = 16

  public init() {}

  public func validate() throws {
    guard !paths.isEmpty else { throw ValidationError("Give at least one article file or folder.") }
    guard maxArticleMiB > 0 else { throw ValidationError("--max-article-mib must be positive.") }
  }

  /// A reader with the size limit.
  var reader: ArticleReader { ArticleReader(maxArticleBytes: maxArticleMiB << 20) }
}
