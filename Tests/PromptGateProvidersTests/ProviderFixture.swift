import AsyncHTTPClient
import Foundation
import PromptGateCore
import PromptGateProviders
import TestSupport

/// A behavior's files in a temporary directory, and requests and providers over them.
final class ProviderFixture: Sendable {
  /// The directory holding the behavior's component files.
  let directory: String
  /// A client sized for the tests' concurrency, shut down by ``close()``.
  let client: HTTPClient
  /// A key that must never show up anywhere but its header.
  static let secretKey = "sk-test-9f8e7d6c5b4a39281706-SECRET"
  /// Short waits, so that retry tests stay fast.
  static let fastPolicy = RetryPolicy(
    initialBackoff: .milliseconds(20), maximumBackoff: .milliseconds(200))

  init(files: [String: String] = [:]) throws {
    let base = FileManager.default.temporaryDirectory.path + "/promptgate-http-\(UUID().uuidString)"
    directory = base
    for (path, text) in files {
      let url = URL(fileURLWithPath: base + "/" + path)
      try FileManager.default.createDirectory(
        at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try Data(text.utf8).write(to: url)
    }
    try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
    client = HTTPClient(
      eventLoopGroup: HTTPClient.defaultEventLoopGroup,
      configuration: HTTPProviderFactory.clientConfiguration(concurrency: 64))
  }

  /// Shuts the client down and removes the files.
  func close() async {
    try? await client.shutdown()
    try? FileManager.default.removeItem(atPath: directory)
  }

  /// A definition of kind `kind` pointing at `server`.
  static func definition(
    _ kind: ProviderDefinition.Kind, server: LoopbackLLMServer?, apiKeyEnv: String? = nil,
    model: String? = nil, concurrency: Int = 4, timeout: Double = 2, retries: Int = 2
  ) -> ProviderDefinition {
    let base = server.map { kind == .openai ? $0.openAIBaseURL : $0.baseURL }
    return ProviderDefinition(
      name: "test-\(kind.rawValue)", kind: kind, baseURL: base, apiKeyEnv: apiKeyEnv, model: model,
      limits: .init(concurrency: concurrency, timeoutSeconds: timeout, retries: retries),
      settings: .null)
  }

  /// A provider for `definition`, with the secret key in `KEY_VAR` when the definition names it.
  func provider(_ definition: ProviderDefinition, policy: RetryPolicy = fastPolicy) throws
    -> any Provider
  {
    try HTTPProviderFactory.make(
      definition, environment: ["KEY_VAR": Self.secretKey], client: client, policy: policy)
  }

  /// A request for one case against a behavior in ``directory``.
  func request(
    vars: [String: JSONValue] = ["question": .string("What is 2+2?")],
    messages: MessagesSpec? = MessagesSpec(system: "prompts/system.md", user: "Q: {{question}}"),
    model: String? = "model-a", temperature: Double? = 0.2, maxOutputTokens: Int? = 256,
    tools: [String] = []
  ) -> ProviderRequest {
    let behavior = BehaviorRun(
      name: "support", id: "pgv1-test", model: model, temperature: temperature,
      maxOutputTokens: maxOutputTokens, directory: directory, promptFiles: ["prompts/system.md"],
      toolSchemaFiles: tools)
    return ProviderRequest(
      caseID: "case-1", vars: vars, behavior: behavior, messages: messages,
      harnessDirectory: directory, repeatIndex: 0)
  }
}

/// Runs `body` with a fresh server and fixture, cleaning both up afterwards.
func withLoopback<T>(
  files: [String: String] = ["prompts/system.md": "You are terse."],
  _ body: (LoopbackLLMServer, ProviderFixture) async throws -> T
) async throws -> T {
  let fixture = try ProviderFixture(files: files)
  do {
    let result = try await LoopbackLLMServer.withServer { server in
      try await body(server, fixture)
    }
    await fixture.close()
    return result
  } catch {
    await fixture.close()
    throw error
  }
}

/// The ProviderError `body` throws, or nil.
func providerError(_ body: () async throws -> Void) async -> ProviderError? {
  do {
    try await body()
    return nil
  } catch let error as ProviderError {
    return error
  } catch {
    return ProviderError(provider: "?", "unexpected error type: \(error)")
  }
}
