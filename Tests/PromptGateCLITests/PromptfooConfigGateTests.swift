import Foundation
import TestSupport
import Testing

/// `promptgate-gate` on an eval set whose cases are a promptfoo configuration: defaultTest,
/// array vars, a file:// var and a templated assertion value, end to end in a real repository.
@Suite("promptgate-gate on a promptfoo config")
struct PromptfooConfigGateTests {
  static let config = """
    defaultTest:
      assert:
        - type: not-icontains
          value: "I don't know"
    tests:
      - description: refund
        vars: {topic: file://topics/refund.txt}
        assert:
          - type: icontains
            value: '{{topic}}'
      - description: line
        vars: {topic: [greeting, shipping]}

    """

  private func fixture() throws -> GateFixture {
    try GateFixture(
      mapping: GateFixture.mapping().replacingOccurrences(
        of: "cases: evals/smoke.jsonl", with: "cases: evals/promptfooconfig.yaml"),
      files: [
        "evals/promptfooconfig.yaml": Self.config, "evals/topics/refund.txt": "refund\n",
      ])
  }

  private func cases(_ output: String) throws -> [String: [String: Any]] {
    let document = try #require(
      try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
    let sets = try #require(document["sets"] as? [[String: Any]])
    var found: [String: [String: Any]] = [:]
    for entry in sets.first?["cases"] as? [[String: Any]] ?? [] {
      if let id = entry["id"] as? String { found[id] = entry }
    }
    return found
  }

  @Test("the expanded cases run, and a prompt change that breaks the templated check regresses")
  func regression() throws {
    let fixture = try fixture()
    try fixture.breakRefund()
    let head = try fixture.repository.commit("Store credit only")
    let result = try fixture.gate(["--base", fixture.baseline, "--head", head])
    result.expect(exit: 1)
    #expect(result.stdout.contains("regressed refund"))
    #expect(result.stdout.contains("icontains: expected output to contain 'refund'"))
    #expect(!result.stdout.contains("regressed line"))
    #expect(fixture.calls(of: "line [topic=greeting]") == 2)
    #expect(fixture.calls(of: "line [topic=shipping]") == 2)
  }

  @Test("a file:// var is read from the head's tree, at both sides")
  func fileVarFromHead() throws {
    let fixture = try fixture()
    try fixture.rewordShipping()
    try fixture.repository.write("evals/topics/refund.txt", "shipping\n")
    let head = try fixture.repository.commit("Shipping within 48h; refund case asks shipping")
    let result = try fixture.gate(["--base", fixture.baseline, "--head", head, "--format", "json"])
    let refund = try #require(try cases(result.stdout)["refund"])
    let headSide = try #require(refund["head"] as? [String: Any])
    let baseSide = try #require(refund["baseline"] as? [String: Any])
    #expect(headSide["output"] as? String == "Orders ship within 48h.")
    #expect(baseSide["output"] as? String == "Orders ship in two days.")
  }

  @Test("check-config names the line of a template PromptGate cannot render")
  func templateRefused() throws {
    let fixture = try fixture()
    try fixture.repository.write(
      "evals/promptfooconfig.yaml",
      Self.config.replacingOccurrences(of: "'{{topic}}'", with: "'{{ topic | upper }}'"))
    try fixture.repository.commit("Filter")
    let result = try fixture.repository.run("promptgate-check-config", [])
    result.expect(exit: 2)
    #expect(
      result.stdout.contains("promptfooconfig.yaml:9")
        || result.stderr.contains("promptfooconfig.yaml:9"))
    #expect((result.stdout + result.stderr).contains("filters"))
  }
}

/// promptfoo's test threshold through a gate (docs, configuration/expected-outputs, "Weighted
/// assertions" and "threshold"; source src/assertions/assertionsResult.ts: with a threshold,
/// pass = sum(score * weight) / sum(weight) >= threshold, overriding failed assertions).
@Suite("promptgate-gate scores promptfoo's weighted threshold")
struct PromptfooThresholdGateTests {
  @Test("a run passes on its weighted score despite a failed assertion, and regresses below it")
  func weighted() throws {
    let config = """
      tests:
        - description: weighted
          vars: {topic: refund}
          threshold: 0.6
          assert:
            - {type: icontains, value: refund, weight: 2}
            - {type: icontains, value: banana}

      """
    let fixture = try GateFixture(
      mapping: GateFixture.mapping().replacingOccurrences(
        of: "cases: evals/smoke.jsonl", with: "cases: evals/promptfooconfig.yaml"),
      files: ["evals/promptfooconfig.yaml": config])
    try fixture.breakRefund()
    let head = try fixture.repository.commit("Store credit only")
    let result = try fixture.gate(["--base", fixture.baseline, "--head", head, "--format", "json"])
    result.expect(exit: 1)
    let document = try JSONOutput.object(result.stdout)
    let sets = try #require(document["sets"] as? [[String: Any]])
    let entry = try #require((sets.first?["cases"] as? [[String: Any]])?.first)
    #expect(entry["status"] as? String == "regressed", "\(entry)")
    let baseline = try #require(entry["baseline"] as? [String: Any])
    #expect(baseline["pass"] as? Bool == true)
    let headSide = try #require(entry["head"] as? [String: Any])
    let failures = try #require(headSide["failures"] as? [[String: Any]])
    #expect(failures.contains { $0["type"] as? String == "threshold" })
  }
}

/// Inspect samples with fields Inspect's default field mapping ignores (inspect_ai/dataset/
/// _util.py, FieldSpec): read, and reported once per file by check-config.
@Suite("promptgate-check-config on Inspect samples")
struct InspectSampleCheckTests {
  @Test("ignored fields are one warning for the file, not an error")
  func ignoredFields() throws {
    let samples = """
      {"id": "greeting", "input": "greeting", "target": "hello", "explanation": "a"}
      {"id": "refund", "input": "refund", "target": "refund", "explanation": "b", "source": "faq"}

      """
    let fixture = try GateFixture(files: ["evals/smoke.jsonl": samples])
    let result = try fixture.repository.run("promptgate-check-config", [])
    result.expect(exit: 0)
    let output = result.stdout + result.stderr
    #expect(output.components(separatedBy: "default field mapping ignores").count == 2, "\(output)")
    #expect(output.contains("'explanation', 'source'"))
    #expect(output.contains("evals/smoke.jsonl:1"))
  }
}
