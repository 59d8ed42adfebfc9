import Foundation
import Testing

#if PostgreSQL
  @testable import ParleyPostgres
  import ParleyRecord
  import PostgresNIO

  /// The first pages of event probes a transaction keeps up to date as it writes events: after
  /// any run of inserts, updates and deletes, a page it still holds is the one the probe's
  /// statement would read (checked against a record held in memory, by the statement's rules).
  struct PostgresProbePageTests {
    struct Row {
      var id: Int64, root: String, source: String?, target: String?, cameo: String, dated: Bool, lastDay: Int?
      var probed: ProbedEvent {
        EventProbes.probedEvent(
          id: id, cameo: cameo, root: root, source: source, target: target, date: nil, location: nil,
          sortKey: "2025", reportCount: 1, first: lastDay, last: lastDay)
      }
    }

    /// The probe's statement, on rows in memory: the key (absent parts NULL), the kind, the
    /// cameo if named, then spans ending from the day in (lastDay, id) order, or those without
    /// a day by id; a page.
    static func page(_ probe: EventProbe, _ rows: [Row]) -> [Int64] {
      rows.filter { r in
        r.root == probe.root && r.source == probe.source && r.target == probe.target && r.dated == probe.dated
          && (probe.cameo == nil || r.cameo == probe.cameo)
          && (probe.endingFrom.map { day in r.lastDay.map { $0 >= day } ?? false } ?? (r.lastDay == nil))
      }
      .sorted { a, b in
        if probe.endingFrom != nil, let x = a.lastDay, let y = b.lastDay, x != y { return x < y }
        return a.id < b.id
      }
      .prefix(EventProbes.probePage).map(\.id)
    }

    @Test(arguments: [1, 2, 3, 4] as [UInt64])
    func keptPagesAreWhatTheStatementReads(seed: UInt64) {
      var random = TestRandom(seed: seed)
      func pick<T>(_ values: [T]) -> T { values[Int(random.next() % UInt64(values.count))] }
      // Few keys, so that many probes have more than a page of events.
      let actors: [String?] = ["RUS", nil]
      func row(_ id: Int64) -> Row {
        let dated = random.next() % 4 != 0
        return Row(
          id: id, root: pick(["04", "04", "04", "05"]), source: pick(actors), target: pick(actors),
          cameo: pick(["040", "042"]),
          dated: dated, lastDay: random.next() % 5 == 0 ? nil : Int(random.next() % 40))
      }
      var rows = (1...150).map { row(Int64($0)) }
      var probes: [EventProbe] = []
      for root in ["04", "05"] {
        for source in actors {
          for target in actors {
            for cameo in ["042", nil] as [String?] {
              for dated in [true, false] {
                for day in [nil, 0, 12, 30] as [Int?] {
                  probes.append(
                    EventProbe(source: source, target: target, root: root, cameo: cameo, dated: dated, endingFrom: day))
                }
              }
            }
          }
        }
      }
      var ahead = ProbesAhead()
      // Kept in the statement's order, as a read gives them.
      for probe in probes {
        ahead.keep(probe, Self.page(probe, rows).compactMap { id in rows.first { $0.id == id }?.probed })
      }
      var kept = 0
      var full = 0
      for step in 0..<200 {
        switch random.next() % 3 {
        case 0:
          let new = row((rows.map(\.id).max() ?? 0) + 1)
          rows.append(new)
          ahead.wrote(new.probed, dated: new.dated)
        case 1 where !rows.isEmpty:
          // An update keeps the root and the kind; the rest may change.
          let i = Int(random.next() % UInt64(rows.count))
          var changed = row(rows[i].id)
          (changed.root, changed.dated) = (rows[i].root, rows[i].dated)
          rows[i] = changed
          ahead.wrote(changed.probed, dated: changed.dated)
        default:
          guard !rows.isEmpty else { continue }
          let gone = rows.remove(at: Int(random.next() % UInt64(rows.count)))
          ahead.deleted(gone.id)
        }
        for probe in probes {
          let expected = Self.page(probe, rows)
          guard let page = ahead.first(probe) else {
            // Forgotten: read again now and then, as a probe asked again would be.
            if random.next() % 4 == 0 {
              ahead.keep(probe, expected.compactMap { id in rows.first { $0.id == id }?.probed })
            }
            continue
          }
          kept += 1
          if page.count == EventProbes.probePage { full += 1 }
          #expect(page.map(\.event.id) == expected, "seed \(seed), step \(step): \(probe)")
        }
      }
      // Most pages survive the writes (else every probe would be read again), full ones too.
      #expect(kept > probes.count * 200 / 2)
      #expect(full > 200)
    }
  }

  /// The statements that carry a whole batch at once: the first pages of many event probes in
  /// one statement per shape, and multi-row inserts split where a statement's parameters run out.
  @Suite(.enabled(if: PostgresTestServer.available, PostgresTestServer.skipReason))
  struct PostgresBatchWriteTests {
    /// The ids and last days of a page, to compare pages.
    static func ids(_ page: [ProbedEvent]) -> [String] { page.map { "\($0.event.id)@\($0.lastDay ?? -1)" } }

    @Test func firstPagesOfManyProbesAreThoseOfEachProbeAlone() async throws {
      let paths = [Support.seedsDirectory.path, PostgresIngestTests.examples]
      try await PostgresTestServer.withDatabase { settings in
        _ = try await PostgresIngestTests.ingest(paths, into: settings)
        let record = try await PostgresRecord.connect(settings)
        let (connection, logger) = (record.connection, record.logger)
        let (checked, full, shapes) = try await PostgresIngestTests.offThread {
          let session = PipelinedSession(connection: connection, logger: logger)
          // Forty events of one key, more than a page, for probes whose limit must apply to each.
          session.send(
            """
            INSERT INTO event (id, cameo, root, sortKey, reportCount, firstDay, lastDay, dated)
              SELECT 900000 + g, '042', '04', '2025-01-01', 1, 20000 + g, 20000 + g, 1 FROM generate_series(1, 40) g
            """)
          let events = try session.rows(
            "SELECT root, sourceId, targetId, cameo, dated, lastDay FROM event ORDER BY id LIMIT 100")
          // Every shape: with and without source, target, cameo and day, around the stored events,
          // and keys that match nothing.
          var probes: [EventProbe] = []
          for row in events {
            let (root, source, target, cameo, dated, last) = try row.decode(
              (String, String?, String?, String, Int64, Int64?).self)
            for (s, t) in [(source, target), (nil, target), (source, nil), (nil, nil), (target, source)] {
              for c in [cameo, nil] {
                for day in [last.map { Int($0) - 30 }, last.map { Int($0) + 1 }, nil] {
                  probes.append(
                    EventProbe(source: s, target: t, root: root, cameo: c, dated: dated == 1, endingFrom: day))
                }
              }
            }
          }
          probes.append(EventProbe(source: "nobody", target: nil, root: "99", cameo: nil, dated: true, endingFrom: 0))
          for cameo in ["042", nil] {
            for day in [20_000, 20_010, 20_030] {
              probes.append(
                EventProbe(source: nil, target: nil, root: "04", cameo: cameo, dated: true, endingFrom: day))
            }
          }
          probes = Array(Set(probes)).sorted { "\($0)" < "\($1)" }
          let together = try EventProbes.firstPages(probes, session: session)
          var full = 0
          for (probe, page) in zip(probes, together) {
            let alone = try EventProbes.storedEvents(session.rows(EventProbes.probeQuery(probe, after: nil)))
            #expect(Self.ids(page) == Self.ids(alone), "\(probe)")
            if alone.count == EventProbes.probePage { full += 1 }
          }
          return (together.reduce(0) { $0 + $1.count }, full, Set(probes.map(EventProbes.ProbeShape.init)).count)
        }
        await record.close()
        // The probes found events, some a full page (the limit applies per probe), in every shape.
        #expect(checked > 100)
        #expect(full > 0)
        #expect(shapes == 16)
      }
    }

    /// Batches of generated articles (near copies, duplicates, merges of events and plans),
    /// with whole batches of held rows and events: SQLite's rows, ids included.
    @Test func generatedBatchesGiveTheRowsSQLiteGives() async throws {
      let dir = try Support.temporaryDirectory()
      let inputs = try TestCorpus.write(into: dir, generated: 150, seed: 29)
      let (sqlite, expected) = try StoreSupport.store(ingesting: inputs)
      try await PostgresTestServer.withDatabase { settings in
        let summary = try await PostgresIngestTests.ingest(inputs, into: settings)
        #expect(summary == expected)
        let copy = try await PostgresIngestTests.sqliteCopy(of: settings)
        try PostgresIngestTests.expectSameRows(copy, sqlite, "generated")
        #expect(try copy.tallyProblems() == [])
        #expect(try copy.consistencyProblems() == [])
      }
    }

    @Test func aLongInsertIsSplitWhereTheParametersRunOut() async throws {
      try await PostgresTestServer.withDatabase { settings in
        let record = try await PostgresRecord.connect(settings, migrate: false)
        let (connection, logger) = (record.connection, record.logger)
        let (statements, lines) = try await PostgresIngestTests.offThread {
          let session = PipelinedSession(connection: connection, logger: logger)
          session.send("CREATE TABLE wide (a bigint, b text, c bigint, d text)")
          // 40,000 rows of 4 values: 160,000 parameters, at most 65,535 a statement.
          var rows = RowsInsert("INSERT INTO wide (a, b, c, d) VALUES")
          for i in 0..<40_000 {
            rows.value(Int64(i))
            rows.value("row \(i)")
            rows.value(Int64(i % 7))
            rows.value(i % 3 == 0 ? nil : "x" as String?)
            rows.endRow()
          }
          let statements = rows.send(to: session)
          let answer = try session.rows(
            "SELECT count(*), count(DISTINCT a), sum(c)::bigint, count(d), min(b), max(a) FROM wide")
          let (count, distinct, sum, named, first, largest) = try answer[0].decode(
            (Int64, Int64, Int64, Int64, String, Int64).self)
          return (statements, [count, distinct, sum, named, largest].map { "\($0)" } + [first])
        }
        await record.close()
        #expect(statements == 3)
        #expect(lines == ["40000", "40000", "\((0..<40_000).reduce(0) { $0 + $1 % 7 })", "26666", "39999", "row 0"])
      }
    }
  }
#endif
