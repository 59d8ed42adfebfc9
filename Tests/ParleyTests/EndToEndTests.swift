import Foundation
import ParleyExtraction
import ParleyText
import Testing

/// The seed corpus, and the held-out set in Tests/Fixtures/devset, scored against their gold
/// annotations by ../shared/eval/score.py.
@Suite struct EndToEndTests {
  /// Runs a program with arguments, returning its exit status and standard output and error.
  /// (It blocks: the scores are computed once, in static lets, and the scorers take a second or
  /// two; the process tests that run for long wait by suspending, see `ParleyProcess`.)
  static func run(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
    let launched = try ParleyProcess.launch(URL(fileURLWithPath: "/usr/bin/env"), arguments)
    launched.process.waitUntilExit()
    let result = try launched.captured()
    return (result.status, result.stdout, result.stderr)
  }

  /// Extracts articles to JSON Lines (as `parley extract --format jsonl` does) and scores them.
  static func score(articles: [URL], gold: URL) throws -> Scores {
    let extractor = try Support.extractor()
    var jsonl = ""
    var errors: [ReadError] = []
    for url in articles {
      ArticleReader().read(
        path: url.path, { jsonl += extractor.extract($0).contractJSON() + "\n" }, onError: { errors.append($0) })
    }
    guard errors.isEmpty else { throw ScoreError(message: "articles failed to read: \(errors)") }
    let predictions = try Support.temporaryDirectory().appendingPathComponent("predictions.jsonl")
    try jsonl.write(to: predictions, atomically: true, encoding: .utf8)
    let result = try run([
      "python3", Support.scorer.path, "--gold", gold.path, predictions.path, "--json",
    ])
    guard result.status == 0 else {
      throw ScoreError(message: "score.py exited with \(result.status): \(result.stderr)")
    }
    guard let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] else {
      throw ScoreError(message: "score.py printed no JSON object: \(result.stdout)")
    }
    var scores = Scores(
      articles: object["articles"] as? Int ?? 0, missing: (object["missing"] as? [Any] ?? []).map { "\($0)" },
      measures: [:])
    for (key, value) in object {
      guard let fields = value as? [String: Any] else { continue }
      scores.measures[key] = fields.compactMapValues { ($0 as? NSNumber)?.doubleValue }
    }
    return scores
  }

  /// What score.py reports: per measure, its numeric fields (f1, recall, accuracy, ...).
  struct Scores: Sendable {
    var articles: Int
    var missing: [String]
    var measures: [String: [String: Double]]
  }

  struct ScoreError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
  }

  /// One floor the corpus must reach: `measure.field >= minimum`.
  struct Floor: Sendable, CustomTestStringConvertible {
    var measure: String
    var field: String
    var minimum: Double
    var testDescription: String { "\(measure) \(field) >= \(minimum)" }
  }

  static let floors = [
    Floor(measure: "actors", field: "f1", minimum: 0.90),
    Floor(measure: "outlets", field: "f1", minimum: 0.95),
    // Issue 9's target for the seeds (0.753 measured).
    Floor(measure: "events", field: "f1", minimum: 0.75),
    Floor(measure: "plans", field: "f1", minimum: 1.0),
    Floor(measure: "provisions", field: "recall", minimum: 0.95),
    Floor(measure: "provisions", field: "precision", minimum: 0.95),
    Floor(measure: "dates", field: "accuracy", minimum: 1.0),
  ]

  /// Scored once for all floors.
  static let scores = Result { try score(articles: Support.seedFiles(), gold: Support.goldDirectory) }

  /// The development set: articles on other negotiations, written and annotated by this team
  /// (see its README); tuned on, so generalization is measured on the CAMEO sentence sets below.
  static let devset = Support.packageRoot.appendingPathComponent("Tests/Fixtures/devset")
  static let devsetScores = Result {
    let articles = try FileManager.default.contentsOfDirectory(
      at: devset.appendingPathComponent("articles"), includingPropertiesForKeys: nil
    ).filter { $0.pathExtension == "txt" }.sorted { $0.lastPathComponent < $1.lastPathComponent }
    return try score(articles: articles, gold: devset.appendingPathComponent("gold"))
  }

  /// Regression guards for the development set, a little under the scores measured when it was added.
  static let devsetFloors = [
    Floor(measure: "actors", field: "f1", minimum: 0.90),
    Floor(measure: "outlets", field: "f1", minimum: 0.90),
    // Issue 9's target for the development set (0.663 measured).
    Floor(measure: "events", field: "f1", minimum: 0.65),
    Floor(measure: "plans", field: "f1", minimum: 0.90),
    Floor(measure: "provisions", field: "recall", minimum: 0.80),
    Floor(measure: "provisions", field: "precision", minimum: 0.85),
    Floor(measure: "dates", field: "accuracy", minimum: 1.0),
  ]

  /// Scores one CAMEO gold sentence set of ../shared/corpus/cameo-sentences with
  /// score_sentences.py, extracting every sentence as its own article in process.
  static func scoreSentences(_ name: String) throws -> [String: Double] {
    let gold = Support.shared.appendingPathComponent("corpus/cameo-sentences/\(name).tsv")
    let scorer = Support.shared.appendingPathComponent("eval/score_sentences.py")
    let docs = try Support.temporaryDirectory().appendingPathComponent("docs")
    let written = try run(["python3", scorer.path, "write-docs", gold.path, docs.path])
    guard written.status == 0 else { throw ScoreError(message: "write-docs failed: \(written.stderr)") }
    let extractor = try Support.extractor()
    var jsonl = ""
    let files = try FileManager.default.contentsOfDirectory(at: docs, includingPropertiesForKeys: nil)
    for url in files.sorted(by: { $0.lastPathComponent < $1.lastPathComponent }) {
      ArticleReader().read(path: url.path, { jsonl += extractor.extract($0).contractJSON() + "\n" }, onError: { _ in })
    }
    let predictions = try Support.temporaryDirectory().appendingPathComponent("sentences.jsonl")
    try jsonl.write(to: predictions, atomically: true, encoding: .utf8)
    let result = try run(["python3", scorer.path, "score", gold.path, predictions.path, "--json"])
    guard result.status == 0,
      let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
    else { throw ScoreError(message: "score_sentences.py failed: \(result.stderr) \(result.stdout)") }
    return object.compactMapValues { ($0 as? NSNumber)?.doubleValue }
  }

  /// Issue 9's targets on the externally written CAMEO sentences (measured: 0.560 / 0.781 on
  /// PLOVER, 0.526 recall and 0.25 no-event false positives on PETRARCH's set).
  @Test func cameoSentenceSetsReachFloors() throws {
    let plover = try Self.scoreSentences("plover_gsr_dev")
    #expect((plover["recall"] ?? 0) >= 0.55, "\(plover)")
    #expect((plover["root_precision_lenient"] ?? 0) >= 0.70, "\(plover)")
    let petrarch = try Self.scoreSentences("petr2_gsr_validation")
    #expect((petrarch["recall"] ?? 0) >= 0.50, "\(petrarch)")
    #expect((petrarch["noevent_false_positive_rate"] ?? 1) <= 0.25, "\(petrarch)")
  }

  @Test(arguments: devsetFloors)
  func heldOutSetReachesFloor(_ floor: Floor) throws {
    let s = try Self.devsetScores.get()
    #expect(s.missing.isEmpty, "articles without output: \(s.missing)")
    try Self.check(floor, in: s)
  }

  /// Expects `scores` to reach `floor`.
  static func check(_ floor: Floor, in s: Scores) throws {
    let measure = try #require(s.measures[floor.measure], "no \(floor.measure) in \(s)")
    let value = try #require(measure[floor.field], "no \(floor.field) in \(measure)")
    #expect(
      value >= floor.minimum, "\(floor.measure) \(floor.field) = \(value), floor \(floor.minimum); all: \(measure)")
  }

  @Test func scorerSeesEveryArticle() throws {
    let s = try Self.scores.get()
    #expect(s.articles == (try Support.seedFiles().count))
    #expect(s.missing.isEmpty, "articles without output: \(s.missing)")
  }

  @Test(arguments: floors)
  func corpusReachesFloor(_ floor: Floor) throws {
    try Self.check(floor, in: Self.scores.get())
  }
}
