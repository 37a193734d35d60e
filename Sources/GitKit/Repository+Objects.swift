internal import Clibgit2

extension Repository {
  /// The bytes of the blob `id` (wraps `git_blob_lookup`).
  public func blobContents(_ id: ObjectID) throws -> [UInt8] {
    var oid = id.oid
    var blob: OpaquePointer?
    let code = git_blob_lookup(&blob, try handle, &oid)
    if code == GIT_ENOTFOUND.rawValue {
      throw GitError(.notFound, "object \(id.hex) is missing from the repository")
    }
    try check(code, "git_blob_lookup")
    defer { git_blob_free(blob) }
    let size = Int(git_blob_rawsize(blob))
    guard size > 0, let raw = git_blob_rawcontent(blob) else { return [] }
    return Array(UnsafeRawBufferPointer(start: raw, count: size))
  }

  /// Runs `body` with the tree `id`, freed afterwards (wraps `git_tree_lookup`).
  func withTree<R>(_ id: ObjectID, _ body: (OpaquePointer) throws -> R) throws -> R {
    var oid = id.oid
    var tree: OpaquePointer?
    try check(git_tree_lookup(&tree, try handle, &oid), "git_tree_lookup")
    defer { git_tree_free(tree) }
    guard let tree else { throw GitError(.other, "libgit2 found no tree \(id.hex)") }
    return try body(tree)
  }
}

extension Repository {
  /// The object `id` read through libgit2's object database (wraps `git_odb_read`): what the
  /// direct reader declines, and what the tests check it against; nil when it is missing.
  func libgit2Object(_ id: ObjectID) throws -> GitObject? {
    var database: OpaquePointer?
    try check(git_repository_odb(&database, try handle), "git_repository_odb")
    defer { git_odb_free(database) }
    var oid = id.oid
    var object: OpaquePointer?
    let code = git_odb_read(&object, database, &oid)
    if code == GIT_ENOTFOUND.rawValue { return nil }
    try check(code, "git_odb_read")
    defer { git_odb_object_free(object) }
    guard let kind = GitObject.Kind(rawValue: Int(git_odb_object_type(object).rawValue)) else {
      return nil
    }
    let size = git_odb_object_size(object)
    let data =
      size == 0
      ? [] : Array(UnsafeRawBufferPointer(start: git_odb_object_data(object), count: size))
    return GitObject(kind: kind, data: data)
  }
}

/// libgit2's object database as an ``ObjectSource``: the last source, which declines nothing
/// (a missing object is nil, a corrupt one a thrown ``GitError`` with libgit2's message).
final class Libgit2Objects: ObjectSource {
  private unowned let repository: Repository

  init(repository: Repository) { self.repository = repository }

  func read(_ id: ObjectID) throws -> GitObject? {
    do {
      return try repository.libgit2Object(id)
    } catch let error as GitError {
      throw GitError(
        error.kind,
        "object \(id.hex) cannot be read: \(error.message)\n"
          + "  fix: `git fsck` names the damaged files; fetch or clone the repository again",
        function: error.function)
    }
  }
}
