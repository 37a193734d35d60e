import Foundation
import TestSupport
import Testing

@Suite("promptgate-log")
struct LogCommandTests {
  static let mapping = """
    behaviors:
      agent:
        prompt: [prompts/agent/*.md]
        model: config/llm.yaml#/agent/model
        toolSchema: tools/*.json
      summarizer:
        prompt: [prompts/summarizer/*.md]
        model: {value: small-model}

    """

  static let everyComponent = [
    "prompt", "model", "toolSchema", "retrievalPolicy", "safetyPolicy", "decoding.temperature",
    "decoding.maxOutputTokens",
  ]

  /// A history with each kind of entry, and commits that change nothing a behavior reads.
  struct History {
    let repository: TemporaryRepository
    /// Both behaviors appear.
    let start: String
    /// Only README.md changes.
    let docs: String
    /// The agent's prompt changes.
    let agentPrompt: String
    /// An unselected key of the agent's YAML file changes.
    let unselectedKey: String
    /// The agent's only tool schema is deleted: the agent disappears.
    let toolsDeleted: String
    /// The summarizer's prompt and literal model change.
    let summarizer: String
    /// The tool schema comes back: the agent appears again.
    let toolsRestored: String
  }

  private func history() throws -> History {
    let repository = try TemporaryRepository()
    try repository.write("promptgate.yaml", Self.mapping)
    try repository.write("prompts/agent/system.md", "You are an agent.\n")
    try repository.write("prompts/summarizer/system.md", "Summarize.\n")
    try repository.write("config/llm.yaml", "agent:\n  model: gpt-4o\nlogging: info\n")
    try repository.write("tools/lookup.json", #"{"name": "lookup"}"#)
    let start = try repository.commit("Agent and summarizer")
    try repository.write("README.md", "Docs.\n")
    let docs = try repository.commit("Docs")
    try repository.write("prompts/agent/system.md", "You are a careful agent.\n")
    let agentPrompt = try repository.commit("Agent prompt")
    try repository.edit("config/llm.yaml", replacing: "logging: info", with: "logging: debug")
    let unselectedKey = try repository.commit("Logging level")
    try repository.remove("tools/lookup.json")
    let toolsDeleted = try repository.commit("Delete the tool schema")
    try repository.write("prompts/summarizer/system.md", "Summarize in one line.\n")
    try repository.edit("promptgate.yaml", replacing: "small-model", with: "medium-model")
    let summarizer = try repository.commit("Summarizer prompt and model")
    try repository.write("tools/lookup.json", #"{"name": "lookup"}"#)
    let toolsRestored = try repository.commit("Restore the tool schema")
    return History(
      repository: repository, start: start, docs: docs, agentPrompt: agentPrompt,
      unselectedKey: unselectedKey, toolsDeleted: toolsDeleted, summarizer: summarizer,
      toolsRestored: toolsRestored)
  }

  /// The entries of `promptgate-log --format json ARGUMENTS`, which must exit 0 with no warning
  /// and print the same with and without the history cache.
  private func entries(
    _ repository: TemporaryRepository, _ arguments: [String] = [],
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> [[String: Any]] {
    let result = try repository.runComparingHistoryCache(
      "promptgate-log", arguments + ["--format", "json"], sourceLocation: sourceLocation)
    result.expect(exit: 0, sourceLocation: sourceLocation)
    #expect(result.stderr.isEmpty, "\(result)", sourceLocation: sourceLocation)
    return try JSONOutput.objects(result.stdout, sourceLocation: sourceLocation)
  }

  /// An entry as a comparable line: commit, behavior, whether each id is null, changed components.
  private func summary(_ entry: [String: Any]) -> String {
    let commit = entry["commit"] as? String ?? "?"
    let behavior = entry["behavior"] as? String ?? "?"
    let previous = entry["previousId"] is NSNull ? "null" : "id"
    let id = entry["id"] is NSNull ? "null" : "id"
    let changed = (entry["changed"] as? [String])?.joined(separator: ",") ?? "?"
    return "\(commit) \(behavior) \(previous)->\(id) \(changed)"
  }

  @Test("one file set hashed whole and by body alone: a front-matter edit changes only the first")
  func bodyHashedSetInHistory() throws {
    let repository = try TemporaryRepository()
    try repository.write(
      "promptgate.yaml",
      """
      behaviors:
        whole:
          prompt: [prompts/*.prompty]
        body:
          prompt: {files: [prompts/*.prompty], hash: body}

      """)
    let prompt = "---\nmodel:\n  parameters:\n    temperature: 0.2\n---\nYou are helpful.\n"
    try repository.write("prompts/chat.prompty", prompt)
    try repository.commit("Start")
    try repository.edit("prompts/chat.prompty", replacing: "0.2", with: "0.7")
    let settings = try repository.commit("Front matter only")
    try repository.edit("prompts/chat.prompty", replacing: "helpful", with: "brief")
    let text = try repository.commit("Prompt text")
    // The walk updates each set from the files that changed: the two must never share a memo.
    let changes = try entries(repository).filter { $0["previousId"] as? String != nil }
      .map { "\($0["commit"] as? String ?? "?") \($0["behavior"] as? String ?? "?")" }
    #expect(changes.sorted() == ["\(settings) whole", "\(text) body", "\(text) whole"].sorted())
  }

  @Test("appearance, change and disappearance entries, newest first, in JSON of one shape")
  func entriesNewestFirst() throws {
    let history = try history()
    let all = try entries(history.repository)
    let every = Self.everyComponent.joined(separator: ",")
    let expected = [
      "\(history.toolsRestored) agent null->id \(every)",
      "\(history.summarizer) summarizer id->id prompt,model",
      "\(history.toolsDeleted) agent id->null \(every)",
      "\(history.agentPrompt) agent id->id prompt",
      "\(history.start) agent null->id \(every)",
      "\(history.start) summarizer null->id \(every)",
    ]
    // Newest commit first; the order of behaviors within one commit is not specified.
    #expect(all.map { $0["commit"] as? String ?? "?" } == expected.map { String($0.prefix(40)) })
    #expect(all.map(summary).sorted() == expected.sorted())
    for entry in all {
      #expect(Set(entry.keys) == ["commit", "behavior", "previousId", "id", "changed"])
      #expect((entry["commit"] as? String)?.count == 40)
      for key in ["previousId", "id"] where !(entry[key] is NSNull) {
        #expect((entry[key] as? String)?.hasPrefix("pgv1-") == true, "\(key): \(entry)")
      }
    }
    // Each entry starts from the id the behavior's previous entry left it at.
    for name in ["agent", "summarizer"] {
      let own = all.filter { $0["behavior"] as? String == name }
      for (newer, older) in zip(own, own.dropFirst()) {
        #expect(newer["previousId"] as? String == older["id"] as? String, "\(name)")
      }
    }
    // Commits that change nothing a behavior reads are not listed.
    let listed = Set(all.compactMap { $0["commit"] as? String })
    #expect(!listed.contains(history.docs))
    #expect(!listed.contains(history.unselectedKey))
  }

  @Test("every id equals what promptgate-version prints at that commit and at its parent")
  func idsMatchVersion() throws {
    let history = try history()
    for entry in try entries(history.repository) {
      let commit = try #require(entry["commit"] as? String)
      let behavior = try #require(entry["behavior"] as? String)
      let here = try history.repository.versionIDs(["--rev", commit])
      #expect(here[behavior] == entry["id"] as? String, "\(behavior) at \(commit)")
      if commit != history.start {
        let parent = try history.repository.versionIDs(["--rev", commit + "^"])
        #expect(parent[behavior] == entry["previousId"] as? String, "\(behavior) before \(commit)")
      }
    }
  }

  @Test("--reverse, --behavior, A..B and a single revision")
  func options() throws {
    let history = try history()
    let repository = history.repository
    let all = try entries(repository)
    #expect(try entries(repository, ["--reverse"]).map(summary) == all.reversed().map(summary))

    let summarizer = try entries(repository, ["--behavior", "summarizer"])
    #expect(
      summarizer.map(summary)
        == all.filter { $0["behavior"] as? String == "summarizer" }.map(summary))
    #expect(summarizer.count == 2)

    let range = try entries(repository, ["\(history.agentPrompt)..\(history.summarizer)"])
    #expect(range.map { $0["commit"] as? String } == [history.summarizer, history.toolsDeleted])
    let open = try entries(repository, ["\(history.toolsDeleted).."])
    #expect(open.map { $0["commit"] as? String } == [history.toolsRestored, history.summarizer])
    let upTo = try entries(repository, [history.agentPrompt])
    #expect(upTo.map(summary) == all.suffix(3).map(summary))
    #expect(try entries(repository, ["HEAD..HEAD"]).isEmpty)

    let text = try repository.runComparingHistoryCache("promptgate-log", ["--behavior", "agent"])
    text.expect(exit: 0)
    let lines = text.stdout.split(separator: "\n")
    let agent = all.filter { $0["behavior"] as? String == "agent" }
    #expect(lines.count == agent.count)
    for (line, entry) in zip(lines, agent) {
      #expect(line.hasPrefix(String((entry["commit"] as? String ?? "?").prefix(12)) + " agent "))
    }
  }

  /// A history with two merges: one that takes the topic's prompt unchanged, and one that
  /// resolves a conflict into new prompt content.
  private func mergeHistory() throws -> (TemporaryRepository, [String: String]) {
    let repository = try TemporaryRepository()
    var commits: [String: String] = [:]
    try repository.write("promptgate.yaml", "behaviors:\n  agent: {prompt: [prompts/*.md]}\n")
    try repository.write("prompts/system.md", "base\n")
    commits["base"] = try repository.commit("Base")
    try repository.git("checkout", "-q", "-b", "topic")
    try repository.write("prompts/system.md", "topic\n")
    commits["topic"] = try repository.commit("Topic prompt")
    try repository.git("checkout", "-q", "main")
    try repository.write("README.md", "docs\n")
    commits["docs"] = try repository.commit("Docs on main")
    try repository.git("merge", "-q", "--no-ff", "--no-commit", "topic")
    commits["clean merge"] = try repository.commit("Merge topic")

    try repository.git("checkout", "-q", "-b", "second")
    try repository.write("prompts/system.md", "second\n")
    commits["second"] = try repository.commit("Second prompt")
    try repository.git("checkout", "-q", "main")
    try repository.write("prompts/system.md", "main\n")
    commits["main"] = try repository.commit("Main prompt")
    let conflict = try repository.runProgram("git", ["merge", "-q", "second"])
    #expect(conflict.exitCode != 0, "the merge should conflict: \(conflict)")
    try repository.write("prompts/system.md", "resolved\n")
    commits["resolved merge"] = try repository.commit("Merge second, resolved")
    return (repository, commits)
  }

  @Test(
    "merges: one equal to a parent is listed only with --first-parent; a resolved conflict always")
  func merges() throws {
    let (repository, commits) = try mergeHistory()
    let name = Dictionary(uniqueKeysWithValues: commits.map { ($0.value, $0.key) })
    let all = try entries(repository).map { name[$0["commit"] as? String ?? ""] ?? "?" }
    #expect(all == ["resolved merge", "main", "second", "topic", "base"])
    let firstParent = try entries(repository, ["--first-parent"]).map {
      name[$0["commit"] as? String ?? ""] ?? "?"
    }
    #expect(firstParent == ["resolved merge", "main", "clean merge", "base"])
    // The resolved merge is compared with its first parent.
    let resolved = try #require(try entries(repository).first)
    #expect(
      resolved["previousId"] as? String
        == (try repository.versionIDs(["--rev", commits["main"]!]))["agent"])
    #expect(resolved["id"] as? String == (try repository.versionIDs(["--rev", "HEAD"]))["agent"])
  }

  @Test("an invalid mapping at an old commit: one warning naming it, and the walk goes on")
  func invalidMappingInHistory() throws {
    let repository = try TemporaryRepository()
    try repository.write(
      "promptgate.yaml", "behaviors:\n  agent: {prompt: [prompts/*.md], model: {value: m1}}\n")
    try repository.write("prompts/system.md", "one\n")
    let start = try repository.commit("Agent")
    try repository.write(
      "promptgate.yaml",
      "behaviors:\n  agent: {prompt: [prompts/*.md], model: {value: m1}, colour: red}\n")
    let broken = try repository.commit("Broken mapping")
    try repository.write(
      "promptgate.yaml", "behaviors:\n  agent: {prompt: [prompts/*.md], model: {value: m2}}\n")
    let fixed = try repository.commit("Fixed mapping, new model")
    try repository.write("prompts/system.md", "two\n")
    let prompt = try repository.commit("Prompt")

    let result = try repository.runComparingHistoryCache("promptgate-log", ["--format", "json"])
    result.expect(exit: 0)
    let warnings = result.stderr.split(separator: "\n").filter { $0.contains("warning") }
    #expect(warnings.count == 1, "\(result)")
    #expect(warnings.first?.contains(String(broken.prefix(7))) == true, "\(result)")
    #expect(!result.stderr.contains(String(start.prefix(7))))
    #expect(result.stderr.contains("colour"), "the warning should say what is wrong: \(result)")
    let listed = try JSONOutput.objects(result.stdout).map { $0["commit"] as? String }
    #expect(listed.first == prompt)
    #expect(listed.contains(fixed))
    #expect(listed.last == start)
    #expect(!listed.contains(broken))
  }

  @Test("an unborn HEAD prints nothing and exits 0")
  func unbornHead() throws {
    let repository = try TemporaryRepository()
    try repository.write("promptgate.yaml", "behaviors:\n  agent: {prompt: [prompts/*.md]}\n")
    let text = try repository.runComparingHistoryCache("promptgate-log")
    text.expect(exit: 0)
    #expect(text.stdout.isEmpty)
    #expect(text.stderr.isEmpty)
    #expect(try entries(repository).isEmpty)
  }
}
