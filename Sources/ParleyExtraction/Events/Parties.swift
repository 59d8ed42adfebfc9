import ParleyModel

/// Which parties a noun phrase names, read over the tree: the mention at its head, else one
/// among its name parts and modifiers ("Israeli tanks", "the government of X"), for every
/// conjunct; a pronoun stands for the party named earlier.
extension SentenceTree {
  /// The parties of the phrase headed by `w` and of the phrases coordinated with it.
  func parties(at w: Int, speaker: Int? = nil) -> [Int] {
    var out: [Int] = []
    for head in [w] + conjuncts(of: w) {
      var found = parties(of: head)
      if found.isEmpty, let a = party(inRolePhrasesOf: head) { found = [a] }
      if found.isEmpty, refersToBothSides(head) { found = sides }
      if found.isEmpty { found = twoStates(head, speaker: speaker) }
      if found.isEmpty, let a = pronounReferent(head, speaker: speaker) { found = [a] }
      if found.isEmpty, let a = possessorReferent(head, speaker: speaker) { found = [a] }
      // "the army's air force": a definite group possessor stands for the group named last.
      if found.isEmpty,
        let a = children(head, ["nmod:poss"]).lazy.filter({
          self.upos($0) == "NOUN" && self.formIs($0, WordClass.sectorNoun)
        }).compactMap({ self.pronounReferent($0, speaker: speaker) }).first
      {
        found = [a]
      }
      if found.isEmpty, namesBothSides(head) { found = sides }
      if found.isEmpty, let a = placedAuthority(head) { found = [a] }
      if found.isEmpty, let a = placedMember(head) { found = [a] }
      // States in apposition are a list, not one state renamed ("the US, Russia, and X"); the
      // parser chains such a list ("A, B, C and D": B under A, C under B, D C's conjunct).
      if found.count == 1, doc.actors[found[0]].kind == .country {
        var chain = children(head, ["appos"])
        var seen = 0
        while seen < chain.count, seen < 12 {
          let c = chain[seen]
          seen += 1
          let more = parties(of: c).filter { doc.actors[$0].kind == .country }
          guard more.count == 1 else { continue }
          found += more
          chain += children(c, ["appos"]) + conjuncts(of: c)
        }
      }
      for a in found where !out.contains(a) { out.append(a) }
    }
    return out
  }

  /// "the authorities in X", "officials in Y": people of a state sector named by their kind and
  /// placed by a membership phrase are that place's state's (the place itself where the text
  /// names no country of it).
  func placedMember(_ w: Int) -> Int? {
    guard upos(w) == "NOUN", formIs(w, WordClass.sectorNoun), let sector = tables.lexicon.sectorOfNoun[form(w)],
      !tables.lexicon.partySectors.contains(sector)
    else { return nil }
    var phrases = children[w].filter { relation($0) == "nmod" && caseIs($0, WordClass.membershipCase) }
    // Or right after it, where the parser hung the phrase on the verb ("met officials in X").
    // (Read from the word after the noun, not from the verb's dependents: a long sentence can
    // hang many nouns on one verb.)
    if w + 1 < sentence.words.count, relation(w + 1) == "case", let c = head(w + 1), c > w + 1, head(c) == head(w),
      baseRelation(c) == "obl", caseIs(c, WordClass.membershipCase)
    {
      phrases.append(c)
    }
    for c in phrases {
      for a in parties(of: c) where [.country, .place].contains(doc.actors[a].kind) {
        guard doc.actors[a].affiliation != nil else { continue }
        return doc.country(of: doc.actors[a].affiliation) ?? a
      }
    }
    return nil
  }

  /// "Police fired tear gas in X": an authority of a state sector that acts at home (police,
  /// courts: `sentence_state` in sectors.json), named by its kind alone, is that of the one state
  /// its sentence names as the place where things happen.
  func placedAuthority(_ w: Int) -> Int? {
    guard upos(w) == "NOUN", formIs(w, WordClass.sectorNoun), let sector = tables.lexicon.sectorOfNoun[form(w)],
      tables.lexicon.sentenceStateSectors.contains(sector), !tables.lexicon.partySectors.contains(sector)
    else { return nil }
    // (Once per sentence: it reads every mention of the sentence, and a long one may name many
    // police.)
    if placedStateOfSentence == nil {
      let place = GroupActors(lexicon: tables.lexicon).placedState(inSentence: sentence.sentence, doc: doc)
      let state = place.flatMap { doc.actors[$0].affiliation }
      placedStateOfSentence = .some(
        place.map { p in doc.country(of: state) ?? p })
    }
    return placedStateOfSentence ?? nil
  }

  /// "both sides", "the two parties": a noun that stands for the two sides of the last act
  /// between two sides.
  func namesBothSides(_ w: Int) -> Bool {
    upos(w) == "NOUN" && tables.lexicon.frames.sidesNouns.contains(lemma(w))
      && (children[w].contains { tables.lexicon.frames.sidesModifiers.contains(form($0)) }
        || (xpos(w) == "NNS" && isBareDefinite(w)))
  }

  /// "remained in contact with both sides and urged them to": a plural object pronoun after
  /// "both sides" in its sentence (a few words back at most) stands for the sides.
  func refersToBothSides(_ w: Int) -> Bool {
    guard !sides.isEmpty, upos(w) == "PRON", ["obj", "iobj"].contains(relation(w)),
      tables.lexicon.frames.pluralPronouns.contains(lemma(w))
    else { return false }
    return stride(from: w - 1, through: max(0, w - 15), by: -1).contains { namesBothSides($0) }
  }

  /// The party of a subject's possessive determiner ("its troops", "their forces"): the party
  /// the pronoun would stand for. Elsewhere in a clause a possessive most often refers back to
  /// the clause's own doer ("X withdrew its troops from Y", "asked Y to accept limits on its
  /// army"), so it names no other party there. Phrases that name a party never get here.
  func possessorReferent(_ w: Int, speaker: Int?) -> Int? {
    guard ["NOUN", "PROPN"].contains(upos(w)) else { return nil }
    var phrase = w
    while relation(phrase) == "conj", let h = head(phrase) { phrase = h }
    guard ["nsubj", "nsubj:pass"].contains(relation(phrase)) else { return nil }
    for c in children[w] where relation(c) == "nmod:poss" && upos(c) == "PRON" {
      guard let pronoun = tables.lexicon.frames.possessivePronouns[form(c)] else { continue }
      return referent(ofPronoun: pronoun, at: c, speaker: speaker)
    }
    return nil
  }

  /// A pronoun's party: in reported speech the speaker ("X said it would ..."), else the
  /// subject of the previous sentence.
  func pronounReferent(_ w: Int, speaker: Int?) -> Int? {
    if upos(w) == "NOUN", formIs(w, WordClass.stateNoun) { return stateReferent(w, speaker: speaker) }
    if upos(w) == "NOUN", formIs(w, WordClass.groupNoun) { return lastGroup(w) }
    if upos(w) == "NOUN", formIs(w, WordClass.sectorNoun), let sector = tables.lexicon.sectorOfNoun[form(w)],
      tables.lexicon.frames.definiteGroupSectors.contains(sector)
    {
      return groupReferent(
        w, sector: sector, state: (speaker ?? previousSubject).flatMap { doc.actors[$0].affiliation })
    }
    // Object forms ("him", "them") are their subject forms' lemmas.
    guard upos(w) == "PRON", lemmaIs(w, WordClass.pronoun) || formIs(w, WordClass.pronoun) else { return nil }
    // A relative pronoun stands for the noun its clause describes ("X, which he accused"), never
    // for a party of another sentence, even where the parser missed the relative clause.
    if ["WDT", "WP"].contains(xpos(w)) {
      var antecedent: Int?
      if let v = head(w), ["acl:relcl", "advcl:relcl"].contains(relation(v)), let h = head(v),
        ["NOUN", "PROPN"].contains(upos(h))
      {
        antecedent = h
      } else if w > 0 {
        // (A clause the parser hung elsewhere describes the noun just before the pronoun.)
        var k = w - 1
        while k > 0, w - k < 3, upos(k) == "PUNCT" { k -= 1 }
        if ["NOUN", "PROPN"].contains(upos(k)) { antecedent = k }
      }
      return antecedent.flatMap { parties(of: $0).first }
    }
    return referent(ofPronoun: lemma(w), at: w, speaker: speaker)
  }

  /// The parties a non-reflexive object pronoun cannot stand for: its own clause's subject
  /// ("X met Y and urged him": "him" is not X).
  func boundParties(ofObject w: Int) -> [Int] {
    guard ["obj", "iobj"].contains(relation(w)), var v = head(w) else { return [] }
    for _ in 0..<4 {
      if let s = child(v, ["nsubj"]) { return parties(of: s) }
      guard relation(v) == "conj", let h = head(v) else { return [] }
      v = h
    }
    return []
  }

  /// The party a personal pronoun at word `w` stands for.
  private func referent(ofPronoun pronoun: String, at w: Int, speaker: Int?) -> Int? {
    // "he" stands for a person, "it" for what is not one: a referent of the other kind gives
    // way to the nearest party before the pronoun that fits.
    let bound = boundParties(ofObject: w)
    let wantsPerson: Bool
    if tables.lexicon.frames.personPronouns.contains(pronoun) {
      wantsPerson = true
    } else if tables.lexicon.frames.thingPronouns.contains(pronoun) {
      wantsPerson = false
    } else if ["obj", "iobj"].contains(relation(w)) {
      // An object "them" stands for a group just named in its sentence, seldom for the earlier
      // subject: only "both sides" is read (`refersToBothSides`).
      return nil
    } else {
      return speaker ?? previousSubject
    }
    let fits = { (a: Int) in (self.doc.actors[a].kind == .person) == wantsPerson && !bound.contains(a) }
    if let a = speaker ?? previousSubject, fits(a) { return a }
    // (Bounded: a pronoun's antecedent is near, and sentences can be long.)
    let token = self.token(w)
    var k = token - 1
    while k >= max(0, token - 40), Int(doc.sentenceOfToken[k]) == sentence.sentence {
      if let m = doc.mention(atToken: k), m.isParticipant, fits(m.actor) { return m.actor }
      k -= 1
    }
    if wantsPerson, speaker == nil, let p = previousPerson, fits(p) { return p }
    return nil
  }

  /// "the two countries", "both nations": the last two states named before the phrase, in its
  /// sentence or the few before it (none when fewer than two are named), other than the
  /// speaker's ("X's president said the two countries had agreed": not X) or the clause's doer's.
  /// "The two leaders", "both presidents" (a noun of a state's authorities): the last two
  /// people named, of two states other than the speaker's.
  func twoStates(_ w: Int, speaker: Int?) -> [Int] {
    guard upos(w) == "NOUN", xpos(w) == "NNS",
      children[w].contains(where: { tables.lexicon.frames.sidesModifiers.contains(form($0)) })
    else { return [] }
    let kind: ActorKind
    if lemmaIs(w, WordClass.stateNoun) {
      kind = .country
    } else if let sector = tables.lexicon.sectorOfNoun[form(w)],
      tables.lexicon.domesticAuthoritySectors.contains(sector)
    {
      kind = .person
    } else {
      return []
    }
    // Nor the state of the clause's own doer: "X threatened to halt talks with both countries".
    var excluded = Set(speaker.flatMap { doc.actors[$0].affiliation }.map { [$0] } ?? [])
    var up = head(w)
    var steps = 0
    while let v = up, steps < 6 {
      if upos(v) == "VERB", let subject = child(v, ["nsubj"]) {
        excluded.formUnion(parties(of: subject).compactMap { doc.actors[$0].affiliation })
        break
      }
      up = head(v)
      steps += 1
    }
    var states: [Int] = []
    for m in mentionsBefore(w) {
      let a = doc.actors[m.actor]
      guard a.kind == kind, !states.contains(m.actor), let affiliation = a.affiliation,
        !states.contains(where: { doc.actors[$0].affiliation == affiliation }), !excluded.contains(affiliation)
      else { continue }
      states.append(m.actor)
      if states.count == 2 { return states.reversed() }
    }
    return []
  }

  /// "the group" with nothing else naming it: the non-state group named last, in its sentence
  /// before it or in the three before.
  func lastGroup(_ w: Int) -> Int? {
    guard isBareDefinite(w) else { return nil }
    return mentionsBefore(w).first {
      doc.actors[$0.actor].kind == .organization && isNonState(doc.actors[$0.actor])
    }?.actor
  }

  /// The mentions before word `w` in its sentence and the three before it, the nearest first
  /// (the look-back of "the group" and "the two countries", bounded to stay linear).
  func mentionsBefore(_ w: Int) -> some Sequence<ActorMention> {
    let token = self.token(w)
    return stride(from: sentence.sentence, through: max(0, sentence.sentence - 3), by: -1).lazy.flatMap {
      self.doc.mentions(inSentence: $0).reversed().lazy.filter { $0.tokens.upperBound <= token }
    }
  }

  /// "the country" with nothing else naming it: the state of the speaker, else of the previous
  /// subject (its country as the document names it).
  func stateReferent(_ w: Int, speaker: Int?) -> Int? {
    guard isBareDefinite(w), let a = speaker ?? previousSubject else { return nil }
    if doc.actors[a].kind == .country { return a }
    return doc.country(of: doc.actors[a].affiliation)
  }

  /// "the rebels" with nothing else naming them: of the groups named with that sector before
  /// them ("X rebels", or a group coded with the sector), the one named last, within a bounded
  /// window of earlier sentences (the look-back stays linear in the article); those of `state`
  /// (the speaker's or the previous subject's) before the others.
  func groupReferent(_ w: Int, sector: String, state: String? = nil) -> Int? {
    guard isBareDefinite(w) else { return nil }
    let token = self.token(w)
    let tokens = doc.text.tokens
    let window = stride(from: sentence.sentence, through: max(0, sentence.sentence - 40), by: -1)
    // An object is not its own clause's doer, nor the doer's group ("X commander Y accused the
    // army": not X).
    var own: Set<String> = []
    for a in boundParties(ofObject: w) {
      own.insert(doc.actors[a].id)
      if let g = doc.actors[a].group { own.insert(g) }
    }
    var groups: Set<Int> = []
    for s in window {
      for m in doc.mentions(inSentence: s) where m.tokens.upperBound <= token {
        // "X rebels", or a state's adjective before the noun ("the Congolese army"), or its
        // possessive a word or two before it ("X's military government").
        var after = [m.tokens.upperBound]
        if after[0] < token, ["'s", "’s"].contains(tokens[after[0]].lower) { after = [after[0] + 1, after[0] + 2] }
        let next = after.contains { $0 < token && tables.lexicon.sectorOfNoun[tokens[$0].lower] == sector }
        // A sector the knowledge base gives a group outranks its name's last word: an "... Army"
        // of rebels is not "the army".
        let named = doc.actors[m.actor].sector ?? tables.lexicon.sectorOfNoun[tokens[m.tokens.upperBound - 1].lower]
        if named == sector || next {
          if !own.contains(doc.actors[m.actor].id) { groups.insert(m.actor) }
        }
      }
    }
    guard !groups.isEmpty else { return nil }
    // "X's prime minister said ... a plan by the army": the speaker's own state's group first.
    if let state, groups.contains(where: { doc.actors[$0].affiliation == state }) {
      groups = groups.filter { doc.actors[$0].affiliation == state }
    }
    for s in window {
      if let m = doc.mentions(inSentence: s).last(where: { $0.tokens.upperBound <= token && groups.contains($0.actor) })
      {
        return m.actor
      }
    }
    return nil
  }

  /// Whether noun `w` is "the N" with nothing else naming it.
  func isBareDefinite(_ w: Int) -> Bool {
    let kids = children[w]
    // (A clause with its own marker names no kind of the noun: "accused the army of blocking
    // aid" is the accusation's content hung on the noun.)
    return kids.contains(where: { relation($0) == "det" && form($0) == "the" })
      && !kids.contains(where: {
        ["amod", "compound", "nmod", "nmod:poss", "appos", "acl:relcl"].contains(relation($0))
          || (relation($0) == "acl" && !children[$0].contains { relation($0) == "mark" && form($0) != "to" })
      })
  }

  /// A party named inside a phrase rather than as its head: "aid to refugees in X", "talks
  /// with the delegation of Y" (role phrases two levels down at most), or the agent of a
  /// participle describing it.
  func party(inRolePhrasesOf w: Int, depth: Int = 2) -> Int? {
    guard depth > 0 else { return nil }
    for c in children[w] where relation(c) == "nmod" {
      guard let k = caseWord(c), k == "of" || caseIs(c, WordClass.targetCase) else { continue }
      if let a = parties(of: c).first ?? party(inRolePhrasesOf: c, depth: depth - 1) { return a }
    }
    // "a probe of the raids carried out by X": the doer of the act the noun names; "any deal
    // granting X the islands": the party of what the noun does.
    for c in children[w] where relation(c) == "acl" {
      switch xpos(c) {
      case "VBN":
        for a in children[c] where relation(a) == "obl:agent" {
          if let p = parties(of: a).first { return p }
        }
      case "VBG":
        for o in children[c] where relation(o) == "obj" {
          if let p = parties(of: o).first { return p }
        }
      default: continue
      }
    }
    return nil
  }

  /// The parties a nominal names: its own mention, else those of its name parts and
  /// modifiers, coordinated modifiers included ("French and Egyptian warships" names both).
  func parties(of w: Int) -> [Int] {
    // (Asked of the same words by every argument read: answered once per word.)
    if partiesOfWord.isEmpty { partiesOfWord = [[Int]?](repeating: nil, count: sentence.words.count) }
    if let known = partiesOfWord[w] { return known }
    let found = computeParties(of: w)
    partiesOfWord[w] = found
    return found
  }

  private func computeParties(of w: Int) -> [Int] {
    let token = self.token(w)
    // (Several groups may share one word: "US and British activists".)
    let here = doc.mentions(inSentence: sentence.sentence).filter { $0.tokens.contains(token) }.map(\.actor)
    if !here.isEmpty { return here }
    var out: [Int] = []
    for c in children[w] {
      switch relation(c) {
      case "compound", "flat", "amod", "nmod:poss", "nmod", "appos":
        if relation(c) == "nmod", let k = caseWord(c), k != "of" { continue }
        var parts = [c] + children[c].filter { relation($0) == "conj" }
        // "the government of Prime Minister X": one level further down.
        parts += children[c].filter { ["flat", "compound", "appos"].contains(relation($0)) }
        for k in parts {
          if let m = doc.mention(atToken: self.token(k)), !out.contains(m.actor) { out.append(m.actor) }
        }
        // "the government of X and the Y rebel group": a conjunct named by its own modifiers.
        if !out.isEmpty {
          for j in children[c] where relation(j) == "conj" && doc.mention(atToken: self.token(j)) == nil {
            for a in parties(of: j) where !out.contains(a) { out.append(a) }
          }
          return out
        }
      default: continue
      }
    }
    // An institution or group placed in a state names it: "a court in X", "activists from Y".
    if out.isEmpty, upos(w) == "NOUN", !formIs(w, WordClass.eventNoun) {
      for c in children[w] where relation(c) == "nmod" {
        guard caseIs(c, WordClass.membershipCase) else { continue }
        if let m = doc.mention(atToken: self.token(c)) {
          // "delegations from X and Y": each state of the list.
          var placed = [m.actor]
          for j in children[c] where relation(j) == "conj" {
            if let n = doc.mention(atToken: self.token(j)), !placed.contains(n.actor) { placed.append(n.actor) }
          }
          return placed
        }
        if let a = parties(of: c).first { return [a] }
      }
    }
    // A premodifier the parser attached oddly ("Hezbollah" tagged as an interjection) still
    // names the phrase's party when it stands right before the head.
    var k = w - 1
    while k >= 0, tree(k, isPremodifierOf: w) {
      if let m = doc.mention(atToken: self.token(k)), !out.contains(m.actor) { out.append(m.actor) }
      k -= 1
    }
    return out
  }

  func tree(_ k: Int, isPremodifierOf w: Int) -> Bool {
    guard let h = head(k) else { return false }
    return (h == w || h > k) && h <= w + 1 && !["punct", "cc", "case", "mark", "det"].contains(relation(k))
      && !["VERB", "AUX", "ADP", "PUNCT", "CCONJ", "SCONJ"].contains(upos(k))
  }

  /// The parties of the place a phrase names ("in the east of X"): the state a place belongs to.
  func places(at w: Int) -> [Int] {
    var out: [Int] = []
    for head in [w] + conjuncts(of: w) {
      if let a = parties(of: head).first ?? party(inRolePhrasesOf: head) ?? enclosingPlace(of: head), !out.contains(a) {
        out.append(a)
      }
    }
    return out
  }

  /// The named place that contains a place phrase: "the town of C in southeastern X" is in X.
  func enclosingPlace(of w: Int, depth: Int = 3) -> Int? {
    guard depth > 0 else { return nil }
    for c in children[w] where relation(c) == "nmod" {
      guard let k = caseWord(c), k == "of" || caseIs(c, WordClass.placeCase) else { continue }
      if let m = doc.mention(atToken: self.token(c)) { return m.actor }
      if let a = enclosingPlace(of: c, depth: depth - 1) { return a }
    }
    return nil
  }
}
