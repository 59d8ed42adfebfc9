/// Strategic stability of negotiated settlements: the Graph Model for Conflict Resolution (GMCR; Fang, Hipel &
/// Kilgour 1993; Xu, Hipel, Kilgour & Fang 2018).
///
/// `Conflict` is the option form an analyst writes (decision makers, options, infeasible combinations,
/// preferences); `Conflict.graph()` turns it into a `GraphModel` (feasible states and each decision maker's moves);
/// `StabilityAnalysis` finds which states are stable for whom under Nash, GMR, SMR, SEQ and SIM; `evolution(from:)`
/// traces improvements from a status quo. `GMCRFile` and `ConflictYAML` read and write models; nothing here does I/O.
public enum ParleyStrategy {}

/// A model that cannot be read or is inconsistent; says where (file, line, JSON path) when known.
public struct StrategyError: Error, CustomStringConvertible, Sendable, Hashable {
  public var file: String?
  /// 1-based line of the offending value, when known.
  public var line: Int?
  /// Where in a JSON document, e.g. `decisionMakers[1].preferences[0]`.
  public var path: String?
  public var reason: String

  public init(file: String? = nil, line: Int? = nil, path: String? = nil, reason: String) {
    self.file = file
    self.line = line
    self.path = path
    self.reason = reason
  }

  public var description: String {
    var out = ""
    if let file { out += file + (line.map { ":\($0)" } ?? "") + ": " } else if let line { out += "line \(line): " }
    if let path, !path.isEmpty { out += "\(path): " }
    return out + reason
  }

  /// The same error located in `file`, keeping a line or path already known.
  func located(file: String, line: Int? = nil, path: String? = nil) -> StrategyError {
    StrategyError(file: file, line: self.line ?? line, path: self.path ?? path, reason: reason)
  }
}
