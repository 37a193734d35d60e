import Foundation
import TestSupport
import Testing

/// The verdict per case through the binary: exact tests on re-sampled runs, with no floor.
@Suite("promptgate-gate: re-sampling and the exact test per case")
struct GateResamplingTests {
  /// The fixture's mapping without `floor: 1.0`, with `set` lines added.
  static func noFloor(_ set: [String] = [], top: [String] = []) -> String {
    GateFixture.mapping(set: set, top: top).replacingOccurrences(of: "    floor: 1.0\n", with: "")
  }

  private func onlySet(_ document: [String: Any]) throws -> [String: Any] {
    let sets = try #require(document["sets"] as? [[String: Any]])
    try #require(sets.count == 1)
    return sets[0]
  }

  private func entry(_ set: [String: Any], _ id: String) throws -> [String: Any] {
    try #require((set["cases"] as? [[String: Any]])?.first { $0["id"] as? String == id })
  }

  @Test(
    "a deterministic case flipping pass to fail in a 3-case set, no floor: exit 1, one line why")
  func deterministicFlip() throws {
    let fixture = try GateFixture(mapping: Self.noFloor())
    try fixture.breakRefund()
    let head = try fixture.repository.commit("Store credit only")
    let result = try fixture.gate(["\(fixture.baseline)..\(head)"])
    result.expect(exit: 1)
    #expect(
      result.stdout.contains(
        "  - refund regressed: baseline 15/15, head 0/15 (p = 6.4e-9, re-sampled from 1)\n"),
      "\(result.stdout)")
    #expect(result.stdout.contains("re-sampled 1 case whose runs disagreed (28 calls now)"))
    // Three cases at each side once, then the refund case to 15 runs a side.
    #expect(fixture.calls().count == 6 + 28)
    #expect(fixture.calls(of: "refund") == 30)
    let json = try fixture.gate(["\(fixture.baseline)..\(head)", "--format", "json"])
    json.expect(exit: 1)
    let document = try JSONOutput.object(json.stdout)
    #expect(document["schemaVersion"] as? Int == 2)
    #expect(document["calls"] as? Int == 0)
    let set = try onlySet(document)
    #expect(set["resampledCases"] as? Int == 1)
    let refund = try entry(set, "refund")
    #expect(refund["status"] as? String == "regressed")
    #expect(refund["baselineRuns"] as? Int == 15)
    #expect(refund["baselinePasses"] as? Int == 15)
    #expect(refund["headRuns"] as? Int == 15)
    #expect(refund["headPasses"] as? Int == 0)
    #expect(refund["resampled"] as? Int == 14)
    #expect(refund["threshold"] as? Double == 0.005)
    let p = try #require(refund["pValue"] as? Double)
    #expect(abs(p - 6.44672503789385e-09) < 1e-15)
    let greeting = try entry(set, "greeting")
    #expect(greeting["resampled"] as? Int == 0)
    #expect(greeting["threshold"] == nil)
  }

  @Test("an unchanged behaviour's deterministic runs all agree: no extra call")
  func noExtraCalls() throws {
    let fixture = try GateFixture(mapping: Self.noFloor())
    try fixture.rewordShipping()
    let head = try fixture.repository.commit("Reword")
    let result = try fixture.gate(["\(fixture.baseline)..\(head)", "--format", "json"])
    result.expect(exit: 0)
    let document = try JSONOutput.object(result.stdout)
    #expect(document["calls"] as? Int == 6)
    let set = try onlySet(document)
    #expect(set["resampledCases"] as? Int == 0)
    #expect(set["resamplingCalls"] as? Int == 0)
    #expect(fixture.calls().count == 6)
  }

  @Test("a flaky run is re-sampled on both sides; the next gate reuses the extra runs (0 calls)")
  func flakyReuse() throws {
    let fixture = try GateFixture(mapping: Self.noFloor(["repeat: 3"]))
    // The head's first repeat of every case flakes: refund, greeting and shipping pass 2/3.
    try fixture.repository.write("prompts/system.md", GateFixture.prompt + "flaky: 0\n")
    let head = try fixture.repository.commit("One flaky repeat")
    let range = "\(fixture.baseline)..\(head)"
    let first = try fixture.gate([range, "--format", "json"])
    first.expect(exit: 0)
    let document = try JSONOutput.object(first.stdout)
    // 18 first runs, then 3 cases x 12 more runs x 2 sides.
    #expect(document["calls"] as? Int == 18 + 72)
    let set = try onlySet(document)
    #expect(set["resampledCases"] as? Int == 3)
    #expect(set["resamplingCalls"] as? Int == 72)
    let refund = try entry(set, "refund")
    #expect(refund["headPasses"] as? Int == 14)
    #expect(refund["headRuns"] as? Int == 15)
    #expect(refund["status"] as? String == "passing")
    #expect(fixture.calls().contains { $0.hasPrefix("refund 14 ") })

    let second = try fixture.gate([range, "--format", "json"])
    second.expect(exit: 0)
    let again = try JSONOutput.object(second.stdout)
    #expect(again["calls"] as? Int == 0)
    #expect(again["storedRuns"] as? Int == 90)
    #expect(fixture.calls().count == 90)
  }

  @Test("adaptive: false keeps the first runs: 1/1 against 0/1 is reported, not failed")
  func adaptiveOff() throws {
    let fixture = try GateFixture(mapping: Self.noFloor(["adaptive: false"]))
    try fixture.breakRefund()
    let head = try fixture.repository.commit("Store credit only")
    let result = try fixture.gate(["\(fixture.baseline)..\(head)"])
    result.expect(exit: 0)
    #expect(result.stdout.contains("unconfirmed refund (baseline 1/1, head 0/1, p = 0.5"))
    #expect(fixture.calls().count == 6)
  }
}
