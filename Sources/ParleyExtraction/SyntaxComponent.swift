import ParleySyntax

/// Adds the tagger's and parser's analyses of every sentence to the document; runs after the
/// actor recognizer, whose names guide the tagger.
struct SyntaxComponent: ExtractionComponent {
  let annotator: SyntaxAnnotator

  func process(_ doc: inout AnnotatedDocument) {
    // A known name opening a sentence is a proper noun: with no capital to tell it from any
    // other first word, the tagger takes a country for an interjection or an adverb, and the
    // parse goes wrong from there. (Forcing every name measured worse.) Any other capitalized
    // name is at least no verb: an unknown "-ing" word is otherwise a gerund ("Beijing").
    var names: [Int: NameHint] = [:]
    for m in doc.mentions {
      for t in m.tokens where doc.text.tokens[t].isCapitalized { names[t] = .nominal }
    }
    for sentence in doc.text.sentences where !sentence.tokens.isEmpty {
      let first = sentence.tokens.lowerBound
      if let m = doc.mention(atToken: first), !m.isModifierDemonym, doc.actors[m.actor].kind != .media,
        doc.text.tokens[first].isCapitalized
      {
        for t in m.tokens where doc.text.tokens[t].isCapitalized { names[t] = .properNoun }
      }
    }
    doc.syntax = annotator.analyze(doc.text, names: names)
  }
}
