import Foundation

/// One part of a `multipart/form-data` body.
struct MultipartPart: Sendable, Equatable {
  /// Header fields with lowercased names.
  var headers: [String: String]
  /// The form field's name and the uploaded file's name, from `Content-Disposition`.
  var name: String?
  var filename: String?
  var body: [UInt8]
}

/// Why a multipart body could not be read; the message is meant for the uploader.
struct MultipartError: Error, Equatable, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}

/// A strict reader of RFC 7578 `multipart/form-data`, for uploads of one article: the whole body
/// is in memory (the server caps its size), so it is parsed in one pass over the bytes.
enum Multipart {
  /// Header block of one part, bounded so a part cannot make us scan megabytes for its headers.
  static let maxHeaderBytes = 16 << 10

  /// The boundary of a `multipart/form-data` content type, quoted or not.
  static func boundary(contentType: String) throws(MultipartError) -> String {
    let params = parameters(contentType)
    guard params.type == "multipart/form-data" else {
      throw MultipartError("content type is \(params.type), not multipart/form-data")
    }
    guard let boundary = params.values["boundary"], !boundary.isEmpty else {
      throw MultipartError("multipart/form-data content type has no boundary parameter")
    }
    // RFC 2046: at most 70 characters, none of which may end in a space.
    guard boundary.utf8.count <= 70, !boundary.hasSuffix(" "), boundary.unicodeScalars.allSatisfy({ $0.isASCII }) else {
      throw MultipartError("multipart boundary must be 1 to 70 ASCII characters")
    }
    return boundary
  }

  /// The parts of `body`, which must close with `--boundary--`.
  static func parse(_ body: [UInt8], boundary: String) throws(MultipartError) -> [MultipartPart] {
    let dash = Array("--\(boundary)".utf8)
    // The first delimiter opens the body or follows a preamble line.
    var at = 0
    if !starts(body, with: dash, at: 0) {
      guard let found = find(Array("\n".utf8) + dash, in: body, from: 0) else {
        throw MultipartError("body does not contain the boundary given in the content type")
      }
      at = found + 1
    }
    at += dash.count
    // Lines end in CRLF as the RFC says; a bare LF (from hand-made bodies) is accepted if the first line uses it.
    var newline: [UInt8] = Array("\r\n".utf8)
    var parts: [MultipartPart] = []
    var first = true
    while true {
      if starts(body, with: Array("--".utf8), at: at) {
        guard !parts.isEmpty else { throw MultipartError("multipart body has no parts") }
        return parts
      }
      // Transport padding: whitespace may follow a delimiter.
      while at < body.count, body[at] == UInt8(ascii: " ") || body[at] == UInt8(ascii: "\t") { at += 1 }
      if at >= body.count { throw MultipartError("multipart body ends without the final boundary --\(boundary)--") }
      if first, body[at] == UInt8(ascii: "\n") { newline = [UInt8(ascii: "\n")] }
      first = false
      guard starts(body, with: newline, at: at) else {
        throw MultipartError("malformed multipart delimiter line (expected a line break after the boundary)")
      }
      at += newline.count
      if at >= body.count { throw MultipartError("multipart body ends without the final boundary --\(boundary)--") }
      // Headers end at the first empty line; a part may have none.
      var headers: [String: String] = [:]
      if starts(body, with: newline, at: at) {
        at += newline.count
      } else {
        let limit = min(body.count, at + maxHeaderBytes)
        guard let end = find(newline + newline, in: body, from: at, to: limit) else {
          throw MultipartError(
            limit < body.count
              ? "multipart part headers are larger than \(maxHeaderBytes) bytes"
              : "multipart body ends inside a part's headers")
        }
        headers = try parseHeaders(Array(body[at..<end]), newline: newline)
        at = end + 2 * newline.count
      }
      guard let end = delimiter(newline + dash, in: body, from: at, newline: newline) else {
        throw MultipartError("multipart body ends without the final boundary --\(boundary)--")
      }
      let disposition = headers["content-disposition"].map(parameters)
      parts.append(
        MultipartPart(
          headers: headers, name: disposition?.values["name"], filename: disposition.flatMap(filename),
          body: Array(body[at..<end])))
      at = end + newline.count + dash.count
    }
  }

  private static func parseHeaders(_ bytes: [UInt8], newline: [UInt8]) throws(MultipartError) -> [String: String] {
    guard let text = String(validating: bytes, as: UTF8.self) else {
      throw MultipartError("multipart part headers are not valid UTF-8")
    }
    var headers: [String: String] = [:]
    let separator = newline.count == 2 ? "\r\n" : "\n"
    for line in text.components(separatedBy: separator) where !line.isEmpty {
      guard let colon = line.firstIndex(of: ":") else {
        throw MultipartError("malformed multipart part header (no colon): '\(QueryParameters.clip(line))'")
      }
      let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
      headers[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
    return headers
  }

  /// `filename*=UTF-8''...` (RFC 5987) wins over `filename`, as browsers send both for non-ASCII names.
  private static func filename(_ disposition: (type: String, values: [String: String])) -> String? {
    if let extended = disposition.values["filename*"] {
      let pieces = extended.components(separatedBy: "'")
      if pieces.count == 3, pieces[0].lowercased() == "utf-8", let decoded = pieces[2].removingPercentEncoding {
        return decoded
      }
    }
    return disposition.values["filename"]
  }

  /// A header value's main token (lowercased) and its `; name=value` parameters (names
  /// lowercased; quoted values unquoted, with backslash escapes).
  static func parameters(_ header: String) -> (type: String, values: [String: String]) {
    var values: [String: String] = [:]
    let scalars = Array(header.unicodeScalars)
    var i = 0
    func skipSpace() { while i < scalars.count, scalars[i] == " " || scalars[i] == "\t" { i += 1 } }
    var type = ""
    while i < scalars.count, scalars[i] != ";" {
      type.unicodeScalars.append(scalars[i])
      i += 1
    }
    while i < scalars.count {
      i += 1  // the ';'
      skipSpace()
      var name = ""
      while i < scalars.count, scalars[i] != "=", scalars[i] != ";" {
        name.unicodeScalars.append(scalars[i])
        i += 1
      }
      var value = ""
      if i < scalars.count, scalars[i] == "=" {
        i += 1
        skipSpace()
        if i < scalars.count, scalars[i] == "\"" {
          i += 1
          while i < scalars.count, scalars[i] != "\"" {
            if scalars[i] == "\\", i + 1 < scalars.count { i += 1 }
            value.unicodeScalars.append(scalars[i])
            i += 1
          }
          // Skip the closing quote and anything up to the next parameter.
          while i < scalars.count, scalars[i] != ";" { i += 1 }
        } else {
          while i < scalars.count, scalars[i] != ";" {
            value.unicodeScalars.append(scalars[i])
            i += 1
          }
          value = value.trimmingCharacters(in: .whitespaces)
        }
      }
      let key = name.trimmingCharacters(in: .whitespaces).lowercased()
      if !key.isEmpty, values[key] == nil { values[key] = value }
    }
    return (type.trimmingCharacters(in: .whitespaces).lowercased(), values)
  }

  /// The next delimiter: `newline--boundary` followed by `--` or by optional whitespace and a
  /// line break. Content may hold the boundary text followed by anything else ("--XyZ-1").
  private static func delimiter(_ needle: [UInt8], in body: [UInt8], from: Int, newline: [UInt8]) -> Int? {
    var at = from
    while let found = find(needle, in: body, from: at) {
      var next = found + needle.count
      if starts(body, with: Array("--".utf8), at: next) { return found }
      while next < body.count, body[next] == UInt8(ascii: " ") || body[next] == UInt8(ascii: "\t") { next += 1 }
      if next == body.count || starts(body, with: newline, at: next) { return found }
      at = found + 1
    }
    return nil
  }

  private static func starts(_ body: [UInt8], with prefix: [UInt8], at index: Int) -> Bool {
    guard index >= 0, index + prefix.count <= body.count else { return false }
    for k in 0..<prefix.count where body[index + k] != prefix[k] { return false }
    return true
  }

  /// First index of `needle` in `body[from..<to]`: a scan for the first byte, then a compare.
  static func find(_ needle: [UInt8], in body: [UInt8], from: Int, to: Int? = nil) -> Int? {
    let end = min(to ?? body.count, body.count)
    guard let head = needle.first, end - from >= needle.count else { return nil }
    var i = from
    while i <= end - needle.count {
      if body[i] == head, starts(body, with: needle, at: i) { return i }
      i += 1
    }
    return nil
  }
}
