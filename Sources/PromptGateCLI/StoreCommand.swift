import ArgumentParser
import Foundation
import GitKit
import PromptGateCore

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
      abstract: "Print the result store's directory.")

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
      discussion: """
        Keeps every result whose behavior version is the version at the index, at the tip of a
        local branch or tag, or at one of the last --keep commits of each local branch's
        first-parent history; removes the rest. Judge verdicts are kept.
        """)

    @OptionGroup public var common: CommonOptions

    @Option(help: ArgumentHelp("The store's directory.", valueName: "path"))
    public var store: String?

    @Option(help: ArgumentHelp("Commits per branch whose versions are kept.", valueName: "n"))
    public var keep = 100

    @Flag(help: "List what would be removed, remove nothing.")
    public var dryRun = false

    public init() {}

    public func run() async throws {
      let workspace = try common.workspace()
      let repository = workspace.repository
      let results = ResultStore(
        directory: store ?? ResultStore.defaultDirectory(commonDir: repository.commonDir))
      var needed = Set<String>()
      func collect(_ side: Side) {
        guard let state = try? workspace.state(of: side) else { return }
        for (_, behavior) in state.behaviors {
          if let id = behavior.version?.id { needed.insert(id.description) }
        }
      }
      if !repository.isBare { collect(.index) }
      for name in try repository.referenceNames()
      where name.hasPrefix("refs/heads/") || name.hasPrefix("refs/tags/") {
        guard var commit = try? repository.resolveCommit(name) else { continue }
        let firstParentDepth = name.hasPrefix("refs/heads/") ? keep : 1
        for _ in 0..<firstParentDepth {
          collect(.revision(commit.hex))
          guard let parent = try repository.commit(commit).parents.first else { break }
          commit = parent
        }
      }
      let removed = try results.withLock(exclusive: true) { () -> Int in
        var count = 0
        for (path, behaviorId) in results.allResults() where !needed.contains(behaviorId) {
          count += 1
          if dryRun {
            Output.write(path)
          } else {
            try? FileManager.default.removeItem(atPath: path)
          }
        }
        return count
      }
      Output.error(
        "promptgate-store: \(dryRun ? "would remove" : "removed") \(removed) results; kept those of \(needed.count) behavior versions"
      )
    }
  }
}
