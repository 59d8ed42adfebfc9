import ParleyModel

/// The parties of one predicate: who acts (the subject, the agent of a passive, an event
/// noun's own modifier) and at whom (the object, a role phrase, a passive's subject).
struct Arguments {
  var sources: [Int] = []
  var targets: [Int] = []
  /// The predicate has an object, whether or not it names a party ("attacked villages").
  var hasObject = false
  /// The parties were named together ("talks between X and Y"): they act with each other.
  var mutual = false
}

/// Reads the arguments of predicates over the tree.
struct ArgumentReader {
  let tree: SentenceTree

  func read(_ p: Predicate) -> Arguments {
    switch p.kind {
    case .noun:
      var args = readNoun(p)
      if args.sources.isEmpty, let doer = unnamedDoer(of: p) { args.sources = [doer] }
      return args
    case .verb, .lightVerb: return readVerb(p)
    }
  }

  /// "A suicide bomber blew himself up", "an attack by gunmen": force by a doer the text names
  /// by kind alone (`unnamed_doers`), with no party of its own, is done by the unnamed doer.
  func unnamedDoer(of p: Predicate) -> Int? {
    let frames = tree.tables.lexicon.frames
    guard let doer = tree.unnamedDoer, frames.unnamedDoerRoots.contains(p.code.root) else { return nil }
    let word: Int?
    if p.eventNoun != nil || tree.isPassive(p.word) {
      word = tree.children[p.eventNoun ?? p.word].first { tree.caseWord($0) == "by" }
    } else {
      word = subject(of: p.word)
    }
    guard let w = word, tree.upos(w) == "NOUN", frames.unnamedDoerNouns.contains(tree.form(w)),
      tree.parties(at: w).isEmpty
    else { return nil }
    return doer
  }

  func readVerb(_ p: Predicate) -> Arguments {
    let i = p.word
    var args = Arguments()
    let speaker = self.speaker(of: i)
    if p.converse {
      // "X received arms from Y": Y acts, X is the target.
      if let giver = tree.giverPhrase(of: i) {
        args.sources = tree.parties(at: giver, speaker: speaker)
      }
      if let s = subject(of: i) {
        args.targets = tree.parties(at: s, speaker: speaker).filter { !args.sources.contains($0) }
      }
      args.hasObject = true
      return args
    }
    if tree.isPassive(i) {
      if let agent = tree.children[i].first(where: {
        tree.relation($0) == "obl:agent" || (tree.relation($0) == "obl" && tree.caseWord($0) == "by")
      }) {
        args.sources = tree.parties(at: agent, speaker: speaker)
      } else if let origin = tree.children[i].first(where: {
        tree.baseRelation($0) == "obl" && tree.caseWord($0) == "from"
      }),
        tree.tables.lexicon.frames.placeTargetRoots.contains(p.code.root)
      {
        // "was fired at X from Y": force with no named agent comes from where it was launched.
        args.sources = tree.places(at: origin)
      } else if tree.tables.lexicon.frames.passivePlaceSourceRoots.contains(p.code.root),
        let place = tree.children[i].first(where: { tree.baseRelation($0) == "obl" && tree.caseWord($0) == "in" })
      {
        // "was arrested in X": by the authorities of X.
        args.sources = tree.places(at: place)
      }
      // "were killed in an X air strike", "in X tank shelling": force with no agent is done by
      // the doer its event phrase names.
      if args.sources.isEmpty, p.code.quadClass == 4 {
        for c in tree.children[i] where tree.baseRelation(c) == "obl" && tree.caseWord(c) == "in" {
          guard tree.upos(c) == "VERB" || tree.formIs(c, WordClass.eventNoun) else { continue }
          // (An event phrase naming its own target, "a strike on X", is that act, reported once.)
          if roleWords(c).contains(where: { !tree.parties(at: $0).isEmpty }) || !placeTargets([c]).isEmpty { break }
          var doers: [Int] = []
          for m in tree.children[c] where ["amod", "compound", "nmod:poss"].contains(tree.relation(m)) {
            for a in tree.parties(of: m) where !doers.contains(a) { doers.append(a) }
          }
          if !doers.isEmpty {
            args.sources = doers
            break
          }
        }
      }
      // "X was set ablaze after being hit by Y": a gerund passive introduced by a subordinator,
      // with no subject of its own, is done to the subject of the clause it hangs on (or to that
      // subject's place).
      if tree.child(i, ["nsubj:pass"]) == nil, tree.relation(i) == "advcl", tree.child(i, ["mark"]) != nil,
        tree.child(i, ["aux:pass"]).map({ tree.form($0) == "being" }) == true,
        let h = tree.head(i), let patient = tree.child(h, ["nsubj:pass", "nsubj"]), patient != p.eventNoun
      {
        var found = tree.parties(at: patient, speaker: speaker)
        if found.isEmpty, tree.tables.lexicon.frames.placeTargetRoots.contains(p.code.root) {
          found = placeTargets([patient])
        }
        args.targets = found.filter { !args.sources.contains($0) }
        if !args.targets.isEmpty { args.hasObject = true }
      }
      if let patient = tree.child(i, ["nsubj:pass"]), patient != p.eventNoun {
        args.targets = tree.parties(at: patient, speaker: speaker)
        args.hasObject = true
        // "X was granted a meeting with Y": with no agent, the one who receives a mutual act
        // takes part in it with the party of its role phrase.
        if args.sources.isEmpty, tree.tables.lexicon.frames.mutualRoots.contains(p.code.root), let n = p.eventNoun,
          case let partners = roleWords(n).flatMap({ tree.parties(at: $0) }).filter({ !args.targets.contains($0) }),
          !partners.isEmpty
        {
          args.sources = args.targets
          args.targets = partners
        }
      } else if tree.relation(i) == "acl", let h = tree.head(i) {
        // "the prisoners released by X": the noun the participle modifies is its patient.
        args.targets = tree.parties(at: h)
        args.hasObject = true
      }
    } else if let s = subject(of: i) {
      args.sources = tree.parties(at: s, speaker: speaker)
      // "both sides halted the fighting": the two sides act toward each other.
      if args.sources.count > 1, tree.namesBothSides(s) { args.mutual = true }
      // A list the parser split into several subjects ("A, B, and C met"): each one acts.
      if let v = tree.head(s), tree.relation(s) == "nsubj" {
        for other in tree.children(v, ["nsubj"]) where other != s {
          for a in tree.parties(at: other, speaker: speaker) where !args.sources.contains(a) { args.sources.append(a) }
        }
      }
    }
    // (Before the nearest subject: a doer named by kind is named, if not as a party.)
    if args.sources.isEmpty, let doer = unnamedDoer(of: p) { args.sources = [doer] }
    if args.sources.isEmpty, !tree.isPassive(i), let w = nearestSubjectBefore(i) {
      args.sources = tree.parties(at: w, speaker: speaker)
    }
    // "X and Y said they will ...": a plural pronoun stands for every speaker.
    if args.sources.count == 1, let s = subject(of: i), ["they", "we"].contains(tree.form(s)) {
      let speakers = speakers(of: i)
      if speakers.count > 1 { args.sources = speakers }
    }
    if args.targets.isEmpty {
      var options: [Int] = []
      if let n = p.eventNoun { options += roleWords(n) }
      options += tree.children(i, ["iobj"])
      let objects = tree.children(i, ["obj"]).filter { $0 != p.eventNoun }
      if !objects.isEmpty { args.hasObject = true }
      // "rejected a truce proposed by A, B and C": every agent of the participle describing an
      // object that names no party of its own.
      options += objects.filter { tree.parties(of: $0).isEmpty }.flatMap { o in
        tree.children(o, ["acl"]).filter { tree.xpos($0) == "VBN" }.flatMap { tree.children($0, ["obl:agent"]) }
      }
      options += objects
      options += roleWords(i)
      // The doer the object names ("rejected calls by X", "condemned abuses by X against Y":
      // X's), then the object's role phrases ("launched an air strike against X", "fired
      // missiles at X").
      options += tree.children(i, ["obj"]).flatMap { o in
        tree.children(o, ["nmod", "acl"]).filter { tree.caseWord($0) == "by" }
      }

      options += tree.children(i, ["obj"]).flatMap(roleWords)
      // "extradited the leader of the group to X": the parser hangs a role phrase after a long
      // object on the object's own "of" phrase; so it does on an amount's "in" phrase
      // ("provided $15 million in assistance to X").
      // (Not that phrase's own "of": "in the presence of X" names a witness.)
      options += tree.children(i, ["obj"]).flatMap { o in
        tree.children(o, ["nmod"]).flatMap { n -> [Int] in
          switch tree.caseWord(n) ?? "of" {
          case "of": return roleWords(n)
          case "in": return roleWords(n).filter { tree.caseWord($0) != "of" }
          default: return []
          }
        }
      }
      for o in options {
        let found = tree.parties(at: o, speaker: speaker)
        if !found.isEmpty {
          args.targets = found
          break
        }
      }
    }
    if args.targets.isEmpty, tree.tables.lexicon.frames.addressedRoots.contains(p.code.root) {
      // "demanded that X withdraw", "urged X to ...": aimed at the party that must act.
      for c in tree.children(i, ["ccomp", "xcomp"]) {
        let actor = tree.child(c, ["nsubj", "nsubj:pass"]) ?? tree.child(c, ["obj"])
        if let actor, case let found = tree.parties(at: actor).filter({ !args.sources.contains($0) }), !found.isEmpty {
          args.targets = found
          break
        }
      }
    }
    if args.targets.isEmpty, case .lightVerb(let n) = p.kind,
      let a = tree.party(inRolePhrasesOf: n), !args.sources.contains(a)
    {
      // "will not sign any deal granting X the islands": a party the event noun's
      // phrase is about (its modifiers are its doers: "the American demand").
      args.targets = [a]
    }
    if args.targets.isEmpty, p.sense?.objectWords != nil {
      // "claimed responsibility for the attack on X": a sense read from its object is aimed at
      // the party of the act its object is for.
      let finder = PredicateFinder(tree: tree)
      for o in tree.children(i, ["obj"]) {
        for n in tree.children(o, ["nmod"]) where tree.caseWord(n) == "for" && finder.nounCode(n) != nil {
          var found = tree.party(inRolePhrasesOf: n).map { [$0] } ?? []
          if found.isEmpty {
            let acts = tree.children(n, ["acl"])
            found = placeTargets([n] + acts + acts.flatMap { tree.children($0, ["obj"]) })
          }
          args.targets = found.filter { !args.sources.contains($0) }
          if !args.targets.isEmpty { break }
        }
      }
    }
    if args.targets.isEmpty {
      // "fired to scatter X": an act with no party of its own is aimed at whom its
      // purpose clause acts on.
      // (The parser may hang the purpose clause on the object: "fired shots to ...".)
      let purposes = tree.children(i, ["advcl"]) + tree.children(i, ["obj"]).flatMap { tree.children($0, ["acl"]) }
      for c in purposes where tree.children(c, ["mark"]).contains(where: { tree.form($0) == "to" }) {
        let found = tree.children(c, ["obj"]).flatMap { tree.parties(at: $0, speaker: speaker) }
          .filter { !args.sources.contains($0) }
        if !found.isEmpty {
          args.targets = found
          break
        }
      }
    }
    if args.targets.isEmpty, tree.tables.lexicon.frames.contentTargetRoots.contains(p.code.root) {
      // "opened an investigation into whether X's subsidies ...": the party what the act is
      // about names, in the event noun's phrase or the verb's object's.
      let objects = tree.children(i, ["obj"])
      args.targets = contentParty(
        in: ((p.eventNoun.map { [$0] } ?? []) + objects).flatMap { tree.children[$0] }, not: args.sources)
      // (The parser may hang the clause it is about on the verb: "opened an investigation into
      // whether ..." with "whether" marking a clause of "opened".)
      if args.targets.isEmpty {
        let about = tree.children[i].filter {
          !objects.contains($0) && !["nsubj", "nsubj:pass", "aux", "aux:pass", "punct"].contains(tree.relation($0))
        }
        args.targets = contentParty(in: about, not: args.sources)
      }
    }
    // (Not for a cooperative act two sides do together: where a truce is signed is a venue, not a
    // side; where two sides clash is the place fought over.)
    // ("arrived in X" is a visit to X's state: a code may be listed as well as a root.)
    if args.targets.isEmpty,
      tree.tables.lexicon.frames.placeTargetRoots.contains(p.code.root)
        || tree.tables.lexicon.frames.placeTargetRoots.contains(p.code.rawValue),
      !(p.sense?.symmetric == true && p.code.quadClass < 3)
    {
      // "imposed a curfew in X": the place may hang on the verb, the event noun or the object;
      // "captured X": the object may be the place.
      args.targets = placeTargets((p.eventNoun.map { [$0] } ?? []) + [i] + tree.children(i, ["obj"]))
      if args.targets.isEmpty {
        for o in tree.children(i, ["obj"]) {
          guard let m = tree.doc.mention(atToken: tree.token(o)),
            tree.doc.actors[m.actor].kind == .place,
            !args.sources.contains(m.actor)
          else { continue }
          args.targets = [m.actor]
          break
        }
      }
    }
    return args
  }

  /// An event noun's doer is its own modifier ("Israeli shelling", "Russia's invasion") or
  /// its "by" phrase; its target a role phrase ("of X", "against X", "with X").
  func readNoun(_ p: Predicate) -> Arguments {
    let n = p.word
    var args = Arguments()
    for c in tree.children[n] where ["amod", "nmod:poss", "compound"].contains(tree.relation(c)) {
      if let m = tree.doc.mention(atToken: tree.token(c)) {
        if !args.sources.contains(m.actor) { args.sources.append(m.actor) }
      } else if tree.relation(c) == "compound" {
        // The doer may modify the noun's own modifier: "Israeli tank shelling", "Russian drone strikes".
        for a in tree.parties(of: c) where !args.sources.contains(a) { args.sources.append(a) }
      }
    }
    if args.sources.isEmpty, let agent = tree.children[n].first(where: { tree.caseWord($0) == "by" }) {
      args.sources = tree.parties(at: agent)
    }
    if args.sources.isEmpty,
      let together = tree.children[n].first(where: {
        ["obl", "nmod"].contains(tree.baseRelation($0)) && tree.caseIs($0, WordClass.mutualCase)
      })
    {
      // "talks between X and Y": the parties named together act with each other (in a mutual
      // act: "mediation between X and Y" is aimed at both).
      let parties = tree.parties(at: together)
      if parties.count > 1, tree.tables.lexicon.frames.mutualRoots.contains(p.code.root),
        !tree.tables.lexicon.frames.intermediaryCodes.contains(p.code)
      {
        args.sources = parties
        args.mutual = true
        return args
      }
    }
    if args.sources.isEmpty, tree.tables.lexicon.frames.mutualRoots.contains(p.code.root), let k = tree.caseWord(n),
      tree.tables.lexicon.frames.settingCases.contains(k), var h = tree.head(n)
    {
      // "X said after talks with Y", "during a meeting with Y, X ...": a mutual act that sets the
      // scene of a clause is one its subject took part in (not so a one-sided act: "X resumed
      // talks after Y's withdrawal"). A phrase that only sets a time belongs to the clause even
      // when hung on the verb's object.
      var setting = tree.baseRelation(n) == "obl"
      if !setting, tree.baseRelation(n) == "nmod", tree.tables.lexicon.frames.temporalCases.contains(k),
        ["obj", "obl"].contains(tree.baseRelation(h)), let v = tree.head(h)
      {
        setting = true
        h = v
      }
      if setting, tree.upos(h) == "VERB", !tree.isPassive(h), let s = subject(of: h) {
        args.sources = tree.parties(at: s, speaker: speaker(of: h))
      }
    }
    // "X is ready for talks with Y": the doer of an act an adjective of a governor class takes
    // is that adjective's subject.
    if args.sources.isEmpty, tree.baseRelation(n) == "obl", let k = tree.caseWord(n), ["to", "for"].contains(k),
      let h = tree.head(n), tree.upos(h) == "ADJ",
      tree.tables.lexicon.frames.governors.values.contains(where: { $0.adjectives.contains(tree.lemma(h)) }),
      let s = subject(of: h)
    {
      args.sources = tree.parties(at: s, speaker: speaker(of: h))
    }
    for o in roleWords(n) where tree.caseWord(o) != "by" {
      let found = tree.parties(at: o).filter { !args.sources.contains($0) }
      if !found.isEmpty {
        args.targets = found
        break
      }
    }
    if args.targets.isEmpty, tree.tables.lexicon.frames.placeTargetRoots.contains(p.code.root) {
      var places = [n]
      if let h = tree.head(n), ["obl", "nmod"].contains(tree.baseRelation(n)) { places.append(h) }
      args.targets = placeTargets(places).filter { !args.sources.contains($0) }
    }
    return args
  }

  /// The first party of another side than `doers` named at or below `roots`, breadth first (a few
  /// levels and a few dozen words at most: the phrase may hold a long clause).
  func contentParty(in roots: [Int], not doers: [Int]) -> [Int] {
    let own = Set(doers.compactMap { tree.doc.actors[$0].affiliation })
    var frontier = roots
    var visited = 0
    for _ in 0..<5 {
      var next: [Int] = []
      for w in frontier where visited < 40 {
        visited += 1
        if tree.relation(w) != "punct",
          let a = tree.parties(of: w).first(where: {
            !doers.contains($0) && tree.doc.actors[$0].affiliation.map { !own.contains($0) } == true
          })
        {
          return [a]
        }
        next += tree.children[w]
      }
      frontier = next
    }
    return []
  }

  /// Role phrases of word `w` whose case word marks a target, in order.
  func roleWords(_ w: Int) -> [Int] {
    tree.children[w].filter { c in
      ["obl", "nmod"].contains(tree.baseRelation(c)) && tree.relation(c) != "obl:agent"
        && tree.caseIs(c, WordClass.targetCase)
    }
  }

  /// States of the places where force is used ("shelling in the east of X").
  func placeTargets(_ words: [Int]) -> [Int] {
    for w in words {
      for c in tree.children[w] where ["obl", "nmod"].contains(tree.baseRelation(c)) {
        guard tree.caseIs(c, WordClass.placeCase) else { continue }
        // "killed in Israeli tank fire": a group's phrase is no place.
        if tree.tables.lexicon.sectorOfNoun[tree.form(c)] != nil { continue }
        // (A place of no state names no target: "along the line of control".)
        let found = tree.places(at: c).filter { tree.doc.actors[$0].affiliation != nil }
        if !found.isEmpty { return found }
      }
    }
    return []
  }

  /// The subject of verb `i`, or of the verb it depends on when it has none of its own
  /// (control: "agreed to visit"; coordination: "met and agreed"; a relative clause's antecedent).
  func subject(of i: Int) -> Int? {
    var k = i
    for _ in 0..<5 {
      // A verb a complement depends on may be passive ("X is prepared to strike", "is expected
      // to attend"): its passive subject is the complement's doer.
      if let s = tree.child(k, k == i ? ["nsubj", "nsubj:outer"] : ["nsubj", "nsubj:outer", "nsubj:pass"]) {
        if tree.relation(k) == "acl:relcl", ["WDT", "WP"].contains(tree.xpos(s)),
          let h = tree.head(k)
        {
          return h
        }
        return s
      }
      guard let h = tree.head(k) else { return nearestPartyBefore(k) }
      switch tree.relation(k) {
      case "acl:relcl": return h
      case "acl":
        if tree.xpos(k) == "VBG" { return h }
        // "X reached a consensus to exchange ...": the infinitive of a governing noun that is
        // the clause's object is the clause subject's to do.
        guard tree.relation(h) == "obj", tree.children(k, ["mark"]).contains(where: { tree.form($0) == "to" }),
          tree.lemmaIs(h, WordClass.governorNoun),
          let v = tree.head(h)
        else { return nil }
        k = v
      // Object control: in "wants X to attack", "urged X to leave", X is the one who acts
      // (when the object names a party: "threatened today to" has none).
      case "xcomp" where tree.child(h, ["obj", "iobj"]).map { !tree.parties(at: $0).isEmpty } ?? false:
        return tree.child(h, ["obj", "iobj"])
      case "xcomp", "conj", "advcl": k = h
      // A misattached verb hangs off its subject ("X on Monday rejected ...").
      case "advcl:relcl", "appos", "parataxis", "dep":
        return ["NOUN", "PROPN"].contains(tree.upos(h)) && h < k ? h : nearestPartyBefore(k)
      default: return nil
      }
    }
    return nil
  }

  /// A subject the parse missed: the nearest party before the verb, or before the verb that
  /// controls it ("X, seeking to mend ties" when "seeking" hangs off the wrong word).
  func nearestSubjectBefore(_ i: Int) -> Int? {
    var k = i
    for _ in 0..<4 {
      if let w = nearestPartyBefore(k) { return w }
      guard ["xcomp", "conj"].contains(tree.relation(k)), let h = tree.head(k), h < k else { return nil }
      k = h
    }
    return nil
  }

  /// When the parse gives a verb no subject, the nearest phrase before it in its clause that
  /// names a party, if no other verb stands between them.
  func nearestPartyBefore(_ k: Int) -> Int? {
    var w = k - 1
    while w >= 0 {
      // A colon ends the clause too: a dateline ("CITY, Region:") is no subject.
      if tree.upos(w) == "VERB" || tree.relation(w) == "mark" || [";", ":"].contains(tree.form(w)) { return nil }
      if ["NOUN", "PROPN"].contains(tree.upos(w)), !tree.parties(of: w).isEmpty,
        !["obl", "nmod", "obl:tmod", "obl:unmarked"].contains(tree.relation(w))
      {
        return w
      }
      w -= 1
    }
    return nil
  }

  /// The parties whose speech a clause reports ("X and Y said they would ..."), for its
  /// pronouns: through complements, and through coordinated clauses of the reported speech.
  func speakers(of i: Int) -> [Int] {
    var k = i
    for _ in 0..<4 {
      guard let h = tree.head(k), ["ccomp", "parataxis", "xcomp", "conj"].contains(tree.relation(k)) else {
        return []
      }
      if tree.relation(k) != "conj",
        tree.isSaying(h),
        let s = subject(of: h)
      {
        return tree.parties(at: s)
      }
      k = h
    }
    return []
  }

  /// The first speaker, for a singular pronoun.
  func speaker(of i: Int) -> Int? { speakers(of: i).first }
}
