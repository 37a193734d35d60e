import PromptGateCore
import TestSupport
import Testing

/// Which eval sets a change selects, and why.
@Suite("Selection")
struct SelectionTests {
  private func reasons(_ selection: Selection, _ set: String) -> [String] {
    selection.evalSets.first { $0.evalSet == set }?.reasons.map(\.description) ?? []
  }

  @Test("a change that no fast set protects selects no fast set")
  func precision() throws {
    let repository = try ExampleProject.repository()
    try repository.edit("config/retrieval.yaml", replacing: "top_k: 5", with: "top_k: 8")
    let fast = try repository.selection(.revision("HEAD"), .workTree, tier: "fast")
    #expect(fast.evalSets.isEmpty)
    let any = try repository.selection(.revision("HEAD"), .workTree)
    #expect(any.evalSets.map(\.evalSet) == ["support-release"])
    #expect(reasons(any, "support-release") == ["support-agent.retrievalPolicy changed"])
  }

  @Test("nothing relevant changed: nothing selected")
  func nothing() throws {
    let repository = try ExampleProject.repository()
    try repository.write("README.md", "More words.\n")
    #expect(try repository.selection(.revision("HEAD"), .workTree).evalSets.isEmpty)
  }

  @Test("the union of reasons: each changed component that a set protects")
  func union() throws {
    let repository = try ExampleProject.repository()
    try repository.edit("config/llm.yaml", replacing: "gpt-4o-mini", with: "gpt-4o")
    try repository.edit("config/llm.yaml", replacing: "max_tokens: 1024", with: "max_tokens: 2048")
    try repository.write("prompts/support/system.md", "New prompt.\n")
    try repository.edit("config/retrieval.yaml", replacing: "top_k: 5", with: "top_k: 8")
    let selection = try repository.selection(.revision("HEAD"), .workTree)
    #expect(selection.evalSets.map(\.evalSet) == ["support-smoke", "support-release"])
    #expect(
      Set(reasons(selection, "support-smoke")) == [
        "support-agent.prompt changed", "support-agent.model changed",
        "support-agent.decoding.maxOutputTokens changed",
      ])
    #expect(
      Set(reasons(selection, "support-release")) == [
        "support-agent.prompt changed", "support-agent.model changed",
        "support-agent.decoding.maxOutputTokens changed",
        "support-agent.retrievalPolicy changed",
      ])
    let entry = try #require(selection.evalSets.first)
    #expect(entry.tier == "fast")
    #expect(entry.reasons.allSatisfy { $0.kind == .component && $0.behavior == "support-agent" })
  }

  @Test("a global file selects every eval set")
  func global() throws {
    let repository = try ExampleProject.repository()
    try repository.write("evals/lib/harness.py", "def run(case):\n    return 1\n")
    let selection = try repository.selection(.revision("HEAD"), .workTree)
    #expect(selection.evalSets.map(\.evalSet) == ["support-smoke", "support-release"])
    for entry in selection.evalSets {
      #expect(entry.reasons.map(\.kind) == [.global])
      #expect(entry.reasons.map(\.path) == ["evals/lib/harness.py"])
    }
  }

  @Test("an eval set whose cases or definition changed is selected")
  func ownChanges() throws {
    let repository = try ExampleProject.repository()
    try repository.write("evals/support/release.jsonl", "{\"input\": \"new case\"}\n")
    let cases = try repository.selection(.revision("HEAD"), .workTree)
    #expect(cases.evalSets.map(\.evalSet) == ["support-release"])
    #expect(cases.evalSets.first?.reasons.map(\.kind) == [.cases])
    #expect(cases.evalSets.first?.reasons.first?.path == "evals/support/release.jsonl")

    try repository.git("checkout", "--", "evals")
    try repository.write(
      "promptgate.yaml",
      ExampleProject.mapping.replacingOccurrences(
        of: "protects: {support-agent: [prompt, toolSchema, model, decoding]}",
        with: "protects: {support-agent: [prompt, model, decoding]}"))
    let definition = try repository.selection(.revision("HEAD"), .workTree)
    #expect(definition.evalSets.map(\.evalSet) == ["support-smoke"])
    #expect(definition.evalSets.first?.reasons.map(\.kind) == [.definition])
  }

  @Test("the tier filter keeps only sets of that tier")
  func tierFilter() throws {
    let repository = try ExampleProject.repository()
    try repository.edit("config/llm.yaml", replacing: "gpt-4o-mini", with: "gpt-4o")
    let release = try repository.selection(.revision("HEAD"), .workTree, tier: "release")
    #expect(release.evalSets.map(\.evalSet) == ["support-release"])
    let fast = try repository.selection(.revision("HEAD"), .workTree, tier: "fast")
    #expect(fast.evalSets.map(\.evalSet) == ["support-smoke"])
    let none = try repository.selection(.revision("HEAD"), .workTree, tier: "nightly")
    #expect(none.evalSets.isEmpty)
  }
}
