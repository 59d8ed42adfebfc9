import ParleyModel

/// An article after the text pipeline: cleaned text, tokens, sentences, quantities and dates.
/// Extraction components read it and add their own annotations.
public struct TextDocument: Sendable {
  public var article: RawArticle
  /// The source as code points: `source[span.start..<span.end]` is what every span quotes.
  public var source: [Unicode.Scalar]
  public var clean: CleanText
  public var tokens: [Token]
  public var sentences: [Sentence]
  public var quantities: [Quantity]
  public var dates: [DateMention]

  /// The source as UTF-8, and the byte offset of each code point when the text is not ASCII.
  let sourceUTF8: [UInt8]
  let byteOffsets: [Int32]?

  public init(
    article: RawArticle, source: [Unicode.Scalar], clean: CleanText, tokens: [Token], sentences: [Sentence],
    quantities: [Quantity], dates: [DateMention]
  ) {
    self.article = article
    self.source = source
    self.clean = clean
    self.tokens = tokens
    self.sentences = sentences
    self.quantities = quantities
    self.dates = dates
    sourceUTF8 = Array(article.source.utf8)
    if sourceUTF8.count == source.count {
      byteOffsets = nil
    } else {
      var offsets = [Int32]()
      offsets.reserveCapacity(source.count + 1)
      var b: Int32 = 0
      for c in source {
        offsets.append(b)
        b += Int32(UTF8.width(c))
      }
      offsets.append(b)
      byteOffsets = offsets
    }
  }

  /// The source text of a span, exactly as read.
  public func sourceText(_ span: TextSpan) -> String {
    let a = max(0, min(span.start, source.count))
    let b = max(a, min(span.end, source.count))
    guard let offsets = byteOffsets else { return String(decoding: sourceUTF8[a..<b], as: UTF8.self) }
    return String(decoding: sourceUTF8[Int(offsets[a])..<Int(offsets[b])], as: UTF8.self)
  }

  /// Source span of tokens `range` (an index range into `tokens`).
  public func span(tokens range: Range<Int>) -> TextSpan {
    guard !range.isEmpty else { return TextSpan(0, 0) }
    return clean.sourceSpan(Int(tokens[range.lowerBound].start)..<Int(tokens[range.upperBound - 1].end))
  }

  public func role(of sentence: Sentence) -> ParagraphRole { clean.paragraphs[sentence.paragraph].role }
}

/// Runs reading's output through cleaning, tokenizing, sentence splitting and number/date finding.
public struct TextPipeline: Sendable {
  public var lexicon: TextLexicon
  public init(lexicon: TextLexicon) { self.lexicon = lexicon }

  public func process(_ article: RawArticle) -> TextDocument {
    let source = Array(article.source.unicodeScalars)
    let clean = CleanText.build(article, source: source, lexicon: lexicon)
    var tokens: [Token] = []
    tokens.reserveCapacity(clean.scalars.count / 5)
    var sentences: [Sentence] = []
    for (index, paragraph) in clean.paragraphs.enumerated() {
      let first = tokens.count
      Tokenizer.tokenize(clean.scalars, in: paragraph.range, into: &tokens)
      SentenceSplitter.split(
        tokens: tokens, range: first..<tokens.count, paragraph: index, lexicon: lexicon, into: &sentences)
    }
    var quantities: [Quantity] = []
    for s in sentences {
      quantities.append(contentsOf: QuantityRecognizer.find(in: tokens, range: s.tokens))
    }
    let dates = Self.dates(tokens: tokens, sentences: sentences, published: article.published)
    return TextDocument(
      article: article, source: source, clean: clean, tokens: tokens, sentences: sentences,
      quantities: quantities, dates: dates)
  }

  /// Date expressions of every sentence, relative ones resolved against `published`.
  public static func dates(tokens: [Token], sentences: [Sentence], published: PartialDate?) -> [DateMention] {
    var dates: [DateMention] = []
    for s in sentences {
      dates.append(contentsOf: DateRecognizer.find(in: tokens, range: s.tokens, published: published))
    }
    return dates
  }
}
