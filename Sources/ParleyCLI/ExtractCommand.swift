import ArgumentParser
import Foundation
import ParleyExtraction
import ParleyKnowledge
import ParleyModel
import ParleyStore
import ParleyText

/// `parley extract`: articles in, sourced actors, citations, events, plans and provisions out.
public struct ExtractCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "extract",
    abstract: "Extract actors, citations, events, plans and provisions from articles.",
    discussion: """
      Reads .txt, .md, .html/.htm and .jsonl files, and folders of them (recursively). Needs no database. With --format jsonl it prints one JSON object per article, in the order given, in the layout fixed by CONTRACT.md; offsets are Unicode code points into the source as read.

      Exit status: 0 when every article was read, 1 when any input failed (each failure is reported on standard error with its file, line and reason; the rest is still extracted), 3 when Parley's own data or a --kb file cannot be loaded.

      Examples:
        parley extract Examples/articles
        parley extract --format jsonl corpus/*.txt > out.jsonl
        parley extract --kb my-negotiators.json --format json article.html
      """)

  /// How results are printed.
  public enum Format: String, ExpressibleByArgument, CaseIterable, Sendable {
    case table, jsonl, json
  }

  @OptionGroup public var inputs: ArticleInputs

  @Option(
    help:
      "Output: table (for people), jsonl (one object per line) or json (one array). Default: table on a terminal, jsonl otherwise."
  )
  public var format: Format?

  @OptionGroup public var knowledge: KnowledgeFileOptions

  public init() {}

  public func run() throws {
    let extractor = try knowledge.extractor()
    let format = self.format ?? (StandardStreams.stdoutIsTerminal ? .table : .jsonl)
    let reader = inputs.reader
    let (files, missing) = ArticleReader.expand(inputs.paths)
    var failures = missing.count
    for e in missing { StandardStreams.error("parley: error: \(e)") }
    var first = true
    // Tables go to the terminal themselves; a bar would interleave with them.
    let progress = Progress(
      total: format == .table && StandardStreams.stdoutIsTerminal ? 0 : files.count, label: "files")
    if format == .json { StandardStreams.write("[") }
    let cameo = extractor.lexicons.cameo
    // Articles are extracted (and rendered) on every core a batch at a time; output keeps input order.
    let batcher = ArticleBatcher<String>(
      work: { raw in
        let extraction = extractor.extract(raw)
        switch format {
        case .jsonl, .json: return extraction.contractJSON()
        case .table: return ExtractionTable.render(extraction, cameo: cameo)
        }
      },
      sink: { text in
        switch format {
        case .jsonl: StandardStreams.write(text + "\n")
        case .json: StandardStreams.write((first ? "\n" : ",\n") + text)
        case .table: StandardStreams.write(text)
        }
        first = false
      })
    for file in files {
      defer { progress.advance((file as NSString).lastPathComponent) }
      reader.read(
        path: file, { batcher.add($0) },
        onError: { error in
          failures += 1
          StandardStreams.error("parley: error: \(error)")
        })
    }
    batcher.flush()
    if format == .json { StandardStreams.write("\n]\n") }
    if failures > 0 {
      StandardStreams.error("parley: \(failures) input\(failures == 1 ? "" : "s") failed")
      throw ExitCode(1)
    }
  }
}

/// The human view of one extraction.
enum ExtractionTable {
  static func render(_ x: Extraction, cameo: CAMEOTable) -> String {
    // Quoted text is exact source; for reading, HTML references are shown as characters.
    let show: (String) -> String =
      x.document.path.lowercased().hasSuffix("htm") || x.document.path.lowercased().hasSuffix("html")
      ? { HTMLEntities.decode($0) } : { $0 }
    var out = "\n== \(x.document.title ?? x.document.id)  [\(x.document.path)]\n"
    out += "published: \(x.document.published?.description ?? "unknown")"
    out += "   duplicate paragraphs removed: \(x.document.duplicateParagraphsRemoved)\n\n"
    let name: (String?) -> String = { id in
      guard let id else { return "-" }
      return x.actor(id: id)?.name ?? id
    }
    var actors = TextTable(["actor", "kind", "affiliation", "mentions"])
    for a in x.actors { actors.add([a.name, a.kind.rawValue, a.affiliation ?? "-", String(a.mentions.count)]) }
    out += "Actors\n" + actors.render() + "\n"
    if !x.citations.isEmpty {
      var t = TextTable(["outlet", "as cited"])
      for c in x.citations { t.add([c.outlet, show(c.text)]) }
      out += "Citations\n" + t.render() + "\n"
    }
    if !x.events.isEmpty {
      var t = TextTable(["cameo", "what", "source", "target", "date", "cited", "trigger"], maxWidth: 36)
      for e in x.events {
        t.add([
          e.cameo.rawValue, cameo.entry(for: e.cameo)?.label ?? "", name(e.source), name(e.target),
          e.date?.description ?? "-", e.cited ?? "-", show(e.trigger),
        ])
      }
      out += "Events\n" + t.render() + "\n"
    }
    if !x.plans.isEmpty {
      var t = TextTable(["plan", "points"])
      for p in x.plans { t.add([show(p.name), p.points.map(String.init) ?? "-"]) }
      out += "Plans\n" + t.render() + "\n"
    }
    if !x.provisions.isEmpty {
      var t = TextTable(["category", "demanded by", "applies to", "text"])
      for p in x.provisions { t.add([p.category.rawValue, name(p.demandedBy), name(p.appliesTo), show(p.text)]) }
      out += "Provisions\n" + t.render() + "\n"
    }
    return out
  }
}
