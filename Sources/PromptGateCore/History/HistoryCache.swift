import Foundation
import GitKit

/// What history walks learnt, kept beside the result store so that the next walk reads only
/// the commits added since: each commit's parents, tree and time, and the versions at it with
/// the paths that decide them; and the answers of the last walks over whole histories, so that
/// a walk of an unchanged tip does not walk at all (``StoredWalk``).
///
/// One file per mapping source: each commit's own `promptgate.yaml`, or the `--config` file by
/// the digest of its bytes. Records are keyed by commit id, so a rewritten history is never
/// served stale (new commits have new ids), stored walks by their tip, `--first-parent` and
/// the shallow boundary, and the file by ``format``, raised whenever canonical hashing or what
/// a record holds changes. The file is mapped and read in place (``CacheFile``). A file that
/// cannot be read is a warning and the walk recomputes; one that cannot be written is a warning
/// too, never an error.
public final class HistoryCache: KnownCommits {
  /// Raise whenever a behavior version's canonical form, a component's hashing, or the
  /// records' layout changes: files of another format are ignored and rewritten.
  public static let format: UInt32 = 2
  /// How many stored walks a file keeps, the most recent.
  static let walkLimit = 8

  /// A record added since the file was read; its parents lie in ``addedParents``.
  struct AddedRow {
    let id: ObjectID
    let tree: ObjectID
    let time: Int64
    let state: Int
    let parents: Range<Int>
  }

  /// One commit as the cache keeps it.
  struct Record {
    let parents: [ObjectID]
    let tree: ObjectID
    let time: Int64
    /// The number of its state (``state(number:)``).
    let state: Int
  }

  /// What decides a commit's versions: the behaviors (name, version or nil where a behavior
  /// is defined but not resolvable), the watched paths and the tree entry ids at them; or,
  /// when the commit could not be read, the warning that said so.
  struct State: Equatable {
    var behaviors: [String: BehaviorVersion?]
    var paths: [String]
    var entryIDs: [ObjectID?]
    var warning: String?
  }

  /// The file.
  public let path: String
  /// The result store whose lock writes take.
  let store: ResultStore
  /// What identifies the mapping the file's records were resolved with.
  let key: String
  /// The file as read, when there was one.
  private(set) var file: CacheFile?
  /// States added since the file was read (numbered after the file's), and those decoded.
  private var addedStates: [State] = []
  private var decodedStates: [Int: State] = [:]
  /// Records added since the file was read, in the order added, with their parents in one
  /// table and their places by id: a first walk adds one per commit, and a record holding an
  /// array of parents cost an allocation (and its release) per commit.
  private var addedRows: [AddedRow] = []
  private var addedParents: [ObjectID] = []
  private var addedIndex: [ObjectID: Int] = [:]
  /// How many of the added rows ``addedIndex`` covers: rows are indexed when a lookup needs
  /// them, which a first walk never makes (indexing its 80,000 commits as they were recorded
  /// was a twentieth of its time, on the thread that also walks, and 4 MB). A commit
  /// recorded twice keeps its first record, in the index and in the file.
  private var indexedRows = 0
  /// Walks stored since the file was read, encoded, newest first.
  private var addedWalks: [(head: ObjectID, firstParent: Bool, shallow: UInt64, bytes: [UInt8])] =
    []
  /// True when records or walks were added since the file was last written.
  private var unsaved = false
  /// What went wrong reading or writing the file.
  public private(set) var warnings: [String] = []

  /// The cache beside the result store at `storeDirectory` for `workspace`'s mapping, read now
  /// (a missing file is an empty cache; an unreadable one, a warning and an empty cache).
  public init(storeDirectory: String, workspace: Workspace) {
    let mapping = workspace.overrideDigest.map { "config \($0)" } ?? "each commit's own mapping"
    key = "promptgate history cache; format \(Self.format); mapping: \(mapping)"
    store = ResultStore(directory: storeDirectory)
    path =
      Self.directory(storeDirectory: storeDirectory) + "/" + Digest.sha256(key).prefix(24)
      + ".cache"
    do {
      file = try CacheFile.read(path, key: key)
    } catch {
      warnings.append(
        "the history cache \(path) is unreadable (\(Self.reason(error))); the history is "
          + "recomputed and the cache written anew")
    }
  }

  /// The folder of a store's history caches.
  public static func directory(storeDirectory: String) -> String {
    (storeDirectory as NSString).appendingPathComponent("history")
  }

  /// The number of commits it holds.
  public var count: Int {
    indexRows()
    guard let file else { return addedIndex.count }
    return file.recordCount + addedIndex.keys.filter { file.recordIndex(of: $0) == nil }.count
  }

  /// True when it holds any record, read or added: a walk then replays what it can.
  var holdsRecords: Bool { (file?.recordCount ?? 0) > 0 || !addedRows.isEmpty }

  private func record(of id: ObjectID) -> Record? {
    if let record = addedRecord(id) { return record }
    guard let file, let index = file.recordIndex(of: id) else { return nil }
    return file.record(at: index)
  }

  /// The record of commit `id` added since the file was read.
  func addedRecord(_ id: ObjectID) -> Record? {
    indexRows()
    guard let row = addedIndex[id].map({ addedRows[$0] }) else { return nil }
    return Record(
      parents: Array(addedParents[row.parents]), tree: row.tree, time: row.time,
      state: row.state)
  }

  public func knownCommit(_ id: ObjectID) -> Commit? {
    record(of: id).map { Commit(id: id, parents: $0.parents, tree: $0.tree, time: $0.time) }
  }

  /// The number of the state recorded for commit `id`; nil when none is, or it cannot be read.
  func state(of id: ObjectID) -> Int? {
    // Read without building the record's parents: a walk asks this of every commit.
    let recorded: Int?
    indexRows()
    if let row = addedIndex[id] {
      recorded = addedRows[row].state
    } else if let file, let index = file.recordIndex(of: id) {
      recorded = file.recordState(at: index)
    } else {
      recorded = nil
    }
    guard let number = recorded, state(number: number) != nil else { return nil }
    return number
  }

  /// State `number`, decoded once; nil when it cannot be read.
  func state(number: Int) -> State? {
    let fileStates = file?.stateCount ?? 0
    if number >= fileStates { return addedStates[number - fileStates] }
    if let known = decodedStates[number] { return known }
    guard let state = file?.state(number) else { return nil }
    decodedStates[number] = state
    return state
  }

  /// Records commit `id`; `state` is the number ``add(_:)`` gave its state.
  func record(_ id: ObjectID, parents: [ObjectID], tree: ObjectID, time: Int64, state: Int) {
    record(id, tree: tree, time: time, state: state) {
      $0 += parents
      return true
    }
  }

  /// Records commit `id`, whose parents `appendParents` appends to the table it is given
  /// (returning false when they cannot be read: nothing is recorded then).
  func record(
    _ id: ObjectID, tree: ObjectID, time: Int64, state: Int,
    parents appendParents: (inout [ObjectID]) -> Bool
  ) {
    guard file?.recordIndex(of: id) == nil else { return }
    let start = addedParents.count
    guard appendParents(&addedParents) else {
      addedParents.removeSubrange(start...)
      return
    }
    addedRows.append(
      AddedRow(id: id, tree: tree, time: time, state: state, parents: start..<addedParents.count))
    unsaved = true
  }

  /// Makes room for `count` more records: a first walk records every commit of the history.
  func reserve(records count: Int) {
    addedRows.reserveCapacity(addedRows.count + count)
    addedParents.reserveCapacity(addedParents.count + count + count / 4)
  }

  /// Indexes the rows added since the last lookup; a commit indexed before keeps its row.
  private func indexRows() {
    guard indexedRows < addedRows.count else { return }
    addedIndex.reserveCapacity(addedRows.count)
    for position in indexedRows..<addedRows.count {
      let id = addedRows[position].id
      if addedIndex[id] == nil { addedIndex[id] = position }
    }
    indexedRows = addedRows.count
  }

  /// Adds a state; returns its number.
  func add(_ state: State) -> Int {
    addedStates.append(state)
    return (file?.stateCount ?? 0) + addedStates.count - 1
  }

  /// The stored walks of all of a history with these keys, most recent first.
  func storedWalks(firstParent: Bool, shallow: UInt64) -> [StoredWalk.Slot] {
    (file?.walks ?? []).filter { $0.firstParent == firstParent && $0.shallow == shallow }
  }

  /// Keeps `walk`, the answer for all of `head`'s history, listing `members` (sorted, no
  /// repeats), to be written by ``save()``.
  func store(
    _ walk: StoredWalk, head: ObjectID, firstParent: Bool, shallow: UInt64,
    members: some Sequence<ObjectID>, memberCount: Int
  ) {
    guard
      let bytes = walk.encoded(
        head: head, firstParent: firstParent, shallow: shallow, members: members,
        memberCount: memberCount)
    else { return }
    addedWalks.removeAll { $0.head == head && $0.firstParent == firstParent }
    addedWalks.insert((head, firstParent, shallow, bytes), at: 0)
    unsaved = true
  }

  /// The digest of a shallow boundary, which keys stored walks: deepening a clone changes
  /// every answer that reached its boundary.
  static func shallowDigest(_ boundary: Set<ObjectID>) -> UInt64 {
    var bytes: [UInt8] = []
    for id in boundary.sorted() { id.append(to: &bytes) }
    return FastHash.hash(bytes)
  }

  /// Writes the file when records or walks were added, atomically and under the store's
  /// shared lock; a failure becomes a warning.
  public func save() {
    guard unsaved else { return }
    do {
      try store.withLock(exclusive: false) { try write() }
      unsaved = false
    } catch {
      warnings.append(
        "cannot write the history cache \(path) (\(Self.reason(error))); the next walk "
          + "reads the whole history again (pass --store PATH to keep it elsewhere)")
    }
  }

  /// The file's new bytes: what it held and what was added, the newest walks first.
  func encoded() -> [UInt8] {
    var walks = addedWalks.map(\.bytes)
    for slot in file?.walks ?? [] where walks.count < Self.walkLimit {
      guard
        !addedWalks.contains(where: { $0.head == slot.head && $0.firstParent == slot.firstParent })
      else { continue }
      walks.append(Array(slot.bytes))
    }
    return Self.encode(
      key: key, base: file, addedStates: addedStates, rows: addedRows, parents: addedParents,
      walks: walks)
  }

  /// Writes the file to a temporary name beside it and renames it into place, so that a
  /// reader sees the old file or the new one, never half of one. The caller holds the lock.
  func write() throws {
    let folder = (path as NSString).deletingLastPathComponent
    do {
      try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    } catch {
      throw PromptGateError(.environment, "cannot create the folder \(folder)")
    }
    let temporary = folder + "/.tmp-" + UUID().uuidString
    // Written straight from the encoded bytes (no copy into `Data`), and not synced: a file
    // a crash leaves short or empty fails its checksum, and the walk recomputes.
    let descriptor = open(temporary, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else {
      throw PromptGateError(
        .environment, "cannot create \(temporary): \(String(cString: strerror(errno)))")
    }
    let written = encoded().withUnsafeBytes { bytes in
      guard let base = bytes.baseAddress else { return true }
      var offset = 0
      while offset < bytes.count {
        let count = Foundation.write(descriptor, base + offset, bytes.count - offset)
        if count < 0 && errno == EINTR { continue }
        guard count > 0 else { return false }
        offset += count
      }
      return true
    }
    let reason = String(cString: strerror(errno))
    guard close(descriptor) == 0, written else {
      unlink(temporary)
      throw PromptGateError(.environment, "cannot write \(temporary): \(reason)")
    }
    guard rename(temporary, path) == 0 else {
      let reason = String(cString: strerror(errno))
      unlink(temporary)
      throw PromptGateError(.environment, reason)
    }
  }

  /// A cache read from `path` whatever mapping it was written for, held in memory (for
  /// pruning); throws when the file cannot be read as a cache of this format.
  init(reading path: String, store: ResultStore) throws {
    guard let file = try CacheFile.read(path, key: nil) else {
      throw CacheFormatError(reason: "it cannot be read")
    }
    self.path = path
    self.store = store
    key = file.key
    for number in 0..<file.stateCount {
      guard let state = file.state(number) else {
        throw CacheFormatError(reason: "state \(number) cannot be read")
      }
      addedStates.append(state)
    }
    for index in 0..<file.recordCount {
      let stored = file.record(at: index)
      record(
        file.recordID(at: index), parents: stored.parents, tree: stored.tree, time: stored.time,
        state: stored.state)
    }
    addedWalks = file.walks.map { ($0.head, $0.firstParent, $0.shallow, Array($0.bytes)) }
  }

  /// Drops the records of commits not in `kept`, and the stored walks of tips not in it;
  /// returns how many records were dropped. Only for a cache read with ``init(reading:store:)``.
  func dropRecords(keeping kept: Set<ObjectID>) -> Int {
    indexRows()
    let before = (addedRows, addedParents)
    let first = addedIndex
    addedRows = []
    addedParents = []
    addedIndex = [:]
    indexedRows = 0
    for (position, row) in before.0.enumerated()
    where kept.contains(row.id) && first[row.id] == position {
      record(
        row.id, parents: Array(before.1[row.parents]), tree: row.tree, time: row.time,
        state: row.state)
    }
    addedWalks.removeAll { !kept.contains($0.head) }
    return first.count - addedRows.count
  }

  static func reason(_ error: any Error) -> String {
    if let error = error as? PromptGateError { return error.message }
    if let error = error as? CacheFormatError { return error.reason }
    return "\(error)"
  }
}
