import Foundation
import ParleyModel
import ParleyText

/// The CAMEO lexicon the parse-based coder reads: verb senses by lemma (with the particle or
/// preposition and the class of object each needs), event nouns, and the clause frames that
/// recode an act by what governs it. Loaded from `lexicon/cameo-verbs.json` and
/// `lexicon/coding.json`; users add senses with files of the `cameo-verbs.json` shape.
public struct CAMEOLexicon: Sendable {
  /// The word an object class lists to take any object that names a place ("captured X").
  public static let placeObject = "@place"
  /// The word an object class lists to take an object that counts many people of the victim
  /// sectors ("killed hundreds of civilians"; `mass_victims` in coding.json says how many).
  public static let massObject = "@mass"

  /// The people an object must count to be a mass of victims: at least `atLeast` of a sector
  /// in `sectors`; `counts` reads words of number ("hundreds" of X) as the least they say.
  public struct MassVictims: Sendable {
    public var atLeast = Int.max
    public var sectors: Set<String> = []
    public var counts: [String: Int] = [:]
    public init() {}
  }

  /// One coded sense of a verb ("impose" + an object of the sanctions class -> 163).
  ///
  /// Its fields live in one shared, immutable object: the coder copies senses into every
  /// predicate it reads, and a copy of the fields retained and released each of their sets.
  public struct Sense: Sendable {
    final class Storage: Sendable {
      let lemma: String
      let code: CAMEOCode
      let particles: Set<String>
      let objectWords: Set<String>?
      let needsTarget: Bool
      let symmetric: Bool
      let speech: Bool
      let negated: CAMEOCode?

      init(
        lemma: String, code: CAMEOCode, particles: Set<String>, objectWords: Set<String>?, needsTarget: Bool,
        symmetric: Bool, speech: Bool, negated: CAMEOCode?
      ) {
        self.lemma = lemma
        self.code = code
        self.particles = particles
        self.objectWords = objectWords
        self.needsTarget = needsTarget
        self.symmetric = symmetric
        self.speech = speech
        self.negated = negated
      }
    }
    private let storage: Storage

    init(
      lemma: String, code: CAMEOCode, particles: Set<String>, objectWords: Set<String>?, needsTarget: Bool,
      symmetric: Bool, speech: Bool, negated: CAMEOCode?
    ) {
      storage = Storage(
        lemma: lemma, code: code, particles: particles, objectWords: objectWords, needsTarget: needsTarget,
        symmetric: symmetric, speech: speech, negated: negated)
    }

    public var lemma: String { storage.lemma }
    public var code: CAMEOCode { storage.code }
    /// One of these must be a particle of the verb, or the case word or marker of one of its
    /// dependents ("call for", "side with", "agree to").
    public var particles: Set<String> { storage.particles }
    /// When set, the object phrase must hold one of these nouns (folded).
    public var objectWords: Set<String>? { storage.objectWords }
    /// Only an event when the object or role phrase names a party.
    public var needsTarget: Bool { storage.needsTarget }
    /// Who did it to whom is not ordered.
    public var symmetric: Bool { storage.symmetric }
    /// A verb of saying: its complement is coded in its own right.
    public var speech: Bool { storage.speech }
    /// The code when the verb is negated; nil: a negated verb codes nothing.
    public var negated: CAMEOCode? { storage.negated }

    /// How specific the sense is: senses with more conditions are tried first.
    public var specificity: Int { (particles.isEmpty ? 0 : 1) + (objectWords == nil ? 0 : 2) }
  }

  /// An event noun ("talks", "air strike", "ceasefire").
  public struct NounSense: Sendable {
    /// Folded words, the head last.
    public var tokens: [String]
    public var code: CAMEOCode
    /// Case words of a role phrase, or markers of a clause, the noun must take for this
    /// sense ("a call for X to withdraw" is an appeal; a bare call is a phone call); empty: none.
    public var then: Set<String> = []
  }

  /// A class of governing verbs that turns the act of its complement into another act: an
  /// intent ("agreed to visit"), a threat, a refusal, an appeal or a demand.
  public struct Governor: Sendable {
    public var lemmas: Set<String>
    /// Root of the governed act -> the code of the governed act as this kind of act.
    public var codes: [String: CAMEOCode]
    /// The code when the governed act's root is not in `codes`, or when nothing codeable is
    /// governed; nil when the class governs only the roots in `codes` (an allegation makes an
    /// accusation of an attack, not of a meeting).
    public var fallback: CAMEOCode?
    /// The governor itself is the event and its object or role phrase the target ("urged X to").
    public var addressed: Bool
    /// Roots of governed acts that are coded as themselves: agreeing to a concession is making
    /// it ("agreed to ease the sanctions" is the easing).
    public var kept: Set<String> = []
    /// The code when the governed act's doer is the governor's own subject, aimed at the act's
    /// target: claiming that one attacked is claiming responsibility, not accusing.
    public var ownAct: CAMEOCode?
    /// Nouns of the class whose infinitive is governed as the verb's would be, when they are
    /// the object of the clause ("reached a consensus to exchange ...", "made a pledge to ...").
    public var nouns: Set<String> = []
    /// Adjectives of the class whose event noun of a "to" or "for" phrase is governed as their
    /// infinitive would be ("open to talks", "ready for negotiations").
    public var adjectives: Set<String> = []

    public func code(for act: CAMEOCode) -> CAMEOCode {
      kept.contains(act.root) ? act : codes[act.root] ?? fallback ?? act
    }

    /// Whether the class turns an act of this code into another (see `fallback`), or keeps it.
    public func governs(_ act: CAMEOCode) -> Bool {
      fallback != nil || codes[act.root] != nil || kept.contains(act.root)
    }
  }

  /// Senses by lemma, the most specific first.
  public private(set) var verbs: [String: [Sense]] = [:]
  /// Inflected form -> lemma, for verbs the tagger lemmatizes wrongly.
  public private(set) var lemmaOfForm: [String: String] = [:]
  /// Event nouns by their head word, longest first.
  public private(set) var nouns: [String: [NounSense]] = [:]
  public var frames: Frames
  /// Head noun -> CAMEO sector of the group it names ("rebels" -> REB), from `sectors.json`.
  public var sectorOfNoun: [String: String] = [:]
  /// Sectors whose groups are parties of their own rather than their state: non-state groups,
  /// and the state's branches that act on its government (courts, legislatures).
  public var partySectors: Set<String> = []
  /// A person's role -> the sector it makes them a party of ("opposition leader" -> OPP).
  public var sectorOfRole: [String: String] = [:]
  /// Nouns that name a media outlet: speaking to one addresses no party.
  public var outletNouns: Set<String> = []
  /// Sectors whose groups, when the text does not place them, belong to the one state their
  /// sentence names ("killing eight people" in a sentence about one state).
  public var sentenceStateSectors: Set<String> = []
  /// Sectors of a state's own authorities (government, police, courts, legislature): people the
  /// text does not place, acted on by one of them, belong to its state.
  public var domesticAuthoritySectors: Set<String> = []
  /// Sectors of groups no army organizes: force they use is an assault (18), not a fight (19).
  public var unarmedSectors: Set<String> = []
  /// The sector of a people named by ethnicity ("ethnic Ruritanians"): civilians.
  public var peopleSector = "CVL"
  /// Singular nouns of people ("lawmaker", "supporter"): a non-state sector noun modifying one
  /// names a group ("an opposition lawmaker"); modifying a thing, none ("media freedom").
  /// (Plural nouns and the sector nouns themselves are people already.)
  public var personNouns: Set<String> = []

  /// How the tree changes an act (`coding.json`).
  public struct Frames: Sendable {
    /// Verbs whose object noun carries the event ("held talks", "launched an offensive").
    public var lightVerbs: Set<String> = []
    public var governors: [String: Governor] = [:]
    /// Verbs whose complement is asserted as it stands ("began to withdraw").
    public var transparentGovernors: Set<String> = []
    /// Auxiliaries that announce an act ("will visit"): coded as the intent to do it.
    public var futureAuxiliaries: Set<String> = []
    /// Auxiliaries and subordinators of acts that only might happen: no event.
    public var uncertainAuxiliaries: Set<String> = []
    /// Auxiliaries that make an act conditional in a clause no one reports: the terms of a
    /// proposal ("under the deal, X would withdraw"), a hypothesis.
    public var conditionalAuxiliaries: Set<String> = []
    /// Auxiliaries of obligation: a reported "Y must withdraw" is a demand on Y.
    public var obligationAuxiliaries: Set<String> = []
    public var hypotheticalMarks: Set<String> = []
    /// Marks of a clause whose act did not happen ("left without signing"): no event.
    public var unrealizedMarks: Set<String> = []
    /// Adjectives that make an event noun only possible ("a possible meeting").
    public var hypotheticalModifiers: Set<String> = []
    /// Verbs whose subject receives what the "from" party gives, with the giving verb whose
    /// senses code it ("received arms from Y" reads as "Y gave arms").
    public var converseVerbs: [String: String] = [:]
    /// Verbs whose object event noun is the act of their "from" party on their subject
    /// ("faced criticism from Y" is Y's criticism).
    public var converseLightVerbs: Set<String> = []
    /// Nouns that carry the event noun modifying them ("a mediation mission", "an aid package").
    public var carrierNouns: Set<String> = []
    /// Case words that name an event only as a time still to come ("before the meeting").
    public var anticipatingCases: Set<String> = []
    public var negations: Set<String> = []
    /// Case words of role phrases that name the target ("with", "against", "to").
    public var targetCases: Set<String> = []
    /// Case words of places that are the target of force ("shelling in X").
    public var placeCases: Set<String> = []
    /// Roots whose coordinated parties act with each other when no other target is named.
    public var mutualRoots: Set<String> = []
    /// Roots of acts that are events even when their doer is named only by kind ("gunmen
    /// opened fire", "a suicide bomber blew himself up"): the event has no source.
    public var unnamedDoerRoots: Set<String> = []
    /// Nouns that name such a doer by kind alone ("gunmen", "bomber", "attacker").
    public var unnamedDoerNouns: Set<String> = []
    /// Case words of an event noun's role phrase whose parties act with each other ("talks
    /// between X and Y").
    public var mutualCases: Set<String> = []
    /// Nouns that, definite and otherwise bare ("the country"), stand for the state of the speaker
    /// or of the previous subject.
    public var stateNouns: Set<String> = []
    /// Acts one party does between others (mediation): a "between" phrase names its targets.
    public var intermediaryCodes: Set<CAMEOCode> = []
    /// Affiliation codes of one side, each to the first of its group ("EUR", Europe in general,
    /// to "EU"): an act between them is an act within one side.
    public var sameSide: [String: String] = [:]
    /// Roots or codes of acts that keep their object from happening ("rejected", "halted",
    /// "restricted", "denied"): an event noun as their object reports no act of its own.
    public var preventingCodes: [String] = []
    /// Roots whose act made on a condition ("if Y does not withdraw") is aimed at the party
    /// that must meet it (a threat).
    public var conditionedRoots: Set<String> = []
    /// Marks of a clause that ends a refusal ("will not sign until Y ..."): the refusal is a
    /// demand on that clause's subject.
    public var demandingMarks: Set<String> = []
    /// Roots whose act with no target answers another side's act told in a clause of one of
    /// `answeringMarks` ("raised its alert after Y fired missiles"): it is aimed at that doer.
    public var answeringRoots: Set<String> = []
    /// Marks of the clause that tells the act answered.
    public var answeringMarks: Set<String> = []
    /// Words that open a clause as well as a noun phrase ("after", "until"): one the parser
    /// took for the preposition of a noun that a finite verb with no subject follows opens that
    /// verb's clause, the noun its subject.
    public var clauseOpeners: Set<String> = []
    /// Verbs of saying whose object is the one addressed ("told X that ..."); any other verb of
    /// saying takes what is said as its object ("claimed X forces took Y").
    public var addressingVerbs: Set<String> = []
    /// How many people of which sectors an object must count to take the `@mass` object class
    /// (the codebook's mass killings, 202, against an attack, 18 or 19).
    public var massVictims = MassVictims()
    /// Sectors whose noun, definite and otherwise bare ("the rebels"), stands for the group of
    /// that sector named last.
    public var definiteGroupSectors: Set<String> = []
    /// Case words by which an event noun with no doer of its own sets the scene of a clause
    /// ("after talks with X"): the clause's subject is its doer.
    public var settingCases: Set<String> = []
    /// The setting cases that only set a time: the phrase belongs to the clause even when the
    /// parser hangs it on the verb's object.
    public var temporalCases: Set<String> = []
    /// Roots coded against the place where they happen when no party is the target.
    public var placeTargetRoots: Set<String> = []
    /// Pronouns that stand for a party named earlier.
    public var pronouns: Set<String> = []
    /// Case words that place a group or institution in its state ("a court in X").
    public var membershipCases: Set<String> = []
    /// Verbal acts aimed at the party that must act ("demanded that X withdraw").
    public var addressedRoots: Set<String> = []
    /// Acts done by the authorities of the place where they happen, when no agent is named.
    public var passivePlaceSourceRoots: Set<String> = []
    /// Roots whose act is aimed at a party named anywhere in what it is about, when no role
    /// phrase names one ("opened an investigation into whether X's subsidies ...").
    public var contentTargetRoots: Set<String> = []
    /// Roots of acts on a thing that names no party ("called the new rules unfair") that are
    /// aimed at the side the actor was last reported dealing with.
    public var counterpartRoots: Set<String> = []
    /// Roots whose acts within one state are events (a government's curfew on its own town).
    public var domesticRoots: Set<String> = []
    /// Codes not recorded as events (the catch-all statement).
    public var uncodedCodes: Set<CAMEOCode> = []
    /// Roots (two digits) and codes that are events even when no party is their target (a
    /// protest, a mobilization; a denial, a refusal to comment).
    public var untargetedRoots: Set<String> = []

    /// Whether an act of `code` is an event with no party as its target.
    public func isUntargeted(_ code: CAMEOCode) -> Bool {
      untargetedRoots.contains(code.root) || untargetedRoots.contains(code.rawValue)
        || (code.rawValue.count == 4 && untargetedRoots.contains(String(code.rawValue.prefix(3))))
    }
    /// Roots whose act with no named target is aimed at the doer's own state (a protest or a
    /// strike is against one's own government).
    public var selfTargetRoots: Set<String> = []

    /// Whether an act of `code` with no named target is aimed at the doer's own state: its root
    /// or its code is in `selfTargetRoots` ("1723": martial law).
    public func isSelfTargeted(_ code: CAMEOCode) -> Bool {
      selfTargetRoots.contains(code.root) || selfTargetRoots.contains(code.rawValue)
    }
    /// Case words by which a group or office is named after the process it serves ("the envoy
    /// for the talks"): such an event noun names a role, not a reported act.
    public var roleCases: Set<String> = []
    /// Pronouns that stand only for a person ("he") or only for what is not one ("it"): a
    /// referent of the other kind is passed over for the nearest one that fits.
    public var personPronouns: Set<String> = []
    public var thingPronouns: Set<String> = []
    /// Pronouns that stand for several parties ("they"): after "both sides", the sides.
    public var pluralPronouns: Set<String> = []
    /// Nouns that, definite and bare ("the group"), stand for the armed or political group
    /// named last.
    public var groupNouns: Set<String> = []
    /// Case words of an event noun that only dates the background ("since X's invasion of Y"):
    /// no act is reported.
    public var backgroundCases: Set<String> = []
    /// Roots of acts that answer an earlier act ("condemned the attack", "welcomed the
    /// release"): a definite event noun as their object is the act of its kind reported last.
    public var respondingRoots: Set<String> = []
    /// Possessive determiners and the pronoun each stands for: "its troops" are the troops of
    /// whatever "it" would stand for, so the phrase names that party.
    public var possessivePronouns: [String: String] = [:]
    /// Nouns (lemmas) that, with one of `sidesModifiers` ("both sides", "the two parties", "the
    /// warring parties"), stand for the two sides of the article's last act between two sides.
    public var sidesNouns: Set<String> = []
    public var sidesModifiers: Set<String> = []
  }

  /// The `cameo-verbs.json` shape, for the bundled file and users' own.
  public struct File: Decodable, Sendable {
    public struct Verb: Decodable, Sendable {
      var verb: String
      var forms: [String]?
      var code: String
      var then: [String]?
      var object: String?
      var needs_object_word: [String]?
      var needs_target: Bool?
      var symmetric: Bool?
      var speech: Bool?
      var negated: String?
    }
    public struct Noun: Decodable, Sendable {
      var noun: String
      var code: String
      var then: [String]?
    }
    var object_classes: [String: [String]]?
    var verbs: [Verb]?
    var nouns: [Noun]?
  }

  struct FramesFile: Decodable {
    struct GovernorEntry: Decodable {
      var lemmas: [String]
      var codes: [String: String]
      var fallback: String?
      var addressed: Bool?
      var kept: [String]?
      var own_act: String?
      var nouns: [String]?
      var adjectives: [String]?
    }
    var light_verbs: [String]
    var governors: [String: GovernorEntry]
    var transparent_governors: [String]
    var future_auxiliaries: [String]
    var uncertain_auxiliaries: [String]
    var conditional_auxiliaries: [String]?
    var obligation_auxiliaries: [String]
    var hypothetical_marks: [String]
    var unrealized_marks: [String]?
    var hypothetical_modifiers: [String]
    var anticipating_cases: [String]?
    var converse_verbs: [String: String]?
    var converse_light_verbs: [String]?
    var carrier_nouns: [String]?
    var negations: [String]
    var target_cases: [String]
    var place_cases: [String]
    var mutual_roots: [String]
    var unnamed_doer_roots: [String]?
    var unnamed_doers: [String]?
    var mutual_cases: [String]?
    var intermediary_codes: [String]?
    var same_side_affiliations: [[String]]?
    var setting_cases: [String]?
    var temporal_cases: [String]?
    var place_target_roots: [String]
    var pronouns: [String]
    var untargeted_roots: [String]
    var untargeted_codes: [String]?
    var uncoded: [String]
    var domestic_roots: [String]
    var membership_cases: [String]
    var addressed_roots: [String]
    var passive_place_source_roots: [String]
    var content_target_roots: [String]?
    var counterpart_roots: [String]?
    var self_target_roots: [String]?
    var role_cases: [String]?
    var person_pronouns: [String]?
    var plural_pronouns: [String]?
    var group_nouns: [String]?
    var background_cases: [String]?
    var responding_roots: [String]?
    var thing_pronouns: [String]?
    var possessive_pronouns: [String: String]?
    var sides_nouns: [String]?
    var sides_modifiers: [String]?
    var state_nouns: [String]?
    var preventing_codes: [String]?
    var conditioned_roots: [String]?
    var demanding_marks: [String]?
    var answering_roots: [String]?
    var answering_marks: [String]?
    var clause_openers: [String]?
    var addressing_verbs: [String]?
    var definite_group_sectors: [String]?
    var mass_victims: MassVictimsEntry?
    struct MassVictimsEntry: Decodable {
      var at_least: Int
      var sectors: [String]
      var counts: [String: Int]
    }
  }

  public init(frames: Frames) { self.frames = frames }

  /// Loads the bundled lexicon from `directory/lexicon`.
  public static func load(directory: URL) throws -> CAMEOLexicon {
    let dir = directory.appendingPathComponent("lexicon")
    let framesURL = dir.appendingPathComponent("coding.json")
    let f = try decodeFile(FramesFile.self, at: framesURL)
    func code(_ raw: String, _ what: String) throws -> CAMEOCode {
      guard let c = CAMEOCode(raw) else {
        throw KnowledgeError(file: framesURL.path, reason: "\(what): invalid CAMEO code \(raw)")
      }
      return c
    }
    var frames = Frames()
    frames.lightVerbs = Set(f.light_verbs)
    for (name, g) in f.governors {
      var codes: [String: CAMEOCode] = [:]
      for (root, raw) in g.codes { codes[root] = try code(raw, "governor \(name)") }
      frames.governors[name] = Governor(
        lemmas: Set(g.lemmas), codes: codes, fallback: try g.fallback.map { try code($0, "governor \(name)") },
        addressed: g.addressed ?? false, kept: Set(g.kept ?? []),
        ownAct: try g.own_act.map { try code($0, "governor \(name)") }, nouns: Set(g.nouns ?? []),
        adjectives: Set(g.adjectives ?? []))
    }
    frames.transparentGovernors = Set(f.transparent_governors)
    frames.futureAuxiliaries = Set(f.future_auxiliaries)
    frames.uncertainAuxiliaries = Set(f.uncertain_auxiliaries)
    frames.conditionalAuxiliaries = Set(f.conditional_auxiliaries ?? [])
    frames.obligationAuxiliaries = Set(f.obligation_auxiliaries)
    frames.hypotheticalMarks = Set(f.hypothetical_marks)
    frames.unrealizedMarks = Set(f.unrealized_marks ?? [])
    frames.hypotheticalModifiers = Set(f.hypothetical_modifiers)
    frames.anticipatingCases = Set(f.anticipating_cases ?? [])
    frames.converseVerbs = f.converse_verbs ?? [:]
    frames.converseLightVerbs = Set(f.converse_light_verbs ?? [])
    frames.carrierNouns = Set(f.carrier_nouns ?? [])
    frames.negations = Set(f.negations)
    frames.targetCases = Set(f.target_cases)
    frames.placeCases = Set(f.place_cases)
    frames.mutualRoots = Set(f.mutual_roots)
    frames.unnamedDoerRoots = Set(f.unnamed_doer_roots ?? [])
    frames.unnamedDoerNouns = Set((f.unnamed_doers ?? []).map(Fold.key))
    frames.mutualCases = Set(f.mutual_cases ?? [])
    frames.settingCases = Set(f.setting_cases ?? [])
    frames.temporalCases = Set(f.temporal_cases ?? [])
    frames.placeTargetRoots = Set(f.place_target_roots)
    frames.pronouns = Set(f.pronouns)
    frames.untargetedRoots = Set(f.untargeted_roots)
    for raw in f.untargeted_codes ?? [] { frames.untargetedRoots.insert(try code(raw, "untargeted_codes").rawValue) }
    frames.selfTargetRoots = Set(f.self_target_roots ?? [])
    frames.roleCases = Set(f.role_cases ?? [])
    frames.personPronouns = Set(f.person_pronouns ?? [])
    frames.pluralPronouns = Set(f.plural_pronouns ?? [])
    frames.groupNouns = Set(f.group_nouns ?? [])
    frames.backgroundCases = Set(f.background_cases ?? [])
    frames.respondingRoots = Set(f.responding_roots ?? [])
    frames.thingPronouns = Set(f.thing_pronouns ?? [])
    frames.possessivePronouns = f.possessive_pronouns ?? [:]
    frames.sidesNouns = Set(f.sides_nouns ?? [])
    frames.sidesModifiers = Set(f.sides_modifiers ?? [])
    frames.stateNouns = Set(f.state_nouns ?? [])
    frames.domesticRoots = Set(f.domestic_roots)
    frames.membershipCases = Set(f.membership_cases)
    frames.addressedRoots = Set(f.addressed_roots)
    frames.passivePlaceSourceRoots = Set(f.passive_place_source_roots)
    frames.contentTargetRoots = Set(f.content_target_roots ?? [])
    frames.counterpartRoots = Set(f.counterpart_roots ?? [])
    frames.uncodedCodes = Set(try f.uncoded.map { try code($0, "uncoded") })
    frames.intermediaryCodes = Set(try (f.intermediary_codes ?? []).map { try code($0, "intermediary_codes") })
    for group in f.same_side_affiliations ?? [] {
      guard let first = group.first else { continue }
      for code in group { frames.sameSide[code] = first }
    }
    frames.conditionedRoots = Set(f.conditioned_roots ?? [])
    frames.demandingMarks = Set(f.demanding_marks ?? [])
    frames.answeringRoots = Set(f.answering_roots ?? [])
    frames.answeringMarks = Set(f.answering_marks ?? [])
    frames.clauseOpeners = Set(f.clause_openers ?? [])
    frames.addressingVerbs = Set(f.addressing_verbs ?? [])
    if let m = f.mass_victims {
      frames.massVictims.atLeast = m.at_least
      frames.massVictims.sectors = Set(m.sectors)
      frames.massVictims.counts = Dictionary(m.counts.map { (Fold.key($0.key), $0.value) }, uniquingKeysWith: max)
    }
    frames.definiteGroupSectors = Set(f.definite_group_sectors ?? [])
    frames.preventingCodes = try (f.preventing_codes ?? []).map { try code($0, "preventing_codes").rawValue }
    var lexicon = CAMEOLexicon(frames: frames)
    struct SectorsFile: Decodable {
      var nouns: [String: [String]]
      var non_state: [String]
      var own_parties: [String]?
      var roles: [String: String]?
      var outlets: [String]?
      var sentence_state: [String]?
      var domestic_authority: [String]?
      var people: String?
      var unarmed: [String]?
      var person_nouns: [String]?
    }
    let sectors = try decodeFile(SectorsFile.self, at: dir.appendingPathComponent("sectors.json"))
    for (sector, nouns) in sectors.nouns {
      for n in nouns { lexicon.sectorOfNoun[Fold.key(n)] = sector }
    }
    lexicon.partySectors = Set(sectors.non_state + (sectors.own_parties ?? []))
    lexicon.sectorOfRole = sectors.roles ?? [:]
    lexicon.outletNouns = Set((sectors.outlets ?? []).map(Fold.key))
    lexicon.sentenceStateSectors = Set(sectors.sentence_state ?? [])
    lexicon.domesticAuthoritySectors = Set(sectors.domestic_authority ?? [])
    if let people = sectors.people { lexicon.peopleSector = people }
    lexicon.unarmedSectors = Set(sectors.unarmed ?? [])
    lexicon.personNouns = Set((sectors.person_nouns ?? []).map(Fold.key))
    for name in ["cameo-base.json", "cameo-verbs.json"] {
      let url = dir.appendingPathComponent(name)
      guard FileManager.default.fileExists(atPath: url.path) else { continue }
      try lexicon.add(decodeFile(File.self, at: url), from: url.path)
    }
    return lexicon
  }

  /// Adds the senses and nouns of one file; a sense that repeats one already known (same lemma,
  /// particles and object) replaces it, so a user's file can correct the bundled one.
  public mutating func add(_ file: File, from path: String) throws {
    // ("@place" and "@mass" are markers, not words: kept as written.)
    let classes = (file.object_classes ?? [:]).mapValues {
      Set($0.map { $0.hasPrefix("@") ? $0 : Fold.key($0) })
    }
    for v in file.verbs ?? [] {
      guard let code = CAMEOCode(v.code) else {
        throw KnowledgeError(file: path, reason: "verb \"\(v.verb)\": invalid CAMEO code \(v.code)")
      }
      var objectWords: Set<String>?
      if let name = v.object {
        guard let words = classes[name] else {
          throw KnowledgeError(file: path, reason: "verb \"\(v.verb)\": unknown object class \"\(name)\"")
        }
        objectWords = words
      }
      if let extra = v.needs_object_word { objectWords = (objectWords ?? []).union(extra.map { Fold.key($0) }) }
      let negated = try v.negated.map { raw -> CAMEOCode in
        guard let c = CAMEOCode(raw) else {
          throw KnowledgeError(file: path, reason: "verb \"\(v.verb)\": invalid CAMEO code \(raw)")
        }
        return c
      }
      let lemma = Fold.key(v.verb)
      let sense = Sense(
        lemma: lemma, code: code, particles: Set((v.then ?? []).map { Fold.key($0) }), objectWords: objectWords,
        needsTarget: v.needs_target ?? false, symmetric: v.symmetric ?? false, speech: v.speech ?? false,
        negated: negated)
      for form in Inflection.forms(of: lemma) + (v.forms ?? []).map({ Fold.key($0) }) where lemmaOfForm[form] == nil {
        lemmaOfForm[form] = lemma
      }
      var senses = verbs[lemma] ?? []
      senses.removeAll { $0.particles == sense.particles && $0.objectWords == sense.objectWords }
      senses.append(sense)
      // Stable: among equally specific senses the file's order decides.
      verbs[lemma] = senses.enumerated().sorted {
        ($0.element.specificity, -$0.offset) > ($1.element.specificity, -$1.offset)
      }.map(\.element)
    }
    for n in file.nouns ?? [] {
      guard let code = CAMEOCode(n.code) else {
        throw KnowledgeError(file: path, reason: "noun \"\(n.noun)\": invalid CAMEO code \(n.code)")
      }
      let tokens = Fold.key(n.noun).split(separator: " ").map(String.init)
      guard let head = tokens.last else { continue }
      var list = nouns[head] ?? []
      let then = Set((n.then ?? []).map(Fold.key))
      list.removeAll { $0.tokens == tokens && $0.then == then }
      list.append(NounSense(tokens: tokens, code: code, then: then))
      // Longest first, and a conditioned sense before the bare one of the same words.
      nouns[head] = list.sorted { ($0.tokens.count, $0.then.count) > ($1.tokens.count, $1.then.count) }
    }
  }

  /// The senses of a verb by its lemma, else by its inflected form.
  public func senses(lemma: String, form: String) -> [Sense] {
    if let s = verbs[lemma] { return s }
    return lemmaOfForm[form].flatMap { verbs[$0] } ?? []
  }

  /// Adds a user's file of the `cameo-verbs.json` shape.
  public mutating func add(contentsOf url: URL) throws {
    try add(decodeFile(File.self, at: url), from: url.path)
  }
}

extension CAMEOLexicon {
  /// The party sector a person's role places them in, if any ("judge" JUD); a serving official
  /// stands for their government (nil).
  public func sector(ofRole role: String) -> String? {
    sectorOfRole[role].flatMap { partySectors.contains($0) ? $0 : nil }
  }
}
