import Foundation
import TestSupport
import Testing

/// A set that cannot run because of its own mapping, cases or assertions is a configuration
/// error (exit 2) in check-config, the gate, the hook and release: never "not evaluated" and a
/// pass.
@Suite("eval sets that cannot run are configuration errors")
struct UnrunnableSetTests {
  /// The gate fixture whose `refund` case (line 2) is `assertion`, in `tier`.
  private func fixture(_ assertion: String, tier: String = "fast") throws -> GateFixture {
    let cases =
      [
        GateFixture.caseLine("greeting", "icontains", "hello"),
        "{\"id\": \"refund\", \"vars\": {\"topic\": \"refund\"}, \"assert\": [\(assertion)]}",
      ].joined(separator: "\n") + "\n"
    return try GateFixture(
      mapping: GateFixture.mapping().replacingOccurrences(of: "tier: fast", with: "tier: \(tier)"),
      files: ["evals/smoke.jsonl": cases])
  }

  static let rubric = "{\"type\": \"llm-rubric\", \"value\": \"offers a refund\"}"
  static let format =
    "{\"type\": \"json-schema\", \"value\": {\"type\": \"string\", \"format\": \"email\"}}"

  @Test("llm-rubric in a set without a judge: check-config names the case and the fix")
  func rubricCheckConfig() throws {
    let fixture = try fixture(Self.rubric)
    let result = try fixture.repository.run("promptgate-check-config")
    result.expect(exit: 2)
    #expect(result.stdout.isEmpty)
    #expect(
      result.stderr.hasPrefix(
        "evals/smoke.jsonl:2: error: case 'refund' uses llm-rubric, but eval set 'smoke' has no "
          + "`judge`"), "\(result)")
    #expect(result.stderr.contains("fix: add `judge: {provider: NAME, model: MODEL}`"))
    #expect(result.stderr.contains("promptgate.yaml (line 8)"))
  }

  @Test("llm-rubric without a judge: the gate and the hook exit 2 before any call")
  func rubricGateAndHook() throws {
    let fixture = try fixture(Self.rubric)
    try fixture.breakRefund()
    try fixture.repository.git("add", "-A")
    let gate = try fixture.gate(["--staged", "--store", fixture.store])
    gate.expect(exit: 2)
    #expect(gate.stderr.contains("evals/smoke.jsonl:2: error: case 'refund' uses llm-rubric"))
    for arguments in [["pre-commit"], ["pre-commit", "--tier", "fast"]] {
      let hook = try fixture.repository.run(
        "promptgate-hook", arguments, environment: fixture.environment)
      hook.expect(exit: 2)
      #expect(hook.stderr.contains("has no `judge`"), "\(hook)")
      #expect(!hook.stderr.contains("letting it pass"))
    }
    #expect(fixture.calls().isEmpty)
  }

  @Test("llm-rubric without a judge: release exits 2 and tags nothing")
  func rubricRelease() throws {
    let fixture = try fixture(Self.rubric, tier: "release")
    let result = try fixture.repository.run(
      "promptgate-release", ["--store", fixture.store], environment: fixture.environment)
    result.expect(exit: 2)
    #expect(result.stderr.contains("has no `judge`"), "\(result)")
    #expect(try fixture.repository.git("tag", "-l").isEmpty)
  }

  @Test("json-schema with `format`: check-config and the gate exit 2 with the case's line")
  func schemaFormat() throws {
    let fixture = try fixture(Self.format)
    let check = try fixture.repository.run("promptgate-check-config")
    check.expect(exit: 2)
    #expect(check.stderr.hasPrefix("evals/smoke.jsonl:2: error: "), "\(check)")
    #expect(check.stderr.contains("#/format"))
    try fixture.breakRefund()
    try fixture.repository.git("add", "-A")
    let gate = try fixture.gate(["--staged", "--store", fixture.store])
    gate.expect(exit: 2)
    #expect(gate.stderr.contains("#/format"))
    #expect(fixture.calls().isEmpty)
  }

  @Test("a set protecting several behaviors without `behavior:`: exit 2 with the line, no tag")
  func severalBehaviors() throws {
    let mapping = GateFixture.mapping()
      .replacingOccurrences(of: "tier: fast", with: "tier: release")
      .replacingOccurrences(
        of: "    protects: {bot: [prompt, model]}",
        with: "    protects: {bot: [prompt, model], other: all}")
    let fixture = try GateFixture(
      mapping: mapping.replacingOccurrences(
        of: "providers:", with: "  other:\n    model: {value: other-model}\nproviders:"))
    let check = try fixture.repository.run("promptgate-check-config")
    check.expect(exit: 2)
    #expect(
      check.stderr.hasPrefix(
        "promptgate.yaml:10:3: error: eval set 'smoke' protects several behaviors (bot, other)"),
      "\(check)")
    #expect(check.stderr.contains("add `behavior: NAME`"))
    let release = try fixture.repository.run(
      "promptgate-release", ["--store", fixture.store], environment: fixture.environment)
    release.expect(exit: 2)
    #expect(try fixture.repository.git("tag", "-l").isEmpty)
    #expect(fixture.calls().isEmpty)
  }
}
