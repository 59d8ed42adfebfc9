import ParleyKnowledge
import ParleyModel
import ParleySyntax
import ParleyText

/// The CAMEO lexicon held by reference: built once per coder and shared by every sentence's
/// tree, so that building a tree retains one object instead of the lexicon's hundred tables.
final class CodingTables: Sendable {
  let lexicon: CAMEOLexicon
  /// Which of the frames' word tables hold a word (`WordClass` bits), for every word in any of
  /// them: a tree looks each word up once, where its questions hashed it into table after table.
  let classes: [String: UInt32]

  init(_ lexicon: CAMEOLexicon, proposalNouns: Set<String> = [], underCases: Set<String> = []) {
    self.lexicon = lexicon
    var classes: [String: UInt32] = [:]
    func add(_ words: some Sequence<String>, _ bit: UInt32) {
      for w in words { classes[w, default: 0] |= bit }
    }
    let f = lexicon.frames
    add(f.targetCases, WordClass.targetCase)
    add(f.placeCases, WordClass.placeCase)
    add(f.membershipCases, WordClass.membershipCase)
    add(f.mutualCases, WordClass.mutualCase)
    add(f.settingCases, WordClass.settingCase)
    add(f.temporalCases, WordClass.temporalCase)
    add(f.demandingMarks, WordClass.demandingMark)
    add(lexicon.nouns.keys, WordClass.eventNoun)
    add(f.stateNouns, WordClass.stateNoun)
    add(f.groupNouns, WordClass.groupNoun)
    add(f.backgroundCases, WordClass.backgroundCase)
    add(lexicon.sectorOfNoun.keys, WordClass.sectorNoun)
    add(f.pronouns, WordClass.pronoun)
    add(f.negations, WordClass.negation)
    add(f.futureAuxiliaries, WordClass.futureAuxiliary)
    add(f.obligationAuxiliaries, WordClass.obligationAuxiliary)
    add(f.uncertainAuxiliaries, WordClass.uncertainAuxiliary)
    add(f.conditionalAuxiliaries, WordClass.conditionalAuxiliary)
    add(f.hypotheticalMarks, WordClass.hypotheticalMark)
    add(f.unrealizedMarks, WordClass.unrealizedMark)
    add(f.hypotheticalModifiers, WordClass.hypotheticalModifier)
    add(f.anticipatingCases, WordClass.anticipatingCase)
    add(proposalNouns, WordClass.proposalNoun)
    add(underCases, WordClass.underCase)
    add(f.carrierNouns, WordClass.carrierNoun)
    add(f.lightVerbs, WordClass.lightVerb)
    add(f.converseVerbs.keys, WordClass.converseVerb)
    add(f.converseLightVerbs, WordClass.converseLightVerb)
    for g in f.governors.values {
      add(g.lemmas, WordClass.governorLemma)
      add(g.nouns, WordClass.governorNoun)
    }
    self.classes = classes
    senseIndex = SenseIndex(lexicon)
  }

  /// The verb senses' object classes and particles, indexed (see `SenseIndex`).
  let senseIndex: SenseIndex
}

/// The verb senses indexed by what they ask of a clause: each distinct object class (a sense's
/// `objectWords`) numbered, the classes of every word in one, and each lemma's particles. A
/// verb's object words are then looked up once each, where every sense of the verb (up to some
/// forty) looked up every object word in its own class.
///
/// A class: held by `CodingTables` and read by every verb's predicate, where binding the struct
/// retained and released its three tables at every read.
final class SenseIndex: Sendable {
  /// The senses of one key of `CAMEOLexicon.verbs`, with what each asks for.
  struct Entry: Sendable {
    let senses: [CAMEOLexicon.Sense]
    /// Per sense: its object class, or -1 for none; whether it asks for no particle.
    let classes: [Int]
    let bare: [Bool]
    /// Every particle any of the senses asks for.
    let particles: Set<String>
    /// Some sense asks for an object class; some sense is one of saying.
    let asksObject: Bool
    let speech: Bool
  }
  let entries: [String: Entry]
  /// Word -> where the object classes holding it start in `pool`, as bits (`words` UInt64s).
  let classesOfWord: [String: Int]
  let pool: [UInt64]
  let words: Int
  /// The lexicon's lemmas by form (its own reference: read through the lexicon, the whole
  /// lexicon was copied at every read).
  let lemmaOfForm: [String: String]

  init(_ lexicon: CAMEOLexicon) {
    var number: [Set<String>: Int] = [:]
    var entries: [String: Entry] = [:]
    for (lemma, senses) in lexicon.verbs {
      let classes = senses.map { s in
        guard let set = s.objectWords else { return -1 }
        if let n = number[set] { return n }
        number[set] = number.count
        return number.count - 1
      }
      entries[lemma] = Entry(
        senses: senses, classes: classes, bare: senses.map(\.particles.isEmpty),
        particles: senses.reduce(into: Set<String>()) { $0.formUnion($1.particles) },
        asksObject: classes.contains { $0 >= 0 }, speech: senses.contains(where: \.speech))
    }
    let words = number.count / 64 + 1
    var classesOfWord: [String: Int] = [:]
    var pool: [UInt64] = []
    for (set, n) in number {
      for w in set {
        let start: Int
        if let s = classesOfWord[w] {
          start = s
        } else {
          start = pool.count
          pool.append(contentsOf: repeatElement(0, count: words))
          classesOfWord[w] = start
        }
        pool[start + n / 64] |= 1 << UInt64(n % 64)
      }
    }
    self.entries = entries
    self.classesOfWord = classesOfWord
    self.pool = pool
    self.words = words
    lemmaOfForm = lexicon.lemmaOfForm
  }

  /// The senses `CAMEOLexicon.senses(lemma:form:)` gives (nil for none), with their index.
  func entry(lemma: String, form: String) -> Entry? {
    if let e = entries[lemma] { return e }
    return lemmaOfForm[form].flatMap { entries[$0] }
  }

  /// `CAMEOLexicon.senses(lemma:form:)`.
  func senses(lemma: String, form: String) -> [CAMEOLexicon.Sense] {
    entry(lemma: lemma, form: form)?.senses ?? []
  }

  /// Whether `senses(lemma:form:)` holds a sense of saying.
  func isSpeech(lemma: String, form: String) -> Bool {
    entry(lemma: lemma, form: form)?.speech ?? false
  }

  /// Where the object classes holding `word` start in `pool` (`words` UInt64s; nil for none).
  func classes(of word: String) -> Int? { classesOfWord[word] }

  /// Adds the object classes at `start` in `pool` to `bits`.
  @inline(__always)
  func add(_ start: Int, to bits: inout [UInt64]) {
    for k in 0..<words { bits[k] |= pool[start + k] }
  }

  /// `classes(of:)` of `CAMEOLexicon.placeObject` (an object naming a place).
  var placeClasses: Int? { classesOfWord[CAMEOLexicon.placeObject] }

  /// `classes(of:)` of `CAMEOLexicon.massObject` (an object counting many victims).
  var massClasses: Int? { classesOfWord[CAMEOLexicon.massObject] }

  /// Whether sense class `c` (-1: none) is satisfied: no class, or one of `bits`.
  static func matches(_ c: Int, _ bits: [UInt64]) -> Bool {
    c < 0 || bits[c / 64] & (1 << UInt64(c % 64)) != 0
  }
}

/// Bits of `CodingTables.classes`: the frame table (or lexicon key) each names.
enum WordClass {
  static let targetCase: UInt32 = 1 << 0
  static let placeCase: UInt32 = 1 << 1
  static let membershipCase: UInt32 = 1 << 2
  static let mutualCase: UInt32 = 1 << 3
  static let settingCase: UInt32 = 1 << 4
  static let temporalCase: UInt32 = 1 << 5
  static let demandingMark: UInt32 = 1 << 6
  /// A key of `CAMEOLexicon.nouns`.
  static let eventNoun: UInt32 = 1 << 7
  static let stateNoun: UInt32 = 1 << 8
  /// A key of `CAMEOLexicon.sectorOfNoun`.
  static let sectorNoun: UInt32 = 1 << 9
  static let pronoun: UInt32 = 1 << 10
  static let negation: UInt32 = 1 << 11
  static let futureAuxiliary: UInt32 = 1 << 12
  static let obligationAuxiliary: UInt32 = 1 << 13
  static let uncertainAuxiliary: UInt32 = 1 << 14
  static let conditionalAuxiliary: UInt32 = 1 << 15
  static let hypotheticalMark: UInt32 = 1 << 16
  static let hypotheticalModifier: UInt32 = 1 << 17
  static let anticipatingCase: UInt32 = 1 << 18
  /// A lemma of any governor class, and a noun of one.
  static let governorLemma: UInt32 = 1 << 19
  static let governorNoun: UInt32 = 1 << 20
  /// A noun naming a proposal, and a case word putting a clause under one (the provision
  /// lexicon's): "Under the deal, X agrees to ..." states a term, not an act.
  static let proposalNoun: UInt32 = 1 << 21
  static let underCase: UInt32 = 1 << 22
  static let groupNoun: UInt32 = 1 << 23
  static let backgroundCase: UInt32 = 1 << 24
  /// The predicate finder's tables: carrier nouns, light verbs, keys of the converse verbs,
  /// converse light verbs.
  static let carrierNoun: UInt32 = 1 << 25
  static let lightVerb: UInt32 = 1 << 26
  static let converseVerb: UInt32 = 1 << 27
  static let converseLightVerb: UInt32 = 1 << 28
  static let unrealizedMark: UInt32 = 1 << 29
}

/// The dependents of every word of a sentence, in order, in one array: `self[i]` are word
/// `i`'s. (An array per word cost an allocation for every word with dependents.)
struct Dependents {
  /// Dependents grouped by head, each group in word order.
  private let order: [Int]
  /// Where each word's group starts in `order`; the last entry is `order.count`.
  private let starts: [Int]

  /// `heads[i]`: the head of word `i` (nil for a root; a head out of range is ignored).
  init(heads: [Int?]) {
    let n = heads.count
    var counts = [Int](repeating: 0, count: n + 1)
    for h in heads { if let h, h >= 0, h < n { counts[h + 1] += 1 } }
    for i in 0..<n { counts[i + 1] += counts[i] }
    starts = counts
    var next = counts
    var order = [Int](repeating: 0, count: counts[n])
    for (i, h) in heads.enumerated() {
      guard let h, h >= 0, h < n else { continue }
      order[next[h]] = i
      next[h] += 1
    }
    self.order = order
  }

  subscript(i: Int) -> ArraySlice<Int> { order[starts[i]..<starts[i + 1]] }
}

/// One parsed sentence as the event coder reads it: the tree with each word's dependents, and
/// the parties its noun phrases name. Built once per sentence and passed to every part of the
/// coder.
final class SentenceTree {
  let doc: AnnotatedDocument
  let sentence: SyntaxSentence
  let index: Int
  /// Dependents of every word, in order (indices into `sentence.words`).
  let children: Dependents
  let tables: CodingTables
  /// The lexicon, borrowed from `tables`: a copy would retain and release each of its tables.
  var lexicon: CAMEOLexicon { tables.lexicon }
  /// The party a pronoun subject stands for when the sentence does not name it: the subject of
  /// the previous sentence.
  let previousSubject: Int?
  /// The person named in the previous sentence's subject phrase ("The X chairman, Y, met ..."),
  /// for a "he" or "she" when that subject is no person.
  let previousPerson: Int?
  /// The two parties of the article's last act between two sides before this sentence: what
  /// "both sides" stands for.
  let sides: [Int]
  /// The stand-in party for a doer the text names by kind alone ("gunmen"), if the coder has one:
  /// its events are written with no source.
  let unnamedDoer: Int?

  /// `timeTokens`: tokens of the sentence's date expressions ("today", "on Monday").
  init?(
    doc: AnnotatedDocument, sentence s: Int, tables: CodingTables, previousSubject: Int?,
    previousPerson: Int? = nil, sides: [Int] = [], timeTokens: Set<Int> = [], unnamedDoer: Int? = nil
  ) {
    guard s < doc.syntax.count, doc.syntax[s].sentence == s else { return nil }
    self.doc = doc
    self.unnamedDoer = unnamedDoer
    sentence = doc.syntax[s]
    index = s
    self.tables = tables
    self.previousSubject = previousSubject
    self.previousPerson = previousPerson
    self.sides = sides
    let parsed = doc.syntax[s]
    // The words' labels and tokens as arrays: reading them from `parsed.words` copied each word
    // (five strings) on every question the repairs below ask.
    let folded = doc.foldedWords[s]
    var uposOf = folded.upos
    var xposOf = folded.xpos
    let tokenOf = folded.tokens
    let foldedForms = folded.forms
    var heads = folded.heads
    // (Labels, not strings: the repairs below and every tree question compare them.)
    var relations = doc.foldedWords[s].relations
    // A time expression takes no clause: "threatened today to impose" parsed with the clause
    // under "today" is read with it under the verb "today" hangs from.
    if !timeTokens.isEmpty {
      var infinitive = [Bool](repeating: false, count: heads.count)
      for k in parsed.words.indices where relations[k] == "mark" && foldedForms[k] == "to" {
        if let h = heads[k] { infinitive[h] = true }
      }
      for i in parsed.words.indices where ["acl", "xcomp", "advcl", "ccomp"].contains(relations[i]) {
        guard let h = heads[i], timeTokens.contains(tokenOf[h]), let g = heads[h],
          uposOf[g] == "VERB"
        else { continue }
        heads[i] = g
        relations[i] = infinitive[i] ? "xcomp" : "advcl"
      }
    }
    // "ended Monday a siege", "drove out on Monday two villages" parsed with the noun in
    // apposition to the day: the noun is the verb's object, the day a time.
    if !timeTokens.isEmpty {
      // Objects per verb and each word's first apposition, counted once: sentences can be long.
      var objects = [Int](repeating: 0, count: heads.count)
      var apposition = [Int?](repeating: nil, count: heads.count)
      for c in parsed.words.indices {
        guard let h = heads[c] else { continue }
        if relations[c] == "obj" { objects[h] += 1 }
        if relations[c] == "appos", apposition[h] == nil, !timeTokens.contains(tokenOf[c]) {
          apposition[h] = c
        }
      }
      for k in parsed.words.indices
      where ["obj", "obl", "obl:tmod", "obl:unmarked"].contains(relations[k])
        && timeTokens.contains(tokenOf[k])
      {
        guard let v = heads[k], uposOf[v] == "VERB",
          objects[v] - (relations[k] == "obj" ? 1 : 0) == 0, let a = apposition[k]
        else { continue }
        heads[a] = v
        relations[a] = "obj"
        if relations[k] != "obj" { objects[v] += 1 }
        if relations[k] == "obj" { relations[k] = "obl:tmod" }
      }
    }
    // "met for X-mediated talks" parsed with X as a role phrase of its own: a name joined by
    // hyphens to the participle after it ("X-backed", "X-brokered") is that participle's agent
    // (not a party of the noun it describes), and a case word it took is the noun's.
    let tokens = doc.text.tokens
    for k in parsed.words.indices where k + 2 < heads.count && xposOf[k + 1] == "HYPH" {
      let p = k + 2
      guard ["NOUN", "PROPN"].contains(uposOf[k]),
        xposOf[p] == "VBN" || (uposOf[p] == "ADJ" && foldedForms[p].hasSuffix("ed")),
        tokens[tokenOf[k]].end == tokens[tokenOf[k + 1]].start,
        tokens[tokenOf[k + 1]].end == tokens[tokenOf[p]].start,
        let n = heads[p], n > p, n - p <= 4, relations[p] == "amod", ["NOUN", "PROPN"].contains(uposOf[n])
      else { continue }
      // (Case words stand a few words before the name: a bounded look, as sentences can be long.)
      let before = max(0, k - 4)
      let nounHasCase = (before..<n).contains { heads[$0] == n && relations[$0] == "case" }
      for c in before..<k where heads[c] == k && relations[c] == "case" {
        guard !nounHasCase else { break }
        heads[c] = n
        if relations[n] == "obj" { relations[n] = "obl" }
      }
      heads[k] = p
      relations[k] = "obl:agent"
    }
    // "A and Kosovo Prime Minister B" parsed with the title and the name as two conjuncts:
    // conjuncts are set apart by a conjunction or a comma, so a conjunct right before another
    // of the same head, with neither between, is the later one's title.
    for c in parsed.words.indices where relations[c] == "conj" {
      // (The name's own words before it: a few at most.)
      var b = c - 1
      while b >= 0, c - b <= 4, let h = heads[b], h == c || heads[h] == c,
        ["compound", "flat", "amod", "nmod:desc"].contains(relations[b])
      {
        b -= 1
      }
      guard b >= 0, relations[b] == "conj", heads[b] == heads[c], uposOf[c] == "PROPN",
        ["NOUN", "PROPN"].contains(uposOf[b])
      else { continue }
      heads[b] = c
      relations[b] = "compound"
      for d in max(0, b - 3)..<b where heads[d] == b && ["cc", "punct"].contains(relations[d]) {
        heads[d] = c
      }
    }
    // Per-word facts the repairs below collect, as bits of one array (`WordFlag`): an array
    // of flags each cost an allocation per sentence.
    var flags = [UInt16](repeating: 0, count: heads.count)
    // A noun after its verb with no case word is no oblique: the parser's "obl" for a verb
    // without an object ("shot two X", "would release 40 detainees") is the object.
    for k in parsed.words.indices {
      guard let h = heads[k] else { continue }
      if relations[k] == "case" { flags[h] |= WordFlag.hasCase }
      if relations[k] == "obj" { flags[h] |= WordFlag.hasObject }
    }
    for k in parsed.words.indices where relations[k] == "obl" && flags[k] & WordFlag.hasCase == 0 {
      guard let h = heads[k], h < k, flags[h] & WordFlag.hasObject == 0, ["NOUN", "PROPN"].contains(uposOf[k]),
        !timeTokens.contains(tokenOf[k]),
        ["VERB", "ADJ"].contains(uposOf[h])
      else { continue }
      relations[k] = "obj"
      flags[h] |= WordFlag.hasObject
    }
    // A passive subject needs a passive auxiliary: "X announced Thursday that it has called
    // off ..." tagged as participles is active ("get" passives take aux:pass too).
    for k in parsed.words.indices where relations[k] == "aux:pass" {
      if let h = heads[k] { flags[h] |= WordFlag.passiveAuxiliary }
    }
    for k in parsed.words.indices where relations[k] == "nsubj:pass" {
      if let h = heads[k], flags[h] & WordFlag.passiveAuxiliary == 0, uposOf[h] == "VERB" { relations[k] = "nsubj" }
    }
    // A participle with its own passive auxiliary is a clause, not a noun's description: "N of
    // X was presented by Y" parsed with the verb under the root noun is read as N's passive.
    for k in parsed.words.indices where relations[k] == "acl" && (flags[k] & WordFlag.passiveAuxiliary != 0) {
      guard let h = heads[k], relations[h] == "root", h < k else { continue }
      heads[k] = nil
      relations[k] = "root"
      heads[h] = k
      relations[h] = "nsubj:pass"
      for c in parsed.words.indices where heads[c] == h && c > k { heads[c] = k }
    }
    // "called on A to act and on B to stop" parsed with "B" as a conjunct of a noun in A's
    // clause: a conjunct with its own case word joins the last role phrase of the same case
    // word when its head has another (a bounded look back: sentences can be long).
    // (Case words keep their heads through the repairs below: read once.)
    var caseOf = [String?](repeating: nil, count: heads.count)
    for k in parsed.words.indices where relations[k] == "case" {
      guard let h = heads[k] else { continue }
      if caseOf[h] == nil { caseOf[h] = foldedForms[k] }
      if xposOf[k] != "POS" { flags[h] |= WordFlag.caseChild }
    }
    for c in parsed.words.indices where relations[c] == "conj" {
      guard let word = caseOf[c], let h = heads[c], caseOf[h] != word else { continue }
      var k = c - 1
      while k >= 0, c - k <= 30 {
        if relations[k] == "obl", caseOf[k] == word, k != h {
          heads[c] = k
          break
        }
        k -= 1
      }
    }
    // "between A and B" parsed with B hung elsewhere (a second subject of the verb): a phrase of
    // a mutual case word with no conjunct, followed by "and" and a nominal whose head lies
    // outside it, takes that nominal as its conjunct (bounded: a few words each side).
    for k in parsed.words.indices where relations[k] == "conj" {
      if let h = heads[k] { flags[h] |= WordFlag.hasConjunct }
    }
    let count = heads.count
    // Whether climbing from `start` reaches the root within `limit` steps without meeting
    // `word`: hanging `word` below `start` then closes no cycle. (Bounded, so that a repair
    // asking it of every word stays linear; a deeper tree is left as it is.)
    func reachesRoot(from start: Int?, avoiding word: Int, within limit: Int) -> Bool {
      var up = start
      var steps = 0
      while let u = up, u != word, steps < limit {
        up = heads[u]
        steps += 1
      }
      return up == nil
    }
    for k in parsed.words.indices
    where flags[k] & WordFlag.hasConjunct == 0 && caseOf[k].map(tables.lexicon.frames.mutualCases.contains) == true
      && !["NNS", "NNPS"].contains(xposOf[k])
    {
      // The phrase runs on while words hang inside it ("between the envoy John Smith and").
      var j = k + 1
      while j < count, j - k <= 8, let h = heads[j], h >= k, h < j, parsed.words[j].form != "and" { j += 1 }
      guard j < count, j - k <= 8, parsed.words[j].form == "and" else { continue }
      // The nominal after "and": its first noun not hung on a noun of its own phrase.
      let nominal: [SyntaxLabel] = ["NOUN", "PROPN"]
      var m = j + 1
      while m < count, m - j <= 6 {
        if nominal.contains(uposOf[m]) {
          guard let h = heads[m], h > j, h <= j + 6, nominal.contains(uposOf[h]) else { break }
        }
        m += 1
      }
      guard m < count, m - j <= 6, nominal.contains(uposOf[m]) else { continue }
      // Never under its own dependent (a cycle): k must not hang below m.
      guard reachesRoot(from: heads[k], avoiding: m, within: 64) else { continue }
      heads[m] = k
      relations[m] = "conj"
      heads[j] = m
      relations[j] = "cc"
    }
    // A subject takes no case word: "According to X, A and B met" parsed with X as the subject
    // and A, B as its conjuncts is X's oblique and A (with B) the subject.
    var firstConjunct = [Int?](repeating: nil, count: heads.count)
    for k in parsed.words.indices {
      guard let h = heads[k] else { continue }
      if relations[k] == "conj", firstConjunct[h] == nil { firstConjunct[h] = k }
    }
    var subjectFor = [Int?](repeating: nil, count: heads.count)
    for k in parsed.words.indices
    where ["nsubj", "nsubj:pass"].contains(relations[k]) && (flags[k] & WordFlag.caseChild != 0) {
      guard let h = heads[k], k < h else { continue }
      // "two weeks after gunmen killed X": a subordinator taken for the subject's case word
      // opens the clause of a finite verb right after that subject: the subject stays, and the
      // clause is an adverbial one.
      // (Words of time only: "after", "since", "before", right before the subject.)
      if h == k + 1, ["VBD", "VBZ", "VBP"].contains(xposOf[h]), firstConjunct[k] == nil, k > 0,
        heads[k - 1] == k, relations[k - 1] == "case",
        tables.classes[foldedForms[k - 1]].map({
          $0 & (WordClass.temporalCase | WordClass.anticipatingCase | WordClass.backgroundCase) != 0
        }) == true,
        ["parataxis", "conj", "dep", "obl"].contains(relations[h])
      {
        let c = k - 1
        heads[c] = h
        relations[c] = "mark"
        relations[h] = "advcl"
        continue
      }
      if let c = firstConjunct[k], c < h {
        heads[c] = h
        relations[c] = relations[k]
        subjectFor[k] = c
      }
      relations[k] = "obl"
    }
    // The other conjuncts follow the new subject (one pass: sentences can be long).
    for c in parsed.words.indices where relations[c] == "conj" {
      guard let h = heads[c], let n = subjectFor[h], c > n else { continue }
      heads[c] = n
    }
    // "A and B, which signed the accord, urged C to ..." parsed with the relative clause as the
    // clause and the main verb hung on it: a verb whose noun subject is followed by a relative
    // pronoun subject after a comma is that noun's relative clause, and its next verb with no
    // subject of its own is the noun's.
    var nominalSubject = [Int?](repeating: nil, count: count)
    var relativeSubject = [Int?](repeating: nil, count: count)
    var hasSubject = [Bool](repeating: false, count: count)
    var nextVerb = [Int?](repeating: nil, count: count)
    for k in parsed.words.indices {
      guard let h = heads[k] else { continue }
      if ["nsubj", "nsubj:pass"].contains(relations[k]) {
        hasSubject[h] = true
        if ["NOUN", "PROPN"].contains(uposOf[k]), k < h, nominalSubject[h] == nil { nominalSubject[h] = k }
        if ["WDT", "WP"].contains(xposOf[k]), k > 0, foldedForms[k - 1] == "," { relativeSubject[h] = k }
      }
      if ["parataxis", "conj"].contains(relations[k]), uposOf[k] == "VERB", k > h, nextVerb[h] == nil {
        nextVerb[h] = k
      }
    }
    // (The later dependents of each repaired verb move in one pass: sentences can be long.)
    var movedTo = [Int?](repeating: nil, count: count)
    for v in parsed.words.indices where uposOf[v] == "VERB" {
      guard let n = nominalSubject[v], let p = relativeSubject[v], n < p, p < v, let u = nextVerb[v], !hasSubject[u]
      else { continue }
      heads[u] = heads[v]
      relations[u] = relations[v]
      heads[n] = u
      heads[v] = n
      relations[v] = "acl:relcl"
      movedTo[v] = u
    }
    for c in parsed.words.indices {
      guard let h = heads[c], let u = movedTo[h], c > u else { continue }
      heads[c] = u
    }
    // "X, who chaired the talks, blamed Y" parsed with the main verb hung inside the relative
    // clause (or tagged an adjective describing its object, with the subject or that object
    // left as the root): a verb form right after the comma that closes a relative clause set off
    // by commas is the clause of the noun before it. (One repair a sentence, and a bounded scan
    // for the closing comma: sentences can be long.)
    var rootWord = relations.firstIndex(of: "root")
    for p in parsed.words.indices where p >= 2 && ["WDT", "WP"].contains(xposOf[p]) && foldedForms[p - 1] == "," {
      let n = p - 2
      guard let r0 = rootWord, ["NOUN", "PROPN"].contains(uposOf[n]), let r = heads[p], r > p,
        let c = (r + 1..<min(count, p + 40)).first(where: { foldedForms[$0] == "," }), c + 1 < count
      else { continue }
      let v = c + 1
      let finiteVerb = uposOf[v] == "VERB" && ["VBD", "VBZ", "VBP", "VBN"].contains(xposOf[v])
      let adjectiveVerb =
        uposOf[v] == "ADJ" && relations[v] == "amod" && heads[v] == v + 1 && foldedForms[v].hasSuffix("ed")
        && tables.senseIndex.lemmaOfForm[foldedForms[v]] != nil
      let hungInside = heads[v].map { $0 >= n && $0 <= c } ?? false
      guard finiteVerb || adjectiveVerb, r0 != v, heads[n] != v,
        hungInside || r0 == n || r0 == r || (adjectiveVerb && r0 == v + 1)
      else { continue }
      // (Checked once a sentence: the root changes when the repair is made.)
      rootWord = nil
      guard !parsed.words.indices.contains(where: { heads[$0] == v && relations[$0].base == "nsubj" }) else { break }
      if adjectiveVerb {
        heads[v + 1] = v
        relations[v + 1] = "obj"
      }
      uposOf[v] = "VERB"
      if !["VBD", "VBZ", "VBP"].contains(xposOf[v]) { xposOf[v] = "VBD" }
      heads[v] = nil
      relations[v] = "root"
      heads[n] = v
      relations[n] = "nsubj"
      heads[r] = n
      relations[r] = "acl:relcl"
      for k in v + 1..<count {
        if let h = heads[k], h <= c { heads[k] = v }
      }
      // A root further on ("..., saying Z had refused") is what a verb of saying between them
      // reports, or else a clause of its own beside the main one.
      if r0 > v + 1 {
        var reports = Set<Int>()
        for k in parsed.words.indices where relations[k] == "ccomp" {
          if let h = heads[k] { reports.insert(h) }
        }
        let speech = (v + 1..<r0).first {
          uposOf[$0] == "VERB" && !reports.contains($0)
            && tables.senseIndex.isSpeech(lemma: folded.lemmas[$0], form: foldedForms[$0])
        }
        heads[r0] = speech ?? v
        relations[r0] = speech == nil ? "parataxis" : "ccomp"
      }
      break
    }
    // "Police in X confiscated weapons from Y" tagged with the verb as a participle describing
    // its object, and the subject hung on that object: a noun with a subject and no copula is no
    // predicate, so the participle is the clause, the subject its own, the noun its object.
    var nounSubject = [Int?](repeating: nil, count: heads.count)
    for k in parsed.words.indices {
      guard let h = heads[k] else { continue }
      if relations[k] == "cop" { flags[h] |= WordFlag.hasCopula }
      if relations[k] == "nsubj", nounSubject[h] == nil { nounSubject[h] = k }
    }
    // A modifier takes no auxiliary either: "X is claiming responsibility" parsed with the verb
    // as the noun's modifier is the verb of X, hung on the verb as its "compound".
    var nominalBefore = [Int?](repeating: nil, count: heads.count)
    for k in parsed.words.indices {
      guard let h = heads[k] else { continue }
      if ["aux", "aux:pass"].contains(relations[k]) { flags[h] |= WordFlag.auxiliary }
      if k < h, ["compound", "nmod", "nsubj"].contains(relations[k]),
        ["NOUN", "PROPN", "PRON"].contains(uposOf[k])
      {
        nominalBefore[h] = k
      }
    }
    var promoted = [Int?](repeating: nil, count: heads.count)
    for v in parsed.words.indices where relations[v] == "amod" {
      let tag = xposOf[v]
      guard uposOf[v] == "VERB", let n = heads[v], n == v + 1,
        ["NOUN", "PROPN"].contains(uposOf[n]), flags[n] & WordFlag.hasCopula == 0
      else { continue }
      let subject: Int
      if tag == "VBD" || tag == "VBN", let s = nounSubject[n], s < v {
        subject = s
      } else if (flags[v] & WordFlag.auxiliary != 0), (tag == "VBD" || tag == "VBN" || tag == "VBG"),
        let s = nominalBefore[v]
      {
        subject = s
      } else {
        continue
      }
      if relations[n] == "root" {
        heads[v] = nil
        relations[v] = "root"
      } else if relations[n] == "nsubj", let h = heads[n], uposOf[h] == "VERB", h > n {
        // "X did Y, officials said": the clause is what the later verb reports.
        heads[v] = h
        relations[v] = "ccomp"
      } else {
        continue
      }
      heads[subject] = v
      relations[subject] = "nsubj"
      heads[n] = v
      relations[n] = "obj"
      promoted[n] = v
    }
    // The object's dependents before the verb belong to the clause (one pass: sentences can be long).
    for c in parsed.words.indices {
      guard let h = heads[c], let v = promoted[h], c < v else { continue }
      heads[c] = v
    }
    // "X rebels captured Y" tagged with the verb as a participle describing the root noun: a
    // sentence whose root is a noun without a copula has no other clause, and a participle right
    // after that noun with a bare noun object is its verb, the noun its subject.
    // "A and B negotiators met in X" parsed with the first modifier as the root and the verb as
    // its parataxis: a root nominal or adjective without a copula, whose words all hang below it
    // up to a verb with no subject of its own, is that verb's subject.
    // (Or as a participle describing the phrase's last noun, when no other verb is finite.)
    let finite: Set<SyntaxLabel> = ["VBD", "VBZ", "VBP", "MD"]
    // (A relative clause with no relative word is such a participle too; a verb of saying after
    // it, the attribution "..., police said", is no other clause, nor is a relative clause.)
    // (Asked only of a sentence whose root is a nominal: read then, once.)
    func participleOfPhrase(_ r: Int) -> Int? {
      var relativeWord = [Bool](repeating: false, count: count)
      for k in parsed.words.indices where ["WDT", "WP"].contains(xposOf[k]) || foldedForms[k] == "that" {
        if let h = heads[k] { relativeWord[h] = true }
      }
      guard
        let v = parsed.words.indices.first(where: { k in
          // (On the phrase's last noun, or one before it: "tens of thousands of X marched".)
          k > r + 1 && heads[k].map { $0 >= r && $0 < k } == true
            && (relations[k] == "acl" || (relations[k] == "acl:relcl" && !relativeWord[k]))
            && ["VBN", "VBD"].contains(xposOf[k])
        }),
        !parsed.words.indices.contains(where: {
          $0 != v && finite.contains(xposOf[$0])
            && !($0 > v && tables.senseIndex.isSpeech(lemma: folded.lemmas[$0], form: foldedForms[$0]))
            && !($0 > v && relations[$0] == "acl:relcl" && relativeWord[$0])
        })
      else { return nil }
      return v
    }
    // Verb `v` becomes the root, root nominal `r` its subject, and what followed the verb on the
    // nominal the verb's. (A dateline hangs off the root as "dep": it stays with the clause.)
    func makeClause(_ v: Int, ofSubject r: Int) {
      for c in parsed.words.indices where heads[c] == r && (c > v || relations[c] == "dep") { heads[c] = v }
      heads[v] = nil
      relations[v] = "root"
      heads[r] = v
      relations[r] = "nsubj"
    }
    if let r = relations.firstIndex(of: "root"), ["NOUN", "PROPN", "ADJ"].contains(uposOf[r]),
      flags[r] & WordFlag.hasCopula == 0,
      let v = parsed.words.indices.first(where: {
        $0 > r && heads[$0] == r && ["parataxis", "conj"].contains(relations[$0]) && uposOf[$0] == "VERB"
      }) ?? participleOfPhrase(r),
      !parsed.words.indices.contains(where: { heads[$0] == v && ["nsubj", "nsubj:pass"].contains(relations[$0]) }),
      !parsed.words.indices.contains(where: { $0 > r && $0 < v && (uposOf[$0] == "VERB" || uposOf[$0] == "AUX") }),
      v - r <= 12
    {
      // (Every word between must hang below the root: the nominal is one phrase, a short one, so
      // that climbing from each of its words stays linear in the sentence.)
      let phrase = (r + 1..<v).allSatisfy { k in
        var up = heads[k]
        var steps = 0
        while let u = up, u != r, steps < count {
          up = heads[u]
          steps += 1
        }
        return up == r
      }
      if phrase { makeClause(v, ofSubject: r) }
    }
    // "A and B warships began ..." parsed with the first adjective as the root and the verb, with
    // the noun as its subject, hung on it: the adjectives describe the noun, the verb is the
    // clause. (Only the adjectives' own conjuncts stand between them and the noun.)
    if let r = relations.firstIndex(of: "root"), uposOf[r] == "ADJ", flags[r] & WordFlag.hasCopula == 0,
      let n = (r + 1..<min(heads.count, r + 8)).first(where: { ["NOUN", "PROPN"].contains(uposOf[$0]) }),
      relations[n] == "nsubj", let v = heads[n], v > n, heads[v] == r, uposOf[v] == "VERB",
      (r + 1..<n).allSatisfy({ k in
        ["cc", "conj", "punct", "amod", "compound"].contains(relations[k]) && heads[k].map { $0 >= r && $0 < n } == true
      })
    {
      for c in parsed.words.indices where heads[c] == r && c > v { heads[c] = v }
      heads[v] = nil
      relations[v] = "root"
      heads[r] = n
      relations[r] = "amod"
    }
    // "X's government and an alliance of Y agreed to ..." parsed with the first noun as the root
    // and the verb, tagged finite, describing a noun of the phrase: a finite past verb describes
    // no noun, so with no subject of its own it is the clause, the root phrase its subject.
    if let r = relations.firstIndex(of: "root"), ["NOUN", "PROPN"].contains(uposOf[r]),
      flags[r] & WordFlag.hasCopula == 0,
      let v = parsed.words.indices.first(where: { $0 > r && relations[$0] == "acl" && xposOf[$0] == "VBD" }),
      !parsed.words.indices.contains(where: { heads[$0] == v && ["nsubj", "nsubj:pass"].contains(relations[$0]) })
    {
      // (The noun it hangs on must lie in the root's phrase, a few levels down at most.)
      var up = heads[v]
      var steps = 0
      while let u = up, u != r, steps < 4, ["conj", "nmod", "appos"].contains(relations[u]) {
        up = heads[u]
        steps += 1
      }
      if up == r { makeClause(v, ofSubject: r) }
    }
    // "Police in X fired tear gas at Y" tagged with the verb as a participle describing the
    // object, which hangs on the root noun: with no finite verb anywhere, the participle right
    // after the root's phrase is the clause, the root its subject and that noun its object.
    if let r = relations.firstIndex(of: "root"), ["NOUN", "PROPN"].contains(uposOf[r]),
      flags[r] & WordFlag.hasCopula == 0,
      let v = (r + 1..<min(count, r + 8)).first(where: { relations[$0] == "amod" && uposOf[$0] == "VERB" }),
      ["VBN", "VBD"].contains(xposOf[v]), let n = heads[v], n > v, n - v <= 4, heads[n] == r,
      ["obj", "nmod", "obl", "appos", "dep"].contains(relations[n].base),
      !parsed.words.indices.contains(where: { $0 != v && finite.contains(xposOf[$0]) }),
      (r + 1..<v).allSatisfy({ k in heads[k].map { $0 >= r && $0 < v } == true })
    {
      makeClause(v, ofSubject: r)
      relations[n] = "obj"
    }
    // So is one after the noun of a quantity ("Hundreds of X clashed with Y") when no other verb
    // is finite, and it has no "by" phrase that would make it a passive.
    if let r = relations.firstIndex(of: "root"), ["NOUN", "PROPN"].contains(uposOf[r]),
      flags[r] & WordFlag.hasCopula == 0
    {
      var n = r
      if r + 2 < heads.count, heads[r + 2] == r, relations[r + 2] == "nmod", caseOf[r + 2] == "of" { n = r + 2 }
      let v = n + 1
      if v < heads.count, heads[v] == n || heads[v] == r, relations[v] == "acl", ["VBN", "VBD"].contains(xposOf[v]) {
        let object = parsed.words.indices.first {
          $0 > v && heads[$0] == v && ["obj", "obl:unmarked"].contains(relations[$0])
            && ["NOUN", "PROPN"].contains(uposOf[$0])
        }
        // (A nominal alone, "The EU called on X to ...", needs a phrase the verb governs after
        // it; a "by" phrase, even one the parser took for an oblique, makes it a passive.)
        let onlyVerb =
          (n != r
            || parsed.words.indices.contains {
              $0 > v && heads[$0] == v && ["obl", "obj", "xcomp", "ccomp"].contains(relations[$0].base)
            })
          && !parsed.words.indices.contains { $0 != v && finite.contains(xposOf[$0]) }
          && !parsed.words.indices.contains {
            heads[$0] == v && (relations[$0] == "obl:agent" || (relations[$0].base == "obl" && caseOf[$0] == "by"))
          }
        if object != nil || onlyVerb {
          for c in parsed.words.indices where heads[c] == r && c > v { heads[c] = v }
          heads[v] = nil
          relations[v] = "root"
          if n == r {
            heads[r] = v
            relations[r] = "nsubj"
          } else {
            // "Hundreds of X": the quantity is X's.
            heads[n] = v
            relations[n] = "nsubj"
            heads[r] = n
            relations[r] = "nummod"
            for c in parsed.words.indices where heads[c] == n && relations[c] == "case" { heads[c] = r }
          }
          if let o = object { relations[o] = "obj" }
        }
      }
    }
    // "X warplanes struck Y, the army said" parsed with the participle describing "warplanes"
    // and both nouns as subjects of "said": a verb has one subject, so the earlier one with a
    // participle that has an object is that participle's clause, which the verb reports.
    var subjects = [Int](repeating: 0, count: heads.count)
    for k in parsed.words.indices where relations[k] == "nsubj" {
      if let h = heads[k] { subjects[h] += 1 }
    }
    // "X told Y that Z would withdraw" parsed with "that" as a relative pronoun and a second
    // subject of the clause: a clause has one subject, so beside another one "that" is the
    // clause's mark, and it stands for no earlier noun.
    for k in parsed.words.indices where relations[k] == "nsubj" && foldedForms[k] == "that" {
      guard let h = heads[k], subjects[h] >= 2 else { continue }
      relations[k] = "mark"
      uposOf[k] = "SCONJ"
      xposOf[k] = "IN"
      subjects[h] -= 1
    }
    // "raised its alert after X fired missiles" parsed with "after" as the preposition of X and
    // the verb as a clause apart: a noun right before a finite verb with no subject is that
    // verb's subject, the word that opened the noun's phrase the verb's mark, and the clause
    // hangs on the verb the noun's phrase hung from.
    var verbHasSubject = [Bool](repeating: false, count: count)
    for k in parsed.words.indices where relations[k].base == "nsubj" {
      if let h = heads[k] { verbHasSubject[h] = true }
    }
    let openers = tables.lexicon.frames.clauseOpeners
    for p in parsed.words.indices where relations[p] == "case" && openers.contains(foldedForms[p]) {
      guard let n = heads[p], n > p, n + 1 < count, ["NOUN", "PROPN"].contains(uposOf[n]) else { continue }
      let v = n + 1
      guard uposOf[v] == "VERB", ["VBD", "VBZ", "VBP"].contains(xposOf[v]), !verbHasSubject[v], heads[v] != n else {
        continue
      }
      // The verb the noun's phrase hangs from, a few levels up at most.
      var up = heads[n]
      var steps = 0
      while let u = up, uposOf[u] != "VERB", steps < 4 {
        up = heads[u]
        steps += 1
      }
      guard let governor = up, uposOf[governor] == "VERB", governor != v else { continue }
      // (The verb must not lie above that governor, or the tree would close on itself.)
      guard reachesRoot(from: heads[governor], avoiding: v, within: 8) else { continue }
      heads[n] = v
      relations[n] = "nsubj"
      heads[p] = v
      relations[p] = "mark"
      uposOf[p] = "SCONJ"
      heads[v] = governor
      relations[v] = "advcl"
      verbHasSubject[v] = true
    }
    var participleOf = [Int?](repeating: nil, count: heads.count)
    for k in parsed.words.indices {
      guard let h = heads[k] else { continue }
      if relations[k] == "acl", ["VBD", "VBN"].contains(xposOf[k]), h < k, participleOf[h] == nil {
        participleOf[h] = k
      }
      if relations[k] == "obj" { flags[h] |= WordFlag.objectOf }
    }
    for n in parsed.words.indices where relations[n] == "nsubj" {
      guard let h = heads[n], n < h, subjects[h] >= 2, uposOf[h] == "VERB", let v = participleOf[n], v < h,
        (flags[v] & WordFlag.objectOf != 0), ["NOUN", "PROPN"].contains(uposOf[n])
      else { continue }
      heads[v] = h
      relations[v] = "ccomp"
      heads[n] = v
      subjects[h] -= 1
    }
    // "X urged Y to end its support for the rebels and threatened Z" parsed with the second
    // finite verb as a conjunct of a noun: nouns coordinate with nouns, so the verb joins the
    // nearest finite verb above that noun (whose subject it shares), within a few levels.
    for k in parsed.words.indices where relations[k] == "conj" && uposOf[k] == "VERB" {
      guard ["VBD", "VBZ", "VBP"].contains(xposOf[k]), let n = heads[k], n < k,
        ["NOUN", "PROPN"].contains(uposOf[n])
      else { continue }
      var up = heads[n]
      var steps = 0
      while let v = up, steps < 6 {
        if uposOf[v] == "VERB",
          ["VBD", "VBZ", "VBP"].contains(xposOf[v]) || (xposOf[v] == "VBN" && (flags[v] & WordFlag.auxiliary != 0))
        {
          heads[k] = v
          break
        }
        up = heads[v]
        steps += 1
      }
    }
    // "said X would act, but rejected calls from Y" parsed with the participle describing the
    // noun after it and that noun coordinated with the verb: a conjunction right before the
    // participle (no determiner between) makes it the conjunct verb, the noun its object.
    for v in parsed.words.indices where relations[v] == "amod" && uposOf[v] == "VERB" && v > 0 {
      guard ["VBD", "VBN"].contains(xposOf[v]), let n = heads[v], n == v + 1,
        ["NOUN", "PROPN"].contains(uposOf[n]), relations[n] == "conj", let g = heads[n], g < v,
        uposOf[g] == "VERB" || (flags[g] & WordFlag.auxiliary != 0), relations[v - 1] == "cc", heads[v - 1] == n
      else { continue }
      // (The conjunction and a comma before it: a few words back, as sentences can be long.)
      for c in max(0, v - 3)..<v where heads[c] == n { heads[c] = v }
      heads[v] = g
      relations[v] = "conj"
      heads[n] = v
      relations[n] = "obj"
    }
    // "told X that Y would act" parsed with the clause as a relative clause of X: a relative
    // clause takes no conjunction "that", so under the object of a verb of saying it is the
    // verb's complement (what was said).
    for k in parsed.words.indices where relations[k] == "mark" {
      if let h = heads[k] { flags[h] |= foldedForms[k] == "that" ? WordFlag.markedThat : WordFlag.otherMark }
    }
    // "demanded on Tuesday that X withdraw" parsed with the clause as an adverbial one (a phrase
    // between the verb and "that"): a clause a verb takes with "that" alone is its complement
    // (in the treebank nearly always; the adverbial ones hang on "so", "such", adjectives).
    for k in parsed.words.indices where relations[k] == "advcl" && flags[k] & WordFlag.markedThat != 0 {
      guard flags[k] & WordFlag.otherMark == 0, let v = heads[k], v < k, uposOf[v] == "VERB" else { continue }
      relations[k] = "ccomp"
    }
    for k in parsed.words.indices where relations[k] == "acl:relcl" && (flags[k] & WordFlag.markedThat != 0) {
      guard let o = heads[k], ["obj", "iobj"].contains(relations[o]), let v = heads[o],
        uposOf[v] == "VERB",
        tables.senseIndex.isSpeech(lemma: folded.lemmas[v], form: folded.forms[v])
      else { continue }
      heads[k] = v
      relations[k] = "ccomp"
    }
    // "saying X must first withdraw" parsed with X the object of the verb of saying and the
    // modal verb hung elsewhere with no subject: X is its subject, and it is what was said.
    var subjected = [Bool](repeating: false, count: heads.count)
    for k in parsed.words.indices where ["nsubj", "nsubj:pass"].contains(relations[k]) {
      if let h = heads[k] { subjected[h] = true }
    }
    for a in parsed.words.indices where relations[a] == "aux" && xposOf[a] == "MD" && a > 0 {
      guard let v = heads[a], v > a, uposOf[v] == "VERB", !subjected[v],
        ["parataxis", "conj", "advcl", "dep"].contains(relations[v]),
        ["NOUN", "PROPN", "PRON"].contains(uposOf[a - 1]), relations[a - 1] == "obj", let g = heads[a - 1], g < a - 1,
        uposOf[g] == "VERB", tables.senseIndex.isSpeech(lemma: folded.lemmas[g], form: folded.forms[g])
      else { continue }
      heads[a - 1] = v
      relations[a - 1] = "nsubj"
      heads[v] = g
      relations[v] = "ccomp"
      subjected[v] = true
    }
    // "will begin lifting sanctions" tagged with the gerund as an adjective of the object: a
    // word in -ing the lexicon knows as a verb's form, describing the object of a verb whose
    // complement is asserted as it stands ("begin", "continue", "stop"), is that verb's gerund
    // complement, and the noun its object; the role phrases after the noun are the gerund's
    // ("lifting sanctions on X").
    let frames = tables.lexicon.frames
    var gerundOf = [(gerund: Int, object: Int)?](repeating: nil, count: count)
    for k in parsed.words.indices where relations[k] == "amod" && uposOf[k] != "VERB" {
      guard foldedForms[k].hasSuffix("ing"), let n = heads[k], n == k + 1 || n == k + 2, relations[n] == "obj",
        let g = heads[n], g < k, uposOf[g] == "VERB", frames.transparentGovernors.contains(folded.lemmas[g]),
        tables.senseIndex.lemmaOfForm[foldedForms[k]] != nil
      else { continue }
      heads[k] = g
      relations[k] = "xcomp"
      uposOf[k] = "VERB"
      xposOf[k] = "VBG"
      heads[n] = k
      gerundOf[g] = (k, n)
    }
    for c in parsed.words.indices where relations[c].base == "obl" {
      guard let g = heads[c], let (k, n) = gerundOf[g], c > n else { continue }
      heads[c] = k
    }
    // "helped broker a deal" with the bare verb tagged as a noun complement and the noun after
    // it as the governor's object: a word the lexicon knows as a verb, the complement of a verb
    // whose complement is asserted as it stands, is that verb in its base form, the noun its
    // object.
    var objectOf = [Int?](repeating: nil, count: count)
    for n in parsed.words.indices where relations[n] == "obj" {
      if let g = heads[n], objectOf[g] == nil { objectOf[g] = n }
    }
    for k in parsed.words.indices where relations[k] == "xcomp" && uposOf[k] == "NOUN" {
      guard let g = heads[k], g < k, uposOf[g] == "VERB", frames.transparentGovernors.contains(folded.lemmas[g]),
        let n = objectOf[g], n > k, tables.senseIndex.entry(lemma: foldedForms[k], form: foldedForms[k]) != nil
      else { continue }
      uposOf[k] = "VERB"
      xposOf[k] = "VB"
      heads[n] = k
    }
    // "to resume cooperation", "to respect media freedom" with the verb tagged as a noun: a word
    // the lexicon knows as a verb in its base form and not as an event noun, right after an
    // infinitive "to" and before a noun, is the infinitive of the verb the phrase hangs on, and
    // the noun after it its object.
    var infinitiveObjectOf = [Bool](repeating: false, count: count)
    for t in parsed.words.indices where foldedForms[t] == "to" && xposOf[t] == "TO" && t + 2 < count {
      let w = t + 1
      guard uposOf[w] == "NOUN", xposOf[w] == "NN", tables.senseIndex.lemmaOfForm[foldedForms[w]] == foldedForms[w],
        (tables.classes[foldedForms[w]] ?? 0) & WordClass.eventNoun == 0,
        ["NOUN", "PROPN", "DET", "ADJ"].contains(uposOf[w + 1])
      else { continue }
      if relations[w] == "compound", let h = heads[w], h > w, heads[t] == h,
        ["obl", "nmod"].contains(relations[h].base),
        let g = heads[h]
      {
        // "to resume cooperation": the noun the verb was taken to modify is its object.
        heads[w] = g
        heads[h] = w
        relations[h] = "obj"
      } else if heads[t] == w, ["obl", "nmod"].contains(relations[w].base), heads[w] != nil {
        // "to respect media freedom": the verb's own dependent after it is its object.
        infinitiveObjectOf[w] = true
      } else {
        continue
      }
      relations[w] = "xcomp"
      uposOf[w] = "VERB"
      xposOf[w] = "VB"
      heads[t] = w
      relations[t] = "mark"
    }
    for c in parsed.words.indices {
      guard let w = heads[c], c > w, infinitiveObjectOf[w], ["nmod", "obl"].contains(relations[c].base),
        caseOf[c] == nil
      else { continue }
      relations[c] = "obj"
      infinitiveObjectOf[w] = false
    }
    self.heads = heads
    self.relations = relations
    baseRelations = relations.map(\.base)
    uposLabels = uposOf
    xposLabels = xposOf
    wordTokens = tokenOf
    children = Dependents(heads: heads)
    forms = foldedForms
    lemmas = folded.lemmas
  }

  /// Lowercased forms and lemmas, computed once: every part of the coder compares them.
  private let forms: [String]
  private let lemmas: [String]
  /// The tree as the coder reads it: the parser's, with clauses hung on time expressions
  /// moved to the verb.
  private let heads: [Int?]
  private let relations: [SyntaxLabel]
  /// Each relation without its subtype, and each word's UPOS: asked of the same words many times.
  private let baseRelations: [SyntaxLabel]
  private let uposLabels: [SyntaxLabel]
  /// Each word's Penn tag and token.
  private let xposLabels: [SyntaxLabel]
  private let wordTokens: [Int]

  var words: Range<Int> { sentence.words.indices }
  func relation(_ i: Int) -> SyntaxLabel { relations[i] }
  /// The relation without its subtype ("obl:agent" -> "obl").
  func baseRelation(_ i: Int) -> SyntaxLabel { baseRelations[i] }
  func lemma(_ i: Int) -> String { lemmas[i] }
  func form(_ i: Int) -> String { forms[i] }
  func upos(_ i: Int) -> SyntaxLabel { uposLabels[i] }
  /// The Penn tag of word `i` ("VBN").
  func xpos(_ i: Int) -> SyntaxLabel { xposLabels[i] }
  /// The index in `TextDocument.tokens` of word `i`.
  func token(_ i: Int) -> Int { wordTokens[i] }
  func head(_ i: Int) -> Int? { heads[i] }
  // The relations come as an array, not a set: callers pass literals of one to four names, and
  // a set literal is built and hashed anew on every call.
  func child(_ i: Int, _ relations: [SyntaxLabel]) -> Int? { children[i].first { relations.contains(relation($0)) } }
  func children(_ i: Int, _ relations: [SyntaxLabel]) -> [Int] {
    children[i].filter { relations.contains(relation($0)) }
  }

  /// The case word of a nominal ("with", "to"), lowercased; "on behalf of" gives "on".
  func caseWord(_ i: Int) -> String? {
    // (Asked of the same phrases by most parts of the coder: found once per word.)
    if caseWords.isEmpty { caseWords = words.map { w in child(w, ["case"]).map(form) } }
    return caseWords[i]
  }

  /// Whether word `i` has a case word in the frame table `wordClass` names (see `WordClass`):
  /// `caseWord(i).map(table.contains) ?? false`, with one lookup per case word per sentence.
  func caseIs(_ i: Int, _ wordClass: UInt32) -> Bool {
    if caseClasses.isEmpty {
      let classes = tables.classes
      caseClasses = words.map { w in caseWord(w).map { classes[$0] ?? 0 } ?? 0 }
    }
    return caseClasses[i] & wordClass != 0
  }

  /// Whether word `i`'s form is in the frame table `wordClass` names (see `WordClass`), looked
  /// up once per word.
  func formIs(_ i: Int, _ wordClass: UInt32) -> Bool {
    if formClasses.isEmpty { formClasses = [UInt32](repeating: UInt32.max, count: sentence.words.count) }
    if formClasses[i] == UInt32.max { formClasses[i] = tables.classes[forms[i]] ?? 0 }
    return formClasses[i] & wordClass != 0
  }

  /// Adds the `SenseIndex` object classes of word `i`'s form (or, with `lemma`, its lemma) to
  /// `bits`, looked up once per word: a verb's readings ask for the same words several times.
  func addObjectClasses(of i: Int, lemma: Bool, into bits: inout [UInt64]) {
    let n = forms.count
    if objectClassStarts.isEmpty { objectClassStarts = [Int32](repeating: -2, count: 2 * n) }
    let slot = lemma ? n + i : i
    var start = objectClassStarts[slot]
    if start == -2 {
      start = tables.senseIndex.classes(of: lemma ? lemmas[i] : forms[i]).map { Int32($0) } ?? -1
      objectClassStarts[slot] = start
    }
    if start >= 0 { tables.senseIndex.add(Int(start), to: &bits) }
  }

  /// Whether word `i`'s lemma is in the frame table `wordClass` names, looked up once per word.
  func lemmaIs(_ i: Int, _ wordClass: UInt32) -> Bool {
    if lemmaClasses.isEmpty { lemmaClasses = [UInt32](repeating: UInt32.max, count: sentence.words.count) }
    if lemmaClasses[i] == UInt32.max { lemmaClasses[i] = tables.classes[lemmas[i]] ?? 0 }
    return lemmaClasses[i] & wordClass != 0
  }

  /// The words of a phrase: the head, its modifiers and theirs (two levels), for matching
  /// object classes ("a new round of sanctions").
  func phraseWords(_ w: Int) -> [Int] {
    var out = [w]
    for c in children[w] where !["acl:relcl", "conj", "cc", "punct", "appos"].contains(relation(c)) {
      out.append(c)
      out.append(contentsOf: children[c].filter { !["acl:relcl", "punct"].contains(relation($0)) })
    }
    return out
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

  /// The "from" phrase of a verb of receiving, on the verb or, as the parser often hangs it,
  /// on its object ("received arms from X").
  func giverPhrase(of i: Int) -> Int? {
    let objects = children(i, ["obj"]).flatMap { [$0] + conjuncts(of: $0) }
    let candidates = children(i, ["obl"]) + objects.flatMap { children($0, ["nmod"]) }
    return candidates.first { caseWord($0) == "from" }
  }

  /// A word the tagger took for an adjective or noun although a modal governs it with no
  /// copula ("would free"): a verb.
  func isMistaggedVerb(_ i: Int) -> Bool { memo(Memo.mistaggedVerb, i) { computeIsMistaggedVerb(i) } }
  private func computeIsMistaggedVerb(_ i: Int) -> Bool {
    guard ["ADJ", "NOUN"].contains(upos(i)), !children[i].contains(where: { relation($0) == "cop" }) else {
      return false
    }
    return children[i].contains {
      relation($0) == "aux"
        && formIs($0, WordClass.futureAuxiliary | WordClass.obligationAuxiliary)
    }
  }

  /// Negated by "not", "never" or, for a noun, "no".
  func isNegated(_ i: Int) -> Bool { memo(Memo.negated, i) { computeIsNegated(i) } }
  private func computeIsNegated(_ i: Int) -> Bool {
    children[i].contains {
      ["advmod", "det", "neg"].contains(relation($0)) && formIs($0, WordClass.negation)
    }
      // "yielded no result", "made no concessions": an act with nothing as its object.
      || (upos(i) == "VERB"
        && children(i, ["obj"]).contains { o in
          children(o, ["det"]).contains { formIs($0, WordClass.negation) }
        })
  }

  /// Only might happen: under "if"/"unless", with "may", "might", "could", or conditional; or
  /// did not happen at all ("left without signing").
  func isHypothetical(_ i: Int) -> Bool { memo(Memo.hypothetical, i) { computeIsHypothetical(i) } }
  private func computeIsHypothetical(_ i: Int) -> Bool {
    if upos(i) == "VERB" || isMistaggedVerb(i), isConditional(i) { return true }
    // A conjunct shares its first verb's "if" ("if X released them and stopped ..."), a few
    // conjuncts up at most.
    if upos(i) == "VERB" {
      var k = i
      var steps = 0
      while relation(k) == "conj", let h = head(k), upos(h) == "VERB", steps < 6 {
        if children[h].contains(where: {
          relation($0) == "mark" && formIs($0, WordClass.hypotheticalMark | WordClass.unrealizedMark)
        }) {
          return true
        }
        k = h
        steps += 1
      }
    }
    return children[i].contains { c in
      (relation(c) == "mark" && formIs(c, WordClass.hypotheticalMark | WordClass.unrealizedMark))
        // "fight on until X ends its offensive": an end still awaited, in the present tense
        // of a past report ("until X withdrew" reports the withdrawal).
        || (relation(c) == "mark" && formIs(c, WordClass.demandingMark) && ["VBZ", "VBP", "VB"].contains(xpos(i)))
        || (relation(c) == "aux" && formIs(c, WordClass.uncertainAuxiliary))
        || (relation(c) == "amod" && formIs(c, WordClass.hypotheticalModifier))
        // ("before the meeting" is sometimes parsed with "before" as the noun's marker.)
        || (["case", "mark"].contains(relation(c)) && upos(i) == "NOUN"
          && formIs(c, WordClass.anticipatingCase | WordClass.backgroundCase))
        // "Under the declaration, the sides agree to ...": what the text of a proposal says, not
        // an act ("Under the plan, X will withdraw", said by X, is still X's announced intent;
        // "X and Y swapped prisoners under a deal" reports what was done under it).
        || (upos(i) == "VERB" && baseRelation(c) == "obl" && lemmaIs(c, WordClass.proposalNoun)
          && caseIs(c, WordClass.underCase) && !isPastAct(i)
          && !children[i].contains { relation($0) == "aux" && formIs($0, WordClass.futureAuxiliary) })
    }
  }

  /// A finite past or a perfect ("swapped", "have swapped"): an act reported as done.
  func isPastAct(_ i: Int) -> Bool {
    xpos(i) == "VBD" || (xpos(i) == "VBN" && children[i].contains { relation($0) == "aux" && lemma($0) == "have" })
  }

  /// Whether word `w` is a verb of saying (a sense of its lemma marked `speech`).
  func isSaying(_ w: Int) -> Bool {
    memo(Memo.saying, w) { tables.senseIndex.isSpeech(lemma: lemma(w), form: form(w)) }
  }

  /// Whether word `w`'s lemma is in one of the governor classes (intent, threat, demand, ...).
  func isGovernor(_ w: Int) -> Bool {
    lemmaIs(w, WordClass.governorLemma)
  }

  /// Per-word answers of `isSaying` (0 unknown, 1 no, 2 yes), in lane `Memo.saying` of
  /// `answers`: the coder asks it of the same words many times over (every clause walks up
  /// through its governors).
  /// `parties(of:)` of every word asked, filled on first use.
  var partiesOfWord: [[Int]?] = []
  /// The party of the one state the sentence names as the place where things happen (its
  /// country where the article names it), once asked (`Parties.placedAuthority`): nil not asked
  /// yet, `.some(nil)` none.
  var placedStateOfSentence: Int??
  /// The same for the other per-word questions that look forms up in the lexicon's sets (each
  /// a string hash): the tree and the lexicon do not change, so an answer stays true. One
  /// array of `Memo.lanes` lanes of `n` words, allocated on first use.
  private var answers: [UInt8] = []
  enum Memo {
    static let saying = 0
    static let mistaggedVerb = 1
    static let negated = 2
    static let hypothetical = 3
    static let lanes = 4
  }
  /// `caseWord` of every word, filled on first use, with its `WordClass` bits; each word's
  /// form's bits (`UInt32.max`: not looked up yet).
  private var caseWords: [String?] = []
  private var caseClasses: [UInt32] = []
  private var formClasses: [UInt32] = []
  private var lemmaClasses: [UInt32] = []
  /// `addObjectClasses`' answers: per form (words `0..<n`) then per lemma (`n..<2n`), where
  /// the word's classes start in `SenseIndex.pool` (-1: none; -2: not looked up yet).
  private var objectClassStarts: [Int32] = []

  private func memo(_ lane: Int, _ w: Int, _ compute: () -> Bool) -> Bool {
    let n = forms.count
    if answers.isEmpty { answers = [UInt8](repeating: 0, count: Memo.lanes * n) }
    let k = lane * n + w
    if answers[k] != 0 { return answers[k] == 2 }
    // (`compute` may ask other lanes: nothing of `answers` is held across it.)
    let answer = compute()
    answers[k] = answer ? 2 : 1
    return answer
  }

  /// Conditional: "would" in a clause no one is reported to say ("In exchange, X would
  /// free ..." states a term, "X said it would free ..." an intent).
  func isConditional(_ i: Int) -> Bool {
    guard
      children[i].contains(where: { relation($0) == "aux" && formIs($0, WordClass.conditionalAuxiliary) })
    else { return false }
    return !isReported(i)
  }

  /// Whether the clause of verb `i` is what someone says, intends or is asked: under a verb of
  /// saying or a governor, or with "X said" hung on it ("X would attend, a spokesman said").
  func isReported(_ i: Int) -> Bool {
    func reports(_ v: Int) -> Bool { upos(v) == "VERB" && (isSaying(v) || isGovernor(v)) }
    var k = i
    for _ in 0..<6 {
      if children(k, ["parataxis", "ccomp"]).contains(where: reports) { return true }
      guard let h = head(k), ["conj", "ccomp", "xcomp", "parataxis", "advcl"].contains(relation(k)) else {
        return false
      }
      if relation(k) != "conj", reports(h) { return true }
      k = h
    }
    return false
  }

  func isAnnounced(_ i: Int) -> Bool {
    children[i].contains { relation($0) == "aux" && formIs($0, WordClass.futureAuxiliary) }
  }

  /// Whether the act of verb `i` is announced by its own future auxiliary or by that of a
  /// verb whose complement it is asserted as ("will begin to withdraw", "will start lifting").
  func isAnnouncedAct(_ i: Int) -> Bool {
    if isAnnounced(i) { return true }
    var k = i
    for _ in 0..<3 {
      guard relation(k) == "xcomp", let g = head(k), upos(g) == "VERB",
        tables.lexicon.frames.transparentGovernors.contains(lemma(g))
      else { return false }
      if isAnnounced(g) { return true }
      k = g
    }
    return false
  }

  func isPassive(_ i: Int) -> Bool {
    // (An agent phrase makes a passive too: a participle the parser made the root, "the deal,
    // signed by X and Y, ...", has no other mark of one.)
    children[i].contains { ["nsubj:pass", "aux:pass", "csubj:pass", "obl:agent"].contains(relation($0)) }
      || isParticipleOfItsNoun(i)
  }

  /// A participle describing a noun ("the prisoners released by X"); a past form after its noun
  /// with no object or clause of its own is one too, whatever its tag says ("soldiers killed in
  /// X"; with an object, "X demanded that ...", the noun is the subject the parser misplaced).
  func isParticipleOfItsNoun(_ i: Int) -> Bool {
    guard relation(i) == "acl" else { return false }
    let tag = xpos(i)
    if tag == "VBN" { return true }
    return tag == "VBD" && (head(i).map { $0 < i } ?? false)
      && !children[i].contains { ["obj", "ccomp", "xcomp", "iobj"].contains(relation($0)) }
  }
}

/// Bits of the per-word facts `SentenceTree.init` collects while it repairs the parse.
enum WordFlag {
  static let hasCase: UInt16 = 1 << 0
  static let hasObject: UInt16 = 1 << 1
  static let passiveAuxiliary: UInt16 = 1 << 2
  static let caseChild: UInt16 = 1 << 3
  static let hasConjunct: UInt16 = 1 << 4
  static let hasCopula: UInt16 = 1 << 5
  static let auxiliary: UInt16 = 1 << 6
  static let objectOf: UInt16 = 1 << 7
  static let markedThat: UInt16 = 1 << 8
  static let otherMark: UInt16 = 1 << 9
}
