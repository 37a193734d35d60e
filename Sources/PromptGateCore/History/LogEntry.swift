/// One change of a behavior's version at one commit.
public struct LogEntry: Sendable, Encodable, Equatable {
  /// The commit's full id.
  public let commit: String
  /// The behavior.
  public let behavior: String
  /// The id before the commit; nil when the behavior appeared.
  public let previousId: BehaviorID?
  /// The id at the commit; nil when the behavior disappeared.
  public let id: BehaviorID?
  /// The components that differ (every component when the behavior appeared or disappeared).
  public let changed: [Component]

  // Every key is written, null when absent, so every entry has one shape.
  public func encode(to encoder: Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(commit, forKey: .commit)
    try container.encode(behavior, forKey: .behavior)
    try container.encode(previousId, forKey: .previousId)
    try container.encode(id, forKey: .id)
    try container.encode(changed, forKey: .changed)
  }

  enum CodingKeys: String, CodingKey { case commit, behavior, previousId, id, changed }
}

/// What a walk found: the entries, newest first, and where history stopped early.
public struct History: Sendable {
  /// The entries, newest first.
  public let entries: [LogEntry]
  /// Shallow-clone boundary commits the walk reached and could not go past.
  public let cutAt: [String]
  /// Commits whose mapping or sources could not be read, with why; their versions were skipped.
  public let warnings: [String]
  /// How many commits this walk listed: all of the range, only those added since a stored
  /// walk it extended, or none when a stored walk answered it.
  public let listed: Int
}
