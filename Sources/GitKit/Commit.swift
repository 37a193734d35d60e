import Clibgit2
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
}

extension Repository {
  /// Reads commit `id`: from the commit-graph when it holds it, else through `git_commit_lookup`.
  public func commit(_ id: ObjectID) throws -> Commit {
    if let graph = commitGraph, let position = graph.position(of: id),
      let commit = graph.commit(at: position)
    {
      return commit
    }
    return try libgit2Commit(id)
  }

  /// Reads commit `id` through libgit2 alone (wraps `git_commit_lookup`).
  func libgit2Commit(_ id: ObjectID) throws -> Commit {
    var oid = id.oid
    var commit: OpaquePointer?
    let code = git_commit_lookup(&commit, handle, &oid)
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

  /// The ids of the entries at `paths` in tree `tree` (nil where a path does not exist).
  public func entryIDs(in tree: ObjectID, at paths: [TreePath]) throws -> [ObjectID?] {
    try entryIDs(in: tree, memo: TreePathMemo(paths: paths))
  }

  /// The ids of the entries at `memo`'s paths in tree `tree`.
  ///
  /// The root tree is read once and not cached (a history walk meets each root once). A path
  /// whose first-level entry is the one `memo` last saw has the result it had then, so
  /// consecutive commits are mostly answered from their root tree alone.
  public func entryIDs(in tree: ObjectID, memo: TreePathMemo) throws -> [ObjectID?] {
    guard let reader = objectReader, let root = reader.read(tree), root.kind == .tree else {
      return try memo.paths.map { try libgit2EntryID(in: tree, at: $0) }
    }
    var result: [ObjectID?] = []
    result.reserveCapacity(memo.paths.count)
    for (index, path) in memo.paths.enumerated() {
      guard let name = path.bytes.first else {
        result.append(tree)
        continue
      }
      let first = TreeEntries.find(name, in: root.data)
      if path.bytes.count == 1 {
        result.append(first?.1)
        continue
      }
      if memo.seen[index], memo.firstLevel[index] == first?.1 {
        result.append(memo.results[index])
        continue
      }
      var found: ObjectID?
      if let (mode, subtree) = first, mode == 0o040000 {
        if let direct = descend(from: subtree, through: path.bytes.dropFirst(), reader: reader) {
          found = direct.id
        } else {
          found = try libgit2EntryID(in: tree, at: path)
        }
      }
      memo.seen[index] = true
      memo.firstLevel[index] = first?.1
      memo.results[index] = found
      result.append(found)
    }
    return result
  }

  /// True when any of `paths` names different content in trees `a` and `b`.
  ///
  /// Compares tree entry ids along each path level by level and descends only where an id
  /// changed, so unchanged subtrees are never read. An empty path stands for the whole tree.
  public func treesDiffer(_ a: ObjectID, _ b: ObjectID, under paths: [TreePath]) throws -> Bool {
    if a == b { return false }
    for path in paths {
      if try entryID(in: a, at: path) != entryID(in: b, at: path) { return true }
    }
    return false
  }

  /// The id of the entry at `path` in tree `tree` (the tree itself for ""), nil when absent.
  public func entryID(in tree: ObjectID, at path: TreePath) throws -> ObjectID? {
    try entryIDs(in: tree, at: [path])[0]
  }

  /// The id at `components` below tree `tree`, read through ``ObjectReader``; nil when an
  /// object cannot be read that way. The inner optional is nil when the path does not exist.
  private func descend(
    from tree: ObjectID, through components: ArraySlice<[UInt8]>, reader: ObjectReader
  )
    -> (id: ObjectID?, Void)?
  {
    var current = tree
    var isTree = true
    for name in components {
      guard isTree else { return (nil, ()) }
      guard let data = treeData(current, reader: reader) else { return nil }
      guard let (mode, found) = TreeEntries.find(name, in: data) else { return (nil, ()) }
      current = found
      isTree = mode == 0o040000
    }
    return (current, ())
  }

  private func treeData(_ id: ObjectID, reader: ObjectReader) -> [UInt8]? {
    if let cached = treeCache[id] { return cached }
    guard let object = reader.read(id), object.kind == .tree else { return nil }
    if treeCache.count > 4096 { treeCache.removeAll(keepingCapacity: true) }
    treeCache[id] = object.data
    return object.data
  }

  func libgit2EntryID(in tree: ObjectID, at path: TreePath) throws -> ObjectID? {
    var current = tree
    var isTree = true
    for name in path.components {
      guard isTree else { return nil }
      let next: (ObjectID, Bool)? = try withTree(current) { pointer in
        guard let entry = git_tree_entry_byname(pointer, name) else { return nil }
        return (ObjectID(git_tree_entry_id(entry)), git_tree_entry_type(entry) == GIT_OBJECT_TREE)
      }
      guard let next else { return nil }
      (current, isTree) = next
    }
    return current
  }
}

/// For each path of a fixed list, the first-level tree entry id last seen and the path's result
/// then: what lets a history walk skip subtrees that did not change.
public final class TreePathMemo {
  /// The paths.
  public let paths: [TreePath]
  var seen: [Bool]
  var firstLevel: [ObjectID?]
  var results: [ObjectID?]

  /// Creates an empty memo for `paths`.
  public init(paths: [TreePath]) {
    self.paths = paths
    seen = Array(repeating: false, count: paths.count)
    firstLevel = Array(repeating: nil, count: paths.count)
    results = Array(repeating: nil, count: paths.count)
  }
}

/// A repository path split into its components once, for repeated tree lookups.
public struct TreePath: Hashable, Sendable {
  /// The path's components; empty for the root.
  public let components: [String]
  /// The components' UTF-8 bytes, as tree objects store names.
  let bytes: [[UInt8]]

  /// Splits `path` at `/`.
  public init(_ path: String) {
    components = path.split(separator: "/").map(String.init)
    bytes = components.map { Array($0.utf8) }
  }
}
