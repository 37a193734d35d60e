import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import PromptGateCore
import PromptGateTransport

/// OpenAI-compatible chat completions: OpenAI itself, gateways, vLLM, Ollama and llama.cpp's
/// server. Sends `POST {baseURL}/chat/completions`.
public struct OpenAIProvider: Provider, CustomStringConvertible {
  /// The base URL used when the definition gives none.
  public static let defaultBaseURL = "https://api.openai.com/v1"

  private let definition: ProviderDefinition
  private let caller: RetryingCaller
  private let secret: Secret?
  /// The URL every call is sent to.
  public let endpoint: String

  /// A provider for `definition` that authenticates with `apiKey` (none for local servers).
  public init(
    definition: ProviderDefinition, apiKey: String?, client: HTTPClient,
    policy: RetryPolicy = RetryPolicy()
  ) {
    self.definition = definition
    secret = apiKey.map(Secret.init)
    endpoint =
      HTTPProviderFactory.trimmedBase(definition.baseURL ?? Self.defaultBaseURL)
      + "/chat/completions"
    caller = RetryingCaller(
      provider: definition.name, client: client, limits: definition.limits, policy: policy,
      secret: secret)
  }

  /// The provider's kind, name and endpoint (never its key).
  public var description: String { "openai provider \(definition.name) at \(endpoint)" }

  /// Sends the case as a chat completion and reads the answer.
  public func complete(_ request: ProviderRequest) async throws(ProviderError) -> ProviderOutput {
    var headers = HTTPHeaders()
    headers.add(name: "content-type", value: "application/json")
    headers.add(name: "accept", value: "application/json")
    if let secret, !secret.value.isEmpty {
      headers.add(name: "authorization", value: "Bearer " + secret.value)
    }
    return try await caller.exchange(
      request, definition: definition, url: endpoint, headers: headers, encode: Self.body,
      parse: Self.parse)
  }

  /// The request body: model, messages, decoding settings and tools.
  static func body(_ conversation: Conversation) -> JSONValue {
    var messages: [JSONValue] = []
    if let system = conversation.system {
      messages.append(.object(["role": .string("system"), "content": .string(system)]))
    }
    messages.append(.object(["role": .string("user"), "content": .string(conversation.user)]))
    var body: [String: JSONValue] = [
      "model": .string(conversation.model), "messages": .array(messages),
    ]
    if let temperature = conversation.temperature { body["temperature"] = .number(temperature) }
    if let maxTokens = conversation.maxOutputTokens {
      body["max_tokens"] = .number(Double(maxTokens))
    }
    if !conversation.tools.isEmpty { body["tools"] = .array(conversation.tools.map(\.openAI)) }
    return .object(body)
  }

  /// The output in a chat completion: `choices[0].message`'s content and tool calls, the usage
  /// and the model; lenient about what servers leave out.
  static func parse(_ value: JSONValue) throws(ConversationProblem) -> ProviderOutput {
    guard let message = value[member: "choices"]?.listContent?.first?[member: "message"],
      message.isObject
    else {
      let detail = ResponseText.errorSummary(value).map { " (error: \($0))" } ?? ""
      throw ConversationProblem("has no choices[0].message\(detail)")
    }
    var text = ""
    switch message[member: "content"] {
    case .string(let content)?: text = content
    case .array(let parts)?: text = parts.compactMap { $0[member: "text"]?.stringContent }.joined()
    case .null?, nil: text = ""
    case let other?: throw ConversationProblem("has a message content that is \(other.typeName)")
    }
    var calls: [ToolCall] = []
    for call in message[member: "tool_calls"]?.listContent ?? [] {
      let function = call[member: "function"] ?? call
      guard let name = function[member: "name"]?.stringContent else {
        throw ConversationProblem("has a tool call without a function name")
      }
      calls.append(ToolCall(name: name, arguments: arguments(function[member: "arguments"])))
    }
    let usage = Usage(
      inputTokens: value[member: "usage"]?[member: "prompt_tokens"]?.integerContent,
      outputTokens: value[member: "usage"]?[member: "completion_tokens"]?.integerContent)
    return ProviderOutput(
      output: text, toolCalls: calls, usage: usage,
      model: value[member: "model"]?.stringContent)
  }

  /// Tool-call arguments: a JSON string parsed (kept as a string when it does not parse), an
  /// object as it is (Ollama sends objects), nothing as an empty object.
  private static func arguments(_ value: JSONValue?) -> JSONValue {
    switch value {
    case .string(let text)?:
      if text.trimmingWhitespaceAndNewlines().isEmpty { return .object([:]) }
      return JSONValue.decode(Array(text.utf8)) ?? .string(text)
    case let other?: return other
    case nil: return .object([:])
    }
  }
}
