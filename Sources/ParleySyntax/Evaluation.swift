import Foundation

/// Accuracy of a model against gold sentences, by the CoNLL 2018 shared task's definitions on
/// gold tokenization: every word counts (punctuation included), and relations are compared whole,
/// subtypes included.
public struct SyntaxScores: Sendable, Codable, Equatable {
  public var upos: Double
  public var lemma: Double
  public var uas: Double
  public var las: Double
  public var tokens: Int
  public var tokensPerSecond: Double

  enum CodingKeys: String, CodingKey {
    case upos, lemma, uas, las, tokens
    case tokensPerSecond = "tokens_per_second"
  }
}

/// Counts of correct analyses, added up over sentences.
struct ScoreCounts {
  var words = 0
  var upos = 0
  var lemma = 0
  var uas = 0
  var las = 0

  mutating func add(gold: [CoNLLUWord], predicted: [WordAnalysis]) {
    for (g, p) in zip(gold, predicted) {
      words += 1
      if g.upos == p.upos { upos += 1 }
      if g.lemma == p.lemma { lemma += 1 }
      if g.head == p.head {
        uas += 1
        if g.deprel == p.relation { las += 1 }
      }
    }
  }

  func fraction(_ x: Int) -> Double { words == 0 ? 0 : Double(x) / Double(words) }
}

extension SyntaxModel {
  /// Analyses the gold sentences' own words and scores the result; tokens/s counts analysis
  /// time only (tagging, lemmatizing, parsing, labeling), on one thread.
  public func evaluate(_ gold: [CoNLLUSentence]) -> SyntaxScores {
    let forms = gold.map { $0.words.map(\.form) }
    let clock = ContinuousClock()
    var predicted: [[WordAnalysis]] = []
    predicted.reserveCapacity(gold.count)
    let elapsed = clock.measure {
      // About an article's worth of sentences at a time, as extraction analyses them.
      var start = 0
      while start < forms.count {
        let end = min(forms.count, start + 32)
        predicted.append(contentsOf: analyze(sentences: Array(forms[start..<end])))
        start = end
      }
    }
    var counts = ScoreCounts()
    for (g, p) in zip(gold, predicted) { counts.add(gold: g.words, predicted: p) }
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    return SyntaxScores(
      upos: counts.fraction(counts.upos), lemma: counts.fraction(counts.lemma), uas: counts.fraction(counts.uas),
      las: counts.fraction(counts.las), tokens: counts.words,
      tokensPerSecond: seconds > 0 ? Double(counts.words) / seconds : 0)
  }
}
