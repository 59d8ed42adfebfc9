import Foundation
import ParleyExtraction
import ParleyKnowledge
import ParleyModel
import ParleyText
import Testing

/// The bundled knowledge base, the gazetteer, user knowledge files and the lexicon files.
@Suite struct KnowledgeTests {
  static let lexiconFiles = [
    "cameo.json", "citations.json", "events.json", "given-names.json", "names.json", "plans.json", "provisions.json",
    "text.json",
  ]

  /// Parses one bundled data file with Foundation's JSON parser.
  func json(_ relativePath: String) throws -> [String: Any] {
    let url = try Support.resources().appendingPathComponent(relativePath)
    let data = try Data(contentsOf: url)
    return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any], "\(relativePath)")
  }

  /// Entity indices of the knowledge-base names found anywhere in `text`.
  func linked(_ text: String, kb: KnowledgeBase) -> [String] {
    let scalars = Array(text.unicodeScalars.map(Scalars.normalized))
    var tokens: [Token] = []
    Tokenizer.tokenize(scalars, in: 0..<scalars.count, into: &tokens)
    var ids: [String] = []
    for i in tokens.indices {
      for m in kb.gazetteer.matches(tokens, at: i, end: tokens.count) {
        ids += m.entries.filter { $0.form != .surname }.map { kb.entity(at: $0.entity).id }
      }
    }
    return ids
  }

  // MARK: Bundled knowledge base

  @Test func bundledKnowledgeBaseLoads() throws {
    let kb = try KnowledgeBase.load(directory: Support.resources())
    #expect(kb.count > 1000)
    #expect(kb.entity(id: "vladimir-putin")?.affiliation == "RUS")
    #expect(kb.entity(forAffiliation: "UKR")?.name == "Ukraine")
    #expect(kb.entity(forAffiliation: "NATO")?.kind == .organization)
  }

  @Test func atLeast193CountriesWithAlpha3Codes() throws {
    let kb = try Support.knowledgeBase()
    let countries = kb.entities.filter { $0.kind == .country }
    #expect(countries.count >= 193)
    let codes = countries.compactMap(\.affiliation)
    #expect(codes.count == countries.count)
    #expect(Set(codes).count == codes.count, "alpha-3 codes are unique")
    for c in countries {
      let code = c.affiliation ?? ""
      #expect(code.utf8.count == 3 && code.utf8.allSatisfy { $0 >= 65 && $0 <= 90 }, "\(c.name): \(code)")
      #expect(kb.countryByCode[code].map { kb.entities[$0].id } == c.id)
    }
    for code in ["USA", "RUS", "UKR", "CHN", "FRA", "GBR", "DEU", "ISR", "PSE", "IRN", "TUR", "QAT"] {
      #expect(kb.countryByCode[code] != nil, "\(code)")
    }
  }

  @Test func capitalsArePlacesWithTheirCountrysCode() throws {
    let kb = try Support.knowledgeBase()
    let records = try #require(try json("kb/countries.json")["countries"] as? [[String: Any]])
    // Brussels is deliberately re-affiliated to the EU in places.json (the seat of the EU institutions).
    let reassigned: [String: String] = ["brussels": "EU"]
    var checked = 0
    for r in records {
      guard let capital = r["capital"] as? String, !capital.isEmpty, let code = r["code"] as? String,
        let name = r["name"] as? String
      else { continue }
      let id = Slug.make(capital)
      if id == Slug.make(name) { continue }  // city-states: the capital is the country
      let entity = try #require(kb.entity(id: id), "capital \(capital) of \(name)")
      #expect(entity.kind == .place, "\(capital)")
      #expect(entity.affiliation == (reassigned[id] ?? code), "\(capital) of \(name)")
      checked += 1
    }
    #expect(checked >= 180)
    for e in kb.entities where e.role == "capital" {
      #expect(e.kind == .place, "\(e.id)")
      #expect(e.affiliation.flatMap { kb.countryByCode[$0] } != nil, "\(e.id): \(e.affiliation ?? "nil")")
    }
  }

  @Test func entityIDsAreUniqueAcrossFiles() throws {
    var seen: [String: String] = [:]
    var duplicates: [String] = []
    for file in KnowledgeBase.bundledFiles where file != "countries.json" {
      let entities = try #require(try json("kb/\(file)")["entities"] as? [[String: Any]], "\(file)")
      for e in entities {
        let name = e["name"] as? String ?? ""
        let id = e["id"] as? String ?? Slug.make(name)
        #expect(id == Slug.make(id), "\(file): id \(id) is not a slug")
        if let other = seen[id] { duplicates.append("\(id) in \(other) and \(file)") }
        seen[id] = file
      }
    }
    #expect(duplicates == [])
    // Country ids never collide with other entities.
    let kb = try Support.knowledgeBase()
    for c in kb.entities where c.kind == .country {
      #expect(seen[c.id] == nil, "country id \(c.id) is also used in \(seen[c.id] ?? "")")
    }
  }

  @Test func everyPersonHasAnAffiliation() throws {
    let kb = try Support.knowledgeBase()
    let people = kb.entities.filter { $0.kind == .person }
    #expect(people.count > 100)
    let missing = people.filter { ($0.affiliation ?? "").isEmpty }.map(\.id)
    #expect(missing == [])
  }

  @Test func affiliationsAreCountryOrOrganizationCodes() throws {
    let kb = try Support.knowledgeBase()
    // An organization's own code is its affiliation ("NATO", "EU", "AU", "LAS").
    let organizationCodes = Set(kb.entities.filter { $0.kind == .organization }.compactMap(\.affiliation))
    var unknown: Set<String> = []
    for e in kb.entities {
      guard let a = e.affiliation else { continue }
      let known = kb.countryByCode[a] != nil || organizationCodes.contains(a) || a == "EUR"
      if !known { unknown.insert("\(e.id): \(a)") }
    }
    #expect(unknown.isEmpty, "\(unknown.sorted().prefix(20))")
  }

  // MARK: Gazetteer

  @Test func gazetteerFindsNamesSpellingsAndShortForms() throws {
    let kb = try Support.knowledgeBase()
    #expect(linked("Volodymyr Zelenskyy", kb: kb).contains("volodymyr-zelenskyy"))
    #expect(linked("Zelensky", kb: kb).contains("volodymyr-zelenskyy"))
    #expect(linked("Volodymyr Zelensky", kb: kb).contains("volodymyr-zelenskyy"))
    #expect(linked("the Kremlin", kb: kb).contains("kremlin"))
    #expect(linked("US", kb: kb).contains("united-states"))
    #expect(linked("U.S.", kb: kb).contains("united-states"))
    #expect(linked("Kiev", kb: kb).contains("kyiv"))
  }

  @Test func gazetteerRespectsCase() throws {
    let kb = try Support.knowledgeBase()
    #expect(!linked("let us go", kb: kb).contains("united-states"))
    #expect(!linked("us", kb: kb).contains("united-states"))
  }

  @Test func surnamesAloneNeedAFullMentionFirst() throws {
    let x = try Support.extract("Umerov said the talks were hard.")
    #expect(x.actor(named: "rustem-umerov") != nil, "Umerov is a listed short form")
    let y = try Support.extract("Rama said the talks were hard.")
    #expect(y.actor(named: "edi-rama") == nil, "a bare surname that is no short form is nobody in particular")
    let z = try Support.extract("Edi Rama arrived. Rama said the talks were hard.")
    #expect(z.actor(named: "edi-rama")?.mentions.map(\.text) == ["Edi Rama", "Rama"])
  }

  // MARK: User knowledge files

  @Test func userKnowledgeFileAddsAnActor() throws {
    let sentence = "Xandor Quillfeather said the ceasefire would hold."
    let before = try Support.extract(sentence)
    #expect(before.actor(named: "xandor-quillfeather") == nil)

    let file = try Support.writeTemporary(
      "my-negotiators.json",
      text: """
        {"entities": [
          {"id": "xandor-quillfeather", "name": "Xandor Quillfeather", "kind": "person", "affiliation": "MDA",
           "role": "negotiator", "short": ["Quillfeather"]}
        ]}
        """)
    let dir = try ResourceLocator.directory()
    let kb = try KnowledgeBase.load(directory: dir, extra: [file])
    let extractor = Extractor(kb: kb, lexicons: try Lexicons.load(directory: dir))
    let x = extractor.extract(Support.article(sentence))
    let actor = try #require(x.actor(named: "xandor-quillfeather"))
    #expect(actor.kind == .person)
    #expect(actor.affiliation == "MDA")
    #expect(actor.role == "negotiator")
    #expect(actor.mentions.map(\.text) == ["Xandor Quillfeather"])
    let short = extractor.extract(Support.article("Quillfeather met Putin."))
    #expect(short.actor(named: "xandor-quillfeather") != nil)
  }

  @Test func userKnowledgeFileReplacesABundledEntity() throws {
    let file = try Support.writeTemporary(
      "override.json",
      text: #"{"entities": [{"id": "kremlin", "name": "Kremlin", "kind": "organization", "affiliation": "XYZ"}]}"#)
    let kb = try KnowledgeBase.load(directory: try ResourceLocator.directory(), extra: [file])
    #expect(kb.entity(id: "kremlin")?.affiliation == "XYZ")
    #expect(kb.entities.filter { $0.id == "kremlin" }.count == 1)
  }

  @Test(arguments: [
    ("{not json", "malformed JSON"),
    (#"{"people": []}"#, "expected an object"),
    (#"{"entities": [{"kind": "person"}]}"#, "missing \"name\""),
    (#"{"entities": [{"name": "X", "kind": "wizard"}]}"#, ""),
    (#"{"entities": {"name": "X"}}"#, "wrong type"),
  ])
  func malformedKnowledgeFileNamesTheFile(content: String, reasonContains: String) throws {
    let file = try Support.writeTemporary("broken-kb.json", text: content)
    let error = try #require(throws: KnowledgeError.self) {
      try KnowledgeBase.load(directory: try ResourceLocator.directory(), extra: [file])
    }
    #expect(error.file == file.path)
    #expect(error.description.hasPrefix(file.path))
    #expect(!error.reason.isEmpty)
    if !reasonContains.isEmpty { #expect(error.reason.contains(reasonContains), "\(error.reason)") }
  }

  @Test func missingKnowledgeFileNamesTheFile() throws {
    let missing = try Support.temporaryDirectory().appendingPathComponent("nope.json")
    let error = try #require(throws: KnowledgeError.self) {
      try KnowledgeBase.load(directory: try ResourceLocator.directory(), extra: [missing])
    }
    #expect(error.file == missing.path)
  }

  // MARK: Lexicons

  @Test(arguments: lexiconFiles)
  func lexiconFileIsAJSONObject(file: String) throws {
    let object = try json("lexicon/\(file)")
    #expect(!object.isEmpty)
  }

  @Test func lexiconsLoad() throws {
    let lex = try Lexicons.load(directory: Support.resources())
    #expect(!lex.text.abbreviations.isEmpty)
    #expect(!lex.text.sentenceStarters.isEmpty)
    #expect(!lex.text.boilerplate.isEmpty)
    #expect(!lex.names.titles.isEmpty)
    #expect(lex.names.givenNames.count > 100)
    #expect(!lex.citations.beforeOutlet.isEmpty && !lex.citations.afterOutlet.isEmpty)
    #expect(!lex.events.verbs.isEmpty && !lex.events.nouns.isEmpty)
    #expect(Set(lex.provisions.categories.map(\.category)) == Set(ProvisionCategory.allCases))
    #expect(lex.plans.planNouns.contains("plan"))
    #expect(lex.cameo.roots.count == 20)
  }

  @Test func cameoTableIsConsistent() throws {
    let table = try Support.lexicons().cameo
    #expect(table.roots.map(\.code) == (1...20).map { $0 < 10 ? "0\($0)" : "\($0)" })
    for e in table.roots + table.codes {
      let code = try #require(CAMEOCode(e.code), "\(e.code)")
      #expect(!e.label.isEmpty)
      #expect((-10...10).contains(e.goldstein), "\(e.code)")
      #expect(table.roots.contains { $0.code == code.root })
    }
  }

  @Test func everyEventCodeIsValidAndInTheCAMEOTable() throws {
    let table = try Support.lexicons().cameo
    let events = try json("lexicon/events.json")
    var codes: [(String, String)] = []
    for v in events["verbs"] as? [[String: Any]] ?? [] {
      let verb = v["verb"] as? String ?? "?"
      if let c = v["code"] as? String { codes.append((verb, c)) }
      if let c = v["negated"] as? String { codes.append((verb + " (negated)", c)) }
    }
    for n in events["nouns"] as? [[String: Any]] ?? [] {
      if let c = n["code"] as? String { codes.append((n["noun"] as? String ?? "?", c)) }
    }
    #expect(codes.count > 50)
    for (pattern, raw) in codes {
      let code = try #require(CAMEOCode(raw), "\(pattern): \(raw) is no CAMEO code")
      let known = table.codes.contains { $0.code == raw } || table.roots.contains { $0.code == code.root }
      #expect(known, "\(pattern): \(raw) is not in cameo.json")
      #expect(table.entry(for: code) != nil)
    }
  }

  @Test func cameoCodeParsing() {
    #expect(CAMEOCode("04")?.root == "04")
    #expect(CAMEOCode("043")?.root == "04")
    #expect(CAMEOCode("0871")?.rootNumber == 8)
    #expect(CAMEOCode("190")?.quadClass == 4)
    #expect(CAMEOCode("036")?.quadClass == 1)
    for bad in ["", "4", "00", "21", "12345", "a1", "０４"] {
      #expect(CAMEOCode(bad) == nil, "\(bad)")
    }
  }
}
