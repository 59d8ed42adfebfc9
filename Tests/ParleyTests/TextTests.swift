import Foundation
import ParleyModel
import ParleyText
import Testing

/// The text pipeline: tokens, sentences, quantities, dates, cleaning, header lines and HTML.
@Suite struct TextTests {
  @Test func textWithoutSentenceEndsIsCutIntoBoundedSentences() throws {
    // A run-on with commas is cut after a comma; one with none at the limit.
    for piece in ["the talks went on and on, ", "the talks went on and on "] {
      let text = String(repeating: piece, count: 2_000)
      let doc = try Support.textDocument(text)
      #expect(doc.sentences.count >= 12_000 / SentenceSplitter.maxTokens)
      #expect(doc.sentences.allSatisfy { $0.tokens.count <= SentenceSplitter.maxTokens })
      #expect(doc.sentences.map(\.tokens.count).reduce(0, +) == doc.tokens.count)
      if piece.contains(",") {
        #expect(doc.sentences.dropLast().allSatisfy { doc.tokens[$0.tokens.upperBound - 1].lower == "," })
      }
    }
  }

  // MARK: Helpers

  /// Tokens of `text` after cleaning, as (text, kind).
  func tokens(_ text: String) throws -> [(text: String, kind: TokenKind)] {
    let doc = try Support.textDocument(text)
    return doc.tokens.map { (doc.clean.string($0.range), $0.kind) }
  }

  /// Sentences of `text` as cleaned strings.
  func sentences(_ text: String) throws -> [String] {
    let doc = try Support.textDocument(text)
    return doc.sentences.map { doc.clean.string($0.range) }
  }

  @Test func titleAfterDottedAbbreviationStaysInTheSentence() throws {
    #expect(
      try sentences("He hoped to bring Putin and U.S. President Donald Trump together. The talks ended.")
        == ["He hoped to bring Putin and U.S. President Donald Trump together.", "The talks ended."])
    #expect(try sentences("Aid came from the U.S. The talks ended.") == ["Aid came from the U.S.", "The talks ended."])
  }

  /// Quantities of `text` with the text they cover.
  func quantities(_ text: String) throws -> [(text: String, quantity: Quantity)] {
    let doc = try Support.textDocument(text)
    return doc.quantities.map { q in
      let first = doc.tokens[q.tokens.lowerBound]
      let last = doc.tokens[q.tokens.upperBound - 1]
      return (doc.clean.string(Int(first.start)..<Int(last.end)), q)
    }
  }

  /// Date mentions of `text` with the text they cover.
  func dates(_ text: String, published: PartialDate?) throws -> [(text: String, mention: DateMention)] {
    let doc = try Support.textDocument(text, published: published)
    return doc.dates.map { d in
      let first = doc.tokens[d.tokens.lowerBound]
      let last = doc.tokens[d.tokens.upperBound - 1]
      return (doc.clean.string(Int(first.start)..<Int(last.end)), d)
    }
  }

  func clean(_ text: String, format: ArticleFormat = .text) throws -> CleanText {
    try Support.textDocument(text, format: format).clean
  }

  func paragraphs(_ clean: CleanText) -> [(text: String, role: ParagraphRole)] {
    clean.paragraphs.map { (clean.string($0.range), $0.role) }
  }

  // MARK: Tokenizer

  @Test func possessiveSIsSplitOff() throws {
    let t = try tokens("Putin's aide spoke.")
    #expect(t.map(\.text) == ["Putin", "'s", "aide", "spoke", "."])
    #expect(t[0].kind == .word)
  }

  @Test func possessiveWithCurlyApostropheIsSplitOff() throws {
    let t = try tokens("Putin\u{2019}s aide")
    #expect(t.map(\.text) == ["Putin", "'s", "aide"])
  }

  @Test func internalApostrophesStayInTheWord() throws {
    #expect(try tokens("O'Brien don't").map(\.text) == ["O'Brien", "don't"])
  }

  @Test func dottedAbbreviationsAreOneToken() throws {
    let t = try tokens("The U.S. envoy arrived at 3 p.m. on Friday.")
    #expect(t.map(\.text).contains("U.S."))
    #expect(t.map(\.text).contains("p.m."))
    let us = try #require(t.first { $0.text == "U.S." })
    #expect(us.kind == .word)
  }

  @Test func groupedNumbersAreOneNumberToken() throws {
    let t = try tokens("about 5,000 troops and 3.5 percent")
    #expect(t.contains { $0.text == "5,000" && $0.kind == .number })
    #expect(t.contains { $0.text == "3.5" && $0.kind == .number })
  }

  @Test func hyphenatedCountIsNumberHyphenWord() throws {
    let t = try tokens("28-point")
    #expect(t.map(\.text) == ["28", "-", "point"])
    #expect(t.map(\.kind) == [.number, .punct, .word])
  }

  @Test func tokenFoldsCaseAndDiacritics() throws {
    let doc = try Support.textDocument("Micheál ZELENSKYY")
    #expect(doc.tokens.map(\.lower) == ["micheal", "zelenskyy"])
    #expect(doc.tokens[0].isCapitalized)
    #expect(doc.tokens[1].isAllCaps)
  }

  // MARK: Sentences

  @Test func splitsAtSentenceEnds() throws {
    #expect(try sentences("Talks ended. Both sides left! Will they return?").count == 3)
  }

  @Test func usAbbreviationDoesNotEndASentenceMidPhrase() throws {
    let s = try sentences("The U.S. Army sent advisers. They left.")
    #expect(s == ["The U.S. Army sent advisers.", "They left."])
  }

  @Test func usAbbreviationEndsASentenceBeforeASentenceOpener() throws {
    let s = try sentences("Sanctions came from the U.S. The Kremlin objected.")
    #expect(s == ["Sanctions came from the U.S.", "The Kremlin objected."])
  }

  @Test func timeAbbreviationDoesNotSplit() throws {
    let s = try sentences("They met at 3 p.m. Tuesday in Geneva. Then they left.")
    #expect(s.count == 2)
    #expect(s.first == "They met at 3 p.m. Tuesday in Geneva.")
  }

  @Test func titlesDoNotSplit() throws {
    let s = try sentences("Mr. Smith met Gen. Valery Gerasimov. Nothing was agreed.")
    #expect(s == ["Mr. Smith met Gen. Valery Gerasimov.", "Nothing was agreed."])
  }

  @Test func initialsDoNotSplit() throws {
    let s = try sentences("Vice President J. D. Vance spoke. He left.")
    #expect(s == ["Vice President J. D. Vance spoke.", "He left."])
  }

  @Test func closingQuotesStayWithTheirSentence() throws {
    let s = try sentences("He said: \"We will not retreat.\" Then he left.")
    #expect(s == ["He said: \"We will not retreat.\"", "Then he left."])
  }

  @Test func listItemsAreSeparateParagraphsAndSentences() throws {
    let doc = try Support.textDocument("The plan demands:\n- a ceasefire\n- elections\n- a buffer zone")
    let items = doc.clean.paragraphs.filter { $0.role == .listItem }.map { doc.clean.string($0.range) }
    #expect(items == ["a ceasefire", "elections", "a buffer zone"])
    #expect(doc.sentences.count == 4)
    #expect(Set(doc.sentences.map(\.paragraph)).count == 4)
  }

  // MARK: Quantities

  @Test func compoundPointCount() throws {
    let q = try #require(try quantities("a 28-point peace plan").first)
    #expect(q.quantity.value == 28)
    #expect(q.quantity.unit == "point")
    #expect(q.quantity.isCompoundModifier)
    #expect(q.text == "28-point")
  }

  @Test func numericRange() throws {
    let q = try #require(try quantities("trimmed to about 19-20 points").first)
    #expect(q.quantity.value == 19)
    #expect(q.quantity.upper == 20)
    #expect(q.quantity.unit == "point")
    #expect(!q.quantity.isCompoundModifier)
  }

  @Test func percent() throws {
    let q = try #require(try quantities("cut by 50% this year").first)
    #expect(q.quantity.value == 50)
    #expect(q.quantity.unit == "percent")
    let words = try #require(try quantities("cut by 50 per cent").first)
    #expect(words.quantity.unit == "percent")
  }

  @Test func areaWithTwoWordUnit() throws {
    let q = try #require(try quantities("about 5,000 square kilometers of land").first)
    #expect(q.quantity.value == 5000)
    #expect(q.quantity.unit == "square kilometer")
  }

  @Test func numberWordCompound() throws {
    let q = try #require(try quantities("a five-hour meeting").first)
    #expect(q.quantity.value == 5)
    #expect(q.quantity.unit == "hour")
    #expect(q.quantity.isCompoundModifier)
  }

  @Test func currencyWithScale() throws {
    let q = try #require(try quantities("a $100 million fund").first)
    #expect(q.quantity.value == 100_000_000)
    #expect(q.quantity.unit == "usd")
  }

  // MARK: Dates

  @Test(arguments: [
    ("2025-08-09", "2025-08-09", 10),
    ("2025-08-09T10:00:00Z rest", "2025-08-09", 20),
    ("August 9, 2025", "2025-08-09", 14),
    ("Aug. 9 2025", "2025-08-09", 11),
    ("9 August 2025", "2025-08-09", 13),
  ])
  func explicitDatePrefix(input: String, iso: String, used: Int) throws {
    let (date, n) = try #require(ExplicitDate.parsePrefix(input))
    #expect(date.description == iso)
    #expect(n == used)
  }

  @Test(arguments: ["", "yesterday", "2025-13-01", "2025-02-30", "August 2025", "32 August 2025"])
  func explicitDateRejects(input: String) {
    #expect(ExplicitDate.parsePrefix(input) == nil)
  }

  @Test func weekdayResolvesToThePastDayOfThatName() throws {
    // 2025-11-21 is a Friday: "on Tuesday" is 2025-11-18.
    let published = try #require(PartialDate(iso: "2025-11-21"))
    let d = try #require(try dates("The envoys met on Tuesday in Geneva.", published: published).first)
    #expect(d.text == "on Tuesday")
    #expect(d.mention.date?.description == "2025-11-18")
    #expect(d.mention.isRelative)
  }

  @Test func weekdayOfThePublicationDayIsThatDay() throws {
    let published = try #require(PartialDate(iso: "2025-11-21"))
    let d = try #require(try dates("Talks resumed on Friday.", published: published).first)
    #expect(d.mention.date?.description == "2025-11-21")
  }

  @Test func weekdayWithoutPublicationDateIsUnresolved() throws {
    let d = try #require(try dates("Talks resumed on Friday.", published: nil).first)
    #expect(d.mention.date == nil)
    #expect(d.mention.isRelative)
  }

  @Test func monthAloneResolvesAgainstThePublicationYear() throws {
    let published = try #require(PartialDate(iso: "2025-11-21"))
    let d = try #require(try dates("The talks began in October.", published: published).first)
    #expect(d.text == "October")
    #expect(d.mention.date?.description == "2025-10")
  }

  @Test func laterMonthBelongsToThePreviousYear() throws {
    let published = try #require(PartialDate(iso: "2025-03-02"))
    let d = try #require(try dates("The talks began in October.", published: published).first)
    #expect(d.mention.date?.description == "2024-10")
  }

  @Test func lastMonth() throws {
    let published = try #require(PartialDate(iso: "2025-01-15"))
    let d = try #require(try dates("The envoys met last month.", published: published).first)
    #expect(d.text == "last month")
    #expect(d.mention.date?.description == "2024-12")
  }

  @Test func fullDatesInText() throws {
    let found = try dates("It was signed on November 21, 2025 and again on 3 December 2025.", published: nil)
    #expect(found.map { $0.mention.date?.description } == ["2025-11-21", "2025-12-03"])
    #expect(found.allSatisfy { !$0.mention.isRelative })
  }

  @Test func mayTheVerbIsNoDate() throws {
    #expect(try dates("Talks May resume soon, officials said.", published: nil).isEmpty)
  }

  // MARK: PartialDate

  @Test func partialDateParsesISO() throws {
    #expect(PartialDate(iso: "2025")?.description == "2025")
    #expect(PartialDate(iso: "2025-10")?.description == "2025-10")
    #expect(PartialDate(iso: "2024-02-29")?.description == "2024-02-29")
    #expect(PartialDate(iso: "2025-02-29") == nil)
    #expect(PartialDate(iso: "2025-00") == nil)
    #expect(PartialDate(iso: "25-10-01") == nil)
    #expect(PartialDate(iso: "2025-1-01") == nil)
    #expect(PartialDate(iso: "") == nil)
  }

  @Test func partialDateWeekday() throws {
    #expect(PartialDate(iso: "2025-08-09")?.weekday == 6)  // Saturday
    #expect(PartialDate(iso: "1970-01-01")?.weekday == 4)  // Thursday
    #expect(PartialDate(iso: "2000-02-29")?.weekday == 2)  // Tuesday
    #expect(PartialDate(iso: "2025-08")?.weekday == nil)
  }

  @Test func partialDateAddsDaysAcrossMonthsYearsAndLeapDays() throws {
    #expect(PartialDate(iso: "2025-12-31")?.adding(days: 1)?.description == "2026-01-01")
    #expect(PartialDate(iso: "2024-02-28")?.adding(days: 1)?.description == "2024-02-29")
    #expect(PartialDate(iso: "2024-03-01")?.adding(days: -1)?.description == "2024-02-29")
    #expect(PartialDate(iso: "2025-11-21")?.adding(days: -365)?.description == "2024-11-21")
    #expect(PartialDate(iso: "2025")?.adding(days: 1) == nil)
  }

  @Test func partialDateDayNumberRoundTrips() throws {
    #expect(PartialDate(iso: "1970-01-01")?.dayNumber == 0)
    for n in stride(from: -800_000, through: 800_000, by: 9_973) {
      let d = PartialDate(dayNumber: n)
      #expect(d.dayNumber == n)
      #expect(PartialDate(iso: d.description) == d || d.year < 1000 || d.year > 9999)
    }
  }

  @Test func partialDateOrdersByPrecisionThenValue() throws {
    let a = try #require(PartialDate(iso: "2025-10"))
    let b = try #require(PartialDate(iso: "2025-10-01"))
    let c = try #require(PartialDate(iso: "2025-11-01"))
    #expect(a < b)
    #expect(b < c)
  }

  // MARK: Cleaning

  @Test func exactDuplicateParagraphsAreRemovedAndCounted() throws {
    let p = "Russia and Ukraine exchanged prisoners on Sunday."
    let c = try clean("\(p)\n\nSomething else happened.\n\n\(p)\n\n\(p)")
    #expect(c.duplicateParagraphsRemoved == 2)
    #expect(paragraphs(c).map(\.text) == [p, "Something else happened."])
  }

  @Test func duplicateKeyIgnoresCaseAndPunctuation() throws {
    let c = try clean("Talks resumed in Geneva.\n\ntalks resumed in geneva")
    #expect(c.duplicateParagraphsRemoved == 1)
  }

  @Test func nearDuplicateParagraphsAreRemoved() throws {
    let a =
      "Negotiators from both countries met in Istanbul on Friday for a third round of talks on prisoner exchanges and a ceasefire."
    let b =
      "Negotiators from both countries met in Istanbul on Friday for a third round of talks on prisoner exchanges and a truce."
    let c = try clean("\(a)\n\n\(b)")
    #expect(c.duplicateParagraphsRemoved == 1)
    #expect(paragraphs(c).map(\.text) == [a])
  }

  @Test func differentParagraphsAreKept() throws {
    let c = try clean("Russia rejected the plan.\n\nUkraine accepted the plan.")
    #expect(c.duplicateParagraphsRemoved == 0)
    #expect(c.paragraphs.count == 2)
  }

  @Test func listMarkersAreStripped() throws {
    let c = try clean(
      "Terms:\n\n- Remove all missiles.\n* Hold elections.\n\u{2022} Free prisoners.\n1. Lift sanctions.\n2) Open ports."
    )
    let items = paragraphs(c).filter { $0.role == .listItem }.map(\.text)
    #expect(
      items == ["Remove all missiles.", "Hold elections.", "Free prisoners.", "Lift sanctions.", "Open ports."])
  }

  @Test func negativeNumbersAndHyphenatedWordsAreNotListMarkers() throws {
    let c = try clean("-5 degrees in Kyiv today.\n\n2025 was a hard year.")
    #expect(c.paragraphs.allSatisfy { $0.role == .body })
  }

  @Test func boilerplateIsMarked() throws {
    let c = try clean("Russia rejected the plan.\n\nSubscribe to our newsletter for more.\n\nAll rights reserved.")
    let roles = paragraphs(c).map(\.role)
    #expect(roles == [.body, .boilerplate, .boilerplate])
  }

  @Test func authorBioIsMarked() throws {
    let text = """
      Russia rejected the plan on Monday.

      Ukraine said it would keep talking.

      Jane Doe covers Eastern Europe for the paper.
      """
    let roles = paragraphs(try clean(text)).map(\.role)
    #expect(roles == [.body, .body, .bio])
  }

  @Test func markdownHeadingsAreHeadings() throws {
    let c = try clean("# Talks in Geneva\n\nRussia rejected the plan.", format: .markdown)
    #expect(paragraphs(c).map(\.role) == [.heading, .body])
    #expect(paragraphs(c).first?.text == "Talks in Geneva")
  }

  @Test func invisibleCharactersAreDroppedButOffsetsKept() throws {
    let source = "Zelen\u{00AD}skyy met\u{200B} Macron."
    let c = try clean(source)
    #expect(c.string(0..<c.scalars.count) == "Zelenskyy met Macron.")
    let scalars = Array(source.unicodeScalars)
    let span = c.sourceSpan(0..<9)
    #expect(Support.slice(scalars, span.start, span.end) == "Zelen\u{00AD}skyy")
  }

  @Test func cleanedCharactersMapBackToTheSameSourceCharacters() throws {
    let source = """
      date 2025-08-09 Title line

        Russia and Ukraine met in Istanbul.   The talks lasted two hours.
      A second paragraph follows here, with a hard wrap that continues
      on the next line.

      - a list item
      - another item

      Russia and Ukraine met in Istanbul.   The talks lasted two hours.
      Subscribe to our newsletter.
      """
    let c = try clean(source)
    let scalars = Array(source.unicodeScalars)
    #expect(c.scalars.count == c.originStart.count)
    #expect(c.scalars.count == c.originEnd.count)
    for i in c.scalars.indices {
      let start = Int(c.originStart[i])
      let end = Int(c.originEnd[i])
      #expect(0 <= start && start <= end && end <= scalars.count)
      if end - start == 1 {
        #expect(scalars[start] == c.scalars[i], "cleaned \(i) maps to source \(start)")
      } else {
        // Synthetic characters: paragraph breaks and folded line wraps.
        #expect(c.scalars[i] == "\n" || c.scalars[i] == " ", "cleaned \(i) maps to \(start)..<\(end)")
      }
      if i > 0 { #expect(c.originStart[i] >= c.originStart[i - 1]) }
    }
  }

  @Test func typographicPunctuationIsNormalizedOneForOne() throws {
    let source = "\u{201C}No deal\u{201D} \u{2013} Kyiv\u{2019}s view"
    let c = try clean(source)
    #expect(c.string(0..<c.scalars.count) == "\"No deal\" - Kyiv's view")
    #expect(c.scalars.count == source.unicodeScalars.count)
  }

  // MARK: Header lines

  @Test func dateHeaderLineSetsPublishedAndTitle() throws {
    let url = try Support.writeTemporary(
      "a.txt", text: "date 2025-08-09 What Putin offered Trump\n\nVladimir Putin met Donald Trump in Alaska.\n")
    let (articles, errors) = Support.read(url.path)
    #expect(errors.isEmpty)
    let a = try #require(articles.first)
    #expect(a.published?.description == "2025-08-09")
    #expect(a.title == "What Putin offered Trump")
    #expect(a.bodyStart > 0)
    let x = try Support.extractor().extract(a)
    #expect(x.document.published?.description == "2025-08-09")
    #expect(x.document.title == "What Putin offered Trump")
    #expect(x.actor(named: "vladimir-putin") != nil)
    // The header line itself is not article text.
    #expect(x.actors.allSatisfy { $0.mentions.allSatisfy { $0.span.start >= a.bodyStart } })
  }

  @Test func keyValueHeaders() throws {
    let url = try Support.writeTemporary(
      "b.txt",
      text: "title: Talks in Geneva\nsource: Reuters\nurl: https://example.org/x\npublished: 2025-11-21\n\nBody text.\n"
    )
    let a = try #require(Support.read(url.path).articles.first)
    #expect(a.title == "Talks in Geneva")
    #expect(a.outlet == "Reuters")
    #expect(a.url == "https://example.org/x")
    #expect(a.published?.description == "2025-11-21")
  }

  @Test func proseIsNoHeader() throws {
    let url = try Support.writeTemporary("c.txt", text: "Source said the talks failed.\n")
    let a = try #require(Support.read(url.path).articles.first)
    #expect(a.outlet == nil)
    #expect(a.bodyStart == 0)
  }

  @Test func markdownFrontMatter() throws {
    let url = try Support.writeTemporary(
      "d.md", text: "---\ntitle: Front matter title\ndate: 2025-10-01\n---\n\n# Heading\n\nBody.\n")
    let a = try #require(Support.read(url.path).articles.first)
    #expect(a.title == "Front matter title")
    #expect(a.published?.description == "2025-10-01")
  }

  // MARK: HTML

  static let page = """
    <!DOCTYPE html>
    <html><head>
    <meta charset="utf-8">
    <title>Talks &amp; tensions | The Ledger</title>
    <meta property="article:published_time" content="2025-06-14T09:00:00Z">
    <meta property="og:site_name" content="The Ledger">
    <meta property="og:url" content="https://example.org/talks">
    <style>p { color: red; } .Lavrov { }</style>
    <script>var names = ["Sergei Lavrov", "Marco Rubio"];</script>
    </head>
    <body>
    <nav><a href="/">Home</a> <a href="/x">Benjamin Netanyahu news</a></nav>
    <article>
    <h1>Talks &amp; tensions</h1>
    <p>Ukrainian President Volodymyr Zelen&shy;skyy met Fran&ccedil;ois Bayrou and Emmanuel&nbsp;Macron in Paris on Tuesday.</p>
    <p>&ldquo;We will not accept this,&rdquo; Zelenskyy told Le&nbsp;Monde.</p>
    </article>
    <footer>Copyright The Ledger</footer>
    </body></html>
    """

  @Test func htmlHeadMetadata() throws {
    let url = try Support.writeTemporary("page.html", text: Self.page)
    let (articles, errors) = Support.read(url.path)
    #expect(errors.isEmpty)
    let a = try #require(articles.first)
    #expect(a.format == .html)
    // The <title> element, entities decoded (a trailing " | site name" may be dropped).
    #expect(a.title == "Talks & tensions" || a.title == "Talks & tensions | The Ledger", "\(a.title ?? "nil")")
    #expect(a.published?.description == "2025-06-14")
    #expect(a.outlet == "The Ledger")
    #expect(a.url == "https://example.org/talks")
  }

  @Test func htmlScriptStyleNavAreNotText() throws {
    let doc = try Support.textDocument(Self.page, format: .html)
    let text = doc.clean.string(0..<doc.clean.scalars.count)
    #expect(text.contains("Zelenskyy met"))
    #expect(!text.contains("Lavrov"))
    #expect(!text.contains("Rubio"))
    #expect(!text.contains("Netanyahu"))
    #expect(!text.contains("color"))
    #expect(!text.contains("Copyright"))
    #expect(!text.contains("<"))
  }

  @Test func htmlEntitiesAreDecoded() throws {
    let doc = try Support.textDocument(Self.page, format: .html)
    let text = doc.clean.string(0..<doc.clean.scalars.count)
    #expect(text.contains("Talks & tensions"))
    #expect(text.contains("François Bayrou"))
    #expect(text.contains("Emmanuel Macron"))
    #expect(text.contains("\"We will not accept this,\""))
    #expect(!text.contains("&amp;"))
    #expect(!text.contains("&shy;"))
  }

  @Test func htmlOffsetsPointIntoTheRawPage() throws {
    let x = try Support.extract(Self.page, format: .html)
    #expect(Support.offsetViolations(x, source: Self.page) == [])
    let zelenskyy = try #require(x.actor(named: "volodymyr-zelenskyy"))
    // The first mention spans the soft-hyphen entity as written in the page.
    #expect(zelenskyy.mentions.first?.text == "Volodymyr Zelen&shy;skyy")
    let macron = try #require(x.actor(named: "emmanuel-macron"))
    #expect(macron.mentions.first?.text == "Emmanuel&nbsp;Macron")
    #expect(x.actor(named: "sergei-lavrov") == nil)
    #expect(x.actor(named: "benjamin-netanyahu") == nil)
    #expect(x.citations.map(\.outlet) == ["Le Monde"])
  }
}
