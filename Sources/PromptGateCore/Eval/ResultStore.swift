import Foundation

/// One stored output: what produced it, and what it was.
public struct StoredResult: Codable, Sendable {
  /// The result key (see `ResultKey`).
  public let key: String
  /// The behavior version id it ran against.
  public let behaviorId: String
  /// The behavior's name, the eval set's and the case's id, for reading the store by hand.
  public let behavior: String
  public let evalSet: String
  public let caseId: String
  /// Which repeat.
  public let repeatIndex: Int
  /// The raw output: scoring happens when results are read.
  public let output: ProviderOutput
}

/// A judge's verdict on one output, stored by judge, rubric and output.
public struct StoredJudgement: Codable, Sendable {
  /// The judgement key.
  public let key: String
  /// The verdict.
  public let pass: Bool
  /// The judge's score in [0, 1], when it gave one.
  public let score: Double?
  /// The judge's reason.
  public let reason: String
}

/// Raw outputs and judge verdicts on local disk, one JSON file per key.
///
/// Files are written to a temporary name and renamed, so a reader never sees half a file and an
/// interrupted run keeps every result it finished. Runs hold a shared lock and `prune` an
/// exclusive one, so pruning never removes what a running gate is about to read.
public final class ResultStore: Sendable {
  /// The store's directory.
  public let directory: String

  /// The default store of a repository: `promptgate/store` in its common git directory, shared
  /// by linked worktrees, kept across branch switches, never shown by `git status`.
  public static func defaultDirectory(commonDir: String) -> String {
    (commonDir as NSString).appendingPathComponent("promptgate/store")
  }

  /// Which results written elsewhere — fetched from the remote (`promptgate store fetch`), or
  /// in the store before this process (a restored CI cache) — a gate may read.
  public enum SharedUse: Sendable, Equatable {
    /// Every one: a developer's clone, the default branch, a release.
    case all
    /// Only those of these behavior versions (a pull request's baseline: its head always runs
    /// in the job, never from results someone else wrote).
    case behaviors(Set<String>)
  }

  /// Which fetched results this store reads; in a pull request's job, also which of this
  /// store's own results from before the job (a CI cache the pull request's workflow could
  /// have written): others serve only when this process wrote them.
  public let shared: SharedUse
  /// The keys of the results and verdicts this process wrote.
  private let writtenHere = LockedValue<Set<String>>([])
  /// The fetched results, read where they are kept (git objects): apart from what this clone
  /// wrote, so their provenance is known.
  let fetched: (any FetchedEntries)?

  /// Opens the store at `directory`, reading fetched results from `fetched` as `shared`
  /// allows; its folders are made on the first write.
  public init(directory: String, shared: SharedUse = .all, fetched: (any FetchedEntries)? = nil) {
    self.directory = directory
    self.shared = shared
    self.fetched = fetched
  }

  /// Where the store keeps what it knows of the shared ref (what this clone pruned from it).
  public var sharedDirectory: String { directory + "/shared" }

  /// The stored result for `key`, or nil: what this clone wrote, else a fetched one that
  /// ``shared`` allows.
  public func result(_ key: String) -> StoredResult? {
    if let local: StoredResult = read(path(kind: "results", key: key)), serves(local) {
      return local
    }
    guard let fetched: StoredResult = readFetched(Self.relativePath(kind: "results", key: key))
    else { return nil }
    return serves(fetched) ? fetched : nil
  }

  private func serves(_ result: StoredResult) -> Bool {
    switch shared {
    case .all: true
    case .behaviors(let ids):
      ids.contains(result.behaviorId) || writtenHere.value.contains(result.key)
    }
  }

  /// Stores `result` atomically.
  public func write(_ result: StoredResult) throws {
    try store(result, at: path(kind: "results", key: result.key))
    writtenHere.update { $0.insert(result.key) }
  }

  /// The stored judgement for `key`, or nil.
  public func judgement(_ key: String) -> StoredJudgement? {
    // A verdict is keyed by the output it judged, not by a side: verdicts from elsewhere serve
    // only where every such result does.
    guard shared == .all else {
      guard writtenHere.value.contains(key) else { return nil }
      return read(path(kind: "judgements", key: key))
    }
    if let local: StoredJudgement = read(path(kind: "judgements", key: key)) { return local }
    return readFetched(Self.relativePath(kind: "judgements", key: key))
  }

  /// Stores `judgement` atomically.
  public func write(_ judgement: StoredJudgement) throws {
    try store(judgement, at: path(kind: "judgements", key: judgement.key))
    writtenHere.update { $0.insert(judgement.key) }
  }

  /// True when the store's directory exists (a store no gate has written to yet has none).
  public var exists: Bool {
    var isDirectory: ObjCBool = false
    return FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory)
      && isDirectory.boolValue
  }

  /// Every stored result's file path and behavior id.
  public func allResults() -> [(path: String, behaviorId: String)] {
    storedResults().map { ($0.path, $0.result.behaviorId) }
  }

  /// Every stored result with its file path, in path order.
  public func storedResults() -> [(path: String, result: StoredResult)] {
    files(kind: "results").compactMap { file in
      (read(file) as StoredResult?).map { (file, $0) }
    }
  }

  /// The paths of every stored judgement, in path order.
  public func judgementPaths() -> [String] { files(kind: "judgements") }

  /// The `.json` files under `kind`'s folder, in path order.
  private func files(kind: String) -> [String] {
    let root = (directory as NSString).appendingPathComponent(kind)
    var found: [String] = []
    for shard in ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).sorted() {
      let folder = (root as NSString).appendingPathComponent(shard)
      for name in ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
      where name.hasSuffix(".json") {
        found.append((folder as NSString).appendingPathComponent(name))
      }
    }
    return found
  }

  /// Runs `body` holding the store's lock: shared for runs, exclusive for pruning.
  public func withLock<T>(exclusive: Bool, _ body: () throws -> T) throws -> T {
    let lock = try lock(exclusive: exclusive)
    defer { lock.release() }
    return try body()
  }

  /// Takes the store's lock (shared for runs, exclusive for pruning) until `release()`; for
  /// callers that hold it across suspension points.
  public func lock(exclusive: Bool) throws -> StoreLock {
    try makeDirectory(directory)
    let lockPath = (directory as NSString).appendingPathComponent("lock")
    let descriptor = open(lockPath, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else {
      throw PromptGateError(
        .environment,
        "cannot open the result store's lock \(lockPath): \(String(cString: strerror(errno))); "
          + "check its permissions, or pass --store PATH")
    }
    guard flock(descriptor, exclusive ? LOCK_EX : LOCK_SH) == 0 else {
      let reason = String(cString: strerror(errno))
      close(descriptor)
      throw PromptGateError(
        .environment, "cannot lock the result store \(lockPath): \(reason); try again")
    }
    return StoreLock(descriptor: descriptor)
  }

  // MARK: Files

  private func path(kind: String, key: String) -> String {
    "\(directory)/\(Self.relativePath(kind: kind, key: key))"
  }

  /// An entry's path below the store (and in the shared ref's tree): `results/ab/KEY.json`.
  public static func relativePath(kind: String, key: String) -> String {
    "\(kind)/\(key.prefix(2))/\(key).json"
  }

  /// The paths, relative to the store, of every entry this clone wrote.
  public func localEntryPaths() -> [String] {
    (files(kind: "results") + files(kind: "judgements")).map {
      String($0.dropFirst(directory.count + 1))
    }
  }

  private func makeDirectory(_ path: String) throws {
    do {
      try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    } catch {
      throw PromptGateError(
        .environment,
        "cannot create the result store's folder \(path): check the permissions, or pass --store PATH"
      )
    }
  }

  /// Reads a stored value, scrubbed of every known secret (entries written before secrets
  /// were scrubbed on the way in are scrubbed on the way out).
  private func read<Value: Decodable>(_ path: String) -> Value? {
    decode(FileManager.default.contents(atPath: path))
  }

  private func readFetched<Value: Decodable>(_ path: String) -> Value? {
    decode(fetched?.contents(at: path))
  }

  private func decode<Value: Decodable>(_ data: Data?) -> Value? {
    guard let data else { return nil }
    let clean = Data(Redactor.scrub(String(decoding: data, as: UTF8.self)).utf8)
    return try? JSONDecoder().decode(Value.self, from: clean)
  }

  private func store<Value: Encodable>(_ value: Value, at path: String) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    // Nothing stored holds a secret: a gateway may echo a key in an answer.
    let data = Data(Redactor.scrub(String(decoding: try encoder.encode(value), as: UTF8.self)).utf8)
    try makeDirectory((path as NSString).deletingLastPathComponent)
    try makeDirectory("\(directory)/tmp")
    let temporary = "\(directory)/tmp/\(UUID().uuidString)"
    guard FileManager.default.createFile(atPath: temporary, contents: data) else {
      throw PromptGateError(
        .environment, "cannot write to the result store at \(temporary): check the disk")
    }
    guard rename(temporary, path) == 0 else {
      unlink(temporary)
      throw PromptGateError(
        .environment, "cannot write to the result store at \(path): check the disk")
    }
  }
}

/// Entries fetched from the shared ref, by their path in its tree (`results/ab/KEY.json`).
public protocol FetchedEntries: Sendable {
  /// The entry's bytes, or nil when the ref has none at `path`.
  func contents(at path: String) -> Data?
}

/// The result store's lock, held until ``release()``.
public final class StoreLock: @unchecked Sendable {
  private var descriptor: Int32

  init(descriptor: Int32) { self.descriptor = descriptor }

  /// Releases the lock; later calls do nothing.
  public func release() {
    guard descriptor >= 0 else { return }
    flock(descriptor, LOCK_UN)
    close(descriptor)
    descriptor = -1
  }

  deinit { release() }
}

/// The keys results and judgements are stored by.
public enum ResultKey {
  /// A run's key: the behavior version, the case's content, the provider's output-deciding
  /// settings (no secrets, no limits), the messages spec, the hash of the set's harness files,
  /// and the repeat index.
  public static func result(
    behaviorId: String, caseContent: JSONValue, provider: JSONValue, messages: MessagesSpec?,
    harnessDigest: String, repeatIndex: Int
  ) throws -> String {
    let messagesValue: JSONValue =
      messages.map {
        .object(["system": $0.system.map(JSONValue.string) ?? .null, "user": .string($0.user)])
      }
      ?? .null
    return try Digest.canonical(
      .object([
        "v": .number(1), "behavior": .string(behaviorId), "case": caseContent, "provider": provider,
        "messages": messagesValue, "harness": .string(harnessDigest),
        "repeat": .number(Double(repeatIndex)),
      ]))
  }

  /// A judgement's key: the judge provider, its model, the rubric and the output graded.
  public static func judgement(provider: JSONValue, model: String?, rubric: String, output: String)
    throws -> String
  {
    try Digest.canonical(
      .object([
        "v": .number(1), "judge": provider, "model": model.map(JSONValue.string) ?? .null,
        "rubric": .string(rubric), "output": .string(output),
      ]))
  }
}
