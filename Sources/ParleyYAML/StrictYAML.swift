import Foundation
import Yams

/// What is wrong with a YAML document's shape, and where: the 1-based line when the node has one.
public struct YAMLShapeError: Error, Sendable, Equatable {
  public var line: Int?
  public var reason: String
  public init(line: Int?, reason: String) {
    self.line = line
    self.reason = reason
  }
}

/// Strict reading of a YAML node tree for hand-written files (the analyst's negotiation file, a
/// conflict model): unknown or repeated keys, a list where a value belongs and the like are errors
/// that name the line, never silently dropped. Each format wraps `YAMLShapeError` in its own error.
public enum StrictYAML {
  /// The document's root node, nil for an empty document; syntax errors carry their line.
  public static func compose(_ text: String) throws(YAMLShapeError) -> Node? {
    do {
      return try Yams.compose(yaml: text)
    } catch let error as YamlError {
      switch error {
      case let .scanner(_, problem, mark, _), let .parser(_, problem, mark, _), let .composer(_, problem, mark, _):
        throw YAMLShapeError(line: mark.line, reason: "not valid YAML: \(problem)")
      case let .reader(problem, _, _, _):
        throw YAMLShapeError(line: nil, reason: "not valid YAML: \(problem)")
      default:
        throw YAMLShapeError(line: nil, reason: "not valid YAML: \(error)")
      }
    } catch {
      throw YAMLShapeError(line: nil, reason: "not valid YAML: \(error)")
    }
  }

  /// An error at `node`'s line.
  public static func fail(_ node: Node?, _ reason: String) -> YAMLShapeError {
    YAMLShapeError(line: node?.mark?.line, reason: reason)
  }

  /// `~`, `null` or nothing at all.
  public static func isNull(_ node: Node) -> Bool {
    guard case let .scalar(s) = node else { return false }
    return s.style == .plain && ["", "~", "null", "Null", "NULL"].contains(s.string)
  }

  /// A mapping's entries by key, refusing keys outside `allowed` (a misspelt key would otherwise be lost).
  public static func mapping(_ node: Node, _ what: String, allowed: [String]) throws(YAMLShapeError) -> [String: Node] {
    guard case let .mapping(m) = node else { throw fail(node, "\(what) must be a mapping (key: value lines)") }
    var out: [String: Node] = [:]
    for (key, value) in m {
      guard case let .scalar(k) = key else { throw fail(key, "\(what) has a key that is not a plain word") }
      guard allowed.contains(k.string) else {
        throw fail(key, "unknown key '\(k.string)' in \(what) (expected \(allowed.joined(separator: ", ")))")
      }
      guard out[k.string] == nil else { throw fail(key, "key '\(k.string)' appears twice in \(what)") }
      out[k.string] = value
    }
    return out
  }

  /// A list; empty when absent or null.
  public static func sequence(_ node: Node?, _ what: String) throws(YAMLShapeError) -> [Node] {
    guard let node, !isNull(node) else { return [] }
    guard case let .sequence(s) = node else { throw fail(node, "\(what) must be a list") }
    return Array(s)
  }

  /// A text value, trimmed; nil when absent, null or blank.
  public static func string(_ node: Node?, _ what: String) throws(YAMLShapeError) -> String? {
    guard let node, !isNull(node) else { return nil }
    guard case let .scalar(s) = node else { throw fail(node, "\(what) must be a single value, not a list or mapping") }
    let text = s.string.trimmingCharacters(in: .whitespacesAndNewlines)
    return text.isEmpty ? nil : text
  }
}
