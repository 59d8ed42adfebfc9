import CParleyPrefetch

/// A linear model over hashed features, read-only once built. Weights are small integers
/// (quantized against the largest magnitude): scores only need to rank classes, so the scale
/// never has to be applied. Every feature has one 8-byte cell in an open-addressing table that
/// holds a fingerprint of its key instead of the key, so the table is half the size it would be
/// with whole keys and more of it stays in the processor's caches. Models with at most four
/// classes (the parser) keep the feature's four 12-bit weights in the cell itself, so a feature
/// costs one memory access; larger ones (tagger, labeler) keep a short class-sorted list of
/// 16-bit weights per feature, which the cell points to. A parser read from a file of format 3
/// or before, whose weights are 16-bit, keeps 16-byte slots with whole keys (see `wide`).
struct LinearModel: Sendable {
  let classCount: Int
  /// Multiply a score by this to get the averaged perceptron's value.
  let scale: Float
  let featureCount: Int
  let weightCount: Int

  /// The cells (see `Inline` and `Sparse`); fingerprint 0 marks an empty cell. In huge pages:
  /// lookups land on random cells (see `PageBuffer`).
  private let cells: PageBuffer<UInt64>
  /// The whole key of each cell, read only to write the model out (a fingerprint cannot be
  /// turned back into its key), never while scoring, so it costs memory but no cache.
  private let cellKeys: [UInt64]
  /// Sparse rows: class in the high 16 bits, weight in the low 16 bits.
  private let entries: PageBuffer<UInt32>
  /// Long sparse rows as dense rows of `denseLanes` vectors, one weight per class (0 where the
  /// row has none): a frequent feature (the bias, the previous tags) has a weight for most of the
  /// tagger's 102 classes, and adding them eight at a time costs less than one by one.
  private let dense: PageBuffer<SIMD8<Int16>>
  private let denseLanes: Int
  /// Inline models whose weights need 16 bits (files of format 3 and before) keep them whole, in
  /// 16-byte slots with the whole key, as before: rounding the shipped model's weights to 12 bits
  /// changed a few parses and lost an event of the seed corpus, under its test floor.
  private let wide: PageBuffer<WideSlot>
  private let mask: Int
  private let inline: Bool
  private let isWide: Bool

  /// A wide slot: the key (0 marks an empty slot), classes 0 and 1's weights in `a` (low, high 16
  /// bits), classes 2 and 3's in `b`.
  struct WideSlot: BitwiseCopyable {
    var key: UInt64 = 0
    var a: UInt32 = 0
    var b: UInt32 = 0
  }

  /// The largest weight magnitude an inline model holds: weights are 12-bit.
  static let inlineLimit = 2047

  /// An inline cell: bits 0-15 the key's top 16 bits (never 0), then the weights of classes 0-3,
  /// 12 bits each. The table is indexed by the key's low bits, so fingerprint and position
  /// together tell keys apart about as well as 37 bits would in a 2^21-cell table.
  enum Inline {
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
      for (c, w) in weights.enumerated() { cell |= (UInt64(bitPattern: Int64(w)) & 0xFFF) << UInt64(16 + 12 * c) }
      return cell
    }
  }

  /// A sparse cell: bits 0-23 the key's top 24 bits (never 0), bits 24-31 the row's length,
  /// bits 32-63 its first entry. Length 0 (no row is empty) marks a dense row, bits 32-63 its
  /// number.
  enum Sparse {
    @inline(__always)
    static func fingerprint(_ key: UInt64) -> UInt64 {
      let f = key >> 40
      return f == 0 ? 1 : f
    }
    @inline(__always)
    static func first(_ cell: UInt64) -> Int { Int(truncatingIfNeeded: cell >> 32) }
    @inline(__always)
    static func length(_ cell: UInt64) -> Int { Int(truncatingIfNeeded: (cell >> 24) & 0xFF) }
  }

  /// Sparse rows at least this long are kept dense (see `dense`). Below it, a dense row's extra
  /// cache lines cost more than the entries they save.
  static let denseMinimum = 16

  /// Builds the table from rows in the portable form model files store: feature keys, the
  /// length of each row, and the rows' (class, weight) entries in class order. Inline models
  /// whose weights exceed 12 bits (files written before weights were 12-bit) keep wide slots.
  /// Sparse rows of `denseFrom` entries or more are kept dense (the same scores).
  init(
    classCount: Int, scale: Float, rowKeys: [UInt64], rowLength: [UInt8], entryClass: [UInt8], entryWeight: [Int16],
    denseFrom: Int = LinearModel.denseMinimum
  ) {
    self.classCount = classCount
    denseLanes = (classCount + 7) / 8
    featureCount = rowKeys.count
    inline = classCount <= 4
    let largest = entryWeight.reduce(0) { max($0, abs(Int($1))) }
    isWide = inline && largest > Self.inlineLimit
    var capacity = 16
    while capacity * 2 < rowKeys.count * 3 { capacity <<= 1 }
    let m = capacity - 1
    mask = m
    // Wide models never use the cells or their keys (16 MiB each for the shipped parser).
    let buffer = PageBuffer(repeating: UInt64(0), count: isWide ? 0 : capacity)
    let table = buffer.pointer
    var keys = [UInt64](repeating: 0, count: isWide ? 0 : capacity)
    // Keys are distinct, so each takes the first empty cell of its run; a key whose fingerprint
    // matches an earlier key's in that run is shadowed by it (about one in 20,000 features for
    // the parser, fewer for the others).
    func place(_ key: UInt64, _ cell: UInt64) {
      var i = Int(truncatingIfNeeded: key) & m
      while table[i] != 0 { i = (i + 1) & m }
      table[i] = cell
      keys[i] = key
    }
    guard !isWide else {
      self.scale = scale
      weightCount = entryWeight.count
      let slots = PageBuffer(repeating: WideSlot(), count: capacity)
      var e = 0
      for (r, k) in rowKeys.enumerated() {
        var slot = WideSlot(key: k == 0 ? 1 : k)
        for j in e..<(e + Int(rowLength[r])) {
          let w = UInt32(UInt16(bitPattern: entryWeight[j]))
          switch entryClass[j] {
          case 0: slot.a |= w
          case 1: slot.a |= w << 16
          case 2: slot.b |= w
          default: slot.b |= w << 16
          }
        }
        e += Int(rowLength[r])
        var i = Int(truncatingIfNeeded: slot.key) & m
        while slots.pointer[i].key != 0 && slots.pointer[i].key != slot.key { i = (i + 1) & m }
        slots.pointer[i] = slot
      }
      wide = slots
      cells = PageBuffer(repeating: 0, count: 0)
      cellKeys = []
      entries = PageBuffer(repeating: 0, count: 0)
      dense = PageBuffer(repeating: SIMD8(), count: 0)
      return
    }
    wide = PageBuffer(repeating: WideSlot(), count: 0)
    guard inline else {
      self.scale = scale
      weightCount = entryWeight.count
      var packed: [UInt32] = []
      packed.reserveCapacity(entryWeight.count)
      var denseRows: [SIMD8<Int16>] = []
      let lanes = denseLanes
      var e = 0
      for (r, k) in rowKeys.enumerated() {
        let key = k == 0 ? 1 : k
        let n = Int(rowLength[r])
        // An empty row (no writer makes one) would point past the last entry.
        guard n > 0 else { continue }
        if n >= denseFrom, Self.isPlain(classes: entryClass[e..<(e + n)], weights: entryWeight[e..<(e + n)]) {
          let number = denseRows.count / lanes
          denseRows.append(contentsOf: repeatElement(SIMD8(), count: lanes))
          for j in e..<(e + n) {
            let c = Int(entryClass[j])
            denseRows[number * lanes + c / 8][c % 8] = entryWeight[j]
          }
          place(key, Sparse.fingerprint(key) | UInt64(number) << 32)
        } else {
          place(key, Sparse.fingerprint(key) | UInt64(n) << 24 | UInt64(packed.count) << 32)
          for j in e..<(e + n) {
            packed.append(UInt32(entryClass[j]) << 16 | UInt32(UInt16(bitPattern: entryWeight[j])))
          }
        }
        e += n
      }
      cells = buffer
      cellKeys = keys
      entries = PageBuffer(packed, empty: 0)
      dense = PageBuffer(denseRows, empty: SIMD8())
      return
    }
    self.scale = scale
    var weights = 0
    var e = 0
    for (r, k) in rowKeys.enumerated() {
      let key = k == 0 ? 1 : k
      let n = Int(rowLength[r])
      var row: [Int16] = [0, 0, 0, 0]
      for j in e..<(e + n) {
        let w = entryWeight[j]
        row[Int(entryClass[j])] = w
        if w != 0 { weights += 1 }
      }
      e += n
      guard row != [0, 0, 0, 0] else { continue }
      place(key, Inline.pack(fingerprint: Inline.fingerprint(key), weights: row))
    }
    weightCount = weights
    cells = buffer
    cellKeys = keys
    entries = PageBuffer(repeating: 0, count: 0)
    dense = PageBuffer(repeating: SIMD8(), count: 0)
  }

  /// Whether a row can be kept dense and read back as it was: classes strictly ascending, no
  /// zero weight (a dense row cannot tell a zero entry from no entry).
  static func isPlain(classes: ArraySlice<UInt8>, weights: ArraySlice<Int16>) -> Bool {
    guard !weights.contains(0) else { return false }
    var last = -1
    for c in classes {
      guard Int(c) > last else { return false }
      last = Int(c)
    }
    return true
  }

  /// The rows in portable form, sorted by key (the order they were built from), read back from
  /// the table.
  func rows() -> (keys: [UInt64], lengths: [UInt8], classes: [UInt8], weights: [Int16]) {
    if isWide {
      var keys: [UInt64] = []
      var lengths: [UInt8] = []
      var classes: [UInt8] = []
      var weights: [Int16] = []
      for slot in wide.pointer.filter({ $0.key != 0 }).sorted(by: { $0.key < $1.key }) {
        keys.append(slot.key)
        let before = classes.count
        for (c, w) in [slot.a & 0xFFFF, slot.a >> 16, slot.b & 0xFFFF, slot.b >> 16].enumerated() where w != 0 {
          classes.append(UInt8(c))
          weights.append(Int16(bitPattern: UInt16(w)))
        }
        lengths.append(UInt8(classes.count - before))
      }
      return (keys, lengths, classes, weights)
    }
    let table = cells.pointer
    let used = table.indices.filter { table[$0] != 0 }.sorted { cellKeys[$0] < cellKeys[$1] }
    var keys: [UInt64] = []
    var lengths: [UInt8] = []
    var classes: [UInt8] = []
    var weights: [Int16] = []
    keys.reserveCapacity(used.count)
    lengths.reserveCapacity(used.count)
    for i in used {
      keys.append(cellKeys[i])
      let before = classes.count
      if inline {
        for c in 0..<4 {
          let w = Inline.weight(table[i], c)
          guard w != 0 else { continue }
          classes.append(UInt8(c))
          weights.append(Int16(w))
        }
      } else if Sparse.length(table[i]) == 0 {
        let row = Sparse.first(table[i]) * denseLanes
        for c in 0..<classCount {
          let w = dense.pointer[row + c / 8][c % 8]
          guard w != 0 else { continue }
          classes.append(UInt8(c))
          weights.append(w)
        }
      } else {
        let first = Sparse.first(table[i])
        for v in entries.pointer[first..<(first + Sparse.length(table[i]))] {
          classes.append(UInt8(v >> 16))
          weights.append(Int16(truncatingIfNeeded: v))
        }
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
      classCount: classCount, scale: scale, rowKeys: outKeys, rowLength: lengths, entryClass: classes,
      entryWeight: weights)
  }

  /// Starts loading the cells of `features` without waiting for them, so that work done before
  /// `score` (another sentence's step) overlaps with the cache misses.
  @inline(__always)
  func prefetch(_ features: UnsafeBufferPointer<UInt64>) {
    if isWide {
      guard let base = wide.pointer.baseAddress else { return }
      for f in features { parley_prefetch(base + (Int(truncatingIfNeeded: f == 0 ? 1 : f) & mask)) }
      return
    }
    guard let base = cells.pointer.baseAddress else { return }
    for f in features { parley_prefetch(base + (Int(truncatingIfNeeded: f == 0 ? 1 : f) & mask)) }
  }

  /// Adds the weights of every feature to `scores` (which has `classCount` entries).
  @inline(__always)
  func score(_ features: UnsafeBufferPointer<UInt64>, into scores: UnsafeMutableBufferPointer<Float>) {
    if isWide {
      scoreWide(features, into: scores)
      return
    }
    let table = UnsafeBufferPointer(cells.pointer)
    // Touch every feature's home cell first: the loads are independent, so their cache misses
    // overlap instead of queueing one behind another in the probing loops below.
    var touched: UInt64 = 0
    for f in features { touched &+= table[Int(truncatingIfNeeded: f == 0 ? 1 : f) & mask] }
    // Uses the sum so the compiler keeps the loads; adding 0 changes no score.
    if touched == 1 { scores[0] += 0 }
    if inline {
      var s0: Int64 = 0
      var s1: Int64 = 0
      var s2: Int64 = 0
      var s3: Int64 = 0
      for f in features {
        let key = f == 0 ? 1 : f
        let print = Inline.fingerprint(key)
        var i = Int(truncatingIfNeeded: key) & mask
        while true {
          let cell = table[i]
          let found = cell & 0xFFFF
          if found == print {
            s0 &+= Inline.weight(cell, 0)
            s1 &+= Inline.weight(cell, 1)
            s2 &+= Inline.weight(cell, 2)
            s3 &+= Inline.weight(cell, 3)
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
    // Sparse rows live apart from the table, so a feature costs a second cache miss. Finding
    // every row first and touching its first entry lets those misses overlap too; adding the
    // entries as each row was found made them wait one behind another.
    let packed = UnsafeBufferPointer(entries.pointer)
    let denseRows = UnsafeBufferPointer(dense.pointer)
    let lanes = denseLanes
    withUnsafeTemporaryAllocation(of: UInt64.self, capacity: features.count) { rows in
      var found = 0
      var first: UInt32 = 0
      var touchedDense: Int16 = 0
      for f in features {
        let key = f == 0 ? 1 : f
        let print = Sparse.fingerprint(key)
        var i = Int(truncatingIfNeeded: key) & mask
        while true {
          let cell = table[i]
          let tag = cell & 0xFF_FFFF
          if tag == print {
            if Sparse.length(cell) == 0 {
              touchedDense &+= denseRows[Sparse.first(cell) * lanes][0]
            } else {
              first &+= packed[Sparse.first(cell)]
            }
            rows[found] = cell
            found += 1
            break
          }
          if tag == 0 { break }
          i = (i + 1) & mask
        }
      }
      if first == 1 || touchedDense == 1 { scores[0] += 0 }  // keeps the loads, as above
      // Sums in integers: every weight is a whole number and no sum of them reaches 2^24, so
      // the float additions this replaces were exact and these give the same scores.
      withUnsafeTemporaryAllocation(of: SIMD8<Int32>.self, capacity: lanes) { wide in
        wide.initialize(repeating: SIMD8())
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: classCount) { sums in
          sums.initialize(repeating: 0)
          for r in 0..<found {
            let cell = rows[r]
            var e = Sparse.first(cell)
            let end = e + Sparse.length(cell)
            if end == e {
              let row = e * lanes
              for v in 0..<lanes { wide[v] &+= SIMD8<Int32>(truncatingIfNeeded: denseRows[row + v]) }
              continue
            }
            while e < end {
              let v = packed[e]
              sums[Int(v >> 16)] &+= Int32(Int16(truncatingIfNeeded: v))
              e += 1
            }
          }
          for c in 0..<min(classCount, scores.count) {
            scores[c] += Float(sums[c] &+ wide[c / 8][c % 8])
          }
        }
      }
    }
  }

  /// `score` for wide slots: four 16-bit weights beside the whole key.
  @inline(__always)
  private func scoreWide(_ features: UnsafeBufferPointer<UInt64>, into scores: UnsafeMutableBufferPointer<Float>) {
    let table = UnsafeBufferPointer(wide.pointer)
    var touched: UInt64 = 0
    for f in features { touched &+= table[Int(truncatingIfNeeded: f == 0 ? 1 : f) & mask].key }
    if touched == 1 { scores[0] += 0 }  // keeps the loads, as in `score`
    var s0: Int32 = 0
    var s1: Int32 = 0
    var s2: Int32 = 0
    var s3: Int32 = 0
    for f in features {
      let key = f == 0 ? 1 : f
      var i = Int(truncatingIfNeeded: key) & mask
      while true {
        let slot = table[i]
        if slot.key == key {
          s0 &+= Int32(Int16(truncatingIfNeeded: slot.a))
          s1 &+= Int32(Int16(truncatingIfNeeded: slot.a >> 16))
          s2 &+= Int32(Int16(truncatingIfNeeded: slot.b))
          s3 &+= Int32(Int16(truncatingIfNeeded: slot.b >> 16))
          break
        }
        if slot.key == 0 { break }
        i = (i + 1) & mask
      }
    }
    if scores.count > 0 { scores[0] += Float(s0) }
    if scores.count > 1 { scores[1] += Float(s1) }
    if scores.count > 2 { scores[2] += Float(s2) }
    if scores.count > 3 { scores[3] += Float(s3) }
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
  func score(_ features: UnsafeBufferPointer<UInt64>, into scores: UnsafeMutableBufferPointer<Float>) {
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
