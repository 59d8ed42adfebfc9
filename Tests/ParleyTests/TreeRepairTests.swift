import Foundation
import ParleyModel
import ParleySyntax
import Testing

@testable import ParleyExtraction

/// The event coder's tree repairs, each fed the wrong parse it repairs: a parser's mistakes
/// depend on its model, so these tests give the coder the parse itself instead of hoping the
/// shipped model makes the mistake on a sentence written for it.
@Suite struct TreeRepairTests {
  /// One word of a given parse: its 1-based head (0 for the root), relation and tags.
  struct Word {
    var head: Int
    var relation: String
    var upos: String
    var xpos: String
  }

  /// The events of `text` coded from `parse` (one entry per analysed word of its only
  /// sentence), as "code SOURCE>TARGET" by affiliation.
  func triples(_ text: String, parse: [Word]) throws -> [String] {
    let extractor = try Support.extractor()
    let lexicons = extractor.lexicons
    var doc = extractor.annotate(Support.article(text))
    try #require(doc.syntax.count == 1)
    try #require(
      doc.syntax[0].words.count == parse.count, "\(doc.syntax[0].words.map(\.form)) vs \(parse.count) words")
    for (i, w) in parse.enumerated() {
      doc.syntax[0].words[i].analysis.head = w.head
      doc.syntax[0].words[i].analysis.relation = w.relation
      doc.syntax[0].words[i].analysis.upos = w.upos
      doc.syntax[0].words[i].analysis.xpos = w.xpos
    }
    doc.events = []
    EventCoder(
      lexicon: lexicons.events, names: lexicons.names, coding: lexicons.coding, provisions: lexicons.provisions
    ).process(&doc)
    let x = Extractor.extraction(from: doc)
    return x.events.map {
      "\($0.cameo.rawValue) \(x.affiliation(of: $0.source) ?? "-")>\(x.affiliation(of: $0.target) ?? "-")"
    }
  }

  /// Words of `spec`: "HEAD:RELATION:UPOS:XPOS" per word, space-separated.
  func parse(_ spec: String) -> [Word] {
    spec.split(separator: " ").map { item in
      let f = item.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
      // (A relation with a subtype, "nsubj:pass", spans two fields.)
      let relation = f.count > 4 ? f[1] + ":" + f[2] : f[1]
      return Word(head: Int(f[0]) ?? 0, relation: relation, upos: f[f.count - 2], xpos: f[f.count - 1])
    }
  }

  @Test func aRelativeClauseWithNoRelativeWordAfterAQuantityIsTheClause() throws {
    // The verb after "Thousands of X" hung as a relative clause of X, with the attribution's
    // verb of saying the only other finite verb: the verb is the clause, the quantity its subject.
    let text = "Thousands of Kenyan students marched through Nairobi, organisers said."
    let words = parse(
      "0:root:NOUN:NNS 4:case:ADP:IN 4:amod:ADJ:JJ 1:nmod:NOUN:NNS 4:acl:relcl:VERB:VBD 7:case:ADP:IN "
        + "5:obl:PROPN:NNP 10:punct:PUNCT:, 10:nsubj:NOUN:NNS 1:parataxis:VERB:VBD 1:punct:PUNCT:.")
    let events = try triples(text, parse: words)
    #expect(events.contains { $0.hasPrefix("14") && $0.hasSuffix(" KEN>KEN") }, "\(events)")
  }

  @Test func thatBesideAnotherSubjectIsTheClausesMark() throws {
    // "that" parsed as a relative pronoun subject next to the clause's own subject would stand
    // for the noun before it (Qatar) and make it the doer.
    let text = "Egypt asked Jordan to tell Qatar that Israel would withdraw from Rafah."
    let words = parse(
      "2:nsubj:PROPN:NNP 0:root:VERB:VBD 2:obj:PROPN:NNP 5:mark:PART:TO 2:xcomp:VERB:VB 5:obj:PROPN:NNP "
        + "10:nsubj:PRON:WDT 10:nsubj:PROPN:NNP 10:aux:AUX:MD 5:ccomp:VERB:VB 12:case:ADP:IN 10:obl:PROPN:NNP "
        + "2:punct:PUNCT:.")
    let events = try triples(text, parse: words)
    #expect(!events.contains { $0.contains(" QAT>") }, "\(events)")
    #expect(events.contains { $0.contains(" ISR>") }, "\(events)")
  }

  @Test func aPhraseAfterWhatIsSaidIsNoAddressee() throws {
    // A participle after the reported clause, tagged as a noun and hung on the verb as its
    // indirect object, would make its own clause's party the one addressed.
    let text = "Macron told Le Monde that Europe would reject the plan, warning of Russian gains."
    let words = parse(
      "2:nsubj:PROPN:NNP 0:root:VERB:VBD 2:iobj:PROPN:NNP 3:flat:PROPN:NNP 8:mark:SCONJ:IN 8:nsubj:PROPN:NNP "
        + "8:aux:AUX:MD 2:ccomp:VERB:VB 10:det:DET:DT 8:obj:NOUN:NN 12:punct:PUNCT:, 2:iobj:NOUN:NN "
        + "15:case:ADP:IN 15:amod:ADJ:JJ 12:nmod:NOUN:NNS 2:punct:PUNCT:.")
    let events = try triples(text, parse: words)
    #expect(!events.contains("010 FRA>RUS"), "\(events)")
  }

  @Test func aVerbTaggedAsTheNounComplementOfHelpIsTheVerb() throws {
    // "helped broker a deal" with "broker" a noun: the help is no aid to the deal's place.
    let text = "Turkey helped broker a Gaza deal."
    let words = parse(
      "2:nsubj:PROPN:NNP 0:root:VERB:VBD 2:xcomp:NOUN:NN 6:det:DET:DT 6:compound:PROPN:NNP 2:obj:NOUN:NN "
        + "2:punct:PUNCT:.")
    let events = try triples(text, parse: words)
    #expect(!events.contains { $0.hasPrefix("07") }, "\(events)")
  }

  @Test func anAsPhraseHungAsAClauseStillSaysWhatTheObjectIsCalled() throws {
    let text = "Beijing described the talks with Manila as productive."
    let words = parse(
      "2:nsubj:PROPN:NNP 0:root:VERB:VBD 4:det:DET:DT 2:obj:NOUN:NNS 6:case:ADP:IN 4:nmod:PROPN:NNP "
        + "8:case:ADP:IN 2:advcl:NOUN:NN 2:punct:PUNCT:.")
    let events = try triples(text, parse: words)
    #expect(events.contains { $0.hasPrefix("013 CHN>") }, "\(events)")
  }

  @Test func aNounOpenedByAfterBeforeAFiniteVerbIsThatVerbsSubject() throws {
    // "after" taken for the preposition of "China" and "fired" for a clause apart: the alert
    // would answer no one.
    let text = "Taiwan raised its alert level after China fired missiles."
    let words = parse(
      "2:nsubj:PROPN:NNP 0:root:VERB:VBD 5:nmod:poss:PRON:PRP$ 5:compound:NOUN:NN 2:obj:NOUN:NN 7:case:ADP:IN "
        + "5:nmod:PROPN:NNP 2:parataxis:VERB:VBD 8:obj:NOUN:NNS 2:punct:PUNCT:.")
    let events = try triples(text, parse: words)
    #expect(events.contains { $0.hasPrefix("15") && $0.hasSuffix("TWN>CHN") }, "\(events)")
  }

  @Test func onlyAVerbThatAddressesSomeoneHasAnAddresseeObject() throws {
    // A name hung on "declared" as a bare noun beside a clause: one declares a thing, not to the
    // noun after it (one tells someone).
    let text = "Eritrea declared independence in 1993, a move Ethiopia resented."
    let words = parse(
      "2:nsubj:PROPN:NNP 0:root:VERB:VBD 2:obj:NOUN:NN 5:case:ADP:IN 2:obl:NUM:CD 9:punct:PUNCT:, 8:det:DET:DT "
        + "9:nsubj:NOUN:NN 2:obl:unmarked:PROPN:NNP 2:parataxis:VERB:VBD 2:punct:PUNCT:.")
    let events = try triples(text, parse: words)
    #expect(!events.contains("010 ERI>ETH"), "\(events)")
  }
}
