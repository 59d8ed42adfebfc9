import CParleyPrefetch

/// A linear model over hashed features, read-only once built. Weights are small integers
/// (quantized against the largest magnitude): scores only need to rank classes, so the scale
/// never has to be applied. Models with at most four classes (the parser) pack a feature's four
/// 12-bit weights and a 16-bit fingerprint of its key into one 8-byte cell, so a feature costs one
/// memory access into a table half the size of one holding whole keys; larger ones (tagger,
/// labeler) keep 16-bit weights in a short class-sorted list per feature.
struct LinearModel: Sendable {
  let classCount: Int
  /// Multiply a score by this to get the averaged perceptron's value.
  let scale: Float
  let featureCount: Int
  let weightCount: Int

  /// Sparse models' open-addressing table; key 0 marks an empty slot (feature key 0 is stored
  /// as 1). In huge pages: lookups land on random slots (see `PageBuffer`).
  private let slots: PageBuffer<Slot>
  /// Sparse rows: class in the high 16 bits, weight in the low 16 bits.
  private let entries: PageBuffer<UInt32>
  /// Inline models' open-addressing table of packed cells (see `Cell`); fingerprint 0 marks an
  /// empty cell. In huge pages, like `slots`.
  private let cells: PageBuffer<UInt64>
  /// The whole key of each cell, read only to write the model out (a fingerprint cannot be
  /// turned back into its key), never while scoring, so it costs memory but no cache.
  private let cellKeys: [UInt64]
  private let mask: Int
  private let inline: Bool

  struct Slot: BitwiseCopyable {
    var key: UInt64 = 0
    /// Sparse: first entry.
    var a: UInt32 = 0
    /// Sparse: number of entries.
    var b: UInt32 = 0
  }

  /// The largest weight magnitude an inline model holds: weights are 12-bit.
  static let inlineLimit = 2047

  /// An inline cell: bits 0-15 the key's fingerprint, then classes 0-3's weights, 12 bits each.
  enum Cell {
    /// The key's top 16 bits, never 0 (0 marks an empty cell). The table is indexed by the low
    /// bits, so together they tell keys apart as well as 37 bits would in a 2^21-slot table.
    @inline(__always)
    static func fingerprint(_ key: UInt64) -> UInt64 {
      let f = key >> 48
      return f == 0 ? 1 : f
    }
    @inline(__always)
    static func weight(_ cell: UInt64, _ c: Int) -> Int64 {
      // Shift the field to the top, then back down arithmetically to extend its sign.
      Int64(bitPattern: cell << UInt64(36 - 12 * c)) >> 52
    }
    static func pack(fingerprint: UInt64, weights: [Int16]) -> UInt64 {
      var cell = fingerprint
      for (c, w) in weights.enumerated() {
        cell |= (UInt64(bitPattern: Int64(w)) & 0xFFF) << UInt64(16 + 12 * c)
      }
      return cell
    }
  }

  /// Builds the table from rows in the portable form model files store: feature keys, the
  /// length of each row, and the rows' (class, weight) entries in class order. Inline models
  /// whose weights exceed 12 bits (files written before weights were 12-bit) are requantized.
  init(
    classCount: Int, scale: Float, rowKeys: [UInt64], rowLength: [UInt8], entryClass: [UInt8],
    entryWeight: [Int16]
  ) {
    self.classCount = classCount
    featureCount = rowKeys.count
    inline = classCount <= 4
    var capacity = 16
    while capacity * 2 < rowKeys.count * 3 { capacity <<= 1 }
    let m = capacity - 1
    mask = m
    guard inline else {
      self.scale = scale
      weightCount = entryWeight.count
      let buffer = PageBuffer(repeating: Slot(), count: capacity)
      let table = buffer.pointer
      var packed: [UInt32] = []
      packed.reserveCapacity(entryWeight.count)
      var e = 0
      for (r, k) in rowKeys.enumerated() {
        let n = Int(rowLength[r])
        let slot = Slot(key: k == 0 ? 1 : k, a: UInt32(packed.count), b: UInt32(n))
        for j in e..<(e + n) {
          packed.append(UInt32(entryClass[j]) << 16 | UInt32(UInt16(bitPattern: entryWeight[j])))
        }
        e += n
        var i = Int(truncatingIfNeeded: slot.key) & m
        while table[i].key != 0 && table[i].key != slot.key { i = (i + 1) & m }
        table[i] = slot
      }
      slots = buffer
      entries = PageBuffer(packed, empty: 0)
      cells = PageBuffer(repeating: 0, count: 0)
      cellKeys = []
      return
    }
    let largest = entryWeight.reduce(0) { max($0, abs(Int($1))) }
    let factor = largest > Self.inlineLimit ? Double(Self.inlineLimit) / Double(largest) : 1
    self.scale = Float(Double(scale) / factor)
    let buffer = PageBuffer(repeating: UInt64(0), count: capacity)
    let table = buffer.pointer
    var keys = [UInt64](repeating: 0, count: capacity)
    var weights = 0
    var e = 0
    for (r, k) in rowKeys.enumerated() {
      let key = k == 0 ? 1 : k
      let n = Int(rowLength[r])
      var row: [Int16] = [0, 0, 0, 0]
      for j in e..<(e + n) {
        let w = Int16((Double(entryWeight[j]) * factor).rounded())
        row[Int(entryClass[j])] = w
        if w != 0 { weights += 1 }
      }
      e += n
      guard row != [0, 0, 0, 0] else { continue }
      // Keys are distinct, so each takes the first empty cell; a key whose fingerprint matches
      // an earlier key's in its probe run is shadowed by it (about one feature in 20,000).
      var i = Int(truncatingIfNeeded: key) & m
      while table[i] != 0 { i = (i + 1) & m }
      table[i] = Cell.pack(fingerprint: Cell.fingerprint(key), weights: row)
      keys[i] = key
    }
    weightCount = weights
    cells = buffer
    cellKeys = keys
    slots = PageBuffer(repeating: Slot(), count: 0)
    entries = PageBuffer(repeating: 0, count: 0)
  }

  /// The rows in portable form, sorted by key (the order they were built from), read back from
  /// the table so the model keeps one copy of its weights in memory.
  func rows() -> (keys: [UInt64], lengths: [UInt8], classes: [UInt8], weights: [Int16]) {
    var keys: [UInt64] = []
    var lengths: [UInt8] = []
    var classes: [UInt8] = []
    var weights: [Int16] = []
    if inline {
      let used = cells.pointer.indices.filter { cells.pointer[$0] != 0 }.sorted {
        cellKeys[$0] < cellKeys[$1]
      }
      keys.reserveCapacity(used.count)
      lengths.reserveCapacity(used.count)
      for i in used {
        keys.append(cellKeys[i])
        let before = classes.count
        for c in 0..<4 {
          let w = Cell.weight(cells.pointer[i], c)
          guard w != 0 else { continue }
          classes.append(UInt8(c))
          weights.append(Int16(w))
        }
        lengths.append(UInt8(classes.count - before))
      }
      return (keys, lengths, classes, weights)
    }
    let used = slots.pointer.filter { $0.key != 0 }.sorted { $0.key < $1.key }
    keys.reserveCapacity(used.count)
    lengths.reserveCapacity(used.count)
    for slot in used {
      keys.append(slot.key)
      let before = classes.count
      for v in entries.pointer[Int(slot.a)..<Int(slot.a + slot.b)] {
        classes.append(UInt8(v >> 16))
        weights.append(Int16(truncatingIfNeeded: v))
      }
      lengths.append(UInt8(classes.count - before))
    }
    return (keys, lengths, classes, weights)
  }

  /// Quantizes float weights given row by row (`rows[r]` = (class, weight) pairs sorted by class),
  /// dropping weights smaller than `prune` times the largest: they hardly ever change a decision,
  /// and a smaller table keeps more of the model in the processor's caches.
  init(classCount: Int, keys: [UInt64], rows: [[(UInt8, Float)]], prune: Float = 0) {
    let maxAbs = rows.reduce(Float(0)) { m, row in row.reduce(m) { max($0, abs($1.1)) } }
    let limit = Float(classCount <= 4 ? Self.inlineLimit : 32767)
    let scale = maxAbs > 0 ? maxAbs / limit : 1
    let floor = Int(prune * limit)
    var outKeys: [UInt64] = []
    var lengths: [UInt8] = []
    var classes: [UInt8] = []
    var weights: [Int16] = []
    for (k, row) in zip(keys, rows) {
      var n = 0
      for (c, w) in row {
        let q = Int16(clamping: Int((w / scale).rounded()))
        guard q != 0 && abs(Int(q)) >= floor else { continue }
        classes.append(c)
        weights.append(q)
        n += 1
      }
      guard n > 0 else { continue }
      outKeys.append(k)
      lengths.append(UInt8(n))
    }
    self.init(
      classCount: classCount, scale: scale, rowKeys: outKeys, rowLength: lengths,
      entryClass: classes,
      entryWeight: weights)
  }

  /// Starts loading the table slots of `features` without waiting for them, so that work done
  /// before `score` (another sentence's step) overlaps with the cache misses.
  @inline(__always)
  func prefetch(_ features: UnsafeBufferPointer<UInt64>) {
    if inline {
      guard let base = cells.pointer.baseAddress else { return }
      for f in features { parley_prefetch(base + (Int(truncatingIfNeeded: f == 0 ? 1 : f) & mask)) }
      return
    }
    guard let base = slots.pointer.baseAddress else { return }
    for f in features { parley_prefetch(base + (Int(truncatingIfNeeded: f == 0 ? 1 : f) & mask)) }
  }

  /// Adds the weights of every feature to `scores` (which has `classCount` entries).
  @inline(__always)
  func score(
    _ features: UnsafeBufferPointer<UInt64>, into scores: UnsafeMutableBufferPointer<Float>
  ) {
    if inline {
      let table = UnsafeBufferPointer(cells.pointer)
      // Touch every feature's home cell first: the loads are independent, so their cache misses
      // overlap instead of queueing one behind another in the probing loop below.
      var touched: UInt64 = 0
      for f in features { touched &+= table[Int(truncatingIfNeeded: f == 0 ? 1 : f) & mask] }
      // Uses the sum so the compiler keeps the loads; adding 0 changes no score.
      if touched == 1 { scores[0] += 0 }
      var s0: Int64 = 0
      var s1: Int64 = 0
      var s2: Int64 = 0
      var s3: Int64 = 0
      for f in features {
        let key = f == 0 ? 1 : f
        let print = Cell.fingerprint(key)
        var i = Int(truncatingIfNeeded: key) & mask
        while true {
          let cell = table[i]
          let found = cell & 0xFFFF
          if found == print {
            s0 &+= Cell.weight(cell, 0)
            s1 &+= Cell.weight(cell, 1)
            s2 &+= Cell.weight(cell, 2)
            s3 &+= Cell.weight(cell, 3)
            break
          }
          if found == 0 { break }
          i = (i + 1) & mask
        }
      }
      if scores.count > 0 { scores[0] += Float(s0) }
      if scores.count > 1 { scores[1] += Float(s1) }
      if scores.count > 2 { scores[2] += Float(s2) }
      if scores.count > 3 { scores[3] += Float(s3) }
      return
    }
    let table = UnsafeBufferPointer(slots.pointer)
    var touched: UInt64 = 0
    for f in features { touched &+= table[Int(truncatingIfNeeded: f == 0 ? 1 : f) & mask].key }
    if touched == 1 { scores[0] += 0 }
    // Sparse rows live apart from the table, so a feature costs a second cache miss. Finding
    // every row first and touching its first entry lets those misses overlap too; adding the
    // entries as each row was found made them wait one behind another.
    let packed = UnsafeBufferPointer(entries.pointer)
    withUnsafeTemporaryAllocation(of: Slot.self, capacity: features.count) { rows in
      var found = 0
      var first: UInt32 = 0
      for f in features {
        let key = f == 0 ? 1 : f
        var i = Int(truncatingIfNeeded: key) & mask
        while true {
          let slot = table[i]
          if slot.key == key {
            if slot.b > 0 { first &+= packed[Int(slot.a)] }
            rows[found] = slot
            found += 1
            break
          }
          if slot.key == 0 { break }
          i = (i + 1) & mask
        }
      }
      if first == 1 { scores[0] += 0 }  // keeps the loads, as above
      for r in 0..<found {
        var e = Int(rows[r].a)
        let end = e + Int(rows[r].b)
        while e < end {
          let v = packed[e]
          scores[Int(v >> 16)] += Float(Int16(truncatingIfNeeded: v))
          e += 1
        }
      }
    }
  }
}

/// Trains a `LinearModel` as an averaged perceptron (Collins 2002) with lazy averaging:
/// each weight remembers when it last changed, so an update costs only the features involved.
struct PerceptronTrainer {
  let classCount: Int
  private var slotKeys: [UInt64]
  private var slotRow: [Int32]
  private var mask: Int
  private var rowKeys: [UInt64] = []
  /// First entry of each row's linked list, or -1.
  private var rowHead: [Int32] = []
  private var entryClass: [UInt16] = []
  private var entryNext: [Int32] = []
  private var entryWeight: [Float] = []
  private var entryTotal: [Double] = []
  private var entryStamp: [Int32] = []
  /// Instances seen so far: the averaging clock.
  private(set) var clock: Int32 = 1

  init(classCount: Int) {
    self.classCount = classCount
    slotKeys = [UInt64](repeating: 0, count: 1 << 16)
    slotRow = [Int32](repeating: -1, count: 1 << 16)
    mask = (1 << 16) - 1
  }

  var featureCount: Int { rowKeys.count }

  private func find(_ key: UInt64) -> Int {
    var i = Int(truncatingIfNeeded: key) & mask
    while true {
      let k = slotKeys[i]
      if k == key { return Int(slotRow[i]) }
      if k == 0 { return -1 }
      i = (i + 1) & mask
    }
  }

  private mutating func row(for key: UInt64) -> Int {
    let found = find(key)
    if found >= 0 { return found }
    if rowKeys.count * 2 >= slotKeys.count { grow() }
    var i = Int(truncatingIfNeeded: key) & mask
    while slotKeys[i] != 0 { i = (i + 1) & mask }
    slotKeys[i] = key
    slotRow[i] = Int32(rowKeys.count)
    rowKeys.append(key)
    rowHead.append(-1)
    return rowKeys.count - 1
  }

  private mutating func grow() {
    let capacity = slotKeys.count * 2
    slotKeys = [UInt64](repeating: 0, count: capacity)
    slotRow = [Int32](repeating: -1, count: capacity)
    mask = capacity - 1
    for (r, k) in rowKeys.enumerated() {
      var i = Int(truncatingIfNeeded: k) & mask
      while slotKeys[i] != 0 { i = (i + 1) & mask }
      slotKeys[i] = k
      slotRow[i] = Int32(r)
    }
  }

  /// Current (not averaged) scores of `features`, added to `scores`.
  func score(
    _ features: UnsafeBufferPointer<UInt64>, into scores: UnsafeMutableBufferPointer<Float>
  ) {
    for f in features {
      let r = find(f == 0 ? 1 : f)
      guard r >= 0 else { continue }
      var e = Int(rowHead[r])
      while e >= 0 {
        scores[Int(entryClass[e])] += entryWeight[e]
        e = Int(entryNext[e])
      }
    }
  }

  /// Marks the end of one training instance for averaging.
  mutating func tick() { clock += 1 }

  /// Moves weight towards `truth` and away from `guess` for every feature.
  mutating func update(_ features: UnsafeBufferPointer<UInt64>, truth: Int, guess: Int) {
    guard truth != guess else { return }
    for f in features {
      let r = row(for: f == 0 ? 1 : f)
      add(row: r, cls: truth, 1)
      add(row: r, cls: guess, -1)
    }
  }

  private mutating func add(row r: Int, cls: Int, _ delta: Float) {
    var e = Int(rowHead[r])
    while e >= 0 && Int(entryClass[e]) != cls { e = Int(entryNext[e]) }
    if e < 0 {
      e = entryClass.count
      entryClass.append(UInt16(cls))
      entryNext.append(rowHead[r])
      entryWeight.append(0)
      entryTotal.append(0)
      entryStamp.append(clock)
      rowHead[r] = Int32(e)
    }
    entryTotal[e] += Double(clock - entryStamp[e]) * Double(entryWeight[e])
    entryStamp[e] = clock
    entryWeight[e] += delta
  }

  /// The averaged, quantized model. Weights whose average is below `threshold` in magnitude
  /// are dropped, rows left empty go too; rows are sorted by key so the output depends only on
  /// training.
  func averaged(threshold: Float = 1e-3, prune: Float = 0) -> LinearModel {
    let order = rowKeys.indices.sorted { rowKeys[$0] < rowKeys[$1] }
    var keys: [UInt64] = []
    var rows: [[(UInt8, Float)]] = []
    for r in order {
      var row: [(UInt8, Float)] = []
      var e = Int(rowHead[r])
      while e >= 0 {
        let total = entryTotal[e] + Double(clock - entryStamp[e]) * Double(entryWeight[e])
        let avg = Float(total / Double(clock))
        if abs(avg) >= threshold { row.append((UInt8(entryClass[e]), avg)) }
        e = Int(entryNext[e])
      }
      guard !row.isEmpty else { continue }
      row.sort { $0.0 < $1.0 }
      keys.append(rowKeys[r])
      rows.append(row)
    }
    return LinearModel(classCount: classCount, keys: keys, rows: rows, prune: prune)
  }
}
