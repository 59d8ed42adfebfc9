import ArgumentParser
import Foundation
import ParleyBenchmarks

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
    var benchmark = ExtractionBenchmark()
    benchmark.sizeMiB = sizeMib
    benchmark.directory = dir
    benchmark.seed = seed
    benchmark.syntaxMiB = syntaxMib
    let r = try benchmark.run(onReadError: { StandardStreams.error("parley: error: \($0)") })
    if json {
      StandardStreams.write(
        "{\"articles\":\(r.articles),\"text_bytes\":\(r.textBytes),\"corpus_file_bytes\":\(r.corpusFileBytes),\"seconds\":\(String(format: "%.3f", r.seconds)),\"mb_per_s\":\(String(format: "%.2f", r.mbPerSecond)),\"events\":\(r.events),\"output_bytes\":\(r.outputBytes),\"rss_before_bytes\":\(r.rssBeforeBytes),\"peak_rss_bytes\":\(r.peakRssBytes),\"cores\":\(r.cores),\"syntax_words\":\(r.syntaxWords),\"syntax_words_per_second\":\(String(format: "%.0f", r.syntaxWordsPerSecond))}\n"
      )
    } else {
      var t = TextTable(["measure", "value"])
      t.add(["articles", String(r.articles)])
      t.add(["article text", String(format: "%.1f MB", Double(r.textBytes) / 1e6)])
      t.add(["time", String(format: "%.2f s", r.seconds)])
      t.add(["throughput", String(format: "%.2f MB/s (%d cores)", r.mbPerSecond, r.cores)])
      t.add([
        "tag + parse alone", String(format: "%.0f words/s (one core, %d words)", r.syntaxWordsPerSecond, r.syntaxWords),
      ])
      t.add(["events coded", String(r.events)])
      t.add(["resident before run", String(format: "%.1f MiB", Double(r.rssBeforeBytes) / 1048576)])
      t.add(["peak resident", String(format: "%.1f MiB", Double(r.peakRssBytes) / 1048576)])
      StandardStreams.write(t.render())
    }
  }
}
