import Foundation

/// A commit's tree read through ``ObjectReader`` rather than libgit2: what the hook's no-op path
/// compares the index with, and what a history walk resolves each changing commit from.
final class StoredTreeSnapshot: Snapshot {
  private let reader: ObjectReader
  private let root: ObjectID
  /// Reads what the direct reader declines (objects in a format it does not cover).
  private let fallback: Repository
  let label: String

  /// The tree `root` of `repository`, read with the repository's shared reader and through
  /// libgit2 where that reader declines.
  init(repository: Repository, reader: ObjectReader, root: ObjectID, label: String) {
    self.reader = reader
    self.root = root
    self.label = label
    fallback = repository
  }

  func location(of path: String) -> String { "\(label):\(path)" }

  func entry(at path: String) throws -> FileEntry? {
    guard let (mode, id) = try lookup(path), let fileMode = FileMode(gitMode: mode) else {
      return nil
    }
    return FileEntry(path: path, mode: fileMode, id: id)
  }

  func files(under directory: String) throws -> [FileEntry] {
    var tree = root
    if !directory.isEmpty {
      guard let (mode, id) = try lookup(directory), mode == 0o040000 else { return [] }
      tree = id
    }
    var result: [FileEntry] = []
    try collect(tree, prefix: directory.isEmpty ? "" : directory + "/", into: &result)
    return result.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
  }

  func contents(of entry: FileEntry) throws -> [UInt8] {
    guard let id = entry.id else { return [] }
    return try object(id, kind: .blob).data
  }

  func objectID(at path: String) throws -> ObjectLookup {
    guard let (_, id) = try lookup(path) else { return .absent }
    return .object(id)
  }

  func changedFiles(from old: ObjectID, to new: ObjectID, at path: String) throws
    -> [ChangedFile]?
  {
    try fallback.changedFiles(from: old, to: new, at: path, label: label)
  }

  private func object(_ id: ObjectID, kind: GitObject.Kind) throws -> GitObject {
    let object = try reader.read(id) ?? fallback.object(id)
    guard object.kind == kind else { throw Self.unexpected(id, kind: kind) }
    return object
  }

  /// The mode and id at `path` (empty components skipped), split as bytes: splitting it as a
  /// string was most of a resolution's lookups.
  private func lookup(_ path: String) throws -> (UInt32, ObjectID)? {
    if let known = lookedUp[path] { return known }
    let found = try uncachedLookup(path)
    lookedUp[path] = .some(found)
    return found
  }

  /// What ``lookup(_:)`` found at each path asked: a resolution asks for each source's search
  /// root several times (its kind, its id, the memo's key), and each asked again read the
  /// trees along it again.
  private var lookedUp: [String: (UInt32, ObjectID)?] = [:]

  private func uncachedLookup(_ path: String) throws -> (UInt32, ObjectID)? {
    var current: (UInt32, ObjectID) = (0o040000, root)
    for name in Array(path.utf8).split(separator: 0x2F) {
      guard current.0 == 0o040000 else { return nil }
      guard let found = try TreeEntries.find(Array(name), in: tree(current.1)) else {
        return nil
      }
      current = found
    }
    return current
  }

  private func tree(_ id: ObjectID) throws -> [UInt8] { try object(id, kind: .tree).data }

  private func collect(_ id: ObjectID, prefix: String, into result: inout [FileEntry]) throws {
    for (mode, name, child) in TreeEntries.all(try tree(id)) {
      let path = prefix + String(decoding: name, as: UTF8.self)
      try PathSafety.check(path, at: label)
      if mode == 0o040000 {
        try collect(child, prefix: path + "/", into: &result)
      } else if let fileMode = FileMode(gitMode: mode) {
        result.append(FileEntry(path: path, mode: fileMode, id: child))
      }
    }
  }

  private static func unexpected(_ id: ObjectID, kind: GitObject.Kind) -> GitError {
    GitError(.invalid, "object \(id.hex) is not a \(kind)")
  }
}

/// The entries of a raw tree object: `MODE NAME\0` and 20 id bytes, repeated.
enum TreeEntries {
  /// Every entry: octal mode, name bytes and id.
  static func all(_ data: [UInt8]) -> [(UInt32, ArraySlice<UInt8>, ObjectID)] {
    var result: [(UInt32, ArraySlice<UInt8>, ObjectID)] = []
    var position = 0
    while let entry = next(data, &position) { result.append(entry) }
    return result
  }

  /// The entries named `names`, as mode and id (nil where there is none), found in one pass
  /// over the tree: what a history walk asks of every root tree.
  static func find(_ names: [[UInt8]], in data: [UInt8], into found: inout [(UInt32, ObjectID)?]) {
    found.removeAll(keepingCapacity: true)
    found.append(contentsOf: repeatElement(nil, count: names.count))
    // Stops once every name is found (a root path's empty name never is).
    var missing = 0
    for name in names where !name.isEmpty { missing += 1 }
    data.withUnsafeBufferPointer { bytes in
      guard let base = bytes.baseAddress else { return }
      var position = 0
      let count = bytes.count
      while position < count, missing > 0 {
        guard let (mode, start, end) = entry(in: bytes, at: &position) else { return }
        let length = end - start
        for index in names.indices where names[index].count == length && length > 0 {
          // Compared in place: comparing a slice of the tree with the name element by element
          // was most of the cost of looking up a walk's root trees.
          let equal = names[index].withUnsafeBufferPointer { name in
            memcmp(base + start, name.baseAddress!, length) == 0
          }
          guard equal else { continue }
          if found[index] == nil { missing -= 1 }
          found[index] = (mode, ObjectID(rawBytes: UnsafeRawPointer(base + end + 1)))
        }
      }
    }
  }

  /// The entry named `name`, as mode and id; only the match's id is built.
  static func find(_ name: [UInt8], in data: [UInt8]) -> (UInt32, ObjectID)? {
    var found: [(UInt32, ObjectID)?] = []
    find([name], in: data, into: &found)
    return found[0]
  }

  private static func next(_ data: [UInt8], _ position: inout Int) -> (
    UInt32, ArraySlice<UInt8>, ObjectID
  )? {
    guard position < data.count else { return nil }
    return data.withUnsafeBufferPointer { bytes in
      guard let base = bytes.baseAddress, let (mode, start, end) = entry(in: bytes, at: &position)
      else { return nil }
      return (mode, data[start..<end], ObjectID(rawBytes: UnsafeRawPointer(base + end + 1)))
    }
  }

  /// The entry starting at `position` (before the end of `bytes`): its octal mode and where its
  /// name lies, its 20-byte id following the name's NUL. `position` moves past the entry; nil
  /// where the rest of the tree is malformed. Every reader of raw trees parses through here.
  @inline(__always)
  static func entry(in bytes: UnsafeBufferPointer<UInt8>, at position: inout Int) -> (
    mode: UInt32, nameStart: Int, nameEnd: Int
  )? {
    let count = bytes.count
    var mode: UInt32 = 0
    while position < count, bytes[position] != 0x20 {
      mode = mode << 3 | UInt32(bytes[position] &- 0x30)
      position += 1
    }
    position += 1
    let start = position
    while position < count, bytes[position] != 0 { position += 1 }
    let end = position
    position += 21
    guard position <= count else { return nil }
    return (mode, start, end)
  }
}
