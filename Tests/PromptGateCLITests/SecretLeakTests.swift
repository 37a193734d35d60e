import Foundation
import PromptGateCore
import TestSupport
import Testing

/// A key reaches the Authorization header and nothing else: not stdout, stderr, a report or the
/// result store, even when a server echoes it or an error message is cut in the middle of it.
@Suite("Secrets never leave the process")
struct SecretLeakTests {
  static let secret = "sk-leak-test-QWERTYUIOPASDFGH"

  /// Every piece of 8 or more characters of the secret.
  static func leaks(_ text: String) -> Bool {
    let characters = Array(secret)
    for length in 8...characters.count {
      for start in 0...(characters.count - length)
      where text.contains(String(characters[start..<(start + length)])) {
        return true
      }
    }
    return false
  }

  @Test("a piece of a key left at the edge of a cut is redacted; whole keys everywhere")
  func edges() {
    let cut = "error: invalid key " + String(Self.secret.prefix(20))
    #expect(!Self.leaks(Redactor.scrub(cut, secrets: [Self.secret])))
    let start = String(Self.secret.suffix(12)) + " was refused"
    #expect(!Self.leaks(Redactor.scrub(start, secrets: [Self.secret])))
    let whole = "a \(Self.secret) b \(Self.secret)"
    #expect(Redactor.scrub(whole, secrets: [Self.secret]) == "a [redacted] b [redacted]")
    #expect(
      Redactor.scrub("an ordinary sentence", secrets: [Self.secret]) == "an ordinary sentence")
  }

  @Test("a gateway that echoes the key in an answer, and an error that straddles the cut")
  func echoedKey() throws {
    let server = try LoopbackLLMServer { request in
      ScriptedAnswer("Your key is \(Self.secret), and: \(request.user ?? "")")
    }
    defer { server.stop() }
    let fixture = try GateFixture(
      mapping: GateProviderTests.mapping(type: "openai", baseURL: server.openAIBaseURL))
    try fixture.breakRefund()
    let head = try fixture.repository.commit("Store credit only")
    let reports = fixture.repository.container
    let environment = ["GATE_TEST_KEY": Self.secret]
    let result = try fixture.gate(
      [
        "\(fixture.baseline)..\(head)", "--store", fixture.store, "--format", "json",
        "--report", "junit=\(reports)/junit.xml", "--report", "markdown=\(reports)/summary.md",
        "--report", "json=\(reports)/report.json",
      ], environment: environment)
    #expect(result.exitCode == 0 || result.exitCode == 1, "\(result)")
    #expect(result.stdout.contains("[redacted]"))
    #expect(!Self.leaks(result.stdout) && !Self.leaks(result.stderr))
    for name in ["junit.xml", "summary.md", "report.json"] {
      #expect(
        !Self.leaks(try String(contentsOfFile: "\(reports)/\(name)", encoding: .utf8)), "\(name)")
    }
    let stored = try FileManager.default.subpathsOfDirectory(atPath: fixture.store)
      .filter { $0.hasSuffix(".json") }
    #expect(!stored.isEmpty)
    for path in stored {
      let text = try String(contentsOfFile: fixture.store + "/" + path, encoding: .utf8)
      #expect(!Self.leaks(text), "\(path)")
    }

    // An error body of 300 characters and more with the key across the cut.
    let padding = String(repeating: "x", count: 285)
    server.inject(
      .status(400, body: #"{"error": {"message": "\#(padding) \#(Self.secret) rejected"}}"#),
      count: 100)
    let failed = try fixture.gate(
      ["\(fixture.baseline)..\(head)", "--refresh", "--store", fixture.store, "--format", "json"],
      environment: environment)
    failed.expect(exit: 3)
    #expect(!Self.leaks(failed.stdout) && !Self.leaks(failed.stderr), "\(failed)")
  }
}
