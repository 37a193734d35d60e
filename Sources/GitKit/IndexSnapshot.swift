internal import Clibgit2

/// The files staged in an index: the repository's own, or the one `GIT_INDEX_FILE` names.
///
/// Reads the file directly through ``IndexFile`` when it covers it (versions 2 and 3, no mandatory
/// extension, nothing unmerged), and through libgit2 otherwise.
public final class IndexSnapshot: Snapshot {
  /// The repository whose objects the entries name.
  public let repository: Repository
  let handle: OpaquePointer?
  let file: IndexFile?
  public let label = "the index"

  init(repository: Repository, file: String?, allowDirectReader: Bool = true) throws {
    self.repository = repository
    // libgit2 gives a bare repository an empty index; git says it has none.
    if file == nil, repository.isBare {
      throw GitError(.invalid, "this is a bare repository: it has no index; use --rev")
    }
    if allowDirectReader,
      let direct = repository.directIndex(at: file ?? repository.gitDir + "/index")
    {
      self.file = direct
      handle = nil
      return
    }
    self.file = nil
    var index: OpaquePointer?
    do {
      if let file {
        _ = libgit2Started
        try check(git_index_open(&index, file), "git_index_open")
      } else {
        try check(git_repository_index(&index, try repository.handle), "git_repository_index")
      }
    } catch let error as GitError {
      throw UnsupportedFormat.explain(error, indexFile: file ?? repository.gitDir + "/index")
    }
    guard let index else { throw GitError(.other, "libgit2 opened no index") }
    handle = index
  }

  deinit { if let handle { git_index_free(handle) } }

  /// A snapshot of the same index read through libgit2 only, to check the direct reader against.
  public func readThroughLibgit2() throws -> IndexSnapshot {
    try IndexSnapshot(
      repository: repository, file: repository.indexFilePath, allowDirectReader: false)
  }

  /// True when the entries come from the direct reader rather than libgit2.
  public var isReadDirectly: Bool { file != nil }

  public func location(of path: String) -> String { ":\(path)" }

  public func entry(at path: String) throws -> FileEntry? {
    guard !path.isEmpty else { return nil }
    if let file { return file.entries(under: path).first { $0.path == path } }
    if let entry = git_index_get_bypath(handle, path, 0) {
      return Self.fileEntry(entry.pointee)
    }
    for stage: Int32 in 1...3 where git_index_get_bypath(handle, path, stage) != nil {
      throw Self.unmerged(path)
    }
    return nil
  }

  public func files(under directory: String) throws -> [FileEntry] {
    if let file {
      let entries = file.entries(under: directory).filter { $0.path != directory }
      for entry in entries { try PathSafety.check(entry.path, at: "the index") }
      return entries
    }
    var position = 0
    let prefix = directory.isEmpty ? "" : directory + "/"
    if !prefix.isEmpty {
      let code = git_index_find_prefix(&position, handle, prefix)
      if code == GIT_ENOTFOUND.rawValue { return [] }
      try check(code, "git_index_find_prefix")
    }
    var result: [FileEntry] = []
    let count = git_index_entrycount(handle)
    while position < count, let pointer = git_index_get_byindex(handle, position) {
      position += 1
      let entry = pointer.pointee
      let path = String(cString: entry.path)
      guard prefix.isEmpty || path.hasPrefix(prefix) else { break }
      if Self.stage(entry) != 0 { throw Self.unmerged(path) }
      try PathSafety.check(path, at: "the index")
      if let file = Self.fileEntry(entry) { result.append(file) }
    }
    return result
  }

  public func contents(of entry: FileEntry) throws -> [UInt8] {
    guard let id = entry.id else { return [] }
    return try repository.blobContents(id)
  }

  /// True when `path` has a stage-0 entry.
  public func isTracked(_ path: String) -> Bool {
    if let file { return file.entries(under: path).contains { $0.path == path } }
    return git_index_get_bypath(handle, path, 0) != nil
  }

  private static func stage(_ entry: git_index_entry) -> Int {
    Int((entry.flags & UInt16(GIT_INDEX_ENTRY_STAGEMASK)) >> UInt16(GIT_INDEX_ENTRY_STAGESHIFT))
  }

  private static func fileEntry(_ entry: git_index_entry) -> FileEntry? {
    let intentToAdd = UInt16(GIT_INDEX_ENTRY_INTENT_TO_ADD.rawValue)
    guard entry.flags_extended & intentToAdd == 0, let mode = FileMode(gitMode: entry.mode) else {
      return nil
    }
    return FileEntry(path: String(cString: entry.path), mode: mode, id: ObjectID(entry.id))
  }

  private static func unmerged(_ path: String) -> GitError {
    GitError(.invalid, "\(path) is unmerged in the index: resolve the conflict and `git add` it")
  }
}
