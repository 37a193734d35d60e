import Foundation
import TestSupport
import Testing

/// The gate inside real `git commit` runs, through the package's installed hooks/pre-commit.
@Suite("pre-commit gate")
struct GateHookTests {
  private func fixture(_ mapping: String = GateFixture.mapping()) throws -> GateFixture {
    let fixture = try GateFixture(mapping: mapping)
    try fixture.installHook()
    return fixture
  }

  private func commit(
    _ fixture: GateFixture, _ message: String, environment extra: [String: String] = [:]
  ) throws -> CommandResult {
    try fixture.repository.git("add", "-A")
    return try fixture.repository.runProgram(
      "git", ["commit", "-q", "-m", message],
      environment: fixture.environment.merging(extra) { $1 })
  }

  @Test("hook.maxRepeat caps re-sampling in the hook; without a floor the flip is still caught")
  func hookMaxRepeat() throws {
    let fixture = try fixture(
      GateFixture.mapping(top: ["hook: {maxRepeat: 6}"]).replacingOccurrences(
        of: "    floor: 1.0\n", with: ""))
    try fixture.breakRefund()
    let result = try commit(fixture, "Store credit only")
    #expect(result.exitCode != 0, "\(result)")
    #expect(
      result.stderr.contains(
        "refund regressed: baseline 6/6, head 0/6 (p = 0.0011, re-sampled from 1)"),
      "\(result.stderr)")
    #expect(fixture.calls().count == 6 + 10)
  }

  @Test("a staged prompt change that breaks a case fails the commit and says how to skip")
  func regressionBlocksCommit() throws {
    let fixture = try fixture()
    try fixture.breakRefund()
    let result = try commit(fixture, "Store credit only")
    #expect(result.exitCode != 0, "\(result)")
    #expect(try fixture.repository.head() == fixture.baseline)
    #expect(result.stderr.contains("promptgate: bot changed (prompt)"))
    #expect(result.stderr.contains("REGRESSED"))
    #expect(result.stderr.contains("regressed refund"))
    #expect(result.stderr.contains("PROMPTGATE_SKIP=1"))
    #expect(result.stderr.contains("--no-verify"))
    // Three cases a side, then the refund case re-sampled to 15 runs a side.
    #expect(fixture.calls().count == 6 + 28)
    // The change is still staged, for the user to fix or skip.
    #expect(
      try fixture.repository.git("diff", "--cached", "--name-only") == "prompts/system.md\n")
  }

  @Test("PROMPTGATE_SKIP=1 git commit goes through without a provider call")
  func skip() throws {
    let fixture = try fixture()
    try fixture.breakRefund()
    let result = try commit(fixture, "Skip", environment: ["PROMPTGATE_SKIP": "1"])
    result.expect(exit: 0)
    #expect(try fixture.repository.head() != fixture.baseline)
    #expect(fixture.calls().isEmpty)
  }

  @Test("git commit --no-verify goes through without a provider call")
  func noVerify() throws {
    let fixture = try fixture()
    try fixture.breakRefund()
    try fixture.repository.git("add", "-A")
    let result = try fixture.repository.runProgram(
      "git", ["commit", "-q", "--no-verify", "-m", "No verify"], environment: fixture.environment)
    result.expect(exit: 0)
    #expect(try fixture.repository.head() != fixture.baseline)
    #expect(fixture.calls().isEmpty)
  }

  @Test("a harmless prompt change commits after the gate passes")
  func harmlessCommits() throws {
    let fixture = try fixture()
    try fixture.rewordShipping()
    let result = try commit(fixture, "Reword")
    result.expect(exit: 0)
    #expect(try fixture.repository.head() != fixture.baseline)
    #expect(result.stderr.contains("promptgate: selected smoke"))
    #expect(fixture.calls().count == 6)
  }

  @Test("the hook reads what promptgate-gate --staged stored: the commit makes no new call")
  func hookSharesStore() throws {
    let fixture = try fixture()
    try fixture.rewordShipping()
    try fixture.repository.git("add", "-A")
    try fixture.gate(["--staged", "--tier", "fast"]).expect(exit: 0)
    #expect(fixture.calls().count == 6)
    let result = try commit(fixture, "Reword")
    result.expect(exit: 0)
    #expect(fixture.calls().count == 6)
  }

  @Test("a harness that cannot evaluate warns and lets the commit through by default")
  func unavailableWarns() throws {
    let fixture = try fixture()
    try fixture.breakRefund()
    let result = try commit(fixture, "Crash", environment: ["GATE_CRASH": "1"])
    result.expect(exit: 0)
    #expect(try fixture.repository.head() != fixture.baseline)
    #expect(result.stderr.contains("could not evaluate smoke"))
    #expect(result.stderr.contains("the model is unreachable"))
  }

  @Test("with hook: {onUnavailable: fail}, a harness that cannot evaluate fails the commit")
  func unavailableFails() throws {
    let fixture = try fixture(GateFixture.mapping(top: ["hook: {onUnavailable: fail}"]))
    try fixture.rewordShipping()
    let result = try commit(fixture, "Crash", environment: ["GATE_CRASH": "1"])
    #expect(result.exitCode != 0, "\(result)")
    #expect(try fixture.repository.head() == fixture.baseline)
    #expect(result.stderr.contains("could not evaluate: smoke"))
    #expect(result.stderr.contains("PROMPTGATE_SKIP=1"))
  }

  @Test("nothing relevant staged: the commit goes through with no provider call")
  func irrelevantChange() throws {
    let fixture = try fixture()
    try fixture.repository.write("README.md", "A better bot.\n")
    let result = try commit(fixture, "Docs")
    result.expect(exit: 0)
    #expect(result.stderr.isEmpty)
    #expect(fixture.calls().isEmpty)
    #expect(try fixture.repository.head() != fixture.baseline)
  }

  @Test("a change only a release set protects runs no fast gate")
  func releaseOnly() throws {
    let fixture = try fixture(
      GateFixture.mapping().replacingOccurrences(of: "tier: fast", with: "tier: release"))
    try fixture.breakRefund()
    let result = try commit(fixture, "Release only")
    result.expect(exit: 0)
    #expect(result.stderr.contains("no fast eval set protects what is staged"))
    #expect(fixture.calls().isEmpty)
  }
}
