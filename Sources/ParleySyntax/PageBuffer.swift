#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A fixed-size buffer of plain values for the models' large lookup tables, allocated on 2 MiB
/// boundaries and, on Linux, marked for transparent huge pages.
///
/// Why: the parser's table is 32 MiB and every feature lookup lands on a random slot of it. With
/// 4 KiB pages nearly every lookup also misses the TLB, and under virtualization a TLB miss is a
/// two-level page walk that costs as much as the cache miss itself. Huge pages cover the table
/// with 16 TLB entries. Where the kernel gives no huge pages this is an ordinary buffer.
///
/// Written only while the model is built (`initialize`), read-only after, so sharing it between
/// threads is safe.
final class PageBuffer<Element: BitwiseCopyable>: @unchecked Sendable {
  let pointer: UnsafeMutableBufferPointer<Element>

  /// `count` copies of `value`.
  init(repeating value: Element, count: Int) {
    let bytes = max(1, count) * MemoryLayout<Element>.stride
    let huge = 2 << 20
    // Round a large buffer up so all of it is made of huge pages.
    let large = bytes >= huge
    let size = large ? (bytes + huge - 1) / huge * huge : bytes
    var raw: UnsafeMutableRawPointer?
    guard posix_memalign(&raw, large ? huge : 64, size) == 0, let base = raw else {
      fatalError("out of memory allocating \(size) bytes for a model table")
    }
    #if canImport(Glibc)
      // Before the first write, so the pages are faulted in as huge pages.
      if large { _ = madvise(base, size, MADV_HUGEPAGE) }
    #endif
    let typed = base.bindMemory(to: Element.self, capacity: max(1, count))
    pointer = UnsafeMutableBufferPointer(start: typed, count: count)
    pointer.initialize(repeating: value)
  }

  /// A copy of `values`.
  convenience init(_ values: [Element], empty: Element) {
    self.init(repeating: empty, count: values.count)
    _ = pointer.initialize(from: values)
  }

  var count: Int { pointer.count }

  deinit {
    free(pointer.baseAddress)
  }
}
