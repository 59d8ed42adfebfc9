import Foundation

/// A party's attitude to a provision, the cells of the positions matrix.
public enum Stance: String, Sendable, Hashable, Codable, CaseIterable {
  case demands, proposes, accepts, rejects
  case redLine = "red_line"

  /// Which stance wins when one sentence cues several: red line > rejects > accepts > demands > proposes.
  public var precedence: Int {
    switch self {
    case .proposes: return 0
    case .demands: return 1
    case .accepts: return 2
    case .rejects: return 3
    case .redLine: return 4
    }
  }

  /// Wanting or tolerating the provision (the opposite of `isNegative`).
  public var isPositive: Bool { self == .demands || self == .proposes || self == .accepts }
  /// Refusing the provision.
  public var isNegative: Bool { self == .rejects || self == .redLine }
}

/// Cue phrases per stance and the negation words that turn them, as read from `lexicon/stances.json`.
public struct StanceLexicon: Sendable, Codable {
  public var redLine: [String]
  public var rejects: [String]
  public var accepts: [String]
  public var demands: [String]
  public var proposes: [String]
  /// Words that flip a cue shortly after them ("not ready to" rejects, "did not rule out" accepts).
  public var negators: [String]
  /// Words that negate the clause holding the provision ("insisted it would not cede ...").
  public var clauseNegators: [String]
  /// Modals that make a negated clause a prohibition, so still a demand ("must not join").
  public var prohibitions: [String]
  /// Words where a clause ends, so a cue in one clause does not speak for a provision in the next.
  public var clauseBreaks: [String]
  /// How many tokens before a cue a negator may stand.
  public var negationWindow: Int
  /// How many tokens before a provision a clause negator may stand.
  public var clauseWindow: Int
  public var revision: RevisionLexicon
  /// Words right before an actor that make it no holder of a stance ("the war in Ukraine").
  public var holderSkipBefore: Set<String> = []
  /// Words right after an actor that make it a modifier, not a holder ("a Ukraine peace plan").
  public var holderSkipAfter: Set<String> = []

  enum CodingKeys: String, CodingKey {
    case redLine = "red_line", rejects, accepts, demands, proposes, negators
    case clauseNegators = "clause_negators", prohibitions, clauseBreaks = "clause_breaks"
    case negationWindow = "negation_window", clauseWindow = "clause_window", revision
    case holderSkipBefore = "holder_skip_before", holderSkipAfter = "holder_skip_after"
  }

  public init(
    redLine: [String], rejects: [String], accepts: [String], demands: [String], proposes: [String],
    negators: [String] = [], clauseNegators: [String] = [], prohibitions: [String] = [], clauseBreaks: [String] = [],
    negationWindow: Int = 3, clauseWindow: Int = 4, revision: RevisionLexicon = RevisionLexicon()
  ) {
    self.redLine = redLine
    self.rejects = rejects
    self.accepts = accepts
    self.demands = demands
    self.proposes = proposes
    self.negators = negators
    self.clauseNegators = clauseNegators
    self.prohibitions = prohibitions
    self.clauseBreaks = clauseBreaks
    self.negationWindow = negationWindow
    self.clauseWindow = clauseWindow
    self.revision = revision
  }

  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.init(
      redLine: try c.decode([String].self, forKey: .redLine),
      rejects: try c.decode([String].self, forKey: .rejects),
      accepts: try c.decode([String].self, forKey: .accepts),
      demands: try c.decode([String].self, forKey: .demands),
      proposes: try c.decode([String].self, forKey: .proposes),
      negators: try c.decodeIfPresent([String].self, forKey: .negators) ?? [],
      clauseNegators: try c.decodeIfPresent([String].self, forKey: .clauseNegators) ?? [],
      prohibitions: try c.decodeIfPresent([String].self, forKey: .prohibitions) ?? [],
      clauseBreaks: try c.decodeIfPresent([String].self, forKey: .clauseBreaks) ?? [],
      negationWindow: try c.decodeIfPresent(Int.self, forKey: .negationWindow) ?? 3,
      clauseWindow: try c.decodeIfPresent(Int.self, forKey: .clauseWindow) ?? 4,
      revision: try c.decodeIfPresent(RevisionLexicon.self, forKey: .revision) ?? RevisionLexicon())
    holderSkipBefore = Set(try c.decodeIfPresent([String].self, forKey: .holderSkipBefore) ?? [])
    holderSkipAfter = Set(try c.decodeIfPresent([String].self, forKey: .holderSkipAfter) ?? [])
  }

  /// Reads a lexicon file; errors name the file and the offending key.
  public static func load(from url: URL) throws -> StanceLexicon {
    try decodeLexicon(StanceLexicon.self, at: url)
  }

  /// The bundled `lexicon/stances.json`.
  public static func bundled() throws -> StanceLexicon { try load(from: bundledLexiconURL()) }
}

/// Reads the stance a sentence expresses toward a provision, from cue phrases in a data file.
public struct StanceClassifier: Sendable {
  public let lexicon: StanceLexicon
  private let cues: PhraseIndex<Stance>
  private let negators: Set<String>
  private let clauseNegators: Set<String>
  private let prohibitions: Set<String>
  private let clauseBreaks: Set<String>

  /// Punctuation a negator's reach does not cross.
  private static let stops: Set<String> = [",", ".", ":", ";", "(", ")", "\"", "\u{2014}", "?", "!"]

  public init(lexicon: StanceLexicon) {
    self.lexicon = lexicon
    // Listed in precedence order so that, between equally long phrases, the stronger stance is kept.
    var entries: [(phrase: String, payload: Stance)] = []
    for (list, stance) in [
      (lexicon.redLine, Stance.redLine), (lexicon.rejects, .rejects), (lexicon.accepts, .accepts),
      (lexicon.demands, .demands), (lexicon.proposes, .proposes),
    ] {
      entries += list.map { ($0, stance) }
    }
    cues = PhraseIndex(entries)
    func words(_ list: [String]) -> Set<String> { Set(list.flatMap(Words.of)) }
    negators = words(lexicon.negators)
    clauseNegators = words(lexicon.clauseNegators)
    prohibitions = words(lexicon.prohibitions)
    clauseBreaks = words(lexicon.clauseBreaks)
  }

  /// The classifier over the bundled `lexicon/stances.json`.
  public static func bundled() throws -> StanceClassifier { try load(from: bundledLexiconURL()) }

  /// The classifier over a lexicon file of the same layout.
  public static func load(from url: URL) throws -> StanceClassifier {
    StanceClassifier(lexicon: try StanceLexicon.load(from: url))
  }

  /// `sentence`: the sentence holding the provision; `provision`: the provision's words (a substring of sentence,
  /// may be empty). `hasDemander`: the extractor already found a demander for it.
  /// Returns nil when the sentence expresses no stance (then the caller records none).
  public func stance(sentence: String, provision: String, hasDemander: Bool) -> Stance? {
    let words = Words.of(sentence)
    let provisionWords = Words.of(provision)
    var provisionRange = Words.find(provisionWords, in: words).map { $0..<($0 + provisionWords.count) }
    // When the provision is most of the sentence, its own words are where the stance is said
    // ("X's office insisted that Ukraine will not accept any agreement ...").
    if let r = provisionRange, r.count * 10 >= words.count * 6 { provisionRange = nil }
    // Cues inside the provision count too: extracted provisions often carry their own verb
    // ("X requires Y to drop its alliance ambitions").
    let found = cueMatches(words, outside: nil)

    // A cue in the provision's own clause speaks for it; others only when that clause has none
    // ("rejected a truce but demanded a withdrawal": the withdrawal is demanded).
    var inScope = found
    if let provisionRange {
      let clause = clauseAround(provisionRange, in: words)
      let local = found.filter { clause.contains($0.range.lowerBound) }
      if !local.isEmpty { inScope = local }
    }

    var stances: [Stance] = []
    var proposalEnd: Int?
    var demandAt: Int?
    for match in inScope {
      // "requires Ukraine to drop its claim and accept caps": what a demand asks the other side
      // to do is its content, not the speaker's own acceptance or refusal ("insisted that it
      // will not accept" has no "to", and stays a refusal).
      if let at = demandAt, match.range.lowerBound > at, match.stance == .accepts || match.stance == .rejects,
        words[at..<match.range.lowerBound].contains("to")
      {
        continue
      }
      if match.stance == .demands, !isNegated(match, in: words), demandAt == nil { demandAt = match.range.lowerBound }
      var stance: Stance? = match.stance
      if match.stance == .demands, let end = proposalEnd, match.range.lowerBound - end <= 1 {
        // "the plan would require ...": the plan's content, so a proposal, not a party's demand.
        stance = .proposes
      } else if isNegated(match, in: words) {
        switch match.stance {
        case .accepts: stance = .rejects
        case .rejects: stance = .accepts
        case .redLine, .demands, .proposes: stance = nil
        }
      }
      if match.stance == .proposes { proposalEnd = match.range.upperBound }
      if let stance { stances.append(stance) }
    }

    // "insisted that it will not cede X": a demand over a negated clause about the provision is a refusal,
    // unless the negation is a prohibition laid on the other side ("must not join").
    let refusal = provisionRange.map { negatedClause(before: $0.lowerBound, in: words) } ?? false
    if refusal {
      stances = stances.map { $0 == .demands ? .rejects : $0 }
    }
    if let best = stances.max(by: { $0.precedence < $1.precedence }) { return best }
    guard hasDemander else { return nil }
    return refusal ? .rejects : .demands
  }

  private struct CueMatch {
    var stance: Stance
    var range: Range<Int>
  }

  /// Cues left to right, the longest at each position, none inside the provision's own words.
  private func cueMatches(_ words: [String], outside provision: Range<Int>?) -> [CueMatch] {
    var matches: [CueMatch] = []
    var i = 0
    while i < words.count {
      guard let m = cues.match(words, at: i) else {
        i += 1
        continue
      }
      let range = i..<(i + m.length)
      // "Russian-backed forces" is a compound adjective, not anyone backing anything.
      let compound = i > 0 && words[i - 1] == "-"
      if !compound && !(provision?.overlaps(range) ?? false) {
        matches.append(CueMatch(stance: m.payload, range: range))
        i = range.upperBound
      } else {
        i += 1
      }
    }
    return matches
  }

  /// True when a negator stands within the window before the cue, in the same clause. Cues that hold a
  /// negator themselves ("will not", "no way") already say what they mean and are never flipped.
  private func isNegated(_ match: CueMatch, in words: [String]) -> Bool {
    if words[match.range].contains(where: negators.contains) { return false }
    var k = match.range.lowerBound - 1
    var seen = 0
    while k >= 0 && seen < lexicon.negationWindow {
      let w = words[k]
      if Self.stops.contains(w) || clauseBreaks.contains(w) { return false }
      if negators.contains(w) { return true }
      k -= 1
      seen += 1
    }
    return false
  }

  /// True when a clause negator stands shortly before the provision and no prohibition modal governs it.
  private func negatedClause(before start: Int, in words: [String]) -> Bool {
    var k = start - 1
    var seen = 0
    while k >= 0 && seen < lexicon.clauseWindow {
      let w = words[k]
      if Self.stops.contains(w) || clauseBreaks.contains(w) { return false }
      if clauseNegators.contains(w) {
        if prohibitions.contains(w) { return false }
        let before = words[max(0, k - 2)..<k]
        return !before.contains(where: prohibitions.contains)
      }
      k -= 1
      seen += 1
    }
    return false
  }

  /// The tokens of the clause holding `range`, bounded by clause breaks (semicolons, "but", "while", ...).
  private func clauseAround(_ range: Range<Int>, in words: [String]) -> Range<Int> {
    var lower = range.lowerBound
    while lower > 0 && !clauseBreaks.contains(words[lower - 1]) { lower -= 1 }
    var upper = range.upperBound
    while upper < words.count && !clauseBreaks.contains(words[upper]) { upper += 1 }
    return lower..<upper
  }
}
