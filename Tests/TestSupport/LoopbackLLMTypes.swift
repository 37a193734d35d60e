import Foundation

/// Which API a request to the loopback server spoke.
public enum LoopbackAPI: String, Sendable, Hashable {
  /// OpenAI chat completions (`/v1/chat/completions` or `/chat/completions`).
  case openAI = "openai"
  /// Anthropic messages (`/v1/messages`).
  case anthropic
}

/// A request the loopback server received, exactly as it came.
public struct RecordedRequest: Sendable {
  /// The HTTP method.
  public let method: String
  /// The request target (path and query).
  public let path: String
  /// Header names and values, in order.
  public let headers: [(name: String, value: String)]
  /// The body's bytes.
  public let body: [UInt8]

  /// Creates a record.
  public init(method: String, path: String, headers: [(name: String, value: String)], body: [UInt8])
  {
    self.method = method
    self.path = path
    self.headers = headers
    self.body = body
  }

  /// The first value of the header `name` (any case), if present.
  public func header(_ name: String) -> String? {
    headers.first { $0.name.lowercased() == name.lowercased() }?.value
  }

  /// The body as UTF-8 text.
  public var bodyText: String { String(decoding: body, as: UTF8.self) }

  /// The body parsed as a JSON object, if it is one.
  public var json: [String: Any]? {
    (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
  }

  /// The whole request (line, headers and body) as text, to check that something appears
  /// nowhere in it.
  public var fullText: String {
    ([method + " " + path] + headers.map { "\($0.name): \($0.value)" } + [bodyText])
      .joined(separator: "\n")
  }
}

/// The parts of a chat request that scripted answers depend on.
public struct ChatRequest: Sendable, Hashable {
  /// The API the request spoke.
  public let api: LoopbackAPI
  /// The requested model.
  public let model: String?
  /// The system text (OpenAI's system message or Anthropic's `system`).
  public let system: String?
  /// The text of the last user message.
  public let user: String?
  /// The sampling temperature.
  public let temperature: Double?
  /// `max_tokens`.
  public let maxTokens: Int?
  /// The names of the tools offered.
  public let toolNames: [String]

  /// Creates a request summary.
  public init(
    api: LoopbackAPI, model: String?, system: String?, user: String?, temperature: Double?,
    maxTokens: Int?, toolNames: [String]
  ) {
    self.api = api
    self.model = model
    self.system = system
    self.user = user
    self.temperature = temperature
    self.maxTokens = maxTokens
    self.toolNames = toolNames
  }
}

/// A tool call a scripted answer makes.
public struct ScriptedToolCall: Sendable, Hashable {
  /// The tool's name.
  public var name: String
  /// The arguments as JSON text (sent as is to OpenAI clients, parsed for Anthropic ones).
  public var argumentsJSON: String

  /// Creates a tool call.
  public init(name: String, argumentsJSON: String) {
    self.name = name
    self.argumentsJSON = argumentsJSON
  }
}

/// What the loopback server answers to one request.
public struct ScriptedAnswer: Sendable, Hashable {
  /// The answer text.
  public var text: String
  /// Tool calls, in order.
  public var toolCalls: [ScriptedToolCall]
  /// The model named in the answer; nil repeats the requested one.
  public var model: String?
  /// Whether to leave `usage` out, as some local servers do.
  public var omitUsage: Bool

  /// Creates an answer.
  public init(
    _ text: String, toolCalls: [ScriptedToolCall] = [], model: String? = nil,
    omitUsage: Bool = false
  ) {
    self.text = text
    self.toolCalls = toolCalls
    self.model = model
    self.omitUsage = omitUsage
  }
}

/// A way for the loopback server to misbehave on one request.
public enum LoopbackFault: Sendable, Hashable {
  /// 429 with `Retry-After` set to the given text (nil: no header).
  case rateLimited(retryAfter: String?)
  /// 500 with a JSON error body.
  case serverError
  /// Any status with the given body (JSON text or not).
  case status(Int, body: String)
  /// Reads the request and never answers, until the client gives up or the server stops.
  case hang
  /// 200 with a body that is not JSON.
  case malformedBody
  /// 200 with JSON that is not a chat answer (no choices, no content).
  case unexpectedJSON
  /// Closes the connection without answering.
  case dropConnection
  /// Answers 200 as usual, but sends the body one byte every `intervalMs` milliseconds, so that
  /// a whole answer takes far longer than any timeout while the connection never goes idle.
  case drip(intervalMs: Int)
}

/// How to answer a request: a function of what was asked.
public typealias LoopbackResponder = @Sendable (ChatRequest) -> ScriptedAnswer

extension ScriptedAnswer {
  /// An answer that repeats the user message: "echo: <user>".
  public static let echo: LoopbackResponder = { request in
    ScriptedAnswer("echo: " + (request.user ?? ""))
  }

  /// A responder that answers from a table keyed by the user message, else with `fallback`.
  public static func table(
    _ answers: [String: ScriptedAnswer], fallback: ScriptedAnswer = ScriptedAnswer("I don't know")
  ) -> LoopbackResponder {
    { request in answers[request.user ?? ""] ?? fallback }
  }
}
