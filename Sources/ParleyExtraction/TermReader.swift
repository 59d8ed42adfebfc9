import ParleyKnowledge
import ParleyModel
import ParleySyntax
import ParleyText

/// The provision lexicon held by reference, shared by every sentence's reader.
final class ProvisionTables: Sendable {
  let lexicon: ProvisionLexicon
  /// Which of the lexicon's lemma tables hold a lemma (`LemmaClass` bits), for every lemma in
  /// any of them: one lookup per word tells every pass which tables to look it up in, where the
  /// passes hashed each word into each table.
  let lemmaClasses: [String: UInt8]

  /// Bits of `lemmaClasses`.
  enum LemmaClass {
    static let governing: UInt8 = 1
    static let containing: UInt8 = 2
    static let demandNoun: UInt8 = 4
    static let exchangeNoun: UInt8 = 8
    static let topic: UInt8 = 16
    static let proposal: UInt8 = 32
  }

  init(_ lexicon: ProvisionLexicon) {
    self.lexicon = lexicon
    var classes: [String: UInt8] = [:]
    for w in lexicon.governingVerbs.keys { classes[w, default: 0] |= LemmaClass.governing }
    for w in lexicon.containingVerbs { classes[w, default: 0] |= LemmaClass.containing }
    for w in lexicon.demandNouns { classes[w, default: 0] |= LemmaClass.demandNoun }
    for w in lexicon.exchangeNouns { classes[w, default: 0] |= LemmaClass.exchangeNoun }
    for w in lexicon.topicVerbs.keys { classes[w, default: 0] |= LemmaClass.topic }
    for w in lexicon.proposalNouns { classes[w, default: 0] |= LemmaClass.proposal }
    lemmaClasses = classes
  }
}

/// One parsed sentence read for the terms of a proposal it states: which tokens a demand,
/// requirement or proposal governs, who demands them and whom they bind. Built once per
/// sentence; every query is linear in its length. A class: it is passed down the provision
/// finder's calls, and copying its fourteen fields (arrays, sets, the lexicon) cost retains.
final class TermReader {
  let tables: ProvisionTables
  /// The lexicon, borrowed from `tables`: a copy would retain and release each of its tables.
  var lexicon: ProvisionLexicon { tables.lexicon }
  /// The token of every word, and its Penn tag (arrays: reading them from the parse's words
  /// copied each word, five strings).
  let tokenOfWord: [Int]
  let xpos: [SyntaxLabel]
  let heads: [Int?]
  let children: Dependents
  /// Relations and UPOS as labels: every pass compares them (integers, not strings).
  let relations: [SyntaxLabel]
  let lemmas: [String]
  let forms: [String]
  let upos: [SyntaxLabel]
  /// Distance of every word from the root of the sentence.
  let depths: [Int]
  /// First and last word of every word's subtree.
  let spans: [ClosedRange<Int>]
  /// The first word of every token of the sentence, by token index minus `firstToken`.
  let wordOfToken: [Int?]
  let firstToken: Int
  /// Tokens that name a proposal ("ceasefire" in "a ceasefire model") or the one who acts
  /// (an active subject): no cue of a term's category.
  let outsideContent: Set<Int>
  /// Whether each word's lemma is a proposal noun: asked of every word by several passes.
  let proposal: [Bool]
  /// The `ProvisionTables.LemmaClass` bits of each word's lemma.
  let lemmaClass: [UInt8]

  /// What a sentence states as terms.
  struct Terms {
    /// Tokens of the terms.
    var governed: Set<Int> = []
    /// Tokens of the phrase naming who demands or proposes, and of the one the terms bind.
    var demander: Range<Int>?
    var bound: Range<Int>?
    /// A demand or proposal whose terms may follow as a list ("demands that Ukraine:").
    var introducesList = false
    /// The sentence speaks of terms, so the next one in its paragraph may go on stating them.
    var statesTerms = false
  }

  init?(doc: AnnotatedDocument, sentence s: Int, tables: ProvisionTables) {
    guard s < doc.syntax.count, doc.syntax[s].sentence == s, !doc.syntax[s].words.isEmpty else { return nil }
    self.tables = tables
    let folded = doc.foldedWords[s]
    tokenOfWord = folded.tokens
    xpos = folded.xpos
    let n = folded.tokens.count
    heads = folded.heads
    relations = doc.foldedWords[s].relations
    lemmas = doc.foldedWords[s].lemmas
    forms = doc.foldedWords[s].forms
    upos = doc.foldedWords[s].upos
    let classes = tables.lemmaClasses
    let lemmaClass = doc.foldedWords[s].lemmas.map { classes[$0] ?? 0 }
    self.lemmaClass = lemmaClass
    proposal = lemmaClass.map { $0 & ProvisionTables.LemmaClass.proposal != 0 }
    // (One array for every word's dependents, not one per word.)
    let kids = folded.children
    var roots: [Int] = []
    for i in 0..<n where heads[i].map({ $0 >= n }) ?? true { roots.append(i) }
    children = kids
    // Depths and subtree spans in one walk from the roots (a pre-order, then its reverse).
    var depth = [Int](repeating: 0, count: n)
    var order: [Int] = []
    order.reserveCapacity(n)
    var stack = roots
    var visited = [Bool](repeating: false, count: n)
    while let w = stack.popLast() {
      guard !visited[w] else { continue }
      visited[w] = true
      order.append(w)
      for c in kids[w] where !visited[c] {
        depth[c] = depth[w] + 1
        stack.append(c)
      }
    }
    depths = depth
    var span = (0..<n).map { $0...$0 }
    for w in order.reversed() {
      if let h = heads[w], h < n, visited[h] {
        span[h] = min(span[h].lowerBound, span[w].lowerBound)...max(span[h].upperBound, span[w].upperBound)
      }
    }
    spans = span
    let first = doc.text.sentences[s].tokens.lowerBound
    firstToken = first
    var byToken = [Int?](repeating: nil, count: doc.text.sentences[s].tokens.count)
    for (i, token) in folded.tokens.enumerated().reversed() where token - first >= 0 && token - first < byToken.count {
      byToken[token - first] = i
    }
    wordOfToken = byToken
    var outside: Set<Int> = []
    for i in 0..<n {
      guard let h = heads[i] else { continue }
      if ["compound", "amod"].contains(relations[i]), proposal[h] {
        outside.insert(tokenOfWord[i])
      }
    }
    // Who acts is no content of the term: "Israeli troops pull back" is about pulling back.
    var actorSubjects: [ClosedRange<Int>] = []
    for i in 0..<n where relations[i] == "nsubj" {
      let mention = doc.mention(atToken: tokenOfWord[i])
      if upos[i] == "PROPN" || upos[i] == "PRON" || mention?.isParticipant == true { actorSubjects.append(span[i]) }
    }
    actorSubjects.sort { $0.lowerBound < $1.lowerBound }
    var reach = -1
    for r in actorSubjects {
      let lo = max(r.lowerBound, reach + 1)
      if lo <= r.upperBound { for w in lo...r.upperBound { outside.insert(tokenOfWord[w]) } }
      reach = max(reach, r.upperBound)
    }
    outsideContent = outside
  }

  // MARK: Reading the tree

  func child(_ i: Int, _ relation: SyntaxLabel) -> Int? { children[i].first { relations[$0] == relation } }
  func isSubject(_ i: Int) -> Bool { relations[i].hasPrefix("nsubj") || relations[i].hasPrefix("csubj") }
  /// The case or subordinating word of a phrase ("for" in "for a ceasefire").
  func caseWord(_ i: Int) -> String? {
    children[i].first { ["case", "mark"].contains(relations[$0]) }.map { forms[$0] }
  }
  func tokens(of span: ClosedRange<Int>) -> Range<Int> {
    tokenOfWord[span.lowerBound]..<(tokenOfWord[span.upperBound] + 1)
  }
  func hasAuxiliary(_ i: Int, in set: Set<String>) -> Bool {
    children[i].contains { relations[$0] == "aux" && set.contains(forms[$0]) }
  }
  func isNegated(_ i: Int) -> Bool {
    children[i].contains {
      ["advmod", "neg", "det"].contains(relations[$0]) && tables.lexicon.negations.contains(forms[$0])
    }
  }

  /// Under "if"/"unless" (within a few levels) or with "could"/"may": only might be demanded.
  func isHypothetical(_ i: Int) -> Bool {
    if hasAuxiliary(i, in: tables.lexicon.speculativeAuxiliaries) { return true }
    var w: Int? = i
    var steps = 0
    while let k = w, steps < 6 {
      if relations[k] == "advcl" || k == i,
        children[k].contains(where: { relations[$0] == "mark" && tables.lexicon.hypotheticalMarks.contains(forms[$0]) })
      {
        return true
      }
      w = heads[k]
      steps += 1
    }
    return false
  }

  /// The proposal or talks of word `p` only imagined: the subject of what would or could happen
  /// ("a full agreement covering X would take far longer").
  func isImagined(_ p: Int) -> Bool {
    guard isSubject(p), let v = heads[p] else { return false }
    return hasAuxiliary(v, in: tables.lexicon.imaginedAuxiliaries) || isHypothetical(v)
  }

  /// A proposal named by the phrase of word `i` ("the plan", "X's proposal", "it" in a
  /// sentence about one).
  func namesProposal(_ i: Int) -> Bool { proposal[i] }

  // MARK: Terms

  func read(continuing: Bool) -> Terms {
    var terms = Terms()
    var spansOut: [ClosedRange<Int>] = []
    var context = false
    let n = tokenOfWord.count
    func take(_ c: Int) { spansOut.append(spans[c]) }
    for i in 0..<n {
      let lemma = lemmas[i]
      // A verb of demanding or containing, or a verb lemma the tagger took for a noun ("calls for").
      let classes = lemmaClass[i]
      if classes & ProvisionTables.LemmaClass.governing != 0, let preps = tables.lexicon.governingVerbs[lemma],
        !["case", "mark", "amod"].contains(relations[i]),
        upos[i] == "VERB"
          || (upos[i] == "NOUN"
            && ((!preps.contains("") && i + 1 < n && preps.contains(forms[i + 1]))
              || children[i].contains(where: { relations[$0].hasPrefix("nsubj") })))
      {
        var subject = children[i].first(where: isSubject)
        // "with Russia demanding X", "Moscow, demanding X": a participle without a subject is
        // done by the noun it follows in a "with" phrase, or by the name it modifies.
        if subject == nil, upos[i] == "VERB" {
          if i > 0, caseWord(i - 1) == "with" {
            subject = i - 1
          } else if relations[i] == "acl", let h = heads[i], h < i, upos[h] == "PROPN" {
            subject = h
          }
        }
        if classes & ProvisionTables.LemmaClass.containing != 0,
          let s = subject, !namesProposal(s), upos[s] != "PRON"
        {
          continue
        }
        if isHypothetical(i) { continue }
        var complements: [Int] = []
        let direct = preps.contains("")
        let particle = i + 1 < n && preps.contains(forms[i + 1]) && !direct
        for c in children[i] where c > i && !isSubject(c) && relations[c] != "punct" {
          if particle || (caseWord(c).map(preps.contains) ?? false)
            || (direct && ["obj", "ccomp", "xcomp"].contains(relations[c]))
          {
            complements.append(c)
          }
        }
        // "called on X", "provided billions": without its preposition the verb demands nothing.
        if !direct && !particle && complements.isEmpty { continue }
        // A verb of demanding the parser made the subject of what it governs ("calls for X to be
        // returned" with "calls" under "returned"): the rest of that clause is its complement.
        if particle, isSubject(i), let h = heads[i], h > i {
          complements.append(contentsOf: children[h].filter { $0 > i && relations[$0] != "punct" })
          spansOut.append(h...h)
        }
        // Objects the parser coordinated with the verb itself ("envisage X, Y and a surge of Z").
        if direct {
          complements.append(contentsOf: children[i].filter { $0 > i && relations[$0] == "conj" && upos[$0] == "NOUN" })
        }
        // Where the parse lost the complement's thread ("provides for" taken for a noun, the
        // objects hung on an earlier word), the words after the verb up to the next clause with
        // its own subject are still what it governs.
        if direct || particle, let end = clauseEnd(after: i), end > i { spansOut.append((i + 1)...end) }
        // "seeking X while keeping Y": a clause joined on by "while", "plus" goes on with the terms.
        for c in children[i] where c > i && ["advcl", "conj", "obl"].contains(relations[c]) {
          if let lead = children[c].first(where: { ["mark", "cc", "case"].contains(relations[$0]) }),
            tables.lexicon.termContinuations.contains(forms[lead])
          {
            complements.append(c)
          }
        }
        context = true
        terms.statesTerms = true
        terms.introducesList = true
        if terms.demander == nil, let s = subject { terms.demander = tokens(of: spans[s]) }
        if terms.bound == nil, !tables.lexicon.advisingVerbs.contains(lemma) {
          if let o = child(i, "obj"), child(i, "xcomp") != nil || child(i, "ccomp") != nil {
            terms.bound = tokens(of: spans[o])
          } else if let c = complements.first(where: { ["ccomp", "xcomp"].contains(relations[$0]) }),
            let s = children[c].first(where: isSubject)
          {
            terms.bound = tokens(of: spans[s])
          }
        }
        for c in complements where c != heads[i] { take(c) }
        // "as the agreement foresees": a verb of containing with nothing to contain states the
        // clause it qualifies.
        if complements.isEmpty, relations[i] == "advcl", let h = heads[i] {
          spansOut.append(contentsOf: children[h].filter { $0 != i && !isSubject($0) }.map { spans[$0] })
          spansOut.append(h...h)
        }
        continue
      }
      // A noun of demanding: what it asks for ("Israel's demand that the group disarm").
      if classes & ProvisionTables.LemmaClass.demandNoun != 0, upos[i] == "NOUN" {
        let complements = children[i].filter { c in
          c > i
            && (["acl", "ccomp"].contains(relations[c])
              || (relations[c] == "nmod" && (caseWord(c).map(tables.lexicon.demandNounCases.contains) ?? false)))
        }
        if !complements.isEmpty {
          context = true
          terms.statesTerms = true
          if terms.demander == nil, let p = children[i].first(where: { ["nmod:poss", "amod"].contains(relations[$0]) })
          {
            terms.demander = tokens(of: spans[p])
          }
          complements.forEach(take)
        }
        continue
      }
      // "Under the deal, X would ...": the clause under a proposal is its term.
      if namesProposal(i), let cw = caseWord(i), tables.lexicon.underCases.contains(cw), let h = heads[i] {
        context = true
        terms.statesTerms = true
        terms.introducesList = true
        for c in children[h] where c != i && relations[c] != "punct" { take(c) }
        spansOut.append(h...h)
        continue
      }
      // "in exchange for X": both what is given and what it is given for are terms.
      if classes & ProvisionTables.LemmaClass.exchangeNoun != 0, caseWord(i) == "in", let h = heads[i] {
        context = true
        terms.statesTerms = true
        for c in children[h] where relations[c] != "punct" && !(isSubject(c) && namesProposal(c)) { take(c) }
        spansOut.append(h...h)
        continue
      }
    }
    // A proposal as the subject of a verb: what it does or holds ("the plan mirrors X"), not
    // what it would bring about ("the plan would dissolve X": an effect someone foresees).
    for i in 0..<n where namesProposal(i) && isSubject(i) {
      guard let v = heads[i], upos[v] == "VERB", !isHypothetical(v) else { continue }
      if hasAuxiliary(v, in: tables.lexicon.termAuxiliaries)
        && lemmaClass[v] & ProvisionTables.LemmaClass.containing == 0
      {
        continue
      }
      context = true
      terms.statesTerms = true
      terms.introducesList = true
      for c in children[v] where c != i && ["obj", "obl", "xcomp", "ccomp", "iobj"].contains(relations[c]) {
        take(c)
      }
      if terms.demander == nil, let p = child(i, "nmod:poss") { terms.demander = tokens(of: spans[p]) }
    }
    // What a proposal does, said by a present participle on its noun ("any deal granting
    // X the islands", "a pact ending the blockade"): the proposal's content, whether the sentence accepts or
    // refuses it (the stance is read from the sentence later, not here).
    for i in 0..<n where namesProposal(i) && upos[i] == "NOUN" && !isImagined(i) {
      for c in children[i] where c > i && relations[c] == "acl" && xpos[c] == "VBG" && !isHypothetical(c) {
        take(c)
      }
    }
    // The topics of talks and what a proposal rests on or resembles ("dialogues touching X", "a
    // model built on X", "the plan mirrors X"): the terms under negotiation. Only with talks or a
    // proposal as the subject, or as the noun a participle modifies: "remarks touching on X" are
    // no terms.
    for i in 0..<n {
      guard lemmaClass[i] & ProvisionTables.LemmaClass.topic != 0, let preps = tables.lexicon.topicVerbs[lemmas[i]],
        !isHypothetical(i)
      else { continue }
      var anchor: Int?
      if upos[i] == "VERB" {
        anchor = children[i].first(where: isSubject) ?? (relations[i].hasPrefix("acl") ? heads[i] : nil)
      } else if upos[i] == "NOUN", forms[i] != lemmas[i], i > 0, heads[i - 1] == i, relations[i - 1] == "compound" {
        // "the plan mirrors X" with the verb taken for a plural noun the proposal modifies.
        anchor = i - 1
      }
      guard let a = anchor, namesProposal(a) || tables.lexicon.agendaNouns.contains(lemmas[a]), !isImagined(a) else {
        continue
      }
      var found = upos[i] == "NOUN"
      for c in children[i] where c > i && !isSubject(c) && relations[c] != "punct" {
        if (preps.contains("") && relations[c] == "obj") || (caseWord(c).map(preps.contains) ?? false) {
          take(c)
          found = true
        }
      }
      // The parse often hangs the later topics of a list on an earlier noun ("touching X, Y and
      // Z"): the words up to the next clause are still what the verb names.
      if found, let end = clauseEnd(after: i), end > i { spansOut.append((i + 1)...end) }
    }
    // Clauses that state a term ("X would withdraw", "Y must release"), where the sentence or
    // the one before speaks of terms.
    if context || continuing {
      for v in 0..<n where hasAuxiliary(v, in: tables.lexicon.termAuxiliaries) && !isNegated(v) && !isHypothetical(v) {
        let subject = children[v].first(where: isSubject)
        if let s = subject, namesProposal(s) || relations[s].hasPrefix("csubj") { continue }
        terms.statesTerms = true
        take(v)
      }
    }
    // Merge the spans, then turn words into tokens: linear after the sort.
    spansOut.sort { $0.lowerBound < $1.lowerBound }
    var merged: [ClosedRange<Int>] = []
    for r in spansOut {
      if let last = merged.last, r.lowerBound <= last.upperBound + 1 {
        merged[merged.count - 1] = last.lowerBound...max(last.upperBound, r.upperBound)
      } else {
        merged.append(r)
      }
    }
    for r in merged {
      for w in r where upos[w] != "PUNCT" || w != r.lowerBound { terms.governed.insert(tokenOfWord[w]) }
    }
    return terms
  }

  /// The last word before the first new clause after word `g`: a finite clause with a subject
  /// of its own that `g` does not dominate ("..., a senior official said"). Relative and
  /// participle clauses go on with the phrase they modify.
  func clauseEnd(after g: Int) -> Int? {
    let n = tokenOfWord.count
    guard g + 1 < n else { return nil }
    var w = g + 1
    while w < n {
      if !spans[g].contains(w), ["root", "parataxis", "conj", "advcl", "ccomp"].contains(relations[w]),
        children[w].contains(where: { isSubject($0) && $0 > g })
      {
        // The clause starts at its first word, usually the subject.
        let start = spans[w].lowerBound
        return start > g + 1 ? start - 1 : nil
      }
      w += 1
    }
    return n - 1
  }

  /// Who a term's own words say acts, as tokens: the subject of the term's highest word, else a
  /// name opening the term ("Ukraine hand over X" parsed as a compound). A name deeper in the
  /// term ("recognition of Moscow's hold", "under Kyiv's control", "keeping X until Russia
  /// ends Y") is what the term is about, not whom it binds. Linear in the term's length.
  func termSubject(tokens clause: Range<Int>) -> Range<Int>? {
    var top: Int?
    for k in clause {
      guard let w = word(token: k) else { continue }
      if top.map({ depths[w] < depths[$0] }) ?? true { top = w }
    }
    if let t = top, let s = children[t].first(where: isSubject), clause.contains(tokenOfWord[s]) {
      return tokens(of: spans[s])
    }
    guard let first = clause.first.flatMap(word(token:)), upos[first] == "PROPN" else { return nil }
    return tokenOfWord[first]..<(tokenOfWord[first] + 1)
  }

  /// The subject of a list item's main clause, as tokens.
  func itemSubject() -> Range<Int>? {
    guard let root = heads.indices.first(where: { heads[$0] == nil }),
      let s = children[root].first(where: { relations[$0] == "nsubj" })
    else { return nil }
    return tokens(of: spans[s])
  }

  /// The separator between `before` and `after` joins two modifiers of one noun ("cultural and
  /// political guarantees"), not two terms.
  func joinsModifiers(before: Int, after: Int) -> Bool {
    guard let w = word(token: after), relations[w] == "conj", upos[w] == "ADJ", let h = heads[w],
      let g = heads[h], g > w, relations[h] == "amod"
    else { return false }
    return true
  }

  func word(token k: Int) -> Int? {
    let j = k - firstToken
    guard j >= 0, j < wordOfToken.count else { return nil }
    return wordOfToken[j]
  }

  func depth(token k: Int) -> Int { word(token: k).map { depths[$0] } ?? 0 }

  func isOutsideContent(token k: Int) -> Bool { outsideContent.contains(k) }
}
