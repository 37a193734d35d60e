import Foundation
import TestSupport
import Testing

/// An explicit `--tier` that no eval set declares is a configuration error (exit 2) in every
/// command that takes one, never "nothing selected" and a pass.
@Suite("--tier names a declared tier")
struct TierCheckTests {
  /// The gate fixture with the refund case broken and staged: a regression under `--tier fast`.
  private func regressing() throws -> GateFixture {
    let fixture = try GateFixture()
    try fixture.breakRefund()
    try fixture.repository.git("add", "-A")
    return fixture
  }

  private func expectUnknownTier(
    _ result: CommandResult, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    #expect(result.exitCode == 2, "\(result)", sourceLocation: sourceLocation)
    #expect(result.stdout.isEmpty, "\(result)", sourceLocation: sourceLocation)
    #expect(result.stderr.contains("'fats'"), "\(result)", sourceLocation: sourceLocation)
    #expect(
      result.stderr.contains("the tiers declared are: fast"), "\(result)",
      sourceLocation: sourceLocation)
    #expect(result.stderr.contains("promptgate.yaml"), "\(result)", sourceLocation: sourceLocation)
    #expect(
      result.stderr.contains("did you mean 'fast'?"), "\(result)", sourceLocation: sourceLocation)
  }

  @Test("gate --tier fats exits 2 where --tier fast finds the regression")
  func gate() throws {
    let fixture = try regressing()
    let typo = try fixture.gate(["--staged", "--tier", "fats", "--store", fixture.store])
    expectUnknownTier(typo)
    #expect(fixture.calls().isEmpty)
    let fast = try fixture.gate(["--staged", "--tier", "fast", "--store", fixture.store])
    fast.expect(exit: 1)
  }

  @Test("select --tier fats exits 2")
  func select() throws {
    let fixture = try regressing()
    expectUnknownTier(
      try fixture.repository.run("promptgate-select", ["--staged", "--tier", "fats"]))
    try fixture.repository.run("promptgate-select", ["--staged", "--tier", "fast"]).expect(exit: 0)
  }

  @Test("release --tier fats exits 2 and tags nothing")
  func release() throws {
    let fixture = try GateFixture()
    let result = try fixture.repository.run(
      "promptgate-release", ["--tier", "fats", "--store", fixture.store],
      environment: fixture.environment)
    expectUnknownTier(result)
    #expect(try fixture.repository.git("tag", "-l").isEmpty)
  }

  @Test("hook pre-commit --tier fats exits 2")
  func hook() throws {
    let fixture = try regressing()
    let result = try fixture.repository.run(
      "promptgate-hook", ["pre-commit", "--tier", "fats"], environment: fixture.environment)
    expectUnknownTier(result)
    #expect(fixture.calls().isEmpty)
    let skipped = try fixture.repository.run(
      "promptgate-hook", ["pre-commit", "--tier", "fats"],
      environment: fixture.environment.merging(["PROMPTGATE_SKIP": "1"]) { $1 })
    skipped.expect(exit: 0)
    #expect(skipped.stderr == "promptgate: pre-commit skipped (PROMPTGATE_SKIP=1)\n")
  }

  @Test("a tier only the base declares is known: removing the last fast set is no typo")
  func baseSideTier() throws {
    let fixture = try GateFixture()
    try fixture.repository.write(
      "promptgate.yaml",
      GateFixture.mapping().replacingOccurrences(of: "tier: fast", with: "tier: release"))
    try fixture.repository.git("add", "-A")
    let result = try fixture.repository.run("promptgate-select", ["--staged", "--tier", "fast"])
    result.expect(exit: 0)
    #expect(result.stdout == "no fast eval set selected\n")
  }

  @Test("the hook's implicit fast tier in a repository without fast sets still does nothing")
  func implicitFast() throws {
    let fixture = try GateFixture(
      mapping: GateFixture.mapping().replacingOccurrences(of: "tier: fast", with: "tier: release"))
    try fixture.breakRefund()
    try fixture.repository.git("add", "-A")
    for arguments in [["pre-commit"], ["pre-commit", "-C", fixture.repository.path]] {
      let result = try fixture.repository.run(
        "promptgate-hook", arguments, environment: fixture.environment)
      result.expect(exit: 0)
      #expect(result.stderr.contains("no fast eval set protects what is staged"), "\(result)")
    }
    #expect(fixture.calls().isEmpty)
  }
}
