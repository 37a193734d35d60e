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
    await main(Command.self, arguments: arguments, fastPath: { _ in nil })
  }

  /// ``main(_:arguments:)`` for a command whose plain invocations `fastPath` reads without the
  /// argument parser (nil for anything else, which the parser then reads, with its help, its
  /// completions and its messages).
  public static func main<Command: ParsableCommand>(
    _: Command.Type, arguments: [String]? = nil, fastPath: ([String]) -> Command?
  ) async -> Never {
    await run(Command.self) {
      var command: ParsableCommand
      if let fast = fastPath(arguments ?? Array(CommandLine.arguments.dropFirst())) {
        command = fast
      } else {
        command = try Command.parseAsRoot(arguments)
      }
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
    Redactor.register(variables: Redactor.knownVariables, in: ProcessInfo.processInfo.environment)
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
  public static func write(_ text: String) { put(text + "\n", to: STDOUT_FILENO) }

  /// Writes `bytes` (UTF-8 text, its newlines included) to stdout; through the redactor, as
  /// text, only when secrets are registered.
  public static func write(bytes: [UInt8]) {
    if Redactor.hasSecrets {
      put(String(decoding: bytes, as: UTF8.self), to: STDOUT_FILENO)
    } else {
      put(bytes[...], to: STDOUT_FILENO)
    }
  }

  /// Writes `text` and a newline to stderr.
  public static func error(_ text: String) { put(text + "\n", to: STDERR_FILENO) }

  /// Writes `text` to stderr as it is (a progress line redrawn with `\r`).
  static func raw(_ text: String) { put(text, to: STDERR_FILENO) }

  /// Writes all of `text` to `descriptor`. A reader that has gone away (`promptgate log | head`)
  /// ends the command quietly with 141, as git does, whether SIGPIPE is ignored or not; other
  /// write failures are dropped, since there is nowhere left to report them.
  private static func put(_ text: String, to descriptor: Int32) {
    put(Array(Redactor.scrub(text).utf8)[...], to: descriptor)
  }

  private static func put(_ bytes: ArraySlice<UInt8>, to descriptor: Int32) {
    var bytes = bytes
    while !bytes.isEmpty {
      let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
      if written > 0 {
        bytes = bytes.dropFirst(written)
      } else if written < 0, errno == EINTR {
        continue
      } else if written < 0, errno == EPIPE {
        exit(141)
      } else {
        return
      }
    }
  }

  /// `value` as JSON with sorted keys and two-space indentation, so output is stable and diffable.
  public static func json<Value: Encodable>(_ value: Value) throws -> String {
    try JSONReport.document(value)
  }
}
