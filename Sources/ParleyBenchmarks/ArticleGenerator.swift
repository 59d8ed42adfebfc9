import Foundation
import ParleyModel

/// One synthetic news article with the fields a feed carries.
public struct GeneratedArticle: Sendable, Hashable {
  public var id: String
  public var title: String
  /// Publication day, `YYYY-MM-DD`.
  public var published: String
  public var outlet: String
  public var text: String

  /// The article as one JSON Lines record (`id`, `title`, `published`, `outlet`, `text`).
  public var jsonLine: String {
    var w = JSONWriter(reservingCapacity: text.utf8.count + 256)
    w.beginObject()
    w.field("id", id)
    w.field("title", title)
    w.field("published", published)
    w.field("outlet", outlet)
    w.field("text", text)
    w.endObject()
    return w.output
  }

  /// The article as a text file whose header lines `parley ingest` reads (title, date, source).
  public var textFile: String {
    "title: \(title)\ndate: \(published)\nsource: \(outlet)\n\n\(text)\n"
  }
}

/// Generates synthetic reporting on several negotiations (Ukraine, Gaza, Iran, Armenia–Azerbaijan,
/// Sudan, Congo–Rwanda) over two years, deterministic for a seed.
///
/// Articles of one negotiation report the same dated happenings (a meeting, a call, a strike) so
/// that the record merges them into one event with many reports; plans change their point count
/// over time; a share of articles are syndicated near-copies or exact duplicates of recent ones.
public struct ArticleGenerator: Sendable {
  /// Share of articles that are a recent article under another outlet, headline and intro line.
  public var nearCopyRate = 0.05
  /// Share of articles that repeat a recent article's text exactly.
  public var duplicateRate = 0.02
  /// Days of reporting, starting 2024-12-01.
  public var days = 730
  /// Article length in words, inclusive.
  public var minWords = 150
  public var maxWords = 600

  private let seed: UInt64
  private let words: GeneratorVocabulary
  private var rng: SplitMix64
  private var count = 0
  /// Recent originals, the pool copies and duplicates are drawn from (syndication follows the
  /// original within days, so a short window is realistic and keeps memory bounded).
  private var recent: [GeneratedArticle] = []

  /// Throws only when the bundled vocabulary (`Resources/generator/negotiations.json`) is missing or malformed.
  public init(seed: UInt64) throws {
    self.seed = seed
    words = try GeneratorVocabulary.bundled()
    rng = SplitMix64(seed: seed)
  }

  /// The next article of the stream.
  public mutating func next() -> GeneratedArticle {
    count += 1
    let id = String(format: "gen-%07d", count)
    let roll = unit()
    if !recent.isEmpty, roll < duplicateRate {
      var copy = recent[index(recent.count)]
      copy.id = id
      return copy
    }
    if !recent.isEmpty, roll < duplicateRate + nearCopyRate {
      return syndicate(recent[index(recent.count)], id: id)
    }
    let article = original(id: id)
    if recent.count < 64 {
      recent.append(article)
    } else {
      recent[index(recent.count)] = article
    }
    return article
  }

  // MARK: Random helpers

  private mutating func index(_ n: Int) -> Int { Int(rng.next() % UInt64(n)) }
  private mutating func unit() -> Double { Double(rng.next() >> 11) / Double(1 << 53) }
  private mutating func pick<T>(_ xs: [T]) -> T { xs[index(xs.count)] }
  private mutating func chance(_ p: Double) -> Bool { unit() < p }

  // MARK: Happenings

  /// Something that happened on one day in one negotiation; every article that mentions it
  /// derives it from the same seed, so they agree on who, what, where and when.
  struct Happening {
    enum Kind { case meeting, call, visit, demand, rejection, threat, strike, proposal }
    var kind: Kind
    var a: Person
    var b: Person
    var sideA: Side
    var sideB: Side
    var venue: String
    var place: String
    var demand: Demand
    var day: Int
    var hours: Int
    var casualties: Int
  }

  private func happening(_ talks: Negotiation, talksIndex: Int, day: Int, slot: Int) -> Happening {
    var r = SplitMix64(
      seed: seed ^ (UInt64(talksIndex) &* 0x9E37_79B9) ^ (UInt64(bitPattern: Int64(day)) << 20) ^ UInt64(slot))
    _ = r.next()
    func pickR<T>(_ xs: [T]) -> T { xs[Int(r.next() % UInt64(xs.count))] }
    let kinds: [Happening.Kind] = [
      .meeting, .meeting, .meeting, .meeting, .call, .call, .visit, .demand, .demand, .rejection, .rejection, .threat,
      .strike, .strike, .proposal,
    ]
    var kind = pickR(kinds)
    if kind == .strike, talks.places.isEmpty { kind = .meeting }
    // Any two sides meet or call; demands, rejections, threats and strikes follow a term: the
    // side that wants it acts on the side it is asked of (or, for a rejection, the other way).
    let ai = Int(r.next() % UInt64(talks.sides.count))
    var bi = Int(r.next() % UInt64(talks.sides.count))
    if bi == ai { bi = (ai + 1) % talks.sides.count }
    let demand = pickR(talks.demands)
    var sideA = talks.sides[ai]
    var sideB = talks.sides[bi]
    if kind == .demand || kind == .rejection || kind == .strike || kind == .threat {
      sideA = talks.sides[demand.by]
      sideB = talks.sides[demand.on]
      if kind == .rejection { swap(&sideA, &sideB) }
    }
    return Happening(
      kind: kind, a: pickR(sideA.people), b: pickR(sideB.people), sideA: sideA, sideB: sideB,
      venue: pickR(talks.venues),
      place: talks.places.isEmpty ? pickR(talks.venues) : pickR(talks.places), demand: demand, day: day,
      hours: 2 + Int(r.next() % 6), casualties: 1 + Int(r.next() % 40))
  }

  // MARK: Articles

  /// What one article has said so far, to write a full name once and the short one after.
  private struct Draft {
    var named: Set<String> = []
    var sentences: [String] = []
    var words = 0
    mutating func add(_ s: String) {
      let t = s.prefix(1).uppercased() + s.dropFirst()
      // Reporting does not repeat a sentence word for word (the record would drop the repeat).
      guard !sentences.contains(t) else { return }
      sentences.append(t)
      words += t.split(separator: " ").count
    }
  }

  private mutating func name(_ p: Person, _ d: inout Draft) -> String {
    if d.named.contains(p.name) { return chance(0.8) ? p.short : p.name }
    d.named.insert(p.name)
    return chance(0.75) ? "\(p.title) \(p.name)" : p.name
  }

  private mutating func original(id: String) -> GeneratedArticle {
    let ti = weightedTalks()
    let talks = words.negotiations[ti]
    let published = index(days)
    let outlet = pick(words.outlets)
    var draft = Draft()
    let target = minWords + index(maxWords - minWords + 1)

    var happenings: [Happening] = []
    for _ in 0..<(1 + index(4)) {
      let day = published - index(7)
      happenings.append(happening(talks, talksIndex: ti, day: day, slot: index(3)))
    }
    let lead = happenings[0]
    describe(lead, published: published, talks: talks, lead: true, &draft)
    var next = 1
    var attempts = 0
    while draft.words < target, attempts < 1000 {
      attempts += 1
      let roll = index(20)
      if roll < 5, next < happenings.count {
        describe(happenings[next], published: published, talks: talks, lead: false, &draft)
        next += 1
      } else if roll < 8 {
        planSentence(talks, published: published, &draft)
      } else if roll < 11 {
        stanceSentence(talks, &draft)
      } else if roll < 15 {
        quoteSentence(talks, &draft)
      } else {
        backgroundSentence(talks, &draft)
      }
    }
    return GeneratedArticle(
      id: id, title: headline(lead, talks: talks), published: Self.iso(published), outlet: outlet,
      text: paragraphs(draft.sentences))
  }

  /// A syndicated copy: another outlet, a new headline and a dateline intro; the body is unchanged.
  private mutating func syndicate(_ a: GeneratedArticle, id: String) -> GeneratedArticle {
    var copy = a
    copy.id = id
    copy.outlet = pick(words.outlets.filter { $0 != a.outlet })
    copy.title = pick(words.syndicatedHeadlines).replacingOccurrences(of: "{H}", with: a.title)
    let city = pick(words.datelines)
    copy.text = "\(city) (\(copy.outlet)) — " + pick(words.syndicationIntros) + "\n\n" + a.text
    return copy
  }

  private mutating func paragraphs(_ sentences: [String]) -> String {
    var out = ""
    var i = 0
    while i < sentences.count {
      let n = i == 0 ? 1 : 1 + index(3)
      let end = min(sentences.count, i + n)
      if !out.isEmpty { out += "\n\n" }
      out += sentences[i..<end].joined(separator: " ")
      i = end
    }
    return out
  }

  private mutating func weightedTalks() -> Int {
    let total = words.negotiations.reduce(0) { $0 + $1.weight }
    var x = index(total)
    for (i, t) in words.negotiations.enumerated() {
      if x < t.weight { return i }
      x -= t.weight
    }
    return 0
  }

  // MARK: Sentences

  private mutating func when(_ day: Int, published: Int) -> String {
    let gap = published - day
    if gap >= 1, gap <= 5, chance(0.4) { return "on " + Self.weekdayName(day) }
    if gap == 0, chance(0.5) { return pick(["on " + Self.weekdayName(day), "earlier today", "today"]) }
    return chance(0.5) ? "on \(Self.monthDay(day))" : "on \(Self.dayMonth(day))"
  }

  private mutating func citation() -> String {
    let o = pick(words.citedOutlets)
    return pick([
      ", according to \(o)", ", \(o) reported", ", people familiar with the matter told \(o)",
      ", as first reported by \(o)", ", two officials told \(o)", ", according to a report by \(o)",
      ", a diplomat quoted by \(o) said",
    ])
  }

  private mutating func describe(_ h: Happening, published: Int, talks: Negotiation, lead: Bool, _ d: inout Draft) {
    let a = name(h.a, &d)
    let b = name(h.b, &d)
    let w = when(h.day, published: published)
    let cite = chance(0.35) ? citation() : ""
    let topic = pick(talks.topics)
    let demand = h.demand.clause(wouldForm: false)
    var s: String
    switch h.kind {
    case .meeting:
      s = pick([
        "\(a) met \(b) in \(h.venue) \(w) for talks on \(topic)\(cite).",
        "\(a) held talks with \(b) in \(h.venue) \(w)\(cite).",
        "\(a) and \(b) met for \(words.numberWords[h.hours]) hours in \(h.venue) \(w)\(cite).",
        "\(a) hosted \(b) in \(h.venue) \(w) to discuss \(topic).",
        "\(a) sat down with \(b) in \(h.venue) \(w), in what officials called a \(pick(words.moods)) meeting\(cite).",
        "A \(words.numberWords[h.hours])-hour meeting between \(a) and \(b) in \(h.venue) \(w) ended without a breakthrough on \(topic).",
      ])
    case .call:
      s = pick([
        "\(a) spoke by phone with \(b) \(w)\(cite).",
        "\(a) and \(b) held a phone call \(w) about \(topic).",
        "In a phone call \(w), \(a) told \(b) that \(h.sideA.name) was ready to continue the talks.",
        "\(a) telephoned \(b) \(w) to discuss \(topic)\(cite).",
      ])
    case .visit:
      s = pick([
        "\(a) travelled to \(h.venue) \(w) for talks with \(b)\(cite).",
        "\(a) visited \(h.venue) \(w), where \(h.a.short) met \(b).",
        "\(a) arrived in \(h.venue) \(w) for a \(pick(words.moods)) round of talks with \(b).",
      ])
    case .demand:
      s = pick([
        "\(a) demanded \(w) that \(demand)\(cite).",
        "\(h.sideA.name) demands that \(demand), \(a) said \(w).",
        "\(a) insisted \(w) that \(demand).",
        "\(a) pressed \(h.sideB.name) \(w) to accept that \(demand)\(cite).",
      ])
    case .rejection:
      s = pick([
        "\(a) rejected the demand that \(demand), calling it \(pick(words.dismissals)).",
        "\(h.sideA.name) \(w) rejected \(h.sideB.possessive) demand that \(demand)\(cite).",
        "\(a) said \(w) that \(h.sideA.name) would never accept that \(demand).",
        "\(a) dismissed \(w) the idea that \(demand), calling it \(pick(words.dismissals)).",
      ])
    case .threat:
      s = pick([
        "\(a) threatened \(w) to impose new sanctions on \(h.sideB.name) if the talks failed\(cite).",
        "\(a) warned \(b) \(w) that \(h.sideA.name) would walk away from the talks.",
        "\(a) threatened \(w) to end the talks unless \(h.sideB.name) dropped its demands on \(topic).",
      ])
    case .strike:
      s = pick([
        "\(h.sideA.name) launched a drone attack on \(h.place) \(w), killing \(h.casualties) people\(cite).",
        "\(h.sideA.adjective) forces shelled \(h.place) overnight \(w), officials in \(h.sideB.capital) said.",
        "Missile strikes by \(h.sideA.name) hit \(h.place) \(w), killing at least \(h.casualties) civilians\(cite).",
        "\(h.sideA.adjective) troops attacked positions near \(h.place) \(w)\(cite).",
      ])
    case .proposal:
      let points = talks.version(at: h.day).points
      s = pick([
        "\(a) presented the \(points)-point \(talks.plan) to \(b) in \(h.venue) \(w)\(cite).",
        "\(a) handed \(b) a \(points)-point \(talks.plan) \(w).",
        "\(a) proposed \(w) that \(demand), under a \(points)-point \(talks.plan).",
      ])
    }
    if lead, chance(0.3) {
      s = pick(["\(Self.dayPhrase(h.day)): ", "", "In \(h.venue), "]) + s
    }
    d.add(s)
  }

  private mutating func planSentence(_ talks: Negotiation, published: Int, _ d: inout Draft) {
    let current = talks.version(at: published)
    let earlier = talks.versions.last { $0.day < current.day }
    let clause = pick(talks.demands).clause(wouldForm: true)
    let o = pick(words.citedOutlets)
    var options = [
      "Under the \(current.points)-point \(talks.plan), \(clause).",
      "The \(current.points)-point \(talks.plan), first reported by \(o), says that \(clause).",
      "A draft of the \(current.points)-point \(talks.plan) seen by \(o) says \(clause).",
      "The \(talks.plan) has \(current.points) points, and its authors said \(clause).",
    ]
    if let earlier {
      options += [
        "A revised \(current.points)-point \(talks.plan) replaced the original \(earlier.points)-point draft after talks in \(pick(talks.venues)).",
        "The new \(current.points)-point version drops several clauses of the earlier \(earlier.points)-point \(talks.plan), \(o) reported.",
        "Negotiators trimmed the original \(earlier.points)-point \(talks.plan) to \(current.points) points, officials said.",
      ]
    }
    d.add(pick(options))
  }

  private mutating func stanceSentence(_ talks: Negotiation, _ d: inout Draft) {
    let demand = pick(talks.demands)
    let by = talks.sides[demand.by]
    let on = talks.sides[demand.on]
    let clause = demand.clause(wouldForm: false)
    let who = name(pick(by.people), &d)
    let other = name(pick(on.people), &d)
    d.add(
      pick([
        "\(by.name) has demanded that \(clause).",
        "\(who) said \(by.name) insists that \(clause).",
        "\(on.name) rejected the demand that \(clause).",
        "\(other) said \(on.name) would never accept that \(clause).",
        "\(on.name) refused to agree that \(clause), \(other) told reporters.",
        "\(on.name) is ready to accept that \(clause) if the ceasefire holds, \(other) said.",
        "For \(on.name), the demand that \(clause) is a red line, \(other) said.",
        "\(who) proposed that \(clause).",
      ]))
  }

  private mutating func quoteSentence(_ talks: Negotiation, _ d: inout Draft) {
    let side = pick(talks.sides)
    let who = name(pick(side.people), &d)
    let quote =
      pick(words.quoteOpeners) + " "
      + pick(words.quoteClosers).replacingOccurrences(
        of: "{T}", with: pick(talks.topics))
    d.add(
      pick([
        "\"\(quote),\" \(who) told reporters in \(side.capital).",
        "\"\(quote),\" \(who) said in a statement.",
        "\(who) said: \"\(quote).\"",
        "\"\(quote),\" \(who) wrote on social media.",
        "\"\(quote),\" \(who) said after meeting officials in \(pick(talks.venues)).",
      ]))
  }

  private mutating func backgroundSentence(_ talks: Negotiation, _ d: inout Draft) {
    let side = pick(talks.sides)
    let months = 2 + index(30)
    d.add(
      pick([
        "Talks on \(talks.label) have gone on for \(months) months without a lasting agreement.",
        "Diplomats in \(side.capital) described the mood of the talks as \(pick(words.moods)).",
        "Analysts said the \(pick(words.moods)) pace of the talks reflected deep differences over \(pick(talks.topics)).",
        "The next round is expected in \(pick(talks.venues)) \(pick(["next week", "later this month", "in the coming days", "after the holidays"])), officials said.",
        "Officials in \(side.capital) declined to comment on \(pick(talks.topics)).",
        "Previous rounds in \(pick(talks.venues)) and \(pick(talks.venues)) produced \(pick(["little", "only modest", "no"])) progress on \(pick(talks.topics)).",
        "Observers in \(pick(words.datelines).capitalized) said \(words.numberWords[2 + index(6)]) issues remain open, including \(pick(talks.topics)).",
        "Public support for the talks in \(side.capital) has \(pick(["fallen", "risen", "held steady"])) to \(20 + index(60)) percent, a poll by \(pick(words.citedOutlets)) found.",
        "The \(pick(words.moods)) tone in \(side.capital) contrasts with \(pick(["the mood in", "statements from", "briefings in"])) \(pick(talks.sides).capital).",
        "Markets in \(pick(["London", "New York", "Frankfurt", "Tokyo"])) \(pick(["rose", "fell", "barely moved"])) on the news, with \(pick(["oil", "gas", "wheat", "gold"])) prices \(pick(["up", "down"])) \(1 + index(5)).\(index(10)) percent.",
        "A \(pick(["senior", "Western", "regional", "European"])) diplomat, who asked not to be named, said the gap over \(pick(talks.topics)) was \(pick(["narrowing", "as wide as ever", "hard to bridge", "smaller than it looks"])).",
        "Lawmakers in \(side.capital) are due to debate \(pick(talks.topics)) \(pick(["on Thursday", "next month", "before the summer recess", "this week"])).",
        "Humanitarian groups warned that \(1 + index(9)) million people \(pick(["need aid", "have fled their homes", "face shortages of food and fuel"])).",
        "Since \(Self.monthNames[index(12)]), at least \(words.numberWords[2 + index(8)]) rounds of talks have been held in \(pick(talks.venues)).",
      ]))
  }

  private mutating func headline(_ h: Happening, talks: Negotiation) -> String {
    let a = h.a.short
    let b = h.b.short
    switch h.kind {
    case .meeting, .visit:
      return pick([
        "\(a) and \(b) meet in \(h.venue)", "\(a) holds talks with \(b) on \(pick(talks.topics))",
        "Talks in \(h.venue): \(a) meets \(b)",
      ])
    case .call: return pick(["\(a) and \(b) speak by phone", "\(a) calls \(b) as talks stall"])
    case .demand: return pick(["\(h.sideA.name) hardens demands", "\(a) sets out \(h.sideA.adjective) demands"])
    case .rejection: return pick(["\(h.sideA.name) rejects \(h.sideB.adjective) demand", "\(a) says no to key demand"])
    case .threat: return pick(["\(a) threatens \(h.sideB.name)", "\(a) warns talks could collapse"])
    case .strike: return pick(["Strikes on \(h.place) cloud talks", "\(h.sideA.adjective) attack hits \(h.place)"])
    case .proposal: return pick(["\(a) presents new \(talks.plan)", "New \(talks.plan) on the table"])
    }
  }

  // MARK: Calendar

  /// Day 0 is 2024-12-01; days before it are allowed (happenings reported on the first days).
  static let epoch = PartialDate(year: 2024, month: 12, day: 1).dayNumber ?? 0

  /// The calendar date of generator day `day` (the calendar arithmetic is `PartialDate`'s).
  static func civil(_ day: Int) -> (year: Int, month: Int, day: Int) {
    let date = PartialDate(dayNumber: day + epoch)
    return (date.year, date.month ?? 1, date.day ?? 1)
  }

  static func iso(_ day: Int) -> String {
    let c = civil(day)
    return String(format: "%04d-%02d-%02d", c.year, c.month, c.day)
  }

  static let monthNames = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
    "December",
  ]
  static func monthDay(_ day: Int) -> String {
    let c = civil(day)
    return "\(monthNames[c.month - 1]) \(c.day)"
  }
  static func dayMonth(_ day: Int) -> String {
    let c = civil(day)
    return "\(c.day) \(monthNames[c.month - 1]) \(c.year)"
  }
  static func dayPhrase(_ day: Int) -> String {
    let c = civil(day)
    return "\(monthNames[c.month - 1]) \(c.day), \(c.year)"
  }
  static func weekdayName(_ day: Int) -> String {
    // 1970-01-01 was a Thursday.
    let names = ["Thursday", "Friday", "Saturday", "Sunday", "Monday", "Tuesday", "Wednesday"]
    let n = (day + epoch) % 7
    return names[n < 0 ? n + 7 : n]
  }
}
