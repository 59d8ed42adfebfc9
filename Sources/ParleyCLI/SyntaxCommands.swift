import ArgumentParser
import Foundation
import ParleySyntax

/// `parley train-syntax`: trains the tagger, lemmatizer and parser on a CoNLL-U treebank.
public struct TrainSyntaxCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "train-syntax",
    abstract: "Train the tagger, lemmatizer and dependency parser on a Universal Dependencies treebank.",
    discussion: """
      Reads CoNLL-U training and development files (such as UD English EWT), trains an averaged-perceptron tagger (UPOS and XPOS jointly), a lemmatizer of learned edits, an arc-eager dependency parser with a dynamic oracle and an arc labeler, and writes the model to DIR/en-ewt.parley-syntax. Training is deterministic: the same files, seed and epochs give the same model, byte for byte. After each epoch it reports the development accuracy; each component keeps its best epoch on the development file.

      To retrain the model Parley ships (about 5 minutes on one core):
        parley train-syntax --train ../shared/ud-english-ewt/en_ewt-ud-train.conllu \\
          --dev ../shared/ud-english-ewt/en_ewt-ud-dev.conllu --out Sources/ParleySyntax/Resources/model

      Exit status: 0 trained and written; 1 a treebank file cannot be read or is malformed (the error names the file and line); 4 the model cannot be written.
      """)

  @Option(help: ArgumentHelp("CoNLL-U training file.", valueName: "file"))
  public var train: String

  @Option(
    help: ArgumentHelp("CoNLL-U development file, for per-epoch accuracy and model selection.", valueName: "file"))
  public var dev: String

  @Option(help: ArgumentHelp("Folder to write the model into (created if missing).", valueName: "dir"))
  public var out: String

  @Option(help: "Random seed for the order of training sentences and exploration.")
  public var seed: UInt64 = 1

  @Option(help: "Tagger epochs.")
  public var taggerEpochs = 10

  @Option(help: "Parser epochs.")
  public var parserEpochs = 15

  @Option(help: "Labeler epochs.")
  public var labelerEpochs = 10

  @Option(help: "Folds for jackknifed training tags (the parser learns from predicted, not gold, tags).")
  public var folds = 4

  @Option(help: "Tagger epochs per jackknife fold.")
  public var foldEpochs = 6

  @Option(help: "Drop weights below this fraction of each model's largest weight from the written model.")
  public var prune: Float = 0.01

  @Option(help: "The parser's own --prune (default: --prune).")
  public var parserPrune: Float?

  @Option(
    help: ArgumentHelp(
      "Parser feature templates to train without, by number (1-66, as Parser.swift numbers them), comma-separated (all are used by default).",
      valueName: "list"))
  public var parserDrop = ""

  @Flag(
    help:
      "Let the tagger read the tag classes of the next three words (model format 5): better on news syntax such as 'after X fired', not yet shipped (see the README)."
  )
  public var taggerLookahead = false

  @Flag(help: "Print the summary as JSON.")
  public var json = false

  public init() {}

  public func validate() throws {
    for (name, v) in [
      ("--tagger-epochs", taggerEpochs), ("--parser-epochs", parserEpochs), ("--labeler-epochs", labelerEpochs),
      ("--fold-epochs", foldEpochs),
    ] where v < 1 {
      throw ValidationError("\(name) must be at least 1.")
    }
    guard folds >= 2 else { throw ValidationError("--folds must be at least 2.") }
    guard (0..<1).contains(prune) else { throw ValidationError("--prune must be at least 0 and below 1.") }
    if let parserPrune, !(0..<1).contains(parserPrune) {
      throw ValidationError("--parser-prune must be at least 0 and below 1.")
    }
    _ = try droppedTemplates()
  }

  /// `--parser-drop` as template numbers.
  func droppedTemplates() throws -> [Int] {
    guard !parserDrop.isEmpty else { return [] }
    return try parserDrop.split(separator: ",").map { part in
      guard let t = Int(part.trimmingCharacters(in: .whitespaces)), (1...66).contains(t) else {
        throw ValidationError("--parser-drop takes template numbers from 1 to 66, comma-separated; found \"\(part)\".")
      }
      return t
    }
  }

  public func run() throws {
    let trainSentences: [CoNLLUSentence]
    let devSentences: [CoNLLUSentence]
    do {
      trainSentences = try CoNLLU.read(path: train)
      devSentences = try CoNLLU.read(path: dev)
    } catch {
      StandardStreams.error("parley: error: \(error)")
      throw ExitCode(1)
    }
    var options = SyntaxTrainingOptions()
    options.seed = seed
    options.taggerEpochs = taggerEpochs
    options.parserEpochs = parserEpochs
    options.labelerEpochs = labelerEpochs
    options.folds = folds
    options.foldEpochs = foldEpochs
    options.prune = prune
    options.parserPrune = parserPrune
    options.parserDropped = try droppedTemplates()
    options.taggerLookahead = taggerLookahead
    let progress = Progress(total: options.totalEpochs, label: "epochs")
    let clock = ContinuousClock()
    let started = clock.now
    let model = SyntaxTrainer.train(train: trainSentences, dev: devSentences, options: options) { event in
      switch event {
      case .epoch(let component, let epoch, let total, let metric, let score, let best):
        if let score {
          let line =
            "\(component) epoch \(epoch)/\(total): dev \(metric) \(String(format: "%.4f", score))\(best ? " *" : "")"
          if progress.enabled { progress.advance(line) }
          StandardStreams.error((progress.enabled ? "\r" : "") + line)
        } else {
          progress.advance("\(component) epoch \(epoch)/\(total)")
        }
      case .note(let text):
        StandardStreams.error(text)
      }
    }
    let folder = URL(fileURLWithPath: out)
    let file = folder.appendingPathComponent(SyntaxModel.bundledFileName)
    do {
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      try model.write(to: file)
    } catch {
      StandardStreams.error("parley: error: \(error)")
      throw ExitCode(4)
    }
    let seconds = (clock.now - started).components.seconds
    let size = (try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int) ?? 0
    if json {
      var summary: [String: String] = model.info
      summary["file"] = file.path
      summary["bytes"] = String(size)
      summary["seconds"] = String(seconds)
      let data = try JSONSerialization.data(withJSONObject: summary, options: [.sortedKeys])
      StandardStreams.write(String(decoding: data, as: UTF8.self) + "\n")
    } else {
      var table = TextTable(["", ""])
      for key in model.info.keys.sorted() { table.add([key, model.info[key] ?? ""]) }
      for (key, value) in model.sizes.sorted(by: { $0.key < $1.key }) { table.add([key, String(value)]) }
      table.add(["file", file.path])
      table.add(["size", ByteCountFormatter.string(fromByteCount: Int64(size), countStyle: .file)])
      table.add(["time", "\(seconds) s"])
      StandardStreams.write(table.render())
    }
  }
}

/// `parley evaluate-syntax`: accuracy and speed of the syntax model on a gold CoNLL-U file.
public struct EvaluateSyntaxCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "evaluate-syntax",
    abstract: "Score the tagger, lemmatizer and parser against a gold CoNLL-U file.",
    discussion: """
      Analyses the gold file's own words (gold tokenization and sentences) and prints UPOS, lemma, UAS and LAS accuracy by the CoNLL 2018 shared task's definitions (every word counts, punctuation included; relations compared whole, subtypes included) and the analysis speed in tokens per second on one thread.

      Examples:
        parley evaluate-syntax ../shared/ud-english-ewt/en_ewt-ud-test.conllu
        parley evaluate-syntax --json --model /tmp/m/en-ewt.parley-syntax gold.conllu

      Exit status: 0 scored; 1 the gold file cannot be read or is malformed; 3 the model cannot be loaded.
      """)

  @Argument(help: ArgumentHelp("Gold CoNLL-U file.", valueName: "gold.conllu"))
  public var gold: String

  @Option(help: ArgumentHelp("A model file to use instead of the bundled one.", valueName: "file"))
  public var model: String?

  @Flag(help: "Print {\"upos\", \"lemma\", \"uas\", \"las\", \"tokens\", \"tokens_per_second\"} as JSON.")
  public var json = false

  public init() {}

  public func run() throws {
    let clock = ContinuousClock()
    let loadStart = clock.now
    let syntax = try SyntaxCommandSupport.loadModel(model)
    let loadTime = clock.now - loadStart
    let sentences: [CoNLLUSentence]
    do {
      sentences = try CoNLLU.read(path: gold)
    } catch {
      StandardStreams.error("parley: error: \(error)")
      throw ExitCode(1)
    }
    let scores = syntax.evaluate(sentences)
    if json {
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.sortedKeys]
      StandardStreams.write(String(decoding: try encoder.encode(scores), as: UTF8.self) + "\n")
    } else {
      var table = TextTable(["metric", "value"])
      table.add(["UPOS", String(format: "%.2f%%", scores.upos * 100)])
      table.add(["lemma", String(format: "%.2f%%", scores.lemma * 100)])
      table.add(["UAS", String(format: "%.2f%%", scores.uas * 100)])
      table.add(["LAS", String(format: "%.2f%%", scores.las * 100)])
      table.add(["words", String(scores.tokens)])
      table.add(["words/s", String(format: "%.0f", scores.tokensPerSecond)])
      table.add([
        "model load",
        "\(loadTime.components.attoseconds / 1_000_000_000_000_000 + loadTime.components.seconds * 1000) ms",
      ])
      for (key, value) in syntax.sizes.sorted(by: { $0.key < $1.key }) { table.add([key, String(value)]) }
      StandardStreams.write(table.render())
    }
  }
}

/// Shared by the syntax commands.
enum SyntaxCommandSupport {
  /// The bundled model, or the file given; exit status 3 when it cannot be loaded.
  static func loadModel(_ path: String?) throws -> SyntaxModel {
    do {
      if let path { return try SyntaxModel.load(from: URL(fileURLWithPath: path)) }
      return try SyntaxModel.bundled()
    } catch {
      StandardStreams.error("parley: error: \(error)")
      throw ExitCode(3)
    }
  }
}
