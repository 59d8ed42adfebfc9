import Foundation
import ParleyKnowledge
import ParleyModel

/// A coded event before merging: the code and the parties it links.
struct CodedAct {
  var code: CAMEOCode
  var sources: [Int]
  var targets: [Int]
  var symmetric: Bool
  /// A statement made to a named party ("warned X that ..."): recorded although the bare
  /// statement code is not.
  var addressed = false
  /// A governor kept the act as it is ("agreed to ease" is the easing): the tree's reading,
  /// which outranks the patterns' as a recoded one does.
  var kept = false
  /// The parties act with each other (their targets are themselves): none acts on itself,
  /// whatever the root.
  var mutual = false
}

/// The CAMEO decision for one predicate, following the codebook's rules on what the tree says
/// about the act: a negated act is no event (unless the lexicon codes its negation), a
/// hypothetical one is none, an announced or promised one is an intent, a threatened one a
/// threat, a refused one a rejection, one urged or demanded of another party an appeal or a
/// demand aimed at that party.
///
/// A class: it is built once per sentence and passed down every question about a clause, and
/// copying its frames (some forty sets) retained and released each of them.
final class CameoDecision {
  let tree: SentenceTree
  let arguments: ArgumentReader
  /// Borrowed from the tree's shared lexicon: a copy of the frames retained and released each
  /// of their sets.
  var frames: CAMEOLexicon.Frames { tree.tables.lexicon.frames }

  init(tree: SentenceTree) {
    self.tree = tree
    let governors = tree.tables.lexicon.frames.governors
    arguments = ArgumentReader(tree: tree)
    accusation = governors["accusation"]
    appeal = governors["appeal"]
    ranked = CameoDecision.rank.compactMap { name in governors[name].map { (name, $0) } }
  }

  /// Threats and refusals before intents: "vowed to retaliate" is read as the harsher act.
  static let rank = ["refusal", "threat", "demand", "appeal", "consent", "intent", "optimism", "pessimism"]
  /// The governor classes looked up once per sentence, not on every question about a clause.
  let accusation: CAMEOLexicon.Governor?
  let appeal: CAMEOLexicon.Governor?
  let ranked: [(name: String, frame: CAMEOLexicon.Governor)]

  /// The governor class of word `g`, when `i` is its complement and codes `act` (when known).
  func governor(of i: Int, act: CAMEOCode? = nil) -> (word: Int, frame: CAMEOLexicon.Governor)? {
    // An infinitive the parser took for a purpose clause ("threatened on Monday to impose") is
    // still the governor's complement.
    let toMarked = tree.children(i, ["mark"]).contains { tree.form($0) == "to" }
    // "reached a consensus to exchange ...": the infinitive of a governing noun that is the
    // clause's object is governed as the noun's class says; the clause's verb carries its
    // negation and tense.
    if let (v, n) = governingNoun(of: i),
      let (_, frame) = ranked.first(where: { $0.frame.nouns.contains(tree.lemma(n)) }),
      act.map(frame.governs) ?? true
    {
      return (v, frame)
    }
    // "ready for talks", "open to negotiations": an event noun that an adjective of a governor
    // class takes as its role phrase is governed as that adjective's infinitive would be.
    if tree.upos(i) == "NOUN", ["obl", "nmod"].contains(tree.baseRelation(i)), let g = tree.head(i),
      tree.upos(g) == "ADJ", let k = tree.caseWord(i), ["to", "for"].contains(k)
    {
      return ranked.first { $0.frame.adjectives.contains(tree.lemma(g)) && (act.map($0.frame.governs) ?? true) }
        .map { (g, $0.frame) }
    }
    let infinitive = tree.relation(i) == "advcl" && toMarked
    guard ["xcomp", "ccomp"].contains(tree.relation(i)) || infinitive, let g = tree.head(i) else { return nil }
    let lemma = tree.lemma(g)
    // A that-clause of a verb of saying reports a fact ("told reporters that X had called Y");
    // it carries a threat or promise only when it is future, obliged or subjunctive, and a
    // demand or appeal only when obliged or subjunctive ("insisted that X will not accept" says
    // what X will do; "insisted that X withdraw" demands it).
    let reported =
      tree.relation(i) == "ccomp" && tree.isSaying(g)
    // An allegation reports an act to blame someone for ("claimed that X had attacked Y").
    if let accusation, accusation.lemmas.contains(lemma), tree.relation(i) == "ccomp" {
      guard let act, accusation.governs(act) else { return nil }
      return (g, accusation)
    }
    if reported, !isUnrealized(i) { return nil }
    // In the order of `rank`.
    for (name, frame) in ranked {
      guard frame.lemmas.contains(lemma), act.map(frame.governs) ?? true else { continue }
      if reported, frame.addressed, !isUnrealized(i, future: false) { return nil }
      // Wanting another party to act is asking it to ("wants X to attack" is an appeal to X).
      if name == "intent", let appeal,
        tree.child(g, ["obj", "iobj"]).map({ !tree.parties(at: $0).isEmpty }) ?? false
      {
        return (g, appeal)
      }
      return (g, frame)
    }
    return nil
  }

  /// The clause's verb and its object, a noun of a governor class, whose infinitive word `i`
  /// is ("reached a consensus to exchange ..."), also where the parser hangs the infinitive on
  /// the verb as a purpose.
  func governingNoun(of i: Int) -> (verb: Int, noun: Int)? {
    guard tree.children(i, ["mark"]).contains(where: { tree.form($0) == "to" }), let h = tree.head(i) else {
      return nil
    }
    let pair: (Int, Int)?
    switch tree.relation(i) {
    case "acl": pair = tree.relation(h) == "obj" ? tree.head(h).map { ($0, h) } : nil
    case "advcl": pair = tree.upos(h) == "VERB" ? tree.child(h, ["obj"]).map { (h, $0) } : nil
    default: pair = nil
    }
    guard let (v, n) = pair, tree.lemmaIs(n, WordClass.governorNoun) else {
      return nil
    }
    return (v, n)
  }

  /// A verb of saying is an event only when it is said to a party: "told X", "warned X
  /// that", "said to X". Its code is the verb's own when it is a kind of statement (01),
  /// else the plain statement (a warning of a fact is no threat).
  func addressedStatement(_ p: Predicate) -> CodedAct? {
    let i = p.word
    guard case .verb = p.kind, !tree.isNegated(i), !tree.isHypothetical(i), isAsserted(i) else { return nil }
    var sources = arguments.subject(of: i).map { tree.parties(at: $0) } ?? []
    if sources.isEmpty { sources = arguments.read(p).sources }
    guard !sources.isEmpty else { return nil }
    // An object is the one addressed only beside what is said ("told X that ...", "warned X
    // of ..."); alone it is the content ("feared a corridor").
    // (And only for a verb whose object is the one addressed: "claimed X forces took Y" is no
    // word to X.)
    let says =
      tree.tables.lexicon.frames.addressingVerbs.contains(tree.lemma(i))
      && (!tree.children(i, ["ccomp", "xcomp", "parataxis"]).isEmpty
        || tree.children(i, ["obl"]).contains { ["of", "about", "on"].contains(tree.caseWord($0) ?? "") })
    let addressees =
      tree.children(i, ["iobj"]) + (says ? tree.children(i, ["obj", "obl:unmarked"]) : [])
      + tree.children(i, ["obl"]).filter { tree.caseWord($0) == "to" }
    // The one addressed is named before what is said: a phrase after the verb's clause is no
    // addressee, however the parser hangs it ("told X that ..., warning that Y ...").
    let said = tree.children(i, ["ccomp"]).first ?? Int.max
    for a in addressees
    where a < said && !tree.tables.lexicon.outletNouns.contains(tree.form(a))
      && tree.tables.lexicon.sectorOfNoun[tree.form(a)] != "MED"
    {
      let parties = tree.parties(at: a).filter { !sources.contains($0) && tree.doc.actors[$0].kind != .media }
      guard !parties.isEmpty else { continue }
      let code = p.code.root == "01" ? p.code : (CAMEOCode("010") ?? p.code)
      return CodedAct(code: code, sources: sources, targets: parties, symmetric: false, addressed: true)
    }
    // A verb of saying that is itself an act ("alleged that X ...", "warned that X ...") is
    // aimed at the party its that-clause is about.
    // (Never at the speaker's own side: "warned that its army would respond if Y ..." is aimed
    // at Y, the party that must meet the condition.)
    if p.code.root != "01" {
      let other = otherSide(than: sources)
      for c in tree.children(i, ["ccomp"]) {
        guard let about = tree.child(c, ["nsubj", "nsubj:pass"]) else { continue }
        let parties = tree.parties(at: about).filter(other)
        if !parties.isEmpty { return CodedAct(code: p.code, sources: sources, targets: parties, symmetric: false) }
      }
      if tree.tables.lexicon.frames.conditionedRoots.contains(p.code.root),
        let parties = conditionParty(of: i)?.filter(other), !parties.isEmpty
      {
        return CodedAct(code: p.code, sources: sources, targets: parties, symmetric: false)
      }
    }
    return nil
  }

  /// A clause whose act has not happened: with an obligation auxiliary, a future one (unless
  /// `future` is false), or a bare subjunctive verb ("demanded that X withdraw").
  func isUnrealized(_ i: Int, future: Bool = true) -> Bool {
    let auxiliaries = tree.children(i, ["aux"]).map(tree.form)
    if auxiliaries.isEmpty { return tree.xpos(i) == "VB" }
    return auxiliaries.contains {
      (future && tree.tables.lexicon.frames.futureAuxiliaries.contains($0))
        || tree.tables.lexicon.frames.obligationAuxiliaries.contains($0)
    }
  }

  /// Whether the clause of word `i` reports an act rather than one wished, advised or expected:
  /// a complement counts only under a governor class, a verb of saying or a transparent verb,
  /// and a participle that only describes a noun counts not at all.
  func isAsserted(_ i: Int) -> Bool {
    if tree.relation(i) == "amod" { return false }
    if isOffered(i) { return false }
    // "accused X of doing ...": the act is what the accusation alleges, not a report of it.
    if ["acl", "advcl"].contains(tree.relation(i)), let h = tree.head(i),
      let g = tree.upos(h) == "VERB" ? h : tree.head(h), tree.upos(g) == "VERB",
      accusation?.lemmas.contains(tree.lemma(g)) ?? false
    {
      return false
    }
    if tree.relation(i) == "acl", tree.xpos(i) == "VBN" { return false }
    if isDeniedContent(i) { return false }
    if governingNoun(of: i) != nil { return true }
    // "worked on a plan to end the war": a purpose is aimed at, not done. (Under a governor, a
    // verb of saying or one addressing another party the parser's "advcl" is the complement:
    // "agreed on Monday to lift", "called on X to withdraw".)
    if tree.relation(i) == "advcl", tree.children(i, ["mark"]).contains(where: { tree.form($0) == "to" }),
      let g = tree.head(i), tree.upos(g) == "VERB",
      !(tree.tables.lexicon.frames.transparentGovernors.contains(tree.lemma(g)) || tree.isGovernor(g)
        || tree.isSaying(g)),
      !tree.tables.senseIndex.senses(lemma: tree.lemma(g), form: tree.form(g)).contains(where: {
        tree.tables.lexicon.frames.addressedRoots.contains($0.code.root)
      })
    {
      return false
    }
    guard ["xcomp", "ccomp", "csubj"].contains(tree.relation(i)), let g = tree.head(i) else { return true }
    guard tree.upos(g) == "VERB" else { return true }
    // (What a clause that only might happen begins or continues only might happen too.)
    if tree.tables.lexicon.frames.transparentGovernors.contains(tree.lemma(g)) { return !tree.isHypothetical(g) }
    return tree.isGovernor(g) || tree.isSaying(g)
  }

  /// "offered to host talks between X and Y": an event noun that is the object of a verb
  /// another one governs (an offer, an appeal, a demand) is what is offered or asked for.
  func isOffered(_ i: Int) -> Bool {
    guard tree.upos(i) == "NOUN", tree.relation(i) == "obj", let g = tree.head(i), tree.upos(g) == "VERB",
      tree.relation(g) == "xcomp", let h = tree.head(g)
    else { return false }
    return tree.isGovernor(h) && !tree.tables.lexicon.frames.transparentGovernors.contains(tree.lemma(h))
  }

  /// "dismissed X's claim that Y had agreed to ...": what a claim, report or rumour says is not
  /// asserted when the noun is the object of an act that denies it (a `preventing_codes` act).
  func isDeniedContent(_ w: Int) -> Bool {
    // An act or event noun inside the content is denied with it ("that Y had agreed to begin
    // talks"): the clause is looked for a few levels up, no further.
    var i = w
    for _ in 0..<5 {
      if isDeniedClause(i) { return true }
      guard let h = tree.head(i) else { return false }
      i = h
    }
    return false
  }

  /// Whether `i` heads the content clause ("that ...") of a noun that a denying act has as object.
  private func isDeniedClause(_ i: Int) -> Bool {
    // (The parser often takes "that" for a relative pronoun subject: it is the clause's mark.)
    guard ["acl", "ccomp", "acl:relcl"].contains(tree.relation(i)),
      tree.children(i, ["mark", "nsubj", "nsubj:pass"]).contains(where: { tree.form($0) == "that" }),
      let n = tree.head(i), tree.upos(n) == "NOUN", tree.relation(n) == "obj", let v = tree.head(n),
      tree.upos(v) == "VERB"
    else { return false }
    return tree.tables.senseIndex.senses(lemma: tree.lemma(v), form: tree.form(v)).contains { sense in
      tree.tables.lexicon.frames.preventingCodes.contains(where: sense.code.rawValue.hasPrefix)
    }
  }

  /// Whether verb `g` only governs another coded act (the act carries the event).
  func governsAct(_ g: Int, coded: Set<Int>) -> Bool {
    // (The cheap questions first: most verbs govern nothing, and reading a complement's
    // governor walks its clause.)
    tree.isGovernor(g) && tree.children[g].contains { coded.contains($0) && governor(of: $0)?.word == g }
  }

  /// The tree says the predicate's act did not happen: it is only possible, negated with no
  /// code for its negation, or an obligation no party is named to demand. (An unasserted
  /// complement is not counted here: measured, the parse misplaces too many complements for
  /// it to overrule the surface patterns.)
  func isBlocked(_ p: Predicate) -> Bool {
    let i = p.word
    guard p.sense?.speech != true else { return false }
    if tree.isHypothetical(i) || (p.eventNoun.map(tree.isHypothetical) ?? false) { return true }
    if tree.isNegated(i) || (p.eventNoun.map(tree.isNegated) ?? false) {
      if p.sense?.negated == nil && !tree.isAnnounced(i) { return true }
    }
    if isObliged(i) && demandingSpeaker(of: i) == nil { return true }
    return false
  }

  /// The parties of the subject of the clause telling the act that `i`'s act answers ("after Y
  /// fired missiles"), when they are of another side than `sources`.
  func answeredParty(of i: Int, sources: [Int]) -> [Int] {
    let other = otherSide(than: sources)
    for c in tree.children(i, ["advcl"])
    where tree.children(c, ["mark"]).contains(where: {
      tree.tables.lexicon.frames.answeringMarks.contains(tree.form($0))
    }) {
      guard let subject = tree.child(c, ["nsubj", "nsubj:pass"]) else { continue }
      let parties = tree.parties(at: subject).filter(other)
      if !parties.isEmpty { return parties }
    }
    return []
  }

  /// Whether an actor is a party of another side than `sources`: none of them, no outlet, and
  /// of none of their affiliations.
  func otherSide(than sources: [Int]) -> (Int) -> Bool {
    let actors = tree.doc.actors
    let own = Set(sources.compactMap { actors[$0].affiliation })
    return { a in
      !sources.contains(a) && actors[a].kind != .media && !(actors[a].affiliation.map(own.contains) ?? false)
    }
  }

  /// The parties of the subject of a condition ("if Y does not ...") on the clause of word `i`
  /// or on a clause it is the complement of (the parser often hangs it on the verb of saying).
  func conditionParty(of i: Int) -> [Int]? {
    // The parties of clause `c`'s subject when a hypothetical or demanding mark opens it ("if Y
    // does not ...", "until Y ends ...").
    func condition(_ c: Int) -> [Int]? {
      guard
        tree.children(c, ["mark"]).contains(where: {
          tree.formIs($0, WordClass.hypotheticalMark | WordClass.demandingMark)
        }), let subject = tree.child(c, ["nsubj", "nsubj:pass"])
      else { return nil }
      let parties = tree.parties(at: subject)
      return parties.isEmpty ? nil : parties
    }
    // The condition may hang below the threat too ("threatened to resume strikes if Y does not
    // disarm", with the clause under the act threatened), two levels down at most.
    var level = Array(tree.children[i])
    for _ in 0..<2 {
      for c in level where ["advcl", "acl", "acl:relcl"].contains(tree.relation(c)) {
        if let parties = condition(c) { return parties }
      }
      level = level.flatMap { tree.children[$0] }
    }
    var k: Int? = i
    var steps = 0
    while let v = k, steps < 6 {
      for c in tree.children(v, ["advcl", "ccomp"]) where c != i {
        if let parties = condition(c) { return parties }
      }
      guard ["xcomp", "ccomp", "advcl", "conj"].contains(tree.relation(v)) else { return nil }
      k = tree.head(v)
      steps += 1
    }
    return nil
  }

  /// The parties, other than `sources`, of the subject of a clause of word `i` marked by one of
  /// the demanding marks ("until Y amends ...").
  func demandedParty(of i: Int, sources: [Int]) -> [Int]? {
    for c in tree.children(i, ["advcl"]) {
      let marked = tree.children(c, ["mark"]).contains {
        tree.tables.lexicon.frames.demandingMarks.contains(tree.form($0))
      }
      // (The tagger often takes the mark for a preposition of the clause's subject, which the
      // tree then reads as an oblique: a subject takes no case word.)
      guard
        let subject = marked
          ? tree.child(c, ["nsubj", "nsubj:pass"])
          : tree.children(c, ["obl"]).first(where: {
            $0 < c && tree.caseIs($0, WordClass.demandingMark)
          })
      else { continue }
      let parties = tree.parties(at: subject).filter { !sources.contains($0) }
      if !parties.isEmpty { return parties }
    }
    return nil
  }

  func isObliged(_ i: Int) -> Bool {
    tree.children[i].contains { tree.relation($0) == "aux" && tree.formIs($0, WordClass.obligationAuxiliary) }
  }

  /// The party that reports or concludes an obligation ("X declared that Y must ...").
  func demandingSpeaker(of i: Int) -> [Int]? {
    guard tree.relation(i) == "ccomp", let g = tree.head(i),
      let speaker = arguments.subject(of: g).map({ tree.parties(at: $0) }), !speaker.isEmpty
    else { return nil }
    return speaker
  }

  func decide(_ p: Predicate) -> CodedAct? {
    if p.sense?.speech == true { return addressedStatement(p) }
    if p.isPrevented { return nil }
    let i = p.word
    var code = p.code
    // A negated act is coded as what its negation is; announcing it changes nothing more.
    var negated = false
    if tree.isHypothetical(i) || (p.eventNoun.map(tree.isHypothetical) ?? false) { return nil }
    if tree.isNegated(i) || (p.eventNoun.map(tree.isNegated) ?? false) {
      negated = true
      if let opposite = p.sense?.negated {
        code = opposite
      } else if tree.isAnnounced(i), let refusal = tree.tables.lexicon.frames.governors["refusal"] {
        // "will not provide", "would not meet": a refused act (the codebook's 12).
        code = refusal.code(for: code)
      } else {
        return nil
      }
    }
    if !isAsserted(i) { return nil }
    var args = arguments.read(p)
    let obliged = isObliged(i)
    if obliged, let demand = tree.tables.lexicon.frames.governors["demand"], let speaker = demandingSpeaker(of: i) {
      // "X declared that Y must drop its barriers": X's demand on Y.
      let bound = args.sources.filter { !speaker.contains($0) }
      guard !bound.isEmpty else { return nil }
      return CodedAct(code: demand.code(for: code), sources: speaker, targets: bound, symmetric: false)
    }
    // What a party must do, with no one named who demands it, has not happened.
    if obliged { return nil }
    // Parties who agree together act with each other whatever they agree to do ("X and Y
    // agreed to extend the truce"), as the governing verb's own parties would.
    var jointlyGoverned = false
    if let (g, frame) = governor(of: i, act: code) {
      if tree.isNegated(g) || tree.isHypothetical(g) { return nil }
      jointlyGoverned = tree.tables.senseIndex.senses(lemma: tree.lemma(g), form: tree.form(g)).contains {
        $0.symmetric
      }
      code = frame.code(for: code)
      if frame.addressed {
        // "urged X to withdraw", "demanded that X withdraw": the governor's act, aimed at X.
        let urged = args.sources
        args.sources = arguments.subject(of: g).map { tree.parties(at: $0) } ?? []
        var targets: [Int] = []
        for o in tree.children(g, ["obj", "iobj"]) + arguments.roleWords(g) {
          targets = tree.parties(at: o)
          if !targets.isEmpty { break }
        }
        args.targets = targets.isEmpty ? urged.filter { !args.sources.contains($0) } : targets
        if let own = frame.ownAct, !urged.isEmpty, urged.allSatisfy(args.sources.contains) {
          // "X claimed that it had attacked Y": X's claim of its own act, aimed at Y.
          code = own
          args.targets = arguments.read(p).targets.filter { !args.sources.contains($0) }
        }
      } else if tree.isAnnounced(g), let intent = tree.tables.lexicon.frames.governors["intent"],
        frame.lemmas == intent.lemmas || frame.kept.contains(code.root)
      {
        // "will agree to ease": still a promise.
        code = intent.code(for: code)
      }
      // "warned X that it would ...": a threat is aimed at the party warned.
      if !frame.addressed, frame.lemmas == tree.tables.lexicon.frames.governors["threat"]?.lemmas {
        for o in tree.children(g, ["obj", "iobj"]) {
          let warned = tree.parties(at: o).filter { !args.sources.contains($0) }
          if !warned.isEmpty {
            args.targets = warned
            break
          }
        }
      }
    } else if tree.isAnnouncedAct(i), !negated {
      // "will release": an announced cooperative act is the intent to do it (03); an announced
      // conflictual one ("will extend the curfew", "would boycott") is a threat (13), as the
      // CAMEO manual files its examples.
      if code.quadClass <= 2, let intent = tree.tables.lexicon.frames.governors["intent"],
        intent.codes[code.root] != nil
      {
        code = intent.code(for: code)
      } else if code.quadClass >= 3, let threat = tree.tables.lexicon.frames.governors["threat"],
        threat.codes[code.root] != nil
      {
        code = threat.code(for: code)
      }
    }
    guard !args.sources.isEmpty else { return nil }
    let kept = governor(of: i, act: p.code).map { $0.frame.kept.contains(p.code.root) } ?? false
    // Several parties of a mutual act with no other party act with each other ("the X-Y
    // meeting", "X and Y agreed"): a root that is mutual, or a verb whose
    // parties are unordered whatever it codes ("X and Y agreed to a truce", "clashed").
    // (A place is no partner: "agreed to share data on water in the X region". Nor is a party
    // of the same side: "X's foreign minister Y visited Z" is one doer.)
    // (Go-betweens named together mediate side by side: "X and Y brokered the accord". Nor are
    // the people an accord is about: "signed a memorandum on the exchange of prisoners".)
    let people = tree.tables.lexicon.peopleSector
    if args.targets.allSatisfy({ tree.doc.actors[$0].kind == .place || tree.doc.actors[$0].sector == people }),
      args.sources.count > 1, Set(args.sources.map { mergeSide(tree.doc.actors[$0]) }).count > 1,
      !tree.tables.lexicon.frames.intermediaryCodes.contains(code),
      !tree.tables.lexicon.frames.intermediaryCodes.contains(p.code),
      args.mutual || tree.tables.lexicon.frames.mutualRoots.contains(code.root) || p.sense?.symmetric == true
        || jointlyGoverned
    {
      return CodedAct(
        code: code, sources: args.sources, targets: args.sources, symmetric: true, kept: kept, mutual: true)
    }
    // A go-between mediates between parties: a place only names what it brokered ("the X accords").
    if tree.tables.lexicon.frames.intermediaryCodes.contains(code)
      || tree.tables.lexicon.frames.intermediaryCodes.contains(p.code), !args.targets.isEmpty,
      args.targets.allSatisfy({ tree.doc.actors[$0].kind == .place })
    {
      return nil
    }
    // A threat made on a condition ("X is ready to strike if Y does not withdraw") is aimed at
    // the party that must meet it.
    if args.targets.isEmpty, tree.tables.lexicon.frames.conditionedRoots.contains(code.root),
      let party = conditionParty(of: i)
    {
      args.targets = party.filter { !args.sources.contains($0) }
    }
    // A show of force that answers another side's act is aimed at its doer.
    if args.targets.isEmpty, tree.tables.lexicon.frames.answeringRoots.contains(code.root) {
      args.targets = answeredParty(of: i, sources: args.sources)
    }
    // A refusal that lasts until another party acts ("X will not sign until Y amends ...") is
    // a demand on that party.
    if negated, code.root == tree.tables.lexicon.frames.governors["refusal"]?.fallback?.root,
      let demand = tree.tables.lexicon.frames.governors["demand"],
      let party = demandedParty(of: i, sources: args.sources)
    {
      return CodedAct(code: demand.code(for: p.code), sources: args.sources, targets: party, symmetric: false)
    }
    // A bare event noun ("Russian annexations") reports an act only when it names both sides.
    if case .noun = p.kind, args.targets.isEmpty { return nil }
    if p.sense?.needsTarget == true && args.targets.isEmpty && !args.hasObject { return nil }
    let symmetric = p.sense?.symmetric ?? (code.root == "04")
    return CodedAct(code: code, sources: args.sources, targets: args.targets, symmetric: symmetric, kept: kept)
  }
}

/// Codes the events of one sentence from its parse: finds predicates, reads their arguments,
/// decides their codes, and emits one candidate per source and target.
struct ClauseCoder {
  let tree: SentenceTree

  /// The sentence's candidates, the tokens of the verbs whose act the tree says did not happen
  /// (see `CameoDecision.isBlocked`) and of the event nouns another act keeps from happening,
  /// and the doers event nouns name, from one pass over the predicates.
  ///
  /// `narrowing`: whether the blocked and prevented tokens and the nouns' doers are wanted (they
  /// only narrow the surface patterns' readings: with none, they are left empty).
  func read(narrowing: Bool = true) -> (
    candidates: [EventCoder.Candidate], blocked: Set<Int>, prevented: Set<Int>, nounDoers: [Int: [Int]]
  ) {
    if Self.tracing { traceTree() }
    let predicates = PredicateFinder(tree: tree).predicates()
    let decision = CameoDecision(tree: tree)
    guard narrowing else { return (candidates(predicates, decision), [], [], [:]) }
    // The doers one-sided event nouns name in their own phrase ("the attack by X", "X's offer"),
    // coded or not: a reading that gives such a noun another doer misreads it. (The parties of a
    // mutual act are doers in any order: "the X-Y meeting".)
    var nounDoers: [Int: [Int]] = [:]
    let reader = ArgumentReader(tree: tree)
    for p in predicates where !tree.tables.lexicon.frames.mutualRoots.contains(p.code.root) {
      guard case .noun = p.kind else { continue }
      let doers = reader.readNoun(p).sources
      if !doers.isEmpty { nounDoers[tree.token(p.word)] = doers }
    }
    var blocked: Set<Int> = []
    for p in predicates where decision.isBlocked(p) {
      if case .verb = p.kind { blocked.insert(tree.token(p.word)) }
    }
    // An event noun another act keeps from happening is no report for the patterns either.
    var prevented = Set(predicates.filter(\.isPrevented).map { tree.token($0.word) })
    // Nor what is offered or asked for.
    for w in tree.words where decision.isOffered(w) { prevented.insert(tree.token(w)) }
    // What a denied claim says is no report for the patterns either.
    for p in predicates where decision.isDeniedContent(p.word) {
      if case .noun = p.kind {
        prevented.insert(tree.token(p.word))
      } else {
        blocked.insert(tree.token(p.word))
      }
    }
    // A participle that only describes a noun ("the alleged abuses", "occupied land", "two
    // detained citizens", however tagged) reports no act of its own. (After a noun that is not
    // of its phrase it is more likely a verb the tagger misread: a subject and its verb, "X on
    // Monday rejected calls".)
    for w in tree.words where tree.relation(w) == "amod" {
      let inPhrase =
        w > 0 && tree.head(w).map { h in h > w && (tree.head(w - 1) == h || tree.head(w - 1) == w) } ?? false
      if !inPhrase {
        guard tree.upos(w) == "VERB" else { continue }
        if w > 0, ["NOUN", "PROPN", "PRON", "NUM"].contains(tree.upos(w - 1)) { continue }
      }
      blocked.insert(tree.token(w))
    }
    // A conditional clause is no report for the surface patterns either: its verb and the
    // words between it and its auxiliary ("would free", with "free" tagged an adjective).
    for a in tree.words
    where tree.relation(a) == "aux" && tree.tables.lexicon.frames.conditionalAuxiliaries.contains(tree.form(a)) {
      // (A verb group is a few words: a longer span is a misparse, and bounding it keeps the
      // pass linear however many auxiliaries a sentence has.)
      guard let v = tree.head(a), v > a, v - a <= 6, tree.isConditional(v) else { continue }
      for w in (a + 1)...v { blocked.insert(tree.token(w)) }
    }
    return (candidates(predicates, decision), blocked, prevented, nounDoers)
  }

  func candidates(_ predicates: [Predicate], _ decision: CameoDecision) -> [EventCoder.Candidate] {
    let decisions = predicates.map { decision.decide($0) }
    // A governor gives way only to a complement that codes an act of its own: when the
    // complement names no party ("agreed that their countries should cooperate"), the
    // governor's own act is the event.
    let coded = Set(zip(predicates, decisions).compactMap { $1 == nil ? nil : $0.word })
    var out: [EventCoder.Candidate] = []
    var seen: Set<String> = []
    for (p, decided) in zip(predicates, decisions) where !decision.governsAct(p.word, coded: coded) {
      if ClauseCoder.tracing { trace(p, decided, decision) }
      guard let act = decided else { continue }
      let token = tree.token(p.word)
      let trigger = EventCoder.Trigger(
        start: token, end: token + 1, code: act.code, speech: false, symmetric: act.symmetric,
        noun: p.eventNoun != nil, verb: nil)
      for s in act.sources {
        // A party acting on itself is no event, except where acts within one state count
        // ("imposed a curfew in the town of C in southeastern X" is X's act on X).
        let domestic = [act.code.root, p.code.root].contains(where: tree.tables.lexicon.frames.domesticRoots.contains)
        let others: [Int?] = act.targets.filter { $0 != s || (domestic && !act.mutual) }.map { $0 }
        let targets = others.isEmpty ? [nil] : others
        for t in targets {
          let key = "\(s)>\(t ?? -1)>\(act.code.root)"
          guard seen.insert(key).inserted else { continue }
          out.append(
            EventCoder.Candidate(
              code: act.code, source: s, target: t, sentence: tree.index, trigger: trigger, domestic: domestic,
              modal: act.code != p.code || act.kept, addressed: act.addressed,
              conditioned: (p.sense?.specificity ?? 0) > 0))
        }
      }
      out += accusation(reporting: p, act: act, decision: decision)
    }
    return out
  }

  /// A party that reports another's use of force accuses it ("X said that Y's troops had
  /// opened fire"): the accusation class's code, beside the reported act itself.
  func accusation(reporting p: Predicate, act: CodedAct, decision: CameoDecision) -> [EventCoder.Candidate] {
    guard act.code.quadClass == 4, tree.relation(p.word) == "ccomp", let g = tree.head(p.word),
      tree.upos(g) == "VERB", !tree.isNegated(g),
      tree.isSaying(g),
      let frame = tree.tables.lexicon.frames.governors["accusation"], frame.governs(act.code),
      !frame.lemmas.contains(tree.lemma(g)),
      let s = decision.arguments.subject(of: g)
    else { return [] }
    let speakers = tree.parties(at: s)
    let accused = act.sources.filter { !speakers.contains($0) }
    guard !speakers.isEmpty, !accused.isEmpty else { return [] }
    let code = frame.code(for: act.code)
    let token = tree.token(g)
    let trigger = EventCoder.Trigger(
      start: token, end: token + 1, code: code, speech: false, symmetric: false, noun: false, verb: nil)
    return speakers.flatMap { s in
      accused.map { t in
        EventCoder.Candidate(
          code: code, source: s, target: t, sentence: tree.index, trigger: trigger, domestic: false, modal: true,
          addressed: false)
      }
    }
  }

  /// `PARLEY_TRACE_EVENTS=1` prints every predicate, its arguments and the decision on standard
  /// error: the quickest way to see why a sentence codes what it codes.
  static let tracing = ProcessInfo.processInfo.environment["PARLEY_TRACE_EVENTS"] == "1"

  /// `PARLEY_PARSE_ONLY=1` codes from the parse alone, without the surface patterns: how far the
  /// clause coder has come on its own, the measure of retiring the patterns.
  static let parseOnly = ProcessInfo.processInfo.environment["PARLEY_PARSE_ONLY"] == "1"

  /// The tree as the coder reads it, after its repairs: word, tag, head and relation.
  func traceTree() {
    let words = tree.words.map { i in
      "\(tree.form(i))/\(tree.xpos(i))<\(tree.head(i).map { tree.form($0) } ?? "ROOT"):\(tree.relation(i))"
    }
    FileHandle.standardError.write(Data("[\(tree.index)] tree: \(words.joined(separator: " "))\n".utf8))
  }

  func trace(_ p: Predicate, _ act: CodedAct?, _ decision: CameoDecision) {
    let args = decision.arguments.read(p)
    let name = { (a: Int) in tree.doc.actors[a].id }
    let outcome = act.map { "\($0.code) \($0.sources.map(name)) > \($0.targets.map(name))" } ?? "no event"
    let line =
      "[\(tree.index)] \(tree.form(p.word)) \(p.code) \(p.kind): sources \(args.sources.map(name)) targets "
      + "\(args.targets.map(name)) -> \(outcome)\n"
    FileHandle.standardError.write(Data(line.utf8))
  }

  /// The party the sentence is about, for the pronouns of the next one.
  func mainSubject() -> Int? {
    guard let root = tree.words.first(where: { tree.relation($0) == "root" }),
      let s = ArgumentReader(tree: tree).subject(of: root)
    else { return nil }
    return tree.parties(of: s).first
  }

  /// The person the main subject's phrase names, itself or in apposition ("The X chairman, Y,").
  func mainSubjectPerson() -> Int? {
    guard let root = tree.words.first(where: { tree.relation($0) == "root" }),
      let s = ArgumentReader(tree: tree).subject(of: root)
    else { return nil }
    for w in [s] + tree.children(s, ["appos"]) {
      if let p = tree.parties(of: w).first(where: { tree.doc.actors[$0].kind == .person }) { return p }
    }
    return nil
  }
}
