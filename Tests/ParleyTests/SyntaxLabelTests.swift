import ParleySyntax
import Testing

/// `SyntaxLabel` must answer every question the coder asks exactly as the strings did.
@Suite struct SyntaxLabelTests {
  /// Every relation, UPOS and Penn tag the bundled model produces.
  static let modelLabels: [String] = {
    guard let annotator = try? Support.annotator() else { return [] }
    return annotator.model.labelNames
  }()

  @Test func labelsCompareAsTheirStrings() {
    let samples = [
      "", "obj", "obl", "obl:agent", "nsubj", "nsubj:pass", "compound:prt", "acl:relcl", "NOUN", "PROPN",
      "VBN", "PRP$", "-LRB-", "obl:unmarked", "1234567890abcdef", "é:x",
    ]
    for a in samples {
      #expect(SyntaxLabel(a).description == a)
      for b in samples {
        #expect((SyntaxLabel(a) == SyntaxLabel(b)) == (a == b), "\(a) vs \(b)")
        #expect(SyntaxLabel(a).hasPrefix(SyntaxLabel(b)) == a.hasPrefix(b), "\(a) prefix \(b)")
      }
    }
  }

  @Test func literalsEqualLabelsMadeFromStrings() {
    let obj: SyntaxLabel = "obj"
    #expect(obj == SyntaxLabel("obj"))
    #expect(["obl", "obj"].contains(SyntaxLabel("obj")))
    switch SyntaxLabel("nsubj:pass") {
    case "nsubj": Issue.record("matched the base")
    case "nsubj:pass": break
    default: Issue.record("no match")
    }
  }

  @Test func baseDropsTheSubtypeAsSplitDoes() {
    for s in ["obl:agent", "obl", "compound:prt", "nmod:poss", ":x", "a:b:c", "abcdefghi:j", "abcdefgh:j", "x:"] {
      let expected = String(s.split(separator: ":").first ?? "")
      #expect(SyntaxLabel(s).base == SyntaxLabel(expected), "\(s)")
    }
  }

  @Test func longerStringsNeverEqualShortOnes() {
    let long = SyntaxLabel("abcdefghijklmnopq")
    #expect(long != SyntaxLabel("abcdefghijklmnop"))
    #expect(long != SyntaxLabel("abcdefghijklmno"))
  }

  @Test func everyLabelOfTheModelFitsAndStaysDistinct() throws {
    let labels = Self.modelLabels
    try #require(!labels.isEmpty)
    for l in labels { #expect(l.utf8.count <= 16, "\(l)") }
    #expect(Set(labels.map(SyntaxLabel.init)).count == Set(labels).count)
  }
}
