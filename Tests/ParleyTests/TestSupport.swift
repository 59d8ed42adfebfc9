import Foundation
import ParleyExtraction
import ParleyKnowledge
import ParleyModel
import ParleyText
import Testing

/// The extractor over the bundled data, loaded once for the whole test run (global `let`s are
/// initialized lazily and thread-safely).
private let sharedExtractor = Result { try Extractor.bundled() }

/// Shared fixtures and helpers for every test file.
enum Support {
  /// The bundled extractor (knowledge base and lexicons loaded once).
  static func extractor() throws -> Extractor { try sharedExtractor.get() }

  /// The bundled data folder (holding `kb/` and `lexicon/`).
  static func resources() throws -> URL { try ResourceLocator.directory() }

  /// The bundled lexicons.
  static func lexicons() throws -> Lexicons { try extractor().lexicons }

  /// The bundled knowledge base.
  static func knowledgeBase() throws -> KnowledgeBase { try extractor().kb }

  /// An article made directly from a string (no header parsing: that is the reader's job).
  static func article(
    _ text: String, format: ArticleFormat = .text, id: String = "test", published: PartialDate? = nil
  ) -> RawArticle {
    let ext: String
    switch format {
    case .text: ext = "txt"
    case .markdown: ext = "md"
    case .html: ext = "html"
    case .jsonl: ext = "jsonl"
    }
    return RawArticle(id: id, path: "\(id).\(ext)", format: format, source: text, published: published)
  }

  /// Runs the whole pipeline over `text`.
  static func extract(
    _ text: String, format: ArticleFormat = .text, published: PartialDate? = nil
  ) throws -> Extraction {
    try extractor().extract(article(text, format: format, published: published))
  }

  /// Runs the text pipeline only (cleaning, tokens, sentences, quantities, dates).
  static func textDocument(
    _ text: String, format: ArticleFormat = .text, published: PartialDate? = nil
  ) throws -> TextDocument {
    TextPipeline(lexicon: try lexicons().text).process(article(text, format: format, published: published))
  }

  // MARK: Paths

  /// The package root: Tests/ParleyTests/TestSupport.swift -> three levels up.
  static let packageRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  /// `../shared` beside the clone (corpus and scorer); CI always provides it.
  static let shared = packageRoot.deletingLastPathComponent().appendingPathComponent("shared").standardizedFileURL
  static let seedsDirectory = shared.appendingPathComponent("corpus/seeds")
  static let goldDirectory = shared.appendingPathComponent("corpus/gold")
  static let scorer = shared.appendingPathComponent("eval/score.py")

  /// The seed articles of the shared corpus, sorted by name.
  static func seedFiles() throws -> [URL] {
    let names = try FileManager.default.contentsOfDirectory(atPath: seedsDirectory.path)
    return names.filter { $0.hasSuffix(".txt") }.sorted().map { seedsDirectory.appendingPathComponent($0) }
  }

  /// Reads one file with the public reader, returning the articles and the errors it reported.
  static func read(
    _ path: String, reader: ArticleReader = ArticleReader()
  ) -> (articles: [RawArticle], errors: [ReadError]) {
    var articles: [RawArticle] = []
    var errors: [ReadError] = []
    reader.read(path: path, { articles.append($0) }, onError: { errors.append($0) })
    return (articles, errors)
  }

  // MARK: Temporary files

  /// A fresh temporary folder for one test.
  static func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory
      .appendingPathComponent("parley-tests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  /// Writes `bytes` to a new file called `name` in a fresh temporary folder.
  static func writeTemporary(_ name: String, bytes: [UInt8]) throws -> URL {
    let url = try temporaryDirectory().appendingPathComponent(name)
    try Data(bytes).write(to: url)
    return url
  }

  static func writeTemporary(_ name: String, text: String) throws -> URL {
    try writeTemporary(name, bytes: Array(text.utf8))
  }

  // MARK: Offsets

  /// `source[start..<end]` in Unicode code points, or nil when the range is out of bounds.
  static func slice(_ source: [Unicode.Scalar], _ start: Int, _ end: Int) -> String? {
    guard 0 <= start, start <= end, end <= source.count else { return nil }
    return String(String.UnicodeScalarView(source[start..<end]))
  }

  /// Every quoted text of an extraction with its span: mentions, citations, events, plans, provisions.
  static func quotedSpans(_ x: Extraction) -> [(what: String, text: String, span: TextSpan)] {
    var out: [(String, String, TextSpan)] = []
    for a in x.actors {
      for m in a.mentions { out.append(("mention of \(a.id)", m.text, m.span)) }
    }
    for c in x.citations { out.append(("citation of \(c.outlet)", c.text, c.span)) }
    for e in x.events { out.append(("event \(e.cameo)", e.text, e.span)) }
    for p in x.plans { out.append(("plan \(p.name)", p.text, p.span)) }
    for p in x.provisions { out.append(("provision \(p.category.rawValue)", p.text, p.span)) }
    return out
  }

  /// The spans of `x` whose offsets are out of bounds or do not quote their text exactly.
  static func offsetViolations(_ x: Extraction, source: String) -> [String] {
    let scalars = Array(source.unicodeScalars)
    var bad: [String] = []
    for (what, text, span) in quotedSpans(x) {
      guard let quoted = slice(scalars, span.start, span.end) else {
        bad.append("\(what): span \(span.start)..<\(span.end) outside 0..<\(scalars.count)")
        continue
      }
      if quoted != text || quoted.unicodeScalars.count != text.unicodeScalars.count {
        bad.append(
          "\(what): source[\(span.start):\(span.end)] = \(quoted.debugDescription), text = \(text.debugDescription)")
      }
    }
    return bad
  }

  /// The ids events and provisions refer to that are not actors of the extraction.
  static func danglingActorIDs(_ x: Extraction) -> [String] {
    let ids = Set(x.actors.map(\.id))
    var refs: [String] = []
    for e in x.events { refs += [e.source, e.target, e.location].compactMap { $0 } }
    for p in x.provisions { refs += [p.demandedBy, p.appliesTo].compactMap { $0 } }
    return refs.filter { !ids.contains($0) }
  }
}

extension Extraction {
  /// The actor with the given id, if extracted.
  func actor(named id: String) -> Actor? { actors.first { $0.id == id } }

  /// The affiliation of an actor id (nil when the id is nil or unknown).
  func affiliation(of id: String?) -> String? { actor(id: id)?.affiliation }

  /// Events whose CAMEO root is `root` ("04", "12", ...).
  func events(root: String) -> [Event] { events.filter { $0.cameo.root == root } }
}
