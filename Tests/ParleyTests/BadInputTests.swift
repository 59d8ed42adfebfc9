import Foundation
import ParleyCLI
import ParleyExtraction
import ParleyModel
import ParleyText
import Testing

/// Bad input gets a clear error naming the file (and line), and loses nothing else.
@Suite struct BadInputTests {
  static let goodText = "Vladimir Putin met Donald Trump in Alaska on Friday.\n"

  func record(_ text: String, id: String) -> String {
    var w = JSONWriter()
    w.beginObject()
    w.field("id", id)
    w.field("published", "2025-08-15")
    w.field("text", text)
    w.endObject()
    return w.output
  }

  /// Reads one file and expects exactly one error and no article.
  func expectOneError(_ url: URL, reader: ArticleReader = ArticleReader(), reasonContains: String) throws -> ReadError {
    let (articles, errors) = Support.read(url.path, reader: reader)
    #expect(articles.isEmpty)
    let error = try #require(errors.first, "no error for \(url.lastPathComponent)")
    #expect(errors.count == 1)
    #expect(error.path == url.path)
    #expect(error.reason.contains(reasonContains), "\(error.reason)")
    #expect(error.description.hasPrefix(url.path + ": "))
    return error
  }

  // MARK: Whole files

  @Test func emptyFile() throws {
    let error = try expectOneError(try Support.writeTemporary("empty.txt", bytes: []), reasonContains: "empty")
    #expect(error.line == nil)
  }

  @Test func emptyJSONLinesFile() throws {
    _ = try expectOneError(try Support.writeTemporary("empty.jsonl", bytes: []), reasonContains: "empty")
  }

  @Test func binaryFile() throws {
    let bytes: [UInt8] = Array("PK".utf8) + [0x03, 0x04, 0x00, 0x00, 0xFF, 0xFE] + Array(repeating: 0, count: 64)
    let error = try expectOneError(try Support.writeTemporary("archive.txt", bytes: bytes), reasonContains: "binary")
    #expect(error.reason.contains("NUL byte at offset 4"))
  }

  @Test func invalidUTF8() throws {
    let bytes = Array("Talks in Gen".utf8) + [0xC3, 0x28] + Array("ve resumed.".utf8)
    let error = try expectOneError(
      try Support.writeTemporary("latin1.txt", bytes: bytes), reasonContains: "invalid UTF-8")
    #expect(error.reason.contains("at byte 12"), "\(error.reason)")
  }

  @Test func truncatedUTF8AtTheEnd() throws {
    let bytes = Array("Kyiv said no ".utf8) + [0xE2, 0x80]
    _ = try expectOneError(try Support.writeTemporary("cut.md", bytes: bytes), reasonContains: "invalid UTF-8")
  }

  @Test func fileLargerThanTheArticleLimit() throws {
    let line = String(repeating: "Talks went on. ", count: 334).prefix(5000) + "\n"
    let url = try Support.writeTemporary("huge.txt", text: String(line))
    let error = try expectOneError(url, reader: ArticleReader(maxArticleBytes: 1000), reasonContains: "larger than")
    #expect(error.reason.contains("limit"))
    // The same file is fine under the default limit.
    #expect(Support.read(url.path).articles.count == 1)
  }

  @Test func unsupportedFileType() throws {
    _ = try expectOneError(try Support.writeTemporary("notes.docx", text: "hello"), reasonContains: "unsupported")
  }

  @Test func missingPathsAreReportedByExpand() throws {
    let dir = try Support.temporaryDirectory()
    try Data(Self.goodText.utf8).write(to: dir.appendingPathComponent("a.txt"))
    try Data("not an article".utf8).write(to: dir.appendingPathComponent("README"))
    try Data(Self.goodText.utf8).write(to: dir.appendingPathComponent(".hidden.txt"))
    let missing = dir.appendingPathComponent("missing.txt").path
    let (files, errors) = ArticleReader.expand([dir.path, missing])
    #expect(files.map { ($0 as NSString).lastPathComponent } == ["a.txt"])
    #expect(errors == [ReadError(path: missing, reason: "no such file or folder")])
  }

  @Test func byteOrderMarkIsDropped() throws {
    let url = try Support.writeTemporary("bom.txt", bytes: [0xEF, 0xBB, 0xBF] + Array(Self.goodText.utf8))
    let a = try #require(Support.read(url.path).articles.first)
    #expect(a.source == Self.goodText)
  }

  @Test func crlfLineEndings() throws {
    let text = "date 2025-08-15 Alaska summit\r\n\r\nVladimir Putin met Donald Trump.\r\n\r\nNo deal was reached.\r\n"
    let url = try Support.writeTemporary("crlf.txt", text: text)
    let a = try #require(Support.read(url.path).articles.first)
    #expect(a.published?.description == "2025-08-15")
    let x = try Support.extractor().extract(a)
    #expect(x.actor(named: "vladimir-putin") != nil)
    #expect(Support.offsetViolations(x, source: a.source) == [])
  }

  // MARK: HTML

  @Test func htmlFullOfScripts() throws {
    let script = String(repeating: "window.track({tags: ['Sergei Lavrov', 'Marco Rubio'], n: 1});\n", count: 500)
    let html = """
      <html><head><title>Alaska summit</title>
      <script>\(script)</script>
      <script type="text/javascript">for (var i = 0; i < n; i++) { render("Benjamin Netanyahu"); }</script>
      <style>body > p { margin: 0 }</style>
      </head><body>
      <script>if (a < b && c > d) { document.write("<p>Xi Jinping</p>"); }</script>
      <script>for (var i = 0; i < items.length; i++) { count++; }</script>
      <p>Vladimir Putin met Donald Trump in Alaska on Friday.</p>
      <script>var x = "</div>";</script>
      <p>Sergei Lavrov did not attend.</p>
      </body></html>
      """
    let url = try Support.writeTemporary("scripts.html", text: html)
    let (articles, errors) = Support.read(url.path)
    #expect(errors.isEmpty)
    let a = try #require(articles.first)
    #expect(a.title == "Alaska summit")
    let x = try Support.extractor().extract(a)
    #expect(Support.offsetViolations(x, source: html) == [])
    for id in ["marco-rubio", "benjamin-netanyahu", "xi-jinping"] {
      #expect(x.actor(named: id) == nil, "\(id) appears only inside scripts")
    }
    // The text between and after the scripts is still read.
    for id in ["vladimir-putin", "donald-trump", "sergei-lavrov"] {
      #expect(x.actor(named: id) != nil, "\(id) is in the article text")
    }
    if let lavrov = x.actor(named: "sergei-lavrov") {
      #expect(lavrov.mentions.map(\.text) == ["Sergei Lavrov"])
      #expect(lavrov.mentions.allSatisfy { $0.span.start > html.unicodeScalars.count / 2 })
    }
  }

  @Test func htmlWithoutAnyText() throws {
    let html = "<html><head><script>var a = 1;</script></head><body><script>b()</script></body></html>"
    let url = try Support.writeTemporary("empty.html", text: html)
    let a = try #require(Support.read(url.path).articles.first)
    let x = try Support.extractor().extract(a)
    #expect(x.actors.isEmpty && x.events.isEmpty && x.citations.isEmpty)
  }

  @Test func unclosedTagsAndCommentsDoNotHang() throws {
    let html = "<p>Vladimir Putin met Donald Trump.</p><!-- never closed <p>Xi Jinping</p> <div class=\"x"
    let x = try Support.extract(html, format: .html)
    #expect(x.actor(named: "vladimir-putin") != nil)
    #expect(x.actor(named: "xi-jinping") == nil)
    #expect(Support.offsetViolations(x, source: html) == [])
  }

  // MARK: JSON Lines

  @Test func jsonLinesWithMalformedLinesBetweenGoodOnes() throws {
    let lines = [
      record("Vladimir Putin met Donald Trump in Alaska.", id: "one"),  // 1
      "{\"id\": \"broken\", \"text\": \"unterminated",  // 2
      record("Kyiv rejected the plan.", id: "two"),  // 3
      "[1, 2, 3]",  // 4
      "",  // 5: blank lines are skipped silently
      "{\"id\": \"no-text\", \"title\": \"Only a title\"}",  // 6
      "{\"id\": \"nul\", \"text\": \"binary\\u0000content\"}",  // 7
      record("Emmanuel Macron called Volodymyr Zelenskyy.", id: "three") + "\r",  // 8, CRLF
      "{\"text\": \"Steve Witkoff flew to Moscow.\"}",  // 9: no id, no trailing newline
    ]
    let url = try Support.writeTemporary("feed.jsonl", text: lines.joined(separator: "\n"))
    let (articles, errors) = Support.read(url.path)
    #expect(articles.map(\.id) == ["one", "two", "three", "feed-9"])
    #expect(articles.first?.published?.description == "2025-08-15")
    #expect(articles.allSatisfy { $0.format == .jsonl && $0.path == url.path })
    #expect(errors.map(\.line) == [2, 4, 6, 7])
    #expect(errors.allSatisfy { $0.path == url.path })
    #expect(errors.allSatisfy { $0.description.hasPrefix("\(url.path):\($0.line ?? -1): ") })
    let reasons = errors.map(\.reason)
    #expect(reasons.count == 4)
    if reasons.count == 4 {
      #expect(reasons[0].contains("malformed JSON"))
      #expect(reasons[1].contains("not a JSON object"))
      #expect(reasons[2].contains("no \"text\""))
      #expect(reasons[3].contains("NUL"))
    }
    // Offsets of JSON Lines records count in the record's text.
    let extractor = try Support.extractor()
    for a in articles {
      #expect(Support.offsetViolations(extractor.extract(a), source: a.source) == [], "\(a.id)")
    }
  }

  @Test func jsonLinesRecordLongerThanTheLimitIsSkipped() throws {
    let big = record(String(repeating: "x", count: 5000), id: "big")
    let lines = [record("Kyiv rejected the plan.", id: "a"), big, record("Moscow agreed.", id: "b")]
    let url = try Support.writeTemporary("big.jsonl", text: lines.joined(separator: "\n") + "\n")
    let (articles, errors) = Support.read(url.path, reader: ArticleReader(maxArticleBytes: 1000))
    #expect(articles.map(\.id) == ["a", "b"])
    #expect(errors.map(\.line) == [2])
    #expect(errors.first?.reason.contains("limit") == true)
  }

  @Test func jsonLinesRecordWithInvalidUTF8() throws {
    let bytes =
      Array((record("Kyiv rejected the plan.", id: "a") + "\n").utf8) + Array("{\"text\": \"caf".utf8) + [0xE9]
      + Array("\"}\n".utf8) + Array(record("Moscow agreed.", id: "b").utf8)
    let url = try Support.writeTemporary("latin1.jsonl", bytes: bytes)
    let (articles, errors) = Support.read(url.path)
    #expect(articles.map(\.id) == ["a", "b"])
    #expect(errors.map(\.line) == [2])
  }

  // MARK: The command line

  @Test func cliReportsEveryBadInputAndExtractsTheRest() async throws {
    let dir = try Support.temporaryDirectory()
    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
      let url = dir.appendingPathComponent(name)
      try Data(bytes).write(to: url)
      return url.path
    }
    let good = try write("good.txt", Array(Self.goodText.utf8))
    let empty = try write("empty.txt", [])
    let binary = try write("binary.txt", [0x41, 0x00, 0x42])
    let latin1 = try write("latin1.txt", Array("caf".utf8) + [0xE9])
    let feed = try write(
      "feed.jsonl",
      Array(
        [record("Kyiv rejected the plan.", id: "r1"), "{oops", record("Moscow agreed.", id: "r2")]
          .joined(separator: "\n").utf8))
    let missing = dir.appendingPathComponent("missing.txt").path
    let args = ["extract", "--format", "jsonl", good, empty, binary, latin1, feed, missing]

    let result = await #expect(
      processExitsWith: .exitCode(1), observing: [\.standardOutputContent, \.standardErrorContent]
    ) { [args = args as [String]] in
      Parley.runSynchronously(args)
    }
    let stdout = String(decoding: result?.standardOutputContent ?? [], as: UTF8.self)
    let stderr = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
    let ids = stdout.split(separator: "\n").compactMap { line -> String? in
      let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
      return (object?["document"] as? [String: Any])?["id"] as? String
    }
    #expect(ids == ["good", "r1", "r2"])
    for expected in [
      "\(empty): empty file", "\(binary): binary content", "\(latin1): invalid UTF-8", "\(feed):2: malformed JSON",
      "\(missing): no such file or folder", "5 inputs failed",
    ] {
      #expect(stderr.contains(expected), "stderr lacks \(expected.debugDescription):\n\(stderr)")
    }
  }

  @Test func cliExitsZeroWhenEverythingIsRead() async throws {
    let url = try Support.writeTemporary("ok.txt", text: Self.goodText)
    await #expect(processExitsWith: .success) { [path = url.path as String] in
      Parley.runSynchronously(["extract", "--format", "json", path])
    }
  }

  @Test func cliExitsThreeForABrokenLexiconFile() async throws {
    let article = try Support.writeTemporary("ok.txt", text: Self.goodText)
    let lexicon = try Support.writeTemporary(
      "bad-lexicon.json", text: #"{"verbs": [{"verb": "zorble", "code": "999"}]}"#)
    let result = await #expect(processExitsWith: .exitCode(3), observing: [\.standardErrorContent]) {
      [article = article.path as String, lexicon = lexicon.path as String] in
      Parley.runSynchronously(["extract", "--lexicon", lexicon, article])
    }
    let stderr = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
    #expect(stderr.contains(lexicon.path) && stderr.contains("invalid CAMEO code"), "\(stderr)")
  }

  @Test func cliExitsThreeForABrokenKnowledgeFile() async throws {
    let article = try Support.writeTemporary("ok.txt", text: Self.goodText)
    let kb = try Support.writeTemporary("bad-kb.json", text: "{oops")
    let result = await #expect(processExitsWith: .exitCode(3), observing: [\.standardErrorContent]) {
      [article = article.path as String, kb = kb.path as String] in
      Parley.runSynchronously(["extract", "--kb", kb, article])
    }
    let stderr = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
    #expect(stderr.contains(kb.path))
  }
}
