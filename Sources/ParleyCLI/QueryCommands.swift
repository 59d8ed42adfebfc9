import ArgumentParser
import Foundation
import ParleyStore

/// Paging options shared by the list commands.
public struct PageOptions: ParsableArguments {
  @Option(help: "How many rows to show.")
  public var limit: Int = 50
  @Option(help: "How many rows to skip (for paging).")
  public var offset: Int = 0
  public init() {}

  public func validate() throws {
    guard limit > 0, offset >= 0 else { throw ValidationError("--limit must be positive and --offset not negative.") }
  }
}

/// Prints "showing a–b of n" under a table when there is more.
func pageNote<T>(_ page: Page<T>) -> String {
  guard page.total > page.items.count else { return "" }
  let first = page.items.isEmpty ? 0 : page.offset + 1
  return "showing \(first)–\(page.offset + page.items.count) of \(page.total) (use --limit and --offset)\n"
}

func actorName(_ ref: ActorRef?) -> String { ref?.name ?? "–" }

/// Runs a query; a database that fails it (a PostgreSQL server gone, no record in the database)
/// is one line naming it and the reason, and exit status 4.
func query<T>(_ body: () throws -> T) throws -> T {
  do {
    return try body()
  } catch let error as StoreError {
    StandardStreams.error("parley: error: \(error)")
    throw ExitCode(ExitStatus.unavailable)
  }
}

/// `parley status`: what the record holds.
public struct StatusCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "status", abstract: "Show what the record holds: articles, actors, events, plans, positions.")
  @OptionGroup public var store: StoreOptions
  @OptionGroup public var output: OutputOptions
  public init() {}

  public func run() throws {
    let (db, close) = try store.openReader()
    defer { close() }
    let o = try query { try db.overview() }
    if output.json { return try JSONOutput.print(o) }
    var t = TextTable(["what", "count"])
    t.add(["articles", "\(o.articles) (\(o.nearCopies) near-copies)"])
    t.add(["actors", "\(o.actors)"])
    t.add(["events", "\(o.events) from \(o.reports) reports"])
    t.add(["plans", "\(o.plans) with \(o.planVersions) versions"])
    t.add(["positions", "\(o.positions)"])
    t.add(["outlets", "\(o.outlets)"])
    t.add(["period", "\(o.firstDate.cell) to \(o.lastDate.cell)"])
    StandardStreams.write(t.render())
  }
}

/// `parley articles`: the stored articles.
public struct ArticlesCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "articles", abstract: "List stored articles, newest first, with their near-copies marked.")
  @OptionGroup public var store: StoreOptions
  @OptionGroup public var page: PageOptions
  @OptionGroup public var output: OutputOptions
  public init() {}

  public func run() throws {
    let (db, close) = try store.openReader()
    defer { close() }
    let result = try query { try db.articles(limit: page.limit, offset: page.offset) }
    if output.json { return try JSONOutput.print(result) }
    var t = TextTable(["id", "published", "outlet", "title", "actors", "events", "near-copy of"])
    for a in result.items {
      t.add([
        "\(a.id)", a.published.cell, a.outlet.cell, a.title ?? a.docId, "\(a.actors)", "\(a.events)",
        a.nearCopyOf.map { "\($0) (\(Int((a.similarity ?? 0) * 100))%)" } ?? "–",
      ])
    }
    StandardStreams.write(t.render() + pageNote(result))
  }
}

/// `parley actors`: the actors of the record.
public struct ActorsCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "actors",
    abstract: "List actors (people, governments, organizations, places), most mentioned first.",
    discussion:
      "Every spelling found for an actor is merged under its canonical identity; `parley actors --show ID` lists them with the actor's events and counterparts."
  )
  @OptionGroup public var store: StoreOptions
  @Option(help: "Only this kind: person, organization, country, place, media.")
  public var kind: String?
  @Option(help: "Only actors whose name or a spelling contains this text.")
  public var name: String?
  @Option(help: "Show one actor in detail (an id, a name or a spelling).")
  public var show: String?
  @OptionGroup public var page: PageOptions
  @OptionGroup public var output: OutputOptions
  public init() {}

  public func run() throws {
    let (db, close) = try store.openReader()
    defer { close() }
    if let show {
      let found = try query { try db.resolveActor(show).first.flatMap { try db.actor(id: $0) } }
      guard let detail = found else {
        StandardStreams.error("parley: error: no actor \"\(show)\"")
        throw ExitCode(ExitStatus.notFound)
      }
      if output.json { return try JSONOutput.print(detail) }
      let a = detail.actor
      var out =
        "\(a.name) (\(a.id)) — \(a.kind)\(a.affiliation.map { ", \($0)" } ?? "")\(a.role.map { ", \($0)" } ?? "")"
        + "\(a.sector.map { ", sector \($0)" } ?? "")\n"
      out += "spellings: \(detail.aliases.joined(separator: "; "))\n"
      out += "\(a.articles) articles, \(a.mentions) mentions, \(a.events) events\n\n"
      var t = TextTable(["counterpart", "interaction", "direction", "events"])
      for i in detail.interactions {
        t.add([i.counterpart.name, "\(i.root) \(i.label)", i.outgoing ? "to" : "from", "\(i.count)"])
      }
      out += t.render()
      if !detail.positions.isEmpty {
        var p = TextTable(["issue", "stance", "evidence"], maxWidth: 90)
        for e in detail.positions { p.add([e.category, e.stance, e.text]) }
        out += "\n" + p.render()
      }
      return StandardStreams.write(out)
    }
    let result = try query { try db.actors(kind: kind, query: name, limit: page.limit, offset: page.offset) }
    if output.json { return try JSONOutput.print(result) }
    var t = TextTable(["id", "name", "kind", "affiliation", "sector", "articles", "mentions", "events"])
    for a in result.items {
      t.add([
        a.id, a.name, a.kind, a.affiliation.cell, a.sector.cell, "\(a.articles)", "\(a.mentions)", "\(a.events)",
      ])
    }
    StandardStreams.write(t.render() + pageNote(result))
  }
}

/// Filters shared by `events` and `timeline`.
public struct EventFilterOptions: ParsableArguments {
  @Option(
    help: "Only events with this actor on either side: an id, a name, or a party code (RUS: every Russian actor).")
  public var actor: String?
  @Option(help: "Only events whose CAMEO code starts with this (04: consult, 042: make a visit).")
  public var cameo: String?
  @Option(help: "Only events on or after this date (YYYY[-MM[-DD]]).")
  public var from: String?
  @Option(help: "Only events on or before this date (YYYY[-MM[-DD]]).")
  public var to: String?
  @Option(help: "Only events reported by or attributed to this outlet.")
  public var outlet: String?
  public init() {}

  func filter(_ page: PageOptions) -> EventFilter {
    EventFilter(actor: actor, cameo: cameo, from: from, to: to, outlet: outlet, limit: page.limit, offset: page.offset)
  }
}

/// `parley events`: merged events with their sources.
public struct EventsCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "events",
    abstract: "List events (who did what to whom, in CAMEO), each merged from every article that reports it.",
    discussion: """
      `reports` counts the articles' accounts; `indep.` counts independent sources (near-copies of one story count once). A `!` marks reports that disagree (two dates for one meeting); `parley events --show ID` lists them side by side.

      Examples:
        parley events --actor vladimir-putin --cameo 04
        parley events --actor RUS --from 2025-11 --to 2025-12
      """)
  @OptionGroup public var store: StoreOptions
  @OptionGroup public var filters: EventFilterOptions
  @Option(help: "Show one event with all its reports.")
  public var show: Int64?
  @OptionGroup public var page: PageOptions
  @OptionGroup public var output: OutputOptions
  public init() {}

  public func run() throws {
    let (db, close) = try store.openReader()
    defer { close() }
    if let show {
      guard let event = try query({ try db.event(id: show) }) else {
        StandardStreams.error("parley: error: no event \(show)")
        throw ExitCode(ExitStatus.notFound)
      }
      if output.json { return try JSONOutput.print(event) }
      var out =
        "event \(event.id): \(actorName(event.source)) → \(actorName(event.target)): \(event.cameo) \(event.label)\n"
      out +=
        "date \(event.date.cell), place \(event.location?.name ?? "–"), \(event.reports) reports, \(event.independentSources) independent\n"
      if !event.participants.isEmpty {
        out += "participants: \(event.participants.map(\.name).joined(separator: ", "))\n"
      }
      for c in event.conflicts { out += "! \(c)\n" }
      var t = TextTable(["article", "outlet", "cited", "date", "sentence"], maxWidth: 100)
      for r in event.reportList { t.add(["\(r.articleId)", r.outlet.cell, r.cited.cell, r.date.cell, r.text]) }
      return StandardStreams.write(out + "\n" + t.render())
    }
    let result = try query { try db.events(filters.filter(page), withReports: false) }
    if output.json { return try JSONOutput.print(result) }
    var t = TextTable(["id", "date", "source", "cameo", "target", "reports", "indep.", "outlets"])
    for e in result.items {
      t.add([
        "\(e.id)\(e.conflicts.isEmpty ? "" : "!")", e.sortDate.cell, actorName(e.source), "\(e.cameo) \(e.label)",
        actorName(e.target), "\(e.reports)", "\(e.independentSources)", e.outlets.joined(separator: ", "),
      ])
    }
    StandardStreams.write(t.render() + pageNote(result))
  }
}

/// `parley timeline`: events in order, each with its sources.
public struct TimelineCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "timeline",
    abstract:
      "Print the negotiation's timeline: events in date order, each with the articles and outlets that report it.",
    discussion:
      "Events the reporting does not date are ordered by the date of their earliest report; those with no date at all come last, marked `undated`."
  )
  @OptionGroup public var store: StoreOptions
  @OptionGroup public var filters: EventFilterOptions
  @OptionGroup public var page: PageOptions
  @OptionGroup public var output: OutputOptions
  public init() {}

  public func run() throws {
    let (db, close) = try store.openReader()
    defer { close() }
    let result = try query { try db.events(filters.filter(page), withReports: true) }
    if output.json { return try JSONOutput.print(result) }
    var out = ""
    for e in result.items {
      let when = e.date ?? e.sortDate.map { "~\($0)" } ?? "undated"
      out +=
        "\(when.padding(toLength: 12, withPad: " ", startingAt: 0)) \(actorName(e.source)) → \(actorName(e.target)): \(e.label) [\(e.cameo)]"
      out += e.location.map { " in \($0.name)" } ?? ""
      if !e.participants.isEmpty { out += " with \(e.participants.map(\.name).joined(separator: ", "))" }
      out += "  (\(e.reports) report\(e.reports == 1 ? "" : "s"), \(e.independentSources) independent)\n"
      for c in e.conflicts { out += "             ! \(c)\n" }
      var seen: Set<Int64> = []
      for r in e.reportList where seen.insert(r.articleId).inserted {
        let source = [r.outlet, r.cited.map { "citing \($0)" }].compactMap { $0 }.joined(separator: ", ")
        out +=
          "             - article \(r.articleId)\(source.isEmpty ? "" : " (\(source))"): \(TextTable.clip(r.articleTitle ?? r.text, 70))\n"
      }
    }
    if result.items.isEmpty { out = "no events\n" }
    StandardStreams.write(out + pageNote(result))
  }
}

/// `parley plans`: plans and their versions.
public struct PlansCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "plans",
    abstract:
      "List plans with their versions in order (a 28-point draft, then a 20-point revision) and their provisions.")
  @OptionGroup public var store: StoreOptions
  @OptionGroup public var negotiation: NegotiationOptions
  @Flag(help: "List each version's provisions too.")
  public var provisions = false
  @Option(
    help: ArgumentHelp(
      "List at most this many of each version's articles, first stored first (0: all); `article_count` in --json counts them all.",
      valueName: "n"))
  public var articles = 20
  @OptionGroup public var output: OutputOptions
  public init() {}

  public func validate() throws {
    guard articles >= 0 else { throw ValidationError("--articles must be 0 or more") }
  }

  public func run() throws {
    let stated = try negotiation.load()
    let (db, close) = try store.openReader()
    defer { close() }
    let limit = articles == 0 ? Int.max : articles
    let plans = try query { try db.plans(negotiation: stated, articlesPerVersion: limit) }
    if output.json { return try JSONOutput.print(plans) }
    var out = ""
    for p in plans {
      out += "plan \(p.id): \(p.name)\n"
      var t = TextTable(["version", "label", "points", "first reported", "mentions", "provisions", "source"])
      for v in p.versions {
        t.add([
          "\(v.rank)", v.label, v.points.map(String.init) ?? "–", v.firstReported.cell, "\(v.mentions)",
          "\(v.provisions.count)",
          v.stated
            ? "negotiation file"
            : "\(max(v.articleCount, v.articles.count)) articles: \(v.articles.map(String.init).joined(separator: ","))"
              + (v.articleCount > v.articles.count ? ",…" : ""),
        ])
      }
      out += t.render()
      if provisions {
        for v in p.versions where !v.provisions.isEmpty {
          out += "  version \(v.rank) (\(v.label)):\n"
          for pr in v.provisions { out += "    [\(pr.category)] \(TextTable.clip(pr.text, 100))\n" }
        }
      }
      out += "\n"
    }
    StandardStreams.write(plans.isEmpty ? "no plans\n" : out)
  }
}

/// `parley diff`: what changed between two versions of a plan.
public struct DiffCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "diff",
    abstract: "Show what a later version of a plan adds, drops and keeps.",
    discussion: """
      Versions are numbered as `parley plans` shows them (1 is the earliest). Without --from and --to, compares the last two versions.

      Example:
        parley diff 1 --from 1 --to 2
      """)
  @OptionGroup public var store: StoreOptions
  @Argument(help: "The plan id (from `parley plans`).")
  public var plan: Int64
  @Option(help: "The earlier version number.")
  public var from: Int?
  @Option(help: "The later version number.")
  public var to: Int?
  @OptionGroup public var negotiation: NegotiationOptions
  @OptionGroup public var output: OutputOptions
  public init() {}

  public func run() throws {
    let stated = try negotiation.load()
    let (db, close) = try store.openReader()
    defer { close() }
    guard let diff = try query({ try db.diff(planId: plan, from: from, to: to, negotiation: stated) }) else {
      StandardStreams.error("parley: error: plan \(plan) has no such pair of versions (see `parley plans`)")
      throw ExitCode(ExitStatus.notFound)
    }
    if output.json { return try JSONOutput.print(diff) }
    var out =
      "\(diff.plan): version \(diff.from.rank) (\(diff.from.label)) → version \(diff.to.rank) (\(diff.to.label))\n"
    if let a = diff.from.points, let b = diff.to.points { out += "points: \(a) → \(b)\n" }
    if !diff.categoriesAdded.isEmpty { out += "issues added: \(diff.categoriesAdded.joined(separator: ", "))\n" }
    if !diff.categoriesDropped.isEmpty { out += "issues dropped: \(diff.categoriesDropped.joined(separator: ", "))\n" }
    for p in diff.added { out += "+ [\(p.category)] \(TextTable.clip(p.text, 100))\n" }
    for p in diff.dropped { out += "- [\(p.category)] \(TextTable.clip(p.text, 100))\n" }
    for pair in diff.kept { out += "= [\(pair[1].category)] \(TextTable.clip(pair[1].text, 100))\n" }
    StandardStreams.write(out)
  }
}

/// `parley positions`: the party-by-issue matrix.
public struct PositionsCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "positions",
    abstract:
      "Print the party-by-issue matrix: who demands, proposes, accepts, rejects or draws a red line on each provision category.",
    discussion: """
      A `?` marks a cell where reports disagree (a party both accepts and rejects). With --evidence, the sentences behind each cell follow the matrix. With --negotiation, the analyst's parties and red lines are merged in, and every place the reporting contradicts them is listed.
      """)
  @OptionGroup public var store: StoreOptions
  @Option(help: "Only provisions of this plan.")
  public var plan: Int64?
  @Flag(help: "List the evidence sentences of every cell.")
  public var evidence = false
  @OptionGroup public var negotiation: NegotiationOptions
  @OptionGroup public var output: OutputOptions
  public init() {}

  public func run() throws {
    let stated = try negotiation.load()
    let (db, close) = try store.openReader()
    defer { close() }
    let m = try query { try db.positions(planId: plan, negotiation: stated, evidencePerCell: nil) }
    if output.json { return try JSONOutput.print(m) }
    var t = TextTable(["party"] + m.categories, maxWidth: 24)
    for p in m.parties {
      t.add(
        ["\(p.name) (\(p.code))"]
          + m.categories.map { c in
            guard let cell = m.cell(party: p.code, category: c) else { return "" }
            return cell.stance + (cell.contested ? "?" : "")
              + (cell.counts.values.reduce(0, +) > 1 ? " ×\(cell.counts.values.reduce(0, +))" : "")
          })
    }
    var out = m.parties.isEmpty ? "no positions\n" : t.render()
    if evidence {
      for cell in m.cells {
        out += "\n\(cell.party) · \(cell.category) · \(cell.stance)\(cell.contested ? " (contested)" : "")\n"
        for e in cell.evidence {
          out +=
            "  \(e.stance): \(TextTable.clip(e.text, 110)) \(e.stated ? "[negotiation file]" : "[article \(e.articleId)]")\n"
        }
      }
    }
    for c in m.contradictions {
      out +=
        "\n! \(c.party) on \(c.category.rawValue): the negotiation file says \(c.stated.rawValue) (\(c.statedText)), article \(c.articleId) reports \(c.reported.rawValue): \(TextTable.clip(c.evidence, 100))"
    }
    StandardStreams.write(out + (m.contradictions.isEmpty ? "" : "\n"))
  }
}

/// `parley sources`: outlets and who cites whom.
public struct SourcesCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "sources",
    abstract: "List outlets: what each published, how often it is cited and by whom, how many events rest on it.")
  @OptionGroup public var store: StoreOptions
  @OptionGroup public var output: OutputOptions
  public init() {}

  public func run() throws {
    let (db, close) = try store.openReader()
    defer { close() }
    let sources = try query { try db.sources() }
    if output.json { return try JSONOutput.print(sources) }
    var t = TextTable(["outlet", "published", "cited", "events", "cited by"], maxWidth: 70)
    for s in sources {
      t.add([
        s.outlet, "\(s.published)", "\(s.cited)", "\(s.events)",
        s.citedBy.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { "\($0.key) (\($0.value))" }.joined(
          separator: ", "),
      ])
    }
    StandardStreams.write(sources.isEmpty ? "no outlets\n" : t.render())
  }
}

/// `parley search`: full-text search over the articles.
public struct SearchCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "search",
    abstract:
      "Search article titles and text (all words must occur; \"quoted phrases\" match as phrases; word* matches a prefix)."
  )
  @OptionGroup public var store: StoreOptions
  @Argument(help: "The words to find.")
  public var words: [String]
  @OptionGroup public var page: PageOptions
  @OptionGroup public var output: OutputOptions
  public init() {}

  public func run() throws {
    let (db, close) = try store.openReader()
    defer { close() }
    let result = try query { try db.search(words.joined(separator: " "), limit: page.limit, offset: page.offset) }
    if output.json { return try JSONOutput.print(result) }
    var t = TextTable(["id", "published", "title", "passage"], maxWidth: 80)
    for h in result.items {
      t.add(["\(h.article.id)", h.article.published.cell, h.article.title ?? h.article.docId, h.snippet])
    }
    StandardStreams.write(result.items.isEmpty ? "no matches\n" : t.render() + pageNote(result))
  }
}
