import PromptGateCore
import PromptGateTelemetry

/// A report: each behavior version's figures over the window, labelled from git, with what was
/// read and skipped. Its JSON is the `--format json` output.
public struct TelemetryReport: Sendable, Encodable {
  /// One version (and stratum) with its label and figures.
  public struct Version: Sendable, Encodable {
    public let behaviorId: String
    /// The stratum's value under `--group-by`.
    public let group: String?
    public let label: VersionLabel
    public let metrics: VersionMetrics
    /// For ordering: the first request's time.
    let firstSeenMs: Int64

    enum CodingKeys: String, CodingKey { case behaviorId, group, label, metrics }

    public func encode(to encoder: Encoder) throws {
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(behaviorId, forKey: .behaviorId)
      try container.encode(group, forKey: .group)
      try container.encode(label, forKey: .label)
      try container.encode(metrics, forKey: .metrics)
    }
  }

  /// The JSON output's version; a change of shape raises it.
  public let schemaVersion = 1
  /// Some lines were skipped: the figures leave them out.
  public let partial: Bool
  public let since: String?
  public let until: String?
  public let groupBy: String?
  public let sources: [String]
  /// Requests counted.
  public let requests: Int
  /// Requests read outside the window.
  public let outsideWindow: Int
  public let problems: ReadProblems
  public let historyWarnings: [String]
  public let versions: [Version]

  enum CodingKeys: String, CodingKey {
    case schemaVersion, partial, since, until, groupBy, sources, requests, outsideWindow, problems
    case historyWarnings, versions
  }

  public func encode(to encoder: Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(schemaVersion, forKey: .schemaVersion)
    try container.encode(partial, forKey: .partial)
    try container.encode(since, forKey: .since)
    try container.encode(until, forKey: .until)
    try container.encode(groupBy, forKey: .groupBy)
    try container.encode(sources, forKey: .sources)
    try container.encode(requests, forKey: .requests)
    try container.encode(outsideWindow, forKey: .outsideWindow)
    try container.encode(problems, forKey: .problems)
    try container.encode(historyWarnings, forKey: .historyWarnings)
    try container.encode(versions, forKey: .versions)
  }
}
