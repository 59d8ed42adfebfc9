import ParleyKnowledge
import ParleyModel
import ParleyText

/// Finds the outlets an article names as its sources: "according to Reuters", "Bloomberg reported",
/// "obtained by Axios", "told Le Monde", "As The Wall Street Journal has learned", "Source: WSJ".
///
/// An outlet counts only next to a cue phrase; a bare mention ("an interview on CNN") is no citation.
public struct CitationFinder: ExtractionComponent {
  let before: [[String]]
  let after: [[String]]
  let heads: Set<String>

  public init(lexicon: CitationLexicon) {
    before = lexicon.beforeOutlet.map { Fold.key($0).split(separator: " ").map(String.init) }.sorted {
      $0.count > $1.count
    }
    after = lexicon.afterOutlet.map { Fold.key($0).split(separator: " ").map(String.init) }.sorted {
      $0.count > $1.count
    }
    heads = lexicon.outletHeads
  }

  public func process(_ doc: inout AnnotatedDocument) {
    let tokens = doc.text.tokens
    var outlets = doc.mentions.filter { doc.actors[$0.actor].kind == .media }
    outlets.append(contentsOf: unknownOutlets(&doc))
    outlets.sort { $0.tokens.lowerBound < $1.tokens.lowerBound }
    var cited: [Int: Bool] = [:]  // mention index in `outlets` -> cited
    var seen: Set<String> = []
    for (n, m) in outlets.enumerated() {
      let sentence = doc.text.sentences[m.sentence]
      let role = doc.text.role(of: sentence)
      if role == .boilerplate || role == .bio { continue }
      let lo = sentence.tokens.lowerBound
      let hi = sentence.tokens.upperBound
      var start = m.tokens.lowerBound
      if start > lo, tokens[start - 1].lower == "the" { start -= 1 }
      // "according to the official IRNA news agency", "told the public broadcaster RTS":
      // up to three describing words may stand between the cue and the name, and after it.
      var described = start
      while described > lo, start - described < 3, tokens[described - 1].kind == .word,
        !tokens[described - 1].isCapitalized, match(before, tokens, endingAt: described, lowerBound: lo) == nil
      {
        described -= 1
      }
      if described < start, described > lo, tokens[described - 1].lower == "the" { described -= 1 }
      var tail = m.tokens.upperBound
      while tail < hi, tail - m.tokens.upperBound < 2,
        ["news", "agency", "newspaper", "daily", "broadcaster", "outlet", "website"].contains(tokens[tail].lower)
      {
        tail += 1
      }
      var span: Range<Int>?
      if let cue = match(before, tokens, endingAt: start, lowerBound: lo) {
        span = (start - cue)..<m.tokens.upperBound
      } else if described < start, let cue = match(before, tokens, endingAt: described, lowerBound: lo) {
        span = (described - cue)..<tail
      } else if let cue = match(after, tokens, startingAt: tail, upperBound: hi) {
        var s = start
        if s > lo, tokens[s - 1].lower == "as" { s -= 1 }
        span = s..<(tail + cue)
      } else if let cue = match(after, tokens, startingAt: m.tokens.upperBound, upperBound: hi) {
        var s = start
        // "As The Wall Street Journal has learned": keep the "As".
        if s > lo, tokens[s - 1].lower == "as" { s -= 1 }
        span = s..<(m.tokens.upperBound + cue)
      } else if n > 0, cited[n - 1] == true, outlets[n - 1].sentence == m.sentence,
        start > outlets[n - 1].tokens.upperBound,
        tokens[outlets[n - 1].tokens.upperBound..<start].allSatisfy({
          ["and", ",", "the", "as well as", "or"].contains($0.lower)
        })
      {
        // "reporting from the Financial Times and Reuters": the coordinated outlet is cited too.
        span = start..<m.tokens.upperBound
      }
      guard let span else { continue }
      cited[n] = true
      let (text, sourceSpan) = doc.sourceText(tokens: span)
      let outlet = doc.actors[m.actor].name
      if !seen.insert("\(sourceSpan.start):\(sourceSpan.end):\(outlet)").inserted { continue }
      doc.citations.append(Citation(outlet: outlet, text: text, span: sourceSpan))
      doc.citationSentences.append(m.sentence)
      if doc.articleSource == nil, span.lowerBound == sentence.tokens.lowerBound,
        tokens[span.lowerBound].lower == "source"
      {
        doc.articleSource = outlet
      }
    }
  }

  /// Length of the cue that ends right before token `end`.
  func match(_ cues: [[String]], _ tokens: [Token], endingAt end: Int, lowerBound: Int) -> Int? {
    for cue in cues where end - cue.count >= lowerBound {
      var ok = true
      for (k, w) in cue.enumerated() where tokens[end - cue.count + k].lower != w {
        ok = false
        break
      }
      if ok { return cue.count }
    }
    return nil
  }

  /// Length of the cue that starts at token `start`.
  func match(_ cues: [[String]], _ tokens: [Token], startingAt start: Int, upperBound: Int) -> Int? {
    for cue in cues where start + cue.count <= upperBound {
      var ok = true
      for (k, w) in cue.enumerated() where tokens[start + k].lower != w {
        ok = false
        break
      }
      if ok { return cue.count }
    }
    return nil
  }

  /// Outlets the knowledge base lacks, recognized after a "before" cue by a news word at the end
  /// of a capitalized run ("according to the Daily Sentinel").
  func unknownOutlets(_ doc: inout AnnotatedDocument) -> [ActorMention] {
    let tokens = doc.text.tokens
    var found: [ActorMention] = []
    var mentioned: Set<Int> = []
    for m in doc.mentions { mentioned.formUnion(m.tokens) }
    for (s, sentence) in doc.text.sentences.enumerated() {
      let lo = sentence.tokens.lowerBound
      var i = lo
      while i < sentence.tokens.upperBound {
        guard tokens[i].isCapitalized, !mentioned.contains(i) else {
          i += 1
          continue
        }
        var start = i
        if start > lo, tokens[start - 1].lower == "the" { start -= 1 }
        guard match(before, tokens, endingAt: start, lowerBound: lo) != nil else {
          i += 1
          continue
        }
        var k = i
        while k < sentence.tokens.upperBound, tokens[k].isCapitalized { k += 1 }
        if k > i, heads.contains(tokens[k - 1].lower) {
          let (text, _) = doc.sourceText(tokens: i..<k)
          let a = doc.actor(
            id: Slug.make(text), name: text, kind: .media, affiliation: nil, role: nil, known: false, entity: nil)
          let m = ActorMention(actor: a, tokens: i..<k, sentence: s, isModifierDemonym: false, isParticipant: false)
          doc.mentions.append(m)
          found.append(m)
        }
        i = max(k, i + 1)
      }
    }
    doc.indexMentions()
    return found
  }
}
