import ArgumentParser
import Foundation
import GitKit
import PromptGateCore

/// `promptgate-hook`: what the git hooks run.
public struct HookCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "promptgate-hook",
    abstract: "Run PromptGate's part of a git hook (called by hooks/pre-commit).",
    discussion: """
      pre-commit compares HEAD (its parent under git commit --amend) with the index that git
      names in GIT_INDEX_FILE, prints which behaviors changed and which fast eval sets are
      selected, and stays silent when nothing relevant is staged. It never writes the index or
      the working tree. When fast eval sets are selected it runs them on the staged behaviour
      and the baseline (promptgate-gate --staged --tier fast) and fails the commit on a
      regression. When it could not evaluate (a provider unreachable) it warns and lets the
      commit through, unless the mapping sets `hook: {onUnavailable: fail}`. PROMPTGATE_SKIP=1
      (or git commit --no-verify) skips it once.
      """)

  public enum Hook: String, ExpressibleByArgument, CaseIterable, Sendable {
    case preCommit = "pre-commit"
  }

  @Argument(help: "The hook to run: pre-commit.")
  public var hook: Hook

  @OptionGroup public var common: CommonOptions

  @Option(help: ArgumentHelp("The tier of eval sets the hook selects.", valueName: "tier"))
  public var tier = "fast"

  public init() {}

  /// The executable's entry: `pre-commit` with no options, as every hook calls it, runs without
  /// the argument parser, whose start-up costs a few milliseconds on each commit.
  public static func main(_ arguments: [String]) -> Never {
    guard arguments == ["pre-commit"] else { CommandRunner.main(Self.self) }
    CommandRunner.run(Self.self) { try preCommit(tier: "fast", repository: nil, config: nil) }
  }

  public func run() throws {
    try Self.preCommit(tier: tier, repository: common.repository, config: common.config)
  }

  static func preCommit(tier: String, repository: String?, config: String?) throws {
    if ProcessInfo.processInfo.environment["PROMPTGATE_SKIP"] == "1" {
      Output.error("promptgate: pre-commit skipped (PROMPTGATE_SKIP=1)")
      return
    }
    if repository == nil, config == nil, try isNoOpWithoutLibgit2() { return }
    let workspace = try CommonOptions.workspace(repository: repository, config: config)
    let base = try Self.baseline(workspace.repository)
    if try isNoOp(workspace, base: base) { return }
    let old = try workspace.state(of: base)
    let new = try workspace.state(of: .index)
    guard old.mapping != nil || new.mapping != nil else { return }
    let changes = try ChangeDetector.compare(old, new)
    guard changes.hasChanges else { return }
    let selection = Selection(changes: changes, head: new.mapping, tier: tier)
    for change in changes.behaviors where change.isChange {
      let components = change.changed.map(\.rawValue).joined(separator: ", ")
      let detail = components.isEmpty ? "definition only" : components
      Output.error("promptgate: \(change.behavior) \(change.status.rawValue) (\(detail))")
    }
    if selection.evalSets.isEmpty {
      Output.error("promptgate: no \(tier) eval set protects what is staged")
      return
    }
    for entry in selection.evalSets {
      let reasons = entry.reasons.prefix(3).map(\.description).joined(separator: "; ")
      Output.error("promptgate: selected \(entry.evalSet) (\(reasons))")
    }
    let result = try GateRun(
      workspace: workspace, base: base, head: .index, tier: tier, storePath: nil, refresh: false,
      maxCalls: nil, maxCost: nil
    ).execute()
    let text = GateRenderer.text(result)
    if !text.isEmpty {
      Output.error(text.split(separator: "\n").map { "promptgate: \($0)" }.joined(separator: "\n"))
    }
    do {
      try GateRun.finish(result, onUnavailable: new.mapping?.gate.hookOnUnavailable ?? .warn)
    } catch let exit as ExitWith {
      throw ExitWith(
        exit.status,
        (exit.message ?? "the gate failed")
          + "\n  to commit anyway this once: PROMPTGATE_SKIP=1 git commit ..., or git commit --no-verify"
      )
    }
  }

  /// True when the no-op check succeeds reading git's files directly, without starting libgit2,
  /// whose global initialisation alone costs more here than the whole check. Anything it does
  /// not cover returns false, and the libgit2 path decides.
  static func isNoOpWithoutLibgit2() throws -> Bool {
    let environment = ProcessInfo.processInfo.environment
    guard let layout = GitLayout.discover(from: FileManager.default.currentDirectoryPath),
      let base = StoredTreeSnapshot(
        layout: layout, reference: GitInvocation.isAmending() ? "HEAD^" : "HEAD"),
      (try? StagedQuickCheck.indexMatches(base: base, indexPath: layout.indexPath, override: nil))
        == true
    else { return false }
    if environment["PROMPTGATE_VERIFY_FAST_PATH"] == "1" {
      let workspace = try CommonOptions.workspace(repository: nil, config: nil)
      let side = try baseline(workspace.repository)
      let changes = try ChangeDetector.compare(
        try workspace.state(of: side), try workspace.state(of: .index))
      if changes.hasChanges {
        throw ExitWith(
          .unavailable, "the direct object reader found no change where libgit2 found one")
      }
    }
    return true
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
        throw ExitWith(.unavailable, "the fast index path found no change where libgit2 found one")
      }
    }
    return true
  }

  /// HEAD, or its parent when git is amending (HEAD is the commit being replaced).
  static func baseline(_ repository: Repository) throws -> Side {
    guard GitInvocation.isAmending(), try repository.headCommit() != nil else {
      return .revision("HEAD")
    }
    if (try? repository.resolveCommit("HEAD^")) != nil { return .revision("HEAD^") }
    return .empty
  }
}
