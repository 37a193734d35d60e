import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import PromptGateCore
import PromptGateTransport

/// The Anthropic messages API. Sends `POST {baseURL}/v1/messages`.
public struct AnthropicProvider: Provider, CustomStringConvertible {
  /// The base URL used when the definition gives none.
  public static let defaultBaseURL = "https://api.anthropic.com"
  /// The API version every request names.
  public static let apiVersion = "2023-06-01"
  /// The `max_tokens` sent when the behavior sets none (the API requires one).
  public static let defaultMaxTokens = 1024

  private let definition: ProviderDefinition
  private let caller: RetryingCaller
  private let secret: Secret?
  /// The URL every call is sent to.
  public let endpoint: String

  /// A provider for `definition` that authenticates with `apiKey` (none for a local proxy).
  public init(
    definition: ProviderDefinition, apiKey: String?, client: HTTPClient,
    policy: RetryPolicy = RetryPolicy()
  ) {
    self.definition = definition
    secret = apiKey.map(Secret.init)
    let base = HTTPProviderFactory.trimmedBase(definition.baseURL ?? Self.defaultBaseURL)
    // A base that already ends in /v1 (as OpenAI-style bases do) is not given a second one.
    endpoint = base + (base.hasSuffix("/v1") ? "/messages" : "/v1/messages")
    caller = RetryingCaller(
      provider: definition.name, client: client, limits: definition.limits, policy: policy,
      secret: secret)
  }

  /// The provider's kind, name and endpoint (never its key).
  public var description: String { "anthropic provider \(definition.name) at \(endpoint)" }

  /// Sends the case as a message and reads the answer.
  public func complete(_ request: ProviderRequest) async throws(ProviderError) -> ProviderOutput {
    var headers = HTTPHeaders()
    headers.add(name: "content-type", value: "application/json")
    headers.add(name: "accept", value: "application/json")
    headers.add(name: "anthropic-version", value: Self.apiVersion)
    if let secret, !secret.value.isEmpty { headers.add(name: "x-api-key", value: secret.value) }
    return try await caller.exchange(
      request, definition: definition, url: endpoint, headers: headers, encode: Self.body,
      parse: Self.parse)
  }

  /// The request body: model, system, messages, max_tokens, temperature and tools.
  static func body(_ conversation: Conversation) -> JSONValue {
    let user = JSONValue.object(["role": .string("user"), "content": .string(conversation.user)])
    var body: [String: JSONValue] = [
      "model": .string(conversation.model), "messages": .array([user]),
      "max_tokens": .number(Double(conversation.maxOutputTokens ?? defaultMaxTokens)),
    ]
    if let system = conversation.system { body["system"] = .string(system) }
    if let temperature = conversation.temperature { body["temperature"] = .number(temperature) }
    if !conversation.tools.isEmpty { body["tools"] = .array(conversation.tools.map(\.anthropic)) }
    return .object(body)
  }

  /// The output in a message: its text blocks joined, its tool_use blocks as tool calls, the
  /// usage and the model.
  static func parse(_ value: JSONValue) throws(ConversationProblem) -> ProviderOutput {
    guard let blocks = value[member: "content"]?.listContent else {
      let detail = ResponseText.errorSummary(value).map { " (error: \($0))" } ?? ""
      throw ConversationProblem("has no content list\(detail)")
    }
    var text = ""
    var calls: [ToolCall] = []
    for block in blocks {
      switch block[member: "type"]?.stringContent {
      case "text":
        text += block[member: "text"]?.stringContent ?? ""
      case "tool_use":
        guard let name = block[member: "name"]?.stringContent else {
          throw ConversationProblem("has a tool_use block without a name")
        }
        calls.append(ToolCall(name: name, arguments: block[member: "input"] ?? .object([:])))
      default:
        continue  // thinking and other blocks carry no output
      }
    }
    let usage = Usage(
      inputTokens: value[member: "usage"]?[member: "input_tokens"]?.integerContent,
      outputTokens: value[member: "usage"]?[member: "output_tokens"]?.integerContent)
    return ProviderOutput(
      output: text, toolCalls: calls, usage: usage,
      model: value[member: "model"]?.stringContent)
  }
}
