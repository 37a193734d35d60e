import GitKit
import PromptGateCore
import TestSupport
import Testing

/// Semantic diffs between sides, through the library.
@Suite("ChangeDetector")
struct ChangeDetectorTests {
  @Test("commit to commit: files modified, added, removed and renamed are listed")
  func fileChanges() throws {
    let repository = try ExampleProject.repository()
    let first = try repository.head()
    try repository.write("prompts/support/system.md", "You are a support agent.\nBe kind.\n")
    try repository.write("prompts/support/examples/shipping.md", "Q: Shipping?\nA: 3 days.\n")
    try repository.git("mv", "prompts/support/examples/refund.md", "prompts/support/refund.md")
    try repository.write("tools/support/cancel_order.json", #"{"name": "cancel_order"}"#)
    try repository.remove("tools/support/lookup_order.json")
    let second = try repository.commit("Rework prompts and tools")

    let changes = try repository.changes(.revision(first), .revision(second))
    #expect(changes.hasChanges)
    #expect(changes.base.commit == first)
    #expect(changes.head.commit == second)
    let agent = try changes.behavior("support-agent")
    #expect(agent.status == .changed)
    #expect(agent.changed == [.prompt, .toolSchema])
    #expect(agent.previousId != agent.id)
    let prompt = try #require(try agent.component(.prompt).files)
    #expect(prompt.modified == ["prompts/support/system.md"])
    #expect(prompt.added == ["prompts/support/examples/shipping.md"])
    #expect(prompt.renamed.map(\.from) == ["prompts/support/examples/refund.md"])
    #expect(prompt.renamed.map(\.to) == ["prompts/support/refund.md"])
    #expect(prompt.removed.isEmpty)
    let tools = try #require(try agent.component(.toolSchema).files)
    #expect(tools.added == ["tools/support/cancel_order.json"])
    #expect(tools.removed == ["tools/support/lookup_order.json"])
    #expect(try agent.component(.toolSchema).old != (try agent.component(.toolSchema).new))
  }

  @Test("HEAD to the index: a value component shows its old and new value")
  func stagedValueChange() throws {
    let repository = try ExampleProject.repository()
    try repository.edit("config/llm.yaml", replacing: "gpt-4o-mini", with: "gpt-4o")
    try repository.write("prompts/support/system.md", "unstaged edit\n")
    try repository.git("add", "config/llm.yaml")

    let changes = try repository.changes(.revision("HEAD"), .index)
    let agent = try changes.behavior("support-agent")
    #expect(agent.changed == [.model])
    let model = try agent.component(.model)
    #expect(model.old == .string("gpt-4o-mini"))
    #expect(model.new == .string("gpt-4o"))
    #expect(changes.head.description == "the index")
    #expect(changes.head.commit == nil)
  }

  @Test("the index to the working tree, and a revision to the working tree")
  func workTreeForms() throws {
    let repository = try ExampleProject.repository()
    try repository.edit("config/retrieval.yaml", replacing: "top_k: 5", with: "top_k: 8")
    try repository.git("add", "-A")
    try repository.write("prompts/support/system.md", "unstaged edit\n")

    let unstaged = try repository.changes(.index, .workTree)
    #expect(try unstaged.behavior("support-agent").changed == [.prompt])

    let all = try repository.changes(.revision("HEAD"), .workTree)
    let agent = try all.behavior("support-agent")
    #expect(agent.changed == [.prompt, .retrievalPolicy])
    let retrieval = try agent.component(.retrievalPolicy)
    #expect(retrieval.values?.map(\.pointer) == ["/top_k"])
    #expect(retrieval.values?.first?.old == .number(5))
    #expect(retrieval.values?.first?.new == .number(8))
  }

  @Test("from the merge-base: only the branch's own changes")
  func mergeBase() throws {
    let repository = try ExampleProject.repository()
    let base = try repository.head()
    try repository.git("checkout", "-q", "-b", "topic")
    try repository.write("prompts/support/system.md", "Topic prompt.\n")
    let topic = try repository.commit("Topic: new prompt")
    try repository.git("checkout", "-q", "main")
    try repository.edit("config/llm.yaml", replacing: "temperature: 0.2", with: "temperature: 0.9")
    try repository.commit("Main: warmer")

    let git = try Repository(discoveringFrom: repository.path)
    let found = try git.mergeBase(try git.resolveCommit("main"), try git.resolveCommit("topic"))
    #expect(found.hex == base)
    let branchOnly = try repository.changes(.revision(found.hex), .revision("topic"))
    #expect(try branchOnly.behavior("support-agent").changed == [.prompt])
    let direct = try repository.changes(.revision("main"), .revision(topic))
    #expect(try direct.behavior("support-agent").changed == [.prompt, .temperature])
    let temperature = try direct.behavior("support-agent").component(.temperature)
    #expect(temperature.old == .number(0.9))
    #expect(temperature.new == .number(0.2))
  }

  @Test("an unrelated change is no change")
  func noChange() throws {
    let repository = try ExampleProject.repository()
    try repository.write("README.md", "Changed readme.\n")
    try repository.write(
      "config/llm.yaml", try repository.read("config/llm.yaml") + "extra: {ignored: true}\n")
    try repository.commit("Unrelated")
    let changes = try repository.changes(.revision("HEAD~1"), .revision("HEAD"))
    #expect(!changes.hasChanges)
    #expect(try changes.behavior("support-agent").status == .unchanged)
    #expect(changes.evalSets.isEmpty)
    #expect(changes.global.isEmpty)
  }

  @Test("a behavior that appears or disappears")
  func appearAndDisappear() throws {
    let repository = try ExampleProject.repository()
    try repository.write(
      "promptgate.yaml",
      ExampleProject.mapping.replacingOccurrences(
        of: "evalSets:",
        with:
          "  summarizer:\n    prompt: [prompts/summarizer/*.md]\n    model: {value: gpt-4o}\nevalSets:"
      ))
    try repository.write("prompts/summarizer/system.md", "Summarize.\n")
    try repository.commit("Add the summarizer")
    let added = try repository.changes(.revision("HEAD~1"), .revision("HEAD"))
    let summarizer = try added.behavior("summarizer")
    #expect(summarizer.status == .added)
    #expect(summarizer.previousId == nil)
    #expect(summarizer.id != nil)
    #expect(summarizer.definitionChanged)
    #expect(try added.behavior("support-agent").status == .unchanged)

    try repository.remove("prompts/summarizer/system.md")
    let vanished = try repository.changes(.revision("HEAD"), .workTree)
    let gone = try vanished.behavior("summarizer")
    #expect(gone.status == .removed)
    #expect(gone.id == nil)
    #expect(gone.absence?.contains("prompts/summarizer/*.md") == true)
    #expect(!gone.definitionChanged)
  }

  @Test("a mapping change that alters a behavior's definition is reported, even with the same id")
  func definitionChange() throws {
    let repository = try ExampleProject.repository()
    try repository.write(
      "promptgate.yaml",
      ExampleProject.mapping.replacingOccurrences(
        of: "model: config/llm.yaml#/support/model", with: "model: {value: gpt-4o-mini}"))
    let changes = try repository.changes(.revision("HEAD"), .workTree)
    let agent = try changes.behavior("support-agent")
    #expect(agent.status == .unchanged)
    #expect(agent.previousId == agent.id)
    #expect(agent.definitionChanged)
    #expect(agent.isChange)
    #expect(changes.hasChanges)
  }

  @Test(
    "a definition rewritten in another form that means the same is no change; a changed flag is"
  )
  func definitionRewritten() throws {
    let repository = try ExampleProject.repository()
    // The same sources and order of meaning, written differently and on other lines: a list of
    // one pattern as the pattern, a short pointer in its long form, the keys reordered.
    let rewritten = ExampleProject.mapping
      .replacingOccurrences(
        of: "prompt: [prompts/support/**/*.md]                 # file globs: a file set",
        with: "toolSchema: [tools/support/*.json]\n    prompt: {files: prompts/support/**/*.md}"
      )
      .replacingOccurrences(of: "    toolSchema: tools/support/*.json\n", with: "")
      .replacingOccurrences(
        of: "model: config/llm.yaml#/support/model",
        with: "model: {file: config/llm.yaml, pointer: /support/model}")
    #expect(rewritten != ExampleProject.mapping)
    try repository.write("promptgate.yaml", "# rewritten\n" + rewritten)
    let same = try repository.changes(.revision("HEAD"), .workTree).behavior("support-agent")
    #expect(same.status == .unchanged)
    #expect(!same.definitionChanged)
    #expect(!same.isChange)

    try repository.write(
      "promptgate.yaml",
      rewritten.replacingOccurrences(
        of: "{files: [policies/safety.md], optional: true}", with: "[policies/safety.md]"))
    let flagged = try repository.changes(.revision("HEAD"), .workTree).behavior("support-agent")
    #expect(flagged.definitionChanged)
  }

  @Test("an eval set's cases and definition changes are reported")
  func evalSetChanges() throws {
    let repository = try ExampleProject.repository()
    try repository.write(
      "evals/support/smoke.jsonl",
      try repository.read("evals/support/smoke.jsonl") + "{\"input\": \"hi\"}\n")
    try repository.write(
      "promptgate.yaml",
      ExampleProject.mapping.replacingOccurrences(of: "tier: release", with: "tier: nightly"))
    let changes = try repository.changes(.revision("HEAD"), .workTree)
    #expect(changes.hasChanges)
    let smoke = try #require(changes.evalSets.first { $0.evalSet == "support-smoke" })
    #expect(smoke.kinds == [.cases])
    #expect(smoke.paths == ["evals/support/smoke.jsonl"])
    let release = try #require(changes.evalSets.first { $0.evalSet == "support-release" })
    #expect(release.kinds == [.definition])
    #expect(try changes.behavior("support-agent").isChange == false)
  }

  @Test("a global file change is reported")
  func globalChange() throws {
    let repository = try ExampleProject.repository()
    try repository.write("evals/lib/harness.py", "def run(case):\n    return None\n")
    try repository.write("evals/lib/scoring.py", "def score():\n    pass\n")
    let changes = try repository.changes(.revision("HEAD"), .workTree)
    #expect(changes.global.modified == ["evals/lib/harness.py"])
    #expect(changes.global.added == ["evals/lib/scoring.py"])
    #expect(changes.hasChanges)
    #expect(try changes.behavior("support-agent").isChange == false)
  }

  @Test("before the first commit, HEAD is an empty side and every behavior appears")
  func unbornHead() throws {
    let repository = try TemporaryRepository()
    try ExampleProject.write(to: repository)
    try repository.git("add", "-A")
    let changes = try repository.changes(.revision("HEAD"), .index)
    let agent = try changes.behavior("support-agent")
    #expect(agent.status == .added)
    #expect(agent.previousId == nil)
    #expect(agent.id == (try repository.version("support-agent", at: .index)).id)
    #expect(Set(changes.evalSets.map(\.evalSet)) == ["support-smoke", "support-release"])
    #expect(changes.evalSets.allSatisfy { $0.kinds == [.added] })
  }

  @Test("neither side having a mapping is an error")
  func noMapping() throws {
    let repository = try TemporaryRepository()
    try repository.write("README.md", "nothing\n")
    try repository.commit("No mapping")
    let error = try #require(throws: Diagnostic.self) {
      try repository.changes(.revision("HEAD"), .workTree)
    }
    #expect(error.message.contains("promptgate.yaml"))
  }

  @Test("--config applies one mapping to every side, including commits without one")
  func configOverride() throws {
    let repository = try TemporaryRepository()
    try repository.write("prompts/system.md", "v1\n")
    try repository.commit("v1")
    try repository.write("prompts/system.md", "v2\n")
    try repository.commit("v2")
    let config = repository.container + "/mapping.yaml"
    try "behaviors:\n  agent: {prompt: [prompts/*.md]}\n".write(
      toFile: config, atomically: true, encoding: .utf8)
    let workspace = try repository.workspace(config: config)
    let (old, new) = try workspace.states(.revision("HEAD~1"), .revision("HEAD"))
    let changes = try ChangeDetector.compare(old, new)
    let agent = try changes.behavior("agent")
    #expect(agent.status == .changed)
    #expect(agent.changed == [.prompt])
  }
}
