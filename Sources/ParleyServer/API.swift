import Foundation
import Hummingbird
import ParleyModel
import ParleyStore

/// The read endpoints of `/api/v1` and the article upload; each answers JSON (see openapi.json).
struct API: Sendable {
  let store: any RecordQuerying
  let uploads: ArticleUploads
  let openAPIDocument: ByteBuffer

  typealias Handler = @Sendable (Request, BasicRequestContext) async throws -> Response

  /// Methods answered with 405 (and `Allow`) where a route exists but not for that method.
  private static let methods: [HTTPRequest.Method] = [.get, .post, .put, .patch, .delete]

  func register(on router: Router<BasicRequestContext>) {
    let api = router.group("api/v1")
    route(
      api, "openapi.json",
      get: { _, _ in
        Response(
          status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
          body: .init(byteBuffer: openAPIDocument))
      })
    route(
      api, "overview",
      get: { request, _ in
        _ = try QueryParameters(request.uri.query, allowed: [])
        return JSONResponse.make(try store.overview())
      })
    route(
      api, "articles",
      get: { request, _ in
        let query = try QueryParameters(request.uri.query, allowed: ["limit", "offset"])
        let page = try query.page()
        return Self.list(try store.articles(limit: page.limit, offset: page.offset), request)
      },
      post: { request, context in try await uploads.post(request, context: context) })
    route(
      api, "articles/:id",
      get: { request, context in
        _ = try QueryParameters(request.uri.query, allowed: [])
        let id = try Self.numericId(context, "article")
        guard let article = try store.article(id: id) else { throw APIError.notFound("no article \(id)") }
        return JSONResponse.make(article)
      })
    route(
      api, "actors",
      get: { request, _ in
        let query = try QueryParameters(request.uri.query, allowed: ["kind", "q", "limit", "offset"])
        let kind = try query.string("kind")
        if let kind, ActorKind(rawValue: kind) == nil {
          let kinds = ActorKind.allCases.map(\.rawValue).joined(separator: ", ")
          throw APIError.badRequest("parameter 'kind' must be one of \(kinds), not '\(QueryParameters.clip(kind))'")
        }
        let page = try query.page()
        return Self.list(
          try store.actors(kind: kind, query: try query.string("q"), limit: page.limit, offset: page.offset), request)
      })
    route(
      api, "actors/:id",
      get: { request, context in
        _ = try QueryParameters(request.uri.query, allowed: [])
        // Path parameters arrive still percent-encoded; actor ids are slugs, but names in links may not be.
        guard let raw = context.parameters.get("id"), let id = raw.removingPercentEncoding, !id.isEmpty else {
          throw APIError.badRequest("actor id is not valid percent-encoded text")
        }
        guard let actor = try store.actor(id: id) else {
          throw APIError.notFound("no actor '\(QueryParameters.clip(id))'")
        }
        return JSONResponse.make(actor)
      })
    route(
      api, "events",
      get: { request, _ in
        Self.list(try store.events(try Self.eventFilter(request)), request)
      })
    route(
      api, "events/:id",
      get: { request, context in
        _ = try QueryParameters(request.uri.query, allowed: [])
        let id = try Self.numericId(context, "event")
        guard let event = try store.event(id: id) else { throw APIError.notFound("no event \(id)") }
        return JSONResponse.make(event)
      })
    route(
      api, "timeline",
      get: { request, _ in
        Self.list(try store.events(try Self.eventFilter(request), withReports: true), request)
      })
    route(
      api, "plans",
      get: { request, _ in
        let query = try QueryParameters(request.uri.query, allowed: ["limit", "offset"])
        let page = try query.page(defaultLimit: 20)
        return Self.list(
          try store.plans(
            limit: page.limit, offset: page.offset, provisionsPerVersion: Self.listProvisionsPerVersion,
            articlesPerVersion: Self.listArticlesPerVersion), request)
      })
    route(
      api, "plans/:id",
      get: { request, context in
        _ = try QueryParameters(request.uri.query, allowed: [])
        let id = try Self.numericId(context, "plan")
        guard let plan = try store.plan(id: id) else {
          throw APIError.notFound("no plan \(id)")
        }
        return JSONResponse.make(plan)
      })
    route(
      api, "plans/:id/diff",
      get: { request, context in
        let query = try QueryParameters(request.uri.query, allowed: ["from", "to"])
        let id = try Self.numericId(context, "plan")
        let from = try query.optionalInt("from", in: 1...10_000)
        let to = try query.optionalInt("to", in: 1...10_000)
        guard let plan = try store.plan(id: id) else {
          throw APIError.notFound("no plan \(id)")
        }
        let count = plan.versions.count
        guard count >= 2 else { throw APIError.notFound("plan \(id) has \(count) version(s): nothing to compare") }
        for (name, rank) in [("from", from), ("to", to)] {
          if let rank, rank > count {
            throw APIError.badRequest(
              "parameter '\(name)' must be a version of plan \(id) (1 to \(count)), not \(rank)")
          }
        }
        if (to ?? count) == 1 && from == nil {
          throw APIError.badRequest("version 1 has no earlier version: give 'from' as well")
        }
        guard let diff = try store.diff(planId: id, from: from, to: to) else {
          throw APIError.notFound("no diff for plan \(id)")
        }
        return JSONResponse.make(diff)
      })
    route(
      api, "positions",
      get: { request, _ in
        let query = try QueryParameters(request.uri.query, allowed: ["plan"])
        let plan = try query.optionalInt("plan", in: Int(Int64.min)...Int(Int64.max))
        if let plan, try store.plan(id: Int64(plan)) == nil {
          throw APIError.notFound("no plan \(plan)")
        }
        return JSONResponse.make(try store.positions(planId: plan.map { Int64($0) }))
      })
    route(
      api, "sources",
      get: { request, _ in
        let query = try QueryParameters(request.uri.query, allowed: ["limit", "offset"])
        let page = try query.page()
        let sources = try store.sources(limit: Int.max)
        let start = min(page.offset, sources.count)
        return Self.list(
          Page(
            items: Array(sources[start..<min(start + page.limit, sources.count)]), total: sources.count,
            limit: page.limit, offset: page.offset), request)
      })
    route(
      api, "search",
      get: { request, _ in
        let query = try QueryParameters(request.uri.query, allowed: ["q", "limit", "offset"])
        guard let text = try query.string("q", maxLength: 500) else {
          throw APIError.badRequest("parameter 'q' (the words to search for) is required")
        }
        let page = try query.page(defaultLimit: 20)
        return Self.list(try store.search(text, limit: page.limit, offset: page.offset), request)
      })
  }

  /// Registers the handlers of `path`, and 405 for the other methods so that a wrong method is
  /// told apart from a wrong path.
  private func route(_ group: RouterGroup<BasicRequestContext>, _ path: RouterPath, get: Handler?, post: Handler? = nil)
  {
    var handlers: [HTTPRequest.Method: Handler] = [:]
    handlers[.get] = get
    handlers[.post] = post
    let allow = Self.methods.filter { handlers[$0] != nil }.map(\.rawValue).joined(separator: ", ")
    for method in Self.methods {
      if let handler = handlers[method] {
        group.on(path, method: method, use: handler)
      } else {
        group.on(path, method: method) { request, _ -> Response in
          throw APIError(
            .methodNotAllowed, "method \(request.method.rawValue) is not allowed here (allowed: \(allow))",
            headers: [.allow: allow])
        }
      }
    }
  }

  /// Filters of `/events` and `/timeline`.
  static func eventFilter(_ request: Request) throws -> EventFilter {
    let query = try QueryParameters(
      request.uri.query, allowed: ["actor", "cameo", "from", "to", "outlet", "limit", "offset"])
    let cameo = try query.string("cameo", maxLength: 4)
    if let cameo, !cameo.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) {
      throw APIError.badRequest("parameter 'cameo' must be a CAMEO code or prefix of digits (\"04\", \"042\")")
    }
    let from = try query.date("from")
    let to = try query.date("to")
    // "2025-11" as `to` covers all of November, so a `from` inside it is still in order.
    if let from, let to, from > to, !from.hasPrefix(to) {
      throw APIError.badRequest("parameter 'from' (\(from)) is after 'to' (\(to))")
    }
    let page = try query.page()
    return EventFilter(
      actor: try query.string("actor"), cameo: cameo, from: from, to: to, outlet: try query.string("outlet"),
      limit: page.limit, offset: page.offset)
  }

  static func numericId(_ context: BasicRequestContext, _ what: String) throws -> Int64 {
    let text = context.parameters.get("id") ?? ""
    guard let id = Int64(text) else {
      throw APIError.badRequest("\(what) id must be an integer, not '\(QueryParameters.clip(text))'")
    }
    return id
  }

  /// In the plans list, the provisions and article ids each version carries: a plan reported
  /// by tens of thousands of articles would otherwise make the list megabytes long.
  static let listProvisionsPerVersion = 20
  static let listArticlesPerVersion = 100

  /// The `Link` header, which HTTPTypes does not name.
  static let linkField = HTTPFields.Element.Name("Link")

  /// A page of a list as every list endpoint answers it: the items, the list's total, the page
  /// asked for and `next`, the address of the following page (null on the last), also sent as
  /// a `Link: <...>; rel="next"` header.
  static func list<T: Encodable & Sendable & Hashable & Codable>(_ page: Page<T>, _ request: Request) -> Response {
    let next =
      page.offset + page.limit < page.total
      ? nextLink(path: request.uri.path, query: request.uri.query, offset: page.offset + page.limit) : nil
    var response = JSONResponse.make(
      ListPage(items: page.items, total: page.total, limit: page.limit, offset: page.offset, next: next))
    if let next, let linkField { response.headers[linkField] = "<\(next)>; rel=\"next\"" }
    return response
  }

  /// The request's own address with `offset` moved on; the other parameters keep their
  /// spelling (already percent-encoded), so filters carry over to the next page.
  static func nextLink(path: String, query: String?, offset: Int) -> String {
    var pairs = (query ?? "").split(separator: "&", omittingEmptySubsequences: true).filter {
      $0.split(separator: "=", maxSplits: 1).first.map { String($0) } != "offset"
    }.map(String.init)
    pairs.append("offset=\(offset)")
    return path + "?" + pairs.joined(separator: "&")
  }
}

/// A page of a list as the API answers it; `next` is always present, null on the last page.
struct ListPage<Item: Encodable & Sendable>: Encodable, Sendable {
  var items: [Item]
  var total: Int
  var limit: Int
  var offset: Int
  var next: String?

  enum CodingKeys: String, CodingKey { case items, total, limit, offset, next }

  func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(items, forKey: .items)
    try container.encode(total, forKey: .total)
    try container.encode(limit, forKey: .limit)
    try container.encode(offset, forKey: .offset)
    if let next { try container.encode(next, forKey: .next) } else { try container.encodeNil(forKey: .next) }
  }
}
