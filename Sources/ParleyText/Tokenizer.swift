/// What a token is.
public enum TokenKind: UInt8, Sendable {
  case word, number, punct
}

/// A token of the cleaned text: its range there and its lowercased, diacritic-free form for lookups.
public struct Token: Sendable {
  public var start: Int32
  public var end: Int32
  public var kind: TokenKind
  /// Starts with an uppercase letter.
  public var isCapitalized: Bool
  /// Two or more letters, all uppercase ("NATO", "U.S.").
  public var isAllCaps: Bool
  /// Lowercased and folded (diacritics removed) form: the key for every lexicon lookup.
  public var lower: String

  public var range: Range<Int> { Int(start)..<Int(end) }
  public var length: Int { Int(end - start) }
}

/// Splits cleaned text into word, number and punctuation tokens.
///
/// Words keep internal apostrophes ("O'Brien") but split off a possessive "'s"; dotted
/// abbreviations ("U.S.", "p.m.") are one token; numbers keep digit group separators ("5,000").
public enum Tokenizer {
  public static func tokenize(_ s: [Unicode.Scalar], in range: Range<Int>, into tokens: inout [Token]) {
    var i = range.lowerBound
    let end = range.upperBound
    while i < end {
      let c = s[i]
      if c == " " || c == "\n" {
        i += 1
        continue
      }
      let v = c.value
      if Scalars.isDigit(v) {
        var j = i + 1
        while j < end {
          if Scalars.isDigit(s[j].value) {
            j += 1
          } else if (s[j] == "," || s[j] == ".") && j + 1 < end && Scalars.isDigit(s[j + 1].value) {
            j += 2
          } else {
            break
          }
        }
        // Ordinals and suffixes glued to numbers ("21st", "1980s") stay with the number.
        while j < end, Scalars.isASCIILetter(s[j].value), j - i < 8 { j += 1 }
        tokens.append(make(s, i, j, .number))
        i = j
        continue
      }
      if Scalars.isLetter(c) {
        var j = i + 1
        while j < end {
          let d = s[j]
          if Scalars.isAlnum(d) || Tokenizer.isMark(d) {
            j += 1
          } else if d == "'" && j + 1 < end && Scalars.isLetter(s[j + 1]) {
            // Possessive 's and s' split off; O'Brien, don't stay whole.
            if (s[j + 1] == "s" || s[j + 1] == "S") && (j + 2 >= end || !Scalars.isLetter(s[j + 2])) { break }
            j += 2
          } else if d == "." && j + 1 < end && Scalars.isLetter(s[j + 1]) && j + 2 <= end
            && (j + 2 == end || s[j + 2] == "." || !Scalars.isLetter(s[j + 2])) && j - i == 1
          {
            // Dotted abbreviation: U.S., p.m., e.g. — single letters separated by periods.
            var k = j
            while k + 1 < end, s[k] == ".", Scalars.isLetter(s[k + 1]), k + 2 == end || !Scalars.isLetter(s[k + 2]) {
              k += 2
            }
            if k < end, s[k] == "." { k += 1 }
            j = k
            break
          } else {
            break
          }
        }
        tokens.append(make(s, i, j, .word))
        i = j
        continue
      }
      if c == "'" && i + 1 < end && (s[i + 1] == "s" || s[i + 1] == "S")
        && (i + 2 >= end || !Scalars.isLetter(s[i + 2])) && i > range.lowerBound && Scalars.isLetter(s[i - 1])
      {
        tokens.append(make(s, i, i + 2, .punct))
        i += 2
        continue
      }
      tokens.append(make(s, i, i + 1, .punct))
      i += 1
    }
  }

  /// A diacritic or nonspacing mark, which stays inside a word. Of the ASCII characters only
  /// "^" and "`" are (Unicode's `Diacritic` property); the property tables are read only for
  /// other characters, as most words end at an ASCII space or punctuation mark.
  @inline(__always)
  static func isMark(_ d: Unicode.Scalar) -> Bool {
    let v = d.value
    if v < 0x80 { return v == 0x5E || v == 0x60 }
    return d.properties.isDiacritic || d.properties.generalCategory == .nonspacingMark
  }

  @inline(__always)
  static func make(_ s: [Unicode.Scalar], _ a: Int, _ b: Int, _ kind: TokenKind) -> Token {
    var upperCount = 0
    var letterCount = 0
    var ascii = true
    for k in a..<b where s[k].value >= 0x80 {
      ascii = false
      break
    }
    var text: String
    if ascii {
      // Most tokens: build the lowercased form straight from bytes.
      text = String(unsafeUninitializedCapacity: b - a) { buffer in
        for k in a..<b {
          var v = UInt8(truncatingIfNeeded: s[k].value)
          if v >= 0x41 && v <= 0x5A {
            upperCount += 1
            letterCount += 1
            v += 32
          } else if v >= 0x61 && v <= 0x7A {
            letterCount += 1
          }
          buffer[k - a] = v
        }
        return b - a
      }
    } else {
      var lower = String.UnicodeScalarView()
      for k in a..<b {
        let c = s[k]
        if Scalars.isLetter(c) { letterCount += 1 }
        if Scalars.isUpper(c) { upperCount += 1 }
        lower.append(contentsOf: c.properties.lowercaseMapping.unicodeScalars)
      }
      text = Fold.diacritics(String(lower))
    }
    let first = s[a]
    return Token(
      start: Int32(a), end: Int32(b), kind: kind, isCapitalized: kind == .word && Scalars.isUpper(first),
      isAllCaps: letterCount >= 2 && upperCount == letterCount, lower: text)
  }
}

/// Folding shared by the tokenizer and the knowledge base, so both sides of a lookup agree.
public enum Fold {
  /// Removes combining marks after canonical decomposition ("Micheál" -> "micheal" when lowercased).
  public static func diacritics(_ s: String) -> String {
    var out = String.UnicodeScalarView()
    for c in s.unicodeScalars {
      if c.value < 0x80 {
        out.append(c)
        continue
      }
      if let base = latinBase[c.value] {
        out.append(base)
      } else if c.properties.generalCategory != .nonspacingMark {
        out.append(c)
      }
    }
    return String(out)
  }

  /// Lowercased, diacritic-free form of a phrase, tokens joined by single spaces.
  public static func key(_ s: String) -> String {
    let scalars = Array(s.unicodeScalars.map(Scalars.normalized))
    var tokens: [Token] = []
    Tokenizer.tokenize(scalars, in: 0..<scalars.count, into: &tokens)
    return tokens.map(\.lower).joined(separator: " ")
  }

  /// Latin letters with diacritics mapped to their base letter (lowercase; input is lowercased first).
  static let latinBase: [UInt32: Unicode.Scalar] = {
    var m: [UInt32: Unicode.Scalar] = [:]
    let table: [(String, Unicode.Scalar)] = [
      ("àáâãäåāăą", "a"), ("çćĉċč", "c"), ("ďđ", "d"), ("èéêëēĕėęě", "e"), ("ĝğġģ", "g"), ("ĥħ", "h"),
      ("ìíîïĩīĭįı", "i"), ("ĵ", "j"), ("ķ", "k"), ("ĺļľŀł", "l"), ("ñńņňŉ", "n"), ("òóôõöøōŏő", "o"),
      ("ŕŗř", "r"), ("śŝşšș", "s"), ("ţťŧț", "t"), ("ùúûüũūŭůűų", "u"), ("ŵ", "w"), ("ýÿŷ", "y"),
      ("źżž", "z"), ("ß", "s"), ("æ", "a"), ("œ", "o"), ("ð", "d"), ("þ", "t"),
    ]
    for (letters, base) in table {
      for c in letters.unicodeScalars { m[c.value] = base }
    }
    return m
  }()
}
