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

  /// Concurrency, timeout and retries, always within ``Ranges`` (the parser reports a value
  /// outside them; one set in code is brought inside), so that converting the timeout to a
  /// `Duration` or to milliseconds can never trap.
  public struct Limits: Sendable, Hashable {
    /// Calls in flight at once.
    public var concurrency: Int {
      didSet { concurrency = Self.clamp(concurrency, Ranges.concurrency) }
    }
    /// Seconds before one attempt is abandoned: above 0, at most ``Ranges/maximumTimeout``.
    public var timeoutSeconds: Double { didSet { timeoutSeconds = Self.clamp(timeoutSeconds) } }
    /// Attempts after the first, on 429, 5xx, a dropped connection or a timeout.
    public var retries: Int { didSet { retries = Self.clamp(retries, Ranges.retries) } }

    /// Creates limits.
    public init(concurrency: Int, timeoutSeconds: Double, retries: Int) {
      self.concurrency = Self.clamp(concurrency, Ranges.concurrency)
      self.timeoutSeconds = Self.clamp(timeoutSeconds)
      self.retries = Self.clamp(retries, Ranges.retries)
    }

    static func clamp(_ value: Int, _ range: ClosedRange<Int>) -> Int {
      min(max(value, range.lowerBound), range.upperBound)
    }

    static func clamp(_ seconds: Double) -> Double {
      guard seconds.isFinite else { return Ranges.maximumTimeout }
      return min(max(seconds, 0.001), Ranges.maximumTimeout)
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
