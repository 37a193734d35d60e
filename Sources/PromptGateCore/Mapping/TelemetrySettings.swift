/// Where `promptgate report` reads telemetry when it is given no source: the mapping's
/// `telemetry:` block (docs/telemetry.md, "The telemetry: block").
public struct TelemetrySettings: Sendable, Hashable {
  /// The Collector's ClickHouse traces table.
  public struct ClickHouse: Sendable, Hashable {
    /// ClickHouse's HTTP interface (`http://host:8123`), without credentials.
    public var url: String
    /// The database (nil: the reader's default, `otel`).
    public var database: String?
    /// The table (nil: the reader's default, `otel_traces`).
    public var table: String?

    /// Creates the settings.
    public init(url: String, database: String? = nil, table: String? = nil) {
      self.url = url
      self.database = database
      self.table = table
    }
  }

  /// Telemetry files or globs, relative to the repository's root.
  public var files: [String] = []
  /// A ClickHouse table to read, when set.
  public var clickhouse: ClickHouse?

  /// No source named.
  public init(files: [String] = [], clickhouse: ClickHouse? = nil) {
    self.files = files
    self.clickhouse = clickhouse
  }

  /// True when the block names no source.
  public var isEmpty: Bool { files.isEmpty && clickhouse == nil }
}
