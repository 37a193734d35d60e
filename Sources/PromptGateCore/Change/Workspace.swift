import Foundation
import GitKit

/// A repository with the mapping rules applied: turns sides into resolved states.
public final class Workspace {
  /// The repository.
  public let repository: Repository
  /// The mapping given with `--config`, which applies to every side; nil to read each side's own.
  public let override: Mapping?
  /// The SHA-256 of the `--config` file's bytes, when one was given: what a history cache of
  /// walks under it is keyed by. Worked out when asked: only a history walk asks, and a large
  /// file takes a while to hash.
  public private(set) lazy var overrideDigest: String? = overrideBytes.map {
    Digest.sha256(Array($0))
  }
  /// The `--config` file's bytes, when one was given.
  private let overrideBytes: Data?
  /// Blobs already parsed or hashed, shared by every side read through this workspace.
  public let cache = ContentCache()

  /// Opens the repository at `path`; reads `configPath` once when given.
  public init(repository: Repository, configPath: String? = nil) throws {
    self.repository = repository
    if let configPath {
      guard let data = FileManager.default.contents(atPath: configPath) else {
        throw Diagnostic(
          file: configPath, "cannot read the file", fix: "check the path given to --config")
      }
      guard let text = String(validating: data, as: UTF8.self) else {
        throw Diagnostic.notUTF8(Array(data), file: configPath)
      }
      override = try MappingParser.parse(text, file: configPath)
      overrideBytes = data
    } else {
      override = nil
      overrideBytes = nil
    }
  }

  /// The same workspace for another thread: the same mapping rules over a sibling of the
  /// repository (``Repository/sibling()``), with a content cache of its own; nil when the
  /// repository cannot be read from two threads.
  func sibling() -> Workspace? {
    guard let repository = repository.sibling() else { return nil }
    return Workspace(repository: repository, override: override, overrideBytes: overrideBytes)
  }

  private init(repository: Repository, override: Mapping?, overrideBytes: Data?) {
    self.repository = repository
    self.override = override
    self.overrideBytes = overrideBytes
  }

  /// The files of `side`; an empty snapshot for HEAD while it is unborn.
  public func snapshot(of side: Side) throws -> Snapshot {
    switch side {
    case .index: return try repository.indexSnapshot()
    case .workTree: return try repository.workTreeSnapshot()
    case .empty: return EmptySnapshot(label: "the empty tree")
    case .revision(let name):
      if name == "HEAD", try repository.headCommit() == nil {
        return EmptySnapshot(label: "HEAD")
      }
      return try repository.snapshot(of: try repository.resolveCommit(name), label: name)
    }
  }

  /// The mapping and behavior states at `side`.
  public func state(of side: Side) throws -> SideState {
    let snapshot = try self.snapshot(of: side)
    return try state(of: side, snapshot: snapshot)
  }

  /// The mapping and behavior states of an already opened snapshot; without `listsFiles`,
  /// file-set components carry no list of their files (``BehaviorResolver/listsFiles``).
  public func state(of side: Side, snapshot: Snapshot, listsFiles: Bool = true) throws
    -> SideState
  {
    let mapping = try override ?? Self.mapping(in: snapshot, cache: cache)
    let resolver = BehaviorResolver(snapshot: snapshot, cache: cache, listsFiles: listsFiles)
    var behaviors: [(String, BehaviorState)] = []
    behaviors.reserveCapacity(mapping?.behaviors.count ?? 0)
    for definition in mapping?.behaviors ?? [] {
      behaviors.append((definition.name, try resolver.resolve(definition)))
    }
    return SideState(
      side: side, snapshot: snapshot, mapping: mapping, behaviors: behaviors, resolver: resolver)
  }

  /// The mapping a snapshot holds at `promptgate.yaml`, or nil when it has none.
  public static func mapping(in snapshot: Snapshot, cache: ContentCache? = nil) throws -> Mapping? {
    guard let entry = try snapshot.entry(at: MappingParser.fileName) else { return nil }
    if let id = entry.id, let cached = cache?.mappings[id] { return cached }
    let location = snapshot.location(of: MappingParser.fileName)
    let bytes = try snapshot.contents(of: entry)
    guard let text = String(validating: bytes, as: UTF8.self) else {
      throw Diagnostic.notUTF8(bytes, file: location)
    }
    let mapping = try MappingParser.parse(text, file: location)
    if let id = entry.id { cache?.mappings[id] = mapping }
    return mapping
  }

  /// Both sides' states; throws when neither has a mapping.
  public func states(_ base: Side, _ head: Side) throws -> (SideState, SideState) {
    let old = try state(of: base)
    let new = try state(of: head)
    if old.mapping == nil && new.mapping == nil {
      throw Diagnostic(
        file: MappingParser.fileName, "neither \(base) nor \(head) has a promptgate.yaml",
        fix: "add promptgate.yaml at the repository root, or pass --config PATH")
    }
    return (old, new)
  }
}
