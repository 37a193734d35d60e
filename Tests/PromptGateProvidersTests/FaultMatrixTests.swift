import Foundation
import PromptGateCore
import PromptGateProviders
import TestSupport
import Testing

/// The provider fault matrix, run by `benchmarks/fault-matrix.sh` (not in CI): every fault a
/// server can throw at a call, through the real transport against a loopback server, with the
/// tries it took, how long, and what the call came to. Nothing may crash, hang past its bound,
/// or let the key out.
@Suite(
  "Fault matrix",
  .enabled(if: ProcessInfo.processInfo.environment["PROMPTGATE_FAULT_MATRIX"] != nil))
struct FaultMatrixTests {
  static let key = ProviderFixture.secretKey

  /// A row of the matrix: its name, the faults to inject before the answers, and the answer.
  static let rows: [(String, [LoopbackFault], String?)] = {
    var rows: [(String, [LoopbackFault], String?)] = [
      ("429, Retry-After 1", [.rateLimited(retryAfter: "1")], nil),
      ("429, Retry-After 100000", [.rateLimited(retryAfter: "100000")], nil),
      ("429, Retry-After 1e300", [.rateLimited(retryAfter: "1e300")], nil),
      (
        "429, Retry-After in 9999", [.rateLimited(retryAfter: "Fri, 31 Dec 9999 23:59:59 GMT")], nil
      ),
      ("429, Retry-After garbage", [.rateLimited(retryAfter: "soon-ish")], nil),
      ("429 every time", Array(repeating: .rateLimited(retryAfter: nil), count: 10), nil),
      ("500 once", [.serverError], nil),
      ("500 every time", Array(repeating: .serverError, count: 10), nil),
      ("503 with Retry-After 0", [.status(503, body: "{}")], nil),
      ("hang past the timeout", [.hang], nil),
      ("malformed body", [.malformedBody], nil),
      ("JSON that is no answer", [.unexpectedJSON], nil),
      ("empty body", [.status(200, body: "")], nil),
      ("dropped connection", [.dropConnection], nil),
      ("drip, one byte every 100 ms", Array(repeating: .drip(intervalMs: 100), count: 10), nil),
      ("drip once, then an answer", [.drip(intervalMs: 100)], nil),
      ("40 MB body", [.status(200, body: String(repeating: "x", count: 40 << 20))], nil),
    ]
    for offset in [0, 1, 7, 100, 290, 299, 300, 301] {
      let pad = String(repeating: "p", count: offset)
      rows.append(
        (
          "key echoed in a 400 at \(offset)",
          [.status(400, body: #"{"error": {"message": "\#(pad)\#(key) is bad"}}"#)], nil
        ))
      rows.append(("key echoed in an answer at \(offset)", [], pad + key))
    }
    return rows
  }()

  @Test("every fault ends in an answer or a clear error, within its bound, with no key in sight")
  func matrix() async throws {
    var lines = ["| fault | tries | seconds | outcome |", "| --- | --- | --- | --- |"]
    var leaks = 0
    for (name, faults, answer) in Self.rows {
      try await withLoopback { server, fixture in
        if let answer { server.setResponder { _ in ScriptedAnswer(answer) } }
        for fault in faults { server.inject(fault) }
        let provider = try fixture.provider(
          ProviderFixture.definition(
            .openai, server: server, apiKeyEnv: "KEY_VAR", timeout: 2, retries: 3),
          policy: RetryPolicy(initialBackoff: .milliseconds(50), maximumBackoff: .seconds(1)))
        let start = ContinuousClock.now
        var outcome: String
        do {
          let output = try await provider.complete(fixture.request())
          outcome = "answer: " + String(Redactor.scrub(output.output).prefix(40))
        } catch {
          outcome = "error: " + String(describing: error)
        }
        let seconds = (ContinuousClock.now - start).totalSeconds
        let characters = Array(Self.key)
        if (0...(characters.count - 8)).contains(where: {
          outcome.contains(String(characters[$0..<($0 + 8)]))
        }) {
          leaks += 1
        }
        let shown = outcome.replacingOccurrences(of: "|", with: "/").prefix(110)
        lines.append(
          "| \(name) | \(server.requestCount) | \(String(format: "%.2f", seconds)) | \(shown) |")
        #expect(seconds < 30, "\(name) took \(seconds) s")
      }
    }
    print(lines.joined(separator: "\n"))
    print("fault-matrix: \(Self.rows.count) faults, 0 crashes, 0 hangs, \(leaks) leaks")
    #expect(leaks == 0)
  }
}
