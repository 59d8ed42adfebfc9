import Foundation
import ParleyModel
import ParleyStore

struct ActorRowView {
  var actorName: String
  var actorHref: String
  var kind: String
  var affiliationText: String
  var roleText: String
  /// The CAMEO sector with its label ("REB (rebels)"), "" for none.
  var sectorText: String
  var hasSector: Bool
  var known: Bool
  var articles: Int
  var mentions: Int
  var events: Int
}

struct ActorsView {
  var chrome: Chrome
  var actors: [ActorRowView]
  var hasActors: Bool
  var queryText: String
  var kindOptions: [OptionView]
  var total: Int
  var pager: Pager
}

struct InteractionView {
  var counterpart: ActorLinkView
  var interactionLabel: String
  var root: String
  var outgoing: Bool
  var selfName: String
  var count: Int
  var quadClass: String
}

struct InteractionGroupView {
  var groupTitle: String
  var rows: [InteractionView]
}

struct PositionView {
  var category: String
  var stance: String
  var stanceClass: String
  var evidenceText: String
  var articleHref: String
  var articleId: Int64
}

struct ActorView {
  var chrome: Chrome
  var actor: ActorRowView
  var spellings: String
  var hasSpellings: Bool
  var timelineHref: String
  var events: [EventRowView]
  var hasEvents: Bool
  var moreEvents: Bool
  var network: NetworkChartModel
  var interactionGroups: [InteractionGroupView]
  var hasInteractions: Bool
  var positions: [PositionView]
  var hasPositions: Bool
  var positionsOmitted: Bool
  var positionsNote: String
}

extension PageRenderer {
  static let actorKinds = ActorKind.allCases.map(\.rawValue)

  /// `/actors`: actors, most mentioned first, filtered by `q` (a name or spelling) and `kind`.
  public func actors(_ query: [String: String]) throws -> String {
    let limit = 50
    let offset = max(0, query["offset"].flatMap { Int($0) } ?? 0)
    let kind = query["kind"]
    let page = try store.actors(kind: kind, query: query["q"], limit: limit, offset: offset)
    var kinds = Self.actorKinds
    if let kind, !kinds.contains(kind) { kinds.append(kind) }
    let view = ActorsView(
      chrome: Chrome(title: "Actors", section: .actors), actors: page.items.map(Self.actorRow),
      hasActors: !page.items.isEmpty, queryText: query["q"] ?? "",
      kindOptions: kinds.map { OptionView(value: $0, text: $0, selected: $0 == kind) }, total: page.total,
      pager: Pager(total: page.total, limit: limit, offset: offset) { o in
        Links.with("/actors", [("q", query["q"]), ("kind", kind), ("offset", o == 0 ? nil : String(o))])
      })
    return try render("actors", view)
  }

  static func actorRow(_ a: ActorSummary) -> ActorRowView {
    ActorRowView(
      actorName: a.name, actorHref: Links.actor(a.id), kind: a.kind, affiliationText: a.affiliation ?? "",
      roleText: a.role ?? "", sectorText: SectorLabels.text(a.sector), hasSector: a.sector != nil, known: a.known,
      articles: a.articles, mentions: a.mentions, events: a.events)
  }

  /// `/actors/{id}`: who the actor is, its events, its interactions drawn as a network, its
  /// positions; nil when there is no such actor.
  public func actor(id: String) throws -> String? {
    let eventLimit = 100
    // A much-quoted actor states thousands of positions (19,346 for one party on 100,000
    // articles: a 4.9 MB page): the page lists the first of each issue and stance, as the
    // positions matrix does, and says how many there are.
    let perCell = RecordStore.evidencePerCell
    guard let d = try store.actor(id: id, eventLimit: eventLimit, evidencePerCell: perCell) else { return nil }
    let positionCount = try store.positionCount(actorId: id)
    let peers = NetworkChart.peers(
      d.interactions.map { i in
        (i.counterpart.id, i.counterpart.name, i.root, i.outgoing ? i.label : i.label + " (by them)", i.count)
      })
    let network = NetworkChart.layout(centre: (d.actor.name, Links.actor(d.actor.id)), peers: peers)
    // Grouped by what happened, so "meets", "demands" and "rejects" read as separate lists.
    var groups: [String: [InteractionView]] = [:]
    var order: [String] = []
    for i in d.interactions {
      if groups[i.root] == nil { order.append(i.root) }
      groups[i.root, default: []].append(
        InteractionView(
          counterpart: Self.actorLink(i.counterpart), interactionLabel: i.label, root: i.root,
          outgoing: i.outgoing, selfName: d.actor.name, count: i.count,
          quadClass: CAMEORoots.quadClassName(CAMEORoots.quadClass(i.root))))
    }
    let interactionGroups = order.sorted().map { root in
      InteractionGroupView(groupTitle: "\(root) \(CAMEORoots.name(root))", rows: groups[root] ?? [])
    }
    // Swift's own replacement: Foundation's bridged one was 5% of the page.
    func spaced(_ s: String) -> String { String(s.map { $0 == "_" ? " " : $0 }) }
    let positions = d.positions.map { p in
      PositionView(
        category: spaced(p.category), stance: spaced(p.stance), stanceClass: "stance-" + p.stance,
        evidenceText: p.text, articleHref: Links.article(p.articleId), articleId: p.articleId)
    }
    let spellings = d.aliases.filter { $0 != d.actor.name }
    let view = ActorView(
      chrome: Chrome(title: d.actor.name, section: .actors), actor: Self.actorRow(d.actor),
      spellings: spellings.joined(separator: ", "), hasSpellings: !spellings.isEmpty,
      timelineHref: Links.with("/timeline", [("actor", d.actor.id)]), events: d.events.map(Self.eventRow),
      hasEvents: !d.events.isEmpty, moreEvents: d.events.count >= eventLimit, network: network,
      interactionGroups: interactionGroups, hasInteractions: !d.interactions.isEmpty, positions: positions,
      hasPositions: !positions.isEmpty, positionsOmitted: positionCount > positions.count,
      positionsNote:
        "The first \(perCell) sentences of each topic and stance: \(positions.count) of \(positionCount) positions.")
    return try render("actor", view)
  }
}
