internal import Clibgit2

/// A tag: its name, the commit it leads to and, when annotated, its message and tagger.
public struct GitTag: Sendable, Equatable {
  /// The name without `refs/tags/` (`promptgate/bot/0cfe97675b35`).
  public let name: String
  /// The tag object's id for an annotated tag; the commit's for a lightweight one.
  public let object: ObjectID
  /// The commit the tag peels to.
  public let target: ObjectID
  /// The annotated tag's message; nil for a lightweight tag.
  public let message: String?
  /// Who made the annotated tag, and when; nil for a lightweight tag or one without a tagger.
  public let tagger: GitSignature?
}

extension Repository {
  /// True when `refs/tags/<name>` is a valid reference name (`git check-ref-format`).
  public func isValidTagName(_ name: String) -> Bool {
    _ = libgit2Started
    var valid: Int32 = 0
    guard git_reference_name_is_valid(&valid, "refs/tags/" + name) == 0 else { return false }
    return valid == 1
  }

  /// Creates the annotated tag `name` on the commit `target`, never replacing one: returns false
  /// when a tag of that name already exists (whatever it points to), true when it made it.
  @discardableResult
  public func createAnnotatedTag(
    name: String, target: ObjectID, message: String, tagger: GitSignature
  ) throws -> Bool {
    guard isValidTagName(name) else {
      throw GitError(.invalid, "'\(name)' is not a valid tag name")
    }
    var oid = target.oid
    var object: OpaquePointer?
    try check(git_object_lookup(&object, try handle, &oid, GIT_OBJECT_COMMIT), "git_object_lookup")
    defer { git_object_free(object) }
    var signature: UnsafeMutablePointer<git_signature>?
    try check(
      git_signature_new(
        &signature, tagger.name, tagger.email, git_time_t(tagger.time),
        Int32(tagger.offsetMinutes)),
      "git_signature_new")
    defer { git_signature_free(signature) }
    var created = git_oid()
    let text = message.hasSuffix("\n") ? message : message + "\n"
    let code = git_tag_create(&created, try handle, name, object, signature, text, 0)
    if code == GIT_EEXISTS.rawValue { return false }
    try check(code, "git_tag_create")
    return true
  }

  /// The tag `name` (without `refs/tags/`), or nil when there is none or it leads to no commit.
  public func tag(named name: String) throws -> GitTag? {
    var oid = git_oid()
    let code = git_reference_name_to_id(&oid, try handle, "refs/tags/" + name)
    if code == GIT_ENOTFOUND.rawValue || code == GIT_EINVALIDSPEC.rawValue { return nil }
    try check(code, "git_reference_name_to_id")
    return try readTag(name: name, id: oid)
  }

  /// Every tag whose name starts with `prefix` (without `refs/tags/`) and leads to a commit,
  /// in name order.
  public func tags(prefix: String) throws -> [GitTag] {
    let full = "refs/tags/" + prefix
    return try referenceNames().filter { $0.hasPrefix(full) }.compactMap {
      try tag(named: String($0.dropFirst("refs/tags/".count)))
    }
  }

  private func readTag(name: String, id: git_oid) throws -> GitTag? {
    var oid = id
    var object: OpaquePointer?
    let code = git_object_lookup(&object, try handle, &oid, GIT_OBJECT_ANY)
    if code == GIT_ENOTFOUND.rawValue { return nil }
    try check(code, "git_object_lookup")
    defer { git_object_free(object) }
    var commit: OpaquePointer?
    guard git_object_peel(&commit, object, GIT_OBJECT_COMMIT) == 0 else { return nil }
    defer { git_object_free(commit) }
    let target = ObjectID(git_object_id(commit))
    guard git_object_type(object) == GIT_OBJECT_TAG else {
      return GitTag(name: name, object: target, target: target, message: nil, tagger: nil)
    }
    let message = git_tag_message(object).map { String(cString: $0) } ?? ""
    return GitTag(
      name: name, object: ObjectID(oid), target: target, message: message,
      tagger: git_tag_tagger(object).map { GitSignature($0.pointee) })
  }
}
