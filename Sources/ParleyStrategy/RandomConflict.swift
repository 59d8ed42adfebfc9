extension Conflict {
  /// A random conflict for measurements: `options` options dealt out to `decisionMakers` decision makers in turn
  /// (grouped by decision maker, as gmcr-py numbers them), every combination feasible, about one option in six
  /// irreversible, and for each decision maker eight prioritized statements (literals, pairs joined by and, or and
  /// if) over all options, so preferences are nearly strict and improvements plentiful. Deterministic for a seed.
  public static func random(decisionMakers: Int, options: Int, seed: UInt64) -> Conflict {
    var rng = SplitMix(seed: seed)
    let dms = max(1, decisionMakers)
    let count = max(1, min(options, Conflict.maxOptions))
    var result: [ConflictOption] = []
    for dm in 0..<dms {
      let share = count / dms + (dm < count % dms ? 1 : 0)
      for _ in 0..<share {
        let roll = rng.next() % 12
        let direction: Direction = roll == 0 ? .forward : roll == 1 ? .back : .both
        result.append(ConflictOption(name: "o\(result.count + 1)", owner: dm, direction: direction))
      }
    }
    func literal() -> Literal { Literal(option: Int(rng.next() % UInt64(count)), taken: rng.next() % 2 == 0) }
    var makers: [DecisionMaker] = []
    for dm in 0..<dms {
      var statements: [Statement] = []
      for _ in 0..<8 {
        let a = literal()
        let b = literal()
        switch rng.next() % 4 {
        case 0: statements.append(Statement([a]))
        case 1: statements.append(Statement(Condition([a, b]).isContradictory ? [a] : [a, b]))
        case 2: statements.append(Statement([Condition([a]), Condition([b])]))
        default: statements.append(Statement([Condition([a]), Condition([b.negated])]))  // a if b
        }
      }
      makers.append(DecisionMaker(name: "DM\(dm + 1)", statements: statements))
    }
    return Conflict(
      title: "random \(dms)x\(count) (seed \(seed))", options: result, decisionMakers: makers, statusQuo: 0)
  }
}

/// SplitMix64: small, fast and good enough to make test models.
struct SplitMix {
  var state: UInt64

  init(seed: UInt64) { state = seed }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
