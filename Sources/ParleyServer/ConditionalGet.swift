import Foundation
import Hummingbird
import ParleyModel
import ParleyStore

/// Validators for every page and API answer, from the record's change counter: an `ETag` and a
/// `Last-Modified` on each 200, and 304 Not Modified, before any query runs, when the client's
/// copy is current. One indexed read per request makes an unchanged page nearly free.
///
/// The ETag also carries a token drawn when the server starts, so a restart (new templates, new
/// code, other `--conflict` models) never answers 304 for a page the new server renders differently.
///
/// A 200 answer to a GET is also kept in `cache` for the record state it was made from, so a
/// page that aggregates the record is made once per state, not once per request.
struct ConditionalGetMiddleware<Context: RequestContext>: RouterMiddleware {
  let store: any RecordQuerying
  let instance: String
  let cache: ResponseCache?

  init(
    store: any RecordQuerying, instance: String = String(UInt64.random(in: 0...UInt64.max), radix: 36),
    cache: ResponseCache? = ResponseCache()
  ) {
    self.store = store
    self.instance = instance
    self.cache = cache
  }

  func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
    -> Response
  {
    // Writes are never cached; static files carry validators of their own (a content hash).
    guard request.method == .get || request.method == .head, !request.uri.path.hasPrefix("/static/") else {
      return try await next(request, context)
    }
    // Read before the answer is made: if the record changes in between, the answer is newer
    // than its ETag, and the next request simply gets it again; never the other way round.
    guard let stamp = try? store.stamp() else { return try await next(request, context) }
    let etag = "\"\(instance)-\(stamp.changes)\""
    let lastModified = Self.lastModified(stamp, now: Date().timeIntervalSince1970)
    if Self.isNotModified(
      ifNoneMatch: request.headers[.ifNoneMatch], ifModifiedSince: request.headers[.ifModifiedSince], etag: etag,
      lastModified: lastModified)
    {
      var headers: HTTPFields = [.eTag: etag, .cacheControl: "no-cache"]
      if let lastModified { headers[.lastModified] = HTTPDate.format(lastModified) }
      return Response(status: .notModified, headers: headers)
    }
    // HEAD answers carry no body to keep; only GET is served from and stored in the cache.
    let cacheable = request.method == .get ? cache : nil
    let key = request.uri.string
    if let cacheable, let hit = cacheable.entry(for: key, changes: stamp.changes) {
      return Self.validated(
        Response(status: hit.status, headers: hit.headers, body: ResponseBody(byteBuffer: hit.body)), etag: etag,
        lastModified: lastModified)
    }
    var response = try await next(request, context)
    guard response.status == .ok, response.headers[.eTag] == nil else { return response }
    if let cacheable, let body = try await ResponseCache.collect(response, limit: cacheable.maxEntryBytes) {
      // The handler's own headers are kept; the validators are added to each answer, since
      // Last-Modified depends on the time of the request.
      cacheable.store(
        ResponseCache.Entry(status: response.status, headers: response.headers, body: body), for: key,
        changes: stamp.changes)
      response.body = ResponseBody(byteBuffer: body)
    }
    return Self.validated(response, etag: etag, lastModified: lastModified)
  }

  /// The answer with its ETag, Last-Modified and, unless the handler chose one, `no-cache`.
  static func validated(_ response: Response, etag: String, lastModified: Int64?) -> Response {
    var response = response
    response.headers[.eTag] = etag
    if let lastModified { response.headers[.lastModified] = HTTPDate.format(lastModified) }
    // Stored, but checked with the server before each use: the record can change at any time.
    if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-cache" }
    return response
  }

  /// The whole second of the last change, or nil while that second is still running: a second
  /// change in the same second would get the same Last-Modified, and a client holding the first
  /// would be told its copy is current (the ETag never has that problem).
  static func lastModified(_ stamp: RecordStamp, now: Double) -> Int64? {
    guard let modified = stamp.modified, modified.isFinite else { return nil }
    let second = Int64(modified.rounded(.down))
    return second < Int64(now.rounded(.down)) ? second : nil
  }

  /// RFC 9110 §13.1: If-None-Match decides when present (`*` or any listed tag, weak comparison);
  /// only without it does If-Modified-Since count.
  static func isNotModified(ifNoneMatch: String?, ifModifiedSince: String?, etag: String, lastModified: Int64?)
    -> Bool
  {
    if let ifNoneMatch {
      let tags = ifNoneMatch.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
      return tags.contains { $0 == "*" || ($0.hasPrefix("W/") ? String($0.dropFirst(2)) : $0) == etag }
    }
    guard let ifModifiedSince, let lastModified, let since = HTTPDate.parse(ifModifiedSince) else { return false }
    return lastModified <= since
  }
}

/// HTTP dates in the one form HTTP/1.1 sends (IMF-fixdate, "Sun, 06 Nov 1994 08:49:37 GMT"),
/// written and read without a `DateFormatter` (not thread-safe to share, slow to create).
enum HTTPDate {
  static let weekdays = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]
  static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

  /// Seconds since 1970 as an IMF-fixdate.
  static func format(_ seconds: Int64) -> String {
    let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
    let rest = Int(seconds - days * 86_400)
    let (year, month, day) = civil(Int(days))
    let weekday = weekdays[((Int(days) % 7) + 7) % 7]
    func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
    return
      "\(weekday), \(two(day)) \(months[month - 1]) \(year) \(two(rest / 3600)):\(two(rest / 60 % 60)):\(two(rest % 60)) GMT"
  }

  /// An IMF-fixdate as seconds since 1970; nil for anything else (the obsolete RFC 850 and
  /// asctime forms are not sent by current clients, and a date that cannot be read is ignored).
  static func parse(_ text: String) -> Int64? {
    let parts = text.trimmingCharacters(in: .whitespaces).split(separator: " ")
    guard parts.count == 6, parts[5] == "GMT", parts[0].hasSuffix(","),
      let day = Int(parts[1]), parts[1].count == 2, (1...31).contains(day),
      let month = months.firstIndex(of: String(parts[2])),
      let year = Int(parts[3]), parts[3].count == 4
    else { return nil }
    let time = parts[4].split(separator: ":")
    guard time.count == 3, time.allSatisfy({ $0.count == 2 }), let h = Int(time[0]), let m = Int(time[1]),
      let s = Int(time[2]), (0...23).contains(h), (0...59).contains(m), (0...60).contains(s)
    else { return nil }
    return Int64(days(year, month + 1, day)) * 86_400 + Int64(h * 3600 + m * 60 + s)
  }

  /// Day 0 is 1970-01-01; the calendar arithmetic is `PartialDate`'s.
  static func days(_ year: Int, _ month: Int, _ day: Int) -> Int {
    PartialDate(year: year, month: month, day: day).dayNumber ?? 0
  }

  static func civil(_ days: Int) -> (year: Int, month: Int, day: Int) {
    let date = PartialDate(dayNumber: days)
    return (date.year, date.month ?? 1, date.day ?? 1)
  }
}
