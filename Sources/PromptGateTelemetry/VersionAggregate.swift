import PromptGateCore

/// Everything a report says about one behavior version (or one stratum of it), in mergeable
/// counters: two aggregates of disjoint requests merge into the aggregate of all of them, so
/// files, windows and servers can be read apart and added up, and two versions can be compared
/// figure by figure.
public struct VersionAggregate: Sendable, Equatable {
  /// A tool's calls and failures.
  public struct ToolTally: Sendable, Equatable {
    public var calls = 0
    public var failures = 0

    /// No calls yet.
    public init(calls: Int = 0, failures: Int = 0) {
      self.calls = calls
      self.failures = failures
    }
  }

  /// Requests counted.
  public var requests = 0
  /// Latency in milliseconds, of the requests that carry one.
  public var latency = QuantileSketch()
  public var inputTokens = MeanTally()
  public var outputTokens = MeanTally()
  /// Cost per request, of the requests whose cost is known (recorded, or from the prices).
  public var cost = MeanTally()
  public var retrievalCalls = MeanTally()
  public var refusals = 0
  public var fallbacks = 0
  public var userRetries = 0
  /// Requests with at least one failed tool call.
  public var requestsWithToolFailure = 0
  /// Calls and failures by tool name.
  public var tools: [String: ToolTally] = [:]
  /// Requests by model name (requests with none are not counted here).
  public var models: [String: Int] = [:]
  /// The earliest and latest request times, Unix milliseconds.
  public var firstSeen: Int64?
  public var lastSeen: Int64?

  /// An empty aggregate.
  public init() {}

  /// Counts `event`, with `cost` when it is known.
  public mutating func add(_ event: TelemetryEvent, cost: Double?) {
    requests += 1
    if let latency = event.latencyMs { self.latency.add(latency) }
    if let tokens = event.inputTokens { inputTokens.add(Double(tokens)) }
    if let tokens = event.outputTokens { outputTokens.add(Double(tokens)) }
    if let cost { self.cost.add(cost) }
    if let calls = event.retrievalCalls { retrievalCalls.add(Double(calls)) }
    if event.refusal { refusals += 1 }
    if event.fallback { fallbacks += 1 }
    if event.userRetry { userRetries += 1 }
    var failed = false
    for tool in event.tools {
      tools[tool.name, default: ToolTally()].calls += 1
      if tool.failed {
        tools[tool.name, default: ToolTally()].failures += 1
        failed = true
      }
    }
    if failed { requestsWithToolFailure += 1 }
    if let model = event.model { models[model, default: 0] += 1 }
    firstSeen = min(firstSeen ?? event.timestamp, event.timestamp)
    lastSeen = max(lastSeen ?? event.timestamp, event.timestamp)
  }

  /// Adds `other`'s requests.
  public mutating func merge(_ other: VersionAggregate) {
    requests += other.requests
    latency.merge(other.latency)
    inputTokens.merge(other.inputTokens)
    outputTokens.merge(other.outputTokens)
    cost.merge(other.cost)
    retrievalCalls.merge(other.retrievalCalls)
    refusals += other.refusals
    fallbacks += other.fallbacks
    userRetries += other.userRetries
    requestsWithToolFailure += other.requestsWithToolFailure
    for (name, tally) in other.tools {
      tools[name, default: ToolTally()].calls += tally.calls
      tools[name, default: ToolTally()].failures += tally.failures
    }
    for (model, count) in other.models { models[model, default: 0] += count }
    if let first = other.firstSeen { firstSeen = min(firstSeen ?? first, first) }
    if let last = other.lastSeen { lastSeen = max(lastSeen ?? last, last) }
  }

  /// Tool calls in all.
  public var toolCalls: Int { tools.values.reduce(0) { $0 + $1.calls } }
  /// Failed tool calls in all.
  public var toolFailures: Int { tools.values.reduce(0) { $0 + $1.failures } }
}
