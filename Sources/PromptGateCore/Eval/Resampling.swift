/// Re-sampling what disagrees: after a gate's first runs are scored, the cases whose head passed
/// a smaller share of its runs than the baseline get more runs on both sides, up to the set's
/// `maxRepeat` per side in all, before the verdict is decided. Extra runs use new repeat indexes,
/// so they are stored and reused like any run, and a case whose runs agree is never re-run.
public enum Resampling {
  /// The cases of `result` to re-sample: (set name, case id).
  public static func disagreeing(_ result: GateResult, plan: GatePlan, maxRepeat: Int? = nil)
    -> [String: Set<String>]
  {
    var chosen: [String: Set<String>] = [:]
    for set in plan.sets where set.definition.run.adaptive && set.baselineBehavior != nil {
      guard let verdict = result.sets.first(where: { $0.evalSet == set.definition.name }) else {
        continue
      }
      let cap = cap(set.definition.run, hook: maxRepeat)
      for item in verdict.cases where item.status != .quarantined {
        guard let baseline = item.baseline else { continue }
        let table = PairedTest.Table(
          baselinePasses: baseline.passes, baselineRuns: baseline.runs,
          headPasses: item.head.passes, headRuns: item.head.runs)
        if VerdictRule.disagrees(table), item.head.runs < cap || baseline.runs < cap {
          chosen[set.definition.name, default: []].insert(item.id)
        }
      }
    }
    return chosen
  }

  /// The runs per side a set's re-sampled cases reach: its `maxRepeat`, or the hook's smaller
  /// one, and never fewer than `repeat`.
  public static func cap(_ run: EvalSetRun, hook: Int?) -> Int {
    max(run.repeats, min(run.maxRepeat, hook ?? .max))
  }

  /// `plan` with the chosen cases extended to their cap on both sides, and `missing` set to the
  /// added runs the store lacks (all of them under `refresh`); nil when nothing is re-sampled.
  public static func extend(
    _ plan: GatePlan, cases chosen: [String: Set<String>], store: ResultStore, refresh: Bool,
    maxRepeat: Int? = nil
  ) throws -> GatePlan? {
    guard !chosen.isEmpty else { return nil }
    var next = plan
    var added: [String] = []
    for setIndex in next.sets.indices {
      let set = next.sets[setIndex]
      guard let ids = chosen[set.definition.name], let baseRun = set.baselineBehavior else {
        continue
      }
      let cap = cap(set.definition.run, hook: maxRepeat)
      let maker = set.runMaker
      for caseIndex in set.cases.indices where ids.contains(set.cases[caseIndex].evalCase.id) {
        var planned = set.cases[caseIndex]
        guard var baseKeys = planned.baselineKeys else { continue }
        for index in planned.headKeys.count..<max(planned.headKeys.count, cap) {
          let run = try maker.run(
            planned.evalCase, behavior: set.headBehavior, messages: maker.headMessages, index)
          planned.headKeys.append(run.key)
          if next.runs[run.key] == nil {
            next.runs[run.key] = run
            added.append(run.key)
          }
          next.sets[setIndex].extraKeys.insert(run.key)
        }
        for index in baseKeys.count..<max(baseKeys.count, cap) {
          let run = try maker.run(
            planned.evalCase, behavior: baseRun, messages: maker.baselineMessages, index)
          baseKeys.append(run.key)
          if next.runs[run.key] == nil {
            next.runs[run.key] = run
            added.append(run.key)
          }
          next.sets[setIndex].extraKeys.insert(run.key)
        }
        planned.baselineKeys = baseKeys
        next.sets[setIndex].cases[caseIndex] = planned
      }
    }
    guard !added.isEmpty else { return nil }
    next.missing = added.sorted().filter { refresh || store.result($0) == nil }
    return next
  }
}
