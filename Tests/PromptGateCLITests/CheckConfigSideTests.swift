import Foundation
import TestSupport
import Testing

/// `promptgate-check-config` checks the mapping against the side it reads: sources that match
/// nothing (a warning), pointers that name missing keys, colliding names, `files:` as the gate
/// reads them, numeric ranges, and diagnostics that stay short and located.
@Suite("promptgate-check-config at its side")
struct CheckConfigSideTests {
  @Test("a required source that matches nothing is a warning naming it; the check passes")
  func sourceMatchesNothing() throws {
    let repository = try ExampleProject.repository()
    try repository.remove("tools/support/lookup_order.json")
    let result = try repository.run("promptgate-check-config")
    result.expect(exit: 0)
    #expect(result.stdout == "promptgate.yaml: ok (1 behavior, 2 eval sets; 1 warning)\n")
    #expect(
      result.stderr.hasPrefix(
        "promptgate.yaml:5:17: warning: behaviors.support-agent.toolSchema: "
          + "'tools/support/*.json' matches nothing"), "\(result)")
    #expect(result.stderr.contains("optional: true"))
  }

  @Test("a pointer that names a missing key is an error at the source, with the keys there")
  func pointerToMissingKey() throws {
    let repository = try ExampleProject.repository()
    try repository.edit(
      "promptgate.yaml", replacing: "config/llm.yaml#/support/model",
      with: "config/llm.yaml#/support/modle")
    let result = try repository.run("promptgate-check-config")
    result.expect(exit: 2)
    #expect(result.stdout.isEmpty)
    #expect(
      result.stderr.hasPrefix(
        "promptgate.yaml:4:12: error: behaviors.support-agent.model: the pointer "
          + "'/support/modle' names nothing in config/llm.yaml"), "\(result)")
    #expect(result.stderr.contains("fix: did you mean 'model'?"))
    #expect(result.stderr.contains("'max_tokens'"))
  }

  @Test("behavior names that collide as environment variables are an error with the line")
  func environmentCollision() throws {
    let repository = try TemporaryRepository()
    try repository.write(
      "promptgate.yaml",
      "behaviors:\n  a-b:\n    model: {value: m}\n  a_b:\n    model: {value: m}\n")
    let result = try repository.run("promptgate-check-config")
    result.expect(exit: 2)
    #expect(result.stderr.hasPrefix("promptgate.yaml:4:3: error: behaviors 'a-b' and 'a_b'"))
    #expect(result.stderr.contains("PROMPTGATE_BEHAVIOR_ID_A_B"))
  }

  @Test(
    "a files: symlink the gate refuses is refused by check-config with the same message",
    arguments: ["../../outside.py", "missing.py", "lib"])
  func filesSymlink(target: String) throws {
    let fixture = try GateFixture(
      mapping: GateFixture.mapping().replacingOccurrences(
        of: "files: [evals/harness.py]", with: "files: [evals/harness.py, evals/link.py]"),
      files: ["evals/lib/helper.py": "x = 1\n"])
    try fixture.repository.symlink("evals/link.py", to: target)
    try fixture.repository.git("add", "-A")
    let check = try fixture.repository.run("promptgate-check-config", ["--staged"])
    check.expect(exit: 2)
    #expect(check.stderr.contains(":evals/link.py: error: is a symlink"), "\(check)")
    try fixture.breakRefund()
    try fixture.repository.git("add", "-A")
    let gate = try fixture.gate(["--staged", "--store", fixture.store])
    gate.expect(exit: 2)
    let message = { (text: String) in
      text.split(separator: "\n").first { $0.contains("is a symlink") }.map(String.init)
    }
    #expect(message(check.stderr) != nil)
    #expect(message(check.stderr) == message(gate.stderr), "\(check)\n\(gate)")
  }

  @Test(
    "a timeout that would trap is an error with its line, and the gate does not crash",
    arguments: ["9.3e9", "1e18"])
  func hugeTimeout(timeout: String) throws {
    let fixture = try GateFixture(
      mapping: GateFixture.mapping(
        provider: "harness: {type: exec, command: [python3, evals/harness.py], timeout: \(timeout)}"
      ))
    let check = try fixture.repository.run("promptgate-check-config")
    check.expect(exit: 2)
    #expect(check.stderr.hasPrefix("promptgate.yaml:6:"), "\(check)")
    #expect(check.stderr.contains("providers.harness.timeout must be a number greater than 0"))
    try fixture.breakRefund()
    try fixture.repository.git("add", "-A")
    try fixture.gate(["--staged", "--store", fixture.store]).expect(exit: 2)
  }

  @Test("a 5 MB value is quoted short, and 100,000 problems print 20 and a count")
  func longOutput() throws {
    let repository = try TemporaryRepository()
    let value = String(repeating: "v", count: 5_000_000)
    try repository.write(
      "promptgate.yaml",
      "behaviors:\n  bot:\n    model: {value: m}\nproviders:\n  p: {type: \(value)}\n")
    let huge = try repository.run("promptgate-check-config")
    huge.expect(exit: 2)
    #expect(huge.stderr.utf8.count < 2_000, "\(huge.stderr.utf8.count) bytes")
    #expect(huge.stderr.hasPrefix("promptgate.yaml:5:13: error: providers.p.type: unknown"))

    let keys = (0..<100_000).map { "k\($0): 1" }.joined(separator: "\n")
    try repository.write("promptgate.yaml", "behaviors:\n  bot:\n    model: {value: m}\n" + keys)
    let many = try repository.run("promptgate-check-config")
    many.expect(exit: 2)
    #expect(many.stderr.utf8.count < 10_000, "\(many.stderr.utf8.count) bytes")
    #expect(many.stderr.components(separatedBy: ": error: ").count - 1 == 20)
    #expect(many.stderr.hasSuffix("and 99980 more problems\n"))
  }

  @Test("bytes that are not UTF-8, and control characters, are located by line and column")
  func unreadableBytes() throws {
    let repository = try TemporaryRepository()
    try repository.write(
      "promptgate.yaml", bytes: Array("behaviors:\n  bot:\n    model: ".utf8) + [0xC3, 0x28])
    let binary = try repository.run("promptgate-check-config")
    binary.expect(exit: 2)
    #expect(binary.stderr.hasPrefix("promptgate.yaml:3:12: error: is not UTF-8 text"), "\(binary)")

    try repository.write("promptgate.yaml", "behaviors:\n  bot:\n    model: {value: m\u{1}}\n")
    let control = try repository.run("promptgate-check-config")
    control.expect(exit: 2)
    #expect(
      control.stderr.hasPrefix(
        "promptgate.yaml:3:21: error: cannot read YAML: control characters are not allowed"),
      "\(control)")

    let example = try ExampleProject.repository()
    try example.write(
      "config/retrieval.yaml", bytes: Array("support:\n  index: help".utf8) + [0xFF] + [0x0A])
    let policy = try example.run("promptgate-check-config")
    policy.expect(exit: 2)
    #expect(
      policy.stderr.hasPrefix("config/retrieval.yaml:2:14: error: is not UTF-8 text"), "\(policy)")

    let config = repository.container + "/other.yaml"
    FileManager.default.createFile(atPath: config, contents: Data([0x62, 0x0A, 0xFF]))
    let file = try repository.run("promptgate-check-config", ["--config", config])
    file.expect(exit: 2)
    #expect(file.stderr.hasPrefix(config + ":2:1: error: is not UTF-8 text"), "\(file)")
  }
}
