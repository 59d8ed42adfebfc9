import Foundation
import ParleyExtraction
import ParleyStore
import ParleyText

/// The extraction benchmark behind `parley bench`: writes a corpus, streams it through the full
/// pipeline on every core as `parley extract --format jsonl` does, and times the tagger and parser alone.
public struct ExtractionBenchmark: Sendable {
  /// Size of the generated corpus, in MiB of article text.
  public var sizeMiB = 100
  /// Folder for the corpus, kept afterwards; nil for a temporary folder, removed afterwards.
  public var directory: String?
  public var seed: UInt64 = 42
  /// MiB of the corpus the tagger and parser run alone over, on one core (0 skips it).
  public var syntaxMiB = 2

  public init() {}

  /// Runs the benchmark; `onReadError` hears of articles the reader refused.
  public func run(onReadError: (ReadError) -> Void) throws -> ExtractionBenchmarkResult {
    let extractor = try IngestPipeline.extractor()
    let folder = directory ?? NSTemporaryDirectory() + "parley-bench-\(ProcessInfo.processInfo.processIdentifier)"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let path = (folder as NSString).appendingPathComponent("corpus.jsonl")
    var generator = try CorpusGenerator(seed: seed)
    var result = ExtractionBenchmarkResult()
    result.corpusFileBytes = try generator.write(to: path, bytes: sizeMiB << 20)
    result.rssBeforeBytes = ProcessMemory.currentResidentBytes()
    let clock = ContinuousClock()
    let reader = ArticleReader()
    let batcher = ArticleBatcher<(Int, Int)>(
      work: { raw in
        let x = extractor.extract(raw)
        return (x.contractJSON().utf8.count, x.events.count)
      },
      sink: { output in
        result.outputBytes += output.0
        result.events += output.1
        result.articles += 1
      })
    let elapsed = clock.measure {
      reader.read(
        path: path,
        { raw in
          result.textBytes += raw.source.utf8.count
          batcher.add(raw)
        }, onError: onReadError)
      batcher.flush()
    }
    (result.syntaxWords, result.syntaxWordsPerSecond) = syntaxSpeed(path: path, extractor: extractor)
    if directory == nil { try? FileManager.default.removeItem(atPath: folder) }
    result.seconds = elapsed.seconds
    result.mbPerSecond = Double(result.textBytes) / 1_000_000 / result.seconds
    result.peakRssBytes = ProcessMemory.peakResidentBytes()
    result.cores = ProcessInfo.processInfo.activeProcessorCount
    return result
  }

  /// Tag + parse speed on one core over the first `syntaxMiB` of the corpus: the text pipeline
  /// runs untimed, only the syntax analysis is timed.
  func syntaxSpeed(path: String, extractor: Extractor) -> (words: Int, perSecond: Double) {
    guard syntaxMiB > 0, let annotator = extractor.syntax else { return (0, 0) }
    let pipeline = TextPipeline(lexicon: extractor.lexicons.text)
    var words = 0
    var budget = syntaxMiB << 20
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
    let seconds = elapsed.seconds
    return (words, seconds > 0 ? Double(words) / seconds : 0)
  }
}

/// The figures of one extraction benchmark run.
public struct ExtractionBenchmarkResult: Sendable {
  public var articles = 0
  /// Bytes of article text read (the MB of MB/s).
  public var textBytes = 0
  public var corpusFileBytes = 0
  public var seconds = 0.0
  public var mbPerSecond = 0.0
  public var events = 0
  /// Bytes of contract JSON the results serialize to.
  public var outputBytes = 0
  public var rssBeforeBytes = 0
  public var peakRssBytes = 0
  public var cores = 0
  public var syntaxWords = 0
  public var syntaxWordsPerSecond = 0.0
}
