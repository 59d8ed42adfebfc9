/// Word lists the text pipeline needs: abbreviations, boilerplate and author-bio cues.
/// Loaded from data files by `ParleyKnowledge`; tests may build their own.
public struct TextLexicon: Sendable {
  /// Lowercased abbreviations without their final period ("mr", "gen", "jan", "approx").
  public var abbreviations: Set<String>
  /// Abbreviations that may end a sentence when the next word starts one ("etc", "u.s").
  public var sentenceFinalAbbreviations: Set<String>
  /// Lowercased words that commonly open a sentence; after "U.S." they signal a new sentence.
  public var sentenceStarters: Set<String>
  /// Lowercased paragraph openings that mark boilerplate ("subscribe to", "all rights reserved").
  public var boilerplate: [String]
  /// Lowercased phrases that, after a name at a paragraph start, mark an author bio ("tracks", "covers").
  public var bioVerbs: [String]

  public init(
    abbreviations: Set<String> = [], sentenceFinalAbbreviations: Set<String> = [],
    sentenceStarters: Set<String> = [], boilerplate: [String] = [], bioVerbs: [String] = []
  ) {
    self.abbreviations = abbreviations
    self.sentenceFinalAbbreviations = sentenceFinalAbbreviations
    self.sentenceStarters = sentenceStarters
    self.boilerplate = boilerplate
    self.bioVerbs = bioVerbs
  }
}
