import ParleyKnowledge
import ParleyModel
import ParleySyntax
import ParleyText

/// Finds the terms a proposal is said to contain, each with its category, who demands it and
/// whom it binds.
///
/// Terms are read from the dependency parse (`TermReader`): the complements of a verb or noun
/// of demanding or containing ("demands that ...", "calls for ...", "the plan includes ..."),
/// clauses under a proposal ("Under the deal, X would ..."), both sides of an exchange ("in
/// exchange for ..."), and the items of a list such a clause introduces ("demands that Ukraine:").
/// The governed words are cut into clauses at separators and every clause with a category cue
/// becomes a provision. A sentence that only mentions a topic governs nothing.
public struct ProvisionFinder: ExtractionComponent {
  let lexicon: ProvisionLexicon
  let separators: [[String]]
  /// `separators` and `leadStrip` by their first word, in their own (longest first) order: the
  /// clause scan tries only those that can match at a token instead of every phrase.
  let separatorsByFirst: [String: [[String]]]
  let leadStripByFirst: [String: [[String]]]
  /// Cue phrases by the first two letters of their first word; the last word matches as a prefix.
  /// `short` and `plural` are of the last word, worked out once here rather than per comparison.
  let cueIndex: [String: [(rank: Int, words: [String], exact: Bool, short: Bool, plural: String)]]
  let categoryOrder: [ProvisionCategory]
  /// `lexicon` by reference, for the reader of every sentence.
  let tables: ProvisionTables

  public init(lexicon: ProvisionLexicon) {
    self.lexicon = lexicon
    tables = ProvisionTables(lexicon)
    func split(_ xs: [String]) -> [[String]] { xs.map { Fold.key($0).split(separator: " ").map(String.init) } }
    separators = split(lexicon.clauseSeparators).sorted { $0.count > $1.count }
    let leadStrip = split(lexicon.clauseLeadStrip).sorted { $0.count > $1.count }
    separatorsByFirst = Dictionary(grouping: separators.filter { !$0.isEmpty }, by: { $0[0] })
    leadStripByFirst = Dictionary(grouping: leadStrip.filter { !$0.isEmpty }, by: { $0[0] })
    var index: [String: [(rank: Int, words: [String], exact: Bool, short: Bool, plural: String)]] = [:]
    for (rank, c) in lexicon.categories.enumerated() {
      for cue in c.cues {
        // A trailing "=" asks for the whole word: "region=" is not "regional".
        var words = Fold.key(cue).split(separator: " ").map(String.init)
        let exact = words.last == "="
        if exact { words.removeLast() }
        guard let first = words.first, let last = words.last else { continue }
        index[String(first.prefix(2)), default: []].append((rank, words, exact, last.count <= 4, last + "s"))
      }
    }
    cueIndex = index
    categoryOrder = lexicon.categories.map(\.category)
  }

  /// Who demands and whom a list of terms binds, carried from its introducing line to its items.
  struct ListContext {
    var demandedBy: Int?
    var appliesTo: Int?
    var plan: Int?
    var items = 0
  }

  public func process(_ doc: inout AnnotatedDocument) {
    let tokens = doc.text.tokens
    let sentences = doc.text.sentences
    // Without a parse nothing can be read as governed by a proposal.
    guard !doc.syntax.isEmpty else { return }
    var listContext: ListContext?
    var previousParagraph = -1
    // The paragraph whose last sentence stated terms: its next sentence may go on stating them
    // ("The plan calls for X. Israel would also Y.").
    var termParagraph = -1
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
      let tree = TermReader(doc: doc, sentence: s, tables: tables)
      // Items of a list opened by a line that introduces terms.
      if var context = listContext, newParagraph {
        // (The words are read only here: most sentences open no list item.)
        let words = doc.words(sentence.tokens)
        let first = words.first ?? ""
        let isItem =
          role == .listItem
          || (sentencesPerParagraph[sentence.paragraph] == 1 && words.count <= 24 && !lexicon.listStops.contains(first)
            && context.items < 12)
        if isItem {
          context.items += 1
          listContext = context
          let bound = context.appliesTo ?? tree?.itemSubject().flatMap { participant(doc, s, $0) }
          emit(
            &doc, sentence: s, range: sentence.tokens, demandedBy: context.demandedBy, appliesTo: bound,
            plan: context.plan, seen: &seen, tree: tree, governed: nil)
          continue
        }
        listContext = nil
      } else if listContext != nil && !newParagraph {
        continue
      }
      guard let tree else { continue }
      let continuing = termParagraph == sentence.paragraph
      let terms = tree.read(continuing: continuing)
      guard !terms.governed.isEmpty || terms.introducesList else {
        if newParagraph || !continuing { termParagraph = -1 }
        continue
      }
      let demander = terms.demander.flatMap { participant(doc, s, $0) }
      var bound = terms.bound.flatMap { participant(doc, s, $0) }
      // "demands that Ukraine:": the party that ends a line introducing a list is who its items bind.
      if bound == nil, terms.introducesList, tokens[sentence.tokens.upperBound - 1].lower == ":" {
        bound = doc.mentions(inSentence: s).last { $0.isParticipant && $0.actor != demander }?.actor
      }
      let plan = planPoints(doc, range: sentence.tokens)
      let endsWithColon = tokens[sentence.tokens.upperBound - 1].lower == ":"
      let nextIsItem =
        s + 1 < sentences.count && sentences[s + 1].paragraph != sentence.paragraph
        && doc.text.role(of: sentences[s + 1]) == .listItem
      if terms.introducesList && (endsWithColon || nextIsItem) {
        listContext = ListContext(demandedBy: demander, appliesTo: bound, plan: plan)
      }
      // A line that ends in a colon only names what its list states ("pushing for guarantees:").
      if endsWithColon && terms.introducesList { continue }
      emit(
        &doc, sentence: s, range: sentence.tokens, demandedBy: demander, appliesTo: bound, plan: plan, seen: &seen,
        tree: tree, governed: terms.governed)
      // Only a sentence stating terms lets the next one go on with them: one naming what an
      // agreement does or what talks touch ("refused any deal granting X the islands") starts none.
      termParagraph = terms.statesTerms ? sentence.paragraph : -1
    }
  }

  /// The actor a participant mention at or inside the phrase of token `k` names.
  func participant(_ doc: AnnotatedDocument, _ s: Int, _ phrase: Range<Int>) -> Int? {
    doc.mentions(inSentence: s).first { $0.isParticipant && phrase.contains($0.tokens.lowerBound) }?.actor
  }

  func planPoints(_ doc: AnnotatedDocument, range: Range<Int>) -> Int? {
    let span = doc.text.span(tokens: range)
    return doc.plans.first { span.contains($0.span) }?.points
  }

  /// Cuts tokens into clauses, trims each to its governed tokens and emits each clause that has
  /// a category cue. Returns how many provisions it added.
  @discardableResult
  func emit(
    _ doc: inout AnnotatedDocument, sentence s: Int, range: Range<Int>, demandedBy: Int?, appliesTo: Int?, plan: Int?,
    seen: inout Set<String>, tree: TermReader?, governed: Set<Int>?
  ) -> Int {
    let tokens = doc.text.tokens
    var clauses: [Range<Int>] = []
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
      // "cultural and political guarantees": a separator between modifiers of one noun cuts nothing.
      if matched > 0, let tree, tree.joinsModifiers(before: k, after: k + matched) { matched = 0 }
      // "5,000" is one number token, so commas here are real separators.
      if matched > 0 {
        if k > start { clauses.append(start..<k) }
        k += matched
        start = k
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
    var added = 0
    for var clause in clauses {
      // Only what the proposal governs is its term: "X said Moscow demands Y" gives "Y".
      if let governed {
        guard let first = clause.first(where: governed.contains), let last = clause.last(where: governed.contains)
        else { continue }
        clause = first..<(last + 1)
      }
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
      // "keeping sanctions until Russia ends the occupation": the words after a condition mark
      // qualify the term, so they name neither its category nor whom it binds.
      let content =
        clause.dropFirst().first { lexicon.conditionMarks.contains(tokens[$0].lower) }.map {
          clause.lowerBound..<$0
        } ?? clause
      guard clause.count >= 1, let category = categorize(tokens, content, tree: tree) else { continue }
      let (text, span) = doc.sourceText(tokens: clause)
      if !seen.insert("\(span.start):\(span.end):\(category.rawValue)").inserted { continue }
      // Whom it binds: the demand's object, else the term's own subject (without a parse, the
      // first party it names).
      let subject: Int?
      if let tree {
        subject = tree.termSubject(tokens: content).flatMap { participant(doc, s, $0) }
      } else {
        subject = participants.first { content.contains($0.tokens.lowerBound) }?.actor
      }
      let bound = appliesTo ?? subject
      doc.provisions.append(
        Provision(
          category: category, text: text, span: span, demandedBy: demandedBy.map { doc.actors[$0].id },
          appliesTo: bound.map { doc.actors[$0].id }, planPoints: plan))
      added += 1
    }
    return added
  }

  /// The category of the cue nearest the top of the clause's tree: a term is about its head
  /// ("a committee ... under supervision" is governance), not about a word deep inside it. Ties
  /// go to the longer cue, then to the category listed first. Cue words match whole words
  /// except the last, which matches as a prefix ("recogni" -> "recognition"). Words that only
  /// name a proposal ("ceasefire" in "a ceasefire model") or who acts are not its content.
  func categorize(_ tokens: [Token], _ clause: Range<Int>, tree: TermReader?) -> ProvisionCategory? {
    var best: (depth: Int, length: Int, rank: Int)?
    for k in clause {
      guard let candidates = cueIndex[String(tokens[k].lower.prefix(2))] else { continue }
      if let tree, tree.isOutsideContent(token: k) { continue }
      for (rank, words, exact, short, plural) in candidates where k + words.count <= clause.upperBound {
        var ok = true
        for (n, w) in words.enumerated() {
          let t = tokens[k + n].lower
          // Short cue words match whole words (and plurals): "aid" is not "aide", "oil" not "oilfield".
          let matches =
            n < words.count - 1 || exact ? t == w : (short ? (t == w || t == plural) : t.hasPrefix(w))
          if !matches {
            ok = false
            break
          }
        }
        guard ok else { continue }
        let depth = tree.map { t in (k..<(k + words.count)).map { t.depth(token: $0) }.min() ?? 0 } ?? 0
        if let b = best,
          b.depth < depth
            || (b.depth == depth && (b.length > words.count || (b.length == words.count && b.rank <= rank)))
        {
          continue
        }
        best = (depth, words.count, rank)
      }
    }
    return best.map { categoryOrder[$0.rank] }
  }
}
