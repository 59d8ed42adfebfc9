import Foundation
import ParleyCLI
import ParleyText
import PropertyBased
import Testing

@testable import ParleySyntax

/// The bundled syntax model and word splits, loaded once for the whole run.
private let sharedAnnotator = Result { try SyntaxAnnotator.bundled() }

extension Support {
  static func annotator() throws -> SyntaxAnnotator { try sharedAnnotator.get() }
  static let treebank = shared.appendingPathComponent("ud-english-ewt")

  /// Whether `analyses` form one tree: heads inside the sentence, one root, no cycle.
  static func isTree(_ analyses: [WordAnalysis]) -> Bool {
    let n = analyses.count
    guard n > 0 else { return true }
    guard analyses.allSatisfy({ (0...n).contains($0.head) }) else { return false }
    guard analyses.filter({ $0.head == 0 }).count == 1 else { return false }
    for start in 1...n {
      var i = start
      var steps = 0
      while i != 0 {
        i = analyses[i - 1].head
        steps += 1
        if steps > n { return false }
      }
    }
    return true
  }
}

/// CoNLL-U reading and writing.
@Suite struct CoNLLUTests {
  static let sample = """
    # sent_id = a-1
    # text = They don't agree.
    1\tThey\tthey\tPRON\tPRP\t_\t4\tnsubj\t_\t_
    2-3\tdon't\t_\t_\t_\t_\t_\t_\t_\t_
    2\tdo\tdo\tAUX\tVBP\t_\t4\taux\t_\tSpaceAfter=No
    3\tn't\tnot\tPART\tRB\t_\t4\tadvmod\t_\t_
    4\tagree\tagree\tVERB\tVB\t_\t0\troot\t_\tSpaceAfter=No
    4.1\tx\t_\t_\t_\t_\t_\t_\t_\t_
    5\t.\t.\tPUNCT\t.\t_\t4\tpunct\t_\t_

    1\tYes\tyes\tINTJ\tUH\t_\t0\troot\t_\t_

    """

  @Test func readsWordsRangesAndComments() throws {
    let sentences = try CoNLLU.parse(Data(Self.sample.utf8), file: "s.conllu")
    #expect(sentences.count == 2)
    let first = sentences[0]
    #expect(first.words.map(\.form) == ["They", "do", "n't", "agree", "."])
    #expect(first.words.map(\.head) == [4, 4, 4, 0, 4])
    #expect(first.ranges == [CoNLLURange(first: 2, last: 3, form: "don't", misc: "_")])
    #expect(first.comment("text") == "They don't agree.")
    #expect(first.comment("sent_id") == "a-1")
    #expect(first.line == 1)
    #expect(sentences[1].line == 11)
  }

  @Test func writingAndReadingAgain() throws {
    let sentences = try CoNLLU.parse(Data(Self.sample.utf8), file: "s.conllu")
    let again = try CoNLLU.parse(Data(CoNLLU.write(sentences).utf8), file: "again.conllu")
    #expect(again.map(\.words) == sentences.map(\.words))
    #expect(again.map(\.ranges) == sentences.map(\.ranges))
    #expect(again.map(\.comments) == sentences.map(\.comments))
  }

  @Test func malformedInputNamesTheLine() {
    let cases: [(String, String)] = [
      ("1\tA\ta\tX\n", "s.conllu:1: expected 10 tab-separated columns, found 4"),
      (
        "1\tA\ta\tX\t_\t_\t0\troot\t_\t_\n3\tB\tb\tX\t_\t_\t1\tdep\t_\t_\n", "s.conllu:2: word ID \"3\" out of sequence"
      ),
      ("1\tA\ta\tX\t_\t_\tzero\troot\t_\t_\n", "s.conllu:1: malformed HEAD"),
      ("1\tA\ta\tX\t_\t_\t7\troot\t_\t_\n", "s.conllu:1: word 1 has head 7 outside its sentence"),
      ("A\u{0}B", "binary content"),
    ]
    for (text, expected) in cases {
      #expect {
        _ = try CoNLLU.parse(Data(text.utf8), file: "s.conllu")
      } throws: { error in
        "\(error)".contains(expected)
      }
    }
    #expect(throws: CoNLLUError.self) { _ = try CoNLLU.parse(Data([0x31, 0x09, 0xFF, 0x0A]), file: "x") }
  }
}

/// How Parley's tokens become the treebank's words.
@Suite struct WordSplitTests {
  @Test func cliticsAndListedWordsAreSplit() throws {
    let splits = try WordSplits.bundled()
    #expect(splits.pieces("don't") == [2, 3])
    #expect(splits.pieces("Can't") == [2, 3])
    #expect(splits.pieces("I'm") == [1, 2])
    #expect(splits.pieces("they've") == [4, 3])
    #expect(splits.pieces("cannot") == [3, 3])
    #expect(splits.pieces("O'Brien") == [7])
    #expect(splits.pieces("n't") == [3])
    #expect(splits.pieces("talks") == [5])
  }

  @Test func listedWordsOfAnyLengthAndCliticsWithoutApostrophes() {
    // (The bundled clitics all have an apostrophe and the listed words are short: a shortcut
    // for that case must not change the answer for other data.)
    let long = String(repeating: "a", count: 70)
    let splits = WordSplits(
      clitics: ["na"], words: ["gonna": ["gon", "na"], long: ["aaa", String(repeating: "a", count: 67)]])
    #expect(splits.pieces("Gonna") == [3, 2])
    #expect(splits.pieces(long.uppercased()) == [3, 67])
    #expect(splits.pieces("wanna") == [3, 2])
    #expect(splits.pieces("talks") == [5])
  }

  @Test func wordsKeepTheirTokenAndCharacters() throws {
    let doc = try Support.textDocument("The envoys don't expect a deal, officials said.")
    let annotator = try Support.annotator()
    let sentence = annotator.analyze(doc, sentence: 0)
    #expect(
      sentence.words.map(\.form) == [
        "The", "envoys", "do", "n't", "expect", "a", "deal", ",", "officials", "said", ".",
      ])
    // "do" and "n't" are two words of one token.
    #expect(sentence.words[2].token == sentence.words[3].token)
    for w in sentence.words {
      let span = doc.clean.sourceSpan(w.range)
      #expect(doc.sourceText(span) == w.form)
    }
    #expect(Support.isTree(sentence.words.map(\.analysis)))
  }
}

/// The trained model: accuracy on the treebank's test file, analyses, files and training.
@Suite struct SyntaxModelTests {
  @Test func meetsTheAccuracyFloorsOnTheTestFile() throws {
    let gold = try CoNLLU.read(path: Support.treebank.appendingPathComponent("en_ewt-ud-test.conllu").path)
    let scores = try Support.annotator().model.evaluate(gold)
    #expect(scores.tokens == 25_094)
    #expect(scores.upos >= 0.935, "UPOS \(scores.upos)")
    #expect(scores.uas >= 0.820, "UAS \(scores.uas)")
    #expect(scores.las >= 0.780, "LAS \(scores.las)")
    #expect(scores.lemma >= 0.95, "lemma \(scores.lemma)")
  }

  @Test func analysesASimpleSentence() throws {
    let model = try Support.annotator().model
    let a = model.analyze(["The", "minister", "visited", "Kyiv", "on", "Monday", "."])
    #expect(a.map(\.upos) == ["DET", "NOUN", "VERB", "PROPN", "ADP", "PROPN", "PUNCT"])
    #expect(a.map(\.head) == [2, 3, 0, 3, 6, 3, 3])
    #expect(a.map(\.relation) == ["det", "nsubj", "root", "obj", "case", "obl", "punct"])
    #expect(a[2].lemma == "visit")
  }

  @Test func passiveAgentIsLabelled() throws {
    let model = try Support.annotator().model
    let a = model.analyze(["The", "plan", "was", "rejected", "by", "the", "government", "."])
    #expect(a[1].relation == "nsubj:pass")
    #expect(a[1].head == 4)
    #expect(a[6].relation == "obl:agent")
    #expect(a[2].relation == "aux:pass")
  }

  @Test func frequentWordsKeepTheirTrainingTags() throws {
    let tagger = try Support.annotator().model.tagger
    #expect(tagger.classes.count > 1000, "frequent words should be bounded by the tags they took in training")
    // A word bounded to its training tags is never given another, whatever the scores say.
    var only = TagSet()
    only.insert(3)
    let scores: [Float] = [9, 8, 7, 1, 5]
    scores.withUnsafeBufferPointer {
      #expect(Tagger.argmax($0, allowed: only) == 3)
      #expect(Tagger.argmax($0, allowed: nil) == 0)
      #expect(Tagger.argmax($0, allowed: TagSet()) == 0)
    }
  }

  @Test func aKnownNameIsNeverTaggedAVerb() throws {
    let model = try Support.annotator().model
    // An unknown capitalized "-ing" word reads like a gerund; the knowledge base's word that it
    // is a name leaves the tagger nouns and adjectives only.
    let forms = ["Delegates", "flew", "to", "Zorbing", "on", "Monday", "."]
    let hinted = model.analyze(sentences: [forms], names: [[.none, .none, .none, .nominal, .none, .none, .none]])[0]
    #expect(["PROPN", "NOUN", "ADJ"].contains(hinted[3].upos))
    let proper = model.analyze(sentences: [forms], names: [[.properNoun, .none, .none, .none, .none, .none, .none]])[0]
    #expect(proper[0].upos == "PROPN")
  }
  @Test func fileRoundTripGivesTheSameAnalyses() throws {
    let model = try Support.annotator().model
    let bytes = model.encoded()
    let again = try SyntaxModel.decode(bytes, file: "copy")
    let forms = ["Negotiators", "met", "in", "Geneva", "but", "did", "n't", "agree", "on", "a", "ceasefire", "."]
    #expect(again.analyze(forms) == model.analyze(forms))
    #expect(again.info == model.info)
    // A model read back writes exactly the bytes it was read from. (The shipped file is format 3,
    // written back as format 4 with the same weights.)
    #expect(again.encoded() == bytes)
  }

  @Test func corruptFilesAreErrorsNotCrashes() throws {
    let bytes = try Support.annotator().model.encoded()
    for cut in [0, 5, 40, bytes.count / 3, bytes.count - 3] {
      #expect(throws: SyntaxModelError.self) { _ = try SyntaxModel.decode(Array(bytes.prefix(cut)), file: "cut") }
    }
    #expect { _ = try SyntaxModel.decode(Array("not a model at all".utf8), file: "junk.bin") } throws: {
      "\($0)" == "junk.bin: not a Parley syntax model"
    }
  }

  @Test func trainingIsDeterministic() throws {
    let train = try CoNLLU.read(path: Support.treebank.appendingPathComponent("en_ewt-ud-dev.conllu").path)
    let part = Array(train.prefix(300))
    let dev = Array(train.suffix(100))
    var options = SyntaxTrainingOptions()
    options.taggerEpochs = 2
    options.parserEpochs = 2
    options.labelerEpochs = 2
    options.folds = 2
    options.foldEpochs = 1
    var epochs = 0
    let a = SyntaxTrainer.train(train: part, dev: dev, options: options) { event in
      if case .epoch = event { epochs += 1 }
    }
    let b = SyntaxTrainer.train(train: part, dev: dev, options: options)
    #expect(a.encoded() == b.encoded())
    #expect(epochs == options.totalEpochs)
    options.seed = 2
    let c = SyntaxTrainer.train(train: part, dev: dev, options: options)
    #expect(c.encoded() != a.encoded())
  }

  @Test func aLookaheadTaggerIsFormatFiveAndReadsBackAsItWasWritten() throws {
    let train = try CoNLLU.read(path: Support.treebank.appendingPathComponent("en_ewt-ud-dev.conllu").path)
    var options = SyntaxTrainingOptions()
    (options.taggerEpochs, options.parserEpochs, options.labelerEpochs) = (2, 1, 1)
    (options.folds, options.foldEpochs) = (2, 1)
    let plain = SyntaxTrainer.train(train: Array(train.prefix(300)), dev: Array(train.suffix(100)), options: options)
    options.taggerLookahead = true
    let model = SyntaxTrainer.train(train: Array(train.prefix(300)), dev: Array(train.suffix(100)), options: options)
    // The version follows the magic string (a length-prefixed string).
    let version = { (bytes: [UInt8]) in
      let at = 4 + SyntaxModel.magic.utf8.count
      return bytes[at..<(at + 4)].enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (8 * UInt32($1.offset)) }
    }
    #expect(version(plain.encoded()) == 4)
    let bytes = model.encoded()
    #expect(version(bytes) == 5)
    let again = try SyntaxModel.decode(bytes, file: "lookahead")
    #expect(again.encoded() == bytes)
    // The templates are read: the two taggers differ, and each tags as it did before writing.
    let forms = ["The", "army", "moved", "after", "rebels", "fired", "rockets", "."]
    #expect(again.analyze(forms).map(\.upos) == model.analyze(forms).map(\.upos))
    #expect(plain.encoded() != bytes)
  }
}

/// Input no treebank has: parsing stays linear, never crashes, and always gives a tree.
@Suite struct SyntaxRobustnessTests {
  @Test func aVeryLongSentenceWithoutPunctuation() throws {
    let model = try Support.annotator().model
    let words = ["talks", "between", "the", "two", "sides", "continued", "and"]
    let forms = (0..<20_000).map { words[$0 % words.count] }
    let a = model.analyze(forms)
    #expect(a.count == 20_000)
    #expect(Support.isTree(a))
  }

  @Test func symbolsOnlyAndOddTokens() throws {
    let model = try Support.annotator().model
    for forms in [
      ["%", "&", "*", "(", ")", "@", "#"], ["\u{1F600}"], ["", "", ""], [String(repeating: "x", count: 10_000)],
      ["\u{301}", "\u{202E}", "\u{FEFF}", "\u{10FFFF}"],
    ] {
      let a = model.analyze(forms)
      #expect(a.count == forms.count)
      #expect(Support.isTree(a))
    }
    #expect(model.analyze([]).isEmpty)
  }

  @Test func randomTextGivesTreesOverItsOwnWords() async throws {
    let annotator = try Support.annotator()
    await propertyCheck(count: 150, input: RandomInput.text) { text in
      let doc = TextPipeline(lexicon: try Support.lexicons().text).process(Support.article(text))
      for s in annotator.analyze(doc) {
        let analyses = s.words.map(\.analysis)
        #expect(Support.isTree(analyses))
        for w in s.words {
          #expect(doc.tokens[w.token].range.contains(w.range.lowerBound))
          #expect(w.range.upperBound <= doc.tokens[w.token].range.upperBound)
        }
      }
    }
  }
}

/// The commands, run as a user runs them.
@Suite struct SyntaxCommandTests {
  @Test func parsePrintsCoNLLUWithSourceOffsets() async throws {
    let text = "Officials said on Monday that the talks wouldn't resume.\n\nThe envoy left."
    let url = try Support.writeTemporary("a.txt", text: text)
    let result = await #expect(processExitsWith: .success, observing: [\.standardOutputContent]) {
      [path = url.path as String] in
      Parley.runSynchronously(["parse", path])
    }
    let out = String(decoding: result?.standardOutputContent ?? [], as: UTF8.self)
    let sentences = try CoNLLU.parse(Data(out.utf8), file: "stdout")
    #expect(sentences.count == 2)
    #expect(sentences[0].comment("sent_id") == "a-1")
    #expect(sentences[0].comment("text") == "Officials said on Monday that the talks wouldn't resume.")
    let source = Array(text.unicodeScalars)
    for s in sentences {
      #expect(s.words.filter { $0.head == 0 }.count == 1)
      for w in s.words {
        let fields = Dictionary(
          uniqueKeysWithValues: w.misc.split(separator: "|").map { kv -> (String, String) in
            let p = kv.split(separator: "=", maxSplits: 1)
            return (String(p[0]), String(p.count > 1 ? p[1] : ""))
          })
        let start = Int(fields["Start"] ?? "") ?? -1
        let end = Int(fields["End"] ?? "") ?? -1
        #expect(start >= 0 && end <= source.count && start < end)
        if start >= 0 && end <= source.count && start < end {
          var quoted = String.UnicodeScalarView()
          quoted.append(contentsOf: source[start..<end])
          #expect(String(quoted) == w.form)
        }
      }
    }
    #expect(sentences[0].words.map(\.form).contains("n't"))
  }

  @Test func parseJSON() async throws {
    let url = try Support.writeTemporary("b.txt", text: "Russia rejected the proposal.")
    let result = await #expect(processExitsWith: .success, observing: [\.standardOutputContent]) {
      [path = url.path as String] in
      Parley.runSynchronously(["parse", "--format", "json", path])
    }
    let out = String(decoding: result?.standardOutputContent ?? [], as: UTF8.self)
    let object = try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any]
    let sentences = object?["sentences"] as? [[String: Any]] ?? []
    let words = sentences.first?["words"] as? [[String: Any]] ?? []
    #expect(words.map { $0["form"] as? String } == ["Russia", "rejected", "the", "proposal", "."])
    #expect(words.map { $0["deprel"] as? String } == ["nsubj", "root", "det", "obj", "punct"])
    #expect(words.first?["start"] as? Int == 0 && words.first?["end"] as? Int == 6)
  }

  @Test func evaluateSyntaxPrintsTheContractJSON() async throws {
    let gold = try Support.writeTemporary("g.conllu", text: CoNLLUTests.sample)
    let result = await #expect(processExitsWith: .success, observing: [\.standardOutputContent]) {
      [path = gold.path as String] in
      Parley.runSynchronously(["evaluate-syntax", "--json", path])
    }
    let out = String(decoding: result?.standardOutputContent ?? [], as: UTF8.self)
    let object = try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any]
    #expect(Set(object?.keys.map { $0 } ?? []) == ["upos", "lemma", "uas", "las", "tokens", "tokens_per_second"])
    #expect(object?["tokens"] as? Int == 6)
  }

  @Test func evaluateSyntaxNamesABrokenGoldFile() async throws {
    let gold = try Support.writeTemporary("bad.conllu", text: "1\tonly\tthree\n")
    let result = await #expect(processExitsWith: .exitCode(1), observing: [\.standardErrorContent]) {
      [path = gold.path as String] in
      Parley.runSynchronously(["evaluate-syntax", path])
    }
    let err = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
    #expect(err.contains("bad.conllu:1: expected 10 tab-separated columns"))
  }
}
