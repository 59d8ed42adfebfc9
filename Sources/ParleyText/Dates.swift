import ParleyModel

/// A date expression found in text, resolved against the publication date where possible.
public struct DateMention: Sendable, Equatable {
  public var tokens: Range<Int>
  /// Nil when the expression is relative and the publication date is unknown.
  public var date: PartialDate?
  /// True for expressions such as "on Tuesday", "last month", "in October" (no year).
  public var isRelative: Bool
}

/// Month and weekday names (calendar facts, not a domain lexicon).
enum Calendar {
  static let months: [String: Int] = [
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
  ]
  static let weekdays: [String: Int] = [
    "monday": 1, "tuesday": 2, "wednesday": 3, "thursday": 4, "friday": 5, "saturday": 6, "sunday": 7,
  ]
}

/// Parses explicit dates at the start of a string: "2025-08-09", "2025-08-09T10:00:00Z",
/// "August 9, 2025", "9 August 2025", "Aug. 9 2025", "2025/08/09".
public enum ExplicitDate {
  /// The date and the number of characters it used.
  public static func parsePrefix(_ text: String) -> (PartialDate, Int)? {
    let s = Array(text.unicodeScalars)
    var i = 0
    while i < s.count, s[i] == " " { i += 1 }
    func number(_ from: Int, maxDigits: Int) -> (Int, Int)? {
      var j = from
      var v = 0
      while j < s.count, j - from < maxDigits, Scalars.isDigit(s[j].value) {
        v = v * 10 + Int(s[j].value - 48)
        j += 1
      }
      return j > from ? (v, j) : nil
    }
    func word(_ from: Int) -> (String, Int) {
      var j = from
      var w = ""
      while j < s.count, Scalars.isLetter(s[j]) {
        w.unicodeScalars.append(contentsOf: s[j].properties.lowercaseMapping.unicodeScalars)
        j += 1
      }
      return (w, j)
    }
    // ISO forms.
    if let (y, a) = number(i, maxDigits: 4), a - i == 4, a < s.count, s[a] == "-" || s[a] == "/" {
      if let (m, b) = number(a + 1, maxDigits: 2), b < s.count, s[b] == s[a], let (d, c) = number(b + 1, maxDigits: 2),
        let date = PartialDate(iso: String(format4(y)) + "-" + two(m) + "-" + two(d))
      {
        var end = c
        if end < s.count, s[end] == "T" {
          while end < s.count, s[end] != " " { end += 1 }
        }
        return (date, end)
      }
    }
    // "August 9, 2025" / "Aug. 9 2025"
    let (w, a) = word(i)
    if let m = Calendar.months[w] {
      var j = a
      if j < s.count, s[j] == "." { j += 1 }
      while j < s.count, s[j] == " " { j += 1 }
      if let (d, b) = number(j, maxDigits: 2) {
        var k = b
        while k < s.count, Scalars.isLetter(s[k]) { k += 1 }  // "9th"
        if k < s.count, s[k] == "," { k += 1 }
        while k < s.count, s[k] == " " { k += 1 }
        if let (y, c) = number(k, maxDigits: 4), c - k == 4,
          let date = PartialDate(iso: format4(y) + "-" + two(m) + "-" + two(d))
        {
          return (date, c)
        }
      }
    }
    // "9 August 2025"
    if let (d, a2) = number(i, maxDigits: 2) {
      var j = a2
      while j < s.count, Scalars.isLetter(s[j]), j - a2 < 2 { j += 1 }
      while j < s.count, s[j] == " " { j += 1 }
      let (w2, b) = word(j)
      if let m = Calendar.months[w2] {
        var k = b
        if k < s.count, s[k] == "." { k += 1 }
        if k < s.count, s[k] == "," { k += 1 }
        while k < s.count, s[k] == " " { k += 1 }
        if let (y, c) = number(k, maxDigits: 4), c - k == 4,
          let date = PartialDate(iso: format4(y) + "-" + two(m) + "-" + two(d))
        {
          return (date, c)
        }
      }
    }
    return nil
  }

  static func two(_ v: Int) -> String { v < 10 ? "0\(v)" : String(v) }
  static func format4(_ v: Int) -> String { String(repeating: "0", count: max(0, 4 - String(v).count)) + String(v) }
}

/// Finds date expressions in tokens and resolves relative ones against the publication date.
public enum DateRecognizer {
  /// Words that make a sentence look ahead ("is due to meet on Sunday", "expires in October").
  static let futureMarkers: Set<String> = [
    "will", "due", "scheduled", "expected", "expires", "set", "plans", "planned", "upcoming", "next", "would", "shall",
    "deadline",
  ]

  public static func find(in tokens: [Token], range: Range<Int>, published: PartialDate?) -> [DateMention] {
    var out: [DateMention] = []
    // Whether the sentence looks ahead, asked only once it holds a date (most hold none).
    var futureMemo: Bool?
    func isFuture() -> Bool {
      if let futureMemo { return futureMemo }
      let answer = range.contains { futureMarkers.contains(tokens[$0].lower) }
      futureMemo = answer
      return answer
    }
    var i = range.lowerBound
    let end = range.upperBound
    func isYear(_ k: Int) -> Int? {
      guard k < end, tokens[k].kind == .number, tokens[k].length == 4, let v = Int(tokens[k].lower),
        (1900...2100).contains(v)
      else { return nil }
      return v
    }
    func day(_ k: Int) -> Int? {
      // Bounds first: a 20-digit "day" must not overflow the conversion to Int.
      guard k < end, tokens[k].kind == .number, tokens[k].length <= 4, let d = QuantityRecognizer.value(of: tokens[k]),
        d >= 1, d <= 31
      else { return nil }
      return Int(d)
    }
    while i < end {
      let t = tokens[i]
      let w = t.lower
      // Month-based: "November 21, 2025", "Nov. 21", "November 2025", "in October".
      if t.isCapitalized, let m = Calendar.months[w],
        w != "may" || (i + 1 < end && (day(i + 1) != nil || isYear(i + 1) != nil)),
        w != "mar" && w != "jan" || i + 1 < end && tokens[i + 1].lower == "."
      {
        var j = i + 1
        if j < end, tokens[j].lower == "." { j += 1 }
        if let d = day(j) {
          var k = j + 1
          if k < end, tokens[k].lower == "," { k += 1 }
          if let y = isYear(k) {
            out.append(
              DateMention(
                tokens: i..<(k + 1), date: PartialDate(iso: "\(y)-\(ExplicitDate.two(m))-\(ExplicitDate.two(d))"),
                isRelative: false))
            i = k + 1
            continue
          }
          let y = published.map { resolveYear(month: m, published: $0, future: isFuture()) }
          out.append(
            DateMention(
              tokens: i..<(j + 1),
              date: y.flatMap { PartialDate(iso: "\($0)-\(ExplicitDate.two(m))-\(ExplicitDate.two(d))") },
              isRelative: true))
          i = j + 1
          continue
        }
        if let y = isYear(j) {
          out.append(DateMention(tokens: i..<(j + 1), date: PartialDate(year: y, month: m), isRelative: false))
          i = j + 1
          continue
        }
        let y = published.map { resolveYear(month: m, published: $0, future: isFuture()) }
        out.append(DateMention(tokens: i..<(i + 1), date: y.map { PartialDate(year: $0, month: m) }, isRelative: true))
        i += 1
        continue
      }
      // "21 November 2025"
      if let d = day(i), i + 1 < end, tokens[i + 1].isCapitalized, let m = Calendar.months[tokens[i + 1].lower],
        tokens[i + 1].lower != "may" || isYear(i + 2) != nil
      {
        if let y = isYear(i + 2) {
          out.append(
            DateMention(
              tokens: i..<(i + 3), date: PartialDate(iso: "\(y)-\(ExplicitDate.two(m))-\(ExplicitDate.two(d))"),
              isRelative: false))
          i += 3
          continue
        }
      }
      // Weekdays: "on Tuesday", "early Wednesday", "last Friday", "next Monday".
      if t.isCapitalized, let wd = Calendar.weekdays[w] {
        let before = i > range.lowerBound ? tokens[i - 1].lower : ""
        var date: PartialDate?
        if let p = published, let pw = p.weekday {
          var delta = pw - wd
          if before == "next" || (before != "last" && isFuture()) {
            // Looking ahead: the next such weekday after publication.
            delta = -((wd - pw + 7) % 7 == 0 ? 7 : (wd - pw + 7) % 7)
          } else if delta < 0 {
            delta += 7
          }
          if before == "last" && delta == 0 { delta = 7 }
          date = p.adding(days: -delta)
        }
        let start = ["last", "next", "this", "on", "early", "late"].contains(before) ? i - 1 : i
        out.append(DateMention(tokens: start..<(i + 1), date: date, isRelative: true))
        i += 1
        continue
      }
      // "yesterday", "today", "last week/month/year".
      if w == "yesterday" || w == "today" {
        out.append(
          DateMention(tokens: i..<(i + 1), date: published?.adding(days: w == "today" ? 0 : -1), isRelative: true))
        i += 1
        continue
      }
      if (w == "last" || w == "next" || w == "this"), i + 1 < end {
        let unit = tokens[i + 1].lower
        let sign = w == "last" ? -1 : w == "next" ? 1 : 0
        var date: PartialDate?
        switch unit {
        case "week": date = published?.adding(days: 7 * sign)
        case "month":
          if let p = published, let m = p.month {
            let total = p.year * 12 + (m - 1) + sign
            date = PartialDate(year: total / 12, month: total % 12 + 1)
          }
        case "year": date = published.map { PartialDate(year: $0.year + sign) }
        default: break
        }
        if ["week", "month", "year"].contains(unit) {
          out.append(DateMention(tokens: i..<(i + 2), date: date, isRelative: true))
          i += 2
          continue
        }
      }
      // Bare years after a preposition: "in 2014", "since 2022".
      if let y = isYear(i), i > range.lowerBound, ["in", "since", "by", "until", "of"].contains(tokens[i - 1].lower) {
        out.append(DateMention(tokens: i..<(i + 1), date: PartialDate(year: y), isRelative: false))
        i += 1
        continue
      }
      i += 1
    }
    return out
  }

  /// News mostly looks back: a month after the publication month belongs to the previous year.
  static func resolveYear(month: Int, published p: PartialDate, future: Bool = false) -> Int {
    guard let pm = p.month else { return p.year }
    if future { return month < pm ? p.year + 1 : p.year }
    return month > pm + 1 ? p.year - 1 : p.year
  }
}
