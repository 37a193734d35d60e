import Foundation
import PromptGateCore
import Testing

@testable import PromptGateTelemetry

/// The fast path gives the generic path's event for every line it reads, and leaves every other
/// line to it.
@Suite("Native event fast path")
struct NativeEventScannerTests {
  static func generic(_ line: String) -> TelemetryEvent? {
    guard let node = try? JSONNode.parse(line) else { return nil }
    return try? NativeEventDecoder().decode(node) { _ in }
  }

  static func fast(_ line: String, _ scanner: inout NativeEventScanner) -> TelemetryEvent? {
    let bytes = Array(line.utf8)
    return bytes.withUnsafeBufferPointer { scanner.event($0) }
  }

  @Test("seeded lines: the same event as the JSON tree, or none")
  func sameEvents() {
    var random = SeededGenerator(seed: 11)
    var scanner = NativeEventScanner()
    let id = testID("e").full
    let pieces: [String] = [
      #""ts":1767225600000"#, #""ts":"2026-01-01T00:00:00Z""#, #""ts":-1"#,
      #""behaviorId":"\#(id)""#, #""behaviorId":"pgv1-zz""#, #""traceId":"ab12""#,
      #""model":"gpt-4o-mini""#, #""model":null"#, #""latencyMs":512.25"#, #""latencyMs":-3"#,
      #""latencyMs":1e3"#, #""inputTokens":120"#, #""inputTokens":1.5"#, #""outputTokens":0"#,
      #""costUsd":0.000125"#, #""tools":[{"name":"lookup","error":false}]"#,
      #""tools":[{"name":"a","error":"Timeout"},{"error":true,"name":"b"}]"#,
      #""tools":[{"name":"a","arguments":{}}]"#, #""tools":[]"#, #""retrievalCalls":2"#,
      #""refusal":true"#, #""fallback":false"#, #""userRetry":null"#, #""route":"orders""#,
      #""tenant":"acme""#, #""mystery":1"#, #""route":"caf\u00e9""#, #""tenant":"é""#,
      #""refusal":1"#, #""inputTokens":012"#,
    ]
    var read = 0
    for _ in 0..<3000 {
      let count = Int.random(in: 1...9, using: &random)
      var members = [pieces[0], pieces[3]]
      for _ in 0..<count { members.append(pieces.randomElement(using: &random)!) }
      members.shuffle(using: &random)
      let line = "{" + members.joined(separator: Bool.random(using: &random) ? "," : " , ") + "}"
      let expected = Self.generic(line)
      if let event = Self.fast(line, &scanner) {
        read += 1
        #expect(event == expected, "\(line)")
      }
    }
    #expect(read > 100)
  }

  @Test("lines the fast path leaves alone")
  func declines() {
    var scanner = NativeEventScanner()
    let id = testID("e").full
    for line in [
      "[]", "{}", #"{"ts":1,"behaviorId":"\#(id)"} x"#, #"{"ts":1,"ts":2,"behaviorId":"\#(id)"}"#,
      #"{"ts":1,"behaviorId":"\#(id)","input":"hi"}"#, #"{"ts":1,"behaviorId":"\#(id)""#,
    ] {
      #expect(Self.fast(line, &scanner) == nil, "\(line)")
    }
    #expect(Self.fast(#" { "ts" : 5 , "behaviorId" : "\#(id)" } "#, &scanner)?.timestamp == 5)
  }
}
