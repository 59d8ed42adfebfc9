import Foundation
import ParleyRecord
import ParleyStrategy

extension RecordQuerying {
  /// A starting conflict model (GMCR) drafted from the record: the positions on `planId`'s provisions (or the whole
  /// record's when no stance is tied to them, or no plan is given) and the plan's terms, through `ConflictDraft`.
  /// Nil when `planId` names no plan; throws `StrategyError` when there is nothing to model.
  public func conflictDraft(
    planId: Int64? = nil, negotiation: NegotiationFile? = nil, maxOptions: Int = ConflictDraft.defaultMaxOptions
  ) throws -> ConflictDraft? {
    let plans = try plans(negotiation: negotiation)
    var scope: [PlanSummary] = plans
    var matrix: PositionMatrix
    var source: String
    var title: String
    if let planId {
      guard let plan = plans.first(where: { $0.id == planId }) else { return nil }
      scope = [plan]
      matrix = try positions(planId: planId, negotiation: negotiation)
      source = "the positions on plan \(planId) (\(plan.name)) in the record"
      title = plan.name
      // As on the plan page: stances are often reported about a topic without being tied to a plan's text.
      if matrix.cells.isEmpty {
        matrix = try positions(negotiation: negotiation)
        source = "the record's positions (none is tied to plan \(planId), \(plan.name))"
      }
    } else {
      matrix = try positions(negotiation: negotiation)
      source = "every position in the record"
      title = negotiation?.negotiation ?? "The negotiation record"
    }
    if let name = negotiation?.negotiation, planId != nil { title = "\(name): \(title)" }

    let parties = matrix.parties.map { ConflictDraft.Party(code: $0.code, name: $0.name) }
    let positions = matrix.cells.map { cell in
      // The sentences for the cell's own stance first: they are the ones that justify the preference.
      let ordered =
        cell.evidence.filter { $0.stance == cell.stance } + cell.evidence.filter { $0.stance != cell.stance }
      return ConflictDraft.Position(
        party: cell.party, issue: cell.category, stance: cell.stance, count: cell.counts[cell.stance] ?? 1,
        contested: cell.contested,
        evidence: ordered.map { e in
          ConflictDraft.Evidence(text: e.text, source: e.stated ? "negotiation file" : "article \(e.articleId)")
        })
    }
    let terms = scope.flatMap { plan in
      plan.versions.flatMap { version in
        version.provisions.map { p in
          ConflictDraft.Term(
            issue: p.category, text: p.text, binds: p.appliesTo.map(RecordStore.partyCode),
            source: p.articleId > 0 ? "article \(p.articleId)" : "negotiation file, \(version.label)")
        }
      }
    }
    return try ConflictDraft(
      title: title, source: source, parties: parties, positions: positions, terms: terms, maxOptions: maxOptions)
  }

}

extension RecordStore {
  /// The party an actor stands for: its affiliation (a country's code, a person's country), else its own id as
  /// the record codes organizations.
  static func partyCode(_ actor: ActorRef) -> String {
    actor.affiliation ?? actor.id.uppercased()
  }
}
