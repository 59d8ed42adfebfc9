import ArgumentParser
import Foundation
import ParleyStore

/// `parley export`: the events of the record for other tools.
public struct ExportCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "export",
    abstract:
      "Export events, one row per event, in a layout event-data tools read (dyad, CAMEO, quad class, Goldstein weight).",
    discussion: """
      Columns: event_id, date, source_id, source_name, source_country, source_kind, target_id, target_name, target_country, target_kind, cameo, root, quad_class, goldstein, location, reports, independent_sources, sources, article_ids, text. In CSV, lists are joined with ';'. Rows come in timeline order and are streamed, so exports of any size use little memory.

      Examples:
        parley export --format csv > events.csv
        parley export --format jsonl --output events.jsonl
      """)

  /// Output layouts.
  public enum Format: String, ExpressibleByArgument, CaseIterable, Sendable { case jsonl, csv }

  @OptionGroup public var store: StoreOptions
  @Option(help: "jsonl or csv.")
  public var format: Format = .csv
  @Option(help: "Write to this file instead of standard output.")
  public var output: String?
  public init() {}

  static let columns = [
    "event_id", "date", "source_id", "source_name", "source_country", "source_kind", "target_id", "target_name",
    "target_country", "target_kind", "cameo", "root", "quad_class", "goldstein", "location", "reports",
    "independent_sources", "sources", "article_ids", "text",
  ]

  public func run() throws {
    let (db, close) = try store.openReader()
    defer { close() }
    let handle: FileHandle
    if let output {
      guard FileManager.default.createFile(atPath: output, contents: nil), let h = FileHandle(forWritingAtPath: output)
      else {
        StandardStreams.error("parley: error: \(output): cannot be written")
        throw ExitCode(ExitStatus.inputFailed)
      }
      handle = h
    } else {
      handle = FileHandle.standardOutput
    }
    var buffer = ""
    func emit(_ line: String) {
      buffer += line + "\n"
      if buffer.utf8.count > 1 << 16 {
        handle.write(Data(buffer.utf8))
        buffer = ""
      }
    }
    if format == .csv { emit(Self.columns.joined(separator: ",")) }
    try query {
      try db.exportEvents { row in
        switch format {
        case .jsonl: emit(try JSONOutput.line(row))
        case .csv: emit(Self.csvLine(row))
        }
      }
    }
    handle.write(Data(buffer.utf8))
    if output != nil { try handle.close() }
  }

  static func csvLine(_ r: ExportRow) -> String {
    let fields: [String?] = [
      String(r.eventId), r.date, r.sourceId, r.sourceName, r.sourceCountry, r.sourceKind, r.targetId, r.targetName,
      r.targetCountry, r.targetKind, r.cameo, r.root, String(r.quadClass), String(r.goldstein), r.location,
      String(r.reports), String(r.independentSources), r.sources.joined(separator: ";"),
      r.articleIds.map(String.init).joined(separator: ";"), r.text,
    ]
    return fields.map { csvField($0 ?? "") }.joined(separator: ",")
  }

  /// RFC 4180 quoting: fields with a comma, quote or line break are quoted, quotes doubled.
  static func csvField(_ s: String) -> String {
    guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
    return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }
}
