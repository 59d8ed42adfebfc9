import Foundation
import ParleyExtraction
import ParleyKnowledge
import ParleyModel
import ParleyText
import PropertyBased
import Testing

/// Random inputs for the property tests, built with PropertyBased's generators.
enum RandomInput {
  /// Pieces that stress the pipeline: names and cues it reacts to, markup, list and header
  /// syntax, numbers and dates, typographic punctuation, and Unicode that is easy to get wrong
  /// (combining marks, emoji sequences, flags, right-to-left text and controls, scalars whose
  /// case mapping changes length, invisible characters). No NUL: readers reject it before
  /// the pipeline, and `RawArticle` strings never carry it in practice.
  static let fragments: [String] = [
    "Vladimir Putin", "Putin", "Zelenskyy", "Zelensky's", "Kyiv", "Moscow", "the Kremlin", "U.S.", "US", "NATO",
    "Steve Witkoff", "Ukrainian official", "Mr.", "Gen.", "J. D. Vance", "Trump administration", "Port Authority",
    " met ", " rejected ", " was rejected by ", " will not accept ", " a possible meeting between ", " and ", " said ",
    " insisted ", " demands that Ukraine:", " in exchange for a ceasefire", " according to Reuters",
    " Bloomberg reported", " told Le Monde", "As The Wall Street Journal has learned", "28-point", " peace plan",
    "19-20 points", " proposal", "5,000", " square kilometers", "50%", "five-hour", "$100 million", "twenty-eight",
    "on Tuesday", "last month", "in October", "November 21, 2025", "2025-08-09", "9 August 2025", "May",
    ".", ". ", ",", ";", ":", "!", "?", "\"", "'", "'s", "(", ")", "[", "-", "--", "\u{2014}", "\u{2013}",
    "\u{2026}", "\u{201C}", "\u{201D}", "\u{2019}", "\u{2022} ",
    " ", "  ", "\n", "\n\n", "\r\n", "\r", "\t", "\u{A0}", "\u{2028}", "\u{2029}", "\u{85}", "\u{0B}", "\u{0C}",
    "<p>", "</p>", "<br>", "<div class=\"x\">", "</div>", "<script>", "</script>", "<style>", "</style>", "<nav>",
    "</nav>", "<!--", "-->", "<", ">", "/>", "&amp;", "&nbsp;", "&shy;", "&#8217;", "&#x41;", "&#0;", "&bogus;", "&",
    "<title>", "</title>", "<meta property=\"og:site_name\" content=\"X\">",
    "# ", "## ", "> ", "- ", "* ", "+ ", "1. ", "2) ", "(3) ", "---", "date ", "title: ", "source: ",
    "0", "7", "31", "2025", "1.5", "3.", "21st", "1980s", "99999999999999999999", "1e308", "0.0.0",
    "e\u{301}", "\u{301}", "\u{308}\u{308}", "\u{1F600}", "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}",
    "\u{1F1FA}\u{1F1E6}", "\u{1F44D}\u{1F3FD}", "\u{645}\u{631}\u{62D}\u{628}\u{627}", "\u{5E9}\u{5DC}\u{5D5}\u{5DD}",
    "\u{202E}", "\u{200F}", "\u{200B}", "\u{FEFF}", "\u{AD}", "\u{1}", "\u{7F}", "\u{130}", "\u{DF}", "\u{FB01}",
    "\u{3A3}", "\u{41E}\u{434}\u{435}\u{441}\u{430}", "\u{5317}\u{4EAC}", "\u{E000}", "\u{10FFFF}", "\u{FFFD}",
  ]

  static let fragment = Gen<String?>.element(of: fragments).map { $0 ?? "" }
  /// Any scalar but NUL and the surrogate range.
  static let lowScalar = Gen.unicodeScalar(in: "\u{1}"..."\u{D7FF}")
  static let highScalar = Gen.unicodeScalar(in: "\u{E000}"..."\u{10FFFF}")
  static let digits = Gen.number.string(of: 1...25)

  /// One piece of an article: mostly fragments, sometimes a random scalar or a run of digits.
  static let piece = zip(Gen.int(in: 0...19), fragment, lowScalar, highScalar, digits).map { t -> String in
    switch t.0 {
    case 0..<13: return t.1
    case 13..<16: return String(t.2)
    case 16..<18: return String(t.3)
    default: return t.4
    }
  }

  /// An article's text.
  static let text = piece.array(of: 0...80).map { $0.joined() }

  /// Raw bytes: mostly ASCII, with arbitrary high bytes (so invalid UTF-8 too).
  static let byte = zip(Gen.int(in: 0...9), Gen.uint8()).map { t in t.0 < 6 ? t.1 & 0x7F : t.1 }

  /// File contents: valid UTF-8 text, random bytes, or text with random bytes spliced in.
  static let bytes = zip(Gen.int(in: 0...2), text, byte.array(of: 0...200), Gen.int(in: 0...1000)).map {
    t -> [UInt8] in
    let utf8 = Array(t.1.utf8)
    switch t.0 {
    case 0: return utf8
    case 1: return t.2
    default:
      let at = utf8.isEmpty ? 0 : t.3 % utf8.count
      return Array(utf8[..<at]) + t.2.prefix(8) + Array(utf8[at...])
    }
  }

  /// A seeded generator: PARLEY_PROPERTY_SEED (a seed printed by a failing run) replays a run.
  static func rng() -> Xoshiro {
    if let seed = ProcessInfo.processInfo.environment["PARLEY_PROPERTY_SEED"], let rng = Xoshiro(seed: seed) {
      return rng
    }
    return Xoshiro()
  }
}

/// What the pipeline promises for any input: it never crashes, every span lies in the source
/// and quotes it exactly, every referenced actor exists, and the output is valid JSON.
enum PipelineProperty {
  static func violations(_ x: Extraction, source: String) -> [String] {
    var bad = Support.offsetViolations(x, source: source)
    bad += Support.danglingActorIDs(x).map { "dangling actor id \($0)" }
    let json = x.contractJSON()
    if (try? JSONSerialization.jsonObject(with: Data(json.utf8))) == nil { bad.append("output is not JSON: \(json)") }
    return bad
  }
}

@Suite struct PropertyTests {
  static let count = 150

  // MARK: In-process properties (pure code that cannot take the test run down)

  @Test func readerAcceptsExactlyNonEmptyValidUTF8WithoutNUL() async throws {
    let dir = try Support.temporaryDirectory()
    var n = 0
    await propertyCheck(count: 200, input: RandomInput.bytes) { bytes in
      n += 1
      let url = dir.appendingPathComponent("input-\(n).txt")
      try Data(bytes).write(to: url)
      let (articles, errors) = Support.read(url.path)
      #expect(articles.count + errors.count == 1)
      #expect(errors.allSatisfy { $0.path == url.path && !$0.reason.isEmpty })
      let valid = String(validating: bytes, as: UTF8.self)
      if bytes.isEmpty {
        #expect(errors.first?.reason == "empty file")
      } else if bytes.prefix(8192).contains(0) {
        #expect(errors.first?.reason.contains("NUL") == true)
      } else if let valid {
        let expected = valid.unicodeScalars.first == "\u{FEFF}" ? String(valid.unicodeScalars.dropFirst()) : valid
        #expect(articles.first?.source == expected)
      } else {
        #expect(errors.first?.reason.hasPrefix("invalid UTF-8 at byte ") == true)
      }
    }
  }

  /// Work is linear in a sentence's length in every component only if sentences are bounded:
  /// text with no sentence end, of any length and words, is cut into pieces of at most
  /// `SentenceSplitter.maxTokens` tokens, and the clause coder's trace of such text codes stays
  /// within those pieces (Benchmarks/linear.sh measures the time).
  @Test func textWithoutSentenceEndsIsCutIntoBoundedSentences() async throws {
    let words = Gen.element(of: ["the", "talks", "went", "on", "and", "on", ",", "Russia", "Ukraine", "said", "—", "“"])
    await propertyCheck(count: 40, input: words.array(of: 0...3000)) { pieces in
      let text = pieces.compactMap { $0 }.joined(separator: " ")
      let doc = TextPipeline(lexicon: try Support.lexicons().text).process(Support.article(text))
      #expect(doc.sentences.allSatisfy { $0.tokens.count <= SentenceSplitter.maxTokens })
      #expect(doc.sentences.map(\.tokens.count).reduce(0, +) == doc.tokens.count || text.isEmpty)
    }
    let long = String(repeating: "the talks went on and on, ", count: 20_000)
    let x = try Support.extract(long)
    #expect(x.events.allSatisfy { $0.text.count < long.count / 10 })
  }

  @Test func partialDateDayArithmetic() async {
    await propertyCheck(count: 200, input: Gen.int(in: -700_000...2_000_000), Gen.int(in: -5000...5000)) { n, k in
      let d = PartialDate(dayNumber: n)
      #expect(d.dayNumber == n)
      #expect(d.isFullDate)
      #expect((1...12).contains(d.month ?? 0))
      #expect((1...PartialDate.daysIn(month: d.month ?? 1, year: d.year)).contains(d.day ?? 0))
      #expect(d.adding(days: k)?.dayNumber == n + k)
      #expect(d.adding(days: 7)?.weekday == d.weekday)
      #expect(d.adding(days: 1)?.weekday == (d.weekday ?? 0) % 7 + 1)
      #expect(((d.adding(days: k) ?? d) < d) == (k < 0))
      if (1000...9999).contains(d.year) { #expect(PartialDate(iso: d.description) == d) }
    }
  }

  @Test func explicitDatePrefixIsWithinTheStringAndValid() async {
    await propertyCheck(count: 200, input: RandomInput.text) { text in
      guard let (date, used) = ExplicitDate.parsePrefix(text) else { return }
      #expect(used > 0 && used <= text.unicodeScalars.count)
      #expect(date.isFullDate)
      #expect(PartialDate(iso: date.description) == date)
    }
  }

  @Test func slugsAreLowercaseASCIIWordsJoinedByDashes() async {
    await propertyCheck(count: 200, input: RandomInput.text) { text in
      let slug = Slug.make(text)
      #expect(!slug.isEmpty)
      #expect(slug.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 45 })
      #expect(!slug.hasPrefix("-") && !slug.hasSuffix("-") && !slug.contains("--"))
      #expect(Slug.make(slug) == slug)
    }
  }

  @Test func cameoCodesAreTwoToFourDigitsWithARootFrom01To20() async {
    await propertyCheck(count: 300, input: Gen.number.string(of: 0...5)) { raw in
      let root = Int(raw.prefix(2)) ?? 0
      let valid = (2...4).contains(raw.count) && (1...20).contains(root)
      #expect((CAMEOCode(raw) != nil) == valid, "\(raw)")
      if let code = CAMEOCode(raw) { #expect(code.root == String(raw.prefix(2))) }
    }
  }

  // MARK: The whole pipeline, in a child process

  // A trap in the pipeline would kill the whole test run, so these properties run the pipeline in
  // an exit test (a child process). `propertyCheck` cannot run there (it needs the current Test),
  // so the inputs come from PropertyBased's generators with a seeded `Xoshiro` in this process,
  // and the child checks them all; a failure names the input and the seed to replay it.

  @Test func randomTextNeverCrashesAndSpansQuoteTheSource() async throws {
    var rng = RandomInput.rng()
    let seed = rng.currentSeed
    let inputs = (0..<Self.count).map { _ in RandomInput.text.run(using: &rng) }
    try await Self.checkInChild(inputs: inputs.map { Array($0.utf8) }, seed: seed, mode: "text")
  }

  @Test func randomBytesNeverCrashTheReaderOrThePipeline() async throws {
    var rng = RandomInput.rng()
    let seed = rng.currentSeed
    let inputs = (0..<Self.count).map { _ in RandomInput.bytes.run(using: &rng) }
    try await Self.checkInChild(inputs: inputs, seed: seed, mode: "bytes")
  }

  /// Writes the inputs to a file, checks them in a child process and reports the input a crash
  /// happened on. `mode` "text": each input is UTF-8 text run as text, Markdown, HTML and a JSON
  /// Lines record. "bytes": each input is written to .txt, .md, .html and .jsonl files and read
  /// with `ArticleReader`, and also decoded leniently and run as text.
  static func checkInChild(
    inputs: [[UInt8]], seed: String, mode: String, sourceLocation: SourceLocation = #_sourceLocation
  ) async throws {
    let dir = try Support.temporaryDirectory()
    let inputFile = dir.appendingPathComponent("inputs.json")
    let logFile = dir.appendingPathComponent("progress.log")
    try JSONEncoder().encode(inputs).write(to: inputFile)
    _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)

    await #expect(processExitsWith: .success, "seed \(seed)", sourceLocation: sourceLocation) {
      [dir = dir.path as String, mode = mode as String] in
      try PropertyTests.childCheck(directory: dir, mode: mode)
    }

    let log = (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
    let lines = log.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.isEmpty }
    if lines.last != "done" {
      Issue.record(
        """
        the child stopped (crashed?) on \(lines.last ?? "its first input") \
        — replay with PARLEY_PROPERTY_SEED=\(seed)
        """, sourceLocation: sourceLocation)
    }
  }

  /// The child's side of `checkInChild`.
  static func childCheck(directory: String, mode: String) throws {
    let dir = URL(fileURLWithPath: directory)
    let inputs = try JSONDecoder().decode(
      [[UInt8]].self, from: Data(contentsOf: dir.appendingPathComponent("inputs.json")))
    let log = try FileHandle(forWritingTo: dir.appendingPathComponent("progress.log"))
    func progress(_ s: String) { log.write(Data((s + "\n").utf8)) }
    let extractor = try Support.extractor()
    var failures = 0

    func check(_ article: RawArticle, _ what: String) {
      progress(what)
      let bad = PipelineProperty.violations(extractor.extract(article), source: article.source)
      if !bad.isEmpty && failures < 5 {
        failures += 1
        Issue.record("\(what): \(bad.prefix(3))")
      }
    }

    let formats: [(ArticleFormat, String)] = [(.text, "txt"), (.markdown, "md"), (.html, "html")]
    for (n, bytes) in inputs.enumerated() {
      let lenient = String(decoding: bytes, as: UTF8.self)
      let shown = "input #\(n) \(lenient.debugDescription)"
      if mode == "text" {
        for (format, ext) in formats {
          check(RawArticle(id: "p\(n)", path: "p\(n).\(ext)", format: format, source: lenient), "\(shown) as \(format)")
        }
        // The same text as a JSON Lines record.
        var w = JSONWriter()
        w.beginObject()
        w.field("text", lenient)
        w.endObject()
        let url = dir.appendingPathComponent("record-\(n).jsonl")
        try Data((w.output + "\n").utf8).write(to: url)
        progress("\(shown) as a JSON Lines record")
        let (articles, errors) = Support.read(url.path)
        if articles.count != 1 || !errors.isEmpty { Issue.record("\(shown): JSON Lines record not read: \(errors)") }
        for a in articles { check(a, "\(shown) as a JSON Lines record") }
      } else {
        check(RawArticle(id: "b\(n)", path: "b\(n).txt", format: .text, source: lenient), "\(shown) decoded leniently")
        for ext in ["txt", "md", "html", "jsonl"] {
          let url = dir.appendingPathComponent("bytes-\(n).\(ext)")
          try Data(bytes).write(to: url)
          progress("\(shown) read from .\(ext)")
          var read: [RawArticle] = []
          ArticleReader().read(
            path: url.path, { read.append($0) },
            onError: { error in
              if error.path != url.path || error.reason.isEmpty { Issue.record("\(shown): unclear error \(error)") }
            })
          for a in read { check(a, "\(shown) read from .\(ext)") }
        }
      }
    }
    progress("done")
  }

  // MARK: Regressions found by the properties above

  @Test(arguments: [
    ("a twenty-digit number", "They drafted a 99999999999999999999-point plan.", ArticleFormat.text),
    ("a day-like huge number after a month", "Talks resumed on November 99999999999999999999.", .text),
    ("a huge number before a month", "Talks resumed in 99999999999999999999 November.", .text),
    ("a huge plan point count", "The proposal has 9999999999999999999999 points.", .text),
    ("a huge range of points", "The proposal was trimmed to 5-9999999999999999999999 points.", .text),
    ("a Markdown quote marker as the last line", "Hello there.\n>", .markdown),
    ("a lone Markdown quote marker", ">", .markdown),
  ])
  func pipelineSurvives(_ what: String, text: String, format: ArticleFormat) async {
    await #expect(processExitsWith: .success, "the pipeline crashes on \(what): \(text.debugDescription)") {
      [text = text as String, format = format.rawValue as String] in
      let article = Support.article(text, format: ArticleFormat(rawValue: format) ?? .text)
      let x = try Support.extractor().extract(article)
      #expect(PipelineProperty.violations(x, source: text) == [])
    }
  }
}
