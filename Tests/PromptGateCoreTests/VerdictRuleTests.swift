import Foundation
import Testing

@testable import PromptGateCore

/// How a set's verdict follows from its cases' scores and its metrics.
@Suite("verdict rule")
struct VerdictRuleTests {
  /// An eval set parsed from a mapping, with `settings` added to its entry.
  private func set(_ settings: [String] = []) throws -> EvalSetDefinition {
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

  private func score(_ pass: Bool, runs: Int = 1, passes: Int? = nil) -> CaseScore {
    CaseScore(
      passes: passes ?? (pass ? runs : 0), runs: runs, pass: pass,
      failures: pass ? [] : [FailedAssertion(type: "contains", description: nil, reason: "no")],
      output: pass ? "good" : "bad")
  }

  private func metrics(
    p95: Double? = nil, cost: Double? = nil, refusal: Double = 0, fresh: Int = 1
  ) -> SideMetrics {
    SideMetrics(
      p95LatencyMs: p95, costPerCase: cost, refusalRate: refusal,
      storedRuns: p95 == nil ? fresh : 0, freshRuns: p95 == nil ? 0 : fresh)
  }

  /// Pairs: (id, head passes, baseline passes or nil).
  private func decide(
    _ set: EvalSetDefinition, _ pairs: [(String, Bool, Bool?)], removed: [String] = [],
    head: SideMetrics? = nil, baseline: SideMetrics? = nil
  ) -> SetVerdict {
    VerdictRule.decide(
      set: set, behavior: "bot", headId: "pgv1-head", baselineId: "pgv1-base",
      reasons: ["bot.prompt changed"],
      scores: pairs.map { ($0.0, score($0.1), $0.2.map { score($0) }) }, removed: removed,
      headMetrics: head ?? metrics(), baselineMetrics: baseline ?? metrics())
  }

  /// Counts: (id, head passes, baseline passes) out of `runs` a side, `repeats` of them planned.
  private func decideCounts(
    _ set: EvalSetDefinition, _ counts: [(String, Int, Int)], runs: Int
  ) -> SetVerdict {
    let required = set.run.requiredPasses
    return VerdictRule.decide(
      set: set, behavior: "bot", headId: "pgv1-head", baselineId: "pgv1-base",
      reasons: ["bot.prompt changed"],
      scores: counts.map {
        (
          $0.0, score($0.1 >= required, runs: runs, passes: $0.1),
          score($0.2 >= required, runs: runs, passes: $0.2)
        )
      }, removed: [], headMetrics: metrics(), baselineMetrics: metrics())
  }

  private func statuses(_ verdict: SetVerdict) -> [String: CaseStatus] {
    Dictionary(uniqueKeysWithValues: verdict.cases.map { ($0.id, $0.status) })
  }

  @Test("pass/fail pairs of one run become unconfirmed, fixed, passing and failingBoth")
  func caseStatuses() throws {
    let verdict = decide(
      try set(),
      [("a", false, true), ("b", true, false), ("c", true, true), ("d", false, false)])
    // One run a side can never be significant (p = 0.5): "a" is reported, not a regression.
    #expect(
      statuses(verdict) == ["a": .unconfirmed, "b": .fixed, "c": .passing, "d": .failingBoth])
    #expect(verdict.headPassed == 2)
    #expect(verdict.baselinePassed == 2)
    // One case worse, one better: the stratified test sees no fall.
    #expect(verdict.pValue == 1)
    #expect(!verdict.regressed)
    let a = try #require(verdict.cases.first { $0.id == "a" })
    #expect(a.pValue == 0.5)
    #expect(a.threshold == 0.005)
    #expect(verdict.cases.first { $0.id == "c" }?.threshold == nil)
  }

  @Test("a case re-sampled to 15/15 against 0/15 regresses a 3-case set without a floor")
  func caseRegresses() throws {
    let verdict = decideCounts(
      try set(["repeat: 3"]), [("refund-torn", 0, 15), ("b", 15, 15), ("c", 15, 15)], runs: 15)
    #expect(verdict.regressed)
    #expect(statuses(verdict)["refund-torn"] == .regressed)
    #expect(
      verdict.findings.contains(
        "refund-torn regressed: baseline 15/15, head 0/15 (p = 6.4e-9, re-sampled from 3)"))
    let item = try #require(verdict.cases.first { $0.id == "refund-torn" })
    #expect(item.resampled == 12)
    #expect(item.baselineRuns == 15 && item.baselinePasses == 15)
    #expect(item.headRuns == 15 && item.headPasses == 0)
    // Every case here has 15 runs, 12 more than `repeat`: all three count as re-sampled.
    #expect(verdict.resampledCases == 3)
  }

  @Test(
    "3/3 against 0/3 alone is p = 0.05: not significant at caseAlpha 0.005, or at 0.05 by Holm over two"
  )
  func threeRunsAreNotEnough() throws {
    let verdict = decideCounts(try set(["repeat: 3"]), [("a", 0, 3), ("b", 3, 3)], runs: 3)
    #expect(!verdict.regressed)
    #expect(statuses(verdict)["a"] == .unconfirmed)
    let loose = decideCounts(
      try set(["repeat: 3", "caseAlpha: 0.05"]), [("a", 0, 3), ("b", 3, 3)], runs: 3)
    #expect(loose.regressed)
    // Holm over two tested cases: the smaller p is held to 0.025, so neither 0.05 passes.
    let two = decideCounts(
      try set(["repeat: 3", "caseAlpha: 0.05"]), [("a", 0, 3), ("b", 0, 3)], runs: 3)
    #expect(!two.cases.contains { $0.status == .regressed })
    #expect(two.cases.map(\.threshold) == [0.025, 0.05])
    // Two cases lost together are caught by the set-level test instead (p = 0.004 < 0.005).
    #expect(two.regressed)
    #expect(two.pValue < 0.005)
  }

  @Test("one regressed case of a small set is not significant; a floor of 1.0 catches it")
  func floorCatchesSmallSets() throws {
    let pairs: [(String, Bool, Bool?)] = [("a", false, true), ("b", true, true), ("c", true, true)]
    let noFloor = decide(try set(), pairs)
    #expect(!noFloor.regressed)
    #expect(abs(noFloor.pValue - 0.5) < 1e-12)
    let floored = decide(try set(["floor: 1.0"]), pairs)
    #expect(floored.regressed)
    #expect(floored.findings.contains { $0.contains("fell below the floor 100%") })
  }

  @Test("a fall across many cases regresses the set when no single case is significant")
  func drift() throws {
    // 50 cases, each 13/15 at the baseline and 11/15 at the head.
    let counts = (0..<50).map { ("c\($0)", 11, 13) }
    let verdict = decideCounts(try set(["repeat: 15"]), counts, runs: 15)
    #expect(verdict.regressed)
    #expect(!verdict.cases.contains { $0.status == .regressed })
    #expect(verdict.pValue < 0.005)
    #expect(
      verdict.findings.contains { $0.contains("pass rate fell significantly across the set") })
    // The old exact McNemar rule: five single-run cases lost, p = 0.031, is no longer enough at
    // the default alpha of 0.005.
    let five = decide(try set(), (0..<5).map { ("r\($0)", false, true) })
    #expect(!five.regressed)
    #expect(five.alpha == 0.005)
  }

  @Test("below the floor at both sides is reported, not a regression")
  func floorAtBothSides() throws {
    let verdict = decide(
      try set(["floor: 1.0"]), [("a", true, true), ("b", false, false), ("c", true, true)])
    #expect(!verdict.regressed)
    #expect(statuses(verdict)["b"] == .failingBoth)
    #expect(verdict.findings.contains { $0.contains("not a regression") })
    #expect(verdict.findings.count == 1)
  }

  @Test(
    "below the floor at the baseline, one more lost case is left to the paired test (as documented)"
  )
  func floorAlreadyBroken() throws {
    let verdict = decide(
      try set(["floor: 1.0"]), [("a", false, true), ("b", false, false), ("c", true, true)])
    #expect(statuses(verdict)["a"] == .unconfirmed)
    #expect(!verdict.regressed)
    #expect(verdict.findings.contains { $0.contains("as the baseline's 66.7% was") })
  }

  @Test("a quarantined case that regresses never decides and is not counted")
  func quarantine() throws {
    let verdict = decide(
      try set(["floor: 1.0", "quarantine: [q]"]),
      [("q", false, true), ("a", true, true), ("b", true, true)])
    #expect(!verdict.regressed)
    #expect(statuses(verdict)["q"] == .quarantined)
    #expect(verdict.headCases == 2)
    #expect(verdict.headPassRate == 1)
    #expect(verdict.pValue == 1)
  }

  @Test("a case without a baseline is new: never a regression, not in the baseline's counts")
  func newCases() throws {
    let verdict = decide(try set(), [("n", false, nil), ("a", true, true)])
    #expect(statuses(verdict)["n"] == .new)
    #expect(!verdict.regressed)
    #expect(verdict.baselineCases == 1)
    #expect(verdict.headCases == 2)
  }

  @Test("removed cases are carried into the verdict")
  func removed() throws {
    let verdict = decide(try set(), [("a", true, true)], removed: ["gone"])
    #expect(verdict.removedCases == ["gone"])
    #expect(!verdict.regressed)
  }

  @Test("repeats: a case passes with passAtLeast of its runs")
  func requiredPasses() throws {
    #expect(try set(["repeat: 3"]).run.requiredPasses == 2)
    #expect(try set(["repeat: 4"]).run.requiredPasses == 3)
    #expect(try set(["repeat: 3", "passAtLeast: 1"]).run.requiredPasses == 1)
    #expect(try set().run.requiredPasses == 1)
  }

  @Test("p95 latency budget: judged only when both sides ran in this gate")
  func latencyBudget() throws {
    let definition = try set(["budgets: {p95Latency: 1.25}"])
    let pairs: [(String, Bool, Bool?)] = [("a", true, true)]
    let slower = decide(
      definition, pairs, head: metrics(p95: 200), baseline: metrics(p95: 100))
    #expect(slower.regressed)
    #expect(slower.findings.contains { $0.contains("p95 latency") })
    let within = decide(
      definition, pairs, head: metrics(p95: 120), baseline: metrics(p95: 100))
    #expect(!within.regressed)
    // A stored baseline (no p95: it may come from another machine) is not compared.
    let stored = decide(definition, pairs, head: metrics(p95: 900), baseline: metrics())
    #expect(!stored.regressed)
    let storedHead = decide(definition, pairs, head: metrics(), baseline: metrics(p95: 10))
    #expect(!storedHead.regressed)
  }

  @Test("cost per case budget")
  func costBudget() throws {
    let definition = try set(["budgets: {costPerCase: 1.10}"])
    let pairs: [(String, Bool, Bool?)] = [("a", true, true)]
    #expect(
      decide(definition, pairs, head: metrics(cost: 0.012), baseline: metrics(cost: 0.01))
        .regressed)
    #expect(
      !decide(definition, pairs, head: metrics(cost: 0.0105), baseline: metrics(cost: 0.01))
        .regressed)
    #expect(!decide(definition, pairs, head: metrics(cost: 0.5), baseline: metrics()).regressed)
  }

  @Test("refusal-rate budget: a rise beyond it regresses, a rise of exactly it does not")
  func refusalBudget() throws {
    let definition = try set(["budgets: {refusalRate: 0.05}"])
    let pairs: [(String, Bool, Bool?)] = [("a", true, true)]
    let rose = decide(
      definition, pairs, head: metrics(refusal: 0.34), baseline: metrics(refusal: 0))
    #expect(rose.regressed)
    #expect(rose.findings.contains { $0.contains("refusal rate rose") })
    let exact = decide(
      definition, pairs, head: metrics(refusal: 0.15), baseline: metrics(refusal: 0.10))
    #expect(!exact.regressed)
    let fell = decide(
      definition, pairs, head: metrics(refusal: 0), baseline: metrics(refusal: 0.5))
    #expect(!fell.regressed)
    // Without the budget, refusals never decide.
    #expect(
      !decide(try set(), pairs, head: metrics(refusal: 1), baseline: metrics(refusal: 0))
        .regressed)
  }

  @Test("a new behavior (no baseline metrics) is judged by no budget")
  func noBaselineMetrics() throws {
    let definition = try set(["budgets: {refusalRate: 0.05, p95Latency: 1.1, costPerCase: 1.1}"])
    let verdict = VerdictRule.decide(
      set: definition, behavior: "bot", headId: "pgv1-head", baselineId: nil, reasons: [],
      scores: [("a", score(true), nil)], removed: [],
      headMetrics: metrics(p95: 1000, cost: 5, refusal: 1), baselineMetrics: nil)
    #expect(!verdict.regressed)
    #expect(verdict.baselinePassRate == nil)
    #expect(statuses(verdict)["a"] == .new)
  }
}
