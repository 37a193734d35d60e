import PromptGateCore

/// Turns the rows ClickHouse computed (``ClickHouseQueries``) into the report's mergeable
/// aggregates: counts and sums as they are, means from count, sum and sample variance, the
/// latency sketch from its buckets.
struct ClickHouseRows {
  let query: TelemetryQuery
  let source: String

  /// Adds the per-version rows, the per-tool rows and the counts to `aggregation`.
  func add(
    versions: [JSONNode], tools: [JSONNode], counts: [JSONNode],
    into aggregation: inout Aggregation
  ) throws {
    var aggregates: [AggregateKey: VersionAggregate] = [:]
    for row in versions {
      guard let key = try key(of: row) else { continue }
      aggregates[key] = try aggregate(of: row)
    }
    for row in tools {
      guard let key = try key(of: row), aggregates[key] != nil else { continue }
      let name = try text(row, "tool")
      aggregates[key]?.tools[name] = VersionAggregate.ToolTally(
        calls: try int(row, "calls"), failures: try int(row, "failures"))
    }
    for (key, aggregate) in aggregates.sorted(by: { $0.key < $1.key }) {
      aggregation.merge(aggregate, at: key)
    }
    if let row = counts.first {
      aggregation.countOutside(try int(row, "outside_window"))
      aggregation.problems.unattributedSpans += try int(row, "unattributed_spans")
    }
  }

  /// The version and stratum of a row; nil (and a skipped row) when the id is not one.
  func key(of row: JSONNode) throws -> AggregateKey? {
    let text = try text(row, "behavior_id")
    guard let id = BehaviorID(text) else { return nil }
    let stratum = try self.text(row, "stratum")
    return AggregateKey(behaviorId: id, group: query.groupBy == nil ? nil : stratum)
  }

  func aggregate(of row: JSONNode) throws -> VersionAggregate {
    var aggregate = VersionAggregate()
    aggregate.requests = try int(row, "requests")
    aggregate.latency.addZeros(try int(row, "latency_zeros"))
    if case .object(let buckets)? = row["latency_buckets"] {
      for (bucket, count) in buckets {
        guard let index = Int32(bucket), let count = Self.number(count) else {
          throw malformed("latency_buckets")
        }
        aggregate.latency.add(bucket: index, count: Int(count))
      }
    }
    aggregate.inputTokens = try tally(row, "input")
    aggregate.outputTokens = try tally(row, "output")
    aggregate.cost = try tally(row, "cost")
    aggregate.retrievalCalls = try tally(row, "retrieval")
    aggregate.refusals = try int(row, "refusals")
    aggregate.fallbacks = try int(row, "fallbacks")
    aggregate.userRetries = try int(row, "user_retries")
    aggregate.requestsWithToolFailure = try int(row, "requests_with_tool_failure")
    if case .object(let models)? = row["models"] {
      for (model, count) in models {
        aggregate.models[model] = Self.number(count).map { Int($0) } ?? 0
      }
    }
    if aggregate.requests > 0 {
      aggregate.firstSeen = Int64(try int(row, "first_seen"))
      aggregate.lastSeen = Int64(try int(row, "last_seen"))
    }
    return aggregate
  }

  /// A mean's tally from `NAME_count`, `NAME_sum` and `NAME_variance`.
  func tally(_ row: JSONNode, _ name: String) throws -> MeanTally {
    let count = try int(row, "\(name)_count")
    guard count > 0 else { return MeanTally() }
    let sum = row["\(name)_sum"].flatMap(Self.number) ?? 0
    let variance = row["\(name)_variance"].flatMap(Self.number) ?? 0
    return MeanTally(count: count, sum: sum, variance: variance.isFinite ? variance : 0)
  }

  func int(_ row: JSONNode, _ name: String) throws -> Int {
    guard let value = row[name].flatMap(Self.number), value.isFinite else {
      throw malformed(name)
    }
    return Int(value)
  }

  func text(_ row: JSONNode, _ name: String) throws -> String {
    guard case .string(let text)? = row[name] else { throw malformed(name) }
    return text
  }

  /// A number as ClickHouse writes it: a JSON number, or a quoted one (64-bit integers are
  /// quoted unless `output_format_json_quote_64bit_integers` is off).
  static func number(_ node: JSONNode) -> Double? {
    switch node {
    case .number(let value): return value
    case .string(let text): return Double(text)
    default: return nil
    }
  }

  func malformed(_ column: String) -> PromptGateError {
    PromptGateError(
      .unavailable,
      "\(source) answered without a readable \(column) column; is it ClickHouse's HTTP interface?")
  }
}
