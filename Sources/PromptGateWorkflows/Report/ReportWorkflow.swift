import GitKit
import PromptGateCore
import PromptGateTelemetry

/// `promptgate report`: reads telemetry from its sources, aggregates it per behavior version
/// (and stratum) over a window, and labels each version with what git knows of it.
public struct ReportWorkflow {
  public let workspace: Workspace
  public let sources: [any TelemetrySource]
  /// The window and stratum; the prices are filled from HEAD's mapping when empty.
  public let query: TelemetryQuery
  /// Only versions of this behavior.
  public let behavior: String?
  /// The history cache the walk that labels versions reads and extends.
  public let historyCache: HistoryCache?

  /// Creates the workflow.
  public init(
    workspace: Workspace, sources: [any TelemetrySource], query: TelemetryQuery,
    behavior: String? = nil, historyCache: HistoryCache? = nil
  ) {
    self.workspace = workspace
    self.historyCache = historyCache
    self.sources = sources
    self.query = query
    self.behavior = behavior
  }

  /// Reads every source and builds the report. Throws a usage error when no source holds a
  /// request in the window (saying how many were outside it and how many lines were skipped).
  public func run() async throws -> TelemetryReport {
    var query = self.query
    if query.prices.isEmpty, let mapping = try? workspace.state(of: .revision("HEAD")).mapping {
      query.prices = mapping.gate.prices
    }
    var aggregation = Aggregation(query: query)
    for source in sources { try await source.read(into: &aggregation) }
    let labels = try VersionLabels(workspace: workspace, cache: historyCache)
    var wanted: Set<BehaviorID>?
    if let behavior {
      let ids = labels.ids(of: behavior)
      if ids.isEmpty {
        let names = labels.behaviorNames.joined(separator: ", ")
        throw PromptGateError(
          .usage,
          "no commit in HEAD's history defines a behavior named '\(behavior)'; defined: \(names.isEmpty ? "none" : names)"
        )
      }
      wanted = ids
    }
    var versions: [TelemetryReport.Version] = []
    for (key, aggregate) in aggregation.aggregates {
      if let wanted, !wanted.contains(key.behaviorId) { continue }
      versions.append(
        .init(
          behaviorId: key.behaviorId.full, group: key.group,
          label: labels.label(of: key.behaviorId),
          metrics: VersionMetrics(aggregate), firstSeenMs: aggregate.firstSeen ?? 0))
    }
    // Versions in the order they were first seen; a version's strata by name.
    var first: [String: Int64] = [:]
    for version in versions {
      first[version.behaviorId] = min(first[version.behaviorId] ?? .max, version.firstSeenMs)
    }
    versions.sort {
      (first[$0.behaviorId] ?? 0, $0.behaviorId, $0.group ?? "")
        < (first[$1.behaviorId] ?? 0, $1.behaviorId, $1.group ?? "")
    }
    let report = TelemetryReport(
      partial: aggregation.problems.partial,
      since: query.since.map(Timestamp.format), until: query.until.map(Timestamp.format),
      groupBy: query.groupBy?.rawValue, sources: aggregation.sources,
      requests: versions.reduce(0) { $0 + $1.metrics.requests },
      outsideWindow: aggregation.outsideWindow, problems: aggregation.problems,
      historyWarnings: labels.warnings, versions: versions)
    if versions.isEmpty { throw NoTelemetry(report: report, behavior: behavior) }
    return report
  }
}

/// No request to report on: what was read, and why nothing counted.
public struct NoTelemetry: Error, Sendable {
  /// What was read (no versions).
  public let report: TelemetryReport
  let behavior: String?

  /// What to tell the user.
  public var message: String {
    var reasons: [String] = []
    if report.problems.skippedLines > 0 {
      reasons.append("\(report.problems.skippedLines) lines skipped")
    }
    if report.outsideWindow > 0 {
      reasons.append("\(report.outsideWindow) requests outside --since/--until")
    }
    if let behavior { reasons.append("none of behavior '\(behavior)'") }
    let read = report.sources.isEmpty ? "no source" : report.sources.joined(separator: ", ")
    let why = reasons.isEmpty ? "" : " (" + reasons.joined(separator: "; ") + ")"
    return
      "no requests to report in \(read)\(why); each line must be an event with ts and behaviorId (docs/telemetry.md)"
  }
}
