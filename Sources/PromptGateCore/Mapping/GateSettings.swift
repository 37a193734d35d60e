/// What the gate does when it could not evaluate (a provider unreachable, the spending cap
/// reached): warn and pass, or fail.
public enum UnavailablePolicy: String, Sendable, Hashable, CaseIterable {
  case warn
  case fail
}

/// A model's price, in currency units per million tokens.
public struct Price: Sendable, Hashable {
  /// Per million prompt tokens.
  public var input: Double
  /// Per million completion tokens.
  public var output: Double

  /// A price per million input and output tokens.
  public init(input: Double, output: Double) {
    self.input = input
    self.output = output
  }

  /// The cost of `usage`, or nil when a count is missing.
  public func cost(of usage: Usage) -> Double? {
    guard let inputTokens = usage.inputTokens, let outputTokens = usage.outputTokens else {
      return nil
    }
    return (Double(inputTokens) * input + Double(outputTokens) * output) / 1_000_000
  }
}

/// The mapping's run-wide gate settings: providers, prices, caps and policies.
public struct GateConfig: Sendable {
  /// Providers by name.
  public var providers: [String: ProviderDefinition] = [:]
  /// Prices by model name.
  public var prices: [String: Price] = [:]
  /// The most provider calls one run may make (nil: no cap).
  public var maxCalls: Int?
  /// The most one run may spend, by the price table (nil: no cap).
  public var maxCost: Double?
  /// What the pre-commit hook does when it could not evaluate (default warn).
  public var hookOnUnavailable: UnavailablePolicy = .warn
  /// How long the hook's gate may take, in seconds, before the hook stops it and applies
  /// ``hookOnUnavailable`` (default 60).
  public var hookTimeoutSeconds: Double = 60
  /// Phrases `is-refusal` looks for, replacing the defaults.
  public var refusalPhrases: [String]?
  /// A smaller `maxRepeat` for the pre-commit hook (nil: each set's own).
  public var hookMaxRepeat: Int?
  /// Where `promptgate report` reads telemetry by default (the `telemetry:` block).
  public var telemetry = TelemetrySettings()
}

/// Relative metric budgets: how much worse than the baseline a set may get.
public struct Budgets: Sendable, Hashable {
  /// Largest allowed ratio of the head's p95 latency to the baseline's (both run in this run).
  public var p95Latency: Double?
  /// Largest allowed ratio of the head's mean cost per case to the baseline's.
  public var costPerCase: Double?
  /// Largest allowed rise of the refusal rate, as a fraction (0.05 = five points).
  public var refusalRate: Double?
}

/// The judge that grades `llm-rubric` assertions: a provider and a pinned model.
public struct JudgeSpec: Sendable, Hashable {
  /// The provider's name.
  public var provider: String
  /// The judge's model (pinned: part of each verdict's key).
  public var model: String?
}

/// An eval set's run and verdict settings.
public struct EvalSetRun: Sendable, Hashable {
  /// The provider that runs the cases.
  public var provider: String?
  /// The behavior the cases run against (default: the only one the set protects).
  public var behavior: String?
  /// Runs per case.
  public var repeats = 1
  /// Passing runs a case needs to pass (default: a majority of `repeats`).
  public var passAtLeast: Int?
  /// The significance level of the set-level test (drift across many cases).
  public var alpha = 0.005
  /// The significance level of each case's exact test, after Holm's control across cases.
  public var caseAlpha = 0.005
  /// Runs per side, the first ones included, that a case whose runs disagree is re-sampled to.
  public var maxRepeat = 15
  /// Whether cases whose runs disagree are re-sampled.
  public var adaptive = true
  /// The lowest acceptable pass rate: falling below it fails the set.
  public var floor: Double?
  /// Known-flaky case ids: reported, never deciding.
  public var quarantine: Set<String> = []
  /// Metric budgets relative to the baseline.
  public var budgets = Budgets()
  /// The judge for `llm-rubric`.
  public var judge: JudgeSpec?
  /// How HTTP providers build messages.
  public var messages: MessagesSpec?
  /// Phrases for `is-refusal`, replacing the mapping's.
  public var refusalPhrases: [String]?

  /// Passing runs a case needs.
  public var requiredPasses: Int { passAtLeast ?? (repeats / 2 + 1) }
}
