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

/// Runs `transform` on every core as items are submitted and hands the results back in
/// submission order. Unlike batches of `Parallel.map`, no core waits at a batch's end for the
/// slowest item, and the submitting thread reads the next items while the workers compute.
/// The caller bounds memory by how many results it leaves undelivered (`pending`).
///
/// Submitting and delivering happen on one thread (the owner's); only the workers run elsewhere.
public final class OrderedWorkers<Input: Sendable, Output: Sendable>: @unchecked Sendable {
  private let transform: @Sendable (Input) -> Output
  private let workerCount: Int
  /// Guards everything below; workers wait on it for input, the owner for the next result.
  private let condition = NSCondition()
  private var queue: [(index: Int, input: Input)] = []
  private var queueHead = 0
  private var done: [Int: Output] = [:]
  private var submitted = 0
  private var delivered = 0
  private var closing = false
  private var running = 0

  public init(
    workers: Int = ProcessInfo.processInfo.activeProcessorCount, _ transform: @escaping @Sendable (Input) -> Output
  ) {
    self.workerCount = max(1, workers)
    self.transform = transform
  }

  /// Submitted and not yet delivered.
  public var pending: Int { submitted - delivered }

  /// Queues an item for the workers (starting them on first use).
  public func submit(_ input: Input) {
    condition.lock()
    queue.append((submitted, input))
    submitted += 1
    let start = running == 0
    if start { running = workerCount }
    condition.signal()
    condition.unlock()
    if start {
      for _ in 0..<workerCount { DispatchQueue.global().async { self.work() } }
    }
  }

  /// The results ready in order, without waiting; when `waitForOne`, waits for at least the next.
  public func deliver(waitForOne: Bool = false) -> [Output] {
    condition.lock()
    defer { condition.unlock() }
    if waitForOne, delivered < submitted {
      while done[delivered] == nil { condition.wait() }
    }
    var out: [Output] = []
    while let r = done.removeValue(forKey: delivered) {
      out.append(r)
      delivered += 1
    }
    return out
  }

  /// Waits for every submitted item and stops the workers; the pool can be used again after.
  /// Call it when done: until then the workers wait for more input (and keep the pool alive).
  public func finish() -> [Output] {
    condition.lock()
    closing = true
    condition.broadcast()
    while running > 0 { condition.wait() }
    closing = false
    var out: [Output] = []
    while let r = done.removeValue(forKey: delivered) {
      out.append(r)
      delivered += 1
    }
    condition.unlock()
    return out
  }

  private func work() {
    condition.lock()
    while true {
      if queueHead < queue.count {
        let (index, input) = queue[queueHead]
        queueHead += 1
        // Drop the consumed items (and the articles they hold) rather than let the queue grow
        // with the corpus; halving keeps it amortized constant time.
        if queueHead == queue.count {
          queue.removeAll(keepingCapacity: true)
          queueHead = 0
        } else if queueHead >= 64, queueHead * 2 >= queue.count {
          queue.removeFirst(queueHead)
          queueHead = 0
        }
        condition.unlock()
        let output = transform(input)
        condition.lock()
        done[index] = output
        // The owner may wait for this result, and another worker for input.
        condition.broadcast()
      } else if closing {
        running -= 1
        condition.broadcast()
        condition.unlock()
        return
      } else {
        condition.wait()
      }
    }
  }
}
