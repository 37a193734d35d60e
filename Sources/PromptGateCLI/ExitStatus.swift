/// The exit codes every PromptGate executable uses.
public enum ExitStatus: Int32, Sendable {
  /// Success, or nothing changed.
  case ok = 0
  /// Something was found: differences under `--exit-code`, later a regression.
  case found = 1
  /// A usage error, an invalid configuration, or a repository this build cannot read.
  case usage = 2
  /// Could not evaluate.
  case unavailable = 3
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
