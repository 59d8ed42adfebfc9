import ParleyKnowledge
import ParleyModel
import ParleyText

/// Codes who-did-what-to-whom events in CAMEO from verb and noun patterns.
///
/// For each trigger it finds the source (the subject left of the verb, coordinated subjects,
/// a relative pronoun's antecedent, a pronoun's referent, or the agent of a passive "by" phrase),
/// the target (the object, a "with" phrase, or for verbs of saying the addressee), and reads
/// negation, modality and reported speech: "insisted they will not accept" is a rejection,
/// "told X that he would agree to ... if" an offer, "a possible meeting" no event at all.
/// A statement with no addressee is taken as a reply to the counterpart of the source's last
/// interaction in the article. Restated events are merged.
public struct EventCoder: ExtractionComponent {
  let lexicon: EventLexicon
  let names: NameLexicon

  public init(lexicon: EventLexicon, names: NameLexicon) {
    self.lexicon = lexicon
    self.names = names
  }

  static let prepositions: Set<String> = [
    "of", "with", "to", "in", "at", "from", "for", "by", "on", "between", "against", "about", "over", "under", "after",
    "before", "during", "toward", "towards", "into", "than", "near", "like", "amid", "without", "through",
  ]
  static let beAux: Set<String> = ["is", "are", "was", "were", "been", "be", "being"]
  static let adverbs: Set<String> = [
    "reportedly", "also", "already", "recently", "currently", "now", "then", "later", "still", "just", "firmly", "have",
    "has", "had", "allegedly", "publicly", "privately", "repeatedly", "again", "once", "directly", "personally", "apparently",
    "quickly", "finally", "formally", "officially", "openly", "sharply", "strongly", "effectively", "simply", "would", "will",
  ]
  static let clauseStops: Set<String> = [";", ":", "that", "because", "if", "while", "but", "although", "who", "which", "where", "whereas", "unless", "since"]
  static let relatives: Set<String> = ["who", "which"]

  struct Trigger {
    var start: Int
    var end: Int
    var code: CAMEOCode
    var speech: Bool
    var symmetric: Bool
    var noun: Bool
    var verb: EventLexicon.VerbPattern?
  }

  struct Candidate {
    var code: CAMEOCode
    var source: Int
    var target: Int?
    var sentence: Int
    var trigger: Trigger
    var location: Int?
  }

  public func process(_ doc: inout AnnotatedDocument) {
    var accepted: [Candidate] = []
    var lastPerson: Int?
    for (s, sentence) in doc.text.sentences.enumerated() {
      let role = doc.text.role(of: sentence)
      let mentions = doc.mentions(inSentence: s)
      defer {
        if let p = mentions.last(where: { doc.actors[$0.actor].kind == .person && $0.isParticipant }) { lastPerson = p.actor }
      }
      guard role == .body || role == .listItem else { continue }
      let triggers = findTriggers(doc.text.tokens, sentence.tokens)
      var consumed: Set<Int> = []
      var candidates: [Candidate] = []
      for trigger in triggers where !consumed.contains(trigger.start) {
        candidates.append(
          contentsOf: code(trigger, doc: doc, sentence: s, mentions: mentions, lastPerson: lastPerson, triggers: triggers, consumed: &consumed,
            history: accepted + candidates))
      }
      // One event per pair of parties in a sentence: the most telling verb wins.
      var best: [String: Candidate] = [:]
      var order: [String] = []
      for c in candidates {
        let key = (doc.actors[c.source].affiliation ?? doc.actors[c.source].id) + ">"
          + (c.target.map { doc.actors[$0].affiliation ?? doc.actors[$0].id } ?? "-")
        if let old = best[key] {
          if lexicon.salience(of: c.code) > lexicon.salience(of: old.code) { best[key] = c }
        } else {
          best[key] = c
          order.append(key)
        }
      }
      for key in order {
        guard let c = best[key] else { continue }
        accepted.append(c)
      }
    }
    doc.events = merge(accepted, doc: doc)
  }

  // MARK: Triggers

  func findTriggers(_ tokens: [Token], _ range: Range<Int>) -> [Trigger] {
    var out: [Trigger] = []
    for k in range {
      let w = tokens[k].lower
      if let patterns = lexicon.verbs[w] {
        for p in patterns {
          guard let end = follow(p.then, gap: p.gap, tokens, from: k + 1, upper: range.upperBound) else { continue }
          if !p.needsObjectWord.isEmpty {
            let window = (k + 1)..<min(range.upperBound, k + 6)
            guard window.contains(where: { p.needsObjectWord.contains(tokens[$0].lower) }) else { continue }
          }
          out.append(Trigger(start: k, end: end, code: p.code, speech: p.speech, symmetric: p.symmetric, noun: false, verb: p))
          break
        }
      }
      if let nouns = lexicon.nouns[w] {
        for n in nouns {
          let first = k - n.tokens.count + 1
          guard first >= range.lowerBound, zip(n.tokens, first...k).allSatisfy({ tokens[$0.1].lower == $0.0 }) else { continue }
          // A noun used as a verb ("they call", "visit Kyiv") is left to the verb patterns.
          if out.contains(where: { $0.start == k }) { break }
          out.append(Trigger(start: first, end: k + 1, code: n.code, speech: false, symmetric: true, noun: true, verb: nil))
          break
        }
      }
    }
    return out
  }

  /// End of the pattern when one of `alternatives` follows within `gap` tokens (or none is required).
  func follow(_ alternatives: [[String]], gap: Int, _ tokens: [Token], from: Int, upper: Int) -> Int? {
    if alternatives.isEmpty { return from }
    for start in from..<min(upper, from + gap + 1) {
      for alt in alternatives where start + alt.count <= upper {
        if zip(alt, start...).allSatisfy({ tokens[$0.1].lower == $0.0 }) { return start + alt.count }
      }
    }
    return nil
  }

  // MARK: Coding one trigger

  func code(
    _ t: Trigger, doc: AnnotatedDocument, sentence s: Int, mentions: [ActorMention], lastPerson: Int?, triggers: [Trigger],
    consumed: inout Set<Int>, history: [Candidate]
  ) -> [Candidate] {
    let tokens = doc.text.tokens
    let range = doc.text.sentences[s].tokens
    var code = t.code
    let clauseStart = clauseStart(tokens, before: t.start, lower: range.lowerBound)
    // Negation and modality in the words just before the trigger.
    let window = max(clauseStart, t.start - 4)..<t.start
    let before = window.map { tokens[$0].lower }
    if before.contains(where: { lexicon.negations.contains($0) }) {
      guard let negated = t.verb?.negated else { return [] }
      code = negated
    }
    let modalWindow = max(clauseStart, t.start - (t.noun ? 3 : 5))..<t.start
    if modalWindow.contains(where: { lexicon.hypothetical.contains(tokens[$0].lower) }) { return [] }
    if (3...8).contains(code.rootNumber), code.root != "04" || !t.noun,
      before.contains(where: { $0 == "would" || $0 == "will" })
    {
      code = CAMEOCode("030") ?? code
    }
    let participants = mentions.filter { $0.isParticipant }

    // Target first (it bounds the subject search for nouns).
    var targets: [Int] = []
    var location: Int?
    var complement: Range<Int>?
    if t.noun {
      // "meeting with X", "talks between X and Y", "the X-Y meeting".
      if let (a, b) = hyphenPair(t, tokens: tokens, participants: participants) {
        return [Candidate(code: code, source: a, target: b, sentence: s, trigger: t, location: nil)]
      }
      guard t.end < range.upperBound else { return [] }
      let prep = tokens[t.end].lower
      guard prep == "with" || prep == "between" else { return [] }
      let objects = coordinated(participants, from: t.end + 1, tokens: tokens, upper: range.upperBound)
      guard !objects.isEmpty else { return [] }
      if prep == "between" {
        guard objects.count >= 2 else { return [] }
        return [Candidate(code: code, source: objects[0], target: objects[1], sentence: s, trigger: t, location: nil)]
      }
      targets = objects
    } else if t.speech {
      if let (addressee, next) = addressee(after: t.end, tokens: tokens, participants: participants, upper: range.upperBound) {
        targets = [addressee]
        complement = next..<range.upperBound
      } else {
        complement = t.end..<range.upperBound
      }
    } else {
      (targets, location) = objects(after: t, tokens: tokens, participants: participants, mentions: mentions, upper: range.upperBound, triggers: triggers, doc: doc)
      if t.verb?.needsTarget == true, targets.isEmpty { return [] }
      if t.verb?.needsWith == true, !(t.end..<min(range.upperBound, t.end + 8)).contains(where: { tokens[$0].lower == "with" }) {
        return []
      }
      if [CAMEOCode("020"), CAMEOCode("100")].contains(t.code) || t.code.root == "02" {
        complement = t.end..<range.upperBound
      }
    }
    if t.verb?.needsPlaceTarget == true,
      !targets.contains(where: { [.place, .country].contains(doc.actors[$0].kind) })
    {
      return []
    }
    if t.verb?.needsPersonTarget == true, !targets.contains(where: { doc.actors[$0].kind == .person }) { return [] }

    // Source: passive agent, subject, relative antecedent, pronoun referent.
    var sources: [Int] = []
    var passive = false
    if !t.noun, let agent = passiveAgent(t, tokens: tokens, participants: participants, upper: range.upperBound) {
      sources = [agent]
      passive = true
    }
    let subject = subjects(before: t.start, clauseStart: clauseStart, tokens: tokens, participants: participants, lastPerson: lastPerson, doc: doc)
    if passive {
      targets = subject
    } else {
      sources = subject
    }
    if sources.isEmpty, t.noun {
      // "In a call with Putin, Trump said": the clause's subject comes after the phrase.
      let after = participants.first { $0.tokens.lowerBound > t.end && !targets.contains($0.actor) && $0.sentence == s }
      if let a = after { sources = [a.actor] }
    }
    guard !sources.isEmpty else { return [] }

    // Reported speech: the complement can carry the real act.
    if let complement, !passive {
      let sourceAff = doc.actors[sources[0]].affiliation
      if let recoded = recode(complement: complement, tokens: tokens, triggers: triggers, participants: participants, sourceAffiliation: sourceAff, doc: doc, consumed: &consumed) {
        code = recoded
      }
      if targets.isEmpty, t.speech {
        // The first party of another side named in what was said.
        if let other = participants.first(where: {
          complement.contains($0.tokens.lowerBound) && doc.actors[$0.actor].affiliation != sourceAff && doc.actors[$0.actor].affiliation != nil
        }) {
          targets = [other.actor]
        }
      }
    }
    // Joint subjects of symmetric verbs: "Trump and Putin work on a plan".
    if targets.isEmpty, t.symmetric, sources.count >= 2 {
      targets = [sources[1]]
      sources = [sources[0]]
    }
    if targets.isEmpty, lexicon.responseRoots.contains(code.root) {
      if let c = counterpart(of: sources[0], history: history, doc: doc) { targets = [c] }
    }
    // "X hosted Y": one visit of Y to X, the direction reports agree on.
    if code.rawValue == "043" {
      return targets.map { Candidate(code: CAMEOCode("042") ?? code, source: $0, target: sources[0], sentence: s, trigger: t, location: location) }
    }
    var out: [Candidate] = []
    var seen: Set<String> = []
    for src in sources {
      for tgt in targets.isEmpty ? [nil] : targets.map(Optional.some) {
        let key = (doc.actors[src].affiliation ?? doc.actors[src].id) + ">" + (tgt.map { doc.actors[$0].affiliation ?? doc.actors[$0].id } ?? "")
        if seen.contains(key) { continue }
        seen.insert(key)
        out.append(Candidate(code: code, source: src, target: tgt, sentence: s, trigger: t, location: location))
      }
    }
    return out
  }

  /// Start of the clause holding token `i`: after the last ";", ":" or complementizer before it.
  func clauseStart(_ tokens: [Token], before i: Int, lower: Int) -> Int {
    var k = i - 1
    while k >= lower {
      let w = tokens[k].lower
      if w == ";" || w == ":" || w == "that" { return k + 1 }
      k -= 1
    }
    return lower
  }

  /// Actors coordinated from token `from`: "X", "X and Y", "X, Y and Z".
  func coordinated(_ participants: [ActorMention], from: Int, tokens: [Token], upper: Int) -> [Int] {
    var out: [Int] = []
    var k = from
    while k < upper {
      // Skip determiners and titles before the name.
      var j = k
      while j < upper, j - k < 6, participants.first(where: { $0.tokens.lowerBound == j }) == nil,
        tokens[j].kind == .word || tokens[j].lower == "'s" || tokens[j].lower == "-" || tokens[j].lower == ".",
        !["and", "in", "at", "on", "to", "from", "for", "that", "who", "which"].contains(tokens[j].lower)
      {
        j += 1
      }
      guard let m = participants.first(where: { $0.tokens.lowerBound == j }) else { break }
      // A possessor ("Trump's son-in-law Jared Kushner") stands for the person named after it.
      var mention = m
      if mention.tokens.upperBound < upper, tokens[mention.tokens.upperBound].lower == "'s",
        let owned = participants.first(where: { $0.tokens.lowerBound > mention.tokens.upperBound && $0.tokens.lowerBound <= mention.tokens.upperBound + 4 })
      {
        mention = owned
      }
      out.append(mention.actor)
      k = mention.tokens.upperBound
      if k < upper, tokens[k].lower == "," { k += 1 }
      if k < upper, tokens[k].lower == "and" || tokens[k].lower == "plus" {
        k += 1
      } else if k < upper, tokens[k - 1].lower == ",", participants.contains(where: { $0.tokens.lowerBound == k }) {
        continue
      } else {
        break
      }
    }
    return out
  }

  /// "the Putin-Witkoff meeting": two participants joined by a hyphen right before the noun.
  func hyphenPair(_ t: Trigger, tokens: [Token], participants: [ActorMention]) -> (Int, Int)? {
    guard let b = participants.last(where: { $0.tokens.upperBound == t.start }),
      b.tokens.lowerBound >= 2, tokens[b.tokens.lowerBound - 1].lower == "-",
      let a = participants.last(where: { $0.tokens.upperBound == b.tokens.lowerBound - 1 })
    else { return nil }
    return (a.actor, b.actor)
  }

  /// The addressee right after a verb of saying ("told Trump", "warned Washington").
  func addressee(after i: Int, tokens: [Token], participants: [ActorMention], upper: Int) -> (Int, Int)? {
    var k = i
    while k < upper, k - i < 6 {
      if let m = participants.first(where: { $0.tokens.lowerBound == k }) {
        var end = m.tokens.upperBound
        if end < upper, tokens[end].lower == "'s" { return nil }
        if end < upper, tokens[end].lower == "that" { end += 1 }
        return (m.actor, end)
      }
      let w = tokens[k]
      let allowed = w.isCapitalized || ["the", "to", "with", "u.s.", "us", "-", "'s", "."].contains(w.lower) || names.titles[w.lower] != nil
      if !allowed { return nil }
      k += 1
    }
    return nil
  }

  /// Objects after a verb: the first participants not inside a location phrase, up to the clause end
  /// or the next verb pattern; places after "in"/"at" become the location.
  func objects(
    after t: Trigger, tokens: [Token], participants: [ActorMention], mentions: [ActorMention], upper: Int, triggers: [Trigger],
    doc: AnnotatedDocument
  ) -> ([Int], Int?) {
    var location: Int?
    var k = t.end
    let limit = min(upper, t.end + 16)
    let nextTrigger = triggers.first { $0.start >= t.end && !$0.noun }?.start ?? upper
    while k < limit && k < nextTrigger {
      let w = tokens[k].lower
      if Self.clauseStops.contains(w) || w == "\u{2014}" || (w == "," && k + 1 < upper && ["but", "while", "who", "which", "where", "as", "saying", "adding"].contains(tokens[k + 1].lower)) {
        break
      }
      if let m = participants.first(where: { $0.tokens.lowerBound == k }) {
        let prev = k > t.end ? tokens[k - 1].lower : ""
        let prev2 = k > t.end + 1 ? tokens[k - 2].lower : ""
        let inLocation = lexicon.locationPrepositions.contains(prev) || (prev == "the" && lexicon.locationPrepositions.contains(prev2))
        let kind = doc.actors[m.actor].kind
        if inLocation, kind == .place || kind == .country || kind == .organization {
          if location == nil, kind != .country || true { location = m.actor }
          k = m.tokens.upperBound
          continue
        }
        if let needed = t.verb?.needsObjectThen, !needed.isEmpty {
          let after = m.tokens.upperBound < upper ? tokens[m.tokens.upperBound].lower : ""
          if !needed.contains(after) { return ([], location) }
        }
        let objs = coordinated(participants, from: k, tokens: tokens, upper: upper)
        return (objs.isEmpty ? [m.actor] : objs, location)
      }
      k += 1
    }
    return ([], location)
  }

  /// The agent of a passive: "put forward by the US", "was rejected by Kyiv".
  func passiveAgent(_ t: Trigger, tokens: [Token], participants: [ActorMention], upper: Int) -> Int? {
    var k = t.end
    while k < upper, k - t.end < 3, Self.adverbs.contains(tokens[k].lower) { k += 1 }
    guard k < upper, tokens[k].lower == "by" else { return nil }
    let form = tokens[t.start].lower
    guard form.hasSuffix("ed") || form.hasSuffix("en") || form.hasSuffix("t") || t.verb?.then.isEmpty == false else { return nil }
    return coordinated(participants, from: k + 1, tokens: tokens, upper: upper).first
  }

  /// Subjects left of the verb in its clause: the nearest participant not governed by a
  /// preposition, with the ones coordinated before it; "who" takes its antecedent; "he" the
  /// last person named.
  func subjects(
    before i: Int, clauseStart: Int, tokens: [Token], participants: [ActorMention], lastPerson: Int?, doc: AnnotatedDocument
  ) -> [Int] {
    var k = i - 1
    while k >= clauseStart {
      let w = tokens[k].lower
      if names.personPronouns.contains(w), ["he", "she"].contains(w) {
        // "He also advised Putin": the pronoun is the subject when nothing named stands between.
        if let p = lastPerson { return [p] }
        return []
      }
      if w == "they" || w == "it" || w == "we" { return [] }
      if let m = participants.last(where: { $0.tokens.contains(k) }) {
        let start = m.tokens.lowerBound
        let prev = start > clauseStart ? tokens[start - 1].lower : ""
        let prevIsPrep = Self.prepositions.contains(prev) || (prev == "the" && start - 2 >= clauseStart && Self.prepositions.contains(tokens[start - 2].lower))
        let possessed = m.tokens.upperBound < i && tokens[m.tokens.upperBound].lower == "'s"
          && participants.contains(where: { $0.tokens.lowerBound > m.tokens.upperBound && $0.tokens.lowerBound < i })
        if prevIsPrep || possessed {
          k = start - 1
          continue
        }
        var out = [m.actor]
        // Coordinated subjects: "Kyiv and Brussels", "Witkoff, Kushner and Vance".
        var j = start - 1
        while j > clauseStart, ["and", ","].contains(tokens[j].lower) {
          var p = j - 1
          // Skip the title words of a coordinated name.
          guard let prevMention = participants.last(where: { $0.tokens.upperBound <= j && $0.tokens.upperBound >= j - 1 }) else { break }
          p = prevMention.tokens.lowerBound
          out.insert(prevMention.actor, at: 0)
          j = p - 1
        }
        return out
      }
      if Self.relatives.contains(w), k == i - 1 || Self.adverbs.contains(tokens[i - 1].lower) {
        // ", who posted": the antecedent is the nearest participant before the comma.
        if let m = participants.last(where: { $0.tokens.upperBound <= k && $0.tokens.upperBound >= k - 2 }) { return [m.actor] }
        return []
      }
      if w == "," && k + 1 < i && Self.relatives.contains(tokens[k + 1].lower) == false && false { break }
      k -= 1
    }
    return []
  }

  /// What a verb of saying or asking really reports: a refusal ("will not accept", "unacceptable")
  /// or an offer ("would agree to ... if"), when the speaker's own side is its subject.
  func recode(
    complement: Range<Int>, tokens: [Token], triggers: [Trigger], participants: [ActorMention], sourceAffiliation: String?,
    doc: AnnotatedDocument, consumed: inout Set<Int>
  ) -> CAMEOCode? {
    for rejection in lexicon.rejectionWords {
      for k in complement where k + rejection.count <= complement.upperBound {
        if zip(rejection, k...).allSatisfy({ tokens[$0.1].lower == $0.0 }) { return CAMEOCode("120") }
      }
    }
    for t in triggers where complement.contains(t.start) && !t.noun {
      // Whose act is it? A pronoun or the speaker's own side.
      let subjectStart = max(complement.lowerBound, t.start - 6)
      let explicit = participants.last { $0.tokens.lowerBound >= subjectStart && $0.tokens.upperBound <= t.start }
      if let e = explicit, let aff = doc.actors[e.actor].affiliation, aff != sourceAffiliation { continue }
      let window = max(complement.lowerBound, t.start - 4)..<t.start
      let words = window.map { tokens[$0].lower }
      if words.contains(where: { lexicon.negations.contains($0) }), let negated = t.verb?.negated {
        consumed.insert(t.start)
        return negated
      }
      if words.contains(where: { $0 == "would" || $0 == "will" }), (3...8).contains(t.code.rootNumber) {
        consumed.insert(t.start)
        return CAMEOCode("030")
      }
    }
    return nil
  }

  /// The other party of the source's most recent event, when its side differs.
  func counterpart(of source: Int, history: [Candidate], doc: AnnotatedDocument) -> Int? {
    let aff = doc.actors[source].affiliation
    for c in history.reversed() {
      guard let target = c.target else { continue }
      let sa = doc.actors[c.source].affiliation
      let ta = doc.actors[target].affiliation
      if sa == aff, ta != aff { return target }
      if ta == aff, sa != aff { return c.source }
    }
    return nil
  }

  // MARK: Output

  /// Drops events within one side, fills dates, places and outlets, and merges restatements:
  /// the same act by the same actors, or for meetings the same two sides.
  func merge(_ candidates: [Candidate], doc: AnnotatedDocument) -> [Event] {
    var events: [Event] = []
    var keys: [String: Int] = [:]
    for c in candidates {
      let src = doc.actors[c.source]
      let tgt = c.target.map { doc.actors[$0] }
      if let t = tgt, let a = src.affiliation, a == t.affiliation { continue }
      if let t = tgt, t.id == src.id { continue }
      let symmetric = c.code.root == "04"
      let key: String
      if symmetric, let sa = src.affiliation, let ta = tgt?.affiliation {
        key = c.code.root + ":" + [sa, ta].sorted().joined(separator: "~")
      } else {
        key = c.code.root + ":" + src.id + ">" + (tgt?.id ?? "")
      }
      let sentence = doc.text.sentences[c.sentence]
      let span = doc.text.clean.sourceSpan(sentence.range)
      let date = doc.text.dates.first { sentence.tokens.contains($0.tokens.lowerBound) }?.date
      var cited = zip(doc.citations, doc.citationSentences).first { $0.1 == c.sentence }?.0.outlet
      if cited == nil { cited = doc.articleSource }
      if let existing = keys[key] {
        if events[existing].date == nil { events[existing].date = date }
        if events[existing].cited == nil { events[existing].cited = cited }
        continue
      }
      // An event without a target restating one with a target is the same event.
      if tgt == nil, events.contains(where: { $0.cameo.root == c.code.root && $0.source == src.id }) { continue }
      keys[key] = events.count
      let (triggerText, _) = doc.sourceText(tokens: c.trigger.start..<c.trigger.end)
      events.append(
        Event(
          cameo: c.code, source: src.id, target: tgt?.id, date: date, location: c.location.map { doc.actors[$0].id },
          cited: cited, text: doc.text.sourceText(span), span: span, trigger: triggerText))
    }
    return events
  }
}
