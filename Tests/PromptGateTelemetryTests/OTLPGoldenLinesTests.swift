import Foundation
import PromptGateCore
import TestSupport
import Testing

@testable import PromptGateTelemetry

/// The OTLP reader over golden lines: the Collector's file exporter's output for its own test
/// traces (Tests/Fixtures/otlp/README.md names the source), read as they are and stamped.
@Suite("OTLP golden lines")
struct OTLPGoldenLinesTests {
  static func golden() throws -> String {
    try String(
      contentsOfFile: PackageFiles.path("Tests/Fixtures/otlp/collector-file-exporter-traces.jsonl"),
      encoding: .utf8)
  }

  static func read(_ text: String) throws -> ([TelemetryEvent], ReadProblems) {
    let file = try TemporaryFile(text)
    var events: [TelemetryEvent] = []
    var problems = ReadProblems()
    try TelemetryFile(path: file.path).events(problems: &problems) { events.append($0) }
    return (events, problems)
  }

  @Test("every golden line is read; their unstamped spans are counted, not reported")
  func asTheyAre() throws {
    let text = try Self.golden()
    let (events, problems) = try Self.read(text)
    #expect(problems.skippedLines == 0)
    #expect(!problems.partial)
    #expect(events.isEmpty)
    // Each line is one batch; count its spans independently of the reader.
    var spans = 0
    for line in text.split(separator: "\n") {
      let batch = try #require(
        try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
      for resource in batch["resourceSpans"] as? [[String: Any]] ?? [] {
        for scope in resource["scopeSpans"] as? [[String: Any]] ?? [] {
          spans += (scope["spans"] as? [Any])?.count ?? 0
        }
      }
    }
    #expect(spans == 8)
    #expect(problems.unattributedSpans == spans)
  }

  @Test("stamped, each line's operationA is a request with the golden times and status")
  func stamped() throws {
    let id = testID("c")
    var lines: [String] = []
    var expected: [(start: Int64, end: Int64)] = []
    for (index, line) in try Self.golden().split(separator: "\n").enumerated() {
      // Give each line its own trace, and stamp its first span (operationA).
      let trace = String(format: "%032x", index + 1)
      var stamped = String(line).replacing(#""traceId":"""#, with: #""traceId":"\#(trace)""#)
      let attribute =
        #"{"key":"promptgate.behavior_id","value":{"stringValue":"\#(id.full)"}}"#
      stamped = stamped.replacing(
        #""name":"operationA","#,
        with: #""name":"operationA","attributes":[\#(attribute)],"#, maxReplacements: 1)
      lines.append(stamped)
      let batch = try #require(
        try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
      let spans =
        ((batch["resourceSpans"] as? [[String: Any]])?.first?["scopeSpans"] as? [[String: Any]])?
        .first?["spans"] as? [[String: Any]] ?? []
      let first = try #require(spans.first { $0["name"] as? String == "operationA" })
      expected.append(
        (
          Int64(try #require(first["startTimeUnixNano"] as? String))!,
          Int64(try #require(first["endTimeUnixNano"] as? String))!
        ))
    }
    let (events, problems) = try Self.read(lines.joined(separator: "\n") + "\n")
    #expect(problems.skippedLines == 0)
    #expect(problems.unattributedSpans == 0)
    #expect(events.count == 4)
    for (event, times) in zip(events.sorted { $0.traceId ?? "" < $1.traceId ?? "" }, expected) {
      #expect(event.behaviorId == id)
      #expect(event.timestamp == times.start / 1_000_000)
      #expect(event.latencyMs == Double(times.end - times.start) / 1_000_000)
      // operationB is neither a model call, a tool nor a retrieval; events are not flags.
      #expect(event.tools.isEmpty)
      #expect(event.retrievalCalls == 0)
      #expect(event.inputTokens == nil && event.model == nil)
      #expect(!event.refusal && !event.fallback && !event.userRetry)
    }
  }
}
