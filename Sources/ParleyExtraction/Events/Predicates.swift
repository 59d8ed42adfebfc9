import ParleyKnowledge
import ParleyModel

/// A word that codes an event: a verb with a sense in the CAMEO lexicon, a light verb whose
/// object is an event noun ("held talks"), or an event noun with its own doer ("Israeli shelling").
struct Predicate {
  enum Kind {
    /// A verb with a sense of its own.
    case verb
    /// A verb whose object (or passive subject) is the event noun `noun`.
    case lightVerb(noun: Int)
    /// An event noun whose doer is one of its modifiers or a "by" phrase.
    case noun
  }
  /// The verb, or the noun for `.noun`.
  var word: Int
  var kind: Kind
  var code: CAMEOCode
  var sense: CAMEOLexicon.Sense?
  /// The subject receives the act; the party of the "from" phrase does it ("received arms
  /// from Y").
  var converse = false
  /// An event noun that is the object of an act keeping it from happening ("restricted
  /// cooperation with X"): no report of its own, though it still names its doer.
  var isPrevented = false

  /// The word whose role phrases name the target first: the event noun where there is one.
  var eventNoun: Int? {
    switch kind {
    case .verb: return nil
    case .lightVerb(let n): return n
    case .noun: return word
    }
  }
}

/// Finds the predicates of a sentence.
struct PredicateFinder {
  let tree: SentenceTree

  func predicates() -> [Predicate] {
    var out: [Predicate] = []
    var carried: Set<Int> = []
    var prevented: Set<Int> = []
    for i in tree.words where tree.upos(i) == "VERB" || tree.isMistaggedVerb(i) {
      if let p = verbPredicate(i) {
        out.append(p)
        if let n = p.eventNoun { carried.insert(n) }
        if case .verb = p.kind, !p.converse,
          tree.tables.lexicon.frames.preventingCodes.contains(where: p.code.rawValue.hasPrefix)
        {
          // (Through a carrier noun too: "vetoed a package of aid", "blocked an aid package".)
          for o in tree.children(i, ["obj"]) {
            prevented.insert(o)
            if tree.tables.lexicon.frames.carrierNouns.contains(tree.form(o)) {
              prevented.formUnion(tree.children[o].filter { ["nmod", "compound"].contains(tree.relation($0)) })
            }
          }
        }
      } else if tree.relation(i) == "ccomp", let g = tree.head(i), tree.isSaying(g),
        let demand = tree.tables.lexicon.frames.governors["demand"]?.fallback,
        tree.children[i].contains(where: {
          tree.relation($0) == "aux" && tree.tables.lexicon.frames.obligationAuxiliaries.contains(tree.form($0))
        })
      {
        // "X said that Y must show restraint": whatever Y must do, the reported obligation is
        // X's demand on Y (the decision reads it as one), though the verb codes nothing itself.
        out.append(Predicate(word: i, kind: .verb, code: demand, sense: nil))
      }
    }
    for i in tree.words where tree.upos(i) == "NOUN" || tree.upos(i) == "PROPN" {
      guard !carried.contains(i), let code = nounCode(i) else { continue }
      out.append(Predicate(word: i, kind: .noun, code: code, sense: nil, isPrevented: prevented.contains(i)))
    }
    return out
  }

  /// The words a verb's sense may ask for: particles, the case words and markers of its
  /// dependents, and the heads of its complements ("agreed to a ceasefire", "call for").
  /// (An array, not a set: callers only ask whether a sense's set holds any of them, and
  /// building a set hashed every word once more.)
  func following(_ i: Int) -> [String] {
    var out: [String] = []
    for c in tree.children[i] {
      switch tree.baseRelation(c) {
      case "compound":
        if tree.relation(c) == "compound:prt" { out.append(tree.form(c)) }
      case "obl", "obj", "iobj", "advmod", "xcomp", "ccomp", "nmod":
        if let k = tree.caseWord(c) { out.append(k) }
        if let m = tree.child(c, ["mark"]) { out.append(tree.form(m)) }
        out.append(tree.form(c))
        out.append(tree.lemma(c))
        // "fired missiles at X": the parser often hangs the role phrase on the object, and the
        // infinitive of "ordered X to leave" too.
        if tree.relation(c) == "obj" {
          for r in tree.children(c, ["nmod"]) { if let k = tree.caseWord(r) { out.append(k) } }
          for a in tree.children(c, ["acl"]) where tree.child(a, ["mark"]).map({ tree.form($0) == "to" }) == true {
            out.append(tree.lemma(a))
          }
        }
      default: break
      }
    }
    return out
  }

  /// The object classes (`SenseIndex` bits) of the words of the verb's object phrase, or of its
  /// passive subject; unless `direct`, also of its complements and "for"/"on"/"to"/"with"
  /// phrases ("agreed to a ceasefire"); with `lemmas`, of their lemmas too.
  /// (Each word's classes are looked up once per sentence (`SentenceTree.addObjectClasses`):
  /// the four readings of a verb hashed the same words into the same table again.)
  func objectClasses(_ i: Int, direct: Bool, lemmas: Bool = true) -> [UInt64] {
    let index = tree.tables.senseIndex
    var bits = [UInt64](repeating: 0, count: index.words)
    var objects = tree.children(i, direct ? ["obj", "nsubj:pass"] : ["obj", "nsubj:pass", "obl", "xcomp"])
    // An "as" phrase says what the object is called however the parser hangs it ("described
    // the round as productive", the adjective taken for a noun heading a clause).
    if !direct { objects += tree.children(i, ["advcl"]).filter { tree.caseWord($0) == "as" } }
    // A participle's noun is its object: "the evidence presented by X".
    if tree.relation(i) == "acl", tree.xpos(i) == "VBN", let h = tree.head(i) {
      objects.append(h)
    }
    // So is the noun of a relative clause with a subject of its own and no object but the
    // relative pronoun: "a charge X rejected", "the offer that X turned down".
    if tree.relation(i) == "acl:relcl", let h = tree.head(i), tree.child(i, ["nsubj"]) != nil,
      tree.children(i, ["obj"]).allSatisfy({ tree.upos($0) == "PRON" })
    {
      objects.append(h)
    }
    // Coordinated objects are objects too: "provided photographs and intelligence".
    objects += objects.filter { tree.relation($0) != "obl" }.flatMap { tree.conjuncts(of: $0) }
    for o in objects {
      // ("as" for what a thing is called: "described the round as useful"; "of" for what one
      // warns of or accuses of.)
      if tree.relation(o) == "obl",
        tree.caseWord(o).map({ !["for", "on", "to", "with", "as", "of"].contains($0) }) ?? true
      {
        continue
      }
      // The direct reading takes the head and what names it ("economic aid", "a round of
      // sanctions"), not clauses hung on it.
      let words =
        direct
        ? [o]
          + tree.children[o].filter {
            ["compound", "amod", "flat"].contains(tree.relation($0))
              || (tree.relation($0) == "nmod" && tree.caseWord($0) == "of")
          } : tree.phraseWords(o)
      // A noun that only carries what its phrase names says nothing itself where the phrase
      // names more: "a package of sanctions" is sanctions, not aid.
      let carrier = words.count > 1 && tree.formIs(o, WordClass.carrierNoun)
      for w in words where !(carrier && w == o) {
        tree.addObjectClasses(of: w, lemma: false, into: &bits)
        if lemmas { tree.addObjectClasses(of: w, lemma: true, into: &bits) }
      }
      // An object that names a place ("captured X", X a town) is in the classes listing
      // `@place`, whatever its name.
      if let place = index.placeClasses, ["obj", "nsubj:pass"].contains(tree.relation(o)),
        let m = tree.doc.mention(atToken: tree.token(o)), tree.doc.actors[m.actor].kind == .place
      {
        index.add(place, to: &bits)
      }
      if let mass = index.massClasses, ["obj", "nsubj:pass"].contains(tree.relation(o)), countsManyVictims(o) {
        index.add(mass, to: &bits)
      }
    }
    return bits
  }

  /// Whether object `o` counts at least `mass_victims` people of its sectors: "hundreds of
  /// civilians", "more than 400 villagers" (a number word alone, "killing hundreds", counts
  /// people too).
  func countsManyVictims(_ o: Int) -> Bool {
    let mass = tree.tables.lexicon.frames.massVictims
    var head = o
    var count = 0
    if let n = mass.counts[tree.form(o)] {
      count = n
      guard let of = tree.children(o, ["nmod"]).first(where: { tree.caseWord($0) == "of" }) else {
        return count >= mass.atLeast
      }
      head = of
    }
    for n in tree.children(head, ["nummod"]) {
      let digits = tree.form(n).filter { $0 != "," }
      count = max(count, Int(digits) ?? mass.counts[tree.form(n)] ?? 0)
    }
    guard count >= mass.atLeast, let sector = tree.tables.lexicon.sectorOfNoun[tree.form(head)] else { return false }
    return mass.sectors.contains(sector)
  }

  func verbPredicate(_ i: Int) -> Predicate? {
    let index = tree.tables.senseIndex
    // (The frame tables are asked through the words' class bits, looked up once per word.)
    if tree.lemmaIs(i, WordClass.converseVerb), let giver = tree.tables.lexicon.frames.converseVerbs[tree.lemma(i)],
      tree.giverPhrase(of: i) != nil,
      let e = index.entry(lemma: giver, form: giver)
    {
      // Only a sense conditioned on the object: "received X from Y" says what Y gave.
      let present = objectClasses(i, direct: true)
      if let j = e.senses.indices.first(where: {
        e.bare[$0] && e.classes[$0] >= 0 && SenseIndex.matches(e.classes[$0], present)
      }) {
        let s = e.senses[j]
        return Predicate(word: i, kind: .verb, code: s.code, sense: s, converse: true)
      }
    }
    // "faced criticism from Y": the event noun is the "from" party's act.
    if tree.lemmaIs(i, WordClass.converseLightVerb), tree.giverPhrase(of: i) != nil {
      for o in tree.children(i, ["obj"]) {
        if let code = nounCode(o) {
          return Predicate(word: i, kind: .lightVerb(noun: o), code: code, sense: nil, converse: true)
        }
      }
    }
    var chosen: CAMEOLexicon.Sense?
    if let e = index.entry(lemma: tree.lemma(i), form: tree.form(i)), !e.senses.isEmpty {
      // The following words and the wider object reading are gathered only when a sense can
      // ask for them. Of the following words only those some sense of the verb asks for can
      // decide, each looked up once.
      let follow = e.particles.isEmpty ? [] : following(i).filter(e.particles.contains)
      // The object itself decides first: "halted economic aid ... to end the fighting" is about aid.
      let asksObject = e.asksObject
      // The words as written decide before their lemmas: "imposed penalties" are sanctions,
      // though the lemma is a court's penalty.
      // (Passes counted, not arrays of flags looped over: an array was built per verb.)
      choice: for pass in 0..<2 {
        let direct = pass == 0
        for round in asksObject ? 0..<2 : 1..<2 {
          let lemmas = round == 1
          let present =
            asksObject
            ? objectClasses(i, direct: direct, lemmas: lemmas) : [UInt64](repeating: 0, count: index.words)
          let j = e.senses.indices.first { j in
            (e.bare[j] || (!follow.isEmpty && follow.contains(where: e.senses[j].particles.contains)))
              && SenseIndex.matches(e.classes[j], present)
          }
          chosen = j.map { e.senses[$0] }
          if let j, e.classes[j] >= 0 { break choice }
        }
      }
    }
    // A sense conditioned on its object or particle says more than the event noun; a bare
    // sense of a light verb says less ("held talks" is a meeting, not a holding).
    if let s = chosen, s.specificity > 0 || !tree.tables.lexicon.frames.lightVerbs.contains(s.lemma) {
      return Predicate(word: i, kind: .verb, code: s.code, sense: s)
    }
    // Only a light verb hands its event noun the event: "avoided criticism" or "denied the
    // attack" report no criticism and no attack.
    let light = tree.lemmaIs(i, WordClass.lightVerb)
    for o in tree.children(i, ["obj", "nsubj:pass"]) where light {
      if let code = nounCode(o) { return Predicate(word: i, kind: .lightVerb(noun: o), code: code, sense: nil) }
    }
    // "took part in talks", "engaged X in a firefight": a light verb's "in" phrase.
    if light {
      for o in tree.children(i, ["obl"]) where tree.caseWord(o) == "in" {
        if let code = nounCode(o) { return Predicate(word: i, kind: .lightVerb(noun: o), code: code, sense: nil) }
      }
    }
    return chosen.map { Predicate(word: i, kind: .verb, code: $0.code, sense: $0) }
  }

  /// The code of an event noun, checking the words of a multi-word noun against its
  /// compound and modifier dependents ("air strike", "peace talks").
  func nounCode(_ n: Int) -> CAMEOCode? {
    if tree.formIs(n, WordClass.carrierNoun) {
      // "a mediation mission", "an aid package": the modifier names the event.
      for c in tree.children[n].reversed() where c < n && tree.relation(c) == "compound" {
        if let code = nounCode(c) { return code }
      }
      return nil
    }
    // (Most nouns are no event noun: their class bits, looked up once per word, say so.)
    guard tree.formIs(n, WordClass.eventNoun) || tree.lemmaIs(n, WordClass.eventNoun),
      let senses = tree.tables.lexicon.nouns[tree.form(n)] ?? tree.tables.lexicon.nouns[tree.lemma(n)]
    else {
      return nil
    }
    let before = tree.children[n].filter { $0 < n && ["compound", "amod"].contains(tree.relation($0)) }.map(tree.form)
    // Case words of the noun's role phrases and markers of its clauses ("call for X to withdraw").
    var taken: Set<String> = []
    for c in tree.children[n] where c > n {
      if let k = tree.caseWord(c) { taken.insert(k) }
      for m in tree.children(c, ["mark"]) { taken.insert(tree.form(m)) }
    }
    return senses.first { s in
      (s.tokens.count == 1 || Array(s.tokens.dropLast()) == Array(before.suffix(s.tokens.count - 1)))
        && (s.then.isEmpty || !s.then.isDisjoint(with: taken))
    }?.code
  }
}
