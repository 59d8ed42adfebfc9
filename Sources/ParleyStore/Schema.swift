import GRDB

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
    return migrator
  }
}
