import GitKit
import PromptGateCore

/// What git knows of a behavior version: the behaviors that had it, the commits where it
/// appeared, its release tags; or why it is not known.
public struct VersionLabel: Sendable, Equatable, Encodable {
  /// Whether the repository's history has the version.
  public enum Status: String, Sendable, Encodable {
    /// Some commit of HEAD's history resolves to it.
    case inHistory
    /// No commit of HEAD's history does.
    case notInHistory
    /// No commit down to a shallow clone's boundary does; older ones may.
    case beyondShallowBoundary
  }

  public let status: Status
  /// The behaviors that had this id (one, unless two behaviors are defined alike).
  public let behaviors: [String]
  /// The commits (full ids, newest first) at which a behavior changed to this version.
  public let commits: [String]
  /// Release tags of the version (`promptgate/<behavior>/<short id>`).
  public let releases: [String]
  /// HEAD has this version (in a shallow clone, where it first appeared may be out of reach).
  public let atHead: Bool

  /// How the status reads in text.
  public var statusText: String {
    switch status {
    case .inHistory: return "in this repository's history"
    case .notInHistory: return "not in this repository's history"
    case .beyondShallowBoundary:
      return atHead
        ? "at HEAD; where it appeared is beyond the shallow boundary"
        : "not in the history down to the shallow boundary (beyond the shallow boundary?)"
    }
  }
}

/// The labels of every version in a repository's history, from one history walk and the
/// release tags.
public struct VersionLabels: Sendable {
  /// Entries of the walk by id.
  private var appeared: [BehaviorID: [LogEntry]] = [:]
  private var tags: [BehaviorID: [String]] = [:]
  /// The behaviors' versions at HEAD, by id.
  private var atHead: [BehaviorID: [String]] = [:]
  /// The walk stopped at a shallow boundary.
  public let shallow: Bool
  /// What the walk and the tags could not read.
  public let warnings: [String]

  /// Walks HEAD's history (all behaviors), with `cache` when given, and reads the release tags.
  public init(workspace: Workspace, cache: HistoryCache? = nil) throws {
    let repository = workspace.repository
    var warnings: [String] = []
    var shallow = false
    if let head = try repository.headCommit() {
      let history = try BehaviorHistory(workspace: workspace, options: .init(), cache: cache).walk(
        from: nil, to: head)
      for entry in history.entries {
        if let id = entry.id { appeared[id, default: []].append(entry) }
      }
      warnings += history.warnings
      shallow = !history.cutAt.isEmpty
      if let state = try? workspace.state(of: .revision(head.hex)) {
        for (name, behavior) in state.behaviors {
          if case .present(let resolved) = behavior {
            atHead[resolved.version.id, default: []].append(name)
          }
        }
      }
    }
    let (records, tagWarnings) = try ReleaseRecord.all(in: repository)
    for record in records { tags[record.id, default: []].append(record.tag) }
    self.shallow = shallow
    self.warnings = warnings + tagWarnings
  }

  /// The label of `id`.
  public func label(of id: BehaviorID) -> VersionLabel {
    let entries = appeared[id] ?? []
    let status: VersionLabel.Status =
      !entries.isEmpty ? .inHistory : shallow ? .beyondShallowBoundary : .notInHistory
    var behaviors: [String] = atHead[id] ?? []
    for entry in entries where !behaviors.contains(entry.behavior) {
      behaviors.append(entry.behavior)
    }
    var commits: [String] = []
    for entry in entries where !commits.contains(entry.commit) { commits.append(entry.commit) }
    return VersionLabel(
      status: status, behaviors: behaviors.sorted(), commits: commits,
      releases: (tags[id] ?? []).sorted(), atHead: atHead[id] != nil)
  }

  /// The ids some commit gave to `behavior`.
  public func ids(of behavior: String) -> Set<BehaviorID> {
    Set(appeared.filter { $0.value.contains { $0.behavior == behavior } }.keys)
      .union(atHead.filter { $0.value.contains(behavior) }.keys)
  }

  /// Every behavior name the history has.
  public var behaviorNames: [String] {
    Set(appeared.values.flatMap { $0.map(\.behavior) } + atHead.values.joined()).sorted()
  }
}
