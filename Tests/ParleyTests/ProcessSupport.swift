import Foundation

/// Child processes for tests (the `parley` binary, the scorers, a browser), waited for by
/// suspending, never by blocking: Swift Testing runs every test on the shared concurrency pool,
/// one thread per core, and a test parked in `waitUntilExit` or a sleep loop holds one of them.
/// Two such tests on a two-core machine starve the in-process servers other tests are talking
/// to, whose requests then time out.
enum ParleyProcess {
  /// How a process ended, with what it wrote to its log.
  struct Finished {
    var status: Int32
    var log: String
  }

  /// How a process ended, with its standard output and error apart.
  struct Captured {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  /// How often a wait looks again; short next to any process the tests run.
  static let pollInterval: Duration = .milliseconds(5)

  /// `parley` in the products folder of this test build (`PARLEY_EXECUTABLE` overrides).
  static func executable() throws -> URL {
    let fm = FileManager.default
    if let path = ProcessInfo.processInfo.environment["PARLEY_EXECUTABLE"] {
      return URL(fileURLWithPath: path)
    }
    var folders: [URL] = []
    if let main = Bundle.main.executableURL {
      folders.append(main.resolvingSymlinksInPath().deletingLastPathComponent())
    }
    if let first = CommandLine.arguments.first {
      folders.append(URL(fileURLWithPath: first).resolvingSymlinksInPath().deletingLastPathComponent())
    }
    for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
      folders.append(bundle.bundleURL.resolvingSymlinksInPath().deletingLastPathComponent())
    }
    // The test binary may sit inside a bundle (macOS: .xctest/Contents/MacOS): walk up a few levels.
    for folder in folders {
      var dir = folder
      for _ in 0..<4 {
        let candidate = dir.appendingPathComponent("parley")
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue,
          fm.isExecutableFile(atPath: candidate.path)
        {
          return candidate
        }
        dir = dir.deletingLastPathComponent()
      }
    }
    throw ProcessTestError(
      message:
        "the parley executable is not next to the test bundle (looked in \(folders.map(\.path))); build it with `swift build` or set PARLEY_EXECUTABLE"
    )
  }

  /// Starts `executable` with its output and errors going to `log` (in `environment` when
  /// given, else the test's own).
  static func start(
    _ executable: URL, _ arguments: [String], log: URL, environment: [String: String]? = nil
  ) throws -> Process {
    _ = FileManager.default.createFile(atPath: log.path, contents: nil)
    let handle = try FileHandle(forWritingTo: log)
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    if let environment { process.environment = environment }
    process.standardOutput = handle
    process.standardError = handle
    process.standardInput = FileHandle.nullDevice
    try process.run()
    try handle.close()
    return process
  }

  /// Suspends until `process` has exited.
  static func exit(of process: Process) async {
    while process.isRunning { try? await Task.sleep(for: pollInterval) }
  }

  /// Runs `executable` to the end, its output and errors going to `log`.
  static func run(
    _ executable: URL, _ arguments: [String], log: URL, environment: [String: String]? = nil
  ) async throws -> Finished {
    let process = try start(executable, arguments, log: log, environment: environment)
    await exit(of: process)
    return Finished(status: process.terminationStatus, log: (try? String(contentsOf: log, encoding: .utf8)) ?? "")
  }

  /// A process started with its standard output and error going to files of their own.
  struct Launched {
    let process: Process
    let out: URL
    let err: URL

    /// How it ended and what it printed; read once it has exited.
    func captured() throws -> Captured {
      Captured(
        status: process.terminationStatus, stdout: try String(contentsOf: out, encoding: .utf8),
        stderr: try String(contentsOf: err, encoding: .utf8))
    }
  }

  /// Starts `executable` with its standard output and error apart (in `environment` when
  /// given, else the test's own).
  static func launch(
    _ executable: URL, _ arguments: [String], environment: [String: String]? = nil
  ) throws -> Launched {
    let folder = try Support.temporaryDirectory()
    let out = folder.appendingPathComponent("stdout")
    let err = folder.appendingPathComponent("stderr")
    _ = FileManager.default.createFile(atPath: out.path, contents: nil)
    _ = FileManager.default.createFile(atPath: err.path, contents: nil)
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    if let environment { process.environment = environment }
    process.standardOutput = try FileHandle(forWritingTo: out)
    process.standardError = try FileHandle(forWritingTo: err)
    process.standardInput = FileHandle.nullDevice
    try process.run()
    return Launched(process: process, out: out, err: err)
  }

  /// Runs `executable` to the end and returns its standard output and error apart.
  static func capture(
    _ executable: URL, _ arguments: [String], environment: [String: String]? = nil
  ) async throws -> Captured {
    let launched = try launch(executable, arguments, environment: environment)
    await exit(of: launched.process)
    return try launched.captured()
  }

  /// Waits up to `seconds` for the process to exit; true when it did.
  static func wait(_ process: Process, seconds: Double) async -> Bool {
    await poll(timeout: seconds) { !process.isRunning }
  }

  /// Waits until `log` contains `text` (or the process exits, or the timeout passes).
  static func waitFor(_ process: Process, log: URL, containing text: String, timeout: Double) async -> Bool {
    await waitFor(process, log: log, timeout: timeout) { $0.contains(text) }
  }

  /// Waits until a line of `log` starts with `prefix` (or the process exits, or the timeout passes).
  static func waitFor(_ process: Process, log: URL, lineStarting prefix: String, timeout: Double) async -> Bool {
    await waitFor(process, log: log, timeout: timeout) {
      $0.split(separator: "\n").contains { $0.hasPrefix(prefix) }
    }
  }

  /// Waits until the text of `log` satisfies `found`; false when the process exits or the timeout
  /// passes first.
  private static func waitFor(
    _ process: Process, log: URL, timeout: Double, until found: (String) -> Bool
  ) async -> Bool {
    var seen = false
    _ = await poll(timeout: timeout) {
      if let data = try? Data(contentsOf: log), found(String(decoding: data, as: UTF8.self)) { seen = true }
      return seen || !process.isRunning
    }
    return seen
  }

  /// Looks at `condition` until it holds or `timeout` seconds pass; true when it held.
  static func poll(timeout: Double, until condition: () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + .milliseconds(Int(timeout * 1000))
    while ContinuousClock.now < deadline {
      if condition() { return true }
      try? await Task.sleep(for: pollInterval)
    }
    return condition()
  }
}

/// A test's child process could not be found or started as it needs.
struct ProcessTestError: Error, CustomStringConvertible {
  var message: String
  var description: String { message }
}
