/// A tool call the model made.
public struct ToolCall: Codable, Sendable, Hashable {
  /// The tool's name.
  public var name: String
  /// Its arguments, as the model gave them (an object, or a string when they did not parse).
  public var arguments: JSONValue

  /// Creates a tool call.
  public init(name: String, arguments: JSONValue) {
    self.name = name
    self.arguments = arguments
  }
}

/// Tokens a call used, as the provider reported them.
public struct Usage: Codable, Sendable, Hashable {
  /// Prompt tokens.
  public var inputTokens: Int?
  /// Completion tokens.
  public var outputTokens: Int?

  /// Creates a usage record.
  public init(inputTokens: Int? = nil, outputTokens: Int? = nil) {
    self.inputTokens = inputTokens
    self.outputTokens = outputTokens
  }
}

/// What one run of one case produced: the raw material assertions score when results are read.
public struct ProviderOutput: Codable, Sendable, Hashable {
  /// The model's text.
  public var output: String
  /// The tool calls it made, in order.
  public var toolCalls: [ToolCall]
  /// Tokens used.
  public var usage: Usage
  /// Wall time of the call (with retries), in milliseconds.
  public var latencyMs: Double
  /// The model that answered, when the provider names it (for the price table).
  public var model: String?

  /// Creates an output.
  public init(
    output: String, toolCalls: [ToolCall] = [], usage: Usage = Usage(), latencyMs: Double = 0,
    model: String? = nil
  ) {
    self.output = output
    self.toolCalls = toolCalls
    self.usage = usage
    self.latencyMs = latencyMs
    self.model = model
  }
}
