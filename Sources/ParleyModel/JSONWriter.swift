/// A minimal streaming JSON writer: fast, allocation-light and deterministic in key order.
///
/// Foundation's `JSONEncoder` is avoided on the extraction hot path, where output is written
/// for every article of corpora of hundreds of megabytes.
public struct JSONWriter: Sendable {
  /// The JSON written so far.
  public var output: String { String(decoding: bytes, as: UTF8.self) }
  /// UTF-8 bytes: appending a string's bytes to an array is a copy, where appending to a
  /// `String` went through its grapheme-aware append path for every key and value.
  private var bytes: [UInt8] = []
  private var needsComma: [Bool] = [false]

  public init(reservingCapacity n: Int = 1024) { bytes.reserveCapacity(n) }

  public mutating func beginObject() {
    separator()
    bytes.append(UInt8(ascii: "{"))
    needsComma.append(false)
  }
  public mutating func endObject() {
    needsComma.removeLast()
    bytes.append(UInt8(ascii: "}"))
  }
  public mutating func beginArray() {
    separator()
    bytes.append(UInt8(ascii: "["))
    needsComma.append(false)
  }
  public mutating func endArray() {
    needsComma.removeLast()
    bytes.append(UInt8(ascii: "]"))
  }
  public mutating func key(_ k: String) {
    separator()
    JSONWriter.appendQuoted(k, to: &bytes)
    bytes.append(UInt8(ascii: ":"))
    needsComma[needsComma.count - 1] = false
  }
  public mutating func string(_ s: String?) {
    separator()
    if let s { JSONWriter.appendQuoted(s, to: &bytes) } else { raw("null") }
  }
  public mutating func int(_ v: Int?) {
    separator()
    guard let v else { return raw("null") }
    // Digits written in place: `String(v)` allocated a string per offset.
    if v < 0 { bytes.append(UInt8(ascii: "-")) }
    var m = v.magnitude
    let first = bytes.count
    repeat {
      bytes.append(UInt8(ascii: "0") + UInt8(m % 10))
      m /= 10
    } while m > 0
    bytes[first...].reverse()
  }
  public mutating func bool(_ v: Bool) {
    separator()
    raw(v ? "true" : "false")
  }
  public mutating func double(_ v: Double) {
    separator()
    raw(v.isFinite ? String(v) : "null")
  }
  public mutating func null() {
    separator()
    raw("null")
  }

  private mutating func raw(_ s: String) { bytes.append(contentsOf: s.utf8) }

  public mutating func field(_ k: String, _ v: String?) {
    key(k)
    string(v)
  }
  public mutating func field(_ k: String, _ v: Int?) {
    key(k)
    int(v)
  }

  /// The `start` and `end` fields of a source span.
  public mutating func span(_ s: TextSpan) {
    field("start", s.start)
    field("end", s.end)
  }

  private mutating func separator() {
    if needsComma[needsComma.count - 1] { bytes.append(UInt8(ascii: ",")) }
    needsComma[needsComma.count - 1] = true
  }

  /// `appendQuoted` into UTF-8 bytes; the same escapes.
  static func appendQuoted(_ s: String, to out: inout [UInt8]) {
    out.append(UInt8(ascii: "\""))
    // The bytes in place (a native or small string, nearly always): scanned and copied as one
    // buffer, where appending the UTF-8 view went through its generic path.
    let direct: Bool? = s.utf8.withContiguousStorageIfAvailable { buffer in
      for b in buffer where b < 0x20 || b == 0x22 || b == 0x5C { return false }
      out.append(contentsOf: buffer)
      return true
    }
    if direct == true {
      out.append(UInt8(ascii: "\""))
      return
    }
    var clean = direct == nil
    if clean {
      for b in s.utf8 where b < 0x20 || b == 0x22 || b == 0x5C {
        clean = false
        break
      }
    }
    if clean {
      out.append(contentsOf: s.utf8)
    } else {
      var escaped = ""
      appendQuoted(s, to: &escaped)
      out.append(contentsOf: escaped.utf8.dropFirst().dropLast())
    }
    out.append(UInt8(ascii: "\""))
  }

  /// Appends `s` as a JSON string literal, escaping quotes, backslashes and control characters.
  public static func appendQuoted(_ s: String, to out: inout String) {
    out.append("\"")
    var clean = true
    for b in s.utf8 where b < 0x20 || b == 0x22 || b == 0x5C {
      clean = false
      break
    }
    if clean {
      out.append(s)
    } else {
      for scalar in s.unicodeScalars {
        switch scalar {
        case "\"": out.append("\\\"")
        case "\\": out.append("\\\\")
        case "\n": out.append("\\n")
        case "\r": out.append("\\r")
        case "\t": out.append("\\t")
        default:
          if scalar.value < 0x20 {
            let hex = String(scalar.value, radix: 16)
            out.append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
          } else {
            out.unicodeScalars.append(scalar)
          }
        }
      }
    }
    out.append("\"")
  }
}

extension Extraction {
  /// The extraction as one line of JSON in the layout fixed by CONTRACT.md.
  public func contractJSON() -> String {
    var w = JSONWriter(reservingCapacity: 4096)
    w.beginObject()
    w.key("document")
    w.beginObject()
    w.field("id", document.id)
    w.field("path", document.path)
    w.field("title", document.title)
    w.field("published", document.published?.description)
    w.field("outlet", document.outlet)
    w.field("url", document.url)
    w.field("duplicate_paragraphs_removed", document.duplicateParagraphsRemoved)
    w.endObject()

    w.key("actors")
    w.beginArray()
    for a in actors {
      w.beginObject()
      w.field("id", a.id)
      w.field("name", a.name)
      w.field("kind", a.kind.rawValue)
      w.field("affiliation", a.affiliation)
      w.field("role", a.role)
      w.field("sector", a.sector)
      w.key("mentions")
      w.beginArray()
      for m in a.mentions {
        w.beginObject()
        w.field("text", m.text)
        w.field("start", m.span.start)
        w.field("end", m.span.end)
        w.endObject()
      }
      w.endArray()
      w.endObject()
    }
    w.endArray()

    w.key("citations")
    w.beginArray()
    for c in citations {
      w.beginObject()
      w.field("outlet", c.outlet)
      w.field("text", c.text)
      w.span(c.span)
      w.endObject()
    }
    w.endArray()

    w.key("events")
    w.beginArray()
    for e in events {
      w.beginObject()
      w.field("cameo", e.cameo.rawValue)
      w.field("source", e.source)
      w.field("target", e.target)
      w.field("date", e.date?.description)
      w.field("location", e.location)
      w.field("cited", e.cited)
      w.field("trigger", e.trigger)
      w.key("participants")
      w.beginArray()
      for p in e.participants { w.string(p) }
      w.endArray()
      w.field("text", e.text)
      w.span(e.span)
      w.endObject()
    }
    w.endArray()

    w.key("plans")
    w.beginArray()
    for p in plans {
      w.beginObject()
      w.field("name", p.name)
      w.field("points", p.points)
      w.field("text", p.text)
      w.span(p.span)
      w.endObject()
    }
    w.endArray()

    w.key("provisions")
    w.beginArray()
    for p in provisions {
      w.beginObject()
      w.field("category", p.category.rawValue)
      w.field("text", p.text)
      w.field("demanded_by", p.demandedBy)
      w.field("applies_to", p.appliesTo)
      w.field("plan_points", p.planPoints)
      w.span(p.span)
      w.endObject()
    }
    w.endArray()
    w.endObject()
    return w.output
  }
}
