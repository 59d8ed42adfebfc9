import ParleyModel
import ParleyRecord
import ParleyText

/// Compares two versions of a plan provision by provision.
public enum PlanComparison {
  /// Provisions of the same category whose content words overlap this much are the same term.
  public static let sameTermOverlap = 0.3

  public static func diff(plan: String, from a: PlanVersionSummary, to b: PlanVersionSummary) -> PlanDiff {
    let old = distinct(a.provisions)
    let new = distinct(b.provisions)
    var unmatchedOld = Array(old.indices)
    var kept: [[ProvisionSummary]] = []
    var added: [ProvisionSummary] = []
    for p in new {
      let words = contentWords(p.text)
      var best: (index: Int, score: Double)?
      for (k, i) in unmatchedOld.enumerated() where old[i].category == p.category {
        let score = jaccard(words, contentWords(old[i].text))
        if score >= sameTermOverlap, score > best?.score ?? 0 { best = (k, score) }
      }
      if let best {
        kept.append([old[unmatchedOld[best.index]], p])
        unmatchedOld.remove(at: best.index)
      } else {
        added.append(p)
      }
    }
    let dropped = unmatchedOld.map { old[$0] }
    let oldCategories = Set(old.map(\.category))
    let newCategories = Set(new.map(\.category))
    return PlanDiff(
      plan: plan, from: a, to: b, added: added, dropped: dropped, kept: kept,
      categoriesAdded: order(newCategories.subtracting(oldCategories)),
      categoriesDropped: order(oldCategories.subtracting(newCategories)))
  }

  /// The same term reported by several articles counts once.
  static func distinct(_ provisions: [ProvisionSummary]) -> [ProvisionSummary] {
    var seen: Set<String> = []
    return provisions.filter {
      seen.insert($0.category + "|" + contentWords($0.text).sorted().joined(separator: " ")).inserted
    }
  }

  static func contentWords(_ text: String) -> Set<String> {
    var words: Set<String> = []
    var current = ""
    for ch in Fold.key(text) {
      if ch.isLetter || ch.isNumber {
        current.append(ch)
      } else {
        if current.count > 3 { words.insert(current) }
        current = ""
      }
    }
    if current.count > 3 { words.insert(current) }
    return words
  }

  static func jaccard(_ a: Set<String>, _ b: Set<String>) -> Double {
    let union = a.union(b).count
    return union == 0 ? 0 : Double(a.intersection(b).count) / Double(union)
  }

  /// Categories in the contract's order.
  static func order(_ categories: Set<String>) -> [String] {
    ProvisionCategory.allCases.map(\.rawValue).filter(categories.contains)
  }
}

extension PositionMatrix {
  /// Which stance a cell shows when its evidence is split evenly: the firmer one.
  static let precedence: [String] = [
    Stance.redLine.rawValue, Stance.rejects.rawValue, Stance.demands.rawValue, Stance.accepts.rawValue,
    Stance.proposes.rawValue,
  ]

  /// Groups evidence into party-by-category cells; the analyst's file renames parties, adds
  /// its red lines, and is checked against the reporting.
  static func build(evidence: [PositionEvidence], names: [String: String], negotiation: NegotiationFile?)
    -> PositionMatrix
  {
    var all = evidence
    if let negotiation {
      for i in all.indices {
        if let actor = all[i].actor,
          let party = negotiation.party(ofActor: actor.id, affiliation: actor.affiliation)
        {
          all[i].party = party
        }
      }
    }
    var stated: [PositionEvidence] = []
    var names = names
    for party in negotiation?.parties ?? [] {
      names[party.code] = party.name
      for line in party.redLines {
        stated.append(
          PositionEvidence(
            party: party.code, actor: nil, category: line.category.rawValue, stance: line.stance.rawValue,
            text: line.text, articleId: 0, start: 0, end: 0, stated: true))
      }
    }
    var grouped: [String: [PositionEvidence]] = [:]
    for e in all + stated { grouped[e.party + "\u{1}" + e.category, default: []].append(e) }
    var cells: [PositionCell] = []
    var activity: [String: Int] = [:]
    for (_, items) in grouped {
      guard let first = items.first else { continue }
      var counts: [String: Int] = [:]
      for e in items { counts[e.stance, default: 0] += 1 }
      // What the analyst states outranks any count of reports.
      let statedStance = items.first(where: \.stated)?.stance
      let dominant =
        statedStance
        ?? counts.max { a, b in
          (a.value, -(precedence.firstIndex(of: a.key) ?? 9)) < (b.value, -(precedence.firstIndex(of: b.key) ?? 9))
        }?.key ?? Stance.demands.rawValue
      let positive: Set<String> = [Stance.accepts.rawValue, Stance.proposes.rawValue]
      let negative: Set<String> = [Stance.rejects.rawValue, Stance.redLine.rawValue]
      let reported = items.filter { !$0.stated }.map(\.stance)
      let contested = reported.contains(where: positive.contains) && reported.contains(where: negative.contains)
      cells.append(
        PositionCell(
          party: first.party, category: first.category, stance: dominant, counts: counts, contested: contested,
          evidence: items))
      activity[first.party, default: 0] += items.count
    }
    let categoryOrder = ProvisionCategory.allCases.map(\.rawValue)
    cells.sort {
      ($0.party, categoryOrder.firstIndex(of: $0.category) ?? 99) < (
        $1.party, categoryOrder.firstIndex(of: $1.category) ?? 99
      )
    }
    let parties = activity.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map {
      PartyName(code: $0.key, name: names[$0.key] ?? $0.key)
    }
    let categories = categoryOrder.filter { c in cells.contains { $0.category == c } }
    let contradictions =
      negotiation?.contradictions(
        with: all.compactMap { e in
          guard let category = ProvisionCategory(rawValue: e.category), let stance = Stance(rawValue: e.stance) else {
            return nil
          }
          return ReportedStance(
            party: e.party, category: category, stance: stance, evidence: e.text, articleId: e.articleId)
        }) ?? []
    return PositionMatrix(parties: parties, categories: categories, cells: cells, contradictions: contradictions)
  }
}
