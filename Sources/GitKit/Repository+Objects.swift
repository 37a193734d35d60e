import Clibgit2

extension Repository {
  /// The bytes of the blob `id` (wraps `git_blob_lookup`).
  public func blobContents(_ id: ObjectID) throws -> [UInt8] {
    var oid = id.oid
    var blob: OpaquePointer?
    let code = git_blob_lookup(&blob, handle, &oid)
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
    try check(git_tree_lookup(&tree, handle, &oid), "git_tree_lookup")
    defer { git_tree_free(tree) }
    return try body(tree!)
  }
}
