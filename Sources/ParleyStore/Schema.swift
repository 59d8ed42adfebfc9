import GRDB
import ParleyModel
import ParleyRecord

/// The database schema as a list of versioned migrations; a database is brought up to date on open.
///
/// Migrations only ever get appended: a database written by an older Parley opens in a newer one.
enum Schema {
  static var migrator: DatabaseMigrator {
    var migrator = DatabaseMigrator()
    migrator.registerMigration("v1: articles, actors, events, plans, positions") { db in
      // One row per distinct article text. `key` is a hash of the cleaned text: the same
      // article ingested twice (even from another file) is found and skipped.
      try db.execute(
        sql: """
          CREATE TABLE article (
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            docId TEXT NOT NULL,
            path TEXT NOT NULL,
            format TEXT NOT NULL,
            title TEXT,
            published TEXT,
            outlet TEXT,
            url TEXT,
            source TEXT NOT NULL,
            body TEXT NOT NULL,
            duplicateParagraphsRemoved INTEGER NOT NULL DEFAULT 0,
            duplicateOf INTEGER REFERENCES article(id),
            similarity REAL,
            signature BLOB NOT NULL
          );
          CREATE INDEX article_published ON article(published);
          CREATE INDEX article_duplicateOf ON article(duplicateOf);

          -- LSH buckets of MinHash signatures: near-copies share at least one band key.
          CREATE TABLE article_band (
            key INTEGER NOT NULL,
            articleId INTEGER NOT NULL REFERENCES article(id) ON DELETE CASCADE
          );
          CREATE INDEX article_band_key ON article_band(key);

          CREATE VIRTUAL TABLE article_fts USING fts5(
            title, body, content='article', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
          );
          CREATE TRIGGER article_fts_insert AFTER INSERT ON article BEGIN
            INSERT INTO article_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
          END;
          CREATE TRIGGER article_fts_delete AFTER DELETE ON article BEGIN
            INSERT INTO article_fts(article_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
          END;

          CREATE TABLE actor (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            kind TEXT NOT NULL,
            affiliation TEXT,
            role TEXT,
            known INTEGER NOT NULL
          );
          CREATE INDEX actor_affiliation ON actor(affiliation);

          -- Every spelling an actor was found under, with how often.
          CREATE TABLE actor_alias (
            actorId TEXT NOT NULL REFERENCES actor(id),
            alias TEXT NOT NULL,
            count INTEGER NOT NULL,
            PRIMARY KEY (actorId, alias)
          ) WITHOUT ROWID;

          CREATE TABLE mention (
            articleId INTEGER NOT NULL REFERENCES article(id) ON DELETE CASCADE,
            actorId TEXT NOT NULL REFERENCES actor(id),
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            text TEXT NOT NULL
          );
          CREATE INDEX mention_article ON mention(articleId);
          CREATE INDEX mention_actor ON mention(actorId, articleId);

          CREATE TABLE citation (
            articleId INTEGER NOT NULL REFERENCES article(id) ON DELETE CASCADE,
            outlet TEXT NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            text TEXT NOT NULL
          );
          CREATE INDEX citation_article ON citation(articleId);
          CREATE INDEX citation_outlet ON citation(outlet);

          -- A real-world event: the merge of every report of it. Dates and places are the
          -- best known over its reports; `firstSeen` keeps the ordering of undated events stable.
          CREATE TABLE event (
            id INTEGER PRIMARY KEY,
            cameo TEXT NOT NULL,
            root TEXT NOT NULL,
            sourceId TEXT REFERENCES actor(id),
            targetId TEXT REFERENCES actor(id),
            date TEXT,
            location TEXT REFERENCES actor(id),
            -- The date the timeline orders by (the event's, else its earliest report's); '~' when
            -- unknown, which sorts after every date so undated events come last.
            sortKey TEXT NOT NULL,
            reportCount INTEGER NOT NULL DEFAULT 0
          );
          CREATE INDEX event_pair ON event(sourceId, targetId, root);
          CREATE INDEX event_target ON event(targetId, sortKey, id);
          CREATE INDEX event_source ON event(sourceId, sortKey, id);
          CREATE INDEX event_sort ON event(sortKey, id);
          CREATE INDEX event_cameo ON event(cameo);

          -- One article's account of an event, with the sentence and offsets it came from.
          CREATE TABLE report (
            id INTEGER PRIMARY KEY,
            eventId INTEGER NOT NULL REFERENCES event(id),
            articleId INTEGER NOT NULL REFERENCES article(id) ON DELETE CASCADE,
            cameo TEXT NOT NULL,
            sourceId TEXT,
            targetId TEXT,
            date TEXT,
            location TEXT,
            cited TEXT,
            text TEXT NOT NULL,
            trigger TEXT NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL
          );
          CREATE INDEX report_event ON report(eventId);
          CREATE INDEX report_article ON report(articleId);
          CREATE INDEX report_cited ON report(cited);

          -- A plan and its versions: a family of drafts ("peace plan"), each version keyed by its
          -- point count (or by its name when it has none).
          CREATE TABLE plan (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            -- The countries its first article was most about (comma-separated codes).
            parties TEXT NOT NULL
          );
          CREATE TABLE plan_version (
            id INTEGER PRIMARY KEY,
            planId INTEGER NOT NULL REFERENCES plan(id),
            points INTEGER,
            name TEXT NOT NULL,
            UNIQUE (planId, points, name)
          );
          CREATE TABLE plan_mention (
            articleId INTEGER NOT NULL REFERENCES article(id) ON DELETE CASCADE,
            versionId INTEGER NOT NULL REFERENCES plan_version(id),
            name TEXT NOT NULL,
            cue INTEGER NOT NULL,
            text TEXT NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL
          );
          CREATE INDEX plan_mention_version ON plan_mention(versionId);
          CREATE INDEX plan_mention_article ON plan_mention(articleId);

          CREATE TABLE provision (
            id INTEGER PRIMARY KEY,
            articleId INTEGER NOT NULL REFERENCES article(id) ON DELETE CASCADE,
            versionId INTEGER REFERENCES plan_version(id),
            category TEXT NOT NULL,
            text TEXT NOT NULL,
            demandedBy TEXT,
            appliesTo TEXT,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL
          );
          CREATE INDEX provision_article ON provision(articleId);
          CREATE INDEX provision_version ON provision(versionId, category);

          -- A party's stance on a provision category, with the sentence that shows it.
          CREATE TABLE position (
            id INTEGER PRIMARY KEY,
            party TEXT NOT NULL,
            actorId TEXT,
            category TEXT NOT NULL,
            stance TEXT NOT NULL,
            provisionId INTEGER NOT NULL REFERENCES provision(id),
            articleId INTEGER NOT NULL REFERENCES article(id) ON DELETE CASCADE,
            evidence TEXT NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL
          );
          CREATE INDEX position_party ON position(party, category);
          """)
    }
    migrator.registerMigration("v2: events found by pair, type and time") { db in
      // Matching a new report probes events of one pair and root in a window of time.
      try db.execute(
        sql: """
          DROP INDEX event_pair;
          CREATE INDEX event_pair_time ON event(sourceId, targetId, root, sortKey);
          """)
    }
    migrator.registerMigration("v3: indexes for plans, outlets and the positions matrix") { db in
      try db.execute(
        sql: """
          CREATE INDEX plan_version_points ON plan_version(points, planId);
          CREATE INDEX plan_name ON plan(name);
          CREATE INDEX article_outlet ON article(outlet);
          DROP INDEX position_party;
          CREATE INDEX position_cell ON position(party, category, stance);
          CREATE INDEX position_actor ON position(actorId);
          CREATE INDEX position_provision ON position(provisionId);
          DROP INDEX provision_version;
          CREATE INDEX provision_version ON provision(versionId, articleId, start);
          """)
    }
    migrator.registerMigration("v4: position tallies") { db in
      // The positions matrix counts stances per party, holder, issue and stance. Kept up to date
      // in each article's transaction, it makes the matrix as cheap for a million stances as for ten.
      try db.execute(
        sql: """
          CREATE TABLE position_tally (
            party TEXT NOT NULL,
            actorId TEXT NOT NULL,
            category TEXT NOT NULL,
            stance TEXT NOT NULL,
            count INTEGER NOT NULL,
            PRIMARY KEY (party, actorId, category, stance)
          ) WITHOUT ROWID;
          INSERT INTO position_tally (party, actorId, category, stance, count)
            SELECT party, coalesce(actorId, ''), category, stance, count(*) FROM position
            GROUP BY party, coalesce(actorId, ''), category, stance;
          DROP INDEX position_cell;
          CREATE INDEX position_cell ON position(party, category, stance, articleId, start);
          """)
    }
    migrator.registerMigration("v5: record change counter") { db in
      // One row counting the transactions that changed the record, with the time of the last:
      // the server's ETag and Last-Modified come from it in one read instead of hashing the
      // answer. It starts from the articles already stored, so a migrated record gets a value
      // no earlier state had.
      try db.execute(
        sql: """
          CREATE TABLE record_state (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            changes INTEGER NOT NULL,
            modified REAL NOT NULL
          );
          INSERT INTO record_state (id, changes, modified)
            SELECT 1, coalesce(max(id), 0), CAST(strftime('%s', 'now') AS REAL) FROM article;
          """)
    }
    migrator.registerMigration("v6: actor and outlet tallies, newest-articles index") { db in
      // Pages rank actors by mentions and list the most published or cited outlets; counted from
      // every mention, event and citation, each such page cost 50-170 ms on 10,000 articles.
      // Triggers keep the tallies inside the transaction that writes the rows they count (the
      // ingest's, or any other), so they can never disagree with the base tables; the backfill
      // brings an existing record's tallies up to date in the migration's own transaction.
      try db.execute(sql: Self.tallySQL)
      try db.execute(
        sql: """
          INSERT INTO actor_tally (actorId, articles, mentions, events)
            SELECT actor.id,
              (SELECT count(DISTINCT articleId) FROM mention m WHERE m.actorId = actor.id),
              (SELECT count(*) FROM mention m WHERE m.actorId = actor.id),
              (SELECT count(*) FROM event e WHERE e.sourceId = actor.id)
                + (SELECT count(*) FROM event e WHERE e.targetId = actor.id)
            FROM actor;
          INSERT INTO outlet_tally (outlet, published, cited, reports)
            SELECT outlet, sum(published), sum(cited), sum(reports) FROM (
              SELECT outlet, count(*) AS published, 0 AS cited, 0 AS reports FROM article WHERE outlet IS NOT NULL
                GROUP BY outlet
              UNION ALL SELECT outlet, 0, count(*), 0 FROM citation GROUP BY outlet
              UNION ALL SELECT cited, 0, 0, count(*) FROM report WHERE cited IS NOT NULL GROUP BY cited
            ) GROUP BY outlet;
          INSERT INTO plan_version_tally (versionId, mentions, cue, first, articles, provisions)
            SELECT v.id, count(pm.rowid), coalesce(sum(pm.cue), 0), min(coalesce(a.published, '~')),
              count(DISTINCT pm.articleId), (SELECT count(*) FROM provision pr WHERE pr.versionId = v.id)
            FROM plan_version v LEFT JOIN plan_mention pm ON pm.versionId = v.id
              LEFT JOIN article a ON a.id = pm.articleId
            GROUP BY v.id;
          INSERT INTO plan_version_name (versionId, name, count)
            SELECT versionId, name, count(*) FROM plan_mention GROUP BY versionId, name;
          """)
    }
    migrator.registerMigration("v7: participants of many-party events") { db in
      // One happening with several parties ("X hosted Y and Z") is stored as the dyads CAMEO
      // needs; every party of it is a participant of each, so that an actor's events include
      // the meetings it took part in without being their source or target. Older events have no
      // participants beyond their source and target: nothing to backfill.
      try db.execute(
        sql: """
          CREATE TABLE event_participant (
            eventId INTEGER NOT NULL REFERENCES event(id),
            actorId TEXT NOT NULL,
            PRIMARY KEY (eventId, actorId)
          ) WITHOUT ROWID;
          CREATE INDEX event_participant_actor ON event_participant(actorId, eventId);
          """)
    }
    migrator.registerMigration("v8: near-copy signatures apart from the article text") { db in
      // Finding a new article's near-copies reads the signature of every stored article that
      // shares an LSH band with it, and those candidates grow with the record (boilerplate bands
      // are shared by hundreds of articles). In `article` the signature is the last column, after
      // the source and the body, so each candidate read walked the row's overflow pages: a few
      // KiB per candidate. Here a candidate is one short row. A trigger fills it in the
      // transaction that stores the article, so it can never miss one; the backfill copies an
      // existing record's signatures in the migration's own transaction.
      try db.execute(
        sql: """
          CREATE TABLE article_signature (
            articleId INTEGER PRIMARY KEY REFERENCES article(id) ON DELETE CASCADE,
            duplicateOf INTEGER,
            signature BLOB NOT NULL
          );
          INSERT INTO article_signature (articleId, duplicateOf, signature)
            SELECT id, duplicateOf, signature FROM article;
          CREATE TRIGGER article_signature_insert AFTER INSERT ON article BEGIN
            INSERT INTO article_signature (articleId, duplicateOf, signature)
              VALUES (new.id, new.duplicateOf, new.signature);
          END;
          CREATE TRIGGER article_signature_update AFTER UPDATE OF duplicateOf, signature ON article BEGIN
            UPDATE article_signature SET duplicateOf = new.duplicateOf, signature = new.signature
            WHERE articleId = new.id;
          END;
          """)
    }
    migrator.registerMigration("v9: order-free merging: event spans, plan links and names") { db in
      // Events are the connected components of reports whose days are close (`EventRules`), and
      // plan families those of mentions sharing a link key (`PlanRules`), so the record does not
      // depend on the order articles arrive in. A new report probes the events of its key by the
      // days they span (`event_span`, in the order spans end, dated events and periods of undated
      // reports apart, so that neither probe walks the other's); a plan mention probes the families
      // holding its link key (`plan_link`), with the party signature of each article that put it
      // there; `plan_family_name` counts the family names of a family's mentions, to name it.
      try db.execute(
        sql: """
          ALTER TABLE event ADD COLUMN firstDay INTEGER;
          ALTER TABLE event ADD COLUMN lastDay INTEGER;
          ALTER TABLE event ADD COLUMN dated INTEGER NOT NULL DEFAULT 0;
          UPDATE event SET dated = 1 WHERE length(date) = 10;
          DROP INDEX event_pair_time;
          CREATE INDEX event_span ON event(sourceId, targetId, root, dated, lastDay);
          CREATE TABLE plan_link (
            key TEXT NOT NULL,
            parties TEXT NOT NULL,
            planId INTEGER NOT NULL REFERENCES plan(id),
            PRIMARY KEY (key, parties, planId)
          ) WITHOUT ROWID;
          CREATE INDEX plan_link_plan ON plan_link(planId);
          CREATE TABLE plan_family_name (
            planId INTEGER NOT NULL REFERENCES plan(id),
            name TEXT NOT NULL,
            mentions INTEGER NOT NULL,
            PRIMARY KEY (planId, name)
          ) WITHOUT ROWID;
          """)
      try Self.backfillMergeKeys(db)
    }
    migrator.registerMigration("v10: events and citing outlets per outlet") { db in
      // The sources list counted, on every request, the distinct events each outlet is named in
      // and who cites whom, over every report and citation: more than 5 s on 100,000 articles.
      // These tallies are kept by triggers as the others; the backfill counts an existing record
      // in the migration's transaction, before the triggers exist, so nothing counts twice.
      try db.execute(sql: Self.sourceTallyTablesSQL)
      try db.execute(
        sql: """
          INSERT INTO outlet_event (outlet, eventId, reports)
            SELECT o, eventId, count(*) FROM (
              SELECT a.outlet AS o, r.eventId FROM report r JOIN article a ON a.id = r.articleId
                WHERE a.outlet IS NOT NULL
              UNION ALL SELECT r.cited, r.eventId FROM report r WHERE r.cited IS NOT NULL
            ) GROUP BY o, eventId;
          INSERT INTO outlet_event_tally (outlet, events)
            SELECT outlet, count(*) FROM outlet_event GROUP BY outlet;
          INSERT INTO outlet_citing_tally (outlet, citing, citations)
            SELECT c.outlet, coalesce(a.outlet, 'unattributed'), count(*)
            FROM citation c JOIN article a ON a.id = c.articleId
            GROUP BY c.outlet, coalesce(a.outlet, 'unattributed');
          """)
      try db.execute(sql: Self.sourceTallyTriggersSQL)
    }
    migrator.registerMigration("v11: positions per plan version") { db in
      // A plan's page counted and ranked every position of its provisions on each request
      // (13,004 for one plan of the 100,000-article record: ~150 ms of SQL). Each position now
      // carries its provision's version, so a plan's evidence is a few short ranges of one index,
      // and `plan_position_tally` counts them per version, party, holder, issue and stance, kept by
      // triggers as the other tallies; the backfill fills both in the migration's transaction,
      // before the triggers exist.
      try db.execute(
        sql: """
          ALTER TABLE position ADD COLUMN versionId INTEGER;
          UPDATE position SET versionId = (SELECT pr.versionId FROM provision pr WHERE pr.id = position.provisionId);
          \(Self.planPositionTallyTableSQL)
          INSERT INTO plan_position_tally (versionId, party, actorId, category, stance, count)
            SELECT versionId, party, coalesce(actorId, ''), category, stance, count(*) FROM position
            WHERE versionId IS NOT NULL GROUP BY versionId, party, coalesce(actorId, ''), category, stance;
          \(Self.planPositionTallyTriggersSQL)
          """)
    }
    migrator.registerMigration("v12: actor sectors") { db in
      // The CAMEO sector the extraction gives an actor ("REB" for "Sudanese rebels"), joined over
      // its articles as affiliation is (`ActorDescription`). An older record's actors have none
      // until an article that gives one is ingested: the extraction is not stored to read it back.
      try db.execute(sql: "ALTER TABLE actor ADD COLUMN sector TEXT")
    }
    return migrator
  }

  /// The positions of each plan version per party, holder ('' for none, as in `position_tally`),
  /// issue and stance: a plan's matrix sums the rows of its versions. Keyed by version rather than
  /// plan because a family merge moves whole versions to another plan (nothing to change here) and
  /// folds a version into the survivor's same version (the writer adds its rows to that version's,
  /// as it does for `plan_version_tally`). `position_version_cell` gives a cell's first sentences
  /// of one version in the order the matrix lists them (the row id ends every SQLite index).
  static let planPositionTallyTableSQL = """
    CREATE TABLE plan_position_tally (
      versionId INTEGER NOT NULL,
      party TEXT NOT NULL,
      actorId TEXT NOT NULL,
      category TEXT NOT NULL,
      stance TEXT NOT NULL,
      count INTEGER NOT NULL,
      PRIMARY KEY (versionId, party, actorId, category, stance)
    ) WITHOUT ROWID;
    CREATE INDEX position_version_cell ON position(versionId, party, category, stance, articleId, start);
    """

  /// The triggers of `plan_position_tally`: a position counts under the version its writer gave
  /// it (its provision's); a row counting nothing goes.
  static let planPositionTallyTriggersSQL = """
    CREATE TRIGGER plan_position_tally_insert AFTER INSERT ON position WHEN new.versionId IS NOT NULL BEGIN
      INSERT INTO plan_position_tally (versionId, party, actorId, category, stance, count)
        VALUES (new.versionId, new.party, coalesce(new.actorId, ''), new.category, new.stance, 1)
        ON CONFLICT (versionId, party, actorId, category, stance) DO UPDATE SET count = count + 1;
    END;
    CREATE TRIGGER plan_position_tally_delete AFTER DELETE ON position WHEN old.versionId IS NOT NULL BEGIN
      UPDATE plan_position_tally SET count = count - 1
        WHERE versionId = old.versionId AND party = old.party AND actorId = coalesce(old.actorId, '')
          AND category = old.category AND stance = old.stance;
      DELETE FROM plan_position_tally
        WHERE versionId = old.versionId AND party = old.party AND actorId = coalesce(old.actorId, '')
          AND category = old.category AND stance = old.stance AND count <= 0;
    END;
    """

  /// Fills the v9 merge keys of a record written before them: each event's span from its
  /// reports, and each family's links and names from its mentions (with the parties its first
  /// article named, the only ones an older record kept). The rules themselves compute them, so an
  /// older record continues as if it had always had them; its events and families merged in
  /// arrival order stay as they were until new reports link them.
  static func backfillMergeKeys(_ db: Database) throws {
    let policy = MergePolicy()
    var spans: [Int64: DaySpan] = [:]
    let reports = try Row.fetchCursor(
      db,
      sql: """
        SELECT r.eventId, r.cameo, r.sourceId, r.targetId, r.date, r.location, a.published
        FROM report r JOIN article a ON a.id = r.articleId
        """)
    while let r = try reports.next() {
      let facts = ReportFacts(
        cameo: r["cameo"], source: r["sourceId"], target: r["targetId"],
        date: (r["date"] as String?).flatMap(PartialDate.init(iso:)),
        published: (r["published"] as String?).flatMap(PartialDate.init(iso:)), location: r["location"])
      guard let span = EventRules.span(of: facts, policy: policy) else { continue }
      let id: Int64 = r["eventId"]
      spans[id] = spans[id].map { $0.union(span) } ?? span
    }
    for (id, span) in spans.sorted(by: { $0.key < $1.key }) {
      try db.execute(
        sql: "UPDATE event SET firstDay = ?, lastDay = ? WHERE id = ?", arguments: [span.first, span.last, id])
    }
    var names: [Int64: [String: Int]] = [:]
    let mentions = try Row.fetchCursor(
      db,
      sql: """
        SELECT v.planId, pm.name, v.points, p.parties FROM plan_mention pm
          JOIN plan_version v ON v.id = pm.versionId JOIN plan p ON p.id = v.planId
        """)
    while let m = try mentions.next() {
      let planId: Int64 = m["planId"]
      let facts = PlanMentionFacts(name: m["name"], points: m["points"])
      let parties = PlanRules.partySignature((m["parties"] as String).split(separator: ",").map(String.init))
      try db.execute(
        sql: "INSERT OR IGNORE INTO plan_link (key, parties, planId) VALUES (?, ?, ?)",
        arguments: [facts.linkKey, parties, planId])
      names[planId, default: [:]][facts.family, default: 0] += 1
    }
    for (planId, counts) in names {
      for (name, count) in counts {
        try db.execute(
          sql: "INSERT INTO plan_family_name (planId, name, mentions) VALUES (?, ?, ?)",
          arguments: [planId, name, count])
      }
    }
  }

  /// What the sources list shows of each outlet beyond `outlet_tally`. `outlet_event` counts, per
  /// outlet and event, the reports that name the outlet, as the outlet of their article or as the
  /// one they cite (a report of an outlet's own article that cites it counts twice); a row exists
  /// while that count is positive, so an outlet's events are its rows, which `outlet_event_tally`
  /// counts. `outlet_citing_tally` counts the citations of each outlet per outlet of the citing
  /// article ('unattributed' when it has none). Reports move between events when events merge
  /// (an update of `eventId`), and an article's outlet may change: the triggers follow both.
  static let sourceTallyTablesSQL = """
    CREATE TABLE outlet_event (
      outlet TEXT NOT NULL,
      eventId INTEGER NOT NULL,
      reports INTEGER NOT NULL,
      PRIMARY KEY (outlet, eventId)
    ) WITHOUT ROWID;
    CREATE TABLE outlet_event_tally (
      outlet TEXT PRIMARY KEY,
      events INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE outlet_citing_tally (
      outlet TEXT NOT NULL,
      citing TEXT NOT NULL,
      citations INTEGER NOT NULL,
      PRIMARY KEY (outlet, citing)
    ) WITHOUT ROWID;
    """

  /// The triggers of `sourceTallyTablesSQL`'s tables.
  static let sourceTallyTriggersSQL = """
    CREATE TRIGGER outlet_event_tally_insert AFTER INSERT ON outlet_event BEGIN
      INSERT INTO outlet_event_tally (outlet, events) VALUES (new.outlet, 1)
        ON CONFLICT (outlet) DO UPDATE SET events = events + 1;
    END;
    CREATE TRIGGER outlet_event_tally_delete AFTER DELETE ON outlet_event BEGIN
      UPDATE outlet_event_tally SET events = events - 1 WHERE outlet = old.outlet;
    END;

    CREATE TRIGGER outlet_event_report_insert AFTER INSERT ON report BEGIN
      INSERT INTO outlet_event (outlet, eventId, reports)
        SELECT o, new.eventId, 1 FROM (
          SELECT outlet AS o FROM article WHERE id = new.articleId UNION ALL SELECT new.cited
        ) WHERE o IS NOT NULL
        ON CONFLICT (outlet, eventId) DO UPDATE SET reports = reports + 1;
    END;
    CREATE TRIGGER outlet_event_report_delete AFTER DELETE ON report BEGIN
      UPDATE outlet_event SET reports = reports - 1
        WHERE eventId = old.eventId AND outlet = (SELECT outlet FROM article WHERE id = old.articleId);
      UPDATE outlet_event SET reports = reports - 1 WHERE eventId = old.eventId AND outlet = old.cited;
      DELETE FROM outlet_event WHERE eventId = old.eventId AND reports <= 0
        AND outlet IN ((SELECT outlet FROM article WHERE id = old.articleId), old.cited);
    END;
    CREATE TRIGGER outlet_event_report_update AFTER UPDATE OF eventId, cited, articleId ON report BEGIN
      UPDATE outlet_event SET reports = reports - 1
        WHERE eventId = old.eventId AND outlet = (SELECT outlet FROM article WHERE id = old.articleId);
      UPDATE outlet_event SET reports = reports - 1 WHERE eventId = old.eventId AND outlet = old.cited;
      DELETE FROM outlet_event WHERE eventId = old.eventId AND reports <= 0
        AND outlet IN ((SELECT outlet FROM article WHERE id = old.articleId), old.cited);
      INSERT INTO outlet_event (outlet, eventId, reports)
        SELECT o, new.eventId, 1 FROM (
          SELECT outlet AS o FROM article WHERE id = new.articleId UNION ALL SELECT new.cited
        ) WHERE o IS NOT NULL
        ON CONFLICT (outlet, eventId) DO UPDATE SET reports = reports + 1;
    END;

    CREATE TRIGGER outlet_citing_citation_insert AFTER INSERT ON citation BEGIN
      INSERT INTO outlet_citing_tally (outlet, citing, citations)
        VALUES (new.outlet, coalesce((SELECT outlet FROM article WHERE id = new.articleId), 'unattributed'), 1)
        ON CONFLICT (outlet, citing) DO UPDATE SET citations = citations + 1;
    END;
    CREATE TRIGGER outlet_citing_citation_delete AFTER DELETE ON citation BEGIN
      UPDATE outlet_citing_tally SET citations = citations - 1
        WHERE outlet = old.outlet
          AND citing = coalesce((SELECT outlet FROM article WHERE id = old.articleId), 'unattributed');
      DELETE FROM outlet_citing_tally WHERE outlet = old.outlet AND citations <= 0;
    END;

    -- An article's outlet names its reports and its citations: a change moves them all.
    CREATE TRIGGER outlet_source_article_update AFTER UPDATE OF outlet ON article
    WHEN old.outlet IS NOT new.outlet BEGIN
      UPDATE outlet_event SET reports = reports
          - (SELECT count(*) FROM report r WHERE r.articleId = new.id AND r.eventId = outlet_event.eventId)
        WHERE outlet = old.outlet AND eventId IN (SELECT eventId FROM report WHERE articleId = new.id);
      DELETE FROM outlet_event WHERE outlet = old.outlet AND reports <= 0
        AND eventId IN (SELECT eventId FROM report WHERE articleId = new.id);
      INSERT INTO outlet_event (outlet, eventId, reports)
        SELECT new.outlet, eventId, count(*) FROM report WHERE articleId = new.id AND new.outlet IS NOT NULL
        GROUP BY eventId
        ON CONFLICT (outlet, eventId) DO UPDATE SET reports = reports + excluded.reports;
      UPDATE outlet_citing_tally SET citations = citations
          - (SELECT count(*) FROM citation c WHERE c.articleId = new.id AND c.outlet = outlet_citing_tally.outlet)
        WHERE citing = coalesce(old.outlet, 'unattributed')
          AND outlet IN (SELECT outlet FROM citation WHERE articleId = new.id);
      DELETE FROM outlet_citing_tally WHERE citing = coalesce(old.outlet, 'unattributed') AND citations <= 0;
      INSERT INTO outlet_citing_tally (outlet, citing, citations)
        SELECT outlet, coalesce(new.outlet, 'unattributed'), count(*) FROM citation WHERE articleId = new.id
        GROUP BY outlet
        ON CONFLICT (outlet, citing) DO UPDATE SET citations = citations + excluded.citations;
    END;
    """

  /// The tally tables and the triggers that keep them. An actor's `articles` counts the distinct
  /// articles that mention it: a mention adds one only when it is the article's first of that
  /// actor (a probe of the `(actorId, articleId)` index). `events` counts an event once as source
  /// and once as target, as the actor pages always have. An outlet's `reports` counts the reports
  /// that cite it: an outlet only ever named that way still has a place in the sources list.
  /// Plan mentions and provisions are never deleted; when two families merge, the writer moves
  /// them to the surviving version and merges its tallies itself (no update triggers: a merge
  /// moves a whole version at once); `tallyProblems()` checks them.
  static let tallySQL = """
    CREATE TABLE actor_tally (
      actorId TEXT PRIMARY KEY,
      articles INTEGER NOT NULL,
      mentions INTEGER NOT NULL,
      events INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE outlet_tally (
      outlet TEXT PRIMARY KEY,
      published INTEGER NOT NULL,
      cited INTEGER NOT NULL,
      reports INTEGER NOT NULL
    ) WITHOUT ROWID;

    CREATE TRIGGER actor_tally_actor AFTER INSERT ON actor BEGIN
      INSERT OR IGNORE INTO actor_tally (actorId, articles, mentions, events) VALUES (new.id, 0, 0, 0);
    END;
    CREATE TRIGGER actor_tally_mention_insert AFTER INSERT ON mention BEGIN
      INSERT INTO actor_tally (actorId, articles, mentions, events)
        VALUES (new.actorId, NOT EXISTS (SELECT 1 FROM mention m
          WHERE m.actorId = new.actorId AND m.articleId = new.articleId AND m.rowid <> new.rowid), 1, 0)
        ON CONFLICT (actorId) DO UPDATE SET mentions = mentions + 1, articles = articles + excluded.articles;
    END;
    CREATE TRIGGER actor_tally_mention_delete AFTER DELETE ON mention BEGIN
      UPDATE actor_tally SET mentions = mentions - 1, articles = articles - NOT EXISTS (SELECT 1 FROM mention m
        WHERE m.actorId = old.actorId AND m.articleId = old.articleId)
      WHERE actorId = old.actorId;
    END;
    CREATE TRIGGER actor_tally_event_insert AFTER INSERT ON event BEGIN
      INSERT INTO actor_tally (actorId, articles, mentions, events) SELECT new.sourceId, 0, 0, 1
        WHERE new.sourceId IS NOT NULL ON CONFLICT (actorId) DO UPDATE SET events = events + 1;
      INSERT INTO actor_tally (actorId, articles, mentions, events) SELECT new.targetId, 0, 0, 1
        WHERE new.targetId IS NOT NULL ON CONFLICT (actorId) DO UPDATE SET events = events + 1;
    END;
    CREATE TRIGGER actor_tally_event_delete AFTER DELETE ON event BEGIN
      UPDATE actor_tally SET events = events - 1 WHERE actorId = old.sourceId;
      UPDATE actor_tally SET events = events - 1 WHERE actorId = old.targetId;
    END;
    CREATE TRIGGER actor_tally_event_update AFTER UPDATE OF sourceId, targetId ON event BEGIN
      UPDATE actor_tally SET events = events - 1 WHERE actorId = old.sourceId;
      UPDATE actor_tally SET events = events - 1 WHERE actorId = old.targetId;
      INSERT INTO actor_tally (actorId, articles, mentions, events) SELECT new.sourceId, 0, 0, 1
        WHERE new.sourceId IS NOT NULL ON CONFLICT (actorId) DO UPDATE SET events = events + 1;
      INSERT INTO actor_tally (actorId, articles, mentions, events) SELECT new.targetId, 0, 0, 1
        WHERE new.targetId IS NOT NULL ON CONFLICT (actorId) DO UPDATE SET events = events + 1;
    END;

    CREATE TRIGGER outlet_tally_article_insert AFTER INSERT ON article WHEN new.outlet IS NOT NULL BEGIN
      INSERT INTO outlet_tally (outlet, published, cited, reports) VALUES (new.outlet, 1, 0, 0)
        ON CONFLICT (outlet) DO UPDATE SET published = published + 1;
    END;
    CREATE TRIGGER outlet_tally_article_delete AFTER DELETE ON article WHEN old.outlet IS NOT NULL BEGIN
      UPDATE outlet_tally SET published = published - 1 WHERE outlet = old.outlet;
    END;
    CREATE TRIGGER outlet_tally_article_update AFTER UPDATE OF outlet ON article BEGIN
      UPDATE outlet_tally SET published = published - 1 WHERE outlet = old.outlet;
      INSERT INTO outlet_tally (outlet, published, cited, reports) SELECT new.outlet, 1, 0, 0
        WHERE new.outlet IS NOT NULL ON CONFLICT (outlet) DO UPDATE SET published = published + 1;
    END;
    CREATE TRIGGER outlet_tally_citation_insert AFTER INSERT ON citation BEGIN
      INSERT INTO outlet_tally (outlet, published, cited, reports) VALUES (new.outlet, 0, 1, 0)
        ON CONFLICT (outlet) DO UPDATE SET cited = cited + 1;
    END;
    CREATE TRIGGER outlet_tally_citation_delete AFTER DELETE ON citation BEGIN
      UPDATE outlet_tally SET cited = cited - 1 WHERE outlet = old.outlet;
    END;
    CREATE TRIGGER outlet_tally_report_insert AFTER INSERT ON report WHEN new.cited IS NOT NULL BEGIN
      INSERT INTO outlet_tally (outlet, published, cited, reports) VALUES (new.cited, 0, 0, 1)
        ON CONFLICT (outlet) DO UPDATE SET reports = reports + 1;
    END;
    CREATE TRIGGER outlet_tally_report_delete AFTER DELETE ON report WHEN old.cited IS NOT NULL BEGIN
      UPDATE outlet_tally SET reports = reports - 1 WHERE outlet = old.cited;
    END;

    -- What the plans lists show of each version, counted as mentions and provisions arrive
    -- instead of from every mention of every version on every request: mentions, the sum of
    -- their revision cues, the earliest date of an article mentioning it ('~' when none is
    -- dated), distinct articles and provisions; and how often each name was used (the most
    -- used one labels the version).
    CREATE TABLE plan_version_tally (
      versionId INTEGER PRIMARY KEY,
      mentions INTEGER NOT NULL,
      cue INTEGER NOT NULL,
      first TEXT NOT NULL,
      articles INTEGER NOT NULL,
      provisions INTEGER NOT NULL
    );
    CREATE TABLE plan_version_name (
      versionId INTEGER NOT NULL,
      name TEXT NOT NULL,
      count INTEGER NOT NULL,
      PRIMARY KEY (versionId, name)
    ) WITHOUT ROWID;
    -- The distinct articles of a version, in order, for the tally's probe and the lists.
    CREATE INDEX plan_mention_version_article ON plan_mention(versionId, articleId);

    CREATE TRIGGER plan_version_tally_version AFTER INSERT ON plan_version BEGIN
      INSERT OR IGNORE INTO plan_version_tally (versionId, mentions, cue, first, articles, provisions)
        VALUES (new.id, 0, 0, '~', 0, 0);
    END;
    CREATE TRIGGER plan_version_tally_mention_insert AFTER INSERT ON plan_mention BEGIN
      INSERT INTO plan_version_tally (versionId, mentions, cue, first, articles, provisions)
        VALUES (new.versionId, 1, new.cue,
          coalesce((SELECT published FROM article WHERE id = new.articleId), '~'),
          NOT EXISTS (SELECT 1 FROM plan_mention pm
            WHERE pm.versionId = new.versionId AND pm.articleId = new.articleId AND pm.rowid <> new.rowid), 0)
        ON CONFLICT (versionId) DO UPDATE SET mentions = mentions + 1, cue = cue + excluded.cue,
          first = min(first, excluded.first), articles = articles + excluded.articles;
      INSERT INTO plan_version_name (versionId, name, count) VALUES (new.versionId, new.name, 1)
        ON CONFLICT (versionId, name) DO UPDATE SET count = count + 1;
    END;
    CREATE TRIGGER plan_version_tally_provision_insert AFTER INSERT ON provision WHEN new.versionId IS NOT NULL BEGIN
      INSERT INTO plan_version_tally (versionId, mentions, cue, first, articles, provisions)
        VALUES (new.versionId, 0, 0, '~', 0, 1)
        ON CONFLICT (versionId) DO UPDATE SET provisions = provisions + 1;
    END;

    -- The newest articles first (the overview, the articles list): a walk of this index
    -- instead of sorting every article.
    CREATE INDEX article_newest ON article(published IS NULL, published DESC, id);
    """
}
