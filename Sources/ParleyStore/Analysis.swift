import ParleyModel
import ParleyRecord
import ParleyText

/// Compares two versions of a plan provision by provision.
public enum PlanComparison {
  /// Provisions of the same category whose content words overlap this much are the same term.
  public static let sameTermOverlap = 0.3

  public static func diff(plan: String, from a: PlanVersionSummary, to b: PlanVersionSummary) -> PlanDiff {
    let (old, oldWords) = distinct(a.provisions)
    let (new, newWords) = distinct(b.provisions)
    var unmatchedOld = Array(old.indices)
    var kept: [[ProvisionSummary]] = []
    var added: [ProvisionSummary] = []
    // Each provision's content words once, not once per pair compared: with 500 provisions a
    // version, folding and splitting every old text again for each new one was most of the diff.
    for (j, p) in new.enumerated() {
      let words = newWords[j]
      var best: (index: Int, score: Double)?
      for (k, i) in unmatchedOld.enumerated() where old[i].category == p.category {
        let score = jaccard(words, oldWords[i])
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

  /// The same term reported by several articles counts once; each provision kept comes with its
  /// content words.
  static func distinct(_ provisions: [ProvisionSummary]) -> (
    provisions: [ProvisionSummary], words: [Set<String>]
  ) {
    var seen: Set<String> = []
    var kept: [ProvisionSummary] = []
    var words: [Set<String>] = []
    for p in provisions {
      let w = contentWords(p.text)
      if seen.insert(p.category + "|" + w.sorted().joined(separator: " ")).inserted {
        kept.append(p)
        words.append(w)
      }
    }
    return (kept, words)
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
    // Counted without building the union and intersection sets.
    let (small, large) = a.count <= b.count ? (a, b) : (b, a)
    var shared = 0
    for word in small where large.contains(word) { shared += 1 }
    let union = a.count + b.count - shared
    return union == 0 ? 0 : Double(shared) / Double(union)
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
  /// How many sentences give one holder's stance on one issue; counts come from these, so a
  /// cell's figures cover every report even when only a few sentences are listed as evidence.
  struct Tally {
    var party: String
    var actor: ActorRef?
    var category: String
    var stance: String
    var count: Int
  }

  static func build(
    evidence: [PositionEvidence], tallies: [Tally], names: [String: String], negotiation: NegotiationFile?
  ) -> PositionMatrix {
    func partyOf(_ party: String, _ actor: ActorRef?) -> String {
      guard let negotiation, let actor else { return party }
      return negotiation.party(ofActor: actor.id, affiliation: actor.affiliation) ?? party
    }
    var all = evidence
    for i in all.indices { all[i].party = partyOf(all[i].party, all[i].actor) }
    var totals: [String: [String: Int]] = [:]
    for t in tallies {
      totals[partyOf(t.party, t.actor) + "\u{1}" + t.category, default: [:]][t.stance, default: 0] += t.count
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
    for key in totals.keys where grouped[key] == nil { grouped[key] = [] }
    var cells: [PositionCell] = []
    var activity: [String: Int] = [:]
    for (key, items) in grouped {
      let parts = key.split(separator: "\u{1}", maxSplits: 1).map(String.init)
      guard parts.count == 2 else { continue }
      var counts = totals[key] ?? [:]
      for e in items where e.stated { counts[e.stance, default: 0] += 1 }
      // What the analyst states outranks any count of reports.
      let statedStance = items.first(where: \.stated)?.stance
      let dominant =
        statedStance
        ?? counts.max { a, b in
          (a.value, -(precedence.firstIndex(of: a.key) ?? 9)) < (b.value, -(precedence.firstIndex(of: b.key) ?? 9))
        }?.key ?? Stance.demands.rawValue
      let positive: Set<String> = [Stance.accepts.rawValue, Stance.proposes.rawValue]
      let negative: Set<String> = [Stance.rejects.rawValue, Stance.redLine.rawValue]
      let reported = (totals[key] ?? [:]).filter { $0.value > 0 }.map(\.key)
      let contested = reported.contains(where: positive.contains) && reported.contains(where: negative.contains)
      cells.append(
        PositionCell(
          party: parts[0], category: parts[1], stance: dominant, counts: counts, contested: contested,
          evidence: items))
      activity[parts[0], default: 0] += counts.values.reduce(0, +)
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
