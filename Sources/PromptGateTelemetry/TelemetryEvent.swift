import PromptGateCore

/// One production request, keyed by the behavior version the application stamped on it: what
/// every reader produces and every aggregate counts. The content fields (`input`, `output`, and
/// each tool call's `arguments` and `result`) are optional and only kept for replay.
public struct TelemetryEvent: Sendable, Equatable {
  /// When the request started, in Unix milliseconds.
  public var timestamp: Int64
  /// The behavior version the application stamped.
  public var behaviorId: BehaviorID
  /// The trace the request belongs to (hex), when known.
  public var traceId: String?
  /// The model that answered.
  public var model: String?
  /// The request's duration, in milliseconds.
  public var latencyMs: Double?
  /// Prompt tokens, summed over the request's model calls.
  public var inputTokens: Int?
  /// Completion tokens, summed over the request's model calls.
  public var outputTokens: Int?
  /// What the request cost, when the application recorded it; else it comes from the prices.
  public var costUsd: Double?
  /// The tool calls the request made, in order.
  public var tools: [TelemetryToolCall]
  /// How many retrieval calls the request made.
  public var retrievalCalls: Int?
  /// The model refused.
  public var refusal: Bool
  /// The request fell back to another model or path.
  public var fallback: Bool
  /// This request is the user retrying an earlier answer (regenerate, ask again).
  public var userRetry: Bool
  /// The application's route (a stratum for `--group-by route`).
  public var route: String?
  /// The tenant (a stratum for `--group-by tenant`).
  public var tenant: String?
  /// The request's input, for replay.
  public var input: JSONValue?
  /// The request's output, for replay.
  public var output: JSONValue?

  /// Creates an event; everything but the time and the id is optional.
  public init(
    timestamp: Int64, behaviorId: BehaviorID, traceId: String? = nil, model: String? = nil,
    latencyMs: Double? = nil, inputTokens: Int? = nil, outputTokens: Int? = nil,
    costUsd: Double? = nil, tools: [TelemetryToolCall] = [], retrievalCalls: Int? = nil,
    refusal: Bool = false, fallback: Bool = false, userRetry: Bool = false, route: String? = nil,
    tenant: String? = nil, input: JSONValue? = nil, output: JSONValue? = nil
  ) {
    self.timestamp = timestamp
    self.behaviorId = behaviorId
    self.traceId = traceId
    self.model = model
    self.latencyMs = latencyMs
    self.inputTokens = inputTokens
    self.outputTokens = outputTokens
    self.costUsd = costUsd
    self.tools = tools
    self.retrievalCalls = retrievalCalls
    self.refusal = refusal
    self.fallback = fallback
    self.userRetry = userRetry
    self.route = route
    self.tenant = tenant
    self.input = input
    self.output = output
  }
}

/// One tool call inside a request.
public struct TelemetryToolCall: Sendable, Equatable {
  /// The tool's name.
  public var name: String
  /// The call failed.
  public var failed: Bool
  /// The kind of failure, when one was named (`error.type`, or a string `error`).
  public var errorType: String?
  /// The call's arguments, for replay.
  public var arguments: JSONValue?
  /// The call's result, for replay.
  public var result: JSONValue?

  /// Creates a tool call.
  public init(
    name: String, failed: Bool, errorType: String? = nil, arguments: JSONValue? = nil,
    result: JSONValue? = nil
  ) {
    self.name = name
    self.failed = failed
    self.errorType = errorType
    self.arguments = arguments
    self.result = result
  }
}
