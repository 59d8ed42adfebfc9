import Foundation
import ParleyText

/// Whether the words around a plan mention mark it as an earlier or a later version ("the original 28-point draft",
/// "the revised 20-point plan").
public enum RevisionCue: Int, Sendable, Comparable, Codable {
  case earlier = -1
  case unmarked = 0
  case later = 1

  public static func < (a: RevisionCue, b: RevisionCue) -> Bool { a.rawValue < b.rawValue }
}

/// Version words of plan mentions, the `revision` part of `lexicon/stances.json`.
public struct RevisionLexicon: Sendable, Codable, Hashable {
  /// Words marking the earlier version ("original", "leaked").
  public var earlier: [String]
  /// Words marking the later version ("revised", "new").
  public var later: [String]
  /// Earlier-version words that yield to any other cue ("draft": a "revised draft" is the later one).
  public var weakEarlier: [String]
  /// Cue words that also count right after the mention ("the 28-point plan, revised ..."); the rest read as
  /// something else there ("the plan first reported by ...").
  public var after: [String]
  /// How many words before the mention are read.
  public var window: Int

  enum CodingKeys: String, CodingKey {
    case earlier, later, weakEarlier = "weak_earlier", after, window
  }

  public init(
    earlier: [String] = [], later: [String] = [], weakEarlier: [String] = [], after: [String] = [], window: Int = 4
  ) {
    self.earlier = earlier
    self.later = later
    self.weakEarlier = weakEarlier
    self.after = after
    self.window = window
  }

  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.init(
      earlier: try c.decode([String].self, forKey: .earlier),
      later: try c.decode([String].self, forKey: .later),
      weakEarlier: try c.decodeIfPresent([String].self, forKey: .weakEarlier) ?? [],
      after: try c.decodeIfPresent([String].self, forKey: .after) ?? [],
      window: try c.decodeIfPresent(Int.self, forKey: .window) ?? 4)
  }
}

/// Reads version cues around plan mentions, to order the versions of one plan family.
public struct RevisionCues: Sendable {
  public let lexicon: RevisionLexicon
  private let cues: PhraseIndex<RevisionCue>
  private let weak: PhraseIndex<RevisionCue>
  private let after: Set<String>

  /// Words and marks the look-back does not cross: another noun phrase starts there ("new objections to the plan"
  /// says nothing of the plan's version). "of" is not one: "the revised version of the plan".
  private static let stops: Set<String> = [
    ",", ".", ":", ";", "(", ")", "\"", "\u{2014}", "and", "or", "but", "than", "versus", "vs", "replaced", "replacing",
    "instead", "to", "for", "with", "on", "against", "about", "from", "in", "at", "by", "over", "under",
  ]

  public init(lexicon: RevisionLexicon) {
    self.lexicon = lexicon
    cues = PhraseIndex(lexicon.earlier.map { ($0, .earlier) } + lexicon.later.map { ($0, .later) })
    weak = PhraseIndex(lexicon.weakEarlier.map { ($0, .earlier) })
    after = Set(lexicon.after.flatMap(Words.of))
  }

  /// The cues of the bundled `lexicon/stances.json`.
  public static func bundled() throws -> RevisionCues { RevisionCues(lexicon: try StanceLexicon.bundled().revision) }

  /// The cues of a lexicon file laid out like `lexicon/stances.json`.
  public static func load(from url: URL) throws -> RevisionCues {
    RevisionCues(lexicon: try StanceLexicon.load(from: url).revision)
  }

  /// `context`: the plan's sentence; `name`: the plan mention text in it. Looks at the words of the mention, the few
  /// words right before it and the word after; the cue nearest the mention's head wins, "draft" only when alone.
  public func cue(context: String, name: String) -> RevisionCue {
    let nameWords = Words.of(name)
    let words = Words.of(context)
    guard let start = Words.find(nameWords, in: words) else { return cue(in: nameWords) ?? .unmarked }
    let end = start + nameWords.count
    var lower = start
    while lower > 0 && start - lower < lexicon.window && !Self.stops.contains(words[lower - 1]) { lower -= 1 }
    // Strong cues, read from the mention's last word backwards so "the new version of the original plan"
    // with the mention "original plan" is the original.
    let region = Array(words[lower..<end])
    if let strong = nearest(cues, in: region) { return strong }
    if end < words.count, after.contains(words[end]), let c = cues.match(words, at: end) { return c.payload }
    if nearest(weak, in: region) != nil { return .earlier }
    return .unmarked
  }

  private func cue(in words: [String]) -> RevisionCue? {
    nearest(cues, in: words) ?? nearest(weak, in: words)
  }

  /// The cue starting closest to the end of `words`.
  private func nearest(_ index: PhraseIndex<RevisionCue>, in words: [String]) -> RevisionCue? {
    for i in words.indices.reversed() {
      // "Russian-backed" style compounds are not cues: only whole phrases count.
      if let m = index.match(words, at: i), i == 0 || words[i - 1] != "-" { return m.payload }
    }
    return nil
  }
}

/// Folds a plan mention into the identity of its family and version.
public enum PlanIdentity {
  /// Words that name a version rather than the plan; they mirror the revision cues so a "revised plan" and the
  /// "original plan" fall in one family.
  static let versionWords: Set<String> = [
    "original", "originally", "initial", "first", "earlier", "previous", "prior", "old", "older", "leaked", "draft",
    "revised", "new", "newer", "updated", "latest", "amended", "trimmed", "reworked", "streamlined", "slimmed",
    "pared", "down", "modified", "redrafted", "rewritten", "shortened", "second", "final", "fresh", "version",
    "outdated", "superseded",
  ]
  static let numberWords: Set<String> = [
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen",
    "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty", "thirty", "forty", "fifty",
  ]
  static let articles: Set<String> = ["the", "a", "an", "this", "that"]

  /// "28-point peace plan" → "peace plan"; "19-20 points" → "plan"; "Land for Peace" → "land for peace";
  /// lowercased, point counts, version words and punctuation removed ("plan" when nothing is left).
  public static func familyName(_ name: String) -> String {
    let words = Words.of(name)
    var kept: [String] = []
    var i = 0
    while i < words.count {
      let w = words[i]
      if isCount(w) {
        // A point count: "28-point", "19-20 points", "twenty-point"; other numbers are part of the name.
        var j = i + 1
        while j < words.count && (words[j] == "-" || isCount(words[j])) { j += 1 }
        if j < words.count && (words[j] == "point" || words[j] == "points") {
          i = j + 1
          continue
        }
      }
      // Possessive "'s" and punctuation go; the owner stays ("Russia's memorandum" is not Ukraine's).
      if w == "point" || w == "points" || versionWords.contains(w) || w.hasPrefix("'")
        || !w.unicodeScalars.contains(where: Scalars.isAlnum) || (kept.isEmpty && articles.contains(w))
      {
        i += 1
        continue
      }
      kept.append(w)
      i += 1
    }
    return kept.isEmpty ? "plan" : kept.joined(separator: " ")
  }

  private static func isCount(_ w: String) -> Bool {
    numberWords.contains(w) || (!w.isEmpty && w.utf8.allSatisfy { $0 >= 48 && $0 <= 57 })
  }
}
