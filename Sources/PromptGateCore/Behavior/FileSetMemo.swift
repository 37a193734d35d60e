import Crypto
import GitKit

/// The last resolution of one file-set source for one component, in a form the next side can
/// update from the files that changed: what makes a history walk's cost follow the changes,
/// not the size of the set.
///
/// The set's digest is the SHA-256 of the canonical JSON array of `{digest, mode, path}`
/// objects sorted by relative path; the array's bytes between its brackets are kept, each
/// object followed by a comma (the last comma is not hashed), so a new digest costs
/// re-serialising only the changed entries, and hashing from the first changed one on (the
/// hash's states at every ``checkpointStride`` entries are kept too).
struct FileSetMemo {
  /// The tree id at each including pattern's search root (nil where absent).
  var roots: [String: ObjectID?]
  /// Every file below the search roots, by path.
  var candidates: [String: FileEntry]
  /// The included files in relative-path order (UTF-8).
  private(set) var files: [ResolvedFile] = []
  /// The length of each file's canonical bytes and comma in ``joined``, apart from the files:
  /// summing them reads plain integers, where reading them beside each file retained and
  /// released its four strings (a million times in a first walk).
  private var lengths: [Int] = []
  /// Each included file's relative path, by repository path.
  var relativeOf: [String: String]
  /// The entries' canonical bytes, each followed by a comma, in order: hashed in place, where
  /// gathering each entry's own bytes into a buffer cost as much as hashing them.
  private var joined: [UInt8] = []
  /// The SHA-256 states after the opening bracket and the first `k * checkpointStride` entries
  /// (with their commas), for k from 0: a history walk changes a few entries of a large set at
  /// a time, and hashing the whole array again was a tenth of its first walk.
  private var checkpoints: [SHA256] = []
  static let checkpointStride = 32

  init(
    roots: [String: ObjectID?], candidates: [String: FileEntry],
    entries: [(file: ResolvedFile, fragment: [UInt8])], relativeOf: [String: String]
  ) {
    self.roots = roots
    self.candidates = candidates
    self.relativeOf = relativeOf
    for (file, fragment) in entries { insert(file, fragment: fragment, at: files.count) }
  }

  /// The number of included files.
  var count: Int { files.count }

  /// The included files with the length of each one's bytes in ``joined``.
  var entries: [(file: ResolvedFile, length: Int)] { Array(zip(files, lengths)) }

  /// Where entry `index`'s bytes start in ``joined``.
  private func byteOffset(of index: Int) -> Int {
    var offset = 0
    for position in 0..<index { offset += lengths[position] }
    return offset
  }

  /// Inserts `file`, whose canonical bytes are `fragment`, at `index`.
  mutating func insert(_ file: ResolvedFile, fragment: [UInt8], at index: Int) {
    let offset = index == files.count ? joined.count : byteOffset(of: index)
    joined.insert(contentsOf: fragment + [0x2C], at: offset)
    files.insert(file, at: index)
    lengths.insert(fragment.count + 1, at: index)
    forgetCheckpoints(from: index)
  }

  /// Puts `file`, whose canonical bytes are `fragment`, in place of the entry at `index`, which
  /// has the same relative path: a file whose content changed. Bytes of the same length are
  /// overwritten where they lie, with nothing after them moved.
  mutating func replace(at index: Int, with file: ResolvedFile, fragment: [UInt8]) {
    guard fragment.count + 1 == lengths[index] else {
      remove(at: index)
      insert(file, fragment: fragment, at: index)
      return
    }
    let offset = byteOffset(of: index)
    joined.withUnsafeMutableBufferPointer { bytes in
      for (position, byte) in fragment.enumerated() { bytes[offset + position] = byte }
    }
    files[index] = file
    forgetCheckpoints(from: index)
  }

  /// Removes the entry at `index`.
  mutating func remove(at index: Int) {
    let offset = byteOffset(of: index)
    joined.removeSubrange(offset..<(offset + lengths[index]))
    files.remove(at: index)
    lengths.remove(at: index)
    forgetCheckpoints(from: index)
  }

  /// Forgets the hash states that cover entry `index` or later, which changed.
  private mutating func forgetCheckpoints(from index: Int) {
    let kept = index / Self.checkpointStride + 1
    if checkpoints.count > kept { checkpoints.removeLast(checkpoints.count - kept) }
  }

  /// The canonical bytes of one file's object, as ``CanonicalJSON`` writes it.
  static func fragment(_ file: ResolvedFile) throws -> [UInt8] {
    // The object's keys in canonical order, none of its strings needing an escape (digests,
    // modes and most paths): written directly, as the serialiser writes them.
    let fields = [file.digest.utf8, file.mode.utf8, file.relativePath.utf8]
    if !fields.contains(where: { field in
      field.contains { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }
    }) {
      var bytes: [UInt8] = []
      bytes.reserveCapacity(32 + fields.reduce(0) { $0 + $1.count })
      bytes += #"{"digest":""#.utf8
      bytes += fields[0]
      bytes += #"","mode":""#.utf8
      bytes += fields[1]
      bytes += #"","path":""#.utf8
      bytes += fields[2]
      bytes += #""}"#.utf8
      return bytes
    }
    return Array(
      try CanonicalJSON.serialize(
        .object([
          "path": .string(file.relativePath), "mode": .string(file.mode),
          "digest": .string(file.digest),
        ])
      ).utf8)
  }

  /// The digest of the set: the canonical array of the entries' objects, hashed (from the last
  /// hash state kept that no change since covers).
  mutating func digest() -> String {
    if checkpoints.isEmpty {
      var start = SHA256()
      start.update(data: [0x5B])
      checkpoints.append(start)
    }
    let stride = Self.checkpointStride
    // A state is used only when entries follow it: it has hashed its last entry's comma.
    let count = lengths.count
    let usable = count == 0 ? 0 : min(checkpoints.count - 1, (count - 1) / stride)
    checkpoints.removeLast(checkpoints.count - 1 - usable)
    var hasher = checkpoints[usable]
    var index = usable * stride
    var offset = byteOffset(of: index)
    var reached: [SHA256] = []
    joined.withUnsafeBytes { bytes in
      while index < count {
        let end = min(count, (index / stride + 1) * stride)
        var stop = offset
        for position in index..<end { stop += lengths[position] }
        // The last entry's comma is not part of the array.
        let hashed = end == count ? stop - 1 : stop
        hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: bytes[offset..<hashed]))
        index = end
        offset = stop
        if index < count { reached.append(hasher) }
      }
    }
    checkpoints += reached
    hasher.update(data: [0x5D])
    let digits: [UInt8] = Array("0123456789abcdef".utf8)
    var text: [UInt8] = []
    text.reserveCapacity(64)
    for byte in hasher.finalize() {
      text.append(digits[Int(byte >> 4)])
      text.append(digits[Int(byte & 0x0F)])
    }
    return String(decoding: text, as: UTF8.self)
  }

  /// The position of `relative` in ``files``, or where it would go.
  func position(of relative: String) -> (index: Int, found: Bool) {
    var low = 0
    var high = files.count
    while low < high {
      let middle = (low + high) / 2
      let other = files[middle].relativePath
      if other == relative { return (middle, true) }
      if other.utf8.lexicographicallyPrecedes(relative.utf8) {
        low = middle + 1
      } else {
        high = middle
      }
    }
    return (low, false)
  }
}

/// What ``ContentCache`` keeps a file-set memo by.
struct FileSetKey: Hashable {
  let globs: [Glob]
  let component: Component
  /// Whether prompt files hash their text without front matter (`hash: body`).
  let body: Bool
}

extension BehaviorResolver {
  /// The files the patterns match, hashed and sorted by relative path (none without
  /// ``listsFiles``), how many they are, and the set's digest: updated from the files that
  /// changed since the last side resolved with the same patterns when this side is a tree,
  /// else listed and hashed in full.
  func hashedFileSet(_ globs: [Glob], component: Component, body: Bool = false) throws -> (
    files: [ResolvedFile], count: Int, digest: String
  ) {
    let key = FileSetKey(globs: globs, component: component, body: body)
    let roots = try treeRoots(globs)
    // Taken out of the cache while it is updated, so that it is changed in place, not copied;
    // one that cannot be updated is dropped, and the full resolution below makes a new one.
    if let roots, var memo = cache.fileSets.removeValue(forKey: key),
      (try? update(&memo, roots: roots, globs: globs, component: component, body: body)) == true
    {
      let digest = memo.digest()
      let count = memo.count
      let files = listsFiles ? memo.files : []
      cache.fileSets[key] = memo
      return (files, count, digest)
    }
    let followed = followedSymlinks
    let candidates = try self.candidates(globs)
    let files = try fileSet(globs, component: component, body: body, candidates: candidates)
    var memo = FileSetMemo(
      roots: roots ?? [:], candidates: candidates,
      entries: try files.map { ($0, try FileSetMemo.fragment($0)) }, relativeOf: [:])
    for file in files { memo.relativeOf[file.path] = file.relativePath }
    let digest = memo.digest()
    // A followed symlink reads a target the roots do not cover: such a set is never updated.
    if roots != nil && followedSymlinks == followed { cache.fileSets[key] = memo }
    return (listsFiles ? files : [], files.count, digest)
  }

  /// The tree id at each including pattern's search root, when every root is a directory or
  /// absent on a side made of git objects; nil otherwise (a root that names a file, the index,
  /// the working tree).
  private func treeRoots(_ globs: [Glob]) throws -> [String: ObjectID?]? {
    var roots: [String: ObjectID?] = [:]
    for glob in globs where !glob.isNegated {
      switch try snapshot.objectID(at: glob.searchRoot) {
      case .unknown: return nil
      case .absent: roots[glob.searchRoot] = .some(nil)
      case .object(let id):
        guard try snapshot.entry(at: glob.searchRoot) == nil else { return nil }
        roots[glob.searchRoot] = id
      }
    }
    return roots
  }

  /// Brings `memo` to this side; false (or a thrown error) when it cannot be (a root changed
  /// kind, a tree the reader declines, a symlink, two files with one relative path, a file that
  /// cannot be hashed), and the set is then resolved in full, which says what is wrong.
  private func update(
    _ memo: inout FileSetMemo, roots: [String: ObjectID?], globs: [Glob], component: Component,
    body: Bool
  ) throws -> Bool {
    guard memo.roots.count == roots.count else { return false }
    var changed: Set<String> = []
    for (root, id) in roots {
      guard let before = memo.roots[root] else { return false }
      if before == id { continue }
      let prefix = root.isEmpty ? "" : root + "/"
      if let before, let id {
        guard let changes = try snapshot.changedFiles(from: before, to: id, at: root) else {
          return false
        }
        for change in changes {
          memo.candidates[change.path] = change.entry
          changed.insert(change.path)
        }
      } else {
        for path in memo.candidates.keys where root.isEmpty || path.hasPrefix(prefix) {
          memo.candidates[path] = nil
          changed.insert(path)
        }
        if id != nil {
          for entry in try snapshot.files(under: root) {
            memo.candidates[entry.path] = entry
            changed.insert(entry.path)
          }
        }
      }
      memo.roots[root] = id
    }
    // A file still included under the same relative path (its content changed) keeps its
    // place and is replaced there; the others are removed, then the included ones inserted.
    var replaced: Set<String> = []
    for path in changed {
      guard let relative = memo.relativeOf[path] else { continue }
      if let entry = memo.candidates[path], entry.mode != .symlink,
        let glob = Self.matchingGlob(globs, path), glob.relativePath(of: path) == relative
      {
        replaced.insert(path)
        continue
      }
      memo.relativeOf[path] = nil
      let (index, found) = memo.position(of: relative)
      if found { memo.remove(at: index) }
    }
    for path in changed.sorted() {
      guard let entry = memo.candidates[path], let glob = Self.matchingGlob(globs, path) else {
        continue
      }
      guard entry.mode != .symlink else { return false }
      let relative = glob.relativePath(of: path)
      let (index, found) = memo.position(of: relative)
      let isReplaced = replaced.contains(path)
      guard found == isReplaced else { return false }
      let file = ResolvedFile(
        path: path, relativePath: relative, mode: entry.mode.octal,
        digest: try contentDigest(entry, component: component, body: body, displayPath: path))
      let fragment = try FileSetMemo.fragment(file)
      if isReplaced {
        memo.replace(at: index, with: file, fragment: fragment)
      } else {
        memo.insert(file, fragment: fragment, at: index)
        memo.relativeOf[path] = relative
      }
    }
    return true
  }
}
