import Foundation

/// Where a record lives: an SQLite file, or a PostgreSQL database named by a URL.
///
/// Lives in the store (not in the PostgreSQL module) so that every build, with or without the
/// `PostgreSQL` trait, recognises a PostgreSQL URL: a build without it must say so rather than
/// create an SQLite file named `postgresql:`.
public enum DatabaseLocation: Sendable, Equatable {
  case sqlite(path: String)
  case postgres(PostgresSettings)

  /// `--db`, else `PARLEY_DB`, else `parley.sqlite`; a `postgresql://` or `postgres://` value is
  /// parsed as connection settings (and rejected if it is not valid, e.g. carries a password).
  public static func resolve(
    _ explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws(PostgresSettingsError) -> DatabaseLocation {
    let value: String
    if let explicit, !explicit.isEmpty {
      value = explicit
    } else if let env = environment["PARLEY_DB"], !env.isEmpty {
      value = env
    } else {
      value = "parley.sqlite"
    }
    return try parse(value, environment: environment)
  }

  /// The location that `value` names: a PostgreSQL URL or a file path.
  public static func parse(
    _ value: String, environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws(PostgresSettingsError) -> DatabaseLocation {
    if PostgresSettings.isURL(value) {
      return .postgres(try PostgresSettings(url: value, environment: environment))
    }
    return .sqlite(path: value)
  }

  /// How the location is shown to people: the path, or the URL without any password.
  public var displayName: String {
    switch self {
    case .sqlite(let path): path
    case .postgres(let settings): settings.displayURL
    }
  }
}

/// How Parley talks to a PostgreSQL server: `postgresql://USER@HOST[:PORT]/DB[?sslmode=...]`.
///
/// The password never comes from the URL (a command line is visible to every user of the machine
/// in `ps` and lands in shell histories); it comes from `--password-file`, `PGPASSWORD`, or a
/// libpq password file (`PGPASSFILE`, else `~/.pgpass`), in that order.
public struct PostgresSettings: Sendable, Equatable, CustomStringConvertible {
  /// Whether and how the connection is encrypted (`sslmode`).
  public enum TLSMode: String, Sendable, CaseIterable {
    /// Plain TCP; for a server on the same machine or a trusted network only.
    case disable
    /// TLS when the server offers it, without checking its certificate (libpq's default); keeps
    /// passive listeners out but not an active impostor.
    case prefer
    /// TLS or no connection, and the server's certificate must be valid for its host name
    /// (libpq's `verify-full`; Parley does not offer TLS without verification as "require").
    case require
  }

  public var user: String
  public var host: String
  public var port: Int
  public var database: String
  public var tls: TLSMode
  /// A PEM file of certificate authorities to trust instead of the system's (`sslrootcert`).
  public var rootCertificate: String?
  /// Seconds to wait for the server to accept a connection (`connect_timeout`).
  public var connectTimeout: Int
  /// Filled by `resolvingPassword`; never parsed from the URL.
  public var password: String?

  /// Whether `value` is meant as a PostgreSQL URL rather than a file path.
  public static func isURL(_ value: String) -> Bool {
    let lower = value.lowercased()
    return lower.hasPrefix("postgresql://") || lower.hasPrefix("postgres://")
  }

  /// Parses a URL. `environment` supplies `PGUSER`/`USER` when the URL names no user and
  /// `PGSSLMODE` when it has no `sslmode`.
  public init(url: String, environment: [String: String] = [:]) throws(PostgresSettingsError) {
    guard Self.isURL(url), let schemeEnd = url.range(of: "://") else {
      throw .invalid(url: url, reason: "not a postgresql:// URL")
    }
    // Checked on the raw text before any parsing: a URL parser that trips on some other part
    // must not make us echo the password back in its error message.
    let afterScheme = url[schemeEnd.upperBound...]
    let authority = afterScheme.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
    if let at = authority.lastIndex(of: "@"), authority[..<at].contains(":") {
      throw .passwordInURL
    }
    guard let components = URLComponents(string: url) else {
      throw .invalid(url: Self.redacted(url), reason: "not a valid URL")
    }
    if components.password != nil { throw .passwordInURL }
    guard let host = components.host, !host.isEmpty else {
      throw .invalid(url: url, reason: "no host (postgresql://USER@HOST[:PORT]/DB)")
    }
    // URLComponents keeps IPv6 brackets on Linux and drops them elsewhere; the socket wants none.
    self.host = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
    port = components.port ?? 5432
    guard (1...65535).contains(port) else { throw .invalid(url: url, reason: "port \(port) is out of range") }
    let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
    guard !path.isEmpty, !path.contains("/") else {
      throw .invalid(url: url, reason: "no database name (postgresql://USER@HOST[:PORT]/DB)")
    }
    database = path
    if let user = components.user, !user.isEmpty {
      self.user = user
    } else if let user = environment["PGUSER"] ?? environment["USER"], !user.isEmpty {
      self.user = user
    } else {
      throw .invalid(url: url, reason: "no user name (postgresql://USER@HOST[:PORT]/DB)")
    }
    var tls = TLSMode.prefer
    if let mode = environment["PGSSLMODE"], !mode.isEmpty { tls = try Self.tlsMode(mode, url: url) }
    rootCertificate = environment["PGSSLROOTCERT"].flatMap { $0.isEmpty ? nil : $0 }
    connectTimeout = 10
    for item in components.queryItems ?? [] {
      let value = item.value ?? ""
      switch item.name {
      case "sslmode": tls = try Self.tlsMode(value, url: url)
      case "sslrootcert": rootCertificate = value
      case "connect_timeout":
        guard let seconds = Int(value), seconds > 0 else {
          throw .invalid(url: url, reason: "connect_timeout must be a number of seconds, not \"\(value)\"")
        }
        connectTimeout = seconds
      case "password":
        throw .passwordInURL
      default:
        throw .invalid(
          url: url, reason: "unknown parameter \"\(item.name)\" (Parley knows sslmode, sslrootcert, connect_timeout)")
      }
    }
    self.tls = tls
    password = nil
  }

  private static func tlsMode(_ value: String, url: String) throws(PostgresSettingsError) -> TLSMode {
    switch value {
    case "disable": return .disable
    case "allow", "prefer": return .prefer
    case "require", "verify-ca", "verify-full": return .require
    default:
      throw .invalid(url: url, reason: "sslmode must be disable, prefer or require, not \"\(value)\"")
    }
  }

  /// The URL as given minus its user-info password, for error messages.
  private static func redacted(_ url: String) -> String {
    guard let schemeEnd = url.range(of: "://"),
      let at = url[schemeEnd.upperBound...].firstIndex(of: "@")
    else { return url }
    let userInfo = url[schemeEnd.upperBound..<at]
    guard let colon = userInfo.firstIndex(of: ":") else { return url }
    return String(url[..<colon]) + ":***" + String(url[at...])
  }

  /// The connection named without a password: what messages and logs show.
  public var displayURL: String {
    let hostPart = host.contains(":") ? "[\(host)]" : host
    var url = "postgresql://\(user)@\(hostPart):\(port)/\(database)"
    if tls != .prefer { url += "?sslmode=\(tls.rawValue)" }
    return url
  }

  public var description: String { displayURL }

  /// These settings with the password from, in order: `passwordFile` (its first line), `PGPASSWORD`,
  /// the libpq password file `PGPASSFILE` or `~/.pgpass` (the first line matching host, port,
  /// database and user). No password at all is fine: the server may not ask for one.
  public func resolvingPassword(
    passwordFile: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws(PostgresSettingsError) -> PostgresSettings {
    var settings = self
    if let passwordFile {
      let text = try Self.readSecretFile(passwordFile)
      settings.password = String(text.split(separator: "\n", omittingEmptySubsequences: false).first ?? "")
        .trimmingCharacters(in: CharacterSet(charactersIn: "\r"))
      return settings
    }
    if let password = environment["PGPASSWORD"] {
      settings.password = password
      return settings
    }
    var passFile = environment["PGPASSFILE"].flatMap { $0.isEmpty ? nil : $0 }
    let explicitPassFile = passFile != nil
    if passFile == nil, let home = environment["HOME"], !home.isEmpty {
      passFile = home + "/.pgpass"
    }
    if let passFile, explicitPassFile || FileManager.default.fileExists(atPath: passFile) {
      let text = try Self.readSecretFile(passFile)
      settings.password = Self.passwordFromPassFile(
        text, host: host, port: port, database: database, user: user)
    }
    return settings
  }

  /// Reads a file holding a secret; refuses one that other users can read, as libpq does, because
  /// such a password has already leaked.
  static func readSecretFile(_ path: String) throws(PostgresSettingsError) -> String {
    let attributes: [FileAttributeKey: Any]
    do {
      attributes = try FileManager.default.attributesOfItem(atPath: path)
    } catch {
      throw .passwordFile(path: path, reason: "cannot be read (\(Self.reason(error)))")
    }
    if let mode = attributes[.posixPermissions] as? Int, mode & 0o077 != 0 {
      throw .passwordFile(
        path: path,
        reason:
          "can be read by other users (mode \(String(mode & 0o777, radix: 8))); make it private: chmod 600 \(path)"
      )
    }
    guard let data = FileManager.default.contents(atPath: path) else {
      throw .passwordFile(path: path, reason: "cannot be read")
    }
    return String(decoding: data, as: UTF8.self)
  }

  private static func reason(_ error: any Error) -> String {
    (error as NSError).localizedFailureReason ?? (error as NSError).localizedDescription
  }

  /// The password of the first line of a libpq password file (`host:port:database:user:password`,
  /// `*` matching anything, `\:` and `\\` escapes, `#` comments) that matches the connection.
  static func passwordFromPassFile(_ text: String, host: String, port: Int, database: String, user: String)
    -> String?
  {
    for line in text.split(whereSeparator: \.isNewline) {
      if line.hasPrefix("#") { continue }
      var fields: [String] = []
      var current = ""
      var escaped = false
      for ch in line {
        if escaped {
          current.append(ch)
          escaped = false
        } else if ch == "\\" {
          escaped = true
        } else if ch == ":" && fields.count < 4 {
          fields.append(current)
          current = ""
        } else {
          current.append(ch)
        }
      }
      fields.append(current)
      guard fields.count == 5 else { continue }
      let wanted = [host, String(port), database, user]
      if zip(fields.prefix(4), wanted).allSatisfy({ $0 == "*" || $0 == $1 }) { return fields[4] }
    }
    return nil
  }
}

/// A PostgreSQL URL or password source that cannot be used, with what to do instead.
public enum PostgresSettingsError: Error, Equatable, CustomStringConvertible, Sendable {
  case passwordInURL
  case invalid(url: String, reason: String)
  case passwordFile(path: String, reason: String)

  public var description: String {
    switch self {
    case .passwordInURL:
      "a password in the database URL is refused: a command line is visible to every user of the machine "
        + "and stays in shell histories; give it with PGPASSWORD, --password-file FILE or a password file "
        + "(PGPASSFILE, ~/.pgpass)"
    case .invalid(let url, let reason): "\(url): \(reason)"
    case .passwordFile(let path, let reason): "password file \(path): \(reason)"
    }
  }
}
