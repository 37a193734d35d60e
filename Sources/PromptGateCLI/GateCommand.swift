import ArgumentParser
import Foundation
import GitKit
import PromptGateCore

/// `promptgate-gate`: run the selected eval sets at both sides, compare, decide.
public struct GateCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "promptgate-gate",
    abstract:
      "Run the eval sets a change selects on the head and the baseline, and fail what regresses.",
    discussion: """
      Selects eval sets as promptgate-select does, runs each on the head's behaviour and on the
      baseline's (reading results already in the store), and compares them case by case. A case
      regresses when it passed at the baseline and fails at the head; a set regresses when its
      pass rate falls significantly (exact McNemar test at the set's alpha), falls below its
      floor, or breaks a metric budget. Both sides are materialised from git objects (the index
      for --staged), never from the working tree. See docs/gate.md.

      Exit status: 0 pass (or nothing selected), 1 a set regressed, 2 usage or configuration
      error, 3 could not evaluate (a provider failed, the spending cap was reached) unless
      --on-unavailable warn.
      """)

  @OptionGroup public var common: CommonOptions
  @OptionGroup public var comparison: ComparisonOptions

  @Option(help: ArgumentHelp("The baseline revision (with --head).", valueName: "rev"))
  public var base: String?

  @Option(help: ArgumentHelp("The head revision (with --base).", valueName: "rev"))
  public var head: String?

  @Option(
    help: ArgumentHelp("Only eval sets of this tier (fast, release, ...).", valueName: "tier"))
  public var tier: String?

  @Option(
    help: ArgumentHelp(
      "The result store's directory (default: promptgate/store in the git directory).",
      valueName: "path"))
  public var store: String?

  @Flag(help: "Run again what the store already holds.")
  public var refresh = false

  @Option(help: ArgumentHelp("Stop after this many provider calls (exit 3).", valueName: "n"))
  public var maxCalls: Int?

  @Option(
    help: ArgumentHelp(
      "Stop once this much is spent, by the price table (exit 3).", valueName: "amount"))
  public var maxCost: Double?

  @Option(help: "When the gate could not evaluate: fail (exit 3, the default) or warn (exit 0).")
  public var onUnavailable: UnavailableChoice = .fail

  @Option(help: "Output format: text or json.")
  public var format: OutputFormat = .text

  /// `--on-unavailable` values.
  public enum UnavailableChoice: String, ExpressibleByArgument, CaseIterable, Sendable {
    case warn, fail
  }

  public init() {}

  public mutating func validate() throws {
    if (base == nil) != (head == nil) {
      throw ValidationError("--base and --head go together")
    }
    if base != nil, !comparison.revisions.isEmpty || comparison.staged || comparison.worktree {
      throw ValidationError("give --base/--head, or revisions, or --staged, not several")
    }
    if base == nil, comparison.revisions.isEmpty, !comparison.staged, !comparison.worktree {
      throw ValidationError(
        "say what to gate: --staged (HEAD against the index), --base REV --head REV, or a range A..B"
      )
    }
  }

  public func run() throws {
    let workspace = try common.workspace()
    let repository = workspace.repository
    let sides: (Side, Side)
    if let base, let head {
      sides = (.revision(base), .revision(head))
    } else if comparison.staged, comparison.revisions.isEmpty {
      sides = (try HookCommand.baseline(repository), .index)
    } else {
      sides = try comparison.sides(in: repository)
    }
    let result = try GateRun(
      workspace: workspace, base: sides.0, head: sides.1, tier: tier, storePath: store,
      refresh: refresh, maxCalls: maxCalls, maxCost: maxCost
    ).execute()
    switch format {
    case .json: Output.write(try Output.json(result))
    case .text:
      let text = GateRenderer.text(result)
      if !text.isEmpty { Output.write(text) }
    }
    try GateRun.finish(result, onUnavailable: onUnavailable == .warn ? .warn : .fail)
  }
}
