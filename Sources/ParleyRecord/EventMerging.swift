import ParleyModel

/// Rules that decide when reports from different articles are the same event.
public struct MergePolicy: Sendable, Hashable {
  /// Two reports are one event when the days they can have happened on are at most this many
  /// days apart (two dated reports: their dates).
  public var eventWindowDays = 3
  /// Reports without a day date (undated, or only a month or a year) are grouped per period of
  /// this many days of their article's date (a fixed grid, so that a group never grows by chaining).
  public var reportingLagDays = 14
  /// CAMEO roots whose events have no direction (a meeting of A with B is one of B with A).
  public var symmetricRoots: Set<String> = ["04"]
  public init() {}
}

/// Days a report or an event can have happened on, as day numbers (days after 1970-01-01), both ends included.
public struct DaySpan: Sendable, Hashable {
  public var first: Int
  public var last: Int

  public init(first: Int, last: Int) {
    self.first = first
    self.last = last
  }

  /// The smallest span covering both.
  public func union(_ other: DaySpan) -> DaySpan {
    DaySpan(first: min(first, other.first), last: max(last, other.last))
  }

  /// Days between the two spans: 0 when they overlap or touch.
  public func gap(to other: DaySpan) -> Int {
    max(0, max(first, other.first) - min(last, other.last))
  }
}

/// What the event rules read of one report: its code, sides, date and place, and its article's date.
public struct ReportFacts: Sendable, Hashable {
  public var cameo: String
  public var source: String?
  public var target: String?
  public var date: PartialDate?
  /// The publication date of the report's article.
  public var published: PartialDate?
  public var location: String?

  public init(
    cameo: String, source: String?, target: String?, date: PartialDate?, published: PartialDate?, location: String?
  ) {
    self.cameo = cameo
    self.source = source
    self.target = target
    self.date = date
    self.published = published
    self.location = location
  }

  /// The CAMEO root: the first two digits of the code.
  public var root: String { String(cameo.prefix(2)) }
}

/// Which reports can be one event at all: the same sides (in either order for a symmetric root),
/// the same CAMEO root, and with one side unknown the same code.
public struct EventKey: Sendable, Hashable {
  public var source: String?
  public var target: String?
  public var root: String
  /// Set when a side is unknown: then only an identical code is evidence enough of the same event.
  public var cameo: String?
  /// Whether (target, source) is the same key: a symmetric root with two different known sides.
  public var symmetric: Bool
  /// Whether the reports have a day date: those without one are events of their own.
  public var dated: Bool

  public init(_ report: ReportFacts, policy: MergePolicy) {
    source = report.source
    target = report.target
    root = report.root
    let oneSided = report.source == nil || report.target == nil
    cameo = oneSided ? report.cameo : nil
    symmetric = !oneSided && report.source != report.target && policy.symmetricRoots.contains(report.root)
    dated = report.date?.dayNumber != nil
  }

  /// The (source, target) orders events of this key can be stored under.
  public var orientations: [(source: String?, target: String?)] {
    symmetric ? [(source, target), (target, source)] : [(source, target)]
  }
}

/// An event as the rules see it. Every field is a function of the set of its reports, not of the
/// order they came in: each is the best of its reports under a fixed order (a semilattice), so an
/// event folded from its reports in any order, or from two events merged, is the same.
public struct MergedEvent: Sendable, Hashable {
  /// The most specific code of any report (the longest; on a tie the smallest).
  public var cameo: String
  public var root: String
  /// For a symmetric key, the smaller of the orders its reports give.
  public var source: String?
  public var target: String?
  /// The most precise date any report gives (on a tie the earliest).
  public var date: PartialDate?
  /// The smallest place any report names.
  public var location: String?
  /// The date the timeline orders by: `date`, else the earliest date it was reported; "~" when unknown.
  public var sortKey: String
  public var reportCount: Int
  /// The days its reports can have happened on; nil for reports with no date at all (and no
  /// article date), which only merge with each other.
  public var span: DaySpan?

  public init(
    cameo: String, root: String, source: String?, target: String?, date: PartialDate?, location: String?,
    sortKey: String, reportCount: Int, span: DaySpan?
  ) {
    self.cameo = cameo
    self.root = root
    self.source = source
    self.target = target
    self.date = date
    self.location = location
    self.sortKey = sortKey
    self.reportCount = reportCount
    self.span = span
  }

  /// The event of one report.
  public init(report r: ReportFacts, policy: MergePolicy) {
    self.init(
      cameo: r.cameo, root: r.root, source: r.source, target: r.target, date: r.date, location: r.location,
      sortKey: (r.date ?? r.published)?.description ?? "~", reportCount: 1, span: EventRules.span(of: r, policy: policy)
    )
  }

  /// The event holding the reports of both.
  public func merged(with o: MergedEvent) -> MergedEvent {
    var m = self
    if o.cameo.count > cameo.count || (o.cameo.count == cameo.count && o.cameo < cameo) { m.cameo = o.cameo }
    if (o.source ?? "", o.target ?? "") < (source ?? "", target ?? "") {
      m.source = o.source
      m.target = o.target
    }
    m.date = EventRules.better(date, o.date)
    if let l = o.location, location == nil || l < location ?? l { m.location = l }
    // Without a date on either side both sort keys are the earliest reported dates; the key '~'
    // (nothing known) sorts after every date.
    m.sortKey = m.date?.description ?? min(sortKey, o.sortKey)
    m.reportCount = reportCount + o.reportCount
    switch (span, o.span) {
    case (let a?, let b?): m.span = a.union(b)
    case (nil, let b): m.span = b
    case (let a, nil): m.span = a
    }
    return m
  }
}

/// An event already in the record.
public struct StoredEvent: Sendable, Hashable {
  public var id: Int64
  public var summary: MergedEvent

  public init(id: Int64, summary: MergedEvent) {
    self.id = id
    self.summary = summary
  }
}

/// What the event rules need of a database: probes by key and time, and the writes a merge makes.
public protocol EventStorage {
  /// Events stored under `source`, `target` and `root` (and `cameo`, when set), with a day date
  /// or without one as `dated` says, whose span ends on or after `day`, in the order their spans
  /// end, each handed to `body` until it returns false; with `day` nil, the events without a span.
  func events(
    source: String?, target: String?, root: String, cameo: String?, dated: Bool, endingFrom day: Int?,
    _ body: (StoredEvent) throws -> Bool
  ) throws
  /// Stores a new event and returns its id.
  func insertEvent(_ summary: MergedEvent) throws -> Int64
  /// Replaces what is stored of event `id`.
  func updateEvent(_ id: Int64, to summary: MergedEvent) throws
  /// Moves every report and participant of event `absorbed` to `survivor`, and deletes `absorbed`.
  func mergeEvent(_ absorbed: Int64, into survivor: Int64) throws
}

/// The event rules: which reports are one event, and how an event is found for a new report.
///
/// Events are the connected components of a link between reports of one key. Reports with a day
/// date are linked when their dates are at most `eventWindowDays` apart. Reports without one
/// (undated, or a month or a year only) are linked when their articles' dates fall in the same
/// fixed period of `reportingLagDays` days: linked by closeness, a pair reported on every day
/// without a date would chain into one event lasting years. A component is the same whatever
/// order its reports arrive in, so the record is a function of the set of its articles. Because
/// linked spans merge, the spans of a key's events are disjoint and more than the window apart:
/// a new report touches only the few events around its days, found by one ordered index probe
/// per orientation, however large the record.
public enum EventRules {
  /// The days report `r` stands for: its day date; without one, the period of
  /// `reportingLagDays` days (counted from 1970-01-01) holding its article's date, or, when the
  /// article has none, the last day of the month or year the report names. Nil when nothing is
  /// known of the time.
  public static func span(of r: ReportFacts, policy: MergePolicy) -> DaySpan? {
    if let n = r.date?.dayNumber { return DaySpan(first: n, last: n) }
    let reference: Int? = r.published?.dayNumber ?? (r.published ?? r.date).flatMap { days(of: $0)?.last }
    guard let reference else { return nil }
    let period = max(1, policy.reportingLagDays)
    let start = reference - ((reference % period) + period) % period
    return DaySpan(first: start, last: start + period - 1)
  }

  /// The days of a month or a year.
  static func days(of d: PartialDate) -> DaySpan? {
    let firstMonth = d.month ?? 1
    let lastMonth = d.month ?? 12
    guard let first = PartialDate(year: d.year, month: firstMonth, day: 1).dayNumber,
      let last = PartialDate(
        year: d.year, month: lastMonth, day: PartialDate.daysIn(month: lastMonth, year: d.year)
      ).dayNumber
    else { return nil }
    return DaySpan(first: first, last: last)
  }

  /// The more precise of two dates; on equal precision the earlier.
  public static func better(_ a: PartialDate?, _ b: PartialDate?) -> PartialDate? {
    guard let a else { return b }
    guard let b else { return a }
    if a.precision != b.precision { return a.precision > b.precision ? a : b }
    return b < a ? b : a
  }

  /// Puts a report in the record: the event its key and days link it to, merging every event it
  /// links, or a new one. Returns the event's id (the smallest of the merged ids).
  public static func place(_ report: ReportFacts, policy: MergePolicy, in storage: some EventStorage) throws -> Int64 {
    var event = MergedEvent(report: report, policy: policy)
    var linked: [StoredEvent] = []
    let window = Self.window(for: report, policy: policy)
    for probe in probes(for: report, policy: policy) {
      try storage.events(
        source: probe.source, target: probe.target, root: probe.root, cameo: probe.cameo, dated: probe.dated,
        endingFrom: probe.endingFrom
      ) { stored in
        guard let mine = event.span else {
          linked.append(stored)
          return true
        }
        guard let theirs = stored.summary.span else { return true }
        // Spans of one key are disjoint and ordered: once one starts past the window, so do the rest.
        if theirs.first > mine.last + window { return false }
        if theirs.gap(to: mine) <= window { linked.append(stored) }
        return true
      }
    }
    guard let survivor = linked.map(\.id).min() else { return try storage.insertEvent(event) }
    for stored in linked.sorted(by: { $0.id < $1.id }) {
      event = event.merged(with: stored.summary)
      if stored.id != survivor { try storage.mergeEvent(stored.id, into: survivor) }
    }
    try storage.updateEvent(survivor, to: event)
    return survivor
  }
}

/// One probe the event rules make for a report (the arguments of `EventStorage.events`): the
/// events of one orientation of its key whose spans end on or after `endingFrom`.
public struct EventProbe: Sendable, Hashable {
  public var source: String?
  public var target: String?
  public var root: String
  public var cameo: String?
  public var dated: Bool
  public var endingFrom: Int?

  public init(source: String?, target: String?, root: String, cameo: String?, dated: Bool, endingFrom: Int?) {
    self.source = source
    self.target = target
    self.root = root
    self.cameo = cameo
    self.dated = dated
    self.endingFrom = endingFrom
  }
}

extension EventRules {
  /// How many days apart reports of `report`'s key may be and still be one event. Periods of
  /// undated reports link only to the same period: they touch their neighbours.
  static func window(for report: ReportFacts, policy: MergePolicy) -> Int {
    EventKey(report, policy: policy).dated ? policy.eventWindowDays : 0
  }

  /// The probes `place` starts with for `report`, in the order it makes them: a storage may send
  /// those of many reports at once and answer `place` from them, as long as it has written
  /// nothing since that they could see.
  public static func probes(for report: ReportFacts, policy: MergePolicy) -> [EventProbe] {
    let key = EventKey(report, policy: policy)
    let from = MergedEvent(report: report, policy: policy).span.map { $0.first - window(for: report, policy: policy) }
    return key.orientations.map {
      EventProbe(
        source: $0.source, target: $0.target, root: key.root, cameo: key.cameo, dated: key.dated, endingFrom: from)
    }
  }
}

extension PartialDate {
  /// 1 for a year, 2 for a month, 3 for a day.
  public var precision: Int { day != nil ? 3 : month != nil ? 2 : 1 }

  /// Whether this (coarser or equal) date contains `other`: 2025-11 contains 2025-11-02.
  public func contains(_ other: PartialDate) -> Bool {
    guard year == other.year else { return false }
    guard let month else { return true }
    guard month == other.month else { return false }
    guard let day else { return true }
    return day == other.day
  }
}
