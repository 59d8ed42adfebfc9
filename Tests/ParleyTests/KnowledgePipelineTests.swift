import Foundation
import ParleyStore
import ParleyText
import Testing

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// `--kb` files reach every way into the record: `parley ingest`, `serve --ingest` and uploads
/// all take their pipeline from `IngestPipeline`.
@Suite("Knowledge pipeline")
struct KnowledgePipelineTests {
  /// An envoy no bundled file knows, with a name that has nothing a shape-based guess could use.
  static let knowledgeBase = """
    {"entities": [
      {"id": "valdmure-oskarine", "name": "Valdmure Oskarine", "kind": "person", "affiliation": "HUN", "role": "envoy"}
    ]}
    """

  static func article(_ day: Int) -> String {
    """
    title: Envoy in Geneva \(day)
    date 2025-06-\(10 + day)

    Valdmure Oskarine met Vladimir Putin in Geneva on Tuesday for talks on a ceasefire, according to Reuters.
    """
  }

  static func writeKnowledgeBase(in folder: URL) throws -> URL {
    let url = folder.appendingPathComponent("envoys.json")
    try knowledgeBase.write(to: url, atomically: true, encoding: .utf8)
    return url
  }

  @Test("The factory applies --kb files to the preparer and the extractor alike")
  func factory() throws {
    let kb = try Self.writeKnowledgeBase(in: Support.temporaryDirectory())
    let options = KnowledgeOptions(files: [kb])
    let raw = try ArticleReader.article(path: "envoy.txt", text: Self.article(1)).get()
    let with = try IngestPipeline.preparer(options).prepare(raw)
    let without = try IngestPipeline.preparer().prepare(raw)
    #expect(with.extraction.actors.first { $0.id == "valdmure-oskarine" }?.affiliation == "HUN")
    #expect(without.extraction.actors.first { $0.id == "valdmure-oskarine" }?.affiliation != "HUN")
    let extracted = try IngestPipeline.extractor(options).extract(raw)
    #expect(extracted.actors.first { $0.id == "valdmure-oskarine" }?.role == "envoy")
  }

  @Test("An upload to `parley serve --kb FILE` recognizes an actor only that file defines, as --ingest does")
  func serveWithKnowledgeBase() async throws {
    let folder = try Support.temporaryDirectory()
    let kb = try Self.writeKnowledgeBase(in: folder)
    let ingested = folder.appendingPathComponent("first.txt")
    try Self.article(1).write(to: ingested, atomically: true, encoding: .utf8)
    let token = "a-token-long-enough-1234"
    let serve = try await ServerAPIServeCommandTests.start(
      ["--db", folder.appendingPathComponent("record.sqlite").path, "--kb", kb.path, "--ingest", ingested.path],
      environment: ["PARLEY_TOKEN": token])
    let (process, text) = (serve.process, serve.text)
    defer { if process.isRunning { process.terminate() } }
    let port = try #require(serve.port, "\(text)")
    let base = "http://127.0.0.1:\(port)"

    // The article given with --ingest was extracted with the file.
    let ingestedActor = try await Self.get("\(base)/api/v1/actors/valdmure-oskarine")
    #expect(ingestedActor.status == 200, "\(text)")
    #expect(try JSONValue.parse(ingestedActor.body)["actor"]?["articles"]?.int == 1)

    // An uploaded article is too.
    var request = URLRequest(url: try #require(URL(string: "\(base)/api/v1/articles")))
    request.httpMethod = "POST"
    request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
    request.setValue("text/plain", forHTTPHeaderField: "Content-Type")
    request.httpBody = Data(Self.article(2).utf8)
    let (created, response) = try await URLSession.shared.data(for: request)
    #expect((response as? HTTPURLResponse)?.statusCode == 201, "\(String(decoding: created, as: UTF8.self))")
    let uploadedId = try #require(try JSONValue.parse(created)["id"]?.int)

    let actor = try JSONValue.parse(try await Self.get("\(base)/api/v1/actors/valdmure-oskarine").body)
    #expect(actor["actor"]?["affiliation"]?.string == "HUN")
    #expect(actor["actor"]?["role"]?.string == "envoy")
    #expect(actor["actor"]?["known"] == .bool(true))
    #expect(actor["actor"]?["articles"]?.int == 2)
    let events = try JSONValue.parse(
      try await Self.get("\(base)/api/v1/events?actor=valdmure-oskarine&limit=50").body)
    let articleIds = (events["items"]?.array ?? []).flatMap { $0["article_ids"]?.array ?? [] }.compactMap(\.int)
    #expect(articleIds.contains(uploadedId), "the upload's meeting with Putin is an event of the envoy")

    process.terminate()
    #expect(await ParleyProcess.wait(process, seconds: 20))
    #expect(process.terminationStatus == 0)
  }

  @Test("Without the file, the same upload does not know the envoy")
  func uploadWithoutKnowledgeBase() async throws {
    let token = "another-token-long-enough"
    let server = try await ServerSupport.start(store: try StoreSupport.emptyStore(), token: token)
    let created = try await server.post(
      "/api/v1/articles", body: Data(Self.article(3).utf8), contentType: "text/plain",
      headers: ["Authorization": "Bearer \(token)"])
    let actor = try await server.get("/api/v1/actors/valdmure-oskarine")
    await server.stop()
    #expect(created.status == 201)
    let affiliation = actor.status == 200 ? try JSONValue.parse(actor.body)["actor"]?["affiliation"]?.string : nil
    #expect(actor.status == 404 || actor.status == 200)
    #expect(affiliation != "HUN")
  }

  static func get(_ url: String) async throws -> (status: Int, body: Data) {
    let (data, response) = try await URLSession.shared.data(from: try #require(URL(string: url)))
    return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
  }
}
