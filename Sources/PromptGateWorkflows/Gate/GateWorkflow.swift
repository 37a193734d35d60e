import AsyncHTTPClient
import Foundation
import GitKit
import PromptGateCI
import PromptGateCore
import PromptGateProviders
import PromptGateTransport

/// One gate, from two sides to a result: what `promptgate-gate`, the hooks, a release and a
/// merge of shards share. It selects, plans, runs what the store lacks, and scores; it never
/// prints or exits.
public struct GateWorkflow {
  /// What a gate was asked to compare and how far it may go.
  public struct Inputs: Sendable {
    public var base: Side
    public var head: Side
    /// Only eval sets of this tier; nil for every tier.
    public var tier: String?
    /// The result store's directory; nil for the default in the git directory.
    public var storePath: String?
    /// Run again what the store already holds.
    public var refresh = false
    public var maxCalls: Int?
    public var maxCost: Double?
    /// Only this shard's cases.
    public var shard: Shard?
    /// Refuse to call any provider: every result must already be stored (`gate merge`).
    public var requireStored = false
    /// Only the sets whose cases run one of these behaviors (a release gates the behaviors it
    /// releases, not the others).
    public var behaviors: Set<String>?
    /// The longest the runs may take, in seconds: what has not finished then is cancelled, and
    /// its sets are not evaluated (`gate --max-seconds`, the hook's `hook.timeout`).
    public var maxSeconds: Double?
    /// A smaller cap on re-sampled runs per side than each set's `maxRepeat` (the hook's).
    public var maxRepeat: Int?
    /// Whose definitions run: by default decided from the CI event in the environment (only the
    /// base's under `pull_request_target`, `workflow_run` and `issue_comment`).
    public var trust = CodeTrust.from(
      environment: ProcessInfo.processInfo.environment, trustHeadCode: false)

    /// Whether the head is a pull request's (from the CI event): results fetched from the
    /// remote then serve the baseline's behavior versions only.
    public var isPullRequest =
      CIDetector.pullRequestEvent(
        in: ProcessInfo.processInfo.environment) != nil

    /// Creates the inputs of a gate from `base` to `head`.
    public init(base: Side, head: Side, tier: String?, storePath: String? = nil) {
      self.base = base
      self.head = head
      self.tier = tier
      self.storePath = storePath
    }
  }

  /// What a gate produced: the result, with the plan and store behind it (for shard output).
  public struct Run: Sendable {
    public let result: GateResult
    public let plan: GatePlan
    public let store: ResultStore
    /// What the caller should tell the user (a baseline whose mapping is invalid).
    public var warnings: [String] = []
  }

  public let workspace: Workspace
  public let inputs: Inputs
  /// Told how many runs are done out of how many (the CLI draws a progress bar on a terminal).
  public let progress: GateExecutor.Progress?

  /// Creates a gate over `workspace`.
  public init(workspace: Workspace, inputs: Inputs, progress: GateExecutor.Progress? = nil) {
    self.workspace = workspace
    self.inputs = inputs
    self.progress = progress
  }

  /// Selects, plans, runs what the store lacks, and scores.
  public func run() async throws -> Run {
    let (old, new, warning) = try workspace.gatingStates(inputs.base, inputs.head)
    try Workspace.requireMapping(old, new)
    let changes = try ChangeDetector.compare(old, new)
    var run = try await run(
      old, new, changes: changes,
      selection: Selection(changes: changes, head: new.mapping, tier: inputs.tier))
    if let warning { run.warnings.insert(warning, at: 0) }
    return run
  }

  /// The same, for sides already resolved and compared (the hook has, to say what changed).
  public func run(_ old: SideState, _ new: SideState, changes: ChangeSet, selection: Selection)
    async throws -> Run
  {
    var selection = selection
    if let behaviors = inputs.behaviors {
      selection = selection.filter { entry in
        guard let set = new.mapping?.evalSet(named: entry.evalSet) else { return false }
        return set.run.behavior.map(behaviors.contains) ?? false
      }
    }
    let store = ResultStore(
      directory: inputs.storePath
        ?? ResultStore.defaultDirectory(commonDir: workspace.repository.commonDir),
      shared: inputs.isPullRequest ? .behaviors(Self.baselineOnly(old, new)) : .all,
      fetched: FetchedResults(gitDirectory: workspace.repository.gitDir))
    let materializer = try Materializer()
    defer { materializer.removeAll() }
    let environment = ProcessInfo.processInfo.environment
    // Every key a provider of either side may read is a secret, whether or not it is used.
    Redactor.register(
      variables: [old.mapping, new.mapping].compactMap { $0 }
        .flatMap { $0.gate.providers.values.compactMap(\.apiKeyEnv) },
      in: environment)
    // One client for every HTTP provider, its pool as wide as their concurrency together
    // (AsyncHTTPClient's default of 8 connections per host would cap a provider at 8 calls).
    let code = inputs.trust.isBaseOnly ? old : new
    let httpProviders = (code.mapping?.gate.providers.values).map { Array($0) } ?? []
    let width = httpProviders.filter { $0.kind != .exec }.map(\.limits.concurrency).reduce(0, +)
    let client = HTTPClientHolder(connections: width)
    defer { client.shutdown() }
    let planner = GatePlanner(
      store: store, materializer: materializer,
      options: .init(
        tier: inputs.tier, refresh: inputs.refresh, maxCalls: inputs.maxCalls,
        maxCost: inputs.maxCost, shard: inputs.shard),
      makeProvider: { definition in
        switch definition.kind {
        case .exec: return ExecProvider(definition)
        case .openai, .anthropic:
          return try HTTPProviderFactory.make(
            definition, environment: environment, client: client.client)
        }
      })
    let plan = try planner.plan(
      base: old, head: new, changes: changes, selection: selection, trust: inputs.trust)
    try requireStored(plan, in: store)
    var notes: [String] = []
    if case .base(let reason) = inputs.trust, !selection.evalSets.isEmpty { notes.append(reason) }
    if plan.runs.isEmpty {
      // Nothing to read or run (every selected set lacks a provider): leave the store untouched.
      let outcome = await GateExecutor.run(plan, store: store, progress: progress)
      let result = GateScorer(plan: plan, store: store, outcome: outcome).score()
      return Run(result: result, plan: plan, store: store, warnings: notes)
    }
    let lock = try store.lock(exclusive: false)
    defer { lock.release() }
    var run = try await evaluate(plan, store: store)
    run.warnings = notes + run.warnings
    return run
  }

  /// The behavior versions of the baseline that the head does not also have: a forged result
  /// for one of the head's could pass a regression off as "failing at both sides".
  static func baselineOnly(_ old: SideState, _ new: SideState) -> Set<String> {
    func ids(_ state: SideState) -> Set<String> {
      Set(
        state.behaviors.compactMap { entry in
          guard case .present(let behavior) = entry.state else { return nil }
          return behavior.version.id.description
        })
    }
    return ids(old).subtracting(ids(new))
  }

  /// Runs what the store lacks and scores; then re-samples the cases whose runs disagree (both
  /// sides, under the same cap, call count, progress and store) and scores again.
  private func evaluate(_ first: GatePlan, store: ResultStore) async throws -> Run {
    let cap = SpendingCap(first)
    let deadline = inputs.maxSeconds.map { ContinuousClock.now + .milliseconds(Int64($0 * 1000)) }
    var plan = first
    var outcome = await limited(deadline) { [plan, progress] in
      await GateExecutor.run(
        plan, store: store, cap: cap, after: GateExecutor.Outcome(), progress: progress)
    }
    var result = GateScorer(plan: plan, store: store, outcome: outcome).score()
    let chosen = Resampling.disagreeing(result, plan: plan, maxRepeat: inputs.maxRepeat)
    if outcome.capReached == nil,
      let next = try Resampling.extend(
        plan, cases: chosen, store: store, refresh: inputs.refresh, maxRepeat: inputs.maxRepeat)
    {
      try requireStored(next, in: store)
      plan = next
      outcome = await limited(deadline) { [plan, outcome, progress] in
        await GateExecutor.run(plan, store: store, cap: cap, after: outcome, progress: progress)
      }
      result = GateScorer(plan: plan, store: store, outcome: outcome).score()
    }
    return Run(result: result, plan: plan, store: store)
  }

  /// Runs `work` until `deadline` (the gate's `maxSeconds`); past it, what did not finish is
  /// cancelled and reported as not finished, and nothing more is started.
  private func limited(
    _ deadline: ContinuousClock.Instant?,
    _ work: @escaping @Sendable () async -> GateExecutor.Outcome
  ) async -> GateExecutor.Outcome {
    guard let deadline, let maxSeconds = inputs.maxSeconds else { return await work() }
    let remaining = max((deadline - ContinuousClock.now).totalSeconds, 0.001)
    var (outcome, timedOut) = await TimeLimit.run(seconds: remaining, work)
    if timedOut || ContinuousClock.now >= deadline {
      let limit = CanonicalJSON.format(maxSeconds) ?? "\(maxSeconds)"
      outcome.capReached = "the gate's time limit of \(limit) s was reached"
      for key in outcome.failed.keys {
        outcome.failed[key] = "not finished: \(outcome.capReached ?? "")"
      }
    }
    return outcome
  }

  /// Under `requireStored` (`gate merge`), refuses a plan whose runs or gradings the store lacks.
  private func requireStored(_ plan: GatePlan, in store: ResultStore) throws {
    guard inputs.requireStored else { return }
    if !plan.missing.isEmpty {
      throw PromptGateError(
        .usage,
        "the shards' results lack \(plan.missing.count) of the \(plan.runs.count) runs this gate needs: were all shards run on the same commits, tier and mapping?"
      )
    }
    if case let lacking = plan.missingGradings(in: store), lacking > 0 {
      throw PromptGateError(
        .usage,
        "the shards' results lack \(lacking) judge or command verdicts this gate needs: were the shards run with this version of promptgate?"
      )
    }
  }
}

/// The gate's HTTP client, made on first use and shut down when the gate ends.
final class HTTPClientHolder: @unchecked Sendable {
  private let connections: Int
  private let lock = NSLock()
  private var made: HTTPClient?

  init(connections: Int) { self.connections = connections }

  var client: HTTPClient {
    lock.lock()
    defer { lock.unlock() }
    if let made { return made }
    let client = HTTPTransport.makeClient(concurrency: connections)
    made = client
    return client
  }

  func shutdown() {
    lock.lock()
    defer { lock.unlock() }
    try? made?.syncShutdown()
  }
}
