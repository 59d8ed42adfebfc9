import Foundation
import Hummingbird
import ParleyStore
import Testing

@testable import ParleyServer

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// The seed record, built once and only read by the paging tests.
private let pagingSeedStore = Result { try StoreSupport.seedStore() }

/// Every list endpoint pages the same way (`limit`, `offset`, `next`), and every data answer
/// carries validators that turn a repeated request for an unchanged record into a 304.
@Suite("Paging and caching")
struct PagingAndCachingTests {
  /// Each list endpoint with a query that keeps pages small, and how its items are told apart.
  static let lists: [(path: String, key: String)] = [
    ("/api/v1/articles?limit=2", "id"), ("/api/v1/actors?limit=7", "id"), ("/api/v1/events?limit=9", "id"),
    ("/api/v1/timeline?limit=9&cameo=0", "id"), ("/api/v1/plans?limit=1", "id"), ("/api/v1/sources?limit=3", "outlet"),
    ("/api/v1/search?q=ceasefire&limit=1", "article.id"),
  ]

  func json(_ answer: HTTPResult) throws -> JSONValue { try JSONValue.parse(answer.body) }

  @Test("Following `next` from the first page visits every item once; the Link header says the same")
  func followingNextCoversTheList() async throws {
    let server = try await ServerSupport.start(store: try pagingSeedStore.get())
    do {
      var multiPage = 0
      for (start, key) in Self.lists {
        var path: String? = start
        var seen: [String] = []
        var total: Int64?
        var pages = 0
        while let current = path, pages < 200 {
          let answer = try await server.get(current)
          #expect(answer.status == 200, "\(current)")
          let page = try json(answer)
          total = total ?? page["total"]?.int
          #expect(page["total"]?.int == total, "\(current): the total is the same on every page")
          // Items are told apart by a scalar field, reached through `.` for nested objects.
          let values = (page["items"]?.array ?? []).map { item in
            key.split(separator: ".").reduce(Optional(item)) { value, name in value?[String(name)] }
          }
          #expect(values.allSatisfy { $0?.int != nil || $0?.string != nil }, "\(current): items without '\(key)'")
          seen += values.compactMap { $0?.description }
          let next = page["next"]?.string
          #expect(page["next"] != nil, "\(current): `next` is always present, null on the last page")
          #expect(answer.headers["link"] == next.map { "<\($0)>; rel=\"next\"" }, "\(current)")
          path = next
          pages += 1
        }
        let count = try #require(total, "\(start)")
        #expect(seen.count == Int(count), "\(start): \(seen.count) items over \(pages) pages, total \(count)")
        #expect(Set(seen).count == seen.count, "\(start): an item appeared twice")
        if pages > 1 { multiPage += 1 }
      }
      #expect(multiPage >= 4, "the seed record should fill several pages of most lists")
      // Filters carry over to the next page, with the offset moved on.
      let filtered = try json(try await server.get("/api/v1/timeline?cameo=0&limit=1"))
      let next = try #require(filtered["next"]?.string)
      #expect(next == "/api/v1/timeline?cameo=0&limit=1&offset=1")
      let second = try json(try await server.get("/api/v1/timeline?cameo=0&limit=1&offset=1"))
      #expect(second["next"]?.string == "/api/v1/timeline?cameo=0&limit=1&offset=2")
      // The plans list has a smaller default page; a page past the end is empty with no next.
      let plans = try json(try await server.get("/api/v1/plans"))
      #expect(plans["limit"]?.int == 20)
      let beyond = try json(try await server.get("/api/v1/articles?offset=100"))
      #expect(beyond["items"]?.array?.isEmpty == true)
      #expect(beyond["next"] == .null)
    } catch {
      await server.stop()
      throw error
    }
    await server.stop()
  }

  @Test("A plan in a list carries its first provisions and articles, with the counts of all of them")
  func planListsAreCapped() throws {
    let store = try pagingSeedStore.get()
    let full = try store.plans()
    let capped = try store.plans(limit: 50, offset: 0, provisionsPerVersion: 1, articlesPerVersion: 1)
    #expect(capped.total == full.count)
    #expect(capped.items.map(\.id) == full.map(\.id))
    let versions = capped.items.flatMap(\.versions)
    let fullVersions = Dictionary(uniqueKeysWithValues: full.flatMap(\.versions).map { ($0.id, $0) })
    #expect(!versions.isEmpty)
    for v in versions {
      let whole = try #require(fullVersions[v.id])
      #expect(v.provisions.count <= 1)
      #expect(v.articles.count <= 1)
      #expect(v.provisionCount == whole.provisions.count, "version \(v.id)")
      #expect(v.articleCount == whole.articles.count, "version \(v.id)")
      #expect(v.provisions.map(\.id) == Array(whole.provisions.prefix(1)).map(\.id))
    }
    // The seeds' 28-point version is reported by three articles with many terms: the cap bites.
    #expect(versions.contains { $0.provisionCount > 1 && $0.articleCount > 1 })
    // `parley plans` lists a few articles per version (a version of a busy record has thousands).
    let listed = try store.plans(articlesPerVersion: 1).flatMap(\.versions)
    #expect(listed.map(\.id) == full.flatMap(\.versions).map(\.id))
    for v in listed {
      let whole = try #require(fullVersions[v.id])
      #expect(v.articles == Array(whole.articles.prefix(1)), "version \(v.id)")
      #expect(v.articleCount == whole.articles.count, "version \(v.id)")
    }
  }

  @Test("Pages and API answers carry an ETag and Last-Modified and answer 304 while the record is unchanged")
  func notModified() async throws {
    let store = try StoreSupport.seedStore()
    let token = "a-token-long-enough-for-tests"
    // Last-Modified is withheld during the second of the last change; let that second pass.
    try await Task.sleep(for: .milliseconds(1100))
    let server = try await ServerSupport.start(store: store, token: token)
    var lastTag = ""
    do {
      for path in ["/api/v1/overview", "/api/v1/timeline?limit=5", "/", "/timeline", "/plans", "/actors"] {
        let first = try await server.get(path)
        #expect(first.status == 200, "\(path)")
        let etag = try #require(first.headers["etag"], "\(path) has no ETag")
        let modified = try #require(first.headers["last-modified"], "\(path) has no Last-Modified")
        #expect(first.headers["cache-control"] == "no-cache", "\(path)")
        #expect(HTTPDate.parse(modified) != nil, "\(path): \(modified)")

        let same = try await server.get(path, headers: ["If-None-Match": etag])
        #expect(same.status == 304, "\(path)")
        #expect(same.body.isEmpty)
        #expect(same.headers["etag"] == etag)
        #expect(try await server.get(path, headers: ["If-None-Match": "W/\(etag)"]).status == 304, "\(path)")
        #expect(try await server.get(path, headers: ["If-None-Match": "\"other\", \(etag)"]).status == 304)
        #expect(try await server.get(path, headers: ["If-None-Match": "\"other\""]).status == 200, "\(path)")
        #expect(try await server.get(path, headers: ["If-Modified-Since": modified]).status == 304, "\(path)")
        let earlier = try #require(HTTPDate.parse(modified)) - 1
        #expect(
          try await server.get(path, headers: ["If-Modified-Since": HTTPDate.format(earlier)]).status == 200, "\(path)")
        // If-None-Match decides when both are sent.
        #expect(
          try await server.get(path, headers: ["If-None-Match": "\"other\"", "If-Modified-Since": modified]).status
            == 200)
      }
      // Errors carry no validators.
      let missing = try await server.get("/api/v1/events/987654")
      #expect(missing.status == 404)
      #expect(missing.headers["etag"] == nil)

      // A new article changes the record: the old validators no longer match.
      let before = try await server.get("/api/v1/overview")
      let etag = try #require(before.headers["etag"])
      let modified = try #require(before.headers["last-modified"])
      let posted = try await server.post(
        "/api/v1/articles",
        body: Data("date 2025-06-20\n\nWitkoff met Putin in Moscow on Friday, according to Reuters.\n".utf8),
        contentType: "text/plain", headers: ["Authorization": "Bearer \(token)"])
      #expect(posted.status == 201)
      let after = try await server.get("/api/v1/overview", headers: ["If-None-Match": etag])
      #expect(after.status == 200)
      #expect(after.headers["etag"] != nil && after.headers["etag"] != etag)
      #expect(try await server.get("/api/v1/overview", headers: ["If-Modified-Since": modified]).status == 200)
      lastTag = after.headers["etag"] ?? ""
      #expect(try await server.get("/api/v1/overview", headers: ["If-None-Match": lastTag]).status == 304)
    } catch {
      await server.stop()
      throw error
    }
    await server.stop()

    // Another server over the same record may render differently (new code, other models): no 304 from its tags.
    let restarted = try await ServerSupport.start(store: store)
    let replay = try await restarted.get("/api/v1/overview", headers: ["If-None-Match": lastTag])
    await restarted.stop()
    #expect(replay.status == 200)
    #expect(replay.headers["etag"] != nil && replay.headers["etag"] != lastTag)
  }

  @Test("HTTP dates: IMF-fixdate written and read back; other forms are ignored")
  func httpDates() {
    #expect(HTTPDate.format(784_111_777) == "Sun, 06 Nov 1994 08:49:37 GMT")
    #expect(HTTPDate.parse("Sun, 06 Nov 1994 08:49:37 GMT") == 784_111_777)
    #expect(HTTPDate.format(0) == "Thu, 01 Jan 1970 00:00:00 GMT")
    for seconds: Int64 in [951_782_400, 1_709_210_096, 4_102_444_799] {
      #expect(HTTPDate.parse(HTTPDate.format(seconds)) == seconds)
    }
    #expect(HTTPDate.parse("Sunday, 06-Nov-94 08:49:37 GMT") == nil)
    #expect(HTTPDate.parse("Sun Nov  6 08:49:37 1994") == nil)
    #expect(HTTPDate.parse("Sun, 06 Nov 1994 25:49:37 GMT") == nil)
    #expect(HTTPDate.parse("") == nil)
  }

  @Test("Last-Modified waits for the second of the last change to end")
  func lastModifiedWithinTheSecond() {
    let stamp = RecordStamp(changes: 3, modified: 1_000.4)
    #expect(ConditionalGetMiddleware<BasicRequestContext>.lastModified(stamp, now: 1_000.9) == nil)
    #expect(ConditionalGetMiddleware<BasicRequestContext>.lastModified(stamp, now: 1_001.0) == 1_000)
    #expect(
      ConditionalGetMiddleware<BasicRequestContext>.lastModified(RecordStamp(changes: 3, modified: nil), now: 5) == nil)
  }

  @Test("The change counter grows with each new article and not with a duplicate")
  func changeCounter() throws {
    let store = try StoreSupport.emptyStore()
    let empty = try store.stamp()
    let text = "date 2025-06-20\n\nWitkoff met Putin in Moscow on Friday, according to Reuters.\n"
    try StoreSupport.ingest(text, into: store)
    let one = try store.stamp()
    try StoreSupport.ingest(text, into: store, name: "again.txt")
    let duplicate = try store.stamp()
    #expect(one.changes == empty.changes + 1)
    #expect(duplicate == one)
    #expect((one.modified ?? 0) >= (empty.modified ?? 0))
  }
}
