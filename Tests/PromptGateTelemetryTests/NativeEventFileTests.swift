import Foundation
import PromptGateCore
import Testing

@testable import PromptGateTelemetry

@Suite("Native JSONL events")
struct NativeEventFileTests {
  let id = testID("a")

  @Test("every documented field is read, times in RFC 3339 (any offset) or Unix milliseconds")
  func fields() throws {
    let file = try TemporaryFile(
      """
      {"ts":"2026-01-01T02:00:00.250+02:00","behaviorId":"\(id.full)","traceId":"0af7","model":"m","latencyMs":812.5,"inputTokens":1000,"outputTokens":20,"costUsd":0.003,"tools":[{"name":"lookup","error":false},{"name":"refund","error":"timeout"},{"name":"refund","error":true}],"retrievalCalls":3,"refusal":true,"fallback":true,"userRetry":true,"route":"checkout","tenant":"acme"}
      {"ts":1767225600250,"behaviorId":"\(id.digest)"}

      """)
    let (events, problems) = try readAll(NativeEventFile(path: file.path))
    #expect(problems == ReadProblems())
    try #require(events.count == 2)
    let event = events[0]
    #expect(event.timestamp == 1_767_225_600_250)
    #expect(event.behaviorId == id)
    #expect(event.traceId == "0af7")
    #expect(event.model == "m")
    #expect(event.latencyMs == 812.5)
    #expect(event.inputTokens == 1000)
    #expect(event.outputTokens == 20)
    #expect(event.costUsd == 0.003)
    #expect(event.tools.map(\.name) == ["lookup", "refund", "refund"])
    #expect(event.tools.map(\.failed) == [false, true, true])
    #expect(event.tools[1].errorType == "timeout")
    #expect(event.retrievalCalls == 3)
    #expect(event.refusal && event.fallback && event.userRetry)
    #expect(event.route == "checkout")
    #expect(event.tenant == "acme")
    #expect(events[1] == TelemetryEvent(timestamp: 1_767_225_600_250, behaviorId: id))
  }

  @Test("replay content is kept only when asked for")
  func content() throws {
    let file = try TemporaryFile(
      #"{"ts":0,"behaviorId":"\#(id.full)","input":[{"role":"user","content":"hi \u00e9"}],"output":"hello","tools":[{"name":"t","error":false,"arguments":{"q":1},"result":"ok"}]}"#
        + "\n")
    let (plain, _) = try readAll(NativeEventFile(path: file.path))
    #expect(plain.first?.input == nil)
    #expect(plain.first?.tools.first?.arguments == nil)
    let (kept, _) = try readAll(NativeEventFile(path: file.path, keepContent: true))
    let event = try #require(kept.first)
    #expect(
      event.input == .array([.object(["role": .string("user"), "content": .string("hi é")])]))
    #expect(event.output == .string("hello"))
    #expect(event.tools.first?.arguments == .object(["q": .number(1)]))
    #expect(event.tools.first?.result == .string("ok"))
  }

  @Test("bad lines are skipped with their line number and a reason; the rest is read")
  func skipped() throws {
    let lines = [
      #"{"ts":0,"behaviorId":"\#(id.full)"}"#,
      #"{"ts":0,"behaviorId":"\#(id.full)","latencyMs":"fast"}"#,
      #"{"ts":0}"#,
      #"{"behaviorId":"\#(id.full)"}"#,
      #"{"ts":"yesterday","behaviorId":"\#(id.full)"}"#,
      #"{"ts":0,"behaviorId":"v1"}"#,
      #"not json"#,
      #"[1,2]"#,
      #"{"ts":0,"behaviorId":"\#(id.full)","inputTokens":1.5}"#,
      #"{"ts":0,"behaviorId":"\#(id.full)","tools":[{"error":true}]}"#,
      #"{"ts":0,"behaviorId":"\#(id.full)","ts":1}"#,
      #"{"ts":0,"behaviorId":"\#(id.full)","mystery":1,"other":2}"#,
      #"{"ts":0,"behaviorId":"\#(id.full)","latencyMs":"#,
    ]
    // The last line has no newline: a file cut while being written.
    let file = try TemporaryFile(lines.joined(separator: "\n"))
    let (events, problems) = try readAll(NativeEventFile(path: file.path))
    #expect(events.count == 2)
    #expect(problems.skippedLines == 11)
    #expect(problems.partial)
    #expect(problems.skipped.map(\.line) == [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13])
    let reasons = problems.skipped.map(\.reason)
    #expect(reasons[0] == "latencyMs: expected a number, found a string")
    #expect(reasons[1].hasPrefix("no behaviorId"))
    #expect(reasons[2].hasPrefix("no ts"))
    #expect(reasons[3].hasPrefix("ts: 'yesterday' is not an RFC 3339 time"))
    #expect(reasons[4].hasPrefix("behaviorId: 'v1' is not a behavior version id"))
    #expect(reasons[5].hasPrefix("not JSON at column 1"))
    #expect(reasons[6].hasPrefix("expected an object"))
    #expect(reasons[7] == "inputTokens: 1.5 is not a whole number of 0 or more")
    #expect(reasons[8].hasPrefix("tools[0].name"))
    #expect(reasons[9].contains("appears twice"))
    #expect(reasons[10].contains("cut while written"))
    #expect(problems.unknownKeys == ["mystery": 1, "other": 1])
    #expect(problems.skipped.allSatisfy { $0.source == file.path })
  }

  @Test("a line longer than the limit is skipped without being kept; the next line is read")
  func overlong() throws {
    let huge =
      #"{"ts":0,"behaviorId":"\#(id.full)","output":""#
      + String(repeating: "x", count: 5000) + #""}"#
    let good = #"{"ts":5,"behaviorId":"\#(id.full)"}"#
    let file = try TemporaryFile([good, huge, good, huge].joined(separator: "\n") + "\n")
    let (events, problems) = try readAll(NativeEventFile(path: file.path, maximumLineLength: 1000))
    #expect(events.count == 2)
    #expect(problems.skipped.map(\.line) == [2, 4])
    #expect(problems.skipped.first?.reason.hasPrefix("longer than") == true)
  }

  @Test("lines that span read chunks, CRLF endings and blank lines read as one event each")
  func chunks() throws {
    // More than the 1 MiB chunk, so lines cross chunk boundaries.
    var text = ""
    var expected = 0
    while text.utf8.count < 3 << 20 {
      text +=
        #"{"ts":\#(expected),"behaviorId":"\#(id.full)","route":"\#(String(repeating: "r", count: expected % 97))"}"#
        + "\r\n"
      if expected % 50 == 0 { text += "\n   \n" }
      expected += 1
    }
    let file = try TemporaryFile(text)
    let (events, problems) = try readAll(NativeEventFile(path: file.path))
    #expect(problems.skippedLines == 0)
    #expect(events.count == expected)
    #expect(events.map(\.timestamp) == (0..<Int64(expected)).map { $0 })
    #expect(events.allSatisfy { ($0.route?.count ?? -1) == Int($0.timestamp) % 97 })
  }

  @Test("a missing file, a directory and a glob that matches nothing are clear errors")
  func missing() throws {
    var problems = ReadProblems()
    #expect {
      try NativeEventFile(path: "/nonexistent/telemetry.jsonl").events(problems: &problems) { _ in }
    } throws: { error in
      (error as? PromptGateError)?.message.contains("cannot open telemetry file /nonexistent")
        == true
    }
    #expect {
      try NativeEventFile(path: FileManager.default.temporaryDirectory.path).events(
        problems: &problems
      ) { _ in }
    } throws: { error in (error as? PromptGateError)?.message.contains("is a directory") == true }
    #expect {
      try TelemetryFiles.expand(["/nonexistent/*.jsonl"])
    } throws: { error in
      (error as? PromptGateError)?.message.contains("no telemetry file matches") == true
    }
  }
}
