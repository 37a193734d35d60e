import ArgumentParser
import Foundation
import GitKit
import PromptGateCore
import PromptGateTelemetry
import PromptGateWorkflows

/// `promptgate-report`: production telemetry per behavior version.
public struct ReportCommand: AsyncParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "promptgate-report",
    abstract: "Summarize production telemetry per behavior version.",
    usage: "promptgate-report [<options>] [<file>...] [--clickhouse <url>]",
    discussion: """
      Reads each file, glob or - (standard input): native JSONL events (one request per line) or \
      OTLP JSON lines as the OpenTelemetry Collector's file exporter writes them (spans grouped \
      into requests by trace), detected from the content (docs/telemetry.md). Keeps the \
      requests in --since/--until, and prints per behavior version: requests; latency p50, \
      p95, p99; tokens and cost per request; tool-failure, refusal, fallback and user-retry rates; \
      retrieval calls per request; each rate and mean with a 95% interval. Each version is \
      labelled with the commits of HEAD's history where it appeared and its release tags, or \
      shown as not in this repository's history.

      --clickhouse reads the OpenTelemetry Collector's ClickHouse traces table instead (or as \
      well), aggregated by ClickHouse; credentials come from CLICKHOUSE_USER and \
      CLICKHOUSE_PASSWORD. With neither files nor --clickhouse, the sources are the telemetry: \
      block of promptgate.yaml.

      --since and --until take RFC 3339 times or a duration before now (7d, 24h, 30m, 90s). \
      Lines that are not events are skipped and counted on stderr; the report is then partial \
      (partial: true in JSON) and still exits 0. No request at all exits 2.
      """)

  /// How the report is printed.
  public enum Format: String, ExpressibleByArgument, CaseIterable, Sendable {
    case text, json, markdown
  }

  @OptionGroup public var common: CommonOptions

  @OptionGroup public var cache: HistoryCacheOptions

  @Argument(
    help: ArgumentHelp(
      "Telemetry files: paths, globs (quoted), or - for standard input.", valueName: "file"))
  public var files: [String] = []

  @Option(
    help: ArgumentHelp(
      "ClickHouse's HTTP interface holding the Collector's traces table (credentials from CLICKHOUSE_USER, CLICKHOUSE_PASSWORD).",
      valueName: "url"))
  public var clickhouse: String?

  @Option(help: ArgumentHelp("The ClickHouse database (default otel).", valueName: "name"))
  public var clickhouseDatabase: String?

  @Option(
    help: ArgumentHelp("The ClickHouse traces table (default otel_traces).", valueName: "name"))
  public var clickhouseTable: String?

  @Option(help: ArgumentHelp("Only requests at or after this time.", valueName: "time"))
  public var since: String?

  @Option(help: ArgumentHelp("Only requests before this time.", valueName: "time"))
  public var until: String?

  @Option(help: ArgumentHelp("Only versions of this behavior.", valueName: "name"))
  public var behavior: String?

  @Option(help: ArgumentHelp("Split each version by route, tenant or model.", valueName: "key"))
  public var groupBy: String?

  @Option(help: "Output format: text, json or markdown.")
  public var format: Format = .text

  public init() {}

  public mutating func validate() throws {
    if clickhouse == nil, clickhouseDatabase != nil || clickhouseTable != nil {
      throw ValidationError("--clickhouse-database and --clickhouse-table need --clickhouse URL")
    }
    if files.filter({ $0 == "-" }).count > 1 {
      throw ValidationError("- (standard input) can be read only once")
    }
    if let groupBy, TelemetryQuery.Stratum(rawValue: groupBy) == nil {
      throw ValidationError("--group-by takes route, tenant or model, not '\(groupBy)'")
    }
  }

  public func run() async throws {
    let now = Timestamp.now
    var query = TelemetryQuery(groupBy: groupBy.flatMap(TelemetryQuery.Stratum.init))
    query.since = try since.map { try Self.bound($0, option: "--since", now: now) }
    query.until = try until.map { try Self.bound($0, option: "--until", now: now) }
    if let since = query.since, let until = query.until, since >= until {
      throw ExitWith(.usage, "--since must be before --until")
    }
    let workspace = try common.workspace()
    let sources = try self.sources(workspace: workspace)
    let report: TelemetryReport
    do {
      report = try await ReportWorkflow(
        workspace: workspace, sources: sources, query: query, behavior: behavior,
        historyCache: cache.cache(for: workspace)
      ).run()
    } catch let empty as NoTelemetry {
      Self.warn(empty.report)
      throw ExitWith(.usage, empty.message)
    }
    Self.warn(report)
    let renderer = ReportRenderer(report: report)
    switch format {
    case .text: Output.write(renderer.text())
    case .json: Output.write(try Output.json(report))
    case .markdown: Output.write(renderer.markdown())
    }
  }

  /// The files and the ClickHouse table named on the command line; else those of the mapping's
  /// `telemetry:` block (files relative to the repository's root).
  func sources(workspace: Workspace) throws -> [any TelemetrySource] {
    let environment = ProcessInfo.processInfo.environment
    if !files.isEmpty || clickhouse != nil {
      var sources: [any TelemetrySource] = try TelemetryFiles.expand(files).map {
        TelemetryFile(path: $0)
      }
      if let clickhouse {
        sources.append(
          try ClickHouseSource(
            url: clickhouse, database: clickhouseDatabase, table: clickhouseTable,
            environment: environment))
      }
      return sources
    }
    let mapping =
      try workspace.override ?? Workspace.mapping(in: try workspace.snapshot(of: .workTree))
    let settings = mapping?.gate.telemetry ?? TelemetrySettings()
    guard !settings.isEmpty else {
      throw ExitWith(
        .usage,
        "name the telemetry files to read (or - for standard input), or --clickhouse URL, or set a telemetry: block in promptgate.yaml (docs/telemetry.md)"
      )
    }
    let root = workspace.repository.workdir ?? "."
    let patterns = settings.files.map { $0.hasPrefix("/") ? $0 : root + "/" + $0 }
    var sources: [any TelemetrySource] = try TelemetryFiles.expand(patterns).map {
      TelemetryFile(path: $0)
    }
    if let table = settings.clickhouse {
      sources.append(
        try ClickHouseSource(
          url: table.url, database: table.database, table: table.table, environment: environment))
    }
    return sources
  }

  /// Skipped lines, ignored keys and history warnings, on stderr.
  static func warn(_ report: TelemetryReport) {
    for warning in report.historyWarnings { Output.error("promptgate-report: warning: \(warning)") }
    if let skipped = ReportRenderer.skippedSummary(report.problems) {
      Output.error("promptgate-report: \(skipped)")
    }
    let unattributed = report.problems.unattributedSpans
    if unattributed > 0 {
      Output.error(
        "promptgate-report: \(unattributed) \(unattributed == 1 ? "span" : "spans") in traces with no span carrying promptgate.behavior_id were not counted"
      )
    }
    let unknown = report.problems.unknownKeys.sorted { $0.key < $1.key }
    if !unknown.isEmpty {
      let keys = unknown.prefix(10).map {
        "\($0.key) (\($0.value) \($0.value == 1 ? "line" : "lines"))"
      }.joined(separator: ", ")
      Output.error("promptgate-report: ignored keys no event format defines: \(keys)")
    }
  }

  static func bound(_ text: String, option: String, now: Int64) throws -> Int64 {
    guard let time = Timestamp.bound(text, now: now) else {
      throw ExitWith(
        .usage,
        "\(option) '\(text)' is neither an RFC 3339 time (2026-01-02T03:04:05Z) nor a duration (7d, 24h, 30m, 90s)"
      )
    }
    return time
  }
}
