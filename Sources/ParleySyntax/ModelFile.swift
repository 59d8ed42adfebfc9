import Foundation

/// A syntax model file that cannot be read, with the file and the reason.
public struct SyntaxModelError: Error, CustomStringConvertible, Sendable {
  public var file: String
  public var reason: String
  public init(file: String, reason: String) {
    self.file = file
    self.reason = reason
  }
  public var description: String { "\(file): \(reason)" }
}

/// Little-endian binary output for model files.
struct ByteWriter {
  var bytes: [UInt8] = []

  mutating func u8(_ v: UInt8) { bytes.append(v) }
  mutating func u16(_ v: UInt16) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
  mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
  mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
  mutating func f32(_ v: Float) { u32(v.bitPattern) }
  mutating func string(_ s: String) {
    let utf8 = Array(s.utf8)
    u32(UInt32(utf8.count))
    bytes.append(contentsOf: utf8)
  }
  mutating func strings(_ list: [String]) {
    u32(UInt32(list.count))
    for s in list { string(s) }
  }
  mutating func section(_ tag: String) { string(tag) }
}

/// Little-endian binary input with bounds checks: a truncated or corrupt file is an error
/// naming the file and the offset, never a crash.
struct ByteReader {
  let bytes: [UInt8]
  var offset = 0
  let file: String

  init(_ bytes: [UInt8], file: String) {
    self.bytes = bytes
    self.file = file
  }

  func fail(_ reason: String) -> SyntaxModelError {
    SyntaxModelError(file: file, reason: "\(reason) at byte \(offset)")
  }

  mutating func take(_ n: Int) throws -> ArraySlice<UInt8> {
    guard n >= 0, offset + n <= bytes.count else { throw fail("truncated model file") }
    defer { offset += n }
    return bytes[offset..<(offset + n)]
  }

  mutating func u8() throws -> UInt8 { try take(1).first ?? 0 }
  mutating func u16() throws -> UInt16 {
    let s = try take(2)
    return UInt16(s[s.startIndex]) | UInt16(s[s.startIndex + 1]) << 8
  }
  mutating func u32() throws -> UInt32 {
    let s = try take(4)
    var v: UInt32 = 0
    for (k, b) in s.enumerated() { v |= UInt32(b) << (8 * UInt32(k)) }
    return v
  }
  mutating func u64() throws -> UInt64 {
    let s = try take(8)
    var v: UInt64 = 0
    for (k, b) in s.enumerated() { v |= UInt64(b) << (8 * UInt64(k)) }
    return v
  }
  mutating func f32() throws -> Float { Float(bitPattern: try u32()) }
  mutating func count(limit: Int = 1 << 28) throws -> Int {
    let n = Int(try u32())
    guard n <= limit else { throw fail("implausible count \(n)") }
    return n
  }
  mutating func string() throws -> String {
    let n = try count(limit: 1 << 24)
    guard let s = String(validating: try take(n), as: UTF8.self) else { throw fail("invalid UTF-8 in a string") }
    return s
  }
  mutating func strings() throws -> [String] {
    let n = try count(limit: 1 << 22)
    var out: [String] = []
    out.reserveCapacity(n)
    for _ in 0..<n { out.append(try string()) }
    return out
  }
  mutating func expect(section tag: String) throws {
    let found = try string()
    guard found == tag else { throw fail("expected section \"\(tag)\", found \"\(found)\"") }
  }
}

extension LinearModel {
  /// Writes the model: keys, row lengths, classes and 16-bit weights with their scale.
  func write(to w: inout ByteWriter) {
    let r = rows()
    w.u32(UInt32(classCount))
    w.u32(UInt32(r.keys.count))
    w.u32(UInt32(r.weights.count))
    w.f32(scale)
    w.bytes.reserveCapacity(w.bytes.count + r.keys.count * 9 + r.weights.count * 3)
    for k in r.keys { w.u64(k) }
    w.bytes.append(contentsOf: r.lengths)
    w.bytes.append(contentsOf: r.classes)
    for x in r.weights { w.u16(UInt16(bitPattern: x)) }
  }

  static func read(from r: inout ByteReader) throws -> LinearModel {
    let classCount = try r.count(limit: 255)
    let rows = try r.count()
    let entries = try r.count()
    let scale = try r.f32()
    guard scale.isFinite, scale > 0 else { throw r.fail("invalid weight scale") }
    let keyBytes = try r.take(rows * 8)
    var keys = [UInt64](repeating: 0, count: rows)
    keys.withUnsafeMutableBytes { dst in
      keyBytes.withUnsafeBytes { src in dst.copyMemory(from: src) }
    }
    for i in keys.indices { keys[i] = UInt64(littleEndian: keys[i]) }
    let lengths = Array(try r.take(rows))
    guard lengths.reduce(0, { $0 + Int($1) }) == entries else {
      throw r.fail("row lengths do not add up to the entry count")
    }
    let classes = Array(try r.take(entries))
    if let bad = classes.first(where: { Int($0) >= classCount }) { throw r.fail("class \(bad) out of range") }
    let weightBytes = try r.take(entries * 2)
    var weights = [Int16](repeating: 0, count: entries)
    weights.withUnsafeMutableBytes { dst in
      weightBytes.withUnsafeBytes { src in dst.copyMemory(from: src) }
    }
    for i in weights.indices { weights[i] = Int16(littleEndian: weights[i]) }
    return LinearModel(
      classCount: classCount, scale: scale, rowKeys: keys, rowLength: lengths, entryClass: classes,
      entryWeight: weights)
  }
}
