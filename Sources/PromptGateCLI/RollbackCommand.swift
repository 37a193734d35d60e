import ArgumentParser
import PromptGateCore
import PromptGateWorkflows

/// `promptgate-rollback BEHAVIOR --to TARGET`: restores every component of a behavior to a named
/// version, and proves the working tree then has that version's id.
public struct RollbackCommand: ParsableCommand {
  /// How the command is named and described.
  public static let configuration = CommandConfiguration(
    commandName: "promptgate-rollback",
    abstract: "Restore every component of a behavior to a named version, and prove it.",
    discussion: """
      TARGET is read in this order: previous (the newest release of BEHAVIOR whose id differs \
      from HEAD's; previous~N goes N releases further back); a release tag \
      promptgate/<behavior>/<12 hex>; pgv1- and hex, or bare hex of 7 or more digits: a \
      version id or a unique prefix of one (the newest commit in HEAD's history at which \
      BEHAVIOR took that id, then the release tags); anything else as a git revision. Bare hex \
      that is both an id prefix and a commit exits 2 listing both.

      The working tree's promptgate.yaml decides where each component is written: a file set \
      becomes exactly the version's files within its patterns (restored, added, removed); a \
      value in a YAML or JSON file is spliced in place, every other byte kept; a regex source's \
      captured group is replaced. A literal in the mapping cannot be restored by editing files: \
      the command names the mapping line to change. The working tree's version is then computed \
      again and must equal the target's id; if it does not, every file is put back byte for \
      byte and the command exits 2 naming the component. The restored paths are staged. \
      See docs/rollback.md.

      Exit status: 0 restored (or already the version); 1 --commit and git commit (a hook) \
      refused the commit (the restored paths stay staged); 2 usage or configuration error, a \
      target that names nothing or two things, uncommitted changes without --force, a \
      component that cannot be restored; 4 a file cannot be written (every file put back).
      """)

  /// `--config` and `-C`.
  @OptionGroup public var common: CommonOptions

  /// `--store` and `--no-cache` for the history walk that finds a version id.
  @OptionGroup public var cache: HistoryCacheOptions

  /// The behavior to roll back.
  @Argument(help: ArgumentHelp("The behavior to roll back.", valueName: "behavior"))
  public var behavior: String

  /// The version to restore.
  @Option(
    help: ArgumentHelp(
      "The version: previous, previous~N, a release tag, a version id or prefix, or a revision.",
      valueName: "target"))
  public var to: String

  /// Print the plan only.
  @Flag(help: "Print the plan per component (files and values, old and new); change nothing.")
  public var dryRun = false

  /// Overwrite uncommitted changes.
  @Flag(help: "Go on even when a path to be written has uncommitted changes.")
  public var force = false

  /// Commit the restored paths.
  @Flag(
    help:
      "Commit the restored paths only, through git commit (hooks run), with Behavior-Version and Rolled-Back-From trailers."
  )
  public var commit = false

  /// Text or JSON.
  @Option(help: "Output format: text or json.")
  public var format: OutputFormat = .text

  /// Creates the command with its defaults.
  public init() {}

  public func validate() throws {
    if dryRun && commit { throw ValidationError("--dry-run and --commit cannot be used together") }
  }

  /// Runs the command.
  public func run() throws {
    let workspace = try common.workspace()
    var rollback = RollbackWorkflow(workspace: workspace, behavior: behavior, target: to)
    rollback.historyCache = cache.cache(for: workspace)
    defer {
      for warning in rollback.historyCache?.warnings ?? [] {
        Output.error("promptgate-rollback: warning: \(warning)")
      }
    }
    rollback.dryRun = dryRun
    rollback.force = force
    rollback.commit = commit
    let outcome = try rollback.run()
    switch format {
    case .json: Output.write(try Output.json(outcome))
    case .text: Output.write(RollbackRenderer.text(outcome))
    }
    if outcome.status == .commitRefused {
      throw ExitWith(
        .found,
        "git commit refused the commit (see its output above); the restored paths stay staged")
    }
  }
}
