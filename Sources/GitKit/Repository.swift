import Clibgit2
import Foundation

/// An open git repository: owns the libgit2 handle and hands out snapshots of its sides.
///
/// A plain repository (found without libgit2 by ``GitLayout``) opens libgit2 only when something
/// needs it: a history walk over a repository with a commit-graph reads everything directly, and
/// starting libgit2 (Debian's build parses the system's CA bundle) would cost more than the walk's
/// slowest part.
public final class Repository {
  /// libgit2's handle once opened.
  private var openedHandle: OpaquePointer?
  private let handleLock = NSLock()
  /// How the repository was found without libgit2, when it was.
  let layout: GitLayout?

  /// The working tree's root with no trailing slash; nil for a bare repository.
  public let workdir: String?
  /// The repository's own git directory (a linked worktree's private one).
  public let gitDir: String
  /// The git directory shared by every worktree (`$GIT_COMMON_DIR`).
  public let commonDir: String
  /// The commit-graph, read on first use; nil when the repository has none.
  lazy var commitGraph: CommitGraph? = CommitGraph(objects: commonDir + "/objects")
  /// Objects read directly, for history walks; nil when the repository uses alternates.
  lazy var objectReader: ObjectReader? = ObjectReader(directory: commonDir + "/objects")

  /// Opens the repository that contains `path`, honouring `GIT_DIR` and `GIT_WORK_TREE` as git does.
  public init(discoveringFrom path: String = FileManager.default.currentDirectoryPath) throws {
    if let layout = GitLayout.discover(from: path) {
      self.layout = layout
      workdir = layout.workdir
      gitDir = layout.gitDir
      commonDir = layout.commonDir
      return
    }
    layout = nil
    let pointer = try Repository.openHandle(path)
    openedHandle = pointer
    (workdir, gitDir, commonDir) = Repository.paths(of: pointer)
  }

  /// The working tree, git directory and common directory libgit2 finds for `path`: what
  /// ``GitLayout`` must agree with.
  static func libgit2Paths(_ path: String) throws -> (String?, String, String) {
    let pointer = try openHandle(path)
    defer { git_repository_free(pointer) }
    return paths(of: pointer)
  }

  private static func paths(of pointer: OpaquePointer) -> (String?, String, String) {
    (
      git_repository_workdir(pointer).map { trimmingSlash(String(cString: $0)) },
      trimmingSlash(String(cString: git_repository_path(pointer))),
      trimmingSlash(String(cString: git_repository_commondir(pointer)))
    )
  }

  deinit { if let openedHandle { git_repository_free(openedHandle) } }

  /// True once libgit2's handle is open.
  var isLibgit2Open: Bool {
    handleLock.lock()
    defer { handleLock.unlock() }
    return openedHandle != nil
  }

  /// libgit2's handle, opened now if the repository was found without it.
  var handle: OpaquePointer {
    get throws {
      handleLock.lock()
      defer { handleLock.unlock() }
      if let openedHandle { return openedHandle }
      // Only a repository found by ``GitLayout`` opens late, and it has a working tree.
      let pointer = try Repository.openHandle(workdir ?? gitDir)
      openedHandle = pointer
      return pointer
    }
  }

  /// Opens libgit2's handle on the repository containing `path`, with git's rules for
  /// `GIT_DIR`, `GIT_WORK_TREE`, `safe.directory` and the extensions libgit2 1.5 ignores.
  private static func openHandle(_ path: String) throws -> OpaquePointer {
    _ = libgit2Started
    let environment = ProcessInfo.processInfo.environment
    var opened: OpaquePointer?
    do {
      opened = try Repository.open(path, gitDir: environment["GIT_DIR"])
    } catch let error as GitError
      where error.kind == .untrustedOwner && Repository.trustsEveryDirectory()
    {
      // git honours `safe.directory=*`; libgit2 1.5 does not, so that trust is applied here.
      try check(promptgate_git_set_owner_validation(0), "git_libgit2_opts")
      opened = try Repository.open(path, gitDir: environment["GIT_DIR"])
    } catch let error as GitError {
      throw UnsupportedFormat.explain(error)
    }
    guard let pointer = opened else {
      throw GitError(.other, "libgit2 opened no repository at \(path)")
    }
    if let workTree = environment["GIT_WORK_TREE"], !workTree.isEmpty {
      let code = git_repository_set_workdir(
        pointer, Repository.absolute(workTree, relativeTo: path), 0)
      if code < 0 { git_repository_free(pointer) }
      try check(code, "git_repository_set_workdir")
    }
    // git honours these extensions even at repository format version 0, where libgit2 1.5
    // ignores them and would read the repository wrongly.
    for (name, unsupported) in [
      ("extensions.worktreeconfig", { (value: String) in value.lowercased() == "true" }),
      ("extensions.partialclone", { (_: String) in true }),
    ] {
      if let value = try? Repository.configString(name, of: pointer), unsupported(value) {
        git_repository_free(pointer)
        throw UnsupportedFormat.explain(
          GitError(.unsupportedRepository, "unsupported extension name \(name)"))
      }
    }
    return pointer
  }

  /// True when the repository has no working tree.
  public var isBare: Bool { workdir == nil }

  /// The commit HEAD points to, or nil while HEAD is unborn (no commit yet).
  public func headCommit() throws -> ObjectID? {
    if let id = layout?.resolve("HEAD") { return id }
    var oid = git_oid()
    let code = git_reference_name_to_id(&oid, try handle, "HEAD")
    if code == GIT_ENOTFOUND.rawValue || code == GIT_EUNBORNBRANCH.rawValue { return nil }
    try check(code, "git_reference_name_to_id")
    return ObjectID(oid)
  }

  /// Resolves a revision (`HEAD~2`, a branch, a tag, an id prefix) to the commit it names.
  public func resolveCommit(_ revision: String) throws -> ObjectID {
    // HEAD of a plain repository is read from its files when it names a commit they hold.
    if revision == "HEAD", let id = layout?.resolve("HEAD"), isStoredCommit(id) { return id }
    var object: OpaquePointer?
    let code = git_revparse_single(&object, try handle, revision)
    if code == GIT_ENOTFOUND.rawValue || code == GIT_EINVALIDSPEC.rawValue {
      var message = "unknown revision '\(revision)': no commit, branch or tag has that name"
      if !shallowBoundary().isEmpty {
        message += "\n  this is a shallow clone, which may not hold it; " + Repository.shallowFix
      }
      throw GitError(.notFound, message)
    }
    if code == GIT_EAMBIGUOUS.rawValue {
      throw GitError(.ambiguous, "revision '\(revision)' is ambiguous: give more digits")
    }
    try check(code, "git_revparse_single")
    defer { git_object_free(object) }
    var commit: OpaquePointer?
    let peeled = git_object_peel(&commit, object, GIT_OBJECT_COMMIT)
    if peeled < 0 {
      throw GitError(.invalid, "revision '\(revision)' does not name a commit")
    }
    defer { git_object_free(commit) }
    return ObjectID(git_object_id(commit))
  }

  /// True when `id` is a commit that the commit-graph or the direct object reader holds.
  private func isStoredCommit(_ id: ObjectID) -> Bool {
    commitGraph?.position(of: id) != nil || objectReader?.read(id)?.kind == .commit
  }

  /// The best common ancestor of two commits, as `git merge-base` finds it.
  public func mergeBase(_ first: ObjectID, _ second: ObjectID) throws -> ObjectID {
    var result = git_oid()
    var one = first.oid
    var two = second.oid
    let shallow = shallowBoundary()
    if !shallow.isEmpty {
      // libgit2 1.5 ignores shallow grafts: past the boundary it fails with "object not found".
      return try shallowMergeBase(first, second, boundary: shallow)
    }
    let code = git_merge_base(&result, try handle, &one, &two)
    if code == GIT_ENOTFOUND.rawValue {
      throw GitError(
        .notFound, "commits \(first.short) and \(second.short) have no common ancestor")
    }
    try check(code, "git_merge_base")
    return ObjectID(result)
  }

  /// What to do when a shallow clone lacks the history a command needs.
  public static let shallowFix =
    "fix: fetch the full history (git fetch --unshallow; `fetch-depth: 0` in actions/checkout; "
    + "`GIT_DEPTH: 0` in GitLab CI) or fetch the base commit (git fetch origin <sha>)"

  /// The merge-base within a shallow clone's history, or a clear error when it lies beyond.
  private func shallowMergeBase(_ first: ObjectID, _ second: ObjectID, boundary: Set<ObjectID>)
    throws
    -> ObjectID
  {
    var cut = false
    func parents(_ id: ObjectID) throws -> [ObjectID] {
      if boundary.contains(id) {
        cut = true
        return []
      }
      return try commit(id).parents
    }
    var reachable: Set<ObjectID> = [first]
    var stack = [first]
    while let next = stack.popLast() {
      for parent in try parents(next) where reachable.insert(parent).inserted {
        stack.append(parent)
      }
    }
    var queue = [second]
    var seen: Set<ObjectID> = [second]
    var index = 0
    while index < queue.count {
      let next = queue[index]
      index += 1
      if reachable.contains(next) { return next }
      for parent in try parents(next) where seen.insert(parent).inserted { queue.append(parent) }
    }
    if cut {
      throw GitError(
        .notFound,
        "the merge-base of \(first.short) and \(second.short) lies beyond this shallow clone's history\n  "
          + Repository.shallowFix)
    }
    throw GitError(.notFound, "commits \(first.short) and \(second.short) have no common ancestor")
  }

  /// The tree of `commit`, as a snapshot labelled `label` in messages.
  public func snapshot(of commit: ObjectID, label: String? = nil) throws -> TreeSnapshot {
    try TreeSnapshot(repository: self, commit: commit, label: label ?? commit.short)
  }

  /// The files of `commit`, whose root tree `tree` the caller already knows (from the
  /// commit-graph): read directly from the object files where possible, for a history walk
  /// that resolves many commits.
  public func snapshot(of commit: ObjectID, tree: ObjectID, label: String) throws -> Snapshot {
    guard let reader = objectReader else { return try snapshot(of: commit, label: label) }
    return StoredTreeSnapshot(repository: self, reader: reader, root: tree, label: label)
  }

  /// The index: the file named by `GIT_INDEX_FILE` when set (git points hooks at a temporary one
  /// under `git commit -a` and `git commit -- PATH`), else the repository's own.
  public func indexSnapshot() throws -> IndexSnapshot {
    if let file = ProcessInfo.processInfo.environment["GIT_INDEX_FILE"], !file.isEmpty {
      return try IndexSnapshot(repository: self, file: indexFilePath)
    }
    return try IndexSnapshot(repository: self, file: nil)
  }

  /// The index file git would read: `GIT_INDEX_FILE` when set, else the git directory's `index`.
  public var indexFilePath: String {
    if let file = ProcessInfo.processInfo.environment["GIT_INDEX_FILE"], !file.isEmpty {
      return Repository.absolute(file, relativeTo: FileManager.default.currentDirectoryPath)
    }
    return gitDir + "/index"
  }

  /// The working tree as `git add -A` would stage it.
  public func workTreeSnapshot() throws -> WorkTreeSnapshot {
    guard let workdir else {
      throw GitError(.invalid, "this is a bare repository: it has no working tree; use --rev")
    }
    return try WorkTreeSnapshot(repository: self, root: workdir, index: try indexSnapshot())
  }

  /// A configuration value as a string, or nil when unset.
  public func configString(_ name: String) throws -> String? {
    try Repository.configString(name, of: try handle)
  }

  private static func configString(_ name: String, of handle: OpaquePointer) throws -> String? {
    var config: OpaquePointer?
    try check(git_repository_config_snapshot(&config, handle), "git_repository_config_snapshot")
    defer { git_config_free(config) }
    var buffer = git_buf()
    let code = git_config_get_string_buf(&buffer, config, name)
    if code == GIT_ENOTFOUND.rawValue { return nil }
    try check(code, "git_config_get_string_buf")
    return String(decoding: consume(&buffer), as: UTF8.self)
  }

  /// Opens the repository at or above `path` (or at `gitDir`), telling an untrusted owner from
  /// a missing repository: libgit2 1.5 reports both as "not found" during discovery.
  static func open(_ path: String, gitDir: String?) throws -> OpaquePointer? {
    var pointer: OpaquePointer?
    let code: Int32
    if let gitDir, !gitDir.isEmpty {
      code = git_repository_open_ext(
        &pointer, absolute(gitDir, relativeTo: path), GIT_REPOSITORY_OPEN_NO_SEARCH.rawValue, nil)
    } else {
      code = git_repository_open_ext(&pointer, path, 0, nil)
    }
    if code == GIT_ENOTFOUND.rawValue || code == GIT_EOWNER.rawValue {
      if let foreign = foreignRepository(above: path) {
        throw GitError(
          .untrustedOwner,
          "the repository at \(foreign) is owned by another user, and safe.directory does not name it"
        )
      }
      throw GitError(.notFound, "not a git repository (or any parent up to /): \(path)")
    }
    try check(code, "git_repository_open_ext")
    return pointer
  }

  /// The nearest directory at or above `path` that holds a `.git` owned by someone else.
  static func foreignRepository(above path: String) -> String? {
    var directory = URL(fileURLWithPath: path).standardizedFileURL.path
    while true {
      var info = stat()
      if lstat(directory + "/.git", &info) == 0 {
        var owner = stat()
        guard stat(directory, &owner) == 0 else { return nil }
        return owner.st_uid != geteuid() || info.st_uid != geteuid() ? directory : nil
      }
      guard directory != "/" else { return nil }
      directory = URL(fileURLWithPath: directory).deletingLastPathComponent().path
    }
  }

  /// True when the global or system git configuration sets `safe.directory` to `*`.
  static func trustsEveryDirectory() -> Bool {
    var config: OpaquePointer?
    guard git_config_open_default(&config) == 0 else { return false }
    defer { git_config_free(config) }
    var iterator: OpaquePointer?
    guard git_config_multivar_iterator_new(&iterator, config, "safe.directory", nil) == 0 else {
      return false
    }
    defer { git_config_iterator_free(iterator) }
    var entry: UnsafeMutablePointer<git_config_entry>?
    var trusted = false
    while git_config_next(&entry, iterator) == 0, let entry {
      let value = String(cString: entry.pointee.value)
      if value == "*" { trusted = true } else if value.isEmpty { trusted = false }
    }
    return trusted
  }

  static func absolute(_ path: String, relativeTo base: String) -> String {
    path.hasPrefix("/") ? path : base + "/" + path
  }

  static func trimmingSlash(_ path: String) -> String {
    path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
  }
}
