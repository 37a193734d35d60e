import Foundation
import TestSupport
import Testing

/// A child that does not read what it is given, and a reader that stops reading: neither ends a
/// command with SIGPIPE.
@Suite("Broken pipes")
struct BrokenPipeTests {
  /// Answers every case without reading its standard input.
  static let deafHarness = """
    import sys
    print("Hello, we offer a full refund and ship in two days.")

    """

  @Test("a harness that never reads a case larger than a pipe's buffer still gives its answer")
  func harnessThatDoesNotRead() throws {
    let big = String(repeating: "x", count: 200_000)
    let cases =
      ["greeting", "refund", "shipping"].map { id in
        "{\"id\": \"\(id)\", \"vars\": {\"topic\": \"\(id)\", \"padding\": \"\(big)\"}, "
          + "\"assert\": [{\"type\": \"icontains\", \"value\": \"refund\"}]}"
      }.joined(separator: "\n") + "\n"
    let mapping = GateFixture.mapping(
      provider: "harness: {type: exec, command: [python3, evals/deaf.py], timeout: 20}"
    ).replacingOccurrences(of: "files: [evals/harness.py]", with: "files: [evals/deaf.py]")
    let fixture = try GateFixture(
      mapping: mapping, files: ["evals/smoke.jsonl": cases, "evals/deaf.py": Self.deafHarness])
    try fixture.repository.write("prompts/system.md", GateFixture.prompt + "tone: warm\n")
    let head = try fixture.repository.commit("Warmer")
    let result = try fixture.gate(["\(fixture.baseline)..\(head)", "--store", fixture.store])
    result.expect(exit: 0)
    #expect(result.stdout.contains("head 3/3 passed"), "\(result)")
  }

  @Test("`promptgate log` into a reader that has gone away ends quietly, as git does")
  func readerThatStops() throws {
    let fixture = try GateFixture()
    for index in 0..<5 {
      try fixture.repository.write("prompts/system.md", GateFixture.prompt + "n: \(index)\n")
      try fixture.repository.commit("Edit \(index)")
    }
    let log = try Executable.path("promptgate-log")
    // The reader closes its end at once, so every write of the log meets a broken pipe.
    let result = try fixture.repository.runProgram(
      "/bin/bash", ["-c", "'\(log)' | { exec 0<&-; sleep 0.3; }; echo ${PIPESTATUS[0]}"])
    #expect(result.exitCode == 0)
    #expect(result.stderr.isEmpty, "\(result)")
    let status = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    #expect(status == "141" || status == "0", "\(result)")
  }
}
