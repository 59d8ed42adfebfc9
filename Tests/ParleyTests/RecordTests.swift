import Foundation
import ParleyModel
import ParleyRecord
import Testing

/// The record layer's rules: near-duplicate signatures, stance cues, plan revision cues and the analyst's file.
@Suite struct RecordTests {

  // MARK: MinHash

  static let talksHeadline = "Envoys trade drafts as ceasefire talks drag into a third day"
  static let talksBody = """
    Negotiators from both delegations spent a third consecutive day in a lakeside hotel outside the capital on \
    Wednesday, exchanging marked-up copies of a framework that mediators hope will end months of fighting along the \
    southern front. Officials familiar with the sessions said the atmosphere had improved since Monday, when one \
    delegation walked out for several hours over the sequencing of prisoner releases.

    The framework, which runs to about a dozen pages, sets out a phased ceasefire that would begin with a halt to \
    long-range strikes on energy facilities and expand within thirty days to a full cessation of hostilities along \
    the contact line. A monitoring mission drawn from neutral states would patrol a buffer strip several kilometres \
    wide, reporting violations to a joint commission that meets weekly.

    The hardest questions remain unresolved. One side wants guarantees that troops withdrawn from the buffer strip \
    cannot be redeployed elsewhere, while the other insists that any limits on its armed forces must be matched by \
    reductions on the opposite bank of the river. Diplomats described the gap on territory as wide but not \
    unbridgeable, noting that neither delegation had repeated its most maximalist public claims inside the room.

    Humanitarian provisions appear closer to agreement. Drafts seen by reporters include an all-for-all prisoner \
    exchange, the return of civilians detained since the start of the conflict, and safe passage for grain convoys \
    leaving the port. Aid agencies have urged both sides to finalise those clauses first, arguing that they could be \
    implemented even if the political talks stall.

    The mediators have set no formal deadline, but several participants said they expected a decision by the end of \
    the week on whether to convene leaders for a signing. Markets in the region rose modestly on the reports, and \
    the currency strengthened against the dollar for a second day.
    """

  /// The same story as another outlet runs it: its own headline, a newsletter line and a few words changed.
  static var republished: String {
    let edited =
      talksBody
      .replacingOccurrences(of: "third consecutive day", with: "third straight day")
      .replacingOccurrences(of: "about a dozen pages", with: "roughly a dozen pages")
      .replacingOccurrences(of: "kilometres", with: "kilometers")
      .replacingOccurrences(of: "Aid agencies", with: "Relief agencies")
      .replacingOccurrences(of: "rose modestly", with: "rose slightly")
    return "Ceasefire framework takes shape after marathon sessions\n\n" + edited
      + "\n\nSign up for our morning briefing to get the top stories in your inbox."
  }

  /// Another story on the same negotiation, written independently.
  static let frontlineStory = """
    Frontline towns sceptical as diplomats talk peace

    In the market of a small town twenty kilometres from the front, few shoppers on Saturday believed that the talks \
    taking place hundreds of miles away would change much in their lives. Shelling had eased in recent weeks, \
    residents said, but drones still circled over the fields at night and the school had not reopened since the \
    spring.

    A pensioner selling apples from the boot of her car said she had heard promises of a truce many times before. \
    Her son serves in a unit stationed near the river, and she speaks to him by phone when the connection allows. \
    The local administration has prepared shelters in basements and distributes drinking water twice a week because \
    the pumping station was damaged last year.

    Analysts say a ceasefire agreement, if one is reached, would face its toughest test in places like this, where \
    positions are close and small incidents can escalate quickly. Previous truces in the region collapsed within \
    weeks after each side accused the other of violations that could not be independently verified. Observers argue \
    that a credible monitoring body, with access to both sides of the line and the ability to publish its findings, \
    is the minimum needed for any deal to hold.

    Officials in the regional capital were cautiously hopeful. A deputy governor told a press briefing that \
    reconstruction plans were ready for roads, bridges and the hospital, and that foreign donors had pledged funding \
    on the condition that fighting stops. He declined to speculate about the political terms under discussion, \
    saying only that residents deserved the chance to return home.

    By evening the market had emptied, and a convoy of military trucks passed through the main square heading east.
    """

  @Test func identicalTextsAreFullySimilar() {
    let hasher = MinHasher()
    let text = Self.talksHeadline + "\n\n" + Self.talksBody
    let a = hasher.signature(of: text)
    #expect(a.count == 128)
    #expect(MinHasher.similarity(a, hasher.signature(of: text)) == 1.0)
  }

  @Test func republishedCopyIsANearDuplicateAndSharesABand() {
    let hasher = MinHasher()
    let original = hasher.signature(of: Self.talksHeadline + "\n\n" + Self.talksBody)
    let copy = hasher.signature(of: Self.republished)
    #expect(MinHasher.similarity(original, copy) >= MinHasher.nearDuplicateThreshold)
    let shared = Set(hasher.bandKeys(of: original)).intersection(hasher.bandKeys(of: copy))
    #expect(!shared.isEmpty)
  }

  @Test func independentStoriesOnOneTopicAreNotNearDuplicates() {
    let hasher = MinHasher()
    let a = hasher.signature(of: Self.talksHeadline + "\n\n" + Self.talksBody)
    let b = hasher.signature(of: Self.frontlineStory)
    #expect(MinHasher.similarity(a, b) < 0.3)
    #expect(Set(hasher.bandKeys(of: a)).isDisjoint(with: hasher.bandKeys(of: b)))
  }

  @Test func signaturesAreDeterministic() {
    let hasher = MinHasher()
    let text = "Negotiators met in Geneva on Tuesday to discuss a ceasefire."
    let first = hasher.signature(of: text)
    #expect(first == MinHasher().signature(of: text))
    // Pinned so a change of hash function, seeds or word splitting cannot slip through: stored signatures
    // would silently stop matching new ones.
    #expect(first.first == 100_028_190)
    #expect(Array(first.prefix(4)) == [100_028_190, 791_936_331, 17_564_638, 100_610_806])
  }

  @Test func wordsAreCaseAndDiacriticFolded() {
    let hasher = MinHasher()
    #expect(
      hasher.signature(of: "Talks in Genève resumed; the ENVOY left.")
        == hasher.signature(of: "talks in geneve resumed the envoy left"))
  }

  @Test func shortAndEmptyTexts() {
    let hasher = MinHasher()
    let short = hasher.signature(of: "Truce holds")
    #expect(short.count == 128)
    #expect(MinHasher.similarity(short, hasher.signature(of: "truce, holds!")) == 1.0)
    #expect(hasher.signature(of: " -- ").isEmpty)
    #expect(hasher.bandKeys(of: []).isEmpty)
    #expect(MinHasher.similarity([], []) == 0)
  }

  @Test func bandKeysAreNonNegativeAndOnePerBand() {
    let hasher = MinHasher()
    let keys = hasher.bandKeys(of: hasher.signature(of: Self.frontlineStory))
    #expect(keys.count == 32)
    #expect(keys.allSatisfy { $0 >= 0 })
    #expect(Set(keys).count == 32)
  }

  @Test func encodingRoundTrips() {
    let hasher = MinHasher()
    let signature = hasher.signature(of: Self.talksBody)
    let bytes = MinHasher.encode(signature)
    #expect(bytes.count == 512)
    #expect(MinHasher.decode(bytes) == signature)
    #expect(MinHasher.encode([0x0403_0201]) == [1, 2, 3, 4])
    #expect(MinHasher.decode([1, 2, 3]) == nil)
    #expect(MinHasher.decode([]) == [])
  }

  @Test func longTextsAreCheap() {
    let hasher = MinHasher()
    let words = Self.talksBody.split(separator: " ")
    let long = (0..<5000).map { words[$0 % words.count] }.joined(separator: " ")
    let clock = ContinuousClock()
    var signature: [UInt32] = []
    let elapsed = clock.measure { signature = hasher.signature(of: long) }
    #expect(signature.count == 128)
    // Generous for debug builds; a per-permutation string hash would take several times longer.
    #expect(elapsed < .milliseconds(500), "\(elapsed)")
  }

  // MARK: Stances

  struct StanceCase: Sendable, CustomTestStringConvertible {
    var sentence: String
    var provision: String
    var hasDemander: Bool
    var expected: Stance?
    var testDescription: String { sentence }
  }

  static let stanceCases: [StanceCase] = [
    .init(
      sentence: "Moscow insists Kyiv hand over the rest of the region", provision: "hand over the rest of the region",
      hasDemander: true, expected: .demands),
    .init(
      sentence: "Kyiv has said it will never give up the region", provision: "give up the region", hasDemander: false,
      expected: .redLine),
    .init(
      sentence: "The president said the proposal was unacceptable", provision: "", hasDemander: false,
      expected: .rejects),
    .init(
      sentence: "Kyiv's negotiators signalled they were ready to accept a freeze along the front",
      provision: "a freeze along the front", hasDemander: false, expected: .accepts),
    .init(
      sentence: "Washington proposed a demilitarized zone", provision: "a demilitarized zone", hasDemander: true,
      expected: .proposes),
    .init(
      sentence: "They would not accept any cap on the army", provision: "any cap on the army", hasDemander: false,
      expected: .rejects),
    .init(
      sentence: "Neutrality is non-negotiable for the Kremlin, an aide told reporters", provision: "Neutrality",
      hasDemander: false, expected: .redLine),
    .init(
      sentence: "The foreign minister insisted that Ukraine could not cede the eastern territories",
      provision: "the eastern territories", hasDemander: true, expected: .rejects),
    .init(
      sentence: "Moscow insisted that Ukraine must not join any military alliance",
      provision: "join any military alliance", hasDemander: true, expected: .demands),
    .init(
      sentence: "Officials in Kyiv were not ready to discuss a partition of the country",
      provision: "a partition of the country", hasDemander: false, expected: .rejects),
    .init(
      sentence: "The draft calls for an international monitoring mission along the contact line",
      provision: "an international monitoring mission along the contact line", hasDemander: false,
      expected: .proposes),
    .init(
      sentence: "The plan would require Kyiv to shrink its armed forces", provision: "shrink its armed forces",
      hasDemander: false, expected: .proposes),
    .init(
      sentence: "Russia rejected an unconditional truce but demanded that Ukrainian troops leave the region",
      provision: "Ukrainian troops leave the region", hasDemander: true, expected: .demands),
    .init(
      sentence: "Russia rejected an unconditional truce but demanded that Ukrainian troops leave the region",
      provision: "an unconditional truce", hasDemander: false, expected: .rejects),
    .init(
      sentence: "European leaders backed the idea of a reassurance force", provision: "a reassurance force",
      hasDemander: false, expected: .accepts),
    .init(
      sentence: "Russian-backed officials held a vote in the region", provision: "", hasDemander: false,
      expected: nil),
    .init(
      sentence: "The talks resumed in Istanbul on Monday", provision: "", hasDemander: false, expected: nil),
    .init(
      sentence: "The delegation raised the exchange of prisoners on Monday", provision: "the exchange of prisoners",
      hasDemander: true, expected: .demands),
    .init(
      sentence: "Kyiv did not rule out a referendum on the settlement", provision: "a referendum on the settlement",
      hasDemander: false, expected: .accepts),
    .init(
      sentence: "The Kremlin says under no circumstances will it return the occupied areas",
      provision: "return the occupied areas", hasDemander: false, expected: .redLine),
    .init(
      sentence: "Budapest\u{2019}s envoy said his government won\u{2019}t back new sanctions",
      provision: "new sanctions",
      hasDemander: false, expected: .rejects),
    .init(
      sentence: "The envoy offered to lift some sanctions in exchange for a ceasefire",
      provision: "lift some sanctions",
      hasDemander: false, expected: .proposes),
    .init(
      sentence: "Ukraine demands the return of all deported children", provision: "the return of all deported children",
      hasDemander: true, expected: .demands),
    .init(
      sentence: "Moscow is open to a phased lifting of sanctions", provision: "a phased lifting of sanctions",
      hasDemander: false, expected: .accepts),
    .init(
      sentence: "An aide said Kyiv was no longer willing to consider a freeze", provision: "a freeze",
      hasDemander: false, expected: .rejects),
    .init(
      sentence: "Both sides agreed to a prisoner exchange before the holidays", provision: "a prisoner exchange",
      hasDemander: false, expected: .accepts),
    .init(
      sentence: "Kyiv sees the question of its future in NATO as a red line", provision: "its future in NATO",
      hasDemander: false, expected: .redLine),
    .init(
      sentence: "Kyiv said it does not intend to recognize the annexation", provision: "recognize the annexation",
      hasDemander: true, expected: .rejects),
  ]

  @Test(arguments: stanceCases)
  func stanceOfSentence(_ c: StanceCase) throws {
    let classifier = try StanceClassifier.bundled()
    #expect(classifier.stance(sentence: c.sentence, provision: c.provision, hasDemander: c.hasDemander) == c.expected)
  }

  @Test func demanderAloneIsADemandAndNothingElseIsNoStance() throws {
    let classifier = try StanceClassifier.bundled()
    let s = "The talks resumed in Istanbul on Monday"
    #expect(classifier.stance(sentence: s, provision: "", hasDemander: true) == .demands)
    #expect(classifier.stance(sentence: s, provision: "", hasDemander: false) == nil)
  }

  @Test func precedenceOrdersStances() {
    let order = Stance.allCases.sorted { $0.precedence < $1.precedence }
    #expect(order == [.proposes, .demands, .accepts, .rejects, .redLine])
    #expect(Stance(rawValue: "red_line") == .redLine)
  }

  @Test func customLexiconLoadsAndBadOneNamesTheFile() throws {
    let lexicon = StanceLexicon(
      redLine: ["hard limit"], rejects: ["nope"], accepts: ["fine with"], demands: ["asks"], proposes: ["floats"])
    let classifier = StanceClassifier(lexicon: lexicon)
    #expect(
      classifier.stance(sentence: "The envoy floats a truce", provision: "a truce", hasDemander: false) == .proposes)
    #expect(classifier.stance(sentence: "Kyiv is fine with a truce", provision: "", hasDemander: false) == .accepts)

    let bad = try Support.writeTemporary("stances.json", text: #"{"red_line": ["x"], "rejects": 3}"#)
    #expect {
      _ = try StanceClassifier.load(from: bad)
    } throws: { error in
      "\(error)".contains(bad.path) && "\(error)".contains("rejects")
    }
  }

  // MARK: Plan revisions

  struct RevisionCase: Sendable, CustomTestStringConvertible {
    var context: String
    var name: String
    var expected: RevisionCue
    var testDescription: String { "\(name) in: \(context)" }
  }

  static let revisionCases: [RevisionCase] = [
    .init(
      context: "Officials compared the original 28-point draft with the text now on the table",
      name: "28-point draft", expected: .earlier),
    .init(context: "The revised 20-point plan was presented in Geneva", name: "20-point plan", expected: .later),
    .init(
      context: "The revised 20-point plan was presented in Geneva", name: "revised 20-point plan", expected: .later),
    .init(context: "The leaked draft alarmed European capitals", name: "draft", expected: .earlier),
    .init(context: "A 28-point draft circulated among diplomats", name: "28-point draft", expected: .earlier),
    .init(context: "A revised draft was sent to Moscow on Friday", name: "revised draft", expected: .later),
    .init(
      context: "The 28-point plan revised over the weekend now has fewer points", name: "28-point plan",
      expected: .later),
    .init(
      context: "The 28-point plan first reported by a news site caused alarm", name: "28-point plan",
      expected: .unmarked),
    .init(
      context: "Kyiv raised new objections to the 28-point plan", name: "28-point plan", expected: .unmarked),
    .init(
      context: "The new version of the plan drops the amnesty clause", name: "plan", expected: .later),
    .init(
      context: "European officials drew up a counter-proposal over the weekend", name: "counter-proposal",
      expected: .later),
    .init(context: "The peace plan was discussed in Miami", name: "peace plan", expected: .unmarked),
    .init(
      context: "Diplomats said the streamlined framework kept the clause on elections", name: "framework",
      expected: .later),
    .init(context: "Nothing here names it", name: "initial peace plan", expected: .earlier),
  ]

  @Test(arguments: revisionCases)
  func revisionCueOfMention(_ c: RevisionCase) throws {
    let cues = try RevisionCues.bundled()
    #expect(cues.cue(context: c.context, name: c.name) == c.expected)
  }

  @Test func revisionCuesOrder() {
    #expect(RevisionCue.earlier < .unmarked && RevisionCue.unmarked < .later)
  }

  @Test(arguments: [
    ("28-point peace plan", "peace plan"),
    ("19-20 points", "plan"),
    ("Land for Peace", "land for peace"),
    ("the revised 20-point plan", "plan"),
    ("original 28-point peace plan", "peace plan"),
    ("Twelve-point plan", "plan"),
    ("Revised Peace Framework", "peace framework"),
    ("Russia\u{2019}s memorandum", "russia memorandum"),
    ("Resolution 2202", "resolution 2202"),
    ("\u{201C}land for peace\u{201D} proposal", "land for peace proposal"),
    ("leaked draft", "plan"),
  ])
  func familyNames(_ name: String, _ expected: String) {
    #expect(PlanIdentity.familyName(name) == expected)
  }

  // MARK: Negotiation file

  static let sampleYAML = """
    negotiation: Talks on ending the war in Ukraine
    parties:
      - code: RUS
        name: Russia
        actors: [kremlin]
        red_lines:
          - category: alliances
            stance: rejects
            text: No NATO membership for Ukraine
      - code: UKR
        name: Ukraine
        red_lines:
          - {category: territory, text: No recognition of occupied land}
          - {category: security_guarantees, stance: demands, text: Binding guarantees from allies}
      - code: usa
    plans:
      - name: peace plan
        versions:
          - label: 28-point draft
            points: 28
            date: 2025-11-18
            provisions:
              - {category: territory, text: Recognition of Crimea as Russian}
              - {category: military limits, text: A ceiling on the size of the army}
          - label: revised draft
            points: 19
            date: 2025-11
    """

  @Test func parsesTheSampleFile() throws {
    let file = try NegotiationFile.parse(yaml: Self.sampleYAML, file: "talks.yaml")
    #expect(file.negotiation == "Talks on ending the war in Ukraine")
    #expect(file.parties.map(\.code) == ["RUS", "UKR", "usa"])
    #expect(file.parties[0].actors == ["kremlin"])
    #expect(
      file.parties[0].redLines == [
        .init(category: .alliances, stance: .rejects, text: "No NATO membership for Ukraine")
      ])
    #expect(file.parties[1].redLines.map(\.stance) == [.redLine, .demands])
    #expect(file.parties[2].name == "usa")
    let versions = try #require(file.plans.first?.versions)
    #expect(versions.map(\.label) == ["28-point draft", "revised draft"])
    #expect(versions.map(\.points) == [28, 19])
    #expect(versions.map(\.date) == ["2025-11-18", "2025-11"])
    #expect(versions[0].partialDate == PartialDate(year: 2025, month: 11, day: 18))
    #expect(versions[0].provisions.map(\.category) == [.territory, .militaryLimits])
    #expect(versions[1].provisions.isEmpty)
  }

  @Test func partyOfActor() throws {
    let file = try NegotiationFile.parse(yaml: Self.sampleYAML, file: "talks.yaml")
    #expect(file.party(ofActor: "kremlin", affiliation: nil) == "RUS")
    #expect(file.party(ofActor: "kremlin", affiliation: "UKR") == "RUS")
    #expect(file.party(ofActor: "some-minister", affiliation: "UKR") == "UKR")
    #expect(file.party(ofActor: "an-envoy", affiliation: "USA") == "usa")
    #expect(file.party(ofActor: "someone", affiliation: "FRA") == nil)
    #expect(file.party(ofActor: "someone", affiliation: nil) == nil)
  }

  @Test func loadsFromDiskAndRoundTripsThroughJSON() throws {
    let url = try Support.writeTemporary("talks.yaml", text: Self.sampleYAML)
    let file = try NegotiationFile.load(path: url.path)
    #expect(file == (try NegotiationFile.parse(yaml: Self.sampleYAML, file: url.path)))
    let json = try JSONEncoder().encode(file)
    #expect(String(decoding: json, as: UTF8.self).contains("\"red_lines\""))
    #expect(try JSONDecoder().decode(NegotiationFile.self, from: json) == file)
    #expect {
      _ = try NegotiationFile.load(path: url.path + ".missing")
    } throws: { "\($0)".contains("talks.yaml.missing") }
  }

  @Test(arguments: [
    (
      "parties:\n  - code: RUS\n    red_lines:\n      - {category: borders, text: x}\n",
      ["unknown category 'borders'", "territory", "monitoring", ":4:"]
    ),
    (
      "plans:\n  - name: p\n    versions:\n      - {label: a, date: 2025-13-01}\n", ["date '2025-13-01'", "YYYY-MM-DD"]
    ),
    ("plans:\n  - name: p\n    versions:\n      - {label: a, date: 18 November}\n", ["date '18 November'"]),
    ("parties:\n  - name: Russia\n", ["missing code"]),
    ("parties:\n  - code: RUS\n  - code: rus\n", ["duplicate party code 'rus'"]),
    ("- just\n- a list\n", ["must be a mapping"]),
    ("parties: [code: RUS\n", ["not valid YAML"]),
    ("negotiation: x\nparty:\n  - code: RUS\n", ["unknown key 'party'"]),
    (
      "parties:\n  - code: RUS\n    red_lines:\n      - {category: territory, stance: maybe}\n",
      ["unknown stance 'maybe'", "red_line"]
    ),
    ("plans:\n  - name: p\n    versions:\n      - {label: a, points: many}\n", ["positive whole number"]),
    ("", ["is empty"]),
  ])
  func badFilesSayWhatIsWrong(_ yaml: String, _ fragments: [String]) {
    #expect {
      _ = try NegotiationFile.parse(yaml: yaml, file: "bad.yaml")
    } throws: { error in
      let message = "\(error)"
      return message.hasPrefix("bad.yaml") && fragments.allSatisfy(message.contains)
    }
  }

  @Test func contradictionsBothWays() throws {
    let file = try NegotiationFile.parse(yaml: Self.sampleYAML, file: "talks.yaml")
    let reported = [
      // Russia refuses NATO membership; reporting has it accepting membership.
      ReportedStance(
        party: "RUS", category: .alliances, stance: .accepts, evidence: "Moscow would accept membership", articleId: 1),
      // Ukraine demands guarantees; reporting has it rejecting them.
      ReportedStance(
        party: "ukr", category: .securityGuarantees, stance: .rejects, evidence: "Kyiv rejected guarantees",
        articleId: 2),
      // Ukraine's territory red line; reporting has it proposing a territorial exchange.
      ReportedStance(
        party: "UKR", category: .territory, stance: .proposes, evidence: "Kyiv floated a swap", articleId: 3),
    ]
    let found = file.contradictions(with: reported)
    #expect(found.map(\.articleId) == [1, 2, 3])
    #expect(found.map(\.party) == ["RUS", "UKR", "UKR"])
    #expect(found[0].stated == .rejects && found[0].reported == .accepts)
    #expect(found[0].statedText == "No NATO membership for Ukraine")
    #expect(found[1].stated == .demands && found[1].reported == .rejects)
    #expect(found[2].stated == .redLine && found[2].evidence == "Kyiv floated a swap")
  }

  @Test func agreeingReportsAreNoContradiction() throws {
    let file = try NegotiationFile.parse(yaml: Self.sampleYAML, file: "talks.yaml")
    let reported = [
      ReportedStance(party: "RUS", category: .alliances, stance: .rejects, evidence: "", articleId: 1),
      ReportedStance(party: "RUS", category: .alliances, stance: .redLine, evidence: "", articleId: 2),
      // Refusing membership while demanding neutrality is one position.
      ReportedStance(party: "RUS", category: .alliances, stance: .demands, evidence: "", articleId: 3),
      ReportedStance(party: "UKR", category: .securityGuarantees, stance: .demands, evidence: "", articleId: 4),
      ReportedStance(party: "UKR", category: .securityGuarantees, stance: .accepts, evidence: "", articleId: 5),
      ReportedStance(party: "UKR", category: .territory, stance: .rejects, evidence: "", articleId: 6),
      // Other categories and unknown parties say nothing about the red lines.
      ReportedStance(party: "RUS", category: .territory, stance: .accepts, evidence: "", articleId: 7),
      ReportedStance(party: "FRA", category: .alliances, stance: .accepts, evidence: "", articleId: 8),
    ]
    #expect(file.contradictions(with: reported).isEmpty)
  }

  @Test func oppositionTable() {
    for stated in Stance.allCases {
      for reported in Stance.allCases {
        let expected: Bool
        switch (stated, reported) {
        case (.rejects, .accepts), (.rejects, .proposes), (.redLine, .accepts), (.redLine, .proposes): expected = true
        case (.demands, .rejects), (.demands, .redLine), (.proposes, .rejects), (.proposes, .redLine),
          (.accepts, .rejects), (.accepts, .redLine):
          expected = true
        default: expected = false
        }
        #expect(NegotiationFile.opposes(stated: stated, reported: reported) == expected, "\(stated) vs \(reported)")
      }
    }
  }
}
