import Foundation

/// Makes the runs a plan's store lacks, concurrently, within the spending cap, writing each
/// result as it arrives so that an interrupted gate resumes where it stopped; then the gradings
/// those outputs need (judge calls, `command` assertions), under the same cap, call count,
/// progress and store. Nothing else in a gate runs anything: the scorer only reads.
public enum GateExecutor {
  /// What running produced.
  public struct Outcome: Sendable {
    /// Fresh outputs by key.
    public var fresh: [String: ProviderOutput] = [:]
    /// Fresh gradings by judgement key.
    public var gradings: [String: StoredJudgement] = [:]
    /// Runs and gradings that could not be evaluated, by key, with why.
    public var failed: [String: String] = [:]
    /// Why the run stopped early, when the cap was reached.
    public var capReached: String?
    /// Calls made: model calls, judge calls and `command` assertions.
    public var calls = 0
    /// What the fresh runs cost, when every one's cost was known.
    public var cost = 0.0
    /// Runs and gradings done, for progress across rounds.
    public var done = 0

    /// An empty outcome.
    public init() {}
  }

  /// Reports progress: done, total (the total grows when gradings are planned).
  public typealias Progress = @Sendable (Int, Int) -> Void

  /// One unit of work: a model run or a grading.
  private enum Work: Sendable {
    case run(PlannedRun)
    case grading(PlannedGrading)
  }

  /// What one unit came to.
  private enum Done: Sendable {
    case output(ProviderOutput)
    case grading(StoredJudgement)
  }

  /// Runs `plan.missing`, then the gradings their outputs and the stored ones need.
  public static func run(_ plan: GatePlan, store: ResultStore, progress: Progress?) async -> Outcome
  {
    await run(plan, store: store, cap: SpendingCap(plan), after: Outcome(), progress: progress)
  }

  /// The same, as a further round of a gate (re-sampling): under the same cap, adding to
  /// `previous`'s outputs, calls and progress.
  public static func run(
    _ plan: GatePlan, store: ResultStore, cap budget: SpendingCap, after previous: Outcome,
    progress: Progress?
  ) async -> Outcome {
    var outcome = previous
    let runs = plan.missing.compactMap { plan.runs[$0] }.filter {
      plan.providers[$0.provider] != nil
    }
    var done = previous.done
    let start = previous.done
    await execute(
      runs.map { (key: $0.key, work: Work.run($0)) }, plan: plan, store: store, budget: budget,
      into: &outcome, done: &done, total: start + runs.count, progress: progress)
    let gradings = Grading.needed(plan, store: store, fresh: outcome.fresh).filter {
      previous.failed[$0.key] == nil
    }
    await execute(
      gradings.map { (key: $0.key, work: Work.grading($0)) }, plan: plan, store: store,
      budget: budget, into: &outcome, done: &done, total: start + runs.count + gradings.count,
      progress: progress)
    outcome.done = done
    outcome.calls = await budget.calls
    outcome.cost = await budget.spent
    outcome.capReached = await budget.reason
    return outcome
  }

  /// Runs `work` concurrently (each provider's own limiter decides how many at once).
  private static func execute(
    _ work: [(key: String, work: Work)], plan: GatePlan, store: ResultStore, budget: SpendingCap,
    into outcome: inout Outcome, done: inout Int, total: Int, progress: Progress?
  ) async {
    // A unit holds a slot of its provider (or of the local commands) from its claim to its
    // stored result, so that it claims only what it is about to run, and a second gate over the
    // same store takes over the units the first has not reached instead of waiting for them.
    var slots: [String: AdaptiveLimiter] = [:]
    for name in Set(work.map { slotName(of: $0.work) }) {
      let concurrency =
        plan.providerDefinitions[name]?.limits.concurrency
        ?? ProcessInfo.processInfo.activeProcessorCount
      slots[name] = AdaptiveLimiter(concurrency: concurrency)
    }
    await withTaskGroup(of: (String, Result<Done, Error>?).self) { group in
      for (key, item) in work {
        let slot = slots[slotName(of: item)]
        group.addTask {
          let permit: AdaptiveLimiter.Permit?
          do {
            permit = try await slot?.acquire()
          } catch {
            return (key, .failure(error))
          }
          let result = await claimed(key, item, plan: plan, store: store, budget: budget)
          if let permit { await slot?.release(permit, .neutral) }
          return (key, result)
        }
      }
      for await (key, result) in group {
        done += 1
        progress?(done, total)
        switch result {
        case .success(.output(let output))?: outcome.fresh[key] = output
        case .success(.grading(let verdict))?: outcome.gradings[key] = verdict
        case .failure(let error)?: outcome.failed[key] = String(describing: error)
        case nil: outcome.failed[key] = "not run: the spending cap was reached"
        }
      }
    }
  }

  /// Makes `work` under its claim, or reads what another gate stored while this one waited for
  /// the claim; nil when the spending cap did not allow it.
  private static func claimed(
    _ key: String, _ work: Work, plan: GatePlan, store: ResultStore, budget: SpendingCap
  ) async -> Result<Done, Error>? {
    let taken = await RunClaim.take(
      key, in: store, waitingAtMost: claimWait(for: work, plan: plan))
    defer { taken.claim?.release() }
    if Task.isCancelled { return .failure(CancellationError()) }
    // Under --refresh, only what another gate made while this one waited counts.
    if !plan.refresh || taken.waited, let stored = stored(work, in: store) {
      return .success(stored)
    }
    let estimate = estimatedCost(of: work, plan: plan)
    guard await budget.reserve(estimate) else { return nil }
    do {
      return .success(
        try await perform(work, plan: plan, store: store, budget: budget, estimate: estimate))
    } catch {
      await budget.spend(nil, estimate: estimate)
      return .failure(error)
    }
  }

  /// What the store already holds for `work` (another gate made it while this one waited),
  /// unless the gate was asked to run again what is stored.
  private static func stored(_ work: Work, in store: ResultStore) -> Done? {
    switch work {
    case .run(let run):
      guard let result = store.result(run.key) else { return nil }
      return .output(result.output)
    case .grading(let grading):
      return store.judgement(grading.key).map(Done.grading)
    }
  }

  /// The slots `work` takes one of: its provider's, or the local commands'.
  private static func slotName(of work: Work) -> String {
    switch work {
    case .run(let run): return run.provider
    case .grading(let grading):
      if case .judge(let provider, _, _) = grading.work { return provider }
      return " command"
    }
  }

  /// How long to wait for another gate's claim on `work`: the longest the call itself may take
  /// (its provider's timeout, for every attempt), a minute for a `command` assertion.
  private static func claimWait(for work: Work, plan: GatePlan) -> Double {
    let provider: String
    switch work {
    case .run(let run): provider = run.provider
    case .grading(let grading):
      guard case .judge(let judge, _, _) = grading.work else { return 60 }
      provider = judge
    }
    guard let limits = plan.providerDefinitions[provider]?.limits else { return 60 }
    return limits.timeoutSeconds * Double(limits.retries + 1)
  }

  /// Makes one call or grading, stores it, and counts what it cost.
  private static func perform(
    _ work: Work, plan: GatePlan, store: ResultStore, budget: SpendingCap, estimate: Double
  ) async throws -> Done {
    switch work {
    case .run(let run):
      guard let provider = plan.providers[run.provider] else {
        throw ProviderError(provider: run.provider, "the provider could not be set up")
      }
      let output = try await provider.complete(run.request)
      await budget.spend(
        cost(of: output, model: run.request.behavior.model, prices: plan.prices),
        estimate: estimate)
      try store.write(
        StoredResult(
          key: run.key, behaviorId: run.request.behavior.id, behavior: run.request.behavior.name,
          evalSet: run.evalSet, caseId: run.request.caseID,
          repeatIndex: run.request.repeatIndex, output: output))
      return .output(output)
    case .grading(let grading):
      let (verdict, answer) = try await Grading.run(grading, plan: plan)
      var spent: Double?
      if let answer, case .judge(_, _, let model) = grading.work {
        spent = cost(of: answer, model: model, prices: plan.prices)
      }
      await budget.spend(spent, estimate: estimate)
      try store.write(verdict)
      return .grading(verdict)
    }
  }

  /// What a unit may cost at most, before it is made: its input (characters / 4 tokens: the
  /// variables, the messages and the prompt files) and its maximum output tokens (1,024 when the
  /// behavior sets none) at its model's price; 0 when the model has no price (an exec harness
  /// that reports no cost is free) or the unit is a `command`.
  private static func estimatedCost(of work: Work, plan: GatePlan) -> Double {
    let request: ProviderRequest
    let model: String?
    switch work {
    case .run(let run):
      request = run.request
      model = plan.providerDefinitions[run.provider]?.model ?? run.request.behavior.model
    case .grading(let grading):
      guard case .judge(_, let judged, let judgeModel) = grading.work else { return 0 }
      request = judged
      model = judgeModel
    }
    guard let model, let price = plan.prices[model], price.input > 0 || price.output > 0 else {
      return 0
    }
    var characters = (try? CanonicalJSON.serialize(.object(request.vars)))?.count ?? 0
    characters += (request.messages?.user.count ?? 0) + (request.messages?.system?.count ?? 0)
    for file in request.behavior.promptFiles + request.behavior.toolSchemaFiles {
      let path = request.behavior.directory + "/" + file
      let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size]) as? Int
      characters += size ?? 0
    }
    let usage = Usage(
      inputTokens: (characters + 3) / 4, outputTokens: request.behavior.maxOutputTokens ?? 1_024)
    return price.cost(of: usage) ?? 0
  }

  /// The cost of `output` by the price table, or nil when its model has no price or its usage
  /// is incomplete.
  public static func cost(of output: ProviderOutput, model: String?, prices: [String: Price])
    -> Double?
  {
    guard let name = output.model ?? model, let price = prices[name] ?? prices[model ?? ""] else {
      return nil
    }
    return price.cost(of: output.usage)
  }
}

/// Counts calls and spending against the run's caps, across every round of a gate.
public actor SpendingCap {
  let maxCalls: Int?
  let maxCost: Double?
  private(set) var calls = 0
  private(set) var spent = 0.0
  private(set) var reason: String?

  init(maxCalls: Int?, maxCost: Double?) {
    self.maxCalls = maxCalls
    self.maxCost = maxCost
  }

  /// The cap of `plan`'s limits.
  public init(_ plan: GatePlan) {
    self.init(maxCalls: plan.maxCalls, maxCost: plan.maxCost)
  }

  /// What the calls in flight may still cost, by their estimates.
  private(set) var inFlight = 0.0

  /// Claims one call that may cost `estimate`; false once a cap is reached or the call could
  /// take spending past the cost cap. While calls in flight could still take it past, waits for
  /// them to settle (their real cost is usually far below the estimate).
  func reserve(_ estimate: Double = 0) async -> Bool {
    if let maxCalls, calls >= maxCalls {
      reason =
        reason ?? "the run reached its cap of \(maxCalls) calls (limits.maxCalls or --max-calls)"
      return false
    }
    while let maxCost, inFlight > 0, spent + estimate <= maxCost,
      spent + inFlight + estimate > maxCost
    {
      try? await Task.sleep(nanoseconds: 10_000_000)
    }
    if let maxCalls, calls >= maxCalls {
      reason =
        reason ?? "the run reached its cap of \(maxCalls) calls (limits.maxCalls or --max-calls)"
      return false
    }
    if let maxCost, spent >= maxCost || spent + inFlight + estimate > maxCost {
      reason =
        reason
        ?? "the run reached its cost cap of \(maxCost) (limits.maxCost or --max-cost): \(CanonicalJSON.format((spent * 10000).rounded() / 10000) ?? "?") spent, the next call could cost \(CanonicalJSON.format((estimate * 10000).rounded() / 10000) ?? "?") more"
      return false
    }
    calls += 1
    inFlight += estimate
    return true
  }

  /// Records what a call cost (nil: unknown) and releases its estimate.
  func spend(_ cost: Double?, estimate: Double = 0) {
    inFlight = max(0, inFlight - estimate)
    spent += cost ?? 0
  }
}
