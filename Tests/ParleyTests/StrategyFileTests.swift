import Foundation
import ParleyCLI
import ParleyStrategy
import PropertyBased
import Testing

/// gmcr-py files, the YAML `conflict:` section, the statement syntax, bad input, and the CLI.
@Suite struct StrategyFileTests {
  /// gmcr-py's Prisoner's Dilemma, as GMCR-FORMAT.md shows it (legacy key, derived rankings).
  static let prisonersDilemmaGMCR = """
    {"options": [{"name": "Cooperate with 2",   "permittedDirection": "both"},
                 {"name": "Cooperate with One", "permittedDirection": "both"}],
     "decisionMakers": [
       {"name": "Prisoner One", "options": [0],
        "preferences": [[[1, "Y"]], [[0, "N"]]]},
       {"name": "prisoner 2",   "options": [1],
        "preferences": [[[0, "Y"]], [[1, "N"]]]}],
     "infeasibles": [],
     "useManualPreferenceVectors": false}
    """

  @Test func readsGMCRPrisonersDilemma() throws {
    let c = try GMCRFile.read(json: Self.prisonersDilemmaGMCR, file: "pd.gmcr")
    #expect(c.options.map(\.name) == ["Cooperate with 2", "Cooperate with One"])
    #expect(c.decisionMakers.map(\.name) == ["Prisoner One", "prisoner 2"])
    let g = try c.graph()
    #expect(g.decisionMakers[0].ranking == Ranking([[3], [4], [1], [2]]))
    #expect(g.decisionMakers[1].ranking == Ranking([[2], [4], [1], [3]]))
    #expect(StabilityAnalysis(graph: g).equilibria(.nash) == [0])
  }

  @Test func readsCompoundsTiesDirectionsAndCoalitions() throws {
    let text = """
      {"options": [{"name": "Modify", "permittedDirection": "fwd"}, {"name": "Delay", "permittedDirection": "back"},
                   {"name": "Accept"}],
       "decisionMakers": [
         {"name": "MoE", "options": [0], "preferences": [{"compound": true, "members": [[[0, "N"], [2, "Y"]], [[0, "Y"], [2, "N"]]]}],
          "preferenceRanking": [4, [1, 2], 3, 5, 6]},
         {"name": "UR", "options": [1, 2], "preferences": [[[1, "Y"]]], "preferenceVector": [1, 2, 3, 4, 5, 6],
          "misperceptions": [[[0, "Y"], [1, "Y"]]]}],
       "infeasibles": [[[1, "Y"], [2, "Y"]]],
       "useManualPreferenceRanking": true,
       "coalitions": [[0, 1]],
       "program": "gmcr-py", "version": "0.3"}
      """
    let c = try GMCRFile.read(json: text, file: "m.gmcr")
    #expect(c.options.map(\.direction) == [.forward, .back, .both])
    #expect(c.decisionMakers[0].statements[0].conditions.count == 2)
    #expect(c.decisionMakers[0].ranking == Ranking([[4], [1, 2], [3], [5], [6]]))
    #expect(c.decisionMakers[1].ranking == Ranking([[1], [2], [3], [4], [5], [6]]))
    #expect(
      c.decisionMakers[1].misperceptions == [
        Condition([Literal(option: 0, taken: true), Literal(option: 1, taken: true)])
      ])
    #expect(c.coalitions == [[0, 1]])
    #expect(try c.feasiblePatterns() == [0, 1, 2, 3, 4, 5])
    // Back again, nothing lost.
    #expect(try GMCRFile.read(json: GMCRFile.write(c), file: "again.gmcr") == c)
  }

  /// gmcr-py regroups options by decision maker before numbering states; so does Parley.
  @Test func regroupsOptionsByDecisionMaker() throws {
    let text = """
      {"options": [{"name": "x"}, {"name": "y"}, {"name": "z"}],
       "decisionMakers": [{"name": "A", "options": [2], "preferences": [[[0, "Y"]], [[2, "N"]]]},
                          {"name": "B", "options": [0, 1], "preferences": [[[2, "Y"]]]}],
       "infeasibles": [[[0, "Y"], [1, "Y"]]]}
      """
    let c = try GMCRFile.read(json: text, file: "m.gmcr")
    #expect(c.options.map(\.name) == ["z", "x", "y"])
    #expect(c.decisionMakers[0].statements[0] == Statement([Literal(option: 1, taken: true)]))
    #expect(c.decisionMakers[0].statements[1] == Statement([Literal(option: 0, taken: false)]))
    #expect(c.infeasible == [Condition([Literal(option: 1, taken: true), Literal(option: 2, taken: true)])])
    // Writing an ungrouped model in code regroups it, rankings following their states.
    var ungrouped = c
    ungrouped.options = [c.options[1], c.options[2], c.options[0]]
    ungrouped.infeasible = [Condition([Literal(option: 0, taken: true), Literal(option: 1, taken: true)])]
    ungrouped.decisionMakers[0].statements = [
      Statement([Literal(option: 0, taken: true)]), Statement([Literal(option: 2, taken: false)]),
    ]
    ungrouped.decisionMakers[1].statements = [Statement([Literal(option: 2, taken: true)])]
    ungrouped.decisionMakers[0].ranking = try ungrouped.graph().decisionMakers[0].ranking
    let regrouped = try GMCRFile.read(json: GMCRFile.write(ungrouped), file: "w.gmcr")
    #expect(regrouped.options.map(\.name) == ["z", "x", "y"])
    #expect(try regrouped.graph().decisionMakers[0].ranking == c.graph().decisionMakers[0].ranking)
  }

  @Test func gmcrAndYAMLRoundTripRandomModels() async throws {
    await propertyCheck(count: 100, input: RandomConflict.generator) { conflict in
      // Neither format has an empty statement in writing, and YAML merges a statement's repeated alternatives.
      let plain = conflict.decisionMakers.allSatisfy { dm in
        dm.statements.allSatisfy { s in
          Set(s.conditions).count == s.conditions.count && s.conditions.allSatisfy { !$0.literals.isEmpty }
        } && dm.misperceptions.allSatisfy { !$0.literals.isEmpty }
      }
      let gmcr = try GMCRFile.read(json: GMCRFile.write(conflict), file: "r.gmcr")
      if conflict.decisionMakers.contains(where: { $0.ranking != nil }) {
        #expect(gmcr.options == conflict.options && gmcr.infeasible == conflict.infeasible)
        #expect(try gmcr.graph().decisionMakers.map(\.payoff) == conflict.graph().decisionMakers.map(\.payoff))
      } else {
        #expect(gmcr == conflict)
      }
      guard plain else { return }
      let yaml = try ConflictYAML.write(conflict)
      #expect(try ConflictYAML.read(yaml: yaml, file: "r.yaml") == conflict, "\(yaml)")
    }
  }

  /// The example of the README section, verbatim, after a negotiation file's own keys.
  static let donbas = """
    negotiation: Donbas talks
    parties:
      - code: UKR
    conflict:
      title: Donetsk for a ceasefire            # optional
      decision_makers:                          # in order; each one's options are numbered in turn
        - name: Ukraine
          options:
            - withdraw_donetsk                  # a name: letters, digits, _ - . (not starting with a digit)
            - name: join_nato                   # or a mapping with direction, label and description
              direction: back                   # both (default) | fwd (only taken) | back (only reversed)
              label: Join NATO                  # optional display name
          preferences:                          # prioritized statements, most important first
            - ceasefire
            - not withdraw_donetsk
            - withdraw_donetsk if ceasefire
            - (join_nato or ceasefire) and not offensive
        - name: Russia
          options:
            - ceasefire: Agree to a ceasefire   # name: description
            - offensive
          preferences:
            - withdraw_donetsk
            - not join_nato
            - ceasefire iff withdraw_donetsk
          # ranking: [9, [1, 2], 3, ...]        # instead of preferences: every state, best first, [ties]
      infeasible:                               # combinations that cannot happen
        - ceasefire and offensive
      status_quo: [join_nato, offensive]        # options taken now; or a state number, or a Y/N pattern
      # coalitions:                             # optional: decision makers that act together
      #   - [Ukraine, Europe]
    """

  @Test func readsTheConflictSectionOfANegotiationFile() throws {
    let c = try ConflictYAML.read(yaml: Self.donbas, file: "n.yaml")
    #expect(c.title == "Donetsk for a ceasefire")
    #expect(c.options.map(\.name) == ["withdraw_donetsk", "Join NATO", "ceasefire", "offensive"])
    #expect(c.options.map(\.owner) == [0, 0, 1, 1])
    #expect(c.options[2].description == "Agree to a ceasefire")
    #expect(c.options[1].direction == .back)
    let ukraine = c.decisionMakers[0].statements
    #expect(
      ukraine[2]
        == Statement([Condition([Literal(option: 0, taken: true)]), Condition([Literal(option: 2, taken: false)])]))
    #expect(
      ukraine[3]
        == Statement([
          Condition([Literal(option: 1, taken: true), Literal(option: 3, taken: false)]),
          Condition([Literal(option: 2, taken: true), Literal(option: 3, taken: false)]),
        ]))
    let iff = c.decisionMakers[1].statements[2]
    for p: UInt64 in 0..<16 {
      #expect(iff.holds(in: p) == (((p >> 2) & 1) == (p & 1)))
    }
    #expect(c.statusQuo == 0b1010)
    #expect(try c.feasiblePatterns().count == 12)
    #expect(try ConflictYAML.read(yaml: ConflictYAML.write(c), file: "again.yaml") == c)
    // Prioritized statements weigh 8, 4, 2 and 1 for Ukraine; at NNYN all hold but "withdraw_donetsk if ceasefire".
    let g = try c.graph()
    let s = try #require(g.state(named: "NNYN"))
    #expect(g.decisionMakers[0].payoff[s] == 8 + 4 + 1)
  }

  @Test func statementSyntax() throws {
    let names = ["a": 0, "b": 1, "c": 2]
    let parse = { (t: String) in try StatementSyntax.parse(t) { names[$0] } }
    func holds(_ t: String, _ p: UInt64) throws -> Bool { try parse(t).holds(in: p) }
    for p: UInt64 in 0..<8 {
      let a = p & 1 == 1
      let b = p & 2 == 2
      let c = p & 4 == 4
      #expect(try holds("a and b or c", p) == ((a && b) || c))
      #expect(try holds("a and (b or c)", p) == (a && (b || c)))
      #expect(try holds("not a or b", p) == (!a || b))
      #expect(try holds("not (a or b)", p) == (!a && !b))
      #expect(try holds("a if b", p) == (!b || a))
      #expect(try holds("a if b and c", p) == (!(b && c) || a))
      #expect(try holds("a iff not c", p) == (a == !c))
      #expect(try holds("NOT a AND b", p) == (!a && b))
    }
    #expect(try parse("a and a") == Statement([Literal(option: 0, taken: true)]))
    for (bad, reason) in [
      ("a and", "ends where an option name"), ("a and not a", "can never hold"), ("d", "unknown option 'd'"),
      ("(a or b", "not closed"), ("a b", "unexpected 'b'"), ("a & b", "unexpected character '&'"), ("", "empty"),
    ] {
      #expect {
        _ = try parse(bad)
      } throws: { ($0 as? StrategyError)?.reason.contains(reason) == true }
    }
  }

  /// Each bad file and the line (and, for JSON, the path) its error must name.
  @Test func badGMCRFilesAreRefusedWithLineAndPath() throws {
    let cases: [(String, String)] = [
      ("{\"options\": [\n{\"name\": \"a\"},\n]}", "m.gmcr:3: not valid JSON"),
      ("[1, 2]", "m.gmcr:1: the file must hold a JSON object"),
      ("{\"options\": [{\"name\": \"a\"}]}", "missing \"decisionMakers\""),
      (
        "{\"options\": [{\"name\": \"a\"}],\n \"decisionMakers\": [{\"name\": \"A\", \"options\": [0],\n \"preferences\": [[[3, \"Y\"]]]}]}",
        "m.gmcr:3: decisionMakers[0].preferences[0][0][0]: option index 3 is out of range 0...0"
      ),
      (
        "{\"options\": [{\"name\": \"a\", \"permittedDirection\": \"up\"}], \"decisionMakers\": []}",
        "options[0].permittedDirection: unknown direction \"up\""
      ),
      (
        "{\"options\": [{\"name\": \"a\"}, {\"name\": \"b\"}],\n \"decisionMakers\": [{\"name\": \"A\", \"options\": [0]}]}",
        "m.gmcr:1: options[1]: option 1 (b) is not controlled by any decision maker"
      ),
      (
        "{\"options\": [{\"name\": \"a\"}],\n \"decisionMakers\": [{\"name\": \"A\", \"options\": [0]},\n {\"name\": \"B\", \"options\": [0]}]}",
        "m.gmcr:3: decisionMakers[1].options[0]: option 0 (a) is already controlled by decisionMakers[0]"
      ),
      (
        "{\"options\": [{\"name\": \"a\"}],\n \"decisionMakers\": [{\"name\": \"A\", \"options\": [0],\n \"preferenceRanking\": [1]}],\n \"useManualPreferenceRanking\": true}",
        "m.gmcr:3: decisionMakers[0].preferenceRanking: the ranking does not place state 2"
      ),
      (
        "{\"options\": [{\"name\": \"a\"}],\n \"decisionMakers\": [{\"name\": \"A\", \"options\": [0], \"preferences\": [[[0, \"maybe\"]]]}]}",
        "decisionMakers[0].preferences[0][0][1]: expected \"Y\" or \"N\""
      ),
      ("", "m.gmcr:1: not valid JSON"),
    ]
    for (text, expected) in cases {
      #expect {
        _ = try GMCRFile.read(json: text, file: "m.gmcr")
      } throws: { error in
        "\(error)".contains(expected)
      }
    }
  }

  @Test func badYAMLIsRefusedWithTheLine() throws {
    func yaml(_ body: String) -> String { "conflict:\n  decision_makers:\n" + body }
    let cases: [(String, String)] = [
      (
        yaml("    - name: A\n      options: [a, b]\n      preferences:\n        - a and c\n"),
        "m.yaml:6: preference 1 of A: unknown option 'c'"
      ),
      (yaml("    - name: A\n      options: [a, a]\n"), "m.yaml:4: option 'a' is declared twice"),
      (
        yaml("    - name: A\n      options:\n        - name: a\n          direction: sideways\n"),
        "m.yaml:6: unknown direction 'sideways'"
      ),
      (
        yaml("    - name: A\n      options: [a]\n      ranking: [1]\n"),
        "m.yaml:5: the ranking of A: the ranking does not place state 2"
      ),
      (
        yaml("    - name: A\n      options: [a]\n      ranking: [1, 3]\n"),
        "m.yaml:5: the ranking of A: state 3 does not exist"
      ),
      (yaml("    - name: A\n      optoins: [a]\n"), "m.yaml:4: unknown key 'optoins'"),
      (yaml("    - name: A\n      options: [not]\n"), "m.yaml:4: option name 'not' of A must be"),
      (yaml("    - name: A\n      options: [a]\n  status_quo: [b]\n"), "m.yaml:5: unknown option 'b' in status_quo"),
      (
        yaml("    - name: A\n      options: [a]\n  coalitions:\n    - [A, B]\n"), "m.yaml:6: unknown decision maker 'B'"
      ),
      (
        yaml("    - name: A\n      options: [a]\n  infeasible:\n    - a\n    - not a\n"),
        "every combination of options is infeasible"
      ),
      ("conflict:\n  decision_makers: [\n", "m.yaml:3: not valid YAML"),
      ("parties: []\n", "m.yaml:1: has no conflict: section"),
    ]
    for (text, expected) in cases {
      #expect {
        _ = try ConflictYAML.read(yaml: text, file: "m.yaml")
      } throws: { error in
        "\(error)".contains(expected)
      }
    }
  }

  @Test func cliPrintsTheAnalysisAsJSON() async throws {
    let url = try Support.writeTemporary(
      "cuba.yaml", text: try ConflictYAML.write(PublishedConflicts.cubanMissileCrisis))
    let result = await #expect(processExitsWith: .success, observing: [\.standardOutputContent]) {
      [path = url.path as String] in
      Parley.runSynchronously(["stability", path, "--status-quo", "NNNN", "--json"])
    }
    let stdout = result?.standardOutputContent ?? []
    let object = try #require(try JSONSerialization.jsonObject(with: Data(stdout)) as? [String: Any])
    #expect((object["equilibria"] as? [String: [Int]])?["seq"] == [5, 7])
    #expect((object["evolution"] as? [Any])?.isEmpty == false)
  }

  @Test func cliExitsOneForABadModelNamingFileAndLine() async throws {
    let url = try Support.writeTemporary(
      "bad.yaml", text: "conflict:\n  decision_makers:\n    - name: A\n      options: [a]\n      preferences: [b]\n")
    let result = await #expect(processExitsWith: .exitCode(1), observing: [\.standardErrorContent]) {
      [path = url.path as String] in
      Parley.runSynchronously(["stability", path])
    }
    let stderr = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
    #expect(stderr.contains("\(url.path):5: preference 1 of A: unknown option 'b'"), "\(stderr)")
  }

  @Test func cliExitsSixtyFourForBadUsage() async throws {
    let url = try Support.writeTemporary("pd.gmcr", text: Self.prisonersDilemmaGMCR)
    await #expect(processExitsWith: .exitCode(64)) {
      Parley.runSynchronously(["stability"])
    }
    await #expect(processExitsWith: .exitCode(64)) { [path = url.path as String] in
      Parley.runSynchronously(["stability", path, "--status-quo", "9"])
    }
  }
}
