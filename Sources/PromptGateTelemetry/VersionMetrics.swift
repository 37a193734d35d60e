/// The figures a report shows for one aggregate: counts, quantiles, means and rates, each rate
/// and mean with its 95% interval (docs/telemetry.md, "How the figures are computed").
public struct VersionMetrics: Sendable, Equatable, Encodable {
  /// Latency quantiles in milliseconds (within 1% of the exact nearest-rank value).
  public struct Latency: Sendable, Equatable, Encodable {
    /// Requests that carry a latency.
    public let count: Int
    public let p50: Double?
    public let p95: Double?
    public let p99: Double?
  }

  /// Cost per request and in all, over the requests whose cost is known.
  public struct Cost: Sendable, Equatable, Encodable {
    public let perRequest: MeanEstimate
    public let total: Double
    /// Requests whose cost is known.
    public let known: Int
  }

  /// One tool's calls and failure rate.
  public struct Tool: Sendable, Equatable, Encodable {
    public let name: String
    public let calls: Int
    public let failureRate: RateEstimate
  }

  public let requests: Int
  public let latencyMs: Latency
  public let inputTokensPerRequest: MeanEstimate
  public let outputTokensPerRequest: MeanEstimate
  public let cost: Cost
  /// Failed tool calls out of tool calls.
  public let toolFailureRate: RateEstimate
  /// Requests with a failed tool call out of requests.
  public let requestToolFailureRate: RateEstimate
  public let tools: [Tool]
  public let refusalRate: RateEstimate
  public let fallbackRate: RateEstimate
  public let userRetryRate: RateEstimate
  public let retrievalCallsPerRequest: MeanEstimate
  /// Requests by model, most used first.
  public let models: [ModelCount]
  /// The first and last request times, RFC 3339.
  public let firstSeen: String?
  public let lastSeen: String?

  /// How many requests one model answered.
  public struct ModelCount: Sendable, Equatable, Encodable {
    public let model: String
    public let requests: Int
  }

  /// The figures of `aggregate`.
  public init(_ aggregate: VersionAggregate) {
    requests = aggregate.requests
    latencyMs = Latency(
      count: aggregate.latency.count, p50: aggregate.latency.quantile(0.5),
      p95: aggregate.latency.quantile(0.95), p99: aggregate.latency.quantile(0.99))
    inputTokensPerRequest = aggregate.inputTokens.estimate
    outputTokensPerRequest = aggregate.outputTokens.estimate
    cost = Cost(
      perRequest: aggregate.cost.estimate, total: aggregate.cost.sum, known: aggregate.cost.count)
    toolFailureRate = RateEstimate(aggregate.toolFailures, of: aggregate.toolCalls)
    requestToolFailureRate = RateEstimate(aggregate.requestsWithToolFailure, of: aggregate.requests)
    tools = aggregate.tools.sorted { $0.key < $1.key }.map {
      Tool(
        name: $0.key, calls: $0.value.calls,
        failureRate: RateEstimate($0.value.failures, of: $0.value.calls))
    }
    refusalRate = RateEstimate(aggregate.refusals, of: aggregate.requests)
    fallbackRate = RateEstimate(aggregate.fallbacks, of: aggregate.requests)
    userRetryRate = RateEstimate(aggregate.userRetries, of: aggregate.requests)
    retrievalCallsPerRequest = aggregate.retrievalCalls.estimate
    models = aggregate.models.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map {
      ModelCount(model: $0.key, requests: $0.value)
    }
    firstSeen = aggregate.firstSeen.map(Timestamp.format)
    lastSeen = aggregate.lastSeen.map(Timestamp.format)
  }
}
