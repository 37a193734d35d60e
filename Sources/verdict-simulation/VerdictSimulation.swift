import Foundation
import PromptGateCore

/// Simulated gates through the verdict code: each case's runs pass with a set probability at
/// each side; the first `repeat` runs are scored, the cases whose runs disagree are re-sampled to
/// the set's cap by the same rule the gate uses (``VerdictRule/disagrees(_:)``,
/// ``Resampling/cap(_:hook:)``), and ``VerdictRule/decide`` gives the verdict. Prints one line per
/// scenario: the share of gates that failed, its 95% (Wilson) interval, and the mean calls per
/// gate against a plain gate of the same `repeat` on both sides.
@main
struct VerdictSimulation {
  struct Scenario {
    let name: String
    let cases: Int
    let repeats: Int
    /// Pass probabilities at the baseline and at the head, per case index.
    let baseline: (Int) -> Double
    let head: (Int) -> Double
    /// Whether a failing gate is the right answer (detection) or a false alarm.
    let changed: Bool
    var adaptive = true
  }

  static func main() throws {
    let arguments = CommandLine.arguments.dropFirst()
    let gates = arguments.first.flatMap(Int.init) ?? 1_000
    let seed = arguments.dropFirst().first.flatMap(UInt64.init) ?? 11
    var random = SplitMix(seed: seed)
    let scenarios = [
      Scenario(
        name: "(a) 10 cases, 20% noise, repeat 3, harmless", cases: 10, repeats: 3,
        baseline: { _ in 0.8 }, head: { _ in 0.8 }, changed: false),
      Scenario(
        name: "(a) 10 cases, 20% noise, repeat 3, one case now always fails", cases: 10,
        repeats: 3, baseline: { _ in 0.8 }, head: { $0 == 0 ? 0 : 0.8 }, changed: true),
      Scenario(
        name: "(b) 1,000 cases, 20% noise, repeat 3, harmless", cases: 1_000, repeats: 3,
        baseline: { _ in 0.8 }, head: { _ in 0.8 }, changed: false),
      Scenario(
        name: "(c) deterministic, repeat 1, one case flips", cases: 10, repeats: 1,
        baseline: { _ in 1 }, head: { $0 == 0 ? 0 : 1 }, changed: true),
      Scenario(
        name: "(c) deterministic, repeat 1, nothing flips", cases: 10, repeats: 1,
        baseline: { _ in 1 }, head: { _ in 1 }, changed: false),
      Scenario(
        name: "(d) 50 cases, 90% -> 70%, repeat 3", cases: 50, repeats: 3,
        baseline: { _ in 0.9 }, head: { _ in 0.7 }, changed: true),
      Scenario(
        name: "(d) 50 cases, 90% -> 70%, repeat 1", cases: 50, repeats: 1,
        baseline: { _ in 0.9 }, head: { _ in 0.7 }, changed: true),
      Scenario(
        name: "(a) one case always fails, adaptive: false (plain repeat 3)", cases: 10,
        repeats: 3, baseline: { _ in 0.8 }, head: { $0 == 0 ? 0 : 0.8 }, changed: true,
        adaptive: false),
    ]
    print("gates per scenario: \(gates), seed \(seed)")
    for scenario in scenarios {
      let set = try definition(repeats: scenario.repeats, adaptive: scenario.adaptive)
      var failed = 0
      var calls = 0
      var extra = 0
      for _ in 0..<gates {
        let (regressed, made) = gate(scenario, set: set, random: &random)
        if regressed { failed += 1 }
        calls += made
        extra += made - 2 * scenario.cases * scenario.repeats
      }
      let plain = 2 * scenario.cases * scenario.repeats
      let (low, high) = wilson(failed, gates)
      let rate = scenario.changed ? "caught" : "false alarms"
      print(
        "\(scenario.name): \(rate) \(percent(Double(failed) / Double(gates))) [95% \(percent(low))–\(percent(high))], "
          + "calls/gate \(String(format: "%.1f", Double(calls) / Double(gates))) "
          + "(plain repeat \(scenario.repeats): \(plain), ×\(String(format: "%.2f", Double(calls) / Double(gates * plain)))), "
          + "extra calls/gate \(String(format: "%.1f", Double(extra) / Double(gates)))")
    }
  }

  /// One simulated gate: whether it failed, and the calls it made (both sides, nothing stored).
  static func gate(_ scenario: Scenario, set: EvalSetDefinition, random: inout SplitMix) -> (
    Bool, Int
  ) {
    let run = set.run
    var tables: [PairedTest.Table] = []
    var calls = 0
    for index in 0..<scenario.cases {
      let base = draws(scenario.repeats, scenario.baseline(index), &random)
      let head = draws(scenario.repeats, scenario.head(index), &random)
      tables.append(
        PairedTest.Table(
          baselinePasses: base, baselineRuns: scenario.repeats, headPasses: head,
          headRuns: scenario.repeats))
      calls += 2 * scenario.repeats
    }
    let cap = Resampling.cap(run, hook: nil)
    if run.adaptive {
      for index in tables.indices where VerdictRule.disagrees(tables[index]) {
        let table = tables[index]
        let more = cap - table.headRuns
        guard more > 0 else { continue }
        tables[index] = PairedTest.Table(
          baselinePasses: table.baselinePasses + draws(more, scenario.baseline(index), &random),
          baselineRuns: cap,
          headPasses: table.headPasses + draws(more, scenario.head(index), &random), headRuns: cap)
        calls += 2 * more
      }
    }
    let required = run.requiredPasses
    let scores = tables.enumerated().map { index, table in
      (
        id: "c\(index)", head: score(table.headPasses, table.headRuns, required),
        baseline: Optional(score(table.baselinePasses, table.baselineRuns, required))
      )
    }
    let metrics = SideMetrics(
      p95LatencyMs: nil, costPerCase: nil, refusalRate: 0, storedRuns: 0, freshRuns: 0)
    let verdict = VerdictRule.decide(
      set: set, behavior: "bot", headId: "head", baselineId: "base", reasons: [], scores: scores,
      removed: [], headMetrics: metrics, baselineMetrics: metrics)
    return (verdict.regressed, calls)
  }

  static func score(_ passes: Int, _ runs: Int, _ required: Int) -> CaseScore {
    CaseScore(passes: passes, runs: runs, pass: passes >= required, failures: [], output: nil)
  }

  static func draws(_ count: Int, _ probability: Double, _ random: inout SplitMix) -> Int {
    var passes = 0
    for _ in 0..<count where Double.random(in: 0..<1, using: &random) < probability {
      passes += 1
    }
    return passes
  }

  static func definition(repeats: Int, adaptive: Bool) throws -> EvalSetDefinition {
    let yaml = """
      behaviors:
        bot:
          prompt: [prompts/*.md]
      providers:
        harness: {type: exec, command: [sh, harness.sh]}
      evalSets:
        smoke:
          tier: fast
          provider: harness
          cases: evals/smoke.jsonl
          protects: {bot: [prompt]}
          repeat: \(repeats)
          adaptive: \(adaptive)

      """
    guard let set = try MappingParser.parse(yaml, file: "simulation.yaml").evalSets.first else {
      throw CocoaError(.featureUnsupported)
    }
    return set
  }

  /// The Wilson score interval at 95%.
  static func wilson(_ successes: Int, _ total: Int) -> (Double, Double) {
    let n = Double(total)
    let p = Double(successes) / n
    let z = 1.959964
    let centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    let half = z * ((p * (1 - p) / n + z * z / (4 * n * n)).squareRoot()) / (1 + z * z / n)
    return (max(0, centre - half), min(1, centre + half))
  }

  static func percent(_ value: Double) -> String { String(format: "%.2f%%", value * 100) }
}

/// A seeded generator, so that a run of the benchmark can be repeated.
struct SplitMix: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
