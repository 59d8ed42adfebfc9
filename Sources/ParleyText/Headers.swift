import Foundation
import ParleyModel

/// Header lines at the top of text and Markdown articles: `date 2025-08-09`, `title: ...`,
/// `source: ...`, `url: ...`, and YAML front matter between `---` lines.
enum TextHeaders {
  static let keys: [String: String] = [
    "date": "date", "published": "date", "dated": "date", "title": "title", "headline": "title",
    "source": "outlet", "outlet": "outlet", "publication": "outlet", "url": "url", "link": "url",
    "author": "author", "by": "author",
  ]

  static func article(path: String, format: ArticleFormat, source: String) -> RawArticle {
    var article = RawArticle(
      id: ArticleIdentity.id(forPath: path), path: path, format: format, source: source)
    let scalars = Array(source.unicodeScalars)
    var offset = 0
    var inFrontMatter = false
    var linesSeen = 0
    while offset < scalars.count, linesSeen < 12 {
      var end = offset
      while end < scalars.count, scalars[end] != "\n" { end += 1 }
      let line = String(String.UnicodeScalarView(scalars[offset..<end])).trimmingCharacters(in: .whitespaces)
      let next = min(end + 1, scalars.count)
      linesSeen += 1
      if line.isEmpty {
        offset = next
        continue
      }
      if line == "---" && format == .markdown && (linesSeen == 1 || inFrontMatter) {
        inFrontMatter.toggle()
        offset = next
        if !inFrontMatter { break }
        continue
      }
      guard let (key, value) = header(line), apply(key: key, value: value, to: &article) else {
        if inFrontMatter {
          offset = next
          continue
        }
        break
      }
      offset = next
    }
    article.bodyStart = offset
    return article
  }

  /// Splits "key: value" or "key value"; only known keys count.
  static func header(_ line: String) -> (String, String)? {
    var keyEnd = line.startIndex
    while keyEnd < line.endIndex, line[keyEnd].isLetter { keyEnd = line.index(after: keyEnd) }
    guard keyEnd > line.startIndex, let key = keys[line[..<keyEnd].lowercased()] else { return nil }
    var rest = line[keyEnd...]
    if rest.first == ":" {
      rest = rest.dropFirst()
    } else if rest.first != " " || key != "date" {
      // Without a colon only `date YYYY-MM-DD` is a header: "Source said ..." is prose.
      return nil
    }
    let value = rest.trimmingCharacters(in: .whitespaces)
    return value.isEmpty ? nil : (key, value)
  }

  static func apply(key: String, value: String, to article: inout RawArticle) -> Bool {
    switch key {
    case "date":
      guard let (date, used) = ExplicitDate.parsePrefix(value) else { return false }
      article.published = date
      let rest = value.dropFirst(used).trimmingCharacters(in: CharacterSet(charactersIn: " \t-—|:"))
      if !rest.isEmpty, article.title == nil { article.title = rest }
    case "title": article.title = value
    case "outlet": article.outlet = value
    case "url": article.url = value
    default: break
    }
    return true
  }
}

/// Article ids: the file's base name for files, the record's id (or name:line) for JSON Lines.
public enum ArticleIdentity {
  public static func id(forPath path: String) -> String {
    let base = (path as NSString).lastPathComponent
    let stem = (base as NSString).deletingPathExtension
    return stem.isEmpty ? base : stem
  }
}

/// JSON Lines records: one article per line with `text` and optional `title`, `url`, `published`, `outlet`, `id`.
enum JSONLRecord {
  static func article(bytes: ArraySlice<UInt8>, path: String, line: Int) -> Result<RawArticle, ReadError> {
    let object: Any
    do {
      object = try JSONSerialization.jsonObject(with: Data(bytes), options: [])
    } catch {
      let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String
      return .failure(ReadError(path: path, line: line, reason: "malformed JSON" + (detail.map { ": \($0)" } ?? "")))
    }
    guard let record = object as? [String: Any] else {
      return .failure(ReadError(path: path, line: line, reason: "record is not a JSON object"))
    }
    guard let text = record["text"] as? String ?? record["body"] as? String ?? record["content"] as? String else {
      return .failure(ReadError(path: path, line: line, reason: "record has no \"text\" string"))
    }
    if text.unicodeScalars.contains(where: { $0.value == 0 }) {
      return .failure(ReadError(path: path, line: line, reason: "text contains NUL characters (binary content)"))
    }
    let id: String
    if let s = record["id"] as? String, !s.isEmpty {
      id = s
    } else if let n = record["id"] as? NSNumber {
      id = n.stringValue
    } else {
      id = "\(ArticleIdentity.id(forPath: path))-\(line)"
    }
    let publishedRaw = record["published"] as? String ?? record["date"] as? String
    let published = publishedRaw.flatMap { ExplicitDate.parsePrefix($0)?.0 }
    return .success(
      RawArticle(
        id: id, path: path, format: .jsonl, source: text, title: record["title"] as? String,
        published: published, outlet: record["outlet"] as? String ?? record["source"] as? String,
        url: record["url"] as? String, bodyStart: 0))
  }
}
