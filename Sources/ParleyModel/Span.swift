/// A half-open range of Unicode code points in an article's source text.
public struct TextSpan: Hashable, Sendable, Comparable {
  public var start: Int
  public var end: Int

  public init(_ start: Int, _ end: Int) {
    self.start = start
    self.end = max(start, end)
  }

  public var length: Int { end - start }
  public func contains(_ other: TextSpan) -> Bool { start <= other.start && other.end <= end }
  public func overlaps(_ other: TextSpan) -> Bool { start < other.end && other.start < end }

  public static func < (a: TextSpan, b: TextSpan) -> Bool {
    a.start != b.start ? a.start < b.start : a.end < b.end
  }
}
