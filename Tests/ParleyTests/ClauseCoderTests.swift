import Foundation
import ParleyExtraction
import ParleyModel
import Testing

/// Events read from the parse by the clause coder (Sources/ParleyExtraction/Events): event nouns
/// as objects, senses chosen by their object, coordinated parties acting together, announced,
/// urged and refused acts recoded, and clauses that only might happen.
@Suite struct ClauseCoderTests {
  func triples(_ text: String) throws -> [String] {
    let x = try Support.extract(text)
    #expect(Support.offsetViolations(x, source: text) == [])
    return x.events.map {
      "\($0.cameo.rawValue) \(x.affiliation(of: $0.source) ?? "-")>\(x.affiliation(of: $0.target) ?? "-")"
    }
  }

  @Test func aShowOfForceAnsweringAnotherSidesActIsAimedAtItsDoer() throws {
    // With no target of its own, the deployment answers the act told after "after"; one of the
    // doer's own side is no target ("after its own patrol was attacked" names nobody else).
    let answered = try triples(
      "Thailand deployed more troops to the border after Cambodian soldiers opened fire on a Thai patrol.")
    #expect(answered.contains { $0.hasPrefix("15") && $0.hasSuffix("THA>KHM") }, "\(answered)")
    // (Also where the parser takes "after" for a preposition and the verb for a clause apart.)
    let alert = try triples(
      "Taiwan's military raised its alert level after China fired several ballistic missiles into the sea off its coast."
    )
    #expect(alert.contains { $0.hasPrefix("15") && $0.hasSuffix("TWN>CHN") }, "\(alert)")
    let own = try triples("Thailand deployed more troops to the border after Thai soldiers were wounded.")
    #expect(!own.contains { $0.hasPrefix("15") && !$0.hasSuffix(">-") }, "\(own)")
  }

  @Test func courtsLegislaturesAndOppositionLeadersArePartiesWithinTheirState() throws {
    // An act within one state is an event when one side is a party of its own: a court, a
    // legislature, a person whose role makes them one (an opposition leader).
    let court = try Support.extract("Kenyan judges convicted Peter Mwangi of sedition on Monday.")
    #expect(court.events.contains { $0.cameo.root == "11" && $0.source == "kenya-jud" && $0.target == "peter-mwangi" })
    // The person the court acts on, whom nothing else places, is the court's state's.
    #expect(court.affiliation(of: "peter-mwangi") == "KEN")
    #expect(court.actors.first { $0.id == "kenya-jud" }?.sector == "JUD")
    let lawmakers = try triples("Zambian lawmakers criticized President Hakainde Hichilema over the debt deal.")
    #expect(lawmakers.contains("111 ZMB>ZMB"), "\(lawmakers)")
    let opposition = try Support.extract(
      "Zambia's opposition leader Hakainde Mutale demanded the resignation of President Hakainde Hichilema.")
    #expect(opposition.actors.first { $0.id == "hakainde-mutale" }?.sector == "OPP")
    #expect(opposition.events.contains { $0.cameo.root == "10" && $0.source == "hakainde-mutale" })
    // So is an organization the knowledge base does not know, whom a ministry of the state bans.
    let banned = try triples(
      "Pakistan's interior ministry refused to lift its ban on the Baloch Unity Committee despite appeals from lawyers."
    )
    #expect(banned.contains { $0.hasPrefix("12") && $0.hasSuffix(" PAK>PAK") }, "\(banned)")
    // A serving minister stands for the government: praising one's own president is no event.
    let minister = try triples("Kenya's foreign minister praised President William Ruto for his leadership.")
    #expect(minister.isEmpty, "\(minister)")
  }

  @Test func internationalNonGovernmentalOrganizationsAreParties() throws {
    let x = try Support.extract("Human Rights Watch accused the Sudanese army of war crimes in Darfur.")
    #expect(x.affiliation(of: "human-rights-watch") == "HRW")
    #expect(x.events.contains { $0.cameo.root == "11" && $0.source == "human-rights-watch" && $0.target == "sudan" })
    // The short name alone is the organization only as a name, never the common noun.
    let amnesty = try Support.extract("The government declared an amnesty for prisoners, Amnesty said.")
    #expect(amnesty.actors.filter { $0.id == "amnesty-international" }.flatMap(\.mentions).map(\.text) == ["Amnesty"])
  }

  @Test func forceByADoerNamedByKindAloneHasNoSource() throws {
    // The codebook codes unknown attackers with no source; the victims or the place are the target.
    let x = try Support.extract("A suicide bomber blew himself up at a mosque in Peshawar, killing twelve worshippers.")
    let unnamed = x.events.filter { $0.source == nil }
    #expect(unnamed.contains { $0.cameo.root == "18" && x.affiliation(of: $0.target) == "PAK" }, "\(x.events)")
    #expect(unnamed.allSatisfy { $0.cameo.quadClass == 4 && $0.target != nil })
    // The stand-in party is never listed.
    #expect(!x.actors.contains { $0.id.hasPrefix("~") })
    // With no target named there is no event at all.
    #expect(try Support.extract("Gunmen opened fire overnight.").events.isEmpty)
  }

  @Test func peopleFromAListOfStatesAreEachStates() throws {
    // "negotiators from X and Y": both states meet, with each other.
    let talks = try triples("Negotiators from Chile and Bolivia resumed talks in Lima on Monday.")
    #expect(talks.contains { $0.hasPrefix("04") && ($0.hasSuffix("CHL>BOL") || $0.hasSuffix("BOL>CHL")) }, "\(talks)")
  }

  @Test func anAmountInAidToAPartyIsAimedAtIt() throws {
    // The parser hangs the recipient on the amount's "in" phrase.
    let aid = try triples(
      "Norway will provide $20 million in humanitarian assistance to Sudan, the foreign ministry said.")
    #expect(aid.contains("033 NOR>SDN"), "\(aid)")
    // A witness named "in the presence of" is no target.
    let signed = try triples(
      "Chile and Bolivia signed a border agreement in Lima in the presence of President Emmanuel Macron.")
    #expect(!signed.contains { $0.hasSuffix(">FRA") }, "\(signed)")
  }

  @Test func arrivingInAPlaceVisitsItsState() throws {
    let visit = try triples("Brazil's president arrived in Luanda on Tuesday for a state visit.")
    #expect(visit.contains("042 BRA>AGO"), "\(visit)")
  }

  @Test func aNameInARolePhraseOfTheSubjectIsNoDoer() throws {
    // "X's ambassador to Y": the ambassador acts for X; Y is where they serve.
    let events = try triples("Iran's ambassador to the UN accused Israel of aggression.")
    #expect(events.contains { $0.hasPrefix("11") && $0.hasSuffix(" IRN>ISR") }, "\(events)")
    #expect(!events.contains { $0.contains(" UN>") }, "\(events)")
  }

  @Test func policeDeployedAcrossOnesOwnCapitalIsADomesticShowOfForce() throws {
    let events = try triples("Kenya deployed thousands of police across Nairobi ahead of the protests.")
    #expect(events.contains("153 KEN>KEN"), "\(events)")
  }

  @Test func theUNsOwnAgenciesAreTheUN() throws {
    // A fund or programme of the UN acts as the UN; an agency with members of its own does not.
    let x = try Support.extract("UNICEF and the WFP delivered food to Yemen, and the IAEA sent inspectors to Iran.")
    #expect(x.affiliation(of: "unicef") == "UN")
    #expect(x.affiliation(of: "wfp") == "UN")
    #expect(x.affiliation(of: "iaea") == "IAEA")
  }

  @Test func eventNounAsObjectWithCoordinatedParties() throws {
    let events = try triples("Spain and Morocco renewed negotiations on fishing rights.")
    #expect(events.contains { $0.hasPrefix("04") && $0.hasSuffix("ESP>MAR") }, "\(events)")
  }

  @Test func coordinatedPartiesOfAnUnorderedVerbActOnEachOther() throws {
    // The verb's parties are unordered whatever root it codes (a truce, an exchange of fire or
    // of prisoners): with no other party named, each acts on the other and neither on itself.
    for (text, code) in [
      ("Chile and Peru inked a truce on Sunday.", "0871"),
      ("Bolivia and Paraguay traded fire across the border on Monday.", "193"),
      ("Chile and Peru swapped prisoners on Monday.", "0841"),
    ] {
      let events = try triples(text)
      let (a, b) = text.hasPrefix("Chile") ? ("CHL", "PER") : ("BOL", "PRY")
      #expect(events.contains("\(code) \(a)>\(b)") && events.contains("\(code) \(b)>\(a)"), "\(text): \(events)")
      #expect(!events.contains("\(code) \(a)>\(a)") && !events.contains("\(code) \(b)>\(b)"), "\(text): \(events)")
    }
  }

  @Test func eventNounReadsItsPartiesFromBetweenAndFromTheClauseItSets() throws {
    // "between A and B" names parties acting with each other, also when the parser hangs B as a
    // second subject of the verb.
    let between = try triples(
      "A phone conversation between the Chilean envoy and a senior Peruvian official was leaked on Monday.")
    #expect(
      between.contains { $0.hasPrefix("04") && ($0.hasSuffix("CHL>PER") || $0.hasSuffix("PER>CHL")) }, "\(between)")
    // A meeting that sets the scene of a clause is one the clause's subject took part in.
    let setting = try triples("Chile approved a new trade roadmap during a meeting with Peru's foreign minister.")
    #expect(setting.contains("040 CHL>PER"), "\(setting)")
    // A one-sided act does not: the subject acts after it, it did not do it.
    let after = try triples("Talks between Chile and Peru can only begin after a withdrawal of Bolivian forces.")
    #expect(!after.contains { $0.hasPrefix("08") }, "\(after)")
  }

  @Test func capturingANamedPlaceIsOccupyingTerritory() throws {
    // An object that names a place is in the territory class whatever its name, and the place's
    // state is the target; a verb the tagger took for a participle of the root noun is the clause.
    let events = try triples("Congolese rebels captured Goma in January.")
    #expect(events.contains("192 COD>COD"), "\(events)")
    // A place only reached ("returned to X") is no object.
    let returned = try triples("Chilean negotiators returned to Geneva this week for talks on the border.")
    #expect(!returned.contains { $0.hasPrefix("08") }, "\(returned)")
  }

  @Test func theCountryStandsForTheSpeakersState() throws {
    let events = try triples("Kenya said on Monday that the country would expel Somali diplomats.")
    #expect(events.contains { $0.hasPrefix("13") && $0.hasSuffix("KEN>SOM") }, "\(events)")
    // Named otherwise ("the neighbouring country"), it is not the speaker's.
    let other = try triples("Kenya said on Monday that the neighbouring country would expel Somali diplomats.")
    #expect(!other.contains { $0.hasSuffix("KEN>SOM") }, "\(other)")
  }

  @Test func anActKeptFromHappeningIsNoEvent() throws {
    // The object of a restriction, a cut or a denial reports no act of its own.
    let restricted = try triples("Chile repealed a decree that had restricted Chilean military cooperation with Peru.")
    #expect(!restricted.contains { $0.hasPrefix("06") }, "\(restricted)")
    let denied = try triples("Peru denied the Chilean attack on Bolivian villages.")
    #expect(!denied.contains { $0.hasPrefix("19") }, "\(denied)")
    // The object of any other act is reported too.
    let condemned = try triples("Chile condemned the attack by Peruvian troops on Bolivian villages.")
    #expect(condemned.contains("190 PER>BOL"), "\(condemned)")
  }

  @Test func aRelativeClausesNounIsItsObjectAndFormsDecideBeforeLemmas() throws {
    // "the penalties that X imposed on Y": the noun is the relative clause's object, and the
    // plural as written names sanctions, though its lemma is also a court's penalty.
    let relative = try triples("Chile has lifted the penalties that it imposed on Peru.")
    #expect(relative.contains("163 CHL>PER"), "\(relative)")
    let direct = try triples("Chile imposed penalties on Peruvian fishing firms.")
    #expect(direct.contains("163 CHL>PER"), "\(direct)")
  }

  @Test func onlyAGoverningNounsInfinitiveIsItsObjectsDoersIntent() throws {
    let reached = try triples(
      "Chile and Peru reached a consensus to exchange information on fishing fleets in the Pacific region.")
    #expect(reached.contains("031 CHL>PER") && reached.contains("031 PER>CHL"), "\(reached)")
    // A capacity is no intent, and what it is a capacity for has not happened.
    let capacity = try triples("Chile has the capacity to attack Peru.")
    #expect(!capacity.contains { $0.hasSuffix("CHL>PER") }, "\(capacity)")
  }

  @Test func aCutWithNoOneNamedIsAimedAtTheSideLastDealtWith() throws {
    let events = try triples(
      "Chile accused Peru of violating its fishing waters in April. In May, Chile cut funding and froze high-level visits."
    )
    #expect(events.contains { $0.hasPrefix("16") && $0.hasSuffix("CHL>PER") }, "\(events)")
  }

  @Test func aGroupOfCoordinatedStatesIsAGroupOfEach() throws {
    // "Chilean and Peruvian activists": two groups, each named by its own state, both acting.
    let text = "Chilean and Peruvian activists staged a protest in La Paz on Wednesday."
    let events = try triples(text)
    #expect(events.contains("141 CHL>BOL") && events.contains("141 PER>BOL"), "\(events)")
    let x = try Support.extract(text)
    let names = Set(x.actors.filter { $0.sector == "CVL" }.map(\.name))
    #expect(names == ["Chilean activists", "Peruvian activists"], "\(names)")
  }

  @Test func anEventNounsOwnDoerIsNotTheClausesSubject() throws {
    // "the attack by X on Y" is X's act, whatever the sentence's subject does about it.
    let events = try triples("Kenya condemned the attack by Ugandan rebels on Somali villages.")
    #expect(events.contains { $0.hasPrefix("11") && $0.hasSuffix("KEN>UGA") }, "\(events)")
    #expect(!events.contains { $0.hasPrefix("19") && $0.contains("KEN>") }, "\(events)")
  }

  @Test func announcedActIsAnIntent() throws {
    let events = try triples("Argentine officials said Bolivia will release two Chilean prisoners.")
    #expect(events.contains("035 BOL>CHL"), "\(events)")
  }

  @Test func hypotheticalAndNegatedActsAreNoEvents() throws {
    for text in [
      "If Chile attacks Peru, the region will suffer.", "Chile may attack Peru.", "Chile did not attack Peru.",
    ] {
      let events = try triples(text)
      #expect(!events.contains { $0.hasPrefix("19") }, "\(text): \(events)")
    }
  }

  @Test func senseIsChosenByItsObject() throws {
    let events = try triples("Japan imposed new sanctions on North Korea after the test.")
    #expect(events.contains("163 JPN>PRK"), "\(events)")
  }

  @Test func verbTheTaggerLemmatizesWronglyIsStillFound() throws {
    // The lemma comes from the word's inflected form when the tagger's lemma has no sense.
    let events = try triples("French soldiers shelled rebel positions in Mali on Sunday.")
    #expect(events.contains { $0.hasPrefix("19") && $0.hasSuffix("FRA>MLI") }, "\(events)")
  }

  @Test func urgedActIsAnAppealToTheUrgedParty() throws {
    let events = try triples("Norway urged Sweden to resume talks with Finland.")
    #expect(events.contains { $0.hasPrefix("02") && $0.hasSuffix("NOR>SWE") }, "\(events)")
  }

  @Test func reportedObligationIsADemandOnTheObligedParty() throws {
    let events = try triples("Kenya declared on Monday that Somalia must pull its troops back from the border.")
    #expect(events.contains { $0.hasPrefix("10") && $0.hasSuffix("KEN>SOM") }, "\(events)")
  }

  @Test func agreeingToAConcessionIsMakingIt() throws {
    let events = try triples("Chile agreed on Monday to lift its trade embargo on Peru.")
    #expect(events.contains("085 CHL>PER"), "\(events)")
    // Agreeing to meet is still only the intent to (the codebook's 036).
    let meet = try triples("Chile agreed on Monday to meet Peru.")
    #expect(meet.contains { $0.hasPrefix("03") && $0.hasSuffix("CHL>PER") }, "\(meet)")
  }

  @Test func anInquiryIsAimedAtTheDoerOfWhatItLooksInto() throws {
    let events = try triples("Kenyan prosecutors opened an inquiry into abuses committed by Ugandan troops.")
    #expect(events.contains { $0.hasPrefix("09") && $0.hasSuffix("KEN>UGA") }, "\(events)")
    // "alleged" describing a noun is no allegation made by anyone.
    #expect(!events.contains { $0.hasPrefix("11") }, "\(events)")
    let described = try triples("Kenyan prosecutors opened an inquiry into the alleged abuses of Ugandan troops.")
    #expect(!described.contains { $0.hasPrefix("11") }, "\(described)")
  }

  @Test func claimingOnesOwnActIsClaimingResponsibility() throws {
    let events = try triples("Kenya claimed on Tuesday that it had shelled Somalia.")
    #expect(events.contains("015 KEN>SOM"), "\(events)")
    #expect(!events.contains { $0.hasPrefix("112") }, "\(events)")
    // Claiming another's act is an accusation of it.
    let other = try triples("Kenya claimed on Tuesday that Uganda had shelled Somalia.")
    #expect(other.contains("112 KEN>UGA"), "\(other)")
  }

  @Test func aParticipleWithItsOwnPassiveAuxiliaryIsAClause() throws {
    // The parser may hang "was presented" under the subject noun as its description.
    let events = try triples("New evidence against Chile was presented by Peruvian officials on Monday.")
    #expect(events.contains { $0.hasPrefix("11") && $0.hasSuffix("PER>CHL") }, "\(events)")
  }

  @Test func aCallForAnActIsAnAppealNotAPhoneCall() throws {
    let events = try triples("Chile ignored the Peruvian president's call for Chile to withdraw its troops.")
    #expect(!events.contains { $0.hasPrefix("041") }, "\(events)")
    let phone = try triples("The Peruvian president held a call with Chile on Monday.")
    #expect(phone.contains { $0.hasPrefix("04") && $0.contains("PER") }, "\(phone)")
  }

  @Test func assurancesReceivedAreTheGiversIntent() throws {
    let x = try Support.extract("Kenyan farmers received assurances from the Kenyan government on Monday.")
    #expect(
      x.events.contains { $0.cameo.rawValue == "030" && $0.source == "kenya" && $0.target?.hasSuffix("-cvl") == true },
      "\(x.events.map { "\($0.cameo.rawValue) \($0.source ?? "-")>\($0.target ?? "-")" })")
  }

  @Test func theActAPartyIsAccusedOfIsNoReport() throws {
    let events = try triples("Chile accused Peru on Monday of shelling Chilean border posts.")
    #expect(events.contains { $0.hasPrefix("11") && $0.hasSuffix("CHL>PER") }, "\(events)")
    #expect(!events.contains { $0.hasPrefix("19") }, "\(events)")
  }

  @Test func callingAThingUnjustCriticizesItsParty() throws {
    let events = try triples("Chile called Peru's new tariffs unjust on Monday.")
    #expect(events.contains("111 CHL>PER"), "\(events)")
    // A thing that names no party: the other side the sentence names before the verb.
    let talks = try triples("After a meeting with Kenyan officials, Uganda described the talks as productive.")
    #expect(talks.contains("013 UGA>KEN"), "\(talks)")
  }

  @Test func aRejectedThingIsAimedAtThePartyItIsAbout() throws {
    let events = try triples("Chile said it will not accept any agreement recognizing Peruvian claims to the islands.")
    #expect(events.contains { $0.hasPrefix("12") && $0.hasSuffix("CHL>PER") }, "\(events)")
    // The event noun's own modifier is its doer, not the target of the act on it.
    let demand = try triples("Chile rejected the Peruvian demand to withdraw.")
    #expect(!demand.contains { $0.hasPrefix("10") && $0.hasSuffix("CHL>PER") }, "\(demand)")
  }

  @Test func aRelativePronounStandsForItsAntecedent() throws {
    let events = try triples("The talks stalled over the role of Peru, which Chile accused of shelling the border.")
    #expect(events.contains { $0.hasPrefix("11") && $0.hasSuffix("CHL>PER") }, "\(events)")
    #expect(!events.contains { $0.hasPrefix("11") && $0.hasSuffix("PER>CHL") }, "\(events)")
  }

  @Test func aDayTheParserTookForTheObjectIsATime() throws {
    let events = try triples("The Chilean army lifted Friday a week-old blockade on Peruvian trucks.")
    #expect(events.contains { $0.hasPrefix("087") && $0.hasSuffix("CHL>PER") }, "\(events)")
    let forced = try triples("The Chilean army forced out on Friday more than 200 Peruvian families from their homes.")
    #expect(forced.contains { $0.hasPrefix("20") && $0.hasSuffix("CHL>PER") }, "\(forced)")
  }

  @Test func aCoordinatedObjectChoosesTheSenseToo() throws {
    let events = try triples("Chile is providing radios and heavy weapons to Peru.")
    #expect(events.contains { $0.hasPrefix("072") && $0.hasSuffix("CHL>PER") }, "\(events)")
  }

  @Test func coordinatedPartiesWithTheirOwnPlacesAreEachMet() throws {
    // The surface patterns read the first party only; the tree adds the coordinated one.
    let text =
      "The Chilean envoy, Ana Rojas, met Peruvian President Luis Pardo in Lima on Monday and Bolivian President Juan Mesa in La Paz on Tuesday."
    let events = try triples(text)
    #expect(events.contains { $0.hasPrefix("04") && $0.hasSuffix("CHL>PER") }, "\(events)")
    #expect(events.contains { $0.hasPrefix("04") && $0.hasSuffix("CHL>BOL") }, "\(events)")
    #expect(!events.contains { $0.hasSuffix("PER>BOL") || $0.hasSuffix("BOL>PER") }, "\(events)")
  }

  @Test func aVerbTaggedAsItsObjectsParticipleIsTheClause() throws {
    // The tagger reads the verb as a participle describing its object and hangs the subject on
    // that object; the tree repair gives the clause back.
    let events = try triples(
      "In a rare move, Chilean police in Arica confiscated rifles and ammunition from Bolivian smugglers, the Peruvian army said on Monday."
    )
    #expect(events.contains("1711 CHL>BOL"), "\(events)")
  }

  @Test func aPurposeIsNotAnAct() throws {
    let events = try triples("Chilean and Bolivian diplomats worked on a plan to end the war with Peru.")
    #expect(!events.contains { $0.hasPrefix("08") }, "\(events)")
    // Under a verb that addresses another party the infinitive is the complement.
    let urged = try triples("Chile called on Peru on Monday to withdraw its troops.")
    #expect(urged.contains { $0.hasSuffix("CHL>PER") }, "\(urged)")
  }

  @Test func aPhraseWithACaseWordIsNoSubject() throws {
    // Parsed with the outlet as the subject and the parties as its conjuncts.
    let events = try triples("According to Reuters, Chile and Peru held talks in Lima on Monday.")
    #expect(events.contains { $0.hasPrefix("04") && $0.hasSuffix("CHL>PER") }, "\(events)")
    let x = try Support.extract("According to Reuters, Chile and Peru held talks in Lima on Monday.")
    #expect(!x.events.contains { $0.source == "reuters" || $0.target == "reuters" }, "\(x.events)")
  }

  @Test func pushingForSomethingIsADemand() throws {
    // The parse's lexicon agrees with the surface patterns' ("push for" is 100, not an appeal).
    let events = try triples("Chile has been pushing Peru for a deal on fishing.")
    #expect(events.contains { $0.hasPrefix("10") && $0.hasSuffix("CHL>PER") }, "\(events)")
  }

  @Test func aMeetingStillToComeIsNoReportWhateverMarksIt() throws {
    // The parser may take "before" for the marker of a clause headed by the noun.
    let x = try Support.extract(
      "Officials suggested a phone call between the two ministers before Bolivian President Luis Arce's Santiago meeting later that month."
    )
    #expect(!x.events.contains { $0.cameo.root == "04" }, "\(x.events)")
  }

  @Test func anOfficeNamedAfterItsProcessReportsNoProcess() throws {
    let x = try Support.extract(
      "Brazil's envoy for the Santiago-Lima dialogue, Ana Rojas, met Peruvian President Luis Pardo in Lima on Monday.")
    #expect(!x.events.contains { $0.source == "santiago" || $0.target == "santiago" }, "\(x.events)")
    #expect(x.events.contains { $0.source == "ana-rojas" && $0.target == "luis-pardo" }, "\(x.events)")
  }

  @Test func theNounAPastFormDescribesIsItsPatient() throws {
    // Tagged a past tense, the participle after its noun is still no act of that noun's.
    let x = try Support.extract("There were 12 Chilean soldiers killed in Peru on Monday.")
    #expect(!x.events.contains { x.affiliation(of: $0.source) == "CHL" }, "\(x.events)")
    // With an object of its own it is the verb of a misplaced subject.
    let events = try triples("Chile along with its allies demanded that Peru withdraw its troops.")
    #expect(events.contains { $0.hasPrefix("10") && $0.hasSuffix("CHL>PER") }, "\(events)")
  }

  @Test func claimingResponsibilityIsAimedAtThePartyOfTheAct() throws {
    // The act named only by its target and place: whose place it is, is whom it hit.
    let events = try triples(
      "A Bolivian rebel group claimed responsibility for the attack targeting tourists at a hotel in Peru's capital.")
    #expect(events.contains("015 BOL>PER"), "\(events)")
  }

  @Test func itStandsForNoPerson() throws {
    // The speaker is a person: "it" is the state addressed, on whom the obligation is a demand.
    let events = try triples("Chilean Foreign Minister Ana Rojas warned Bolivia on Friday that it must halt the raids.")
    #expect(events.contains { $0.hasPrefix("10") && $0.hasSuffix("CHL>BOL") }, "\(events)")
  }

  @Test func aConjunctWithItsOwnCaseWordJoinsTheRolePhraseOfThatWord() throws {
    // Parsed with the second party as a conjunct of a noun in the first party's clause.
    let events = try triples(
      "Chile called on Peru to free the detained fishermen of the northern port and on Bolivia to reopen the border.")
    #expect(events.contains("020 CHL>PER"), "\(events)")
    #expect(events.contains("020 CHL>BOL"), "\(events)")
  }

  @Test func sendingInspectorsToAPartyInvestigatesIt() throws {
    let events = try triples("Chile sent inspectors to Peru on Monday.")
    #expect(events.contains("090 CHL>PER"), "\(events)")
  }

  @Test func aNounAfterItsVerbWithNoCaseWordIsTheObject() throws {
    // The parser may label the object of "killed" an oblique when no object precedes it.
    let events = try triples("Ugandan soldiers killed three ethnic Rwandans in a clash in southern Uganda on Friday.")
    #expect(events.contains { $0.hasPrefix("19") && $0.hasSuffix("UGA>UGA") }, "\(events)")
  }

  @Test func refusedActIsARejection() throws {
    let events = try triples("Kenya refused to meet Somali envoys in Nairobi.")
    #expect(events.contains { $0.hasPrefix("12") && $0.hasSuffix("KEN>SOM") }, "\(events)")
  }

  @Test func governorWhoseComplementNamesNoPartyCodesItsOwnAct() throws {
    // The complement's subject names no party, so the agreement itself is the event, between
    // the two states of the coordinated modifiers.
    let events = try triples("Senior Peruvian and Chilean officials agreed that their navies should cooperate.")
    #expect(events.contains("030 PER>CHL") && events.contains("030 CHL>PER"), "\(events)")
  }

  @Test func listOfStatesSplitByTheParserActsTogether() throws {
    let events = try triples("Chile, Peru, and Bolivia met in Lima on Friday.")
    let pairs = Set(events.filter { $0.hasPrefix("04") }.map { String($0.dropFirst(4)) })
    #expect(pairs.count >= 3, "\(events)")
  }

  @Test func refusalAnnouncedIsNotAThreat() throws {
    let events = try triples("Norway said it would not provide support to Sweden.")
    #expect(events.contains { $0.hasPrefix("12") && $0.hasSuffix("NOR>SWE") }, "\(events)")
    #expect(!events.contains { $0.hasPrefix("13") }, "\(events)")
  }

  @Test func wantedForceIsAThreatNotAnAttack() throws {
    let events = try triples("Norway wants to attack Sweden.")
    #expect(events.contains { $0.hasPrefix("13") && $0.hasSuffix("NOR>SWE") }, "\(events)")
    #expect(!events.contains { $0.hasPrefix("19") }, "\(events)")
  }

  @Test func threatOfADomesticActIsDomestic() throws {
    let events = try triples("President Yoweri Museveni threatened to ban Ugandan opposition parties.")
    #expect(events.contains { $0.hasPrefix("13") && $0.hasSuffix("UGA>UGA") }, "\(events)")
  }

  @Test func statementToANamedPartyIsAnEvent() throws {
    let events = try triples("Norway told Sweden that the border would stay closed.")
    #expect(events.contains("010 NOR>SWE"), "\(events)")
    let toOutlet = try triples("Norway told a Swedish television channel that the border would stay closed.")
    #expect(!toOutlet.contains { $0.hasPrefix("01") }, "\(toOutlet)")
  }

  @Test func oneGrantedAMeetingTakesPartInIt() throws {
    let events = try triples("The Chilean envoy was granted a meeting with Peruvian President Dina Boluarte.")
    #expect(events.contains { $0.hasPrefix("04") && ($0.hasSuffix("CHL>PER") || $0.hasSuffix("PER>CHL")) }, "\(events)")
  }

  @Test func eventNounBeforeWhichSomethingHappensIsNoReport() throws {
    let events = try triples("Chile recalled its envoy to Lima before the Peruvian president's meeting with Bolivia.")
    #expect(!events.contains { $0.hasPrefix("04") && $0.hasSuffix("PER>BOL") }, "\(events)")
  }

  @Test func datelineIsNotTheSubject() throws {
    let events = try triples(
      "OSLO, Norway, May 2, 2025 (Parley Wire) - Sweden and Finland agreed on Monday to resume talks.")
    #expect(events.contains { $0.hasSuffix("SWE>FIN") || $0.hasSuffix("FIN>SWE") }, "\(events)")
    #expect(!events.contains { $0.contains("NOR>") }, "\(events)")
  }

  @Test func whatIsReceivedFromAPartyIsThatPartysAct() throws {
    let events = try triples("Bolivia received weapons and ammunition from Peru.")
    #expect(events.contains("072 PER>BOL"), "\(events)")
  }

  @Test func carrierNounHandsOnTheEventOfItsModifier() throws {
    let events = try triples("Norway launched a mediation effort between Sudan and Chad on Monday.")
    #expect(events.contains("045 NOR>SDN") && events.contains("045 NOR>TCD"), "\(events)")
  }

  @Test func clauseParsedUnderATimeWordBelongsToTheVerb() throws {
    // The parser hangs "to impose" on "today"; read under "threatened" it is the threat.
    let events = try triples("A Danish minister threatened today to impose import restrictions against Swedish goods.")
    #expect(events.contains { $0.hasPrefix("13") && $0.hasSuffix("DNK>SWE") }, "\(events)")
  }

  @Test func actWithNothingAsItsObjectIsNoEvent() throws {
    #expect(try triples("Chile made concessions to Peru.").contains("080 CHL>PER"))
    #expect(try triples("Chile made no concessions to Peru.").isEmpty)
  }

  @Test func obligationNoPartyDemandsIsNoEvent() throws {
    // Neither reading may report a withdrawal that only must happen.
    #expect(try triples("Analysts say Chile must withdraw its troops from Peru.").isEmpty)
    #expect(try triples("Chile did not withdraw its troops from Peru.").isEmpty)
  }

  @Test func knownNameOpeningASentenceIsAProperNoun() throws {
    // Untold, the tagger takes the first "Norway" for an interjection and the list falls apart.
    let events = try triples("Norway, Sweden, and Finland met on Friday.")
    let pairs = Set(events.filter { $0.hasPrefix("04") }.map { String($0.dropFirst(4)) })
    #expect(pairs.count >= 3, "\(events)")
  }

  @Test func infinitiveParsedAsPurposeIsStillTheThreat() throws {
    let events = try triples("Norway threatened on Monday to impose import restrictions against Swedish fish.")
    #expect(events.contains { $0.hasPrefix("13") && $0.hasSuffix("NOR>SWE") }, "\(events)")
    #expect(!events.contains { $0.hasPrefix("17") }, "\(events)")
  }

  @Test func possibleMeetingIsNoEvent() throws {
    let events = try triples("A possible meeting between Chilean and Peruvian ministers was discussed by analysts.")
    #expect(!events.contains { $0.hasPrefix("04") }, "\(events)")
  }
  @Test func anAllegationOfAnAttackIsAnAccusationOfTheAttacker() throws {
    #expect(try triples("The Rwandan government alleged that France had attacked its border posts.") == ["112 RWA>FRA"])
    #expect(try triples("The United States claimed that Iran had attacked the tanker.") == ["112 USA>IRN"])
    // A claim of a meeting blames no one: the meeting is reported as it stands.
    let met = try triples("The United States claimed that Iran had met Iraqi officials.")
    #expect(!met.contains { $0.hasPrefix("11") }, "\(met)")
  }

  @Test func aProtestWithNoOneNamedIsAgainstTheProtestersOwnState() throws {
    #expect(try triples("Kenyan teachers staged a protest on Monday.") == ["141 KEN>KEN"])
  }

  @Test func aPassiveClauseIsReadFromTheTreeOnly() throws {
    // Word order makes the patient the doer; the agent phrase says who acted.
    #expect(try triples("A convoy of Malian soldiers was attacked by Nigerien gunmen on Sunday.") == ["190 NER>MLI"])
    // With no party for an agent, no one is named as the doer: the bomb's event has no source.
    let bomb = try triples("Two Kenyan police officers were killed by a roadside bomb near the Somali border.")
    #expect(bomb.allSatisfy { $0.hasSuffix(" -" + ">KEN") } && !bomb.isEmpty, "\(bomb)")
  }

  @Test func anEventFacedFromAPartyIsThatPartysAct() throws {
    #expect(try triples("Israel faced strong criticism from Turkey on Monday.") == ["111 TUR>ISR"])
  }

  @Test func evidenceAgainstAPartyAccusesIt() throws {
    #expect(try triples("The United States presented evidence against Syria on Monday.") == ["112 USA>SYR"])
  }

  @Test func aPassiveSubjectWithoutAPassiveAuxiliaryIsTheDoer() throws {
    // The tagger takes both verbs for participles and the parser labels their subjects passive;
    // with no passive auxiliary the clause is active and "it" is the government.
    let events = try triples("The Nigerian government announced Thursday that it has called off the talks with Chad.")
    #expect(events == ["164 NGA>TCD"])
  }

  @Test func wouldInAClauseNoOneReportsIsATermNotAnIntent() throws {
    #expect(try triples("In exchange, Kenya would release 40 Ugandan prisoners and would withdraw its troops.").isEmpty)
    for reported in [
      "Kenya said it would release 40 Ugandan prisoners.",
      "Kenya would release 40 Ugandan prisoners next week, a spokesman said.",
    ] {
      let events = try triples(reported)
      #expect(events.contains { $0.hasPrefix("03") && $0.hasSuffix("KEN>UGA") }, "\(reported): \(events)")
    }
  }

  @Test func reportingAnothersUseOfForceAccusesIt() throws {
    let events = try triples("The Malian army said on Tuesday that Nigerien troops had opened fire on its positions.")
    #expect(events.contains("112 MLI>NER"), "\(events)")
    #expect(events.contains { $0.hasPrefix("19") && $0.hasSuffix("NER>MLI") }, "\(events)")
  }

  @Test func oneSentenceCanReportSeveralActsBetweenTwoSides() throws {
    let events = try triples(
      "Kenya accused Uganda of shelling border villages and urged Uganda to withdraw its troops.")
    #expect(events.contains("112 KEN>UGA"), "\(events)")
    #expect(events.contains { $0.hasPrefix("02") && $0.hasSuffix("KEN>UGA") }, "\(events)")
  }

  @Test func helpingAPartyIsAid() throws {
    #expect(try triples("The United States helped Jordan after the floods.") == ["070 USA>JOR"])
  }

  @Test func theDoerMayModifyTheEventNounsModifier() throws {
    let events = try triples("Russian missile strikes on Kharkiv killed five people on Monday.")
    #expect(events.contains { $0.hasPrefix("19") && $0.hasSuffix("RUS>UKR") }, "\(events)")
  }

  @Test func partiesWhoAgreeTogetherActOnEachOther() throws {
    // "agree" is symmetric: what its coordinated subjects agree to do, they do with each other.
    let events = try triples("Bolivia and Paraguay agreed on Friday to extend the truce by sixty days.")
    #expect(events.contains { $0.hasPrefix("087") && $0.hasSuffix("BOL>PRY") }, "\(events)")
    #expect(events.contains { $0.hasPrefix("087") && $0.hasSuffix("PRY>BOL") }, "\(events)")
  }

  @Test func bothSidesAreThePartiesOfTheLastActTheyDidTogether() throws {
    // "both sides" stand for the parties of the last symmetric act (talks), not for those of
    // whatever was said since; what they stop doing together is a de-escalation by each.
    let events = try triples(
      "Bolivia and Paraguay held talks in Lima on Monday. Chile praised Bolivia for its patience. "
        + "On Tuesday both sides halted the fighting along the border.")
    #expect(events.contains("087 BOL>PRY") && events.contains("087 PRY>BOL"), "\(events)")
    #expect(!events.contains { $0.hasPrefix("087") && $0.contains("CHL") }, "\(events)")
  }

  @Test func whatADeniedClaimSaysIsNotReported() throws {
    // The claim is rejected, so the meeting it alleges is not an event; the rejection is.
    let events = try triples(
      "Bolivia dismissed Chile's claim that Paraguay had agreed to hold talks with Peru.")
    #expect(!events.contains { $0.hasPrefix("03") || $0.hasPrefix("04") }, "\(events)")
  }

  @Test func aSubjectsPossessivePronounNamesItsParty() throws {
    // "its soldiers" are the soldiers of whatever "it" stands for: the speaker in reported
    // speech; in an object a possessive refers back to the doer and names no other party.
    var events = try triples("The Chilean army said its soldiers had shelled Peruvian positions.")
    #expect(events.contains("194 CHL>PER"), "\(events)")
    events = try triples("Bolivia said their troops attacked Paraguayan positions near the border.")
    #expect(events.contains("190 BOL>PRY"), "\(events)")
    events = try triples("Bolivia pulled back its troops from Paraguay on Monday.")
    #expect(!events.contains { $0.contains("BOL>BOL") }, "\(events)")
  }

  @Test func aFiniteVerbTheParserHangsOnANounSharesTheClausesSubject() throws {
    // Nouns coordinate with nouns: "and imposed" joins "has urged", not "the rebels".
    let events = try triples(
      "Brazil has urged Bolivia to end its support for the rebels and imposed further sanctions on Bolivian banks.")
    #expect(events.contains("163 BRA>BOL"), "\(events)")
  }

  @Test func aParticipleRightAfterAConjunctionIsTheConjoinedVerb() throws {
    // "but rejected calls from X": a verb with its object, not "rejected" describing "calls";
    // the rejection is aimed at the party the calls came from.
    let events = try triples(
      "Peruvian Foreign Minister Ana Torres said Lima would respect the ruling, but rejected calls from Ecuador "
        + "to withdraw its troops from the border.")
    #expect(events.contains { $0.hasPrefix("12") && $0.hasSuffix("PER>ECU") }, "\(events)")
  }

  @Test func anObjectPronounIsNotItsOwnClausesSubject() throws {
    // "him" is the one met, so the appeal goes from the visitor to the host, not back.
    let events = try triples(
      "Chilean Foreign Minister Pablo Rojas met Bolivian President Mario Quispe in Santiago and urged him to "
        + "reopen the border.")
    #expect(events.contains { $0.hasPrefix("02") && $0.hasSuffix("CHL>BOL") }, "\(events)")
    #expect(!events.contains { $0.hasPrefix("02") && $0.hasSuffix("BOL>CHL") }, "\(events)")
    // The same when the parse codes the act urged ("to accept the proposal") rather than "urged".
    let urged = try triples(
      "Chilean Foreign Minister Pablo Rojas met Bolivian President Mario Quispe on Monday and urged him to accept "
        + "the proposal.")
    #expect(!urged.contains { $0.hasPrefix("02") && $0.hasSuffix("BOL>CHL") }, "\(urged)")
  }

  @Test func aRelativePronounNeverStandsForAnEarlierSentencesSubject() throws {
    let events = try triples(
      "Chile accused Peru of shelling the border. Bolivia, which Argentine officials say backs the rebels, "
        + "praised the deal.")
    #expect(events.filter { $0.contains("CHL") } == ["112 CHL>PER"], "\(events)")
  }

  @Test func aGroupsSpokesmanActsForTheGroupAgainstItsOwnState() throws {
    // The spokesman of an armed group based in a state is no part of that state's government:
    // his accusation against its army is an event.
    let x = try Support.extract("PKK spokesman Zagros Hiwa accused the Turkish army of bombing rebel camps in Iraq.")
    #expect(x.actor(named: "zagros-hiwa")?.group == "pkk", "\(x.actors.map(\.id))")
    #expect(x.events.contains { $0.cameo.rawValue == "112" && $0.target == "turkey" }, "\(x.events)")
  }

  @Test func aReportedStrikeTheParserHungOnItsDoerIsStillTheStrike() throws {
    // Parsed with the participle describing "warplanes" and two subjects for "said".
    let events = try triples(
      "Bolivian warplanes struck several villages in northern Paraguay on Tuesday, the Paraguayan army said.")
    #expect(events.contains { $0.hasPrefix("19") && $0.hasSuffix("BOL>PRY") }, "\(events)")
  }

  @Test func aRejectedProposalIsAimedAtEveryProposer() throws {
    let events = try triples("Bolivia on Wednesday rejected a truce proposed by Brazil, Chile, Peru and Argentina.")
    for state in ["BRA", "CHL", "PER", "ARG"] {
      #expect(events.contains { $0.hasPrefix("12") && $0.hasSuffix("BOL>\(state)") }, "\(events)")
    }
  }

  @Test func aRebelGroupIsASideApartFromItsState() throws {
    // The conjunct inside "the government of X and the Y rebel group" is a party too, and the
    // group and its state are the two sides "both sides" names.
    let x = try Support.extract(
      "The government of Turkey and the PKK rebel group signed a truce in Oslo on Saturday. "
        + "Norway called on both sides to respect the truce.")
    let appeals = x.events.filter { $0.cameo.root == "02" }.compactMap(\.target)
    #expect(Set(appeals) == ["turkey", "pkk"], "\(x.events)")
  }

  @Test func theDefiniteParties() throws {
    // "the parties", plural and otherwise bare, are the sides of the last act between two sides.
    let events = try triples(
      "Bolivia and Paraguay held talks in Lima on Monday. A Peruvian mediator said the parties had agreed to meet "
        + "again next week.")
    #expect(events.contains("036 BOL>PRY") && events.contains("036 PRY>BOL"), "\(events)")
  }

  @Test func partiesPraisingOneThingDoNotPraiseEachOther() throws {
    let events = try triples("Bolivia and Chile praised the deal on Monday.")
    #expect(!events.contains { $0.hasPrefix("05") && $0.contains("BOL>CHL") }, "\(events)")
  }

  @Test func whatAProposalSaysIsNoAct() throws {
    // The declaration's text is its terms; the signing is the act.
    let x = try Support.extract(
      "Bolivia and Paraguay signed a declaration in Lima on Monday. Under the declaration, the two sides agree to "
        + "hold talks every month.")
    #expect(x.events.map(\.cameo.rawValue) == ["057"], "\(x.events)")
  }

  @Test func theTwoCountriesAreTheLastTwoStatesNamed() throws {
    let events = try triples(
      "Peru and Ecuador exchanged fire along the border on Monday. On Tuesday the two countries agreed to restore "
        + "diplomatic ties.")
    #expect(events.contains { $0.hasPrefix("03") && $0.hasSuffix("PER>ECU") }, "\(events)")
    #expect(events.contains { $0.hasPrefix("03") && $0.hasSuffix("ECU>PER") }, "\(events)")
  }

  @Test func aDefiniteGroupAsPossessorIsTheGroupNamedLast() throws {
    let events = try triples(
      "Congolese rebels seized a border post on Monday. On Tuesday the rebels' fighters shelled Ugandan villages "
        + "near the border.")
    #expect(events.contains { $0.hasPrefix("19") && $0.hasSuffix("COD>UGA") }, "\(events)")
  }

  @Test func theArmyInAStatesOwnReportIsItsOwnArmy() throws {
    // The army named last is the other state's, but the speaker's state has one named too.
    let events = try triples(
      "The Paraguayan army said Chilean troops had shelled border villages on Monday. Chile denied the report. "
        + "President Santiago Peña said his cabinet had approved a plan by the army to take control of all weapons "
        + "in the south.")
    #expect(!events.contains { $0.hasPrefix("05") }, "\(events)")
  }

  @Test func theGroupIsTheGroupNamedLast() throws {
    let events = try triples("The PKK has rejected the offer. Turkey said the group must disarm before any talks.")
    #expect(events.contains { $0.hasPrefix("10") && $0.hasSuffix("TUR>TUR") }, "\(events)")
  }

  @Test func aConditionBelowTheThreatNamesItsTarget() throws {
    // The "if" clause hangs under the act threatened (here misparsed as a noun phrase), not
    // above the threat; its subject is "the group" named before.
    let x = try Support.extract(
      "Turkey has accused the PKK of delaying the handover of its weapons and threatened to resume air strikes "
        + "if the group does not disarm.")
    #expect(x.events.contains { $0.cameo.root == "13" && $0.source == "turkey" && $0.target == "pkk" }, "\(x.events)")
  }

  @Test func anActTheArticleDatesItsBackgroundFromIsNoReport() throws {
    let events = try triples("Exports to Europe have fallen sharply since Bolivia's invasion of Paraguay in 2022.")
    #expect(!events.contains { $0.hasPrefix("19") }, "\(events)")
  }

  @Test func theArmyIsTheArmyNamedLast() throws {
    let events = try triples(
      "Bolivian troops crossed into the disputed zone on Monday. On Tuesday the army shelled Paraguayan villages.")
    #expect(events.contains { $0.hasPrefix("19") && $0.hasSuffix("BOL>PRY") }, "\(events)")
  }

  @Test func anActDoneUnderADealIsReported() throws {
    // Only the terms a deal states ("under the deal, X agrees to") are no act; what was done
    // under one is.
    let events = try triples("Armenia and Azerbaijan swapped captured soldiers under a deal signed in Moscow.")
    #expect(events.contains { $0.hasPrefix("084") && $0.hasSuffix("ARM>AZE") }, "\(events)")
  }

  @Test func aParticipleInsideANounPhraseDescribesIt() throws {
    let events = try triples("Serbia freed three arrested Kosovo police officers on Friday.")
    #expect(events.contains { $0.hasPrefix("084") }, "\(events)")
    #expect(!events.contains { $0.hasPrefix("17") }, "\(events)")
  }

  @Test func aConjoinedVerbSharesItsSubject() throws {
    // The nearest name before the second verb is the first one's object, not its doer.
    let events = try triples(
      "Colombia accused Venezuela of sheltering guerrillas and warned that Bogota would close the border.")
    #expect(events.contains { $0.hasPrefix("112") && $0.hasSuffix("COL>VEN") }, "\(events)")
    #expect(!events.contains { $0.contains("VEN>COL") }, "\(events)")
  }

  @Test func anEndStillAwaitedIsTheThreatsCondition() throws {
    let events = try triples("Hamas vowed to continue rocket attacks until Israel lifts the blockade of Gaza.")
    #expect(events.contains { $0.hasPrefix("13") && $0.hasSuffix(">ISR") }, "\(events)")
    #expect(!events.contains { $0.contains("ISR>") }, "\(events)")
  }

  @Test func aRelativeClauseParsedAsTheClauseGivesTheSubjectBack() throws {
    let events = try triples(
      "France and Germany, which brokered the Minsk accords, urged Russia to withdraw its troops.")
    #expect(events.contains { $0.hasPrefix("02") && $0.hasSuffix("FRA>RUS") }, "\(events)")
    #expect(events.contains { $0.hasPrefix("02") && $0.hasSuffix("DEU>RUS") }, "\(events)")
    #expect(!events.contains { $0.contains("FRA>DEU") }, "\(events)")
  }

  @Test func theJuntaIsTheGovernmentNamedLast() throws {
    let events = try triples(
      "Kenya's military government closed the border on Tuesday. The junta accused Uganda of arming rebels.")
    #expect(events.contains { $0.hasPrefix("112") && $0.hasSuffix("KEN>UGA") }, "\(events)")
  }

  @Test func aCrowdCountedInHundredsIsTheClausesSubject() throws {
    // The quantity parsed as the root with the verb a participle under it: the only verb is the clause's.
    let events = try triples(
      "Thousands of students clashed with riot police in Nairobi on Sunday, demanding new elections.")
    #expect(events.contains { $0.hasPrefix("14") && $0.hasSuffix("KEN>KEN") }, "\(events)")
  }

  @Test func anAnswerToTheActReportedLastIsAimedAtItsDoer() throws {
    let events = try triples(
      "Bolivian troops attacked Paraguayan border posts on Monday. The United Nations condemned the attack and "
        + "called for calm.")
    #expect(events.contains { $0.hasPrefix("11") && $0.hasSuffix(">BOL") }, "\(events)")
    let both = try triples("Israeli warplanes struck a school in Gaza on Monday. Egypt and Qatar condemned the attack.")
    #expect(both.contains { $0.hasPrefix("11") && $0.hasSuffix("EGY>ISR") }, "\(both)")
    #expect(!both.contains { $0.contains("EGY>QAT") }, "\(both)")
  }

  @Test func aSubjectOfTwoStatesParsedAsTheRootIsTheVerbsSubject() throws {
    // The first adjective parsed as the root and the verb as a participle of the last noun.
    let events = try triples("Chilean and Peruvian diplomats met in Lima on Tuesday to revise the fisheries accord.")
    #expect(events.contains { $0.hasPrefix("04") && ($0.hasSuffix("CHL>PER") || $0.hasSuffix("PER>CHL")) }, "\(events)")
  }

  @Test func talksOfferedAreNotHeld() throws {
    let events = try triples("Kenya offered to host talks between Ethiopia and Eritrea.")
    #expect(events.contains { $0.hasPrefix("03") && $0.hasSuffix("KEN>ETH") }, "\(events)")
    #expect(!events.contains { $0.hasPrefix("04") }, "\(events)")
  }

  @Test func theOppositionOfTheOneStateNamedIsItsOwn() throws {
    let events = try triples("Police in Venezuela arrested an opposition lawmaker on Thursday.")
    #expect(events.contains { $0.hasPrefix("17") && $0.hasSuffix("VEN>VEN") }, "\(events)")
  }

  @Test func aidInAVetoedPackageIsNotGiven() throws {
    let events = try triples("Hungary vetoed a new package of EU military aid for Ukraine.")
    #expect(!events.contains { $0.hasPrefix("07") }, "\(events)")
  }

  @Test func aPronounSubjectTheTreeResolvesAndTheTwoLeaders() throws {
    // The patterns' last person named is no doer of "He urged"; "the two leaders" are the last
    // two people named, of two states.
    let events = try triples(
      "The chairman of the African Union Commission, Mahmoud Ali Youssouf, met Abiy Ahmed on Tuesday and later "
        + "spoke with Isaias Afwerki by telephone. He urged the two leaders to resolve their differences.")
    #expect(events.contains { $0.hasPrefix("02") && $0.hasSuffix("AU>ETH") }, "\(events)")
    #expect(events.contains { $0.hasPrefix("02") && $0.hasSuffix("AU>ERI") }, "\(events)")
    #expect(!events.contains { $0.hasPrefix("02") && $0.hasSuffix("ERI>AU") }, "\(events)")
  }

  @Test func whatASaidClauseMustDoIsTheSpeakersDemand() throws {
    // The parser hangs the modal verb apart, with its subject the object of "saying".
    let events = try triples(
      "Chile's foreign minister rejected the proposal on Sunday, saying Peruvian troops must first withdraw from "
        + "the disputed zone.")
    #expect(events.contains { $0.hasPrefix("10") && $0.hasSuffix("CHL>PER") }, "\(events)")
  }

  @Test func theArmyIsNotTheAccusersOwnGroup() throws {
    // "commander" is a military title, so the accuser's own group was an army named last.
    let x = try Support.extract(
      "Sudan's army chief Abdel Fattah al-Burhan rejected the proposal on Sunday. RSF commander Mohamed Hamdan "
        + "Dagalo accused the army of blocking aid deliveries to Darfur.")
    #expect(x.events.contains { $0.cameo.rawValue == "112" && $0.target == "sudan" }, "\(x.events)")
  }

  @Test func anActTheClauseSaysDidNotHappenIsNone() throws {
    let events = try triples("Chile and Peru met in Lima but left without agreeing on the border.")
    #expect(events.contains { $0.hasPrefix("04") && $0.hasSuffix("CHL>PER") }, "\(events)")
    #expect(!events.contains { $0.hasPrefix("03") }, "\(events)")
  }

  @Test func partiesWhoOfferSomethingTogetherDoNotOfferItToEachOther() throws {
    // Promises and offers are one-sided (agreeing is symmetric), and hosts host side by side.
    let events = try triples(
      "Cuba and Norway, which act as guarantors of the process, expressed concern and offered to host a new round "
        + "of negotiations in Havana.")
    #expect(!events.contains { $0.hasSuffix("CUB>NOR") || $0.hasSuffix("NOR>CUB") }, "\(events)")
  }

  @Test func aGoBetweenJoinedByAHyphenIsNoSide() throws {
    // The broker of "X-mediated talks" stands between the sides; the leader of an "X-led"
    // mission is a side of what is done to it.
    let talks = try triples(
      "Chilean President Gabriel Boric and Peruvian Prime Minister Eduardo Arana met in Lima on Monday for "
        + "OAS-mediated talks.")
    #expect(talks.contains { $0.hasPrefix("04") && $0.hasSuffix("CHL>PER") }, "\(talks)")
    #expect(!talks.contains { $0.hasSuffix(">OAS") }, "\(talks)")
    let mission = try triples("Greece refused to send troops to the US-led mission in Libya.")
    #expect(mission.contains { $0.hasPrefix("12") && $0.hasSuffix("GRC>USA") }, "\(mission)")
  }

  @Test func theVerbAfterARelativeClauseIsTheSubjectsOwn() throws {
    // The parser hangs the main verb inside the relative clause set off by commas.
    let events = try triples(
      "Kenyan President William Ruto, who chaired the meeting, blamed Eritrea for the failure of the talks, saying "
        + "it had refused to compromise.")
    #expect(events.contains { $0.hasPrefix("112") && $0.hasSuffix("KEN>ERI") }, "\(events)")
  }

  @Test func aWarningThatOnesOwnForcesWouldActIsAThreatToWhoeverMustMeetTheCondition() throws {
    for (text, dyad) in [
      ("Chile's defence minister warned that the army would respond if Peruvian troops crossed the border.", "CHL>PER"),
      ("Bolivia warned that its forces would respond if Paraguay moved troops to the border.", "BOL>PRY"),
    ] {
      let events = try triples(text)
      #expect(events.contains { $0.hasPrefix("13") && $0.hasSuffix(dyad) }, "\(text): \(events)")
      #expect(!events.contains { $0.hasPrefix("01") }, "\(text): \(events)")
    }
  }

  @Test func bothCountriesAreNotTheDoersOwn() throws {
    let events = try triples(
      "Cambodia accused Thailand of shelling its positions. U.S. President Donald Trump had threatened to halt trade "
        + "talks with both countries unless the fighting stopped.")
    #expect(events.contains { $0.hasPrefix("13") && $0.hasSuffix("USA>KHM") }, "\(events)")
    #expect(events.contains { $0.hasPrefix("13") && $0.hasSuffix("USA>THA") }, "\(events)")
    #expect(!events.contains { $0.hasSuffix("USA>USA") }, "\(events)")
  }

  @Test func bothSidesAreNotThoseOfAJointActRefused() throws {
    let events = try triples(
      "Chile and Peru held talks in Lima on Monday. Bolivia said it would not negotiate with Chile. The United "
        + "States urged both sides to show restraint.")
    #expect(events.contains { $0.hasPrefix("02") && $0.hasSuffix("USA>PER") }, "\(events)")
    #expect(!events.contains { $0.hasPrefix("02") && $0.hasSuffix("USA>BOL") }, "\(events)")
  }

  @Test func aConditionCoversEveryConjunctAndWhatTheyBegin() throws {
    let events = try triples(
      "Chile said talks could resume only if Peru released the fishermen and stopped seizing Chilean boats.")
    #expect(!events.contains { $0.hasPrefix("17") || $0.hasPrefix("08") }, "\(events)")
  }

  @Test func aClauseOpenedByAWordOfTimeKeepsItsOwnSubject() throws {
    // "after" taken for the subject's case word left the verb to the nearest name before it.
    let events = try triples(
      "India launched missile strikes on camps in Pakistan and Pakistan-administered Kashmir on Wednesday, two weeks "
        + "after gunmen killed 26 tourists in Pahalgam.")
    #expect(events.contains { $0.hasPrefix("19") && $0.hasSuffix("IND>PAK") }, "\(events)")
    #expect(!events.contains { $0.hasSuffix("PAK>IND") }, "\(events)")
  }

  @Test func theEUAndEuropeAreOneSide() throws {
    let events = try triples("European leaders urged the EU to impose new sanctions on Russia.")
    #expect(!events.contains { ["EUR>EU", "EU>EUR", "EU>EU", "EUR>EUR"].contains(where: $0.hasSuffix) }, "\(events)")
  }

  @Test func theVenueOfATruceIsNoSide() throws {
    let events = try triples("Myanmar's government signed a ceasefire in the Chinese city of Kunming.")
    #expect(!events.contains { $0.hasSuffix(">CHN") }, "\(events)")
  }

  @Test func aPlaceIsNoSideDealtWith() throws {
    let events = try triples("Ethiopian leaders meeting in Nairobi condemned the decision.")
    #expect(!events.contains { $0.hasSuffix(">KEN") }, "\(events)")
  }

  @Test func aThatClauseAfterAPhraseIsTheDemandedAct() throws {
    // The parser hangs the clause as an adverbial one when a phrase stands between the verb and
    // "that"; the demand is aimed at the clause's subject, and its act is not reported as done.
    let events = try triples("Peru's foreign ministry demanded on Monday that Chile withdraw its ambassador.")
    #expect(events.contains { $0.hasPrefix("10") && $0.hasSuffix("PER>CHL") }, "\(events)")
    #expect(!events.contains { $0.hasPrefix("16") }, "\(events)")
  }

  @Test func theVenueIsNoTargetWhereTheParseNamesTheParties() throws {
    let events = try triples("Senior Chilean and Argentine officials met in the Peruvian capital Lima on Monday.")
    #expect(events.contains { $0.hasPrefix("04") && ["CHL>ARG", "ARG>CHL"].contains($0.suffix(7)) }, "\(events)")
    #expect(!events.contains { $0.hasSuffix(">PER") }, "\(events)")
  }

  @Test func aQuantityPhraseIsTheSubjectOfTheVerbTaggedAsItsParticiple() throws {
    // The parser hangs the verb on the phrase's middle noun as a participle describing it.
    let x = try Support.extract("Tens of thousands of farmers marched through the streets in Lima on Monday.")
    #expect(
      x.events.contains { $0.cameo.root == "14" && x.affiliation(of: $0.source) == "PER" }, "\(x.events)")
  }

  @Test func adjectivesTheParserMadeTheRootDescribeTheSubject() throws {
    // Parsed with the first adjective as the root and the verb hung on it.
    let events = try triples("Chinese and Russian bombers began a joint patrol over the Sea of Japan on Tuesday.")
    #expect(events.contains { $0.hasPrefix("06") && $0.hasSuffix("CHN>RUS") }, "\(events)")
  }

  @Test func aGerundPassiveIsDoneToTheSubjectOfItsClause() throws {
    let events = try triples(
      "A power station in Ukraine's Kharkiv region caught fire on Sunday after being hit by Russian drones, the "
        + "regional governor said.")
    #expect(events.contains { $0.hasPrefix("19") && $0.hasSuffix("RUS>UKR") }, "\(events)")
  }

  @Test func anInvestigationIsAimedAtThePartyWhatItIsAboutNames() throws {
    let events = try triples(
      "Chilean prosecutors opened an investigation into whether Bolivian officials had financed the protests.")
    #expect(events.contains { $0.hasPrefix("09") && $0.hasSuffix("CHL>BOL") }, "\(events)")
  }

  @Test func aThreatIsAimedAtThePartyWarned() throws {
    // Not at the body whose sanctions the threatened act would bring back.
    let events = try triples(
      "Japan warned China in a statement that it would restore European Union sanctions on the firms.")
    #expect(events.contains { $0.hasPrefix("13") && $0.hasSuffix("JPN>CHN") }, "\(events)")
    #expect(!events.contains { $0.hasPrefix("13") && $0.hasSuffix(">EU") }, "\(events)")
  }

  @Test func anOrderToLeaveIsAnExpulsion() throws {
    // The parser hangs the infinitive on the object; what is expelled decides the code.
    for (text, code) in [
      ("Chad's government ordered the UN peacekeeping mission to leave the country within ninety days.", "1661 TCD>UN"),
      ("Venezuela ordered the Peruvian ambassador to leave the country within 72 hours.", "161 VEN>PER"),
    ] {
      let events = try triples(text)
      #expect(events.contains(code), "\(text): \(events)")
    }
  }

  @Test func aPackageOfSanctionsIsSanctions() throws {
    // The carrier noun says nothing itself, and the sense its object decides outranks the bare
    // verb's reading between the same two parties.
    let events = try triples("Canada approved a new package of sanctions against Venezuela on Monday.")
    #expect(events.contains { $0.hasPrefix("16") && $0.hasSuffix("CAN>VEN") }, "\(events)")
    #expect(!events.contains { $0.hasPrefix("05") || $0.hasPrefix("07") }, "\(events)")
  }

  @Test func coordinatedSignatoriesAreTheAgreementsPartiesNotItsWitness() throws {
    let events = try triples(
      "Envoys of Chile and Peru signed a fisheries agreement in Quito on Friday in the presence of Ecuador's "
        + "foreign minister Gabriela Sommerfeld.")
    #expect(events.contains { $0.hasPrefix("05") && $0.hasSuffix("CHL>PER") }, "\(events)")
    #expect(!events.contains { $0.hasSuffix(">ECU") }, "\(events)")
  }

  @Test func theAgentOfADescribingParticipleIsNoDoerOfTheClause() throws {
    let x = try Support.extract("Houthi fighters backed by Iran seized a port near Aden.")
    #expect(x.events.contains { $0.cameo.root == "19" && $0.source == "houthis" }, "\(x.events)")
    #expect(!x.events.contains { $0.source == "iran" }, "\(x.events)")
  }

  @Test func aWarningOfConsequencesIsAThreat() throws {
    let events = try triples("Venezuela warned Guyana of serious consequences if it continued drilling.")
    #expect(events.contains { $0.hasPrefix("13") && $0.hasSuffix("VEN>GUY") }, "\(events)")
  }

  @Test func aKnownGroupsSectorOutranksTheLastWordOfItsName() throws {
    // "the military" is the army named before, not a rebel group called an "Army".
    let x = try Support.extract(
      "The Tatmadaw shelled villages near Sittwe on Monday. The Arakan Army seized a base in Rakhine state. "
        + "The United Nations urged the military to stop the shelling.")
    #expect(x.events.contains { $0.cameo.root == "02" && $0.target == "tatmadaw" }, "\(x.events)")
    #expect(!x.events.contains { $0.cameo.root == "02" && $0.target == "arakan-army" }, "\(x.events)")
  }

  @Test func commentsThatNeedNoAddresseeAreEvents() throws {
    // Declining to comment, denying a role and offering sympathy are acts of their own in the
    // codebook, aimed at no one; the object chooses the sense over the bare verb's intent.
    for (text, code) in [
      ("A spokesman for the Kenyan presidency declined to comment on the report.", "011 KEN>-"),
      ("The Iranian foreign ministry denied any involvement in the attack on the tanker.", "016 IRN>-"),
      ("The Peruvian president offered condolences to the families of the miners killed in the collapse.", "018 PER>-"),
    ] {
      let events = try triples(text)
      #expect(events.contains(code), "\(text): \(events)")
    }
  }

  @Test func killingManyCiviliansIsAMassKilling() throws {
    // The object's count decides: hundreds of civilians are a mass killing (202), thirty are not.
    let many = try triples("Malian soldiers killed more than 300 villagers in central Mali, a rights group said.")
    #expect(many.contains("202 MLI>MLI"), "\(many)")
    let few = try triples("Malian soldiers killed 30 villagers in central Mali, a rights group said.")
    #expect(!few.contains { $0.hasPrefix("20") }, "\(few)")
  }

  @Test func aJournalistDetainedInAStateIsThatStates() throws {
    let events = try triples("Police in Uganda detained a prominent journalist over a social media post.")
    #expect(events.contains("173 UGA>UGA"), "\(events)")
  }

  @Test func theMoreSpecificCodeOfOneActWins() throws {
    // The patterns read the bare verb (160, 070); the parse's sense, chosen by the object, is
    // the codebook's more specific code of the same act between the same parties.
    for (text, code) in [
      ("Kenya suspended aid to Somalia.", "162 KEN>SOM"),
      ("The Red Cross delivered vaccines and food to Haiti.", "073 ICRC>HTI"),
    ] {
      let events = try triples(text)
      #expect(events.contains(code), "\(text): \(events)")
    }
  }

  @Test func anActAnnouncedThroughAnAssertingVerbIsAnIntent() throws {
    // "will begin to X" announces X as "will X" does; the gerund the tagger read as the object's
    // adjective is the verb's complement, with the role phrases after its object.
    for (text, code) in [
      ("The European Union will begin to lift sanctions on Belarus.", "035 EU>BLR"),
      ("The European Union will begin lifting sanctions on Belarus.", "035 EU>BLR"),
      ("Russia will start withdrawing its troops from Armenia next week.", "035 RUS>ARM"),
    ] {
      let events = try triples(text)
      #expect(events.contains(code), "\(text): \(events)")
    }
  }

  @Test func beingReadyForTalksIsAnIntentToMeet() throws {
    // The adjective governs its event noun as it would its infinitive ("ready to hold talks").
    for text in [
      "Iran is ready for talks with Washington.", "Iran remains open to negotiations with the United States.",
    ] {
      let events = try triples(text)
      #expect(events.contains("036 IRN>USA"), "\(text): \(events)")
    }
  }

  @Test func aNominalRootWithAParticipleGoverningAPhraseIsAClause() throws {
    // The tagger reads "called" after a short subject as a participle describing it; with no
    // finite verb anywhere and a phrase the verb governs, it is the clause.
    let events = try triples("The EU called on the authorities in Baku to respect media freedom.")
    #expect(events.contains("020 EU>AZE"), "\(events)")
  }

  @Test func officialsPlacedInACityAreItsStates() throws {
    // "in X" right after the noun names their state, also where the parser hung it on the verb.
    let events = try triples("The UN envoy met officials in Kabul on Monday.")
    #expect(events.contains("040 UN>AFG"), "\(events)")
  }

  @Test func forceWithNoAgentIsDoneByTheDoerOfItsEventPhrase() throws {
    // "were killed in an X attack": X's; an event phrase with a target of its own ("a strike on
    // Y") is that one act, reported once.
    let events = try triples("Two Pakistani soldiers were killed in an Indian artillery attack in Kashmir.")
    #expect(events.contains("190 IND>PAK"), "\(events)")
    let once = try triples("Three Ukrainian civilians were killed in a Russian drone strike on Kharkiv overnight.")
    #expect(once.filter { $0.hasPrefix("19") }.count == 1, "\(once)")
  }

  @Test func aVerbTaggedAsANounAfterAnInfinitiveToIsTheInfinitive() throws {
    // "to resume cooperation" read as "to [resume cooperation]": the base verb the lexicon knows,
    // not an event noun, is the infinitive, the noun its object.
    let events = try triples("Iran is prepared to resume cooperation with the International Atomic Energy Agency.")
    #expect(events.contains("031 IRN>IAEA"), "\(events)")
  }

  @Test func aParticipleDescribingTheObjectOfANominalRootIsTheClause() throws {
    // "fired" tagged as describing "tear gas", which hangs on the root noun "Police".
    let events = try triples("Riot police in Belgrade fired tear gas at protesters.")
    #expect(events.contains("175 SRB>SRB"), "\(events)")
  }

  @Test func martialLawOrAnEmergencyWithNoTargetIsOnTheGovernmentsOwnState() throws {
    for (text, code) in [
      (
        "South Korean President Yoon Suk Yeol declared emergency martial law in a late-night televised address.",
        "1724 KOR>KOR"
      ),
      ("Ecuador's government lifted the state of emergency in four coastal provinces.", "0814 ECU>ECU"),
    ] {
      let events = try triples(text)
      #expect(events.contains(code), "\(text): \(events)")
    }
    // Other restrictions are not: their target is as often another state's people.
    let bans = try triples("The Canadian government announced travel bans.")
    #expect(!bans.contains { $0.hasSuffix("CAN>CAN") }, "\(bans)")
  }

  @Test func beingHopefulOrDoubtfulThatAPartyWillActIsAComment() throws {
    // The adjective governs the clause: an optimistic (013) or pessimistic (012) comment aimed at
    // the clause's doer, not that doer's own promise.
    for (text, code) in [
      ("Qatar is optimistic that Israel will withdraw its troops.", "013 QAT>ISR"),
      ("The Kremlin is doubtful that Ukraine will withdraw its troops.", "012 RUS>UKR"),
    ] {
      let events = try triples(text)
      #expect(events.contains(code), "\(text): \(events)")
    }
  }

  @Test func aPlainStatementStillNeedsAnAddressee() throws {
    let events = try triples("The Brazilian foreign minister said the summit would take place in March.")
    #expect(!events.contains { $0.hasPrefix("01") }, "\(events)")
  }
}

/// The CAMEO lexicon the clause coder reads: every root covered, senses by object and particle.
@Suite struct CAMEOLexiconTests {
  @Test func everyRootHasVerbSenses() throws {
    let lexicon = try Support.lexicons().coding
    let roots = Set(lexicon.verbs.values.flatMap { $0.map(\.code.root) })
    #expect(roots == Set((1...20).map { $0 < 10 ? "0\($0)" : "\($0)" }))
  }

  @Test func conditionedSensesComeFirst() throws {
    let lexicon = try Support.lexicons().coding
    let impose = lexicon.senses(lemma: "impose", form: "imposed")
    #expect(!impose.isEmpty)
    let specificity = impose.map(\.specificity)
    #expect(specificity == specificity.sorted(by: >))
    #expect(impose.contains { $0.code.rawValue == "163" && $0.objectWords?.contains("sanctions") == true })
  }

  @Test func userFileAddsAndReplacesSenses() throws {
    var lexicon = try Support.lexicons().coding
    let url = try Support.temporaryDirectory().appendingPathComponent("mine.json")
    try Data(
      #"{"object_classes": {"gifts": ["pandas"]}, "verbs": [{"verb": "lend", "object": "gifts", "code": "070"}]}"#.utf8
    ).write(to: url)
    try lexicon.add(contentsOf: url)
    #expect(lexicon.senses(lemma: "lend", form: "lent").first?.code.rawValue == "070")
  }

  @Test func extractorReadsTheUsersLexicon() throws {
    // A verb the bundled lexicon does not know codes nothing until a user's file adds it.
    let url = try Support.temporaryDirectory().appendingPathComponent("verbs.json")
    try Data(
      #"{"verbs": [{"verb": "blockade", "code": "191", "then": ["with"]}, {"verb": "interdict", "code": "191"}]}"#.utf8
    )
    .write(to: url)
    let text = "Chile interdicted Peruvian ships on Monday."
    let plain = try Support.extract(text).events
    #expect(!plain.contains { $0.cameo.rawValue == "191" }, "\(plain)")
    let extractor = try Extractor.bundled(extraLexicons: [url])
    let events = extractor.extract(Support.article(text)).events
    #expect(events.contains { $0.cameo.rawValue == "191" }, "\(events)")
  }

  @Test func unknownObjectClassNamesTheFile() throws {
    var lexicon = try Support.lexicons().coding
    let url = try Support.temporaryDirectory().appendingPathComponent("broken.json")
    try Data(#"{"verbs": [{"verb": "lend", "object": "nothing", "code": "070"}]}"#.utf8).write(to: url)
    #expect {
      try lexicon.add(contentsOf: url)
    } throws: { error in
      "\(error)".contains("broken.json") && "\(error)".contains("unknown object class")
    }
  }
}

/// Groups named by their kind and state become actors with a CAMEO sector.
@Suite struct GroupActorTests {
  @Test func anOrganizationNamingTheGroupNounIsThatGroup() throws {
    // "the X rebel alliance in Y": X's members, not a rebel group of Y's state.
    let x = try Support.extract(
      "Qatari mediators have been shuttling between delegations of the Colombian government and the ELN rebel "
        + "movement in Doha.")
    #expect(!x.actors.contains { $0.sector == "REB" && $0.affiliation == "QAT" }, "\(x.actors.map(\.id))")
    #expect(
      x.events.contains { $0.cameo.root == "04" && x.affiliation(of: $0.target) == "COL" }, "\(x.events)")
  }

  @Test func unnamedGunmenAreAnArmedGroupOfTheStateWhereTheyAct() throws {
    let x = try Support.extract("Gunmen abducted 40 students from a school in northern Nigeria's Zamfara state.")
    let gunmen = try #require(x.actors.first { $0.sector == "REB" }, "\(x.actors.map(\.id))")
    #expect(gunmen.affiliation == "NGA")
    #expect(x.events.contains { $0.cameo.rawValue == "181" && $0.source == gunmen.id }, "\(x.events)")
  }

  @Test func pupilsAreCiviliansOfTheStateTheyAreTakenIn() throws {
    let x = try Support.extract("Gunmen abducted dozens of pupils from a school in northern Nigeria's Kaduna state.")
    #expect(
      x.events.contains { $0.cameo.rawValue == "181" && x.affiliation(of: $0.target) == "NGA" }, "\(x.events)")
  }

  @Test func theRebelsOfAnEarlierSentenceAreNotPlacedAgain() throws {
    // A definite "the rebels" refers back to the group named before, not to a group of the
    // place its own sentence names.
    let x = try Support.extract(
      "M23 rebels seized Goma in January. Their leader told supporters in Goma on Sunday that the rebels "
        + "would not withdraw from the city.")
    #expect(!x.actors.contains { $0.id == "goma-reb" }, "\(x.actors.map(\.id))")
  }

  @Test func aSectorNounNamesAGroupOfPeopleNotOfThings() throws {
    // "media freedom" is no group of journalists; "opposition lawmakers" are the opposition.
    let x = try Support.extract("The EU called on the authorities in Baku to respect media freedom.")
    #expect(!x.actors.contains { $0.sector == "MED" }, "\(x.actors.map(\.id))")
    let y = try Support.extract("Opposition lawmakers in Kenya demanded that President William Ruto resign.")
    #expect(y.actors.contains { $0.sector == "OPP" && $0.affiliation == "KEN" }, "\(y.actors.map(\.id))")
  }

  @Test func policeNamedByTheirKindAreThoseOfTheStateWhereTheyAct() throws {
    let x = try Support.extract("Police detained dozens of students outside the university in Quito on Friday.")
    #expect(
      x.events.contains { $0.cameo.root == "17" && x.affiliation(of: $0.source) == "ECU" }, "\(x.events)")
  }

  @Test func paramilitaryForcesAreAGroupOfTheirOwn() throws {
    // Not their state's army: their shelling of their own state's town is an event.
    let x = try Support.extract("Colombian paramilitary forces shelled the outskirts of Bogota for a second day.")
    let shelling = try #require(x.events.first { $0.cameo.root == "19" }, "\(x.events)")
    #expect(x.actors.first { $0.id == shelling.source }?.sector == "REB")
    #expect(x.affiliation(of: shelling.target) == "COL")
  }

  @Test func forceUsedByCiviliansIsAnAssault() throws {
    let plain = try Support.extract("Dozens of Bolivian villagers attacked a Peruvian border post near Desaguadero.")
    #expect(plain.events.contains { $0.cameo.root == "18" }, "\(plain.events)")
    #expect(!plain.events.contains { $0.cameo.root == "19" }, "\(plain.events)")
    // Weapons only an army has keep the act a fight.
    let armed = try Support.extract("Bolivian villagers fired rockets at a Peruvian border post.")
    #expect(!armed.events.contains { $0.cameo.root == "18" }, "\(armed.events)")
  }

  @Test func knowledgeBaseOrganizationsCarryTheirSector() throws {
    let x = try Support.extract("Hamas and Fatah officials met in Cairo with Egyptian mediators.")
    #expect(x.actors.first { $0.id == "hamas" }?.sector == "REB")
    #expect(x.actors.first { $0.id == "fatah" }?.sector == "PTY")
  }

  @Test func rebelsOfAStateAreAPartyOfTheirOwn() throws {
    let x = try Support.extract("The Malian army attacked Malian rebels near the border on Monday.")
    let rebels = try #require(x.actors.first { $0.sector == "REB" }, "\(x.actors.map(\.id))")
    #expect(rebels.affiliation == "MLI")
    #expect(x.events.contains { $0.cameo.root == "19" && $0.target == rebels.id }, "\(x.events)")
  }

  @Test func peopleTheTextDoesNotPlaceBelongToTheStateNamedAsThePlace() throws {
    let placed = try Support.extract("Gunmen attacked a market in northern Mali, killing eight people.")
    let people = try #require(placed.actors.first { $0.sector == "CVL" }, "\(placed.actors.map(\.id))")
    #expect(people.affiliation == "MLI")
    // A state named only as the doer places no one: its victims are as often another's people.
    let doer = try Support.extract("Malian soldiers opened fire on a crowd, killing eight people.")
    #expect(!doer.actors.contains { $0.sector == "CVL" }, "\(doer.actors.map(\.id))")
    let two = try Support.extract(
      "Malian and Nigerien officials said that gunmen had killed eight people near the border.")
    #expect(!two.actors.contains { $0.sector == "CVL" }, "\(two.actors.map(\.id))")
    #expect(!two.actors.contains { $0.sector == "REB" }, "armed groups are never placed by the sentence alone")
  }

  @Test func peopleAStatesOwnAuthoritiesActOnAreItsPeople() throws {
    let x = try Support.extract("Kenyan police detained dozens of students after the rally.")
    let students = try #require(x.actors.first { $0.sector == "CVL" }, "\(x.actors.map(\.id))")
    #expect(students.affiliation == "KEN")
    // The army is no such authority: it acts abroad as often as at home.
    let army = try Support.extract("Kenyan soldiers detained dozens of students after the rally.")
    #expect(!army.actors.contains { $0.sector == "CVL" }, "\(army.actors.map(\.id))")
  }

  @Test func anActWithNoPartyIsAimedAtWhomItsPurposeClauseActsOn() throws {
    let x = try Support.extract("Ugandan soldiers opened fire to drive back Kenyan villagers.")
    let events = x.events.map {
      "\($0.cameo.rawValue) \(x.affiliation(of: $0.source) ?? "-")>\(x.affiliation(of: $0.target) ?? "-")"
    }
    #expect(events.contains { $0.hasPrefix("19") && $0.hasSuffix("UGA>KEN") }, "\(events)")
  }

  @Test func aSectorNameOfTwoWords() throws {
    let x = try Support.extract("Malian armed groups attacked a convoy near the border.")
    let groups = try #require(x.actors.first { $0.sector == "REB" }, "\(x.actors.map(\.id))")
    #expect(groups.affiliation == "MLI")
  }

  @Test func anEthnicPeopleBelongsToWhereItLives() throws {
    let x = try Support.extract("Three ethnic Hungarians were injured in a clash in Slovakia on Sunday.")
    let people = try #require(x.actors.first { $0.sector == "CVL" }, "\(x.actors.map(\.id))")
    #expect(people.affiliation == "SVK")
  }

  @Test func anEthnicGroupIsNoState() throws {
    let x = try Support.extract(
      "Hundreds of ethnic Serbs rallied in the town on Sunday, while Serbian officials stayed silent.")
    #expect(x.actor(named: "serbia")?.mentions.map(\.text) == ["Serbian"])
  }

  @Test func aNounModifierNamesTheSector() throws {
    let x = try Support.extract("The Kenyan government detained Kenyan opposition candidates on Monday.")
    let opposition = try #require(x.actors.first { $0.sector == "OPP" }, "\(x.actors.map(\.id))")
    #expect(opposition.affiliation == "KEN")
  }

  @Test func membersOfAnOrganizationAreTheOrganization() throws {
    let x = try Support.extract("Hamas fighters attacked an Israeli patrol.")
    // (The organization carries its own sector; no group of its members is made beside it.)
    #expect(!x.actors.contains { $0.id != "hamas" && $0.id.hasPrefix("hamas") }, "\(x.actors.map(\.id))")
  }

  @Test func sectorIsInTheContract() throws {
    let x = try Support.extract("Police arrested Kenyan students in Nairobi.")
    let json = x.contractJSON()
    #expect(json.contains("\"sector\":\"CVL\""), "\(json)")
  }

  @Test func aTextOfOneLineIsReportedNotAHeadline() throws {
    let events = try Support.extract("Chile attacked Peru").events
    #expect(events.contains { $0.cameo.root == "19" }, "\(events)")
  }
}

/// One real event with several parties stays one happening: its dyads share the participants.
@Suite struct ManyPartyEventTests {
  @Test func aMeetingOfThreeNamesEveryParticipant() throws {
    let x = try Support.extract(
      "Kenyan President William Ruto hosted Ethiopia and Somalia for talks in Nairobi on Monday.")
    let meeting = try #require(x.events.first { $0.cameo.root == "04" }, "\(x.events)")
    #expect(meeting.participants == ["ethiopia", "somalia", "william-ruto"], "\(meeting)")
    let json = x.contractJSON()
    #expect(json.contains("\"participants\":["))
  }

  @Test func aTwoPartyEventListsNoParticipants() throws {
    let x = try Support.extract("Japan imposed new sanctions on North Korea after the test.")
    #expect(x.events.allSatisfy { $0.participants.isEmpty }, "\(x.events)")
  }
}
