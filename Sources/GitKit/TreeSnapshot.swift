internal import Clibgit2

/// The files of one commit's tree, read from git objects only.
public final class TreeSnapshot: Snapshot {
  /// The repository the tree belongs to.
  public let repository: Repository
  /// The commit whose tree this is.
  public let commit: ObjectID
  /// The commit's root tree.
  public let treeID: ObjectID
  public let label: String

  init(repository: Repository, commit: ObjectID, label: String) throws {
    self.repository = repository
    self.commit = commit
    self.label = label
    var oid = commit.oid
    var object: OpaquePointer?
    try check(git_commit_lookup(&object, try repository.handle, &oid), "git_commit_lookup")
    defer { git_commit_free(object) }
    treeID = ObjectID(git_commit_tree_id(object))
  }

  public func location(of path: String) -> String { "\(label):\(path)" }

  public func entry(at path: String) throws -> FileEntry? {
    guard !path.isEmpty else { return nil }
    return try repository.withTree(treeID) { tree in
      var entry: OpaquePointer?
      let code = git_tree_entry_bypath(&entry, tree, path)
      if code == GIT_ENOTFOUND.rawValue { return nil }
      try check(code, "git_tree_entry_bypath")
      defer { git_tree_entry_free(entry) }
      return entry.flatMap { Self.fileEntry($0, path: path) }
    }
  }

  public func objectID(at path: String) throws -> ObjectLookup {
    guard !path.isEmpty else { return .object(treeID) }
    return try repository.withTree(treeID) { tree in
      var entry: OpaquePointer?
      let code = git_tree_entry_bypath(&entry, tree, path)
      if code == GIT_ENOTFOUND.rawValue { return .absent }
      try check(code, "git_tree_entry_bypath")
      defer { git_tree_entry_free(entry) }
      return .object(ObjectID(git_tree_entry_id(entry)))
    }
  }

  public func files(under directory: String) throws -> [FileEntry] {
    var subtree = treeID
    if !directory.isEmpty {
      let found: ObjectID? = try repository.withTree(treeID) { tree in
        var entry: OpaquePointer?
        let code = git_tree_entry_bypath(&entry, tree, directory)
        if code == GIT_ENOTFOUND.rawValue { return nil }
        try check(code, "git_tree_entry_bypath")
        defer { git_tree_entry_free(entry) }
        guard git_tree_entry_type(entry) == GIT_OBJECT_TREE else { return nil }
        return ObjectID(git_tree_entry_id(entry))
      }
      guard let found else { return [] }
      subtree = found
    }
    var result: [FileEntry] = []
    try collect(subtree, prefix: directory.isEmpty ? "" : directory + "/", into: &result)
    return result.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
  }

  public func contents(of entry: FileEntry) throws -> [UInt8] {
    guard let id = entry.id else { return [] }
    return try repository.blobContents(id)
  }

  private func collect(_ tree: ObjectID, prefix: String, into result: inout [FileEntry]) throws {
    var subtrees: [(ObjectID, String)] = []
    var unsafe: (String, String)?
    try repository.withTree(tree) { pointer in
      for index in 0..<git_tree_entrycount(pointer) {
        guard let entry = git_tree_entry_byindex(pointer, index) else { continue }
        let name = String(cString: git_tree_entry_name(entry))
        if let problem = PathSafety.problem(inName: name) {
          unsafe = unsafe ?? (prefix + name, problem)
          continue
        }
        if git_tree_entry_type(entry) == GIT_OBJECT_TREE {
          subtrees.append((ObjectID(git_tree_entry_id(entry)), prefix + name + "/"))
        } else if let file = Self.fileEntry(entry, path: prefix + name) {
          result.append(file)
        }
      }
    }
    if let (path, _) = unsafe { try PathSafety.check(path, at: label) }
    for (id, path) in subtrees { try collect(id, prefix: path, into: &result) }
  }

  private static func fileEntry(_ entry: OpaquePointer, path: String) -> FileEntry? {
    guard let mode = FileMode(gitMode: git_tree_entry_filemode(entry).rawValue) else { return nil }
    return FileEntry(path: path, mode: mode, id: ObjectID(git_tree_entry_id(entry)))
  }
}
