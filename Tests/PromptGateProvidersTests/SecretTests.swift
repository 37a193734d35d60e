import Foundation
import PromptGateCore
import PromptGateProviders
import TestSupport
import Testing

@Suite("API keys and provider set-up")
struct SecretTests {
  static let key = ProviderFixture.secretKey

  @Test func namesAMissingKeyVariableButNoValue() throws {
    let definition = ProviderFixture.definition(
      .openai, server: nil, apiKeyEnv: "PG_TEST_NO_SUCH_KEY")
    let environment = ["OTHER_KEY": Self.key]
    #expect {
      _ = try HTTPProviderFactory.make(definition, environment: environment, client: .shared)
    } throws: { error in
      let text = String(describing: error)
      return text.contains("PG_TEST_NO_SUCH_KEY") && text.contains("not set")
        && !text.contains(Self.key)
    }
    #expect {
      _ = try HTTPProviderFactory.make(
        definition, environment: ["PG_TEST_NO_SUCH_KEY": " \n"], client: .shared)
    } throws: { error in
      let text = String(describing: error)
      return text.contains("PG_TEST_NO_SUCH_KEY") && text.contains("is empty")
    }
  }

  @Test func needsNoKeyWhenNoVariableIsNamed() throws {
    _ = try HTTPProviderFactory.make(
      ProviderFixture.definition(.openai, server: nil), environment: [:], client: .shared)
    _ = try HTTPProviderFactory.make(
      ProviderFixture.definition(.anthropic, server: nil), environment: [:], client: .shared)
  }

  @Test func turnsAwayExecProvidersAndBadBaseURLs() {
    let exec = ProviderDefinition(
      name: "harness", kind: .exec, command: ["./run"],
      limits: .init(concurrency: 1, timeoutSeconds: 1, retries: 0), settings: .null)
    #expect(throws: ProviderError.self) {
      _ = try HTTPProviderFactory.make(exec, environment: [:], client: .shared)
    }
    let ftp = ProviderDefinition(
      name: "odd", kind: .openai, baseURL: "ftp://127.0.0.1/v1",
      limits: .init(concurrency: 1, timeoutSeconds: 1, retries: 0), settings: .null)
    #expect(throws: ProviderError.self) {
      _ = try HTTPProviderFactory.make(ftp, environment: [:], client: .shared)
    }
  }

  @Test func theKeyIsNotInTheProvidersDescriptions() throws {
    for kind in [ProviderDefinition.Kind.openai, .anthropic] {
      let provider = try HTTPProviderFactory.make(
        ProviderFixture.definition(kind, server: nil, apiKeyEnv: "KEY_VAR"),
        environment: ["KEY_VAR": Self.key], client: .shared)
      var dumped = ""
      dump(provider, to: &dumped)
      for text in [String(describing: provider), String(reflecting: provider), dumped] {
        #expect(!text.contains(Self.key))
      }
    }
  }

  @Test(arguments: [ProviderDefinition.Kind.openai, .anthropic])
  func theKeyIsNeverInAnErrorMessage(kind: ProviderDefinition.Kind) async throws {
    try await withLoopback { server, fixture in
      let echo = #"{"error": {"message": "Incorrect API key provided: \#(Self.key)"}}"#
      let provider = try fixture.provider(
        ProviderFixture.definition(kind, server: server, apiKeyEnv: "KEY_VAR", retries: 1))
      var errors: [ProviderError] = []
      server.inject(.status(401, body: echo))
      server.inject(.status(500, body: echo), count: 2)
      server.inject(.status(200, body: "garbage " + Self.key))
      server.inject(.status(200, body: echo))
      for _ in 0..<4 {
        if let error = await providerError({ _ = try await provider.complete(fixture.request()) }) {
          errors.append(error)
        }
      }
      #expect(errors.count == 4)
      for error in errors {
        let texts = [String(describing: error), String(reflecting: error), error.message]
        for text in texts { #expect(!text.contains(Self.key)) }
        #expect(error.message.contains("[redacted]"))
      }
      // The key went out in its header and nowhere else in any request.
      let header = kind == .openai ? "authorization" : "x-api-key"
      #expect(server.requestCount == 5)
      for request in server.requests {
        #expect(request.header(header)?.contains(Self.key) == true)
        let others = request.headers.filter { $0.name.lowercased() != header }
        #expect(!others.contains { $0.value.contains(Self.key) })
        #expect(!request.bodyText.contains(Self.key))
        #expect(!request.path.contains(Self.key))
      }
    }
  }
}
