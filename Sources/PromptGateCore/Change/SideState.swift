import GitKit

/// Everything known about one side: its files, its mapping, and its behaviors' states.
public struct SideState {
  /// Which side this is.
  public let side: Side
  /// Its files.
  public let snapshot: Snapshot
  /// The mapping that applies here; nil when the side has no `promptgate.yaml`.
  public let mapping: Mapping?
  /// Each defined behavior's state, in the mapping's order.
  public let behaviors: [(name: String, state: BehaviorState)]
  /// The resolver, kept for reading more files (eval sets, global files) at this side.
  let resolver: BehaviorResolver

  /// The side as output names it, with its commit when it is one.
  public var summary: SideSummary {
    SideSummary(side: side, commit: (snapshot as? TreeSnapshot)?.commit.hex)
  }

  /// The state of `name`, or nil when the mapping does not define it.
  public func state(of name: String) -> BehaviorState? {
    behaviors.first { $0.name == name }?.state
  }

  /// Each behavior's state by name (the first, when the mapping repeats a name), for readers
  /// that look up every behavior.
  var statesByName: [String: BehaviorState] {
    Dictionary(behaviors.lazy.map { ($0.name, $0.state) }) { first, _ in first }
  }
}
