import ParleyBenchmarks
import ParleyModel
import ParleyRecord
import Testing

/// The record's merge rules on an in-memory storage: what they decide does not depend on the
/// order reports and mentions arrive in, and the probes they make read only what is near.
@Suite("Merge rules")
struct MergeRuleTests {
  /// Events and reports in memory, with the same contract as the SQLite store's.
  final class MemoryEvents: EventStorage {
    var events: [Int64: MergedEvent] = [:]
    /// Which event each placed report (by its index) is in.
    var reportEvent: [Int: Int64] = [:]
    var nextId: Int64 = 1
    var probed = 0

    func events(
      source: String?, target: String?, root: String, cameo: String?, dated: Bool, endingFrom day: Int?,
      _ body: (StoredEvent) throws -> Bool
    ) throws {
      let matching = events.filter { _, e in
        e.source == source && e.target == target && e.root == root && (cameo == nil || e.cameo == cameo)
          && (e.date?.dayNumber != nil) == dated
          && (day == nil ? e.span == nil : (e.span?.last ?? Int.min) >= day ?? 0)
      }.sorted { ($0.value.span?.last ?? 0, $0.key) < ($1.value.span?.last ?? 0, $1.key) }
      for (id, e) in matching {
        probed += 1
        guard try body(StoredEvent(id: id, summary: e)) else { return }
      }
    }

    func insertEvent(_ summary: MergedEvent) throws -> Int64 {
      defer { nextId += 1 }
      events[nextId] = summary
      return nextId
    }

    func updateEvent(_ id: Int64, to summary: MergedEvent) throws { events[id] = summary }

    func mergeEvent(_ absorbed: Int64, into survivor: Int64) throws {
      events[absorbed] = nil
      for (r, e) in reportEvent where e == absorbed { reportEvent[r] = survivor }
    }

    /// The events as sets of report indices with their summaries, ids aside.
    var partition: Set<[String]> {
      var members: [Int64: [Int]] = [:]
      for (r, e) in reportEvent { members[e, default: []].append(r) }
      return Set(
        members.map { id, rs in
          let e = events[id]
          return rs.sorted().map(String.init) + [
            e.map { "\($0.cameo) \($0.source ?? "-")>\($0.target ?? "-") \($0.date?.description ?? "-")" } ?? "?",
            e.map { "\($0.sortKey) \($0.location ?? "-") \($0.reportCount)" } ?? "?",
          ]
        })
    }
  }

  static func reports(count: Int, seed: UInt64) -> [ReportFacts] {
    var rng = SplitMix64(seed: seed)
    let actors = ["a", "b", "c", nil]
    let codes = ["040", "042", "043", "112", "0211"]
    return (0..<count).map { _ in
      let day = 10 + Int(rng.next() % 40)
      let date: PartialDate? =
        switch rng.next() % 5 {
        case 0: nil
        case 1: PartialDate(year: 2026, month: 3)
        default: PartialDate(year: 2026, month: 3, day: min(31, day % 31 + 1))
        }
      return ReportFacts(
        cameo: codes[Int(rng.next() % UInt64(codes.count))], source: actors[Int(rng.next() % 4)],
        target: actors[Int(rng.next() % 3)], date: date,
        published: rng.next() % 7 == 0 ? nil : PartialDate(year: 2026, month: 3, day: min(31, day % 31 + 3)),
        location: rng.next() % 3 == 0 ? ["geneva", "doha"][Int(rng.next() % 2)] : nil)
    }
  }

  static func place(_ reports: [ReportFacts], order: [Int]) throws -> MemoryEvents {
    let storage = MemoryEvents()
    for i in order {
      storage.reportEvent[i] = try EventRules.place(reports[i], policy: MergePolicy(), in: storage)
    }
    return storage
  }

  @Test("Events are the same whatever order their reports arrive in", arguments: [1, 2, 3, 4, 5] as [UInt64])
  func eventsDoNotDependOnOrder(seed: UInt64) throws {
    let reports = Self.reports(count: 120, seed: seed)
    let forward = try Self.place(reports, order: Array(reports.indices))
    #expect(forward.events.count > 10 && forward.events.count < reports.count, "a corpus worth comparing")
    var rng = SplitMix64(seed: seed &* 31)
    for _ in 0..<4 {
      var order = Array(reports.indices)
      for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
      let other = try Self.place(reports, order: order)
      #expect(other.partition == forward.partition)
    }
    let reversed = try Self.place(reports, order: reports.indices.reversed())
    #expect(reversed.partition == forward.partition)
  }

  @Test func reportsAFewDaysApartAreOneEventAndFarApartTwo() throws {
    func meeting(_ day: Int) -> ReportFacts {
      ReportFacts(
        cameo: "040", source: "a", target: "b", date: PartialDate(year: 2026, month: 5, day: day),
        published: PartialDate(year: 2026, month: 5, day: day), location: nil)
    }
    // 2 and 5 are within the window; 20 is not; the reversed pair of a meeting is the same meeting.
    var reversed = meeting(4)
    (reversed.source, reversed.target) = ("b", "a")
    let storage = try Self.place([meeting(2), meeting(5), meeting(20), reversed], order: [0, 1, 2, 3])
    #expect(storage.events.count == 2)
    #expect(Set(storage.reportEvent.values).count == 2)
    #expect(storage.reportEvent[0] == storage.reportEvent[3])
  }

  @Test func reportsWithoutADayAreGroupedByPeriodAndNeverChain() throws {
    // A pair reported on every day of two months without a date: one event per 14-day period,
    // not one event chained through every day; and none of them joins the dated meeting.
    func undated(_ day: Int) -> ReportFacts {
      ReportFacts(
        cameo: "040", source: "a", target: "b", date: nil, published: PartialDate(dayNumber: 20_300 + day),
        location: nil)
    }
    let dated = ReportFacts(
      cameo: "040", source: "a", target: "b", date: PartialDate(dayNumber: 20_310),
      published: PartialDate(dayNumber: 20_311), location: nil)
    let reports = (0..<56).map(undated) + [dated]
    let storage = try Self.place(reports, order: Array(reports.indices))
    #expect(storage.events.count == 5 || storage.events.count == 6, "\(storage.events.count) events")
    #expect(Set(storage.reportEvent.values).count == storage.events.count)
    #expect(storage.reportEvent[56].map { storage.events[$0]?.reportCount } == 1)
    let byEvent = Dictionary(grouping: 0..<56) { storage.reportEvent[$0] ?? 0 }
    #expect(byEvent.values.allSatisfy { $0.count <= 14 }, "\(byEvent.values.map(\.count))")
  }

  @Test func aProbeReadsOnlyTheEventsNearTheReport() throws {
    // A pair that met every ten days for years: each new meeting reads a handful of events.
    let meetings = (0..<300).map { i in
      ReportFacts(
        cameo: "040", source: "a", target: "b", date: PartialDate(dayNumber: 20_000 + 10 * i),
        published: PartialDate(dayNumber: 20_000 + 10 * i), location: nil)
    }
    let storage = try Self.place(meetings, order: Array(meetings.indices).reversed())
    #expect(storage.events.count == 300)
    #expect(storage.probed <= 2 * 300, "\(storage.probed) events read for 300 reports")
  }

  /// Families, mentions and versions in memory, with the same contract as the SQLite store's.
  final class MemoryPlans: PlanStorage {
    var links: Set<[String]> = []  // key, parties, planId
    var plans: Set<Int64> = []
    var names: [Int64: [String: Int]] = [:]
    var versions: [Int64: (plan: Int64, points: Int?, name: String)] = [:]
    var mentionVersion: [String: Int64] = [:]
    var nextId: Int64 = 1

    func planLinks(key: String) throws -> [PlanLink] {
      links.filter { $0[0] == key }.map { PlanLink(planId: Int64($0[2]) ?? 0, parties: $0[1]) }
    }
    func insertPlan(parties: String) throws -> Int64 {
      defer { nextId += 1 }
      plans.insert(nextId)
      return nextId
    }
    func mergePlan(_ absorbed: Int64, into survivor: Int64) throws {
      plans.remove(absorbed)
      links = Set(links.map { $0[2] == String(absorbed) ? [$0[0], $0[1], String(survivor)] : $0 })
      for (name, n) in names[absorbed] ?? [:] { names[survivor, default: [:]][name, default: 0] += n }
      names[absorbed] = nil
      for (id, v) in versions where v.plan == absorbed {
        if let same = versions.first(where: {
          $0.value.plan == survivor && $0.value.points == v.points && $0.value.name == v.name
        })?.key {
          for (m, mv) in mentionVersion where mv == id { mentionVersion[m] = same }
          versions[id] = nil
        } else {
          versions[id] = (survivor, v.points, v.name)
        }
      }
    }
    func addMembers(planId: Int64, parties: String, keys: [String], familyNames: [String]) throws {
      for key in keys { links.insert([key, parties, String(planId)]) }
      for name in familyNames { names[planId, default: [:]][name, default: 0] += 1 }
    }
    func version(planId: Int64, points: Int?, name: String) throws -> Int64 {
      if let id = versions.first(where: {
        $0.value.plan == planId && $0.value.points == points && $0.value.name == name
      })?.key {
        return id
      }
      defer { nextId += 1 }
      versions[nextId] = (planId, points, name)
      return nextId
    }

    /// Families as sets of "article/mention" with their version, ids aside.
    var partition: Set<[String]> {
      var members: [Int64: [String]] = [:]
      for (m, v) in mentionVersion {
        guard let version = versions[v] else { continue }
        members[version.plan, default: []].append("\(m)=\(version.points.map(String.init) ?? version.name)")
      }
      return Set(members.values.map { $0.sorted() })
    }
  }

  struct PlanArticle {
    var mentions: [PlanMentionFacts]
    var cues: [RevisionCue]
    var parties: [String]
  }

  static func placePlans(_ articles: [PlanArticle], order: [Int]) throws -> MemoryPlans {
    let storage = MemoryPlans()
    for a in order {
      let versions = try PlanRules.place(
        articles[a].mentions, cues: articles[a].cues, mainParties: articles[a].parties, in: storage)
      for (i, v) in versions.enumerated() { storage.mentionVersion["\(a)/\(i)"] = v }
    }
    return storage
  }

  @Test("Plan families are the same whatever order their articles arrive in", arguments: [7, 8, 9] as [UInt64])
  func plansDoNotDependOnOrder(seed: UInt64) throws {
    var rng = SplitMix64(seed: seed)
    let names = ["peace plan", "Gaza plan", "the revised plan", "Russian memorandum", "framework"]
    let partySets = [["UKR", "RUS", "USA"], ["ISR", "PSE", "USA"], ["UKR"], ["RUS", "UKR"]]
    let articles = (0..<60).map { _ in
      let n = 1 + Int(rng.next() % 3)
      let mentions = (0..<n).map { _ in
        PlanMentionFacts(
          name: names[Int(rng.next() % UInt64(names.count))],
          points: rng.next() % 2 == 0 ? [12, 20, 28][Int(rng.next() % 3)] : nil)
      }
      return PlanArticle(
        mentions: mentions, cues: mentions.map { _ in rng.next() % 4 == 0 ? .later : .unmarked },
        parties: partySets[Int(rng.next() % UInt64(partySets.count))])
    }
    let forward = try Self.placePlans(articles, order: Array(articles.indices))
    #expect(forward.plans.count > 1)
    for _ in 0..<3 {
      var order = Array(articles.indices)
      for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
      #expect(try Self.placePlans(articles, order: order).partition == forward.partition)
    }
  }

  @Test func aRevisionTiesTwoDraftsAndALaterArticleJoinsTwoFamilies() throws {
    let ukraine = ["UKR", "RUS", "USA"]
    let a = PlanArticle(
      mentions: [PlanMentionFacts(name: "28-point peace plan", points: 28)], cues: [.unmarked], parties: ukraine)
    let b = PlanArticle(
      mentions: [PlanMentionFacts(name: "20-point plan", points: 20)], cues: [.unmarked], parties: ukraine)
    let c = PlanArticle(
      mentions: [
        PlanMentionFacts(name: "revised 20-point plan", points: 20),
        PlanMentionFacts(name: "original 28-point plan", points: 28),
      ], cues: [.later, .earlier], parties: ukraine)
    let gaza = PlanArticle(
      mentions: [PlanMentionFacts(name: "20-point plan", points: 20)], cues: [.unmarked],
      parties: ["ISR", "PSE", "USA"])
    for order in [[0, 1, 2, 3], [3, 2, 1, 0], [1, 3, 0, 2]] {
      let storage = try Self.placePlans([a, b, c, gaza], order: order)
      // a, b and c are one plan with two versions; Gaza's 20 points are another plan.
      #expect(storage.plans.count == 2, "order \(order)")
      #expect(
        storage.mentionVersion["0/0"].flatMap { storage.versions[$0]?.plan }
          == storage.mentionVersion["1/0"].flatMap { storage.versions[$0]?.plan })
      #expect(storage.mentionVersion["1/0"] == storage.mentionVersion["2/0"])
      #expect(storage.mentionVersion["3/0"] != storage.mentionVersion["1/0"])
    }
  }

  @Test func aProvisionGoesToItsCountElseTheOnlyPlanElseTheNewerOne() {
    let old = PlacedPlanMention(version: 1, points: 28, start: 10, cue: .earlier)
    let new = PlacedPlanMention(version: 2, points: 20, start: 50, cue: .later)
    let plain = PlacedPlanMention(version: 3, points: nil, start: 90, cue: .unmarked)
    #expect(PlanRules.provisionVersion(at: 100, points: 28, mentions: [old, new]) == 1)
    #expect(PlanRules.provisionVersion(at: 5, points: nil, mentions: [old]) == 1)
    #expect(PlanRules.provisionVersion(at: 100, points: nil, mentions: [old, new]) == 2)
    #expect(PlanRules.provisionVersion(at: 100, points: nil, mentions: []) == nil)
    // Unmarked: the one named last before the provision.
    let other = PlacedPlanMention(version: 4, points: 12, start: 20, cue: .unmarked)
    #expect(PlanRules.provisionVersion(at: 95, points: nil, mentions: [other, plain]) == 3)
    #expect(PlanRules.provisionVersion(at: 30, points: nil, mentions: [other, plain]) == 4)
  }

  @Test func partySignaturesTellNegotiationsApart() {
    #expect(PlanRules.partySignature(["USA", "UKR", "RUS"]) == "RUS,UKR,USA")
    #expect(PlanRules.partySignature(["UKR"]) == "")
    #expect(PlanRules.sameNegotiation("RUS,UKR,USA", "RUS,UKR"))
    #expect(!PlanRules.sameNegotiation("ISR,PSE,USA", "RUS,UKR,USA"))
    #expect(!PlanRules.sameNegotiation("", "RUS,UKR,USA"))
    #expect(PlanRules.sameNegotiation("", ""))
  }
}
