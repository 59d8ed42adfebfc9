import Foundation
import ParleyCLI
import ParleyExtraction
import ParleyModel
import ParleyText
import Testing

/// The output contract (../shared/CONTRACT.md): layout, offsets and references, on the seed corpus.
@Suite struct ContractTests {
  static let documentKeys: Set<String> = ["id", "path", "title", "published", "duplicate_paragraphs_removed"]
  static let topKeys: Set<String> = ["document", "actors", "citations", "events", "plans", "provisions"]
  static let actorKeys: Set<String> = ["id", "name", "kind", "affiliation", "role", "mentions"]
  static let spanKeys: Set<String> = ["text", "start", "end"]
  static let citationKeys: Set<String> = ["outlet", "text", "start", "end"]
  static let eventKeys: Set<String> = [
    "cameo", "source", "target", "date", "location", "cited", "text", "start", "end",
  ]
  static let planKeys: Set<String> = ["name", "points", "text", "start", "end"]
  static let provisionKeys: Set<String> = ["category", "text", "demanded_by", "applies_to", "start", "end"]

  /// The seed articles read as the CLI reads them, with their extraction.
  static func seedExtractions() throws -> [(RawArticle, Extraction)] {
    let extractor = try Support.extractor()
    var out: [(RawArticle, Extraction)] = []
    for url in try Support.seedFiles() {
      let (articles, errors) = Support.read(url.path)
      #expect(errors.isEmpty, "\(errors)")
      for a in articles { out.append((a, extractor.extract(a))) }
    }
    return out
  }

  func object(_ any: Any?, _ what: String) throws -> [String: Any] {
    try #require(any as? [String: Any], "\(what) is not an object")
  }

  func array(_ any: Any?, _ what: String) throws -> [[String: Any]] {
    try #require(any as? [[String: Any]], "\(what) is not an array of objects")
  }

  func hasKeys(_ o: [String: Any], _ keys: Set<String>, _ what: String) {
    let missing = keys.subtracting(o.keys)
    #expect(missing.isEmpty, "\(what) lacks \(missing.sorted())")
  }

  /// Checks the span of a JSON item against the article's source.
  func checkSpan(_ o: [String: Any], source: [Unicode.Scalar], _ what: String) throws {
    let text = try #require(o["text"] as? String, "\(what): text")
    let start = try #require(o["start"] as? Int, "\(what): start")
    let end = try #require(o["end"] as? Int, "\(what): end")
    #expect(Support.slice(source, start, end) == text, "\(what): [\(start), \(end))")
  }

  @Test func seedCorpusIsPresent() throws {
    #expect(try Support.seedFiles().count >= 5)
  }

  @Test func contractJSONParsesWithTheDocumentedLayout() throws {
    for (article, x) in try Self.seedExtractions() {
      let line = x.contractJSON()
      #expect(!line.contains("\n"), "one object per line")
      let parsed = try JSONSerialization.jsonObject(with: Data(line.utf8))
      let root = try object(parsed, article.id)
      #expect(Set(root.keys).isSuperset(of: Self.topKeys))
      let source = Array(article.source.unicodeScalars)

      let document = try object(root["document"], "document")
      hasKeys(document, Self.documentKeys, "document")
      #expect(document["id"] as? String == article.id)
      #expect(document["path"] as? String == article.path)
      #expect(document["duplicate_paragraphs_removed"] is Int)
      if let published = document["published"] as? String { #expect(PartialDate(iso: published) != nil) }

      for a in try array(root["actors"], "actors") {
        hasKeys(a, Self.actorKeys, "actor")
        let kind = try #require(a["kind"] as? String)
        #expect(ActorKind(rawValue: kind) != nil, "kind \(kind)")
        let mentions = try array(a["mentions"], "mentions")
        #expect(!mentions.isEmpty)
        for m in mentions {
          hasKeys(m, Self.spanKeys, "mention")
          try checkSpan(m, source: source, "mention of \(a["id"] ?? "")")
        }
      }
      for c in try array(root["citations"], "citations") {
        hasKeys(c, Self.citationKeys, "citation")
        try checkSpan(c, source: source, "citation")
      }
      for e in try array(root["events"], "events") {
        hasKeys(e, Self.eventKeys, "event")
        let cameo = try #require(e["cameo"] as? String)
        #expect(CAMEOCode(cameo) != nil, "cameo \(cameo)")
        if let date = e["date"] as? String { #expect(PartialDate(iso: date) != nil) }
        try checkSpan(e, source: source, "event")
      }
      for p in try array(root["plans"], "plans") {
        hasKeys(p, Self.planKeys, "plan")
        try checkSpan(p, source: source, "plan")
      }
      for p in try array(root["provisions"], "provisions") {
        hasKeys(p, Self.provisionKeys, "provision")
        let category = try #require(p["category"] as? String)
        #expect(ProvisionCategory(rawValue: category) != nil, "category \(category)")
        try checkSpan(p, source: source, "provision")
      }
    }
  }

  @Test func everySpanQuotesTheSourceExactly() throws {
    for (article, x) in try Self.seedExtractions() {
      #expect(Support.offsetViolations(x, source: article.source) == [], "\(article.id)")
      #expect(!Support.quotedSpans(x).isEmpty)
    }
  }

  @Test func referencedActorIDsExist() throws {
    for (article, x) in try Self.seedExtractions() {
      #expect(Support.danglingActorIDs(x) == [], "\(article.id)")
      #expect(Set(x.actors.map(\.id)).count == x.actors.count, "\(article.id): actor ids are unique")
    }
  }

  @Test func affiliationsAreCodes() throws {
    let kb = try Support.knowledgeBase()
    for (article, x) in try Self.seedExtractions() {
      for a in x.actors {
        guard let aff = a.affiliation else { continue }
        #expect(kb.entity(forAffiliation: aff) != nil || aff == "EUR", "\(article.id): \(a.id) has \(aff)")
      }
    }
  }

  @Test func jsonWriterEscapesControlCharactersQuotesAndBackslashes() throws {
    let nasty = "a\"b\\c\nd\re\tf\u{01}g\u{1F}h \u{2028} \u{1F600} \u{0301}"
    var w = JSONWriter()
    w.beginObject()
    w.field("s", nasty)
    w.field("n", nil as String?)
    w.field("i", 42)
    w.key("a")
    w.beginArray()
    w.int(1)
    w.bool(true)
    w.double(.nan)
    w.null()
    w.endArray()
    w.endObject()
    let parsed = try #require(try JSONSerialization.jsonObject(with: Data(w.output.utf8)) as? [String: Any])
    #expect(parsed["s"] as? String == nasty)
    #expect(parsed["n"] is NSNull)
    #expect(parsed["i"] as? Int == 42)
    #expect((parsed["a"] as? [Any])?.count == 4)
  }

  @Test func extractionIsDeterministic() throws {
    for (article, x) in try Self.seedExtractions() {
      #expect(try Support.extractor().extract(article).contractJSON() == x.contractJSON())
    }
  }

  @Test func cliOutputMatchesTheLibrary() async throws {
    let paths = try Support.seedFiles().map(\.path)
    let expected = try Self.seedExtractions().map { $0.1.contractJSON() + "\n" }.joined()
    // The real command-line entry point, run in a child process so its output can be captured.
    let result = await #expect(
      processExitsWith: .success, observing: [\.standardOutputContent, \.standardErrorContent]
    ) { [paths = paths as [String]] in
      Parley.runSynchronously(["extract", "--format", "jsonl"] + paths)
    }
    #expect(String(decoding: result?.standardOutputContent ?? [], as: UTF8.self) == expected)
    #expect(result?.standardErrorContent.isEmpty == true)
  }
}
