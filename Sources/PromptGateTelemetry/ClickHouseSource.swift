import Foundation
import PromptGateCore
import PromptGateTransport

/// The OpenTelemetry Collector's ClickHouse exporter's traces table (`otel.otel_traces` by
/// default), read over ClickHouse's HTTP interface. ClickHouse groups the spans into requests and
/// aggregates them per version (and stratum) in the window; only those aggregates come back, and
/// they merge into the report like a file's (``ClickHouseQueries``).
public struct ClickHouseSource: TelemetrySource {
  /// The database the Collector's exporter writes to by default.
  public static let defaultDatabase = "otel"
  /// The exporter's traces table by default.
  public static let defaultTable = "otel_traces"
  /// The variables the credentials are read from.
  public static let userVariable = "CLICKHOUSE_USER"
  public static let passwordVariable = "CLICKHOUSE_PASSWORD"

  /// The server's HTTP interface (`http://host:8123`).
  public let url: String
  public let database: String
  public let table: String
  let client: ClickHouseClient

  /// A source at `url` (http or https, without credentials in it); `user` and `password` are
  /// sent as ClickHouse's `X-ClickHouse-User` and `X-ClickHouse-Key` headers. The password is
  /// registered with the ``Redactor`` so that nothing printed holds it.
  public init(
    url: String, database: String = defaultDatabase, table: String = defaultTable,
    user: String? = nil, password: String? = nil
  ) throws {
    guard let components = URLComponents(string: url), components.host?.isEmpty == false,
      ["http", "https"].contains(components.scheme?.lowercased() ?? "")
    else {
      throw PromptGateError(
        .usage,
        "--clickhouse takes the URL of ClickHouse's HTTP interface, such as http://127.0.0.1:8123, not '\(Redactor.scrub(url))'"
      )
    }
    if components.user != nil || components.password != nil {
      throw PromptGateError(
        .usage,
        "the ClickHouse URL holds credentials; remove them from it and set \(Self.userVariable) and \(Self.passwordVariable) instead"
      )
    }
    for (name, value) in [("database", database), ("table", table)] where value.isEmpty {
      throw PromptGateError(.usage, "the ClickHouse \(name) name is empty")
    }
    let secret = password.flatMap { $0.isEmpty ? nil : Secret($0) }
    if let secret { Redactor.register(secret.value) }
    self.url = url
    self.database = database
    self.table = table
    let user = user.flatMap { $0.isEmpty ? nil : $0 } ?? (secret == nil ? nil : "default")
    client = ClickHouseClient(url: url, user: user, password: secret)
  }

  /// A source at `url` with the credentials from `CLICKHOUSE_USER` and `CLICKHOUSE_PASSWORD`.
  public init(
    url: String, database: String?, table: String?, environment: [String: String]
  ) throws {
    try self.init(
      url: url, database: database ?? Self.defaultDatabase, table: table ?? Self.defaultTable,
      user: environment[Self.userVariable], password: environment[Self.passwordVariable])
  }

  public var name: String { "\(url) \(database).\(table)" }

  public func read(into aggregation: inout Aggregation) async throws {
    let parameters = Self.parameters(
      query: aggregation.query, database: database, table: table)
    let http = HTTPTransport.makeClient()
    let rows = ClickHouseRows(query: aggregation.query, source: name)
    do {
      let versions = try await client.rows(
        ClickHouseQueries.aggregates, parameters: parameters, client: http,
        what: "the per-version aggregates")
      let tools = try await client.rows(
        ClickHouseQueries.tools, parameters: parameters, client: http, what: "the tool calls")
      let counts = try await client.rows(
        ClickHouseQueries.counts, parameters: parameters, client: http, what: "the counts")
      try await http.shutdown()
      try rows.add(versions: versions, tools: tools, counts: counts, into: &aggregation)
    } catch {
      try? await http.shutdown()
      throw error
    }
    aggregation.read(name)
  }

  /// The queries' parameters: the table, the window, the stratum, the prices and the sketch.
  static func parameters(query: TelemetryQuery, database: String, table: String) -> [String: String]
  {
    // Spans are scanned from a day before the window to a day after it: a request's child spans
    // start after it, and may end after the window does.
    let day: Int64 = 86_400_000
    let farFuture: Int64 = 7_258_118_400_000  // 2200-01-01, inside DateTime64(9)'s range
    let prices = query.prices.sorted { $0.key < $1.key }
    return [
      "database": database,
      "table": table,
      "spans_from": String(max(0, (query.since ?? 0) - day)),
      "spans_to": String(min(farFuture, (query.until ?? farFuture - day) + day)),
      "since": String(query.since ?? .min),
      "until": String(query.until ?? .max),
      "group_by": query.groupBy?.rawValue ?? "",
      "price_models": "[" + prices.map { quoted($0.key) }.joined(separator: ",") + "]",
      "price_inputs": "[" + prices.map { String($0.value.input) }.joined(separator: ",") + "]",
      "price_outputs": "[" + prices.map { String($0.value.output) }.joined(separator: ",") + "]",
      "smallest": String(QuantileSketch.smallest),
      "log_gamma": String(QuantileSketch.logGamma),
    ]
  }

  /// `text` as a string literal inside an array parameter's value (ClickHouse's quoted text
  /// format: backslash and quote escaped).
  static func quoted(_ text: String) -> String {
    "'" + text.replacing("\\", with: "\\\\").replacing("'", with: "\\'") + "'"
  }
}
