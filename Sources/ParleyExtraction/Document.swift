import ParleyKnowledge
import ParleyModel
import ParleySyntax
import ParleyText

/// One mention of an actor in the token stream, with what the recognizer learned about it.
public struct ActorMention: Sendable {
  /// Index into `AnnotatedDocument.actors`.
  public var actor: Int
  public var tokens: Range<Int>
  public var sentence: Int
  /// A country named by its adjective ("Russian control"): names the country, but is not a doer.
  public var isModifierDemonym: Bool
  /// Can be the source or target of an event.
  public var isParticipant: Bool
}

/// What the event coder and the provision finder compare of one analysed sentence's words:
/// lowercased forms and lemmas, and relations and UPOS as labels (integers, not strings).
struct FoldedWords: Sendable {
  let forms: [String]
  let lemmas: [String]
  let relations: [SyntaxLabel]
  let upos: [SyntaxLabel]
  /// Penn tags, token indices and heads (`SyntaxSentence.head(of:)`) of the words: the coders
  /// ask them of the same words many times, and reading one from `SyntaxSentence.words` copied
  /// the whole word (five strings).
  let xpos: [SyntaxLabel]
  let tokens: [Int]
  let heads: [Int?]
  /// The dependents of every word under `heads` (the parse's tree): the group reader and the
  /// term reader both walk it, and each built it anew.
  let children: Dependents

  init(_ sentence: SyntaxSentence) {
    let n = sentence.words.count
    var forms: [String] = []
    var lemmas: [String] = []
    var relations: [SyntaxLabel] = []
    var upos: [SyntaxLabel] = []
    var xpos: [SyntaxLabel] = []
    var tokens: [Int] = []
    var heads: [Int?] = []
    forms.reserveCapacity(n)
    lemmas.reserveCapacity(n)
    relations.reserveCapacity(n)
    upos.reserveCapacity(n)
    xpos.reserveCapacity(n)
    tokens.reserveCapacity(n)
    heads.reserveCapacity(n)
    // (Fields read in place: binding each word copied it, five strings retained and released.)
    let words = sentence.words
    for i in words.indices {
      forms.append(Self.folded(words[i].form))
      lemmas.append(Self.folded(words[i].analysis.lemma))
      relations.append(SyntaxLabel(words[i].analysis.relation))
      upos.append(SyntaxLabel(words[i].analysis.upos))
      xpos.append(SyntaxLabel(words[i].analysis.xpos))
      tokens.append(words[i].token)
      let head = words[i].analysis.head
      heads.append(head > 0 ? head - 1 : nil)
    }
    self.forms = forms
    self.lemmas = lemmas
    self.relations = relations
    self.upos = upos
    self.xpos = xpos
    self.tokens = tokens
    self.heads = heads
    children = Dependents(heads: heads)
  }

  /// `lowercased()`, but a string with no uppercase ASCII letter and no other bytes than ASCII
  /// is returned as it is (most words): lowercasing it would build the same string anew.
  static func folded(_ s: String) -> String {
    var plain = true
    for b in s.utf8 where b >= 0x80 || (b >= 0x41 && b <= 0x5A) {
      plain = false
      break
    }
    return plain ? s : s.lowercased()
  }
}

/// The working state of one article in the extraction pipeline: the text pipeline's output
/// plus what each component adds, in the spirit of a spaCy `Doc`.
public struct AnnotatedDocument: Sendable {
  public var text: TextDocument
  /// Universal Dependencies analyses of the sentences, one per entry of `text.sentences` (in
  /// order) once the syntax component has run; empty when the extractor has no syntax model.
  public var syntax: [SyntaxSentence] = [] {
    didSet { foldedWords = syntax.map(FoldedWords.init) }
  }
  /// Every analysed word's lowercased form and lemma, relation and UPOS, per entry of
  /// `syntax`: the event coder and the provision finder both compare them, and reading them
  /// once serves both.
  private(set) var foldedWords: [FoldedWords] = []
  public var actors: [Actor] = []
  public var mentions: [ActorMention] = []
  public var citations: [Citation] = []
  /// Citation index -> sentence index, for attributing events.
  public var citationSentences: [Int] = []
  /// The outlet an article names as its source for the whole piece ("Source: Reuters").
  public var articleSource: String?
  public var events: [Event] = []
  public var plans: [Plan] = []
  public var provisions: [Provision] = []
  /// Entity index of knowledge-base actors, by actor index (nil for actors found by shape).
  var actorEntity: [Int32?] = []
  var actorIndex: [String: Int] = [:]
  /// Range of `mentions` per sentence; rebuilt by `indexMentions()` after mentions change.
  var mentionRanges: [Range<Int>] = []
  /// Sentence index of every token.
  public let sentenceOfToken: [Int32]

  public init(text: TextDocument) {
    self.text = text
    var owner = [Int32](repeating: -1, count: text.tokens.count)
    for (i, s) in text.sentences.enumerated() {
      for t in s.tokens { owner[t] = Int32(i) }
    }
    sentenceOfToken = owner
  }

  /// Sorts mentions in token order and indexes them by sentence, so that per-sentence
  /// lookups stay linear in the size of the article.
  mutating func indexMentions() {
    mentions.sort { $0.tokens.lowerBound < $1.tokens.lowerBound }
    var ranges = [Range<Int>](repeating: 0..<0, count: text.sentences.count)
    var i = 0
    while i < mentions.count {
      let s = mentions[i].sentence
      var j = i
      while j < mentions.count, mentions[j].sentence == s { j += 1 }
      if s < ranges.count { ranges[s] = i..<j }
      i = j
    }
    mentionRanges = ranges
  }

  /// Mentions of sentence `s`, in token order.
  public func mentions(inSentence s: Int) -> ArraySlice<ActorMention> {
    guard s < mentionRanges.count else { return [] }
    return mentions[mentionRanges[s]]
  }

  /// The mention covering token `k`, if any.
  public func mention(atToken k: Int) -> ActorMention? {
    guard k >= 0, k < sentenceOfToken.count else { return nil }
    return mentions(inSentence: Int(sentenceOfToken[k])).last { $0.tokens.contains(k) }
  }

  /// The country actor of `affiliation` ("UKR"), if the document names that country.
  func country(of affiliation: String?) -> Int? {
    guard let affiliation else { return nil }
    return actors.indices.first { actors[$0].kind == .country && actors[$0].affiliation == affiliation }
  }

  /// Adds (or finds) an actor, returning its index.
  mutating func actor(
    id: String, name: String, kind: ActorKind, affiliation: String?, role: String?, known: Bool, entity: Int32?,
    sector: String? = nil
  ) -> Int {
    if let i = actorIndex[id] { return i }
    actors.append(
      Actor(id: id, name: name, kind: kind, affiliation: affiliation, role: role, known: known, sector: sector))
    actorEntity.append(entity)
    actorIndex[id] = actors.count - 1
    return actors.count - 1
  }

  /// Source text for tokens.
  func sourceText(tokens range: Range<Int>) -> (String, TextSpan) {
    let span = text.span(tokens: range)
    return (text.sourceText(span), span)
  }

  func words(_ range: Range<Int>) -> [String] { range.map { text.tokens[$0].lower } }
}

/// A component of the extraction pipeline: reads the document and adds annotations.
public protocol ExtractionComponent: Sendable {
  func process(_ doc: inout AnnotatedDocument)
}
