import ArgumentParser
import Foundation
import ParleyExtraction
import ParleyKnowledge
import ParleyModel
import ParleyText

/// `parley bench`: generates a corpus and measures extraction throughput and peak memory.
public struct BenchCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "bench",
    abstract: "Measure extraction throughput (MB/s of article text) and peak memory on a generated corpus.",
    discussion: """
      Writes a JSON Lines corpus of synthetic negotiation reporting (--size-mib of article text) to a folder, then streams it through the full extraction pipeline (syntax included) on every core, batch by batch as `parley extract` does, serializing every result as `parley extract --format jsonl` does. Reports MB/s and the process's peak resident memory (VmHWM). Then, on one core, it measures the tagger and parser alone over the first --syntax-mib of the corpus, in words per second. Build with -c release for meaningful figures:

        swift build -c release && .build/release/parley bench --size-mib 100
      """)

  @Option(help: "Size of the generated corpus, in MiB of article text.")
  public var sizeMib: Int = 100

  @Option(help: "Folder for the generated corpus (default: a temporary folder, removed afterwards).")
  public var dir: String?

  @Option(help: "Random seed of the generator, for repeatable corpora.")
  public var seed: UInt64 = 42

  @Option(help: "MiB of the corpus to run the tagger and parser alone over, on one core (0 to skip).")
  public var syntaxMib: Int = 2

  @Flag(help: "Print the result as one JSON object.")
  public var json = false

  public init() {}

  public func run() throws {
    let extractor = try Extractor.bundled()
    let folder = dir ?? NSTemporaryDirectory() + "parley-bench-\(ProcessInfo.processInfo.processIdentifier)"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let path = (folder as NSString).appendingPathComponent("corpus.jsonl")
    var generator = CorpusGenerator(seed: seed)
    let generated = try generator.write(to: path, bytes: sizeMib << 20)
    let rssBefore = Memory.currentResidentBytes()
    let clock = ContinuousClock()
    var bytes = 0
    var articles = 0
    var events = 0
    var outputBytes = 0
    let reader = ArticleReader()
    let batcher = ArticleBatcher<(Int, Int)>(
      work: { raw in
        let x = extractor.extract(raw)
        return (x.contractJSON().utf8.count, x.events.count)
      },
      sink: { result in
        outputBytes += result.0
        events += result.1
        articles += 1
      })
    let elapsed = clock.measure {
      reader.read(
        path: path,
        { raw in
          bytes += raw.source.utf8.count
          batcher.add(raw)
        }, onError: { StandardStreams.error("parley: error: \($0)") })
      batcher.flush()
    }
    let syntax = try syntaxSpeed(path: path, extractor: extractor)
    if dir == nil { try? FileManager.default.removeItem(atPath: folder) }
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    let mbps = Double(bytes) / 1_000_000 / seconds
    let peak = Memory.peakResidentBytes()
    if json {
      StandardStreams.write(
        "{\"articles\":\(articles),\"text_bytes\":\(bytes),\"corpus_file_bytes\":\(generated),\"seconds\":\(String(format: "%.3f", seconds)),\"mb_per_s\":\(String(format: "%.2f", mbps)),\"events\":\(events),\"output_bytes\":\(outputBytes),\"rss_before_bytes\":\(rssBefore),\"peak_rss_bytes\":\(peak),\"cores\":\(ProcessInfo.processInfo.activeProcessorCount),\"syntax_words\":\(syntax.words),\"syntax_words_per_second\":\(String(format: "%.0f", syntax.perSecond))}\n"
      )
    } else {
      var t = TextTable(["measure", "value"])
      t.add(["articles", String(articles)])
      t.add(["article text", String(format: "%.1f MB", Double(bytes) / 1e6)])
      t.add(["time", String(format: "%.2f s", seconds)])
      t.add(["throughput", String(format: "%.2f MB/s (%d cores)", mbps, ProcessInfo.processInfo.activeProcessorCount)])
      t.add(["tag + parse alone", String(format: "%.0f words/s (one core, %d words)", syntax.perSecond, syntax.words)])
      t.add(["events coded", String(events)])
      t.add(["resident before run", String(format: "%.1f MiB", Double(rssBefore) / 1048576)])
      t.add(["peak resident", String(format: "%.1f MiB", Double(peak) / 1048576)])
      StandardStreams.write(t.render())
    }
  }

  /// Tag + parse speed on one core over the first `syntaxMib` of the corpus: the text pipeline
  /// runs untimed, only the syntax analysis is timed.
  func syntaxSpeed(path: String, extractor: Extractor) throws -> (words: Int, perSecond: Double) {
    guard syntaxMib > 0, let annotator = extractor.syntax else { return (0, 0) }
    let pipeline = TextPipeline(lexicon: extractor.lexicons.text)
    var words = 0
    var budget = syntaxMib << 20
    var elapsed = Duration.zero
    let clock = ContinuousClock()
    ArticleReader().read(
      path: path,
      { raw in
        guard budget > 0 else { return }
        budget -= raw.source.utf8.count
        let doc = pipeline.process(raw)
        elapsed += clock.measure {
          for s in annotator.analyze(doc) { words += s.words.count }
        }
      }, onError: { _ in })
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    return (words, seconds > 0 ? Double(words) / seconds : 0)
  }
}

/// Reads the process's resident memory from /proc (Linux).
enum Memory {
  static func field(_ name: String) -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in status.split(separator: "\n") where line.hasPrefix(name) {
      let digits = line.split(separator: " ").compactMap { Int($0) }.first ?? 0
      return digits * 1024
    }
    return 0
  }
  static func peakResidentBytes() -> Int { field("VmHWM:") }
  static func currentResidentBytes() -> Int { field("VmRSS:") }
}

/// Writes synthetic negotiation reporting as JSON Lines, built from sentence templates and the
/// names below; deterministic for a seed.
struct CorpusGenerator {
  var rng: SplitMix64

  init(seed: UInt64) { rng = SplitMix64(seed: seed) }

  static let people = [
    ("special envoy", "Steve Witkoff"), ("Russian President", "Vladimir Putin"),
    ("Ukrainian President", "Volodymyr Zelenskyy"),
    ("Kremlin aide", "Yuri Ushakov"), ("Foreign Minister", "Sergei Lavrov"), ("Secretary of State", "Marco Rubio"),
    ("Qatari Prime Minister", "Mohammed bin Abdulrahman Al Thani"), ("Iranian Foreign Minister", "Abbas Araghchi"),
    ("IAEA chief", "Rafael Grossi"), ("Turkish President", "Recep Tayyip Erdogan"),
    ("French President", "Emmanuel Macron"),
    ("negotiator", "Rustem Umerov"), ("Egyptian Foreign Minister", "Badr Abdelatty"),
    ("Armenian Prime Minister", "Nikol Pashinyan"),
  ]
  static let sides = [
    "Russia", "Ukraine", "the United States", "Iran", "Israel", "Qatar", "Egypt", "Turkey", "Azerbaijan", "Armenia",
    "the EU", "NATO",
  ]
  static let capitals = [
    "Moscow", "Kyiv", "Washington", "Tehran", "Doha", "Cairo", "Ankara", "Baku", "Yerevan", "Brussels",
  ]
  static let venues = ["Geneva", "Istanbul", "Riyadh", "Abu Dhabi", "Vienna", "Oslo", "Jeddah", "Muscat"]
  static let outlets = [
    "Reuters", "the Associated Press", "Bloomberg", "the Financial Times", "Axios", "Le Monde",
    "The Wall Street Journal",
  ]
  static let templates = [
    "{T1} {P1} met {T2} {P2} in {V} on Tuesday to discuss a {N}-point peace plan, according to {O}.",
    "{C1} rejected the proposal, saying its terms were unacceptable.",
    "{P1} told reporters that {S1} would agree to a ceasefire if {S2} withdrew its troops from the contested region.",
    "The draft reportedly demands that {S2} reduce its armed forces by {N}% and drop its bid to join NATO.",
    "{O} reported that {S1} and {S2} held talks in {V} last week.",
    "{C2} has accused {S1} of stalling the negotiations and warned that sanctions would follow.",
    "Officials in {C1} said the {N}-point framework includes security guarantees, a prisoner exchange and the return of frozen assets.",
    "{P2} praised the mediators and called on all sides to respect the truce.",
    "A spokesman for {P1} declined to comment on the leaked document.",
    "Talks are expected to resume in {V} next month, two people familiar with the matter told {O}.",
    "{S1} launched a drone attack on {C2} overnight, officials said, the first since the truce began.",
    "Under the plan, {S2} would hold elections within a year and international observers would monitor the ceasefire line.",
  ]

  mutating func pick<T>(_ xs: [T]) -> T { xs[Int(rng.next() % UInt64(xs.count))] }

  mutating func sentence() -> String {
    var s = pick(Self.templates)
    let (t1, p1) = pick(Self.people)
    let (t2, p2) = pick(Self.people)
    let pairs: [(String, String)] = [
      ("{T1}", t1), ("{P1}", p1), ("{T2}", t2), ("{P2}", p2), ("{C1}", pick(Self.capitals)),
      ("{C2}", pick(Self.capitals)),
      ("{S1}", pick(Self.sides)), ("{S2}", pick(Self.sides)), ("{V}", pick(Self.venues)), ("{O}", pick(Self.outlets)),
      ("{N}", String(5 + Int(rng.next() % 30))),
    ]
    for (k, v) in pairs { s = s.replacingOccurrences(of: k, with: v) }
    return s.prefix(1).uppercased() + s.dropFirst()
  }

  /// Writes articles until `bytes` of article text are written; returns the file's size.
  mutating func write(to path: String, bytes: Int) throws -> Int {
    guard FileManager.default.createFile(atPath: path, contents: nil) else {
      throw ValidationError("cannot write the benchmark corpus to \(path)")
    }
    guard let handle = FileHandle(forWritingAtPath: path) else {
      throw ValidationError("cannot write the benchmark corpus to \(path)")
    }
    defer { try? handle.close() }
    var written = 0
    var fileBytes = 0
    var n = 0
    var buffer = ""
    while written < bytes {
      var text = ""
      let paragraphs = 6 + Int(rng.next() % 10)
      for _ in 0..<paragraphs {
        for _ in 0..<(2 + Int(rng.next() % 3)) { text += sentence() + " " }
        text += "\n\n"
      }
      n += 1
      written += text.utf8.count
      var w = JSONWriter()
      w.beginObject()
      w.field("id", "bench-\(n)")
      w.field("title", "Negotiation report \(n)")
      w.field("published", "2025-\(n % 12 + 1 < 10 ? "0" : "")\(n % 12 + 1)-1\(n % 9)")
      w.field("text", text)
      w.endObject()
      buffer += w.output + "\n"
      if buffer.utf8.count > 1 << 20 {
        fileBytes += buffer.utf8.count
        handle.write(Data(buffer.utf8))
        buffer = ""
      }
    }
    fileBytes += buffer.utf8.count
    handle.write(Data(buffer.utf8))
    return fileBytes
  }
}

/// A small, fast, seedable generator (SplitMix64).
struct SplitMix64 {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
