import Foundation

/// A set the gate could not evaluate, and why.
public struct NotEvaluated: Codable, Sendable {
  /// The eval set.
  public let evalSet: String
  /// Why.
  public let reason: String
}

/// A gate's overall outcome.
public enum GateStatus: String, Codable, Sendable, CaseIterable {
  /// Every selected set passed (or nothing was selected).
  case pass
  /// At least one set regressed.
  case regressed
  /// Nothing regressed, but at least one set could not be evaluated.
  case unavailable
}

/// What a gate found: one schema for `--format json` and every JSON report.
public struct GateResult: Encodable, Sendable {
  /// The document's schema version (2: per-case counts, p-values, thresholds and re-sampling).
  public let schemaVersion = 2
  /// The compared sides.
  public let base: SideSummary
  public let head: SideSummary
  /// The behaviors that changed between the sides (component, old, new).
  public let behaviors: [BehaviorChange]
  /// The tier gated.
  public let tier: String?
  /// The overall outcome: a regression wins over a set that could not be evaluated.
  public var status: GateStatus {
    if sets.contains(where: \.regressed) { return .regressed }
    return notEvaluated.isEmpty ? .pass : .unavailable
  }
  /// Each evaluated set's verdict.
  public let sets: [SetVerdict]
  /// By eval set: the changed files behind the components it protects, with changed lines.
  public let changedInputs: [String: [ChangedInput]]
  /// Sets that could not be evaluated.
  public let notEvaluated: [NotEvaluated]
  /// Calls made now, runs read from the store, and why the run stopped early.
  public let calls: Int
  public let storedRuns: Int
  public let capReached: String?

  enum CodingKeys: String, CodingKey {
    case schemaVersion, base, head, behaviors, tier, status, sets, changedInputs, notEvaluated,
      calls, storedRuns, capReached
  }

  public func encode(to encoder: Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(schemaVersion, forKey: .schemaVersion)
    try container.encode(base, forKey: .base)
    try container.encode(head, forKey: .head)
    try container.encode(behaviors, forKey: .behaviors)
    try container.encode(tier, forKey: .tier)
    try container.encode(status, forKey: .status)
    try container.encode(sets, forKey: .sets)
    try container.encode(changedInputs, forKey: .changedInputs)
    try container.encode(notEvaluated, forKey: .notEvaluated)
    try container.encode(calls, forKey: .calls)
    try container.encode(storedRuns, forKey: .storedRuns)
    try container.encode(capReached, forKey: .capReached)
  }
}

/// Scores outputs when they are read (so changing an assertion never re-runs a model) and
/// compares the sides: a pure function of the plan, the stored results and the executor's
/// outcome. It runs nothing; judge verdicts and `command` results are gradings the executor
/// made and stored.
public struct GateScorer {
  let plan: GatePlan
  let store: ResultStore
  let outcome: GateExecutor.Outcome

  /// Creates a scorer.
  public init(plan: GatePlan, store: ResultStore, outcome: GateExecutor.Outcome) {
    self.plan = plan
    self.store = store
    self.outcome = outcome
  }

  /// The verdicts.
  public func score() -> GateResult {
    var verdicts: [SetVerdict] = []
    var notEvaluated = plan.unrunnable
    var stored = 0
    for set in plan.sets {
      let keys = set.cases.flatMap { $0.headKeys + ($0.baselineKeys ?? []) }
      if let failed = keys.lazy.compactMap({ outcome.failed[$0] }).first {
        notEvaluated.append(NotEvaluated(evalSet: set.definition.name, reason: failed))
        continue
      }
      stored += Set(keys).filter { outcome.fresh[$0] == nil }.count
      do {
        verdicts.append(try verdict(set))
      } catch {
        notEvaluated.append(
          NotEvaluated(evalSet: set.definition.name, reason: String(describing: error)))
      }
    }
    return GateResult(
      base: plan.base, head: plan.head, behaviors: plan.behaviors, tier: plan.tier,
      sets: verdicts,
      changedInputs: Dictionary(
        uniqueKeysWithValues: plan.sets.map { ($0.definition.name, $0.changedInputs) }),
      notEvaluated: notEvaluated, calls: outcome.calls, storedRuns: stored,
      capReached: outcome.capReached)
  }

  private func output(_ key: String) throws -> (ProviderOutput, fresh: Bool) {
    if let fresh = outcome.fresh[key] { return (fresh, true) }
    guard let stored = store.result(key) else {
      throw ProviderError(provider: "store", "the result \(key.prefix(12)) is missing")
    }
    return (stored.output, false)
  }

  private func verdict(_ set: PlannedSet) throws -> SetVerdict {
    let phrases =
      set.definition.run.refusalPhrases ?? plan.refusalPhrases
      ?? AssertionContext.defaultRefusalPhrases
    var scores: [(id: String, head: CaseScore, baseline: CaseScore?)] = []
    var headRuns: [(ProviderOutput, Bool, Double?)] = []
    var baseRuns: [(ProviderOutput, Bool, Double?)] = []
    for planned in set.cases {
      let head = try caseScore(
        planned, keys: planned.headKeys, set: set, model: set.headBehavior.model, phrases: phrases,
        into: &headRuns)
      var baseline: CaseScore?
      if let keys = planned.baselineKeys {
        baseline = try caseScore(
          planned, keys: keys, set: set, model: set.baselineBehavior?.model, phrases: phrases,
          into: &baseRuns)
      }
      scores.append((planned.evalCase.id, head, baseline))
    }
    return VerdictRule.decide(
      set: set.definition, behavior: set.behavior, headId: set.headBehavior.id,
      baselineId: set.baselineBehavior?.id, reasons: set.reasons, scores: scores,
      removed: set.removedCases, headMetrics: metrics(headRuns, phrases: phrases),
      baselineMetrics: set.baselineBehavior == nil ? nil : metrics(baseRuns, phrases: phrases),
      resamplingCalls: set.extraKeys.filter { outcome.fresh[$0] != nil }.count)
  }

  private func caseScore(
    _ planned: PlannedCase, keys: [String], set: PlannedSet, model: String?, phrases: [String],
    into runs: inout [(ProviderOutput, Bool, Double?)]
  ) throws -> CaseScore {
    var passes = 0
    var firstFailure: (ProviderOutput, [FailedAssertion])?
    var first: ProviderOutput?
    for key in keys {
      let (output, fresh) = try output(key)
      let cost = GateExecutor.cost(of: output, model: model, prices: plan.prices)
      runs.append((output, fresh, cost))
      first = first ?? output
      let context = AssertionContext(refusalPhrases: phrases, cost: cost)
      var failures: [FailedAssertion] = []
      var weightedScore = 0.0
      var totalWeight = 0.0
      for assertion in planned.evalCase.assertions {
        let result = try evaluate(
          assertion, output: output, context: context, set: set, evalCase: planned.evalCase)
        weightedScore += (result.score ?? (result.pass ? 1 : 0)) * assertion.weight
        totalWeight += assertion.weight
        if !result.pass {
          failures.append(
            FailedAssertion(
              type: assertion.type, description: assertion.description, reason: result.reason))
        }
      }
      // promptfoo's test threshold: the weighted score decides, not each assertion.
      if let threshold = planned.evalCase.threshold {
        let score = totalWeight > 0 ? weightedScore / totalWeight : 0
        if score >= threshold {
          failures = []
        } else {
          failures.append(
            FailedAssertion(
              type: "threshold", description: nil,
              reason: "weighted score \(CanonicalJSON.format(score) ?? "\(score)") is below the "
                + "case's threshold \(CanonicalJSON.format(threshold) ?? "\(threshold)")"))
        }
      }
      if failures.isEmpty {
        passes += 1
      } else if firstFailure == nil {
        firstFailure = (output, failures)
      }
    }
    let shown = firstFailure?.0.output ?? first?.output
    let latencies = runs.suffix(keys.count).map(\.0.latencyMs).filter { $0 > 0 }
    return CaseScore(
      passes: passes, runs: keys.count, pass: passes >= set.definition.run.requiredPasses,
      failures: firstFailure?.1 ?? [],
      output: shown.map { $0.count > 2000 ? String($0.prefix(2000)) + "…" : $0 },
      latencyMs: latencies.isEmpty ? nil : latencies.reduce(0, +) / Double(latencies.count))
  }

  private func evaluate(
    _ assertion: Assertion, output: ProviderOutput, context: AssertionContext, set: PlannedSet,
    evalCase: EvalCase
  ) throws -> AssertionOutcome {
    if let outcome = assertion.evaluate(output, context: context) { return outcome }
    guard
      let grading = try Grading.plan(
        assertion, output: output, set: set, evalCase: evalCase, plan: plan)
    else {
      return AssertionOutcome(pass: false, score: nil, reason: "cannot evaluate \(assertion.type)")
    }
    if let failed = outcome.failed[grading.key] {
      throw ProviderError(provider: grading.label, failed)
    }
    guard let verdict = outcome.gradings[grading.key] ?? store.judgement(grading.key) else {
      throw ProviderError(
        provider: grading.label,
        outcome.capReached.map { "not run: \($0)" }
          ?? "its verdict for case '\(evalCase.id)' is missing")
    }
    let graded = grading.outcome(verdict, threshold: assertion.threshold)
    guard assertion.negated else { return graded }
    // promptfoo's not-llm-rubric: passes when the rubric's verdict fails.
    return AssertionOutcome(
      pass: !graded.pass, score: graded.score.map { 1 - $0 }, reason: "not: \(graded.reason)")
  }

  private func metrics(_ runs: [(ProviderOutput, Bool, Double?)], phrases: [String]) -> SideMetrics
  {
    let fresh = runs.filter(\.1)
    var p95: Double?
    if !runs.isEmpty, fresh.count == runs.count {
      let sorted = runs.map(\.0.latencyMs).sorted()
      p95 = sorted[min(sorted.count - 1, Int((Double(sorted.count) * 0.95).rounded(.up)) - 1)]
    }
    let costs = runs.compactMap(\.2)
    let refusal = AssertionContext(refusalPhrases: phrases)
    let refusals = runs.filter { run in
      Assertion.refusalCheck?.evaluate(run.0, context: refusal)?.pass == true
    }.count
    return SideMetrics(
      p95LatencyMs: p95,
      costPerCase: costs.count == runs.count && !runs.isEmpty
        ? costs.reduce(0, +) / Double(costs.count) : nil,
      refusalRate: runs.isEmpty ? 0 : Double(refusals) / Double(runs.count),
      storedRuns: runs.count - fresh.count, freshRuns: fresh.count)
  }
}

extension Assertion {
  /// `is-refusal`, for the refusal-rate metric.
  static let refusalCheck: Assertion? = try? Assertion.parse(
    .object(["type": .string("is-refusal")]), file: "metrics", line: 0)
}
