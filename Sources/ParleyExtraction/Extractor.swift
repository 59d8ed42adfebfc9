import Foundation
import ParleyKnowledge
import ParleyModel
import ParleySyntax
import ParleyText

/// The extraction pipeline: text pipeline, then actors, syntax (guided by the names found),
/// group actors, citations, plans, events and provisions. Built once (knowledge base, lexicons and syntax model are loaded once) and shared
/// across threads.
public struct Extractor: Sendable {
  public let kb: KnowledgeBase
  public let lexicons: Lexicons
  /// The tagger and parser; nil runs the pipeline without syntax.
  public let syntax: SyntaxAnnotator?
  let textPipeline: TextPipeline
  let components: [any ExtractionComponent]

  public init(kb: KnowledgeBase, lexicons: Lexicons, syntax: SyntaxAnnotator? = nil) {
    self.kb = kb
    self.lexicons = lexicons
    self.syntax = syntax
    textPipeline = TextPipeline(lexicon: lexicons.text)
    var parts: [any ExtractionComponent] = [ActorRecognizer(kb: kb, names: lexicons.names)]
    if let syntax { parts.append(SyntaxComponent(annotator: syntax)) }
    components =
      parts + [
        GroupActors(lexicon: lexicons.coding, ethnicCues: lexicons.names.ethnicCues),
        CitationFinder(lexicon: lexicons.citations),
        PlanFinder(lexicon: lexicons.plans),
        EventCoder(
          lexicon: lexicons.events, names: lexicons.names, coding: lexicons.coding, provisions: lexicons.provisions),
        ProvisionFinder(lexicon: lexicons.provisions),
      ]
  }

  /// The extractor over the bundled data, plus the user's knowledge-base files and CAMEO
  /// lexicon files (the `cameo-verbs.json` shape), each read after the bundled ones.
  public static func bundled(extraKnowledge: [URL] = [], extraLexicons: [URL] = []) throws -> Extractor {
    let dir = try ResourceLocator.directory()
    var lexicons = try Lexicons.load(directory: dir)
    for url in extraLexicons { try lexicons.coding.add(contentsOf: url) }
    return Extractor(
      kb: try KnowledgeBase.load(directory: dir, extra: extraKnowledge), lexicons: lexicons,
      syntax: try SyntaxAnnotator.bundled())
  }

  /// Runs every component over one article.
  public func annotate(_ raw: RawArticle) -> AnnotatedDocument {
    var doc = AnnotatedDocument(text: textPipeline.process(raw))
    if doc.text.article.published == nil, let dateline = Dateline.find(doc.text) {
      // The text states its own date: resolve "on Tuesday" against it.
      doc.text.article.published = dateline
      doc.text.dates = TextPipeline.dates(tokens: doc.text.tokens, sentences: doc.text.sentences, published: dateline)
    }
    for c in components { c.process(&doc) }
    return doc
  }

  public func extract(_ raw: RawArticle) -> Extraction {
    Self.extraction(from: annotate(raw))
  }

  /// Extracts a batch of articles on every core; results come back in the order given.
  public func extract(_ batch: [RawArticle]) -> [Extraction] {
    Parallel.map(batch) { extract($0) }
  }

  /// The contract view of an annotated document.
  public static func extraction(from doc: AnnotatedDocument) -> Extraction {
    var actors = doc.actors
    for m in doc.mentions {
      let (text, span) = doc.sourceText(tokens: m.tokens)
      actors[m.actor].mentions.append(Mention(text: text, span: span))
    }
    let article = doc.text.article
    let info = DocumentInfo(
      id: article.id, path: article.path, title: article.title ?? Dateline.title(doc.text),
      published: article.published, outlet: article.outlet, url: article.url,
      duplicateParagraphsRemoved: doc.text.clean.duplicateParagraphsRemoved)
    return Extraction(
      document: info, actors: actors.filter { !$0.mentions.isEmpty }, citations: doc.citations, events: doc.events,
      plans: doc.plans, provisions: doc.provisions)
  }
}

/// Dates and titles stated in the text itself when no header gives them.
enum Dateline {
  /// "November 21, 2025 —", "KYIV, Nov. 21, 2025 (Reuters) -", "Published: 2025-11-21" at the top.
  static func find(_ doc: TextDocument) -> PartialDate? {
    for p in doc.clean.paragraphs.prefix(3) {
      var text = doc.clean.string(p.range)
      if let comma = text.firstIndex(of: ","), text[..<comma].allSatisfy({ $0.isUppercase || $0 == " " || $0 == "-" }),
        text.distance(from: text.startIndex, to: comma) < 30
      {
        text = String(text[text.index(after: comma)...])
        // "PUTRAJAYA, Malaysia, July 28, 2025": a country after the city.
        let trimmed = text.drop(while: { $0 == " " })
        if let second = trimmed.firstIndex(of: ","), trimmed.distance(from: trimmed.startIndex, to: second) < 25,
          trimmed.first?.isUppercase == true, ExplicitDate.parsePrefix(String(trimmed)) == nil
        {
          text = String(trimmed[trimmed.index(after: second)...])
        }
      }
      for prefix in ["Published:", "Published", "Updated:", "Date:"] where text.hasPrefix(prefix) {
        text = String(text.dropFirst(prefix.count))
      }
      if let (date, used) = ExplicitDate.parsePrefix(text) {
        let rest = text.dropFirst(used).trimmingCharacters(in: .whitespaces)
        if rest.isEmpty || rest.hasPrefix("-") || rest.hasPrefix("\u{2014}") || rest.hasPrefix("(")
          || rest.hasPrefix("|")
          || rest.hasPrefix(":") || rest.hasPrefix(",") && rest.count < 40
        {
          return date
        }
      }
      // A byline: "By Jane Doe | Reuters | November 21, 2025 12:30 GMT".
      if text.count <= 120, text.hasPrefix("By ") || text.contains("|") || text.hasPrefix("Updated") {
        var rest = Substring(text)
        while !rest.isEmpty {
          if let (date, _) = ExplicitDate.parsePrefix(String(rest)) { return date }
          guard let space = rest.firstIndex(where: { $0 == " " || $0 == "|" }) else { break }
          rest = rest[rest.index(after: space)...]
        }
      }
    }
    return nil
  }

  /// The first paragraph when it reads as a headline.
  static func title(_ doc: TextDocument) -> String? {
    guard let first = doc.clean.paragraphs.first else { return nil }
    let s = doc.clean.string(first.range)
    return s.count <= 200 && !s.hasSuffix(".") ? s : nil
  }
}
