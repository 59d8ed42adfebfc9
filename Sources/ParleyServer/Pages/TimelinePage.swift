import Foundation
import ParleyStore

struct OptionView {
  var value: String
  var text: String
  var selected: Bool
}

struct TimelineFilterView {
  var actorValue: String
  var actorOptions: [OptionView]
  var rootOptions: [OptionView]
  var outletOptions: [OptionView]
  var fromValue: String
  var toValue: String
  var active: Bool
  var summary: String
}

/// A list of events for the event-list partial, which reads `events`.
struct EventListView {
  var events: [EventRowView]
}

struct TimelineView {
  var chrome: Chrome
  var filter: TimelineFilterView
  var chart: TimelineChartModel
  var events: [EventRowView]
  var undatedList: EventListView
  var hasUndated: Bool
  var hasEvents: Bool
  var total: Int
  var singleTotal: Bool
  var pager: Pager
}

/// A piece of a sentence, marked when it is the word that triggered the event.
struct TextPart {
  var text: String
  var marked: Bool
}

struct ReportView {
  var articleHref: String
  var articleTitle: String
  var outletName: String
  var hasOutlet: Bool
  var outletHref: String
  var citedName: String
  var hasCited: Bool
  var citedHref: String
  var publishedText: String
  var reportDate: String
  var hasReportDate: Bool
  var sentence: [TextPart]
  var cameo: String
  var family: Int64
  var isCopy: Bool
}

struct EventView {
  var chrome: Chrome
  var event: EventRowView
  var goldstein: String
  var hasLocation: Bool
  var locationActor: ActorLinkView
  var reports: [ReportView]
  var conflicts: [String]
  var hasConflicts: Bool
  var outlets: [OptionView]
}

extension PageRenderer {
  static let timelinePageSize = 100

  /// The store filter a timeline query asks for; unknown roots and malformed dates are ignored
  /// rather than reported, as a form can only send what it offers.
  static func timelineFilter(_ q: [String: String], limit: Int) -> EventFilter {
    let root = q["root"].flatMap { r in CAMEORoots.names.contains { $0.code == r } ? r : nil }
    let cameo = q["cameo"].flatMap { c in c.allSatisfy(\.isNumber) && c.count <= 4 ? c : nil }
    func date(_ s: String?) -> String? {
      guard let s, Day(iso: s) != nil || s.count == 4 && Int(s) != nil else { return nil }
      return s
    }
    return EventFilter(
      actor: q["actor"], cameo: cameo ?? root, from: date(q["from"]), to: date(q["to"]), outlet: q["outlet"],
      limit: limit, offset: max(0, q["offset"].flatMap { Int($0) } ?? 0))
  }

  /// `/timeline`: the filtered events on a time axis (dated ones placed by date, undated ones
  /// listed after) with the filter form; `query` is the decoded query string.
  public func timeline(_ query: [String: String]) throws -> String {
    let filter = Self.timelineFilter(query, limit: Self.timelinePageSize)
    let page = try store.events(filter)
    let chart = TimelineChart.layout(
      page.items.map { e in
        let quad = e.quadClass == 0 ? CAMEORoots.quadClass(e.root) : e.quadClass
        let who = [e.source?.name, e.target?.name].compactMap { $0 }.joined(separator: " → ")
        return TimelineItem(
          id: e.id, date: e.date ?? e.sortDate, title: "\(e.cameo) \(e.label)" + (who.isEmpty ? "" : ": " + who),
          quadClass: quad, href: Links.event(e.id))
      })
    let undatedIds = Set(chart.undated.map(\.id))
    let rows = page.items.filter { !undatedIds.contains($0.id) }.map(Self.eventRow)
    let undated = page.items.filter { undatedIds.contains($0.id) }.map(Self.eventRow)

    let topActors = try store.actors(limit: 40).items
    let outlets = try store.topOutlets(limit: 60).sorted {
      $0.localizedCaseInsensitiveCompare($1) == .orderedAscending
    }
    var outletOptions = outlets.map { OptionView(value: $0, text: $0, selected: $0 == filter.outlet) }
    if let o = filter.outlet, !outlets.contains(o) {
      outletOptions.append(OptionView(value: o, text: o, selected: true))
    }
    let selectedRoot = filter.cameo.map { String($0.prefix(2)) }
    let rootOptions = CAMEORoots.names.map { r in
      OptionView(value: r.code, text: "\(r.code) \(r.name)", selected: r.code == selectedRoot)
    }
    var summary: [String] = []
    if let a = filter.actor { summary.append("actor \(a)") }
    if let c = filter.cameo { summary.append("CAMEO \(c) \(CAMEORoots.name(String(c.prefix(2))))") }
    if let o = filter.outlet { summary.append("outlet \(o)") }
    if let f = filter.from { summary.append("from \(f)") }
    if let t = filter.to { summary.append("to \(t)") }
    let form = TimelineFilterView(
      actorValue: filter.actor ?? "",
      actorOptions: topActors.map { OptionView(value: $0.id, text: $0.name, selected: false) },
      rootOptions: rootOptions, outletOptions: outletOptions, fromValue: filter.from ?? "", toValue: filter.to ?? "",
      active: !summary.isEmpty, summary: summary.joined(separator: ", "))
    let pager = Pager(total: page.total, limit: filter.limit, offset: filter.offset) { offset in
      Links.with(
        "/timeline",
        [
          ("actor", filter.actor), ("root", query["root"]), ("cameo", query["cameo"]), ("outlet", filter.outlet),
          ("from", filter.from), ("to", filter.to), ("offset", offset == 0 ? nil : String(offset)),
        ])
    }
    let view = TimelineView(
      chrome: Chrome(title: "Timeline", section: .timeline), filter: form, chart: chart, events: rows,
      undatedList: EventListView(events: undated), hasUndated: !undated.isEmpty, hasEvents: !page.items.isEmpty,
      total: page.total, singleTotal: page.total == 1,
      pager: pager)
    return try render("timeline", view)
  }

  /// `/events/{id}`: one event and every report of it; nil when there is no such event.
  public func event(id: Int64) throws -> String? {
    guard let e = try store.event(id: id) else { return nil }
    let reports = e.reportList.map { r in
      ReportView(
        articleHref: Links.article(r.articleId), articleTitle: r.articleTitle ?? "article \(r.articleId)",
        outletName: r.outlet ?? "", hasOutlet: r.outlet != nil, outletHref: r.outlet.map(Links.outlet) ?? "",
        citedName: r.cited ?? "", hasCited: r.cited != nil, citedHref: r.cited.map(Links.outlet) ?? "",
        publishedText: r.published ?? "undated", reportDate: r.date ?? "", hasReportDate: r.date != nil,
        sentence: Self.markTrigger(r.text, trigger: r.trigger), cameo: r.cameo, family: r.family,
        isCopy: r.family != r.articleId)
    }
    let title = [e.source?.name, e.label.lowercased(), e.target?.name].compactMap { $0 }.joined(separator: " ")
    let view = EventView(
      chrome: Chrome(title: title), event: Self.eventRow(e), goldstein: String(format: "%+.1f", e.goldstein),
      hasLocation: e.location != nil, locationActor: Self.actorLink(e.location), reports: reports,
      conflicts: e.conflicts, hasConflicts: !e.conflicts.isEmpty,
      outlets: e.outlets.map { OptionView(value: Links.outlet($0), text: $0, selected: false) })
    return try render("event", view)
  }

  /// The sentence in parts, its first occurrence of the trigger word marked.
  static func markTrigger(_ text: String, trigger: String) -> [TextPart] {
    guard !trigger.isEmpty, let r = text.range(of: trigger, options: .caseInsensitive) else {
      return [TextPart(text: text, marked: false)]
    }
    return [
      TextPart(text: String(text[..<r.lowerBound]), marked: false),
      TextPart(text: String(text[r]), marked: true),
      TextPart(text: String(text[r.upperBound...]), marked: false),
    ].filter { !$0.text.isEmpty }
  }
}
