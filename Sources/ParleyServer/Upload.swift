import Dispatch
import Foundation
import Hummingbird
import Logging
import NIOCore
import ParleyStore
import ParleyText
import Synchronization

/// `POST /api/v1/articles`: checks the token, reads one article from a JSON, multipart or raw
/// text body, and stores it. Every refusal is an `APIError` naming what to fix.
struct ArticleUploads: Sendable {
  let token: String?
  let maxBodyBytes: Int
  let ingester: Ingester

  /// The content types accepted, with the format a raw body of that type is read as.
  static let rawTypes: [String: ArticleFormat] = [
    "text/plain": .text, "text/markdown": .markdown, "text/html": .html,
  ]

  func post(_ request: Request, context: BasicRequestContext) async throws -> Response {
    try authorize(request)
    let query = try QueryParameters(request.uri.query, allowed: ["filename"])
    guard let contentType = request.headers[.contentType], !contentType.trimmingCharacters(in: .whitespaces).isEmpty
    else {
      throw APIError(
        .unsupportedMediaType,
        "missing Content-Type: send application/json, multipart/form-data, text/plain, text/markdown or text/html")
    }
    let media = Multipart.parameters(contentType)
    let isRaw = Self.rawTypes[media.type] != nil
    guard isRaw || media.type == "application/json" || media.type == "multipart/form-data" else {
      throw APIError(
        .unsupportedMediaType,
        "unsupported content type '\(QueryParameters.clip(media.type))': send application/json, multipart/form-data, text/plain, text/markdown or text/html"
      )
    }
    if let charset = media.values["charset"]?.lowercased(), charset != "utf-8", charset != "utf8",
      charset != "us-ascii"
    {
      throw APIError(.unsupportedMediaType, "only UTF-8 text is accepted, not charset \(QueryParameters.clip(charset))")
    }
    let filename = try query.string("filename")
    if filename != nil && !isRaw {
      throw APIError.badRequest(
        "parameter 'filename' applies to raw text bodies; a multipart upload names its file in the part")
    }
    let bytes = try await readBody(request)
    let raw: RawArticle
    switch media.type {
    case "application/json": raw = try UploadReader.json(bytes)
    case "multipart/form-data":
      do {
        let boundary = try Multipart.boundary(contentType: contentType)
        raw = try UploadReader.file(Multipart.parse(bytes, boundary: boundary))
      } catch let error as MultipartError {
        throw APIError.badRequest(error.description)
      }
    default: raw = try UploadReader.raw(bytes, type: media.type, filename: filename)
    }
    let outcome: IngestOutcome
    do {
      outcome = try await ingester.ingest(raw)
    } catch let error as APIError {
      throw error
    } catch {
      context.logger.error("storing an uploaded article failed", metadata: ["error": "\(error)"])
      throw APIError(.internalServerError, "the article could not be stored; the server log has the details")
    }
    switch outcome {
    case .new(let id, let copy):
      context.logger.info("stored uploaded article", metadata: ["id": "\(id)", "path": "\(raw.path)"])
      var response = JSONResponse.make(UploadResult(id: id, status: "new", nearCopyOf: copy), status: .created)
      response.headers[.location] = "/api/v1/articles/\(id)"
      return response
    case .duplicate(let id):
      return JSONResponse.make(UploadResult(id: id, status: "duplicate", nearCopyOf: nil))
    }
  }

  /// 403 when the server takes no writes at all, 401 for a missing or wrong token.
  func authorize(_ request: Request) throws {
    guard let token else {
      throw APIError(.forbidden, "writes are disabled: start the server with PARLEY_TOKEN set")
    }
    let challenge = #"Bearer realm="parley""#
    guard let header = request.headers[.authorization] else {
      throw APIError(
        .unauthorized, "missing bearer token: send 'Authorization: Bearer <token>'",
        headers: [.wwwAuthenticate: challenge])
    }
    let parts = header.split(separator: " ", maxSplits: 1)
    guard parts.count == 2, parts[0].lowercased() == "bearer" else {
      throw APIError(
        .unauthorized, "the Authorization header must be 'Bearer <token>'", headers: [.wwwAuthenticate: challenge])
    }
    guard Self.constantTimeEquals(Array(parts[1].trimmingCharacters(in: .whitespaces).utf8), Array(token.utf8))
    else {
      throw APIError(
        .unauthorized, "invalid token", headers: [.wwwAuthenticate: challenge + #", error="invalid_token""#])
    }
  }

  /// Compares every byte of the secret whatever the input, so response time does not tell an
  /// attacker how many leading bytes of a guess were right.
  static func constantTimeEquals(_ given: [UInt8], _ secret: [UInt8]) -> Bool {
    var difference = UInt8(given.count == secret.count ? 0 : 1)
    for i in 0..<secret.count {
      difference |= (i < given.count ? given[i] : 0) ^ secret[i]
    }
    return difference == 0
  }

  private func readBody(_ request: Request) async throws -> [UInt8] {
    let tooLarge = APIError(
      .contentTooLarge, "request body is larger than the \(Self.describe(bytes: maxBodyBytes)) limit")
    // Refuse before reading when the client says up front how much it will send.
    if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > maxBodyBytes { throw tooLarge }
    do {
      let buffer = try await request.body.collect(upTo: maxBodyBytes)
      return Array(buffer.readableBytesView)
    } catch is NIOTooManyBytesError {
      throw tooLarge
    }
  }

  static func describe(bytes: Int) -> String {
    bytes % (1 << 20) == 0 ? "\(bytes >> 20) MiB" : bytes % 1024 == 0 ? "\(bytes >> 10) KiB" : "\(bytes)-byte"
  }
}

/// The answer to an upload; `near_copy_of` is always present (null or an article id) for a new article.
struct UploadResult: Encodable {
  var id: Int64
  var status: String
  var nearCopyOf: Int64?

  enum CodingKeys: String, CodingKey { case id, status, nearCopyOf }

  func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(id, forKey: .id)
    try container.encode(status, forKey: .status)
    guard status == "new" else { return }
    if let nearCopyOf {
      try container.encode(nearCopyOf, forKey: .nearCopyOf)
    } else {
      try container.encodeNil(forKey: .nearCopyOf)
    }
  }
}

/// Turns the three kinds of upload body into an article, the way `parley ingest` reads files.
enum UploadReader {
  /// Fields of a JSON upload, with the longest value accepted for each short one.
  static let jsonFields: [String: Int] = [
    "id": 200, "title": 1000, "text": Int.max, "published": 10, "outlet": 200, "url": 2000,
  ]

  static func json(_ bytes: [UInt8]) throws(APIError) -> RawArticle {
    guard !bytes.isEmpty else { throw .badRequest("empty body: send a JSON object with at least \"text\"") }
    _ = try text(bytes)
    let object: Any
    do {
      object = try JSONSerialization.jsonObject(with: Data(bytes), options: [])
    } catch {
      let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String
      throw .badRequest("malformed JSON" + (detail.map { ": \($0)" } ?? ""))
    }
    guard let fields = object as? [String: Any] else { throw .badRequest("the JSON body must be an object") }
    var record: [String: String] = [:]
    for (key, value) in fields {
      guard let limit = jsonFields[key] else {
        throw .badRequest(
          "unknown field '\(QueryParameters.clip(key))' (expected: id, outlet, published, text, title, url)")
      }
      if value is NSNull { continue }
      guard let string = value as? String else { throw .badRequest("field '\(key)' must be a string") }
      guard string.count <= limit else { throw .badRequest("field '\(key)' is longer than \(limit) characters") }
      record[key] = string
    }
    guard let text = record["text"], !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
      throw .badRequest("field 'text' is required and must not be empty")
    }
    if let published = record["published"], !QueryParameters.isPartialDate(published) {
      throw .badRequest("field 'published' must be a date YYYY, YYYY-MM or YYYY-MM-DD, not '\(published)'")
    }
    let id = try articleId(record["id"], text: text)
    record["id"] = id
    // One JSON Lines record, read exactly as a line of a .jsonl file given to `parley ingest`.
    let line: String
    do {
      let data = try JSONSerialization.data(withJSONObject: record, options: [.sortedKeys, .withoutEscapingSlashes])
      line = String(decoding: data, as: UTF8.self)
    } catch {
      throw .badRequest("the article cannot be encoded as JSON")
    }
    return try read(path: "\(id).jsonl", text: line)
  }

  /// The one `file` part of a multipart upload, read by its file name's extension.
  static func file(_ parts: [MultipartPart]) throws(APIError) -> RawArticle {
    guard let part = parts.first(where: { $0.name == "file" }) else {
      throw .badRequest("multipart upload needs a part named 'file'")
    }
    guard let given = part.filename, let name = safeName(given) else {
      throw .badRequest("the 'file' part needs a filename: its extension (.txt, .md, .html, .jsonl) decides the format")
    }
    guard let format = ArticleFormat(path: name) else {
      throw APIError(
        .unsupportedMediaType,
        "unsupported file type '\(QueryParameters.clip(name))' (expected .txt, .md, .html, .htm or .jsonl)")
    }
    guard !part.body.isEmpty else { throw .badRequest("the uploaded file is empty") }
    let content = try text(part.body)
    if format == .jsonl {
      let records = content.split(whereSeparator: \.isNewline).filter {
        !$0.trimmingCharacters(in: .whitespaces).isEmpty
      }
      guard records.count == 1 else {
        throw .badRequest("a .jsonl upload must hold exactly one record, not \(records.count)")
      }
    }
    return try read(path: name, text: content)
  }

  /// A raw text, Markdown or HTML body; `filename`, when given, must fit the content type.
  static func raw(_ bytes: [UInt8], type: String, filename: String?) throws(APIError) -> RawArticle {
    guard let format = ArticleUploads.rawTypes[type] else {
      throw APIError(.unsupportedMediaType, "unsupported content type '\(type)'")
    }
    let fallback =
      ["text": "upload.txt", "markdown": "upload.md", "html": "upload.html"][format.rawValue] ?? "upload.txt"
    var name = fallback
    if let filename {
      guard let safe = safeName(filename), ArticleFormat(path: safe) == format else {
        throw .badRequest(
          "parameter 'filename' must end in an extension for \(type) (such as \((fallback as NSString).pathExtension))")
      }
      name = safe
    }
    guard !bytes.isEmpty else { throw .badRequest("empty body: send the article's text") }
    return try read(path: name, text: text(bytes))
  }

  /// UTF-8 text without NUL bytes (the same rules as files given to `parley ingest`).
  static func text(_ bytes: [UInt8]) throws(APIError) -> String {
    guard var text = String(validating: bytes, as: UTF8.self) else {
      throw .badRequest("the body is not valid UTF-8 text")
    }
    if bytes.contains(0) { throw .badRequest("the body contains NUL bytes: binary content, not text") }
    if text.unicodeScalars.first == "\u{FEFF}" { text.unicodeScalars.removeFirst() }
    return text
  }

  private static func read(path: String, text: String) throws(APIError) -> RawArticle {
    switch ArticleReader.article(path: path, text: text) {
    case .success(let article): return article
    case .failure(let error): throw .badRequest(error.reason)
    }
  }

  /// The id given, checked to be usable in a file name, or one derived from the text so that
  /// the same text uploaded twice gets the same id.
  static func articleId(_ given: String?, text: String) throws(APIError) -> String {
    if let given {
      let allowed = given.unicodeScalars.allSatisfy {
        ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0)
          || "-_.".unicodeScalars.contains($0)
      }
      guard allowed, (1...200).contains(given.count), !given.hasPrefix(".") else {
        throw .badRequest("field 'id' must be 1 to 200 letters, digits, '-', '_' or '.'")
      }
      return given
    }
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
    return "upload-" + String(hash, radix: 16)
  }

  /// The last component of a client's file name (browsers may send a full path), or nil when
  /// nothing usable is left.
  static func safeName(_ filename: String) -> String? {
    let last = filename.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
    let trimmed = last.trimmingCharacters(in: .whitespaces)
    guard !trimmed.isEmpty, trimmed.count <= 200, trimmed != ".", trimmed != "..",
      !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
    else { return nil }
    return trimmed
  }
}

/// Runs uploads one at a time on a queue of their own: extraction takes milliseconds to seconds
/// and must not occupy the threads that answer reads.
final class Ingester: Sendable {
  /// Uploads allowed to wait; more get 503 rather than an unbounded queue.
  static let maxPending = 32

  /// Where uploads are stored; nil on a read-only server.
  private let writer: (any ArticleWriter)?
  /// The pipeline uploads are extracted with: built by `IngestPipeline` on the first upload
  /// (about a second) unless the server already loaded it at start, then shared.
  private let knowledge: KnowledgeOptions
  private let queue = DispatchQueue(label: "parley.upload", qos: .userInitiated)
  private let pending = Mutex(0)

  init(writer: (any ArticleWriter)?, knowledge: KnowledgeOptions) {
    self.writer = writer
    self.knowledge = knowledge
  }

  func ingest(_ raw: RawArticle) async throws -> IngestOutcome {
    let admitted = pending.withLock { count in
      guard count < Self.maxPending else { return false }
      count += 1
      return true
    }
    guard admitted else {
      throw APIError(
        .serviceUnavailable, "too many uploads in progress; try again shortly", headers: [.retryAfter: "5"])
    }
    defer { pending.withLock { $0 -= 1 } }
    guard let writer else { throw APIError(.forbidden, "this server is read-only: it stores no articles") }
    let knowledge = self.knowledge
    return try await withCheckedThrowingContinuation { continuation in
      queue.async {
        continuation.resume(
          with: Result {
            let preparer = try IngestPipeline.preparer(knowledge)
            return try writer.ingest(article: preparer.prepare(raw))
          })
      }
    }
  }
}
