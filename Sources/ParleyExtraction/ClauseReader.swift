import ParleyKnowledge
import ParleyModel
import ParleySyntax
import ParleyText

/// Reads events from the dependency parse of a sentence: a verb from the lexicon is the
/// predicate, its subject the source (the agent of a passive; the subject of the governing verb
/// when the verb has none, as in "X agreed to visit Y"), its object or a role phrase ("with",
/// "to", "against", ...) the target; coordination gives one event per pair; negation, governing
/// verbs and auxiliaries recode or drop the event ("will visit" is an intent to meet, "threatened
/// to strike" a threat, "if they attack" nothing).
///
/// The surface patterns of `EventCoder` came first; this reader codes the sentences they leave
/// without an event, and is the base the coder is being rebuilt on.
struct ClauseReader {
  let lexicon: EventLexicon
  let doc: AnnotatedDocument
  let sentence: SyntaxSentence
  let sentenceIndex: Int
  /// Dependents of every word, in order (indices into `sentence.words`).
  let children: [[Int]]

  init?(lexicon: EventLexicon, doc: AnnotatedDocument, sentence s: Int) {
    guard s < doc.syntax.count, doc.syntax[s].sentence == s else { return nil }
    self.lexicon = lexicon
    self.doc = doc
    sentence = doc.syntax[s]
    sentenceIndex = s
    var kids = [[Int]](repeating: [], count: sentence.words.count)
    for i in sentence.words.indices {
      if let h = sentence.head(of: i), h < kids.count { kids[h].append(i) }
    }
    children = kids
  }

  func relation(_ i: Int) -> String { sentence.words[i].analysis.relation }
  func lemma(_ i: Int) -> String { sentence.words[i].analysis.lemma.lowercased() }
  func child(_ i: Int, _ relations: Set<String>) -> Int? { children[i].first { relations.contains(relation($0)) } }

  /// The case word of a nominal ("with", "to"), lowercased.
  func caseWord(_ i: Int) -> String? { child(i, ["case"]).map { sentence.words[$0].form.lowercased() } }

  /// Candidates for every verb of the lexicon in the sentence, and for event nouns that are the
  /// object of a verb ("renewed negotiations", "launched a mediation effort"). A governing verb
  /// gives way to the act it governs ("agreed to provide aid" is the intent to give aid, not a
  /// bare agreement).
  func candidates() -> [EventCoder.Candidate] {
    var byWord: [(word: Int, found: [EventCoder.Candidate])] = []
    for i in sentence.words.indices where sentence.words[i].analysis.upos == "VERB" {
      var found = read(predicate: i)
      if found.isEmpty { found = readEventObject(of: i) }
      if !found.isEmpty { byWord.append((i, found)) }
    }
    let coded = Set(byWord.map(\.word))
    var out: [EventCoder.Candidate] = []
    for (i, found) in byWord {
      let governsCodedAct = children[i].contains { relation($0) == "xcomp" && coded.contains($0) }
      if !governsCodedAct { out.append(contentsOf: found) }
    }
    return out
  }

  /// An event noun as the object of verb `i`: the noun gives the code, the verb's subject the
  /// source, a role phrase of the noun or the verb the target.
  func readEventObject(of i: Int) -> [EventCoder.Candidate] {
    guard let o = child(i, ["obj"]) else { return [] }
    let form = sentence.words[o].form.lowercased()
    // "war games": the words before the head must be its compound or modifier dependents.
    let before = children[o].filter { $0 < o && ["compound", "amod"].contains(relation($0)) }.map {
      sentence.words[$0].form.lowercased()
    }
    guard
      let noun = lexicon.nouns[form]?.first(where: { p in
        p.tokens.count == 1 || Array(p.tokens.dropLast()) == Array(before.suffix(p.tokens.count - 1))
      })
    else { return [] }
    if children[i].contains(where: { relation($0) == "advmod" && lexicon.negations.contains(lemma($0)) }) { return [] }
    if isHypothetical(i) { return [] }
    var code = noun.code
    if children[i].contains(where: {
      relation($0) == "aux" && lexicon.frames.auxiliaries.contains(sentence.words[$0].form.lowercased())
    }) {
      code = lexicon.frames.intentCodes[code.root] ?? code
    }
    var targetWord: Int?
    for c in children[o] + children[i] where ["nmod", "obl"].contains(relation(c)) {
      if let k = caseWord(c), lexicon.targetPrepositions.contains(k) {
        targetWord = c
        break
      }
    }
    guard let source = subject(of: i) else { return [] }
    let token = sentence.words[o].token
    let trigger = EventCoder.Trigger(
      start: token, end: token + 1, code: code, speech: false, symmetric: code.root == "04", noun: true, verb: nil)
    return pairs(sources: actors(at: source), targets: targetWord.map(actors(at:)) ?? [], code: code, trigger: trigger)
  }

  /// One candidate per source and target. Coordinated parties with no other target that meet,
  /// cooperate or intend to ("X and Y renewed negotiations") act with each other.
  func pairs(sources: [Int], targets: [Int], code: CAMEOCode, trigger: EventCoder.Trigger) -> [EventCoder.Candidate] {
    var out: [EventCoder.Candidate] = []
    let mutual = targets.isEmpty && sources.count > 1 && lexicon.frames.mutualRoots.contains(code.root)
    for s in sources {
      if mutual {
        for t in sources where t != s {
          out.append(EventCoder.Candidate(code: code, source: s, target: t, sentence: sentenceIndex, trigger: trigger))
        }
      } else if targets.isEmpty {
        out.append(EventCoder.Candidate(code: code, source: s, target: nil, sentence: sentenceIndex, trigger: trigger))
      }
      for t in targets where t != s {
        out.append(EventCoder.Candidate(code: code, source: s, target: t, sentence: sentenceIndex, trigger: trigger))
      }
    }
    return out
  }

  /// The lexicon pattern for verb `i`: one whose required following word is a particle or a
  /// role phrase's preposition of the verb, else one that requires none.
  func pattern(_ i: Int) -> EventLexicon.VerbPattern? {
    guard let patterns = lexicon.verbsByLemma[lemma(i)] else { return nil }
    var following: Set<String> = []
    for c in children[i] {
      switch relation(c) {
      case "compound:prt": following.insert(sentence.words[c].form.lowercased())
      case "obl", "obl:agent", "obj", "iobj", "advmod", "xcomp", "ccomp":
        if let k = caseWord(c) { following.insert(k) }
        // "agreed to provide": the complement's "to" is what the pattern asks for.
        if let m = child(c, ["mark"]) { following.insert(sentence.words[m].form.lowercased()) }
        following.insert(sentence.words[c].form.lowercased())
      default: break
      }
    }
    if let matched = patterns.first(where: { p in p.then.contains { alt in alt.first.map(following.contains) ?? false }
    }) {
      return matched
    }
    return patterns.first { $0.then.isEmpty }
  }

  func read(predicate i: Int) -> [EventCoder.Candidate] {
    guard let p = pattern(i), !p.speech else { return [] }
    var code = p.code
    if isHypothetical(i) { return [] }
    if children[i].contains(where: { relation($0) == "advmod" && lexicon.negations.contains(lemma($0)) }) {
      guard let negated = p.negated else { return [] }
      code = negated
    }
    // Governing verbs and auxiliaries.
    if relation(i) == "xcomp", let h = sentence.head(of: i) {
      let governor = lemma(h)
      if lexicon.frames.threatGovernors.contains(governor) {
        code = lexicon.frames.threatCodes[code.root] ?? lexicon.frames.defaultThreat ?? code
      } else if lexicon.frames.intentGovernors.contains(governor) {
        code = lexicon.frames.intentCodes[code.root] ?? code
      }
      if children[h].contains(where: { relation($0) == "advmod" && lexicon.negations.contains(lemma($0)) }) {
        return []
      }
    } else if children[i].contains(where: {
      relation($0) == "aux" && lexicon.frames.auxiliaries.contains(sentence.words[$0].form.lowercased())
    }) {
      code = lexicon.frames.intentCodes[code.root] ?? code
    }
    let passive = child(i, ["nsubj:pass"])
    let sourceWords: [Int]
    var targetWords: [Int] = []
    if let passive {
      sourceWords = child(i, ["obl:agent"]).map { [$0] } ?? []
      targetWords = [passive]
    } else {
      sourceWords = subject(of: i).map { [$0] } ?? []
    }
    if targetWords.isEmpty, let t = target(of: i) { targetWords = [t] }
    let sources = sourceWords.flatMap(actors(at:))
    let targets = targetWords.flatMap(actors(at:))
    guard !sources.isEmpty else { return [] }
    let object = child(i, ["obj"])
    if !p.needsObjectWord.isEmpty {
      // "gave X aid": the object phrase must hold one of the pattern's words.
      let words = object.map { o in [o] + children[o].flatMap { [$0] + children[$0] } } ?? []
      guard words.contains(where: { p.needsObjectWord.contains(sentence.words[$0].form.lowercased()) }) else {
        return []
      }
    }
    // A target the lexicon requires may be a patient that names no party ("attacked villages").
    if p.needsTarget && targets.isEmpty && object == nil { return [] }
    let token = sentence.words[i].token
    let trigger = EventCoder.Trigger(
      start: token, end: token + 1, code: code, speech: false, symmetric: p.symmetric, noun: false, verb: p)
    return pairs(sources: sources, targets: targets, code: code, trigger: trigger)
  }

  /// A clause that only might happen: under "if"/"unless", or with "may", "might", "could".
  func isHypothetical(_ i: Int) -> Bool {
    if let mark = child(i, ["mark"]), lexicon.frames.hypotheticalMarks.contains(lemma(mark)) { return true }
    return children[i].contains {
      relation($0) == "aux" && lexicon.hypothetical.contains(sentence.words[$0].form.lowercased())
    }
  }

  /// The subject of verb `i`, or of the verb it depends on when it has none of its own
  /// (control: "agreed to visit"; coordination: "met and agreed"; a relative clause's antecedent).
  func subject(of i: Int) -> Int? {
    var k = i
    for _ in 0..<4 {
      if let s = child(k, ["nsubj", "nsubj:outer"]) { return s }
      guard let h = sentence.head(of: k) else { return nil }
      switch relation(k) {
      case "acl:relcl", "acl": return h
      case "xcomp", "conj", "advcl": k = h
      default: return nil
      }
    }
    return nil
  }

  /// The target of verb `i`: the first of its indirect object, object, or a role phrase whose
  /// preposition the lexicon lists ("with", "to", "against", ...) that names a party; else the
  /// object, which may name none.
  func target(of i: Int) -> Int? {
    var options = children[i].filter { relation($0) == "iobj" } + children[i].filter { relation($0) == "obj" }
    for c in children[i] where relation(c) == "obl" {
      if let k = caseWord(c), lexicon.targetPrepositions.contains(k) { options.append(c) }
    }
    return options.first { !actors(at: $0).isEmpty } ?? options.first
  }

  /// The actors a noun phrase headed by word `w` names: the mention at the head, else one in
  /// its name parts and modifiers ("Israeli tanks", "the government of X"), for each conjunct.
  func actors(at w: Int) -> [Int] {
    var out: [Int] = []
    for head in [w] + conjuncts(of: w) {
      var found = actors(of: head)
      if found.isEmpty, let a = actor(inRolePhrasesOf: head) { found = [a] }
      for a in found where !out.contains(a) { out.append(a) }
    }
    return out
  }

  /// A party named inside a phrase rather than as its head: "aid to refugees in X", "talks
  /// with the delegation of Y" (role phrases two levels down at most).
  func actor(inRolePhrasesOf w: Int, depth: Int = 2) -> Int? {
    guard depth > 0 else { return nil }
    for c in children[w] where relation(c) == "nmod" {
      guard let k = caseWord(c), lexicon.targetPrepositions.contains(k) || lexicon.locationPrepositions.contains(k)
      else { continue }
      if let a = actor(of: c) ?? actor(inRolePhrasesOf: c, depth: depth - 1) { return a }
    }
    return nil
  }

  func conjuncts(of w: Int) -> [Int] {
    var out: [Int] = []
    var frontier = [w]
    while let k = frontier.popLast(), out.count < 8 {
      for c in children[k] where relation(c) == "conj" {
        out.append(c)
        frontier.append(c)
      }
    }
    return out
  }

  /// The actor a nominal names: its own mention, else those of its name parts and modifiers,
  /// coordinated modifiers included ("French and Egyptian warships" names both).
  func actors(of w: Int) -> [Int] {
    if let m = doc.mention(atToken: sentence.words[w].token) { return [m.actor] }
    var out: [Int] = []
    for c in children[w] {
      switch relation(c) {
      case "compound", "flat", "amod", "nmod:poss", "nmod", "appos":
        var parts = [c] + children[c].filter { relation($0) == "conj" }
        // "the government of Prime Minister X": one level further down.
        parts += children[c].filter { ["flat", "compound", "appos"].contains(relation($0)) }
        for k in parts {
          if let m = doc.mention(atToken: sentence.words[k].token), !out.contains(m.actor) { out.append(m.actor) }
        }
        if !out.isEmpty { return out }
      default: continue
      }
    }
    return out
  }

  func actor(of w: Int) -> Int? { actors(of: w).first }
}
