internal import Clibgit2
import Foundation

/// What a history walk needs of a commit: its id, parents, tree and time.
public struct Commit: Hashable, Sendable {
  /// The commit's id.
  public let id: ObjectID
  /// Its parents' ids, first parent first (read without loading the parents).
  public let parents: [ObjectID]
  /// Its root tree.
  public let tree: ObjectID
  /// The committer time, in seconds since the epoch.
  public let time: Int64

  /// Creates a commit from its fields (as a cache of an earlier walk holds them).
  public init(id: ObjectID, parents: [ObjectID], tree: ObjectID, time: Int64) {
    self.id = id
    self.parents = parents
    self.tree = tree
    self.time = time
  }
}

/// Commits a caller already knows, from a cache of an earlier walk: a history walk asks it
/// before reading a commit that the commit-graph does not hold.
public protocol KnownCommits: AnyObject {
  /// The commit `id`, when known.
  func knownCommit(_ id: ObjectID) -> Commit?
}

extension Repository {
  /// Reads commit `id`: from the commit-graph when it holds it, else from the object files,
  /// else through `git_commit_lookup`.
  public func commit(_ id: ObjectID) throws -> Commit {
    if let graph = commitGraph, let position = graph.position(of: id),
      let commit = graph.commit(at: position)
    {
      return commit
    }
    return try storedCommit(id) ?? libgit2Commit(id)
  }

  /// Reads commit `id` straight from the loose objects and packs, parsing its header without
  /// libgit2 (nor libgit2's hash check of every object read, which git skips on ordinary reads
  /// too); nil when the direct reader declines it or its header is not one this parser reads,
  /// and the caller should ask libgit2.
  func storedCommit(_ id: ObjectID) throws -> Commit? {
    guard let reader = objectReader, let fields = try reader.commitFields(id) else { return nil }
    return Commit(id: id, parents: fields.parents, tree: fields.tree, time: fields.time)
  }

  /// Reads commit `id` through libgit2 alone (wraps `git_commit_lookup`).
  func libgit2Commit(_ id: ObjectID) throws -> Commit {
    var oid = id.oid
    var commit: OpaquePointer?
    let code = git_commit_lookup(&commit, try handle, &oid)
    if code == GIT_ENOTFOUND.rawValue {
      throw GitError(.notFound, "commit \(id.hex) is missing from the repository")
    }
    try check(code, "git_commit_lookup")
    defer { git_commit_free(commit) }
    let count = git_commit_parentcount(commit)
    let parents = (0..<count).compactMap { git_commit_parent_id(commit, $0).map(ObjectID.init) }
    return Commit(
      id: id, parents: parents, tree: ObjectID(git_commit_tree_id(commit)),
      time: git_commit_time(commit))
  }

  /// Every commit reachable from `id` (itself included), not going past `boundary` (a shallow
  /// clone's edge). With a commit-graph the walk runs over graph positions, reading no commit.
  public func ancestors(of id: ObjectID, boundary: Set<ObjectID>) throws -> Set<ObjectID> {
    if let graph = commitGraph, let start = graph.position(of: id) {
      var seen = [Bool](repeating: false, count: graph.count)
      var stack = [start]
      var parents: [Int] = []
      var result: Set<ObjectID> = []
      seen[start] = true
      while let next = stack.popLast() {
        guard let nextID = graph.id(at: next) else { break }
        result.insert(nextID)
        if boundary.contains(nextID) { continue }
        guard graph.parentPositions(at: next, into: &parents) else { break }
        for parent in parents where parent < seen.count && !seen[parent] {
          seen[parent] = true
          stack.append(parent)
        }
      }
      if stack.isEmpty { return result }
    }
    var seen: Set<ObjectID> = [id]
    var stack = [id]
    while let next = stack.popLast() {
      for parent in boundary.contains(next) ? [] : try commit(next).parents
      where seen.insert(parent).inserted {
        stack.append(parent)
      }
    }
    return seen
  }

  /// The commits a shallow clone's history stops at (`$GIT_DIR/shallow`); empty when not shallow.
  ///
  /// libgit2 1.5 does not apply shallow grafts: walking to a boundary commit's parents fails with
  /// "object not found", so walks must stop at these commits themselves.
  public func shallowBoundary() -> Set<ObjectID> {
    guard let text = try? String(contentsOfFile: commonDir + "/shallow", encoding: .utf8) else {
      return []
    }
    return Set(text.split(separator: "\n").compactMap { ObjectID(hex: String($0)) })
  }
}
