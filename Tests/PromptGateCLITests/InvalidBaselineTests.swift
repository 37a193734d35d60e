import Foundation
import TestSupport
import Testing

/// A mapping made invalid in HEAD (committed with the hook skipped) must not block the commit
/// that fixes it; a corrupt staged mapping still stops the commit.
@Suite("An invalid baseline mapping")
struct InvalidBaselineTests {
  @Test("the fix is gated with no baseline and one warning; a broken head is still exit 2")
  func fixGoesThrough() throws {
    let fixture = try GateFixture()
    try fixture.installHook()
    let good = try fixture.repository.read("promptgate.yaml")
    try fixture.repository.write("promptgate.yaml", good + "unknownTopLevelKey: 1\n")
    try fixture.repository.git("add", "-A")
    try fixture.repository.git(
      ["commit", "-q", "-m", "Broken mapping"],
      environment: fixture.environment.merging(["PROMPTGATE_SKIP": "1"]) { $1 })
    try fixture.repository.write("promptgate.yaml", good)
    try fixture.repository.git("add", "-A")
    let fixed = try fixture.repository.runProgram(
      "git", ["commit", "-q", "-m", "Fix the mapping"], environment: fixture.environment)
    fixed.expect(exit: 0)
    #expect(fixed.stderr.contains("the baseline's promptgate.yaml is invalid"), "\(fixed)")
    #expect(fixed.stderr.contains("unknownTopLevelKey"))
    #expect(!fixed.stderr.contains("regressed"))

    try fixture.repository.write("promptgate.yaml", good + "  : : :\n")
    try fixture.repository.git("add", "-A")
    let broken = try fixture.repository.runProgram(
      "git", ["commit", "-q", "-m", "Break it again"], environment: fixture.environment)
    #expect(broken.exitCode != 0, "\(broken)")
    #expect(broken.stderr.contains("PROMPTGATE_SKIP=1"))

    // The same rule in CI: the gate of a fix against a broken base passes, with the warning.
    let gate = try fixture.gate(["HEAD~1..HEAD", "--store", fixture.store])
    gate.expect(exit: 0)
    #expect(gate.stderr.contains("the baseline's promptgate.yaml is invalid"), "\(gate)")
  }
}
