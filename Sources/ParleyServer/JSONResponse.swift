import Foundation
import Hummingbird
import NIOCore

/// JSON responses in the API's one style: snake_case keys, sorted, UTF-8.
///
/// Keys are converted after encoding, in one pass over the bytes, rather than by a key strategy:
/// Foundation's `.custom` strategy more than doubles the encoding time (it keeps the coding path
/// for every value), and JSON encoding is the largest cost of a timeline request.
enum JSONResponse {
  static func make<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) -> Response {
    let bytes: [UInt8]
    do {
      bytes = try encode(value)
    } catch {
      // Our row types always encode; reaching this is a programming error, reported without details.
      return Response(
        status: .internalServerError, headers: [.contentType: "application/json; charset=utf-8"],
        body: .init(byteBuffer: ByteBuffer(string: #"{"error":{"message":"internal error","status":500}}"#)))
    }
    return Response(
      status: status, headers: [.contentType: "application/json; charset=utf-8"],
      body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
  }

  static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return snakeCaseKeys(Array(try encoder.encode(value)))
  }

  /// Rewrites the object keys of compact JSON (as `JSONEncoder` writes it) to snake_case. In
  /// compact JSON a string followed by `:` is always a key. Only keys that look like Swift
  /// property names (`nearCopyOf`) change: dictionary keys are data, such as outlet names
  /// ("Al Jazeera", "TASS") in `cited_by`, and keep their spelling on every platform (Darwin's
  /// `.convertToSnakeCase` rewrites dictionary keys too).
  static func snakeCaseKeys(_ json: [UInt8]) -> [UInt8] {
    let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\"), colon = UInt8(ascii: ":")
    var out: [UInt8] = []
    out.reserveCapacity(json.count + json.count / 32)
    var i = 0
    while i < json.count {
      guard json[i] == quote else {
        out.append(json[i])
        i += 1
        continue
      }
      var end = i + 1
      var escaped = false
      while end < json.count, json[end] != quote {
        if json[end] == backslash {
          escaped = true
          end += 1
        }
        end += 1
      }
      end = min(end, json.count - 1)
      let isKey = end + 1 < json.count && json[end + 1] == colon
      if isKey, !escaped, isPropertyName(json[(i + 1)..<end]) {
        out.append(quote)
        for byte in json[(i + 1)..<end] {
          if (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) {
            out.append(UInt8(ascii: "_"))
            out.append(byte + 32)
          } else {
            out.append(byte)
          }
        }
        out.append(quote)
      } else {
        out.append(contentsOf: json[i...end])
      }
      i = end + 1
    }
    return out
  }

  /// lowerCamelCase ASCII: how a Swift property name, never a data key worth keeping, looks.
  private static func isPropertyName(_ bytes: ArraySlice<UInt8>) -> Bool {
    guard let first = bytes.first, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first) else { return false }
    return bytes.allSatisfy {
      (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0)
        || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0)
    }
  }
}
