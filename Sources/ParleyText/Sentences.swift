/// A sentence: a run of tokens inside one paragraph.
public struct Sentence: Sendable {
  /// Indices into the document's token array.
  public var tokens: Range<Int>
  /// Cleaned-text range, from the first token's start to the last token's end.
  public var range: Range<Int>
  public var paragraph: Int
}

/// Splits a paragraph's tokens into sentences, respecting abbreviations (Mr., Gen., U.S., p.m.),
/// initials (J. D. Vance), decimal numbers, closing quotes and brackets.
///
/// Text with no sentence end (a run-on feed, a table flattened to prose) is cut into pieces of at
/// most `maxTokens` tokens, after the last comma, semicolon or dash in the second half of the
/// piece where there is one: every later component works sentence by sentence, so bounded
/// sentences keep the whole pipeline linear in the length of the text.
public enum SentenceSplitter {
  /// Longer than any sentence of real reporting (news sentences stay well under 100 tokens).
  public static let maxTokens = 200

  public static func split(
    tokens: [Token], range: Range<Int>, paragraph: Int, lexicon: TextLexicon, into out: inout [Sentence]
  ) {
    guard !range.isEmpty else { return }
    var start = range.lowerBound
    var i = range.lowerBound
    func close(_ endIndex: Int) {
      guard endIndex > start else { return }
      out.append(
        Sentence(
          tokens: start..<endIndex, range: Int(tokens[start].start)..<Int(tokens[endIndex - 1].end),
          paragraph: paragraph))
      start = endIndex
    }
    while i < range.upperBound {
      if i - start >= maxTokens {
        var cut = i
        for k in stride(from: i - 1, to: start + maxTokens / 2, by: -1)
        where [",", ";", "\u{2014}", "-"].contains(tokens[k].lower) {
          cut = k + 1
          break
        }
        close(cut)
        i = cut
        continue
      }
      let t = tokens[i]
      var boundary = false
      var last = i
      if t.kind == .punct, t.lower == "." || t.lower == "!" || t.lower == "?" || t.lower == "\u{2026}" {
        // Absorb runs of terminal punctuation and closing quotes/brackets.
        while last + 1 < range.upperBound,
          [".", "!", "?", "\"", "'", ")", "]", "\u{2026}"].contains(tokens[last + 1].lower)
        {
          last += 1
        }
        boundary = isBoundary(tokens: tokens, period: i, next: last + 1, end: range.upperBound, lexicon: lexicon)
      } else if t.kind == .word, t.lower.hasSuffix("."), t.lower.count > 2 {
        // A dotted abbreviation ("U.S.") ends a sentence only before a typical sentence opener.
        if i + 1 < range.upperBound, tokens[i + 1].isCapitalized,
          lexicon.sentenceStarters.contains(tokens[i + 1].lower)
        {
          boundary = true
        }
      }
      if boundary {
        close(last + 1)
        i = last + 1
      } else {
        i += 1
      }
    }
    close(range.upperBound)
  }

  static func isBoundary(tokens: [Token], period: Int, next: Int, end: Int, lexicon: TextLexicon) -> Bool {
    guard next < end else { return true }
    let following = tokens[next]
    let opensSentence =
      following.isCapitalized || following.kind == .number || following.lower == "\""
      || following.lower == "\u{2022}" || following.lower == "("
    guard opensSentence else { return false }
    guard tokens[period].lower == ".", period > 0 else { return true }
    let prev = tokens[period - 1]
    // Adjacent tokens only: "Mr." but not "Mr ."
    guard prev.end == tokens[period].start else { return true }
    if prev.kind == .word {
      if prev.length == 1 && prev.isCapitalized { return false }  // initial: "J. D. Vance"
      if lexicon.abbreviations.contains(prev.lower) {
        return lexicon.sentenceFinalAbbreviations.contains(prev.lower)
          && lexicon.sentenceStarters.contains(following.lower)
      }
    }
    return true
  }
}
