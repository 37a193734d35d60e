/// One file that differs between two trees: its path and its entry in the newer tree (nil when
/// it is gone there).
public struct ChangedFile: Sendable {
  public let path: String
  public let entry: FileEntry?
}

extension Repository {
  /// The files that differ between trees `old` and `new`, both found at `prefix` ("" for the
  /// root), in no particular order: subtrees with equal ids are never read, so the cost follows
  /// what changed. Nil when the direct object reader declines a tree (the caller then lists the
  /// new tree in full); throws on a path git refuses, naming it at `label`.
  public func changedFiles(
    from old: ObjectID, to new: ObjectID, at prefix: String, label: String
  ) throws -> [ChangedFile]? {
    guard let reader = objectReader else { return nil }
    var changes: [ChangedFile] = []
    let base = prefix.isEmpty ? "" : prefix + "/"
    guard try diff(old, new, base: base, reader: reader, label: label, into: &changes) else {
      return nil
    }
    return changes
  }

  private func diff(
    _ old: ObjectID?, _ new: ObjectID?, base: String, reader: ObjectReader, label: String,
    into changes: inout [ChangedFile]
  ) throws -> Bool {
    if old == new { return true }
    guard let before = try old.map({ try treeData(of: $0, reader: reader) }) ?? [],
      let after = try new.map({ try treeData(of: $0, reader: reader) }) ?? []
    else { return false }
    // Both trees list their entries in git's order, so one merge pass pairs them up, with no
    // table of names built for either (which was most of a walk's cost of diffing file sets).
    var older = TreeCursor(before)
    var newer = TreeCursor(after)
    var left = older.next()
    var right = newer.next()
    while left != nil || right != nil {
      guard older.inOrder, newer.inOrder else { return false }
      let order: Int
      if let left, let right {
        order = TreeCursor.compare(left, in: before, right, in: after)
      } else {
        order = left == nil ? 1 : -1
      }
      if order < 0, let entry = left {
        // Only in the older tree: gone.
        let path = base + entry.name(in: before)
        if entry.isTree {
          guard
            try diff(entry.id, nil, base: path + "/", reader: reader, label: label, into: &changes)
          else { return false }
        } else if FileMode(gitMode: entry.mode) != nil {
          changes.append(ChangedFile(path: path, entry: nil))
        }
        left = older.next()
        continue
      }
      guard let entry = right else { return false }
      let previous = order == 0 ? left : nil
      if let previous, previous.mode == entry.mode, previous.id == entry.id {
        // Unchanged: no path is built (most entries of a diffed tree are unchanged).
        if order == 0 { left = older.next() }
        right = newer.next()
        continue
      }
      let path = base + entry.name(in: after)
      if entry.isTree {
        guard
          try diff(
            previous?.id, entry.id, base: path + "/", reader: reader, label: label,
            into: &changes)
        else { return false }
      } else {
        try PathSafety.check(path, at: label)
        if let fileMode = FileMode(gitMode: entry.mode) {
          changes.append(
            ChangedFile(path: path, entry: FileEntry(path: path, mode: fileMode, id: entry.id)))
        } else if let previous, FileMode(gitMode: previous.mode) != nil {
          changes.append(ChangedFile(path: path, entry: nil))
        }
      }
      if order == 0 { left = older.next() }
      right = newer.next()
    }
    return true
  }

  /// The raw bytes of tree `id`; nil when the reader declines it.
  private func treeData(of id: ObjectID, reader: ObjectReader) throws -> [UInt8]? {
    guard let object = try reader.read(id), object.kind == .tree else { return nil }
    return object.data
  }
}

/// Reads a raw tree's entries one at a time, checking that they come in git's order (strictly
/// increasing by name, a tree's name compared as if it ended in `/`): a tree out of order, or
/// with a name twice, is declined rather than diffed.
struct TreeCursor {
  /// One entry: its mode, where its name lies in the tree's bytes, and its id.
  struct Entry {
    let mode: UInt32
    let nameStart: Int
    let nameEnd: Int
    let id: ObjectID

    var isTree: Bool { mode == 0o040000 }

    func name(in data: [UInt8]) -> String {
      String(decoding: data[nameStart..<nameEnd], as: UTF8.self)
    }
  }

  private let data: [UInt8]
  private var position = 0
  private var previous: Entry?
  /// False once an entry came that does not sort after the one before it.
  private(set) var inOrder = true

  init(_ data: [UInt8]) { self.data = data }

  /// The next entry; nil at the end, or where the rest is malformed (as ``TreeEntries`` reads).
  mutating func next() -> Entry? {
    guard position < data.count else { return nil }
    let entry: Entry? = data.withUnsafeBufferPointer { bytes in
      guard let base = bytes.baseAddress,
        let (mode, start, end) = TreeEntries.entry(in: bytes, at: &position)
      else { return nil }
      let id = ObjectID(rawBytes: UnsafeRawPointer(base + end + 1))
      return Entry(mode: mode, nameStart: start, nameEnd: end, id: id)
    }
    guard let entry else {
      position = data.count
      return nil
    }
    if let previous, Self.compare(previous, in: data, entry, in: data) >= 0 { inOrder = false }
    previous = entry
    return entry
  }

  /// git's order of two entries (`base_name_compare`): by name bytes, a tree's name followed
  /// by `/`; negative, zero or positive.
  static func compare(_ a: Entry, in first: [UInt8], _ b: Entry, in second: [UInt8]) -> Int {
    let lengthA = a.nameEnd - a.nameStart
    let lengthB = b.nameEnd - b.nameStart
    let common = min(lengthA, lengthB)
    for offset in 0..<common {
      let x = first[a.nameStart + offset]
      let y = second[b.nameStart + offset]
      if x != y { return Int(x) - Int(y) }
    }
    let x = lengthA > common ? Int(first[a.nameStart + common]) : (a.isTree ? 0x2F : 0)
    let y = lengthB > common ? Int(second[b.nameStart + common]) : (b.isTree ? 0x2F : 0)
    return x - y
  }
}
