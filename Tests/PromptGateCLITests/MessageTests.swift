import Foundation
import TestSupport
import Testing

/// How commands read: help at 80 columns, and the lines for behaviors that are absent.
@Suite("messages")
struct MessageTests {
  /// Every command and subcommand with help of its own: the executable and its arguments.
  static let helpCommands: [[String]] = [
    ["promptgate-version"], ["promptgate-diff"], ["promptgate-select"], ["promptgate-log"],
    ["promptgate-check-config"], ["promptgate-gate"], ["promptgate-gate", "merge"],
    ["promptgate-store"], ["promptgate-store", "prune"], ["promptgate-store", "path"],
    ["promptgate-release"], ["promptgate-release", "run"], ["promptgate-release", "list"],
    ["promptgate-release", "show"], ["promptgate-install-hooks"], ["promptgate-hook"],
  ]

  @Test(
    "--help fits 80 columns and its discussion breaks lines only where a word would not fit",
    arguments: helpCommands)
  func helpReadsWell(command: [String]) throws {
    let repository = try TemporaryRepository()
    let result = try repository.run(
      command[0], Array(command.dropFirst()) + ["--help"], environment: ["COLUMNS": "80"])
    result.expect(exit: 0)
    let lines = result.stdout.components(separatedBy: "\n")
    for line in lines {
      #expect(line.count <= 80, "longer than 80 columns: \(line)")
    }
    // Above USAGE is the abstract and the discussion, which the parser wraps to 79 columns: a
    // line that could have taken the next line's first word was broken by hand, mid-sentence.
    let prose = lines.prefix { !$0.hasPrefix("USAGE:") }
    for (line, next) in zip(prose, prose.dropFirst()) {
      let nextTrimmed = next.drop { $0 == " " }
      guard !line.isEmpty, !nextTrimmed.isEmpty, !nextTrimmed.hasPrefix("-"),
        let word = nextTrimmed.split(separator: " ").first
      else { continue }
      #expect(
        line.count + 1 + word.count > 79,
        "broken mid-sentence in \(command.joined(separator: " ")) --help:\n\(line)\n\(next)")
    }
  }

  @Test("version with every behavior absent prints nothing on stdout and says why on stderr")
  func versionAllAbsent() throws {
    let repository = try TemporaryRepository()
    try repository.write("promptgate.yaml", "behaviors:\n  bot:\n    prompt: [prompts/*.md]\n")
    try repository.commit("Mapping only")
    for format in ["text", "env"] {
      let result = try repository.run("promptgate-version", ["--format", format])
      result.expect(exit: 2)
      #expect(result.stdout.isEmpty, "\(result)")
      #expect(result.stderr.contains("behavior 'bot' is absent at HEAD"), "\(result)")
    }
    let json = try repository.run("promptgate-version", ["--format", "json"])
    json.expect(exit: 2)
    #expect(json.stdout == "[]\n")
  }

  @Test("diff of a behavior absent at both sides whose definition changed says so")
  func diffAbsentBothSides() throws {
    let repository = try TemporaryRepository()
    try repository.write(
      "promptgate.yaml", "behaviors:\n  bot:\n    prompt: [prompts/*.md]\n    model: {value: a}\n")
    try repository.commit("Mapping only")
    try repository.write(
      "promptgate.yaml", "behaviors:\n  bot:\n    prompt: [prompts/*.md]\n    model: {value: b}\n")
    try repository.git("add", "-A")
    let result = try repository.run("promptgate-diff", ["--staged"])
    result.expect(exit: 0)
    #expect(
      result.stdout.hasPrefix("bot: definition changed in the mapping, absent at both sides"),
      "\(result)")
    #expect(!result.stdout.contains("unchanged absent"))
  }
}
