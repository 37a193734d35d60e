import ArgumentParser
import Foundation
import GitKit
import PromptGateCI
import PromptGateCore
import PromptGateWorkflows

/// `promptgate-store`: look after the result store.
public struct StoreCommand: AsyncParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "promptgate-store",
    abstract: "Manage the gate's result store.",
    subcommands: [Prune.self, Path.self, Push.self, Fetch.self])

  public init() {}

  /// `promptgate store path`: where the store is.
  public struct Path: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
      abstract: "Print the result store's directory.",
      usage: "promptgate-store path [<options>]")

    @OptionGroup public var common: CommonOptions

    @Option(help: ArgumentHelp("The store's directory.", valueName: "path"))
    public var store: String?

    public init() {}

    public func run() async throws {
      let workspace = try common.workspace()
      Output.write(
        store ?? ResultStore.defaultDirectory(commonDir: workspace.repository.commonDir))
    }
  }

  /// `promptgate store prune`: remove results no recent commit needs.
  public struct Prune: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
      abstract: "Remove stored results that no recent commit needs.",
      usage: "promptgate-store prune [<options>] [--keep <n>] [--dry-run]",
      discussion: """
        Keeps every result whose behavior version is the version at the index, at the tip of a \
        local branch or tag, or at one of the last --keep commits of each local branch's \
        first-parent history, and removes the rest. Judge verdicts are never pruned. The history \
        cache in the store's history/ folder loses the commits that HEAD, no local branch and \
        no tag reaches, and any file that cannot be read.

        --dry-run lists each result it would remove, one a line: the behavior, its version id, \
        the eval set, the case id, the repeat index and the result's file in the store. A \
        --store directory that does not exist exits 2 and nothing is created.
        """)

    @OptionGroup public var common: CommonOptions

    @Option(help: ArgumentHelp("The store's directory.", valueName: "path"))
    public var store: String?

    @Option(help: ArgumentHelp("Commits per branch whose versions are kept.", valueName: "n"))
    public var keep = 100

    @Flag(help: "List what would be removed, remove nothing.")
    public var dryRun = false

    @Flag(
      help:
        "Prune the results shared on the remote (refs/promptgate/results) instead: a new commit with no parent, pushed with --force-with-lease."
    )
    public var shared = false

    @Option(help: ArgumentHelp("The remote, with --shared.", valueName: "remote"))
    public var remote = "origin"

    public init() {}

    public mutating func validate() throws {
      if keep < 0 { throw ValidationError("--keep takes 0 or more commits, not \(keep)") }
    }

    public func run() async throws {
      let workspace = try common.workspace()
      let directory =
        store ?? ResultStore.defaultDirectory(commonDir: workspace.repository.commonDir)
      if shared {
        if let event = CIDetector.pullRequestEvent(in: ProcessInfo.processInfo.environment) {
          throw PromptGateError(
            .usage, "store prune --shared is refused under \(event), as store push is")
        }
        let pruned = try StorePruneWorkflow.runShared(
          workspace: workspace, store: ResultStore(directory: directory), remote: remote,
          keep: keep, dryRun: dryRun)
        Output.error(
          "promptgate-store: \(dryRun ? "would remove" : "removed") \(pruned.removedResults) shared results; kept \(pruned.keptResults) and \(pruned.judgements) judge verdicts on \(ReleasePush.redacted(remote))"
        )
        return
      }
      let outcome = try StorePruneWorkflow.run(
        workspace: workspace, store: ResultStore(directory: directory), keep: keep,
        dryRun: dryRun)
      switch outcome {
      case .noStore(let directory):
        // A path given by hand that names nothing is a mistake; the default store is simply
        // not made until a gate writes to it.
        if store != nil {
          throw ExitWith(
            .usage,
            "no result store at \(directory); nothing was pruned or created\n"
              + "  fix: pass the directory a gate wrote with --store, or omit --store for "
              + "the repository's own (`promptgate store path` prints it)")
        }
        Output.error("promptgate-store: no result store at \(directory) yet; nothing to prune")
      case .pruned(let summary):
        if summary.dryRun {
          for entry in summary.removed { Output.write(Self.line(entry, store: directory)) }
        }
        let judgements =
          summary.judgements == 0
          ? ""
          : " and \(summary.judgements) judge verdict\(summary.judgements == 1 ? "" : "s")"
            + " (never pruned)"
        Output.error(
          "promptgate-store: \(summary.dryRun ? "would remove" : "removed") "
            + "\(summary.removed.count) results; kept \(summary.keptResults) results of "
            + "\(summary.keptVersions) behavior versions\(judgements)")
        let history = summary.history
        if history.keptCommits + history.droppedCommits > 0 || !history.removedFiles.isEmpty {
          let files = history.removedFiles.count
          Output.error(
            "promptgate-store: history cache: \(summary.dryRun ? "would drop" : "dropped") "
              + "\(history.droppedCommits) commits no branch, tag or HEAD reaches"
              + (files == 0 ? "" : " and \(files) unreadable file\(files == 1 ? "" : "s")")
              + "; kept \(history.keptCommits)")
        }
      }
    }

    /// One result pruning removes, as `--dry-run` lists it: what it was a run of, then its file
    /// in the store.
    static func line(_ entry: StorePruneWorkflow.Entry, store: String) -> String {
      let file =
        entry.path.hasPrefix(store + "/")
        ? String(entry.path.dropFirst(store.count + 1)) : entry.path
      return
        "\(entry.behavior) \(entry.behaviorId.prefix(17)) \(entry.evalSet) \(entry.caseId) "
        + "repeat \(entry.repeatIndex)  \(file)"
    }
  }

  /// `promptgate store push [REMOTE]`: share this clone's results through the git remote.
  public struct Push: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
      abstract: "Add this clone's results to refs/promptgate/results on the remote.",
      usage: "promptgate-store push [<options>] [<remote>]",
      discussion: """
        Writes every result and judge verdict this clone stored that the remote's ref lacks as \
        blobs in its tree (results/ab/KEY.json), commits on top of the remote's commit and \
        pushes without --force and with --no-verify. Entries the remote removed since this \
        clone last fetched (a prune) are not added back; where both hold an entry, the \
        remote's stays. A push that loses a race fetches, merges and tries again, 5 times at \
        most. Refused under a pull or merge request's CI event: results decide verdicts, so \
        only jobs of the default and release branches may write them (see docs/ci.md).

        Exit status: 0 pushed (or nothing to add), 2 refused (a pull request's job), 3 the \
        push failed (no rights, no network), 4 lost the race 5 times or the store unreadable.
        """)

    @OptionGroup public var common: CommonOptions

    @Option(help: ArgumentHelp("The store's directory.", valueName: "path"))
    public var store: String?

    @Argument(help: "The remote (a name or a URL).")
    public var remote = "origin"

    public init() {}

    public func run() async throws {
      if let event = CIDetector.pullRequestEvent(in: ProcessInfo.processInfo.environment) {
        throw PromptGateError(
          .usage,
          "store push is refused under \(event): a pull request's job must not write the results other gates trust; push from a job of the default or release branches (see docs/ci.md)"
        )
      }
      let shared = try StoreCommand.shared(common, store: store, remote: remote)
      let pushed = try shared.push()
      let shown = ReleasePush.redacted(remote)
      if pushed.added == 0 {
        Output.write("promptgate-store: \(shown) has every result of this clone already")
      } else {
        let retries = pushed.retries > 0 ? " after \(pushed.retries) lost races" : ""
        Output.write(
          "promptgate-store: pushed \(pushed.added) results to \(shown) \(SharedResults.reference)\(retries)"
        )
      }
    }
  }

  /// `promptgate store fetch [REMOTE]`: read the results shared through the git remote.
  public struct Fetch: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
      abstract: "Fetch refs/promptgate/results and make its results readable by the gate.",
      usage: "promptgate-store fetch [<options>] [<remote>]",
      discussion: """
        Fetches the remote's refs/promptgate/results into refs/promptgate/fetched. The gate \
        reads its entries from git's objects there, apart from what this clone wrote, where \
        this clone has none: nothing is copied into the store. In a pull or merge request's CI job they serve \
        the baseline's behavior versions only: the head always runs in the job.

        Exit status: 0 fetched (or the remote has no shared results yet), 3 the fetch failed, \
        4 the store cannot be written.
        """)

    @OptionGroup public var common: CommonOptions

    @Option(help: ArgumentHelp("The store's directory.", valueName: "path"))
    public var store: String?

    @Argument(help: "The remote (a name or a URL).")
    public var remote = "origin"

    public init() {}

    public func run() async throws {
      let shared = try StoreCommand.shared(common, store: store, remote: remote)
      let fetched = try shared.fetch()
      let shown = ReleasePush.redacted(remote)
      guard let commit = fetched.commit else {
        Output.write("promptgate-store: \(shown) has no shared results yet")
        return
      }
      Output.write(
        "promptgate-store: fetched \(SharedResults.reference) at \(commit.prefix(12)) from \(shown): \(fetched.added) entries new or changed since the last fetch, \(fetched.removed) removed"
      )
    }
  }

  /// The store (`--store`, else the repository's own) shared through `remote`.
  static func shared(_ common: CommonOptions, store: String?, remote: String) throws
    -> SharedResults
  {
    let repository = try common.workspace().repository
    return SharedResults(
      store: ResultStore(
        directory: store ?? ResultStore.defaultDirectory(commonDir: repository.commonDir)),
      remote: remote, directory: repository.workdir ?? repository.gitDir)
  }
}
