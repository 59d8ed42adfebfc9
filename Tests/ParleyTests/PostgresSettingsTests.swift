import Foundation
import ParleyStore
import Testing

/// Reading `--db postgresql://...` and finding the password: no server needed, so these run in
/// every build, with or without the PostgreSQL trait.
@Suite struct PostgresSettingsTests {
  @Test func parsesUserHostPortDatabaseAndTLS() throws {
    let s = try PostgresSettings(url: "postgresql://parley@db.example.org:6543/talks?sslmode=require")
    #expect(s.user == "parley")
    #expect(s.host == "db.example.org")
    #expect(s.port == 6543)
    #expect(s.database == "talks")
    #expect(s.tls == .require)
    #expect(s.password == nil)
    #expect(s.displayURL == "postgresql://parley@db.example.org:6543/talks?sslmode=require")
  }

  @Test func defaultsPortTLSAndTimeout() throws {
    let s = try PostgresSettings(url: "postgres://team@10.1.2.3/record")
    #expect(s.port == 5432)
    #expect(s.tls == .prefer)
    #expect(s.connectTimeout == 10)
    #expect(s.displayURL == "postgresql://team@10.1.2.3:5432/record")
  }

  @Test func acceptsIPv6AndEscapedNames() throws {
    let s = try PostgresSettings(url: "postgresql://an%40alyst@[::1]:5433/my%20record?sslmode=disable")
    #expect(s.host == "::1")
    #expect(s.user == "an@alyst")
    #expect(s.database == "my record")
    #expect(s.tls == .disable)
    #expect(s.displayURL.hasPrefix("postgresql://an@alyst@[::1]:5433/"))
  }

  @Test(arguments: [
    ("disable", PostgresSettings.TLSMode.disable), ("allow", .prefer), ("prefer", .prefer), ("require", .require),
    ("verify-ca", .require), ("verify-full", .require),
  ])
  func mapsLibpqTLSModes(mode: String, expected: PostgresSettings.TLSMode) throws {
    #expect(try PostgresSettings(url: "postgresql://u@h/d?sslmode=\(mode)").tls == expected)
  }

  @Test func takesTLSModeAndUserFromTheEnvironmentWhenTheURLHasNone() throws {
    let s = try PostgresSettings(
      url: "postgresql://h/d", environment: ["PGSSLMODE": "require", "PGUSER": "ops", "USER": "me"])
    #expect(s.user == "ops")
    #expect(s.tls == .require)
    // The URL wins over the environment.
    #expect(
      try PostgresSettings(
        url: "postgresql://h/d?sslmode=disable", environment: ["PGSSLMODE": "require", "USER": "me"]
      ).tls == .disable)
  }

  @Test(arguments: [
    "postgresql://parley:secret@db/talks", "postgresql://parley:@db/talks", "postgresql://parley@db/talks?password=x",
    "postgres://p:se%40cret@db:5432/talks",
  ])
  func refusesAPasswordInTheURL(url: String) {
    #expect(throws: PostgresSettingsError.passwordInURL) { try PostgresSettings(url: url) }
    // The message says why, and never repeats the secret.
    let message = PostgresSettingsError.passwordInURL.description
    #expect(message.contains("visible to every user"))
    #expect(message.contains("PGPASSWORD"))
    #expect(!message.contains("secret"))
  }

  @Test(arguments: [
    ("postgresql://u@/d", "no host"), ("postgresql://u@h", "no database"), ("postgresql://u@h/", "no database"),
    ("postgresql://u@h/d/e", "no database"), ("postgresql://u@h/d?sslmode=verify", "sslmode must be"),
    ("postgresql://u@h/d?fallback_application_name=x", "unknown parameter"),
    ("postgresql://u@h/d?connect_timeout=soon", "connect_timeout"),
  ])
  func refusesIncompleteURLs(url: String, reason: String) {
    do {
      _ = try PostgresSettings(url: url, environment: ["USER": "me"])
      Issue.record("\(url) was accepted")
    } catch {
      #expect(error.description.contains(reason), "\(error)")
    }
  }

  @Test func locationTellsURLsFromFiles() throws {
    #expect(try DatabaseLocation.parse("record.sqlite") == .sqlite(path: "record.sqlite"))
    #expect(try DatabaseLocation.parse("./postgresql.sqlite") == .sqlite(path: "./postgresql.sqlite"))
    guard case .postgres(let s) = try DatabaseLocation.parse("POSTGRESQL://u@h/d") else {
      Issue.record("not recognised as PostgreSQL")
      return
    }
    #expect(s.database == "d")
    // --db wins over PARLEY_DB, which wins over the default file.
    #expect(
      try DatabaseLocation.resolve("a.sqlite", environment: ["PARLEY_DB": "postgresql://u@h/d"])
        == .sqlite(path: "a.sqlite"))
    #expect(
      try DatabaseLocation.resolve(nil, environment: ["PARLEY_DB": "postgresql://u@h/d"]).displayName
        == "postgresql://u@h:5432/d")
    #expect(try DatabaseLocation.resolve(nil, environment: [:]) == .sqlite(path: "parley.sqlite"))
  }

  @Test func passwordComesFromFileThenEnvironmentThenPassFile() throws {
    let settings = try PostgresSettings(url: "postgresql://parley@db.example.org:5432/talks")
    let folder = try Support.temporaryDirectory()
    let file = folder.appendingPathComponent("password")
    try "from-file\nignored second line\n".write(to: file, atomically: true, encoding: .utf8)
    try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
    let passFile = folder.appendingPathComponent("pgpass")
    try """
    # comments and other servers are skipped
    other.example.org:5432:talks:parley:wrong
    db.example.org:*:talks:parley:from\\:pass\\\\file
    """.write(to: passFile, atomically: true, encoding: .utf8)
    try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: passFile.path)
    let env = ["PGPASSWORD": "from-env", "PGPASSFILE": passFile.path]

    #expect(try settings.resolvingPassword(passwordFile: file.path, environment: env).password == "from-file")
    #expect(try settings.resolvingPassword(environment: env).password == "from-env")
    #expect(try settings.resolvingPassword(environment: ["PGPASSFILE": passFile.path]).password == "from:pass\\file")
    // No password anywhere is fine: the server may trust the connection.
    #expect(try settings.resolvingPassword(environment: ["HOME": folder.path]).password == nil)
  }

  @Test func refusesPasswordFilesOthersCanRead() throws {
    let file = try Support.writeTemporary("password", text: "secret\n")
    try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file.path)
    let settings = try PostgresSettings(url: "postgresql://parley@db/talks")
    do {
      _ = try settings.resolvingPassword(passwordFile: file.path, environment: [:])
      Issue.record("a world-readable password file was accepted")
    } catch {
      #expect(error.description.contains("chmod 600"))
      #expect(!error.description.contains("secret"))
    }
    #expect(throws: PostgresSettingsError.self) {
      try settings.resolvingPassword(passwordFile: "/nonexistent/password", environment: [:])
    }
  }

  @Test func searchTermsKeepTheLiteralInputRules() {
    #expect(
      SearchTerms.parse(#"Witkoff "peace plan" cease* -- "" OR"#) == [
        SearchTerms(text: "Witkoff", prefix: false), SearchTerms(text: "peace plan", prefix: false),
        SearchTerms(text: "cease", prefix: true), SearchTerms(text: "OR", prefix: false),
      ])
    #expect(SearchTerms.parse("  * \" ").isEmpty)
  }
}
