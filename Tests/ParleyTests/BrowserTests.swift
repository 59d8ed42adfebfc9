import Foundation
import ParleyStore
import Testing

/// Debian's headless Chromium, when installed.
enum Browser {
  static let path: String? = {
    let candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
    let fromPath = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").flatMap { dir in
      ["chromium", "chromium-browser"].map { "\(dir)/\($0)" }
    }
    return (candidates + fromPath).first { FileManager.default.isExecutableFile(atPath: $0) }
  }()

  /// CI sets PARLEY_REQUIRE_BROWSER=1 so a missing browser fails instead of skipping.
  static let required = ProcessInfo.processInfo.environment["PARLEY_REQUIRE_BROWSER"] == "1"

  static var shouldRun: Bool { path != nil || required }

  /// Where screenshots go: PARLEY_SCREENSHOTS, else .build/test-screenshots in the package.
  static let screenshots: URL = {
    if let dir = ProcessInfo.processInfo.environment["PARLEY_SCREENSHOTS"], !dir.isEmpty {
      return URL(fileURLWithPath: dir, isDirectory: true)
    }
    return Support.packageRoot.appendingPathComponent(".build/test-screenshots", isDirectory: true)
  }()

  struct Failure: Error, CustomStringConvertible {
    var description: String
  }

  /// Runs Chromium headless with `arguments` and returns what it printed on standard output.
  /// A fresh profile per run keeps runs independent; a time limit keeps a hung browser from
  /// hanging the tests.
  static func run(_ arguments: [String], timeout: Duration = .seconds(90)) async throws -> Data {
    guard let path else {
      throw Failure(description: "PARLEY_REQUIRE_BROWSER=1 but no chromium is installed (apt-get install chromium)")
    }
    let scratch = try Support.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: scratch) }
    let out = scratch.appendingPathComponent("stdout")
    _ = FileManager.default.createFile(atPath: out.path, contents: nil)
    let handle = try FileHandle(forWritingTo: out)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments =
      [
        "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
        "--disable-dev-shm-usage", "--user-data-dir=\(scratch.appendingPathComponent("profile").path)",
      ] + arguments
    process.standardOutput = handle
    process.standardError = FileHandle.nullDevice
    var environment = ProcessInfo.processInfo.environment
    environment["HOME"] = scratch.path
    process.environment = environment
    try process.run()
    let deadline = ContinuousClock.now + timeout
    while process.isRunning {
      if ContinuousClock.now > deadline {
        process.terminate()
        throw Failure(description: "chromium \(arguments.joined(separator: " ")) took longer than \(timeout)")
      }
      try await Task.sleep(for: .milliseconds(100))
    }
    try handle.close()
    guard process.terminationStatus == 0 else {
      throw Failure(description: "chromium exited with \(process.terminationStatus) for \(arguments)")
    }
    return try Data(contentsOf: out)
  }

  /// The DOM of `url` after the browser loaded it.
  static func dom(_ url: URL) async throws -> String {
    String(decoding: try await run(["--window-size=1280,1600", "--dump-dom", url.absoluteString]), as: UTF8.self)
  }

  /// A screenshot of `url` at `width`×`height`, saved under `name`.png; returns the file.
  static func screenshot(_ url: URL, name: String, width: Int, height: Int) async throws -> URL {
    try FileManager.default.createDirectory(at: screenshots, withIntermediateDirectories: true)
    let file = screenshots.appendingPathComponent(name + ".png")
    try? FileManager.default.removeItem(at: file)
    _ = try await run(["--window-size=\(width),\(height)", "--screenshot=\(file.path)", url.absoluteString])
    print("screenshot: \(file.path)")
    return file
  }

  /// Width and height from a PNG's header; nil when the bytes are not a PNG.
  static func pngSize(_ data: Data) -> (width: Int, height: Int)? {
    let bytes = [UInt8](data.prefix(24))
    guard bytes.count == 24, bytes.prefix(8) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] else { return nil }
    func int(_ at: Int) -> Int { bytes[at..<(at + 4)].reduce(0) { $0 << 8 | Int($1) } }
    return (int(16), int(20))
  }
}

/// The main pages as a real browser shows them, served by the real server.
@Suite(.serialized, .enabled(if: Browser.shouldRun, "chromium is not installed"))
struct BrowserTests {
  /// One page to load, what its DOM must contain, and its screenshot name.
  struct PageCheck {
    var name: String
    var path: String
    var expected: [String]
  }

  @Test func mainPagesRenderInChromiumOnDesktopAndPhone() async throws {
    let (store, _) = try StoreSupport.store(ingesting: [
      Support.seedsDirectory.path, Support.packageRoot.appendingPathComponent("Examples/articles").path,
    ])
    let meetings = try store.events(EventFilter(actor: "vladimir-putin", cameo: "04", limit: 100)).items
    let meeting = try #require(meetings.first { [$0.source?.id, $0.target?.id].contains("steve-witkoff") })
    let articleId = try #require(meeting.articleIds.first)
    let plan = try #require(try store.plans().first { p in p.versions.contains { $0.points == 28 } })

    let server = try await ServerSupport.start(store: store)
    let pages = [
      PageCheck(
        name: "overview", path: "/",
        expected: ["<h1>Overview</h1>", "Vladimir Putin", "<svg class=\"chart bars\"", "Most active actors"]),
      PageCheck(
        name: "timeline", path: "/timeline",
        expected: ["<svg class=\"chart timeline-chart\"", "href=\"/events/\(meeting.id)\"", "<circle class=\"dot q"]),
      PageCheck(
        name: "actor", path: "/actors/vladimir-putin",
        expected: ["<h1>Vladimir Putin</h1>", "<svg class=\"chart network\"", "href=\"/actors/steve-witkoff\""]),
      PageCheck(
        name: "article", path: "/articles/\(articleId)",
        expected: ["class=\"hl hl-actor\"", "href=\"/events/\(meeting.id)\"", "<article class=\"reader"]),
      PageCheck(
        name: "plan", path: "/plans/\(plan.id)",
        expected: ["28 points", "20 points", "Russia", "Ukraine", "<table class=\"data matrix\">"]),
      PageCheck(name: "search", path: "/search?q=Kremlin", expected: ["<mark>Kremlin</mark>", "value=\"Kremlin\""]),
    ]
    do {
      for page in pages {
        let url = server.url(page.path)
        let dom = try await Browser.dom(url)
        for text in page.expected {
          #expect(dom.contains(text), "\(page.name) (\(page.path)) shows \(text)")
        }
        #expect(dom.contains("<nav aria-label=\"Main\">"), "\(page.name) has the navigation")
        for (suffix, width, height) in [("desktop", 1280, 1600), ("phone", 390, 1400)] {
          let file = try await Browser.screenshot(url, name: "\(page.name)-\(suffix)", width: width, height: height)
          let data = try Data(contentsOf: file)
          let size = Browser.pngSize(data)
          #expect(size?.width == width && size?.height == height, "\(file.lastPathComponent) is a \(width)px PNG")
          // A blank page compresses to a few hundred bytes; a drawn one is far larger.
          #expect(data.count > 10_000, "\(file.lastPathComponent) has content (\(data.count) bytes)")
        }
      }
    } catch {
      await server.stop()
      throw error
    }
    await server.stop()
  }

  @Test func scriptInAnArticleDoesNotRunInTheBrowser() async throws {
    let store = try StoreSupport.emptyStore()
    try StoreSupport.ingest(
      """
      title: Envoys meet <script>document.documentElement.setAttribute('data-pwned','title')</script>
      date 2026-03-10

      Qatari Prime Minister Mohammed bin Abdulrahman Al Thani met Egyptian Foreign Minister Badr Abdelatty in Geneva on Monday <script>document.documentElement.setAttribute('data-pwned','text')</script> to discuss a ceasefire in Gaza <img src=x onerror="document.documentElement.setAttribute('data-pwned','img')">.
      """, into: store, name: "x.txt")
    let article = try #require(try store.articles().items.first)
    let server = try await ServerSupport.start(store: store)
    do {
      for path in ["/articles/\(article.id)", "/search?q=Geneva", "/", "/articles"] {
        let dom = try await Browser.dom(server.url(path))
        #expect(!dom.contains("data-pwned="), "script from an article ran on \(path)")
        #expect(dom.contains("&lt;script&gt;"), "\(path) shows the script as text")
      }
    } catch {
      await server.stop()
      throw error
    }
    await server.stop()
  }
}
