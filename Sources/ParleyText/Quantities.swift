/// A number found in text, with its unit when one follows: "28-point", "19-20 points", "50%",
/// "5,000 square kilometers", "five-hour", "$100 million".
public struct Quantity: Sendable, Equatable {
  public var value: Double
  /// Upper end of a range ("19-20 points" has value 19, upper 20).
  public var upper: Double?
  /// Singular, lowercased unit word ("point", "hour", "percent", "square kilometer", "usd"), if any.
  public var unit: String?
  /// Token indices covered, unit included.
  public var tokens: Range<Int>
  /// True when written "N-unit" as a modifier ("28-point plan", "five-hour meeting").
  public var isCompoundModifier: Bool
}

/// Finds numbers and quantities in tokens.
public enum QuantityRecognizer {
  static let units: [String: Int] = [
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
  ]
  static let tens: [String: Int] = [
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
  ]
  static let scales: [String: Double] = [
    "hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000, "trillion": 1e12,
    "bn": 1_000_000_000, "mn": 1_000_000,
  ]
  /// Two-word units, keyed by their first word.
  static let compoundUnits: [String: Set<String>] = [
    "square": ["kilometers", "kilometres", "kilometer", "kilometre", "miles", "mile", "km"]
  ]

  /// The value of a number token ("5,000", "3.5", "21st") or number word ("five").
  public static func value(of t: Token) -> Double? {
    if t.kind == .number {
      // Whole numbers (nearly all) from the bytes, with the same stopping rule: a digit counts,
      // a comma is skipped, anything else ends the number; exact up to 15 digits.
      var whole = 0
      var count = 0
      var simple = true
      for b in t.lower.utf8 {
        if b >= 0x30 && b <= 0x39 {
          whole = whole * 10 + Int(b - 0x30)
          count += 1
          if count > 15 {
            simple = false
            break
          }
        } else if b == 0x2E {
          simple = false
          break
        } else if b != 0x2C {
          break
        }
      }
      if simple { return count == 0 ? nil : Double(whole) }
      var digits = ""
      for c in t.lower.unicodeScalars {
        if Scalars.isDigit(c.value) || c == "." { digits.unicodeScalars.append(c) } else if c != "," { break }
      }
      return Double(digits)
    }
    // Number words are 3 to 9 letters starting with one of "eftnosz": skip the lookups otherwise.
    // (A switch, not an array literal: the array was built on every call, once per token.)
    guard t.kind == .word, (3...9).contains(t.length), let first = t.lower.utf8.first else { return nil }
    switch first {
    case 0x65, 0x66, 0x74, 0x6E, 0x6F, 0x73, 0x7A: break
    default: return nil
    }
    if let u = units[t.lower] { return Double(u) }
    if let t = tens[t.lower] { return Double(t) }
    return nil
  }

  public static func find(in tokens: [Token], range: Range<Int>) -> [Quantity] {
    var out: [Quantity] = []
    var i = range.lowerBound
    let end = range.upperBound
    func adjacent(_ a: Int, _ b: Int) -> Bool { tokens[a].end == tokens[b].start }
    while i < end {
      let t = tokens[i]
      var value: Double
      var j = i + 1
      // (Currency signs are punctuation tokens: the kind is checked first, as comparing every
      // word with a non-ASCII string took the slow path of string comparison.)
      if t.kind == .punct, t.lower == "$" || t.lower == "\u{20AC}" || t.lower == "\u{A3}", i + 1 < end,
        let v = Self.value(of: tokens[i + 1]),
        tokens[i + 1].kind == .number
      {
        value = v
        j = i + 2
        if j < end, let sc = scales[tokens[j].lower] {
          value *= sc
          j += 1
        }
        let currency = t.lower == "$" ? "usd" : t.lower == "\u{20AC}" ? "eur" : "gbp"
        out.append(Quantity(value: value, upper: nil, unit: currency, tokens: i..<j, isCompoundModifier: false))
        i = j
        continue
      }
      guard let v = Self.value(of: t) else {
        i += 1
        continue
      }
      value = v
      // "twenty-eight"
      if tens[t.lower] != nil, j + 1 < end, tokens[j].lower == "-", adjacent(i, j), let u = units[tokens[j + 1].lower] {
        value += Double(u)
        j += 2
      }
      var upper: Double?
      // "19-20", "19 to 20"
      if j + 1 < end, tokens[j].lower == "-" || tokens[j].lower == "to", tokens[j + 1].kind == .number,
        let u = Self.value(of: tokens[j + 1]), u > value
      {
        upper = u
        j += 2
      }
      if j < end, let sc = scales[tokens[j].lower] {
        value *= sc
        upper = upper.map { $0 * sc }
        j += 1
      }
      var unit: String?
      var compound = false
      if j < end, tokens[j].lower == "%" {
        unit = "percent"
        j += 1
      } else if j + 1 < end, tokens[j].lower == "-", adjacent(j - 1, j), adjacent(j, j + 1), tokens[j + 1].kind == .word
      {
        unit = singular(tokens[j + 1].lower)
        compound = true
        j += 2
      } else if j < end, tokens[j].kind == .word {
        let w = tokens[j].lower
        if w == "percent" || w == "per" {
          unit = "percent"
          j += w == "per" && j + 1 < end && tokens[j + 1].lower == "cent" ? 2 : 1
        } else if let seconds = compoundUnits[w], j + 1 < end, seconds.contains(tokens[j + 1].lower) {
          unit = w + " " + singular(tokens[j + 1].lower)
          j += 2
        } else if tokens[j].isCapitalized == false {
          unit = singular(w)
          j += 1
        }
      }
      if t.kind == .number || unit != nil {
        out.append(Quantity(value: value, upper: upper, unit: unit, tokens: i..<j, isCompoundModifier: compound))
      }
      i = j
    }
    return out
  }

  /// A plain English singular: "points" -> "point", "kilometres" -> "kilometre", "troops" -> "troop".
  public static func singular(_ w: String) -> String {
    if w.hasSuffix("ies") && w.count > 4 { return String(w.dropLast(3)) + "y" }
    if w.hasSuffix("ss") || w.hasSuffix("us") || w.count <= 3 { return w }
    if w.hasSuffix("s") { return String(w.dropLast()) }
    return w
  }
}
