import Foundation
import TestSupport
import Testing

@Suite("promptgate-check-config")
struct CheckConfigCommandTests {
  @Test("a valid mapping prints one line and exits 0")
  func valid() throws {
    let repository = try ExampleProject.repository()
    let result = try repository.run("promptgate-check-config")
    result.expect(exit: 0)
    #expect(result.stdout == "promptgate.yaml: ok (1 behavior, 2 eval sets)\n")
    #expect(result.stderr.isEmpty)
  }

  @Test("an invalid mapping exits 2 with FILE:LINE:COL: error: on stderr and nothing on stdout")
  func invalid() throws {
    let repository = try ExampleProject.repository()
    try repository.write(
      "promptgate.yaml",
      ExampleProject.mapping.replacingOccurrences(
        of: "    toolSchema: tools/support/*.json", with: "    toolSchema: /tools/support/*.json"))
    let result = try repository.run("promptgate-check-config")
    result.expect(exit: 2)
    #expect(result.stdout.isEmpty)
    // Line 5, column 17: where `/tools/support/*.json` starts.
    #expect(result.stderr.hasPrefix("promptgate.yaml:5:17: error: "))
    #expect(result.stderr.contains("behaviors.support-agent.toolSchema"))
    #expect(result.stderr.contains("fix:"))
  }

  @Test("every problem is listed, one per line with its location")
  func several() throws {
    let repository = try TemporaryRepository()
    try repository.write(
      "promptgate.yaml",
      """
      behaviors:
        agent:
          promt: [prompts/*.md]
          decoding: {maxOutputTokens: 1024.5}
      colour: blue
      """)
    let result = try repository.run("promptgate-check-config")
    result.expect(exit: 2)
    #expect(result.stdout.isEmpty)
    let locations = result.stderr.split(separator: "\n").filter { $0.contains(": error: ") }
      .map { $0.prefix { $0 != " " } }
    #expect(locations == ["promptgate.yaml:3:5:", "promptgate.yaml:4:33:", "promptgate.yaml:5:1:"])
  }

  @Test("--staged checks the index's mapping, --rev a commit's, --config a file")
  func sides() throws {
    let repository = try ExampleProject.repository()
    try repository.write("promptgate.yaml", "behaviors:\n  agent:\n    modle: {value: x}\n")
    try repository.git("add", "promptgate.yaml")
    try repository.write("promptgate.yaml", ExampleProject.mapping)

    let worktree = try repository.run("promptgate-check-config")
    worktree.expect(exit: 0)
    let staged = try repository.run("promptgate-check-config", ["--staged"])
    staged.expect(exit: 2)
    #expect(staged.stderr.contains(":3:5: error: "))
    #expect(staged.stderr.contains("modle"))
    let committed = try repository.run("promptgate-check-config", ["--rev", "HEAD"])
    committed.expect(exit: 0)

    let config = repository.container + "/other.yaml"
    try "behaviors: []\n".write(toFile: config, atomically: true, encoding: .utf8)
    let file = try repository.run("promptgate-check-config", ["--config", config])
    file.expect(exit: 2)
    #expect(file.stderr.hasPrefix(config + ":1:"))
    #expect(file.stdout.isEmpty)
  }

  @Test("no mapping at all exits 2")
  func missing() throws {
    let repository = try TemporaryRepository()
    let result = try repository.run("promptgate-check-config")
    result.expect(exit: 2)
    #expect(result.stdout.isEmpty)
    #expect(result.stderr.contains("promptgate.yaml"))
  }
}
