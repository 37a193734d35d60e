internal import Clibgit2
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
  /// Objects read directly (loose and packed), declining to libgit2 what they do not cover;
  /// nil when the repository uses alternates.
  lazy var objectReader: ObjectReader? = ObjectReader(directory: commonDir + "/objects")
  /// Where objects are read, in order: the direct reader, then libgit2, which answers whatever
  /// the direct reader declines.
  lazy var objectSources: [any ObjectSource] = {
    var sources: [any ObjectSource] = []
    if let objectReader { sources.append(objectReader) }
    sources.append(Libgit2Objects(repository: self))
    return sources
  }()
  /// The environment the repository was found with (`GIT_DIR`, `GIT_INDEX_FILE`, `HOME` for
  /// `safe.directory`).
  let environment: [String: String]
  /// False only in tests that ask libgit2 itself about a damaged pack, for objects whose index
  /// entries are sound: otherwise every pack index is checked before libgit2 reads it.
  var verifiesPackIndexes = true
  /// The index files read directly, by path, so that repeated queries parse once.
  private var stagedIndexes: [String: IndexFile] = [:]

  /// Opens the repository that contains `path`, honouring `GIT_DIR` and `GIT_WORK_TREE` as git does.
  public convenience init(discoveringFrom path: String = FileManager.default.currentDirectoryPath)
    throws
  {
    try self.init(discoveringFrom: path, environment: ProcessInfo.processInfo.environment)
  }

  /// Opens the repository containing `path` without starting libgit2, when it is a plain one (a
  /// `.git` directory or file owned by you, not bare, no `GIT_DIR` or related variables, no
  /// repository-format extension); nil otherwise. libgit2 starts later only if something needs
  /// it.
  public convenience init?(plainDiscoveringFrom path: String) {
    let environment = ProcessInfo.processInfo.environment
    guard let layout = GitLayout.discover(from: path, environment: environment) else { return nil }
    self.init(layout: layout, environment: environment)
  }

  private init(layout: GitLayout, environment: [String: String]) {
    self.layout = layout
    self.environment = environment
    workdir = layout.workdir
    gitDir = layout.gitDir
    commonDir = layout.commonDir
  }

  /// The same repository for another thread: it reads objects through its own reader, which
  /// shares this one's mapped packs and commit-graph, and opens its own libgit2 handle if it
  /// needs one. Nil for a repository found through libgit2, or one whose objects are not read
  /// directly (alternates): those are walked on one thread.
  public func sibling() -> Repository? {
    guard let layout, let reader = objectReader else { return nil }
    let sibling = Repository(layout: layout, environment: environment)
    sibling.objectReader = ObjectReader(sharing: reader)
    sibling.commitGraph = commitGraph
    sibling.verifiesPackIndexes = verifiesPackIndexes
    return sibling
  }

  /// Opens the repository containing `path` as `environment` describes it.
  init(discoveringFrom path: String, environment: [String: String]) throws {
    self.environment = environment
    if let layout = GitLayout.discover(from: path, environment: environment) {
      self.layout = layout
      workdir = layout.workdir
      gitDir = layout.gitDir
      commonDir = layout.commonDir
      return
    }
    layout = nil
    let pointer = try Repository.openHandle(path, environment: environment)
    openedHandle = pointer
    (workdir, gitDir, commonDir) = Repository.paths(of: pointer)
    try verifyPackIndexes()
  }

  /// Checks every pack index libgit2 will read — this repository's and its alternates' — for
  /// entries past the end of their packs, which libgit2 1.5.1 would crash on.
  private func verifyPackIndexes() throws {
    let objects = commonDir + "/objects"
    if let objectReader {
      try objectReader.verifyPackIndexes()
    } else {
      try ObjectReader.verifyPackIndexes(in: objects)
    }
    for alternate in ObjectReader.alternates(of: objects, environment: environment) {
      try ObjectReader.verifyPackIndexes(in: alternate)
    }
  }

  /// The working tree, git directory and common directory libgit2 finds for `path`: what
  /// ``GitLayout`` must agree with.
  static func libgit2Paths(_ path: String) throws -> (String?, String, String) {
    let pointer = try openHandle(path, environment: ProcessInfo.processInfo.environment)
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
      if verifiesPackIndexes { try verifyPackIndexes() }
      let pointer = try Repository.openHandle(workdir ?? gitDir, environment: environment)
      openedHandle = pointer
      return pointer
    }
  }

  /// Opens libgit2's handle on the repository containing `path`, with git's rules for
  /// `GIT_DIR`, `GIT_WORK_TREE`, `safe.directory` and the extensions libgit2 1.5 ignores.
  private static func openHandle(_ path: String, environment: [String: String]) throws
    -> OpaquePointer
  {
    _ = libgit2Started
    let gitDir = environment["GIT_DIR"].flatMap { $0.isEmpty ? nil : $0 }
    // git checks the owner only of a repository it discovers, not of one GIT_DIR names.
    var relaxOwnerCheck = gitDir != nil
    if gitDir == nil, let candidate = SafeDirectory.candidate(above: path),
      !candidate.isOwnedByCurrentUser
    {
      guard SafeDirectory.trusts(candidate.trustedPath, environment: environment) else {
        throw GitError(
          .untrustedOwner,
          "the repository at \(candidate.trustedPath) is owned by another user, and safe.directory "
            + "does not name it\n  fix: if you trust it, run "
            + "`git config --global --add safe.directory \(candidate.trustedPath)`")
      }
      relaxOwnerCheck = true
    }
    var opened: OpaquePointer?
    do {
      opened = try Repository.open(path, gitDir: gitDir, relaxingOwnerCheck: relaxOwnerCheck)
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
    if revision == "HEAD", let id = layout?.resolve("HEAD"), try isStoredCommit(id) { return id }
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

  /// True when `id` is a commit that the direct object reader or the commit-graph holds.
  ///
  /// The object is asked first: reading one commit costs less than opening the commit-graph,
  /// which checks the file's checksum, and a walk answered from the history cache needs no
  /// graph at all.
  private func isStoredCommit(_ id: ObjectID) throws -> Bool {
    try objectReader?.read(id, keeping: false)?.kind == .commit
      || commitGraph?.position(of: id) != nil
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

  /// The tree of the commit `reference` names — `HEAD`, a branch such as `refs/heads/main`, or
  /// either with `^` for its first parent — read directly from git's files where they can be,
  /// and through libgit2 where the direct reader declines.
  public func snapshot(ofReference reference: String) throws -> Snapshot {
    let parent = reference.hasSuffix("^")
    let name = parent ? String(reference.dropLast()) : reference
    guard let layout, let reader = objectReader, var commit = layout.resolve(name) else {
      return try snapshot(of: try resolveCommit(reference), label: reference)
    }
    if parent {
      guard let first = try CommitFields(try object(commit)).parents.first else {
        throw GitError(.notFound, "\(name) has no parent: '\(reference)' names no commit")
      }
      commit = first
    }
    let tree = try CommitFields(try object(commit)).tree
    return StoredTreeSnapshot(repository: self, reader: reader, root: tree, label: reference)
  }

  /// The stage-0 entries at `path` or below it ("" for all) of the index file at `indexPath`
  /// (``indexFilePath`` when nil), read directly; nil when the direct reader declines the file
  /// (a format or content it does not cover, a corrupt file), and the caller should read the
  /// index through ``indexSnapshot()``.
  public func stagedEntries(under path: String, indexPath: String? = nil) -> [FileEntry]? {
    directIndex(at: indexPath ?? indexFilePath)?.entries(under: path)
  }

  /// The index file at `path` read directly, parsed once for as long as the file stays the
  /// same (the hook's quick check and the index snapshot after it share one parse); nil when
  /// the direct reader declines it.
  func directIndex(at path: String) -> IndexFile? {
    handleLock.lock()
    defer { handleLock.unlock() }
    if let index = stagedIndexes[path], index.isCurrent(at: path) { return index }
    stagedIndexes[path] = IndexFile(path: path)
    return stagedIndexes[path]
  }

  /// The object `id` from the first of ``objectSources`` that does not decline it.
  func object(_ id: ObjectID) throws -> GitObject {
    for source in objectSources {
      if let object = try source.read(id) { return object }
    }
    throw GitError(.notFound, "object \(id.hex) is missing from the repository")
  }

  /// The index: the file named by `GIT_INDEX_FILE` when set (git points hooks at a temporary one
  /// under `git commit -a` and `git commit -- PATH`), else the repository's own.
  public func indexSnapshot() throws -> IndexSnapshot {
    if let file = environment["GIT_INDEX_FILE"], !file.isEmpty {
      return try IndexSnapshot(repository: self, file: indexFilePath)
    }
    return try IndexSnapshot(repository: self, file: nil)
  }

  /// The index file git would read: `GIT_INDEX_FILE` when set, else the git directory's `index`.
  public var indexFilePath: String {
    if let file = environment["GIT_INDEX_FILE"], !file.isEmpty {
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

  /// Serialises every open, so that libgit2's owner check, relaxed for one open, is never
  /// relaxed for another (it is a process-wide setting). Every `git_repository_open*` call
  /// holds it.
  static let openLock = NSLock()

  /// Opens the repository at or above `path` (or at `gitDir`), telling an untrusted owner from
  /// a missing repository: libgit2 1.5 reports both as "not found" during discovery. With
  /// `relaxingOwnerCheck`, libgit2's owner check is off for this open alone (the caller has
  /// applied git's `safe.directory` rules itself).
  static func open(_ path: String, gitDir: String?, relaxingOwnerCheck: Bool) throws
    -> OpaquePointer?
  {
    var pointer: OpaquePointer?
    var code: Int32 = 0
    try openLock.withLock {
      if relaxingOwnerCheck {
        try check(promptgate_git_set_owner_validation(0), "git_libgit2_opts")
      }
      defer { if relaxingOwnerCheck { _ = promptgate_git_set_owner_validation(1) } }
      if let gitDir {
        code = git_repository_open_ext(
          &pointer, absolute(gitDir, relativeTo: path), GIT_REPOSITORY_OPEN_NO_SEARCH.rawValue,
          nil)
      } else {
        code = git_repository_open_ext(&pointer, path, 0, nil)
      }
    }
    if code == GIT_ENOTFOUND.rawValue || code == GIT_EOWNER.rawValue {
      if let candidate = SafeDirectory.candidate(above: path), !candidate.isOwnedByCurrentUser {
        throw GitError(
          .untrustedOwner,
          "the repository at \(candidate.trustedPath) is owned by another user, and safe.directory "
            + "does not name it")
      }
      throw GitError(.notFound, "not a git repository (or any parent up to /): \(path)")
    }
    try check(code, "git_repository_open_ext")
    return pointer
  }

  static func absolute(_ path: String, relativeTo base: String) -> String {
    path.hasPrefix("/") ? path : base + "/" + path
  }

  static func trimmingSlash(_ path: String) -> String {
    path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
  }
}
