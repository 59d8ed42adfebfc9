/// A JSON value that remembers the line it starts on, so errors about a model file can name it. Objects keep their
/// key order, so files Parley writes read in a stable, familiar order.
public indirect enum JSON: Sendable, Hashable {
  case null
  case bool(Bool)
  case number(Double)
  case string(String)
  case array([JSONNode])
  case object([(key: String, value: JSONNode)])

  public static func == (a: JSON, b: JSON) -> Bool {
    switch (a, b) {
    case (.null, .null): return true
    case let (.bool(x), .bool(y)): return x == y
    case let (.number(x), .number(y)): return x == y
    case let (.string(x), .string(y)): return x == y
    case let (.array(x), .array(y)): return x.map(\.value) == y.map(\.value)
    case let (.object(x), .object(y)):
      return x.count == y.count && zip(x, y).allSatisfy { $0.key == $1.key && $0.value.value == $1.value.value }
    default: return false
    }
  }

  public func hash(into hasher: inout Hasher) {
    switch self {
    case .null: hasher.combine(0)
    case let .bool(b): hasher.combine(b)
    case let .number(n): hasher.combine(n)
    case let .string(s): hasher.combine(s)
    case let .array(a): hasher.combine(a.map(\.value))
    case let .object(o):
      for (k, v) in o {
        hasher.combine(k)
        hasher.combine(v.value)
      }
    }
  }

  /// Shorthand for building documents.
  public static func int(_ n: Int) -> JSON { .number(Double(n)) }
  public static func list(_ items: [JSON]) -> JSON { .array(items.map { JSONNode($0) }) }
  public static func dict(_ pairs: [(String, JSON)]) -> JSON {
    .object(pairs.map { (key: $0.0, value: JSONNode($0.1)) })
  }
}

/// A JSON value and the 1-based line it starts on (0 for values built in code).
public struct JSONNode: Sendable, Hashable {
  public var value: JSON
  public var line: Int

  public init(_ value: JSON, line: Int = 0) {
    self.value = value
    self.line = line
  }

  public subscript(key: String) -> JSONNode? {
    guard case let .object(pairs) = value else { return nil }
    return pairs.first { $0.key == key }?.value
  }

  /// What the value is, for error messages.
  public var kind: String {
    switch value {
    case .null: return "null"
    case .bool: return "a boolean"
    case .number: return "a number"
    case .string: return "a string"
    case .array: return "a list"
    case .object: return "an object"
    }
  }
}

extension JSON {
  /// Parses JSON text (RFC 8259); syntax errors carry the line.
  public static func parse(_ text: String) throws -> JSONNode {
    var p = JSONParser(bytes: Array(text.utf8))
    p.skipSpace()
    let node = try p.value(depth: 0)
    p.skipSpace()
    guard p.at == p.bytes.count else { throw p.fail("unexpected text after the JSON value") }
    return node
  }

  /// The text of the value: indented objects and lists, short lists of plain values on one line.
  public func rendered(indent: String = "") -> String {
    switch self {
    case .null: return "null"
    case let .bool(b): return b ? "true" : "false"
    case let .number(n):
      if n.rounded() == n, abs(n) < 1e15 { return String(Int(n)) }
      return String(n)
    case let .string(s): return Self.quoted(s)
    case let .array(items):
      if items.isEmpty { return "[]" }
      let inline = "[" + items.map { $0.value.rendered(indent: indent) }.joined(separator: ", ") + "]"
      if !inline.contains("\n") && inline.count <= 100 { return inline }
      let inner = indent + "  "
      return "[\n" + items.map { inner + $0.value.rendered(indent: inner) }.joined(separator: ",\n") + "\n\(indent)]"
    case let .object(pairs):
      if pairs.isEmpty { return "{}" }
      if !indent.isEmpty {
        let inline =
          "{"
          + pairs.map { Self.quoted($0.key) + ": " + $0.value.value.rendered(indent: indent) }.joined(separator: ", ")
          + "}"
        if !inline.contains("\n") && inline.count + indent.count <= 110 { return inline }
      }
      let inner = indent + "  "
      return "{\n"
        + pairs.map { inner + Self.quoted($0.key) + ": " + $0.value.value.rendered(indent: inner) }.joined(
          separator: ",\n") + "\n\(indent)}"
    }
  }

  static func quoted(_ s: String) -> String {
    var out = "\""
    for u in s.unicodeScalars {
      switch u {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case _ where u.value < 0x20:
        let hex = String(u.value, radix: 16)
        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      default: out.unicodeScalars.append(u)
      }
    }
    return out + "\""
  }
}

/// A recursive-descent reader over UTF-8 bytes that counts lines.
private struct JSONParser {
  let bytes: [UInt8]
  var at = 0
  var line = 1

  init(bytes: [UInt8]) {
    self.bytes = bytes
    // A byte-order mark is not JSON, but editors write one.
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { at = 3 }
  }

  func fail(_ reason: String) -> StrategyError { StrategyError(line: line, reason: "not valid JSON: \(reason)") }

  mutating func skipSpace() {
    while at < bytes.count {
      switch bytes[at] {
      case 0x0A: line += 1
      case 0x20, 0x09, 0x0D: break
      default: return
      }
      at += 1
    }
  }

  mutating func value(depth: Int) throws -> JSONNode {
    guard depth < 512 else { throw fail("nested too deeply") }
    guard at < bytes.count else { throw fail("the text ends where a value should be") }
    let start = line
    switch bytes[at] {
    case UInt8(ascii: "{"):
      at += 1
      var pairs: [(key: String, value: JSONNode)] = []
      skipSpace()
      if at < bytes.count, bytes[at] == UInt8(ascii: "}") {
        at += 1
        return JSONNode(.object(pairs), line: start)
      }
      while true {
        skipSpace()
        guard at < bytes.count, bytes[at] == UInt8(ascii: "\"") else { throw fail("expected a quoted key") }
        let key = try string()
        skipSpace()
        guard at < bytes.count, bytes[at] == UInt8(ascii: ":") else { throw fail("expected ':' after key \"\(key)\"") }
        at += 1
        skipSpace()
        pairs.append((key, try value(depth: depth + 1)))
        skipSpace()
        guard at < bytes.count else { throw fail("the text ends inside an object") }
        if bytes[at] == UInt8(ascii: ",") {
          at += 1
          continue
        }
        guard bytes[at] == UInt8(ascii: "}") else { throw fail("expected ',' or '}' in an object") }
        at += 1
        return JSONNode(.object(pairs), line: start)
      }
    case UInt8(ascii: "["):
      at += 1
      var items: [JSONNode] = []
      skipSpace()
      if at < bytes.count, bytes[at] == UInt8(ascii: "]") {
        at += 1
        return JSONNode(.array(items), line: start)
      }
      while true {
        skipSpace()
        items.append(try value(depth: depth + 1))
        skipSpace()
        guard at < bytes.count else { throw fail("the text ends inside a list") }
        if bytes[at] == UInt8(ascii: ",") {
          at += 1
          continue
        }
        guard bytes[at] == UInt8(ascii: "]") else { throw fail("expected ',' or ']' in a list") }
        at += 1
        return JSONNode(.array(items), line: start)
      }
    case UInt8(ascii: "\""):
      return JSONNode(.string(try string()), line: start)
    case UInt8(ascii: "t"):
      try literal("true")
      return JSONNode(.bool(true), line: start)
    case UInt8(ascii: "f"):
      try literal("false")
      return JSONNode(.bool(false), line: start)
    case UInt8(ascii: "n"):
      try literal("null")
      return JSONNode(.null, line: start)
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
      return JSONNode(.number(try number()), line: start)
    default:
      throw fail("unexpected character '\(Character(UnicodeScalar(bytes[at])))'")
    }
  }

  mutating func literal(_ word: String) throws {
    let w = Array(word.utf8)
    guard at + w.count <= bytes.count, Array(bytes[at..<at + w.count]) == w else {
      throw fail("unexpected word (expected \(word))")
    }
    at += w.count
  }

  mutating func number() throws -> Double {
    let begin = at
    if bytes[at] == UInt8(ascii: "-") { at += 1 }
    let digits = { (b: UInt8) in b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
    guard at < bytes.count, digits(bytes[at]) else { throw fail("a number needs digits") }
    while at < bytes.count, digits(bytes[at]) { at += 1 }
    if at < bytes.count, bytes[at] == UInt8(ascii: ".") {
      at += 1
      guard at < bytes.count, digits(bytes[at]) else { throw fail("a number needs digits after '.'") }
      while at < bytes.count, digits(bytes[at]) { at += 1 }
    }
    if at < bytes.count, bytes[at] == UInt8(ascii: "e") || bytes[at] == UInt8(ascii: "E") {
      at += 1
      if at < bytes.count, bytes[at] == UInt8(ascii: "+") || bytes[at] == UInt8(ascii: "-") { at += 1 }
      guard at < bytes.count, digits(bytes[at]) else { throw fail("a number needs digits in its exponent") }
      while at < bytes.count, digits(bytes[at]) { at += 1 }
    }
    guard let n = Double(String(decoding: bytes[begin..<at], as: UTF8.self)) else { throw fail("bad number") }
    return n
  }

  mutating func hex4() throws -> UInt32 {
    guard at + 4 <= bytes.count, let v = UInt32(String(decoding: bytes[at..<at + 4], as: UTF8.self), radix: 16)
    else { throw fail("bad \\u escape") }
    at += 4
    return v
  }

  mutating func string() throws -> String {
    at += 1
    var out: [UInt8] = []
    while true {
      guard at < bytes.count else { throw fail("the text ends inside a string") }
      let b = bytes[at]
      at += 1
      switch b {
      case UInt8(ascii: "\""):
        guard let s = String(validating: out, as: UTF8.self) else { throw fail("a string is not valid UTF-8") }
        return s
      case UInt8(ascii: "\\"):
        guard at < bytes.count else { throw fail("the text ends inside a string") }
        let e = bytes[at]
        at += 1
        switch e {
        case UInt8(ascii: "\""): out.append(0x22)
        case UInt8(ascii: "\\"): out.append(0x5C)
        case UInt8(ascii: "/"): out.append(0x2F)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "u"):
          var v = try hex4()
          if (0xD800..<0xDC00).contains(v), at + 6 <= bytes.count, bytes[at] == UInt8(ascii: "\\"),
            bytes[at + 1] == UInt8(ascii: "u")
          {
            at += 2
            let low = try hex4()
            guard (0xDC00..<0xE000).contains(low) else { throw fail("bad surrogate pair") }
            v = 0x10000 + ((v - 0xD800) << 10) + (low - 0xDC00)
          }
          guard let scalar = UnicodeScalar(v) else { throw fail("bad \\u escape") }
          out.append(contentsOf: Array(String(Character(scalar)).utf8))
        default: throw fail("unknown escape '\\\(Character(UnicodeScalar(e)))'")
        }
      case 0x0A: throw fail("a string runs past the end of the line")
      case 0x00..<0x20: throw fail("control character inside a string")
      default: out.append(b)
      }
    }
  }
}
