import ArgumentParser
import Foundation
import GitKit
import PromptGateCore
import PromptGateWorkflows

/// `promptgate-hook`: what the git hooks run.
public struct HookCommand: AsyncParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "promptgate-hook",
    abstract:
      "Run PromptGate's part of a git hook (called by hooks/pre-commit and hooks/pre-push).",
    usage: "promptgate-hook <hook> [<hook-arguments> ...] [<options>]",
    discussion: """
      pre-commit compares HEAD (its parent under git commit --amend) with the index that git \
      names in GIT_INDEX_FILE, prints which behaviors changed and which fast eval sets are \
      selected, and stays silent when nothing relevant is staged. It never writes the index or \
      the working tree. When fast eval sets are selected it runs them on the staged behaviour \
      and the baseline (promptgate-gate --staged --tier fast) and fails the commit on a \
      regression. When it could not evaluate (a provider unreachable) it warns and lets the \
      commit through, unless the mapping sets `hook: {onUnavailable: fail}`. PROMPTGATE_SKIP=1 \
      (or git commit --no-verify) skips it once.

      pre-push REMOTE URL gates each ref git pushes (read from stdin) the same way: not a \
      deletion; an update from the remote's commit; a new branch, or one whose remote commit is \
      missing here, from its merge-base with REMOTE/HEAD, else main (REMOTE/main, then the \
      local branch), else master; with none of them here, it says which fetch brings one. \
      Under the pre-commit framework it reads PRE_COMMIT_FROM_REF and PRE_COMMIT_TO_REF. \
      PROMPTGATE_SKIP=1 or --no-verify skips it.

      Exit status: 0 passed or nothing relevant; 1 a regression; 2 usage or configuration \
      error; 3 could not evaluate and 4 the environment failed, when the mapping's \
      hook.onUnavailable is fail (by default the hook warns and lets the change through).
      """)

  public enum Hook: String, ExpressibleByArgument, CaseIterable, Sendable {
    case preCommit = "pre-commit"
    case prePush = "pre-push"
  }

  @Argument(help: "The hook to run: pre-commit or pre-push.")
  public var hook: Hook

  @Argument(help: "pre-push: the remote's name and URL, as git passes them to the hook.")
  public var hookArguments: [String] = []

  @OptionGroup public var common: CommonOptions

  @Option(
    help: ArgumentHelp("The tier of eval sets the hook selects (default: fast).", valueName: "tier")
  )
  public var tier: String?

  public init() {}

  /// The executable's entry: `pre-commit` with no options, as every hook calls it, runs without
  /// the argument parser, whose start-up costs a few milliseconds on each commit. The workflow
  /// makes the no-op check once, first.
  public static func entry(_ arguments: [String]) async -> Never {
    guard arguments == ["pre-commit"] else { await CommandRunner.main(Self.self) }
    await CommandRunner.run(Self.self) {
      try await preCommit(tier: "fast", repository: nil, config: nil)
    }
  }

  public func validate() throws {
    guard hookArguments.count > (hook == .prePush ? 2 : 0) else { return }
    throw ValidationError(
      hook == .prePush ? "pre-push takes the remote's name and URL" : "pre-commit takes none")
  }

  public func run() async throws {
    if ProcessInfo.processInfo.environment["PROMPTGATE_SKIP"] != "1" {
      try Mapping.requireTier(tier, in: common.workspace(), at: [.revision("HEAD"), .index])
    }
    switch hook {
    case .preCommit:
      try await Self.preCommit(
        tier: tier ?? "fast", repository: common.repository, config: common.config)
    case .prePush:
      try await Self.prePush(
        remote: hookArguments.first, tier: tier ?? "fast", repository: common.repository,
        config: common.config)
    }
  }

  static func preCommit(tier: String, repository: String?, config: String?) async throws {
    try await finish(skipHint: HookSkipHint.preCommit) {
      try await PreCommitWorkflow.run(
        tier: tier, repository: repository, config: config, events: render)
    }
  }

  static func prePush(remote: String?, tier: String, repository: String?, config: String?)
    async throws
  {
    let environment = ProcessInfo.processInfo.environment
    var remote = remote
    var updates: [PrePushWorkflow.RefUpdate] = []
    if environment["PROMPTGATE_SKIP"] == "1" {
      // Read nothing: the workflow says it was skipped.
    } else if let (update, named) = PrePushWorkflow.RefUpdate.fromPreCommitFramework(environment) {
      // The pre-commit framework reads git's input itself and passes one ref in variables.
      remote = named ?? remote
      updates = [update]
    } else {
      guard isatty(0) == 0 else {
        throw PromptGateError(
          .usage,
          "pre-push reads the refs being pushed on stdin, as git gives them to the pre-push hook")
      }
      let input = FileHandle.standardInput.readDataToEndOfFile()
      updates = try PrePushWorkflow.RefUpdate.parse(String(decoding: input, as: UTF8.self))
    }
    try await finish(skipHint: HookSkipHint.prePush) {
      try await PrePushWorkflow.run(
        updates: updates, remote: remote, tier: tier, repository: repository, config: config,
        events: render)
    }
  }

  /// Runs a hook and throws the exit its outcome calls for; every failure says how to skip the
  /// hook once.
  private static func finish(skipHint: String, _ body: () async throws -> HookOutcome)
    async throws
  {
    let outcome: HookOutcome
    do {
      outcome = try await body()
    } catch let error as PromptGateError {
      throw PromptGateError(error.kind, error.message + "\n  " + skipHint)
    } catch let diagnostic as Diagnostic {
      throw ExitWith(.usage, diagnostic.description + "\n  " + skipHint)
    } catch let diagnostics as Diagnostics {
      throw ExitWith(.usage, diagnostics.description + "\n  " + skipHint)
    }
    guard case .blocked(let decision, _, let hint) = outcome else { return }
    do {
      try GateRenderer.finish(decision)
    } catch let exit as ExitWith {
      throw ExitWith(exit.status, (exit.message ?? "the gate failed") + "\n  " + hint)
    }
  }

  /// Writes a hook's event on stderr, each line after `promptgate: ` and the pushed ref.
  @Sendable static func render(_ ref: String?, _ event: HookEvent) {
    let prefix = "promptgate: " + (ref.map { "\($0): " } ?? "")
    switch event {
    case .skipped(let hook):
      Output.error("promptgate: \(hook) skipped (PROMPTGATE_SKIP=1)")
    case .note(let note):
      Output.error(prefix + note)
    case .changed(let change):
      let components = change.changed.map(\.rawValue).joined(separator: ", ")
      let detail = components.isEmpty ? "definition only" : components
      Output.error(prefix + "\(change.behavior) \(change.status.rawValue) (\(detail))")
    case .noneSelected(let tier, let subject):
      Output.error("promptgate: no \(tier) eval set protects \(subject)")
    case .selected(let entry):
      let reasons = entry.reasons.prefix(3).map(\.description).joined(separator: "; ")
      Output.error(prefix + "selected \(entry.evalSet) (\(reasons))")
    case .gated(let result):
      let text = GateRenderer.text(result)
      if !text.isEmpty {
        Output.error(
          text.split(separator: "\n").map { "promptgate: \($0)" }.joined(separator: "\n"))
      }
    case .letThrough(let message):
      Output.error("promptgate: warning: could not evaluate \(message); letting it pass")
    }
  }
}
