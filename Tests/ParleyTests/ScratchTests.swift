import Foundation
import PropertyBased
import ParleyText
import Testing

@Test func scratchExplore() async throws {
  // Same as the property, but avoiding the two known crashes, to look for further bugs.
  var rng = RandomInput.rng()
  let seed = rng.currentSeed
  var inputs: [[UInt8]] = []
  while inputs.count < 1500 {
    let t = RandomInput.text.run(using: &rng)
    if t.contains("9999999999999999") || t.contains(">") { continue }
    if t.unicodeScalars.contains(where: { $0.properties.numericType != nil && $0.value > 127 }) { }
    // drop any run of >= 17 digits
    var run = 0, bad = false
    for c in t.unicodeScalars where !Scalars.isInvisible(c) { if c.value >= 48 && c.value <= 57 { run += 1; if run >= 17 { bad = true } } else { run = 0 } }
    if bad { continue }
    inputs.append(Array(t.utf8))
  }
  try await PropertyTests.checkInChild(inputs: inputs, seed: seed, mode: "text")
}
