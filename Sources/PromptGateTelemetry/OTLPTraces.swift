import PromptGateCore

/// Groups OTLP spans into requests, one per trace: the request is the trace's span carrying
/// `promptgate.behavior_id`; tokens are summed over its model-call spans, tools come from its
/// `execute_tool` spans and retrieval calls from its `retrieval` spans (docs/telemetry.md,
/// "OpenTelemetry spans").
///
/// Spans arrive unordered, in batches. A trace is kept open, as a few counters rather than its
/// spans, until ``closeAfter`` batches have passed without a span of it; then it becomes an event
/// (or, with no request span, is counted as unattributed). Memory is bounded by the traces seen
/// in the last ``closeAfter`` batches.
struct OTLPTraces {
  /// Batches after a trace's last span before it is closed.
  static let closeAfter = 64

  struct Trace {
    var event: TelemetryEvent?
    var spans = 0
    var inputTokens: Int?
    var outputTokens: Int?
    var model: String?
    var modelEnd: Int64 = .min
    var tools: [(start: Int64, call: TelemetryToolCall)] = []
    var retrievalCalls = 0
    var lastBatch = 0
    var input: JSONValue?
    var output: JSONValue?
  }

  let keepContent: Bool
  private var open: [String: Trace] = [:]
  private var batch = 0

  /// No traces yet.
  init(keepContent: Bool) { self.keepContent = keepContent }

  /// Adds one span.
  mutating func add(span node: JSONNode) {
    guard case .string(let traceId)? = node["traceId"] else { return }
    let attributes = OTLPValue.attributes(node["attributes"])
    var trace = open[traceId] ?? Trace()
    trace.spans += 1
    trace.lastBatch = batch
    let start = Self.nanos(node["startTimeUnixNano"])
    let end = Self.nanos(node["endTimeUnixNano"])
    let name: String = {
      if case .string(let text)? = node["name"] { return text }
      return ""
    }()
    let operation = attributes["gen_ai.operation.name"]?.text
    let failed: Bool = {
      if case .number(let code)? = node["status"]?["code"], code == 2 { return true }
      if case .string(let code)? = node["status"]?["code"], code == "STATUS_CODE_ERROR" {
        return true
      }
      return attributes["error.type"] != nil
    }()

    if let idText = attributes["promptgate.behavior_id"]?.text, let id = BehaviorID(idText) {
      var event = TelemetryEvent(timestamp: start.map { $0 / 1_000_000 } ?? 0, behaviorId: id)
      event.traceId = traceId
      if let start, let end, end >= start { event.latencyMs = Double(end - start) / 1_000_000 }
      event.route = attributes["promptgate.route"]?.text
      event.tenant = attributes["promptgate.tenant"]?.text
      var flags = Set<String>()
      for key in ["promptgate.refusal", "promptgate.fallback", "promptgate.user_retry"]
      where attributes[key]?.flag == true {
        flags.insert(key)
      }
      if case .array(let events)? = node["events"] {
        for spanEvent in events {
          if case .string(let eventName)? = spanEvent["name"] { flags.insert(eventName) }
        }
      }
      event.refusal = flags.contains("promptgate.refusal")
      event.fallback = flags.contains("promptgate.fallback")
      event.userRetry = flags.contains("promptgate.user_retry")
      trace.event = event
    }
    // A model call: any span with GenAI usage (new or old names), the request span included.
    let input =
      (attributes["gen_ai.usage.input_tokens"] ?? attributes["gen_ai.usage.prompt_tokens"])?.int
    let output =
      (attributes["gen_ai.usage.output_tokens"] ?? attributes["gen_ai.usage.completion_tokens"])?
      .int
    if input != nil || output != nil || operation == "chat" || operation == "text_completion" {
      if let input { trace.inputTokens = (trace.inputTokens ?? 0) + input }
      if let output { trace.outputTokens = (trace.outputTokens ?? 0) + output }
      // The request's model is the one that answered last (after a fallback, the fallback's).
      let model = (attributes["gen_ai.response.model"] ?? attributes["gen_ai.request.model"])?.text
      if let model, (end ?? 0) >= trace.modelEnd {
        trace.model = model
        trace.modelEnd = end ?? 0
      }
      if keepContent {
        if let text = attributes["gen_ai.input.messages"]?.text { trace.input = .string(text) }
        if let text = attributes["gen_ai.output.messages"]?.text { trace.output = .string(text) }
      }
    }
    if operation == "execute_tool" || name.hasPrefix("execute_tool ") {
      let toolName =
        attributes["gen_ai.tool.name"]?.text ?? String(name.dropFirst("execute_tool ".count))
      var call = TelemetryToolCall(
        name: toolName, failed: failed, errorType: attributes["error.type"]?.text)
      if keepContent {
        call.arguments = attributes["gen_ai.tool.call.arguments"]?.text.map(JSONValue.string)
        call.result = attributes["gen_ai.tool.call.result"]?.text.map(JSONValue.string)
      }
      trace.tools.append((start ?? 0, call))
    }
    if operation == "retrieval" { trace.retrievalCalls += 1 }
    open[traceId] = trace
  }

  /// Marks the end of a batch; calls `body` with each trace closed by it.
  mutating func endBatch(problems: inout ReadProblems, _ body: (TelemetryEvent) throws -> Void)
    rethrows
  {
    batch += 1
    guard batch % 16 == 0 else { return }
    let stale = open.filter { batch - $0.value.lastBatch > Self.closeAfter }
    for (traceId, trace) in stale.sorted(by: { $0.key < $1.key }) {
      open[traceId] = nil
      try emit(trace, problems: &problems, body)
    }
  }

  /// Closes every open trace, oldest request first.
  mutating func finish(problems: inout ReadProblems, _ body: (TelemetryEvent) throws -> Void)
    rethrows
  {
    let traces = open.values.sorted {
      ($0.event?.timestamp ?? 0, $0.event?.traceId ?? "") < (
        $1.event?.timestamp ?? 0, $1.event?.traceId ?? ""
      )
    }
    open.removeAll()
    for trace in traces { try emit(trace, problems: &problems, body) }
  }

  private func emit(
    _ trace: Trace, problems: inout ReadProblems, _ body: (TelemetryEvent) throws -> Void
  ) rethrows {
    guard var event = trace.event else {
      problems.unattributedSpans += trace.spans
      return
    }
    event.inputTokens = trace.inputTokens
    event.outputTokens = trace.outputTokens
    event.model = trace.model
    event.tools = trace.tools.sorted { $0.start < $1.start }.map(\.call)
    event.retrievalCalls = trace.retrievalCalls
    event.input = trace.input
    event.output = trace.output
    try body(event)
  }

  /// Nanoseconds since 1970 from a `…UnixNano` field (a string, or a number).
  static func nanos(_ node: JSONNode?) -> Int64? {
    switch node {
    case .string(let text)?: return Int64(text)
    case .number(let number)?: return number < 9.2e18 ? Int64(number) : nil
    default: return nil
    }
  }
}
