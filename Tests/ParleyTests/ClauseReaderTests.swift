import ParleyExtraction
import ParleyModel
import Testing

/// Events read from the parse: event nouns as objects, coordinated parties acting together,
/// announced acts as intents, and clauses that only might happen.
@Suite struct ClauseReaderTests {
  func triples(_ text: String) throws -> [String] {
    let x = try Support.extract(text)
    #expect(Support.offsetViolations(x, source: text) == [])
    return x.events.map {
      "\($0.cameo.rawValue) \(x.affiliation(of: $0.source) ?? "-")>\(x.affiliation(of: $0.target) ?? "-")"
    }
  }

  @Test func eventNounAsObjectWithCoordinatedParties() throws {
    let events = try triples("Spain and Morocco renewed negotiations on fishing rights.")
    #expect(events.contains { $0.hasPrefix("04") && $0.hasSuffix("ESP>MAR") }, "\(events)")
  }

  @Test func announcedActIsAnIntent() throws {
    let events = try triples("Argentine officials said Bolivia will release two Chilean prisoners.")
    #expect(events.contains("035 BOL>CHL"), "\(events)")
  }

  @Test func hypotheticalAndNegatedActsAreNoEvents() throws {
    for text in [
      "If Chile attacks Peru, the region will suffer.", "Chile may attack Peru.", "Chile did not attack Peru.",
    ] {
      let events = try triples(text)
      #expect(!events.contains { $0.hasPrefix("19") }, "\(text): \(events)")
    }
  }
}
