import AsyncHTTPClient
import PromptGateCore
import PromptGateTransport

/// Makes the HTTP providers from their definitions in the mapping file.
public enum HTTPProviderFactory {
  /// The provider for an `openai` or `anthropic` definition, with its API key read from
  /// `environment` (the variable `apiKeyEnv` names; none is needed when it names none).
  /// Throws for an exec definition, a base URL that is not http(s), or a key variable that is
  /// unset or empty: the error names the variable, never a value.
  public static func make(
    _ definition: ProviderDefinition, environment: [String: String], client: HTTPClient,
    policy: RetryPolicy = RetryPolicy()
  ) throws(ProviderError) -> any Provider {
    guard definition.kind != .exec else {
      throw ProviderError(
        provider: definition.name, "an exec provider runs a command and is not an HTTP provider")
    }
    if let base = definition.baseURL {
      let lowered = base.lowercased()
      guard lowered.hasPrefix("http://") || lowered.hasPrefix("https://") else {
        throw ProviderError(
          provider: definition.name,
          "baseURL must start with http:// or https:// (got \(ResponseText.truncate(base, limit: 80)))"
        )
      }
    }
    let key = try apiKey(for: definition, environment: environment)
    switch definition.kind {
    case .openai:
      return OpenAIProvider(definition: definition, apiKey: key, client: client, policy: policy)
    case .anthropic:
      return AnthropicProvider(definition: definition, apiKey: key, client: client, policy: policy)
    case .exec:
      preconditionFailure("exec definitions were turned away above")
    }
  }

  /// The client configuration for the providers: the one transport's, with enough pooled
  /// connections per host for `concurrency` calls at once.
  public static func clientConfiguration(concurrency: Int) -> HTTPClient.Configuration {
    HTTPTransport.configuration(concurrency: concurrency)
  }

  /// The key in the variable `definition.apiKeyEnv` names; nil when it names none.
  static func apiKey(for definition: ProviderDefinition, environment: [String: String])
    throws(ProviderError) -> String?
  {
    guard let variable = definition.apiKeyEnv else { return nil }
    guard let value = environment[variable] else {
      throw ProviderError(
        provider: definition.name,
        "the environment variable \(variable) (apiKeyEnv) is not set; export it with the API key")
    }
    guard !value.trimmingWhitespaceAndNewlines().isEmpty else {
      throw ProviderError(
        provider: definition.name,
        "the environment variable \(variable) (apiKeyEnv) is empty; set it to the API key")
    }
    Redactor.register(value)
    return value
  }

  /// `base` without trailing slashes.
  static func trimmedBase(_ base: String) -> String {
    var base = Substring(base.trimmingWhitespaceAndNewlines())
    while base.hasSuffix("/") { base = base.dropLast() }
    return String(base)
  }
}
