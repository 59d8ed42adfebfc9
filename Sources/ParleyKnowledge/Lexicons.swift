import Foundation
import ParleyModel
import ParleyText

/// Words that shape name recognition: titles, organization words, non-names, actor heads.
public struct NameLexicon: Sendable, Decodable {
  /// Title phrase (folded) -> role ("special envoy" -> "envoy").
  public var titles: [String: String]
  public var organizationHeads: Set<String>
  public var organizationCues: Set<String>
  public var derivedOrganizationSuffixes: Set<String>
  public var regionSuffixes: Set<String>
  /// Nouns after a demonym that make it an actor ("Russian forces", "Ukrainian officials").
  public var actorHeads: Set<String>
  public var nonNames: Set<String>
  /// Nouns after a place that make it a modifier, not a party ("the Washington agreement").
  public var modifierNouns: Set<String> = []
  /// Words before an unknown name that make it an outlet ("the public broadcaster RTS").
  public var mediaCues: Set<String> = []
  /// Words before a demonym that make it a people, not a state ("ethnic Albanians" living in
  /// another state are no Albanian party).
  public var ethnicCues: Set<String> = []
  /// Lowercase words that join the parts of one name ("Bank of X", "bin", "van der").
  public var nameConnectors: Set<String> = []
  /// Folded given names, filled from given-names.json.
  public var givenNames: Set<String> = []
  /// Longest title in tokens, for scanning back from a name.
  public var maxTitleTokens: Int = 1

  enum CodingKeys: String, CodingKey {
    case titles, organizationHeads = "organization_heads", organizationCues = "organization_cues",
      derivedOrganizationSuffixes = "derived_organization_suffixes", regionSuffixes = "region_suffixes",
      actorHeads = "actor_heads", nonNames = "non_names",
      modifierNouns = "modifier_nouns", mediaCues = "media_cues",
      ethnicCues = "ethnic_cues", nameConnectors = "name_connectors"
  }

  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    titles = try c.decode([String: String].self, forKey: .titles)
    organizationHeads = try c.decode(Set<String>.self, forKey: .organizationHeads)
    organizationCues = try c.decode(Set<String>.self, forKey: .organizationCues)
    derivedOrganizationSuffixes = try c.decode(Set<String>.self, forKey: .derivedOrganizationSuffixes)
    regionSuffixes = try c.decode(Set<String>.self, forKey: .regionSuffixes)
    actorHeads = try c.decode(Set<String>.self, forKey: .actorHeads)
    nonNames = try c.decode(Set<String>.self, forKey: .nonNames)
    modifierNouns = try c.decodeIfPresent(Set<String>.self, forKey: .modifierNouns) ?? []
    mediaCues = try c.decodeIfPresent(Set<String>.self, forKey: .mediaCues) ?? []
    ethnicCues = try c.decodeIfPresent(Set<String>.self, forKey: .ethnicCues) ?? []
    nameConnectors = try c.decodeIfPresent(Set<String>.self, forKey: .nameConnectors) ?? []
  }
}

/// Cue phrases around outlet names that make them cited sources.
public struct CitationLexicon: Sendable, Decodable {
  public var beforeOutlet: [String]
  public var afterOutlet: [String]
  public var outletHeads: Set<String>
  enum CodingKeys: String, CodingKey {
    case beforeOutlet = "before_outlet", afterOutlet = "after_outlet", outletHeads = "outlet_heads"
  }
}

/// Provision categories with cue words, and the grammar of proposals the parse is read with.
public struct ProvisionLexicon: Sendable, Decodable {
  /// One category and the cue words that put a clause in it.
  public struct Category: Sendable, Decodable {
    public var category: ProvisionCategory
    public var cues: [String]
  }
  public var categories: [Category]
  public var clauseSeparators: [String]
  public var clauseLeadStrip: [String]
  /// Verb lemmas whose complements are terms, with the prepositions that introduce them ("" for
  /// a direct object, that-clause or infinitive; "for" in "calls for").
  public var governingVerbs: [String: [String]]
  /// Governing verbs whose subject must be a proposal or a pronoun ("the plan includes").
  public var containingVerbs: Set<String>
  /// Governing verbs whose object is the one advised ("advised the aide to focus on X"), not
  /// the party the terms bind.
  public var advisingVerbs: Set<String>
  /// Nouns whose clause or `demandNounCases` phrase is a term ("a demand that ...").
  public var demandNouns: Set<String>
  public var demandNounCases: Set<String>
  /// Nouns naming a proposal: the clause under one and what one does as a subject are terms.
  public var proposalNouns: Set<String>
  /// Case words putting a clause under a proposal ("Under the deal, ...").
  public var underCases: Set<String>
  /// "in exchange (for)", "in return (for)": both sides of the exchange are terms.
  public var exchangeNouns: Set<String>
  /// Auxiliaries of a clause that states a term ("Ukraine would cede ...", "must withdraw").
  public var termAuxiliaries: Set<String>
  /// Auxiliaries and marks of what only might be demanded ("could", "if"): not a term.
  public var speculativeAuxiliaries: Set<String>
  public var hypotheticalMarks: Set<String>
  /// Words negating a clause: a refused act is no term.
  public var negations: Set<String>
  /// First words of a clause that goes on with a demand's terms ("while keeping sanctions").
  public var termContinuations: Set<String>
  /// Verb lemmas naming what talks cover or what a proposal rests on or resembles, with the
  /// prepositions that introduce it ("" for a direct object): "dialogues touching X", "a model
  /// built on X", "the plan mirrors X".
  public var topicVerbs: [String: [String]]
  /// Nouns naming talks, whose topics (through `topicVerbs`) are the terms under negotiation.
  public var agendaNouns: Set<String>
  /// Words opening the condition of a term ("until", "unless"): what follows names neither the
  /// term's category nor whom it binds.
  public var conditionMarks: Set<String>
  /// Auxiliaries making a proposal that is their verb's subject an imagined one ("a full
  /// agreement covering X would take longer"): what it covers is no term.
  public var imaginedAuxiliaries: Set<String>
  /// First words of a short paragraph that make it a comment on a list, not one of its items
  /// ("These ...", "Critics ...").
  public var listStops: Set<String>
  enum CodingKeys: String, CodingKey {
    case categories, clauseSeparators = "clause_separators", clauseLeadStrip = "clause_lead_strip",
      governingVerbs = "governing_verbs", containingVerbs = "containing_verbs", advisingVerbs = "advising_verbs",
      demandNouns = "demand_nouns",
      demandNounCases = "demand_noun_cases", proposalNouns = "proposal_nouns", underCases = "under_cases",
      exchangeNouns = "exchange_nouns", termAuxiliaries = "term_auxiliaries",
      speculativeAuxiliaries = "speculative_auxiliaries", hypotheticalMarks = "hypothetical_marks", negations,
      termContinuations = "term_continuations", topicVerbs = "topic_verbs", agendaNouns = "agenda_nouns",
      conditionMarks = "condition_marks", imaginedAuxiliaries = "imagined_auxiliaries", listStops = "list_stops"
  }
}

/// Nouns that name proposals and the words allowed between a point count and the noun.
public struct PlanLexicon: Sendable, Decodable {
  public var planNouns: Set<String>
  public var modifiers: Set<String>
  public var pointUnits: Set<String>
  /// Units that structure a plan without counting its points ("three-phase", "two-part").
  public var structureUnits: Set<String>
  enum CodingKeys: String, CodingKey {
    case planNouns = "plan_nouns", modifiers, pointUnits = "point_units", structureUnits = "structure_units"
  }
}

/// The CAMEO codes Parley emits, with labels and Goldstein-style weights.
public struct CAMEOTable: Sendable, Decodable {
  /// A CAMEO code with its label and weight.
  public struct Entry: Sendable, Decodable {
    public var code: String
    public var label: String
    public var goldstein: Double
  }
  public var roots: [Entry]
  public var codes: [Entry]

  public func entry(for code: CAMEOCode) -> Entry? {
    codes.first { $0.code == code.rawValue } ?? roots.first { $0.code == code.root }
  }
}

/// Every lexicon, loaded once from `lexicon/`.
public struct Lexicons: Sendable {
  public var text: TextLexicon
  public var names: NameLexicon
  public var citations: CitationLexicon
  public var events: EventLexicon
  public var provisions: ProvisionLexicon
  public var plans: PlanLexicon
  public var cameo: CAMEOTable
  /// Verb senses, event nouns and clause frames for coding events from the parse.
  public var coding: CAMEOLexicon

  struct TextFile: Decodable {
    var abbreviations: [String]
    var sentence_final_abbreviations: [String]
    var sentence_starters: [String]
    var boilerplate: [String]
    var bio_verbs: [String]
  }
  struct GivenNames: Decodable { var names: [String] }

  public static func load(directory: URL) throws -> Lexicons {
    let dir = directory.appendingPathComponent("lexicon")
    let t = try decodeFile(TextFile.self, at: dir.appendingPathComponent("text.json"))
    let text = TextLexicon(
      abbreviations: Set(t.abbreviations), sentenceFinalAbbreviations: Set(t.sentence_final_abbreviations),
      sentenceStarters: Set(t.sentence_starters), boilerplate: t.boilerplate.map { Fold.key($0) },
      bioVerbs: t.bio_verbs.map { Fold.key($0) })
    var names = try decodeFile(NameLexicon.self, at: dir.appendingPathComponent("names.json"))
    let givenURL = dir.appendingPathComponent("given-names.json")
    if FileManager.default.fileExists(atPath: givenURL.path) {
      names.givenNames = Set(try decodeFile(GivenNames.self, at: givenURL).names.map { Fold.key($0) })
    }
    names.titles = Dictionary(names.titles.map { (Fold.key($0.key), $0.value) }, uniquingKeysWith: { a, _ in a })
    names.maxTitleTokens = names.titles.keys.map { $0.split(separator: " ").count }.max() ?? 1
    let events = try EventLexicon(
      file: decodeFile(EventLexicon.File.self, at: dir.appendingPathComponent("events.json")))
    return Lexicons(
      text: text, names: names,
      citations: try decodeFile(CitationLexicon.self, at: dir.appendingPathComponent("citations.json")),
      events: events,
      provisions: try decodeFile(ProvisionLexicon.self, at: dir.appendingPathComponent("provisions.json")),
      plans: try decodeFile(PlanLexicon.self, at: dir.appendingPathComponent("plans.json")),
      cameo: try decodeFile(CAMEOTable.self, at: dir.appendingPathComponent("cameo.json")),
      coding: try CAMEOLexicon.load(directory: directory))
  }
}

extension CAMEOTable {
  /// The bundled CAMEO labels and weights (`lexicon/cameo.json`).
  public static func bundled() throws -> CAMEOTable {
    try decodeFile(CAMEOTable.self, at: ResourceLocator.directory().appendingPathComponent("lexicon/cameo.json"))
  }
}
