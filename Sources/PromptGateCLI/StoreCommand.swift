import ArgumentParser
import Foundation
import GitKit
import PromptGateCore
import PromptGateWorkflows

/// `promptgate-store`: look after the result store.
public struct StoreCommand: AsyncParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "promptgate-store",
    abstract: "Manage the gate's result store.",
    subcommands: [Prune.self, Path.self])

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
        first-parent history, and removes the rest. Judge verdicts are never pruned.

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

    public init() {}

    public mutating func validate() throws {
      if keep < 0 { throw ValidationError("--keep takes 0 or more commits, not \(keep)") }
    }

    public func run() async throws {
      let workspace = try common.workspace()
      let directory =
        store ?? ResultStore.defaultDirectory(commonDir: workspace.repository.commonDir)
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
}
