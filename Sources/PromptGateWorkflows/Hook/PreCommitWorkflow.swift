import Foundation
import GitKit
import PromptGateCore

/// The pre-commit hook: HEAD (its parent under `git commit --amend`) against the index git
/// names in `GIT_INDEX_FILE`, gated at the hook's tier. It never writes the index or the
/// working tree.
public enum PreCommitWorkflow {
  /// True when the no-op check succeeds reading git's files directly, without starting libgit2,
  /// whose global initialisation alone costs more here than the whole check. Anything it does
  /// not cover returns false, and the libgit2 path decides. Synchronous, so that the hook's
  /// commonest answer ("nothing relevant staged") starts no concurrency at all.
  public static func isNoOpWithoutLibgit2() throws -> Bool {
    let environment = ProcessInfo.processInfo.environment
    guard
      let repository = Repository(plainDiscoveringFrom: FileManager.default.currentDirectoryPath),
      let base = try? repository.snapshot(
        ofReference: GitInvocation.isAmending() ? "HEAD^" : "HEAD"),
      (try? StagedQuickCheck.indexMatches(repository, tree: base, override: nil)) == true
    else { return false }
    if environment["PROMPTGATE_VERIFY_FAST_PATH"] == "1" {
      let workspace = try Workspace.open(repository: nil, config: nil)
      let side = try baseline(workspace.repository)
      let changes = try ChangeDetector.compare(
        try workspace.state(of: side), try workspace.state(of: .index))
      if changes.hasChanges {
        throw PromptGateError(
          .unavailable, "the direct object reader found no change where libgit2 found one")
      }
    }
    return true
  }

  /// Runs the hook for the repository at `repository` (or the current directory).
  public static func run(
    tier: String, repository: String?, config: String?, events: @escaping HookEvents
  ) async throws -> HookOutcome {
    if ProcessInfo.processInfo.environment["PROMPTGATE_SKIP"] == "1" {
      events(nil, .skipped(hook: "pre-commit"))
      return .passed
    }
    if repository == nil, config == nil, try isNoOpWithoutLibgit2() { return .passed }
    let workspace = try Workspace.open(repository: repository, config: config)
    let base = try baseline(workspace.repository)
    if try isNoOp(workspace, base: base) { return .passed }
    return try await HookGate(workspace: workspace, tier: tier, events: events).gate(
      base: base, head: .index, ref: nil, subject: "what is staged",
      skipHint: HookSkipHint.preCommit)
  }

  /// True when the fast path proves that nothing relevant is staged.
  ///
  /// With `PROMPTGATE_VERIFY_FAST_PATH=1` the full comparison runs too, and a disagreement is an
  /// error: the tests set it so that every hook they run checks the fast path against libgit2.
  static func isNoOp(_ workspace: Workspace, base: Side) throws -> Bool {
    guard case .revision(let name) = base,
      let commit = try? workspace.repository.resolveCommit(name),
      try StagedQuickCheck.indexMatches(
        workspace.repository, base: commit, override: workspace.override)
    else { return false }
    if ProcessInfo.processInfo.environment["PROMPTGATE_VERIFY_FAST_PATH"] == "1" {
      let changes = try ChangeDetector.compare(
        try workspace.state(of: base), try workspace.state(of: .index))
      if changes.hasChanges {
        throw PromptGateError(
          .unavailable, "the fast index path found no change where libgit2 found one")
      }
    }
    return true
  }

  /// HEAD, or its parent when git is amending (HEAD is the commit being replaced).
  public static func baseline(_ repository: Repository) throws -> Side {
    guard GitInvocation.isAmending(), try repository.headCommit() != nil else {
      return .revision("HEAD")
    }
    if (try? repository.resolveCommit("HEAD^")) != nil { return .revision("HEAD^") }
    return .empty
  }
}
