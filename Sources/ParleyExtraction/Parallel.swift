import Dispatch
import Foundation

/// Runs independent work on every core and keeps the input's order.
public enum Parallel {
  /// `items.map(transform)`, with the calls spread over the machine's cores. One worker per
  /// core takes the next unclaimed item until none is left, so long and short items balance.
  /// (`DispatchQueue.concurrentPerform` runs its iterations on the calling thread alone on this
  /// platform's libdispatch, measured at 100% of one core; workers on the global queue use them all.)
  public static func map<T: Sendable, R: Sendable>(_ items: [T], _ transform: @escaping @Sendable (T) -> R) -> [R] {
    let workers = min(items.count, ProcessInfo.processInfo.activeProcessorCount)
    guard workers > 1 else { return items.map(transform) }
    let results = ResultSlots<R>(count: items.count)
    let group = DispatchGroup()
    for _ in 0..<workers {
      DispatchQueue.global().async(group: group) {
        while let i = results.claim() { results.set(i, transform(items[i])) }
      }
    }
    group.wait()
    return results.values()
  }
}

/// One slot per result, each written by exactly one worker: disjoint writes need no lock. The
/// storage is a raw buffer allocated once, so no write goes through a (dynamically exclusive)
/// class property; the next index to work on is handed out under a lock.
private final class ResultSlots<R>: @unchecked Sendable {
  private let slots: UnsafeMutableBufferPointer<R?>
  private let lock = NSLock()
  private var next = 0

  init(count: Int) {
    slots = .allocate(capacity: count)
    slots.initialize(repeating: nil)
  }
  deinit {
    slots.deinitialize()
    slots.deallocate()
  }
  func claim() -> Int? {
    lock.lock()
    defer { lock.unlock() }
    guard next < slots.count else { return nil }
    next += 1
    return next - 1
  }
  func set(_ i: Int, _ value: R) { slots[i] = value }
  /// Read after `DispatchGroup.wait`, which orders every worker's writes before it.
  func values() -> [R] { slots.compactMap { $0 } }
}
