import Foundation
import PromptGateCore
import PromptGateProviders
import TestSupport
import Testing

@Suite("Anthropic provider")
struct AnthropicProviderTests {
  @Test func sendsTheDocumentedRequest() async throws {
    try await withLoopback(files: ToolFiles.files) { server, fixture in
      let provider = try fixture.provider(
        ProviderFixture.definition(.anthropic, server: server, apiKeyEnv: "KEY_VAR"))
      _ = try await provider.complete(fixture.request(tools: ToolFiles.paths))
      let request = try #require(server.requests.first)
      #expect(request.method == "POST")
      #expect(request.path == "/v1/messages")
      #expect(request.header("x-api-key") == ProviderFixture.secretKey)
      #expect(request.header("anthropic-version") == "2023-06-01")
      #expect(request.header("content-type") == "application/json")
      #expect(request.header("authorization") == nil)
      let json = try #require(request.json)
      #expect(json["model"] as? String == "model-a")
      #expect(json["system"] as? String == "You are terse.")
      #expect(json["temperature"] as? Double == 0.2)
      #expect(json["max_tokens"] as? Int == 256)
      let messages = try #require(json["messages"] as? [[String: Any]])
      #expect(messages.count == 1)
      #expect(messages[0]["role"] as? String == "user")
      #expect(messages[0]["content"] as? String == "Q: What is 2+2?")
      let tools = try #require(json["tools"] as? [[String: Any]])
      #expect(tools.map { $0["name"] as? String } == ["lookup", "refund", "search"])
      #expect(tools[2]["description"] as? String == "Search the docs")
      for tool in tools {
        #expect(tool["input_schema"] as? [String: Any] != nil)
        #expect(tool["parameters"] == nil)
        #expect(tool["type"] == nil)
      }
    }
  }

  @Test func defaultsMaxTokensAndLeavesOutWhatIsNotSet() async throws {
    try await withLoopback { server, fixture in
      let provider = try fixture.provider(ProviderFixture.definition(.anthropic, server: server))
      let request = fixture.request(
        messages: MessagesSpec(system: nil, user: "{{question}}"), temperature: nil,
        maxOutputTokens: nil)
      _ = try await provider.complete(request)
      let sent = try #require(server.requests.first)
      #expect(sent.header("x-api-key") == nil)
      let json = try #require(sent.json)
      #expect(json["max_tokens"] as? Int == 1024)
      #expect(json["system"] == nil)
      #expect(json["temperature"] == nil)
      #expect(json["tools"] == nil)
    }
  }

  @Test func parsesTextBlocksToolUseUsageAndModel() async throws {
    try await withLoopback { server, fixture in
      server.setResponder { request in
        ScriptedAnswer(
          "Looking it up for \(request.user ?? "")",
          toolCalls: [ScriptedToolCall(name: "lookup", argumentsJSON: #"{"id": 7}"#)],
          model: "claude-test")
      }
      let provider = try fixture.provider(ProviderFixture.definition(.anthropic, server: server))
      let output = try await provider.complete(fixture.request())
      #expect(output.output == "Looking it up for Q: What is 2+2?")
      #expect(
        output.toolCalls == [ToolCall(name: "lookup", arguments: .object(["id": .number(7)]))])
      #expect(output.model == "claude-test")
      #expect(output.usage == Usage(inputTokens: 7, outputTokens: 8))
    }
  }

  @Test func acceptsABaseURLEndingInV1() async throws {
    try await withLoopback { server, fixture in
      let definition = ProviderDefinition(
        name: "proxy", kind: .anthropic, baseURL: server.baseURL + "/v1/",
        limits: .init(concurrency: 1, timeoutSeconds: 2, retries: 0), settings: .null)
      _ = try await fixture.provider(definition).complete(fixture.request())
      #expect(server.requests.first?.path == "/v1/messages")
    }
  }

  @Test func reportsAnAnswerWithoutContent() async throws {
    try await withLoopback { server, fixture in
      server.inject(.unexpectedJSON)
      let provider = try fixture.provider(ProviderFixture.definition(.anthropic, server: server))
      let error = await providerError { _ = try await provider.complete(fixture.request()) }
      #expect(error?.message.contains("no content") == true)
      #expect(server.requestCount == 1)
    }
  }
}
