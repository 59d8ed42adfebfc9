import ParleyKnowledge
import ParleyModel
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

/// The working state of one article in the extraction pipeline: the text pipeline's output
/// plus what each component adds, in the spirit of a spaCy `Doc`.
public struct AnnotatedDocument: Sendable {
  public var text: TextDocument
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

  public init(text: TextDocument) { self.text = text }

  /// Mentions of sentence `s`, in token order.
  public func mentions(inSentence s: Int) -> [ActorMention] {
    mentions.filter { $0.sentence == s }
  }

  /// Adds (or finds) an actor, returning its index.
  mutating func actor(
    id: String, name: String, kind: ActorKind, affiliation: String?, role: String?, known: Bool, entity: Int32?
  ) -> Int {
    if let i = actorIndex[id] { return i }
    actors.append(Actor(id: id, name: name, kind: kind, affiliation: affiliation, role: role, known: known))
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
