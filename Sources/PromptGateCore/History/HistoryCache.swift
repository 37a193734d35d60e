import Foundation
import GitKit

/// What history walks learnt per commit, kept beside the result store so that the next walk
/// reads only the commits added since: each commit's parents, tree and time, and the versions
/// at it with the paths that decide them.
///
/// One file per mapping source: each commit's own `promptgate.yaml`, or the `--config` file by
/// the digest of its bytes. Records are keyed by commit id, so a rewritten history is never
/// served stale (new commits have new ids), and the file by ``format``, raised whenever
/// canonical hashing or what a record holds changes. A file that cannot be read is a warning
/// and the walk recomputes; one that cannot be written is a warning too, never an error.
public final class HistoryCache: KnownCommits {
  /// Raise whenever a behavior version's canonical form, a component's hashing, or the
  /// records' layout changes: files of another format are ignored and rewritten.
  public static let format: UInt32 = 1

  /// One commit as the cache keeps it.
  struct Record {
    let parents: [ObjectID]
    let tree: ObjectID
    let time: Int64
    /// The number of its state in ``states``.
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
  private(set) var states: [State] = []
  private(set) var records: [ObjectID: Record] = [:]
  /// Records added since the file was read.
  private(set) var added = 0
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
    load()
  }

  /// The folder of a store's history caches.
  public static func directory(storeDirectory: String) -> String {
    (storeDirectory as NSString).appendingPathComponent("history")
  }

  /// The number of commits it holds.
  public var count: Int { records.count }

  public func knownCommit(_ id: ObjectID) -> Commit? {
    records[id].map { Commit(id: id, parents: $0.parents, tree: $0.tree, time: $0.time) }
  }

  /// The number of the state recorded for commit `id`.
  func state(of id: ObjectID) -> Int? { records[id]?.state }

  /// Records commit `id`; `state` is the number ``add(_:)`` gave its state.
  func record(_ id: ObjectID, parents: [ObjectID], tree: ObjectID, time: Int64, state: Int) {
    guard records[id] == nil else { return }
    records[id] = Record(parents: parents, tree: tree, time: time, state: state)
    added += 1
  }

  /// Adds a state; returns its number.
  func add(_ state: State) -> Int {
    states.append(state)
    return states.count - 1
  }

  /// Writes the file when records were added, atomically and under the store's shared lock;
  /// a failure becomes a warning.
  public func save() {
    guard added > 0 else { return }
    do {
      try store.withLock(exclusive: false) { try write() }
      added = 0
    } catch {
      warnings.append(
        "cannot write the history cache \(path) (\(Self.reason(error))); the next walk "
          + "reads the whole history again (pass --store PATH to keep it elsewhere)")
    }
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
    guard FileManager.default.createFile(atPath: temporary, contents: Data(encoded())) else {
      throw PromptGateError(.environment, "cannot create \(temporary)")
    }
    guard rename(temporary, path) == 0 else {
      let reason = String(cString: strerror(errno))
      unlink(temporary)
      throw PromptGateError(.environment, reason)
    }
  }

  /// A cache read from `path` whatever mapping it was written for (for pruning); throws when
  /// the file cannot be read as a cache of this format.
  init(reading path: String, store: ResultStore) throws {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw CacheFormatError(reason: "it cannot be read")
    }
    self.path = path
    self.store = store
    (key, states, records) = try Self.decode(Array(data), key: nil)
  }

  /// Drops the records of commits not in `kept`; returns how many were dropped.
  func dropRecords(keeping kept: Set<ObjectID>) -> Int {
    let before = records.count
    records = records.filter { kept.contains($0.key) }
    return before - records.count
  }

  private func load() {
    guard let data = FileManager.default.contents(atPath: path) else { return }
    do {
      (_, states, records) = try Self.decode(Array(data), key: key)
    } catch {
      states = []
      records = [:]
      warnings.append(
        "the history cache \(path) is unreadable (\(Self.reason(error))); the history is "
          + "recomputed and the cache written anew")
    }
  }

  static func reason(_ error: any Error) -> String {
    if let error = error as? PromptGateError { return error.message }
    if let error = error as? CacheFormatError { return error.reason }
    return "\(error)"
  }
}
