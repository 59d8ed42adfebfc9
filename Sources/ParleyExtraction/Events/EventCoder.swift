import Foundation
import ParleyKnowledge
import ParleyModel
import ParleyText

/// Codes who-did-what-to-whom events in CAMEO from verb and noun patterns.
///
/// For each trigger it finds the source (the subject left of the verb, coordinated subjects,
/// a relative pronoun's antecedent, a pronoun's referent, or the agent of a passive "by" phrase),
/// the target (the object, a "with" phrase, or for verbs of saying the addressee), and reads
/// negation, modality and reported speech: "insisted they will not accept" is a rejection,
/// "told X that he would agree to ... if" an offer, "a possible meeting" no event at all.
/// A statement with no addressee is taken as a reply to the counterpart of the source's last
/// interaction in the article. Restated events are merged.
///
/// A class: its three lexicons hold about a hundred sets and tables, and a struct was copied
/// (every one of them retained and released) wherever a closure or nested function took `self`.
public final class EventCoder: ExtractionComponent {
  let lexicon: EventLexicon
  let names: NameLexicon
  let coding: CAMEOLexicon
  /// `coding` by reference, for the trees of every sentence.
  let tables: CodingTables
  /// The complement cues' and rejection words' phrases by their first word.
  let cuePhrases: CuePhrases
  /// The verb and noun patterns of every word form that has any (`EventLexicon.verbs` and
  /// `nouns` in one table): the trigger scan looks each token up once, not once per table.
  let triggerWords: [String: TriggerWord]

  struct TriggerWord {
    var verbs: [EventLexicon.VerbPattern]?
    var nouns: [EventLexicon.NounPattern]?
  }

  /// `provisions` names the proposals whose terms are no reported acts ("Under the deal, X
  /// agrees to ..."): the same words the provision finder reads terms under.
  public init(lexicon: EventLexicon, names: NameLexicon, coding: CAMEOLexicon, provisions: ProvisionLexicon? = nil) {
    self.lexicon = lexicon
    self.names = names
    self.coding = coding
    tables = CodingTables(
      coding, proposalNouns: provisions?.proposalNouns ?? [], underCases: provisions?.underCases ?? [])
    cuePhrases = CuePhrases(cues: lexicon.complementCues.map(\.phrases), rejection: lexicon.rejectionWords)
    var triggerWords: [String: TriggerWord] = [:]
    for (w, patterns) in lexicon.verbs { triggerWords[w, default: TriggerWord()].verbs = patterns }
    for (w, patterns) in lexicon.nouns { triggerWords[w, default: TriggerWord()].nouns = patterns }
    self.triggerWords = triggerWords
  }

  /// The phrases of the complement cues and of the rejection words, indexed by their first word,
  /// to find which of them occur in a stretch of tokens in one pass over it.
  struct CuePhrases {
    /// First word -> (cue index, or -1 for the rejection words; the phrase).
    let byFirst: [String: [(cue: Int, phrase: [String])]]
    let cueCount: Int
    /// Cues (and whether the rejection words) hold an empty phrase, which any non-empty stretch holds.
    let emptyCues: [Bool]
    let emptyRejection: Bool

    init(cues: [[[String]]], rejection: [[String]]) {
      var index: [String: [(cue: Int, phrase: [String])]] = [:]
      var empty = [Bool](repeating: false, count: cues.count)
      for (i, phrases) in cues.enumerated() {
        for p in phrases {
          if let first = p.first { index[first, default: []].append((i, p)) } else { empty[i] = true }
        }
      }
      var emptyRejection = false
      for p in rejection {
        if let first = p.first { index[first, default: []].append((-1, p)) } else { emptyRejection = true }
      }
      byFirst = index
      cueCount = cues.count
      emptyCues = empty
      self.emptyRejection = emptyRejection
    }

    /// Which cues have a phrase that occurs whole within `range`, and whether a rejection phrase does.
    func matches(in range: Range<Int>, tokens: [Token]) -> (cues: [Bool], rejection: Bool) {
      guard !range.isEmpty else { return ([Bool](repeating: false, count: cueCount), false) }
      var cues = emptyCues
      var rejection = emptyRejection
      for k in range {
        guard let entries = byFirst[tokens[k].lower] else { continue }
        for (cue, phrase) in entries where k + phrase.count <= range.upperBound {
          if cue >= 0 ? cues[cue] : rejection { continue }
          if zip(phrase, k...).allSatisfy({ tokens[$0.1].lower == $0.0 }) {
            if cue >= 0 { cues[cue] = true } else { rejection = true }
          }
        }
      }
      return (cues, rejection)
    }
  }

  struct Trigger {
    var start: Int
    var end: Int
    var code: CAMEOCode
    var speech: Bool
    var symmetric: Bool
    var noun: Bool
    var verb: EventLexicon.VerbPattern?
    var military = false
  }

  struct Candidate {
    var code: CAMEOCode
    var source: Int
    var target: Int?
    var sentence: Int
    var trigger: Trigger
    var location: Int?
    /// The act may be one within a single state: its own root, or the root of the act it
    /// threatens or promises ("threatened to impose a curfew"), is one the lexicon counts
    /// within a state.
    var domestic = false
    /// The tree changed the act its predicate names: negated, governed ("threatened to"),
    /// announced or demanded of another party. The surface patterns cannot see this.
    var modal = false
    /// A statement made to a named party, recorded although bare statements are not.
    var addressed = false
    /// The parse chose the verb's sense by its object or particle ("approved sanctions").
    var conditioned = false
  }

  /// The id of the stand-in party for doers named by kind alone ("gunmen"): it has no mention,
  /// so no extraction lists it, and its events are written with no source.
  static let unnamedDoerID = "~unnamed-doer"

  public func process(_ doc: inout AnnotatedDocument) {
    let unnamedDoer = doc.actor(
      id: Self.unnamedDoerID, name: "unnamed doer", kind: .organization, affiliation: nil, role: nil, known: false,
      entity: nil)
    var accepted: [Candidate] = []
    var lastPerson: Int?
    var previousSubject: Int?
    var previousPerson: Int?
    var sides: [Int] = []
    let termLists = termListParagraphs(doc)
    var timeTokens = [Set<Int>](repeating: [], count: doc.text.sentences.count)
    for d in doc.text.dates {
      for k in d.tokens {
        let s = Int(doc.sentenceOfToken[k])
        if s >= 0, s < timeTokens.count { timeTokens[s].insert(k) }
      }
    }
    // Every actor's side, once per article (no actor is added while the sentences are coded):
    // the candidates' keys ask it of the same actors over and over, and reading an actor copied it.
    // Only groups of a non-state sector are sides of their own: an army or a ministry is its state.
    let sideOfActor = doc.actors.map {
      $0.sector.map(coding.partySectors.contains) == true ? $0.id : mergeSide($0)
    }
    for (s, sentence) in doc.text.sentences.enumerated() {
      let role = doc.text.role(of: sentence)
      let mentions = Array(doc.mentions(inSentence: s))
      let participants = mentions.filter { $0.isParticipant }
      // The sentence's subject, once: every trigger and the pronoun of the next sentence use it.
      let sentenceSubject = mainSubject(
        range: sentence.tokens, tokens: doc.text.tokens, participants: participants, lastPerson: lastPerson, doc: doc)
      defer {
        // "He" is most often the last sentence's subject, else the last person named.
        if let p = sentenceSubject.first(where: { doc.actors[$0].kind == .person }) {
          lastPerson = p
        } else if let p = participants.last(where: { doc.actors[$0.actor].kind == .person }) {
          lastPerson = p.actor
        }
      }
      // Lists of terms ("The plan aims to:", "consists of two stages") describe, they do not report.
      guard role == .body || role == .listItem, !termLists.contains(sentence.paragraph) else { continue }
      // A side is a state with its people, or a group of its own sector ("Algerian landowners").
      // A group of its own (rebels, a movement, its spokesman) is a side apart from its state.
      func side(_ a: Int) -> String { sideOfActor[a] }
      var mentionTokens = TokenSet(covering: sentence.tokens, mentions)
      for m in mentions { mentionTokens.insert(m.tokens) }
      let triggers =
        ClauseCoder.parseOnly ? [] : findTriggers(doc.text.tokens, sentence.tokens, mentionTokens: mentionTokens)
      var consumed: Set<Int> = []
      var candidates: [Candidate] = []
      for trigger in triggers where !consumed.contains(trigger.start) {
        candidates.append(
          contentsOf: code(
            trigger, doc: doc, sentence: s, mentions: mentions, participants: participants,
            sentenceSubject: sentenceSubject, lastPerson: lastPerson, triggers: triggers, consumed: &consumed,
            accepted: accepted, current: candidates))
      }
      // The clause coder reads the parse; its events join the surface patterns' where they
      // read a predicate the patterns did not fire on, for a pair of parties they did not code.
      // (Measured on the seeds, the development set and both CAMEO sentence sets, this order
      // beats the parse reading first; the surface patterns are being retired into the parts
      // under Events/.)
      // Codes that are never recorded must not block or outrank a reading that is.
      candidates.removeAll { coding.frames.uncodedCodes.contains($0.code) }
      if let tree = SentenceTree(
        doc: doc, sentence: s, tables: tables, previousSubject: previousSubject, previousPerson: previousPerson,
        sides: sides,
        timeTokens: timeTokens[s], unnamedDoer: unnamedDoer)
      {
        let coder = ClauseCoder(tree: tree)
        var (parsed, blocked, prevented, nounDoers) = coder.read(narrowing: !candidates.isEmpty)
        // An event noun whose doer its own phrase names ("condemned the attack by X on Y") is
        // that doer's act: a reading that takes the clause's subject for it goes.
        candidates.removeAll { c in
          guard c.trigger.noun, let doers = nounDoers[c.trigger.end - 1] else { return false }
          return !doers.contains { side($0) == side(c.source) }
        }
        // "X shelled Y ... Z condemned the attack": a definite event noun that names no party is
        // the act of its kind reported last, a few sentences back at most, and an act on it is
        // aimed at that act's doer. That reading replaces the patterns' nearest name.
        var referredBack: Set<Int> = []
        if parsed.contains(where: { $0.target == nil }) {
          var wordOfToken: [Int: Int] = [:]
          for w in tree.words { wordOfToken[tree.token(w)] = w }
          for k in parsed.indices
          where parsed[k].target == nil && !parsed[k].trigger.noun
            && coding.frames.respondingRoots.contains(parsed[k].code.root)
          {
            guard let w = wordOfToken[parsed[k].trigger.start], let o = tree.child(w, ["obj"]),
              tree.upos(o) == "NOUN", tree.isBareDefinite(o), tree.parties(at: o).isEmpty,
              let senses = lexicon.nouns[tree.form(o)] ?? lexicon.nouns[tree.lemma(o)]
            else { continue }
            let roots = Set(senses.map(\.code.root))
            let doer = side(parsed[k].source)
            let act = accepted.last {
              $0.sentence >= s - 4 && roots.contains($0.code.root) && side($0.source) != doer
            }
            if let act {
              parsed[k].target = act.source
              referredBack.insert(parsed[k].trigger.start)
            }
          }
          candidates.removeAll { referredBack.contains($0.trigger.start) }
        }
        // An evaluation of a thing that names no party ("called the talks productive") is aimed
        // at the other side the sentence names before it, else at the side its speaker was last
        // reported dealing with.
        for k in parsed.indices
        where parsed[k].target == nil && coding.frames.counterpartRoots.contains(parsed[k].code.root) {
          let side = doc.actors[parsed[k].source].affiliation
          let named = participants.last {
            $0.tokens.upperBound <= parsed[k].trigger.start && doc.actors[$0.actor].affiliation != nil
              && doc.actors[$0.actor].affiliation != side && doc.actors[$0.actor].kind != .place
          }
          parsed[k].target =
            named?.actor ?? counterpart(of: parsed[k].source, accepted: accepted, current: candidates, doc: doc)
        }
        if let subject = coder.mainSubject() {
          previousSubject = subject
          previousPerson = coder.mainSubjectPerson()
        }
        // Where both read the same predicate and only the parse found whom it is aimed at, the
        // parse's reading replaces the untargeted one.
        // (Each step below only narrows the patterns' readings: with none left, none is needed.)
        if !candidates.isEmpty {
          let targetedByParse = Set(parsed.filter { $0.target != nil }.map(\.trigger.start))
          candidates.removeAll { $0.target == nil && targetedByParse.contains($0.trigger.start) }
          // Nor is the place an act happened its target ("met in X"): where the patterns took it
          // for one and the parse names a party, the parse's reading replaces theirs.
          let partyTargetedByParse = Set(
            parsed.filter { p in
              p.target.map { doc.actors[$0].kind != .place && side($0) != side(p.source) } ?? false
            }.map(\.trigger.start))
          candidates.removeAll {
            ($0.target.map { doc.actors[$0].kind == .place } ?? false)
              && partyTargetedByParse.contains($0.trigger.start)
          }
          // In a relative clause the object may come first ("X, which Y accused"): word order
          // misleads the patterns, and the tree's targeted reading replaces theirs.
          var relative: Set<Int> = []
          for w in tree.words where ["acl:relcl", "advcl:relcl"].contains(tree.relation(w)) {
            relative.insert(tree.token(w))
          }
          let relativeByParse = Set(
            parsed.filter { $0.target != nil && relative.contains($0.trigger.start) }.map(\.trigger.start))
          candidates.removeAll { relativeByParse.contains($0.trigger.start) }
          // Where the tree changed the act (a threat, a refusal, a promise), its reading replaces
          // the patterns' plain one of the same predicate.
          let modalByParse = Set(parsed.filter(\.modal).map(\.trigger.start))
          candidates.removeAll { modalByParse.contains($0.trigger.start) }
          // A name in a role phrase of the subject ("X's envoy to Y") is no doer: where the patterns
          // took it for one and the parse read the same predicate with another, the parse's stands.
          var parsedSides: [Int: Set<String>] = [:]
          for p in parsed { parsedSides[p.trigger.start, default: []].insert(side(p.source)) }
          if !parsedSides.isEmpty {
            var inRolePhrase: Set<Int> = []
            for w in tree.words where tree.baseRelation(w) == "nmod" {
              guard let k = tree.caseWord(w), k != "of", let m = doc.mention(atToken: tree.token(w)) else { continue }
              inRolePhrase.insert(m.actor)
            }
            candidates.removeAll { c in
              guard inRolePhrase.contains(c.source), let sides = parsedSides[c.trigger.start] else { return false }
              return !sides.contains(side(c.source))
            }
          }
          // So does its reading of a verb whose sense its object decides ("approved a package of
          // sanctions"), where the patterns code the bare verb as another act between the same
          // two parties, or by the same party aimed at no one ("offered condolences").
          // (Sets, not a search of every reading per candidate: a long sentence has many.)
          var conditioned: Set<[Int]> = []
          var rootsByParse: [Int: Set<String>] = [:]
          for p in parsed {
            rootsByParse[p.trigger.start, default: []].insert(p.code.root)
            if p.conditioned { conditioned.insert([p.trigger.start, p.source, p.target ?? -1]) }
          }
          candidates.removeAll { c in
            guard conditioned.contains([c.trigger.start, c.source, c.target ?? -1]) else { return false }
            return !(rootsByParse[c.trigger.start]?.contains(c.code.root) ?? false)
          }
          // A verb whose act the tree shows did not happen (only possible, not asserted, an
          // obligation no one demands) is no report for the patterns either.
          candidates.removeAll {
            $0.trigger.noun ? prevented.contains($0.trigger.end - 1) : blocked.contains($0.trigger.start)
          }
          // A passive clause's doer is its agent, which word order takes for the patient ("X was
          // attacked by Y"): there the tree's reading is the only one. (A participle's "by" phrase,
          // "the plan put forward by X", the patterns read right.)
          var passive: Set<Int> = []
          for w in tree.words where tree.upos(w) == "VERB" && tree.child(w, ["aux:pass"]) != nil {
            passive.insert(tree.token(w))
          }
          // So is a participle after the noun it describes with no "by" phrase ("soldiers killed
          // in X"): the noun is its patient, not its doer.
          for w in tree.words
          where tree.isParticipleOfItsNoun(w) && (tree.head(w).map { $0 < w } ?? false)
            && tree.child(w, ["obl:agent"]) == nil
          {
            passive.insert(tree.token(w))
          }
          candidates.removeAll { !$0.trigger.noun && passive.contains($0.trigger.start) }
          // "met for X-mediated talks": a party named only as the agent of a go-between's
          // participle joined to it by a hyphen ("X-brokered") stands between the sides; it is no
          // side of the sentence's act, whatever the nearest-name patterns make of it. (Not so
          // the leader of a war or the backer of a group: "refused to aid the X-led war" is X's.)
          var brokers: Set<Int> = []
          var named: Set<Int> = []
          for w in tree.words {
            guard let m = doc.mention(atToken: tree.token(w)) else { continue }
            if tree.relation(w) == "obl:agent", let h = tree.head(w), h == w + 2, tree.relation(h) == "amod",
              tree.xpos(w + 1) == "HYPH",
              tree.tables.senseIndex.senses(lemma: tree.lemma(h), form: tree.form(h)).contains(where: {
                coding.frames.intermediaryCodes.contains($0.code)
              })
            {
              brokers.insert(m.actor)
            } else if m.tokens.upperBound - 1 == tree.token(w) {
              named.insert(m.actor)
            }
          }
          brokers.subtract(named)
          if !brokers.isEmpty {
            candidates.removeAll { brokers.contains($0.source) || $0.target.map(brokers.contains) == true }
          }
          // "Envoys of X and Y signed the accord in the presence of Z": where the parse reads
          // coordinated doers acting on each other, they are the act's parties, not the person or
          // place the patterns took for its target.
          // (The readings as a set: a long sentence has many.)
          var pairs: Set<[Int]> = []
          for p in parsed { if let t = p.target { pairs.insert([p.trigger.start, p.source, t]) } }
          var mutualByParse: [Int: Set<Int>] = [:]
          for p in parsed {
            guard let t = p.target, pairs.contains([p.trigger.start, t, p.source]) else { continue }
            mutualByParse[p.trigger.start, default: []].formUnion([p.source, t])
          }
          candidates.removeAll { c in
            guard let t = c.target, let parties = mutualByParse[c.trigger.start] else { return false }
            return !parties.contains(t)
          }
          // "X backed by Y seized Z": a party named only as the agent of a participle describing
          // a noun does not do what the noun's clause reports. Where the parse reads the same
          // predicate with another doer, the patterns' reading with that agent goes.
          var describers: Set<Int> = []
          for w in tree.words where ["obl:agent", "obl"].contains(tree.relation(w)) {
            guard let h = tree.head(w), h < w, tree.relation(h) == "acl", tree.upos(h) == "VERB",
              let k = tree.child(w, ["case"]), tree.form(k) == "by", let m = doc.mention(atToken: tree.token(w))
            else { continue }
            describers.insert(m.actor)
          }
          if !describers.isEmpty {
            var parseDoers: [Int: Set<Int>] = [:]
            for p in parsed { parseDoers[p.trigger.start, default: []].insert(p.source) }
            candidates.removeAll { c in
              describers.contains(c.source) && !(parseDoers[c.trigger.start]?.contains(c.source) ?? true)
            }
          }
          // "X accused Y of ... and warned that ...": a conjoined verb with no subject of its own
          // shares the first verb's; the patterns' nearest name before it is that verb's object.
          // And a pronoun subject the tree resolves ("He urged ...") is not the patterns' last
          // person named.
          var sharedSubject: [Int: Set<String>] = [:]
          for w in tree.words where tree.upos(w) == "VERB" {
            let subject: Int?
            if let own = tree.child(w, ["nsubj"]) {
              subject = tree.upos(own) == "PRON" ? own : nil
            } else if tree.relation(w) == "conj", tree.child(w, ["nsubj:pass"]) == nil, let h = tree.head(w),
              tree.upos(h) == "VERB"
            {
              subject = tree.child(h, ["nsubj"])
            } else {
              subject = nil
            }
            guard let subject else { continue }
            let doers = tree.parties(at: subject)
            // (A pronoun's referent from further back than the sentence before is a guess.)
            if tree.upos(subject) == "PRON" {
              let near = Set(
                (doc.mentions(inSentence: s) + (s > 0 ? doc.mentions(inSentence: s - 1) : [])).map(\.actor))
              guard doers.allSatisfy(near.contains) else { continue }
            }
            if !doers.isEmpty { sharedSubject[tree.token(w)] = Set(doers.map(side)) }
          }
          candidates.removeAll { c in
            !c.trigger.noun && sharedSubject[c.trigger.start].map { !$0.contains(side(c.source)) } ?? false
          }
        }
        // An event noun the tree shows only possible or still to come ("a possible meeting",
        // "before the meeting") is no report, whichever reading found it.
        if candidates.contains(where: \.trigger.noun) {
          // One pass over the words, not one per candidate: sentences can be long.
          var possible: Set<Int> = []
          for w in tree.words where tree.upos(w) == "NOUN" && tree.isHypothetical(w) {
            possible.insert(tree.token(w))
          }
          // "the envoy for the X dialogue": a role named by the process it serves, not a report
          // of that process.
          for w in tree.words where tree.upos(w) == "NOUN" && tree.baseRelation(w) == "nmod" {
            if let k = tree.caseWord(w), coding.frames.roleCases.contains(k), let h = tree.head(w), h < w,
              coding.sectorOfNoun[tree.form(h)] != nil
            {
              possible.insert(tree.token(w))
            }
          }
          candidates.removeAll { $0.trigger.noun && possible.contains($0.trigger.end - 1) }
        }
        // A verb the patterns read only as a comment ("warned", "said") that the tree reads as an
        // act aimed at a party (a threat, an accusation) is that act: the tree sees its clause.
        var comments: [Int: Bool] = [:]
        for c in candidates where !c.trigger.noun {
          comments[c.trigger.start] = (comments[c.trigger.start] ?? true) && c.code.root == "01"
        }
        for c in parsed where c.target != nil && c.code.root != "01" && comments[c.trigger.start] == true {
          candidates.removeAll { $0.trigger.start == c.trigger.start && $0.code.root == "01" }
        }
        let triggered = Set(candidates.map(\.trigger.start))
        // Where both read the same act of a predicate and agree on one pair of sides, the parse's
        // pairs that share a side with it are the coordinated parties the patterns stop short of
        // ("met A in X and B in Y"); a reversed pair is the same happening, not another party.
        func sides(_ c: Candidate) -> String {
          side(c.source) + ">" + (c.target.map(side) ?? "-") + "#" + c.code.root
        }
        func reversed(_ c: Candidate) -> String {
          (c.target.map(side) ?? "-") + ">" + side(c.source) + "#" + c.code.root
        }
        var surfaceSides: [Int: Set<String>] = [:]
        for c in candidates where c.target != nil { surfaceSides[c.trigger.start, default: []].insert(sides(c)) }
        var agreeing: Set<Int> = []
        for c in parsed where surfaceSides[c.trigger.start]?.contains(sides(c)) == true {
          agreeing.insert(c.trigger.start)
        }
        // Where both read one act between the same parties, the codebook's more specific code
        // says more ("suspended aid" is a cut in aid, 162, not any reduction in relations, 160).
        var detailed: [ActKey: CAMEOCode] = [:]
        for c in parsed where Self.detail(of: c.code) > 0 {
          let key = ActKey(c)
          if let old = detailed[key], Self.detail(of: old) >= Self.detail(of: c.code) { continue }
          detailed[key] = c.code
        }
        if !detailed.isEmpty {
          for k in candidates.indices {
            if let code = detailed[ActKey(candidates[k])], Self.detail(of: code) > Self.detail(of: candidates[k].code) {
              candidates[k].code = code
            }
          }
        }
        // Only a targeted reading blocks the parse's (an untargeted one may be dropped later), and
        // only for the same kind of act: one sentence can report several acts between two sides.
        let pairs = Set(
          candidates.filter { $0.target != nil }.map { "\($0.source)>\($0.target ?? -1)>\($0.code.root)" })
        for c in parsed where !pairs.contains("\(c.source)>\(c.target ?? -1)>\(c.code.root)") {
          // The same act read in opposite directions: the patterns take the nearest name before
          // the verb as its doer ("X met Y and urged him"), the parse takes the subject.
          // (Acts with no direction, talks or a truce, are read both ways by design.)
          if c.target != nil, !c.trigger.symmetric, !coding.frames.mutualRoots.contains(c.code.root),
            surfaceSides[c.trigger.start]?.contains(reversed(c)) == true
          {
            candidates.removeAll { $0.trigger.start == c.trigger.start && sides($0) == reversed(c) }
            candidates.append(c)
            continue
          }
          if triggered.contains(c.trigger.start) {
            guard agreeing.contains(c.trigger.start), c.target != nil,
              let read = surfaceSides[c.trigger.start], !read.contains(sides(c)), !read.contains(reversed(c))
            else { continue }
          }
          candidates.append(c)
        }
        // The same across the sentence: the patterns fired on a governing verb ("urged him") and
        // the parse read the governed act, of the same root, only the other way round.
        // (A mutual reading comes in both directions, so it never counts as the other way only.)
        let directed = parsed.filter { $0.target != nil && !coding.frames.mutualRoots.contains($0.code.root) }
        let parseSides = Set(directed.map(sides))
        candidates.removeAll { c in
          c.trigger.verb != nil && c.target != nil && !c.trigger.symmetric && parseSides.contains(reversed(c))
            && !parseSides.contains(sides(c))
        }
      }
      // One event per pair of sides and root in a sentence: the most telling verb wins.
      var best: [String: Candidate] = [:]
      var order: [String] = []
      for c in candidates {
        let key =
          side(c.source) + ">" + (c.target.map(side) ?? "-") + (c.trigger.noun ? "#noun" : "") + "#" + c.code.root
        if let old = best[key] {
          // Without a target, only some roots are events at all: those win over the others.
          // (No closure: one capturing `self` copied the whole coder.)
          let keepsNew = c.target != nil || coding.frames.isUntargeted(c.code)
          let keepsOld = old.target != nil || coding.frames.isUntargeted(old.code)
          if keepsNew != keepsOld {
            if keepsNew { best[key] = c }
          } else if lexicon.salience(of: c.code) > lexicon.salience(of: old.code) {
            best[key] = c
          }
        } else {
          best[key] = c
          order.append(key)
        }
      }
      let targeted = Set(best.values.filter { $0.target != nil }.map { side($0.source) })
      for key in order {
        guard let c = best[key] else { continue }
        // "X found the offer attractive ... a meeting with Y": the untargeted reading is the same act.
        if c.target == nil, targeted.contains(side(c.source)) { continue }
        accepted.append(c)
        // "both sides" are the parties of the last act they did together (met, negotiated,
        // agreed on a truce, fought), not of whatever was said of either since, nor of a joint act
        // refused, promised or demanded ("refused to discuss X with Y").
        if let t = c.target, side(t) != side(c.source),
          c.trigger.symmetric, !c.modal
        {
          sides = [c.source, t]
        }
      }
    }
    if ClauseCoder.tracing {
      for c in accepted {
        let line =
          "[\(c.sentence)] accepted \(c.code) \(doc.actors[c.source].id) > \(c.target.map { doc.actors[$0].id } ?? "-")"
          + " (\(c.trigger.verb == nil ? "clause coder" : "surface patterns"))\n"
        FileHandle.standardError.write(Data(line.utf8))
      }
    }
    doc.events = merge(accepted, doc: doc)
  }

  /// List-item paragraphs whose list is introduced as terms of a proposal (the intro ends with
  /// ":" after a term cue, or names the proposal: "X's proposal consists of two stages.").
  func termListParagraphs(_ doc: AnnotatedDocument) -> Set<Int> {
    var out: Set<Int> = []
    var introIsTerms = false
    var tokensOfParagraph: [Int: Range<Int>] = [:]
    for s in doc.text.sentences {
      let r = tokensOfParagraph[s.paragraph]
      tokensOfParagraph[s.paragraph] = (r?.lowerBound ?? s.tokens.lowerBound)..<s.tokens.upperBound
    }
    // Paragraphs with no finite verb: phrases. (The tags, not the tree: a phrase's parse is
    // often wrong at the root.)
    var verbless: [Int: Bool] = [:]
    for (k, s) in doc.text.sentences.enumerated() {
      // (`WordAnalysis.isFinite` on the Penn tags as labels: reading the parse's words copied each.)
      let phrase =
        k < doc.syntax.count && doc.syntax[k].sentence == k
        && !doc.foldedWords[k].xpos.contains { $0 == "VBD" || $0 == "VBZ" || $0 == "VBP" || $0 == "MD" }
      verbless[s.paragraph] = (verbless[s.paragraph] ?? true) && phrase
    }
    for (i, p) in doc.text.clean.paragraphs.enumerated() {
      if p.role == .listItem {
        if introIsTerms { out.insert(i) }
        continue
      }
      // "The draft includes:" followed by a paragraph that is only a noun phrase: a term, as
      // a list item would be.
      if introIsTerms, p.role == .body, verbless[i] == true {
        out.insert(i)
        continue
      }
      guard let r = tokensOfParagraph[i], !r.isEmpty else { continue }
      let tokens = doc.text.tokens
      introIsTerms =
        p.role != .heading
        && (tokens[r.upperBound - 1].lower == ":" || r.contains { lexicon.termListCues.contains(tokens[$0].lower) })
    }
    return out
  }

  // MARK: Triggers

  /// Trigger candidates in token order. Words inside names, capitalized words and parts of
  /// hyphenated compounds ("pre-visit", "back-channel") are no triggers; a verb form used as a
  /// noun ("a hopeful note", "new sanctions", "the envoy's negotiating approach") is read as a noun.
  func findTriggers(_ tokens: [Token], _ range: Range<Int>, mentionTokens: TokenSet) -> [Trigger] {
    var out: [Trigger] = []
    for k in range {
      let tok = tokens[k]
      if mentionTokens.contains(k) || tok.kind != .word { continue }
      if tok.isCapitalized && k != range.lowerBound { continue }
      if k > range.lowerBound, tokens[k - 1].lower == "-", tokens[k - 1].end == tok.start { continue }
      if k + 1 < range.upperBound, tokens[k + 1].lower == "-", tokens[k + 1].start == tok.end { continue }
      let w = tok.lower
      var matchedVerb = false
      guard let entry = triggerWords[w] else { continue }
      // Whether the word reads as a noun is asked only of words with verb patterns (most
      // words have none, and the question hashes several neighbours).
      if let patterns = entry.verbs, !looksNominal(tokens, k, range, mentionTokens) {
        for p in patterns where verbFormFits(w, pattern: p, tokens, k, range, mentionTokens) {
          guard let end = follow(p.then, gap: p.gap, tokens, from: k + 1, upper: range.upperBound) else { continue }
          if !p.needsObjectWord.isEmpty {
            let window = (k + 1)..<min(range.upperBound, k + 9)
            guard window.contains(where: { p.needsObjectWord.contains(tokens[$0].lower) }) else { continue }
          }
          out.append(
            Trigger(start: k, end: end, code: p.code, speech: p.speech, symmetric: p.symmetric, noun: false, verb: p))
          matchedVerb = true
          break
        }
      }
      if !matchedVerb, let nouns = entry.nouns {
        for n in nouns {
          let first = k - n.tokens.count + 1
          guard first >= range.lowerBound, zip(n.tokens, first...k).allSatisfy({ tokens[$0.1].lower == $0.0 }) else {
            continue
          }
          out.append(
            Trigger(
              start: first, end: k + 1, code: n.code, speech: false, symmetric: !n.military, noun: true, verb: nil,
              military: n.military))
          break
        }
      }
    }
    return out
  }

  /// A verb form after a determiner or possessive is a noun: "the meeting", "a hopeful note",
  /// "the envoy's negotiating approach", "the American briefing".
  func looksNominal(_ tokens: [Token], _ k: Int, _ range: Range<Int>, _ mentionTokens: TokenSet) -> Bool {
    guard k > range.lowerBound else { return false }
    let prev = tokens[k - 1].lower
    if prev == "'s" || lexicon.words.determiners.contains(prev) { return true }
    if tokens[k].lower.hasSuffix("ing") {
      // A gerund is verbal after "be", a comma or an introducer ("was meeting", ", saying",
      // "by engaging"), or after its own subject ("with Russia demanding"); else it is a noun
      // ("a five-hour meeting", "the X-Y meeting", "both agreeing").
      var j = k - 1
      while j > range.lowerBound, lexicon.words.adverbs.contains(tokens[j].lower),
        !lexicon.words.auxiliaries.contains(tokens[j].lower)
      {
        j -= 1
      }
      let p = tokens[j].lower
      if lexicon.words.beAuxiliaries.contains(p) || lexicon.words.participleIntroducers.contains(p) || p == "to"
        || p == "of"
      {
        return false
      }
      if mentionTokens.contains(j) {
        var m = j
        while m > range.lowerBound, mentionTokens.contains(m - 1) { m -= 1 }
        let before = m > range.lowerBound ? tokens[m - 1].lower : ""
        return before == "-" || lexicon.words.determiners.contains(before)
      }
      return true
    }
    guard k - 1 > range.lowerBound else { return false }
    let prev2 = tokens[k - 2].lower
    guard lexicon.words.determiners.contains(prev2), tokens[k - 1].kind == .word,
      !lexicon.words.auxiliaries.contains(prev),
      !lexicon.words.adverbs.contains(prev)
    else { return false }
    let w = tokens[k].lower
    let bareOrGerund = w.hasSuffix("ing") || !(w.hasSuffix("s") || w.hasSuffix("ed"))
    return bareOrGerund || !mentionTokens.contains(k - 1)
  }

  /// Third-person "-s" forms and bare forms need a subject right before them, so plural nouns
  /// ("sanctions", "demands") and adjectives ("state nuclear firm") are not read as verbs.
  func verbFormFits(
    _ w: String, pattern p: EventLexicon.VerbPattern, _ tokens: [Token], _ k: Int, _ range: Range<Int>,
    _ mentionTokens: TokenSet
  ) -> Bool {
    let lemma = p.lemma.lowercased()
    let isS = w != lemma && w.hasSuffix("s") && !w.hasSuffix("ss")
    let isBare = w == lemma
    guard isS || isBare else { return true }
    // Multiword patterns ("put forward", "call on") are specific enough to stand as they are.
    if !p.then.isEmpty && isBare { return true }
    var j = k - 1
    while j >= range.lowerBound, lexicon.words.adverbs.contains(tokens[j].lower),
      !lexicon.words.auxiliaries.contains(tokens[j].lower)
    {
      j -= 1
    }
    guard j >= range.lowerBound else { return isBare && k == range.lowerBound ? false : false }
    let prev = tokens[j]
    if mentionTokens.contains(j) {
      // "presence in Moscow signals": a name inside a prepositional phrase is no subject.
      var m = j
      while m > range.lowerBound, mentionTokens.contains(m - 1) { m -= 1 }
      return m == range.lowerBound || !lexicon.words.prepositions.contains(tokens[m - 1].lower)
    }
    if lexicon.words.subjectPronouns.contains(prev.lower) { return true }
    if isBare {
      if lexicon.words.auxiliaries.contains(prev.lower) { return true }
      if prev.kind == .word, !prev.isCapitalized, prev.lower.hasSuffix("s"),
        !lexicon.words.determiners.contains(prev.lower)
      {
        return true
      }
      if prev.lower == "and", j - 1 >= range.lowerBound, mentionTokens.contains(j - 1) { return true }
    }
    if isS, prev.lower == "and" || prev.lower == "also" { return true }
    return false
  }

  /// End of the pattern when one of `alternatives` follows within `gap` tokens (or none is required).
  func follow(_ alternatives: [[String]], gap: Int, _ tokens: [Token], from: Int, upper: Int) -> Int? {
    if alternatives.isEmpty { return from }
    for start in from..<min(upper, from + gap + 1) {
      for alt in alternatives where start + alt.count <= upper {
        if zip(alt, start...).allSatisfy({ tokens[$0.1].lower == $0.0 }) { return start + alt.count }
      }
    }
    return nil
  }

  // MARK: Coding one trigger

  func code(
    _ t: Trigger, doc: AnnotatedDocument, sentence s: Int, mentions: [ActorMention], participants: [ActorMention],
    sentenceSubject mainSubject: [Int], lastPerson: Int?, triggers: [Trigger], consumed: inout Set<Int>,
    accepted: [Candidate], current: [Candidate]
  ) -> [Candidate] {
    let tokens = doc.text.tokens
    let range = doc.text.sentences[s].tokens
    var code = t.code
    let clauseStart = clauseStart(tokens, before: t.start, sentence: range)
    // Negation and modality in the words just before the trigger.
    let window = max(clauseStart, t.start - 4)..<t.start
    let before = window.map { tokens[$0].lower }
    if before.contains(where: { lexicon.negations.contains($0) }) {
      guard let negated = t.verb?.negated else { return [] }
      code = negated
    }
    let modalWindow = max(clauseStart, t.start - (t.noun ? 3 : 5))..<t.start
    if modalWindow.contains(where: { lexicon.hypothetical.contains(tokens[$0].lower) }) { return [] }
    // "pushed Ukraine to accept": the infinitive belongs to the governing verb's event.
    if !t.noun, t.start - 2 >= range.lowerBound, tokens[t.start - 1].lower == "to",
      mentions.contains(where: { $0.tokens.contains(t.start - 2) })
    {
      return []
    }
    if (3...8).contains(code.rootNumber), !t.noun, before.contains(where: { $0 == "would" || $0 == "will" }),
      !before.contains(where: { lexicon.intentModals.contains($0) && $0 != "would" && $0 != "will" }),
      !range.contains(where: { lexicon.conditionals.contains(tokens[$0].lower) }), !t.speech
    {
      // "Israel would free 250 prisoners": what a plan provides, not an act or an offer.
      return []
    }
    if (3...8).contains(code.rootNumber), !t.noun, before.contains(where: { lexicon.intentModals.contains($0) }) {
      // "would agree", "is due to meet", "plans to visit": an intent, not the act.
      code = CAMEOCode(code.root == "04" ? "036" : "030") ?? code
    }

    var targets: [Int] = []
    var location: Int?
    var complement: Range<Int>?
    var sources: [Int] = []
    var targetsAreObjects = false
    if t.noun && t.military {
      // "Israeli air strikes", "Pakistan's drone attacks on Y": the force is its modifier's. Not
      // a generic or background one: "deter a future offensive", "since Russia's 2022 invasion".
      let lead = max(range.lowerBound, t.start - 4)..<t.start
      if lead.contains(where: {
        ["a", "an", "future", "any", "since", "until", "despite", "deter", "prevent", "avoid"].contains(
          tokens[$0].lower)
      }) {
        return []
      }
      // The modifier stands right before the noun, or before "'s" and adjectives: "Israeli air
      // strikes", "Russia's massive strikes"; not "Kosovo through police raids".
      let modifier = mentions.last(where: {
        $0.tokens.upperBound <= t.start && $0.tokens.upperBound >= t.start - 3 && doc.actors[$0.actor].kind != .media
          && ($0.tokens.upperBound..<t.start).allSatisfy { k in
            tokens[k].lower == "'s"
              || (tokens[k].kind == .word && !lexicon.words.prepositions.contains(tokens[k].lower)
                && !lexicon.words.objectStops.contains(tokens[k].lower) && !tokens[k].isCapitalized)
          }
      })
      // Without a modifier, the force is the clause's subject's when it is the means of the
      // clause ("Pakistan answered with attacks"); "raids on his home" is no act of war.
      let means = (max(range.lowerBound, t.start - 3)..<t.start).contains { tokens[$0].lower == "with" }
      guard
        let doerActor = modifier?.actor
          ?? (means
            ? subjects(
              before: t.start, clauseStart: clauseStart, tokens: tokens, participants: participants,
              lastPerson: lastPerson,
              doc: doc
            ).first : nil)
      else { return [] }
      var target: Int?
      var k = t.end
      while k < min(range.upperBound, t.end + 12) {
        if ["on", "against", "in", "at", "into"].contains(tokens[k].lower),
          let m = mentions.first(where: {
            $0.tokens.lowerBound > k && $0.tokens.lowerBound <= k + 3 && $0.actor != doerActor
              && doc.actors[$0.actor].affiliation != doc.actors[doerActor].affiliation
          })
        {
          target = m.actor
          break
        }
        k += 1
      }
      if target == nil, let c = counterpart(of: doerActor, accepted: accepted, current: current, doc: doc) {
        target = c
      }
      return [Candidate(code: code, source: doerActor, target: target, sentence: s, trigger: t, location: nil)]
    }
    if t.noun {
      // "meeting with X", "talks between X and Y", "the X-Y meeting".
      if let (a, b) = hyphenPair(t, tokens: tokens, participants: participants) {
        return [Candidate(code: code, source: a, target: b, sentence: s, trigger: t, location: nil)]
      }
      guard t.end < range.upperBound else { return [] }
      let prep = tokens[t.end].lower
      guard prep == "with" || prep == "between" else { return [] }
      let objects = coordinated(participants, from: t.end + 1, tokens: tokens, upper: range.upperBound, doc: doc)
      guard !objects.isEmpty else { return [] }
      if prep == "between" {
        guard objects.count >= 2 else { return [] }
        return [Candidate(code: code, source: objects[0], target: objects[1], sentence: s, trigger: t, location: nil)]
      }
      targets = objects
      // The meeting's other party: its possessor, or the clause's subject when the noun sits in a
      // prepositional phrase ("during a meeting with X", "In a call with X, Y said").
      let lead = max(range.lowerBound, t.start - 4)..<t.start
      if let owner = participants.last(where: {
        lead.contains($0.tokens.lowerBound) && $0.tokens.upperBound < t.start
          && tokens[$0.tokens.upperBound].lower == "'s"
      }) {
        sources = [owner.actor]
      } else if lead.contains(where: { lexicon.words.nounPrepositions.contains(tokens[$0].lower) }) {
        sources = mainSubject.filter { !targets.contains($0) }
      }
    } else if t.speech {
      if t.verb?.takesAddressee == true || (t.end < range.upperBound && tokens[t.end].lower == "to"),
        let (addressee, next) = addressee(
          after: t.end, tokens: tokens, participants: participants, upper: range.upperBound)
      {
        targets = [addressee]
        complement = next..<range.upperBound
      } else {
        complement = t.end..<range.upperBound
      }
    } else {
      if t.verb?.needsWith == true,
        !(t.end..<min(range.upperBound, t.end + 8)).contains(where: { tokens[$0].lower == "with" })
      {
        return []
      }
      if let agent = passiveAgent(t, tokens: tokens, participants: participants, upper: range.upperBound, doc: doc) {
        // "The plan was rejected by X": the agent acts on the patient just before the verb.
        sources = [agent]
        var j = t.start - 1
        while j >= clauseStart,
          lexicon.words.beAuxiliaries.contains(tokens[j].lower) || lexicon.words.adverbs.contains(tokens[j].lower)
            || lexicon.words.relatives.contains(tokens[j].lower) || tokens[j].lower == ","
        {
          j -= 1
        }
        targets = participants.filter { $0.tokens.upperBound == j + 1 }.map(\.actor)
      } else {
        // Force is used on places too: "captured Pokrovsk" targets the town (and so its state).
        // "fired rockets into Thai border provinces": adjectives name the side force is used on.
        let targetable = code.rootNumber >= 15 ? mentions.filter { doc.actors[$0.actor].kind != .media } : participants
        (targets, location) = objects(
          after: t, tokens: tokens, participants: targetable, upper: range.upperBound, triggers: triggers, doc: doc)
        targetsAreObjects = true
      }
      if t.code.root == "02" || t.code.root == "10" { complement = t.end..<range.upperBound }
    }
    if targets.isEmpty, code.rawValue == "036",
      let with = (t.end..<range.upperBound).first(where: { tokens[$0].lower == "with" })
    {
      // "consider discussing it during a meeting with X": intent to meet whom the meeting is with.
      targets = coordinated(participants, from: with + 1, tokens: tokens, upper: range.upperBound, doc: doc)
    }
    if t.verb?.needsTarget == true, targets.isEmpty { return [] }
    if t.verb?.needsPlaceTarget == true, !targets.contains(where: { [.place, .country].contains(doc.actors[$0].kind) })
    {
      return []
    }
    if t.verb?.needsPersonTarget == true, !targets.contains(where: { doc.actors[$0].kind == .person }) { return [] }

    if sources.isEmpty {
      switch participleSubject(t, tokens: tokens, mentions: mentions, range: range) {
      case .main:
        // The subject of a participle stands before it.
        sources = self.mainSubject(
          range: range.lowerBound..<t.start, tokens: tokens, participants: participants, lastPerson: lastPerson,
          doc: doc)
      case .explicit(let actor): sources = actor.map { [$0] } ?? []
      case .none:
        sources = subjects(
          before: t.start, clauseStart: clauseStart, tokens: tokens, participants: participants, lastPerson: lastPerson,
          doc: doc)
      }
    }
    if sources.isEmpty, t.noun {
      // "In a call with X, Y said": the clause's subject comes after the phrase.
      if let a = participants.first(where: { $0.tokens.lowerBound > t.end && !targets.contains($0.actor) }) {
        sources = [a.actor]
      }
    }
    if sources.count > 1 { sources.removeAll { targets.contains($0) } }
    guard !sources.isEmpty else { return [] }
    // An object on one's own side ("rejected the demand, an Israeli official said") is a misread
    // clause boundary: look further for the other side.
    if targetsAreObjects, let aff = doc.actors[sources[0]].affiliation, !targets.isEmpty {
      targets.removeAll { doc.actors[$0].affiliation == aff }
      // "an envoy met his own foreign minister": an act within one side is no event between parties.
      if targets.isEmpty { return [] }
    }

    // Reported speech: the complement can carry the real act.
    if let complement {
      let sourceAff = doc.actors[sources[0]].affiliation
      let plain = code.root == "01"
      if let recoded = recode(
        complement: complement, speech: t.speech, tokens: tokens, triggers: triggers, participants: participants,
        sourceAffiliation: sourceAff, doc: doc, consumed: &consumed)
      {
        code = recoded
      }
      // A threat or demand is aimed at whom it names, not at the audience it was told to.
      let retargeted = plain && code.root != "01"
      // Whom a threat or demand is aimed at is often an adjective: "strike Iranian facilities".
      let aimed = retargeted && (code.root == "13" || code.root == "10")
      if targets.isEmpty || retargeted, t.speech || retargeted,
        let other = party(
          in: complement, otherThan: sourceAff, includeModifiers: aimed, mentions: mentions, tokens: tokens, doc: doc)
      {
        targets = [other]
      }
      if retargeted, targets.isEmpty {
        // "said the measures would be lifted": a recoded statement must be aimed at someone,
        // or be a stance on a proposal ("insisted Ukraine will not accept the plan").
        if let c = counterpart(of: sources[0], accepted: accepted, current: current, doc: doc) {
          targets = [c]
        } else if !isStance(code, around: t, tokens: tokens, range: range) {
          return []
        }
      }
    }
    // Joint subjects of symmetric verbs: "X and Y work on a plan".
    if targets.isEmpty, t.symmetric, sources.count >= 2 {
      targets = [sources[1]]
      sources = [sources[0]]
    }
    if targets.isEmpty, !t.noun, !t.speech, lexicon.responseRoots.contains(code.root), code.root != "02" {
      // "expressed concern that Washington ...": the other side named in the complement.
      let sourceAff = doc.actors[sources[0]].affiliation
      if let other = party(
        in: t.end..<range.upperBound, otherThan: sourceAff, includeModifiers: false, mentions: mentions, tokens: tokens,
        doc: doc)
      {
        targets = [other]
      }
    }
    if targets.isEmpty, lexicon.responseRoots.contains(code.root) || code.rootNumber >= 18 {
      if let c = counterpart(of: sources[0], accepted: accepted, current: current, doc: doc) { targets = [c] }
    }
    var out: [Candidate] = []
    var seen: Set<String> = []
    for src in sources {
      for tgt in targets.isEmpty ? [nil] : targets.map(Optional.some) {
        let key =
          (doc.actors[src].affiliation ?? doc.actors[src].id) + ">"
          + (tgt.map { doc.actors[$0].affiliation ?? doc.actors[$0].id } ?? "")
        if seen.contains(key) { continue }
        seen.insert(key)
        out.append(Candidate(code: code, source: src, target: tgt, sentence: s, trigger: t, location: location))
      }
    }
    return out
  }

  enum ParticipleSubject {
    /// ", praising X", "and accusing X": the sentence's subject.
    case main
    /// "with Russia demanding", "with both agreeing": the word before it (nil: not an actor).
    case explicit(Int?)
    case none
  }

  func participleSubject(_ t: Trigger, tokens: [Token], mentions: [ActorMention], range: Range<Int>)
    -> ParticipleSubject
  {
    guard !t.noun, tokens[t.start].lower.hasSuffix("ing"), t.start > range.lowerBound else { return .none }
    var j = t.start - 1
    while j > range.lowerBound, lexicon.words.adverbs.contains(tokens[j].lower) { j -= 1 }
    let prev = tokens[j].lower
    if let m = mentions.last(where: { $0.tokens.contains(j) }) { return .explicit(m.isParticipant ? m.actor : nil) }
    if lexicon.words.participleIntroducers.contains(prev) { return .main }
    if tokens[j].kind == .word, !lexicon.words.auxiliaries.contains(prev) { return .explicit(nil) }
    return .none
  }

  /// The subject of the sentence's main clause: its first participant not inside a
  /// prepositional phrase, with coordinated ones; a leading "He"/"She" is the last person named.
  func mainSubject(
    range: Range<Int>, tokens: [Token], participants: [ActorMention], lastPerson: Int?, doc: AnnotatedDocument
  ) -> [Int] {
    var k = range.lowerBound
    // Skip a fronted subordinate clause: "Although X ..., Y said".
    if lexicon.words.subordinators.contains(tokens[k].lower),
      let comma = (k..<range.upperBound).first(where: { tokens[$0].lower == "," })
    {
      k = comma + 1
    }
    while k < range.upperBound {
      let w = tokens[k].lower
      if w == "he" || w == "she" { return lastPerson.map { [$0] } ?? [] }
      if let m = participants.first(where: { $0.tokens.lowerBound == k }) {
        let prev = k > range.lowerBound ? tokens[k - 1].lower : ""
        let possessed = m.tokens.upperBound < range.upperBound && tokens[m.tokens.upperBound].lower == "'s"
        if !lexicon.words.prepositions.contains(prev) && !possessed {
          var out = [head(of: m, participants: participants, tokens: tokens, upper: range.upperBound, doc: doc).actor]
          var j = m.tokens.upperBound
          while j + 1 < range.upperBound, ["and", ","].contains(tokens[j].lower),
            let next = participants.first(where: { $0.tokens.lowerBound == j + 1 })
          {
            out.append(next.actor)
            j = next.tokens.upperBound
          }
          return out
        }
        k = m.tokens.upperBound
        continue
      }
      k += 1
    }
    return []
  }

  /// Start of the clause holding token `i`: after the last ";", ":", complementizer or
  /// relative word before it, or after a fronted subordinate clause's comma.
  func clauseStart(_ tokens: [Token], before i: Int, sentence: Range<Int>) -> Int {
    var k = i - 1
    while k >= sentence.lowerBound {
      let w = tokens[k].lower
      if w == ";" || w == ":" || w == "that" { return k + 1 }
      if ["where", "when", "who", "which"].contains(w), k > sentence.lowerBound, tokens[k - 1].lower == "," {
        return k + 1
      }
      k -= 1
    }
    if lexicon.words.subordinators.contains(tokens[sentence.lowerBound].lower),
      let comma = (sentence.lowerBound..<i).first(where: { tokens[$0].lower == "," })
    {
      return comma + 1
    }
    return sentence.lowerBound
  }

  /// Actors coordinated from token `from`: "X", "X and Y", "X, Y and Z". A name headed by a
  /// title stands for the person ("the US special envoy John Smith" is Smith, not the US).
  func coordinated(_ participants: [ActorMention], from: Int, tokens: [Token], upper: Int, doc: AnnotatedDocument)
    -> [Int]
  {
    var out: [Int] = []
    var connectors: [String] = []
    var k = from
    while k < upper {
      var j = k
      while j < upper, j - k < 6, participants.first(where: { $0.tokens.lowerBound == j }) == nil,
        tokens[j].kind == .word || tokens[j].lower == "'s" || tokens[j].lower == "-" || tokens[j].lower == ".",
        !["and", "in", "at", "on", "to", "from", "for", "that", "who", "which"].contains(tokens[j].lower)
      {
        j += 1
      }
      guard var mention = participants.first(where: { $0.tokens.lowerBound == j }) else { break }
      mention = head(of: mention, participants: participants, tokens: tokens, upper: upper, doc: doc)
      out.append(mention.actor)
      k = mention.tokens.upperBound
      if k < upper, tokens[k].lower == "," { k += 1 }
      if k < upper, tokens[k].lower == "and" || tokens[k].lower == "plus" {
        connectors.append("and")
        k += 1
        // "called on Pristina ... and on Belgrade": the preposition repeats.
        if k < upper, ["on", "to", "with", "against"].contains(tokens[k].lower) { k += 1 }
      } else if k < upper, tokens[k - 1].lower == ",", participants.contains(where: { $0.tokens.lowerBound == k }) {
        connectors.append(",")
        continue
      } else {
        break
      }
    }
    // A comma coordinates only inside a list closed by "and": in "with X, Y said" it does not.
    if let lastAnd = connectors.lastIndex(of: "and") {
      if let comma = connectors[(lastAnd + 1)...].firstIndex(of: ",") { out = Array(out.prefix(comma + 1)) }
    } else if let comma = connectors.firstIndex(of: ",") {
      out = Array(out.prefix(comma + 1))
    }
    return out
  }

  /// The person a modifier introduces: "the president's son-in-law John Smith", "Kremlin aide John Smith".
  func head(of m: ActorMention, participants: [ActorMention], tokens: [Token], upper: Int, doc: AnnotatedDocument)
    -> ActorMention
  {
    guard
      doc.actors[m.actor].kind != .person || (m.tokens.upperBound < upper && tokens[m.tokens.upperBound].lower == "'s")
    else { return m }
    var j = m.tokens.upperBound
    var sawTitleWord = false
    while j < upper, j - m.tokens.upperBound < 6 {
      if let p = participants.first(where: { $0.tokens.lowerBound == j }) {
        return doc.actors[p.actor].kind == .person && sawTitleWord ? p : m
      }
      let w = tokens[j]
      let hyphenated = (j > 0 && tokens[j - 1].lower == "-") || (j + 1 < upper && tokens[j + 1].lower == "-")
      guard w.kind == .word || ["-", ".", "'s"].contains(w.lower),
        hyphenated || !["and", "in", "at", "on", "to", "with", "that", "who"].contains(w.lower)
      else { return m }
      // (Without a period the word stripped of periods is the word itself, already looked up.)
      if names.titles[w.lower] != nil || w.lower == "'s"
        || (w.lower.utf8.contains(UInt8(ascii: ".")) && names.titles[String(w.lower.filter { $0 != "." })] != nil)
      {
        sawTitleWord = true
      }
      j += 1
    }
    return m
  }

  /// "the X-Y meeting": two participants joined by a hyphen right before the noun.
  func hyphenPair(_ t: Trigger, tokens: [Token], participants: [ActorMention]) -> (Int, Int)? {
    guard let b = participants.last(where: { $0.tokens.upperBound == t.start }),
      b.tokens.lowerBound >= 2, tokens[b.tokens.lowerBound - 1].lower == "-",
      let a = participants.last(where: { $0.tokens.upperBound == b.tokens.lowerBound - 1 })
    else { return nil }
    return (a.actor, b.actor)
  }

  /// The addressee right after a verb of saying ("told the president", "warned Washington").
  func addressee(after i: Int, tokens: [Token], participants: [ActorMention], upper: Int) -> (Int, Int)? {
    var k = i
    while k < upper, k - i < 6 {
      if let m = participants.first(where: { $0.tokens.lowerBound == k }) {
        var end = m.tokens.upperBound
        if end < upper, tokens[end].lower == "'s" { return nil }
        if end < upper, tokens[end].lower == "that" { end += 1 }
        return (m.actor, end)
      }
      let w = tokens[k]
      let allowed =
        w.isCapitalized || ["the", "to", "with", "-", "'s", "."].contains(w.lower) || names.titles[w.lower] != nil
      if !allowed { return nil }
      k += 1
    }
    return nil
  }

  /// Objects after a verb: the first participants not inside a location phrase, up to the clause end
  /// or the next verb pattern; places after "in"/"at" become the location.
  func objects(
    after t: Trigger, tokens: [Token], participants: [ActorMention], upper: Int, triggers: [Trigger],
    doc: AnnotatedDocument
  ) -> ([Int], Int?) {
    var location: Int?
    var k = t.end
    let limit = min(upper, t.end + 16)
    let nextTrigger = triggers.first { $0.start >= t.end && !$0.noun }?.start ?? upper
    while k < limit && k < nextTrigger {
      let w = tokens[k].lower
      // A comma ends the object: what follows is another clause (", an official said").
      if lexicon.words.objectStops.contains(w) || lexicon.words.clauseStops.contains(w) || w == "\u{2014}" || w == "," {
        break
      }
      if let m = participants.first(where: { $0.tokens.lowerBound == k }) {
        let prev = k > t.end ? tokens[k - 1].lower : ""
        let prev2 = k > t.end + 1 ? tokens[k - 2].lower : ""
        let inLocation =
          lexicon.locationPrepositions.contains(prev) || (prev == "the" && lexicon.locationPrepositions.contains(prev2))
        let kind = doc.actors[m.actor].kind
        // Force used "in Pakistan" is used on Pakistan; a meeting "in Geneva" only happens there.
        if inLocation, kind == .place || kind == .country || kind == .organization, t.code.rootNumber < 15 {
          if location == nil { location = m.actor }
          k = m.tokens.upperBound
          continue
        }
        let objs = coordinated(participants, from: k, tokens: tokens, upper: upper, doc: doc)
        if location == nil {
          // "met X in Cairo": a place after the object, within the clause.
          var j = m.tokens.upperBound
          while j + 1 < limit, !lexicon.words.clauseStops.contains(tokens[j].lower), tokens[j].lower != "," {
            if lexicon.locationPrepositions.contains(tokens[j].lower),
              let place = doc.mention(atToken: j + 1) ?? doc.mention(atToken: j + 2),
              [.place, .country].contains(doc.actors[place.actor].kind), !objs.contains(place.actor)
            {
              location = place.actor
              break
            }
            j += 1
          }
        }
        if let needed = t.verb?.needsObjectThen, !needed.isEmpty {
          let end =
            participants.first(where: { $0.actor == (objs.last ?? m.actor) && $0.tokens.lowerBound >= k })?.tokens
            .upperBound ?? m.tokens.upperBound
          let after = end < upper ? tokens[end].lower : ""
          if !needed.contains(after) { return ([], location) }
        }
        return (objs.isEmpty ? [m.actor] : objs, location)
      }
      k += 1
    }
    return ([], location)
  }

  /// The agent of a passive: "put forward by the US", "was rejected by X".
  func passiveAgent(_ t: Trigger, tokens: [Token], participants: [ActorMention], upper: Int, doc: AnnotatedDocument)
    -> Int?
  {
    var k = t.end
    while k < upper, k - t.end < 3, lexicon.words.adverbs.contains(tokens[k].lower) { k += 1 }
    guard k < upper, tokens[k].lower == "by" else { return nil }
    let form = tokens[t.start].lower
    guard form.hasSuffix("ed") || form.hasSuffix("en") || form.hasSuffix("t") || t.verb?.then.isEmpty == false else {
      return nil
    }
    return coordinated(participants, from: k + 1, tokens: tokens, upper: upper, doc: doc).first
  }

  /// Subjects left of the verb in its clause: the nearest participant not governed by a
  /// preposition, with the ones coordinated before it; "who" takes its antecedent; "he" the
  /// last person named; "most nations reject" has a subject that is no actor.
  func subjects(
    before i: Int, clauseStart: Int, tokens: [Token], participants: [ActorMention], lastPerson: Int?,
    doc: AnnotatedDocument
  ) -> [Int] {
    // A common noun right before the verb is its subject: "most nations reject".
    var j = i - 1
    while j >= clauseStart,
      lexicon.words.adverbs.contains(tokens[j].lower) || lexicon.words.auxiliaries.contains(tokens[j].lower)
    {
      j -= 1
    }
    if j - 1 >= clauseStart, tokens[j].kind == .word, !tokens[j].isCapitalized,
      !participants.contains(where: { $0.tokens.contains(j) }), lexicon.words.determiners.contains(tokens[j - 1].lower)
    {
      return []
    }
    // "diplomats say", "officials said": a bare plural right before the verb is its subject;
    // "Russian officials said" is Russia's.
    var p = i - 1
    while p >= clauseStart, lexicon.words.adverbs.contains(tokens[p].lower) { p -= 1 }
    if j >= clauseStart, p == j, tokens[j].kind == .word, !tokens[j].isCapitalized, tokens[j].lower.hasSuffix("s"),
      !lexicon.words.auxiliaries.contains(tokens[j].lower), !lexicon.words.adverbs.contains(tokens[j].lower),
      !participants.contains(where: { $0.tokens.contains(j) }),
      !["'s", "who", "which", "this", "its"].contains(tokens[j].lower)
    {
      if j - 1 >= clauseStart, let m = participants.last(where: { $0.tokens.contains(j - 1) }) { return [m.actor] }
      return []
    }
    // "Velayati, a senior adviser to Iran's Supreme Leader Ali Khamenei, warned": the apposition
    // between the subject and its verb names someone else.
    if j >= clauseStart, tokens[j].lower == ",", let open = (clauseStart..<j).last(where: { tokens[$0].lower == "," }),
      open + 1 < j, ["a", "an", "the"].contains(tokens[open + 1].lower) || names.titles[tokens[open + 1].lower] != nil,
      let m = participants.last(where: { $0.tokens.upperBound == open })
    {
      return [m.actor]
    }
    if clauseStart > 0, lexicon.words.relatives.contains(tokens[clauseStart - 1].lower) {
      // ", who posted": the antecedent is the participant just before the comma.
      let comma = clauseStart - 2
      if let m = participants.last(where: { $0.tokens.upperBound <= comma && $0.tokens.upperBound >= comma - 1 }) {
        return [m.actor]
      }
      return []
    }
    var k = i - 1
    while k >= clauseStart {
      let w = tokens[k].lower
      if w == "he" || w == "she" {
        if let p = lastPerson { return [p] }
        return []
      }
      if w == "they" || w == "it" || w == "we" { return [] }
      if let m = participants.last(where: { $0.tokens.contains(k) }) {
        let start = m.tokens.lowerBound
        let prev = start > clauseStart ? tokens[start - 1].lower : ""
        let prevIsPrep =
          (lexicon.words.prepositions.contains(prev)
            || (prev == "the" && start - 2 >= clauseStart
              && lexicon.words.prepositions.contains(tokens[start - 2].lower)))
          && !groupOf(m, tokens: tokens, clauseStart: clauseStart)
        let adjacent =
          m.tokens.upperBound == i
          || (m.tokens.upperBound..<i).allSatisfy {
            lexicon.words.adverbs.contains(tokens[$0].lower) || lexicon.words.auxiliaries.contains(tokens[$0].lower)
          }
        let possessed =
          m.tokens.upperBound < i && tokens[m.tokens.upperBound].lower == "'s"
          && participants.contains(where: { $0.tokens.lowerBound > m.tokens.upperBound && $0.tokens.lowerBound < i })
        if (prevIsPrep && !adjacent) || possessed {
          k = start - 1
          continue
        }
        return coordinatedBefore(m, clauseStart: clauseStart, tokens: tokens, participants: participants, doc: doc)
      }
      k -= 1
    }
    return []
  }

  /// A subject with the ones coordinated before it: "X and Brussels", "A, B and
  /// C", "President A and Russian President B". Commas alone do not
  /// coordinate ("In a call with X, Y said").
  func coordinatedBefore(
    _ m: ActorMention, clauseStart: Int, tokens: [Token], participants: [ActorMention], doc: AnnotatedDocument
  ) -> [Int] {
    var out = [m.actor]
    var start = m.tokens.lowerBound
    var sawAnd = false
    while true {
      var c = start - 1
      // Title words and the names that qualify them belong to the name: "Russian President X".
      while c > clauseStart {
        let w = tokens[c].lower
        if names.titles[w] != nil || w == "." || w == "the" || lexicon.words.titleQualifiers.contains(w) {
          c -= 1
        } else if w == ",", c - 1 > clauseStart, names.titles[tokens[c - 1].lower] != nil {
          // "Thailand's acting prime minister, Phumtham Wechayachai": the name is in apposition.
          c -= 1
        } else if w == "'s", c - 1 > clauseStart, doc.mention(atToken: c - 1) != nil {
          c -= 1
          if let owner = doc.mention(atToken: c) { c = owner.tokens.lowerBound - 1 }
        } else if let modifier = doc.mention(atToken: c), doc.actors[modifier.actor].kind != .person,
          modifier.tokens.upperBound < tokens.count,
          names.titles[tokens[modifier.tokens.upperBound].lower] != nil || !modifier.isParticipant
        {
          c = modifier.tokens.lowerBound - 1
        } else if tokens[c].isCapitalized && !participants.contains(where: { $0.tokens.contains(c) }) {
          c -= 1
        } else {
          break
        }
      }
      guard c > clauseStart else { break }
      let w = tokens[c].lower
      if w == "and" {
        sawAnd = true
      } else if w != "," || !sawAnd {
        break
      }
      guard let prev = participants.last(where: { $0.tokens.upperBound == c }) else { break }
      let before = prev.tokens.lowerBound > clauseStart ? tokens[prev.tokens.lowerBound - 1].lower : ""
      if lexicon.words.prepositions.contains(before) && !groupOf(prev, tokens: tokens, clauseStart: clauseStart) {
        break
      }
      out.insert(prev.actor, at: 0)
      start = prev.tokens.lowerBound
    }
    return out
  }

  /// "The foreign ministers of France", "teams from Israel": a group named by its members' state
  /// is that state acting, though the name follows a preposition.
  func groupOf(_ m: ActorMention, tokens: [Token], clauseStart: Int) -> Bool {
    var p = m.tokens.lowerBound - 1
    if p >= clauseStart, tokens[p].lower == "the" { p -= 1 }
    guard p - 1 >= clauseStart, ["of", "from"].contains(tokens[p].lower) else { return false }
    return names.actorHeads.contains(tokens[p - 1].lower)
  }

  /// What a verb of saying or asking really reports: a refusal ("will not accept", "unacceptable")
  /// or an offer ("would agree to ... if"), when the speaker's own side is its subject.
  func recode(
    complement: Range<Int>, speech: Bool, tokens: [Token], triggers: [Trigger], participants: [ActorMention],
    sourceAffiliation: String?, doc: AnnotatedDocument, consumed: inout Set<Int>
  ) -> CAMEOCode? {
    // Which cues have a phrase in the complement, in one pass over its words: each word is
    // looked up once among the phrases it can open (asking every phrase of every cue whether
    // it occurs hashed each phrase's first word).
    let matched = cuePhrases.matches(in: complement, tokens: tokens)
    // Threats and refusals first: they are what a statement is about.
    for (i, cue) in lexicon.complementCues.enumerated() where cue.code.root == "13" || cue.code.root == "12" {
      if matched.cues[i] { return cue.code }
    }
    if matched.rejection { return CAMEOCode("120") }
    for t in triggers where complement.contains(t.start) && !t.noun {
      // Whose act is it? A pronoun or the speaker's own side.
      let subjectStart = max(complement.lowerBound, t.start - 6)
      let explicit = participants.last { $0.tokens.lowerBound >= subjectStart && $0.tokens.upperBound <= t.start }
      if let e = explicit, let aff = doc.actors[e.actor].affiliation, aff != sourceAffiliation { continue }
      let window = max(complement.lowerBound, t.start - 4)..<t.start
      let words = window.map { tokens[$0].lower }
      if words.contains(where: { lexicon.negations.contains($0) }) {
        guard let negated = t.verb?.negated else { continue }
        consumed.insert(t.start)
        return negated
      }
      if words.contains(where: { $0 == "would" || $0 == "will" }), (3...8).contains(t.code.rootNumber) {
        consumed.insert(t.start)
        return CAMEOCode("030")
      }
    }
    // What was said: criticism, demands, offers, acceptance.
    if speech {
      for (i, cue) in lexicon.complementCues.enumerated() where cue.code.root != "13" && cue.code.root != "12" {
        if matched.cues[i] { return cue.code }
      }
    }
    return nil
  }

  /// The first party of another side named in `range`: not a place the words only locate
  /// ("said in Vienna"), not an outlet; adjectives ("Iranian facilities") count when asked.
  func party(
    in range: Range<Int>, otherThan aff: String?, includeModifiers: Bool, mentions: [ActorMention], tokens: [Token],
    doc: AnnotatedDocument
  ) -> Int? {
    for m in mentions where range.contains(m.tokens.lowerBound) {
      guard m.isParticipant || (includeModifiers && m.isModifierDemonym) else { continue }
      let actor = doc.actors[m.actor]
      guard let a = actor.affiliation, a != aff, actor.kind != .media else { continue }
      let prev = m.tokens.lowerBound > 0 ? tokens[m.tokens.lowerBound - 1].lower : ""
      if actor.kind == .place, lexicon.locationPrepositions.contains(prev) { continue }
      return m.actor
    }
    return nil
  }

  /// A demand, criticism or rejection of a proposal needs no named counterpart: "Kyiv rejected
  /// the plan" is a stance the record keeps; "Kinshasa refused to negotiate" alone is not an act
  /// between parties.
  func isStance(_ code: CAMEOCode, around t: Trigger, tokens: [Token], range: Range<Int>) -> Bool {
    guard ["10", "11", "12"].contains(code.root) else { return false }
    let window = max(range.lowerBound, t.start - 5)..<min(range.upperBound, t.end + 8)
    return window.contains { lexicon.stanceObjects.contains(tokens[$0].lower) }
  }

  /// The other party of the source's most recent event, when its side differs.
  func counterpart(of source: Int, accepted: [Candidate], current: [Candidate], doc: AnnotatedDocument) -> Int? {
    let aff = doc.actors[source].affiliation
    func other(_ c: Candidate) -> Int? {
      guard let target = c.target else { return nil }
      let sa = doc.actors[c.source].affiliation
      let ta = doc.actors[target].affiliation
      // (A place is where an act happened, not a side it was dealt with: "a meeting in X".)
      if sa == aff, ta != aff { return doc.actors[target].kind == .place ? nil : target }
      if ta == aff, sa != aff { return doc.actors[c.source].kind == .place ? nil : c.source }
      return nil
    }
    // This sentence's acts first, then the article's, most recent first, without copying either.
    for c in current.reversed() { if let o = other(c) { return o } }
    for c in accepted.reversed() { if let o = other(c) { return o } }
    return nil
  }

  /// One act of one predicate between one pair of parties, whatever its code within the root
  /// (a hashable value, not an array: no allocation per reading).
  struct ActKey: Hashable {
    let start: Int
    let source: Int
    let target: Int
    let root: String

    init(_ c: Candidate) {
      start = c.trigger.start
      source = c.source
      target = c.target ?? -1
      root = c.code.root
    }
  }

  /// How many digits of a code after its root are not zero: 160 none, 162 one, 1621 two.
  static func detail(of code: CAMEOCode) -> Int {
    code.rawValue.dropFirst(2).filter { $0 != "0" }.count
  }

  // MARK: Output

  /// Drops events within one side, fills dates, places and outlets, and merges restatements:
  /// the same act by the same actor toward the same side; the same act between the same two
  /// sides in one paragraph; statements by one speaker; meetings of the same people, or of the
  /// same two sides when one report names only governments ("Washington and Moscow").
  func merge(_ candidates: [Candidate], doc: AnnotatedDocument) -> [Event] {
    var events: [Event] = []
    var fromNoun: [Bool] = []
    var keys: [String: Int] = [:]
    var untargeted: Set<String> = []
    var datesBySentence: [Int: [DateMention]] = [:]
    for d in doc.text.dates where d.date != nil {
      datesBySentence[Int(doc.sentenceOfToken[d.tokens.lowerBound]), default: []].append(d)
    }
    // One happening, several parties: every source and target read from one trigger of one
    // sentence ("X hosted Y and Z") takes part in each of its dyads.
    var happenings: [String: [String]] = [:]
    func happening(_ c: Candidate) -> String { "\(c.sentence):\(c.trigger.start)" }
    for c in candidates {
      for a in [c.source] + (c.target.map { [$0] } ?? []) {
        let id = doc.actors[a].id
        if !(happenings[happening(c)] ?? []).contains(id) { happenings[happening(c), default: []].append(id) }
      }
    }
    func participants(_ c: Candidate) -> [String] {
      let ids = (happenings[happening(c)] ?? []).filter { $0 != Self.unnamedDoerID }
      return ids.count > 2 ? ids.sorted() : []
    }
    for var c in candidates {
      let src = doc.actors[c.source]
      // Force used by people no army organizes (settlers, villagers, a mob) is an assault, not
      // a fight between armed forces (unless the weapons named are an army's: missiles, shells).
      if c.code.rawValue == "190", let sector = src.sector, coding.unarmedSectors.contains(sector),
        let assault = CAMEOCode("180")
      {
        c.code = assault
      }
      var tgt = c.target.map { doc.actors[$0] }
      if tgt == nil, coding.frames.isSelfTargeted(c.code), let own = src.affiliation {
        tgt = doc.country(of: own).map { doc.actors[$0] }
      }
      // The record is of acts between parties: a statement to no one, or an act by someone of
      // no known side, is not one.
      if tgt == nil, !coding.frames.isUntargeted(c.code),
        !isStance(c.code, around: c.trigger, tokens: doc.text.tokens, range: doc.text.sentences[c.sentence].tokens)
      {
        continue
      }
      // A doer named by kind alone acts only on a party named ("gunmen killed X"), with no source.
      let unnamed = src.id == Self.unnamedDoerID
      if unnamed, tgt == nil { continue }
      if src.affiliation == nil, !unnamed { continue }
      if coding.frames.uncodedCodes.contains(c.code), !c.addressed { continue }
      // Within one state, only acts involving a non-state group (an armed movement, a party) count.
      // Coercion and protest are domestic as often as not (a curfew on one's own town).
      let domestic = c.domestic || coding.frames.domesticRoots.contains(c.code.root)
      let sameSide = coding.frames.sameSide
      if let t = tgt, let a = src.affiliation, let b = t.affiliation, sameSide[a] ?? a == sameSide[b] ?? b,
        !isNonState(src), !isNonState(t), !domestic
      {
        continue
      }
      if let t = tgt, t.id == src.id, !domestic { continue }
      let sentence = doc.text.sentences[c.sentence]
      let srcSide = mergeSide(src)
      let tgtSide = tgt.map(mergeSide) ?? ""
      var candidateKeys: [String] = []
      if c.code.root == "04", let t = tgt {
        candidateKeys.append("04:" + [src.id, t.id].sorted().joined(separator: "~"))
        if src.kind != .person && t.kind != .person {
          candidateKeys.append("04gov:" + [srcSide, tgtSide].sorted().joined(separator: "~"))
        }
      } else if c.code.root == "01" {
        candidateKeys.append("01:" + src.id)
      } else {
        candidateKeys.append(c.code.root + ":" + src.id + ">" + tgtSide)
        candidateKeys.append(c.code.root + ":p\(sentence.paragraph):" + srcSide + ">" + tgtSide)
      }
      let span = doc.text.clean.sourceSpan(sentence.range)
      // The date expression nearest the trigger: "met on Tuesday, and Y met Z on Wednesday".
      let date = datesBySentence[c.sentence]?.min {
        abs($0.tokens.lowerBound - c.trigger.start) < abs($1.tokens.lowerBound - c.trigger.start)
      }?.date
      var cited = zip(doc.citations, doc.citationSentences).first { $0.1 == c.sentence }?.0.outlet
      if cited == nil { cited = doc.articleSource }
      if let existing = candidateKeys.lazy.compactMap({ keys[$0] }).first {
        let more = participants(c)
        if !more.isEmpty { events[existing].participants = Array(Set(events[existing].participants + more)).sorted() }
        if events[existing].date == nil { events[existing].date = date }
        if events[existing].cited == nil { events[existing].cited = cited }
        if events[existing].target == nil, let t = tgt { events[existing].target = t.id }
        // A verb says who acted; a noun ("the X-Y meeting") does not.
        if fromNoun[existing], !c.trigger.noun, c.code.root == "04", let t = tgt {
          events[existing].source = src.id
          events[existing].target = t.id
          fromNoun[existing] = false
        }
        for k in candidateKeys { keys[k] = existing }
        continue
      }
      // An event without a target restating one with a target is the same event.
      if tgt == nil, untargeted.contains(c.code.root + ":" + src.id) { continue }
      // Meetings between governments restate the meetings of their people.
      let sides =
        "04sides:"
        + [src.affiliation ?? src.id, tgt.map { $0.affiliation ?? $0.id } ?? ""].sorted().joined(separator: "~")
      if c.code.root == "04", let t = tgt, src.kind != .person, t.kind != .person, let same = keys[sides] {
        for k in candidateKeys { keys[k] = same }
        continue
      }
      if c.code.root == "04", tgt != nil, keys[sides] == nil { keys[sides] = events.count }
      untargeted.insert(c.code.root + ":" + src.id)
      for k in candidateKeys { keys[k] = events.count }
      let (triggerText, _) = doc.sourceText(tokens: c.trigger.start..<c.trigger.end)
      var event = Event(
        cameo: c.code, source: unnamed ? nil : src.id, target: tgt?.id, date: date,
        location: c.location.map { doc.actors[$0].id },
        cited: cited, text: doc.text.sourceText(span), span: span, trigger: triggerText)
      event.participants = participants(c)
      events.append(event)
      fromNoun.append(c.trigger.noun)
    }
    return events
  }
}

/// A set of token indices as one flag per token of a stretch: the trigger scan asks it of every
/// token and its neighbours, where a `Set<Int>` hashed each question.
struct TokenSet {
  private let base: Int
  private var flags: [Bool]

  /// A set able to hold `range` and the tokens of `mentions`.
  init(covering range: Range<Int>, _ mentions: [ActorMention]) {
    var lower = range.lowerBound
    var upper = range.upperBound
    for m in mentions where !m.tokens.isEmpty {
      lower = min(lower, m.tokens.lowerBound)
      upper = max(upper, m.tokens.upperBound)
    }
    base = lower
    flags = [Bool](repeating: false, count: upper - lower)
  }

  mutating func insert(_ tokens: Range<Int>) {
    for k in tokens { flags[k - base] = true }
  }

  func contains(_ k: Int) -> Bool { k >= base && k - base < flags.count && flags[k - base] }
}

/// The side an actor's restated acts merge on: its state, except for a group of its own (an
/// armed movement and its spokesman are not their state's government).
func mergeSide(_ a: Actor) -> String {
  if let group = a.group { return group }
  return isNonState(a) ? a.id : (a.affiliation ?? a.id)
}

/// A party of its own within its state, not its government: an armed group, a party, a company,
/// a court, or a person whose role gives them a party sector (an opposition leader, a judge).
func isNonState(_ a: Actor) -> Bool {
  a.group != nil || (a.kind == .organization && a.role != "government body" && (a.affiliation?.count ?? 0) == 3)
    || (a.kind == .person && a.sector != nil)
}
