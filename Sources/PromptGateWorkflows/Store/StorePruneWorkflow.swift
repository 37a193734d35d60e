import Foundation
import GitKit
import PromptGateCore

/// `store prune`: the stored results no recent commit needs, removed unless it is a dry run.
public enum StorePruneWorkflow {
  /// One stored result that pruning removes (or, in a dry run, would remove).
  public struct Entry: Sendable, Equatable {
    /// The result's file.
    public let path: String
    /// The behavior, its version id, the eval set, the case and the repeat it was a run of.
    public let behavior: String
    public let behaviorId: String
    public let evalSet: String
    public let caseId: String
    public let repeatIndex: Int
  }

  /// What pruning found and did.
  public struct Summary: Sendable {
    /// The results no kept version needs: removed, or listed in a dry run.
    public let removed: [Entry]
    /// How many results stay.
    public let keptResults: Int
    /// How many behavior versions' results are kept.
    public let keptVersions: Int
    /// How many judge verdicts the store holds; they are never pruned.
    public let judgements: Int
    /// True when nothing was removed.
    public let dryRun: Bool
    /// What pruning did to the history caches beside the store.
    public let history: HistoryCache.Pruned
  }

  /// The outcome of a prune.
  public enum Outcome: Sendable {
    /// The store's directory does not exist: nothing was read, made or removed.
    case noStore(directory: String)
    /// The store was pruned (or, in a dry run, read).
    case pruned(Summary)
  }

  /// Keeps every result whose behavior version is the version at the index, at the tip of a
  /// local branch or tag, or at one of the last `keep` commits of each local branch's
  /// first-parent history, and removes the rest (nothing when `dryRun`), under the store's
  /// exclusive lock so that no running gate loses what it is about to read. The history caches
  /// beside the store lose the commits no branch, tag or HEAD reaches, and unreadable files.
  public static func run(workspace: Workspace, store: ResultStore, keep: Int, dryRun: Bool)
    throws -> Outcome
  {
    // Taking the lock would make the directory: a missing store is reported, not created.
    guard store.exists else { return .noStore(directory: store.directory) }
    let needed = try neededVersions(workspace: workspace, keep: keep)
    return try store.withLock(exclusive: true) { () -> Outcome in
      var removed: [Entry] = []
      var kept = 0
      for (path, result) in store.storedResults() {
        guard !needed.contains(result.behaviorId) else {
          kept += 1
          continue
        }
        removed.append(
          Entry(
            path: path, behavior: result.behavior, behaviorId: result.behaviorId,
            evalSet: result.evalSet, caseId: result.caseId, repeatIndex: result.repeatIndex))
        if !dryRun { try? FileManager.default.removeItem(atPath: path) }
      }
      let history = try HistoryCache.prune(
        storeDirectory: store.directory, repository: workspace.repository, dryRun: dryRun)
      return .pruned(
        Summary(
          removed: removed, keptResults: kept, keptVersions: needed.count,
          judgements: store.judgementPaths().count, dryRun: dryRun, history: history))
    }
  }

  /// Prunes the results shared on `remote` (`store prune --shared`) to what the same versions
  /// need, from a fresh fetch of its ref.
  public static func runShared(
    workspace: Workspace, store: ResultStore, remote: String, keep: Int, dryRun: Bool
  ) throws -> SharedResults.Pruned {
    let repository = workspace.repository
    let needed = try neededVersions(workspace: workspace, keep: keep)
    return try SharedResults(
      store: store, remote: remote, directory: repository.workdir ?? repository.gitDir
    ).prune(keeping: needed, dryRun: dryRun)
  }

  /// The ids of the behavior versions whose results are kept.
  static func neededVersions(workspace: Workspace, keep: Int) throws -> Set<String> {
    let repository = workspace.repository
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
    return needed
  }
}
