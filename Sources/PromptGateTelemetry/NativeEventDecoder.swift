import PromptGateCore

/// Turns one native JSONL line (docs/telemetry.md, "Native events") into an event, or says
/// which key is wrong and how.
struct NativeEventDecoder {
  /// Keep `input`, `output` and each tool's `arguments` and `result` (replay needs them; a
  /// report does not).
  var keepContent = false

  /// The keys the format defines; any other key is counted as unknown and ignored.
  static let keys: Set<String> = [
    "ts", "behaviorId", "traceId", "model", "latencyMs", "inputTokens", "outputTokens",
    "costUsd", "tools", "retrievalCalls", "refusal", "fallback", "userRetry", "route", "tenant",
    "input", "output",
  ]

  /// Why a line is not an event.
  struct Invalid: Error {
    let message: String
    init(_ message: String) { self.message = message }
  }

  /// The event on `node`; `unknown` gets each key the format does not define.
  func decode(_ node: JSONNode, unknown: (String) -> Void) throws(Invalid) -> TelemetryEvent {
    guard case .object(let members) = node else {
      throw Invalid("expected an object with ts and behaviorId, found \(node.kind)")
    }
    var timestamp: Int64?
    var behavior: BehaviorID?
    var event = TelemetryEvent(timestamp: 0, behaviorId: BehaviorID(digest: ""))
    for (key, value) in members {
      if case .null = value { continue }
      switch key {
      case "ts": timestamp = try Self.time(value)
      case "behaviorId":
        guard case .string(let text) = value else { throw Self.wrong(key, "a string", value) }
        guard let id = BehaviorID(text) else {
          throw Invalid(
            "behaviorId: '\(text.prefix(80))' is not a behavior version id (pgv1- and 64 hex digits, as promptgate version prints it)"
          )
        }
        behavior = id
      case "traceId": event.traceId = try Self.text(key, value)
      case "model": event.model = try Self.text(key, value)
      case "route": event.route = try Self.text(key, value)
      case "tenant": event.tenant = try Self.text(key, value)
      case "latencyMs": event.latencyMs = try Self.amount(key, value)
      case "costUsd": event.costUsd = try Self.amount(key, value)
      case "inputTokens": event.inputTokens = try Self.count(key, value)
      case "outputTokens": event.outputTokens = try Self.count(key, value)
      case "retrievalCalls": event.retrievalCalls = try Self.count(key, value)
      case "refusal": event.refusal = try Self.flag(key, value)
      case "fallback": event.fallback = try Self.flag(key, value)
      case "userRetry": event.userRetry = try Self.flag(key, value)
      case "tools": event.tools = try tools(value)
      case "input": if keepContent { event.input = value.value }
      case "output": if keepContent { event.output = value.value }
      default: unknown(key)
      }
    }
    guard let timestamp else { throw Invalid("no ts (RFC 3339 text or Unix milliseconds)") }
    guard let behavior else {
      throw Invalid("no behaviorId (stamp every request with promptgate.behavior_id)")
    }
    event.timestamp = timestamp
    event.behaviorId = behavior
    return event
  }

  func tools(_ value: JSONNode) throws(Invalid) -> [TelemetryToolCall] {
    guard case .array(let items) = value else { throw Self.wrong("tools", "a list", value) }
    var calls: [TelemetryToolCall] = []
    calls.reserveCapacity(items.count)
    for (index, item) in items.enumerated() {
      let key = "tools[\(index)]"
      guard case .object = item else { throw Self.wrong(key, "an object", item) }
      guard case .string(let name)? = item["name"] else {
        throw Invalid("\(key).name: expected the tool's name as a string")
      }
      var call = TelemetryToolCall(name: name, failed: false)
      switch item["error"] {
      case nil, .null?, .bool(false)?: break
      case .bool(true)?: call.failed = true
      case .string(let type)?:
        call.failed = true
        call.errorType = type
      case let other?: throw Self.wrong("\(key).error", "a boolean or an error type", other)
      }
      if keepContent {
        call.arguments = item["arguments"]?.value
        call.result = item["result"]?.value
      }
      calls.append(call)
    }
    return calls
  }

  static func wrong(_ key: String, _ expected: String, _ found: JSONNode) -> Invalid {
    Invalid("\(key): expected \(expected), found \(found.kind)")
  }

  static func time(_ value: JSONNode) throws(Invalid) -> Int64 {
    switch value {
    case .number(let millis):
      guard millis >= 0, millis < 1e15 else {
        throw Invalid("ts: \(millis) is not Unix milliseconds")
      }
      return Int64(millis)
    case .string(let text):
      guard let time = Timestamp.parse(rfc3339: text) else {
        throw Invalid(
          "ts: '\(text.prefix(40))' is not an RFC 3339 time (2026-01-02T03:04:05Z) or Unix milliseconds"
        )
      }
      return time
    default: throw wrong("ts", "RFC 3339 text or Unix milliseconds", value)
    }
  }

  static func text(_ key: String, _ value: JSONNode) throws(Invalid) -> String {
    guard case .string(let text) = value else { throw wrong(key, "a string", value) }
    return text
  }

  static func amount(_ key: String, _ value: JSONNode) throws(Invalid) -> Double {
    guard case .number(let number) = value else { throw wrong(key, "a number", value) }
    guard number >= 0 else { throw Invalid("\(key): \(number) is negative") }
    return number
  }

  static func count(_ key: String, _ value: JSONNode) throws(Invalid) -> Int {
    guard case .number(let number) = value else { throw wrong(key, "a whole number", value) }
    guard number >= 0, number < 1e15, number.rounded() == number else {
      throw Invalid("\(key): \(number) is not a whole number of 0 or more")
    }
    return Int(number)
  }

  static func flag(_ key: String, _ value: JSONNode) throws(Invalid) -> Bool {
    guard case .bool(let flag) = value else { throw wrong(key, "true or false", value) }
    return flag
  }
}
