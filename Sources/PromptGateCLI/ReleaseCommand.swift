import ArgumentParser
import Foundation
import GitKit
import PromptGateCore
import PromptGateWorkflows

/// `promptgate-release`: gates the release tier and records each released behavior version as
/// an annotated tag; `list` and `show` read the releases back.
public struct ReleaseCommand: AsyncParsableCommand {
  /// How the command is named and described.
  public static let configuration = CommandConfiguration(
    commandName: "promptgate-release",
    abstract: "Run the release tier and tag each behavior version that passes it.",
    discussion: """
      promptgate release [--rev REV] [--tier TIER] [--behavior NAME] [--push REMOTE] runs the \
      release tier (default: release) for each behavior whose version at REV (default: HEAD) \
      has no release yet, against its last release (the newest tag promptgate/<behavior>/*), \
      or with no baseline when it was never released. When every such gate passes, it makes \
      an annotated tag promptgate/<behavior>/<12 digits of the id> on REV for each of them, \
      whose message records the behavior, the full id, the commit, the tier, the baseline, \
      the tuple and the eval summary. It never moves or replaces a tag: a version that \
      already has its tag (a rolled-back version keeps its first release) is reported as \
      "already released at <commit>". --push REMOTE then pushes each tag with git push, \
      create-only: a remote that already has the tag (another pipeline won the race) is \
      reported, not overwritten, and exits 0. Tags travel with git push --tags and \
      git fetch --tags; fetch them before releasing. See docs/release.md.

      promptgate release list [--behavior NAME] shows the releases, newest first; \
      promptgate release show ID shows one (a full id or 7+ hex digits, pgv1- optional).

      Exit status: 0 released, already released, or nothing to release; 1 the release tier \
      regressed (nothing tagged); 2 usage or configuration error, no committer identity, or a \
      tag name that exists for another id; 3 could not evaluate (nothing tagged) or a push \
      failed for another reason than a lost race; 4 the environment failed (the result store \
      or a temporary directory).
      """,
    subcommands: [Run.self, List.self, Show.self],
    defaultSubcommand: Run.self)

  /// Creates the command with its defaults.
  public init() {}

  /// `promptgate release [run]`: gate the release tier and tag what passes.
  public struct Run: AsyncParsableCommand {
    /// How the command is named and described.
    public static let configuration = CommandConfiguration(
      abstract: "Gate the release tier for unreleased behavior versions and tag them (default).",
      usage: "promptgate-release [run] [<options>]",
      discussion: """
        For each behavior at --rev whose version has no tag promptgate/<behavior>/<short id>, \
        runs the --tier eval sets that protect what changed since its last release (the \
        newest such tag by tagger date), and, when none regressed and all could be evaluated, \
        tags REV for each of them. Nothing is tagged when any of them fails. The tagger is \
        git's committer identity (GIT_COMMITTER_NAME/EMAIL/DATE, else user.name/user.email).

        Exit status: 0 released or already released; 1 regressed (nothing tagged); 2 usage or \
        configuration error, or no committer identity; 3 could not evaluate (nothing tagged), \
        or a push failed for another reason than a lost race.
        """)

    /// `--config` and `-C`.
    @OptionGroup public var common: CommonOptions

    /// The commit to release.
    @Option(help: ArgumentHelp("The commit to release.", valueName: "rev"))
    public var rev = "HEAD"

    /// The tier that gates a release.
    @Option(
      help: ArgumentHelp(
        "The tier of eval sets that gates a release (default: release).", valueName: "tier"))
    public var tier: String?

    /// Only this behavior.
    @Option(help: ArgumentHelp("Release only this behavior.", valueName: "name"))
    public var behavior: String?

    /// The remote to push release tags to.
    @Option(
      help: ArgumentHelp(
        "Push each release tag to this remote, create-only; a tag the remote already has is a lost race (exit 0).",
        valueName: "remote"))
    public var push: String?

    /// The result store's directory.
    @Option(
      help: ArgumentHelp(
        "The result store's directory (default: promptgate/store in the git directory).",
        valueName: "path"))
    public var store: String?

    /// The cap on provider calls.
    @Option(help: ArgumentHelp("Stop after this many provider calls (exit 3).", valueName: "n"))
    public var maxCalls: Int?

    /// The cap on spending.
    @Option(
      help: ArgumentHelp(
        "Stop once this much is spent, by the price table (exit 3).", valueName: "amount"))
    public var maxCost: Double?

    /// Tag even when release-tier sets could not be evaluated (the tag records which).
    @Flag(
      help:
        "Tag even when release-tier sets could not be evaluated; the tag records them (PromptGate-Allowed-Unevaluated)."
    )
    public var allowUnevaluated = false

    /// Text or JSON.
    @Option(help: "Output format: text or json.")
    public var format: OutputFormat = .text

    /// `--trust-head-code`.
    @OptionGroup public var trust: TrustOptions

    /// Creates the command with its defaults.
    public init() {}

    /// Runs the command.
    public func run() async throws {
      let workspace = try common.workspace()
      let repository = workspace.repository
      let pusher = push.map {
        ReleasePush(remote: $0, directory: repository.workdir ?? repository.gitDir)
      }
      try Mapping.requireTier(tier, in: workspace, at: [.revision(rev)])
      var release = ReleaseWorkflow(
        workspace: workspace, revision: rev, tier: tier ?? "release", behavior: behavior,
        storePath: store, maxCalls: maxCalls, maxCost: maxCost, push: pusher)
      release.allowUnevaluated = allowUnevaluated
      release.trust = trust.trust
      let (report, failure) = try await release.run()
      for warning in report.warnings { Output.error("promptgate-release: warning: \(warning)") }
      switch format {
      case .json: Output.write(try Output.json(report))
      case .text: Output.write(ReleaseRenderer.text(report, remote: pusher?.shownRemote))
      }
      switch failure {
      case nil: return
      case .regressed(let sets):
        throw ExitWith(.found, "regressed: \(sets.joined(separator: ", ")); nothing was released")
      case .notEvaluated(let sets):
        throw ExitWith(
          .unavailable, "could not evaluate: \(sets.joined(separator: ", ")); nothing was released")
      case .pushFailed(let remote):
        throw ExitWith(.unavailable, "could not push every release to \(remote)")
      }
    }
  }

  /// `promptgate release list`: the releases, newest first.
  public struct List: AsyncParsableCommand {
    /// How the command is named and described.
    public static let configuration = CommandConfiguration(
      abstract: "List the releases recorded in tags, newest first.",
      usage: "promptgate-release list [<options>]",
      discussion: """
        Reads every tag promptgate/<behavior>/<short id>; tags whose message is not a release \
        are skipped with a warning. Each line: behavior, short id, commit, tagger date, tag, eval \
        summary.
        """)

    /// `--config` and `-C`.
    @OptionGroup public var common: CommonOptions

    /// Only this behavior.
    @Option(help: ArgumentHelp("Only this behavior's releases.", valueName: "name"))
    public var behavior: String?

    /// Text or JSON.
    @Option(help: "Output format: text or json.")
    public var format: OutputFormat = .text

    /// Creates the command with its defaults.
    public init() {}

    /// Runs the command.
    public func run() async throws {
      let repository = try common.workspace().repository
      let (records, warnings) = try ReleaseRecord.all(in: repository, behavior: behavior)
      for warning in warnings { Output.error("promptgate-release: warning: \(warning)") }
      switch format {
      case .json: Output.write(try Output.json(records))
      case .text: if !records.isEmpty { Output.write(ReleaseRenderer.list(records)) }
      }
    }
  }

  /// `promptgate release show ID`: one release.
  public struct Show: AsyncParsableCommand {
    /// How the command is named and described.
    public static let configuration = CommandConfiguration(
      abstract: "Show one release: its tag, commit, tagger, tuple and eval summary.",
      usage: "promptgate-release show [<options>] <id>",
      discussion: """
        ID is a full behavior version id or 7 or more of its hex digits, with or without \
        pgv1-. An ID that matches several releases (or one version released for several \
        behaviors; --behavior picks one) lists them and exits 2; one that matches none exits 2.
        """)

    /// `--config` and `-C`.
    @OptionGroup public var common: CommonOptions

    /// The release's id or prefix.
    @Argument(help: ArgumentHelp("The released version's id or a unique prefix.", valueName: "id"))
    public var id: String

    /// Only this behavior.
    @Option(help: ArgumentHelp("Only this behavior's releases.", valueName: "name"))
    public var behavior: String?

    /// Text or JSON.
    @Option(help: "Output format: text or json.")
    public var format: OutputFormat = .text

    /// Creates the command with its defaults.
    public init() {}

    /// Checks the arguments before running.
    public func validate() throws {
      if BehaviorID.abbreviationDigits(id) == nil {
        throw ValidationError(
          "'\(id)' is not a behavior version id: give \(BehaviorID.minimumPrefixLength) or more hex digits, with or without \(BehaviorID.prefix)"
        )
      }
    }

    /// Runs the command.
    public func run() async throws {
      let repository = try common.workspace().repository
      let (records, warnings) = try ReleaseRecord.all(in: repository, behavior: behavior)
      for warning in warnings { Output.error("promptgate-release: warning: \(warning)") }
      let found = records.filter { $0.id.matches(id) }
      guard let record = found.first else {
        throw ExitWith(.usage, "no release of \(id); see promptgate release list")
      }
      guard found.count == 1 else {
        let candidates = found.map { "  \($0.behavior) \($0.id.full) \($0.tag)" }
        throw ExitWith(
          .usage,
          "\(id) is ambiguous: it matches \(found.count) releases (give more digits or --behavior):\n"
            + candidates.joined(separator: "\n"))
      }
      switch format {
      case .json: Output.write(try Output.json(record))
      case .text: Output.write(ReleaseRenderer.show(record))
      }
    }
  }
}
