import Foundation
import Testing

@testable import PromptGateCore

/// The JSON report: the `--format json` document.
@Suite("report: JSON")
struct ReportJSONTests {
  @Test("the document has sorted keys, two-space indentation and the gate's fields")
  func document() throws {
    let json = try JSONReport.render(ReportFixture.regressedResult())
    #expect(json.hasPrefix("{\n  \"base\": {"))
    let value = try JSONDecoder().decode(JSONValue.self, from: Data(json.utf8))
    guard case .object(let object) = value else {
      Issue.record("not an object")
      return
    }
    #expect(object["schemaVersion"] == .number(2))
    #expect(object["status"] == .string("regressed"))
    #expect(object["changedInputs"] != nil)
    #expect(try CanonicalJSON.pretty(value) == json)
  }
}

/// Gate results built by hand for the report tests.
enum ReportFixture {
  static let digestA = String(repeating: "a", count: 64)
  static let digestB = String(repeating: "b", count: 64)

  static func score(
    _ pass: Bool, output: String? = "out", failures: [FailedAssertion]? = nil, runs: Int = 1
  ) -> CaseScore {
    CaseScore(
      passes: pass ? runs : 0, runs: runs, pass: pass,
      failures: failures
        ?? (pass
          ? []
          : [FailedAssertion(type: "icontains", description: nil, reason: "expected 'refund'")]),
      output: output)
  }

  static func verdict(
    _ id: String, _ status: CaseStatus, head: CaseScore? = nil, baseline: CaseScore? = nil
  ) -> CaseVerdict {
    let headPasses = status == .passing || status == .fixed
    let basePasses = status == .passing || status == .regressed
    return CaseVerdict(
      id: id, status: status, head: head ?? score(headPasses),
      baseline: status == .new ? nil : (baseline ?? score(basePasses)))
  }

  static func metrics(p95: Double? = nil) -> SideMetrics {
    SideMetrics(p95LatencyMs: p95, costPerCase: nil, refusalRate: 0, storedRuns: 0, freshRuns: 1)
  }

  static func set(
    _ name: String, cases: [CaseVerdict], regressed: Bool, findings: [String] = [],
    pValue: Double = 0.5, removed: [String] = []
  ) -> SetVerdict {
    let counted = cases.filter { $0.status != .quarantined }
    let headPassed = counted.filter(\.head.pass).count
    let based = counted.compactMap(\.baseline)
    let basePassed = based.filter(\.pass).count
    return SetVerdict(
      evalSet: name, tier: "fast", behavior: "support-agent", headId: "pgv1-" + digestB,
      baselineId: "pgv1-" + digestA, reasons: ["support-agent.prompt changed"],
      headPassRate: counted.isEmpty ? 1 : Double(headPassed) / Double(counted.count),
      baselinePassRate: based.isEmpty ? nil : Double(basePassed) / Double(based.count),
      headPassed: headPassed, headCases: counted.count,
      baselinePassed: based.isEmpty ? nil : basePassed,
      baselineCases: based.isEmpty ? nil : based.count, pValue: pValue, alpha: 0.05,
      regressed: regressed, findings: findings, cases: cases, removedCases: removed,
      headMetrics: metrics(p95: 41.2), baselineMetrics: metrics())
  }

  static func behaviorChange() -> BehaviorChange {
    var files = FileChanges(old: ["prompts/system.md": "1"], new: ["prompts/system.md": "2"])
    files.added.append("prompts/extra.md")
    return BehaviorChange(
      behavior: "support-agent", status: .changed, previousId: BehaviorID(digest: digestA),
      id: BehaviorID(digest: digestB), previousAbsence: nil, absence: nil,
      changed: [.prompt, .model],
      components: [
        ComponentChange(
          component: .prompt, old: .string(digestA), new: .string(digestB), files: files,
          values: nil),
        ComponentChange(
          component: .model, old: .string("gpt-4o-mini"), new: .string("gpt-4o|mini"),
          files: nil, values: nil),
      ], definitionChanged: false)
  }

  static func result(
    sets: [SetVerdict], notEvaluated: [NotEvaluated] = [],
    changedInputs: [String: [ChangedInput]] = [:], behaviors: [BehaviorChange]? = nil
  ) -> GateResult {
    GateResult(
      base: SideSummary(
        side: .revision("HEAD"), commit: "99e4" + String(repeating: "0", count: 36)),
      head: SideSummary(side: .index, commit: nil), behaviors: behaviors ?? [behaviorChange()],
      tier: "fast", sets: sets, changedInputs: changedInputs, notEvaluated: notEvaluated,
      calls: 3, storedRuns: 3, capReached: nil)
  }

  /// One regressed set with a regressed, a failing-both, a new, a quarantined and a passing case.
  static func regressedResult() -> GateResult {
    let cases = [
      verdict("refund-torn", .regressed),
      verdict("both-bad", .failingBoth),
      verdict("brand-new", .new, head: score(false)),
      verdict("flaky", .quarantined, head: score(false)),
      verdict("fine", .passing),
    ]
    let smoke = set(
      "support-smoke", cases: cases, regressed: true,
      findings: ["pass rate 50% fell below the floor 100%"])
    return result(
      sets: [smoke],
      changedInputs: [
        "support-smoke": [
          ChangedInput(
            path: "prompts/system.md", component: .prompt,
            lines: [LineRange(start: 3, end: 4), LineRange(start: 10, end: 10)])
        ]
      ])
  }
}
