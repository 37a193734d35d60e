/// How one behavior differs between two sides.
public struct BehaviorChange: Sendable, Encodable {
  /// What happened to the behavior as a whole.
  public enum Status: String, Sendable, Encodable {
    /// Present at the head only: defined there, or all its required sources appeared.
    case added
    /// Present at the base only.
    case removed
    /// Present at both sides with different ids.
    case changed
    /// Same id (or absent at both sides); the definition may still have changed.
    case unchanged
  }

  /// The behavior's name.
  public let behavior: String
  /// The overall status.
  public let status: Status
  /// The id at the base, nil when absent there.
  public let previousId: BehaviorID?
  /// The id at the head, nil when absent there.
  public let id: BehaviorID?
  /// Why the behavior is absent at the base, when it is.
  public let previousAbsence: String?
  /// Why the behavior is absent at the head, when it is.
  public let absence: String?
  /// The components whose values differ (every component when the behavior appeared or vanished).
  public let changed: [Component]
  /// Details of each changed component.
  public let components: [ComponentChange]
  /// True when the mapping's definition of the behavior differs between the sides.
  public let definitionChanged: Bool

  /// True when there is anything to report.
  public var isChange: Bool { status != .unchanged || definitionChanged }

  // Ids and absences are written as null rather than left out, so every entry has one shape.
  public func encode(to encoder: Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(behavior, forKey: .behavior)
    try container.encode(status, forKey: .status)
    try container.encode(previousId, forKey: .previousId)
    try container.encode(id, forKey: .id)
    try container.encode(previousAbsence, forKey: .previousAbsence)
    try container.encode(absence, forKey: .absence)
    try container.encode(changed, forKey: .changed)
    try container.encode(components, forKey: .components)
    try container.encode(definitionChanged, forKey: .definitionChanged)
  }

  enum CodingKeys: String, CodingKey {
    case behavior, status, previousId, id, previousAbsence, absence, changed, components,
      definitionChanged
  }
}

/// How one component differs.
public struct ComponentChange: Sendable, Encodable {
  /// The component.
  public let component: Component
  /// The tuple's field at the base.
  public let old: JSONValue
  /// The tuple's field at the head.
  public let new: JSONValue
  /// For a file set: the files added, removed, modified and renamed.
  public let files: FileChanges?
  /// For a pointer into structured data: the leaves that differ (at most
  /// ``ValueChange/displayLimit``).
  public let values: [ValueChange]?
  /// For a pointer into structured data: how many more leaves differ than ``values`` lists.
  public var omittedValues: Int? = nil
  /// For a file set of JSON and YAML files hashed in canonical form (tool schemas, policies):
  /// the leaves that differ in each modified file.
  public var fileValues: [FileValueChanges]? = nil
}
