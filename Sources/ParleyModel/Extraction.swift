/// The article-level facts of an extraction: the contract's `document` object.
public struct DocumentInfo: Hashable, Sendable {
  public var id: String
  public var path: String
  public var title: String?
  public var published: PartialDate?
  public var outlet: String?
  public var url: String?
  public var duplicateParagraphsRemoved: Int

  public init(
    id: String, path: String, title: String? = nil, published: PartialDate? = nil,
    outlet: String? = nil, url: String? = nil, duplicateParagraphsRemoved: Int = 0
  ) {
    self.id = id
    self.path = path
    self.title = title
    self.published = published
    self.outlet = outlet
    self.url = url
    self.duplicateParagraphsRemoved = duplicateParagraphsRemoved
  }
}

/// Everything extracted from one article; serializes to one line of `parley extract --format jsonl`.
public struct Extraction: Hashable, Sendable {
  public var document: DocumentInfo
  public var actors: [Actor]
  public var citations: [Citation]
  public var events: [Event]
  public var plans: [Plan]
  public var provisions: [Provision]

  public init(
    document: DocumentInfo, actors: [Actor] = [], citations: [Citation] = [], events: [Event] = [],
    plans: [Plan] = [], provisions: [Provision] = []
  ) {
    self.document = document
    self.actors = actors
    self.citations = citations
    self.events = events
    self.plans = plans
    self.provisions = provisions
  }

  public func actor(id: String?) -> Actor? {
    guard let id else { return nil }
    return actors.first { $0.id == id }
  }
}
