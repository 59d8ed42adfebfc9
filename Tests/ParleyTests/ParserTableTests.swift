import Foundation
import Testing

@testable import ParleySyntax

/// The models' packed weight tables and the parser's dropped templates.
@Suite struct ParserTableTests {
  /// Scores of `keys` under `model`, one feature at a time.
  static func scores(_ model: LinearModel, _ key: UInt64) -> [Float] {
    var s = [Float](repeating: 0, count: model.classCount)
    [key].withUnsafeBufferPointer { f in s.withUnsafeMutableBufferPointer { model.score(f, into: $0) } }
    return s
  }

  @Test func packedCellsKeepSignedTwelveBitWeights() {
    let keys: [UInt64] = [0, 5, 0xFFFF_0000_0000_0005, 0x1234_5678_9ABC_DEF0]
    let model = LinearModel(
      classCount: 4, scale: 1, rowKeys: keys, rowLength: [1, 4, 2, 3],
      entryClass: [3, 0, 1, 2, 3, 0, 2, 1, 2, 3],
      entryWeight: [-2047, 2047, -1, 1, -2048 + 1, 7, -7, 100, -100, 300])
    #expect(Self.scores(model, 0) == [0, 0, 0, -2047])
    #expect(Self.scores(model, 5) == [2047, -1, 1, -2047])
    // Same home slot as key 5, another fingerprint.
    #expect(Self.scores(model, 0xFFFF_0000_0000_0005) == [7, 0, -7, 0])
    #expect(Self.scores(model, 0x1234_5678_9ABC_DEF0) == [0, 100, -100, 300])
    #expect(Self.scores(model, 6) == [0, 0, 0, 0])
    let rows = model.rows()
    #expect(rows.keys == [1, 5, 0x1234_5678_9ABC_DEF0, 0xFFFF_0000_0000_0005])
    #expect(rows.weights == [-2047, 2047, -1, 1, -2047, 100, -100, 300, 7, -7])
  }

  @Test func sparseCellsFindTheirRowsAndWriteThemBack() {
    // All four keys have home cells 3 or 4 of 16; the two 0x..._0003 keys beyond key 3 are told
    // from it by their top 24 bits.
    let keys: [UInt64] = [3, 0x1_0000_0004, 0x0000_0200_0000_0003, 0xFFFF_FF00_0000_0003]
    let model = LinearModel(
      classCount: 10, scale: 1, rowKeys: keys, rowLength: [2, 1, 1, 3], entryClass: [0, 9, 7, 5, 1, 2, 3],
      entryWeight: [32767, -32767, 40, 12, -1, 2, -3])
    #expect(Self.scores(model, 3) == [32767, 0, 0, 0, 0, 0, 0, 0, 0, -32767])
    #expect(Self.scores(model, 0x1_0000_0004) == [0, 0, 0, 0, 0, 0, 0, 40, 0, 0])
    #expect(Self.scores(model, 0x0000_0200_0000_0003) == [0, 0, 0, 0, 0, 12, 0, 0, 0, 0])
    #expect(Self.scores(model, 0xFFFF_FF00_0000_0003) == [0, -1, 2, -3, 0, 0, 0, 0, 0, 0])
    #expect(Self.scores(model, 0x0000_0300_0000_0003) == [Float](repeating: 0, count: 10))
    let rows = model.rows()
    #expect(rows.keys == keys)
    #expect(rows.lengths == [2, 1, 1, 3])
    #expect(rows.classes == [0, 9, 7, 5, 1, 2, 3])
    #expect(rows.weights == [32767, -32767, 40, 12, -1, 2, -3])
  }

  @Test func sixteenBitWeightsOfOlderFilesAreKeptWhole() {
    let model = LinearModel(
      classCount: 4, scale: 0.5, rowKeys: [0, 9, 10], rowLength: [1, 2, 1], entryClass: [2, 0, 3, 1],
      entryWeight: [-5, 32760, -16381, 3])
    #expect(Self.scores(model, 0) == [0, 0, -5, 0])
    #expect(Self.scores(model, 9) == [32760, 0, 0, -16381])
    #expect(Self.scores(model, 10) == [0, 3, 0, 0])
    #expect(Self.scores(model, 11) == [0, 0, 0, 0])
    #expect(model.scale == 0.5)
    let rows = model.rows()
    #expect(rows.keys == [1, 9, 10])
    #expect(rows.weights == [-5, 32760, -16381, 3])
  }

  @Test func droppedTemplatesAreLeftOutOfEveryStep() {
    let parser = ArcEagerParser(model: PerceptronTrainer(classCount: 4).averaged(), dropped: [66, 3, 1, 3, 0, 99])
    #expect(parser.dropped == [1, 3, 66])
    #expect(parser.width == ArcEagerParser.featureCount - 3)
    var f = (1...UInt64(ArcEagerParser.featureCount)).map { $0 }
    f.withUnsafeMutableBufferPointer { parser.select($0) }
    #expect(Array(f.prefix(parser.width)) == [2] + Array(4...65))
  }

  @Test func aParserTrainedWithoutTemplatesRecordsThemInItsFile() throws {
    let treebank = Support.shared.appendingPathComponent("ud-english-ewt")
    let sentences = try CoNLLU.read(path: treebank.appendingPathComponent("en_ewt-ud-dev.conllu").path)
    var options = SyntaxTrainingOptions()
    options.taggerEpochs = 1
    options.parserEpochs = 2
    options.labelerEpochs = 1
    options.folds = 2
    options.foldEpochs = 1
    options.parserDropped = [14, 13, 18]
    let model = SyntaxTrainer.train(
      train: Array(sentences.prefix(200)), dev: Array(sentences.suffix(50)), options: options)
    #expect(model.parser.dropped == [13, 14, 18])
    let again = try SyntaxModel.decode(model.encoded(), file: "copy")
    #expect(again.parser.dropped == [13, 14, 18])
    #expect(again.encoded() == model.encoded())
    let forms = ["The", "talks", "resumed", "in", "Doha", "on", "Monday", "."]
    #expect(again.analyze(forms) == model.analyze(forms))
    #expect(model.info["parser_dropped"] == "13,14,18")
  }

  @Test func aNewerFormatIsAClearError() throws {
    var bytes = try Support.annotator().model.encoded()
    // The version follows the magic string (4-byte length + 13 bytes).
    bytes[17] = 99
    #expect { _ = try SyntaxModel.decode(bytes, file: "future.bin") } throws: {
      "\($0)" == "future.bin: model format version 99, this Parley reads 2 to \(SyntaxModel.version)"
    }
  }
}
