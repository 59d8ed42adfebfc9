import Foundation
import Hummingbird
import ParleyStore

/// The HTML pages of the web app and their static files.
public enum WebPages {
  /// Adds the pages and `/static/...` to `router`.
  public static func register(
    on router: Router<BasicRequestContext>, store: any RecordQuerying, conflicts: [ConflictModel] = []
  ) throws {
    let pages = try PageRenderer(store: store, conflicts: conflicts)
    let files = try StaticFiles.bundled()
    router.add(middleware: PageErrorMiddleware(pages: pages))

    router.get("/") { _, _ in html(try pages.overview()) }
    router.get("/timeline") { request, _ in html(try pages.timeline(query(request))) }
    router.get("/events/:id") { _, context in
      try found(context.parameters.get("id").flatMap { Int64($0) }.flatMap { try pages.event(id: $0) }, pages, "event")
    }
    router.get("/actors") { request, _ in html(try pages.actors(query(request))) }
    router.get("/actors/:id") { _, context in
      let id = context.parameters.get("id").map(Links.decodePathComponent)
      return try found(try id.flatMap { try pages.actor(id: $0) }, pages, "actor")
    }
    router.get("/articles") { request, _ in html(try pages.articles(query(request))) }
    router.get("/articles/:id") { _, context in
      try found(
        context.parameters.get("id").flatMap { Int64($0) }.flatMap { try pages.article(id: $0) }, pages, "article")
    }
    router.get("/plans") { request, _ in html(try pages.plans(query(request))) }
    router.get("/plans/:id") { _, context in
      try found(context.parameters.get("id").flatMap { Int64($0) }.flatMap { try pages.plan(id: $0) }, pages, "plan")
    }
    router.get("/plans/:id/conflict") { _, context in
      try found(
        context.parameters.get("id").flatMap { Int64($0) }.flatMap { try pages.draftedConflict(planId: $0) }, pages,
        "plan")
    }
    router.get("/plans/:id/conflict.yaml") { _, context in
      guard let id = context.parameters.get("id").flatMap({ Int64($0) }),
        let yaml = try pages.draftedConflictYAML(planId: id)
      else {
        return html(try pages.notFound("The record has no such plan, or nothing to model in it."), status: .notFound)
      }
      return Response(
        status: .ok,
        // Plain text, so a browser shows the draft instead of downloading it; `curl -o` saves it as it is.
        headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-cache"],
        body: ResponseBody(byteBuffer: ByteBuffer(string: yaml)))
    }
    router.get("/conflicts") { _, _ in html(try pages.conflictList()) }
    router.get("/conflicts/:n") { _, context in
      try found(
        context.parameters.get("n").flatMap { Int($0) }.flatMap { try pages.conflict(number: $0) }, pages,
        "conflict model")
    }
    router.get("/search") { request, _ in html(try pages.search(query(request))) }
    router.get("/static/:file") { request, context in
      guard let name = context.parameters.get("file"), let file = files.files[name] else {
        return html(try pages.notFound("There is no such file."), status: .notFound)
      }
      return file.response(ifNoneMatch: request.headers[.ifNoneMatch])
    }
  }

  static func query(_ request: Request) -> [String: String] {
    Links.parseQuery(request.uri.query)
  }

  static func html(_ page: String, status: HTTPResponse.Status = .ok) -> Response {
    Response(
      status: status,
      headers: [
        .contentType: "text/html; charset=utf-8",
        // Pages change whenever an article is ingested; the browser must ask again.
        .cacheControl: "no-cache",
      ],
      body: ResponseBody(byteBuffer: ByteBuffer(string: page)))
  }

  /// The page, or the 404 page naming what was not found.
  static func found(_ page: String?, _ pages: PageRenderer, _ what: String) throws -> Response {
    if let page { return html(page) }
    return html(try pages.notFound("The record has no such \(what)."), status: .notFound)
  }
}

/// Answers unknown addresses and failures outside `/api/` with an HTML page in the site's
/// layout instead of an empty body; the API keeps its JSON errors.
struct PageErrorMiddleware<Context: RequestContext>: RouterMiddleware {
  let pages: PageRenderer

  func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
    -> Response
  {
    let path = request.uri.path
    guard path != "/api", !path.hasPrefix("/api/") else { return try await next(request, context) }
    do {
      return try await next(request, context)
    } catch let error as any HTTPResponseError {
      guard error.status == .notFound else { throw error }
      return WebPages.html(try pages.notFound("There is no page at this address."), status: .notFound)
    } catch {
      // The details go to the log; the reader gets no internals.
      context.logger.error("page failed", metadata: ["error": "\(error)", "path": "\(path)"])
      return WebPages.html(
        try pages.failure("The page could not be made. The server log has the details."),
        status: .internalServerError)
    }
  }
}

/// The files under `/static/`, read once at start-up (they are few and small).
struct StaticFiles: Sendable {
  struct File: Sendable {
    var body: ByteBuffer
    var contentType: String
    var etag: String

    func response(ifNoneMatch: String?) -> Response {
      var headers: HTTPFields = [
        .contentType: contentType,
        // An hour keeps pages fast; the ETag makes the later check cheap after a deploy.
        .cacheControl: "public, max-age=3600",
        .eTag: etag,
      ]
      if let ifNoneMatch,
        ifNoneMatch.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == etag })
      {
        headers[.contentType] = nil
        return Response(status: .notModified, headers: headers)
      }
      headers[.contentLength] = String(body.readableBytes)
      return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: body))
    }
  }

  var files: [String: File]

  static let contentTypes = [
    "css": "text/css; charset=utf-8", "svg": "image/svg+xml", "js": "text/javascript; charset=utf-8",
    "png": "image/png", "ico": "image/x-icon", "txt": "text/plain; charset=utf-8",
  ]

  static func bundled() throws -> StaticFiles {
    guard let directory = Bundle.module.url(forResource: "static", withExtension: nil) else {
      throw PageError.missingResource("static")
    }
    return try load(directory)
  }

  static func load(_ directory: URL) throws -> StaticFiles {
    var files: [String: File] = [:]
    for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) where !name.hasPrefix(".") {
      let data = try Data(contentsOf: directory.appendingPathComponent(name))
      let ext = name.split(separator: ".").last.map { String($0).lowercased() } ?? ""
      files[name] = File(
        body: ByteBuffer(bytes: data), contentType: contentTypes[ext] ?? "application/octet-stream",
        etag: "\"\(fnv1a(data))\"")
    }
    return StaticFiles(files: files)
  }

  /// A content hash for the ETag: FNV-1a is enough to notice a changed file and needs no crypto.
  static func fnv1a(_ data: Data) -> String {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in data {
      hash ^= UInt64(byte)
      hash = hash &* 0x100_0000_01b3
    }
    return String(hash, radix: 16)
  }
}
