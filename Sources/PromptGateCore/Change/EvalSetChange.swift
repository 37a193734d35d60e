/// How an eval set's own definition differs between two sides.
public struct EvalSetChange: Sendable, Encodable {
  /// What changed.
  public enum Kind: String, Sendable, Encodable {
    /// The set is defined at the head only.
    case added
    /// The set is defined at the base only.
    case removed
    /// Its entry in the mapping differs.
    case definition
    /// Its cases file differs.
    case cases
    /// Files its harness reads differ.
    case files
  }

  /// The eval set's name.
  public let evalSet: String
  /// What changed, in a stable order.
  public let kinds: [Kind]
  /// The paths involved (the cases file, the harness files).
  public let paths: [String]
}

/// Everything that differs between two sides.
public struct ChangeSet: Sendable, Encodable {
  /// The base side.
  public let base: SideSummary
  /// The head side.
  public let head: SideSummary
  /// Every behavior defined at either side, in the head's order then the base's.
  public let behaviors: [BehaviorChange]
  /// Eval sets whose definition, cases or files differ.
  public let evalSets: [EvalSetChange]
  /// Files matching `global` that differ.
  public let global: FileChanges

  /// True when anything differs.
  public var hasChanges: Bool {
    behaviors.contains(where: \.isChange) || !evalSets.isEmpty || !global.isEmpty
  }
}

/// A side as machine-readable output names it.
public struct SideSummary: Sendable, Encodable, CustomStringConvertible {
  /// The side.
  public let side: Side
  /// The commit, for a revision.
  public let commit: String?

  public var description: String { side.description }

  public func encode(to encoder: Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(side.token, forKey: .side)
    try container.encode(commit, forKey: .commit)
  }

  enum CodingKeys: String, CodingKey { case side, commit }
}
