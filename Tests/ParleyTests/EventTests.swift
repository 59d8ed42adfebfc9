import ParleyExtraction
import ParleyModel
import ParleyText
import Testing

/// Event coding: general behaviours (who did what to whom), checked by CAMEO root and the
/// affiliations of source and target rather than by exact codes or ids, so that tuning the
/// lexicon does not break them.
@Suite struct EventTests {
  /// (root, source affiliation, target affiliation) of every event.
  func triples(_ x: Extraction) -> [String] {
    x.events.map { "\($0.cameo.root) \(x.affiliation(of: $0.source) ?? "-")>\(x.affiliation(of: $0.target) ?? "-")" }
  }

  func extract(_ text: String, published: PartialDate? = nil) throws -> Extraction {
    let x = try Support.extract(text, published: published)
    #expect(Support.danglingActorIDs(x) == [])
    #expect(Support.offsetViolations(x, source: text) == [])
    return x
  }

  @Test func aPhraseAfterAnIntroducedListOfTermsIsATermNotAReport() throws {
    // A paragraph with no finite verb after "includes ...:" is an item of the terms, as a bullet
    // would be; the full sentence after it still reports.
    let x = try extract(
      "Officials say the draft includes one major concession:\n\nU.S. and British recognition of Crimea as Russian territory.\n\nBolivia rejected the draft on Monday.\n"
    )
    #expect(x.events(root: "05").isEmpty, "\(triples(x))")
    #expect(x.events(root: "12").contains { $0.source == "bolivia" }, "\(triples(x))")
  }

  @Test func meetingOfTwoSides() throws {
    let x = try extract("Witkoff and Kushner met Putin in Moscow.")
    let meetings = x.events(root: "04")
    #expect(!meetings.isEmpty, "\(triples(x))")
    #expect(
      meetings.contains { x.affiliation(of: $0.source) == "USA" && $0.target == "vladimir-putin" }, "\(triples(x))")
    #expect(meetings.allSatisfy { $0.text == "Witkoff and Kushner met Putin in Moscow." })
  }

  @Test
  func noEventWithinOneSide() throws {
    let x = try extract("Steve Witkoff met Marco Rubio in Washington.")
    #expect(x.events.isEmpty, "\(triples(x))")
  }

  @Test func restatedMeetingIsOneEvent() throws {
    let x = try extract("Putin met Witkoff in Moscow on Thursday. The Kremlin said Putin met Witkoff for five hours.")
    #expect(x.events(root: "04").count == 1, "\(triples(x))")
  }

  @Test func passiveAgentIsTheSource() throws {
    let x = try extract("The plan was rejected by Kyiv.")
    let rejections = x.events(root: "12")
    #expect(rejections.count == 1, "\(triples(x))")
    #expect(rejections.first?.source == "kyiv")
    #expect(x.affiliation(of: rejections.first?.source) == "UKR")
  }

  @Test func activeRejection() throws {
    let x = try extract("Ukraine rejected the plan.")
    #expect(triples(x) == ["12 UKR>-"])
  }

  @Test func negatedAcceptanceIsARejection() throws {
    let x = try extract("Ukraine will not accept the plan.")
    #expect(triples(x).contains("12 UKR>-"), "\(triples(x))")
    #expect(x.events(root: "08").isEmpty, "not accepting is no concession")
  }

  @Test func negatedAcceptanceInReportedSpeechIsARejection() throws {
    let x = try extract("Officials in Kyiv insisted Ukraine will not accept the plan.")
    let rejections = x.events(root: "12")
    #expect(!rejections.isEmpty, "\(triples(x))")
    #expect(rejections.allSatisfy { x.affiliation(of: $0.source) == "UKR" }, "\(triples(x))")
    #expect(x.events(root: "08").isEmpty, "\(triples(x))")
  }

  @Test func negatedMeetingIsNoMeeting() throws {
    let x = try extract("Zelensky did not meet Putin.")
    #expect(x.events(root: "04").isEmpty, "\(triples(x))")
  }

  @Test(arguments: [
    "Trump spoke of a possible meeting between Putin and Zelensky.",
    "A possible meeting between Putin and Zelensky was discussed.",
    "Putin could meet Zelensky next week.",
    "A potential summit between Putin and Zelensky remains far off.",
  ])
  func hypotheticalMeetingIsNoEvent(text: String) throws {
    let x = try extract(text)
    #expect(x.events(root: "04").isEmpty, "\(triples(x))")
  }

  @Test func actualMeetingBetweenTwoLeaders() throws {
    let x = try extract("A meeting between Putin and Zelensky took place in Istanbul.")
    #expect(
      x.events(root: "04").contains { Set([$0.source, $0.target]) == ["vladimir-putin", "volodymyr-zelenskyy"] })
  }

  @Test func militaryCaptureOfAPlace() throws {
    let x = try extract("Russian forces captured Avdiivka.")
    let fights = x.events(root: "19")
    #expect(fights.count == 1, "\(triples(x))")
    let e = try #require(fights.first)
    #expect(x.affiliation(of: e.source) == "RUS")
    #expect(x.affiliation(of: e.target) == "UKR")
    #expect(x.actor(id: e.target)?.kind == .place)
  }

  @Test func militaryAttackOnACountry() throws {
    let x = try extract("Russian troops attacked Ukraine overnight.")
    #expect(triples(x).contains("19 RUS>UKR"), "\(triples(x))")
  }

  @Test func criticismIsDisapproval() throws {
    let x = try extract("Trump criticized Zelensky on Friday.")
    #expect(triples(x) == ["11 USA>UKR"])
  }

  @Test func eventDateResolvesAgainstThePublicationDate() throws {
    let published = try #require(PartialDate(iso: "2025-11-21"))
    let x = try extract("Trump criticized Zelensky on Tuesday.", published: published)
    #expect(x.events.first?.date?.description == "2025-11-18")
  }

  @Test func hostingIsTheHostsAct() throws {
    // The codebook's 043 is the host's; the record merges it with the guest's 042 (root 04 is
    // symmetric there).
    let x = try extract("Putin hosted Witkoff in Moscow.")
    let visit = try #require(x.events(root: "04").first, "\(triples(x))")
    #expect(visit.cameo.rawValue == "043")
    #expect(visit.source == "vladimir-putin")
    #expect(visit.target == "steve-witkoff")
  }

  @Test func headingsCarryNoEvents() throws {
    let x = try extractFormatted("# Putin meets Trump in Alaska\n\nThe weather was fine.", format: .markdown)
    #expect(x.events.isEmpty, "\(triples(x))")
  }

  @Test func eventsQuoteTheirSentenceAndTrigger() throws {
    let text = "Talks were tense. Russia rejected the plan on Friday. Both sides left."
    let x = try extract(text)
    let e = try #require(x.events.first)
    #expect(e.text == "Russia rejected the plan on Friday.")
    #expect(e.trigger == "rejected")
  }

  func extractFormatted(_ text: String, format: ArticleFormat) throws -> Extraction {
    let x = try Support.extract(text, format: format)
    #expect(Support.offsetViolations(x, source: text) == [])
    return x
  }
}
