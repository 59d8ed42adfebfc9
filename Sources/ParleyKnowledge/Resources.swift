import Foundation

/// Finds the bundled data folder (`kb/`, `lexicon/`) next to the executable or test bundle,
/// or where `PARLEY_RESOURCES` points.
public enum ResourceLocator {
  public static let bundleName = "Parley_ParleyKnowledge.resources"

  public static func directory() throws -> URL {
    var candidates: [URL] = []
    if let env = ProcessInfo.processInfo.environment["PARLEY_RESOURCES"], !env.isEmpty {
      candidates.append(URL(fileURLWithPath: env))
    }
    if let exe = Bundle.main.executableURL?.resolvingSymlinksInPath().deletingLastPathComponent() {
      candidates.append(exe.appendingPathComponent(bundleName))
      candidates.append(exe.deletingLastPathComponent().appendingPathComponent(bundleName))
    }
    candidates.append(Bundle.main.bundleURL.appendingPathComponent(bundleName))
    for c in candidates where FileManager.default.fileExists(atPath: c.appendingPathComponent("lexicon").path) {
      return c
    }
    throw KnowledgeError(
      file: bundleName,
      reason:
        "bundled data not found next to the executable; set PARLEY_RESOURCES to the folder holding kb/ and lexicon/")
  }
}

/// A data file that could not be loaded, with the file and the reason.
public struct KnowledgeError: Error, CustomStringConvertible, Sendable {
  public var file: String
  public var reason: String
  public init(file: String, reason: String) {
    self.file = file
    self.reason = reason
  }
  public var description: String { "\(file): \(reason)" }
}

/// Decodes one JSON data file, naming the file and the JSON path in errors.
func decodeFile<T: Decodable>(_ type: T.Type, at url: URL) throws -> T {
  let data: Data
  do {
    data = try Data(contentsOf: url)
  } catch {
    throw KnowledgeError(file: url.path, reason: "cannot be read")
  }
  do {
    return try JSONDecoder().decode(T.self, from: data)
  } catch let DecodingError.dataCorrupted(ctx) {
    if ctx.codingPath.isEmpty {
      throw KnowledgeError(file: url.path, reason: "malformed JSON: \(ctx.debugDescription)")
    }
    throw KnowledgeError(file: url.path, reason: "invalid value at \(path(ctx.codingPath)): \(ctx.debugDescription)")
  } catch let DecodingError.keyNotFound(key, ctx) {
    throw KnowledgeError(file: url.path, reason: "missing \"\(key.stringValue)\" at \(path(ctx.codingPath))")
  } catch let DecodingError.typeMismatch(_, ctx) {
    throw KnowledgeError(file: url.path, reason: "wrong type at \(path(ctx.codingPath)): \(ctx.debugDescription)")
  } catch let DecodingError.valueNotFound(_, ctx) {
    throw KnowledgeError(file: url.path, reason: "missing value at \(path(ctx.codingPath))")
  } catch {
    throw KnowledgeError(file: url.path, reason: "\(error)")
  }
}

private func path(_ keys: [CodingKey]) -> String {
  keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
}
