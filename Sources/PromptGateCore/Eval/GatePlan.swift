/// One run to make or read: a case, a repeat, a side's behaviour.
public struct PlannedRun: Sendable {
  /// The result key.
  public let key: String
  /// The call, should it need making.
  public let request: ProviderRequest
  /// The provider's name.
  public let provider: String
  /// The eval set's name.
  public let evalSet: String
}

/// A case of a set, with its runs at each side.
public struct PlannedCase: Sendable {
  /// The case.
  public let evalCase: EvalCase
  /// The keys of the head's runs, one per repeat.
  public var headKeys: [String]
  /// The keys of the baseline's runs; nil without a baseline.
  public var baselineKeys: [String]?
}

/// Makes one set's planned runs: the result key and the request of a case's repeat at a side.
public struct RunMaker: Sendable {
  /// The provider's name and its settings (part of the key).
  public let provider: String
  public let settings: JSONValue
  /// Exec harnesses render their own messages.
  public let isExec: Bool
  public let harnessDigest: String
  public let harnessDirectory: String
  public let evalSet: String
  /// The messages each side's HTTP requests are built from.
  public let headMessages: MessagesSpec?
  public let baselineMessages: MessagesSpec?

  /// The run of `evalCase`'s repeat `repeatIndex` with `behavior`.
  public func run(
    _ evalCase: EvalCase, behavior: BehaviorRun, messages: MessagesSpec?, _ repeatIndex: Int
  ) throws -> PlannedRun {
    let key = try ResultKey.result(
      behaviorId: behavior.id, caseContent: evalCase.content, provider: settings,
      messages: isExec ? nil : messages, harnessDigest: harnessDigest, repeatIndex: repeatIndex)
    return PlannedRun(
      key: key,
      request: ProviderRequest(
        caseID: evalCase.id, vars: evalCase.vars, behavior: behavior,
        messages: isExec ? nil : messages, harnessDirectory: harnessDirectory,
        repeatIndex: repeatIndex),
      provider: provider, evalSet: evalSet)
  }
}

/// A selected eval set, ready to run.
public struct PlannedSet: Sendable {
  /// The set's definition (from the head).
  public let definition: EvalSetDefinition
  /// The behavior it runs, and its ids at each side.
  public let behavior: String
  public let headBehavior: BehaviorRun
  public let baselineBehavior: BehaviorRun?
  /// Why it was selected.
  public let reasons: [String]
  /// Its cases.
  public var cases: [PlannedCase]
  /// Case ids the baseline's cases file has and the head's does not.
  public let removedCases: [String]
  /// Where the head's copy of the cases and harness files is.
  public let harnessDirectory: String
  /// The digest of the set's harness files (a `command` assertion's verdict depends on them).
  public let harnessDigest: String
  /// Makes the set's runs for any repeat index (re-sampling adds repeats).
  public let runMaker: RunMaker
  /// The keys re-sampling added.
  public var extraKeys: Set<String> = []
  /// The files behind the protected components that changed, with their changed lines.
  public let changedInputs: [ChangedInput]
}

/// Everything a gate does, decided before any call is made.
public struct GatePlan: Sendable {
  /// The compared sides.
  public let base: SideSummary
  public let head: SideSummary
  /// The behaviors that changed between the sides.
  public let behaviors: [BehaviorChange]
  /// The tier gated (nil: every tier).
  public let tier: String?
  /// The sets to run.
  public var sets: [PlannedSet]
  /// Every distinct run the sets need, keyed; `missing` lists those not in the store.
  public var runs: [String: PlannedRun]
  public var missing: [String]
  /// Providers by name, and their definitions.
  public let providers: [String: any Provider]
  public let providerDefinitions: [String: ProviderDefinition]
  /// Prices, caps and phrases from the head's mapping (caps overridden by options).
  public let prices: [String: Price]
  public let maxCalls: Int?
  public let maxCost: Double?
  public let refusalPhrases: [String]?
  /// Selected sets that cannot run, and why.
  public let unrunnable: [NotEvaluated]
  /// Whether what the store held when planning is run again (`--refresh`).
  public var refresh = false
}
