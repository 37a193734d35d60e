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
    guard let before = try old.map({ try entries(of: $0, reader: reader) }) ?? [:],
      let after = try new.map({ try entries(of: $0, reader: reader) }) ?? [:]
    else { return false }
    for (name, (mode, id)) in after {
      let path = base + name
      let previous = before[name]
      if let previous, previous.0 == mode, previous.1 == id { continue }
      let isTree = mode == 0o040000
      let wasTree = previous?.0 == 0o040000
      if !isTree { try PathSafety.check(path, at: label) }
      guard
        try diff(
          wasTree ? previous?.1 : nil, isTree ? id : nil, base: path + "/", reader: reader,
          label: label, into: &changes)
      else { return false }
      if !isTree, let fileMode = FileMode(gitMode: mode) {
        changes.append(
          ChangedFile(path: path, entry: FileEntry(path: path, mode: fileMode, id: id)))
      } else if let previous, !wasTree, FileMode(gitMode: previous.0) != nil {
        changes.append(ChangedFile(path: path, entry: nil))
      }
    }
    for (name, (mode, id)) in before where after[name] == nil {
      let path = base + name
      if mode == 0o040000 {
        guard try diff(id, nil, base: path + "/", reader: reader, label: label, into: &changes)
        else {
          return false
        }
      } else if FileMode(gitMode: mode) != nil {
        changes.append(ChangedFile(path: path, entry: nil))
      }
    }
    return true
  }

  /// The entries of tree `id` by name; nil when the reader declines it.
  private func entries(of id: ObjectID, reader: ObjectReader) throws -> [String: (
    UInt32, ObjectID
  )]? {
    guard let object = try reader.read(id), object.kind == .tree else { return nil }
    var result: [String: (UInt32, ObjectID)] = [:]
    for (mode, name, child) in TreeEntries.all(object.data) {
      result[String(decoding: name, as: UTF8.self)] = (mode, child)
    }
    return result
  }
}
