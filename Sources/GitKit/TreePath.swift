internal import Clibgit2

/// A repository path split into its components once, for repeated tree lookups.
public struct TreePath: Hashable, Sendable {
  /// The path's components; empty for the root.
  public let components: [String]
  /// The components' UTF-8 bytes, as tree objects store names.
  let bytes: [[UInt8]]

  /// The path, components joined by `/` ("" for the root).
  public var text: String { components.joined(separator: "/") }

  /// Splits `path` at `/`.
  public init(_ path: String) {
    components = path.split(separator: "/").map(String.init)
    bytes = components.map { Array($0.utf8) }
  }
}

/// For each path of a fixed list, the first-level tree entry id last seen and the path's result
/// then: what lets a history walk skip subtrees that did not change.
public final class TreePathMemo {
  /// The paths.
  public let paths: [TreePath]
  /// Each path's first component (empty for the root), looked up in every root tree at once.
  let firstNames: [[UInt8]]
  /// What the last root tree held under those names.
  var firstEntries: [(UInt32, ObjectID)?] = []
  var seen: [Bool]
  var firstLevel: [ObjectID?]
  var results: [ObjectID?]

  /// Creates an empty memo for `paths`.
  public init(paths: [TreePath]) {
    self.paths = paths
    firstNames = paths.map { $0.bytes.first ?? [] }
    seen = Array(repeating: false, count: paths.count)
    firstLevel = Array(repeating: nil, count: paths.count)
    results = Array(repeating: nil, count: paths.count)
  }
}

extension Repository {
  /// The ids of the entries at `paths` in tree `tree` (nil where a path does not exist).
  public func entryIDs(in tree: ObjectID, at paths: [TreePath]) throws -> [ObjectID?] {
    try entryIDs(in: tree, memo: TreePathMemo(paths: paths))
  }

  /// The ids of the entries at `memo`'s paths in tree `tree`.
  public func entryIDs(in tree: ObjectID, memo: TreePathMemo) throws -> [ObjectID?] {
    var result: [ObjectID?] = []
    result.reserveCapacity(memo.paths.count)
    try visitEntryIDs(in: tree, memo: memo) { _, id in
      result.append(id)
      return true
    }
    return result
  }

  /// True when the entries at `memo`'s paths in tree `tree` have the ids `expected`: what a
  /// history walk asks of each commit, answered without building the list and stopping at the
  /// first path that differs. `location`, from ``locations(of:)``, saves looking the tree up.
  public func entryIDs(
    in tree: ObjectID, memo: TreePathMemo, equal expected: [ObjectID?],
    location: ObjectLocation? = nil
  ) throws -> Bool {
    guard expected.count == memo.paths.count else { return false }
    var equal = true
    try visitEntryIDs(in: tree, location: location, memo: memo) { index, id in
      equal = id == expected[index]
      return equal
    }
    return equal
  }

  /// Where the objects `ids` lie in the packs, found in one pass over each pack's index: for a
  /// walk that reads one tree per commit of a long history.
  public func locations(of ids: [ObjectID]) -> [ObjectLocation?] {
    objectReader?.locate(ids) ?? Array(repeating: nil, count: ids.count)
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

  /// Calls `body` with the id at each of `memo`'s paths in tree `tree`, in order, until it
  /// returns false.
  ///
  /// The root tree is read once. A path whose first-level entry is the one `memo` last saw has
  /// the result it had then, so consecutive commits are mostly answered from their root tree
  /// alone.
  private func visitEntryIDs(
    in tree: ObjectID, location: ObjectLocation? = nil, memo: TreePathMemo,
    _ body: (Int, ObjectID?) -> Bool
  ) throws {
    guard let reader = objectReader, let root = try reader.read(tree, at: location),
      root.kind == .tree
    else {
      for (index, path) in memo.paths.enumerated() {
        guard body(index, try libgit2EntryID(in: tree, at: path)) else { return }
      }
      return
    }
    TreeEntries.find(memo.firstNames, in: root.data, into: &memo.firstEntries)
    for (index, path) in memo.paths.enumerated() {
      guard !path.bytes.isEmpty else {
        guard body(index, tree) else { return }
        continue
      }
      let first = memo.firstEntries[index]
      if path.bytes.count == 1 {
        guard body(index, first?.1) else { return }
        continue
      }
      if memo.seen[index], memo.firstLevel[index] == first?.1 {
        guard body(index, memo.results[index]) else { return }
        continue
      }
      var found: ObjectID?
      if let (mode, subtree) = first, mode == 0o040000 {
        if let direct = try descend(from: subtree, through: path.bytes.dropFirst(), reader: reader)
        {
          found = direct.id
        } else {
          found = try libgit2EntryID(in: tree, at: path)
        }
      }
      memo.seen[index] = true
      memo.firstLevel[index] = first?.1
      memo.results[index] = found
      guard body(index, found) else { return }
    }
  }

  /// The id at `components` below tree `tree`, read through ``ObjectReader``; nil when an
  /// object cannot be read that way. The inner optional is nil when the path does not exist.
  private func descend(
    from tree: ObjectID, through components: ArraySlice<[UInt8]>, reader: ObjectReader
  ) throws
    -> (id: ObjectID?, Void)?
  {
    var current = tree
    var isTree = true
    for name in components {
      guard isTree else { return (nil, ()) }
      guard let object = try reader.read(current), object.kind == .tree else { return nil }
      guard let (mode, found) = TreeEntries.find(name, in: object.data) else { return (nil, ()) }
      current = found
      isTree = mode == 0o040000
    }
    return (current, ())
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
