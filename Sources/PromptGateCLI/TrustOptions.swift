import ArgumentParser
import Foundation
import PromptGateCore

/// `--trust-head-code`: the one way to run the head's code under a CI event that holds the base
/// repository's secrets.
public struct TrustOptions: ParsableArguments {
  @Flag(
    help: ArgumentHelp(
      "Under pull_request_target, workflow_run or issue_comment, run the head's providers, judges, harness and command assertions too.",
      discussion:
        "Those events give the job the base repository's secrets whoever wrote the head, so by default only the base's definitions run. With this flag a pull request can run any program, or send any secret its mapping names to any server. Use it only when every head is trusted (see docs/ci.md)."
    ))
  public var trustHeadCode = false

  public init() {}

  /// The trust the CI event and the flag call for.
  public var trust: CodeTrust {
    CodeTrust.from(environment: ProcessInfo.processInfo.environment, trustHeadCode: trustHeadCode)
  }
}
