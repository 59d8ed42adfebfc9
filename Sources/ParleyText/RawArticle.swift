import ParleyModel

/// The formats Parley reads, chosen by file extension.
public enum ArticleFormat: String, Sendable, CaseIterable {
  case text, markdown, html, jsonl

  /// The format for a path's extension, or nil when Parley does not read such files.
  public init?(path: String) {
    let ext = path.split(separator: ".").last.map { $0.lowercased() } ?? ""
    switch ext {
    case "txt", "text": self = .text
    case "md", "markdown": self = .markdown
    case "html", "htm", "xhtml": self = .html
    case "jsonl", "ndjson": self = .jsonl
    default: return nil
    }
  }
}

/// One article as read, before cleaning: its source text (the offsets' frame of reference) and metadata.
public struct RawArticle: Sendable {
  public var id: String
  public var path: String
  public var format: ArticleFormat
  /// The source as read: whole file for text/Markdown/HTML, the record's `text` for JSON Lines.
  public var source: String
  public var title: String?
  public var published: PartialDate?
  public var outlet: String?
  public var url: String?
  /// Code-point offset where the body starts (after header lines such as `date 2025-08-09`).
  public var bodyStart: Int

  public init(
    id: String, path: String, format: ArticleFormat, source: String, title: String? = nil,
    published: PartialDate? = nil, outlet: String? = nil, url: String? = nil, bodyStart: Int = 0
  ) {
    self.id = id
    self.path = path
    self.format = format
    self.source = source
    self.title = title
    self.published = published
    self.outlet = outlet
    self.url = url
    self.bodyStart = bodyStart
  }
}

/// Why an input could not be read; always names the file, and the line for JSON Lines.
public struct ReadError: Error, Sendable, CustomStringConvertible, Equatable {
  public var path: String
  public var line: Int?
  public var reason: String

  public init(path: String, line: Int? = nil, reason: String) {
    self.path = path
    self.line = line
    self.reason = reason
  }

  public var description: String {
    if let line { return "\(path):\(line): \(reason)" }
    return "\(path): \(reason)"
  }
}
