import ParleyRecord

// What the queries return: plain Codable values shared by the CLI tables, `--json`, the JSON API
// and the web pages. JSON keys are snake_case (the encoder converts), like the extraction contract.

/// A reference to an actor as shown next to an event or a position.
public struct ActorRef: Sendable, Hashable, Codable {
  public var id: String
  public var name: String
  public var kind: String
  public var affiliation: String?
}

/// Totals for the overview page and `parley status`.
public struct Overview: Sendable, Hashable, Codable {
  public var articles: Int
  public var nearCopies: Int
  public var actors: Int
  public var events: Int
  public var reports: Int
  public var plans: Int
  public var planVersions: Int
  public var positions: Int
  public var outlets: Int
  /// Earliest and latest event dates.
  public var firstDate: String?
  public var lastDate: String?
}

/// One stored article, without its text.
public struct ArticleSummary: Sendable, Hashable, Codable {
  public var id: Int64
  public var docId: String
  public var path: String
  public var title: String?
  public var published: String?
  public var outlet: String?
  public var url: String?
  /// The earlier article this one is a near-copy of, and how similar (estimated Jaccard).
  public var nearCopyOf: Int64?
  public var similarity: Double?
  public var actors: Int
  public var events: Int
}

/// A highlightable span of an article's source.
public struct Highlight: Sendable, Hashable, Codable {
  /// actor, citation, event, plan or provision.
  public var kind: String
  public var start: Int
  public var end: Int
  public var text: String
  /// What it links to: an actor id, an event id, an outlet name, a plan id.
  public var ref: String
  public var label: String
}

/// An article with its text, what was found in it, and its near-copies.
public struct ArticleDetail: Sendable, Hashable, Codable {
  public var article: ArticleSummary
  public var format: String
  public var source: String
  public var highlights: [Highlight]
  public var nearCopies: [ArticleSummary]
  public var duplicateParagraphsRemoved: Int
}

/// An actor with how much the record has on it.
public struct ActorSummary: Sendable, Hashable, Codable {
  public var id: String
  public var name: String
  public var kind: String
  public var affiliation: String?
  public var role: String?
  /// The actor's CAMEO sector code ("REB", "GOV", "IGO"), nil when no article gives one; written
  /// to JSON as null then, so that a client always finds the field.
  public var sector: String?
  public var known: Bool
  public var articles: Int
  public var mentions: Int
  public var events: Int

  /// The synthesized encoding, except that a missing sector is written as null rather than left out.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(id, forKey: .id)
    try container.encode(name, forKey: .name)
    try container.encode(kind, forKey: .kind)
    try container.encodeIfPresent(affiliation, forKey: .affiliation)
    try container.encodeIfPresent(role, forKey: .role)
    try container.encode(sector, forKey: .sector)
    try container.encode(known, forKey: .known)
    try container.encode(articles, forKey: .articles)
    try container.encode(mentions, forKey: .mentions)
    try container.encode(events, forKey: .events)
  }
}

/// How often an actor interacted with another, by kind of interaction.
public struct Interaction: Sendable, Hashable, Codable {
  public var counterpart: ActorRef
  public var root: String
  public var label: String
  public var count: Int
  /// The actor was the source (true) or the target (false).
  public var outgoing: Bool
}

/// Everything the record holds about one actor.
public struct ActorDetail: Sendable, Hashable, Codable {
  public var actor: ActorSummary
  public var aliases: [String]
  public var events: [EventSummary]
  public var interactions: [Interaction]
  public var positions: [PositionEvidence]
}

/// One article's account of an event.
public struct ReportSummary: Sendable, Hashable, Codable {
  public var articleId: Int64
  public var articleTitle: String?
  public var outlet: String?
  public var published: String?
  public var cited: String?
  public var cameo: String
  public var date: String?
  public var text: String
  public var trigger: String
  public var start: Int
  public var end: Int
  /// The near-copy family the article belongs to (its root article id).
  public var family: Int64
}

/// An event of the record with its sources: merged from every article that reports it.
public struct EventSummary: Sendable, Hashable, Codable {
  public var id: Int64
  public var cameo: String
  public var root: String
  public var label: String
  public var quadClass: Int
  public var goldstein: Double
  public var source: ActorRef?
  public var target: ActorRef?
  public var date: String?
  /// The date the timeline orders by: the event's, else the earliest report's.
  public var sortDate: String?
  public var location: ActorRef?
  public var reports: Int
  /// Reports from different near-copy families: the corroboration count.
  public var independentSources: Int
  /// Outlets that published or were cited for it.
  public var outlets: [String]
  public var articleIds: [Int64]
  /// Reports that disagree ("dates differ: 2025-12-02 (article 3) vs 2025-12-03 (article 5)").
  public var conflicts: [String]
  /// Filled by `event(id:)` and the timeline; empty in plain listings.
  public var reportList: [ReportSummary]
  /// Every party of a happening with more than two ("X hosted Y and Z"); empty for a plain pair.
  public var participants: [ActorRef] = []
}

/// Filters for `events` and `timeline`.
public struct EventFilter: Sendable, Hashable, Codable {
  /// Actor id (source or target), or a party code matching either side's affiliation.
  public var actor: String?
  /// A CAMEO code prefix ("04", "042").
  public var cameo: String?
  /// Inclusive ISO dates (prefixes allowed: "2025-11").
  public var from: String?
  public var to: String?
  /// Outlet that published or was cited for a report.
  public var outlet: String?
  public var limit: Int
  public var offset: Int
  public init(
    actor: String? = nil, cameo: String? = nil, from: String? = nil, to: String? = nil, outlet: String? = nil,
    limit: Int = 50, offset: Int = 0
  ) {
    self.actor = actor
    self.cameo = cameo
    self.from = from
    self.to = to
    self.outlet = outlet
    self.limit = limit
    self.offset = offset
  }
}

/// A version of a plan: a draft with its point count, when it was first reported, its provisions.
public struct PlanVersionSummary: Sendable, Hashable, Codable {
  public var id: Int64
  /// Position in the plan's history, 1 for the earliest.
  public var rank: Int
  public var label: String
  public var points: Int?
  public var firstReported: String?
  public var mentions: Int
  /// The articles that mention the version, by id (in lists, the first ones; see `articleCount`).
  public var articles: [Int64]
  /// How many articles mention the version, whether or not `articles` lists them all.
  public var articleCount: Int
  /// The earliest reports of its terms (at most `RecordStore.provisionsPerVersion`, fewer in lists).
  public var provisions: [ProvisionSummary]
  /// How many provisions the record ties to the version, whether or not `provisions` lists them all.
  public var provisionCount: Int
  /// True when the version comes from the analyst's negotiation file, not from reporting.
  public var stated: Bool
}

/// A plan with its versions, oldest first.
public struct PlanSummary: Sendable, Hashable, Codable {
  public var id: Int64
  public var name: String
  public var versions: [PlanVersionSummary]
}

/// A provision of a plan version.
public struct ProvisionSummary: Sendable, Hashable, Codable {
  public var id: Int64
  public var category: String
  public var text: String
  public var demandedBy: ActorRef?
  public var appliesTo: ActorRef?
  public var articleId: Int64
}

/// What a later version of a plan adds, drops and keeps compared with an earlier one.
public struct PlanDiff: Sendable, Hashable, Codable {
  public var plan: String
  public var from: PlanVersionSummary
  public var to: PlanVersionSummary
  public var added: [ProvisionSummary]
  public var dropped: [ProvisionSummary]
  /// Pairs (earlier, later) judged the same provision.
  public var kept: [[ProvisionSummary]]
  /// Categories present only in the later / only in the earlier version.
  public var categoriesAdded: [String]
  public var categoriesDropped: [String]
}

/// A sentence that shows a party's stance.
public struct PositionEvidence: Sendable, Hashable, Codable {
  public var party: String
  public var actor: ActorRef?
  public var category: String
  public var stance: String
  public var text: String
  public var articleId: Int64
  public var start: Int
  public var end: Int
  /// From the analyst's negotiation file rather than reporting.
  public var stated: Bool
}

/// One cell of the positions matrix: a party's stances on one issue.
public struct PositionCell: Sendable, Hashable, Codable {
  public var party: String
  public var category: String
  /// The stance most reports give (red line and rejection outrank the others on ties).
  public var stance: String
  /// How many sentences support each stance.
  public var counts: [String: Int]
  /// Reports disagree about this party's stance (it both accepts and rejects, say).
  public var contested: Bool
  public var evidence: [PositionEvidence]
}

/// The party-by-issue matrix.
public struct PositionMatrix: Sendable, Hashable, Codable {
  /// Party codes with display names, most active first.
  public var parties: [PartyName]
  public var categories: [String]
  public var cells: [PositionCell]
  /// Where reporting contradicts the analyst's negotiation file.
  public var contradictions: [Contradiction]

  public func cell(party: String, category: String) -> PositionCell? {
    cells.first { $0.party == party && $0.category == category }
  }
}

/// A party code and the name to show for it.
public struct PartyName: Sendable, Hashable, Codable {
  public var code: String
  public var name: String
}

/// An outlet: what it published, how often it is cited, and by whom.
public struct OutletSummary: Sendable, Hashable, Codable {
  public var outlet: String
  /// Articles that name it as their publisher.
  public var published: Int
  /// Citations of it in articles ("according to ...").
  public var cited: Int
  /// Events whose reports rest on it (published by it or citing it).
  public var events: Int
  /// Outlets whose articles cite this one, with counts.
  public var citedBy: [String: Int]
}

/// An article found by full-text search.
public struct SearchHit: Sendable, Hashable, Codable {
  public var article: ArticleSummary
  /// The matching passage, terms wrapped in [ and ].
  public var snippet: String
  public var rank: Double
}

/// One page of results, for the API's pagination.
public struct Page<Item: Sendable & Hashable & Codable>: Sendable, Hashable, Codable {
  public var items: [Item]
  public var total: Int
  public var limit: Int
  public var offset: Int

  public init(items: [Item], total: Int, limit: Int, offset: Int) {
    self.items = items
    self.total = total
    self.limit = limit
    self.offset = offset
  }
}

/// One event in the layout political-science tools read (one row per event, ICEWS/GDELT-like).
public struct ExportRow: Sendable, Hashable, Codable {
  public var eventId: Int64
  public var date: String?
  public var sourceId: String?
  public var sourceName: String?
  public var sourceCountry: String?
  public var sourceKind: String?
  public var targetId: String?
  public var targetName: String?
  public var targetCountry: String?
  public var targetKind: String?
  public var cameo: String
  public var root: String
  public var quadClass: Int
  public var goldstein: Double
  public var location: String?
  public var reports: Int
  public var independentSources: Int
  public var sources: [String]
  public var articleIds: [Int64]
  public var text: String
}
