import ParleyText

/// How an alias names its entity; decides when a match may stand alone.
public enum AliasForm: UInt8, Sendable, Comparable {
  /// A surname derived from a full name: links only after the full name was mentioned.
  case surname = 0
  /// A country adjective or people noun ("Ukrainian").
  case demonym = 1
  /// An explicit short form that alone means the entity ("Putin").
  case short = 2
  /// The canonical name or a full alias.
  case name = 3

  public static func < (a: AliasForm, b: AliasForm) -> Bool { a.rawValue < b.rawValue }
}

/// One way of writing one entity.
public struct AliasEntry: Sendable {
  public var entity: Int32
  public var form: AliasForm
  /// Per token: 0 any case, 1 must be capitalized, 2 must be all caps.
  var casePattern: [UInt8]
}

/// A token trie over folded alias forms: finds every knowledge-base name starting at a token
/// with one dictionary lookup per token, however large the knowledge base.
public struct Gazetteer: Sendable {
  struct Node: Sendable {
    var children: [String: Int32] = [:]
    var entries: [AliasEntry] = []
  }
  var nodes: [Node] = [Node()]

  public init() {}

  /// Adds `alias` (as written: its capitalization sets the case rule) for entity `entity`.
  public mutating func insert(_ alias: String, entity: Int32, form: AliasForm) {
    let scalars = Array(alias.unicodeScalars.map(Scalars.normalized))
    var tokens: [Token] = []
    Tokenizer.tokenize(scalars, in: 0..<scalars.count, into: &tokens)
    // "the Kremlin" is matched as "Kremlin": articles never carry identity.
    if tokens.count > 1, tokens[0].lower == "the" { tokens.removeFirst() }
    guard !tokens.isEmpty else { return }
    // Short mixed-case forms ("LeT") would match ordinary words ("Let's"): too ambiguous to index.
    if tokens.count == 1, alias.count <= 4, !tokens[0].isAllCaps, alias.dropFirst().contains(where: { $0.isUppercase })
    {
      return
    }
    var node = 0
    for t in tokens {
      if let next = nodes[node].children[t.lower] {
        node = Int(next)
      } else {
        nodes.append(Node())
        let next = Int32(nodes.count - 1)
        nodes[node].children[t.lower] = next
        node = Int(next)
      }
    }
    let pattern: [UInt8] = tokens.map { t in
      if t.isAllCaps && t.length <= 6 { return 2 }
      return t.isCapitalized ? 1 : 0
    }
    if nodes[node].entries.contains(where: { $0.entity == entity && $0.form >= form }) { return }
    nodes[node].entries.removeAll { $0.entity == entity && $0.form < form }
    nodes[node].entries.append(AliasEntry(entity: entity, form: form, casePattern: pattern))
  }

  /// A match of `length` tokens with the entries whose case rule the text satisfies.
  public struct Match: Sendable {
    public var length: Int
    public var entries: [AliasEntry]
  }

  /// All matches starting at token `i` (longest last), within `end`.
  public func matches(_ tokens: [Token], at i: Int, end: Int) -> [Match] {
    var out: [Match] = []
    var node = 0
    var k = i
    while k < end, let next = nodes[node].children[tokens[k].lower] {
      node = Int(next)
      k += 1
      let entries = nodes[node].entries
      if entries.isEmpty { continue }
      let ok = entries.filter { Self.caseMatches($0.casePattern, tokens, from: i) }
      if !ok.isEmpty { out.append(Match(length: k - i, entries: ok)) }
    }
    return out
  }

  static func caseMatches(_ pattern: [UInt8], _ tokens: [Token], from i: Int) -> Bool {
    for (n, rule) in pattern.enumerated() {
      let t = tokens[i + n]
      switch rule {
      case 1: if !t.isCapitalized { return false }
      case 2: if !t.isAllCaps { return false }
      default: break
      }
    }
    return true
  }
}
