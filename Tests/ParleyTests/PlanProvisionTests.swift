import ParleyExtraction
import ParleyModel
import Testing

/// Plans (named proposals with a point count) and the provisions they state.
@Suite struct PlanProvisionTests {
  func extract(_ text: String) throws -> Extraction {
    let x = try Support.extract(text)
    #expect(Support.offsetViolations(x, source: text) == [])
    #expect(Support.danglingActorIDs(x) == [])
    return x
  }

  // MARK: Provisions over the parse

  @Test func aTermUnderADemandIsAProvision() throws {
    let x = try extract("Moscow demands that Kenya withdraw its troops from the disputed border region.")
    #expect(x.provisions.contains { $0.category == .territory || $0.category == .militaryLimits }, "\(x.provisions)")
  }

  @Test func aTopicMentionedBesideAProposalIsNoProvision() throws {
    // "talks" triggers the sentence, but no clause lies under a proposal in the parse.
    let x = try extract("During the talks, analysts noted that territory remained the hardest question.")
    #expect(x.provisions.isEmpty, "\(x.provisions)")
  }

  @Test func aDemandUnderAConditionIsNoProvision() throws {
    // Only what would be demanded if something happened: no term of any proposal.
    let x = try extract("Lisbon would walk out if Oslo demanded that its fishing fleet be dismantled.")
    #expect(x.provisions.isEmpty, "\(x.provisions)")
  }

  @Test func whatAPlanWouldBringAboutIsNoTerm() throws {
    // A critic's forecast of a plan's effect is no term of it; what the plan includes is.
    let x = try extract("Critics said the plan would weaken the navy. The plan includes a prisoner exchange.")
    #expect(!x.provisions.contains { $0.category == .militaryLimits }, "\(x.provisions)")
    #expect(x.provisions.contains { $0.category == .humanitarian && $0.text.contains("prisoner") }, "\(x.provisions)")
  }

  @Test func aClauseUnderAProposalIsATerm() throws {
    let x = try extract("Under the draft accord, Chile would release all detained fishermen within a week.")
    let term = try #require(x.provisions.first { $0.category == .humanitarian })
    #expect(term.text.contains("detained"))
    #expect(!term.text.contains("Under the draft"))
  }

  @Test func aCallOnSomeoneIsNoCallForTerms() throws {
    // "call on X to" asks someone to act; only "call for" states a term.
    let x = try extract("The minister called on Peru to open its border crossings to trade.")
    #expect(x.provisions.isEmpty, "\(x.provisions)")
  }

  @Test func modifiersJoinedByAndStayOneTerm() throws {
    let x = try extract("Lima is also pushing for cultural and religious guarantees for the minority, the paper said.")
    #expect(!x.provisions.contains { $0.text == "cultural" }, "\(x.provisions.map(\.text))")
  }

  @Test func whatAProposalDoesIsATermEvenWhenRefused() throws {
    // The refused agreement's content is the term; the refusal is the stance, read later.
    let x = try extract(
      "Chile's foreign ministry insisted that Chile will not accept any agreement ceding the islands.")
    let term = try #require(x.provisions.first { $0.category == .territory }, "\(x.provisions)")
    #expect(term.text.contains("ceding"))
  }

  @Test func anImaginedAgreementStatesNoTerms() throws {
    let x = try extract("A broader agreement covering the navy would take years, an official said.")
    #expect(x.provisions.isEmpty, "\(x.provisions)")
  }

  @Test func topicsOfTalksAreTerms() throws {
    let x = try extract("The envoys held talks covering prisoner exchanges, fishing quotas and frozen reserves.")
    #expect(x.provisions.contains { $0.category == .humanitarian && $0.text.contains("prisoner") }, "\(x.provisions)")
    #expect(x.provisions.contains { $0.category == .assets && $0.text.contains("reserves") }, "\(x.provisions)")
    // Remarks are no talks: what they touch on is only mentioned.
    let y = try extract("The minister made remarks touching on sanctions and prisoner releases.")
    #expect(y.provisions.isEmpty, "\(y.provisions)")
  }

  @Test func whatAModelIsBuiltOnIsATerm() throws {
    let x = try extract("Officials said the accord follows a model built on gradual disarmament and joint monitoring.")
    #expect(x.provisions.contains { $0.category == .militaryLimits && $0.text.contains("disarm") }, "\(x.provisions)")
    #expect(x.provisions.contains { $0.category == .monitoring && $0.text.contains("monitoring") }, "\(x.provisions)")
  }

  @Test func aTermsConditionDoesNotSetItsCategory() throws {
    let x = try extract(
      "Lima approved the roadmap, seeking loans while keeping tariffs in place until Quito ends its occupation.")
    #expect(x.provisions.contains { $0.category == .sanctions && $0.text.contains("tariffs") }, "\(x.provisions)")
    #expect(!x.provisions.contains { $0.category == .territory }, "\(x.provisions)")
  }

  @Test func aParticipleIsDemandedByTheNounItFollows() throws {
    let x = try extract("The talks stalled, with Russia demanding that Ukraine withdraw its troops from Kherson.")
    let term = try #require(x.provisions.first { $0.category == .territory }, "\(x.provisions)")
    #expect(x.affiliation(of: term.demandedBy) == "RUS")
  }

  // MARK: Plans

  @Test func pointCountBeforeAPlanNoun() throws {
    let x = try extract("Washington drafted a 28-point peace plan for Ukraine.")
    #expect(x.plans.map(\.points) == [28])
    #expect(x.plans.first?.name == "28-point peace plan")
    #expect(x.plans.first?.text == "28-point peace plan")
  }

  @Test func rangeAfterAPlanNounTakesTheUpperBound() throws {
    let x = try extract("The proposal, which has since been trimmed to about 19-20 points, is under review.")
    #expect(x.plans.map(\.points) == [20])
  }

  @Test func numberWordCount() throws {
    let x = try extract("Kyiv sent back a twenty-point framework on Sunday.")
    #expect(x.plans.map(\.points) == [20])
  }

  @Test func onePlanPerPointCount() throws {
    let x = try extract("The 28-point plan was leaked. Critics attacked the 28-point plan. A 20-point draft followed.")
    #expect(x.plans.map(\.points) == [28, 20])
  }

  @Test(arguments: [
    "The government adopted a five-year roadmap for energy.",
    "Ukraine lost 28 points of GDP growth.",
    "The 3-hour meeting ended without a deal.",
    "Inflation rose 5 points in a year.",
  ])
  func durationsAndStatisticsAreNoPlans(text: String) throws {
    #expect(try extract(text).plans.isEmpty)
  }

  @Test func quotedNameBeforeAPlanNoun() throws {
    let x = try extract("Moscow floated a \u{201C}land for peace\u{201D} proposal in June.")
    let plan = try #require(x.plans.first)
    #expect(plan.name == "land for peace")
    #expect(plan.points == nil)
  }

  // MARK: Provisions

  @Test func listAfterADemandYieldsCategorizedProvisions() throws {
    let text = """
      The Kremlin demands that Ukraine:

      - reduce its armed forces to 600,000 troops;
      - renounce NATO membership;
      - hold elections within 100 days.
      """
    let x = try extract(text)
    let categories = x.provisions.map(\.category)
    #expect(categories.contains(.militaryLimits), "\(categories)")
    #expect(categories.contains(.alliances), "\(categories)")
    #expect(categories.contains(.governance), "\(categories)")
    let limits = try #require(x.provisions.first { $0.category == .militaryLimits })
    #expect(limits.text.contains("armed forces"))
    let alliance = try #require(x.provisions.first { $0.category == .alliances })
    #expect(alliance.text.contains("NATO"))
    // Who demands it and whom it binds.
    #expect(x.affiliation(of: alliance.demandedBy) == "RUS")
    #expect(x.affiliation(of: alliance.appliesTo) == "UKR")
  }

  @Test func plainParagraphListAfterAColonTrigger() throws {
    let text = """
      Under the draft, the plan requires that Ukraine:

      Cap its army at 600,000 troops.

      Give up its bid to join NATO.

      Analysts were skeptical.
      """
    let x = try extract(text)
    let categories = Set(x.provisions.map(\.category))
    #expect(categories.isSuperset(of: [.militaryLimits, .alliances]), "\(categories)")
    #expect(!x.provisions.contains { $0.text.contains("Analysts") })
  }

  @Test func inExchangeForACeasefire() throws {
    let x = try extract("Russia offered to stop its offensive in exchange for a ceasefire.")
    #expect(x.provisions.contains { $0.category == .ceasefire && $0.text.contains("ceasefire") })
  }

  @Test func territorialProvision() throws {
    let x = try extract(
      "The proposal demands that Ukraine withdraw its troops from the entire territory of the Donetsk region.")
    #expect(x.provisions.contains { $0.category == .territory && $0.text.contains("Donetsk") })
  }

  @Test func provisionsWithoutATriggerAreIgnored() throws {
    #expect(try extract("Farmers complained about the weather and grain prices in Odesa.").provisions.isEmpty)
  }

  @Test func provisionsOfAPlanSentenceCarryItsPointCount() throws {
    let x = try extract("The 28-point plan includes security guarantees for Ukraine and a cap on its armed forces.")
    #expect(!x.provisions.isEmpty)
    #expect(x.provisions.allSatisfy { $0.planPoints == 28 })
    #expect(x.provisions.contains { $0.category == .securityGuarantees })
  }

  @Test
  func anAideIsNoHumanitarianAid() throws {
    let x = try extract("Putin's aide Yuri Ushakov said the talks were useful.")
    #expect(!x.provisions.contains { $0.category == .humanitarian }, "\(x.provisions.map(\.text))")
  }
}
