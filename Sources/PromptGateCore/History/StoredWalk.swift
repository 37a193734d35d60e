import GitKit

/// The answer of a walk over all of a tip's history, as the history cache keeps it: every
/// behavior's entries (a `--behavior` filter and `-n` apply after), where the history was cut,
/// the warnings the walk gave and the behaviors it met, and the commits it listed.
///
/// A later walk of the same tip (and the same `--first-parent` and shallow boundary) is then
/// answered without walking; one of a tip that has moved on walks only the commits added since,
/// stopping at the listed ones.
struct StoredWalk: Equatable {
  /// What a stored walk answers, read from the start of its bytes; the rest is decoded only
  /// for the walk asked for.
  struct Slot {
    let head: ObjectID
    let firstParent: Bool
    /// ``HistoryCache/shallowDigest(_:)`` of the boundary the walk stopped at.
    let shallow: UInt64
    /// Where the sorted ids of the listed commits start, and how many there are.
    let members: Int
    let memberCount: Int
    /// Where the rest starts and ends.
    let body: Int
    let end: Int
    let base: UnsafeRawPointer

    /// The slot of the walk in `length` bytes at `start`.
    init(base: UnsafeRawPointer, start: Int, length: Int) throws {
      var reader = CacheReader(base: base, position: start, end: start + length)
      head = try reader.id()
      firstParent = try reader.u8() != 0
      shallow = try reader.u64()
      memberCount = try reader.count(of: 20)
      members = try reader.advance(20 * memberCount)
      body = reader.position
      end = start + length
      self.base = base
    }

    /// The bytes, header included, to copy into a new file.
    var bytes: UnsafeRawBufferPointer {
      let start = members - 20 - 1 - 8 - 4
      return UnsafeRawBufferPointer(start: base + start, count: end - start)
    }

    func member(at index: Int) -> ObjectID { ObjectID(rawBytes: base + members + 20 * index) }

    /// True when the walk listed commit `id`.
    func listed(_ id: ObjectID) -> Bool {
      var (low, high) = (0, memberCount)
      while low < high {
        let middle = (low + high) / 2
        let found = member(at: middle)
        if found == id { return true }
        if found < id { low = middle + 1 } else { high = middle }
      }
      return false
    }

    /// The walk's answer; nil when the bytes do not read as one.
    func walk() -> StoredWalk? {
      var reader = CacheReader(base: base, position: body, end: end)
      return try? reader.storedWalk()
    }
  }

  /// The number of commits listed.
  var walked: Int
  var entries: [LogEntry]
  var cutAt: [String]
  var warnings: [String]
  var defined: Set<String>

  /// The bytes of this walk of `head`, listing `members` (sorted, no repeats).
  func encoded(
    head: ObjectID, firstParent: Bool, shallow: UInt64, members: some Sequence<ObjectID>,
    memberCount: Int
  ) -> [UInt8]? {
    var writer = CacheWriter()
    writer.id(head)
    writer.bytes.append(firstParent ? 1 : 0)
    writer.u64(shallow)
    writer.u32(UInt32(memberCount))
    writer.bytes.reserveCapacity(
      64 + 20 * memberCount + 256 * entries.count + 20 * cutAt.count
        + warnings.reduce(0) { $0 + $1.utf8.count + 4 } + 64 * defined.count)
    for member in members { writer.id(member) }
    writer.u32(UInt32(walked))

    var names: [String: UInt32] = [:]
    var nameList: [String] = []
    func name(_ text: String) -> UInt32 {
      if let known = names[text] { return known }
      names[text] = UInt32(nameList.count)
      nameList.append(text)
      return UInt32(nameList.count - 1)
    }
    var ids: [BehaviorID: UInt32] = [:]
    var idList: [BehaviorID] = []
    func number(_ id: BehaviorID?) -> UInt32 {
      guard let id else { return .max }
      if let known = ids[id] { return known }
      ids[id] = UInt32(idList.count)
      idList.append(id)
      return UInt32(idList.count - 1)
    }
    var rows: [(ObjectID, UInt32, UInt32, UInt32, UInt8)] = []
    for entry in entries {
      guard let commit = ObjectID(hex: entry.commit) else { return nil }
      var changed: UInt8 = 0
      for (bit, component) in Component.allCases.enumerated()
      where entry.changed.contains(component) {
        changed |= 1 << bit
      }
      rows.append(
        (commit, name(entry.behavior), number(entry.previousId), number(entry.id), changed))
    }
    let definedNames = defined.sorted().map(name)
    writer.u32(UInt32(nameList.count))
    for text in nameList { writer.string(text) }
    writer.u32(UInt32(idList.count))
    for id in idList { writer.string(id.digest) }
    writer.u32(UInt32(rows.count))
    for (commit, behavior, previous, id, changed) in rows {
      writer.id(commit)
      writer.u32(behavior)
      writer.u32(previous)
      writer.u32(id)
      writer.bytes.append(changed)
    }
    writer.u32(UInt32(cutAt.count))
    for cut in cutAt {
      guard let id = ObjectID(hex: cut) else { return nil }
      writer.id(id)
    }
    writer.u32(UInt32(warnings.count))
    for warning in warnings { writer.string(warning) }
    writer.u32(UInt32(definedNames.count))
    for number in definedNames { writer.u32(number) }
    return writer.bytes
  }
}

extension CacheReader {
  /// A stored walk's answer, as ``StoredWalk/encoded(head:firstParent:shallow:members:memberCount:)``
  /// wrote it after the listed commits.
  mutating func storedWalk() throws -> StoredWalk {
    let walked = Int(try u32())
    var names: [String] = []
    for _ in 0..<(try count()) { names.append(try string()) }
    var ids: [BehaviorID] = []
    for _ in 0..<(try count()) { ids.append(BehaviorID(digest: try string())) }
    func name(_ number: UInt32) throws -> String {
      guard Int(number) < names.count else {
        throw CacheFormatError(reason: "an entry names a behavior the file lacks")
      }
      return names[Int(number)]
    }
    func id(_ number: UInt32) throws -> BehaviorID? {
      if number == .max { return nil }
      guard Int(number) < ids.count else {
        throw CacheFormatError(reason: "an entry names an id the file lacks")
      }
      return ids[Int(number)]
    }
    var entries: [LogEntry] = []
    let count = try count(of: 20 + 13)
    entries.reserveCapacity(count)
    for _ in 0..<count {
      let commit = try self.id().hex
      let behavior = try name(try u32())
      let previous = try id(try u32())
      let current = try id(try u32())
      let mask = try u8()
      let changed = Component.allCases.enumerated().filter { mask & (1 << $0.offset) != 0 }
        .map(\.element)
      entries.append(
        LogEntry(
          commit: commit, behavior: behavior, previousId: previous, id: current,
          changed: changed))
    }
    var cutAt: [String] = []
    for _ in 0..<(try self.count(of: 20)) { cutAt.append(try self.id().hex) }
    var warnings: [String] = []
    for _ in 0..<(try self.count()) { warnings.append(try string()) }
    var defined: Set<String> = []
    for _ in 0..<(try self.count(of: 4)) { defined.insert(try name(try u32())) }
    guard position == end else {
      throw CacheFormatError(reason: "a stored walk has bytes after its end")
    }
    return StoredWalk(
      walked: walked, entries: entries, cutAt: cutAt, warnings: warnings, defined: defined)
  }
}
