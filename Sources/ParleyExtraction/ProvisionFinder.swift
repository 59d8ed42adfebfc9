import ParleyKnowledge
import ParleyModel
import ParleyText

/// Finds the terms a proposal is said to contain, each with its category, who demands it and
/// whom it binds.
///
/// Provision-bearing text is a sentence with a trigger ("demands", "requires Ukraine to",
/// "in exchange for", "plan", "would include") or a list introduced by one ("demands that
/// Ukraine:", "The plan aims to:"). Such text is cut into clauses at separators and every clause
/// with a category cue becomes a provision.
public struct ProvisionFinder: ExtractionComponent {
  let lexicon: ProvisionLexicon
  let triggers: PhraseIndex
  let listTriggers: PhraseIndex
  let separators: [[String]]
  let leadStrip: [[String]]
  /// `separators` and `leadStrip` by their first word, in their own (longest first) order: the
  /// clause scan tries only those that can match at a token instead of every phrase.
  let separatorsByFirst: [String: [[String]]]
  let leadStripByFirst: [String: [[String]]]
  /// Cue phrases by the first two letters of their first word; the last word matches as a prefix.
  let cueIndex: [String: [(rank: Int, words: [String], exact: Bool)]]
  let categoryOrder: [ProvisionCategory]

  static let listStops: Set<String> = [
    "these", "this", "such", "both", "they", "it", "yet", "however", "but", "those", "that", "analysts", "critics",
  ]

  public init(lexicon: ProvisionLexicon) {
    self.lexicon = lexicon
    func split(_ xs: [String]) -> [[String]] { xs.map { Fold.key($0).split(separator: " ").map(String.init) } }
    triggers = PhraseIndex(split(lexicon.triggers))
    listTriggers = PhraseIndex(split(lexicon.listTriggers))
    separators = split(lexicon.clauseSeparators).sorted { $0.count > $1.count }
    leadStrip = split(lexicon.clauseLeadStrip).sorted { $0.count > $1.count }
    separatorsByFirst = Dictionary(grouping: separators.filter { !$0.isEmpty }, by: { $0[0] })
    leadStripByFirst = Dictionary(grouping: leadStrip.filter { !$0.isEmpty }, by: { $0[0] })
    var index: [String: [(rank: Int, words: [String], exact: Bool)]] = [:]
    for (rank, c) in lexicon.categories.enumerated() {
      for cue in c.cues {
        // A trailing "=" asks for the whole word: "region=" is not "regional".
        var words = Fold.key(cue).split(separator: " ").map(String.init)
        let exact = words.last == "="
        if exact { words.removeLast() }
        guard let first = words.first else { continue }
        index[String(first.prefix(2)), default: []].append((rank, words, exact))
      }
    }
    cueIndex = index
    categoryOrder = lexicon.categories.map(\.category)
  }

  public func process(_ doc: inout AnnotatedDocument) {
    let tokens = doc.text.tokens
    let sentences = doc.text.sentences
    var listContext: (demandedBy: Int?, appliesTo: Int?, plan: Int?)?
    var listItems = 0
    var previousParagraph = -1
    var seen: Set<String> = []
    var sentencesPerParagraph = [Int](repeating: 0, count: doc.text.clean.paragraphs.count)
    for s in sentences { sentencesPerParagraph[s.paragraph] += 1 }
    for (s, sentence) in sentences.enumerated() {
      let role = doc.text.role(of: sentence)
      guard role == .body || role == .listItem else {
        listContext = nil
        continue
      }
      let newParagraph = sentence.paragraph != previousParagraph
      previousParagraph = sentence.paragraph
      let words = doc.words(sentence.tokens)
      let sentencesInParagraph = sentencesPerParagraph[sentence.paragraph]
      // Items of a list opened by a trigger line.
      if let context = listContext, newParagraph {
        let first = words.first ?? ""
        let isItem =
          role == .listItem
          || (sentencesInParagraph == 1 && words.count <= 24 && !Self.listStops.contains(first) && listItems < 12)
        if isItem {
          listItems += 1
          emit(
            &doc, sentence: s, range: sentence.tokens, demandedBy: context.demandedBy, appliesTo: context.appliesTo,
            plan: context.plan, seen: &seen)
          continue
        }
        listContext = nil
      } else if listContext != nil && !newParagraph {
        continue
      }
      guard let triggerAt = firstMatch(triggers, words) else { continue }
      let (demander, bound) = parties(doc, sentence: s, range: sentence.tokens)
      let plan = planPoints(doc, range: sentence.tokens)
      let endsWithColon = tokens[sentence.tokens.upperBound - 1].lower == ":"
      if endsWithColon, firstMatch(listTriggers, words) != nil || triggerAt >= 0 {
        listContext = (demander, bound, plan)
        listItems = 0
      }
      emit(
        &doc, sentence: s, range: sentence.tokens, demandedBy: demander, appliesTo: bound, plan: plan, seen: &seen,
        governed: governedTokens(doc, sentence: s))
    }
  }

  /// Tokens of a sentence that lie under a proposal in its parse: the complements of a word
  /// whose lemma governs terms ("demands that ...", "a plan to ...", "in exchange for ..."),
  /// and clauses stated as terms ("Ukraine would cede ..."). Nil without a parse.
  static let outsideTerms: Set<String> = [
    "nsubj", "nsubj:pass", "csubj", "cc", "det", "case", "mark", "aux", "cop", "compound",
  ]

  func governedTokens(_ doc: AnnotatedDocument, sentence s: Int) -> Set<Int>? {
    guard s < doc.syntax.count, doc.syntax[s].sentence == s else { return nil }
    let sentence = doc.syntax[s]
    let words = sentence.words
    var children = [[Int]](repeating: [], count: words.count)
    for i in words.indices {
      if let h = sentence.head(of: i), h < children.count { children[h].append(i) }
    }
    // Punctuation stays in: a misparsed clause can hang off it, and a well-parsed one has no dependents.
    // A proposal's own name ("land concessions", "Ukraine peace plan") is not one of its terms.
    let outside = Self.outsideTerms
    var frontier: [Int] = []
    for i in words.indices {
      if lexicon.governors.contains(words[i].analysis.lemma.lowercased()) {
        frontier += children[i].filter { !outside.contains(words[$0].analysis.relation) }
      }
      if children[i].contains(where: {
        words[$0].analysis.relation == "aux" && lexicon.termAuxiliaries.contains(words[$0].form.lowercased())
      }) {
        frontier.append(i)
      }
    }
    var governed: Set<Int> = []
    var visited = Set<Int>()
    while let w = frontier.popLast() {
      guard visited.insert(w).inserted else { continue }
      // What a proposal only could do ("a plan that could reshape alliances") is no term of it.
      if children[w].contains(where: {
        words[$0].analysis.relation == "aux" && lexicon.speculativeAuxiliaries.contains(words[$0].form.lowercased())
      }) {
        continue
      }
      governed.insert(words[w].token)
      frontier += children[w]
    }
    return governed
  }

  /// Index of the first word where one of `phrases` starts, or nil.
  func firstMatch(_ phrases: PhraseIndex, _ words: [String]) -> Int? {
    for i in words.indices {
      guard let candidates = phrases.byFirstWord[words[i]] else { continue }
      for p in candidates where i + p.count <= words.count {
        if zip(p, words[i...]).allSatisfy({ $0.0 == $0.1 }) { return i }
      }
    }
    return nil
  }

  /// Who demands (the subject of a demand verb) and whom it binds (its object), if named.
  func parties(_ doc: AnnotatedDocument, sentence s: Int, range: Range<Int>) -> (Int?, Int?) {
    let tokens = doc.text.tokens
    let participants = doc.mentions(inSentence: s).filter { $0.isParticipant }
    guard let verb = range.first(where: { lexicon.demandVerbs.contains(tokens[$0].lower) }) else {
      return (nil, participants.first?.actor)
    }
    let demander = participants.last { $0.tokens.upperBound <= verb }?.actor
    let bound = participants.first { $0.tokens.lowerBound > verb && $0.tokens.lowerBound <= verb + 4 }?.actor
    return (demander, bound)
  }

  func planPoints(_ doc: AnnotatedDocument, range: Range<Int>) -> Int? {
    let span = doc.text.span(tokens: range)
    return doc.plans.first { span.contains($0.span) }?.points
  }

  /// Cuts tokens into clauses and emits each clause that has a category cue.
  func emit(
    _ doc: inout AnnotatedDocument, sentence s: Int, range: Range<Int>, demandedBy: Int?, appliesTo: Int?, plan: Int?,
    seen: inout Set<String>, governed: Set<Int>? = nil
  ) {
    let tokens = doc.text.tokens
    var clauses: [Range<Int>] = []
    // The last word of the separator before each clause ("plus", "and"), by the clause's start.
    var separatorBefore: [Int: String] = [:]
    var start = range.lowerBound
    var k = range.lowerBound
    while k < range.upperBound {
      var matched = 0
      // An empty separator would match anywhere and end the search with no match: it can only
      // come last (longest first), after every real one failed, so leaving it out changes nothing.
      for sep in separatorsByFirst[tokens[k].lower] ?? [] where k + sep.count <= range.upperBound {
        if zip(sep, k...).allSatisfy({ tokens[$0.1].lower == $0.0 }) {
          matched = sep.count
          break
        }
      }
      // "5,000" is one number token, so commas here are real separators.
      if matched > 0 {
        if k > start { clauses.append(start..<k) }
        k += matched
        start = k
        separatorBefore[k] = tokens[k - 1].lower
      } else {
        k += 1
      }
    }
    if start < range.upperBound { clauses.append(start..<range.upperBound) }
    // A list of names ("the Donetsk, Luhansk, Zaporizhzhia and Kherson regions") is one term.
    var merged: [Range<Int>] = []
    for c in clauses {
      let named = tokens[c.lowerBound].lower == "the" ? (c.lowerBound + 1)..<c.upperBound : c
      if let last = merged.last, named.count <= 3, c.contains(where: { tokens[$0].isCapitalized }),
        c.dropLast().allSatisfy({ tokens[$0].isCapitalized || tokens[$0].kind == .punct || tokens[$0].lower == "the" })
      {
        merged[merged.count - 1] = last.lowerBound..<c.upperBound
      } else {
        merged.append(c)
      }
    }
    clauses = merged
    let participants = doc.mentions(inSentence: s).filter { $0.isParticipant }
    var termSeen = false
    for var clause in clauses {
      let rawStart = clause.lowerBound
      // Trim lead words and trailing punctuation.
      var trimmed = true
      while trimmed, !clause.isEmpty {
        trimmed = false
        for lead in leadStripByFirst[tokens[clause.lowerBound].lower] ?? [] where lead.count < clause.count {
          if zip(lead, clause).allSatisfy({ tokens[$0.1].lower == $0.0 }) {
            clause = (clause.lowerBound + lead.count)..<clause.upperBound
            trimmed = true
            break
          }
        }
      }
      while !clause.isEmpty, tokens[clause.upperBound - 1].kind == .punct, tokens[clause.upperBound - 1].lower != "%" {
        clause = clause.lowerBound..<(clause.upperBound - 1)
      }
      while !clause.isEmpty, tokens[clause.lowerBound].kind == .punct, tokens[clause.lowerBound].lower != "$" {
        clause = (clause.lowerBound + 1)..<clause.upperBound
      }
      guard clause.count >= 1, let category = categorize(tokens, clause) else { continue }
      // Outside a list of terms, a clause that only mentions a topic is no term.
      if let governed {
        let lead = separatorBefore[rawStart] ?? tokens[rawStart].lower
        let continues = termSeen && lexicon.termContinuations.contains(lead)
        guard continues || clause.contains(where: governed.contains) else { continue }
        termSeen = true
      }
      let (text, span) = doc.sourceText(tokens: clause)
      if !seen.insert("\(span.start):\(span.end):\(category.rawValue)").inserted { continue }
      // Whom it binds: the demand's object, else the clause's own subject.
      let subject = participants.first { clause.contains($0.tokens.lowerBound) }?.actor
      let bound = appliesTo ?? subject
      doc.provisions.append(
        Provision(
          category: category, text: text, span: span, demandedBy: demandedBy.map { doc.actors[$0].id },
          appliesTo: bound.map { doc.actors[$0].id }, planPoints: plan))
    }
  }

  /// The first category (in lexicon order) with a cue in the clause. Cue words match whole
  /// words except the last, which matches as a prefix ("recogni" -> "recognition").
  func categorize(_ tokens: [Token], _ clause: Range<Int>) -> ProvisionCategory? {
    // The most specific cue wins ("security coordination" over "mechanism"); ties go to
    // the category listed first.
    var best: (length: Int, rank: Int)?
    for k in clause {
      guard let candidates = cueIndex[String(tokens[k].lower.prefix(2))] else { continue }
      for (rank, words, exact) in candidates where k + words.count <= clause.upperBound {
        var ok = true
        for (n, w) in words.enumerated() {
          let t = tokens[k + n].lower
          // Short cue words match whole words (and plurals): "aid" is not "aide", "oil" not "oilfield".
          let matches =
            n < words.count - 1 || exact ? t == w : (w.count <= 4 ? (t == w || t == w + "s") : t.hasPrefix(w))
          if !matches {
            ok = false
            break
          }
        }
        guard ok else { continue }
        if let b = best, b.length > words.count || (b.length == words.count && b.rank <= rank) { continue }
        best = (words.count, rank)
      }
    }
    return best.map { categoryOrder[$0.rank] }
  }

}

/// Phrases indexed by their first word, so a scan costs one lookup per word.
struct PhraseIndex: Sendable {
  let byFirstWord: [String: [[String]]]
  init(_ phrases: [[String]]) {
    var index: [String: [[String]]] = [:]
    for p in phrases {
      if let first = p.first { index[first, default: []].append(p) }
    }
    byFirstWord = index
  }
}
