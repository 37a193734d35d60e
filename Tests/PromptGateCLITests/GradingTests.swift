import Foundation
import TestSupport
import Testing

/// Judge calls are planned runs: the executor makes them concurrently, within the spending cap,
/// counted as calls and stored; the scorer only reads them.
@Suite("Judge calls run like model calls")
struct GradingTests {
  static let key = ["GATE_TEST_KEY": "sk-judge-test-0001"]

  /// The fixture with every case graded by `llm-rubric` through a judge at `server`.
  static func fixture(_ server: LoopbackLLMServer) throws -> GateFixture {
    let mapping = GateFixture.mapping(
      set: ["judge: {provider: grader, model: judge-model}"],
      provider:
        "harness: {type: exec, command: [python3, evals/harness.py], concurrency: 4, timeout: 20}\n"
        + "  grader: {type: openai, baseURL: \"\(server.openAIBaseURL)\", apiKeyEnv: GATE_TEST_KEY, concurrency: 8, retries: 0, timeout: 20}"
    )
    let cases =
      ["greeting", "refund", "shipping", "returns", "hours", "sizes"].map { id in
        "{\"id\": \"\(id)\", \"vars\": {\"topic\": \"\(id)\"}, "
          + "\"assert\": [{\"type\": \"llm-rubric\", \"value\": \"answers about \(id)\"}]}"
      }.joined(separator: "\n") + "\n"
    let fixture = try GateFixture(mapping: mapping, files: ["evals/smoke.jsonl": cases])
    try fixture.breakRefund()
    return fixture
  }

  @Test("judge calls run concurrently, count as calls, and are read from the store next time")
  func concurrentAndCounted() throws {
    let server = try LoopbackLLMServer { _ in
      ScriptedAnswer(#"{"pass": true, "score": 0.9, "reason": "on topic"}"#)
    }
    defer { server.stop() }
    server.latencyMs = 300
    let fixture = try Self.fixture(server)
    let head = try fixture.repository.commit("Store credit only")
    let range = "\(fixture.baseline)..\(head)"
    let first = try fixture.gate(
      [range, "--store", fixture.store, "--format", "json"], environment: Self.key)
    first.expect(exit: 0)
    let document = try JSONOutput.object(first.stdout)
    let modelCalls = fixture.calls().count
    // Every distinct output is judged once; the harness answers the same at both sides except
    // for the broken refund, so there are fewer judge calls than runs.
    let judged = server.requestCount
    #expect(judged > 1)
    #expect(document["calls"] as? Int == modelCalls + judged, "\(first)")
    #expect(server.maxInFlight > 1, "judge calls were made one at a time")
    #expect(server.requests.allSatisfy { ($0.json?["model"] as? String) == "judge-model" })

    let again = try fixture.gate(
      [range, "--store", fixture.store, "--format", "json"], environment: Self.key)
    again.expect(exit: 0)
    #expect(try JSONOutput.object(again.stdout)["calls"] as? Int == 0)
    #expect(server.requestCount == judged)
  }

  // promptfoo docs, configuration/expected-outputs: every assertion type can be inverted with
  // not-, llm-rubric included (not-llm-rubric passes when the rubric fails).
  @Test("not-llm-rubric passes when the judge's verdict fails")
  func invertedRubric() throws {
    let server = try LoopbackLLMServer { request in
      (request.user ?? "").contains("Answer: We offer a full refund")
        ? ScriptedAnswer(#"{"pass": true, "score": 1, "reason": "mentions a refund"}"#)
        : ScriptedAnswer(#"{"pass": false, "score": 0, "reason": "no refund"}"#)
    }
    defer { server.stop() }
    let mapping = GateFixture.mapping(
      set: ["judge: {provider: grader, model: judge-model}"],
      provider:
        "harness: {type: exec, command: [python3, evals/harness.py], concurrency: 4, timeout: 20}\n"
        + "  grader: {type: openai, baseURL: \"\(server.openAIBaseURL)\", apiKeyEnv: GATE_TEST_KEY, retries: 0, timeout: 20}"
    )
    let cases =
      "{\"id\": \"refund\", \"vars\": {\"topic\": \"refund\"}, \"assert\": "
      + "[{\"type\": \"not-llm-rubric\", \"value\": \"offers a full refund\"}]}\n"
    let fixture = try GateFixture(
      mapping: mapping.replacingOccurrences(of: "    floor: 1.0\n", with: ""),
      files: ["evals/smoke.jsonl": cases])
    try fixture.breakRefund()
    let head = try fixture.repository.commit("Store credit only")
    let result = try fixture.gate(
      ["\(fixture.baseline)..\(head)", "--format", "json"], environment: Self.key)
    let document = try JSONOutput.object(result.stdout)
    let sets = try #require(document["sets"] as? [[String: Any]], "\(result)")
    let entry = try #require((sets.first?["cases"] as? [[String: Any]])?.first)
    #expect(entry["status"] as? String == "fixed", "\(entry)")
    let baseline = try #require(entry["baseline"] as? [String: Any])
    let failures = try #require(baseline["failures"] as? [[String: Any]])
    #expect((failures.first?["reason"] as? String)?.hasPrefix("not: judge:") == true)
  }

  @Test("--max-calls stops judge calls too: the set is not evaluated, exit 3")
  func capStopsJudgeCalls() throws {
    let server = try LoopbackLLMServer { _ in
      ScriptedAnswer(#"{"pass": true, "score": 0.9, "reason": "on topic"}"#)
    }
    defer { server.stop() }
    let fixture = try Self.fixture(server)
    let head = try fixture.repository.commit("Store credit only")
    // Exactly the model runs (6 cases at two sides, repeat 1): nothing is left for the judge.
    let result = try fixture.gate(
      ["\(fixture.baseline)..\(head)", "--store", fixture.store, "--max-calls", "12"],
      environment: Self.key)
    result.expect(exit: 3)
    #expect(fixture.calls().count == 12)
    #expect(server.requestCount == 0)
    #expect(result.stdout.contains("cap of 12 calls") || result.stderr.contains("cap of 12 calls"))
  }
}
