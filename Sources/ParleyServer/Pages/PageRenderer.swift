import Foundation
import Mustache
import ParleyStore

/// Renders the web pages from the record: one method per page, each returning finished HTML
/// (nil for an id the record does not hold), so tests can call them without a server.
public struct PageRenderer: Sendable {
  let store: any RecordQuerying
  let library: MustacheLibrary
  /// The conflict models shown at `/conflicts`, in the order given.
  let conflicts: [ConflictModel]

  /// Loads the templates bundled with the server.
  public init(store: any RecordQuerying, conflicts: [ConflictModel] = []) throws {
    guard let directory = Bundle.module.url(forResource: "templates", withExtension: nil) else {
      throw PageError.missingResource("templates")
    }
    try self.init(store: store, templates: directory, conflicts: conflicts)
  }

  /// Loads the templates in `templates` (every `*.mustache`, named by file name without extension).
  public init(store: any RecordQuerying, templates: URL, conflicts: [ConflictModel] = []) throws {
    self.store = store
    self.conflicts = conflicts
    var library = MustacheLibrary()
    let names = try FileManager.default.contentsOfDirectory(atPath: templates.path)
    for name in names where name.hasSuffix(".mustache") {
      let url = templates.appendingPathComponent(name)
      let text = try String(contentsOf: url, encoding: .utf8)
      do {
        try library.register(text, named: String(name.dropLast(".mustache".count)))
      } catch {
        throw PageError.badTemplate(name, "\(error)")
      }
    }
    self.library = library
  }

  /// Renders `template` with `model`; a missing template is a programming error surfaced as a throw.
  func render(_ template: String, _ model: Any) throws -> String {
    guard let html = library.render(model, withTemplate: template) else { throw PageError.missingTemplate(template) }
    return html
  }

  /// The page for an unknown address or id.
  public func notFound(_ message: String) throws -> String {
    try render("message", MessageView(chrome: Chrome(title: "Not found"), heading: "Not found", message: message))
  }

  /// The page for a request the server could not answer; `message` must not reveal internals.
  public func failure(_ message: String) throws -> String {
    try render(
      "message",
      MessageView(chrome: Chrome(title: "Something went wrong"), heading: "Something went wrong", message: message))
  }
}

/// Why a page could not be rendered.
public enum PageError: Error, CustomStringConvertible, Sendable {
  case missingResource(String)
  case missingTemplate(String)
  case badTemplate(String, String)

  public var description: String {
    switch self {
    case .missingResource(let name): return "the server bundle has no \(name) folder"
    case .missingTemplate(let name): return "no template named \(name)"
    case .badTemplate(let name, let reason): return "template \(name): \(reason)"
    }
  }
}

/// The parts of the layout every page fills: its title and which nav entry is current.
struct Chrome {
  enum Section { case overview, timeline, actors, plans, search, other }
  var title: String
  var navOverview = false
  var navTimeline = false
  var navActors = false
  var navPlans = false
  var navSearch = false
  var searchText = ""

  init(title: String, section: Section = .other, searchText: String = "") {
    self.title = title
    self.searchText = searchText
    switch section {
    case .overview: navOverview = true
    case .timeline: navTimeline = true
    case .actors: navActors = true
    case .plans: navPlans = true
    case .search: navSearch = true
    case .other: break
    }
  }
}

struct MessageView {
  var chrome: Chrome
  var heading: String
  var message: String
}

/// Previous / next links of a paged list.
struct Pager {
  var hasPrevious: Bool
  var previousHref: String
  var hasNext: Bool
  var nextHref: String
  var rangeText: String
  var show: Bool

  /// `link(offset)` builds the address of another page of the same list.
  init(total: Int, limit: Int, offset: Int, link: (Int) -> String) {
    hasPrevious = offset > 0
    previousHref = link(max(0, offset - limit))
    hasNext = offset + limit < total
    nextHref = link(offset + limit)
    let upper = min(total, offset + limit)
    rangeText = total == 0 ? "none" : "\(offset + 1)–\(upper) of \(total)"
    show = hasPrevious || hasNext
  }
}

/// A link to an actor.
struct ActorLinkView {
  var actorName: String
  var actorHref: String
}

/// One event in a list.
struct EventRowView {
  var eventHref: String
  var dateText: String
  var dateNote: String
  var cameo: String
  var eventLabel: String
  var quadClass: String
  var quadLabel: String
  var hasSource: Bool
  var sourceActor: ActorLinkView
  var hasTarget: Bool
  var targetActor: ActorLinkView
  var reportCount: Int
  var singleReport: Bool
  var independentCount: Int
  var outletsText: String
  var hasConflicts: Bool
}

extension PageRenderer {
  static func actorLink(_ ref: ActorRef?) -> ActorLinkView {
    ActorLinkView(actorName: ref?.name ?? "", actorHref: ref.map { Links.actor($0.id) } ?? "")
  }

  static func eventRow(_ e: EventSummary) -> EventRowView {
    let quad = e.quadClass == 0 ? CAMEORoots.quadClass(e.root) : e.quadClass
    return EventRowView(
      eventHref: Links.event(e.id), dateText: e.date ?? e.sortDate.map { "~" + $0 } ?? "undated",
      dateNote: e.date != nil
        ? "the date the reports give" : e.sortDate != nil ? "no date given; when it was first reported" : "no date",
      cameo: e.cameo,
      eventLabel: e.label, quadClass: CAMEORoots.quadClassName(quad), quadLabel: CAMEORoots.quadLabel(quad),
      hasSource: e.source != nil, sourceActor: actorLink(e.source), hasTarget: e.target != nil,
      targetActor: actorLink(e.target), reportCount: e.reports, singleReport: e.reports == 1,
      independentCount: e.independentSources,
      outletsText: e.outlets.joined(separator: ", "), hasConflicts: !e.conflicts.isEmpty)
  }

  /// A title for lists: the article's own, else its file name (some sources carry no title).
  static func articleTitle(_ a: ArticleSummary) -> String {
    if let t = a.title, !t.isEmpty { return t }
    return a.path.split(separator: "/").last.map(String.init) ?? "article \(a.id)"
  }
}
