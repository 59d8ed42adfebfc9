import Foundation

/// Settings of a training run. The same settings and treebank give the same model, byte for byte.
public struct SyntaxTrainingOptions: Sendable {
  public var seed: UInt64 = 1
  public var taggerEpochs = 10
  public var parserEpochs = 15
  public var labelerEpochs = 10
  /// The parser and labeler learn from tags predicted by taggers trained on the other folds
  /// (jackknifing), so they see tagging errors like those they will meet.
  public var folds = 4
  public var foldEpochs = 6
  /// Weights below this fraction of a model's largest are dropped from the written model.
  public var prune: Float = 0.01
  /// The parser's own `prune`, when it should differ from the other components'.
  public var parserPrune: Float?
  /// Parser feature templates (numbered 1...66) to train without, for a smaller, faster model.
  public var parserDropped: [Int] = []
  /// Whether the tagger reads the tag classes of the next words (`Tagger.lookahead`, model
  /// format 5). Off by default: the shipped model was trained without it (see the README).
  public var taggerLookahead = false
  public init() {}

  /// Epochs run in all, for progress display.
  public var totalEpochs: Int { folds * foldEpochs + taggerEpochs + parserEpochs + labelerEpochs }
}

/// What training reports as it goes.
public enum SyntaxTrainingEvent: Sendable {
  /// One epoch of one component is done; `score` is its dev accuracy when it has one.
  case epoch(component: String, epoch: Int, of: Int, metric: String, score: Double?, best: Bool)
  case note(String)
}

/// Trains the tagger, parser, labeler and lemmatizer from CoNLL-U sentences.
public enum SyntaxTrainer {
  public static func train(
    train: [CoNLLUSentence], dev: [CoNLLUSentence], options: SyntaxTrainingOptions = SyntaxTrainingOptions(),
    progress: (SyntaxTrainingEvent) -> Void = { _ in }
  ) -> SyntaxModel {
    // Tag and label sets in order of first appearance, so they depend only on the treebank.
    var tags: [String] = []
    var tagIndex: [String: Int] = [:]
    var labels: [String] = []
    var labelIndex: [String: Int] = [:]
    func tagOf(_ w: CoNLLUWord) -> Int {
      let key = w.upos + "\t" + w.xpos
      if let i = tagIndex[key] { return i }
      tags.append(key)
      tagIndex[key] = tags.count - 1
      return tags.count - 1
    }
    func labelOf(_ w: CoNLLUWord) -> Int {
      if let i = labelIndex[w.deprel] { return i }
      labels.append(w.deprel)
      labelIndex[w.deprel] = labels.count - 1
      return labels.count - 1
    }
    let usable = train.filter { s in s.words.allSatisfy { $0.head >= 0 } }
    let tagged = usable.map { s in
      TaggedSentence(words: s.words.map { WordCode.make($0.form) }, tags: s.words.map(tagOf))
    }
    let goldLabels = usable.map { s in s.words.map(labelOf) }
    if labelIndex["root"] == nil { labels.append("root") }
    let rootLabel = labels.firstIndex(of: "root") ?? 0
    let devForms = dev.map { $0.words.map { WordCode.make($0.form) } }
    let devTags = dev.map { $0.words.map { tagIndex[$0.upos + "\t" + $0.xpos] ?? -1 } }

    func tagAccuracy(_ t: Tagger) -> Double {
      var right = 0
      var all = 0
      for (words, gold) in zip(devForms, devTags) {
        for (p, g) in zip(t.tag(words), gold) {
          all += 1
          if Int(p) == g { right += 1 }
        }
      }
      return all == 0 ? 0 : Double(right) / Double(all)
    }

    // 1. Jackknifed tags for the training sentences.
    var predictedTags = [[UInt16]](repeating: [], count: tagged.count)
    let folds = max(2, options.folds)
    for fold in 0..<folds {
      let trainPart = tagged.indices.filter { $0 % folds != fold }.map { tagged[$0] }
      let t = TaggerTrainer.train(
        trainPart, tags: tags, epochs: options.foldEpochs, seed: options.seed &+ UInt64(fold), prune: 0,
        lookahead: options.taggerLookahead
      ) {
        epoch, _ in
        progress(
          .epoch(
            component: "tagger fold \(fold + 1)/\(folds)", epoch: epoch, of: options.foldEpochs, metric: "", score: nil,
            best: false))
        return true
      }
      for i in tagged.indices where i % folds == fold { predictedTags[i] = t.tag(tagged[i].words) }
    }

    // 2. The tagger, on all of train; the best epoch on dev.
    var bestTag = -1.0
    let tagger = TaggerTrainer.train(
      tagged, tags: tags, epochs: options.taggerEpochs, seed: options.seed, prune: options.prune,
      lookahead: options.taggerLookahead
    ) { epoch, t in
      let acc = tagAccuracy(t)
      let better = acc > bestTag
      if better { bestTag = acc }
      progress(
        .epoch(
          component: "tagger", epoch: epoch, of: options.taggerEpochs, metric: "UPOS+XPOS", score: acc, best: better))
      return better
    }
    let rootTag = UInt16(tags.count)
    let devPredictedTags = devForms.map { [rootTag] + tagger.tag($0) }
    let devWords = devForms.map { [WordCode.root] + $0 }

    // 3. The parser, on jackknifed tags.
    let parserSentences = tagged.indices.map { i in
      ParserSentence(
        words: [WordCode.root] + tagged[i].words, tags: [rootTag] + predictedTags[i],
        gold: [-1] + usable[i].words.map { Int32($0.head) })
    }
    var bestUAS = -1.0
    var devHeads: [[Int32]] = []
    let parser = ParserTrainer.train(
      parserSentences, epochs: options.parserEpochs, seed: options.seed &+ 101,
      prune: options.parserPrune ?? options.prune, dropped: options.parserDropped
    ) {
      epoch, p in
      var right = 0
      var all = 0
      var heads: [[Int32]] = []
      for (k, s) in dev.enumerated() {
        let h = p.parse(words: devWords[k], tags: devPredictedTags[k])
        heads.append(h)
        for (i, w) in s.words.enumerated() {
          all += 1
          if Int(h[i + 1]) == w.head { right += 1 }
        }
      }
      let uas = all == 0 ? 0 : Double(right) / Double(all)
      let better = uas > bestUAS
      if better {
        bestUAS = uas
        devHeads = heads
      }
      progress(
        .epoch(component: "parser", epoch: epoch, of: options.parserEpochs, metric: "UAS", score: uas, best: better))
      return better
    }

    // 4. The labeler, on gold trees with jackknifed tags; scored on the parser's dev trees.
    let labelerSentences = tagged.indices.map { i in
      LabelerSentence(
        words: parserSentences[i].words, tags: parserSentences[i].tags,
        heads: parserSentences[i].gold.map { max(0, $0) },
        labels: [Int32(rootLabel)] + goldLabels[i].map { Int32($0) })
    }
    var bestLAS = -1.0
    let labeler = LabelerTrainer.train(
      labelerSentences, labels: labels, rootLabel: rootLabel, epochs: options.labelerEpochs, seed: options.seed &+ 202,
      prune: options.prune
    ) { epoch, l in
      var right = 0
      var all = 0
      for (k, s) in dev.enumerated() where k < devHeads.count {
        let heads = devHeads[k]
        let ls = l.label(FeatureContext(words: devWords[k], tags: devPredictedTags[k]), heads: heads)
        for (i, w) in s.words.enumerated() {
          all += 1
          if Int(heads[i + 1]) == w.head && labels[Int(ls[i + 1])] == w.deprel { right += 1 }
        }
      }
      let las = all == 0 ? 0 : Double(right) / Double(all)
      let better = las > bestLAS
      if better { bestLAS = las }
      progress(
        .epoch(component: "labeler", epoch: epoch, of: options.labelerEpochs, metric: "LAS", score: las, best: better))
      return better
    }

    // 5. The lemmatizer.
    let lemmatizer = Lemmatizer.train(usable.flatMap { s in s.words.map { ($0.form, $0.upos, $0.lemma) } })

    var info: [String: String] = [
      "treebank": "UD English EWT", "train_sentences": String(usable.count), "seed": String(options.seed),
      "tagger_epochs": String(options.taggerEpochs), "parser_epochs": String(options.parserEpochs),
      "labeler_epochs": String(options.labelerEpochs), "folds": String(folds),
      "fold_epochs": String(options.foldEpochs), "prune": String(options.prune),
      "parser_prune": String(options.parserPrune ?? options.prune),
      "parser_dropped": options.parserDropped.sorted().map(String.init).joined(separator: ","),
      "dev_tags": String(format: "%.4f", bestTag), "dev_uas": String(format: "%.4f", bestUAS),
      "dev_las": String(format: "%.4f", bestLAS),
    ]
    // (Only a lookahead model says so: a model without is the one older Parleys trained.)
    if options.taggerLookahead { info["tagger_lookahead"] = "yes" }
    return SyntaxModel(tagger: tagger, parser: parser, labeler: labeler, lemmatizer: lemmatizer, info: info)
  }
}
