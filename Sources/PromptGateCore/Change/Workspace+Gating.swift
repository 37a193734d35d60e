extension Workspace {
  /// The two sides of a gate. The head's mapping must be valid (an error here is the user's to
  /// fix: exit 2). The baseline's may not be: a change that fixes an invalid mapping must never
  /// be refused because of it. Then the baseline counts as having no mapping (every behavior is
  /// new, its cases are reported as new and never as regressions), and `warning` names the
  /// baseline's error. Either side may have no mapping at all; ``requireMapping(_:_:)`` says
  /// when neither has.
  public func gatingStates(_ base: Side, _ head: Side) throws -> (
    SideState, SideState, warning: String?
  ) {
    let new = try state(of: head)
    do {
      return (try state(of: base), new, nil)
    } catch let error as Diagnostic where override == nil && new.mapping != nil {
      return try withoutMapping(base, new, error.description)
    } catch let error as Diagnostics where override == nil && new.mapping != nil {
      return try withoutMapping(base, new, error.items.first?.description ?? "invalid")
    }
  }

  /// Throws when neither side has a mapping.
  public static func requireMapping(_ old: SideState, _ new: SideState) throws {
    guard old.mapping == nil && new.mapping == nil else { return }
    throw Diagnostic(
      file: MappingParser.fileName, "neither \(old.side) nor \(new.side) has a promptgate.yaml",
      fix: "add promptgate.yaml at the repository root, or pass --config PATH")
  }

  private func withoutMapping(_ base: Side, _ new: SideState, _ error: String) throws -> (
    SideState, SideState, warning: String?
  ) {
    let snapshot = try self.snapshot(of: base)
    let old = SideState(
      side: base, snapshot: snapshot, mapping: nil, behaviors: [],
      resolver: BehaviorResolver(snapshot: snapshot, cache: cache))
    let firstLine = error.split(separator: "\n").first.map(String.init) ?? error
    return (
      old, new,
      "the baseline's promptgate.yaml is invalid (\(firstLine)); gating \(new.side) as new, with no baseline"
    )
  }
}
