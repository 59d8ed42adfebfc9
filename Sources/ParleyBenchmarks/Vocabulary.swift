import Foundation

/// The words the article generator draws from (`Resources/generator/negotiations.json`):
/// outlets, stock phrases and the negotiations it reports on.
public struct GeneratorVocabulary: Sendable, Codable {
  public var outlets: [String]
  /// Outlets as a citation names them ("the Associated Press").
  public var citedOutlets: [String]
  public var datelines: [String]
  /// Headlines of syndicated copies; `{H}` is the original headline.
  public var syndicatedHeadlines: [String]
  public var syndicationIntros: [String]
  public var moods: [String]
  public var dismissals: [String]
  public var quoteOpeners: [String]
  /// Second halves of quotes; `{T}` is a topic of the negotiation.
  public var quoteClosers: [String]
  /// "zero" to "ten", indexed by the number.
  public var numberWords: [String]
  public var negotiations: [Negotiation]

  /// The bundled vocabulary, read and checked once per process.
  public static func bundled() throws -> GeneratorVocabulary { try bundledVocabulary.get() }

  /// Refuses data the generator would trip over (an empty list it picks from, a demand naming a
  /// side that does not exist), naming the negotiation, so a bad edit fails at load, not mid-run.
  func validate() throws {
    let lists: [(String, [String])] = [
      ("outlets", outlets), ("cited_outlets", citedOutlets), ("datelines", datelines),
      ("syndicated_headlines", syndicatedHeadlines), ("syndication_intros", syndicationIntros), ("moods", moods),
      ("dismissals", dismissals), ("quote_openers", quoteOpeners), ("quote_closers", quoteClosers),
    ]
    for (name, list) in lists where list.isEmpty {
      throw BenchmarkError.resource("negotiations.json: \(name) is empty")
    }
    // The generator writes hours (2...7) and counts up to nine in words.
    guard numberWords.count >= 10 else {
      throw BenchmarkError.resource("negotiations.json: number_words must run from zero to at least nine")
    }
    guard !negotiations.isEmpty, negotiations.allSatisfy({ $0.weight > 0 }) else {
      throw BenchmarkError.resource("negotiations.json: negotiations must be listed, each with a positive weight")
    }
    for n in negotiations {
      let what = "negotiations.json: negotiation '\(n.label)'"
      guard n.sides.count >= 2, n.sides.allSatisfy({ !$0.people.isEmpty }) else {
        throw BenchmarkError.resource("\(what) needs two sides or more, each with people")
      }
      guard !n.venues.isEmpty, !n.topics.isEmpty, !n.demands.isEmpty, !n.versions.isEmpty else {
        throw BenchmarkError.resource("\(what) needs venues, topics, demands and plan versions")
      }
      for d in n.demands where !n.sides.indices.contains(d.by) || !n.sides.indices.contains(d.on) {
        throw BenchmarkError.resource("\(what): demand '\(d.verb)' names a side that is not listed")
      }
    }
  }
}

/// A person as reporting names them: a title for the first mention, a surname after.
public struct Person: Sendable, Codable {
  public var title: String
  public var name: String
  public var short: String
}

/// A party or mediator of a negotiation.
public struct Side: Sendable, Codable {
  public var name: String
  public var adjective: String
  public var capital: String
  public var people: [Person]
  var possessive: String { name.hasSuffix("s") ? name + "'" : name + "'s" }
}

/// A term one side wants of another: `subject` + `verb` ("Ukraine" "withdraw its troops from ...").
public struct Demand: Sendable, Codable {
  /// Index of the side that wants it.
  public var by: Int
  /// Index of the side it is asked of.
  public var on: Int
  public var subject: String
  public var verb: String
  func clause(wouldForm: Bool) -> String { wouldForm ? "\(subject) would \(verb)" : "\(subject) \(verb)" }
}

/// One negotiation: its sides (parties first, then mediators), places, plan and terms.
public struct Negotiation: Sendable, Codable {
  /// A point count of the plan and the day (from 2024-12-01) it took effect.
  public struct PlanVersion: Sendable, Codable {
    public var points: Int
    public var day: Int
  }

  public var label: String
  /// Share of the articles about it, relative to the other negotiations' weights.
  public var weight: Int
  public var sides: [Side]
  public var venues: [String]
  /// Where strikes land; empty for negotiations without fighting.
  public var places: [String]
  public var plan: String
  public var versions: [PlanVersion]
  public var demands: [Demand]
  public var topics: [String]

  func version(at day: Int) -> PlanVersion {
    versions.last { $0.day <= day } ?? versions[0]
  }
}

/// The sentence templates and words of `parley bench`'s corpus (`Resources/generator/report-templates.json`).
public struct ReportTemplates: Sendable, Codable {
  /// A person named in a template by title and name.
  public struct Official: Sendable, Codable {
    public var title: String
    public var name: String
  }

  public var templates: [String]
  public var people: [Official]
  public var sides: [String]
  public var capitals: [String]
  public var venues: [String]
  public var outlets: [String]

  /// The bundled templates, read and checked once per process.
  public static func bundled() throws -> ReportTemplates { try bundledTemplates.get() }
}

/// Why a benchmark cannot run: its bundled data or its corpus file.
public enum BenchmarkError: Error, CustomStringConvertible, Sendable {
  /// A bundled resource is missing or malformed.
  case resource(String)
  /// The generated corpus cannot be written.
  case corpus(String)

  public var description: String {
    switch self {
    case .resource(let message): "bundled benchmark data: \(message)"
    case .corpus(let message): message
    }
  }
}

// Global lets are initialized once, thread-safely, on first use: the files are read once per process.
private let bundledVocabulary = Result {
  let words: GeneratorVocabulary = try loadResource("negotiations")
  try words.validate()
  return words
}

private let bundledTemplates = Result {
  let words: ReportTemplates = try loadResource("report-templates")
  let lists = [words.templates, words.sides, words.capitals, words.venues, words.outlets]
  guard lists.allSatisfy({ !$0.isEmpty }), !words.people.isEmpty else {
    throw BenchmarkError.resource("report-templates.json: every list must have entries")
  }
  return words
}

private func loadResource<T: Decodable>(_ name: String) throws -> T {
  guard let url = Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "generator") else {
    throw BenchmarkError.resource("generator/\(name).json is missing")
  }
  let decoder = JSONDecoder()
  decoder.keyDecodingStrategy = .convertFromSnakeCase
  do {
    return try decoder.decode(T.self, from: Data(contentsOf: url))
  } catch {
    throw BenchmarkError.resource("generator/\(name).json: \(error)")
  }
}
