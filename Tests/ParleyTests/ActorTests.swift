import ParleyExtraction
import ParleyModel
import Testing

/// Actor recognition: knowledge-base linking, surnames, spelling variants, names found by shape.
@Suite struct ActorTests {
  @Test func knownNameAfterSentenceInitialArticleIsTheKnownEntity() throws {
    let x = try Support.extract("The European Union imposed sanctions on Belarus.")
    #expect(x.actors.contains { $0.id == "eu" && $0.affiliation == "EU" }, "\(x.actors.map(\.id))")
    #expect(!x.actors.contains { $0.affiliation == nil && $0.kind == .organization })
  }

  @Test func titleIsNotPartOfTheMention() throws {
    let x = try Support.extract("Ukrainian President Volodymyr Zelenskyy arrived in Paris on Monday.")
    let z = try #require(x.actor(named: "volodymyr-zelenskyy"))
    #expect(z.mentions.map(\.text) == ["Volodymyr Zelenskyy"])
    #expect(z.kind == .person)
    #expect(z.affiliation == "UKR")
    #expect(z.name == "Volodymyr Zelenskyy")
    // The demonym names the country too.
    #expect(x.actor(named: "ukraine")?.mentions.map(\.text) == ["Ukrainian"])
  }

  @Test func aPronounAfterATitleOpensASurname() throws {
    // "He" is a surname between a title and a capitalized word, and stays a pronoun elsewhere.
    let x = try Support.extract(
      "Chinese Vice Premier He Lifeng met the Japanese ambassador in Tokyo on Monday. He left.")
    let person = x.actors.first { $0.name == "He Lifeng" }
    #expect(person?.kind == .person && person?.affiliation == "CHN", "\(x.actors)")
    #expect(x.actors.filter { $0.name.hasPrefix("He") }.count == 1, "\(x.actors)")
  }

  @Test func anOrganizationNameKeepsItsInnerPossessiveAndItsAcronym() throws {
    // The possessive belongs to the name when no known name ends before it; the acronym in
    // parentheses names the organization for the rest of the article.
    let text =
      "The Chaco People's Defence Front (CPDF) met Paraguayan envoys on Monday. CPDF fighters later withdrew. "
      + "Bolivia's Foreign Ministry welcomed the talks."
    let x = try Support.extract(text)
    let front = try #require(x.actors.first { $0.name == "Chaco People's Defence Front" }, "\(x.actors.map(\.name))")
    #expect(front.kind == .organization)
    #expect(front.mentions.map(\.text) == ["Chaco People's Defence Front", "CPDF", "CPDF"])
    #expect(x.actor(named: "bolivia")?.mentions.map(\.text).contains("Bolivia") == true)
    #expect(!x.actors.contains { $0.name.hasPrefix("Bolivia's") }, "\(x.actors.map(\.name))")
  }

  @Test func aTitleAfterATitleIsNoName() throws {
    let x = try Support.extract("Russia's Deputy Foreign Minister Sergei Lavrov arrived in Lima on Monday.")
    #expect(!x.actors.contains { $0.name.contains("Minister") }, "\(x.actors.map(\.name))")
    #expect(x.actor(named: "sergei-lavrov")?.mentions.map(\.text) == ["Sergei Lavrov"])
  }

  @Test func possessiveAndLongTitleBeforeAName() throws {
    let x = try Support.extract("Putin's top foreign policy aide Yuri Ushakov said the meeting went well.")
    let ushakov = try #require(x.actor(named: "yuri-ushakov"))
    #expect(ushakov.mentions.map(\.text) == ["Yuri Ushakov"])
    #expect(ushakov.affiliation == "RUS")
    #expect(x.actor(named: "vladimir-putin")?.mentions.map(\.text) == ["Putin"])
  }

  @Test func aTitledSurnameOfSeveralPeopleOfOneStateSpeaksForThatState() throws {
    // The knowledge base holds two presidents of that surname: which one is open, the state is not.
    for text in ["President Bush warned Cuba on Friday.", "On Friday, President Bush warned Cuba."] {
      let x = try Support.extract(text)
      let bush = try #require(x.actor(named: "bush"), "\(text): \(x.actors.map(\.id))")
      #expect(bush.kind == .person && bush.affiliation == "USA", "\(text)")
      #expect(x.events.contains { $0.source == "bush" && x.affiliation(of: $0.target) == "CUB" }, "\(text)")
    }
  }

  @Test func aMemberOfABodyInAppositionTakesItsState() throws {
    let x = try Support.extract(
      "A member of the Chilean senate, Rosa Vidal, began a hunger strike against the government.")
    #expect(x.actor(named: "rosa-vidal")?.affiliation == "CHL", "\(x.actors.map { ($0.id, $0.affiliation) })")
  }

  @Test func anOrganizationNameMayGoOnAfterItsHeadWord() throws {
    // The run was dropped whole before, the demonym's state with it.
    let x = try Support.extract("The Chilean Association of Mining Engineers called off its strike on Thursday.")
    let union = try #require(x.actor(named: "chilean-association-of-mining-engineers"), "\(x.actors.map(\.id))")
    #expect(union.kind == .organization && union.affiliation == "CHL")
  }

  @Test func surnameAfterAFullMentionLinksToTheSameActor() throws {
    let x = try Support.extract(
      "Albanian Prime Minister Edi Rama arrived in Kyiv on Monday. Rama later met Ukrainian officials.")
    let rama = try #require(x.actor(named: "edi-rama"))
    #expect(rama.mentions.map(\.text) == ["Edi Rama", "Rama"])
    #expect(x.actors.filter { $0.name.contains("Rama") }.count == 1)
  }

  @Test func spellingVariantsLinkToOneActor() throws {
    let x = try Support.extract(
      "Volodymyr Zelenskyy spoke first. Zelensky then met reporters. Later Zelenskiy left, and Vladimir Zelensky returned."
    )
    let z = try #require(x.actor(named: "volodymyr-zelenskyy"))
    #expect(z.mentions.map(\.text) == ["Volodymyr Zelenskyy", "Zelensky", "Zelenskiy", "Vladimir Zelensky"])
    #expect(x.actors.filter { $0.kind == .person }.map(\.id) == ["volodymyr-zelenskyy"])
  }

  @Test func misspelledGivenNameJoinsTheMention() throws {
    let x = try Support.extract("Volodymry Zelenskyy will travel to Washington, and Zelenskyy will meet Trump.")
    let z = try #require(x.actor(named: "volodymyr-zelenskyy"))
    #expect(z.mentions.map(\.text) == ["Volodymry Zelenskyy", "Zelenskyy"])
    // A different word before a surname is not taken for a misspelled given name.
    let y = try Support.extract("Kyiv says Zelenskyy will travel to Washington.")
    #expect(y.actor(named: "volodymyr-zelenskyy")?.mentions.map(\.text) == ["Zelenskyy"])
  }

  @Test func capitalStandsForItsGovernment() throws {
    let x = try Support.extract("Kyiv has reacted sharply to the proposal.")
    let kyiv = try #require(x.actor(named: "kyiv"))
    #expect(kyiv.kind == .place)
    #expect(kyiv.affiliation == "UKR")
    #expect(kyiv.role == "capital")
    // ... and so can act.
    #expect(x.events.contains { $0.source == "kyiv" })
  }

  @Test func oldSpellingOfACapital() throws {
    let x = try Support.extract("Officials in Kiev said the talks had stalled.")
    #expect(x.actor(named: "kyiv")?.mentions.map(\.text) == ["Kiev"])
  }

  @Test func unknownPersonTypedByTitleAndAffiliatedByDemonym() throws {
    let x = try Support.extract("Ukrainian official Taras Hrytsenko said the plan was dead.")
    let p = try #require(x.actors.first { $0.name == "Taras Hrytsenko" })
    #expect(p.kind == .person)
    #expect(p.affiliation == "UKR")
    #expect(p.role == "official")
    #expect(p.mentions.map(\.text) == ["Taras Hrytsenko"])
  }

  @Test func unknownPersonTypedByGivenName() throws {
    let x = try Support.extract("Observers said Olena Kovalchuk had left Kyiv.")
    let p = try #require(x.actors.first { $0.name == "Olena Kovalchuk" })
    #expect(p.kind == .person)
  }

  @Test func unknownPersonSurnameLinksBack() throws {
    let x = try Support.extract("Ukrainian official Taras Hrytsenko spoke first. Hrytsenko then left.")
    let p = try #require(x.actors.first { $0.name == "Taras Hrytsenko" })
    #expect(p.mentions.map(\.text) == ["Taras Hrytsenko", "Hrytsenko"])
  }

  @Test func unknownOrganizationByHeadWord() throws {
    let x = try Support.extract("Shipments were confirmed by the Odesa Port Authority on Friday.")
    let org = try #require(x.actors.first { $0.name == "Odesa Port Authority" })
    #expect(org.kind == .organization)
    #expect(org.mentions.map(\.text) == ["Odesa Port Authority"])
  }

  @Test
  func unknownOrganizationAtSentenceStartDropsTheArticle() throws {
    let x = try Support.extract("The Odesa Port Authority said shipments had resumed.")
    let org = try #require(x.actors.first { $0.kind == .organization })
    #expect(org.name == "Odesa Port Authority")
    #expect(org.mentions.map(\.text) == ["Odesa Port Authority"])
  }

  @Test func unknownOrganizationByCueWord() throws {
    let x = try Support.extract("The funds were routed through state firm Ukrgasbank last year.")
    let org = try #require(x.actors.first { $0.name == "Ukrgasbank" })
    #expect(org.kind == .organization)
  }

  @Test func derivedOrganizationOfAPersonsState() throws {
    let x = try Support.extract("The Trump administration has drafted a new proposal.")
    let org = try #require(x.actors.first { $0.mentions.contains { $0.text == "Trump administration" } })
    #expect(org.kind == .organization)
    #expect(org.affiliation == "USA")
    #expect(x.actor(named: "donald-trump") == nil, "the administration is not the man")
  }

  @Test func headingsAndImperativesAreNoActors() throws {
    let x = try Support.extract("Points of attention\n\nRemove all missiles. Withdraw troops from the border.")
    #expect(x.actors.isEmpty, "\(x.actors.map(\.name))")
  }

  @Test func sentenceInitialCapitalsAreNoNames() throws {
    let x = try Support.extract("Despite skepticism, talks continued. Nobody Knows what comes next.")
    #expect(x.actors.isEmpty, "\(x.actors.map(\.name))")
  }

  @Test func lowercaseCommonWordsAreNoActors() throws {
    let x = try Support.extract("Let us see what china and turkey dishes the chef makes.")
    #expect(!x.actors.contains { $0.id == "united-states" })
  }

  @Test func demonymWithActorHeadActs() throws {
    let x = try Support.extract("Russian forces shelled the town.")
    #expect(x.actor(named: "russia")?.mentions.map(\.text) == ["Russian"])
  }

  @Test func outletsAreMediaActors() throws {
    let x = try Support.extract("The talks failed, according to Reuters.")
    #expect(x.actor(named: "reuters")?.kind == .media)
  }

  @Test func everyMentionBelongsToOneActorAndActorsHaveMentions() throws {
    let x = try Support.extract(
      "US envoy Steve Witkoff and Jared Kushner met Russian President Vladimir Putin in Moscow. Putin thanked Witkoff.")
    #expect(x.actors.allSatisfy { !$0.mentions.isEmpty })
    #expect(Set(x.actors.map(\.id)).count == x.actors.count)
    let spans = x.actors.flatMap { $0.mentions.map(\.span) }
    #expect(Set(spans).count == spans.count)
    for a in ["steve-witkoff", "jared-kushner", "vladimir-putin", "moscow", "united-states", "russia"] {
      #expect(x.actor(named: a) != nil, "\(a)")
    }
    #expect(x.actor(named: "vladimir-putin")?.mentions.count == 2)
  }

  @Test func armedGroupsOfManyConflictsAreKnownWithTheirState() throws {
    let x = try Support.extract(
      "The ELN and the TPLF met envoys of the Arakan Army, Boko Haram and the Sudan Liberation Movement.")
    for (id, state) in [
      ("eln", "COL"), ("tplf", "ETH"), ("arakan-army", "MMR"), ("boko-haram", "NGA"),
      ("sudan-liberation-movement", "SDN"),
    ] {
      #expect(x.actor(named: id)?.affiliation == state, "\(id)")
    }
  }

  @Test func anAcronymDefinedInTheArticleIsNamedAfterTheArticle() throws {
    // "The XLF" opening a sentence: the capitalized article does not hide the acronym.
    let x = try Support.extract(
      "Peru suspended talks with the Popular Liberation Front (PLF) on Friday. The PLF, which has fought the army "
        + "since 1967, denied the report.")
    #expect(x.actor(named: "popular-liberation-front")?.mentions.count == 3)
  }
}
