internal import Clibgit2
internal import Crypto
import Foundation

/// The working tree as `git add -A` would stage it: tracked files and untracked ones that are not
/// ignored, read through git's clean filters so their bytes match what the index would hold.
public final class WorkTreeSnapshot: Snapshot {
  /// The repository the working tree belongs to.
  public let repository: Repository
  /// The working tree's root directory.
  public let root: String
  let index: IndexSnapshot
  public let label = "the working tree"
  private var attributeSource: Repository?
  /// What one command has seen of the tree, so that a hundred thousand behaviors naming the
  /// same file cost one `lstat` and one read: the snapshot is a view at one moment.
  private var entries: [String: FileEntry?] = [:]
  private var contentsByPath: [String: [UInt8]] = [:]
  private var cachedBytes = 0
  /// The most file content kept for reuse.
  private static let cacheLimit = 64 << 20

  /// libgit2 starts only when a submodule, an ignore rule or a filter needs it: starting it
  /// parses the system's CA certificates, several milliseconds a command reading plain files
  /// need not pay.
  init(repository: Repository, root: String, index: IndexSnapshot) throws {
    self.repository = repository
    self.root = root
    self.index = index
  }

  public func location(of path: String) -> String { path }

  public func entry(at path: String) throws -> FileEntry? {
    if let known = entries[path] { return known }
    guard !path.isEmpty, !path.split(separator: "/").contains(".git") else { return nil }
    var info = stat()
    guard lstat(root + "/" + path, &info) == 0 else {
      entries[path] = .some(nil)
      return nil
    }
    let entry = try fileEntry(path: path, info: info)
    entries[path] = .some(entry)
    return entry
  }

  public func files(under directory: String) throws -> [FileEntry] {
    var result: [FileEntry] = []
    if directory.isEmpty {
      try walk("", into: &result)
    } else if let entry = try entry(at: directory) {
      result.append(entry)
    } else {
      var info = stat()
      if lstat(root + "/" + directory, &info) == 0, info.st_mode & S_IFMT == S_IFDIR {
        try walk(directory, into: &result)
      }
    }
    return result.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
  }

  public func contents(of entry: FileEntry) throws -> [UInt8] {
    let key = "\(entry.mode.rawValue) \(entry.path)"
    if let known = contentsByPath[key] { return known }
    let bytes = try uncachedContents(of: entry)
    if cachedBytes + bytes.count <= Self.cacheLimit {
      contentsByPath[key] = bytes
      cachedBytes += bytes.count
    }
    return bytes
  }

  private func uncachedContents(of entry: FileEntry) throws -> [UInt8] {
    let full = root + "/" + entry.path
    switch entry.mode {
    case .symlink:
      var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
      let count = readlink(full, &buffer, buffer.count - 1)
      guard count >= 0 else { throw Self.unreadable(entry.path) }
      return buffer.prefix(count).map { UInt8(bitPattern: $0) }
    case .gitlink:
      return []
    case .regular, .executable:
      if try isLFS(entry.path) {
        guard let raw = FileManager.default.contents(atPath: full) else {
          throw Self.unreadable(entry.path)
        }
        return LFSPointer.isPointer(Array(raw)) ? Array(raw) : LFSPointer.make(for: raw)
      }
      return try cleaned(entry.path)
    }
  }

  private func walk(_ directory: String, into result: inout [FileEntry]) throws {
    let full = directory.isEmpty ? root : root + "/" + directory
    guard let stream = opendir(full) else { return }
    defer { closedir(stream) }
    while let item = readdir(stream) {
      let name = withUnsafeBytes(of: item.pointee.d_name) { raw in
        String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
      }
      if name == "." || name == ".." || name == ".git" { continue }
      let path = directory.isEmpty ? name : directory + "/" + name
      var info = stat()
      guard lstat(root + "/" + path, &info) == 0 else { continue }
      if info.st_mode & S_IFMT == S_IFDIR {
        if let link = try fileEntry(path: path, info: info) {
          result.append(link)
        } else if try !isIgnored(path + "/") || hasTrackedFiles(under: path) {
          try walk(path, into: &result)
        }
      } else if let file = try fileEntry(path: path, info: info) {
        if try index.isTracked(path) || !isIgnored(path) { result.append(file) }
      }
    }
  }

  /// The entry for `path`: a file or symlink, or a gitlink where the index has a submodule.
  private func fileEntry(path: String, info: stat) throws -> FileEntry? {
    switch info.st_mode & S_IFMT {
    case S_IFREG:
      let executable = info.st_mode & S_IXUSR != 0
      return FileEntry(path: path, mode: executable ? .executable : .regular, id: nil)
    case S_IFLNK:
      return FileEntry(path: path, mode: .symlink, id: nil)
    case S_IFDIR:
      guard let staged = try index.entry(at: path), staged.mode == .gitlink else { return nil }
      return FileEntry(path: path, mode: .gitlink, id: submoduleHead(path) ?? staged.id)
    default:
      return nil
    }
  }

  private func hasTrackedFiles(under directory: String) throws -> Bool {
    try !index.files(under: directory).isEmpty
  }

  /// The commit checked out in the submodule at `path`, nil when it is not checked out.
  private func submoduleHead(_ path: String) -> ObjectID? {
    _ = libgit2Started
    var sub: OpaquePointer?
    // Under the open lock: libgit2's owner check must be on for this open.
    let code = Repository.openLock.withLock { git_repository_open(&sub, root + "/" + path) }
    guard code == 0 else { return nil }
    defer { git_repository_free(sub) }
    var oid = git_oid()
    guard git_reference_name_to_id(&oid, sub, "HEAD") == 0 else { return nil }
    return ObjectID(oid)
  }

  private func isIgnored(_ path: String) throws -> Bool {
    var ignored: Int32 = 0
    try check(
      git_ignore_path_is_ignored(&ignored, try repository.handle, path),
      "git_ignore_path_is_ignored")
    return ignored == 1
  }

  /// A second handle on the repository for filters and attributes, whose index holds only the
  /// `.gitattributes` files missing from the working tree: `git add` reads attributes from the
  /// working tree and falls back to the index per directory, where libgit2 would combine both.
  private func attributes() throws -> Repository {
    if let attributeSource { return attributeSource }
    _ = libgit2Started
    let source = try Repository(discoveringFrom: root)
    var memory: OpaquePointer?
    try check(git_index_new(&memory), "git_index_new")
    defer { git_index_free(memory) }
    for entry in try index.files(under: "")
    where entry.path == ".gitattributes" || entry.path.hasSuffix("/.gitattributes") {
      var info = stat()
      guard lstat(root + "/" + entry.path, &info) != 0, let id = entry.id else { continue }
      try entry.path.withCString { path in
        var staged = git_index_entry()
        staged.mode = entry.mode.rawValue
        staged.id = id.oid
        staged.path = path
        try check(git_index_add(memory, &staged), "git_index_add")
      }
    }
    try check(git_repository_set_index(try source.handle, memory), "git_repository_set_index")
    attributeSource = source
    return source
  }

  /// True when `.gitattributes` gives `path` the `filter=lfs` attribute.
  private func isLFS(_ path: String) throws -> Bool {
    var value: UnsafePointer<CChar>?
    try check(git_attr_get(&value, try attributes().handle, 0, path, "filter"), "git_attr_get")
    guard git_attr_value(value) == GIT_ATTR_VALUE_STRING, let value else { return false }
    return String(cString: value) == "lfs"
  }

  /// The file's bytes after git's clean filters (end-of-line conversion, ident).
  private func cleaned(_ path: String) throws -> [UInt8] {
    let source = try attributes()
    var filters: OpaquePointer?
    try check(
      git_filter_list_load(
        &filters, try source.handle, nil, path, GIT_FILTER_TO_ODB, GIT_FILTER_DEFAULT.rawValue),
      "git_filter_list_load")
    guard let filters else {
      guard let data = FileManager.default.contents(atPath: root + "/" + path) else {
        throw Self.unreadable(path)
      }
      return Array(data)
    }
    defer { git_filter_list_free(filters) }
    var buffer = git_buf()
    try check(
      git_filter_list_apply_to_file(&buffer, filters, try source.handle, path),
      "git_filter_list_apply_to_file")
    return consume(&buffer)
  }

  private static func unreadable(_ path: String) -> GitError {
    GitError(.other, "cannot read \(path) in the working tree: \(String(cString: strerror(errno)))")
  }
}

/// Git LFS pointer files: what git stores for a path whose `filter` attribute is `lfs`.
enum LFSPointer {
  static let header = Array("version https://git-lfs.github.com/spec/v1\n".utf8)

  /// True when `bytes` are a pointer file rather than the content it stands for.
  static func isPointer(_ bytes: [UInt8]) -> Bool {
    bytes.count < 1024 && bytes.starts(with: header)
  }

  /// The pointer git-lfs's clean filter writes for `content`.
  static func make(for content: Data) -> [UInt8] {
    let digest = SHA256.hash(data: content).map { String(format: "%02x", $0) }.joined()
    return header + Array("oid sha256:\(digest)\nsize \(content.count)\n".utf8)
  }
}
