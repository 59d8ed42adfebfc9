import ParleyModel
import ParleyRecord
import Testing

/// The rule that chooses an actor row's columns is order-free: every order and grouping of the
/// same articles' descriptions gives the same row, byte for byte.
@Suite("Actor description")
struct ActorDescriptionTests {
  /// Names that differ in case, spacing and Unicode normalization ("É" composed and not), which
  /// Swift's `==` partly folds and the databases do not.
  static let names = [
    "Ukrainian students", "Ukrainian activists", "ukrainian activists", "Ukrainian  activists", "\u{C9}tudiants",
    "E\u{301}tudiants", "Kyiv",
  ]
  static let codes: [String?] = [nil, "UKR", "RUS", "ukr"]
  static let sectors: [String?] = [nil, "REB", "GOV", "gov", "CVL"]

  static func random(_ rng: inout TestRandom) -> ActorDescription {
    ActorDescription(
      name: names[Int(rng.next() % UInt64(names.count))],
      kind: ActorKind.allCases[Int(rng.next() % UInt64(ActorKind.allCases.count))],
      affiliation: codes[Int(rng.next() % UInt64(codes.count))],
      role: [nil, "president", "capital"][Int(rng.next() % 3)],
      sector: sectors[Int(rng.next() % UInt64(sectors.count))],
      known: rng.next() % 3 == 0)
  }

  /// The columns as the database stores them: bytes, not canonically equivalent strings.
  static func row(_ d: ActorDescription?) -> [[UInt8]?] {
    guard let d else { return [] }
    return [
      Array(d.name.utf8), Array(d.kind.rawValue.utf8), d.affiliation.map { Array($0.utf8) },
      d.role.map { Array($0.utf8) }, d.sector.map { Array($0.utf8) }, [d.known ? 1 : 0],
    ]
  }

  @Test("Any order and any grouping of the same descriptions give one row")
  func joinIsOrderFree() {
    var rng = TestRandom(seed: 17)
    for _ in 0..<300 {
      let descriptions = (0..<(1 + Int(rng.next() % 6))).map { _ in Self.random(&rng) }
      let expected = Self.row(ActorDescription.joined(descriptions))
      var shuffled = descriptions
      for i in stride(from: shuffled.count - 1, to: 0, by: -1) { shuffled.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
      #expect(Self.row(ActorDescription.joined(shuffled)) == expected)
      // Batches joined apart, then together, as concurrent writers' transactions are.
      let cut = Int(rng.next() % UInt64(shuffled.count + 1))
      let left = ActorDescription.joined(shuffled[..<cut])
      let right = ActorDescription.joined(shuffled[cut...])
      let halves = ActorDescription.joined([right, left].compactMap { $0 })
      #expect(Self.row(halves) == expected)
      // A description joined again changes nothing.
      if let one = descriptions.first, let all = ActorDescription.joined(descriptions) {
        #expect(Self.row(all.joined(with: one)) == expected)
      }
    }
  }

  @Test("The knowledge base's name, else the least name in bytes; any affiliation over none")
  func whichDescriptionWins() {
    let students = ActorDescription(
      name: "Ukrainian students", kind: .organization, affiliation: "UKR", role: nil, known: false)
    let activists = ActorDescription(
      name: "Ukrainian activists", kind: .organization, affiliation: nil, role: nil, known: false)
    let joined = students.joined(with: activists)
    #expect(joined.name == "Ukrainian activists" && joined.affiliation == "UKR" && !joined.known)
    let known = ActorDescription(name: "Zelensky", kind: .person, affiliation: nil, role: "president", known: true)
    let all = ActorDescription.joined([students, known, activists])
    #expect(all?.name == "Zelensky" && all?.kind == .person && all?.affiliation == "UKR" && all?.known == true)
    #expect(all?.role == "president")
    // Upper case sorts before lower case in bytes, as in SQLite and PostgreSQL's "C" collation.
    let lower = ActorDescription(name: "hostages", kind: .organization, affiliation: nil, role: nil, known: false)
    let upper = ActorDescription(name: "Hostages", kind: .organization, affiliation: nil, role: nil, known: false)
    #expect(lower.joined(with: upper).name == "Hostages")
  }

  @Test("A sector over none, then the least in bytes, whichever description names the actor")
  func whichSectorWins() {
    let rebels = ActorDescription(
      name: "Sudanese rebels", kind: .organization, affiliation: "SDN", role: nil, sector: "REB", known: false)
    let fighters = ActorDescription(
      name: "Sudanese fighters", kind: .organization, affiliation: "SDN", role: nil, sector: nil, known: false)
    let known = ActorDescription(
      name: "RSF", kind: .organization, affiliation: "SDN", role: nil, sector: "MIL", known: true)
    #expect(rebels.joined(with: fighters).sector == "REB")
    #expect(fighters.joined(with: rebels).sector == "REB")
    // The sector is its own column: the knowledge base's name does not bring its sector along.
    #expect(ActorDescription.joined([rebels, known, fighters])?.sector == "MIL")
    #expect(ActorDescription.joined([fighters, rebels])?.name == "Sudanese fighters")
    #expect(rebels.joined(with: rebels) == rebels)
    // Upper case before lower case, as in the databases' byte order.
    let lower = ActorDescription(
      name: "x", kind: .organization, affiliation: nil, role: nil, sector: "gov", known: false)
    let upper = ActorDescription(
      name: "x", kind: .organization, affiliation: nil, role: nil, sector: "REB", known: false)
    #expect(lower.joined(with: upper).sector == "REB" && upper.joined(with: lower).sector == "REB")
  }
}
