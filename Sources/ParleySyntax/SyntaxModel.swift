import Foundation

/// The Universal Dependencies analysis of one word: tags, lemma, head and relation.
public struct WordAnalysis: Sendable, Equatable {
  public var upos: String
  /// Penn Treebank tag, as in the treebank's XPOS column.
  public var xpos: String
  public var lemma: String
  /// 1-based index of the head word in the sentence, 0 for the sentence's root.
  public var head: Int
  /// UD relation with its subtype ("nsubj:pass", "obl:agent", "root").
  public var relation: String

  public init(upos: String, xpos: String, lemma: String, head: Int, relation: String) {
    self.upos = upos
    self.xpos = xpos
    self.lemma = lemma
    self.head = head
    self.relation = relation
  }

  /// A finite verb or modal by its Penn tag (past, present, modal): a clause, not a phrase.
  public var isFinite: Bool { xpos == "VBD" || xpos == "VBZ" || xpos == "VBP" || xpos == "MD" }
}

/// A trained tagger, lemmatizer, parser and labeler, read-only once loaded and safe to share
/// between threads. `bundled()` loads the model shipped with Parley once per process.
public final class SyntaxModel: Sendable {
  let tagger: Tagger
  let parser: ArcEagerParser
  let labeler: ArcLabeler
  let lemmatizer: Lemmatizer
  /// How the model was made: treebank, seed, epochs, dev scores (written by the trainer).
  public let info: [String: String]

  init(tagger: Tagger, parser: ArcEagerParser, labeler: ArcLabeler, lemmatizer: Lemmatizer, info: [String: String]) {
    self.tagger = tagger
    self.parser = parser
    self.labeler = labeler
    self.lemmatizer = lemmatizer
    self.info = info
  }

  /// Sentences longer than this are analysed in consecutive windows of this many words, each
  /// its own tree under the root's first window, so time stays linear and memory bounded.
  public static let maxWindow = 400

  /// Analyses one sentence given as its word forms (already split the way the treebank splits
  /// words: "do" + "n't", "Bush" + "'s"). Always returns one tree: every head is in 0...count.
  public func analyze(_ forms: [String]) -> [WordAnalysis] {
    analyze(sentences: [forms])[0]
  }

  /// Analyses several sentences, each as `analyze(_:)` would: the same result, faster, because
  /// the parser steps through several sentences side by side (see `ArcEagerParser.parse(_:)`).
  /// `names`, when given, marks per sentence the words that are names the knowledge base knows
  /// (see `NameHint`).
  public func analyze(sentences: [[String]], names: [[NameHint]]? = nil) -> [[WordAnalysis]] {
    // Every sentence as windows of at most `maxWindow` words.
    var windows: [ArraySlice<String>] = []
    var windowNames: [ArraySlice<NameHint>?] = []
    for (k, forms) in sentences.enumerated() {
      var start = 0
      while start < forms.count {
        let end = min(forms.count, start + Self.maxWindow)
        windows.append(forms[start..<end])
        windowNames.append(names.flatMap { $0[k].count == forms.count ? $0[k][start..<end] : nil })
        start = end
      }
    }
    let analysed = analyzeWindows(windows, names: windowNames)
    var out: [[WordAnalysis]] = []
    out.reserveCapacity(sentences.count)
    var w = 0
    for forms in sentences {
      guard forms.count > Self.maxWindow else {
        if forms.isEmpty {
          out.append([])
        } else {
          out.append(analysed[w])
          w += 1
        }
        continue
      }
      // Later windows hang their roots under the first window's root.
      var joined: [WordAnalysis] = []
      joined.reserveCapacity(forms.count)
      var firstRoot = 0
      var start = 0
      while start < forms.count {
        var part = analysed[w]
        w += 1
        for i in part.indices {
          if part[i].head == 0 {
            if firstRoot == 0 {
              firstRoot = start + i + 1
            } else {
              part[i].head = firstRoot
              part[i].relation = "parataxis"
              continue
            }
          } else {
            part[i].head += start
          }
        }
        joined.append(contentsOf: part)
        start = min(forms.count, start + Self.maxWindow)
      }
      out.append(joined)
    }
    return out
  }

  private func analyzeWindows(_ windows: [ArraySlice<String>], names: [ArraySlice<NameHint>?]) -> [[WordAnalysis]] {
    let rootTag = UInt16(tagger.tags.count)
    var inputs: [(words: [WordCode], tags: [UInt16])] = []
    inputs.reserveCapacity(windows.count)
    for (k, forms) in windows.enumerated() {
      var words = [WordCode.root]
      words.reserveCapacity(forms.count + 1)
      for f in forms { words.append(WordCode.make(f)) }
      let tags = tagger.tag(Array(words.dropFirst()), names: k < names.count ? names[k] : nil)
      inputs.append((words, [rootTag] + tags))
    }
    let trees = parser.parse(inputs)
    var out: [[WordAnalysis]] = []
    out.reserveCapacity(windows.count)
    for ((forms, input), heads) in zip(zip(windows, inputs), trees) {
      let labels = labeler.label(FeatureContext(words: input.words, tags: input.tags), heads: heads)
      var analyses: [WordAnalysis] = []
      analyses.reserveCapacity(forms.count)
      for (i, form) in forms.enumerated() {
        let t = Int(input.tags[i + 1])
        let upos = tagger.upos[t]
        let l = Int(labels[i + 1])
        analyses.append(
          WordAnalysis(
            upos: upos, xpos: tagger.xpos[t], lemma: lemmatizer.lemma(form, upos: upos),
            head: Int(heads[i + 1]), relation: l >= 0 && l < labeler.labels.count ? labeler.labels[l] : "dep"))
      }
      out.append(analyses)
    }
    return out
  }

  // MARK: Files

  static let magic = "PARLEY-SYNTAX"
  /// 4: the parser section lists the templates the parser was trained without; 5: the tagger
  /// reads the tag classes of the next words (`Tagger.lookahead`).
  static let version: UInt32 = 5

  /// The model as bytes (the format `load` reads).
  public func encoded() -> [UInt8] {
    var w = ByteWriter()
    w.string(Self.magic)
    // A model without the lookahead templates is written as format 4, byte for byte what older
    // Parleys wrote and read.
    w.u32(tagger.lookahead ? Self.version : 4)
    let keys = info.keys.sorted()
    w.strings(keys)
    w.strings(keys.map { info[$0] ?? "" })
    w.section("tagger")
    w.strings(tagger.tags)
    let dict = tagger.dictionary.sorted { $0.key < $1.key }
    w.u32(UInt32(dict.count))
    for (k, v) in dict {
      w.u64(k)
      w.u16(v)
    }
    let classes = tagger.classes.sorted { $0.key < $1.key }
    w.u32(UInt32(classes.count))
    for (k, set) in classes {
      w.u64(k)
      for lane in 0..<4 { w.u64(set.bits[lane]) }
    }
    tagger.model.write(to: &w)
    w.section("parser")
    w.u32(UInt32(parser.dropped.count))
    for t in parser.dropped { w.u16(UInt16(t)) }
    parser.model.write(to: &w)
    w.section("labeler")
    w.strings(labeler.labels)
    w.u32(UInt32(labeler.rootLabel))
    labeler.model.write(to: &w)
    w.section("lemmatizer")
    for table in [lemmatizer.known, lemmatizer.rules] {
      let entries = table.sorted { $0.key < $1.key }
      w.u32(UInt32(entries.count))
      for (k, e) in entries {
        w.u64(k)
        w.u8(e.lowercase ? 1 : 0)
        w.u8(UInt8(min(255, e.strip)))
        w.string(e.append)
      }
    }
    w.section("end")
    return w.bytes
  }

  /// Writes the model file.
  public func write(to url: URL) throws {
    do {
      try Data(encoded()).write(to: url, options: .atomic)
    } catch {
      throw SyntaxModelError(file: url.path, reason: "cannot be written: \(error.localizedDescription)")
    }
  }

  /// Reads a model file written by `write(to:)`.
  public static func load(from url: URL) throws -> SyntaxModel {
    let data: Data
    do {
      data = try Data(contentsOf: url)
    } catch {
      throw SyntaxModelError(file: url.path, reason: "cannot be read")
    }
    return try decode([UInt8](data), file: url.path)
  }

  /// Decodes model bytes; `file` names the source in errors.
  public static func decode(_ bytes: [UInt8], file: String) throws -> SyntaxModel {
    var r = ByteReader(bytes, file: file)
    guard (try? r.string()) == magic else {
      throw SyntaxModelError(file: file, reason: "not a Parley syntax model")
    }
    let version = try r.u32()
    // Older models still load: version 2 (before tag classes) bounds no word's tags, and
    // versions 2 and 3 (before dropped templates) use every parser template, and versions 2 to 4
    // tag without the lookahead templates.
    guard (2...Self.version).contains(version) else {
      throw SyntaxModelError(
        file: file, reason: "model format version \(version), this Parley reads 2 to \(Self.version)")
    }
    let keys = try r.strings()
    let values = try r.strings()
    guard keys.count == values.count else { throw r.fail("metadata keys and values differ in number") }
    let info = Dictionary(zip(keys, values), uniquingKeysWith: { a, _ in a })
    try r.expect(section: "tagger")
    let tags = try r.strings()
    guard !tags.isEmpty, tags.count < 255 else { throw r.fail("invalid tag set") }
    var dictionary: [UInt64: UInt16] = [:]
    for _ in 0..<(try r.count()) {
      let k = try r.u64()
      let v = try r.u16()
      guard Int(v) < tags.count else { throw r.fail("tag dictionary entry out of range") }
      dictionary[k] = v
    }
    var classes: [UInt64: TagSet] = [:]
    for _ in 0..<(version >= 3 ? try r.count() : 0) {
      let k = try r.u64()
      var set = TagSet()
      for lane in 0..<4 { set.bits[lane] = try r.u64() }
      guard !set.isEmpty, (0..<256).allSatisfy({ !set.contains($0) || $0 < tags.count }) else {
        throw r.fail("tag class entry out of range")
      }
      classes[k] = set
    }
    let tagModel = try LinearModel.read(from: &r)
    guard tagModel.classCount == tags.count else { throw r.fail("tagger classes do not match its tags") }
    try r.expect(section: "parser")
    var dropped: [Int] = []
    for _ in 0..<(version >= 4 ? try r.count(limit: ArcEagerParser.featureCount) : 0) {
      let t = Int(try r.u16())
      guard (1...ArcEagerParser.featureCount).contains(t), t > (dropped.last ?? 0) else {
        throw r.fail("invalid dropped parser template \(t)")
      }
      dropped.append(t)
    }
    let parseModel = try LinearModel.read(from: &r)
    guard parseModel.classCount == 4 else { throw r.fail("parser must have 4 transitions") }
    try r.expect(section: "labeler")
    let labels = try r.strings()
    let rootLabel = Int(try r.u32())
    guard !labels.isEmpty, rootLabel < labels.count else { throw r.fail("invalid label set") }
    let labelModel = try LinearModel.read(from: &r)
    guard labelModel.classCount == labels.count else { throw r.fail("labeler classes do not match its labels") }
    try r.expect(section: "lemmatizer")
    var tables: [[UInt64: LemmaEdit]] = []
    for _ in 0..<2 {
      var table: [UInt64: LemmaEdit] = [:]
      for _ in 0..<(try r.count()) {
        let k = try r.u64()
        let lower = try r.u8() == 1
        let strip = Int(try r.u8())
        table[k] = LemmaEdit(lowercase: lower, strip: strip, append: try r.string())
      }
      tables.append(table)
    }
    try r.expect(section: "end")
    return SyntaxModel(
      tagger: Tagger(tags: tags, model: tagModel, dictionary: dictionary, classes: classes, lookahead: version >= 5),
      parser: ArcEagerParser(model: parseModel, dropped: dropped),
      labeler: ArcLabeler(labels: labels, rootLabel: rootLabel, model: labelModel),
      lemmatizer: Lemmatizer(known: tables[0], rules: tables[1]), info: info)
  }

  /// Sizes, for reports: features and weights of each component.
  public var sizes: [String: Int] {
    [
      "tagger_features": tagger.model.featureCount, "tagger_weights": tagger.model.weightCount,
      "parser_features": parser.model.featureCount, "parser_weights": parser.model.weightCount,
      "labeler_features": labeler.model.featureCount, "labeler_weights": labeler.model.weightCount,
      "lemma_forms": lemmatizer.known.count, "lemma_rules": lemmatizer.rules.count,
    ]
  }

  // MARK: The bundled model

  public static let bundledFileName = "en-ewt.parley-syntax"
  public static let bundleName = "Parley_ParleySyntax.resources"

  /// The model shipped with Parley (trained on UD English EWT), loaded once per process.
  /// `PARLEY_SYNTAX_MODEL` names another model file to use instead.
  public static func bundled() throws -> SyntaxModel { try sharedBundled.get() }

  /// Where the bundled model file is: `PARLEY_SYNTAX_MODEL` if set, else in the resource folder.
  public static func bundledURL() throws -> URL {
    if let env = ProcessInfo.processInfo.environment["PARLEY_SYNTAX_MODEL"], !env.isEmpty {
      return URL(fileURLWithPath: env)
    }
    return try resourceDirectory().appendingPathComponent(bundledFileName)
  }

  /// The folder of the syntax resources (model and word splits) next to the executable or
  /// test bundle, or where `PARLEY_SYNTAX_RESOURCES` points.
  public static func resourceDirectory() throws -> URL {
    var candidates: [URL] = []
    if let env = ProcessInfo.processInfo.environment["PARLEY_SYNTAX_RESOURCES"], !env.isEmpty {
      candidates.append(URL(fileURLWithPath: env))
    }
    if let exe = Bundle.main.executableURL?.resolvingSymlinksInPath().deletingLastPathComponent() {
      candidates.append(exe.appendingPathComponent(bundleName).appendingPathComponent("model"))
      candidates.append(
        exe.deletingLastPathComponent().appendingPathComponent(bundleName).appendingPathComponent("model"))
    }
    candidates.append(Bundle.main.bundleURL.appendingPathComponent(bundleName).appendingPathComponent("model"))
    for c in candidates where FileManager.default.fileExists(atPath: c.appendingPathComponent("word-splits.json").path)
    {
      return c
    }
    throw SyntaxModelError(
      file: bundleName,
      reason: "bundled syntax resources not found next to the executable; set PARLEY_SYNTAX_RESOURCES to their folder")
  }
}

/// Loaded lazily and once, thread-safely (a global `let`).
private let sharedBundled = Result { try SyntaxModel.load(from: try SyntaxModel.bundledURL()) }
