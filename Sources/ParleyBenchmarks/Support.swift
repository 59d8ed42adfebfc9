import Foundation

/// The process's resident memory, read from /proc (Linux; 0 where /proc is missing).
public enum ProcessMemory {
  /// The peak resident set so far (VmHWM), in bytes.
  public static func peakResidentBytes() -> Int { field("VmHWM:") }
  /// The resident set now (VmRSS), in bytes.
  public static func currentResidentBytes() -> Int { field("VmRSS:") }

  static func field(_ name: String) -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in status.split(separator: "\n") where line.hasPrefix(name) {
      let digits = line.split(separator: " ").compactMap { Int($0) }.first ?? 0
      return digits * 1024
    }
    return 0
  }
}

/// A small, fast, seedable generator (SplitMix64): the same seed gives the same corpus on every machine.
public struct SplitMix64: Sendable {
  var state: UInt64
  public init(seed: UInt64) { state = seed }
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

extension Duration {
  /// The duration in seconds, as a `Double`.
  var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
