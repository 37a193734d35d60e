import Foundation
import PromptGateCore
import Testing

@testable import PromptGateTelemetry

/// The ClickHouse reader's pieces that need no server: what it sends, and how it reads rows.
@Suite("ClickHouse source")
struct ClickHouseSourceTests {
  @Test("values travel as parameters, never in the SQL text")
  func parameters() throws {
    var query = TelemetryQuery(since: 1_767_225_600_000, until: 1_767_312_000_000, groupBy: .tenant)
    query.prices = ["it's \\ odd": Price(input: 1e21, output: 0.6)]
    let values = ClickHouseSource.parameters(query: query, database: "db", table: "spans")
    for sql in [ClickHouseQueries.aggregates, ClickHouseQueries.tools, ClickHouseQueries.counts] {
      #expect(!sql.contains("otel_traces") && !sql.contains("1767225600000"))
      #expect(!sql.contains("it's"))
      // Every placeholder has its value, and every value a placeholder.
      let names = Set(
        sql.matches(of: /\{([a-z_]+):/).map { String($0.output.1) })
      #expect(names.isSubset(of: Set(values.keys)), "\(names.subtracting(values.keys))")
    }
    #expect(values["database"] == "db" && values["table"] == "spans")
    #expect(values["since"] == "1767225600000" && values["until"] == "1767312000000")
    #expect(values["spans_from"] == String(1_767_225_600_000 - 86_400_000))
    #expect(values["group_by"] == "tenant")
    #expect(values["price_models"] == #"['it\'s \\ odd']"#)
    #expect(values["price_inputs"] == "[1e+21]")
    let url = ClickHouseClient.queryURL("http://127.0.0.1:8123", parameters: values)
    #expect(url.contains("param_price_inputs=%5B1e%2B21%5D"), "\(url)")
    #expect(!url.contains("'"))
  }

  @Test("a URL with credentials, or not http, is refused; the password is registered")
  func endpoint() throws {
    #expect(throws: PromptGateError.self) {
      try ClickHouseSource(url: "http://reader:hunter2hunter2@127.0.0.1:8123")
    }
    #expect(throws: PromptGateError.self) { try ClickHouseSource(url: "clickhouse:9000") }
    let source = try ClickHouseSource(
      url: "http://127.0.0.1:8123", database: nil, table: nil,
      environment: ["CLICKHOUSE_PASSWORD": "registered-password-42"])
    #expect(source.name == "http://127.0.0.1:8123 otel.otel_traces")
    #expect(source.client.user == "default")
    #expect(Redactor.scrub("said registered-password-42") == "said [redacted]")
    #expect(!"\(source)".contains("registered-password-42"))
  }

  @Test("rows become aggregates: quoted 64-bit counts, buckets, tallies, tools")
  func rows() throws {
    let id = testID("d")
    let row = try JSONNode.parse(
      #"{"behavior_id":"\#(id.full)","stratum":"","requests":"3","latency_zeros":"1","latency_buckets":{"312":"2"},"input_count":2,"input_sum":300,"input_variance":5000,"output_count":0,"output_sum":null,"output_variance":null,"cost_count":0,"cost_sum":null,"cost_variance":null,"retrieval_count":3,"retrieval_sum":3,"retrieval_variance":0,"refusals":1,"fallbacks":0,"user_retries":0,"requests_with_tool_failure":1,"models":{"m":"3"},"first_seen":"1767225600000","last_seen":1767225660000}"#
    )
    let tool = try JSONNode.parse(
      #"{"behavior_id":"\#(id.full)","stratum":"","tool":"lookup","calls":"2","failures":1}"#)
    let counts = try JSONNode.parse(#"{"outside_window":"4","unattributed_spans":7}"#)
    var aggregation = Aggregation(query: TelemetryQuery())
    try ClickHouseRows(query: aggregation.query, source: "s").add(
      versions: [row], tools: [tool], counts: [counts], into: &aggregation)
    let aggregate = try #require(aggregation.aggregates[AggregateKey(behaviorId: id, group: nil)])
    // The same requests added one by one give the same aggregate.
    var expected = VersionAggregate()
    for (index, input) in [100, 200, nil].enumerated() {
      var event = TelemetryEvent(
        timestamp: index == 2 ? 1_767_225_660_000 : 1_767_225_600_000, behaviorId: id,
        model: "m", latencyMs: index == 0 ? 0 : 512, inputTokens: input, retrievalCalls: 1,
        refusal: index == 1)
      if index == 0 {
        event.tools = [
          TelemetryToolCall(name: "lookup", failed: true),
          TelemetryToolCall(name: "lookup", failed: false),
        ]
      }
      expected.add(event, cost: nil)
    }
    #expect(aggregate == expected)
    #expect(aggregation.outsideWindow == 4)
    #expect(aggregation.problems.unattributedSpans == 7)
  }
}
