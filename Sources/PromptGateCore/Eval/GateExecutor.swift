import Foundation

/// Makes the runs a plan's store lacks, concurrently, within the spending cap, writing each
/// result as it arrives so that an interrupted gate resumes where it stopped.
public enum GateExecutor {
  /// What running produced.
  public struct Outcome: Sendable {
    /// Fresh outputs by key.
    public var fresh: [String: ProviderOutput] = [:]
    /// Runs that could not be evaluated, by key, with why.
    public var failed: [String: String] = [:]
    /// Why the run stopped early, when the cap was reached.
    public var capReached: String?
    /// Calls made.
    public var calls = 0
    /// What the fresh runs cost, when every one's cost was known.
    public var cost = 0.0
  }

  /// Reports progress: done, total.
  public typealias Progress = @Sendable (Int, Int) -> Void

  /// Runs `plan.missing`.
  public static func run(_ plan: GatePlan, store: ResultStore, progress: Progress?) async -> Outcome
  {
    let budget = SpendingCap(maxCalls: plan.maxCalls, maxCost: plan.maxCost)
    let total = plan.missing.count
    var outcome = Outcome()
    await withTaskGroup(of: (String, Result<ProviderOutput, Error>?).self) { group in
      for key in plan.missing {
        guard let run = plan.runs[key], let provider = plan.providers[run.provider] else {
          continue
        }
        group.addTask {
          guard await budget.reserve() else { return (key, nil) }
          do {
            let output = try await provider.complete(run.request)
            let cost = Self.cost(of: output, model: run.request.behavior.model, prices: plan.prices)
            await budget.spend(cost)
            try store.write(
              StoredResult(
                key: key, behaviorId: run.request.behavior.id, behavior: run.request.behavior.name,
                evalSet: run.evalSet, caseId: run.request.caseID,
                repeatIndex: run.request.repeatIndex, output: output))
            return (key, .success(output))
          } catch {
            return (key, .failure(error))
          }
        }
      }
      var done = 0
      for await (key, result) in group {
        done += 1
        progress?(done, total)
        switch result {
        case .success(let output)?:
          outcome.fresh[key] = output
        case .failure(let error)?:
          outcome.failed[key] = String(describing: error)
        case nil:
          outcome.failed[key] = "not run: the spending cap was reached"
        }
      }
    }
    outcome.calls = await budget.calls
    outcome.cost = await budget.spent
    outcome.capReached = await budget.reason
    return outcome
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

/// Counts calls and spending against the run's caps.
actor SpendingCap {
  let maxCalls: Int?
  let maxCost: Double?
  private(set) var calls = 0
  private(set) var spent = 0.0
  private(set) var reason: String?

  init(maxCalls: Int?, maxCost: Double?) {
    self.maxCalls = maxCalls
    self.maxCost = maxCost
  }

  /// Claims one call; false once a cap is reached.
  func reserve() -> Bool {
    if let maxCalls, calls >= maxCalls {
      reason =
        reason ?? "the run reached its cap of \(maxCalls) calls (limits.maxCalls or --max-calls)"
      return false
    }
    if let maxCost, spent >= maxCost {
      reason =
        reason ?? "the run reached its cost cap of \(maxCost) (limits.maxCost or --max-cost)"
      return false
    }
    calls += 1
    return true
  }

  func spend(_ cost: Double?) {
    spent += cost ?? 0
  }
}
