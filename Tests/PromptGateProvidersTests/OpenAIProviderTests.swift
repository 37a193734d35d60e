import Foundation
import PromptGateCore
import PromptGateProviders
import TestSupport
import Testing

@Suite("OpenAI-compatible provider")
struct OpenAIProviderTests {
  @Test func sendsTheDocumentedRequest() async throws {
    try await withLoopback(files: ToolFiles.files) { server, fixture in
      let provider = try fixture.provider(
        ProviderFixture.definition(.openai, server: server, apiKeyEnv: "KEY_VAR"))
      _ = try await provider.complete(fixture.request(tools: ToolFiles.paths))
      let request = try #require(server.requests.first)
      #expect(request.method == "POST")
      #expect(request.path == "/v1/chat/completions")
      #expect(request.header("authorization") == "Bearer \(ProviderFixture.secretKey)")
      #expect(request.header("content-type") == "application/json")
      let json = try #require(request.json)
      #expect(json["model"] as? String == "model-a")
      #expect(json["temperature"] as? Double == 0.2)
      #expect(json["max_tokens"] as? Int == 256)
      let messages = try #require(json["messages"] as? [[String: Any]])
      #expect(messages.count == 2)
      #expect(messages[0]["role"] as? String == "system")
      #expect(messages[0]["content"] as? String == "You are terse.")
      #expect(messages[1]["role"] as? String == "user")
      #expect(messages[1]["content"] as? String == "Q: What is 2+2?")
      let tools = try #require(json["tools"] as? [[String: Any]])
      #expect(tools.count == 3)
      for tool in tools { #expect(tool["type"] as? String == "function") }
      let functions = tools.compactMap { $0["function"] as? [String: Any] }
      #expect(functions.map { $0["name"] as? String } == ["lookup", "refund", "search"])
      #expect(functions[0]["description"] as? String == "Look an order up")
      #expect(functions[1]["parameters"] as? [String: Any] != nil)
      #expect(functions[1]["description"] == nil)
      let searchParameters = try #require(functions[2]["parameters"] as? [String: Any])
      #expect(searchParameters["type"] as? String == "object")
    }
  }

  @Test func leavesOutWhatIsNotSet() async throws {
    try await withLoopback { server, fixture in
      let provider = try fixture.provider(ProviderFixture.definition(.openai, server: server))
      let request = fixture.request(
        messages: MessagesSpec(system: nil, user: "{{question}}"), temperature: nil,
        maxOutputTokens: nil)
      _ = try await provider.complete(request)
      let sent = try #require(server.requests.first)
      #expect(sent.header("authorization") == nil)
      let json = try #require(sent.json)
      #expect(json["temperature"] == nil)
      #expect(json["max_tokens"] == nil)
      #expect(json["tools"] == nil)
      let messages = try #require(json["messages"] as? [[String: Any]])
      #expect(messages.map { $0["role"] as? String } == ["user"])
    }
  }

  @Test func parsesTextUsageAndModel() async throws {
    try await withLoopback { server, fixture in
      server.setResponder { _ in ScriptedAnswer("four, as usual", model: "model-a-2025") }
      let provider = try fixture.provider(ProviderFixture.definition(.openai, server: server))
      let output = try await provider.complete(fixture.request())
      #expect(output.output == "four, as usual")
      #expect(output.toolCalls.isEmpty)
      #expect(output.model == "model-a-2025")
      // The loopback server counts words: "You are terse." + "Q: What is 2+2?" in, 3 out.
      #expect(output.usage == Usage(inputTokens: 7, outputTokens: 3))
      #expect(output.latencyMs > 0)
    }
  }

  @Test func parsesToolCallsWithNullContent() async throws {
    try await withLoopback { server, fixture in
      server.setResponder { _ in
        ScriptedAnswer(
          "",
          toolCalls: [
            ScriptedToolCall(name: "lookup", argumentsJSON: #"{"id": 42, "rush": true}"#),
            ScriptedToolCall(name: "search", argumentsJSON: "not json {"),
          ])
      }
      let provider = try fixture.provider(ProviderFixture.definition(.openai, server: server))
      let output = try await provider.complete(fixture.request())
      #expect(output.output == "")
      #expect(
        output.toolCalls == [
          ToolCall(name: "lookup", arguments: .object(["id": .number(42), "rush": .bool(true)])),
          ToolCall(name: "search", arguments: .string("not json {")),
        ])
    }
  }

  @Test func acceptsAnswersWithoutUsage() async throws {
    try await withLoopback { server, fixture in
      server.setResponder { _ in ScriptedAnswer("ok", omitUsage: true) }
      let provider = try fixture.provider(ProviderFixture.definition(.openai, server: server))
      let output = try await provider.complete(fixture.request())
      #expect(output.output == "ok")
      #expect(output.usage == Usage())
    }
  }

  @Test func answersFromAScriptTable() async throws {
    try await withLoopback { server, fixture in
      server.setResponder(
        ScriptedAnswer.table(["Q: hello": ScriptedAnswer("hi")], fallback: ScriptedAnswer("?")))
      let provider = try fixture.provider(ProviderFixture.definition(.openai, server: server))
      let hello = try await provider.complete(fixture.request(vars: ["question": .string("hello")]))
      let other = try await provider.complete(fixture.request(vars: ["question": .string("bye")]))
      #expect(hello.output == "hi")
      #expect(other.output == "?")
    }
  }

  @Test func prefersTheProvidersModelAndAcceptsABaseURLWithoutV1() async throws {
    try await withLoopback { server, fixture in
      let definition = ProviderDefinition(
        name: "local", kind: .openai, baseURL: server.baseURL + "/", model: "pinned",
        limits: .init(concurrency: 1, timeoutSeconds: 2, retries: 0), settings: .null)
      let provider = try fixture.provider(definition)
      let output = try await provider.complete(fixture.request())
      #expect(server.requests.first?.path == "/chat/completions")
      #expect(server.requests.first?.json?["model"] as? String == "pinned")
      #expect(output.model == "pinned")
    }
  }

  @Test func sendsTheInputVariableWhenThereIsNoMessagesBlock() async throws {
    try await withLoopback { server, fixture in
      let provider = try fixture.provider(ProviderFixture.definition(.openai, server: server))
      let output = try await provider.complete(
        fixture.request(vars: ["input": .string("raw input")], messages: nil))
      #expect(output.output == "echo: raw input")
      let messages = server.requests.first?.json?["messages"] as? [[String: Any]]
      #expect(messages?.count == 1)
      let error = await providerError {
        _ = try await provider.complete(fixture.request(vars: ["input": .number(1)], messages: nil))
      }
      #expect(error?.message.contains("messages:") == true)
    }
  }

  @Test func reportsMissingModelsFilesAndVariablesWithoutCalling() async throws {
    try await withLoopback(files: ["tools/bad.json": "{\"nope\": 1}"]) { server, fixture in
      let provider = try fixture.provider(ProviderFixture.definition(.openai, server: server))
      let noModel = await providerError {
        _ = try await provider.complete(fixture.request(model: nil))
      }
      #expect(noModel?.message.contains("no model") == true)
      let noPrompt = await providerError { _ = try await provider.complete(fixture.request()) }
      #expect(noPrompt?.message.contains("prompts/system.md") == true)
      let noVar = await providerError {
        let messages = MessagesSpec(system: nil, user: "{{ticket.subject}}")
        _ = try await provider.complete(fixture.request(messages: messages))
      }
      #expect(noVar?.message.contains("ticket.subject") == true)
      let badTool = await providerError {
        let messages = MessagesSpec(system: nil, user: "{{question}}")
        _ = try await provider.complete(
          fixture.request(messages: messages, tools: ["tools/bad.json"]))
      }
      #expect(badTool?.message.contains("tools/bad.json") == true)
      #expect(noModel?.provider == "test-openai")
      #expect(server.requestCount == 0)
    }
  }
}
