import ArgumentParser
import Foundation
import ParleyKnowledge
import ParleyModel
import ParleySyntax
import ParleyText

/// `parley parse`: the syntactic analysis Parley reads events from, as CoNLL-U or JSON.
public struct ParseCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "parse",
    abstract: "Tag, lemmatize and parse articles (Universal Dependencies), with offsets into the source.",
    discussion: """
      Reads articles as `extract` does (.txt, .md, .html, .jsonl, folders), splits them into Parley's sentences and words, and prints each word's UPOS and XPOS tag, lemma, head and relation. Use it to see why an event was or was not coded, or as a parser in its own right.

      CoNLL-U output has `# sent_id` (article id and sentence number) and `# text` per sentence, and in MISC the word's offsets into the source as read, in Unicode code points (`Start=..|End=..`), plus `SpaceAfter=No` where no space follows. JSON output prints one object per article per line: {"id", "path", "sentences": [{"text", "start", "end", "words": [{"id", "form", "lemma", "upos", "xpos", "head", "deprel", "start", "end"}]}]}.

      Examples:
        parley parse article.txt
        parley parse --format json Examples/articles > parses.jsonl

      Exit status: 0 every input was read; 1 some input failed (reported on standard error with its file and reason; the rest is still parsed); 3 Parley's data or the syntax model cannot be loaded.
      """)

  /// Output formats.
  public enum Format: String, ExpressibleByArgument, CaseIterable, Sendable {
    case conllu, json
  }

  @OptionGroup public var inputs: ArticleInputs

  @Option(help: "Output: conllu (default) or json (one object per article per line).")
  public var format: Format = .conllu

  @Option(help: ArgumentHelp("A syntax model file to use instead of the bundled one.", valueName: "file"))
  public var model: String?

  public init() {}

  public func run() throws {
    let pipeline: TextPipeline
    let annotator: SyntaxAnnotator
    do {
      // The text lexicon only: the knowledge base and the bundled model are not needed here.
      pipeline = TextPipeline(lexicon: try Lexicons.load(directory: ResourceLocator.directory()).text)
      let syntax = try model.map { try SyntaxModel.load(from: URL(fileURLWithPath: $0)) } ?? SyntaxModel.bundled()
      annotator = SyntaxAnnotator(model: syntax, splits: try WordSplits.bundled())
    } catch {
      StandardStreams.error("parley: error: \(error)")
      throw ExitCode(3)
    }
    let reader = inputs.reader
    let (files, missing) = ArticleReader.expand(inputs.paths)
    var failures = missing.count
    for e in missing { StandardStreams.error("parley: error: \(e)") }
    for file in files {
      reader.read(
        path: file,
        { raw in
          let doc = pipeline.process(raw)
          let sentences = annotator.analyze(doc)
          switch format {
          case .conllu: StandardStreams.write(ParseOutput.conllu(doc, sentences))
          case .json: StandardStreams.write(ParseOutput.json(doc, sentences) + "\n")
          }
        },
        onError: { error in
          failures += 1
          StandardStreams.error("parley: error: \(error)")
        })
    }
    if failures > 0 {
      StandardStreams.error("parley: \(failures) input\(failures == 1 ? "" : "s") failed")
      throw ExitCode(1)
    }
  }
}

/// Renders analysed sentences.
enum ParseOutput {
  static func conllu(_ doc: TextDocument, _ sentences: [SyntaxSentence]) -> String {
    var out = ""
    for (n, s) in sentences.enumerated() {
      let sentence = doc.sentences[s.sentence]
      var block = CoNLLUSentence()
      block.comments = [
        "# sent_id = \(doc.article.id)-\(n + 1)",
        "# text = \(doc.clean.string(sentence.range).replacingOccurrences(of: "\n", with: " "))",
      ]
      for (i, w) in s.words.enumerated() {
        let span = doc.clean.sourceSpan(w.range)
        var misc = "Start=\(span.start)|End=\(span.end)"
        let next = i + 1 < s.words.count ? s.words[i + 1].range.lowerBound : nil
        if let next, next == w.range.upperBound { misc += "|SpaceAfter=No" }
        let a = w.analysis
        block.words.append(
          CoNLLUWord(
            form: w.form, lemma: a.lemma, upos: a.upos, xpos: a.xpos, head: a.head, deprel: a.relation, misc: misc))
      }
      CoNLLU.write(block, into: &out)
    }
    return out
  }

  static func json(_ doc: TextDocument, _ sentences: [SyntaxSentence]) -> String {
    var w = JSONWriter()
    w.beginObject()
    w.field("id", doc.article.id)
    w.field("path", doc.article.path)
    w.key("sentences")
    w.beginArray()
    for s in sentences {
      let span = doc.clean.sourceSpan(doc.sentences[s.sentence].range)
      w.beginObject()
      w.field("text", doc.sourceText(span))
      w.span(span)
      w.key("words")
      w.beginArray()
      for (i, word) in s.words.enumerated() {
        let a = word.analysis
        w.beginObject()
        w.field("id", i + 1)
        w.field("form", word.form)
        w.field("lemma", a.lemma)
        w.field("upos", a.upos)
        w.field("xpos", a.xpos)
        w.field("head", a.head)
        w.field("deprel", a.relation)
        w.span(doc.clean.sourceSpan(word.range))
        w.endObject()
      }
      w.endArray()
      w.endObject()
    }
    w.endArray()
    w.endObject()
    return w.output
  }
}
