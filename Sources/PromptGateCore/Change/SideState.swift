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

  /// The state of `name`, or nil when the mapping does not define it. The states follow the
  /// mapping's behaviors, so it is found by the mapping's index of them: readers that look up
  /// every behavior of a large mapping (a diff does) stay linear.
  public func state(of name: String) -> BehaviorState? {
    if let index = mapping?.behaviorIndex[name], index < behaviors.count,
      behaviors[index].name == name
    {
      return behaviors[index].state
    }
    return behaviors.first { $0.name == name }?.state
  }
}
