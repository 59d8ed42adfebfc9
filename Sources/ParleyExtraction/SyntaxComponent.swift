import ParleySyntax

/// Adds the tagger's and parser's analyses of every sentence to the document.
struct SyntaxComponent: ExtractionComponent {
  let annotator: SyntaxAnnotator

  func process(_ doc: inout AnnotatedDocument) {
    doc.syntax = annotator.analyze(doc.text)
  }
}
