import Dispatch

/// Runs independent work on every core and keeps the input's order.
public enum Parallel {
  /// `items.map(transform)`, with the calls spread over the machine's cores.
  public static func map<T: Sendable, R: Sendable>(_ items: [T], _ transform: @Sendable (T) -> R) -> [R] {
    guard items.count > 1 else { return items.map(transform) }
    let results = ResultSlots<R>(count: items.count)
    DispatchQueue.concurrentPerform(iterations: items.count) { i in
      results.set(i, transform(items[i]))
    }
    return results.values()
  }
}

/// One slot per result, each written by exactly one iteration: disjoint writes need no lock.
/// The storage is a raw buffer, allocated once, so that no write goes through a (dynamically
/// exclusive) class property.
private final class ResultSlots<R>: @unchecked Sendable {
  private let slots: UnsafeMutableBufferPointer<R?>
  init(count: Int) {
    slots = .allocate(capacity: count)
    slots.initialize(repeating: nil)
  }
  deinit {
    slots.deinitialize()
    slots.deallocate()
  }
  func set(_ i: Int, _ value: R) { slots[i] = value }
  func values() -> [R] { slots.compactMap { $0 } }
}
