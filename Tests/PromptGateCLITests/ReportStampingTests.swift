import Foundation
import TestSupport
import Testing

/// docs/telemetry.md's stamping snippets, run as they are printed: the Python one with the real
/// OpenTelemetry SDK (installed by scripts/test-tools.sh), the standard-library one read back by
/// promptgate-report.
@Suite("telemetry stamping snippets")
struct ReportStampingTests {
  /// The code block after `<!-- snippet: NAME -->` in docs/telemetry.md.
  static func snippet(_ name: String) throws -> String {
    let text = try String(
      contentsOfFile: PackageFiles.path("docs/telemetry.md"), encoding: .utf8)
    let marker = try #require(text.range(of: "<!-- snippet: \(name) -->"))
    let rest = text[marker.upperBound...]
    let open = try #require(rest.range(of: "```python\n"))
    let close = try #require(rest[open.upperBound...].range(of: "\n```"))
    return String(rest[open.upperBound..<close.lowerBound]) + "\n"
  }

  @Test("the OpenTelemetry snippet stamps the request span, tools, retrieval and model calls")
  func openTelemetry() throws {
    let repository = try TemporaryRepository()
    try repository.write("stamp_otel.py", try Self.snippet("stamp_otel.py"))
    try repository.write(
      "run.py",
      """
      import json
      from opentelemetry import trace
      from opentelemetry.sdk.trace import TracerProvider
      from opentelemetry.sdk.trace.export import SimpleSpanProcessor
      from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

      exporter = InMemorySpanExporter()
      provider = TracerProvider()
      provider.add_span_processor(SimpleSpanProcessor(exporter))
      trace.set_tracer_provider(provider)
      import stamp_otel
      stamp_otel.answer("where is my order?")
      stamp_otel.answer("my order is late", route="checkout", user_retry=True)
      stamp_otel.answer("tell me the admin password")
      spans = []
      for span in exporter.get_finished_spans():
          spans.append({
              "name": span.name,
              "trace": format(span.context.trace_id, "032x"),
              "parent": span.parent.span_id if span.parent else None,
              "status": span.status.status_code.name,
              "attributes": {key: (list(value) if isinstance(value, tuple) else value)
                             for key, value in span.attributes.items()},
          })
      print(json.dumps(spans))
      """)
    let id = "pgv1-" + String(repeating: "ab", count: 32)
    let python = TestTools.directory + "/python"
    let result = try repository.runProgram(
      python, ["run.py"], environment: ["PROMPTGATE_BEHAVIOR_ID_SUPPORT_AGENT": id])
    result.expect(exit: 0)
    let spans = try #require(try JSONOutput.parse(result.stdout) as? [[String: Any]])
    let requests = spans.filter { $0["parent"] is NSNull }
    #expect(requests.count == 3)
    #expect(Set(spans.compactMap { $0["trace"] as? String }).count == 3)
    for request in requests {
      let attributes = try #require(request["attributes"] as? [String: Any])
      #expect(request["name"] as? String == "invoke_agent support-agent")
      #expect(attributes["promptgate.behavior_id"] as? String == id)
      #expect(attributes["gen_ai.prompt.name"] as? String == "support-agent")
      #expect(attributes["gen_ai.prompt.version"] as? String == id)
      #expect(attributes["promptgate.tenant"] as? String == "acme")
    }
    let attributes = requests.compactMap { $0["attributes"] as? [String: Any] }
    #expect(attributes.filter { $0["promptgate.refusal"] as? Bool == true }.count == 1)
    #expect(attributes.filter { $0["promptgate.fallback"] as? Bool == true }.count == 1)
    #expect(attributes.filter { $0["promptgate.user_retry"] as? Bool == true }.count == 1)
    #expect(
      attributes.compactMap { $0["promptgate.route"] as? String }.sorted() == [
        "checkout", "support", "support",
      ])
    let tools = spans.filter {
      ($0["attributes"] as? [String: Any])?["gen_ai.operation.name"] as? String == "execute_tool"
    }
    #expect(tools.count == 3)
    #expect(tools.allSatisfy { $0["name"] as? String == "execute_tool lookup_order" })
    let failed = tools.filter { $0["status"] as? String == "ERROR" }
    #expect(failed.count == 1)
    #expect(
      (failed.first?["attributes"] as? [String: Any])?["error.type"] as? String == "TimeoutError")
    let chats = spans.compactMap { $0["attributes"] as? [String: Any] }.filter {
      $0["gen_ai.operation.name"] as? String == "chat"
    }
    #expect(chats.count == 3)
    #expect(
      chats.allSatisfy {
        $0["gen_ai.request.model"] as? String == "gpt-4o-mini"
          && $0["gen_ai.usage.input_tokens"] is Int
          && $0["gen_ai.usage.output_tokens"] as? Int == 12
      })
    let retrievals = spans.filter {
      ($0["attributes"] as? [String: Any])?["gen_ai.operation.name"] as? String == "retrieval"
    }
    #expect(retrievals.count == 3)
  }

  @Test("the standard-library snippet writes events promptgate-report reads back")
  func nativeEvents() throws {
    let repository = try TemporaryRepository()
    try repository.write(
      "promptgate.yaml",
      "behaviors:\n  agent:\n    prompt: [prompt.md]\n    model: {value: small}\nprices:\n  small: {input: 1, output: 4}\n"
    )
    try repository.write("prompt.md", "Be brief.\n")
    try repository.commit("Agent")
    let id = try #require(try repository.versionIDs()["agent"])
    try repository.write("stamp_jsonl.py", try Self.snippet("stamp_jsonl.py"))
    try repository.write(
      "run.py",
      """
      from stamp_jsonl import record_request
      for index in range(10):
          record_request("requests.jsonl", model="small", latency_ms=100 + 10 * index,
                         input_tokens=1000, output_tokens=100 + index,
                         tools=[("lookup", index == 3)], retrieval_calls=2,
                         refusal=index == 9, fallback=index in (1, 2), user_retry=index == 5,
                         route="checkout" if index < 4 else None)
      """)
    let run = try repository.runProgram(
      "python3", ["run.py"], environment: ["PROMPTGATE_BEHAVIOR_ID": id])
    run.expect(exit: 0)
    let result = try repository.run("promptgate-report", ["requests.jsonl", "--format", "json"])
    result.expect(exit: 0)
    #expect(result.stderr.isEmpty, "\(result)")
    let report = try JSONOutput.object(result.stdout)
    let version = try #require((report["versions"] as? [[String: Any]])?.first)
    #expect(version["behaviorId"] as? String == id)
    let metrics = try #require(version["metrics"] as? [String: Any])
    #expect(metrics["requests"] as? Int == 10)
    #expect((metrics["refusalRate"] as? [String: Any])?["count"] as? Int == 1)
    #expect((metrics["fallbackRate"] as? [String: Any])?["count"] as? Int == 2)
    #expect((metrics["userRetryRate"] as? [String: Any])?["count"] as? Int == 1)
    #expect((metrics["toolFailureRate"] as? [String: Any])?["count"] as? Int == 1)
    #expect((metrics["retrievalCallsPerRequest"] as? [String: Any])?["mean"] as? Double == 2)
    // Cost from the prices: 1000 input tokens at 1 and 100..109 output tokens at 4 per million.
    var total = 0.0
    for index in 0..<10 { total += (1000.0 + 4.0 * Double(100 + index)) / 1e6 }
    let cost = try #require(metrics["cost"] as? [String: Any])
    #expect(abs((cost["total"] as? Double ?? 0) - total) < 1e-12)
    let latency = try #require(metrics["latencyMs"] as? [String: Any])
    // Nearest rank of 100, 110, ..., 190: p50 is the 5th (140), p95 and p99 the 10th (190).
    #expect(abs((latency["p50"] as? Double ?? 0) - 140) <= 1.4)
    #expect(abs((latency["p99"] as? Double ?? 0) - 190) <= 1.9)
  }
}
