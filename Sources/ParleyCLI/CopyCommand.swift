import ArgumentParser
import Foundation
import ParleyStore

#if PostgreSQL
  import ParleyPostgres
#endif

/// `parley copy`: a whole record from SQLite to PostgreSQL or back.
public struct CopyCommand: AsyncParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "copy",
    abstract: "Copy a whole record between SQLite and PostgreSQL.",
    discussion: """
      Copies every table row for row, ids included, so the copy answers every query as the original does. The source is read in one snapshot; the destination is written in one transaction, so an interrupted copy leaves it as it was. A destination that already holds a record is refused unless --replace is given. A PostgreSQL destination gets Parley's schema if it has none.

      A PostgreSQL record is named by a URL, postgresql://USER@HOST[:PORT]/DB[?sslmode=disable|prefer|require]. The password never goes in the URL: give it with PGPASSWORD, --password-file FILE (its first line), or a libpq password file (PGPASSFILE, else ~/.pgpass).

      Exit status: 0 copied; 4 a database cannot be opened, read or written (wrong password, unknown database, server unreachable, destination not empty), with one line saying which and why; 64 wrong usage (including a password in a URL).

      Examples:
        parley copy --from parley.sqlite --to postgresql://parley@db.example.org/negotiations
        PGPASSFILE=~/.pgpass parley copy --from postgresql://parley@db.example.org/negotiations --to local.sqlite
      """)

  @Option(help: ArgumentHelp("The record to copy: an SQLite file or a postgresql:// URL.", valueName: "file-or-url"))
  public var from: String

  @Option(
    help: ArgumentHelp("Where to copy it: an SQLite file or a postgresql:// URL.", valueName: "file-or-url"))
  public var to: String

  @Flag(help: "Overwrite a destination that already holds a record.")
  public var replace = false

  @Option(
    name: .customLong("password-file"),
    help: ArgumentHelp("A file whose first line is the PostgreSQL password (readable by you only).", valueName: "file"))
  public var passwordFile: String?

  @OptionGroup public var output: OutputOptions

  public init() {}

  public func run() async throws {
    let source = try resolve(from)
    let destination = try resolve(to)
    #if PostgreSQL
      let report: CopyReport
      do {
        report = try await RecordCopy.copy(
          from: source, to: destination, replace: replace,
          during: { table, rows, total, took in
            let percent = total > 0 ? " (\(min(100, rows * 100 / total))%)" : ""
            StandardStreams.error(
              "parley: copy: \(table): \(rows) of \(total) rows\(percent) in \(String(format: "%.0f", Self.seconds(took))) s"
            )
          },
          note: { done, took in
            StandardStreams.error("parley: copy: \(done) in \(String(format: "%.1f", Self.seconds(took))) s")
          },
          progress: { table, rows, took in
            StandardStreams.error(
              "parley: copy: \(table): \(rows) rows in \(String(format: "%.1f", Self.seconds(took))) s")
          })
      } catch {
        StandardStreams.error("parley: error: \(error)")
        throw ExitCode(ExitStatus.unavailable)
      }
      if output.json {
        try JSONOutput.print(report)
      } else {
        var table = TextTable(["table", "rows"])
        for entry in report.tables { table.add([entry.table, String(entry.rows)]) }
        StandardStreams.write(
          table.render()
            + "copied \(report.from) to \(report.to) in \(String(format: "%.1f", report.seconds)) s\n")
      }
    #else
      _ = (source, destination)
      StandardStreams.error(
        "parley: error: this parley was built without PostgreSQL support; build it with "
          + "`swift build --traits PostgreSQL` to use `parley copy`")
      throw ExitCode(ExitStatus.unavailable)
    #endif
  }

  private static func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
  }

  /// A file path or a PostgreSQL URL with its password from the file, the environment or a
  /// password file; a URL that cannot be used is a usage error, an unreadable password file a
  /// database that cannot be opened.
  private func resolve(_ value: String) throws -> DatabaseLocation {
    let location: DatabaseLocation
    do {
      location = try DatabaseLocation.parse(value)
    } catch {
      StandardStreams.error("parley: error: \(error)")
      throw ExitCode(ExitStatus.usage)
    }
    guard case .postgres(let settings) = location else { return location }
    do {
      return .postgres(try settings.resolvingPassword(passwordFile: passwordFile))
    } catch {
      StandardStreams.error("parley: error: \(error)")
      throw ExitCode(ExitStatus.unavailable)
    }
  }
}
