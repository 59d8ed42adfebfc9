import Foundation
import ParleyStore
import Testing

@testable import ParleyServer

/// The HTML pages rendered straight from the seed record, without a server.
@Suite struct PageTests {
  static let fixture = Result { () throws -> (RecordStore, PageRenderer) in
    let store = try StoreSupport.seedStore()
    return (store, try PageRenderer(store: store))
  }

  /// The seed corpus's meeting of Witkoff and Putin in the Kremlin.
  static func kremlinMeeting(_ store: RecordStore) throws -> EventSummary {
    let meetings = try store.events(EventFilter(actor: "vladimir-putin", cameo: "04", limit: 100)).items
    return try #require(meetings.first { [$0.source?.id, $0.target?.id].contains("steve-witkoff") })
  }

  static func twentyEightPointPlan(_ store: RecordStore) throws -> PlanSummary {
    try #require(try store.plans().first { p in p.versions.contains { $0.points == 28 } })
  }

  @Test func overviewShowsCountsEventsActorsAndPlans() throws {
    let (store, pages) = try Self.fixture.get()
    let html = try pages.overview()
    #expect(html.hasPrefix("<!DOCTYPE html>"))
    #expect(html.contains("<meta name=\"viewport\""))
    #expect(html.contains("Vladimir Putin"))
    #expect(html.contains("<svg class=\"chart bars\""), "the most active actors as a bar chart")
    #expect(html.contains("<strong>\(try store.overview().articles)</strong> articles"))
    let plan = try Self.twentyEightPointPlan(store)
    #expect(html.contains("href=\"/plans/\(plan.id)\""))
    #expect(html.contains("28 points") && html.contains("20 points"))
    for nav in ["Overview", "Timeline", "Actors", "Plans", "Search"] { #expect(html.contains(">\(nav)</a>")) }
  }

  @Test func timelineDrawsEventsAndLinksToTheirReports() throws {
    let (store, pages) = try Self.fixture.get()
    let meeting = try Self.kremlinMeeting(store)
    let html = try pages.timeline([:])
    #expect(html.contains("<svg class=\"chart timeline-chart\""))
    #expect(html.contains("href=\"/events/\(meeting.id)\""), "the Kremlin meeting is on the timeline")
    // Twenty CAMEO roots in the filter, plus "any".
    #expect(html.components(separatedBy: "<option value=\"").count - 1 >= 20)

    let filtered = try pages.timeline(["actor": "steve-witkoff", "root": "04"])
    #expect(filtered.contains("href=\"/events/\(meeting.id)\""))
    #expect(filtered.contains("<option value=\"04\" selected>"))
    #expect(filtered.contains("value=\"steve-witkoff\""))
    #expect(!filtered.contains("Vladimir Putin</a> <a class=\"event-link\" href=\"/events/\(meeting.id + 100_000)"))
    let none = try pages.timeline(["actor": "nobody-at-all"])
    #expect(none.contains("No events match."))
  }

  @Test func eventPageListsEveryReport() throws {
    let (store, pages) = try Self.fixture.get()
    let meeting = try Self.kremlinMeeting(store)
    let html = try #require(try pages.event(id: meeting.id))
    for article in meeting.articleIds { #expect(html.contains("href=\"/articles/\(article)\"")) }
    #expect(html.contains("<mark>"), "the trigger word is marked in the sentence")
    #expect(html.contains("Kremlin"))
    #expect(try pages.event(id: 987_654) == nil)
  }

  @Test func actorPageShowsWhoTheyAreAndWhomTheyMeet() throws {
    let (_, pages) = try Self.fixture.get()
    let html = try #require(try pages.actor(id: "vladimir-putin"))
    #expect(html.contains("<h1>Vladimir Putin</h1>"))
    #expect(html.contains("<svg class=\"chart network\""))
    #expect(html.contains("href=\"/actors/steve-witkoff\""), "Witkoff is a counterpart")
    #expect(html.contains("<line class=\"edge "))
    #expect(html.contains("04 Consult"))
    #expect(try pages.actor(id: "no-such-actor") == nil)
    let zelensky = try #require(try pages.actor(id: "volodymyr-zelenskyy"))
    #expect(zelensky.contains("Spellings"), "the actor's other spellings are listed")
  }

  @Test func articleReaderHighlightsAndLinksTheRecord() throws {
    let (store, pages) = try Self.fixture.get()
    let meeting = try Self.kremlinMeeting(store)
    let articleId = try #require(meeting.articleIds.first)
    let html = try #require(try pages.article(id: articleId))
    #expect(html.contains("class=\"hl hl-actor\" href=\"/actors/vladimir-putin\""))
    #expect(html.contains("href=\"/events/\(meeting.id)\""), "the event sentence links to the event")
    #expect(html.contains("<span class=\"hl-event\">"))
    #expect(html.components(separatedBy: "\n<p>").count > 3, "paragraphs are kept")
    #expect(try pages.article(id: 987_654) == nil)
  }

  @Test func planPageShowsBothVersionsAndThePositionsMatrix() throws {
    let (store, pages) = try Self.fixture.get()
    let plan = try Self.twentyEightPointPlan(store)
    let html = try #require(try pages.plan(id: plan.id))
    #expect(html.contains("28 points"))
    #expect(html.contains("20 points"))
    #expect(html.components(separatedBy: "<section class=\"version\">").count - 1 == plan.versions.count)
    #expect(html.contains("status-dropped"), "what the 20-point version dropped is marked")
    #expect(html.contains("Russia"))
    #expect(html.contains("Ukraine"))
    #expect(html.contains("<details><summary>"), "evidence opens on click")
    #expect(html.contains("title=\"“"), "and shows on hover")
    #expect(try pages.plan(id: 987_654) == nil)
    let all = try pages.plans()
    #expect(all.contains("href=\"/plans/\(plan.id)\""))
  }

  @Test func pageQueriesAgreeWithThePlanQuery() throws {
    let (store, _) = try Self.fixture.get()
    let plans = try store.plans()
    let outlines = try store.planOutlines(limit: 1000).items
    #expect(Set(outlines.map(\.id)) == Set(plans.map(\.id)))
    for plan in plans {
      #expect(try store.plan(id: plan.id) == plan, "one plan reads as in the list of all")
      let outline = try #require(outlines.first { $0.id == plan.id })
      #expect(outline.versions.map(\.id) == plan.versions.map(\.id), "versions in the same order")
      #expect(outline.versions.allSatisfy { $0.provisions.isEmpty })
    }
    #expect(try store.plan(id: 987_654) == nil)
  }

  @Test func searchMarksTheTermsInSnippets() throws {
    let (_, pages) = try Self.fixture.get()
    let html = try pages.search(["q": "Kremlin"])
    #expect(html.contains("<mark>Kremlin</mark>"))
    #expect(html.contains("value=\"Kremlin\""))
    #expect(!html.contains("[Kremlin]"))
    let empty = try pages.search([:])
    #expect(!empty.contains("match."))
  }

  @Test func listsAndNotFound() throws {
    let (_, pages) = try Self.fixture.get()
    #expect(try pages.actors([:]).contains("href=\"/actors/vladimir-putin\""))
    #expect(try pages.actors(["q": "Zelensky"]).contains("volodymyr-zelenskyy"))
    #expect(try pages.articles([:]).contains("href=\"/articles/1\""))
    #expect(try pages.notFound("The record has no such actor.").contains("no such actor"))
  }
}

extension PageTests {
  /// Everything an article says reaches the browser as text, never as markup.
  @Suite struct Escaping {
    static let hostile = """
      title: Talks <script>alert(1)</script> in Geneva <img src=x onerror=alert(1)>
      date 2026-03-10

      Qatari Prime Minister Mohammed bin Abdulrahman Al Thani met Egyptian Foreign Minister Badr Abdelatty in Geneva <script>alert(1)</script> on Monday to discuss a ceasefire in Gaza <img src=x onerror=alert(1)>.

      Hamas demanded a permanent ceasefire <script>alert(1)</script> and the full withdrawal of Israeli forces from Gaza.
      """

    @Test func scriptInAnArticleIsShownAsText() throws {
      let store = try StoreSupport.emptyStore()
      try StoreSupport.ingest(Self.hostile, into: store, name: "x.txt")
      let pages = try PageRenderer(store: store)
      let article = try #require(try store.articles().items.first)
      let event = try #require(try store.events(EventFilter()).items.first)
      let actorId = try #require(event.source?.id)
      let rendered: [(String, String)] = [
        ("reader", try #require(try pages.article(id: article.id))),
        ("search", try pages.search(["q": "alert"])),
        ("overview", try pages.overview()),
        ("timeline", try pages.timeline(["actor": "<script>alert(1)</script>"])),
        ("event", try #require(try pages.event(id: event.id))),
        ("actor", try #require(try pages.actor(id: actorId))),
        ("articles", try pages.articles([:])),
      ]
      for (name, html) in rendered {
        #expect(!html.contains("<script>alert"), "\(name) has a raw script tag")
        #expect(!html.contains("<img src=x"), "\(name) has a raw img tag")
      }
      for (name, html) in rendered where name != "actor" {
        #expect(html.contains("&lt;script&gt;"), "\(name) shows the script tag as text")
      }
    }
  }
}

extension PageTests {
  /// The geometry of the server-drawn charts.
  @Suite struct Charts {
    @Test func daysRoundTripAndPrefixesMeanTheFirstDay() throws {
      let day = try #require(Day(iso: "2025-11-20"))
      #expect(day.iso == "2025-11-20")
      #expect(Day(iso: "1970-01-01")?.number == 0)
      #expect(Day(iso: "2024-03-01")?.number == (Day(iso: "2024-02-28")?.number ?? 0) + 2, "2024 is a leap year")
      #expect(Day(iso: "2025-11")?.iso == "2025-11-01")
      #expect(Day(iso: "2025")?.iso == "2025-01-01")
      #expect(Day(iso: "2025-13-01") == nil)
      #expect(Day(iso: "soon") == nil)
    }

    static func item(_ id: Int64, _ date: String?) -> TimelineItem {
      TimelineItem(id: id, date: date, title: "event \(id)", quadClass: 1, href: "/events/\(id)")
    }

    @Test func timelinePlacesDotsByDateAndStacksTheSameDay() throws {
      let chart = TimelineChart.layout([
        Self.item(1, "2025-11-01"), Self.item(2, "2025-11-29"), Self.item(3, "2025-11-29"), Self.item(4, nil),
        Self.item(5, "2025-11-15"),
      ])
      #expect(chart.undated.map(\.id) == [4])
      let byId = Dictionary(uniqueKeysWithValues: chart.dots.map { (Int64($0.href.dropFirst(8)) ?? 0, $0) })
      let (a, b, c, d) = try (#require(byId[1]), #require(byId[2]), #require(byId[3]), #require(byId[5]))
      #expect(a.x < d.x && d.x < b.x)
      #expect(abs(d.x - (a.x + b.x) / 2) < 1, "the middle of the month is in the middle")
      #expect(b.x == c.x && b.y != c.y, "same day: stacked, not hidden")
      #expect(a.x >= TimelineChart.margin && b.x <= TimelineChart.width - TimelineChart.margin)
      // Every dot sits above the axis.
      let axis = try #require(Double(chart.axisY))
      #expect(chart.dots.allSatisfy { $0.y < axis })
      #expect(!chart.ticks.isEmpty && chart.ticks.count <= 7)
    }

    @Test func timelineWithOneDayOrNoDates() {
      let one = TimelineChart.layout([Self.item(1, "2025-06-14")])
      #expect(one.dots.count == 1)
      #expect(abs((one.dots.first?.x ?? 0) - TimelineChart.width / 2) < 1)
      let none = TimelineChart.layout([Self.item(1, nil)])
      #expect(!none.hasDots && none.undated.count == 1)
    }

    @Test func monthTicksForLongSpans() {
      let ticks = TimelineChart.ticks(
        from: Day(iso: "2025-01-10")?.number ?? 0, to: Day(iso: "2025-12-20")?.number ?? 0)
      #expect(ticks.first?.label == "2025-02")
      #expect(ticks.count <= 7)
    }

    @Test func barsAreProportional() {
      let chart = BarChart.layout(
        [BarItem(label: "A", value: 10, href: "/a"), BarItem(label: "B", value: 5, href: "/b")], ariaLabel: "test")
      #expect(chart.bars.count == 2)
      let (a, b) = (chart.bars[0], chart.bars[1])
      #expect(abs(a.barWidth - 2 * b.barWidth) < 0.01)
      #expect(a.y != b.y)
      let long = BarChart.layout(
        [BarItem(label: String(repeating: "x", count: 60), value: 1, href: "/")], ariaLabel: "")
      #expect(long.bars[0].label.count <= 26)
      #expect(long.bars[0].fullLabel.count == 60)
    }

    @Test func networkPutsCounterpartsOnACircleAndWeighsEdges() {
      let peers = NetworkChart.peers([
        ("a", "Alpha", "04", "Consult", 4), ("b", "Beta", "12", "Reject", 1), ("c", "Gamma", "04", "Consult", 1),
        ("c", "Gamma", "17", "Coerce", 1), ("a", "Alpha", "10", "Demand", 1),
      ])
      #expect(peers.map(\.id) == ["a", "b", "c"])
      #expect(peers[0].cooperation == 4 && peers[0].conflict == 1)
      let chart = NetworkChart.layout(centre: ("Centre", "/actors/x"), peers: peers)
      let centre = chart.centre
      let radii = chart.nodes.map { hypot($0.x - centre.x, $0.y - centre.y) }
      #expect(radii.allSatisfy { abs($0 - radii[0]) < 0.01 }, "all on one circle")
      #expect(chart.nodes.first?.label == "Alpha", "the busiest counterpart first")
      #expect(chart.nodes.first.map { $0.y < centre.y } == true, "at the top")
      let edges = Dictionary(uniqueKeysWithValues: chart.edges.map { ($0.title.prefix(4), $0) })
      #expect(edges["Alph"]?.cssClass == "coop")
      #expect(edges["Beta"]?.cssClass == "conflict")
      #expect(edges["Gamm"]?.cssClass == "mixed")
      #expect((edges["Alph"]?.width ?? 0) > (edges["Beta"]?.width ?? 0))
    }

    @Test func networkLeavesOutTheQuietestBeyondTheLimit() {
      let many = (0..<20).map { i in
        NetworkPeer(id: "p\(i)", name: "P\(i)", cooperation: i, conflict: 0, other: 0, summary: "")
      }
      let chart = NetworkChart.layout(centre: ("C", "/"), peers: many)
      #expect(chart.nodes.count == NetworkChart.maxPeers)
      #expect(chart.omitted == 20 - NetworkChart.maxPeers && chart.hasOmitted)
    }
  }
}

extension PageTests {
  /// The article reader's cutting of text into highlighted segments.
  @Suite struct ArticleTextCutting {
    /// Highlights come from the store, which offers no public initializer; JSON is its public shape.
    static func highlight(_ kind: String, _ start: Int, _ end: Int, _ ref: String) throws -> Highlight {
      let json = #"{"kind":"\#(kind)","start":\#(start),"end":\#(end),"text":"","ref":"\#(ref)","label":"\#(ref)"}"#
      return try JSONDecoder().decode(Highlight.self, from: Data(json.utf8))
    }

    static func render(_ source: String, html: Bool = false, _ highlights: [Highlight]) -> [ArticleParagraph] {
      ArticleText.paragraphs(
        source: source, html: html, highlights: highlights,
        link: { SegmentLink(href: "/\($0.kind)/\($0.ref)", kind: $0.kind, title: $0.label) },
        badge: { ArticleBadge(href: "/\($0.kind)/\($0.ref)", label: $0.ref, title: "", cssClass: $0.kind) })
    }

    @Test func overlappingHighlightsBecomeNestedSegments() throws {
      // "Putin met Witkoff." with the sentence an event and both names actors.
      let text = "Intro.\n\nPutin met Witkoff. Then more."
      let s = 8
      let paragraphs = Self.render(
        text,
        [
          try Self.highlight("event", s, s + 18, "7"), try Self.highlight("actor", s, s + 5, "putin"),
          try Self.highlight("actor", s + 10, s + 17, "witkoff"),
        ])
      #expect(paragraphs.count == 2)
      let segments = paragraphs[1].segments
      #expect(segments.map(\.text).joined() == "Putin met Witkoff. Then more.")
      #expect(segments[0].text == "Putin" && segments[0].link?.href == "/actor/putin")
      #expect(segments[0].badges.map(\.href) == ["/event/7"], "the event is linked once, at its start")
      #expect(segments[0].cssClass == "hl-event")
      #expect(segments[1].text == " met " && segments[1].link == nil && segments[1].cssClass == "hl-event")
      #expect(segments[2].link?.href == "/actor/witkoff")
      #expect(segments.last?.cssClass == "" && segments.last?.text == " Then more.")
    }

    @Test func theShortestMentionWinsWhenMentionsOverlap() throws {
      let text = "according to Reuters News"
      let paragraphs = Self.render(
        text, [try Self.highlight("citation", 0, 25, "Reuters"), try Self.highlight("actor", 13, 20, "reuters-org")])
      let linked = paragraphs[0].segments.compactMap { $0.link.map { ($0.kind, $0.href) } }
      #expect(linked.map(\.0) == ["citation", "actor", "citation"])
    }

    @Test func offsetsCountUnicodeScalars() throws {
      // "é" written as e + combining accent is two code points but one Character.
      let text = "Caf\u{65}\u{301} talks: Putin"
      let start = Array(text.unicodeScalars).count - 5
      let paragraphs = Self.render(text, [try Self.highlight("actor", start, start + 5, "putin")])
      #expect(paragraphs[0].segments.last?.text == "Putin")
    }

    @Test func htmlMarkupIsHiddenAndOffsetsKept() throws {
      let html =
        "<html><head><title>T</title><script>var x = 1;</script></head><body><p>Araghchi &amp; Witkoff met.</p><p>Next</p></body></html>"
      let start =
        Array(html.unicodeScalars).count - Array("Witkoff met.</p><p>Next</p></body></html>".unicodeScalars).count
      let paragraphs = Self.render(html, html: true, [try Self.highlight("actor", start, start + 7, "witkoff")])
      #expect(paragraphs.count == 2)
      let first = paragraphs[0].segments
      #expect(first.map(\.text).joined() == "Araghchi & Witkoff met.")
      #expect(first.contains { $0.text == "Witkoff" && $0.link?.href == "/actor/witkoff" })
      #expect(!paragraphs.flatMap(\.segments).contains { $0.text.contains("var x") || $0.text.contains("<") })
    }

    @Test func highlightsOutsideTheTextAreClamped() throws {
      let paragraphs = Self.render(
        "Short.", [try Self.highlight("actor", 3, 99, "x"), try Self.highlight("event", 50, 60, "y")])
      #expect(paragraphs[0].segments.map(\.text).joined() == "Short.")
    }

    @Test func searchSnippetMarkersBecomeMarkedParts() {
      let parts = PageRenderer.snippetParts("…the [Kremlin] said <b>[no]</b> [unclosed")
      #expect(parts.filter(\.marked).map(\.text) == ["Kremlin", "no"])
      #expect(parts.map(\.text).joined() == "…the Kremlin said <b>no</b> [unclosed")
    }

    @Test func queryStringsDecodeLikeForms() {
      let q = Links.parseQuery("q=peace+plan&actor=%3Cscript%3E&empty=&q=second")
      #expect(q["q"] == "peace plan")
      #expect(q["actor"] == "<script>")
      #expect(q["empty"] == nil)
      #expect(Links.actor("a b/c") == "/actors/a%20b%2Fc")
      #expect(
        Links.with("/timeline", [("outlet", "The Times & Co"), ("from", nil)])
          == "/timeline?outlet=The%20Times%20%26%20Co")
    }
  }
}

extension PageTests {
  /// The pages as the real server answers them: content types, caching, HTML 404s.
  @Suite struct OverHTTP {
    @Test func pagesStaticFilesAndErrorsOverHTTP() async throws {
      let (store, _) = try PageTests.fixture.get()
      let server = try await ServerSupport.start(store: store)
      do {
        for path in ["/", "/timeline?root=04&actor=Putin", "/actors", "/actors/vladimir-putin", "/articles", "/plans"] {
          let page = try await server.get(path)
          #expect(page.status == 200, "\(path)")
          #expect(page.headers["content-type"] == "text/html; charset=utf-8", "\(path)")
        }
        let css = try await server.get("/static/style.css")
        #expect(css.status == 200)
        #expect(css.headers["content-type"] == "text/css; charset=utf-8")
        #expect(css.headers["cache-control"]?.contains("max-age") == true)
        let etag = try #require(css.headers["etag"])
        let again = try await server.get("/static/style.css", headers: ["If-None-Match": etag])
        #expect(again.status == 304 && again.body.isEmpty, "an unchanged file is not sent again")
        #expect(try await server.get("/static/favicon.svg").headers["content-type"] == "image/svg+xml")

        for path in ["/no/such/page", "/actors/no-such-actor", "/events/abc", "/plans/987654", "/static/nope.css"] {
          let missing = try await server.get(path)
          #expect(missing.status == 404, "\(path)")
          #expect(missing.headers["content-type"] == "text/html; charset=utf-8", "\(path)")
          #expect(String(decoding: missing.body, as: UTF8.self).contains("<h1>Not found</h1>"), "\(path)")
        }
        // The API keeps answering in JSON.
        let api = try await server.get("/api/v1/no-such-endpoint")
        #expect(api.status == 404)
        #expect(api.headers["content-type"]?.hasPrefix("application/json") == true)
      } catch {
        await server.stop()
        throw error
      }
      await server.stop()
    }
  }
}
