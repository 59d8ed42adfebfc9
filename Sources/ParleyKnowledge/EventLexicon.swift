import ParleyModel
import ParleyText

/// Verb and noun patterns that code events, compiled for lookup by word form.
public struct EventLexicon: Sendable {
  /// A compiled verb pattern.
  public struct VerbPattern: Sendable {
    public var lemma: String
    public var code: CAMEOCode
    /// Alternatives that must follow, each as folded tokens.
    public var then: [[String]]
    public var gap: Int
    public var speech: Bool
    public var negated: CAMEOCode?
    public var needsTarget: Bool
    public var needsWith: Bool
    public var needsPlaceTarget: Bool
    public var needsPersonTarget: Bool
    public var symmetric: Bool
    /// A verb of saying whose bare object is the addressee ("told the president", "warned Washington").
    public var takesAddressee: Bool
    public var needsObjectWord: Set<String>
    public var needsObjectThen: Set<String>
  }
  /// A compiled noun pattern ("meeting", "phone call").
  public struct NounPattern: Sendable {
    public var tokens: [String]
    public var code: CAMEOCode
    /// Force named by a noun ("Israeli air strikes"): its doer is the word before it.
    public var military: Bool
  }

  /// Phrases in reported speech that make it a threat, refusal, demand, offer...: in order of precedence.
  public struct ComplementCue: Sendable {
    public var code: CAMEOCode
    public var phrases: [[String]]
  }

  /// Word form -> patterns whose verb takes that form.
  public var verbs: [String: [VerbPattern]]
  /// Last token of the noun -> patterns.
  public var nouns: [String: [NounPattern]]
  public var rejectionWords: [[String]]
  public var complementCues: [ComplementCue]
  /// Words that make "would" an offer ("would agree ... if") rather than a plan's term.
  public var conditionals: Set<String>
  public var negations: Set<String>
  public var hypothetical: Set<String>
  public var intentModals: Set<String>
  public var locationPrepositions: Set<String>
  public var responseRoots: Set<String>
  /// Objects that make a demand or rejection a stance on a proposal ("rejected the plan").
  public var stanceObjects: Set<String>
  /// Words that mark a list as the terms of a proposal rather than reporting.
  public var termListCues: Set<String>
  public var salience: [String: Int]
  /// Closed-class words the surface patterns read (`function_words`).
  public var words: FunctionWords

  /// Closed-class words by the part they play in the surface patterns: where a clause, an
  /// object or a name ends, what may stand between a subject and its verb.
  public struct FunctionWords: Sendable, Decodable {
    public var prepositions: Set<String>
    public var beAuxiliaries: Set<String>
    /// Words that may stand between a subject and its verb ("reportedly", "has").
    public var adverbs: Set<String>
    public var clauseStops: Set<String>
    public var relatives: Set<String>
    /// Words that qualify a title ("acting prime minister", "former foreign minister").
    public var titleQualifiers: Set<String>
    /// Prepositions after which a name is no object of the verb ("a call before X's visit").
    public var objectStops: Set<String>
    /// Words after which a verb form is a noun ("the meeting", "new sanctions").
    public var determiners: Set<String>
    public var auxiliaries: Set<String>
    public var subjectPronouns: Set<String>
    /// Words that may introduce a participle clause whose subject is the sentence's.
    public var participleIntroducers: Set<String>
    public var subordinators: Set<String>
    /// Prepositions before an event noun that make it a time or setting, not a report.
    public var nounPrepositions: Set<String>

    enum CodingKeys: String, CodingKey {
      case prepositions, beAuxiliaries = "be_auxiliaries", adverbs, clauseStops = "clause_stops", relatives,
        titleQualifiers = "title_qualifiers", objectStops = "object_stops", determiners, auxiliaries,
        subjectPronouns = "subject_pronouns", participleIntroducers = "participle_introducers", subordinators,
        nounPrepositions = "noun_prepositions"
    }
  }

  struct File: Decodable {
    struct Verb: Decodable {
      var verb: String
      var forms: [String]?
      var code: String
      var then: [String]?
      var gap: Int?
      var speech: Bool?
      var negated: String?
      var needs_target: Bool?
      var needs_with: Bool?
      var needs_place_target: Bool?
      var needs_person_target: Bool?
      var symmetric: Bool?
      var addressee: Bool?
      var needs_object_word: [String]?
      var needs_object_then: [String]?
    }
    struct Noun: Decodable {
      var noun: String
      var code: String
      var military: Bool?
    }
    struct Cue: Decodable {
      var code: String
      var cues: [String]
    }
    var complement_cues: [Cue]?
    var conditionals: [String]?
    var verbs: [Verb]
    var nouns: [Noun]
    var rejection_words: [String]
    var negations: [String]
    var hypothetical: [String]
    var intent_modals: [String]
    var location_prepositions: [String]
    var response_roots: [String]
    var term_list_cues: [String]?
    var stance_objects: [String]?
    var salience: [String: Int]
    var function_words: FunctionWords
  }

  init(file: File) throws {
    var verbs: [String: [VerbPattern]] = [:]
    for v in file.verbs {
      guard let code = CAMEOCode(v.code) else {
        throw KnowledgeError(file: "events.json", reason: "verb \"\(v.verb)\": invalid CAMEO code \(v.code)")
      }
      let negated = try v.negated.map { raw -> CAMEOCode in
        guard let c = CAMEOCode(raw) else {
          throw KnowledgeError(file: "events.json", reason: "verb \"\(v.verb)\": invalid CAMEO code \(raw)")
        }
        return c
      }
      let pattern = VerbPattern(
        lemma: v.verb, code: code, then: (v.then ?? []).map { Fold.key($0).split(separator: " ").map(String.init) },
        gap: v.gap ?? 0, speech: v.speech ?? false, negated: negated, needsTarget: v.needs_target ?? false,
        needsWith: v.needs_with ?? false, needsPlaceTarget: v.needs_place_target ?? false,
        needsPersonTarget: v.needs_person_target ?? false, symmetric: v.symmetric ?? false,
        takesAddressee: v.addressee ?? false,
        needsObjectWord: Set(v.needs_object_word ?? []), needsObjectThen: Set(v.needs_object_then ?? []))
      for form in Set(Inflection.forms(of: v.verb) + (v.forms ?? [])) {
        verbs[form, default: []].append(pattern)
      }
    }
    // Longer patterns first: "convey greetings" before "convey".
    self.verbs = verbs.mapValues { $0.sorted { $0.then.isEmpty == false && $1.then.isEmpty } }
    var nouns: [String: [NounPattern]] = [:]
    for n in file.nouns {
      guard let code = CAMEOCode(n.code) else {
        throw KnowledgeError(file: "events.json", reason: "noun \"\(n.noun)\": invalid CAMEO code \(n.code)")
      }
      let tokens = Fold.key(n.noun).split(separator: " ").map(String.init)
      if let last = tokens.last {
        nouns[last, default: []].append(NounPattern(tokens: tokens, code: code, military: n.military ?? false))
      }
    }
    for k in nouns.keys { nouns[k]?.sort { $0.tokens.count > $1.tokens.count } }
    self.nouns = nouns
    rejectionWords = file.rejection_words.map { Fold.key($0).split(separator: " ").map(String.init) }
    complementCues = try (file.complement_cues ?? []).map { cue in
      guard let code = CAMEOCode(cue.code) else {
        throw KnowledgeError(file: "events.json", reason: "complement cue: invalid CAMEO code \(cue.code)")
      }
      return ComplementCue(code: code, phrases: cue.cues.map { Fold.key($0).split(separator: " ").map(String.init) })
    }
    conditionals = Set(file.conditionals ?? [])
    negations = Set(file.negations)
    hypothetical = Set(file.hypothetical)
    intentModals = Set(file.intent_modals)
    locationPrepositions = Set(file.location_prepositions)
    responseRoots = Set(file.response_roots)
    termListCues = Set(file.term_list_cues ?? [])
    stanceObjects = Set(file.stance_objects ?? [])
    salience = file.salience
    words = file.function_words
  }

  public func salience(of code: CAMEOCode) -> Int { salience[code.root] ?? 1 }
}

/// Regular English verb inflection: lemma, third person, past, gerund.
public enum Inflection {
  public static func forms(of lemma: String) -> [String] {
    let l = lemma.lowercased()
    var out = [l]
    let vowels = Set("aeiou")
    let last = l.last ?? " "
    let beforeLast = l.dropLast().last ?? " "
    if l.hasSuffix("e") {
      out += [l + "s", l + "d", String(l.dropLast()) + "ing"]
    } else if last == "y", !vowels.contains(beforeLast) {
      out += [String(l.dropLast()) + "ies", String(l.dropLast()) + "ied", l + "ing"]
    } else if ["s", "x", "z"].contains(last) || l.hasSuffix("sh") || l.hasSuffix("ch") {
      out += [l + "es", l + "ed", l + "ing"]
    } else if l.count <= 4, !vowels.contains(last), vowels.contains(beforeLast), !"wxy".contains(last),
      !vowels.contains(l.dropLast(2).last ?? "a")
    {
      // Short consonant-vowel-consonant verbs double the consonant: stop -> stopped.
      out += [l + "s", l + String(last) + "ed", l + String(last) + "ing"]
    } else {
      out += [l + "s", l + "ed", l + "ing"]
    }
    return out
  }
}
