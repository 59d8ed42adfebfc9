import ParleyKnowledge
import ParleyModel
import ParleyText

/// Finds actor mentions and links them to canonical identities.
///
/// Knowledge-base names are matched with the gazetteer (longest match, case rules, surnames only
/// after a full mention). Names the knowledge base lacks are found by their shape — a run of
/// capitalized words — and kept only with evidence of what they are: a given name or a title
/// for people ("Ukrainian official X"), an organization word ("... Fund", "state firm X").
public struct ActorRecognizer: ExtractionComponent {
  let kb: KnowledgeBase
  let names: NameLexicon

  public init(kb: KnowledgeBase, names: NameLexicon) {
    self.kb = kb
    self.names = names
  }

  /// Doc-local state: what was mentioned in full, and surnames of people found by shape.
  struct State {
    var mentionedEntities: Set<Int32> = []
    var localSurnames: [String: Int] = [:]
  }

  static let possessive = "'s"

  public func process(_ doc: inout AnnotatedDocument) {
    var state = State()
    let tokens = doc.text.tokens
    for (s, sentence) in doc.text.sentences.enumerated() {
      let role = doc.text.role(of: sentence)
      if role == .boilerplate { continue }
      let titleCase = role == .heading || isTitleCase(tokens, sentence.tokens)
      var i = sentence.tokens.lowerBound
      let end = sentence.tokens.upperBound
      while i < end {
        if let used = matchKnown(&doc, &state, at: i, end: end, sentence: s, sentenceStart: sentence.tokens.lowerBound)
        {
          i += used
          continue
        }
        if !titleCase,
          let used = matchShape(&doc, &state, at: i, end: end, sentence: s, sentenceStart: sentence.tokens.lowerBound)
        {
          i += used
          i += defineAcronym(&doc, &state, at: i, end: end, sentence: s)
          continue
        }
        i += 1
      }
    }
    doc.indexMentions()
    affiliateFromAppositions(&doc)
    affiliateMembers(&doc)
  }

  /// "M23 spokesman X", "Hamas political chief X": a person whose title is an armed or
  /// political group's stands for that group (a few words back, no punctuation between).
  func affiliateMembers(_ doc: inout AnnotatedDocument) {
    let tokens = doc.text.tokens
    for m in doc.mentions where doc.actors[m.actor].kind == .person && doc.actors[m.actor].group == nil {
      let lowerBound = doc.text.sentences[m.sentence].tokens.lowerBound
      var k = m.tokens.lowerBound - 1
      var titled = false
      while k >= lowerBound, m.tokens.lowerBound - k <= 6 {
        let w = tokens[k]
        if w.kind == .punct && !["'s", "-", "."].contains(w.lower) { break }
        if let other = doc.mention(atToken: k), other.actor != m.actor {
          let group = doc.actors[other.actor]
          if titled, group.kind == .organization, isNonState(group) { doc.actors[m.actor].group = group.id }
          break
        }
        if names.titles[w.lower] != nil { titled = true }
        k -= 1
      }
    }
  }

  /// "Omar Abdullah, the chief minister of Jammu and Kashmir,": a name the knowledge base lacks
  /// takes the state of what its apposition names.
  func affiliateFromAppositions(_ doc: inout AnnotatedDocument) {
    let tokens = doc.text.tokens
    for (index, actor) in doc.actors.enumerated() where !actor.known && actor.affiliation == nil && actor.kind != .media
    {
      guard let m = doc.mentions.first(where: { $0.actor == index }) else { continue }
      let sentence = doc.text.sentences[m.sentence].tokens
      var segment: Range<Int>?
      if m.tokens.upperBound + 1 < sentence.upperBound, tokens[m.tokens.upperBound].lower == ",",
        ["a", "an", "the"].contains(tokens[m.tokens.upperBound + 1].lower)
          || names.titles[tokens[m.tokens.upperBound + 1].lower] != nil
      {
        // "X, the chief minister of Jammu and Kashmir,"
        var end = m.tokens.upperBound + 1
        while end < min(sentence.upperBound, m.tokens.upperBound + 14), tokens[end].lower != "," { end += 1 }
        segment = (m.tokens.upperBound + 1)..<end
      } else if m.tokens.lowerBound - 1 > sentence.lowerBound, tokens[m.tokens.lowerBound - 1].lower == "," {
        // "Cambodia's defence ministry spokeswoman, X,"
        var start = m.tokens.lowerBound - 2
        while start > sentence.lowerBound, m.tokens.lowerBound - start < 14, tokens[start - 1].lower != "," {
          start -= 1
        }
        let candidate = start..<(m.tokens.lowerBound - 1)
        if candidate.contains(where: { names.titles[tokens[$0].lower] != nil }) { segment = candidate }
      }
      guard let segment else { continue }
      for k in segment {
        if let other = doc.mention(atToken: k), other.actor != index, let aff = doc.actors[other.actor].affiliation {
          doc.actors[index].affiliation = aff
          break
        }
      }
    }
  }

  /// Headlines and headings in Title Case: shape-based names there are unreliable.
  func isTitleCase(_ tokens: [Token], _ range: Range<Int>) -> Bool {
    let words = range.filter { tokens[$0].kind == .word && tokens[$0].length > 3 }
    guard words.count >= 3 else { return false }
    let caps = words.filter { tokens[$0].isCapitalized }.count
    let last = tokens[range.upperBound - 1].lower
    return Double(caps) / Double(words.count) >= 0.75 && ![".", "!"].contains(last)
  }

  // MARK: Knowledge-base names

  func matchKnown(
    _ doc: inout AnnotatedDocument, _ state: inout State, at i: Int, end: Int, sentence: Int, sentenceStart: Int
  ) -> Int? {
    let tokens = doc.text.tokens
    guard tokens[i].kind != .punct else { return nil }
    // A name found by shape earlier links by its surname.
    if tokens[i].isCapitalized, let actor = state.localSurnames[tokens[i].lower],
      i + 1 >= end || !tokens[i + 1].isCapitalized
    {
      doc.mentions.append(
        ActorMention(
          actor: actor, tokens: i..<(i + 1), sentence: sentence, isModifierDemonym: false, isParticipant: true))
      return 1
    }
    let matches = kb.gazetteer.matches(tokens, at: i, end: end)
    for m in matches.reversed() {
      guard let entry = choose(m.entries, state: state) else { continue }
      let entity = kb.entity(at: entry.entity)
      var length = m.length
      // A longer name of unknown shape that starts with this one wins ("Russian Direct Investment Fund").
      if let org = unknownOrganization(tokens, from: i, end: end), org > length {
        return nil
      }
      // "Trump administration": an organization of the person's state.
      if entity.kind == .person, i + length < end,
        names.derivedOrganizationSuffixes.contains(tokens[i + length].lower), tokens[i + length].kind == .word
      {
        let range = i..<(i + length + 1)
        let (text, _) = doc.sourceText(tokens: range)
        let name = normalizedName(text)
        let a = doc.actor(
          id: Slug.make(name), name: name, kind: .organization, affiliation: entity.affiliation, role: nil,
          known: false,
          entity: nil)
        doc.mentions.append(
          ActorMention(actor: a, tokens: range, sentence: sentence, isModifierDemonym: false, isParticipant: true))
        return length + 1
      }
      if entity.kind == .place, i + length < end, names.regionSuffixes.contains(tokens[i + length].lower) {
        length += 1
      }
      if entity.kind == .media && entry.form == .surname { continue }
      // "ethnic Albanians": a people, who may be citizens of any state.
      if entry.form == .demonym, i > 0, names.ethnicCues.contains(tokens[i - 1].lower) { return length }
      var start = i
      if entity.kind == .person, entry.form != .name, i > 0, misspelledGivenName(tokens[i - 1], of: entity),
        !doc.mentions.contains(where: { $0.tokens.contains(i - 1) }), tokens[i - 1].end + 1 == tokens[i].start
      {
        // "Volodymry Zelenskyy": a misspelled given name still belongs to the name.
        start = i - 1
      }
      state.mentionedEntities.insert(entry.entity)
      let a = doc.actor(
        id: entity.id, name: entity.name, kind: entity.kind, affiliation: entity.affiliation, role: entity.role,
        known: true, entity: entry.entity, sector: entity.sector)
      var isModifier = false
      var participant = isParticipant(entity)
      // "the Washington agreement", "the Doha track": a place naming a process does not act.
      if entity.kind == .place, i + length < end, names.modifierNouns.contains(tokens[i + length].lower) {
        participant = false
      }
      if entry.form == .demonym {
        let next = i + length < end ? tokens[i + length] : nil
        let plural = tokens[i + length - 1].lower.hasSuffix("s")
        var head = next.map { names.actorHeads.contains($0.lower) } ?? false
        // "Russian and Ukrainian delegations": coordinated adjectives share the head noun.
        if !head, let n = next, n.lower == "and" || n.lower == ",", i + length + 2 < end,
          tokens[i + length + 1].isCapitalized, names.actorHeads.contains(tokens[i + length + 2].lower)
        {
          head = true
        }
        // "the Ukrainians" or "Ukrainian officials" act; "Russian control" only names.
        isModifier = !(plural || head)
        participant = participant && !isModifier
      }
      doc.mentions.append(
        ActorMention(
          actor: a, tokens: start..<(i + length), sentence: sentence, isModifierDemonym: isModifier,
          isParticipant: participant))
      return length
    }
    return nil
  }

  /// A capitalized word within two edits of the person's given name ("Volodymry" for "Volodymyr").
  func misspelledGivenName(_ t: Token, of e: Entity) -> Bool {
    guard t.isCapitalized, t.kind == .word, t.length >= 4 else { return false }
    for full in [e.name] + e.aliases {
      guard let given = full.split(separator: " ").first.map({ Fold.key(String($0)) }), given.count >= 4 else {
        continue
      }
      if given != t.lower, EditDistance.damerau(given, t.lower, limit: 2) <= 2 { return true }
    }
    return false
  }

  /// Picks the entry to link: surnames only after a full mention; already-mentioned entities first.
  func choose(_ entries: [AliasEntry], state: State) -> AliasEntry? {
    let valid = entries.filter { $0.form != .surname || state.mentionedEntities.contains($0.entity) }
    guard !valid.isEmpty else { return nil }
    return valid.max { a, b in
      let am = state.mentionedEntities.contains(a.entity)
      let bm = state.mentionedEntities.contains(b.entity)
      if am != bm { return !am }
      if a.form != b.form { return a.form < b.form }
      return kindRank(kb.entity(at: a.entity).kind) < kindRank(kb.entity(at: b.entity).kind)
    }
  }

  func kindRank(_ k: ActorKind) -> Int {
    switch k {
    case .country: return 5
    case .organization: return 4
    case .person: return 3
    case .place: return 2
    case .media: return 1
    }
  }

  /// Countries, people and organizations act; places act when they stand for a government
  /// (capitals, seats of organizations, regions such as Europe).
  func isParticipant(_ e: Entity) -> Bool {
    switch e.kind {
    case .person, .organization, .country: return true
    case .media: return false
    case .place:
      if e.role == "capital" { return true }
      guard let aff = e.affiliation else { return false }
      return aff.count != 3 || aff == "EUR"
    }
  }

  // MARK: Names found by shape

  /// Length of an unknown organization name starting at `i` that ends in an organization word.
  func unknownOrganization(_ tokens: [Token], from i: Int, end: Int) -> Int? {
    var k = i
    var lastHead: Int?
    while k < end,
      tokens[k].isCapitalized
        || ((names.nameConnectors.contains(tokens[k].lower) || isNameInternalPossessive(tokens, k))
          && k > i && k + 1 < end && tokens[k + 1].isCapitalized)
    {
      if names.organizationHeads.contains(tokens[k].lower), tokens[k].isCapitalized { lastHead = k }
      k += 1
    }
    guard let h = lastHead, h > i else { return nil }
    return h - i + 1
  }

  /// "X Liberation Front (XLF)": an acronym in parentheses right after a name found by shape
  /// is that organization's name for the rest of the article. Returns the tokens it used.
  func defineAcronym(_ doc: inout AnnotatedDocument, _ state: inout State, at i: Int, end: Int, sentence: Int) -> Int {
    let tokens = doc.text.tokens
    guard i + 2 < end, tokens[i].lower == "(", tokens[i + 2].lower == ")", tokens[i + 1].isAllCaps,
      (2...8).contains(tokens[i + 1].length),
      let named = doc.mentions.last, named.tokens.upperBound == i, named.sentence == sentence,
      doc.actors[named.actor].kind == .organization, !doc.actors[named.actor].known,
      kb.gazetteer.matches(tokens, at: i + 1, end: i + 2).isEmpty
    else { return 0 }
    state.localSurnames[tokens[i + 1].lower] = named.actor
    doc.mentions.append(
      ActorMention(
        actor: named.actor, tokens: (i + 1)..<(i + 2), sentence: sentence, isModifierDemonym: false,
        isParticipant: true))
    return 3
  }

  /// A possessive clitic attached to a capitalized word no known name ends with: inside an
  /// organization's name it is part of the name ("X People's Liberation Front"); after a known
  /// name it is that name's ("Y's Foreign Ministry").
  func isNameInternalPossessive(_ tokens: [Token], _ k: Int) -> Bool {
    guard k > 0, tokens[k].lower == Self.possessive, tokens[k].start == tokens[k - 1].end,
      tokens[k - 1].isCapitalized
    else { return false }
    for j in max(0, k - 4)..<k where kb.gazetteer.matches(tokens, at: j, end: k).contains(where: { j + $0.length == k })
    {
      return false
    }
    return true
  }

  func matchShape(
    _ doc: inout AnnotatedDocument, _ state: inout State, at i: Int, end: Int, sentence: Int, sentenceStart: Int
  ) -> Int? {
    let tokens = doc.text.tokens
    let t = tokens[i]
    // A word that is no name elsewhere opens one between a title and a capitalized word: "He",
    // "Long" and "Du" are surnames in "Vice Premier He Lifeng".
    let titledName =
      i > sentenceStart && i + 1 < end && names.titles[tokens[i - 1].lower] != nil && tokens[i + 1].kind == .word
      && tokens[i + 1].isCapitalized && !names.nonNames.contains(tokens[i + 1].lower)
    guard t.kind == .word, t.isCapitalized, titledName || !names.nonNames.contains(t.lower) else { return nil }
    // The run of capitalized words, stopping where a known name starts.
    var k = i
    while k < end {
      let w = tokens[k]
      if w.kind == .word && w.isCapitalized && (k == i || !names.nonNames.contains(w.lower)) {
        // A surname whose full name was not mentioned links to no one: "President Smith" stays one run.
        if k > i,
          kb.gazetteer.matches(tokens, at: k, end: end).contains(where: {
            $0.entries.contains { $0.form != .surname || state.mentionedEntities.contains($0.entity) }
          }),
          unknownOrganization(tokens, from: i, end: end) == nil
        {
          break
        }
        k += 1
      } else if k > i, names.nameConnectors.contains(w.lower), k + 1 < end, tokens[k + 1].isCapitalized {
        k += 1
      } else if k > i, isNameInternalPossessive(tokens, k), k + 1 < end, tokens[k + 1].isCapitalized,
        let org = unknownOrganization(tokens, from: i, end: end), i + org > k
      {
        k += 1
      } else if k > i, w.lower == "-", w.start == tokens[k - 1].end, k + 1 < end, tokens[k + 1].start == w.end,
        tokens[k + 1].kind == .word
      {
        k += 1
      } else {
        break
      }
    }
    while k > i + 1, names.nameConnectors.contains(tokens[k - 1].lower) || tokens[k - 1].lower == "-" { k -= 1 }
    var start = i
    let atSentenceStart = i == sentenceStart || (i == sentenceStart + 1 && tokens[sentenceStart].kind == .punct)
    let first = tokens[start].lower
    let isGiven = names.givenNames.contains(first)
    // A sentence opens with a capital whatever the word: without other evidence it is no name.
    // A title is such evidence ("President Smith said").
    if atSentenceStart && !isGiven && k - start >= 2 && names.titles[first] == nil {
      if unknownOrganization(tokens, from: start, end: k) == nil { start += 1 }
    }
    // A name never opens with "of", "and" or "the"; a title alone ("Secretary of State") is no name.
    while start < k,
      names.nameConnectors.contains(tokens[start].lower) || ["the", "a", "an"].contains(tokens[start].lower)
    {
      start += 1
    }
    guard start < k else { return nil }
    // "The European Union" at a sentence start: the run after the article is a known name, so
    // it is the known entity's (matched from the next token), not a new organization. So is
    // "The XLF" once the article has defined the acronym.
    if start > i,
      kb.gazetteer.matches(tokens, at: start, end: end).contains(where: { $0.length >= k - start })
        || (k - start == 1 && state.localSurnames[tokens[start].lower] != nil)
    {
      return nil
    }
    let runKey = (start..<k).map { tokens[$0].lower }.joined(separator: " ")
    if names.titles[runKey] != nil
      || (start..<k).allSatisfy({
        names.titles[tokens[$0].lower] != nil || names.nameConnectors.contains(tokens[$0].lower)
      })
    {
      return k - i
    }
    // "Prime Minister Albin Kurti": a title heading the run is not part of the name.
    var leadingTitle: String?
    for n in stride(from: min(names.maxTitleTokens, k - start - 1), through: 1, by: -1) where n >= 1 {
      let key = (start..<(start + n)).map { tokens[$0].lower }.joined(separator: " ")
      if let role = names.titles[key] {
        leadingTitle = role.isEmpty ? "person" : role
        start += n
        break
      }
    }
    // "Deputy Foreign Minister" before a known name: a title after a title is no name either.
    if leadingTitle != nil, start < k, names.titles[(start..<k).map { tokens[$0].lower }.joined(separator: " ")] != nil
    {
      return k - i
    }
    let length = k - start
    let title = leadingTitle ?? titleBefore(tokens, start, lowerBound: sentenceStart)
    var kind: ActorKind?
    if start > sentenceStart, names.mediaCues.contains(tokens[start - 1].lower) {
      // "the public broadcaster RTS", "the daily Kommersant".
      kind = .media
    } else if let org = unknownOrganization(tokens, from: start, end: k),
      org == length || names.nameConnectors.contains(tokens[start + org].lower)
    {
      // "X Union of Teachers", "the Association of Y Jurists": the head may come before "of".
      kind = .organization
    } else if names.givenNames.contains(tokens[start].lower) && (2...4).contains(length) && tokens[k - 1].kind == .word
    {
      kind = .person
    } else if title != nil && (2...4).contains(length) && tokens[k - 1].kind == .word {
      kind = .person
    } else if start > sentenceStart, names.organizationCues.contains(tokens[start - 1].lower), length <= 4 {
      kind = .organization
    }
    // "President Smith" where the knowledge base holds several people of that surname, all of one
    // state: which of them is meant is open, whose side they speak for is not.
    var surnameState: String?
    if kind == nil, leadingTitle != nil, length == 1, tokens[start].kind == .word {
      let holders = kb.gazetteer.matches(tokens, at: start, end: k).flatMap(\.entries)
        .filter { $0.form == .surname }.map { kb.entity(at: $0.entity) }
      if let first = holders.first?.affiliation, holders.allSatisfy({ $0.kind == .person && $0.affiliation == first }) {
        kind = .person
        surnameState = first
      }
    }
    guard let kind else { return k - i }
    let range = start..<k
    let (text, _) = doc.sourceText(tokens: range)
    let name = normalizedName(text)
    var affiliation = affiliationFromContext(doc, before: start, lowerBound: sentenceStart) ?? surnameState
    if kind == .organization, affiliation == nil {
      // "Royal Thai Army": a demonym inside the name says whose it is.
      for t in start..<k {
        if let country = kb.gazetteer.matches(tokens, at: t, end: k).flatMap(\.entries).map({ kb.entity(at: $0.entity) }
        )
        .first(where: { $0.kind == .country }) {
          affiliation = country.affiliation
          break
        }
      }
    }
    let a = doc.actor(
      id: Slug.make(name), name: name, kind: kind, affiliation: affiliation, role: title, known: false, entity: nil)
    if doc.actors[a].affiliation == nil, let affiliation { doc.actors[a].affiliation = affiliation }
    if kind == .person, let last = range.last, tokens[last].length >= 3 {
      state.localSurnames[tokens[last].lower] = a
    }
    doc.mentions.append(
      ActorMention(actor: a, tokens: range, sentence: sentence, isModifierDemonym: false, isParticipant: true))
    return k - i
  }

  /// The role named by a title just before a name ("special envoy", "President", "secretary").
  func titleBefore(_ tokens: [Token], _ i: Int, lowerBound: Int) -> String? {
    var best: String?
    for n in 1...max(1, names.maxTitleTokens) where i - n >= lowerBound {
      var words: [String] = []
      for k in (i - n)..<i {
        if tokens[k].lower == "." { continue }
        words.append(tokens[k].lower)
      }
      if let role = names.titles[words.joined(separator: " ")] { best = role.isEmpty ? "person" : role }
    }
    if best == nil, i - 2 >= lowerBound, tokens[i - 1].lower == "." || tokens[i - 1].lower == ",",
      let role = names.titles[tokens[i - 2].lower]
    {
      // "Gen. X", and the apposition "the spokeswoman, X,".
      best = role.isEmpty ? "person" : role
    }
    return best
  }

  /// The state named in the words before a name: "Ukrainian official X", "the president's aide X", "Kremlin aide X".
  func affiliationFromContext(_ doc: AnnotatedDocument, before i: Int, lowerBound: Int) -> String? {
    let tokens = doc.text.tokens
    var k = i - 1
    var steps = 0
    while k >= lowerBound, steps < 6 {
      let w = tokens[k]
      if w.kind == .punct && w.lower != "'s" && w.lower != "-" && w.lower != "." { return nil }
      // Mentions are appended in order: only the tail can cover a token of this sentence.
      for m in doc.mentions.reversed() {
        if m.tokens.upperBound <= lowerBound { break }
        if m.tokens.contains(k) { return doc.actors[m.actor].affiliation }
      }
      k -= 1
      steps += 1
    }
    return nil
  }

  /// Canonical display form of a name found by shape: source text with spaces folded.
  func normalizedName(_ s: String) -> String {
    var out = ""
    var space = false
    for c in s.unicodeScalars {
      let n = Scalars.normalized(c)
      if n == " " || n == "\n" {
        space = true
      } else {
        if space, !out.isEmpty { out.append(" ") }
        space = false
        out.unicodeScalars.append(n == "'" ? "'" : c)
      }
    }
    return out
  }
}

/// Optimal string alignment distance (Damerau–Levenshtein with adjacent transpositions).
enum EditDistance {
  static func damerau(_ a: String, _ b: String, limit: Int) -> Int {
    let x = Array(a.unicodeScalars)
    let y = Array(b.unicodeScalars)
    if abs(x.count - y.count) > limit { return limit + 1 }
    var d = [[Int]](repeating: [Int](repeating: 0, count: y.count + 1), count: x.count + 1)
    for i in 0...x.count { d[i][0] = i }
    for j in 0...y.count { d[0][j] = j }
    for i in 1...max(1, x.count) where i <= x.count {
      for j in 1...max(1, y.count) where j <= y.count {
        let cost = x[i - 1] == y[j - 1] ? 0 : 1
        d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
        if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
      }
    }
    return d[x.count][y.count]
  }
}
