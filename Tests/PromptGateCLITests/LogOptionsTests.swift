import Foundation
import TestSupport
import Testing

/// `promptgate-log --behavior` with a name nothing defines, and `-n`/`--max-count`.
@Suite("promptgate-log options")
struct LogOptionsTests {
  /// Three commits: `agent` and `old` appear, `agent` changes, `old` leaves the mapping.
  private func repository() throws -> TemporaryRepository {
    let repository = try TemporaryRepository()
    try repository.write(
      "promptgate.yaml",
      "behaviors:\n  agent:\n    prompt: [prompts/*.md]\n  old:\n    model: {value: m}\n")
    try repository.write("prompts/system.md", "One.\n")
    try repository.commit("Start")
    try repository.write("prompts/system.md", "Two.\n")
    try repository.commit("Agent changes")
    try repository.write("promptgate.yaml", "behaviors:\n  agent:\n    prompt: [prompts/*.md]\n")
    try repository.commit("Old goes")
    return repository
  }

  @Test("--behavior with a name no commit defines exits 2 naming the defined behaviors")
  func unknownBehavior() throws {
    let repository = try repository()
    let result = try repository.runComparingHistoryCache("promptgate-log", ["--behavior", "nope"])
    result.expect(exit: 2)
    #expect(result.stdout.isEmpty)
    #expect(result.stderr.contains("no behavior named 'nope'"), "\(result)")
    #expect(result.stderr.contains("defined: agent, old"), "\(result)")

    // A behavior defined only earlier in the history is still a behavior to log.
    let old = try repository.runComparingHistoryCache("promptgate-log", ["--behavior", "old"])
    old.expect(exit: 0)
    #expect(old.stdout.split(separator: "\n").count == 2, "\(old)")
  }

  @Test("-n N and --max-count N print the N newest entries; --reverse prints those oldest first")
  func maxCount() throws {
    let repository = try repository()
    let all = try repository.runComparingHistoryCache("promptgate-log")
    all.expect(exit: 0)
    let lines = all.stdout.split(separator: "\n").map(String.init)
    #expect(lines.count == 4, "\(all)")

    let two = try repository.runComparingHistoryCache("promptgate-log", ["-n", "2"])
    two.expect(exit: 0)
    #expect(two.stdout.split(separator: "\n").map(String.init) == Array(lines.prefix(2)))

    let reversed = try repository.runComparingHistoryCache(
      "promptgate-log", ["--max-count", "2", "--reverse"])
    reversed.expect(exit: 0)
    #expect(
      reversed.stdout.split(separator: "\n").map(String.init) == Array(lines.prefix(2).reversed()))

    let json = try repository.runComparingHistoryCache(
      "promptgate-log", ["-n", "1", "--format", "json"])
    json.expect(exit: 0)
    #expect(try JSONOutput.objects(json.stdout).count == 1)
  }

  @Test("-n takes 1 or more", arguments: ["0", "-1"])
  func maxCountAtLeastOne(value: String) throws {
    let repository = try repository()
    let result = try repository.runComparingHistoryCache("promptgate-log", ["--max-count=\(value)"])
    result.expect(exit: 2)
    #expect(result.stdout.isEmpty)
    #expect(result.stderr.contains("--max-count"), "\(result)")
  }
}
