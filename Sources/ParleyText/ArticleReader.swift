import Foundation
import ParleyModel

/// Reads articles from files and folders: text, Markdown, HTML and JSON Lines (streamed record by record).
///
/// Every failure is reported through `onError` with the file (and line) and the reason; reading
/// then goes on with the next article, so one bad input never stops a batch.
public struct ArticleReader: Sendable {
  /// Largest article accepted, in bytes: larger inputs are reported, not loaded.
  public var maxArticleBytes: Int

  public init(maxArticleBytes: Int = 16 << 20) {
    self.maxArticleBytes = maxArticleBytes
  }

  /// Expands files and folders (recursively, sorted) into the readable files they name.
  /// Paths that do not exist are returned as errors; unreadable kinds inside folders are skipped.
  public static func expand(_ paths: [String]) -> (files: [String], errors: [ReadError]) {
    var files: [String] = []
    var errors: [ReadError] = []
    let fm = FileManager.default
    for path in paths {
      var isDir: ObjCBool = false
      guard fm.fileExists(atPath: path, isDirectory: &isDir) else {
        errors.append(ReadError(path: path, reason: "no such file or folder"))
        continue
      }
      if !isDir.boolValue {
        files.append(path)
        continue
      }
      guard let walker = fm.enumerator(atPath: path) else {
        errors.append(ReadError(path: path, reason: "folder cannot be listed"))
        continue
      }
      var found: [String] = []
      while let rel = walker.nextObject() as? String {
        let full = (path as NSString).appendingPathComponent(rel)
        var sub: ObjCBool = false
        if fm.fileExists(atPath: full, isDirectory: &sub), !sub.boolValue, ArticleFormat(path: rel) != nil,
          !(rel as NSString).lastPathComponent.hasPrefix(".")
        {
          found.append(full)
        }
      }
      files.append(contentsOf: found.sorted())
    }
    return (files, errors)
  }

  /// Reads every article in `path`, calling `body` for each and `onError` for each failure.
  /// Returns the number of articles delivered.
  @discardableResult
  public func read(
    path: String, _ body: (RawArticle) throws -> Void, onError: (ReadError) -> Void
  ) rethrows -> Int {
    guard let format = ArticleFormat(path: path) else {
      onError(
        ReadError(path: path, reason: "unsupported file type (expected .txt, .md, .html, .htm or .jsonl)"))
      return 0
    }
    if format == .jsonl {
      return try readJSONLines(path: path, body, onError: onError)
    }
    switch loadText(path: path) {
    case .failure(let error):
      onError(error)
      return 0
    case .success(let text):
      let article: RawArticle
      switch format {
      case .html: article = HTMLMetadata.article(path: path, source: text)
      default: article = TextHeaders.article(path: path, format: format, source: text)
      }
      try body(article)
      return 1
    }
  }

  /// Loads a whole text file after checking size, binary content and UTF-8 validity.
  func loadText(path: String) -> Result<String, ReadError> {
    let attributes = try? FileManager.default.attributesOfItem(atPath: path)
    guard let size = (attributes?[.size] as? NSNumber)?.intValue else {
      return .failure(ReadError(path: path, reason: "cannot be read (missing or no permission)"))
    }
    if size == 0 { return .failure(ReadError(path: path, reason: "empty file")) }
    if size > maxArticleBytes {
      return .failure(
        ReadError(
          path: path,
          reason: "file is \(ByteCount(size)), larger than the \(ByteCount(maxArticleBytes)) limit for one article"
        ))
    }
    guard let data = FileManager.default.contents(atPath: path) else {
      return .failure(ReadError(path: path, reason: "cannot be read (missing or no permission)"))
    }
    return Self.decode(data, path: path, line: nil)
  }

  /// Decodes bytes as UTF-8 text, rejecting binary content and invalid sequences with a precise reason.
  static func decode<C: Collection>(_ bytes: C, path: String, line: Int?) -> Result<String, ReadError>
  where C.Element == UInt8 {
    if bytes.isEmpty { return .failure(ReadError(path: path, line: line, reason: "empty")) }
    if let nul = bytes.prefix(8192).firstIndex(of: 0) {
      let at = bytes.distance(from: bytes.startIndex, to: nul)
      return .failure(ReadError(path: path, line: line, reason: "binary content (NUL byte at offset \(at)), not text"))
    }
    var iterator = bytes.makeIterator()
    var decoder = UTF8()
    var offset = 0
    var result = String.UnicodeScalarView()
    loop: while true {
      switch decoder.decode(&iterator) {
      case .scalarValue(let s):
        result.append(s)
        offset += UTF8.width(s)
      case .emptyInput: break loop
      case .error:
        return .failure(ReadError(path: path, line: line, reason: "invalid UTF-8 at byte \(offset)"))
      }
    }
    var text = String(result)
    if text.unicodeScalars.first == "\u{FEFF}" { text.unicodeScalars.removeFirst() }
    return .success(text)
  }

  /// Streams a JSON Lines file record by record with bounded memory: a line longer than the
  /// article limit is reported and skipped without being held in memory.
  func readJSONLines(path: String, _ body: (RawArticle) throws -> Void, onError: (ReadError) -> Void) rethrows
    -> Int
  {
    guard let handle = FileHandle(forReadingAtPath: path) else {
      onError(ReadError(path: path, reason: "cannot be read (missing or no permission)"))
      return 0
    }
    defer { try? handle.close() }
    var buffer: [UInt8] = []
    var lineNumber = 0
    var skipping = false
    var delivered = 0
    var sawAnything = false
    let chunkSize = 1 << 20

    func process(_ line: ArraySlice<UInt8>, number: Int) throws {
      var slice = line
      if slice.last == 0x0D { slice = slice.dropLast() }
      if slice.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return }
      switch JSONLRecord.article(bytes: slice, path: path, line: number) {
      case .success(let article):
        delivered += 1
        try body(article)
      case .failure(let error): onError(error)
      }
    }

    while true {
      // Bytes in an array: scanning `Data` for line ends went through an exclusivity check on
      // its storage for every byte.
      let chunk: [UInt8]
      do {
        guard let next = try handle.read(upToCount: chunkSize), !next.isEmpty else { break }
        chunk = [UInt8](next)
      } catch {
        onError(ReadError(path: path, line: lineNumber + 1, reason: "read failed: \(error.localizedDescription)"))
        return delivered
      }
      sawAnything = true
      var start = chunk.startIndex
      while start < chunk.endIndex {
        if let nl = chunk[start...].firstIndex(of: 0x0A) {
          lineNumber += 1
          if skipping {
            skipping = false
          } else if buffer.count + chunk.distance(from: start, to: nl) > maxArticleBytes {
            onError(
              ReadError(
                path: path, line: lineNumber,
                reason: "line longer than the \(ByteCount(maxArticleBytes)) limit for one record; skipped"))
          } else {
            buffer.append(contentsOf: chunk[start..<nl])
            try process(buffer[...], number: lineNumber)
          }
          buffer.removeAll(keepingCapacity: buffer.count < 4 * chunkSize)
          start = chunk.index(after: nl)
        } else {
          if !skipping {
            buffer.append(contentsOf: chunk[start...])
            if buffer.count > maxArticleBytes {
              onError(
                ReadError(
                  path: path, line: lineNumber + 1,
                  reason: "line longer than the \(ByteCount(maxArticleBytes)) limit for one record; skipped"))
              skipping = true
              buffer = []
            }
          }
          start = chunk.endIndex
        }
      }
    }
    if !buffer.isEmpty && !skipping {
      lineNumber += 1
      try process(buffer[...], number: lineNumber)
    }
    if !sawAnything { onError(ReadError(path: path, reason: "empty file")) }
    return delivered
  }
}

/// A byte count printed for people ("16 MiB", "100.0 MiB", "512 bytes").
public struct ByteCount: CustomStringConvertible, Sendable {
  public var bytes: Int
  public init(_ bytes: Int) { self.bytes = bytes }
  public var description: String {
    if bytes < 1024 { return "\(bytes) bytes" }
    if bytes < 1 << 20 { return "\(bytes >> 10) KiB" }
    let mib = Double(bytes) / Double(1 << 20)
    return mib == mib.rounded() ? "\(Int(mib)) MiB" : String(format: "%.1f MiB", mib)
  }
}

extension ArticleReader {
  /// An article from text already in memory (an upload, a test), read exactly as a file called
  /// `path` with this content would be: the extension picks the format, headers and HTML
  /// metadata are parsed, a JSON Lines text must hold one record.
  public static func article(path: String, text: String) -> Result<RawArticle, ReadError> {
    guard let format = ArticleFormat(path: path) else {
      return .failure(
        ReadError(path: path, reason: "unsupported file type (expected .txt, .md, .html, .htm or .jsonl)"))
    }
    switch format {
    case .jsonl:
      let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
      return JSONLRecord.article(bytes: ArraySlice(Array(trimmed.utf8)), path: path, line: 1)
    case .html: return .success(HTMLMetadata.article(path: path, source: text))
    default: return .success(TextHeaders.article(path: path, format: format, source: text))
    }
  }
}
