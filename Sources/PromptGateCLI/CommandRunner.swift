import ArgumentParser
import Foundation
import GitKit
import PromptGateCore

/// Runs a command as an executable's `main`: parses arguments, runs, and turns every outcome into
/// the documented exit code, with results on stdout and diagnostics on stderr.
public enum CommandRunner {
  /// Parses the process's arguments as `Command`, runs it and exits.
  public static func main<Command: ParsableCommand>(_: Command.Type) -> Never {
    run(Command.self) {
      var command = try Command.parseAsRoot()
      try command.run()
    }
  }

  /// Parses `arguments` (without the executable's name) as `Command`, runs it and exits.
  public static func main<Command: ParsableCommand>(_: Command.Type, arguments: [String])
    -> Never
  {
    run(Command.self) {
      var command = try Command.parseAsRoot(arguments)
      try command.run()
    }
  }

  /// Runs `body` as `Command` and exits with the code its outcome maps to.
  public static func run<Command: ParsableCommand>(_: Command.Type, _ body: () throws -> Void)
    -> Never
  {
    let name = Command.configuration.commandName ?? "promptgate"
    do {
      try body()
      exit(ExitStatus.ok.rawValue)
    } catch let exit as ExitWith {
      if let message = exit.message { Output.error("\(name): \(message)") }
      Foundation.exit(exit.status.rawValue)
    } catch let diagnostics as Diagnostics {
      Output.error(diagnostics.description)
      Foundation.exit(ExitStatus.usage.rawValue)
    } catch let diagnostic as Diagnostic {
      Output.error(diagnostic.description)
      Foundation.exit(ExitStatus.usage.rawValue)
    } catch let error as GitError {
      Output.error("\(name): \(error.message)")
      Foundation.exit(ExitStatus.usage.rawValue)
    } catch {
      let code = Command.exitCode(for: error)
      if code == .success {
        Output.write(Command.fullMessage(for: error))
        Foundation.exit(ExitStatus.ok.rawValue)
      }
      Output.error(Command.fullMessage(for: error))
      Foundation.exit(ExitStatus.usage.rawValue)
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
