// The whole module exists only with the PostgreSQL trait (see Package.swift).
#if PostgreSQL

  import Foundation
  import Logging
  import NIOCore
  import ParleyModel
  import ParleyRecord
  import ParleyStore
  import PostgresNIO
  import Synchronization

  /// `parley ingest` into PostgreSQL: stores prepared articles by the record's own rules
  /// (`EventRules`, `PlanRules` of `ParleyRecord`), with the same rows SQLite's writer makes.
  ///
  /// A writer alone (no other writer connected to the database) takes one advisory lock
  /// (`writeLock`) exclusively per transaction and numbers new rows as SQLite does (the largest
  /// id plus one), so a record ingested here has the very ids and rows of one ingested into SQLite
  /// from the same inputs.
  ///
  /// Writers that run at once (on one machine or many) work concurrently instead: each
  /// transaction takes `writeLock` shared, locks the keys of its articles (so an article is stored
  /// once), inserts the rows that need no merge decision (the article with its search vector,
  /// bands, actors, mentions, citations, provisions outside plans) while others do the same, and
  /// only then takes the merge lock, held until it commits: the merge decisions (near copies,
  /// which event a report joins, plan families and versions, positions of plan provisions) and the
  /// shared tallies are made by one transaction at a time, seeing every article the others
  /// committed, so the record is the one a sequential ingest gives (ids aside: those come from
  /// the tables' sequences). Extraction, the slow part, runs outside every lock.
  ///
  /// The record's rules are synchronous; postgres-nio is not. The rules run on ingest's writer
  /// thread (`Ingestor`'s, not a task or an event loop), which waits for the server's answers
  /// (`PipelinedSession`). Each statement is a round trip of the connection, so a batch's rows go
  /// in a statement per table and its event writes are held until something reads them.
  public final class PostgresArticleWriter: ArticleWriter {
    /// Where the record is, without its password.
    public let settings: PostgresSettings
    private let record: PostgresRecord

    /// Key of the advisory lock every ingest transaction takes ('parw' in ASCII): exclusive for a
    /// writer alone, shared by writers at once. (An older Parley takes it exclusively too, but
    /// neither announces itself nor moves the sequences: do not mix versions of the writer.)
    static let writeLock: Int64 = 0x7061_7277
    /// First key of the two-key advisory locks below ('parw' again, in their own key space).
    static let lockSpace: Int32 = 0x7061_7277
    /// Held shared by every writer for its whole session: writers count each other by it.
    static let presenceLock: Int32 = 1
    /// Taken by a concurrent transaction for its merge decisions, until it commits.
    static let mergeLock: Int32 = 2

    private init(record: PostgresRecord) {
      self.record = record
      settings = record.settings
    }

    /// Connects, brings the schema up to date and announces the writer to the others.
    public static func connect(_ settings: PostgresSettings) async throws(PostgresStoreError) -> PostgresArticleWriter {
      let record = try await PostgresRecord.connect(settings)
      do {
        try await record.run { connection, logger in
          try await connection.query(
            "SELECT pg_advisory_lock_shared(\(lockSpace), \(presenceLock))", logger: logger)
          try await connection.query(PostgresQuery(unsafeSQL: WriteState.deltaTableSQL), logger: logger)
        }
        // Concurrent transactions number rows from the tables' sequences, which must start after
        // the largest ids: a record may come from `parley copy`, or from an older Parley.
        try await record.transaction { connection, logger in
          try await connection.query("SELECT pg_advisory_xact_lock(\(writeLock))", logger: logger)
          try await connection.query(PostgresQuery(unsafeSQL: WriteState.syncSequencesSQL), logger: logger)
        }
      } catch {
        await record.close()
        throw error
      }
      return PostgresArticleWriter(record: record)
    }

    /// Ends the connection (and with it the writer's presence).
    public func close() async {
      await record.close()
    }

    public var displayName: String { settings.displayURL }

    /// Stores the articles in one transaction; when one of them fails, each again in a
    /// transaction of its own, so that it reports its own reason and the others are stored (as
    /// SQLite's `RecordStore.ingest(_:policy:)` does).
    public func ingest(_ articles: [PreparedArticle], policy: MergePolicy) -> [Result<IngestOutcome, StoreError>] {
      if articles.count > 1 {
        do {
          let outcomes = try transaction { session, concurrent, timing in
            try PostgresWriter.write(articles, policy: policy, session: session, concurrent: concurrent, timing: timing)
          }
          return outcomes.map { .success($0) }
        } catch {
          // A connection that is gone would fail each article again, saying only that it is
          // gone: report the reason it went (the server shutting down, say) for all of them.
          if record.connection.isClosed { return articles.map { _ in .failure(storeError(error)) } }
        }
      }
      return articles.map { article in
        do {
          let outcomes = try transaction { session, concurrent, timing in
            try PostgresWriter.write(
              [article], policy: policy, session: session, concurrent: concurrent, timing: timing)
          }
          guard let outcome = outcomes.first else {
            throw PostgresStoreError(server: "", reason: "an article gave no outcome")
          }
          return .success(outcome)
        } catch {
          return .failure(storeError(error))
        }
      }
    }

    /// Seconds this writer's transactions waited for the lock that serializes them and held it
    /// (alone: the write lock; concurrent: the merge lock): how much of a run the lock
    /// serializes, and so what another writer can gain.
    public var writeLockSeconds: (waited: Double, held: Double) { lockTimes.withLock { $0 } }
    private let lockTimes = Mutex<(waited: Double, held: Double)>((0, 0))

    /// Runs `body` in a transaction holding the write lock: committed if it returns, rolled back
    /// if it throws. `body` learns whether other writers are connected (then the lock is shared
    /// and it must take the merge lock itself, noting when in the timing).
    private func transaction<T>(_ body: (PipelinedSession, Bool, LockTiming) throws -> T) throws -> T {
      let session = PipelinedSession(connection: record.connection, logger: record.logger)
      let clock = ContinuousClock()
      let timing = LockTiming(asked: clock.now)
      defer {
        let ended = clock.now
        // A concurrent transaction with nothing new to merge never takes the merge lock.
        if timing.locked != nil || !timing.concurrent {
          let locked = timing.locked ?? ended
          lockTimes.withLock {
            $0 = ($0.waited + (locked - timing.asked).seconds, $0.held + (ended - locked).seconds)
          }
        }
      }
      session.send("BEGIN")
      do {
        // Counted per transaction: a writer that connects later makes the others concurrent from
        // their next transaction; the shared and the exclusive lock keep the two kinds apart.
        let present = try session.rows(PostgresQuery(unsafeSQL: Self.writersPresentSQL))
        var writers: Int64 = 1
        if let row = present.first { (writers, _) = try row.decode((Int64, String).self) }
        let concurrent = writers > 1
        timing.concurrent = concurrent
        // Waited for (one round trip per transaction) to tell waiting for the lock from holding it.
        _ = try session.rows(
          concurrent
            ? "SELECT pg_advisory_xact_lock_shared(\(Self.writeLock))"
            : "SELECT pg_advisory_xact_lock(\(Self.writeLock))")
        if !concurrent { timing.locked = clock.now }
        let value = try body(session, concurrent, timing)
        _ = try session.rows("COMMIT")
        return value
      } catch {
        // The transaction's own error is the one to report; a rollback on a lost connection
        // fails too, and the server drops the transaction anyway.
        _ = try? session.rows("ROLLBACK")
        throw error
      }
    }

    /// How many writers are connected to this database, this one included; and, in the same
    /// round trip, tells the mention trigger that this transaction adds its mentions to
    /// `actor_tally` itself (`WriteState.sendMentionTally`), so that no statement is added for it.
    static let writersPresentSQL = """
      SELECT count(*), set_config('\(PostgresSchema.batchMentionTallySetting)', 'on', true) FROM pg_locks
      WHERE locktype = 'advisory' AND granted AND classid = \(lockSpace) AND objid = \(presenceLock) AND objsubid = 2
        AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
      """

    private func storeError(_ error: any Error) -> StoreError {
      if let error = error as? StoreError { return error }
      return StoreError(path: settings.displayURL, reason: PostgresStoreError.reason(error, settings: settings))
    }
  }

  /// When a transaction asked for the lock that serializes it, and when it got it.
  final class LockTiming {
    var asked: ContinuousClock.Instant
    var locked: ContinuousClock.Instant?
    var concurrent = false

    init(asked: ContinuousClock.Instant) { self.asked = asked }
  }

  /// A cell of the positions matrix, as `position_tally` keys it.
  struct PositionCell: Hashable, Comparable {
    var party: String, actorId: String, category: String, stance: String
    static func < (a: PositionCell, b: PositionCell) -> Bool {
      (a.party, a.actorId, a.category, a.stance) < (b.party, b.actorId, b.category, b.stance)
    }
  }

  /// An actor's alias, as `actor_alias` keys it.
  struct AliasKey: Hashable, Comparable {
    var actorId: String, alias: String
    static func < (a: AliasKey, b: AliasKey) -> Bool { (a.actorId, a.alias) < (b.actorId, b.alias) }
  }

  /// What the articles of one transaction share: the ids new rows get, the articles stored by
  /// key, the rows and events not sent yet, the kept probe pages, and the tallies to add at the end.
  ///
  /// A writer alone numbers rows itself instead of reading `RETURNING id`, so no insert is
  /// waited for and rows can be held back: under the exclusive write lock no other writer adds rows, so the largest id read
  /// once per transaction, counted up, is exactly the `max + 1` SQLite gives. Concurrent
  /// transactions take the ids they must know (articles, events, plans, versions, provisions)
  /// from the tables' sequences ahead, a round trip for many, and leave the others to the
  /// sequences' defaults.
  final class WriteState {
    let session: PipelinedSession
    /// Whether other writers run at once (see `PostgresArticleWriter`).
    let concurrent: Bool
    /// Whether this writer gives rows their ids (alone) rather than the sequences.
    var numbering: Bool { !concurrent }
    /// The next id of each numbered table (alone).
    private var next: [String: Int64] = [:]
    /// Tables whose largest row this transaction deleted: their largest id is read again (alone).
    private var stale: Set<String> = []
    /// Ids taken from the sequences and not used yet, the next last (concurrent).
    private var pools: [String: [Int64]] = [:]
    /// Article key to id: the batch's articles the record already had, and those stored since.
    var stored: [String: Int64] = [:]
    /// Reports and participants of the events placed so far, sent together (see `flushEventRows`).
    var reports: RowsInsert
    var participants = RowsInsert(
      "INSERT INTO event_participant (eventId, actorId) VALUES", tail: " ON CONFLICT DO NOTHING")
    /// The batch's rows that no merge decision reads, held back and sent a table at a time (see
    /// `sendArticles` and `sendHeldRows`): postgres-nio sends a connection's statements one at a
    /// time, each waiting for the server's answer to the one before, so every statement is a
    /// round trip however it is queued, and one statement per table and batch instead of one per
    /// table and article is what saves them.
    var articleRows = RowsInsert(
      """
      INSERT INTO article (id, key, docId, path, format, title, published, outlet, url, source, body,
        duplicateParagraphsRemoved, duplicateOf, similarity, signature) VALUES
      """)
    var bands: RowsInsert
    var citations: RowsInsert
    var mentions: RowsInsert
    var provisions = RowsInsert(
      """
      INSERT INTO provision (id, articleId, versionId, category, text, demandedBy, appliesTo, start, "end") VALUES
      """)
    var positions: RowsInsert
    var planMentions: RowsInsert
    /// Plan links, family name counts and plans whose parties or name may change, held back
    /// (see `sendPlanRows`).
    var planLinkRows = RowsInsert(
      "INSERT INTO plan_link (key, parties, planId) VALUES", tail: " ON CONFLICT DO NOTHING")
    var familyNames: [Int64: [String: Int]] = [:]
    var planParties: [Int64: [String]] = [:]
    /// Articles stored by this transaction, for the change counter.
    var newArticles = 0
    /// What an update leaves of the events this transaction read or wrote, as they are now:
    /// their root and kind (`dated`), which no update changes, and their source and target, which
    /// need no statement when they stay.
    var eventKeys: [Int64: EventKeyState] = [:]

    struct EventKeyState: Equatable {
      var root: String
      var dated: Bool
      var source: String?
      var target: String?
    }

    /// Events inserted or updated by this transaction and not sent yet, the first written first:
    /// held until a statement reads or moves events (a probe the kept pages cannot answer, a
    /// merge, the reports of the batch) and then sent in three statements, an event written
    /// several times once, as it is last.
    private var heldEvents: [Int64: HeldEvent] = [:]
    private var heldOrder: [Int64] = []

    struct HeldEvent {
      /// Whether the row is new (else an update of a stored row).
      var inserted: Bool
      /// The event as last written; an update keeps the stored root and kind.
      var summary: MergedEvent
      var root: String
      var dated: Bool
      /// An update changed its source or target at least once.
      var keyChanged: Bool
    }

    /// Holds a new event.
    func holdInsert(_ id: Int64, _ s: MergedEvent, dated: Bool) {
      heldEvents[id] = HeldEvent(inserted: true, summary: s, root: s.root, dated: dated, keyChanged: false)
      heldOrder.append(id)
    }

    /// Holds an update of event `id` (whose root and kind are `old`'s).
    func holdUpdate(_ id: Int64, _ s: MergedEvent, old: EventKeyState) {
      let keyChanged = old.source != s.source || old.target != s.target
      if var held = heldEvents[id] {
        held.summary = s
        held.keyChanged = held.keyChanged || keyChanged
        heldEvents[id] = held
        return
      }
      heldEvents[id] = HeldEvent(inserted: false, summary: s, root: old.root, dated: old.dated, keyChanged: keyChanged)
      heldOrder.append(id)
    }

    /// Sends the events held back (a value of a `VALUES` list outside an insert takes the type
    /// of the list's column, which a column of NULLs alone does not have: each is cast): the new
    /// ones in one insert (as last written: the tallies'
    /// triggers count the source and target they end with, as an insert and updates would), the
    /// updated ones in one update, and the sources and targets that changed in another, which
    /// (as one update per change did) touches only rows whose source or target differs.
    func sendEvents() {
      guard !heldOrder.isEmpty else { return }
      var inserts = RowsInsert(
        """
        INSERT INTO event (id, cameo, root, sourceId, targetId, date, location, sortKey, reportCount, firstDay, lastDay,
          dated) VALUES
        """)
      var updates = RowsInsert(
        """
        UPDATE event AS e SET cameo = v.cameo::text, date = v.date::text, location = v.location::text,
          sortKey = v.sortKey::text, reportCount = v.reportCount::bigint, firstDay = v.firstDay::bigint,
          lastDay = v.lastDay::bigint
        FROM (VALUES
        """,
        tail: ") AS v(id, cameo, date, location, sortKey, reportCount, firstDay, lastDay) WHERE e.id = v.id")
      var keys = RowsInsert(
        "UPDATE event AS e SET sourceId = v.sourceId, targetId = v.targetId FROM (SELECT id, s::text AS sourceId, t::text AS targetId FROM (VALUES",
        tail: """
          ) AS x(id, s, t)) AS v
          WHERE e.id = v.id AND (e.sourceId IS DISTINCT FROM v.sourceId OR e.targetId IS DISTINCT FROM v.targetId)
          """)
      for id in heldOrder {
        guard let held = heldEvents[id] else { continue }
        let s = held.summary
        if held.inserted {
          inserts.value(id)
          inserts.value(s.cameo)
          inserts.value(held.root)
          inserts.value(s.source)
          inserts.value(s.target)
          inserts.value(s.date?.description)
          inserts.value(s.location)
          inserts.value(s.sortKey)
          inserts.value(s.reportCount)
          inserts.value(s.span?.first)
          inserts.value(s.span?.last)
          inserts.value(held.dated ? 1 : 0)
          inserts.endRow()
          continue
        }
        updates.value(id)
        updates.value(s.cameo)
        updates.value(s.date?.description)
        updates.value(s.location)
        updates.value(s.sortKey)
        updates.value(s.reportCount)
        updates.value(s.span?.first)
        updates.value(s.span?.last)
        updates.endRow()
        if held.keyChanged {
          keys.value(id)
          keys.value(s.source)
          keys.value(s.target)
          keys.endRow()
        }
      }
      heldEvents.removeAll(keepingCapacity: true)
      heldOrder.removeAll(keepingCapacity: true)
      inserts.send(to: session)
      updates.send(to: session)
      keys.send(to: session)
    }
    /// The first pages of the batch's event probes, sent ahead.
    var probes = ProbesAhead()
    /// Alias counts and position cells of the transaction, added to their rows once at the end
    /// (concurrent: under the merge lock, so that no transaction holds these shared rows while it
    /// works).
    var aliases: [AliasKey: Int] = [:]
    var positionCells: [PositionCell: Int] = [:]
    /// Per actor, the articles (new ones: none had a mention before) and the mentions this
    /// transaction stored, added to `actor_tally` once (`sendMentionTally`): the mention trigger
    /// skips this writer's inserts (`PostgresSchema.batchMentionTallySQL`).
    var mentionTally: [String: (articles: Int, mentions: Int)] = [:]

    /// Tables whose new rows the writer numbers, with their id column.
    static let numbered: [(table: String, column: String)] = [
      ("article", "id"), ("article_band", "rowid"), ("mention", "rowid"), ("citation", "rowid"), ("event", "id"),
      ("report", "id"), ("plan", "id"), ("plan_version", "id"), ("plan_mention", "rowid"), ("provision", "id"),
      ("position", "id"),
    ]

    /// Sets each numbered table's sequence to its largest id, so that the next id a sequence
    /// gives follows the rows a writer numbered itself (`setval` ignores transactions: run it
    /// only where no concurrent transaction holds ids, under the exclusive write lock).
    static let syncSequencesSQL = numbered.map { t in
      """
      SELECT setval(pg_get_serial_sequence('\(t.table)', '\(t.column)'), coalesce(max(\(t.column)), 1), \
      max(\(t.column)) IS NOT NULL) FROM \(t.table)
      """
    }.joined(separator: " UNION ALL ")

    /// The session's table of tally changes the deferring triggers write (see
    /// `PostgresSchema.deferrableTallySQL`): temporary, so writers never share its rows, and
    /// emptied by every commit (a truncation: autovacuum never cleans temporary tables, so rows
    /// deleted one by one would stay as dead rows every later batch reads again).
    static let deltaTableSQL = """
      CREATE TEMP TABLE IF NOT EXISTS parley_tally_delta (
        kind text NOT NULL, key text NOT NULL, a bigint NOT NULL, b bigint NOT NULL, c bigint NOT NULL)
        ON COMMIT DELETE ROWS
      """

    /// Alone: reads the largest id of every numbered table, which of the articles are stored, the
    /// near-copy candidates of their band keys and the plan links of their link keys: one round
    /// trip for the batch instead of one probe per article and per plan mention.
    init(session: PipelinedSession, articles: [PreparedArticle]) throws {
      self.session = session
      concurrent = false
      (reports, bands, citations, mentions, positions, planMentions) = Self.heldRows(numbered: true)
      let maxima = Self.numbered.map { "SELECT '\($0.table)', coalesce(max(\($0.column)), 0) FROM \($0.table)" }
        .joined(separator: " UNION ALL ")
      let keys = Array(Set(articles.map(\.key))).sorted()
      let (bands, links) = Self.probeKeys(articles)
      let answers = try session.rowsOfEach(
        [
          PostgresQuery(unsafeSQL: maxima),
          "SELECT key, id FROM article WHERE key = ANY(\(keys))",
        ] + Self.probeQueries(bands: bands, links: links, excluding: []))
      guard answers.count == 5 else { throw PostgresStoreError(server: "", reason: "a probe gave no answer") }
      for row in answers[0] {
        let (table, largest) = try row.decode((String, Int64).self)
        next[table] = largest + 1
      }
      try readStored(answers[1])
      try readProbes(bands: bands, answers[2], links: links, answers[3], versions: answers[4])
    }

    /// Concurrent: defers the actor and outlet tallies, locks the keys of the articles (an
    /// article another writer is storing is then stored, or not, once it commits), reads which are
    /// stored and takes ids for the articles and their provisions: one round trip.
    init(concurrentSession session: PipelinedSession, articles: [PreparedArticle]) throws {
      self.session = session
      concurrent = true
      (reports, bands, citations, mentions, positions, planMentions) = Self.heldRows(numbered: false)
      let keys = Array(Set(articles.map(\.key))).sorted()
      // In ascending order, as every transaction takes them, so two never wait for each other.
      let lockKeys = Array(Set(keys.map(Self.lockKey))).sorted()
      session.send(PostgresQuery(unsafeSQL: "SET LOCAL \(PostgresSchema.deferTalliesSetting) = 'on'"))
      let answers = try session.rowsOfEach([
        "SELECT pg_advisory_xact_lock(k) FROM unnest(\(lockKeys)) AS k",
        "SELECT key, id FROM article WHERE key = ANY(\(keys))",
        Self.takeIds("article", keys.count),
        Self.takeIds("provision", articles.reduce(0) { $0 + $1.extraction.provisions.count }),
      ])
      guard answers.count == 4 else { throw PostgresStoreError(server: "", reason: "a probe gave no answer") }
      try readStored(answers[1])
      try pool("article", answers[2])
      try pool("provision", answers[3])
    }

    /// Concurrent: takes the merge lock (noting when in `timing`), and reads what the merge
    /// decisions of `articles` start from: the near-copy candidates of their band keys (others'
    /// articles, not those of this transaction, which `stored` adds one by one), the plan links of
    /// their link keys, and ids for the events their reports may make. One round trip.
    func enterMerge(_ articles: [PreparedArticle], own: [Int64], timing: LockTiming) throws {
      let (bands, links) = Self.probeKeys(articles)
      let clock = ContinuousClock()
      timing.asked = clock.now
      _ = try session.rows(
        "SELECT pg_advisory_xact_lock(\(PostgresArticleWriter.lockSpace), \(PostgresArticleWriter.mergeLock))")
      timing.locked = clock.now
      let answers = try session.rowsOfEach(
        Self.probeQueries(bands: bands, links: links, excluding: own)
          + [Self.takeIds("event", articles.reduce(0) { $0 + $1.extraction.events.count })])
      guard answers.count == 4 else { throw PostgresStoreError(server: "", reason: "a probe gave no answer") }
      try readProbes(bands: bands, answers[0], links: links, answers[1], versions: answers[2])
      try pool("event", answers[3])
    }

    /// Concurrent: adds the transaction's tally changes to the shared rows, in key order, once
    /// for the whole batch. Under the merge lock, so no two transactions update them at once.
    func addTallies() {
      for (kind, table, key, columns) in [
        ("a", "actor_tally", "actorId", ["articles", "mentions", "events"]),
        ("o", "outlet_tally", "outlet", ["published", "cited", "reports"]),
      ] {
        let updates = columns.map { "\($0) = \(table).\($0) + excluded.\($0)" }.joined(separator: ", ")
        session.send(
          PostgresQuery(
            unsafeSQL: """
              INSERT INTO \(table) (\(key), \(columns.joined(separator: ", ")))
                SELECT key, sum(a), sum(b), sum(c) FROM parley_tally_delta WHERE kind = '\(kind)'
                GROUP BY key ORDER BY key
                ON CONFLICT (\(key)) DO UPDATE SET \(updates)
              """))
      }
      // The citations' outlets per citing outlet (`PostgresSchema.sourceTallySQL`).
      session.send(
        """
        INSERT INTO outlet_citing_tally (outlet, citing, citations)
          SELECT split_part(key, chr(31), 1), split_part(key, chr(31), 2), sum(a) FROM parley_tally_delta
          WHERE kind = 'c' GROUP BY key ORDER BY key
          ON CONFLICT (outlet, citing) DO UPDATE SET citations = outlet_citing_tally.citations + excluded.citations
        """)
      sendTallies()
    }

    /// The band keys and plan link keys of `articles`, sorted.
    private static func probeKeys(_ articles: [PreparedArticle]) -> (bands: [Int64], links: [String]) {
      let bands = Array(Set(articles.flatMap(\.bandKeys))).sorted()
      let links = Array(
        Set(
          articles.flatMap { a in a.extraction.plans.map { PlanMentionFacts(name: $0.name, points: $0.points).linkKey }
          })
      ).sorted()
      return (bands, links)
    }

    /// The near-copy candidates of `bands` (without the articles `own`), the plan links of
    /// `links` and every version of the families they link to (so that the plan rules' version
    /// lookups need no statement of their own: a family read whole answers "no such version" too).
    private static func probeQueries(bands: [Int64], links: [String], excluding own: [Int64]) -> [PostgresQuery] {
      [
        """
        SELECT DISTINCT b.key, s.articleId, s.duplicateOf, s.signature
        FROM article_band b JOIN article_signature s ON s.articleId = b.articleId
        WHERE b.key = ANY(\(bands)) AND b.articleId <> ALL(\(own))
        """,
        "SELECT key, planId, parties FROM plan_link WHERE key = ANY(\(links))",
        """
        SELECT planId, id, points, name FROM plan_version
        WHERE planId IN (SELECT planId FROM plan_link WHERE key = ANY(\(links)))
        """,
      ]
    }

    /// `count` ids from the sequence of `table`, ascending.
    private static func takeIds(_ table: String, _ count: Int) -> PostgresQuery {
      let column = numbered.first { $0.table == table }?.column ?? "id"
      return PostgresQuery(
        unsafeSQL: """
          SELECT nextval(pg_get_serial_sequence('\(table)', '\(column)')) FROM generate_series(1, \(count)) AS i ORDER BY i
          """)
    }

    /// The advisory lock key of an article key: FNV-1a, the same in every process (Swift's
    /// `Hasher` is seeded per process), above the write lock's key so that every transaction
    /// takes its locks in one order.
    static func lockKey(_ key: String) -> Int64 {
      var hash: UInt64 = 0xCBF2_9CE4_8422_2325
      for byte in key.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
      return Int64(bitPattern: (hash & 0x3FFF_FFFF_FFFF_FFFF) | 0x4000_0000_0000_0000)
    }

    /// The held-back inserts whose id column a writer alone fills (concurrent: the sequences do).
    private static func heldRows(numbered: Bool) -> (
      reports: RowsInsert, bands: RowsInsert, citations: RowsInsert, mentions: RowsInsert, positions: RowsInsert,
      planMentions: RowsInsert
    ) {
      let id = numbered ? "id, " : ""
      let rowid = numbered ? "rowid, " : ""
      return (
        RowsInsert(
          """
          INSERT INTO report (\(id)eventId, articleId, cameo, sourceId, targetId, date, location, \
          cited, text, trigger, start, "end") VALUES
          """),
        RowsInsert("INSERT INTO article_band (\(rowid)key, articleId) VALUES"),
        RowsInsert("INSERT INTO citation (\(rowid)articleId, outlet, start, \"end\", text) VALUES"),
        RowsInsert("INSERT INTO mention (\(rowid)articleId, actorId, start, \"end\", text) VALUES"),
        RowsInsert(
          """
          INSERT INTO position (\(id)party, actorId, category, stance, provisionId, articleId, \
          evidence, start, "end", versionId) VALUES
          """),
        RowsInsert(
          "INSERT INTO plan_mention (\(rowid)articleId, versionId, name, cue, text, start, \"end\") VALUES")
      )
    }

    /// Sends the article rows held back; before anything that refers to them.
    func sendArticles() {
      articleRows.send(to: session)
    }

    /// Sends the plan rows held back: the links, the family names' counts, then each plan's
    /// parties and name (as `addMembers` would have left them: the least parties, the name most
    /// of its mentions use once all are counted), the plan mentions, provisions and positions;
    /// before a plan merge moves them or a statement reads them.
    func sendPlanRows() {
      planLinkRows.send(to: session)
      var names = RowsInsert(
        "INSERT INTO plan_family_name (planId, name, mentions) VALUES",
        tail: " ON CONFLICT (planId, name) DO UPDATE SET mentions = plan_family_name.mentions + excluded.mentions")
      for (planId, counts) in familyNames.sorted(by: { $0.key < $1.key }) {
        for (name, count) in counts.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }) {
          names.value(planId)
          names.value(name)
          names.value(count)
          names.endRow()
        }
      }
      names.send(to: session)
      familyNames.removeAll()
      var plans = RowsInsert(
        """
        UPDATE plan AS p SET parties = least(p.parties, v.parties),
          name = coalesce((SELECT name FROM plan_family_name f WHERE f.planId = p.id ORDER BY mentions DESC, name LIMIT 1),
            p.name)
        FROM (SELECT id, min(parties COLLATE "C") AS parties FROM (VALUES
        """,
        tail: ") AS x(id, parties) GROUP BY id) AS v WHERE p.id = v.id")
      for (planId, parties) in planParties.sorted(by: { $0.key < $1.key }) {
        for one in parties {
          plans.value(planId)
          plans.value(one)
          plans.endRow()
        }
      }
      plans.send(to: session)
      planParties.removeAll()
      planMentions.send(to: session)
      provisions.send(to: session)
      positions.send(to: session)
    }

    /// Sends every row held back (the articles' before those that refer to them), at the end of
    /// the batch or (concurrent) before the merge lock.
    func sendHeldRows() {
      sendArticles()
      bands.send(to: session)
      citations.send(to: session)
      mentions.send(to: session)
      flushEventRows()
      sendPlanRows()
    }

    /// Adds the batch's mentions to the actors' tallies, in key order: alone to `actor_tally`
    /// itself; concurrent to the session's `parley_tally_delta`, which `addTallies` adds under the
    /// merge lock with the other deferred changes (so that no transaction holds the common
    /// actors' tally rows while it works). One statement either way, where the trigger made an
    /// upsert per mention.
    func sendMentionTally() {
      var rows =
        concurrent
        ? RowsInsert("INSERT INTO parley_tally_delta (kind, key, a, b, c) VALUES")
        : RowsInsert(
          "INSERT INTO actor_tally (actorId, articles, mentions, events) VALUES",
          tail: " ON CONFLICT (actorId) DO UPDATE SET articles = actor_tally.articles + excluded.articles,"
            + " mentions = actor_tally.mentions + excluded.mentions")
      for (actorId, counts) in mentionTally.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }) {
        if concurrent { rows.value("a") }
        rows.value(actorId)
        rows.value(counts.articles)
        rows.value(counts.mentions)
        rows.value(0)
        rows.endRow()
      }
      rows.send(to: session)
      mentionTally.removeAll()
    }

    /// Alone: the alias counts, position cells and change counter of the batch, one statement each.
    func sendTallies() {
      sendAliases()
      PostgresWriter.sendPositionTally(positionCells, to: session)
      sendChanges()
    }

    private func sendAliases() {
      var aliasRows = RowsInsert(
        "INSERT INTO actor_alias (actorId, alias, count) VALUES",
        tail: " ON CONFLICT (actorId, alias) DO UPDATE SET count = actor_alias.count + excluded.count")
      for (key, count) in aliases.sorted(by: { $0.key < $1.key }) {
        aliasRows.value(key.actorId)
        aliasRows.value(key.alias)
        aliasRows.value(count)
        aliasRows.endRow()
      }
      aliasRows.send(to: session)
    }

    /// In the batch's transaction, so a reader never sees its rows under the old counter.
    private func sendChanges() {
      guard newArticles > 0 else { return }
      session.send(
        """
        UPDATE record_state SET changes = changes + \(newArticles), modified = \(Date().timeIntervalSince1970)
        WHERE id = 1
        """)
    }

    private func readStored(_ rows: [PostgresRow]) throws {
      for row in rows {
        let (key, id) = try row.decode((String, Int64).self)
        stored[key] = id
      }
    }

    private func readProbes(
      bands: [Int64], _ bandRows: [PostgresRow], links: [String], _ linkRows: [PostgresRow],
      versions versionRows: [PostgresRow]
    ) throws {
      for key in bands { bandArticles[key] = [] }
      for row in bandRows {
        let (key, id, duplicateOf, bytes) = try row.decode((Int64, Int64, Int64?, ByteBuffer).self)
        bandArticles[key, default: []].append(id)
        if signatures[id] == nil, let signature = MinHasher.decode(Array(bytes.readableBytesView)) {
          signatures[id] = (duplicateOf, signature)
        }
      }
      for key in links { planLinks[key] = [] }
      for row in linkRows {
        let (key, planId, parties) = try row.decode((String, Int64, String).self)
        planLinks[key, default: []].append(PlanLink(planId: planId, parties: parties))
        wholeFamilies.insert(planId)
      }
      for row in versionRows {
        let (planId, id, points, name) = try row.decode((Int64, Int64, Int?, String).self)
        versions[VersionKey(planId: planId, points: points, name: name)] = id
      }
    }

    private func pool(_ table: String, _ rows: [PostgresRow]) throws {
      // Reversed, so that `popLast` gives the smallest first.
      pools[table, default: []] = try rows.map { try $0.decode(Int64.self) }.reversed() + pools[table, default: []]
    }

    /// Near-copy candidates: the articles holding each band key of the batch (stored before the
    /// transaction, then those it stores), with their signatures and the root they copy.
    var bandArticles: [Int64: [Int64]] = [:]
    var signatures: [Int64: (duplicateOf: Int64?, signature: [UInt32])] = [:]
    /// The plan links of each link key of the batch, kept as this transaction writes them.
    var planLinks: [String: [PlanLink]] = [:]
    /// Versions read, looked up or made in this transaction, by family, points and name.
    var versions: [VersionKey: Int64] = [:]
    /// Families all of whose versions are in `versions` (read with the batch's plan links, or
    /// made by this transaction): a version of theirs not there does not exist. Under the lock
    /// that serializes plan decisions (alone: the write lock; concurrent: the merge lock), so no
    /// other writer adds or moves versions meanwhile; a family merge forgets them all.
    var wholeFamilies: Set<Int64> = []

    /// A version's family, points and name; the name compared byte for byte, as the `C`
    /// collation of `plan_version.name` compares it (Swift's `String` equality is Unicode's
    /// canonical equivalence, under which two stored names could be one key).
    struct VersionKey: Hashable {
      var planId: Int64
      var points: Int?
      var name: [UInt8]

      init(planId: Int64, points: Int?, name: String) {
        self.planId = planId
        self.points = points
        self.name = Array(name.utf8)
      }
    }

    /// Article `id` was stored: a candidate for the later articles of the batch.
    func stored(_ id: Int64, bands: [Int64], duplicateOf: Int64?, signature: [UInt32]) {
      for key in bands { bandArticles[key, default: []].append(id) }
      signatures[id] = (duplicateOf, signature)
    }

    /// The id of a new row of `table`: alone the largest plus one, as SQLite gives it;
    /// concurrent the next of those taken from its sequence.
    func take(_ table: String) throws -> Int64 {
      if concurrent {
        if pools[table, default: []].isEmpty { try pool(table, session.rows(Self.takeIds(table, 4))) }
        guard let id = pools[table]?.popLast() else {
          throw PostgresStoreError(server: "", reason: "the sequence of \(table) gave no id")
        }
        return id
      }
      if stale.remove(table) != nil {
        if table == "event" { sendEvents() }
        let column = Self.numbered.first { $0.table == table }?.column ?? "id"
        let rows = try session.rows(PostgresQuery(unsafeSQL: "SELECT coalesce(max(\(column)), 0) FROM \(table)"))
        guard let row = rows.first else { throw PostgresStoreError(server: "", reason: "max(\(column)) gave no row") }
        next[table] = try row.decode(Int64.self) + 1
      }
      guard let id = next[table] else {
        throw PostgresStoreError(server: "", reason: "\(table) is not a numbered table")
      }
      next[table] = id + 1
      return id
    }

    /// Alone, the id of a new row of `table` as the next value of `rows`; concurrent, nothing
    /// (the sequence's default numbers the row).
    func number(_ table: String, in rows: inout RowsInsert) throws {
      if numbering { rows.value(try take(table)) }
    }

    /// Row `id` of `table` is being deleted: when it is the largest, SQLite numbers the next row
    /// after the largest one left, which only the table knows. (Sequences never go back.)
    func deleting(_ table: String, _ id: Int64) {
      if numbering && next[table] == id + 1 { stale.insert(table) }
    }

    /// Sends the reports and participants held back (after the events they refer to); before
    /// anything that reads or moves them.
    func flushEventRows() {
      sendEvents()
      participants.send(to: session)
      reports.send(to: session)
    }
  }

  /// An event as a probe read it, with the day its span ends (the next page starts after it).
  struct ProbedEvent {
    var event: StoredEvent
    var lastDay: Int?
  }

  /// First pages of event probes, read ahead of the rules' questions (or read again), kept up to
  /// date with the events this transaction writes: nothing else writes events meanwhile (the
  /// transaction holds the write lock alone, the merge lock concurrent). A page shorter than a
  /// probe's page holds every event of the probe, so an event written or deleted is put in or
  /// taken out of it as the statement would read it; a full page is bounded by its last event
  /// (the others come after it), so it takes an event that sorts before that and drops one past a
  /// page. Only a full page that loses an event cannot tell its next one: it is forgotten, and
  /// read again when asked.
  struct ProbesAhead {
    private struct Page {
      var events: [ProbedEvent]
      /// Every event of the probe (fewer than a page), not just the first page of them.
      var complete: Bool
    }
    private var pages: [EventProbe: Page] = [:]

    mutating func keep(_ probe: EventProbe, _ page: [ProbedEvent]) {
      pages[probe] = Page(events: page, complete: page.count < EventProbes.probePage)
    }

    /// The page kept for `probe`, if still valid.
    func first(_ probe: EventProbe) -> [ProbedEvent]? { pages[probe]?.events }

    /// Event `event`, of `dated` kind, now reads as it is (inserted or updated).
    mutating func wrote(_ event: ProbedEvent, dated: Bool) {
      for (probe, page) in pages {
        pages[probe] = Self.page(page, of: probe, removing: event.event.id, adding: event, dated: dated)
      }
    }

    /// Event `id` was deleted.
    mutating func deleted(_ id: Int64) {
      for (probe, page) in pages where page.events.contains(where: { $0.event.id == id }) {
        pages[probe] = Self.page(page, of: probe, removing: id, adding: nil, dated: false)
      }
    }

    /// `page` without event `id` and with `added` if `probe` reads it; nil when the page can no
    /// longer tell the probe's first events.
    private static func page(
      _ page: Page, of probe: EventProbe, removing id: Int64, adding added: ProbedEvent?, dated: Bool
    ) -> Page? {
      let removed = page.events.contains { $0.event.id == id }
      let adds = added.map { reads(probe, $0, dated: dated) } ?? false
      guard removed || adds else { return page }
      let ordered = probe.endingFrom != nil
      var events = removed ? page.events.filter { $0.event.id != id } : page.events
      if adds, let added {
        // The events past a full page come after its last one: one that sorts after it is not on
        // the page, and (removed from it) leaves a gap only the server can fill.
        if !page.complete, let last = page.events.last, before(last, added, ordered: ordered) {
          return removed ? nil : page
        }
        let at = events.firstIndex { before(added, $0, ordered: ordered) } ?? events.count
        events.insert(added, at: at)
      } else if !page.complete {
        return nil
      }
      if events.count > EventProbes.probePage {
        events.removeLast(events.count - EventProbes.probePage)
        return Page(events: events, complete: false)
      }
      return Page(events: events, complete: page.complete)
    }

    /// Whether `a` comes before `b` in a probe's order: by the day its span ends, then id (a
    /// probe from a day), or by id (a probe of events without a day).
    private static func before(_ a: ProbedEvent, _ b: ProbedEvent, ordered: Bool) -> Bool {
      if ordered, let x = a.lastDay, let y = b.lastDay, x != y { return x < y }
      return a.event.id < b.event.id
    }

    /// Whether `probe`'s statement reads `event` (see `EventProbes.probeQuery`): text compared
    /// byte for byte, as the columns' collation "C" does.
    static func reads(_ probe: EventProbe, _ event: ProbedEvent, dated: Bool) -> Bool {
      let e = event.event.summary
      func same(_ a: String?, _ b: String?) -> Bool {
        guard let a, let b else { return a == nil && b == nil }
        return a.utf8.elementsEqual(b.utf8)
      }
      guard same(e.root, probe.root), same(e.source, probe.source), same(e.target, probe.target),
        dated == probe.dated
      else { return false }
      if let cameo = probe.cameo, !same(e.cameo, cameo) { return false }
      guard let day = probe.endingFrom else { return event.lastDay == nil }
      guard let last = event.lastDay else { return false }
      return last >= day
    }
  }

  /// The rows of one multi-row `INSERT ... VALUES`, sent as statements of as many rows as fit in
  /// `maxParameters` (a statement takes at most 65,535): one statement for a batch's mentions
  /// instead of one each, which the server parses and plans once.
  struct RowsInsert {
    private let head: String
    private let tail: String
    private var sql = PostgresQuery.StringInterpolation(literalCapacity: 1024, interpolationCount: 64)
    private var rows = 0
    private var fields = 0
    private var parameters = 0
    private var queries: [PostgresQuery] = []
    static let maxParameters = 65_535

    init(_ head: String, tail: String = "") {
      self.head = head
      self.tail = tail
      sql.appendLiteral(head)
    }

    mutating func value<V: PostgresDynamicTypeEncodable>(_ value: V) {
      separate()
      sql.appendInterpolation(value)
    }

    mutating func value<V: PostgresDynamicTypeEncodable>(_ value: V?) {
      separate()
      sql.appendInterpolation(value)
    }

    /// Closes the row whose values were just added.
    mutating func endRow() {
      sql.appendLiteral(")")
      rows += 1
      // Rows of one insert have the same fields: close the statement when another would not fit.
      if parameters + fields > Self.maxParameters { finishStatement() }
      fields = 0
    }

    private mutating func separate() {
      sql.appendLiteral(fields > 0 ? ", " : rows > 0 ? ", (" : " (")
      fields += 1
      parameters += 1
    }

    private mutating func finishStatement() {
      guard rows > 0 else { return }
      sql.appendLiteral(tail)
      queries.append(PostgresQuery(stringInterpolation: sql))
      sql = PostgresQuery.StringInterpolation(literalCapacity: 1024, interpolationCount: 64)
      sql.appendLiteral(head)
      rows = 0
      parameters = 0
    }

    /// Sends the rows added so far (not waited for), and starts empty again; returns how many
    /// statements carried them.
    @discardableResult
    mutating func send(to session: PipelinedSession) -> Int {
      finishStatement()
      for query in queries { session.send(query) }
      defer { queries.removeAll() }
      return queries.count
    }
  }

  /// The inserts and merges of one article, inside its transaction: the twin of SQLite's writer
  /// in `ParleyStore/Ingest.swift` in PostgreSQL's dialect, giving the same rows with the same ids;
  /// the rows of one table are inserted by one statement where SQLite inserts them one by one.
  private struct PostgresWriter {
    let state: WriteState
    let article: PreparedArticle
    let policy: MergePolicy
    var session: PipelinedSession { state.session }
    var x: Extraction { article.extraction }

    private func send(_ query: PostgresQuery) { session.send(query) }
    private func rows(_ query: PostgresQuery) throws -> [PostgresRow] { try session.rows(query) }

    /// Stores the articles of one transaction: alone, each whole in turn, as SQLite's writer
    /// does; concurrent, in two passes (see `writeConcurrently`).
    static func write(
      _ articles: [PreparedArticle], policy: MergePolicy, session: PipelinedSession, concurrent: Bool,
      timing: LockTiming
    ) throws -> [IngestOutcome] {
      if concurrent {
        return try writeConcurrently(
          articles, policy: policy, state: WriteState(concurrentSession: session, articles: articles), timing: timing)
      }
      let state = try WriteState(session: session, articles: articles)
      var keys: Set<String> = []
      try probeAhead(
        articles.filter { state.stored[$0.key] == nil && keys.insert($0.key).inserted }, policy: policy, state: state)
      // Each table numbers its rows in article order whichever table comes first, so the rows no
      // merge decision reads can be made for the whole batch first, and those of the merge
      // decisions after: the ids are those of storing each article whole in turn.
      var outcomes: [IngestOutcome] = []
      var new: [(writer: PostgresWriter, id: Int64)] = []
      for article in articles {
        let writer = PostgresWriter(state: state, article: article, policy: policy)
        let (outcome, id) = try writer.store()
        outcomes.append(outcome)
        if let id { new.append((writer, id)) }
      }
      guard !new.isEmpty else { return outcomes }
      state.sendArticles()
      // Before the events, which refer to them; folded as one upsert per article would leave them.
      addActors(of: new.map(\.writer.article), state: state)
      for (writer, id) in new {
        try writer.insertEvents(id)
        let versions = try writer.insertPlans(id)
        try writer.insertProvisions(id, versions: versions)
      }
      state.sendHeldRows()
      state.sendMentionTally()
      state.sendTallies()
      // The sequences concurrent transactions take ids from must start after the rows numbered here.
      session.send(PostgresQuery(unsafeSQL: WriteState.syncSequencesSQL))
      return outcomes
    }

    /// Alone: the article's own rows (held back in the batch's inserts), numbered as SQLite
    /// numbers them, and its id; or the article stored already.
    func store() throws -> (IngestOutcome, Int64?) {
      if let id = state.stored[article.key] { return (.duplicate(id: id), nil) }
      let nearCopy = try findNearCopy()
      let articleId = try state.take("article")
      state.stored[article.key] = articleId
      state.stored(
        articleId, bands: Array(Set(article.bandKeys)), duplicateOf: nearCopy?.id, signature: article.signature)
      try insertArticle(articleId, nearCopy: nearCopy)
      state.newArticles += 1
      return (.new(id: articleId, nearCopyOf: nearCopy?.id), articleId)
    }

    /// Concurrent: first the rows of every new article that need no merge decision, while other
    /// writers do the same; then, under the merge lock, the merge decisions of each article in
    /// turn (near copy, events, plans and the provisions and positions that hang off a plan) and
    /// the tallies. The merge decisions see every article committed before the lock was granted,
    /// so they are those of a sequential ingest in the order the transactions took the lock.
    static func writeConcurrently(
      _ articles: [PreparedArticle], policy: MergePolicy, state: WriteState, timing: LockTiming
    ) throws -> [IngestOutcome] {
      var outcomes: [IngestOutcome?] = Array(repeating: nil, count: articles.count)
      var new: [(index: Int, id: Int64)] = []
      for (i, article) in articles.enumerated() {
        if let id = state.stored[article.key] {
          outcomes[i] = .duplicate(id: id)
          continue
        }
        let id = try state.take("article")
        state.stored[article.key] = id
        new.append((i, id))
      }
      guard !new.isEmpty else { return outcomes.compactMap { $0 } }
      let writers = new.map { PostgresWriter(state: state, article: articles[$0.index], policy: policy) }
      addActors(of: writers.map(\.article), state: state)
      for (writer, (_, id)) in zip(writers, new) {
        try writer.insertArticle(id, nearCopy: nil)
        if writer.x.plans.isEmpty { try writer.insertProvisions(id, versions: []) }
      }
      state.newArticles = new.count
      // Sent before the merge lock, so that they reach the server while another writer holds it.
      state.sendHeldRows()
      state.sendMentionTally()
      try state.enterMerge(writers.map(\.article), own: new.map(\.id), timing: timing)
      try probeAhead(writers.map(\.article), policy: policy, state: state)
      for (writer, (index, id)) in zip(writers, new) {
        let nearCopy = try writer.findNearCopy()
        state.stored(
          id, bands: Array(Set(writer.article.bandKeys)), duplicateOf: nearCopy?.id, signature: writer.article.signature
        )
        if let nearCopy {
          writer.send(
            "UPDATE article SET duplicateOf = \(nearCopy.id), similarity = \(nearCopy.similarity) WHERE id = \(id)")
        }
        try writer.insertEvents(id)
        if !writer.x.plans.isEmpty {
          let versions = try writer.insertPlans(id)
          try writer.insertProvisions(id, versions: versions)
        }
        outcomes[index] = .new(id: id, nearCopyOf: nearCopy?.id)
      }
      state.sendHeldRows()
      state.addTallies()
      return try outcomes.map { outcome in
        guard let outcome else { throw PostgresStoreError(server: "", reason: "an article gave no outcome") }
        return outcome
      }
    }

    /// The actors of the batch's new articles in one insert (key order, new actors only) and one
    /// update of those the batch describes otherwise, instead of an upsert per article: an upsert
    /// locks the row of every actor it names until the transaction commits, and the common actors
    /// are in every batch. Each actor's row is the join of its descriptions
    /// (`ActorDescription`), folded over the batch here and with the stored row by the update:
    /// the join is order-free, and the update reads the row a concurrent writer committed before
    /// it (READ COMMITTED re-reads a row whose lock it waited for), so every interleaving of the
    /// writers gives the row one writer gives, though the actors are written before the merge lock.
    static func addActors(of articles: [PreparedArticle], state: WriteState) {
      var actors: [String: ActorDescription] = [:]
      for article in articles {
        for actor in article.extraction.actors {
          let description = ActorDescription(actor)
          actors[actor.id] = actors[actor.id]?.joined(with: description) ?? description
        }
      }
      let sorted = actors.sorted { $0.key < $1.key }
      var inserts = RowsInsert(
        "INSERT INTO actor (id, name, kind, affiliation, role, sector, known) VALUES",
        tail: " ON CONFLICT (id) DO NOTHING")
      // `ActorDescription.joined` in SQL: the columns' "C" collation is its byte order, and
      // `least` skips NULLs. The WHERE leaves (and does not lock) a row the join would not change.
      let namesBefore = "(v.known > a.known OR (v.known = a.known AND (v.name, v.kind) < (a.name, a.kind)))"
      var updates = RowsInsert(
        """
        UPDATE actor AS a SET
          name = CASE WHEN \(namesBefore) THEN v.name ELSE a.name END,
          kind = CASE WHEN \(namesBefore) THEN v.kind ELSE a.kind END,
          affiliation = least(a.affiliation, v.affiliation), role = least(a.role, v.role),
          sector = least(a.sector, v.sector), known = greatest(a.known, v.known)
        FROM (VALUES
        """,
        tail: """
          ) AS v(id, name, kind, affiliation, role, sector, known)
          WHERE a.id = v.id AND (\(namesBefore)
            OR (v.affiliation IS NOT NULL AND (a.affiliation IS NULL OR v.affiliation < a.affiliation))
            OR (v.role IS NOT NULL AND (a.role IS NULL OR v.role < a.role))
            OR (v.sector IS NOT NULL AND (a.sector IS NULL OR v.sector < a.sector)))
          """)
      for (id, v) in sorted {
        inserts.value(id)
        inserts.value(v.name)
        inserts.value(v.kind.rawValue)
        inserts.value(v.affiliation)
        inserts.value(v.role)
        inserts.value(v.sector)
        inserts.value(v.known ? 1 : 0)
        inserts.endRow()
        updates.value(id)
        updates.value(v.name)
        updates.value(v.kind.rawValue)
        updates.value(v.affiliation)
        updates.value(v.role)
        updates.value(v.sector)
        updates.value(v.known ? 1 : 0)
        updates.endRow()
      }
      inserts.send(to: state.session)
      updates.send(to: state.session)
    }

    /// The article row and the rows that hang off it alone: bands, mentions (with their actors,
    /// alone), citations.
    private func insertArticle(_ articleId: Int64, nearCopy: (id: Int64, similarity: Double)?) throws {
      let doc = x.document
      state.articleRows.value(articleId)
      state.articleRows.value(article.key)
      state.articleRows.value(doc.id)
      state.articleRows.value(doc.path)
      state.articleRows.value(article.format.rawValue)
      state.articleRows.value(doc.title)
      state.articleRows.value(doc.published?.description)
      state.articleRows.value(doc.outlet)
      state.articleRows.value(doc.url)
      state.articleRows.value(article.source)
      state.articleRows.value(article.body)
      state.articleRows.value(doc.duplicateParagraphsRemoved)
      state.articleRows.value(nearCopy?.id)
      state.articleRows.value(nearCopy?.similarity)
      state.articleRows.value(ByteBuffer(bytes: MinHasher.encode(article.signature)))
      state.articleRows.endRow()
      for key in Set(article.bandKeys).sorted() {
        try state.number("article_band", in: &state.bands)
        state.bands.value(key)
        state.bands.value(articleId)
        state.bands.endRow()
      }
      try insertMentions(articleId)
      for c in x.citations {
        try state.number("citation", in: &state.citations)
        state.citations.value(articleId)
        state.citations.value(c.outlet)
        state.citations.value(c.span.start)
        state.citations.value(c.span.end)
        state.citations.value(c.text)
        state.citations.endRow()
      }
    }

    /// The most similar earlier article among those sharing an LSH band, if similar enough.
    /// A copy of a copy links to the first of the family, so a family has one root.
    private func findNearCopy() throws -> (id: Int64, similarity: Double)? {
      let keys = Set(article.bandKeys)
      guard !keys.isEmpty else { return nil }
      // The candidates the probe `article_band` -> `article_signature` gives, in id order.
      var candidates: Set<Int64> = []
      for key in keys {
        guard let ids = state.bandArticles[key] else { return try findNearCopyInRecord() }
        candidates.formUnion(ids)
      }
      var best: (id: Int64, similarity: Double)?
      for id in candidates.sorted() {
        guard let (duplicateOf, signature) = state.signatures[id] else { continue }
        let similarity = MinHasher.similarity(signature, article.signature)
        guard similarity >= MinHasher.nearDuplicateThreshold else { continue }
        if best == nil || similarity > best?.similarity ?? 0 { best = (duplicateOf ?? id, similarity) }
      }
      return best
    }

    /// `findNearCopy` asking the record, for band keys the batch's probe did not cover.
    private func findNearCopyInRecord() throws -> (id: Int64, similarity: Double)? {
      let keys = Array(Set(article.bandKeys)).sorted()
      var best: (id: Int64, similarity: Double)?
      for row in try rows(
        """
        SELECT articleId, duplicateOf, signature FROM article_signature
        WHERE articleId IN (SELECT DISTINCT articleId FROM article_band WHERE key = ANY(\(keys)))
        ORDER BY articleId
        """)
      {
        let (id, duplicateOf, bytes) = try row.decode((Int64, Int64?, ByteBuffer).self)
        guard let signature = MinHasher.decode(Array(bytes.readableBytesView)) else { continue }
        let similarity = MinHasher.similarity(signature, article.signature)
        guard similarity >= MinHasher.nearDuplicateThreshold else { continue }
        if best == nil || similarity > best?.similarity ?? 0 { best = (duplicateOf ?? id, similarity) }
      }
      return best
    }

    /// The article's mentions, held back in the batch's insert, and its alias counts and mention
    /// tallies, added at the end (`WriteState.sendTallies`, `WriteState.sendMentionTally`). The
    /// actors are the batch's (`addActors`).
    private func insertMentions(_ articleId: Int64) throws {
      // An actor listed twice still counts the article once, as the trigger's probe did.
      var counted: Set<String> = []
      for actor in x.actors where !actor.mentions.isEmpty {
        let first = counted.insert(actor.id).inserted
        state.mentionTally[actor.id, default: (0, 0)].articles += first ? 1 : 0
        state.mentionTally[actor.id, default: (0, 0)].mentions += actor.mentions.count
      }
      for actor in x.actors {
        var counts: [String: Int] = [:]
        for m in actor.mentions {
          counts[m.text, default: 0] += 1
          try state.number("mention", in: &state.mentions)
          state.mentions.value(articleId)
          state.mentions.value(actor.id)
          state.mentions.value(m.span.start)
          state.mentions.value(m.span.end)
          state.mentions.value(m.text)
          state.mentions.endRow()
        }
        for (alias, count) in counts { state.aliases[AliasKey(actorId: actor.id, alias: alias), default: 0] += count }
      }
    }

    // MARK: Events

    /// Puts each reported event in the record by `EventRules`: the rules decide, this writer
    /// only probes and writes (see its `EventStorage` conformance). Reports and participants are
    /// held back and sent together, before any merge moves them and at the end of the batch.
    private func insertEvents(_ articleId: Int64) throws {
      for (e, facts) in zip(x.events, Self.reportFacts(article)) {
        let eventId = try EventRules.place(facts, policy: policy, in: self)
        for actor in e.participants {
          state.participants.value(eventId)
          state.participants.value(actor)
          state.participants.endRow()
        }
        try state.number("report", in: &state.reports)
        state.reports.value(eventId)
        state.reports.value(articleId)
        state.reports.value(e.cameo.rawValue)
        state.reports.value(e.source)
        state.reports.value(e.target)
        state.reports.value(e.date?.description)
        state.reports.value(e.location)
        state.reports.value(e.cited)
        state.reports.value(e.text)
        state.reports.value(e.trigger)
        state.reports.value(e.span.start)
        state.reports.value(e.span.end)
        state.reports.endRow()
      }
    }

    /// What the event rules know of each reported event of `article`.
    static func reportFacts(_ article: PreparedArticle) -> [ReportFacts] {
      let published = article.extraction.document.published
      return article.extraction.events.map { e in
        ReportFacts(
          cameo: e.cameo.rawValue, source: e.source, target: e.target, date: e.date, published: published,
          location: e.location)
      }
    }

    // MARK: Plans

    /// Puts each plan mention under a family and a version by `PlanRules`, and returns the
    /// version id of each of `x.plans`.
    private func insertPlans(_ articleId: Int64) throws -> [Int64] {
      let mentions = x.plans.map { PlanMentionFacts(name: $0.name, points: $0.points) }
      let versions = try PlanRules.place(mentions, cues: article.planCues, mainParties: article.mainParties, in: self)
      // Held back with the batch's plan rows (`WriteState.sendPlanRows`).
      for (i, plan) in x.plans.enumerated() {
        try state.number("plan_mention", in: &state.planMentions)
        state.planMentions.value(articleId)
        state.planMentions.value(versions[i])
        state.planMentions.value(plan.name)
        state.planMentions.value(article.planCues[i].rawValue)
        state.planMentions.value(article.planContexts[i])
        state.planMentions.value(plan.span.start)
        state.planMentions.value(plan.span.end)
        state.planMentions.endRow()
      }
      return versions
    }

    // MARK: Provisions and positions

    private func insertProvisions(_ articleId: Int64, versions: [Int64]) throws {
      let placed = PlanRules.provisionVersions(of: x, versions: versions, cues: article.planCues)
      var provisionIds: [Int64] = []
      for (p, version) in zip(x.provisions, placed) {
        let id = try state.take("provision")
        provisionIds.append(id)
        state.provisions.value(id)
        state.provisions.value(articleId)
        state.provisions.value(version)
        state.provisions.value(p.category.rawValue)
        state.provisions.value(p.text)
        state.provisions.value(p.demandedBy)
        state.provisions.value(p.appliesTo)
        state.provisions.value(p.span.start)
        state.provisions.value(p.span.end)
        state.provisions.endRow()
      }
      // The position cells are added to their tally at the end (`WriteState.sendTallies`).
      for pos in article.positions where pos.provision < provisionIds.count {
        let p = x.provisions[pos.provision]
        try state.number("position", in: &state.positions)
        state.positions.value(pos.party)
        state.positions.value(pos.actorId)
        state.positions.value(p.category.rawValue)
        state.positions.value(pos.stance.rawValue)
        state.positions.value(provisionIds[pos.provision])
        state.positions.value(articleId)
        state.positions.value(pos.evidence)
        state.positions.value(pos.span.start)
        state.positions.value(pos.span.end)
        state.positions.value(placed[pos.provision])
        state.positions.endRow()
        let cell = PositionCell(
          party: pos.party, actorId: pos.actorId ?? "", category: p.category.rawValue, stance: pos.stance.rawValue)
        state.positionCells[cell, default: 0] += 1
      }
    }

    /// Adds `cells` to `position_tally`, one upsert per cell (a statement may not change a row
    /// twice), in key order.
    static func sendPositionTally(_ cells: [PositionCell: Int], to session: PipelinedSession) {
      var tally = RowsInsert(
        "INSERT INTO position_tally (party, actorId, category, stance, count) VALUES",
        tail:
          " ON CONFLICT (party, actorId, category, stance) DO UPDATE SET count = position_tally.count + excluded.count")
      for (cell, count) in cells.sorted(by: { $0.key < $1.key }) {
        tally.value(cell.party)
        tally.value(cell.actorId)
        tally.value(cell.category)
        tally.value(cell.stance)
        tally.value(count)
        tally.endRow()
      }
      tally.send(to: session)
    }
  }

  // MARK: Storage for the record's rules

  extension PostgresWriter: RecordStorage {}

  /// `column = value`, or `column IS NULL` for nil: a comparison the indexes serve (`IS NOT
  /// DISTINCT FROM` would say the same, but no index can answer it).
  private func matching(_ column: String, _ value: String?, in query: inout PostgresQuery.StringInterpolation) {
    query.appendLiteral(" AND \(column)")
    if let value {
      query.appendLiteral(" = ")
      query.appendInterpolation(value)
    } else {
      query.appendLiteral(" IS NULL")
    }
  }

  /// The statements behind the event rules' probes (`EventRules.probes`): a page of events of
  /// one key at a time, and the first pages of many probes at once.
  enum EventProbes {
    static let probePage = 16

    /// The statement behind a probe: a page of events of one key, in the order their spans
    /// end, after the event `after` (the last of the previous page).
    static func probeQuery(_ probe: EventProbe, after: (lastDay: Int?, id: Int64)?) -> PostgresQuery {
      var sql = PostgresQuery.StringInterpolation(literalCapacity: 400, interpolationCount: 8)
      sql.appendLiteral(
        """
        SELECT id, cameo, root, sourceId, targetId, date, location, sortKey, reportCount, firstDay, lastDay
        FROM event WHERE root = 
        """)
      sql.appendInterpolation(probe.root)
      matching("sourceId", probe.source, in: &sql)
      matching("targetId", probe.target, in: &sql)
      if let cameo = probe.cameo {
        sql.appendLiteral(" AND cameo = ")
        sql.appendInterpolation(cameo)
      }
      // Events of reports with a day date and periods of reports without one may overlap: only
      // the one kind is read, from its own part of the index.
      sql.appendLiteral(" AND dated = ")
      sql.appendInterpolation(probe.dated ? 1 : 0)
      if let day = probe.endingFrom {
        if let after, let last = after.lastDay {
          sql.appendLiteral(" AND (lastDay, id) > (")
          sql.appendInterpolation(last)
          sql.appendLiteral(", ")
          sql.appendInterpolation(after.id)
          sql.appendLiteral(")")
        } else {
          sql.appendLiteral(" AND lastDay >= ")
          sql.appendInterpolation(day)
        }
        sql.appendLiteral(" ORDER BY lastDay, id")
      } else {
        sql.appendLiteral(" AND lastDay IS NULL")
        if let after {
          sql.appendLiteral(" AND id > ")
          sql.appendInterpolation(after.id)
        }
        sql.appendLiteral(" ORDER BY id")
      }
      sql.appendLiteral(" LIMIT \(Self.probePage)")
      return PostgresQuery(stringInterpolation: sql)
    }

    /// The events of a probe's page.
    static func storedEvents(_ rows: [PostgresRow]) throws -> [ProbedEvent] {
      try rows.map { row in
        let (id, cameo, root, source, target, date, location, sortKey, reportCount, first, last) = try row.decode(
          (Int64, String, String, String?, String?, String?, String?, String, Int, Int?, Int?).self)
        return probedEvent(
          id: id, cameo: cameo, root: root, source: source, target: target, date: date, location: location,
          sortKey: sortKey, reportCount: reportCount, first: first, last: last)
      }
    }

    /// An event row of a probe as the rules see it.
    static func probedEvent(
      id: Int64, cameo: String, root: String, source: String?, target: String?, date: String?, location: String?,
      sortKey: String, reportCount: Int, first: Int?, last: Int?
    ) -> ProbedEvent {
      let summary = MergedEvent(
        cameo: cameo, root: root, source: source, target: target, date: date.flatMap(PartialDate.init(iso:)),
        location: location, sortKey: sortKey, reportCount: reportCount,
        span: first.flatMap { f in last.map { DaySpan(first: f, last: $0) } })
      return ProbedEvent(event: StoredEvent(id: id, summary: summary), lastDay: last)
    }

    /// The first page of each of `probes`, as `probeQuery(_:after: nil)` gives it: one statement
    /// for all probes of a shape (which of source, target, cameo and day they name), a handful for
    /// a batch instead of one per probe (each statement is a round trip).
    static func firstPages(_ probes: [EventProbe], session: PipelinedSession) throws -> [[ProbedEvent]] {
      var shapes: [ProbeShape: [Int]] = [:]
      for (i, probe) in probes.enumerated() { shapes[ProbeShape(probe), default: []].append(i) }
      let groups = shapes.sorted { $0.key.order < $1.key.order }
      let answers = try session.rowsOfEach(groups.map { probesQuery($0.key, $0.value.map { probes[$0] }) })
      var pages = Array(repeating: [ProbedEvent](), count: probes.count)
      for ((_, members), rows) in zip(groups, answers) {
        for row in rows {
          let (i, id, cameo, root, source, target, date, location, sortKey, reportCount, first, last) =
            try row.decode(
              (Int64, Int64, String, String, String?, String?, String?, String?, String, Int, Int?, Int?).self)
          guard i >= 1, Int(i) <= members.count else {
            throw PostgresStoreError(server: "", reason: "a probe answered for no probe")
          }
          pages[members[Int(i) - 1]].append(
            probedEvent(
              id: id, cameo: cameo, root: root, source: source, target: target, date: date, location: location,
              sortKey: sortKey, reportCount: reportCount, first: first, last: last))
        }
      }
      return pages
    }

    /// Which parts of a probe are named: probes of one shape share a statement.
    struct ProbeShape: Hashable {
      var source: Bool, target: Bool, cameo: Bool, ending: Bool
      init(_ probe: EventProbe) {
        (source, target, cameo, ending) = (
          probe.source != nil, probe.target != nil, probe.cameo != nil, probe.endingFrom != nil
        )
      }
      var order: Int { (source ? 8 : 0) + (target ? 4 : 0) + (cameo ? 2 : 0) + (ending ? 1 : 0) }
    }

    /// `probeQuery(_:after: nil)` of each of `probes` (all of `shape`) in one statement: the
    /// probes' values as arrays, each probe's page by the same condition, order and limit, its
    /// rows numbered by the probe's place in `probes` (from 1).
    static func probesQuery(_ shape: ProbeShape, _ probes: [EventProbe]) -> PostgresQuery {
      var sql = PostgresQuery.StringInterpolation(literalCapacity: 900, interpolationCount: 6)
      var columns = ["root"]
      sql.appendLiteral(
        """
        SELECT p.i, e.id, e.cameo, e.root, e.sourceId, e.targetId, e.date, e.location, e.sortKey, e.reportCount,
          e.firstDay, e.lastDay
        FROM unnest(
        """)
      sql.appendInterpolation(probes.map(\.root))
      if shape.source {
        sql.appendLiteral(", ")
        sql.appendInterpolation(probes.map { $0.source ?? "" })
        columns.append("source")
      }
      if shape.target {
        sql.appendLiteral(", ")
        sql.appendInterpolation(probes.map { $0.target ?? "" })
        columns.append("target")
      }
      if shape.cameo {
        sql.appendLiteral(", ")
        sql.appendInterpolation(probes.map { $0.cameo ?? "" })
        columns.append("cameo")
      }
      sql.appendLiteral(", ")
      sql.appendInterpolation(probes.map { Int64($0.dated ? 1 : 0) })
      columns.append("dated")
      if shape.ending {
        sql.appendLiteral(", ")
        sql.appendInterpolation(probes.map { Int64($0.endingFrom ?? 0) })
        columns.append("day")
      }
      sql.appendLiteral(
        """
        ) WITH ORDINALITY AS p(\(columns.joined(separator: ", ")), i)
        CROSS JOIN LATERAL (
          SELECT id, cameo, root, sourceId, targetId, date, location, sortKey, reportCount, firstDay, lastDay
          FROM event WHERE root = p.root
            AND sourceId \(shape.source ? "= p.source" : "IS NULL") AND targetId \(shape.target ? "= p.target" : "IS NULL")
            \(shape.cameo ? "AND cameo = p.cameo " : "")AND dated = p.dated
            \(shape.ending ? "AND lastDay >= p.day ORDER BY lastDay, id" : "AND lastDay IS NULL ORDER BY id")
          LIMIT \(Self.probePage)
        ) AS e
        ORDER BY p.i, \(shape.ending ? "e.lastDay, e.id" : "e.id")
        """)
      return PostgresQuery(stringInterpolation: sql)
    }

  }

  /// The probes and writes the event rules ask for. Spans are `firstDay` and `lastDay` (day
  /// numbers), probed on the `event_span` index in the order spans end, a page at a time: the rules
  /// usually stop at the first event past the report's days.
  extension PostgresWriter: EventStorage {
    func events(
      source: String?, target: String?, root: String, cameo: String?, dated: Bool, endingFrom day: Int?,
      _ body: (StoredEvent) throws -> Bool
    ) throws {
      let probe = EventProbe(source: source, target: target, root: root, cameo: cameo, dated: dated, endingFrom: day)
      // The first page as sent ahead for the batch, unless a write since may have changed it.
      var ahead = state.probes.first(probe)
      var after: (lastDay: Int?, id: Int64)?
      while true {
        let page: [ProbedEvent]
        if let first = ahead {
          page = first
          ahead = nil
        } else {
          state.sendEvents()
          page = try EventProbes.storedEvents(rows(EventProbes.probeQuery(probe, after: after)))
          // A first page read again is kept up to date as the one sent ahead was.
          if after == nil { state.probes.keep(probe, page) }
        }
        for probed in page {
          after = (probed.lastDay, probed.event.id)
          let summary = probed.event.summary
          state.eventKeys[probed.event.id] = WriteState.EventKeyState(
            root: summary.root, dated: dated, source: summary.source, target: summary.target)
          guard try body(probed.event) else { return }
        }
        if page.count < EventProbes.probePage { return }
      }
    }

    /// Reads the first page of every probe of the reports of `articles` (the new articles of
    /// the batch) and keeps the answers (`EventProbes.firstPages`).
    static func probeAhead(_ articles: [PreparedArticle], policy: MergePolicy, state: WriteState) throws {
      var probes: [EventProbe] = []
      var seen: Set<EventProbe> = []
      for article in articles {
        for facts in reportFacts(article) {
          for probe in EventRules.probes(for: facts, policy: policy) where seen.insert(probe).inserted {
            probes.append(probe)
          }
        }
      }
      let pages = try EventProbes.firstPages(probes, session: state.session)
      for (probe, page) in zip(probes, pages) { state.probes.keep(probe, page) }
    }

    /// Event `id` as a probe reads it back once written as `s` (an update keeps its `root`).
    static func asRead(_ id: Int64, _ s: MergedEvent, root: String) -> ProbedEvent {
      EventProbes.probedEvent(
        id: id, cameo: s.cameo, root: root, source: s.source, target: s.target, date: s.date?.description,
        location: s.location, sortKey: s.sortKey, reportCount: s.reportCount, first: s.span?.first, last: s.span?.last)
    }

    func insertEvent(_ s: MergedEvent) throws -> Int64 {
      let id = try state.take("event")
      let dated = s.date?.dayNumber != nil
      state.eventKeys[id] = WriteState.EventKeyState(root: s.root, dated: dated, source: s.source, target: s.target)
      state.probes.wrote(Self.asRead(id, s, root: s.root), dated: dated)
      state.holdInsert(id, s, dated: dated)
      return id
    }

    func updateEvent(_ id: Int64, to s: MergedEvent) throws {
      // The rules update only events they read in this transaction; else the pages it may be on
      // cannot be told, and none is kept.
      guard let old = state.eventKeys[id] else {
        throw PostgresStoreError(server: "", reason: "event \(id) was not read")
      }
      state.probes.wrote(Self.asRead(id, s, root: old.root), dated: old.dated)
      // Held, and sent once with the others (`WriteState.sendEvents`); the source and target only
      // when they change, since the actor tallies' triggers run on any update of those columns.
      state.holdUpdate(id, s, old: old)
      state.eventKeys[id] = WriteState.EventKeyState(
        root: old.root, dated: old.dated, source: s.source, target: s.target)
    }

    func mergeEvent(_ absorbed: Int64, into survivor: Int64) throws {
      // The reports and participants placed so far go with the rest of their event.
      state.flushEventRows()
      state.probes.deleted(absorbed)
      state.eventKeys[absorbed] = nil
      state.deleting("event", absorbed)
      send("UPDATE report SET eventId = \(survivor) WHERE eventId = \(absorbed)")
      send(
        """
        INSERT INTO event_participant (eventId, actorId)
          SELECT \(survivor), actorId FROM event_participant WHERE eventId = \(absorbed)
          ON CONFLICT DO NOTHING
        """)
      send("DELETE FROM event_participant WHERE eventId = \(absorbed)")
      send("DELETE FROM event WHERE id = \(absorbed)")
    }
  }

  /// The probes and writes the plan rules ask for: `plan_link` finds families by link key,
  /// `plan_family_name` counts the family names their mentions use.
  extension PostgresWriter: PlanStorage {
    func planLinks(key: String) throws -> [PlanLink] {
      if let links = state.planLinks[key] { return links }
      state.sendPlanRows()
      return try rows("SELECT planId, parties FROM plan_link WHERE key = \(key)").map { row in
        let (planId, parties) = try row.decode((Int64, String).self)
        return PlanLink(planId: planId, parties: parties)
      }
    }

    func insertPlan(parties: String) throws -> Int64 {
      let id = try state.take("plan")
      send("INSERT INTO plan (id, name, parties) VALUES (\(id), 'plan', \(parties))")
      // A new family has no versions yet: `version` knows without asking.
      state.wholeFamilies.insert(id)
      return id
    }

    /// The version of family `planId` with these points and name, if there is one.
    private func findVersion(planId: Int64, points: Int?, name: String) throws -> Int64? {
      let key = WriteState.VersionKey(planId: planId, points: points, name: name)
      if let id = state.versions[key] { return id }
      if state.wholeFamilies.contains(planId) { return nil }
      let query: PostgresQuery =
        if let points {
          "SELECT id FROM plan_version WHERE planId = \(planId) AND points = \(points) AND name = \(name)"
        } else {
          "SELECT id FROM plan_version WHERE planId = \(planId) AND points IS NULL AND name = \(name)"
        }
      let id = try rows(query).first.map { try $0.decode(Int64.self) }
      state.versions[key] = id
      return id
    }

    func mergePlan(_ absorbed: Int64, into survivor: Int64) throws {
      // The plan rows held back move with their families and versions.
      state.sendPlanRows()
      // The absorbed family's versions move or go, and its links become the survivor's.
      state.versions.removeAll()
      state.wholeFamilies.removeAll()
      for (key, links) in state.planLinks where links.contains(where: { $0.planId == absorbed }) {
        var moved: [PlanLink] = []
        for link in links {
          let link = link.planId == absorbed ? PlanLink(planId: survivor, parties: link.parties) : link
          if !moved.contains(link) { moved.append(link) }
        }
        state.planLinks[key] = moved
      }
      let versions = try rows("SELECT id, points, name FROM plan_version WHERE planId = \(absorbed) ORDER BY id")
      for v in versions {
        let (id, points, name) = try v.decode((Int64, Int?, String).self)
        guard let same = try findVersion(planId: survivor, points: points, name: name) else {
          send("UPDATE plan_version SET planId = \(survivor) WHERE id = \(id)")
          continue
        }
        // Both families know this version: one version, with the mentions, provisions and tallies of both.
        send("UPDATE plan_mention SET versionId = \(same) WHERE versionId = \(id)")
        send("UPDATE provision SET versionId = \(same) WHERE versionId = \(id)")
        send("UPDATE position SET versionId = \(same) WHERE versionId = \(id)")
        send(
          """
          INSERT INTO plan_position_tally (versionId, party, actorId, category, stance, count)
            SELECT \(same), party, actorId, category, stance, count FROM plan_position_tally WHERE versionId = \(id)
            ON CONFLICT (versionId, party, actorId, category, stance)
            DO UPDATE SET count = plan_position_tally.count + excluded.count
          """)
        send("DELETE FROM plan_position_tally WHERE versionId = \(id)")
        send(
          PostgresQuery(
            unsafeSQL: """
              UPDATE plan_version_tally SET
                mentions = mentions + (SELECT mentions FROM plan_version_tally WHERE versionId = $1),
                cue = cue + (SELECT cue FROM plan_version_tally WHERE versionId = $1),
                first = least(first, (SELECT first FROM plan_version_tally WHERE versionId = $1)),
                provisions = provisions + (SELECT provisions FROM plan_version_tally WHERE versionId = $1),
                articles = (SELECT count(DISTINCT articleId) FROM plan_mention WHERE versionId = $2)
              WHERE versionId = $2
              """, binds: Self.binds(id, same)))
        send(
          """
          INSERT INTO plan_version_name (versionId, name, count)
            SELECT \(same), name, count FROM plan_version_name WHERE versionId = \(id)
            ON CONFLICT (versionId, name) DO UPDATE SET count = plan_version_name.count + excluded.count
          """)
        send("DELETE FROM plan_version_name WHERE versionId = \(id)")
        send("DELETE FROM plan_version_tally WHERE versionId = \(id)")
        state.deleting("plan_version", id)
        send("DELETE FROM plan_version WHERE id = \(id)")
      }
      send(
        """
        INSERT INTO plan_link (key, parties, planId) SELECT key, parties, \(survivor) FROM plan_link WHERE planId = \(absorbed)
          ON CONFLICT DO NOTHING
        """)
      send("DELETE FROM plan_link WHERE planId = \(absorbed)")
      send(
        """
        INSERT INTO plan_family_name (planId, name, mentions)
          SELECT \(survivor), name, mentions FROM plan_family_name WHERE planId = \(absorbed)
          ON CONFLICT (planId, name) DO UPDATE SET mentions = plan_family_name.mentions + excluded.mentions
        """)
      send("DELETE FROM plan_family_name WHERE planId = \(absorbed)")
      send(
        "UPDATE plan SET parties = least(parties, (SELECT parties FROM plan WHERE id = \(absorbed))) WHERE id = \(survivor)"
      )
      state.deleting("plan", absorbed)
      send("DELETE FROM plan WHERE id = \(absorbed)")
      rename(survivor)
    }

    func addMembers(planId: Int64, parties: String, keys: [String], familyNames: [String]) throws {
      // Held back, and sent once for the batch (`WriteState.sendPlanRows`): the links the rules
      // read are kept in `state.planLinks`, and nothing reads the names or parties meanwhile.
      for key in keys {
        let link = PlanLink(planId: planId, parties: parties)
        if let links = state.planLinks[key], !links.contains(link) { state.planLinks[key] = links + [link] }
        state.planLinkRows.value(key)
        state.planLinkRows.value(parties)
        state.planLinkRows.value(planId)
        state.planLinkRows.endRow()
      }
      for name in familyNames { state.familyNames[planId, default: [:]][name, default: 0] += 1 }
      state.planParties[planId, default: []].append(parties)
    }

    /// A family is named by the family name most of its mentions use (on a tie the smallest).
    private func rename(_ planId: Int64) {
      send(
        PostgresQuery(
          unsafeSQL: """
            UPDATE plan SET name = coalesce(
              (SELECT name FROM plan_family_name WHERE planId = $1 ORDER BY mentions DESC, name LIMIT 1), name)
            WHERE id = $1
            """, binds: Self.binds(planId)))
    }

    func version(planId: Int64, points: Int?, name: String) throws -> Int64 {
      // Looked up before inserting: the UNIQUE constraint holds NULL points distinct, so an insert
      // that relied on it would add a version without points each time.
      if let id = try findVersion(planId: planId, points: points, name: name) { return id }
      let id = try state.take("plan_version")
      state.versions[WriteState.VersionKey(planId: planId, points: points, name: name)] = id
      send("INSERT INTO plan_version (id, planId, points, name) VALUES (\(id), \(planId), \(points), \(name))")
      return id
    }

    private static func binds(_ values: Int64...) -> PostgresBindings {
      var binds = PostgresBindings(capacity: values.count)
      for value in values { binds.append(value) }
      return binds
    }
  }

  extension Duration {
    /// The duration in seconds, as a `Double`.
    fileprivate var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
  }

#endif
