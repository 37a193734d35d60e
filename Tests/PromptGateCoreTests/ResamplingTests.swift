import Foundation
import Testing

@testable import PromptGateCore

/// The re-sampling planner: which cases get more runs, how many, with which keys.
@Suite("re-sampling planner")
struct ResamplingTests {
  private func definition(_ settings: [String]) throws -> EvalSetDefinition {
    let yaml =
      """
      behaviors:
        bot:
          prompt: [prompts/*.md]
      providers:
        harness: {type: exec, command: [python3, harness.py]}
      evalSets:
        smoke:
          tier: fast
          provider: harness
          cases: evals/smoke.jsonl
          protects: {bot: [prompt]}

      """ + settings.map { "    \($0)\n" }.joined()
    return try #require(try MappingParser.parse(yaml, file: "promptgate.yaml").evalSets.first)
  }

  private func behavior(_ id: String) -> BehaviorRun {
    BehaviorRun(
      name: "bot", id: id, model: "m", temperature: nil, maxOutputTokens: nil, directory: "/tmp",
      promptFiles: [], toolSchemaFiles: [])
  }

  /// A plan of cases a, b, c with `repeat` runs a side, and a result where the head passed
  /// `headPasses[id]` of them and the baseline all.
  private func planAndResult(_ settings: [String], headPasses: [String: Int]) throws -> (
    GatePlan, GateResult
  ) {
    let set = try definition(settings)
    let repeats = set.run.repeats
    let maker = RunMaker(
      provider: "harness", settings: .object([:]), isExec: true, harnessDigest: "d",
      harnessDirectory: "/tmp", evalSet: "smoke", headMessages: nil, baselineMessages: nil)
    let head = behavior("pgv1-head")
    let base = behavior("pgv1-base")
    var runs: [String: PlannedRun] = [:]
    var cases: [PlannedCase] = []
    for id in ["a", "b", "c"] {
      let evalCase = EvalCase(id: id, vars: ["q": .string(id)], line: 1)
      let headRuns = try (0..<repeats).map {
        try maker.run(evalCase, behavior: head, messages: nil, $0)
      }
      let baseRuns = try (0..<repeats).map {
        try maker.run(evalCase, behavior: base, messages: nil, $0)
      }
      for run in headRuns + baseRuns { runs[run.key] = run }
      cases.append(
        PlannedCase(
          evalCase: evalCase, headKeys: headRuns.map(\.key), baselineKeys: baseRuns.map(\.key)))
    }
    let planned = PlannedSet(
      definition: set, behavior: "bot", headBehavior: head, baselineBehavior: base, reasons: [],
      cases: cases, removedCases: [], harnessDirectory: "/tmp", harnessDigest: "d",
      runMaker: maker, changedInputs: [])
    let summary = SideSummary(side: .empty, commit: nil)
    let plan = GatePlan(
      base: summary, head: summary, behaviors: [], tier: nil, sets: [planned], runs: runs,
      missing: [], providers: [:], providerDefinitions: [:], prices: [:], maxCalls: nil,
      maxCost: nil, refusalPhrases: nil, unrunnable: [])
    let required = set.run.requiredPasses
    let scores = ["a", "b", "c"].map { id in
      let passes = headPasses[id] ?? repeats
      return (
        id: id,
        head: CaseScore(
          passes: passes, runs: repeats, pass: passes >= required, failures: [], output: nil),
        baseline: Optional(
          CaseScore(passes: repeats, runs: repeats, pass: true, failures: [], output: nil))
      )
    }
    let metrics = SideMetrics(
      p95LatencyMs: nil, costPerCase: nil, refusalRate: 0, storedRuns: 0, freshRuns: 0)
    let verdict = VerdictRule.decide(
      set: set, behavior: "bot", headId: head.id, baselineId: base.id, reasons: [],
      scores: scores, removed: [], headMetrics: metrics, baselineMetrics: metrics)
    let result = GateResult(
      base: summary, head: summary, behaviors: [], tier: nil, sets: [verdict],
      changedInputs: [:], notEvaluated: [], calls: 0, storedRuns: 0, capReached: nil)
    return (plan, result)
  }

  private func store() -> ResultStore {
    ResultStore(directory: NSTemporaryDirectory() + "resampling-\(UUID().uuidString)")
  }

  @Test("only the case whose head passed fewer runs is re-sampled, on both sides, to maxRepeat")
  func disagreeing() throws {
    let (plan, result) = try planAndResult(["repeat: 3"], headPasses: ["b": 2])
    let chosen = Resampling.disagreeing(result, plan: plan)
    #expect(chosen == ["smoke": ["b"]])
    let next = try #require(
      try Resampling.extend(plan, cases: chosen, store: store(), refresh: false))
    let b = try #require(next.sets[0].cases.first { $0.evalCase.id == "b" })
    #expect(b.headKeys.count == 15)
    #expect(b.baselineKeys?.count == 15)
    // The first runs keep their keys; the new ones are repeats 3...14 at each side.
    #expect(Array(b.headKeys.prefix(3)) == plan.sets[0].cases[1].headKeys)
    #expect(next.missing.count == 24)
    #expect(Set(next.missing.compactMap { next.runs[$0]?.request.repeatIndex }) == Set(3...14))
    #expect(next.sets[0].extraKeys.count == 24)
    #expect(next.sets[0].cases.first { $0.evalCase.id == "a" }?.headKeys.count == 3)
  }

  @Test("runs that agree, adaptive: false, and a case already at its cap plan nothing")
  func nothingToDo() throws {
    let (agreeing, agreed) = try planAndResult(["repeat: 3"], headPasses: [:])
    #expect(Resampling.disagreeing(agreed, plan: agreeing).isEmpty)
    #expect(try Resampling.extend(agreeing, cases: [:], store: store(), refresh: false) == nil)
    let (off, offResult) = try planAndResult(
      ["repeat: 3", "adaptive: false"], headPasses: ["a": 0])
    #expect(Resampling.disagreeing(offResult, plan: off).isEmpty)
    let (full, fullResult) = try planAndResult(
      ["repeat: 15", "maxRepeat: 15"], headPasses: ["a": 0])
    #expect(Resampling.disagreeing(fullResult, plan: full).isEmpty)
  }

  @Test("the hook's smaller cap: a flipped case goes to 6 runs a side, not 15")
  func hookCap() throws {
    let (plan, result) = try planAndResult([], headPasses: ["a": 0])
    let chosen = Resampling.disagreeing(result, plan: plan, maxRepeat: 6)
    let next = try #require(
      try Resampling.extend(plan, cases: chosen, store: store(), refresh: false, maxRepeat: 6))
    #expect(next.sets[0].cases[0].headKeys.count == 6)
    #expect(next.missing.count == 10)
    #expect(Resampling.cap(plan.sets[0].definition.run, hook: 6) == 6)
    #expect(Resampling.cap(plan.sets[0].definition.run, hook: nil) == 15)
  }
}
