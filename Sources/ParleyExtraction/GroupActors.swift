import ParleyKnowledge
import ParleyModel
import ParleySyntax

/// Names groups by their kind and their state, as a CAMEO coder reads them: "Sudanese rebels",
/// "students in X", "Kurdish activists" become actors of their own with the state's
/// affiliation and a sector (REB, CVL, ...), so that an act between a government and its own
/// rebels or students is an event. Groups of state sectors ("Russian troops") stand for their
/// state and are left to it. Reads the parse; runs after the actor recognizer.
public struct GroupActors: ExtractionComponent {
  let lexicon: CAMEOLexicon
  /// Words that make the name after them a people ("ethnic"), from the name lexicon.
  let ethnicCues: Set<String>

  /// The first words of the sector names of two or more words ("armed" of "armed groups"): a
  /// noun's modifier outside it names no sector with it, and the pair is not looked up.
  let pairFirsts: Set<String>

  public init(lexicon: CAMEOLexicon, ethnicCues: Set<String> = []) {
    self.lexicon = lexicon
    self.ethnicCues = ethnicCues
    pairFirsts = Set(lexicon.sectorOfNoun.keys.compactMap { key in key.firstIndex(of: " ").map { String(key[..<$0]) } })
  }

  public func process(_ doc: inout AnnotatedDocument) {
    // A person's role makes them a party of their own within their state, or not (a judge, an
    // opposition leader; a serving minister stands for the government).
    for a in doc.actors.indices where doc.actors[a].kind == .person && doc.actors[a].sector == nil {
      if let role = doc.actors[a].role, let sector = lexicon.sector(ofRole: role) { doc.actors[a].sector = sector }
    }
    var added: [ActorMention] = []
    for (s, sentence) in doc.syntax.enumerated() where sentence.sentence == s {
      // (The folded words' arrays, not `sentence.words`: reading a word there copied its strings.)
      let folded = doc.foldedWords[s]
      let children = folded.children
      for w in sentence.words.indices where folded.upos[w] == "NOUN" || folded.upos[w] == "PROPN" {
        // A noun modifying another names a group through it, or none ("opposition supporters",
        // "media freedom"): the head decides.
        if folded.relations[w] == "compound", let h = folded.heads[w], h > w,
          folded.upos[h] == "NOUN" || folded.upos[h] == "PROPN"
        {
          continue
        }
        // (The word itself is read only for a group: binding it copied its five strings.)
        guard let sector = sector(of: w, in: folded, raw: sentence, children: children),
          lexicon.partySectors.contains(sector),
          doc.mention(atToken: folded.tokens[w]) == nil,
          !namedByOrganization(w, in: folded, children: children, doc: doc),
          let (base, first) = state(of: w, sector: sector, in: folded, raw: sentence, children: children, doc: doc),
          let affiliation = doc.actors[base].affiliation
        else { continue }
        let word = sentence.words[w]
        // "US and British activists": a group of each coordinated state.
        var bases = [(state: base, affiliation: affiliation, word: first)]
        for c in children[first] where folded.relations[c] == "conj" && c < w {
          guard let m = doc.mention(atToken: folded.tokens[c]),
            [.country, .place].contains(doc.actors[m.actor].kind), let a = doc.actors[m.actor].affiliation,
            !bases.contains(where: { $0.affiliation == a })
          else { continue }
          bases.append((m.actor, a, c))
        }
        for (state, affiliation, modifier) in bases {
          // Each group is named by its own state's word ("British activists") when there are several.
          let name =
            bases.count == 1
            ? doc.sourceText(tokens: sentence.words[first].token..<(word.token + 1)).0
            : doc.sourceText(tokens: sentence.words[modifier].token..<(sentence.words[modifier].token + 1)).0 + " "
              + word.form
          let actor = doc.actor(
            id: "\(doc.actors[state].id)-\(sector.lowercased())", name: name, kind: .organization,
            affiliation: affiliation, role: nil, known: false, entity: nil)
          doc.actors[actor].sector = sector
          added.append(
            ActorMention(
              actor: actor, tokens: word.token..<(word.token + 1), sentence: s, isModifierDemonym: false,
              isParticipant: true))
        }
      }
    }
    placePeopleActedOnByAuthorities(&doc)
    guard !added.isEmpty else { return }
    doc.mentions += added
    doc.indexMentions()
  }

  /// "A X court convicted Y", "X's interior ministry banned the Y movement": a person or an
  /// organization the knowledge base does not know and nothing else places, whom a state's own
  /// authority (its government, police, courts) acts on, is that state's, as a group the text
  /// does not place would be.
  func placePeopleActedOnByAuthorities(_ doc: inout AnnotatedDocument) {
    for m in doc.mentions {
      let actor = doc.actors[m.actor]
      guard actor.kind == .person || actor.kind == .organization, !actor.known, actor.affiliation == nil,
        m.sentence < doc.syntax.count,
        doc.syntax[m.sentence].sentence == m.sentence
      else { continue }
      let folded = doc.foldedWords[m.sentence]
      // The name's words, found by halving (words are in token order; a scan of the sentence per
      // name would cost the square of a long sentence).
      var low = 0
      var high = folded.tokens.count
      while low < high {
        let mid = (low + high) / 2
        if folded.tokens[mid] < m.tokens.lowerBound { low = mid + 1 } else { high = mid }
      }
      var end = low
      while end < folded.tokens.count, m.tokens.contains(folded.tokens[end]) { end += 1 }
      // The name's head: its word whose head lies outside the name ("Lai" hangs on "Jimmy").
      guard
        let w = (low..<end).first(where: { i in
          !(folded.heads[i].map { m.tokens.contains(folded.tokens[$0]) } ?? false)
        }),
        let state = authorityState(
          actingOn: w, in: folded, raw: doc.syntax[m.sentence], children: folded.children, doc: doc),
        let affiliation = doc.actors[state].affiliation
      else { continue }
      doc.actors[m.actor].affiliation = affiliation
    }
  }

  /// Whether an organization's name modifies the noun ("the M23 rebel alliance"): the noun is
  /// that organization, not a group of the state a placing phrase names.
  /// (Its modifiers, and theirs once: "M23" hangs on "rebel" in "the M23 rebel alliance".)
  func namedByOrganization(_ w: Int, in folded: FoldedWords, children: Dependents, doc: AnnotatedDocument) -> Bool {
    let modifiers: [SyntaxLabel] = ["compound", "amod", "flat", "nmod:poss"]
    let names = { (c: Int) -> Bool in
      guard let m = doc.mention(atToken: folded.tokens[c]) else { return false }
      return doc.actors[m.actor].kind == .organization
    }
    return children[w].contains { c in
      c < w && modifiers.contains(folded.relations[c])
        && (names(c) || children[c].contains { $0 < c && modifiers.contains(folded.relations[$0]) && names($0) })
    }
  }

  /// The sector a noun names: its own ("rebels"), or that of a noun modifying it
  /// ("opposition candidates", "student leaders").
  /// (`folded`: the sentence's folded words; `raw`: the sentence as parsed, for the words as written.)
  func sector(of w: Int, in folded: FoldedWords, raw sentence: SyntaxSentence, children: Dependents) -> String? {
    // A name of two words ("armed groups", "riot police") before its head alone.
    if let m = children[w].last(where: { $0 == w - 1 }),
      folded.relations[m] == "amod" || folded.relations[m] == "compound", pairFirsts.contains(folded.forms[m]),
      let s = lexicon.sectorOfNoun[folded.forms[m] + " " + folded.forms[w]]
    {
      return s
    }
    let own = lexicon.sectorOfNoun[folded.forms[w]]
    // A non-state sector modifying a noun of people names their group ("opposition lawmakers",
    // "student leaders"), even a state's kind of people; modifying a thing, none ("media
    // freedom").
    if own != nil || ["NNS", "NNPS"].contains(folded.xpos[w]) || lexicon.personNouns.contains(folded.forms[w]) {
      for c in children[w] where c < w && folded.relations[c] == "compound" {
        if let s = lexicon.sectorOfNoun[folded.forms[c]], lexicon.partySectors.contains(s) {
          return s
        }
      }
    }
    if let own { return own }
    // A people named after a state ("ethnic Ruritanians") are civilians of wherever they live.
    if w > 0, ethnicCues.contains(folded.forms[w - 1]),
      sentence.words[w].form.first?.isUppercase ?? false
    {
      return lexicon.peopleSector
    }
    return nil
  }

  /// The state a group noun belongs to (an organization's own members are the organization): a modifier ("Sudanese", "Darfur",
  /// "Iran's") or a placing phrase ("in X", "from Y"), with the first word of the name.
  func state(
    of w: Int, sector: String, in folded: FoldedWords, raw sentence: SyntaxSentence, children: Dependents,
    doc: AnnotatedDocument
  ) -> (Int, Int)? {
    let relation = { (i: Int) in folded.relations[i] }
    for c in children[w] where ["amod", "compound", "nmod:poss", "flat"].contains(relation(c)) && c < w {
      if let m = doc.mention(atToken: folded.tokens[c]), [.country, .place].contains(doc.actors[m.actor].kind) {
        return (m.actor, c)
      }
    }
    for c in children[w] where relation(c) == "nmod" {
      guard let k = children[c].first(where: { relation($0) == "case" }),
        lexicon.frames.membershipCases.contains(folded.forms[k]),
        let m = doc.mention(atToken: folded.tokens[c]), [.country, .place].contains(doc.actors[m.actor].kind)
      else { continue }
      return (m.actor, w)
    }
    // A group of people the text does not place ("killing eight people") belongs to the one
    // state its sentence names as the place where things happen ("in X", "X's second city"), as
    // a coder reads it; with several states named, to none. A state named only as a doer
    // ("Israeli air strikes killed ten people") places no one: its victims are as often others.
    // (Armed groups are not placed so at all.)
    guard lexicon.sentenceStateSectors.contains(sector) else { return nil }
    // "the rebels" of a sector that refers back stands for the group named before (the coder
    // reads it so), not for a group of the place its sentence names.
    if lexicon.frames.definiteGroupSectors.contains(sector),
      children[w].contains(where: { relation($0) == "det" && folded.forms[$0] == "the" })
    {
      return nil
    }
    if let own = authorityState(actingOn: w, in: folded, raw: sentence, children: children, doc: doc) {
      return (own, w)
    }
    return placedState(inSentence: sentence.sentence, doc: doc).map { ($0, w) }
  }

  /// The one state sentence `s` names as the place where things happen ("in X", "X's second
  /// city"), as a country where it names one; nil when it names several, or none as a place.
  func placedState(inSentence s: Int, doc: AnnotatedDocument) -> Int? {
    let folded = doc.foldedWords[s]
    let children = folded.children
    var only: Int?
    var placed = false
    let wordOfToken = Dictionary(folded.tokens.indices.map { (folded.tokens[$0], $0) }, uniquingKeysWith: min)
    for m in doc.mentions(inSentence: s)
    where [.country, .place].contains(doc.actors[m.actor].kind) {
      guard let a = doc.actors[m.actor].affiliation else { continue }
      if let o = only, doc.actors[o].affiliation != a { return nil }
      if only == nil || doc.actors[m.actor].kind == .country { only = m.actor }
      if let k = wordOfToken[m.tokens.lowerBound], isPlace(k, in: folded, children: children) { placed = true }
    }
    return placed ? only : nil
  }

  /// The state of the authority ("Ruritanian police", "the court of X") whose clause acts on
  /// group word `w` as its object (or the passive subject with that authority as its agent): a
  /// state's police and courts act on its own people. Nil when the doer is no authority of a
  /// named state.
  func authorityState(
    actingOn w: Int, in folded: FoldedWords, raw sentence: SyntaxSentence, children: Dependents, doc: AnnotatedDocument
  ) -> Int? {
    let relation = { (i: Int) in folded.relations[i] }
    // Up from the group to the verb it is an argument of ("detained 50 members of the group").
    var arg = w
    // (A few steps: a long list climbed from each of its members would cost the square.)
    for _ in 0..<4 {
      guard ["nmod", "conj", "appos"].contains(relation(arg)), let h = folded.heads[arg] else { break }
      arg = h
    }
    guard ["obj", "obl", "nsubj:pass", "iobj"].contains(relation(arg)), var verb = folded.heads[arg] else {
      return nil
    }
    let doerRelations: [SyntaxLabel] = relation(arg) == "nsubj:pass" ? ["obl:agent", "obl"] : ["nsubj"]
    // A verb without a subject of its own takes its governor's ("fired shots to scatter them").
    for _ in 0..<3 where !children[verb].contains(where: { doerRelations.contains(relation($0)) }) {
      guard ["advcl", "xcomp", "conj"].contains(relation(verb)), let h = folded.heads[verb] else { break }
      verb = h
    }
    for d in children[verb] where doerRelations.contains(relation(d)) && d != arg {
      guard let sector = sector(of: d, in: folded, raw: sentence, children: children),
        lexicon.domesticAuthoritySectors.contains(sector)
      else { continue }
      for c in children[d] where ["amod", "compound", "nmod:poss", "nmod"].contains(relation(c)) {
        if let m = doc.mention(atToken: folded.tokens[c]), doc.actors[m.actor].kind == .country {
          return m.actor
        }
      }
    }
    return nil
  }

  /// Whether word `k` names where something happens: it, or the phrase it modifies (two levels
  /// up at most), is introduced by a case word of place ("in", "near", "of X's city").
  func isPlace(_ k: Int, in folded: FoldedWords, children: Dependents) -> Bool {
    var i = k
    for _ in 0..<3 {
      let cases = children[i].filter { folded.relations[$0] == "case" }.map { folded.forms[$0] }
      if cases.contains(where: { lexicon.frames.placeCases.contains($0) || lexicon.frames.membershipCases.contains($0) }
      ) {
        return true
      }
      guard let h = folded.heads[i] else { return false }
      i = h
    }
    return false
  }
}
