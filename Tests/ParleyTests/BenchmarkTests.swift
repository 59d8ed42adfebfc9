import Foundation
import ParleyBenchmarks
import Testing

/// The corpus generators read their words from the benchmark target's resources; a corpus for a
/// seed is a fixed input that figures in the README are measured on, so it must not drift.
@Suite("Benchmarks")
struct BenchmarkTests {
  /// FNV-1a over bytes: enough to tell one corpus from another.
  static func fnv(_ bytes: some Sequence<UInt8>) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
    return hash
  }

  @Test("The article generator gives, for seed 42, the corpus it gave when its words were Swift code")
  func articleGeneratorIsStable() throws {
    var generator = try ArticleGenerator(seed: 42)
    var corpus = ""
    var titles: [String] = []
    for _ in 0..<400 {
      let article = generator.next()
      if titles.count < 3 { titles.append(article.title) }
      corpus += article.jsonLine + "\n"
    }
    #expect(
      titles == [
        "Boulos holds talks with Burhan on the siege of El Fasher", "Talks in Geneva: Burhan meets Faisal bin Farhan",
        "Khamenei says no to key demand",
      ])
    // Hash and size of `bench-record --articles 400` corpus written by the code before the move.
    #expect(corpus.utf8.count == 1_001_779)
    #expect(Self.fnv(corpus.utf8) == 0x6861_095f_7525_86c8)
  }

  @Test("The bench corpus generator gives, for seed 42, the corpus it gave before")
  func corpusGeneratorIsStable() throws {
    let path = try Support.temporaryDirectory().appendingPathComponent("corpus.jsonl").path
    var generator = try CorpusGenerator(seed: 42)
    let size = try generator.write(to: path, bytes: 1 << 20)
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    #expect(size == 1_084_638)
    #expect(data.count == size)
    #expect(Self.fnv(data) == 0x326b_722f_bff7_8e09)
  }

  @Test("Another seed gives another corpus; the same seed the same one")
  func seedsMatter() throws {
    var a = try ArticleGenerator(seed: 1)
    var b = try ArticleGenerator(seed: 1)
    var c = try ArticleGenerator(seed: 2)
    let first = (0..<20).map { _ in a.next() }
    #expect(first == (0..<20).map { _ in b.next() })
    #expect(first != (0..<20).map { _ in c.next() })
  }

  @Test("The vocabulary names every negotiation's sides and people; demands point at listed sides")
  func vocabularyIsComplete() throws {
    let words = try GeneratorVocabulary.bundled()
    #expect(words.negotiations.count == 6)
    #expect(words.negotiations.map(\.label).contains("the war in Ukraine"))
    for n in words.negotiations {
      #expect(n.sides.count >= 2, "\(n.label)")
      for d in n.demands { #expect(n.sides.indices.contains(d.by) && n.sides.indices.contains(d.on), "\(n.label)") }
    }
    let templates = try ReportTemplates.bundled()
    #expect(templates.templates.count == 12)
  }
}
