import Yams

/// The mapping's `telemetry:` block: the sources `promptgate report` reads by default.
extension MappingParser {
  static let telemetryKeys = ["files", "clickhouse"]
  static let clickHouseKeys = ["url", "database", "table"]

  /// Reads `telemetry: {files: [...], clickhouse: {url, database, table}}`.
  mutating func telemetry(_ node: YAMLNode) -> TelemetrySettings {
    var settings = TelemetrySettings()
    guard let fields = members(of: node, at: "telemetry") else { return settings }
    for (field, value) in fields {
      switch field.text {
      case "files": settings.files = strings(value, key: "telemetry.files") ?? []
      case "clickhouse": settings.clickhouse = clickHouse(value)
      default: unknownKey(field, in: "telemetry", known: Self.telemetryKeys)
      }
    }
    return settings
  }

  mutating func clickHouse(_ node: YAMLNode) -> TelemetrySettings.ClickHouse? {
    guard let fields = members(of: node, at: "telemetry.clickhouse") else { return nil }
    var url: String?
    var database: String?
    var table: String?
    for (field, value) in fields {
      let key = "telemetry.clickhouse.\(field.text ?? "")"
      switch field.text {
      case "url":
        url = string(value, key: key)
        if let text = url, !(text.hasPrefix("http://") || text.hasPrefix("https://")) {
          problems.append(
            diagnostic(
              at: value, "\(key) must be an http:// or https:// URL",
              fix: "write ClickHouse's HTTP interface, e.g. http://127.0.0.1:8123"))
          url = nil
        }
      case "database": database = string(value, key: key)
      case "table": table = string(value, key: key)
      default: unknownKey(field, in: "telemetry.clickhouse", known: Self.clickHouseKeys)
      }
    }
    guard let url else {
      if !fields.contains(where: { $0.0.text == "url" }) {
        problems.append(
          diagnostic(
            at: node, "telemetry.clickhouse needs url",
            fix:
              "write url: http://HOST:8123 (credentials come from CLICKHOUSE_USER and CLICKHOUSE_PASSWORD)"
          ))
      }
      return nil
    }
    return TelemetrySettings.ClickHouse(url: url, database: database, table: table)
  }
}
