import Foundation
import GitKit

extension HistoryCache {
  /// What pruning did to a store's history caches (or, in a dry run, would do).
  public struct Pruned: Sendable, Equatable {
    /// Files removed: unreadable, or of another format.
    public var removedFiles: [String] = []
    /// Commits dropped because no local branch, tag or HEAD reaches them any more (a rewritten
    /// or deleted history).
    public var droppedCommits = 0
    /// Commits kept.
    public var keptCommits = 0
  }

  /// Prunes the history caches beside the store at `storeDirectory`: removes the files that
  /// cannot be read as this format, and drops from the others every commit that HEAD, no local
  /// branch and no tag reaches. The caller holds the store's exclusive lock.
  public static func prune(storeDirectory: String, repository: Repository, dryRun: Bool) throws
    -> Pruned
  {
    let folder = directory(storeDirectory: storeDirectory)
    let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
    var pruned = Pruned()
    var tips: [ObjectID] = []
    if let head = try? repository.headCommit() { tips.append(head) }
    for name in try repository.referenceNames()
    where name.hasPrefix("refs/heads/") || name.hasPrefix("refs/tags/") {
      if let commit = try? repository.resolveCommit(name) { tips.append(commit) }
    }
    let boundary = repository.shallowBoundary()
    let store = ResultStore(directory: storeDirectory)
    for name in names {
      let path = folder + "/" + name
      guard name.hasSuffix(".cache") || name.hasPrefix(".tmp-") else { continue }
      guard !name.hasPrefix(".tmp-"), let cache = try? HistoryCache(reading: path, store: store)
      else {
        pruned.removedFiles.append(path)
        if !dryRun { try? FileManager.default.removeItem(atPath: path) }
        continue
      }
      let reachable = cache.reachable(from: tips, in: repository, boundary: boundary)
      let dropped = cache.dropRecords(keeping: reachable)
      pruned.droppedCommits += dropped
      pruned.keptCommits += cache.count
      if dropped > 0 && !dryRun { try cache.write() }
    }
    return pruned
  }

  /// The commits of this cache that `tips` reach, following the cached parents and reading the
  /// commits it does not hold (a commit that cannot be read ends that path).
  private func reachable(from tips: [ObjectID], in repository: Repository, boundary: Set<ObjectID>)
    -> Set<ObjectID>
  {
    var seen = Set(tips)
    var stack = tips
    var found: Set<ObjectID> = []
    while let next = stack.popLast() {
      let record = addedRecord(next)
      if record != nil { found.insert(next) }
      guard !boundary.contains(next),
        let parents = record?.parents ?? (try? repository.commit(next).parents)
      else { continue }
      for parent in parents where seen.insert(parent).inserted { stack.append(parent) }
    }
    return found
  }
}
