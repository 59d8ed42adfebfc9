import ArgumentParser
import ParleyCLI

// Dispatch by hand: from top-level code the compiler picks ArgumentParser's synchronous
// `main()`, which refuses to run an async command such as `serve`. The dispatch sits in an
// async function because in top-level code `run()` also resolves to the synchronous
// requirement (which only prints the help of an async command).
func dispatch() async {
  do {
    var command = try Parley.parseAsRoot()
    if var asyncCommand = command as? AsyncParsableCommand {
      try await asyncCommand.run()
    } else {
      try command.run()
    }
  } catch {
    Parley.exit(withError: error)
  }
}

await dispatch()
