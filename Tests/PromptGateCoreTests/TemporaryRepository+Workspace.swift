import GitKit
import PromptGateCore
import TestSupport
import Testing

/// Reading a test repository through the library, as the commands do.
extension TemporaryRepository {
  /// A workspace over this repository (with `config` read once for every side, when given).
  func workspace(config: String? = nil) throws -> Workspace {
    try Workspace(repository: Repository(discoveringFrom: path), configPath: config)
  }

  /// The state of behavior `name` at `side`.
  func state(_ name: String, at side: Side = .workTree) throws -> BehaviorState {
    try #require(try workspace().state(of: side).state(of: name))
  }

  /// Behavior `name` at `side`, which must be present.
  func resolved(
    _ name: String, at side: Side = .workTree, sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> ResolvedBehavior {
    switch try state(name, at: side) {
    case .present(let behavior): return behavior
    case .absent(let absence):
      Issue.record("\(name) is absent at \(side): \(absence)", sourceLocation: sourceLocation)
      throw CommandError("\(name) is absent at \(side): \(absence)")
    }
  }

  /// The version of behavior `name` at `side`, which must be present.
  func version(
    _ name: String, at side: Side = .workTree, sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> BehaviorVersion {
    try resolved(name, at: side, sourceLocation: sourceLocation).version
  }

  /// What differs from `base` to `head`.
  func changes(_ base: Side, _ head: Side) throws -> ChangeSet {
    let (old, new) = try workspace().states(base, head)
    return try ChangeDetector.compare(old, new)
  }

  /// The eval sets selected from `base` to `head`.
  func selection(_ base: Side, _ head: Side, tier: String? = nil) throws -> Selection {
    let (old, new) = try workspace().states(base, head)
    return Selection(changes: try ChangeDetector.compare(old, new), head: new.mapping, tier: tier)
  }
}

extension ChangeSet {
  /// The change of behavior `name`.
  func behavior(_ name: String) throws -> BehaviorChange {
    try #require(behaviors.first { $0.behavior == name })
  }
}

extension BehaviorChange {
  /// The change of `component`.
  func component(_ component: Component) throws -> ComponentChange {
    try #require(components.first { $0.component == component })
  }
}
