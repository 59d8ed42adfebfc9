import Foundation
import ParleyExtraction
import ParleyKnowledge
import ParleyModel
import ParleyRecord
import ParleyText

/// One article made ready for the database: extracted, fingerprinted, and with the stance of
/// every provision read. All the slow work happens here, outside the write transaction, so
/// that the lock on the database is held only for inserts.
public struct PreparedArticle: Sendable {
  public var extraction: Extraction
  public var format: ArticleFormat
  /// The article's source as read (offsets point into it).
  public var source: String
  /// The cleaned text (what search and near-duplicate detection see).
  public var body: String
  /// Hash of the title, date and cleaned text: the identity of an article (the same story under
  /// another headline is a near-copy, not the same article).
  public var key: String
  public var signature: [UInt32]
  public var bandKeys: [Int64]
  /// Per plan of `extraction.plans`: the plan's sentence and whether it is marked earlier or later.
  public var planContexts: [String]
  public var planCues: [RevisionCue]
  /// The countries the article is most about, to tell apart plans of different negotiations.
  public var mainParties: [String]
  public var positions: [PreparedPosition]
}

/// A stance read from a provision's sentence, before it has an id.
public struct PreparedPosition: Sendable, Hashable {
  /// Index into `extraction.provisions`.
  public var provision: Int
  public var party: String
  public var actorId: String?
  public var stance: Stance
  public var evidence: String
  public var span: TextSpan
}

/// Turns raw articles into prepared ones; holds the loaded extractor and rules (load once, reuse).
public struct ArticlePreparer: Sendable {
  public let extractor: Extractor
  public let stances: StanceClassifier
  public let revisions: RevisionCues
  public let hasher: MinHasher

  public init(extractor: Extractor, stances: StanceClassifier, revisions: RevisionCues, hasher: MinHasher = MinHasher())
  {
    self.extractor = extractor
    self.stances = stances
    self.revisions = revisions
    self.hasher = hasher
  }

  /// The preparer over the bundled knowledge base and lexicons, plus the user's `--kb` files.
  public static func bundled(extraKnowledge: [URL] = [], extraLexicons: [URL] = []) throws -> ArticlePreparer {
    ArticlePreparer(
      extractor: try Extractor.bundled(extraKnowledge: extraKnowledge, extraLexicons: extraLexicons),
      stances: try StanceClassifier.bundled(),
      revisions: try RevisionCues.bundled())
  }

  public func prepare(_ raw: RawArticle) -> PreparedArticle {
    let doc = extractor.annotate(raw)
    let extraction = Extractor.extraction(from: doc)
    let body = String(String.UnicodeScalarView(doc.text.clean.scalars))
    let signature = hasher.signature(of: body)
    // Sentence spans in the source, to quote the whole sentence a provision or plan sits in.
    let sentenceSpans = doc.text.sentences.map { doc.text.clean.sourceSpan($0.range) }
    func sentence(containing offset: Int) -> (Int, TextSpan)? {
      var lo = 0
      var hi = sentenceSpans.count
      while lo < hi {
        let mid = (lo + hi) / 2
        if sentenceSpans[mid].end <= offset { lo = mid + 1 } else { hi = mid }
      }
      guard lo < sentenceSpans.count, sentenceSpans[lo].start <= offset else { return nil }
      return (lo, sentenceSpans[lo])
    }

    var planContexts: [String] = []
    var planCues: [RevisionCue] = []
    for plan in extraction.plans {
      let context = sentence(containing: plan.span.start).map { doc.text.sourceText($0.1) } ?? plan.text
      planContexts.append(context)
      planCues.append(revisions.cue(context: context, name: plan.text))
    }

    // Countries by how often the article names them (a country, or a person or body of it).
    var weight: [String: Int] = [:]
    for m in doc.mentions {
      let actor = doc.actors[m.actor]
      guard actor.kind != .media, let code = Self.party(of: actor), code.count == 3 else { continue }
      weight[code, default: 0] += 1
    }
    let mainParties = weight.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(3).map(\.key)

    var positions: [PreparedPosition] = []
    for (index, provision) in extraction.provisions.enumerated() {
      guard let (sentenceIndex, span) = sentence(containing: provision.span.start) else { continue }
      let text = doc.text.sourceText(span)
      guard
        let stance = stances.stance(sentence: text, provision: provision.text, hasDemander: provision.demandedBy != nil)
      else { continue }
      // A plan's content ("the plan would involve ...") belongs to its sponsor, whom the sentence
      // rarely names: without a demander found by the extractor, record no proposal.
      if stance == .proposes, provision.demandedBy == nil { continue }
      let holder =
        extraction.actor(id: provision.demandedBy)
        ?? holderActor(in: doc, sentence: sentenceIndex, before: provision.span.start)
      guard let holder, let party = Self.party(of: holder) else { continue }
      positions.append(
        PreparedPosition(
          provision: index, party: party, actorId: holder.id, stance: stance, evidence: text, span: span))
    }

    return PreparedArticle(
      extraction: extraction, format: raw.format, source: raw.source, body: body,
      key: Self.key(
        of: [extraction.document.title ?? "", extraction.document.published?.description ?? "", body].joined(
          separator: "\n")),
      signature: signature, bandKeys: hasher.bandKeys(of: signature), planContexts: planContexts, planCues: planCues,
      mainParties: mainParties, positions: positions)
  }

  /// The party an actor speaks for: a country is its own party, anyone else their affiliation's.
  static func party(of actor: Actor) -> String? {
    switch actor.kind {
    case .media, .place: return nil
    case .country: return actor.affiliation ?? actor.id
    case .person, .organization: return actor.affiliation
    }
  }

  /// Who holds the stance when the extractor found no demander: the sentence's first actor that
  /// can take a position (its grammatical subject, in most reporting), preferring those before the provision.
  private func holderActor(in doc: AnnotatedDocument, sentence: Int, before offset: Int) -> Actor? {
    var fallback: Actor?
    for m in doc.mentions where m.sentence == sentence {
      let actor = doc.actors[m.actor]
      guard actor.kind == .person || actor.kind == .country || actor.kind == .organization,
        Self.party(of: actor) != nil
      else { continue }
      // "the war in Ukraine", "a Ukraine peace plan": named, but not the one taking a stance.
      let tokens = doc.text.tokens
      let before = m.tokens.lowerBound > 0 ? tokens[m.tokens.lowerBound - 1].lower : ""
      let after = m.tokens.upperBound < tokens.count ? tokens[m.tokens.upperBound].lower : ""
      if stances.lexicon.holderSkipBefore.contains(before) || stances.lexicon.holderSkipAfter.contains(after) {
        continue
      }
      let start = doc.text.span(tokens: m.tokens).start
      if start < offset { return actor }
      if fallback == nil { fallback = actor }
    }
    return fallback
  }

  /// 128-bit FNV-1a of the text's UTF-8, as hex: stable across runs and machines.
  static func key(of text: String) -> String {
    var a: UInt64 = 0xcbf2_9ce4_8422_2325
    var b: UInt64 = 0x6c62_272e_07bb_0142
    for byte in text.utf8 {
      a = (a ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
      b = (b ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
      b = b &+ (b >> 29)
    }
    return String(a, radix: 16).leftPadded(16) + String(b, radix: 16).leftPadded(16)
  }
}

extension String {
  fileprivate func leftPadded(_ width: Int) -> String {
    count >= width ? self : String(repeating: "0", count: width - count) + self
  }
}
