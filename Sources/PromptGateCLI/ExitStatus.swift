import ArgumentParser
import GitKit
import PromptGateCore

/// The exit codes every PromptGate executable uses (docs/commands.md, "Exit codes").
public enum ExitStatus: Int32, Sendable, CaseIterable {
  /// Success, or nothing changed.
  case ok = 0
  /// Something was found: differences under `--exit-code`, a regression.
  case found = 1
  /// A usage error, an invalid configuration (mapping, cases, assertions), or a repository this
  /// build cannot read.
  case usage = 2
  /// Could not evaluate: a provider or harness failed, the cap was reached, a key variable is
  /// unset, a program an assertion needs is missing, a push failed.
  case unavailable = 3
  /// The environment failed: the result store or a cache unreadable or unwritable, a lock not
  /// obtained, a temporary directory that cannot be made.
  case environment = 4

  /// The status for an error of `kind`.
  public init(_ kind: PromptGateError.Kind) {
    switch kind {
    case .usage, .configuration: self = .usage
    case .unavailable: self = .unavailable
    case .environment: self = .environment
    }
  }
}

/// Ends a command with `status` after its output is written.
public struct ExitWith: Error {
  /// The status to exit with.
  public let status: ExitStatus
  /// A message for stderr, if any.
  public let message: String?

  /// Creates an exit request.
  public init(_ status: ExitStatus, _ message: String? = nil) {
    self.status = status
    self.message = message
  }
}

/// The one map from what a command threw to its exit code and message.
enum ExitMap {
  /// The status and the stderr text for `error` thrown by `Command` (`name` prefixes messages);
  /// a nil message prints nothing. Help and `--version` come back as `.ok` with their text.
  static func outcome<Command: ParsableCommand>(
    of error: any Error, command _: Command.Type, name: String
  ) -> (status: ExitStatus, message: String?, toStdout: Bool) {
    switch error {
    case let exit as ExitWith:
      return (exit.status, exit.message.map { "\(name): \($0)" }, false)
    case let failure as PromptGateError:
      return (ExitStatus(failure.kind), "\(name): \(failure.message)", false)
    case let diagnostics as Diagnostics:
      return (.usage, diagnostics.description, false)
    case let diagnostic as Diagnostic:
      return (.usage, diagnostic.description, false)
    case let error as GitError:
      return (.usage, "\(name): \(error.message)", false)
    default:
      let code = Command.exitCode(for: error)
      if code == .success { return (.ok, Command.fullMessage(for: error), true) }
      if code == .validationFailure { return (.usage, Command.fullMessage(for: error), false) }
      if let exit = error as? ExitCode {
        return (ExitStatus(rawValue: exit.rawValue) ?? .usage, nil, false)
      }
      // Not one of ours and not the parser's: say so plainly rather than call it a usage error.
      return (.environment, "\(name): unexpected error: \(error)", false)
    }
  }
}
