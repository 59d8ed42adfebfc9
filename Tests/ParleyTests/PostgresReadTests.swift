import Foundation
import Testing

#if PostgreSQL
  import ParleyPostgres
  import ParleyRecord
  import ParleyServer
  import ParleyStore
  import ParleyStrategy

  #if canImport(FoundationNetworking)
    import FoundationNetworking
  #endif

  /// The reads that came to PostgreSQL with `parley serve` (articles, actors, sources, diff,
  /// export, conflict drafts, the web pages and the API, the change counter) give on the same
  /// inputs the answers SQLite gives, and the server's uploads go through the PostgreSQL writer.
  @Suite(.enabled(if: PostgresTestServer.available, PostgresTestServer.skipReason))
  struct PostgresReadTests {
    static let paths = [Support.seedsDirectory.path, PostgresIngestTests.examples]
    static let negotiation = Support.packageRoot.appendingPathComponent("Examples/negotiation.yaml").path

    /// The same inputs in SQLite and in a fresh PostgreSQL database, given to `body`.
    static func withBoth(_ body: (RecordStore, PostgresSettings) async throws -> Void) async throws {
      let (sqlite, summary) = try StoreSupport.store(ingesting: paths)
      #expect(summary.new > 10 && summary.failed.isEmpty)
      try await PostgresTestServer.withDatabase { settings in
        #expect(try await PostgresIngestTests.ingest(paths, into: settings) == summary)
        try await body(sqlite, settings)
      }
    }

    @Test func queriesAnswerAsOnSQLite() async throws {
      try await Self.withBoth { sqlite, settings in
        let reader = try await PostgresRecordReader.connect(settings)
        let stated = try NegotiationFile.load(path: Self.negotiation)
        try await PostgresIngestTests.offThread { try Self.expectSameAnswers(reader, sqlite, stated) }
        await reader.close()
      }
    }

    /// Every newly supported query, on both records.
    static func expectSameAnswers(_ pg: PostgresRecordReader, _ lite: RecordStore, _ stated: NegotiationFile) throws {
      #expect(try pg.stamp().changes == lite.stamp().changes)
      for (limit, offset) in [(500, 0), (7, 3), (5, 1000)] {
        #expect(try pg.articles(limit: limit, offset: offset) == lite.articles(limit: limit, offset: offset))
      }
      let articles = try lite.articles(limit: 500).items
      #expect(articles.count > 10)
      #expect(articles.contains { $0.nearCopyOf != nil })
      for a in articles { #expect(try pg.article(id: a.id) == lite.article(id: a.id), "article \(a.id)") }
      #expect(try pg.article(id: 999_999) == nil)

      let filters: [(kind: String?, query: String?)] = [
        (nil, nil), ("person", nil), ("country", nil), (nil, "ukr"), (nil, "PUTIN"), ("organization", "a"),
      ]
      for f in filters {
        #expect(
          try pg.actors(kind: f.kind, query: f.query, limit: 500)
            == lite.actors(kind: f.kind, query: f.query, limit: 500),
          "\(f)")
        #expect(
          try pg.actors(kind: f.kind, query: f.query, limit: 3, offset: 2)
            == lite.actors(kind: f.kind, query: f.query, limit: 3, offset: 2), "\(f)")
      }
      let actors = try lite.actors(limit: 40).items
      #expect(actors.count > 10)
      for a in actors {
        #expect(try pg.actor(id: a.id) == lite.actor(id: a.id), "actor \(a.id)")
        #expect(try pg.actor(id: a.id, eventLimit: 2) == lite.actor(id: a.id, eventLimit: 2), "actor \(a.id)")
      }
      #expect(try pg.actor(id: "nobody-at-all") == nil)
      for words in ["Zelensky", "RUS", "putin", "UA", "nobody"] {
        #expect(try pg.resolveActor(words) == lite.resolveActor(words), "\(words)")
      }

      #expect(try pg.sources(limit: 1000) == lite.sources(limit: 1000))
      #expect(try lite.sources(limit: 1000).count > 3)
      #expect(try pg.sources(limit: 3) == lite.sources(limit: 3))
      for limit in [1, 5, 60] { #expect(try pg.topOutlets(limit: limit) == lite.topOutlets(limit: limit)) }

      #expect(try pg.planOutlines(limit: 50) == lite.planOutlines(limit: 50))
      #expect(try pg.planOutlines(limit: 1, offset: 1) == lite.planOutlines(limit: 1, offset: 1))
      #expect(
        try pg.plans(limit: 20, offset: 0, provisionsPerVersion: 2, articlesPerVersion: 1)
          == lite.plans(limit: 20, offset: 0, provisionsPerVersion: 2, articlesPerVersion: 1))
      let plans = try lite.plans()
      #expect(plans.contains { $0.versions.count >= 2 }, "a plan with versions to compare")
      for plan in plans {
        #expect(try pg.plan(id: plan.id) == lite.plan(id: plan.id))
        #expect(try pg.diff(planId: plan.id) == lite.diff(planId: plan.id))
        #expect(
          try pg.diff(planId: plan.id, negotiation: stated) == lite.diff(planId: plan.id, negotiation: stated))
        for from in plan.versions.indices {
          for to in plan.versions.indices {
            #expect(
              try pg.diff(planId: plan.id, from: from + 1, to: to + 1)
                == lite.diff(planId: plan.id, from: from + 1, to: to + 1))
          }
        }
        #expect(draft(pg, plan.id, nil) == draft(lite, plan.id, nil), "plan \(plan.id)")
      }
      #expect(try pg.plan(id: 999_999) == nil && pg.diff(planId: 999_999) == nil)
      let everyPlan: Int64? = nil
      #expect(draft(pg, everyPlan, nil) == draft(lite, everyPlan, nil))
      #expect(draft(pg, everyPlan, stated) == draft(lite, everyPlan, stated))

      var exported: (pg: [ExportRow], lite: [ExportRow]) = ([], [])
      try pg.exportEvents { exported.pg.append($0) }
      try lite.exportEvents { exported.lite.append($0) }
      #expect(exported.pg == exported.lite)
      #expect(try lite.overview().events == exported.lite.count)
    }

    /// A conflict draft or why there is none, to compare.
    static func draft(_ record: any RecordQuerying, _ plan: Int64?, _ stated: NegotiationFile?) -> String {
      do {
        return try record.conflictDraft(planId: plan, negotiation: stated)?.yaml ?? "no plan"
      } catch {
        return "\(error)"
      }
    }

    @Test func exportReadsPageAfterPageInTimelineOrder() async throws {
      try await Self.withBoth { sqlite, settings in
        let reader = try await PostgresRecordReader.connect(settings)
        let events = try sqlite.overview().events
        #expect(events > 20)
        // Small pages: the keyset moves across equal dates, undated events and page ends alike.
        try await PostgresIngestTests.offThread {
          for size in [1, 2, 7] {
            var rows: [ExportRow] = []
            try reader.snapshot { r in try RecordStore.exportEvents(r, pageSize: size) { rows.append($0) } }
            var all: [ExportRow] = []
            try sqlite.exportEvents { all.append($0) }
            #expect(rows == all, "page size \(size)")
          }
        }
        await reader.close()
      }
    }

    @Test func pagesRenderAsOnSQLite() async throws {
      try await Self.withBoth { sqlite, settings in
        let reader = try await PostgresRecordReader.connect(settings)
        try await PostgresIngestTests.offThread {
          let pg = try PageRenderer(store: reader)
          let lite = try PageRenderer(store: sqlite)
          #expect(try pg.overview() == lite.overview())
          for query in [[:], ["offset": "5"]] {
            #expect(try pg.articles(query) == lite.articles(query), "\(query)")
            #expect(try pg.actors(query) == lite.actors(query), "\(query)")
          }
          #expect(try pg.actors(["kind": "person", "q": "a"]) == lite.actors(["kind": "person", "q": "a"]))
          #expect(try pg.timeline([:]) == lite.timeline([:]))
          #expect(try pg.timeline(["actor": "RUS"]) == lite.timeline(["actor": "RUS"]))
          #expect(try pg.plans() == lite.plans())
          for plan in try sqlite.plans() {
            #expect(try pg.plan(id: plan.id) == lite.plan(id: plan.id), "plan \(plan.id)")
            #expect(try pg.draftedConflict(planId: plan.id) == lite.draftedConflict(planId: plan.id))
          }
          for a in try sqlite.articles(limit: 8).items {
            #expect(try pg.article(id: a.id) == lite.article(id: a.id), "article \(a.id)")
          }
          for a in try sqlite.actors(limit: 8).items {
            #expect(try pg.actor(id: a.id) == lite.actor(id: a.id), "actor \(a.id)")
          }
          for e in try sqlite.events(EventFilter(limit: 8)).items {
            #expect(try pg.event(id: e.id) == lite.event(id: e.id), "event \(e.id)")
          }
        }
        await reader.close()
      }
    }

    /// The real binary: each command that used to stop with "not yet" prints what it prints for SQLite.
    @Test func commandsPrintWhatTheyPrintForSQLite() async throws {
      try await Self.withBoth { sqlite, settings in
        let password = PostgresTestServer.environment["PARLEY_TEST_POSTGRES_PASSWORD"] ?? ""
        let commands = PostgresCommandTests()
        let plan = try #require(try sqlite.plans().first { $0.versions.count >= 2 })
        let folder = try Support.temporaryDirectory()
        let runs: [[String]] = [
          ["articles", "--json", "--limit", "500"], ["articles", "--limit", "3", "--offset", "2"],
          ["actors", "--json", "--limit", "500"], ["actors", "--kind", "person", "--name", "a"],
          ["actors", "--show", "Zelensky", "--json"], ["actors", "--show", "nobody-at-all"],
          ["sources", "--json"], ["sources"],
          ["diff", "\(plan.id)", "--json"], ["diff", "\(plan.id)", "--from", "1", "--to", "2"],
          ["diff", "\(plan.id)", "--negotiation", Self.negotiation], ["diff", "999999"],
          ["export", "--format", "csv"], ["export", "--format", "jsonl"],
          ["conflict", "draft"], ["conflict", "draft", "--plan", "\(plan.id)"],
          ["conflict", "draft", "--negotiation", Self.negotiation], ["conflict", "draft", "--plan", "999999"],
        ]
        for arguments in runs {
          let lite = try await commands.parley(arguments + ["--db", sqlite.path])
          let pg = try await commands.parley(
            arguments + ["--db", settings.displayURL], environment: ["PGPASSWORD": password])
          #expect(lite.status == (arguments.contains { $0.hasPrefix("nobody") || $0 == "999999" } ? 5 : 0))
          #expect(lite.status != 0 || !lite.output.isEmpty, "\(arguments)")
          #expect(pg.status == lite.status, "\(arguments): \(pg.errors)")
          #expect(pg.output == lite.output, "\(arguments)")
          #expect(
            pg.errors.replacingOccurrences(of: settings.displayURL, with: "DB")
              == lite.errors.replacingOccurrences(of: sqlite.path, with: "DB"), "\(arguments)")
        }
        let exported = try await commands.parley(["export", "--db", sqlite.path])
        #expect(exported.output.split(separator: "\n").count > 20)
        // --output writes the same file.
        let files = (folder.appendingPathComponent("pg.csv").path, folder.appendingPathComponent("lite.csv").path)
        _ = try await commands.parley(
          ["export", "--db", settings.displayURL, "--output", files.0], environment: ["PGPASSWORD": password])
        _ = try await commands.parley(["export", "--db", sqlite.path, "--output", files.1])
        #expect(FileManager.default.contents(atPath: files.0) == FileManager.default.contents(atPath: files.1))
      }
    }

    /// The web server over a PostgreSQL record: every page and API answer equals the SQLite
    /// server's; validators and 304 work; an upload is stored by the PostgreSQL writer, answers
    /// as SQLite's does, and moves the ETag.
    @Test func servesAndStoresUploadsAsOnSQLite() async throws {
      try await Self.withBoth { sqlite, settings in
        let token = "a-token-long-enough-for-tests"
        let reader = try await PostgresRecordReader.connect(settings, connections: 3)
        let writer = try await PostgresArticleWriter.connect(settings)
        let pg = try await ServerSupport.start(reader: reader, writer: writer, token: token)
        let lite = try await ServerSupport.start(store: sqlite, token: token)
        let plan = try #require(try sqlite.plans().first { $0.versions.count >= 2 })
        let actor = try #require(try sqlite.actors(limit: 1).items.first)
        let paths = [
          "/api/v1/overview", "/api/v1/articles?limit=100", "/api/v1/articles/1", "/api/v1/articles/3",
          "/api/v1/actors?limit=100", "/api/v1/actors?kind=person&q=a", "/api/v1/actors/\(actor.id)",
          "/api/v1/events?limit=100", "/api/v1/events/1", "/api/v1/timeline?limit=20", "/api/v1/plans",
          "/api/v1/plans/\(plan.id)", "/api/v1/plans/\(plan.id)/diff", "/api/v1/plans/\(plan.id)/diff?from=1&to=2",
          "/api/v1/positions", "/api/v1/positions?plan=\(plan.id)", "/api/v1/sources", "/api/v1/articles/999999",
          "/", "/timeline", "/timeline?actor=RUS", "/actors", "/actors/\(actor.id)", "/articles", "/articles/1",
          "/events/1", "/plans", "/plans/\(plan.id)", "/plans/\(plan.id)/conflict",
          "/plans/\(plan.id)/conflict.yaml", "/articles/999999",
        ]
        do {
          for path in paths {
            let (a, b) = (try await pg.get(path), try await lite.get(path))
            #expect(b.status == (path.contains("999999") ? 404 : 200), "\(path)")
            #expect(a.status == b.status, "\(path)")
            #expect(a.body == b.body, "\(path)")
          }
          // Validators from PostgreSQL's change counter: 304 while the record is unchanged.
          let first = try await pg.get("/api/v1/overview")
          let etag = try #require(first.headers["etag"])
          #expect(try await pg.get("/api/v1/overview", headers: ["If-None-Match": etag]).status == 304)
          #expect(try await pg.get("/plans", headers: ["If-None-Match": etag]).status == 304)

          let auth = ["Authorization": "Bearer \(token)"]
          let body = Data(
            #"""
            {"title": "Talks in Geneva", "published": "2025-11-24", "outlet": "Reuters", "id": "geneva-pg",
             "text": "Ukrainian and US delegations met in Geneva on Sunday to discuss the 28-point peace plan, Reuters reported."}
            """#.utf8)
          let created = try await pg.post(
            "/api/v1/articles", body: body, contentType: "application/json", headers: auth)
          let createdLite = try await lite.post(
            "/api/v1/articles", body: body, contentType: "application/json", headers: auth)
          #expect(created.status == 201, "\(String(decoding: created.body, as: UTF8.self))")
          #expect(created.body == createdLite.body)
          #expect(created.headers["location"] == createdLite.headers["location"])
          let again = try await pg.post("/api/v1/articles", body: body, contentType: "application/json", headers: auth)
          #expect(again.status == 200)
          #expect(try JSONValue.parse(again.body)["status"]?.string == "duplicate")
          // Readable at once, with a new ETag; the old one no longer answers 304.
          let after = try await pg.get("/api/v1/overview", headers: ["If-None-Match": etag])
          #expect(after.status == 200)
          #expect(after.headers["etag"] != nil && after.headers["etag"] != etag)
          let location = try #require(created.headers["location"])
          for path in [location, "/api/v1/overview", "/api/v1/articles?limit=100", "/articles", "/"] {
            let (a, b) = (try await pg.get(path), try await lite.get(path))
            #expect(a.status == 200 && a.body == b.body, "\(path) after the upload")
          }
          let refused = try await pg.post("/api/v1/articles", body: body, contentType: "application/json")
          #expect(refused.status == 401)
        } catch {
          Issue.record(error)
        }
        await pg.stop()
        await lite.stop()
        await reader.close()
        await writer.close()
        // The upload is in the PostgreSQL record, as in the SQLite one.
        let copy = try await PostgresIngestTests.sqliteCopy(of: settings)
        try PostgresIngestTests.expectSameRows(copy, sqlite, "after the upload")
      }
    }

    /// `parley serve --db postgresql://...` as a process: --ingest and an upload are stored in
    /// PostgreSQL, SIGTERM stops it cleanly; a database without a record stops it at once.
    @Test func serveCommandRunsOnPostgreSQL() async throws {
      try await PostgresTestServer.withDatabase { settings in
        let password = PostgresTestServer.environment["PARLEY_TEST_POSTGRES_PASSWORD"] ?? ""
        let commands = PostgresCommandTests()
        // Read-only on a database without a record: one line, exit status 4, before listening.
        let empty = try await commands.parley(
          ["serve", "--db", settings.displayURL, "--port", "0"], environment: ["PGPASSWORD": password])
        #expect(empty.status == 4)
        #expect(empty.errors.contains("no Parley record"), "\(empty.errors)")

        let seed = Support.seedsDirectory.appendingPathComponent("000_cbc9ba264e00569e.txt").path
        let token = "a-token-long-enough-1234"
        let serve = try await ServerAPIServeCommandTests.start(
          ["--db", settings.displayURL, "--ingest", seed], environment: ["PARLEY_TOKEN": token, "PGPASSWORD": password])
        let (process, log, text) = (serve.process, serve.log, serve.text)
        defer { if process.isRunning { process.terminate() } }
        #expect(text.contains("serving \(settings.displayURL) at http://127.0.0.1:"), "\(text)")
        #expect(!text.contains(password))
        let port = try #require(serve.port, "\(text)")
        let overview = try #require(URL(string: "http://127.0.0.1:\(port)/api/v1/overview"))
        let uploads = try #require(URL(string: "http://127.0.0.1:\(port)/api/v1/articles"))
        let before = try await URLSession.shared.data(from: overview).0
        #expect(try JSONValue.parse(before)["articles"]?.int == 1)
        var upload = URLRequest(url: uploads)
        upload.httpMethod = "POST"
        upload.setValue("text/plain", forHTTPHeaderField: "Content-Type")
        upload.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        upload.httpBody = Data("Russian and Ukrainian negotiators met in Istanbul on Monday, Reuters reported.".utf8)
        let (_, response) = try await URLSession.shared.data(for: upload)
        #expect((response as? HTTPURLResponse)?.statusCode == 201)
        let after = try await URLSession.shared.data(from: overview).0
        #expect(try JSONValue.parse(after)["articles"]?.int == 2)

        process.terminate()
        #expect(await ParleyProcess.wait(process, seconds: 20))
        #expect(process.terminationStatus == 0)
        #expect(try String(contentsOf: log, encoding: .utf8).contains("parley: server stopped"))
      }
    }

    /// A connection the server ends (a restart, an administrator) is replaced by the next query:
    /// a long-running `parley serve` does not answer 500 for ever after.
    @Test func aReaderReplacesConnectionsTheServerEnded() async throws {
      try await PostgresTestServer.withDatabase { settings in
        _ = try await PostgresIngestTests.ingest([Support.seedsDirectory.path], into: settings)
        let reader = try await PostgresRecordReader.connect(settings, connections: 2)
        let before = try await PostgresIngestTests.offThread { try reader.overview() }
        #expect(before.articles == 5)
        try await PostgresTestServer.execute(
          """
          SELECT pg_terminate_backend(pid) FROM pg_stat_activity
          WHERE datname = current_database() AND pid <> pg_backend_pid()
          """, on: settings)
        try await Task.sleep(for: .milliseconds(500))
        try await PostgresIngestTests.offThread { () throws -> Void in
          // A query that meets the connection as it closes may fail; the ones after it are answered.
          _ = try? reader.overview()
          for _ in 0..<4 { #expect(try reader.overview() == before) }
          #expect(try reader.stamp().changes == 5)
        }
        await reader.close()
      }
    }

    @Test func aReadOnlyServerRefusesUploads() async throws {
      try await PostgresTestServer.withDatabase { settings in
        _ = try await PostgresIngestTests.ingest([Support.seedsDirectory.path], into: settings)
        let reader = try await PostgresRecordReader.connect(settings)
        let server = try await ServerSupport.start(reader: reader, writer: nil, token: "a-token-long-enough-for-tests")
        let answer = try await server.post(
          "/api/v1/articles", body: Data("Talks resumed.".utf8), contentType: "text/plain",
          headers: ["Authorization": "Bearer a-token-long-enough-for-tests"])
        #expect(answer.status == 403)
        #expect(try await server.get("/api/v1/overview").status == 200)
        await server.stop()
        await reader.close()
      }
    }
  }
#endif
