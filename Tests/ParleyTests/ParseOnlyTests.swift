import Foundation
import Testing

/// The clause coder on its own (`PARLEY_PARSE_ONLY=1`: the surface patterns off), run as a
/// process because the switch is read once per process: the constructions the parse must carry
/// when the patterns are retired.
@Suite struct ParseOnlyTests {
  @Test func clauseCoderAloneCodesTheseConstructions() async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("parse-only-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    // One sentence per article, each with the (code prefix, source state, target state) it must give.
    let cases: [(String, String, String, String)] = [
      ("Chile and Peru inked a truce on Sunday.", "0871", "CHL", "PER"),
      // The verb, tagged finite, parsed as describing the last noun of the subject phrase.
      (
        "Myanmar's military government and an alliance of ethnic armed groups agreed to a truce with Thailand on "
          + "Monday.", "0871", "MMR", "THA"
      ),
      // A title parsed as a conjunct of its own, and a broker joined to its participle by a
      // hyphen: the two leaders meet each other, not the broker.
      (
        "Chilean President Gabriel Boric and Peruvian Prime Minister Eduardo Arana held OAS-mediated talks in "
          + "Lima.", "040", "CHL", "PER"
      ),
      (
        "A phone conversation between the Chilean envoy and a senior Peruvian official was leaked on Monday.", "04",
        "CHL", "PER"
      ),
      ("Congolese rebels captured Goma in January.", "192", "COD", "COD"),
      ("Chile rejected recent calls by Peru's rulers for economic aid.", "12", "CHL", "PER"),
      ("Chile said Peru must keep its troops away from the border.", "10", "CHL", "PER"),
      ("Chile is prepared to expel Peruvian diplomats, its foreign minister said.", "13", "CHL", "PER"),
      (
        "That deal, signed by the foreign ministers of Chile and Peru, provides for a joint border commission.", "057",
        "CHL", "PER"
      ),
      // A threat on a condition is aimed at the party that must meet it; a that-clause the
      // parser hung on the addressee of a verb of saying is what was said.
      (
        "Chile, Argentina and Brazil told the Security Council in a letter that they were prepared to trigger the "
          + "return of sanctions if Peru did not withdraw its troops.", "13", "CHL", "PER"
      ),
      (
        "Chile is ready to impose new sanctions if Peru does not withdraw its troops, the foreign minister said.", "13",
        "CHL", "PER"
      ),
      // The infinitive of a governing noun the clause's subject reached is its intent; a place
      // named in the clause is no partner of a mutual act.
      (
        "Chile and Peru reached a consensus to exchange information on fishing fleets in the Pacific region.", "031",
        "CHL", "PER"
      ),
      // "the rebels", otherwise bare, are the rebel group named last.
      (
        "Houthi rebels seized the port of Hodeidah in March. On Sunday, a spokesman said the rebels would not "
          + "withdraw from Hodeidah.", "124", "YEM", "YEM"
      ),
      // A refusal that lasts until another party acts is a demand on that party.
      ("Chile will not sign the accord until Peru ends its blockade of the port.", "10", "CHL", "PER"),
      (
        "Chile has said repeatedly that it will not sign the accord until Peru amends its constitution.", "10", "CHL",
        "PER"
      ),
      // "He" after a subject that is no person is the person named in its phrase.
      (
        "The chairman of the African Union Commission, Mahmoud Ali Youssouf, met Kenyan officials on Monday. He "
          + "urged Uganda to withdraw its troops.", "02", "AU", "UGA"
      ),
      // The people an accord is about are no partner of its signing.
      (
        "Chilean and Peruvian delegations signed a memorandum on the exchange of prisoners in Lima on Friday.", "057",
        "CHL", "PER"
      ),
    ]
    var files: [String] = []
    for (k, c) in cases.enumerated() {
      let file = folder.appendingPathComponent("case\(k).txt")
      try c.0.write(to: file, atomically: true, encoding: .utf8)
      files.append(file.path)
    }
    var environment = ProcessInfo.processInfo.environment
    environment["PARLEY_PARSE_ONLY"] = "1"
    let log = folder.appendingPathComponent("out.jsonl")
    let finished = try await ParleyProcess.run(
      try ParleyProcess.executable(), ["extract", "--format", "jsonl"] + files, log: log, environment: environment)
    #expect(finished.status == 0)
    let lines = try String(contentsOf: log, encoding: .utf8).split(separator: "\n").filter { $0.hasPrefix("{") }
    #expect(lines.count == cases.count)
    for (line, c) in zip(lines, cases) {
      let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
      let actors = (object["actors"] as? [[String: Any]]) ?? []
      var state: [String: String] = [:]
      for a in actors { if let id = a["id"] as? String { state[id] = a["affiliation"] as? String } }
      let events = ((object["events"] as? [[String: Any]]) ?? []).map { e in
        "\(e["cameo"] as? String ?? "") \(state[e["source"] as? String ?? ""] ?? "-")>\(state[e["target"] as? String ?? ""] ?? "-")"
      }
      #expect(events.contains { $0.hasPrefix(c.1) && $0.hasSuffix("\(c.2)>\(c.3)") }, "\(c.0): \(events)")
    }
  }
}
