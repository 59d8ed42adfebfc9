import Foundation

/// A starting conflict model drafted from a negotiation record: the parties as decision makers, the most contested
/// issues as options, and preferences suggested by the parties' stances, each with its evidence.
///
/// The record states who demands and who rejects each kind of term (a provision category such as `territory`); it
/// cannot state who would act, how much each party cares, or which combinations are impossible. The draft makes a
/// plain, stated guess at each so the analyst edits a model rather than a blank page:
///
/// - **Options** are issues some party is for (demands, proposes, accepts) and another against (rejects, red line),
///   most disputed first (both sides, then the most parties, then the most reports), then issues only demanded or
///   only rejected, up to `maxOptions`, so the model stays small enough to read (6 options: at most 64 states).
/// - **Who controls an option**: the party the plan's terms on that issue bind most often (a provision's
///   `appliesTo`), since a term such as "Ukraine cedes Donetsk" is Ukraine's to grant; failing that, the party that
///   rejects it (it is the one asked to concede); failing that, the first party with a stance on it.
/// - **Preferences**: a party that demands, proposes or accepts a term prefers it (`- option`); one that rejects it
///   or draws a red line prefers its absence (`- not option`). Red lines come first, then demands, rejections,
///   proposals and acceptances, each group by the number of reports.
/// - **Status quo**: no contested term in force (every option N).
///
/// This type holds no SQL and does no I/O: the record's reader turns its rows into `Party`, `Position` and `Term`.
public struct ConflictDraft: Sendable, Hashable {
  /// A party of the negotiation: its code in the record (`RUS`) and the name to show.
  public struct Party: Sendable, Hashable {
    public var code: String
    public var name: String

    public init(code: String, name: String) {
      self.code = code
      self.name = name
    }
  }

  /// A sentence that supports a stance, with where it comes from ("article 4", "negotiation file").
  public struct Evidence: Sendable, Hashable {
    public var text: String
    public var source: String

    public init(text: String, source: String) {
      self.text = text
      self.source = source
    }
  }

  /// A party's stance on an issue as the record aggregates it.
  public struct Position: Sendable, Hashable {
    public var party: String
    public var issue: String
    /// `demands`, `proposes`, `accepts`, `rejects` or `red_line`.
    public var stance: String
    /// Reports behind the stance.
    public var count: Int
    /// Reports disagree about the party's stance.
    public var contested: Bool
    public var evidence: [Evidence]

    public init(party: String, issue: String, stance: String, count: Int, contested: Bool, evidence: [Evidence]) {
      self.party = party
      self.issue = issue
      self.stance = stance
      self.count = count
      self.contested = contested
      self.evidence = evidence
    }
  }

  /// A term of the plan: its issue, its text, the party it binds (when the record knows) and its source.
  public struct Term: Sendable, Hashable {
    public var issue: String
    public var text: String
    public var binds: String?
    public var source: String

    public init(issue: String, text: String, binds: String?, source: String) {
      self.issue = issue
      self.text = text
      self.binds = binds
      self.source = source
    }
  }

  /// An option of the draft: the issue, who controls it and why, and the plan's terms on it.
  public struct Option: Sendable, Hashable {
    /// The option's name in statements (the issue as an identifier).
    public var id: String
    public var issue: String
    /// Index into `parties`.
    public var owner: Int
    /// Why `owner` controls it, in words.
    public var ownerReason: String
    /// A few of the plan's terms on the issue, binding the owner first.
    public var terms: [Term]
  }

  /// A suggested preference: option `option` taken (or not, `taken` false), from `position`.
  public struct Preference: Sendable, Hashable {
    /// Index into `options`.
    public var option: Int
    public var taken: Bool
    public var position: Position
  }

  public var title: String
  /// The decision makers, in the record's order (most active first).
  public var parties: [Party]
  /// In declaration order: grouped by owner, in the order of `parties`.
  public var options: [Option]
  /// Per party, most important first.
  public var preferences: [[Preference]]
  /// Issues with stances that were left out to keep the model small.
  public var leftOut: [String]
  /// Where the draft comes from, for the file's header ("plan 1 (peace proposal) of parley.sqlite").
  public var source: String

  /// Options drafted by default: 6 options give at most 64 states, small enough to draw and read.
  public static let defaultMaxOptions = 6
  /// The most options a draft may ask for (4,096 states).
  public static let maxOptionsLimit = 12

  static let favour: Set<String> = ["demands", "proposes", "accepts"]
  static let against: Set<String> = ["rejects", "red_line"]
  /// Stances that make an issue worth modelling on their own (an acceptance alone disputes nothing).
  static let strong: Set<String> = ["demands", "proposes", "rejects", "red_line"]
  static let priority = ["red_line": 0, "demands": 1, "rejects": 2, "proposes": 3, "accepts": 4]

  /// Drafts a model from the record's parties (most active first), their positions and the plan's terms; throws
  /// when no issue has a demand, proposal, rejection or red line to model.
  public init(
    title: String, source: String, parties known: [Party], positions: [Position], terms: [Term],
    maxOptions: Int = defaultMaxOptions
  ) throws {
    let cap = min(max(1, maxOptions), Self.maxOptionsLimit)
    let partyIndex = Dictionary(known.enumerated().map { ($1.code, $0) }, uniquingKeysWith: { a, _ in a })
    let usable = positions.filter { partyIndex[$0.party] != nil && Self.priority[$0.stance] != nil }
    let byIssue = Dictionary(grouping: usable, by: \.issue)

    // Most disputed first: both sides present, then the most parties, then the most reports; name breaks ties.
    struct Score: Comparable {
      var bothSides: Int
      var demandVersusRejection: Int
      var parties: Int
      var reports: Int
      static func < (a: Score, b: Score) -> Bool {
        (a.bothSides, a.demandVersusRejection, a.parties, a.reports)
          < (b.bothSides, b.demandVersusRejection, b.parties, b.reports)
      }
    }
    var scored: [(issue: String, score: Score)] = []
    for (issue, list) in byIssue where list.contains(where: { Self.strong.contains($0.stance) }) {
      let pro = Set(list.filter { Self.favour.contains($0.stance) }.map(\.party))
      let con = Set(list.filter { Self.against.contains($0.stance) }.map(\.party))
      let demanders = Set(list.filter { $0.stance == "demands" || $0.stance == "proposes" }.map(\.party))
      let both = !pro.isEmpty && !con.isEmpty && pro.union(con).count > 1
      scored.append(
        (
          issue,
          Score(
            bothSides: both ? 1 : 0, demandVersusRejection: !demanders.isEmpty && !con.isEmpty ? 1 : 0,
            parties: Set(list.map(\.party)).count, reports: list.reduce(0) { $0 + $1.count })
        ))
    }
    scored.sort { $0.score != $1.score ? $0.score > $1.score : $0.issue < $1.issue }
    guard !scored.isEmpty else {
      throw StrategyError(
        reason: "the record has no demand, proposal, rejection or red line on any issue of \(source) to model")
    }
    let chosen = scored.prefix(cap).map(\.issue)
    leftOut = scored.dropFirst(cap).map(\.issue)

    // Decision makers: every party with a stance on a chosen issue, plus a party the terms bind (it may be asked to
    // act without having said anything), in the record's order.
    var members = Set(chosen.flatMap { byIssue[$0] ?? [] }.map(\.party))
    var owners: [String: (party: String, reason: String)] = [:]
    for issue in chosen {
      let stances = byIssue[issue] ?? []
      let onIssue = terms.filter { $0.issue == issue }
      var bound: [String: Int] = [:]
      for t in onIssue { if let b = t.binds, partyIndex[b] != nil { bound[b, default: 0] += 1 } }
      if let top = bound.max(by: { ($0.value, partyIndex[$1.key] ?? 0) < ($1.value, partyIndex[$0.key] ?? 0) }) {
        owners[issue] = (
          top.key, "the plan's terms on it bind this party (\(top.value) of \(onIssue.count) terms)"
        )
      } else if let rejecting = stances.filter({ Self.against.contains($0.stance) }).max(by: { $0.count < $1.count }) {
        owners[issue] = (rejecting.party, "this party rejects it, so it is the one asked to concede")
      } else if let first = stances.min(by: { (partyIndex[$0.party] ?? 0) < (partyIndex[$1.party] ?? 0) }) {
        owners[issue] = (
          first.party, "no term names whom it binds and nobody rejects it; the first party with a stance"
        )
      }
      if let owner = owners[issue]?.party { members.insert(owner) }
    }
    let dms = known.filter { members.contains($0.code) }
    let dmIndex = Dictionary(dms.enumerated().map { ($1.code, $0) }, uniquingKeysWith: { a, _ in a })
    // Unique display names: two parties with one name would make the model ambiguous.
    var seenNames = Set<String>()
    parties = dms.map { p in
      var named = p
      if named.name.isEmpty || !seenNames.insert(named.name).inserted {
        named.name = "\(p.name.isEmpty ? p.code : p.name) (\(p.code))"
        seenNames.insert(named.name)
      }
      return named
    }

    let ids = ConflictYAML.identifiers(chosen)
    var options: [Option] = []
    for (d, party) in dms.enumerated() {
      for (k, issue) in chosen.enumerated() where owners[issue]?.party == party.code {
        let onIssue = terms.filter { $0.issue == issue }
        let binding = onIssue.filter { $0.binds == party.code } + onIssue.filter { $0.binds != party.code }
        var seen = Set<String>()
        let distinct = binding.filter { seen.insert(Self.oneLine($0.text).lowercased()).inserted }
        options.append(
          Option(
            id: ids[k], issue: issue, owner: d, ownerReason: owners[issue]?.reason ?? "",
            terms: Array(distinct.prefix(3))))
      }
    }
    self.options = options
    let optionOf = Dictionary(options.enumerated().map { ($1.issue, $0) }, uniquingKeysWith: { a, _ in a })
    var preferences = [[Preference]](repeating: [], count: dms.count)
    for p in usable {
      guard let d = dmIndex[p.party], let k = optionOf[p.issue] else { continue }
      preferences[d].append(Preference(option: k, taken: Self.favour.contains(p.stance), position: p))
    }
    for d in preferences.indices {
      preferences[d].sort {
        let a = (Self.priority[$0.position.stance] ?? 9, -$0.position.count, $0.option)
        let b = (Self.priority[$1.position.stance] ?? 9, -$1.position.count, $1.option)
        return a < b
      }
    }
    self.preferences = preferences
    self.title = title
    self.source = source
  }

  /// The model the draft states (what `ConflictYAML.read(yaml:)` gives back).
  public var conflict: Conflict {
    Conflict(
      title: title,
      options: options.map { o in
        ConflictOption(name: o.id, owner: o.owner, description: o.terms.first.map { Self.clip($0.text, 160) })
      },
      decisionMakers: parties.indices.map { d in
        DecisionMaker(
          name: parties[d].name,
          statements: preferences[d].map { Statement([Literal(option: $0.option, taken: $0.taken)]) })
      },
      statusQuo: 0)
  }

  /// The draft as a YAML file with a `conflict:` section; every option and preference carries its evidence as a
  /// comment, for the analyst to check and edit.
  public var yaml: String {
    var out = """
      # A starting model drafted by `parley conflict draft` from \(Self.oneLine(source)).
      # It is a guess for the analyst to edit, not an analysis: check who controls each option, reorder the
      # preferences (most important first), delete the ones the evidence does not bear out, add infeasible
      # combinations, then run `parley stability FILE`.
      # Options are the most contested issues; a party that demands, proposes or accepts a term prefers it
      # (- option), one that rejects it or draws a red line prefers its absence (- not option).

      """
    if !leftOut.isEmpty {
      out += "# Issues left out to keep the model small: \(leftOut.joined(separator: ", ")).\n"
    }
    out += "conflict:\n"
    out += "  title: \(ConflictYAML.scalar(title))\n"
    out += "  decision_makers:\n"
    for (d, party) in parties.enumerated() {
      out += "    - name: \(ConflictYAML.scalar(party.name))  # party \(Self.comment(party.code))\n"
      let mine = options.indices.filter { options[$0].owner == d }
      out += mine.isEmpty ? "      options: []\n" : "      options:\n"
      for k in mine {
        let o = options[k]
        out += "        # \(o.id): controlled by \(Self.comment(party.name)): \(Self.comment(o.ownerReason))\n"
        for t in o.terms {
          out += "        #   term: \"\(Self.comment(Self.clip(t.text, 200)))\" (\(Self.comment(t.source)))\n"
        }
        if let description = o.terms.first.map({ Self.clip($0.text, 160) }) {
          out += "        - name: \(o.id)\n"
          out += "          description: \(ConflictYAML.scalar(description))\n"
        } else {
          out += "        - \(o.id)\n"
        }
      }
      guard !preferences[d].isEmpty else { continue }
      out += "      preferences:\n"
      for p in preferences[d] {
        let pos = p.position
        let stance = pos.stance.replacingOccurrences(of: "_", with: " ")
        let reports = pos.count == 1 ? "1 report" : "\(pos.count) reports"
        out +=
          "        # \(stance) \(options[p.option].issue.replacingOccurrences(of: "_", with: " ")) (\(reports)"
          + (pos.contested ? "; reports disagree" : "") + ")\n"
        // The reader passes the sentences for the cell's own stance first; two are enough to judge by.
        // A sentence that states two stances is stored once per stance: list it once.
        var seen = Set<String>()
        let distinct = pos.evidence.filter {
          !Self.oneLineIsEmpty($0.text) && seen.insert(Self.oneLine($0.text)).inserted
        }
        for e in distinct.prefix(2) {
          out += "        #   \"\(Self.comment(Self.clip(e.text, 240)))\" (\(Self.comment(e.source)))\n"
        }
        out += "        - \(p.taken ? "" : "not ")\(options[p.option].id)\n"
      }
    }
    out += "  status_quo: []  # no contested term is in force yet\n"
    return out
  }

  /// Text on one line with runs of white space as one space.
  static func oneLine(_ s: String) -> String {
    s.split(whereSeparator: { $0.isWhitespace || $0.isNewline }).joined(separator: " ")
  }

  static func oneLineIsEmpty(_ s: String) -> Bool { oneLine(s).isEmpty }

  /// Text safe inside a YAML comment: one line, no control or invisible characters (a stray one would end the
  /// comment or hide text from the analyst).
  static func comment(_ s: String) -> String {
    var scalars = String.UnicodeScalarView()
    for u in oneLine(s).unicodeScalars {
      let control = u.value < 0x20 || (0x7F...0x9F).contains(u.value)
      if !control, !u.properties.isDefaultIgnorableCodePoint, u != "\u{2028}", u != "\u{2029}" { scalars.append(u) }
    }
    return String(scalars)
  }

  /// At most `limit` characters of one line, an ellipsis marking the cut.
  static func clip(_ s: String, _ limit: Int) -> String {
    let line = oneLine(s)
    return line.count <= limit ? line : String(line.prefix(limit - 1)) + "…"
  }
}
