import Foundation
import ParleyStrategy

// The state graph of a conflict model: states as labelled boxes, each decision maker's unilateral moves as arrows in
// its colour, equilibria and the status quo marked. Geometry only; the state-graph template draws it, so every name
// goes through Mustache's escaping.

/// A state box of the graph.
struct StateNodeView: Sendable {
  var x: String
  var y: String
  var width: String
  var height: String
  var textX: String
  var textY: String
  var number: Int
  var pattern: String
  var cssClass: String
  var title: String
}

/// The moves of one decision maker between two states, drawn once with an arrowhead at each end it can move to.
struct MoveEdgeView: Sendable {
  var d: String
  var cssClass: String
  var markerStart: String
  var markerEnd: String
  var title: String
}

/// An arrowhead: one per decision maker colour, plain for a move and larger for an improvement.
struct ArrowMarkerView: Sendable {
  var id: String
  var cssClass: String
  var size: String
  var half: String
}

/// A decision maker with its colour, for the legend.
struct MoverKeyView: Sendable {
  var name: String
  var colorClass: String
}

/// What the state-graph template draws.
struct StateGraphModel: Sendable {
  var width: String
  var height: String
  var nodes: [StateNodeView]
  var edges: [MoveEdgeView]
  var markers: [ArrowMarkerView]
  var movers: [MoverKeyView]
  var ariaLabel: String
  /// Set when some moves were left out to keep the drawing readable.
  var hasEdgeNote: Bool
  var edgeNote: String
}

enum StateGraph {
  /// Larger models are not drawn: the table and the paths say more than a hairball.
  static let maxStates = 64
  /// Beyond this many drawn moves only improvements are kept.
  static let maxEdges = 1200
  /// Distinct decision-maker colours in the stylesheet (`dm0` ... `dm7`); more decision makers reuse them.
  static let colours = 8

  static let rowHeight = 40.0
  static let columnGap = 96.0
  static let margin = 20.0
  static let nodeHeight = 26.0
  static let charWidth = 8.0

  static func colourClass(_ dm: Int) -> String { "dm\(dm % colours)" }

  /// The drawing of `report`'s graph, or nil when it has more than `maxStates` states. States are placed in columns
  /// by how many options they take (left: none), in state order within a column, so most moves run left and right.
  static func layout(_ report: StabilityReport) -> StateGraphModel? {
    let g = report.graph
    guard g.stateCount <= maxStates, g.stateCount > 0 else { return nil }
    let taken = g.patterns.map { $0.nonzeroBitCount }
    let columns = (taken.max() ?? 0) + 1
    var members = [[Int]](repeating: [], count: columns)
    for s in 0..<g.stateCount { members[taken[s]].append(s) }
    let tallest = members.map(\.count).max() ?? 1
    let longestLabel = "\(g.stateCount) ".count + (g.labels.first?.count ?? 0)
    let nodeWidth = 16 + Double(longestLabel) * charWidth
    let width = 2 * margin + Double(columns) * nodeWidth + Double(columns - 1) * columnGap
    let height = 2 * margin + Double(tallest) * rowHeight
    var centre = [(x: Double, y: Double)](repeating: (0, 0), count: g.stateCount)
    for (c, list) in members.enumerated() {
      let top = margin + Double(tallest - list.count) * rowHeight / 2
      for (i, s) in list.enumerated() {
        centre[s] = (margin + Double(c) * (nodeWidth + columnGap) + nodeWidth / 2, top + (Double(i) + 0.5) * rowHeight)
      }
    }

    let onPath = Set(report.evolution.flatMap(\.states))
    let nodes = (0..<g.stateCount).map { s -> StateNodeView in
      let eq = report.individual.equilibriumConcepts(s)
      var css = "state"
      if !eq.isEmpty { css += " equilibrium" }
      if s == report.statusQuo { css += " status-quo" }
      if onPath.contains(s) { css += " on-path" }
      var title = "State \(s + 1) \(g.labels[s])"
      if s == report.statusQuo { title += " (the status quo)" }
      title += eq.isEmpty ? ": no equilibrium" : ": equilibrium under " + eq.list.map(\.title).joined(separator: ", ")
      let (cx, cy) = centre[s]
      return StateNodeView(
        x: svgNumber(cx - nodeWidth / 2), y: svgNumber(cy - nodeHeight / 2), width: svgNumber(nodeWidth),
        height: svgNumber(nodeHeight), textX: svgNumber(cx), textY: svgNumber(cy + 4.5), number: s + 1,
        pattern: g.labels[s], cssClass: css, title: title)
    }

    struct Pair {
      var dm: Int
      var a: Int
      var b: Int
      var forward = false
      var backward = false
      var forwardImproves = false
      var backwardImproves = false
    }
    var pairs: [Pair] = []
    for (i, mover) in g.decisionMakers.enumerated() {
      var index: [Int: Int] = [:]
      for s in 0..<g.stateCount {
        for t32 in mover.moves(from: s) {
          let t = Int(t32)
          let key = min(s, t) * g.stateCount + max(s, t)
          let k = index[key] ?? pairs.count
          if k == pairs.count {
            index[key] = k
            pairs.append(Pair(dm: i, a: min(s, t), b: max(s, t)))
          }
          let improves = mover.payoff[t] > mover.payoff[s]
          if s < t {
            pairs[k].forward = true
            pairs[k].forwardImproves = improves
          } else {
            pairs[k].backward = true
            pairs[k].backwardImproves = improves
          }
        }
      }
    }
    var note = ""
    if pairs.count > maxEdges {
      let total = pairs.count
      pairs = pairs.filter { $0.forwardImproves || $0.backwardImproves }
      note = "\(total - pairs.count) of \(total) move lines that are no improvement for the mover are not drawn."
    }

    let halfW = nodeWidth / 2 + 3
    let halfH = nodeHeight / 2 + 3
    /// Where a line from a box's centre towards (dx, dy) leaves the box.
    func exit(_ p: (x: Double, y: Double), towards q: (x: Double, y: Double)) -> (Double, Double) {
      let dx = q.x - p.x
      let dy = q.y - p.y
      guard dx != 0 || dy != 0 else { return (p.x, p.y) }
      let t = min(dx == 0 ? .infinity : halfW / abs(dx), dy == 0 ? .infinity : halfH / abs(dy))
      return (p.x + dx * t, p.y + dy * t)
    }
    var edges: [MoveEdgeView] = []
    for pair in pairs {
      let p = centre[pair.a]
      let q = centre[pair.b]
      let dx = q.x - p.x
      let dy = q.y - p.y
      let length = max(1, (dx * dx + dy * dy).squareRoot())
      // Curved so that moves stacked in one column do not run through the boxes between them.
      let bend = (abs(dx) < 1 ? 0.35 : 0.12) * length
      let control = ((p.x + q.x) / 2 - dy / length * bend, (p.y + q.y) / 2 + dx / length * bend)
      let start = exit(p, towards: control)
      let end = exit(q, towards: control)
      let colour = colourClass(pair.dm)
      let name = g.decisionMakers[pair.dm].name
      var parts: [String] = []
      if pair.forward { parts.append("\(pair.a + 1) → \(pair.b + 1)" + (pair.forwardImproves ? " (improvement)" : "")) }
      if pair.backward {
        parts.append("\(pair.b + 1) → \(pair.a + 1)" + (pair.backwardImproves ? " (improvement)" : ""))
      }
      let improves = pair.forwardImproves || pair.backwardImproves
      edges.append(
        MoveEdgeView(
          d:
            "M\(svgNumber(start.0)),\(svgNumber(start.1)) Q\(svgNumber(control.0)),\(svgNumber(control.1)) \(svgNumber(end.0)),\(svgNumber(end.1))",
          cssClass: "move \(colour)" + (improves ? " improves" : ""),
          markerStart: pair.backward ? "url(#arrow-\(colour)\(pair.backwardImproves ? "-up" : ""))" : "none",
          markerEnd: pair.forward ? "url(#arrow-\(colour)\(pair.forwardImproves ? "-up" : ""))" : "none",
          title: "\(name): " + parts.joined(separator: "; ")))
    }
    // Improvements drawn last, so they sit on top of plain moves.
    edges.sort { !$0.cssClass.hasSuffix("improves") && $1.cssClass.hasSuffix("improves") }

    let used = Set(g.decisionMakers.indices.map { $0 % colours })
    var markers: [ArrowMarkerView] = []
    for c in used.sorted() {
      markers.append(ArrowMarkerView(id: "arrow-dm\(c)", cssClass: "arrow dm\(c)", size: "7", half: "3.5"))
      markers.append(ArrowMarkerView(id: "arrow-dm\(c)-up", cssClass: "arrow dm\(c)", size: "11", half: "5.5"))
    }
    return StateGraphModel(
      width: svgNumber(width), height: svgNumber(height), nodes: nodes, edges: edges, markers: markers,
      movers: g.decisionMakers.enumerated().map { MoverKeyView(name: $1.name, colorClass: colourClass($0)) },
      ariaLabel: "State graph: \(g.stateCount) states and the decision makers' moves between them",
      hasEdgeNote: !note.isEmpty, edgeNote: note)
  }
}
