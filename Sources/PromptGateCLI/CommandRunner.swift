import ArgumentParser
import Foundation
import GitKit
import PromptGateCore

/// Runs a command as an executable's `main`: parses arguments, runs, and turns every outcome into
/// the documented exit code, with results on stdout and diagnostics on stderr.
public enum CommandRunner {
  /// Parses `arguments` (without the executable's name; the process's own when nil) as
  /// `Command`, runs it and exits.
  public static func main<Command: ParsableCommand>(
    _: Command.Type, arguments: [String]? = nil
  ) async -> Never {
    await run(Command.self) {
      var command = try Command.parseAsRoot(arguments)
      if var asynchronous = command as? AsyncParsableCommand {
        try await asynchronous.run()
      } else {
        try command.run()
      }
    }
  }

  /// Runs `body` as `Command` and exits with the code its outcome maps to.
  public static func run<Command: ParsableCommand>(
    _: Command.Type, _ body: () async throws -> Void
  ) async -> Never {
    let name = Command.configuration.commandName ?? "promptgate"
    do {
      try await body()
      exit(ExitStatus.ok.rawValue)
    } catch {
      let outcome = ExitMap.outcome(of: error, command: Command.self, name: name)
      if let message = outcome.message {
        if outcome.toStdout { Output.write(message) } else { Output.error(message) }
      }
      exit(outcome.status.rawValue)
    }
  }
}

/// Writing results and diagnostics.
public enum Output {
  /// Writes `text` and a newline to stdout.
  public static func write(_ text: String) {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
  }

  /// Writes `text` and a newline to stderr.
  public static func error(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
  }

  /// `value` as JSON with sorted keys and two-space indentation, so output is stable and diffable.
  public static func json<Value: Encodable>(_ value: Value) throws -> String {
    try JSONReport.document(value)
  }
}
