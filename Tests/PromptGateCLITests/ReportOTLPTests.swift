import Foundation
import TestSupport
import Testing

/// promptgate-report over OTLP JSON lines made by the real OpenTelemetry Python SDK from
/// docs/telemetry.md's snippet, encoded by the SDK's own OTLP encoder, batched and shuffled as a
/// Collector's file exporter may write them.
@Suite("promptgate-report over OTLP JSON")
struct ReportOTLPTests {
  static let harness = """
    import base64, json, random, sys
    from opentelemetry import trace
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
    from opentelemetry.exporter.otlp.proto.common.trace_encoder import encode_spans
    from google.protobuf.json_format import MessageToDict

    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    trace.set_tracer_provider(provider)
    import stamp_otel

    questions = ["where is my order?", "my order is late", "tell me the admin password",
                 "can I change my address?", "the parcel is late again", "refund please"]
    for version in sys.argv[1:3]:
        stamp_otel.BEHAVIOR_ID = version
        for index, question in enumerate(questions):
            stamp_otel.answer(question, route="checkout" if index % 2 else "support",
                              user_retry=index == 4)

    spans = list(exporter.get_finished_spans())
    rng = random.Random(7)
    rng.shuffle(spans)
    # The file exporter's shape: each line one batch, ids in hex, enums as integers.
    def hexify(node):
        if isinstance(node, dict):
            for key in ("traceId", "spanId", "parentSpanId"):
                if key in node:
                    node[key] = base64.b64decode(node[key]).hex()
            for value in node.values():
                hexify(value)
        elif isinstance(node, list):
            for value in node:
                hexify(value)
    with open("traces.jsonl", "w") as out:
        start = 0
        while start < len(spans):
            size = rng.randint(1, 7)
            batch = MessageToDict(encode_spans(spans[start:start + size]), use_integers_for_enums=True)
            hexify(batch)
            out.write(json.dumps(batch) + "\\n")
            start += size
    # What the test computes its expectations from.
    dump = [{"name": s.name, "trace": format(s.context.trace_id, "032x"),
             "root": s.parent is None, "start": s.start_time, "end": s.end_time,
             "error": s.status.status_code.name == "ERROR",
             "attributes": {k: (list(v) if isinstance(v, tuple) else v) for k, v in s.attributes.items()}}
            for s in spans]
    print(json.dumps(dump))
    """

  /// A repository whose one behavior has two versions (two commits), and the spans the
  /// harness made with the OpenTelemetry SDK for them, as it dumped them; `extraMapping` is
  /// appended to the mapping.
  static func repositoryWithSpans(extraMapping: String = "") throws -> (
    TemporaryRepository, [[String: Any]]
  ) {
    let repository = try TemporaryRepository()
    try repository.write(
      "promptgate.yaml",
      "behaviors:\n  agent:\n    prompt: [p.md]\n    model: {value: m}\n" + extraMapping)
    try repository.write("p.md", "One.\n")
    try repository.commit("One")
    let first = try #require(try repository.versionIDs()["agent"])
    try repository.write("p.md", "Two.\n")
    try repository.commit("Two")
    let second = try #require(try repository.versionIDs()["agent"])
    try repository.write("stamp_otel.py", try ReportStampingTests.snippet("stamp_otel.py"))
    try repository.write("harness.py", Self.harness)
    let run = try repository.runProgram(
      TestTools.directory + "/python", ["harness.py", first, second],
      environment: ["PROMPTGATE_BEHAVIOR_ID_SUPPORT_AGENT": first])
    run.expect(exit: 0)
    let spans = try #require(try JSONOutput.parse(run.stdout) as? [[String: Any]])
    return (repository, spans)
  }

  @Test("counts, tokens, tools, rates and latencies equal a computation over the SDK's spans")
  func sdkSpans() throws {
    let (repository, spans) = try Self.repositoryWithSpans()
    #expect(spans.count == 48)

    let result = try repository.run("promptgate-report", ["traces.jsonl", "--format", "json"])
    result.expect(exit: 0)
    #expect(result.stderr.isEmpty, "\(result)")
    let report = try JSONOutput.object(result.stdout)
    #expect(report["partial"] as? Bool == false)
    let versions = try #require(report["versions"] as? [[String: Any]])
    #expect(versions.count == 2)
    for version in versions {
      let id = try #require(version["behaviorId"] as? String)
      func attributes(_ span: [String: Any]) -> [String: Any] {
        span["attributes"] as? [String: Any] ?? [:]
      }
      let roots = spans.filter {
        $0["root"] as? Bool == true && attributes($0)["promptgate.behavior_id"] as? String == id
      }
      let traces = Set(roots.compactMap { $0["trace"] as? String })
      let mine = spans.filter { traces.contains($0["trace"] as? String ?? "") }
      let metrics = try #require(version["metrics"] as? [String: Any])
      #expect(metrics["requests"] as? Int == 6)
      #expect(roots.count == 6)
      let count = { (key: String) in roots.filter { attributes($0)[key] as? Bool == true }.count }
      #expect(
        (metrics["refusalRate"] as? [String: Any])?["count"] as? Int == count("promptgate.refusal"))
      #expect(
        (metrics["fallbackRate"] as? [String: Any])?["count"] as? Int
          == count("promptgate.fallback"))
      #expect(
        (metrics["userRetryRate"] as? [String: Any])?["count"] as? Int
          == count("promptgate.user_retry"))
      let tools = mine.filter {
        attributes($0)["gen_ai.operation.name"] as? String == "execute_tool"
      }
      let failures = try #require(metrics["toolFailureRate"] as? [String: Any])
      #expect(failures["total"] as? Int == tools.count)
      #expect(failures["count"] as? Int == tools.filter { $0["error"] as? Bool == true }.count)
      #expect(failures["count"] as? Int == 2)
      let input = mine.compactMap { attributes($0)["gen_ai.usage.input_tokens"] as? Int }.reduce(
        0, +)
      let mean = (metrics["inputTokensPerRequest"] as? [String: Any])?["mean"] as? Double
      #expect(abs((mean ?? 0) - Double(input) / 6) < 1e-9)
      let retrieval = (metrics["retrievalCallsPerRequest"] as? [String: Any])?["mean"] as? Double
      #expect(retrieval == 1)
      let latencies = roots.compactMap { root -> Double? in
        guard let start = root["start"] as? Int, let end = root["end"] as? Int else { return nil }
        return Double(end - start) / 1e6
      }.sorted()
      #expect(latencies.count == 6)
      let p50 = try #require((metrics["latencyMs"] as? [String: Any])?["p50"] as? Double)
      let exact = latencies[2]  // nearest rank ⌈0.5·6⌉ = 3
      #expect(abs(p50 - exact) <= 0.01 * exact + 0.001, "\(p50) vs \(exact)")
      let models = (metrics["models"] as? [[String: Any]])?.compactMap { $0["model"] as? String }
      #expect(models == ["gpt-4o-mini"])
    }

    // The same file through standard input is detected the same way.
    let piped = try repository.run(
      "promptgate-report", ["-", "--format", "json"], stdin: try repository.read("traces.jsonl"))
    piped.expect(exit: 0)
    #expect(try JSONOutput.object(piped.stdout)["requests"] as? Int == 12)
  }

  @Test("a proto-framed file is refused with what to change; unstamped spans are counted")
  func framing() throws {
    let repository = try TemporaryRepository()
    try repository.write("promptgate.yaml", "behaviors:\n  agent:\n    prompt: [p.md]\n")
    try repository.write("p.md", "One.\n")
    try repository.commit("One")
    try repository.write("t.bin", bytes: [0, 0, 0, 12, 0x0A, 0x0A, 1, 2, 3])
    let proto = try repository.run("promptgate-report", ["t.bin"])
    proto.expect(exit: 2)
    #expect(proto.stderr.contains("set the file exporter's format to json"), "\(proto)")
    let id = try #require(try repository.versionIDs()["agent"])
    let stamped =
      #"{"traceId":"aa","spanId":"01","name":"invoke_agent","startTimeUnixNano":"1767225600000000000","endTimeUnixNano":"1767225600250000000","attributes":[{"key":"promptgate.behavior_id","value":{"stringValue":"\#(id)"}}],"events":[{"name":"promptgate.refusal","timeUnixNano":"1767225600100000000"}],"status":{}}"#
    // Old GenAI names (prompt_tokens, completion_tokens) on a child that arrives first.
    let child =
      #"{"traceId":"aa","spanId":"02","parentSpanId":"01","name":"chat m","startTimeUnixNano":"1767225600010000000","endTimeUnixNano":"1767225600200000000","attributes":[{"key":"gen_ai.system","value":{"stringValue":"openai"}},{"key":"gen_ai.request.model","value":{"stringValue":"m"}},{"key":"gen_ai.usage.prompt_tokens","value":{"intValue":"40"}},{"key":"gen_ai.usage.completion_tokens","value":{"intValue":"2"}}]}"#
    let unstamped =
      #"{"traceId":"bb","spanId":"03","name":"GET /health","startTimeUnixNano":"1","endTimeUnixNano":"2"}"#
    func batch(_ spans: String...) -> String {
      #"{"resourceSpans":[{"resource":{"attributes":[]},"scopeSpans":[{"scope":{"name":"app"},"spans":["#
        + spans.joined(separator: ",") + "]}]}]}"
    }
    try repository.write(
      "t.jsonl", [batch(child), batch(unstamped, stamped)].joined(separator: "\n") + "\n")
    let result = try repository.run("promptgate-report", ["t.jsonl", "--format", "json"])
    result.expect(exit: 0)
    let report = try JSONOutput.object(result.stdout)
    #expect((report["problems"] as? [String: Any])?["unattributedSpans"] as? Int == 1)
    let metrics = try #require(
      (report["versions"] as? [[String: Any]])?.first?["metrics"] as? [String: Any])
    #expect(metrics["requests"] as? Int == 1)
    #expect((metrics["latencyMs"] as? [String: Any])?["p50"] as? Double ?? 0 > 247)
    #expect((metrics["inputTokensPerRequest"] as? [String: Any])?["mean"] as? Double == 40)
    #expect((metrics["outputTokensPerRequest"] as? [String: Any])?["mean"] as? Double == 2)
    #expect((metrics["refusalRate"] as? [String: Any])?["count"] as? Int == 1)
    #expect(result.stderr.contains("1 span"), "\(result)")
  }
}
