import ParleyKnowledge
import ParleyModel
import ParleyText

/// Finds named proposals: point counts ("28-point peace plan", "trimmed to 19-20 points")
/// and quoted names ("the “land for peace” proposal"). One plan per point count per article.
public struct PlanFinder: ExtractionComponent {
  let lexicon: PlanLexicon
  public init(lexicon: PlanLexicon) { self.lexicon = lexicon }

  public func process(_ doc: inout AnnotatedDocument) {
    let tokens = doc.text.tokens
    var seenPoints: Set<Int> = []
    var seenNames: Set<String> = []
    for q in doc.text.quantities {
      guard let unit = q.unit else { continue }
      let counted = lexicon.pointUnits.contains(unit) || lexicon.pointUnits.contains(unit + "s")
      // "a three-phase proposal", "a two-part memorandum": a named plan, but not a point count.
      let structural = q.isCompoundModifier && lexicon.structureUnits.contains(unit)
      guard counted || structural else { continue }
      let sentence = doc.text.sentences[Int(doc.sentenceOfToken[q.tokens.lowerBound])]
      let role = doc.text.role(of: sentence)
      if role == .bio || role == .boilerplate { continue }
      let count = (q.upper ?? q.value).rounded()
      guard count >= 2, count <= 500 else { continue }
      let points: Int? = counted ? Int(count) : nil
      var nameRange: Range<Int>?
      if q.isCompoundModifier {
        // "28-point [revised] [peace] plan"
        var k = q.tokens.upperBound
        while k < sentence.tokens.upperBound, k - q.tokens.upperBound < 5 {
          let w = tokens[k].lower
          if lexicon.planNouns.contains(w) {
            nameRange = q.tokens.lowerBound..<(k + 1)
            break
          }
          if lexicon.modifiers.contains(w) || tokens[k].isCapitalized || w == "-" { k += 1 } else { break }
        }
      } else {
        // "a revised proposal now trimmed to about 19-20 points": a plan noun earlier in the sentence.
        let window = max(sentence.tokens.lowerBound, q.tokens.lowerBound - 10)..<q.tokens.lowerBound
        if window.contains(where: { lexicon.planNouns.contains(tokens[$0].lower) }) { nameRange = q.tokens }
      }
      guard let range = nameRange else { continue }
      let (text, span) = doc.sourceText(tokens: range)
      let name = Self.displayName(text)
      if let points {
        guard seenPoints.insert(points).inserted else { continue }
      } else {
        guard seenNames.insert(name.lowercased()).inserted else { continue }
      }
      doc.plans.append(Plan(name: name, points: points, text: text, span: span))
    }
    // Quoted names: “land for peace” proposal.
    for sentence in doc.text.sentences where [.body, .listItem, .heading].contains(doc.text.role(of: sentence)) {
      var k = sentence.tokens.lowerBound
      while k < sentence.tokens.upperBound {
        guard tokens[k].lower == "\"" else {
          k += 1
          continue
        }
        var close = k + 1
        while close < sentence.tokens.upperBound, tokens[close].lower != "\"", close - k <= 8 { close += 1 }
        guard close < sentence.tokens.upperBound, tokens[close].lower == "\"", close > k + 1 else {
          k += 1
          continue
        }
        if close + 1 < sentence.tokens.upperBound, lexicon.planNouns.contains(tokens[close + 1].lower) {
          let (name, _) = doc.sourceText(tokens: (k + 1)..<close)
          let (text, span) = doc.sourceText(tokens: k..<(close + 2))
          if !seenNames.contains(name.lowercased()) {
            seenNames.insert(name.lowercased())
            doc.plans.append(Plan(name: name, points: nil, text: text, span: span))
          }
        }
        k = close + 1
      }
    }
  }

  /// "28-point peace plan" from the text, spaces folded.
  static func displayName(_ s: String) -> String {
    s.split(whereSeparator: { $0 == " " || $0 == "\n" }).joined(separator: " ")
  }
}
