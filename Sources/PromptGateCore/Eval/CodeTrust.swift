import Foundation

/// Whose definitions a gate may run: the head's, or only the base's.
///
/// The providers (their `baseURL`, `apiKeyEnv` and exec commands), the judges, the eval sets'
/// run settings and `files:` (the harness), and `command` assertions are code: they run with
/// the job's secrets. Under a CI event that runs with the base repository's secrets whatever the
/// pull request holds (GitHub's `pull_request_target`, `workflow_run`, `issue_comment`), the
/// head's code must not run; the head's prompts, cases and mapping still decide what is gated.
/// This is decided from the CI event, never from how the sides were given.
public enum CodeTrust: Sendable, Equatable {
  /// The head's definitions run (a local gate, a `pull_request` or `push` event).
  case head
  /// Only the base's definitions run; `reason` names the event, for messages.
  case base(reason: String)

  /// GitHub events whose jobs hold the base repository's secrets while the head can come from
  /// anyone who opens a pull request or writes a comment.
  public static let secretHoldingEvents = ["pull_request_target", "workflow_run", "issue_comment"]

  /// The trust `environment` calls for: `.base` under a secret-holding GitHub event, unless
  /// `trustHeadCode` (`--trust-head-code`) says the head is trusted anyway.
  public static func from(environment: [String: String], trustHeadCode: Bool) -> CodeTrust {
    guard !trustHeadCode, let event = environment["GITHUB_EVENT_NAME"],
      secretHoldingEvents.contains(event)
    else { return .head }
    return .base(
      reason:
        "the GitHub event \(event) runs with the base repository's secrets, so only the base's providers, judges, harness and command assertions run (see docs/ci.md; --trust-head-code overrides)"
    )
  }

  /// True when only the base's definitions run.
  public var isBaseOnly: Bool {
    if case .base = self { return true }
    return false
  }
}

extension EvalSetDefinition {
  /// This set as the head's mapping selects and names it (its cases file, what it protects),
  /// run as `trusted` (the base's definition of the same set) says: its provider, judge,
  /// settings and harness files.
  func running(as trusted: EvalSetDefinition) -> EvalSetDefinition {
    var set = EvalSetDefinition(
      name: name, tier: tier, cases: cases, files: trusted.files, protects: protects,
      definition: definition)
    set.mark = mark
    set.run = trusted.run
    // The cases run one behavior; the head's mapping says which when the base's does not.
    if set.run.behavior == nil { set.run.behavior = run.behavior }
    return set
  }
}

extension EvalCase {
  /// The programs this case's `command` assertions run.
  var commands: [[String]] {
    assertions.compactMap { assertion in
      if case .command(let argv) = assertion.kind { return argv }
      return nil
    }
  }
}
