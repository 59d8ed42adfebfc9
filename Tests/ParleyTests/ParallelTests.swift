import Foundation
import ParleyExtraction
import ParleyStore
import ParleyText
import Testing

/// `parley extract` and the benchmark stream articles through ordered workers: results must come
/// back in input order, however unevenly the items take, with a bounded number in flight.
@Suite("Ordered workers")
struct ParallelTests {
  /// Work whose cost varies with the item, so later items often finish before earlier ones.
  static func uneven(_ x: Int) -> Int {
    var s = 0
    for i in 0..<((x % 7) * 20_000) { s &+= i }
    return x * 2 + (s == -1 ? 1 : 0)
  }

  @Test("Results come back in submission order, and the pool runs again after finishing")
  func submissionOrder() {
    let pool = OrderedWorkers<Int, Int>(workers: 2) { ParallelTests.uneven($0) }
    var out: [Int] = []
    for i in 0..<500 {
      pool.submit(i)
      out += pool.deliver()
      #expect(pool.pending <= 16)
      while pool.pending >= 16 { out += pool.deliver(waitForOne: true) }
    }
    out += pool.finish()
    #expect(out == (0..<500).map { $0 * 2 })
    #expect(pool.pending == 0)
    pool.submit(7)
    #expect(pool.finish() == [14])
  }

  @Test("The article batcher hands results on in input order with at most maxCount in flight")
  func batcherOrder() {
    var seen: [String] = []
    let batcher = ArticleBatcher<String>(
      maxCount: 5,
      work: { raw in
        _ = ParallelTests.uneven(raw.source.count)
        return raw.id
      },
      sink: { seen.append($0) })
    let ids = (0..<200).map { "a\($0)" }
    for (n, id) in ids.enumerated() {
      batcher.add(
        RawArticle(id: id, path: id + ".txt", format: .text, source: String(repeating: "x", count: n % 11)))
      #expect(n + 1 - seen.count < 5)
    }
    batcher.flush()
    #expect(seen == ids)
  }
}
