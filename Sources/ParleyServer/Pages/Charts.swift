import Foundation
import ParleyModel

// Chart geometry: pure functions from data to shapes, rendered by the *-chart templates so that
// every label goes through Mustache's escaping. Coordinates are pre-formatted strings because
// the templates print values as they are and `Double`'s description is not SVG-friendly.

/// A calendar day as a count of days since 1970-01-01, so dates can be placed on an axis.
struct Day: Hashable, Comparable, Sendable {
  var number: Int

  static func < (a: Day, b: Day) -> Bool { a.number < b.number }

  /// "2025-11-20", or a prefix ("2025-11", "2025") read as its first day; nil for anything else.
  init?(iso: String) {
    let parts = iso.prefix(10).split(separator: "-", omittingEmptySubsequences: false)
    guard (1...3).contains(parts.count), parts[0].count == 4, let y = Int(parts[0]) else { return nil }
    let m = parts.count > 1 ? Int(parts[1]) : 1
    let d = parts.count > 2 ? Int(parts[2]) : 1
    guard let m, let d, (1...12).contains(m), (1...31).contains(d) else { return nil }
    number = Day.daysFromCivil(year: y, month: m, day: d)
  }

  init(number: Int) { self.number = number }

  /// Days since 1970-01-01 of a calendar date, by `PartialDate`'s exact proleptic Gregorian
  /// arithmetic (no Calendar or time zone, so the axis never shifts with the server's locale).
  static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
    PartialDate(year: year, month: month, day: day).dayNumber ?? 0
  }

  var civil: (year: Int, month: Int, day: Int) {
    let date = PartialDate(dayNumber: number)
    return (date.year, date.month ?? 1, date.day ?? 1)
  }

  var iso: String { PartialDate(dayNumber: number).description }
}

/// Formats a coordinate with at most one decimal, the precision a screen needs.
func svgNumber(_ value: Double) -> String {
  let rounded = (value * 10).rounded() / 10
  if rounded == rounded.rounded() { return String(Int(rounded)) }
  return String(format: "%.1f", rounded)
}

// MARK: Timeline

/// An event to place on the timeline.
struct TimelineItem: Sendable {
  var id: Int64
  var date: String?
  var title: String
  var quadClass: Int
  var href: String
}

/// A dot of the timeline chart.
struct TimelineDot: Sendable, Equatable {
  var cx: String
  var cy: String
  var r: String
  var cssClass: String
  var href: String
  var title: String
  var x: Double
  var y: Double
}

/// A labelled tick of a chart axis.
struct AxisTick: Sendable, Equatable {
  var x: String
  var label: String
}

/// What the timeline template draws.
struct TimelineChartModel: Sendable {
  var width: String
  var height: String
  var axisY: String
  var axisX1: String
  var axisX2: String
  var tickTop: String
  var labelY: String
  var ticks: [AxisTick]
  var dots: [TimelineDot]
  /// Events without a usable date, listed after the chart.
  var undated: [TimelineItem]
  var hasDots: Bool
}

enum TimelineChart {
  static let width = 960.0
  static let margin = 44.0
  static let radius = 6.0
  static let axisGap = 34.0
  static let maxStackHeight = 220.0

  /// Dated events become dots placed by day; events on the same day (or within a dot's width)
  /// stack upwards, so none hides another. Undated events are returned for listing.
  static func layout(_ items: [TimelineItem]) -> TimelineChartModel {
    var dated: [(TimelineItem, Day)] = []
    var undated: [TimelineItem] = []
    for item in items {
      if let d = item.date.flatMap(Day.init(iso:)) { dated.append((item, d)) } else { undated.append(item) }
    }
    let plotLeft = margin
    let plotWidth = width - 2 * margin
    guard let first = dated.map(\.1).min(), let last = dated.map(\.1).max() else {
      return TimelineChartModel(
        width: svgNumber(width), height: "0", axisY: "0", axisX1: "0", axisX2: "0", tickTop: "0", labelY: "0",
        ticks: [], dots: [], undated: undated, hasDots: false)
    }
    // A single day gets a week of room on each side so the dot sits in the middle.
    let lo = first == last ? first.number - 7 : first.number
    let hi = first == last ? last.number + 7 : last.number
    func x(_ day: Int) -> Double { plotLeft + Double(day - lo) / Double(hi - lo) * plotWidth }

    var stacks: [Int: Int] = [:]
    var placed: [(TimelineItem, Double, Int)] = []
    // Columns are a dot wide at full size, so a dot only stacks on the ones it would cover.
    let column = 2 * radius + 2
    for (item, day) in dated.sorted(by: { ($0.1, $0.0.id) < ($1.1, $1.0.id) }) {
      let px = x(day.number)
      let key = Int((px / column).rounded())
      let level = stacks[key, default: 0]
      stacks[key] = level + 1
      placed.append((item, px, level))
    }
    let levels = stacks.values.max() ?? 1
    // Tall stacks are squeezed into a fixed height (smaller, closer dots) so one busy day
    // cannot push the rest of the page down.
    let step = min(column, maxStackHeight / Double(levels))
    let r = min(radius, max(1.5, step / 2 - 0.5))
    let axisY = margin + Double(levels) * step + 4
    let dots = placed.map { item, px, level in
      let cy = axisY - r - 4 - Double(level) * step
      return TimelineDot(
        cx: svgNumber(px), cy: svgNumber(cy), r: svgNumber(r),
        cssClass: CAMEORoots.quadClassName(item.quadClass), href: item.href,
        title: (item.date.map { $0 + " · " } ?? "") + item.title, x: px, y: cy)
    }
    let ticks = self.ticks(from: lo, to: hi).map { AxisTick(x: svgNumber(x($0.number)), label: $0.label) }
    return TimelineChartModel(
      width: svgNumber(width), height: svgNumber(axisY + axisGap), axisY: svgNumber(axisY),
      axisX1: svgNumber(plotLeft), axisX2: svgNumber(plotLeft + plotWidth), tickTop: svgNumber(axisY + 5),
      labelY: svgNumber(axisY + 20), ticks: ticks, dots: dots, undated: undated, hasDots: true)
  }

  /// At most seven ticks: month starts for long spans, evenly spaced days for short ones.
  static func ticks(from lo: Int, to hi: Int) -> [(number: Int, label: String)] {
    let span = hi - lo
    if span > 75 {
      var months: [(Int, String)] = []
      var c = Day(number: lo).civil
      if c.day != 1 {
        c.month += 1
        if c.month > 12 { (c.year, c.month) = (c.year + 1, 1) }
      }
      while true {
        let n = Day.daysFromCivil(year: c.year, month: c.month, day: 1)
        if n > hi { break }
        months.append((n, String(format: "%04d-%02d", c.year, c.month)))
        c.month += 1
        if c.month > 12 { (c.year, c.month) = (c.year + 1, 1) }
      }
      let stride = max(1, Int((Double(months.count) / 7).rounded(.up)))
      return months.enumerated().filter { $0.offset % stride == 0 }.map(\.element)
    }
    let step = max(1, Int((Double(span) / 6).rounded(.up)))
    return Swift.stride(from: lo, through: hi, by: step).map { ($0, Day(number: $0).iso) }
  }
}

// MARK: Bars

/// A value to draw as a bar.
struct BarItem: Sendable {
  var label: String
  var value: Int
  var href: String
}

/// One bar with its label.
struct Bar: Sendable, Equatable {
  var x: String
  var y: String
  var width: String
  var height: String
  var label: String
  var fullLabel: String
  var labelX: String
  var textY: String
  var valueText: String
  var valueX: String
  var href: String
  var barWidth: Double
}

/// What the bar chart template draws.
struct BarChartModel: Sendable {
  var ariaLabel: String
  var width: String
  var height: String
  var bars: [Bar]
  var hasBars: Bool
}

enum BarChart {
  /// Horizontal bars, one row each, lengths proportional to the largest value; names in a
  /// left column cut to fit (the full name stays in the bar's title).
  static func layout(
    _ items: [BarItem], ariaLabel: String, width: Double = 640, labelWidth: Double = 190, rowHeight: Double = 26
  )
    -> BarChartModel
  {
    let maxValue = max(1, items.map(\.value).max() ?? 1)
    let barSpace = width - labelWidth - 48
    let bars = items.enumerated().map { i, item in
      let y = Double(i) * rowHeight + 4
      let w = max(1, Double(item.value) / Double(maxValue) * barSpace)
      let label = item.label.count > 26 ? String(item.label.prefix(25)) + "…" : item.label
      return Bar(
        x: svgNumber(labelWidth), y: svgNumber(y), width: svgNumber(w), height: svgNumber(rowHeight - 8),
        label: label, fullLabel: item.label, labelX: svgNumber(labelWidth - 8), textY: svgNumber(y + rowHeight / 2),
        valueText: String(item.value), valueX: svgNumber(labelWidth + w + 6), href: item.href, barWidth: w)
    }
    return BarChartModel(
      ariaLabel: ariaLabel, width: svgNumber(width), height: svgNumber(Double(items.count) * rowHeight + 8), bars: bars,
      hasBars: !bars.isEmpty)
  }
}

// MARK: Network

/// A counterpart of the actor in the middle, with how it interacted.
struct NetworkPeer: Sendable {
  var id: String
  var name: String
  var cooperation: Int
  var conflict: Int
  /// Interactions whose root is not a CAMEO root.
  var other: Int
  var summary: String
  var total: Int { cooperation + conflict + other }
}

/// A node of the network drawing.
struct NetworkNode: Sendable, Equatable {
  var cx: String
  var cy: String
  var r: String
  var label: String
  var labelX: String
  var labelY: String
  var anchor: String
  var href: String
  var title: String
  var x: Double
  var y: Double
}

/// An edge from the centre to a counterpart.
struct NetworkEdge: Sendable, Equatable {
  var x1: String
  var y1: String
  var x2: String
  var y2: String
  var strokeWidth: String
  var cssClass: String
  var title: String
  var width: Double
}

/// What the network template draws.
struct NetworkChartModel: Sendable {
  var width: String
  var height: String
  var centre: NetworkNode
  var nodes: [NetworkNode]
  var edges: [NetworkEdge]
  var hasPeers: Bool
  /// Counterparts left out to keep the drawing legible.
  var omitted: Int
  var hasOmitted: Bool
}

enum NetworkChart {
  static let width = 600.0
  static let ring = 150.0
  static let maxPeers = 14

  /// The actor in the centre, its busiest counterparts evenly on a circle (first at the top,
  /// clockwise), edges as wide as the interaction count and coloured by whether cooperation or
  /// conflict dominates ("mixed" on a tie).
  static func layout(centre: (name: String, href: String), peers: [NetworkPeer]) -> NetworkChartModel {
    let shown = Array(
      peers.sorted { ($0.total, $1.name) > ($1.total, $0.name) }.prefix(maxPeers))
    // Labels sit beside the nodes, so the drawing needs room left and right, little above.
    let cx = width / 2
    let cy = ring + 40
    let maxCount = max(1, shown.map(\.total).max() ?? 1)
    var nodes: [NetworkNode] = []
    var edges: [NetworkEdge] = []
    for (i, peer) in shown.enumerated() {
      let angle = -Double.pi / 2 + 2 * Double.pi * Double(i) / Double(max(1, shown.count))
      let (cosA, sinA) = (cos(angle), sin(angle))
      let x = cx + ring * cosA
      let y = cy + ring * sinA
      let anchor = abs(cosA) < 0.3 ? "middle" : (cosA > 0 ? "start" : "end")
      let lx = x + (abs(cosA) < 0.3 ? 0 : (cosA > 0 ? 12 : -12))
      let ly = y + (abs(cosA) < 0.3 ? (sinA < 0 ? -14 : 22) : 4)
      let label = peer.name.count > 20 ? String(peer.name.prefix(19)) + "…" : peer.name
      nodes.append(
        NetworkNode(
          cx: svgNumber(x), cy: svgNumber(y), r: "8", label: label, labelX: svgNumber(lx), labelY: svgNumber(ly),
          anchor: anchor, href: Links.actor(peer.id), title: peer.name + ": " + peer.summary, x: x, y: y))
      let width = 1.5 + 8.5 * Double(peer.total) / Double(maxCount)
      let cls: String
      if peer.cooperation > peer.conflict {
        cls = "coop"
      } else if peer.conflict > peer.cooperation {
        cls = "conflict"
      } else {
        cls = peer.conflict == 0 ? "neutral" : "mixed"
      }
      edges.append(
        NetworkEdge(
          x1: svgNumber(cx), y1: svgNumber(cy), x2: svgNumber(x), y2: svgNumber(y), strokeWidth: svgNumber(width),
          cssClass: cls, title: peer.name + ": " + peer.summary, width: width))
    }
    let label = centre.name.count > 28 ? String(centre.name.prefix(27)) + "…" : centre.name
    let middle = NetworkNode(
      cx: svgNumber(cx), cy: svgNumber(cy), r: "14", label: label, labelX: svgNumber(cx),
      labelY: svgNumber(cy + 32), anchor: "middle", href: centre.href, title: centre.name, x: cx, y: cy)
    return NetworkChartModel(
      width: svgNumber(width), height: svgNumber(2 * ring + 80), centre: middle, nodes: nodes, edges: edges,
      hasPeers: !shown.isEmpty,
      omitted: peers.count - shown.count, hasOmitted: peers.count > shown.count)
  }

  /// Interactions of an actor folded into one peer per counterpart.
  static func peers(_ interactions: [(id: String, name: String, root: String, label: String, count: Int)])
    -> [NetworkPeer]
  {
    var order: [String] = []
    var byId: [String: NetworkPeer] = [:]
    var parts: [String: [String]] = [:]
    for i in interactions {
      if byId[i.id] == nil {
        order.append(i.id)
        byId[i.id] = NetworkPeer(id: i.id, name: i.name, cooperation: 0, conflict: 0, other: 0, summary: "")
      }
      switch CAMEORoots.quadClass(i.root) {
      case 1, 2: byId[i.id]?.cooperation += i.count
      case 3, 4: byId[i.id]?.conflict += i.count
      default: byId[i.id]?.other += i.count
      }
      parts[i.id, default: []].append("\(i.label.lowercased()) ×\(i.count)")
    }
    return order.compactMap { id in
      guard var p = byId[id] else { return nil }
      p.summary = (parts[id] ?? []).joined(separator: ", ")
      return p
    }
  }
}
