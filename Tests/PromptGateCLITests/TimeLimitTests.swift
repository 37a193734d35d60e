import Foundation
import TestSupport
import Testing

/// A provider that never answers cannot hold a commit or a CI job for longer than its limit.
@Suite("Time limits")
struct TimeLimitTests {
  /// A fixture whose harness blocks on the refund case (for up to 30 s) while `block` exists.
  static func blocked(top: [String]) throws -> (GateFixture, block: String) {
    let fixture = try GateFixture(mapping: GateFixture.mapping(top: top))
    let block = fixture.repository.container + "/block"
    FileManager.default.createFile(atPath: block, contents: Data())
    return (fixture, block)
  }

  @Test("hook.timeout: the hook stops the gate and applies onUnavailable (warn, then fail)")
  func hookTimeout() throws {
    let (fixture, block) = try Self.blocked(top: ["hook: {timeout: 2}"])
    defer { try? FileManager.default.removeItem(atPath: block) }
    try fixture.installHook()
    try fixture.breakRefund()
    try fixture.repository.git("add", "-A")
    let environment = fixture.environment.merging(["GATE_SLOW": "refund", "GATE_BLOCK": block]) {
      $1
    }
    let warned = try fixture.repository.runProgram(
      "git", ["commit", "-q", "-m", "Slow"], environment: environment)
    warned.expect(exit: 0)
    #expect(warned.stderr.contains("time limit of 2 s"), "\(warned)")
    #expect(warned.stderr.contains("letting it pass"))
    #expect(try fixture.repository.head() != fixture.baseline)

    try fixture.repository.write(
      "promptgate.yaml", GateFixture.mapping(top: ["hook: {timeout: 2, onUnavailable: fail}"]))
    try fixture.repository.write("prompts/system.md", GateFixture.prompt + "tone: curt\n")
    try fixture.repository.git("add", "-A")
    let head = try fixture.repository.head()
    let refused = try fixture.repository.runProgram(
      "git", ["commit", "-q", "-m", "Slow again"], environment: environment)
    #expect(refused.exitCode != 0, "\(refused)")
    #expect(refused.stderr.contains("time limit of 2 s"))
    #expect(try fixture.repository.head() == head)
  }

  @Test("gate --max-seconds: what did not finish is not evaluated, exit 3")
  func maxSeconds() throws {
    let (fixture, block) = try Self.blocked(top: [])
    defer { try? FileManager.default.removeItem(atPath: block) }
    try fixture.breakRefund()
    let head = try fixture.repository.commit("Store credit only")
    let result = try fixture.gate(
      ["\(fixture.baseline)..\(head)", "--store", fixture.store, "--max-seconds", "1"],
      environment: ["GATE_SLOW": "refund", "GATE_BLOCK": block])
    result.expect(exit: 3)
    #expect(
      result.stdout.contains("time limit of 1 s") || result.stderr.contains("time limit of 1 s"),
      "\(result)")
    let invalid = try fixture.gate(["\(fixture.baseline)..\(head)", "--max-seconds", "0"])
    invalid.expect(exit: 2)
  }
}
