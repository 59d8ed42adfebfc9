import Foundation
import ParleyStore
import Testing

@testable import ParleyServer

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// The seed record, built once and only read by these tests (uploads get stores of their own).
private let sharedSeedStore = Result { try StoreSupport.seedStore() }

/// The JSON API over HTTP against the real server: shapes, paging, filters, errors, uploads and
/// the OpenAPI document checked against real answers.
@Suite("ServerAPI")
struct ServerAPITests {
  static func seedStore() throws -> RecordStore { try sharedSeedStore.get() }

  /// Runs `body` against a server over the seed record, stopping it even when `body` throws.
  func withSeedServer(_ body: (RunningServer) async throws -> Void) async throws {
    let server = try await ServerSupport.start(store: try Self.seedStore())
    do {
      try await body(server)
    } catch {
      await server.stop()
      throw error
    }
    await server.stop()
  }

  func getJSON(
    _ server: RunningServer, _ path: String, status: Int = 200, sourceLocation: SourceLocation = #_sourceLocation
  )
    async throws -> JSONValue
  {
    let answer = try await server.get(path)
    #expect(
      answer.status == status, "\(path): \(String(decoding: answer.body, as: UTF8.self))",
      sourceLocation: sourceLocation)
    #expect(
      answer.headers["content-type"]?.hasPrefix("application/json") == true, "\(path)", sourceLocation: sourceLocation)
    return try JSONValue.parse(answer.body)
  }

  // MARK: Shapes and the OpenAPI document

  @Test("Every endpoint answers, and every answer fits the schema the OpenAPI document declares")
  func everyAnswerFitsTheOpenAPIDocument() async throws {
    try await withSeedServer { server in
      let document = try await getJSON(server, "/api/v1/openapi.json")
      #expect(document["openapi"]?.string == "3.1.0")
      let validator = OpenAPIValidator(document: document)
      #expect(validator.danglingReferences() == [])

      let articles = try await getJSON(server, "/api/v1/articles")
      let articleId = try #require(articles["items"]?[0]?["id"]?.int)
      let actors = try await getJSON(server, "/api/v1/actors")
      let actorId = try #require(actors["items"]?[0]?["id"]?.string)
      let events = try await getJSON(server, "/api/v1/events")
      let eventId = try #require(events["items"]?[0]?["id"]?.int)
      let plans = try await getJSON(server, "/api/v1/plans")
      let planItems = plans["items"]?.array ?? []
      #expect(!planItems.isEmpty, "the seeds mention plans")
      let planId = try #require(planItems.first?["id"]?.int)
      let multiVersion = planItems.first { ($0["versions"]?.array?.count ?? 0) >= 2 }?["id"]?.int

      // (template, concrete path, expected status)
      var calls: [(String, String, Int)] = [
        ("/api/v1/overview", "/api/v1/overview", 200),
        ("/api/v1/articles", "/api/v1/articles?limit=3&offset=1", 200),
        ("/api/v1/articles/{id}", "/api/v1/articles/\(articleId)", 200),
        ("/api/v1/articles/{id}", "/api/v1/articles/987654", 404),
        ("/api/v1/articles/{id}", "/api/v1/articles/first", 400),
        ("/api/v1/actors", "/api/v1/actors?kind=country", 200),
        ("/api/v1/actors", "/api/v1/actors?q=put", 200),
        ("/api/v1/actors", "/api/v1/actors?kind=alien", 400),
        ("/api/v1/actors/{id}", "/api/v1/actors/\(actorId)", 200),
        ("/api/v1/actors/{id}", "/api/v1/actors/nobody-at-all", 404),
        ("/api/v1/events", "/api/v1/events", 200),
        ("/api/v1/events", "/api/v1/events?limit=0", 400),
        ("/api/v1/events/{id}", "/api/v1/events/\(eventId)", 200),
        ("/api/v1/events/{id}", "/api/v1/events/987654", 404),
        ("/api/v1/timeline", "/api/v1/timeline?limit=20", 200),
        ("/api/v1/timeline", "/api/v1/timeline?from=2025-02-30", 400),
        ("/api/v1/plans", "/api/v1/plans", 200),
        ("/api/v1/plans/{id}", "/api/v1/plans/\(planId)", 200),
        ("/api/v1/plans/{id}", "/api/v1/plans/987654", 404),
        ("/api/v1/plans/{id}/diff", "/api/v1/plans/987654/diff", 404),
        ("/api/v1/plans/{id}/diff", "/api/v1/plans/\(planId)/diff?from=x", 400),
        ("/api/v1/positions", "/api/v1/positions", 200),
        ("/api/v1/positions", "/api/v1/positions?plan=\(planId)", 200),
        ("/api/v1/positions", "/api/v1/positions?plan=987654", 404),
        ("/api/v1/sources", "/api/v1/sources", 200),
        ("/api/v1/search", "/api/v1/search?q=ceasefire", 200),
        ("/api/v1/search", "/api/v1/search", 400),
      ]
      if let multiVersion {
        calls.append(("/api/v1/plans/{id}/diff", "/api/v1/plans/\(multiVersion)/diff", 200))
        calls.append(("/api/v1/plans/{id}/diff", "/api/v1/plans/\(multiVersion)/diff?from=1&to=2", 200))
      }
      var checked = 0
      for (template, path, status) in calls {
        let body = try await getJSON(server, path, status: status)
        let schema = try #require(validator.responseSchema(path: template, status: status), "\(template) \(status)")
        let problems = validator.validate(body, against: schema)
        #expect(problems.isEmpty, "\(path): \(problems.prefix(5).joined(separator: "; "))")
        checked += 1
      }
      #expect(checked == calls.count)
    }
  }

  @Test("The schema check fails on a renamed, missing or retyped field")
  func validatorCatchesDrift() async throws {
    try await withSeedServer { server in
      let validator = OpenAPIValidator(document: try await getJSON(server, "/api/v1/openapi.json"))
      let overview = try await getJSON(server, "/api/v1/overview")
      let schema = try #require(validator.responseSchema(path: "/api/v1/overview", status: 200))
      #expect(validator.validate(overview, against: schema) == [])
      guard case .object(var fields) = overview else {
        Issue.record("overview is not an object")
        return
      }
      let count = fields.removeValue(forKey: "near_copies")
      var renamed = fields
      renamed["nearCopies"] = count
      #expect(!validator.validate(.object(renamed), against: schema).isEmpty)
      #expect(!validator.validate(.object(fields), against: schema).isEmpty)
      fields["near_copies"] = .string("3")
      #expect(!validator.validate(.object(fields), against: schema).isEmpty)

      // Deep inside: a report field of the timeline renamed.
      let timeline = try await getJSON(server, "/api/v1/timeline?limit=1")
      let timelineSchema = try #require(validator.responseSchema(path: "/api/v1/timeline", status: 200))
      #expect(validator.validate(timeline, against: timelineSchema) == [])
      let text = String(decoding: try JSONEncoderForTests.encode(timeline), as: UTF8.self)
      let drifted = try JSONValue.parse(
        Data(text.replacingOccurrences(of: "\"article_id\"", with: "\"articleId\"").utf8))
      #expect(!validator.validate(drifted, against: timelineSchema).isEmpty)
    }
  }

  // MARK: Paging and filters

  @Test("Lists page with limit and offset, and the pages add up to the whole list")
  func pagination() async throws {
    try await withSeedServer { server in
      let overview = try await getJSON(server, "/api/v1/overview")
      let total = Int(try #require(overview["articles"]?.int))
      #expect(total == 5)
      var seen: [Int64] = []
      var offset = 0
      while offset < total {
        let page = try await getJSON(server, "/api/v1/articles?limit=2&offset=\(offset)")
        #expect(page["total"]?.int == Int64(total))
        #expect(page["limit"]?.int == 2)
        #expect(page["offset"]?.int == Int64(offset))
        let ids = page["items"]?.array?.compactMap { $0["id"]?.int } ?? []
        #expect(ids.count == min(2, total - offset))
        seen += ids
        offset += 2
      }
      #expect(Set(seen).count == total)
      let beyond = try await getJSON(server, "/api/v1/articles?offset=100")
      #expect(beyond["items"]?.array?.isEmpty == true)
      #expect(beyond["total"]?.int == Int64(total))

      let events = try await getJSON(server, "/api/v1/events?limit=500")
      let eventTotal = try #require(events["total"]?.int)
      let firstTwo = try await getJSON(server, "/api/v1/events?limit=2")
      let nextTwo = try await getJSON(server, "/api/v1/events?limit=2&offset=2")
      let all = events["items"]?.array?.compactMap { $0["id"]?.int } ?? []
      #expect(all.count == Int(min(eventTotal, 500)))
      let firstFour: [JSONValue] = Array((events["items"]?.array ?? []).prefix(4))
      let paged: [JSONValue] = (firstTwo["items"]?.array ?? []) + (nextTwo["items"]?.array ?? [])
      #expect(paged == firstFour)

      // Plans and outlets are paged too, with the same fields.
      let plans = try await getJSON(server, "/api/v1/plans?limit=1")
      #expect((plans["items"]?.array?.count ?? 0) <= 1)
      #expect(plans["limit"]?.int == 1)
      let sources = try await getJSON(server, "/api/v1/sources?limit=1&offset=1")
      #expect((sources["items"]?.array?.count ?? 0) <= 1)
      #expect(sources["offset"]?.int == 1)
    }
  }

  @Test("Event filters: CAMEO prefix, actor, dates, outlet; the timeline carries reports")
  func filters() async throws {
    try await withSeedServer { server in
      let meetings = try await getJSON(server, "/api/v1/events?cameo=04&limit=500")
      let cameos = meetings["items"]?.array?.compactMap { $0["cameo"]?.string } ?? []
      #expect(!cameos.isEmpty)
      #expect(cameos.allSatisfy { $0.hasPrefix("04") })

      let all = try await getJSON(server, "/api/v1/events?limit=500")
      let withActor = try #require(
        all["items"]?.array?.first { $0["source"]?["id"]?.string != nil })
      let actor = try #require(withActor["source"]?["id"]?.string)
      let byActor = try await getJSON(server, "/api/v1/events?limit=500&actor=\(actor)")
      let items = byActor["items"]?.array ?? []
      #expect(!items.isEmpty)
      #expect(items.allSatisfy { $0["source"]?["id"]?.string == actor || $0["target"]?["id"]?.string == actor })

      let dated = (all["items"]?.array ?? []).compactMap { $0["sort_date"]?.string }
      let day = try #require(dated.first)
      let month = String(day.prefix(7))
      let inMonth = try await getJSON(server, "/api/v1/events?limit=500&from=\(month)&to=\(month)")
      let dates = inMonth["items"]?.array?.compactMap { $0["sort_date"]?.string } ?? []
      #expect(!dates.isEmpty)
      #expect(dates.allSatisfy { $0.hasPrefix(month) })
      #expect(inMonth["total"]?.int == Int64(dated.filter { $0.hasPrefix(month) }.count))

      let outlets: [String] = (all["items"]?.array ?? []).compactMap { event in event["outlets"]?[0]?.string }
      let outlet = try #require(outlets.first)
      let byOutlet = try await getJSON(
        server,
        "/api/v1/events?limit=500&outlet=\(outlet.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? outlet)"
      )
      let outletEvents = byOutlet.list("items")
      #expect(!outletEvents.isEmpty)
      #expect(
        outletEvents.allSatisfy { event in
          event.list("outlets").contains { $0.string?.lowercased() == outlet.lowercased() }
        })

      let timeline = try await getJSON(server, "/api/v1/timeline?limit=5")
      let timelineItems = timeline["items"]?.array ?? []
      #expect(!timelineItems.isEmpty)
      #expect(timelineItems.allSatisfy { !$0.list("report_list").isEmpty })
      let plain = try await getJSON(server, "/api/v1/events?limit=5")
      #expect(plain.list("items").allSatisfy { $0.list("report_list").isEmpty })

      let countries = try await getJSON(server, "/api/v1/actors?kind=country&limit=500")
      let kinds = countries["items"]?.array?.compactMap { $0["kind"]?.string } ?? []
      #expect(!kinds.isEmpty)
      #expect(kinds.allSatisfy { $0 == "country" })

      // "+" in a query string is a space, as HTML forms send it.
      let search = try await getJSON(server, "/api/v1/search?q=Witkoff+Putin")
      #expect((search["total"]?.int ?? 0) >= 1)
      let snippet = search["items"]?[0]?["snippet"]?.string ?? ""
      #expect(snippet.contains("["))
    }
  }

  // MARK: Errors

  @Test("Bad parameters get 400 with a JSON reason naming the parameter")
  func badParameters() async throws {
    try await withSeedServer { server in
      let cases: [(String, String)] = [
        ("/api/v1/articles?limit=0", "limit"),
        ("/api/v1/articles?limit=501", "limit"),
        ("/api/v1/articles?limit=ten", "limit"),
        ("/api/v1/articles?limit=99999999999999999999999", "limit"),
        ("/api/v1/articles?offset=-1", "offset"),
        ("/api/v1/articles?limt=5", "limt"),
        ("/api/v1/articles?limit=5&limit=6", "limit"),
        ("/api/v1/overview?verbose=1", "verbose"),
        ("/api/v1/events?from=2025-13", "from"),
        ("/api/v1/events?to=2025-02-29", "to"),
        ("/api/v1/events?from=20250101", "from"),
        ("/api/v1/events?from=2025-12&to=2025-01", "from"),
        ("/api/v1/timeline?cameo=ab", "cameo"),
        ("/api/v1/timeline?cameo=04567", "cameo"),
        ("/api/v1/actors?kind=alien", "kind"),
        ("/api/v1/search", "q"),
        ("/api/v1/articles/abc", "article id"),
        ("/api/v1/events/1.5", "event id"),
        ("/api/v1/plans/1/diff?to=0", "to"),
        ("/api/v1/positions?plan=first", "plan"),
      ]
      for (path, mentioned) in cases {
        let answer = try await server.get(path)
        #expect(answer.status == 400, "\(path)")
        let body = try JSONValue.parse(answer.body)
        #expect(body["error"]?["status"]?.int == 400, "\(path)")
        let message = body["error"]?["message"]?.string ?? ""
        #expect(message.contains(mentioned), "\(path): \(message)")
      }
      // Dates that exist are fine, including a leap day and prefixes.
      for ok in ["from=2024-02-29", "from=2025", "to=2025-11", "from=2025-11-05&to=2025-11"] {
        #expect(try await server.get("/api/v1/events?\(ok)").status == 200, "\(ok)")
      }
    }
  }

  @Test("Unknown ids and routes get 404, wrong methods 405; every error is JSON")
  func notFoundAndMethods() async throws {
    try await withSeedServer { server in
      let cases: [(String, String)] = [
        ("/api/v1/articles/987654", "no article 987654"),
        ("/api/v1/events/987654", "no event 987654"),
        ("/api/v1/actors/nobody-at-all", "no actor"),
        ("/api/v1/plans/987654", "no plan 987654"),
        ("/api/v1/plans/987654/diff", "no plan 987654"),
        ("/api/v1/positions?plan=987654", "no plan 987654"),
        ("/api/v1/nothing-here", "no route"),
        ("/api/v2/overview", "no route"),
        ("/api", "no route"),
      ]
      for (path, message) in cases {
        let answer = try await server.get(path)
        #expect(answer.status == 404, "\(path)")
        #expect(answer.headers["content-type"]?.hasPrefix("application/json") == true, "\(path)")
        let body = try JSONValue.parse(answer.body)
        #expect(body["error"]?["status"]?.int == 404)
        #expect(body["error"]?["message"]?.string?.contains(message) == true, "\(path): \(body)")
      }
      let delete = try await server.request("DELETE", "/api/v1/overview")
      #expect(delete.status == 405)
      #expect(delete.headers["allow"] == "GET")
      #expect(try JSONValue.parse(delete.body)["error"]?["status"]?.int == 405)
      let put = try await server.request("PUT", "/api/v1/articles", body: Data("{}".utf8))
      #expect(put.status == 405)
      #expect(put.headers["allow"] == "GET, POST")
      // HEAD works wherever GET does, without a body.
      let head = try await server.request("HEAD", "/api/v1/overview")
      #expect(head.status == 200)
      #expect(head.body.isEmpty)
    }
  }

  @Test("Field names become snake_case; dictionary keys (outlet names) and string values keep their spelling")
  func keyConversion() throws {
    let probe = KeyProbe(
      citedBy: ["The Wall Street Journal": 2, "Reuters": 1, "TASS": 3], nearCopyOf: 7,
      quoteText: #"he said "stopMe": no, \ "x":"#, planVersions: [["innerKey": "v"]])
    let text = String(decoding: try JSONResponse.encode(probe), as: UTF8.self)
    #expect(
      text
        == #"{"cited_by":{"Reuters":1,"TASS":3,"The Wall Street Journal":2},"near_copy_of":7,"plan_versions":[{"inner_key":"v"}],"quote_text":"he said \"stopMe\": no, \\ \"x\":"}"#
    )
  }

  @Test("On real answers the key rewrite agrees with Foundation's snake_case conversion")
  func keyConversionMatchesFoundation() throws {
    let store = try Self.seedStore()
    let foundation = JSONEncoder()
    foundation.keyEncodingStrategy = .convertToSnakeCase
    func same<T: Encodable>(_ value: T) throws {
      let ours = try JSONValue.parse(Data(try JSONResponse.encode(value)))
      let theirs = try JSONValue.parse(try foundation.encode(value))
      #expect(ours == theirs)
    }
    try same(try store.events(EventFilter(limit: 500), withReports: true))
    try same(try store.articles())
    try same(try store.actors(limit: 500))
    try same(try store.plans())
    try same(try store.overview())
    let id = try #require(try store.articles().items.first?.id)
    try same(try #require(try store.article(id: id)))
  }

  // MARK: Writes

  @Test("Writes: 403 without a configured token, 401 without or with a wrong token, and nothing changes")
  func writesNeedTheToken() async throws {
    let store = try StoreSupport.seedStore()
    let article = Data(#"{"text": "Putin met Trump in Alaska on Friday to discuss a ceasefire in Ukraine."}"#.utf8)
    let before = try store.overview()

    let readOnly = try await ServerSupport.start(store: store)
    let refused = try await readOnly.post("/api/v1/articles", body: article, contentType: "application/json")
    #expect(refused.status == 403)
    let refusedBody = try JSONValue.parse(refused.body)
    #expect(refusedBody["error"]?["message"]?.string == "writes are disabled: start the server with PARLEY_TOKEN set")
    let refusedWithToken = try await readOnly.post(
      "/api/v1/articles", body: article, contentType: "application/json", headers: ["Authorization": "Bearer anything"])
    #expect(refusedWithToken.status == 403)
    await readOnly.stop()

    let server = try await ServerSupport.start(store: store, token: "correct-horse-battery-staple")
    let missing = try await server.post("/api/v1/articles", body: article, contentType: "application/json")
    #expect(missing.status == 401)
    #expect(missing.headers["www-authenticate"]?.hasPrefix("Bearer") == true)
    #expect(try JSONValue.parse(missing.body)["error"]?["status"]?.int == 401)
    for header in [
      "Bearer wrong-horse-battery-staple", "Bearer correct-horse-battery-stapl", "Bearer correct-horse-battery-staplee",
      "Basic Y29ycmVjdA==", "correct-horse-battery-staple", "Bearer",
    ] {
      let wrong = try await server.post(
        "/api/v1/articles", body: article, contentType: "application/json", headers: ["Authorization": header])
      #expect(wrong.status == 401, "\(header)")
      #expect(try JSONValue.parse(wrong.body)["error"]?["status"]?.int == 401)
    }
    await server.stop()
    #expect(try store.overview() == before)
  }

  @Test("Writes with the token: 201 for a new article, 200 for the same text again, readable at once")
  func uploadJSON() async throws {
    let store = try StoreSupport.seedStore()
    let before = try store.overview()
    let token = "correct-horse-battery-staple"
    let server = try await ServerSupport.start(store: store, token: token)
    let auth = ["Authorization": "Bearer \(token)"]
    let body = Data(
      #"""
      {"title": "Talks in Geneva", "published": "2025-11-24", "outlet": "Reuters", "url": "https://example.org/geneva",
       "id": "geneva-1",
       "text": "Ukrainian and US delegations met in Geneva on Sunday to discuss the 28-point peace plan, Reuters reported. <script>alert(1)</script>"}
      """#.utf8)
    let created = try await server.post("/api/v1/articles", body: body, contentType: "application/json", headers: auth)
    #expect(created.status == 201, "\(String(decoding: created.body, as: UTF8.self))")
    let result = try JSONValue.parse(created.body)
    let id = try #require(result["id"]?.int)
    #expect(result["status"]?.string == "new")
    #expect(result["near_copy_of"] == .null)
    #expect(created.headers["location"] == "/api/v1/articles/\(id)")

    let validator = OpenAPIValidator(document: try await getJSON(server, "/api/v1/openapi.json"))
    let createdSchema = try #require(validator.responseSchema(path: "/api/v1/articles", method: "post", status: 201))
    #expect(validator.validate(result, against: createdSchema) == [])

    let stored = try await getJSON(server, "/api/v1/articles/\(id)")
    #expect(stored["article"]?["title"]?.string == "Talks in Geneva")
    #expect(stored["article"]?["published"]?.string == "2025-11-24")
    #expect(stored["article"]?["outlet"]?.string == "Reuters")
    #expect(stored["article"]?["doc_id"]?.string == "geneva-1")
    #expect(stored["source"]?.string?.contains("<script>alert(1)</script>") == true)

    let again = try await server.post("/api/v1/articles", body: body, contentType: "application/json", headers: auth)
    #expect(again.status == 200)
    let duplicate = try JSONValue.parse(again.body)
    #expect(duplicate == .object(["id": .integer(id), "status": .string("duplicate")]))
    let duplicateSchema = try #require(validator.responseSchema(path: "/api/v1/articles", method: "post", status: 200))
    #expect(validator.validate(duplicate, against: duplicateSchema) == [])
    await server.stop()
    #expect(try store.overview().articles == before.articles + 1)
  }

  @Test("Actors carry their CAMEO sector: the code when an article gives one, else null; the schema says so")
  func actorsCarryTheirSector() async throws {
    let store = try StoreSupport.emptyStore()
    try StoreSupport.ingest(ActorSectorTests.rebels, into: store, name: "rebels.txt")
    let server = try await ServerSupport.start(store: store)
    do {
      let validator = OpenAPIValidator(document: try await getJSON(server, "/api/v1/openapi.json"))
      let detail = try await getJSON(server, "/api/v1/actors/\(ActorSectorTests.rebelId)")
      #expect(detail["actor"]?["sector"]?.string == "REB")
      let detailSchema = try #require(validator.responseSchema(path: "/api/v1/actors/{id}", status: 200))
      #expect(validator.validate(detail, against: detailSchema) == [])
      let list = try await getJSON(server, "/api/v1/actors?limit=500")
      let items = list["items"]?.array ?? []
      #expect(items.first { $0["id"]?.string == ActorSectorTests.rebelId }?["sector"]?.string == "REB")
      // An actor without a sector has the field, null: present, not left out.
      let none = items.filter { $0["id"]?.string != ActorSectorTests.rebelId }
      #expect(!none.isEmpty && none.allSatisfy { $0["sector"] == .null || $0["sector"]?.string != nil })
      #expect(none.contains { $0["sector"] == .null })
      let listSchema = try #require(validator.responseSchema(path: "/api/v1/actors", status: 200))
      #expect(validator.validate(list, against: listSchema) == [])
    } catch {
      await server.stop()
      throw error
    }
    await server.stop()
  }

  @Test("Malformed uploads get 400 (or 413, 415) with a reason, and store nothing")
  func malformedUploads() async throws {
    let store = try StoreSupport.emptyStore()
    let token = "correct-horse-battery-staple"
    let server = try await ServerSupport.start(store: store, token: token, maxBodyBytes: 4096)
    let auth = ["Authorization": "Bearer \(token)"]
    let cases: [(Data, String?, Int, String)] = [
      (Data(#"{"text": "unterminated"#.utf8), "application/json", 400, "malformed JSON"),
      (Data("[1, 2]".utf8), "application/json", 400, "must be an object"),
      (Data(#"{"title": "no text"}"#.utf8), "application/json", 400, "'text' is required"),
      (Data(#"{"text": "   "}"#.utf8), "application/json", 400, "'text' is required"),
      (Data(#"{"text": 42}"#.utf8), "application/json", 400, "'text' must be a string"),
      (Data(#"{"text": "a", "body": "b"}"#.utf8), "application/json", 400, "unknown field 'body'"),
      (Data(#"{"text": "a", "published": "24 Nov 2025"}"#.utf8), "application/json", 400, "'published'"),
      (Data(#"{"text": "a", "id": "../../etc/passwd"}"#.utf8), "application/json", 400, "'id'"),
      (Data(#"{"text": "a\u0000b"}"#.utf8), "application/json", 400, "NUL"),
      (Data(), "application/json", 400, "empty body"),
      (Data([0x66, 0x6f, 0xff, 0xfe, 0x6f]), "text/plain", 400, "UTF-8"),
      (Data("hello".utf8), "application/pdf", 415, "unsupported content type"),
      (Data("hello".utf8), nil, 415, "missing Content-Type"),
      (Data("hello".utf8), "text/plain; charset=latin1", 415, "UTF-8"),
      (Data(repeating: UInt8(ascii: "a"), count: 5000), "text/plain", 413, "4 KiB"),
    ]
    for (body, type, status, reason) in cases {
      let answer = try await server.post("/api/v1/articles", body: body, contentType: type, headers: auth)
      #expect(answer.status == status, "\(reason): \(String(decoding: answer.body, as: UTF8.self))")
      let error = try JSONValue.parse(answer.body)["error"]
      #expect(error?["status"]?.int == Int64(status))
      #expect(error?["message"]?.string?.contains(reason) == true, "\(reason): \(error?.description ?? "")")
    }
    let filenameMismatch = try await server.post(
      "/api/v1/articles?filename=a.html", body: Data("text".utf8), contentType: "text/plain", headers: auth)
    #expect(filenameMismatch.status == 400)
    await server.stop()
    #expect(try store.overview().articles == 0)
  }

  @Test("A body over the limit gets 413 even without Content-Length checks passing first")
  func oversizeDefaultLimit() async throws {
    let server = try await ServerSupport.start(store: try StoreSupport.emptyStore(), token: "t0ken-t0ken-t0ken")
    let body = Data(repeating: UInt8(ascii: "x"), count: (8 << 20) + 1)
    let answer = try await server.post(
      "/api/v1/articles", body: body, contentType: "text/plain", headers: ["Authorization": "Bearer t0ken-t0ken-t0ken"])
    #expect(answer.status == 413)
    #expect(try JSONValue.parse(answer.body)["error"]?["message"]?.string?.contains("8 MiB") == true)
    await server.stop()
  }

  @Test("Uploads as multipart/form-data and as raw Markdown are stored under their file names")
  func uploadFiles() async throws {
    let store = try StoreSupport.emptyStore()
    let token = "correct-horse-battery-staple"
    let server = try await ServerSupport.start(store: store, token: token)
    let auth = ["Authorization": "Bearer \(token)"]
    let boundary = "----ParleyTestBoundary7MA4YWxkTrZu0gW"
    let article = "date 2025-11-20\nZelensky met Witkoff in Kyiv on Thursday to discuss the peace plan.\n"
    var form = "preamble to ignore\r\n--\(boundary)\r\n"
    form += "Content-Disposition: form-data; name=\"note\"\r\n\r\nnot the file\r\n"
    form += "--\(boundary)\r\n"
    form += "Content-Disposition: form-data; name=\"file\"; filename=\"C:\\\\reports\\\\kyiv.txt\"\r\n"
    form += "Content-Type: text/plain\r\n\r\n\(article)\r\n--\(boundary)--\r\n"
    let created = try await server.post(
      "/api/v1/articles", body: Data(form.utf8), contentType: "multipart/form-data; boundary=\"\(boundary)\"",
      headers: auth)
    #expect(created.status == 201, "\(String(decoding: created.body, as: UTF8.self))")
    let id = try #require(try JSONValue.parse(created.body)["id"]?.int)
    let stored = try #require(try store.article(id: id))
    #expect(stored.article.path == "kyiv.txt")
    #expect(stored.article.published == "2025-11-20")
    #expect(stored.source == article)

    func multipart(_ name: String, _ content: String, close: Bool = true) -> Data {
      var s =
        "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(name)\"\r\n\r\n\(content)\r\n"
      s += close ? "--\(boundary)--\r\n" : ""
      return Data(s.utf8)
    }
    let type = "multipart/form-data; boundary=\(boundary)"
    let twoRecords = try await server.post(
      "/api/v1/articles", body: multipart("feed.jsonl", "{\"text\": \"a\"}\n{\"text\": \"b\"}"), contentType: type,
      headers: auth)
    #expect(twoRecords.status == 400)
    let unclosed = try await server.post(
      "/api/v1/articles", body: multipart("a.txt", "text", close: false), contentType: type, headers: auth)
    #expect(unclosed.status == 400)
    #expect(try JSONValue.parse(unclosed.body)["error"]?["message"]?.string?.contains("final boundary") == true)
    let pdf = try await server.post(
      "/api/v1/articles", body: multipart("a.pdf", "text"), contentType: type, headers: auth)
    #expect(pdf.status == 415)
    let noBoundary = try await server.post(
      "/api/v1/articles", body: multipart("a.txt", "text"), contentType: "multipart/form-data", headers: auth)
    #expect(noBoundary.status == 400)
    let oneRecord = try await server.post(
      "/api/v1/articles",
      body: multipart("feed.jsonl", #"{"id": "kyiv-2", "title": "Kyiv", "text": "Umerov met Driscoll in Abu Dhabi."}"#),
      contentType: type, headers: auth)
    #expect(oneRecord.status == 201)

    let markdown = "# Talks\n\nRubio met Yermak in Geneva on 23 November 2025 to revise the plan.\n"
    let md = try await server.post(
      "/api/v1/articles?filename=geneva.md", body: Data(markdown.utf8), contentType: "text/markdown; charset=utf-8",
      headers: auth)
    #expect(md.status == 201)
    let mdId = try #require(try JSONValue.parse(md.body)["id"]?.int)
    #expect(try store.article(id: mdId)?.article.path == "geneva.md")
    #expect(try store.article(id: mdId)?.format == "markdown")
    await server.stop()
    #expect(try store.overview().articles == 3)
  }
}

/// Field names, a dictionary of data keys and a string that looks like a key, to see how the API encoder treats them.
private struct KeyProbe: Encodable {
  var citedBy: [String: Int]
  var nearCopyOf: Int
  var quoteText: String
  var planVersions: [[String: String]]
}

/// Re-encodes a parsed value so a test can tamper with its text.
private enum JSONEncoderForTests {
  static func encode(_ value: JSONValue) throws -> Data {
    try JSONSerialization.data(withJSONObject: foundation(value), options: [.sortedKeys])
  }

  private static func foundation(_ value: JSONValue) -> Any {
    switch value {
    case .null: return NSNull()
    case .bool(let b): return b
    case .integer(let i): return i
    case .number(let d): return d
    case .string(let s): return s
    case .array(let a): return a.map(foundation)
    case .object(let o): return o.mapValues(foundation)
    }
  }
}

/// The multipart reader and the small checks behind the API, without a server.
@Suite("ServerAPI units")
struct ServerAPIUnitTests {
  let boundary = "XyZ"

  @Test("Boundaries: quoted or not, missing, too long")
  func boundaries() throws {
    #expect(try Multipart.boundary(contentType: "multipart/form-data; boundary=XyZ") == "XyZ")
    #expect(try Multipart.boundary(contentType: "Multipart/Form-Data; charset=utf-8; BOUNDARY=\"a b;c\"") == "a b;c")
    #expect(throws: MultipartError.self) { try Multipart.boundary(contentType: "multipart/form-data") }
    #expect(throws: MultipartError.self) { try Multipart.boundary(contentType: "multipart/form-data; boundary=") }
    #expect(throws: MultipartError.self) {
      try Multipart.boundary(contentType: "multipart/form-data; boundary=\(String(repeating: "x", count: 71))")
    }
    #expect(throws: MultipartError.self) { try Multipart.boundary(contentType: "text/plain; boundary=x") }
  }

  @Test("Parts with CRLF, a preamble, an epilogue, and content that looks like a boundary")
  func parts() throws {
    let body =
      "ignored preamble\r\n--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\none\r\n--XyZ-not-quite\r\n"
      + "--XyZ  \r\ncontent-disposition: form-data; name=\"file\"; filename=\"x \\\"y\\\".txt\"\r\n"
      + "Content-Type: text/plain\r\n\r\n\r\n--XyZ--\r\nepilogue"
    let parts = try Multipart.parse(Array(body.utf8), boundary: boundary)
    #expect(parts.count == 2)
    #expect(parts[0].name == "a")
    #expect(String(decoding: parts[0].body, as: UTF8.self) == "one\r\n--XyZ-not-quite")
    #expect(parts[1].name == "file")
    #expect(parts[1].filename == "x \"y\".txt")
    #expect(parts[1].headers["content-type"] == "text/plain")
    #expect(parts[1].body.isEmpty)
  }

  @Test("Bare LF line ends and RFC 5987 file names are read")
  func lenientInput() throws {
    let body =
      "--XyZ\nContent-Disposition: form-data; name=file; filename=\"a.txt\"; filename*=UTF-8''%C3%A9t%C3%A9.txt\n\nbody\n--XyZ--"
    let parts = try Multipart.parse(Array(body.utf8), boundary: boundary)
    #expect(parts.count == 1)
    #expect(parts[0].name == "file")
    #expect(parts[0].filename == "été.txt")
    #expect(parts[0].body == Array("body".utf8))
  }

  @Test("Broken bodies are refused with a reason")
  func brokenBodies() {
    let cases: [(String, String)] = [
      ("--XyZ\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\ntext", "final boundary"),
      ("--XyZ\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\ntext\r\n--XyZ\r\n", "final boundary"),
      ("--XyZ\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\ntext\r\n--XyZ", "final boundary"),
      ("no boundary anywhere", "does not contain the boundary"),
      ("--XyZ--\r\n", "no parts"),
      ("--XyZ\r\nno colon here\r\n\r\nx\r\n--XyZ--", "no colon"),
      ("--XyZ\r\nContent-Disposition: form-data; name=\"file\"", "inside a part's headers"),
      ("--XyZgarbage\r\n\r\nx\r\n--XyZ--", "malformed multipart delimiter"),
      ("", "does not contain the boundary"),
    ]
    for (body, reason) in cases {
      do {
        _ = try Multipart.parse(Array(body.utf8), boundary: boundary)
        Issue.record("accepted: \(body)")
      } catch {
        #expect(error.description.contains(reason), "\(body): \(error)")
      }
    }
    let hugeHeaders = "--XyZ\r\nX-Big: " + String(repeating: "h", count: 20_000) + "\r\n\r\nx\r\n--XyZ--"
    #expect(throws: MultipartError.self) { try Multipart.parse(Array(hugeHeaders.utf8), boundary: boundary) }
  }

  @Test("Dates: real days only; query strings decode + and %")
  func queryChecks() throws {
    for ok in ["2025", "2025-11", "2025-11-30", "2024-02-29", "2000-02-29"] {
      #expect(QueryParameters.isPartialDate(ok), "\(ok)")
    }
    for bad in [
      "25", "2025-1", "2025-00", "2025-13", "2025-11-31", "2023-02-29", "1900-02-29", "2025-11-1x", "2025/11", "+2025",
    ] {
      #expect(!QueryParameters.isPartialDate(bad), "\(bad)")
    }
    let query = try QueryParameters("q=Putin+Trump%21&limit=&offset=3", allowed: ["q", "limit", "offset"])
    #expect(try query.string("q") == "Putin Trump!")
    let page = try query.page()
    #expect(page.limit == 50)
    #expect(page.offset == 3)
    // URLSession re-encodes a stray "%", so malformed escapes are checked here, not over HTTP.
    #expect(throws: APIError.self) { try QueryParameters("q=%zz", allowed: ["q"]) }
  }

  @Test("Token comparison: equal only for the same bytes, whatever the length")
  func tokens() {
    let secret = Array("s3cret-token".utf8)
    #expect(ArticleUploads.constantTimeEquals(secret, secret))
    #expect(!ArticleUploads.constantTimeEquals(Array("s3cret-tokem".utf8), secret))
    #expect(!ArticleUploads.constantTimeEquals(Array("s3cret-token!".utf8), secret))
    #expect(!ArticleUploads.constantTimeEquals(Array("s3cret".utf8), secret))
    #expect(!ArticleUploads.constantTimeEquals([], secret))
  }

  @Test("Uploaded file names lose their folders; unusable names are refused")
  func fileNames() {
    #expect(UploadReader.safeName("C:\\Users\\me\\a.txt") == "a.txt")
    #expect(UploadReader.safeName("../../etc/passwd.md") == "passwd.md")
    #expect(UploadReader.safeName("..") == nil)
    #expect(UploadReader.safeName("a/") == "a")
    #expect(UploadReader.safeName("bad\u{0}name.txt") == nil)
    #expect(UploadReader.safeName("") == nil)
  }
}

/// `parley serve` as a process: it listens, answers, and stops cleanly on SIGTERM and SIGINT.
@Suite("ServerAPI serve command")
struct ServerAPIServeCommandTests {
  @Test("SIGTERM and SIGINT stop the server cleanly (exit 0)", arguments: ["TERM", "INT"])
  func gracefulShutdown(signal: String) async throws {
    let folder = try Support.temporaryDirectory()
    let seed = Support.seedsDirectory.appendingPathComponent("000_cbc9ba264e00569e.txt").path
    let serve = try await Self.start(
      ["--db", folder.appendingPathComponent("record.sqlite").path, "--ingest", seed],
      environment: ["PARLEY_TOKEN": "a-token-long-enough-1234"])
    let (process, log, text) = (serve.process, serve.log, serve.text)
    defer { if process.isRunning { process.terminate() } }
    #expect(text.contains("writes enabled"))
    let port = try #require(serve.port, "\(text)")
    let (data, response) = try await URLSession.shared.data(
      from: try #require(URL(string: "http://127.0.0.1:\(port)/api/v1/overview")))
    #expect((response as? HTTPURLResponse)?.statusCode == 200)
    #expect(try JSONValue.parse(data)["articles"]?.int == 1)

    if signal == "TERM" { process.terminate() } else { process.interrupt() }
    #expect(await ParleyProcess.wait(process, seconds: 20))
    #expect(process.terminationReason == .exit)
    #expect(process.terminationStatus == 0)
    #expect(try String(contentsOf: log, encoding: .utf8).contains("parley: server stopped"))
  }

  /// A running `parley serve --port 0 ARGUMENTS`, with `environment` added to this process's,
  /// once it serves (or has ended): its log (standard output and error), the log's text then,
  /// and the port it listens on (nil when it did not start).
  static func start(_ arguments: [String], environment: [String: String]) async throws -> (
    process: Process, log: URL, text: String, port: Int?
  ) {
    let log = try Support.temporaryDirectory().appendingPathComponent("serve.log")
    let process = try ParleyProcess.start(
      try ParleyProcess.executable(), ["serve", "--port", "0"] + arguments, log: log,
      environment: ProcessInfo.processInfo.environment.merging(environment) { _, new in new })
    _ = await ParleyProcess.waitFor(process, log: log, containing: "parley: serving", timeout: 120)
    let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
    // "parley: serving WHERE at http://127.0.0.1:PORT/ ..."; WHERE may hold a host and port of its own.
    let port = text.split(separator: "\n").first { $0.contains("parley: serving") }
      .flatMap { $0.split(separator: " at http://").dropFirst().first }
      .flatMap { $0.split(separator: ":").dropFirst().first }
      .flatMap { Int($0.prefix { $0.isNumber }) }
    return (process, log, text, port)
  }
}
