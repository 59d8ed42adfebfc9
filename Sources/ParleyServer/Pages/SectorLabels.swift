import Foundation

/// Short labels of CAMEO sector codes ("REB" -> "rebels"), from the server's
/// `Resources/lexicon/sector-labels.json` (the sectors themselves are ParleyKnowledge's `lexicon/sectors.json`), for the actor page.
enum SectorLabels {
  /// The file's content.
  struct File: Decodable {
    var labels: [String: String]
  }

  /// Code -> label; empty when the file is missing or unreadable, so that codes show alone.
  static let labels: [String: String] = {
    guard let url = Bundle.module.url(forResource: "sector-labels", withExtension: "json", subdirectory: "lexicon"),
      let data = try? Data(contentsOf: url), let file = try? JSONDecoder().decode(File.self, from: data)
    else { return [:] }
    return file.labels
  }()

  /// The sector as shown: "REB (rebels)", the code alone when it has no label, "" for none.
  static func text(_ sector: String?) -> String {
    guard let sector else { return "" }
    guard let label = labels[sector] else { return sector }
    return "\(sector) (\(label))"
  }
}
