import Foundation
import TestSupport
import Testing

@Suite("promptgate-version")
struct VersionCommandTests {
  static let tupleKeys: Set<String> = [
    "behavior", "id", "promptSha", "model", "toolSchemaSha", "retrievalPolicySha",
    "safetyPolicySha", "decoding",
  ]

  @Test("text names each behavior with its full id and every component")
  func text() throws {
    let repository = try ExampleProject.repository()
    let result = try repository.run("promptgate-version")
    result.expect(exit: 0)
    #expect(result.stderr.isEmpty)
    let lines = result.stdout.split(separator: "\n").map(String.init)
    let header = try #require(lines.first)
    #expect(header.hasPrefix("support-agent pgv1-"))
    #expect(header.count == "support-agent pgv1-".count + 64)
    for component in [
      "prompt", "model", "toolSchema", "retrievalPolicy", "safetyPolicy", "decoding.temperature",
      "decoding.maxOutputTokens",
    ] {
      #expect(lines.contains { $0.trimmingCharacters(in: .whitespaces).hasPrefix(component + " ") })
    }
    #expect(lines.contains { $0.contains("gpt-4o-mini") })
    let json = try JSONOutput.objects(
      try repository.run("promptgate-version", ["--format", "json"]).stdout)
    #expect(header.hasSuffix(try #require(json.first?["id"] as? String)))
  }

  @Test("json has exactly the tuple's keys, the id and the behavior's name")
  func json() throws {
    let repository = try ExampleProject.repository()
    let result = try repository.run("promptgate-version", ["--format", "json"])
    result.expect(exit: 0)
    #expect(result.stderr.isEmpty)
    let entries = try JSONOutput.objects(result.stdout)
    #expect(entries.count == 1)
    let entry = try #require(entries.first)
    #expect(Set(entry.keys) == Self.tupleKeys)
    let decoding = try #require(entry["decoding"] as? [String: Any])
    #expect(Set(decoding.keys) == ["temperature", "maxOutputTokens"])
    #expect(entry["behavior"] as? String == "support-agent")
    #expect(entry["model"] as? String == "gpt-4o-mini")
    #expect((decoding["temperature"] as? NSNumber)?.doubleValue == 0.2)
    #expect((decoding["maxOutputTokens"] as? NSNumber)?.intValue == 1024)
    for key in ["promptSha", "toolSchemaSha", "retrievalPolicySha", "safetyPolicySha"] {
      let digest = try #require(entry[key] as? String, "\(key)")
      #expect(digest.count == 64)
    }
    let id = try #require(entry["id"] as? String)
    #expect(id.hasPrefix("pgv1-"))
    #expect(id.dropFirst(5).allSatisfy { "0123456789abcdef".contains($0) })
  }

  @Test(
    "the id is pgv1- and the SHA-256 of the canonical form written by hand; absent fields are null")
  func golden() throws {
    let repository = try TemporaryRepository()
    try repository.write(
      "promptgate.yaml",
      "behaviors:\n  tiny:\n    model: {value: gpt-4o}\n    decoding: {temperature: 0.5}\n")
    try repository.commit("Tiny")
    let result = try repository.run("promptgate-version", ["--format", "json"])
    result.expect(exit: 0)
    let entry = try #require(try JSONOutput.objects(result.stdout).first)
    let canonical =
      #"{"decoding":{"maxOutputTokens":null,"temperature":0.5},"model":"gpt-4o","promptSha":null,"#
      + #""retrievalPolicySha":null,"safetyPolicySha":null,"schema":1,"toolSchemaSha":null}"#
    #expect(entry["id"] as? String == "pgv1-" + (try Subprocess.sha256(canonical)))
    #expect(entry["promptSha"] is NSNull)
    #expect(entry["safetyPolicySha"] is NSNull)
    #expect((entry["decoding"] as? [String: Any])?["maxOutputTokens"] is NSNull)
  }

  @Test("env prints one assignment per behavior that a shell can evaluate")
  func env() throws {
    let repository = try TemporaryRepository()
    try repository.write(
      "promptgate.yaml",
      """
      behaviors:
        support-agent: {model: {value: gpt-4o}}
        summarizer.v2: {model: {value: gpt-4o-mini}}
      """)
    try repository.commit("Two behaviors")
    let json = try JSONOutput.objects(
      try repository.run("promptgate-version", ["--format", "json"]).stdout)
    let ids = Dictionary(
      uniqueKeysWithValues: json.map {
        ($0["behavior"] as? String ?? "", $0["id"] as? String ?? "")
      })

    let result = try repository.run("promptgate-version", ["--format", "env"])
    result.expect(exit: 0)
    #expect(result.stderr.isEmpty)
    #expect(
      result.stdout.split(separator: "\n").sorted() == [
        "PROMPTGATE_BEHAVIOR_ID_SUMMARIZER_V2='\(ids["summarizer.v2"] ?? "?")'",
        "PROMPTGATE_BEHAVIOR_ID_SUPPORT_AGENT='\(ids["support-agent"] ?? "?")'",
      ])

    let single = try repository.run(
      "promptgate-version", ["--format", "env", "--behavior", "summarizer.v2"])
    single.expect(exit: 0)
    let shell = try repository.runProgram(
      "sh",
      [
        "-c",
        "eval \"$1\"; printf '%s\\n' \"$PROMPTGATE_BEHAVIOR_ID\" \"$PROMPTGATE_BEHAVIOR_ID_SUMMARIZER_V2\"",
        "sh", single.stdout,
      ])
    #expect(shell.stdout == "\(ids["summarizer.v2"] ?? "?")\n\(ids["summarizer.v2"] ?? "?")\n")
  }

  @Test("two behaviors with the same variable name are an error")
  func envCollision() throws {
    let repository = try TemporaryRepository()
    try repository.write(
      "promptgate.yaml",
      "behaviors:\n  a-b: {model: {value: x}}\n  a.b: {model: {value: y}}\n")
    try repository.commit("Colliding names")
    let result = try repository.run("promptgate-version", ["--format", "env"])
    result.expect(exit: 2)
    #expect(result.stdout.isEmpty)
    #expect(result.stderr.contains("PROMPTGATE_BEHAVIOR_ID_A_B"))
    #expect(result.stderr.contains("a-b"))
    #expect(result.stderr.contains("a.b"))
  }

  @Test("--behavior selects one behavior; an unknown name exits 2")
  func behaviorOption() throws {
    let repository = try ExampleProject.repository()
    let one = try repository.run(
      "promptgate-version", ["--behavior", "support-agent", "--format", "json"])
    one.expect(exit: 0)
    #expect(try JSONOutput.objects(one.stdout).count == 1)
    let unknown = try repository.run("promptgate-version", ["--behavior", "nobody"])
    unknown.expect(exit: 2)
    #expect(unknown.stdout.isEmpty)
    #expect(unknown.stderr.contains("nobody"))
    #expect(unknown.stderr.contains("support-agent"))
  }

  @Test("an absent behavior exits 2 naming the source")
  func absent() throws {
    let repository = try ExampleProject.repository()
    try repository.git("rm", "-q", "-r", "tools")
    try repository.commit("Remove the tools")
    let result = try repository.run("promptgate-version")
    result.expect(exit: 2)
    #expect(result.stderr.contains("support-agent"))
    #expect(result.stderr.contains("tools/support/*.json"))
    #expect(!result.stdout.contains("pgv1-"))
  }

  @Test("--rev, --staged and --worktree read their own side")
  func sides() throws {
    let repository = try ExampleProject.repository()
    let committed = try idOf(repository, [])
    try repository.write("prompts/support/system.md", "Staged prompt.\n")
    try repository.git("add", "-A")
    try repository.write("prompts/support/system.md", "Working prompt.\n")
    let staged = try idOf(repository, ["--staged"])
    let worktree = try idOf(repository, ["--worktree"])
    #expect(Set([committed, staged, worktree]).count == 3)
    #expect(try idOf(repository, ["--rev", "HEAD"]) == committed)
    try repository.git("add", "-A")
    try repository.commit("Working prompt")
    #expect(try idOf(repository, ["--rev", "HEAD"]) == worktree)
    #expect(try idOf(repository, ["--rev", "HEAD~1"]) == committed)
    let both = try repository.run("promptgate-version", ["--staged", "--worktree"])
    both.expect(exit: 2)
    #expect(both.stdout.isEmpty)
  }

  @Test("--staged reads the index GIT_INDEX_FILE names, absolute or relative")
  func indexFile() throws {
    let repository = try ExampleProject.repository()
    let committed = try idOf(repository, ["--staged"])
    try repository.git(["read-tree", "HEAD"], environment: ["GIT_INDEX_FILE": ".git/other-index"])
    try repository.write("prompts/support/system.md", "Only in the other index.\n")
    try repository.git(
      ["add", "prompts/support/system.md"], environment: ["GIT_INDEX_FILE": ".git/other-index"])
    let worktree = try idOf(repository, ["--worktree"])
    #expect(worktree != committed)
    #expect(try idOf(repository, ["--staged"]) == committed)
    #expect(
      try idOf(repository, ["--staged"], environment: ["GIT_INDEX_FILE": ".git/other-index"])
        == worktree)
    #expect(
      try idOf(
        repository, ["--staged"],
        environment: ["GIT_INDEX_FILE": repository.absolute(".git/other-index")]) == worktree)
  }

  @Test("no promptgate.yaml exits 2; --config applies to a commit that has none")
  func configOption() throws {
    let repository = try TemporaryRepository()
    try repository.write("prompts/system.md", "Hello.\n")
    try repository.commit("No mapping yet")
    let missing = try repository.run("promptgate-version")
    missing.expect(exit: 2)
    #expect(missing.stdout.isEmpty)
    #expect(missing.stderr.contains("promptgate.yaml"))

    let config = repository.container + "/adopt.yaml"
    try "behaviors:\n  agent: {prompt: [prompts/*.md]}\n".write(
      toFile: config, atomically: true, encoding: .utf8)
    let adopted = try repository.run("promptgate-version", ["--config", config, "--rev", "HEAD"])
    adopted.expect(exit: 0)
    #expect(adopted.stdout.hasPrefix("agent pgv1-"))

    // The same mapping committed gives the same id: --config changes nothing but where it is read.
    try repository.write("promptgate.yaml", "behaviors:\n  agent: {prompt: [prompts/*.md]}\n")
    try repository.commit("Adopt")
    #expect(
      try idOf(repository, []) == (try idOf(repository, ["--config", config, "--rev", "HEAD~1"])))
  }

  @Test("outside a repository, and with a revision that names nothing, exits 2")
  func badRepository() throws {
    let repository = try TemporaryRepository()
    let outside = try Executable.run(
      "promptgate-version", [], in: repository.home, environment: repository.environment)
    outside.expect(exit: 2)
    #expect(outside.stdout.isEmpty)
    #expect(outside.stderr.contains("not a git repository"))

    try repository.write("promptgate.yaml", "behaviors:\n  a: {model: {value: x}}\n")
    try repository.commit("Mapping")
    let bad = try repository.run("promptgate-version", ["--rev", "nosuch"])
    bad.expect(exit: 2)
    #expect(bad.stderr.contains("nosuch"))
  }

  /// The id of the only behavior `version` prints with `arguments`.
  private func idOf(
    _ repository: TemporaryRepository, _ arguments: [String],
    environment: [String: String] = [:], sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> String {
    let result = try repository.run(
      "promptgate-version", arguments + ["--format", "json"], environment: environment)
    result.expect(exit: 0, sourceLocation: sourceLocation)
    let entries = try JSONOutput.objects(result.stdout, sourceLocation: sourceLocation)
    return try #require(entries.first?["id"] as? String, sourceLocation: sourceLocation)
  }
}
