/// A provider declared under `providers:` in the mapping file.
public struct ProviderDefinition: Sendable, Hashable {
  /// What kind of provider.
  public enum Kind: String, Sendable, Hashable, CaseIterable {
    /// The team's own harness, run as a command.
    case exec
    /// OpenAI-compatible chat completions (OpenAI, gateways, vLLM, Ollama, llama.cpp's server).
    case openai
    /// The Anthropic messages API.
    case anthropic
  }

  /// The provider's name, a key of `providers`.
  public let name: String
  /// Its kind.
  public let kind: Kind
  /// The command an exec provider runs (argv; looked up on PATH, run in the harness directory).
  public let command: [String]
  /// The HTTP providers' base URL; nil for the kind's default.
  public let baseURL: String?
  /// The name of the environment variable holding the API key (never the key itself).
  public let apiKeyEnv: String?
  /// A model that overrides the behavior's (for a judge, or a provider pinned to one model).
  public let model: String?
  /// How hard it may be driven.
  public let limits: Limits
  /// The settings that decide outputs, canonical, without limits or secrets: part of the result
  /// key, so that changing a timeout re-runs nothing and changing a URL re-runs everything.
  public let settings: JSONValue

  /// Concurrency, timeout and retries.
  public struct Limits: Sendable, Hashable {
    /// Calls in flight at once.
    public var concurrency: Int
    /// Seconds before one attempt is abandoned.
    public var timeoutSeconds: Double
    /// Attempts after the first, on 429, 5xx, a dropped connection or a timeout.
    public var retries: Int

    /// Creates limits.
    public init(concurrency: Int, timeoutSeconds: Double, retries: Int) {
      self.concurrency = concurrency
      self.timeoutSeconds = timeoutSeconds
      self.retries = retries
    }
  }

  /// Creates a definition.
  public init(
    name: String, kind: Kind, command: [String] = [], baseURL: String? = nil,
    apiKeyEnv: String? = nil, model: String? = nil, limits: Limits, settings: JSONValue
  ) {
    self.name = name
    self.kind = kind
    self.command = command
    self.baseURL = baseURL
    self.apiKeyEnv = apiKeyEnv
    self.model = model
    self.limits = limits
    self.settings = settings
  }
}
