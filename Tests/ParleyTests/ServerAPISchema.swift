import Foundation

/// A JSON document as the schema checks see it: integers kept apart from other numbers, and
/// booleans never confused with 0 and 1 (as `JSONSerialization`'s NSNumbers can be).
enum JSONValue: Decodable, Equatable, CustomStringConvertible {
  case null
  case bool(Bool)
  case integer(Int64)
  case number(Double)
  case string(String)
  case array([JSONValue])
  case object([String: JSONValue])

  init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    if container.decodeNil() {
      self = .null
    } else if let b = try? container.decode(Bool.self) {
      self = .bool(b)
    } else if let i = try? container.decode(Int64.self) {
      self = .integer(i)
    } else if let d = try? container.decode(Double.self) {
      self = .number(d)
    } else if let s = try? container.decode(String.self) {
      self = .string(s)
    } else if let a = try? container.decode([JSONValue].self) {
      self = .array(a)
    } else {
      self = .object(try container.decode([String: JSONValue].self))
    }
  }

  static func parse(_ data: Data) throws -> JSONValue { try JSONDecoder().decode(JSONValue.self, from: data) }

  subscript(key: String) -> JSONValue? {
    if case .object(let o) = self { return o[key] }
    return nil
  }

  subscript(index: Int) -> JSONValue? {
    if case .array(let a) = self, a.indices.contains(index) { return a[index] }
    return nil
  }

  var string: String? {
    if case .string(let s) = self { return s }
    return nil
  }
  var int: Int64? {
    if case .integer(let i) = self { return i }
    return nil
  }
  /// The array under `key`, or none when it is missing.
  func list(_ key: String) -> [JSONValue] { self[key]?.array ?? [] }

  var array: [JSONValue]? {
    if case .array(let a) = self { return a }
    return nil
  }
  var object: [String: JSONValue]? {
    if case .object(let o) = self { return o }
    return nil
  }

  var description: String {
    switch self {
    case .null: return "null"
    case .bool(let b): return "\(b)"
    case .integer(let i): return "\(i)"
    case .number(let d): return "\(d)"
    case .string(let s): return "\"\(s)\""
    case .array(let a): return "[\(a.count) items]"
    case .object(let o): return "{\(o.keys.sorted().joined(separator: ", "))}"
    }
  }

  /// The JSON Schema type names this value has ("integer" is also a "number").
  var typeNames: Set<String> {
    switch self {
    case .null: return ["null"]
    case .bool: return ["boolean"]
    case .integer: return ["integer", "number"]
    case .number(let d): return d.rounded() == d ? ["integer", "number"] : ["number"]
    case .string: return ["string"]
    case .array: return ["array"]
    case .object: return ["object"]
    }
  }
}

/// Checks JSON against the OpenAPI document's schemas: the subset the document uses (type,
/// including "null" in type arrays; properties; required; items; $ref; enum;
/// additionalProperties; minLength; pattern is not checked).
struct OpenAPIValidator {
  let document: JSONValue

  /// The schema of the JSON answer `status` of `method` on the path template (`/api/v1/events/{id}`).
  func responseSchema(path: String, method: String = "get", status: Int) -> JSONValue? {
    guard let operation = document["paths"]?[path]?[method.lowercased()],
      let response = operation["responses"]?[String(status)].map(resolve)
    else { return nil }
    return response["content"]?["application/json"]?["schema"]
  }

  /// Follows a `$ref` to `#/components/...`; anything else is returned as is.
  func resolve(_ node: JSONValue) -> JSONValue {
    guard let target = node["$ref"]?.string, target.hasPrefix("#/") else { return node }
    var current: JSONValue? = document
    for key in target.dropFirst(2).split(separator: "/") { current = current?[String(key)] }
    return current.map(resolve) ?? .null
  }

  /// Every way `value` breaks `schema`, each with the JSON path where it happens; empty when it fits.
  func validate(_ value: JSONValue, against schema: JSONValue, at path: String = "$") -> [String] {
    if let target = schema["$ref"]?.string {
      let resolved = resolve(schema)
      if resolved == .null { return ["\(path): unresolvable $ref \(target)"] }
      return validate(value, against: resolved, at: path)
    }
    var problems: [String] = []
    if let type = schema["type"] {
      let allowed = Set((type.array ?? [type]).compactMap(\.string))
      if value.typeNames.isDisjoint(with: allowed) {
        return ["\(path): expected \(allowed.sorted().joined(separator: " or ")), found \(value)"]
      }
    }
    if let options = schema["enum"]?.array, !options.contains(value) {
      problems.append("\(path): \(value) is not one of \(options.map(\.description).joined(separator: ", "))")
    }
    if let minLength = schema["minLength"]?.int, let s = value.string, s.count < minLength {
      problems.append("\(path): shorter than \(minLength)")
    }
    if let object = value.object {
      let properties = schema["properties"]?.object ?? [:]
      for name in schema["required"]?.array?.compactMap(\.string) ?? [] where object[name] == nil {
        problems.append("\(path): missing required property '\(name)'")
      }
      for (name, member) in object.sorted(by: { $0.key < $1.key }) {
        if let property = properties[name] {
          problems += validate(member, against: property, at: "\(path).\(name)")
        } else if let additional = schema["additionalProperties"] {
          if additional == .bool(false) {
            problems.append("\(path): unexpected property '\(name)'")
          } else if additional.object != nil {
            problems += validate(member, against: additional, at: "\(path).\(name)")
          }
        }
      }
    }
    if let items = value.array, let itemSchema = schema["items"] {
      for (i, item) in items.enumerated() {
        problems += validate(item, against: itemSchema, at: "\(path)[\(i)]")
      }
    }
    return problems
  }

  /// Every `$ref` in the document points at something (a typo there would make checks vacuous).
  func danglingReferences() -> [String] {
    var out: [String] = []
    func walk(_ node: JSONValue) {
      switch node {
      case .object(let o):
        if let target = o["$ref"]?.string, resolve(node) == .null { out.append(target) }
        o.values.forEach(walk)
      case .array(let a): a.forEach(walk)
      default: break
      }
    }
    walk(document)
    return out
  }
}
