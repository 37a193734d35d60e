import Foundation
import TestSupport
import Testing

@Suite("promptgate-diff")
struct DiffCommandTests {
  /// The example with a second commit that changes the support model.
  private func repositoryWithModelChange() throws -> TemporaryRepository {
    let repository = try ExampleProject.repository()
    try repository.edit("config/llm.yaml", replacing: "gpt-4o-mini", with: "gpt-4o")
    try repository.commit("Move to gpt-4o")
    return repository
  }

  @Test("--exit-code exits 1 when something changed and 0 when nothing did")
  func exitCode() throws {
    let repository = try repositoryWithModelChange()
    let changed = try repository.run("promptgate-diff", ["HEAD~1", "HEAD", "--exit-code"])
    changed.expect(exit: 1)
    #expect(changed.stderr.isEmpty)
    #expect(changed.stdout.contains("support-agent: changed"))
    #expect(changed.stdout.contains("model: gpt-4o-mini -> gpt-4o"))

    let plain = try repository.run("promptgate-diff", ["HEAD~1", "HEAD"])
    plain.expect(exit: 0)
    #expect(plain.stdout == changed.stdout)

    try repository.write("README.md", "Unrelated edit.\n")
    try repository.commit("Docs")
    let unchanged = try repository.run("promptgate-diff", ["HEAD~1", "HEAD", "--exit-code"])
    unchanged.expect(exit: 0)
    #expect(unchanged.stdout.isEmpty)
    #expect(unchanged.stderr.isEmpty)
  }

  @Test("--format json parses and describes the change")
  func json() throws {
    let repository = try repositoryWithModelChange()
    let result = try repository.run("promptgate-diff", ["HEAD~1..HEAD", "--format", "json"])
    result.expect(exit: 0)
    #expect(result.stderr.isEmpty)
    let document = try JSONOutput.object(result.stdout)
    #expect(document["changed"] as? Bool == true)
    let behaviors = try #require(document["behaviors"] as? [[String: Any]])
    let agent = try #require(behaviors.first { $0["behavior"] as? String == "support-agent" })
    #expect(agent["status"] as? String == "changed")
    #expect(agent["changed"] as? [String] == ["model"])
    let components = try #require(agent["components"] as? [[String: Any]])
    let model = try #require(components.first)
    #expect(model["component"] as? String == "model")
    #expect(model["old"] as? String == "gpt-4o-mini")
    #expect(model["new"] as? String == "gpt-4o")
    #expect((agent["previousId"] as? String)?.hasPrefix("pgv1-") == true)
    #expect(agent["previousId"] as? String != agent["id"] as? String)
    #expect(document["base"] != nil)
    #expect(document["head"] != nil)
    #expect(document["evalSets"] is [Any])
    #expect(document["global"] is [String: Any])
  }

  @Test("A...B compares from the merge-base")
  func mergeBase() throws {
    let repository = try ExampleProject.repository()
    try repository.git("checkout", "-q", "-b", "topic")
    try repository.write("prompts/support/system.md", "Topic prompt.\n")
    try repository.commit("Topic prompt")
    try repository.git("checkout", "-q", "main")
    try repository.write("tools/support/lookup_order.json", #"{"name": "lookup_order_v2"}"#)
    try repository.commit("Main tools")
    let threeDots = try repository.run("promptgate-diff", ["main...topic", "--format", "json"])
    threeDots.expect(exit: 0)
    let agent = try #require(
      (try JSONOutput.object(threeDots.stdout)["behaviors"] as? [[String: Any]])?.first)
    #expect(agent["changed"] as? [String] == ["prompt"])
    let twoDots = try repository.run("promptgate-diff", ["main..topic", "--format", "json"])
    let direct = try #require(
      (try JSONOutput.object(twoDots.stdout)["behaviors"] as? [[String: Any]])?.first)
    #expect(direct["changed"] as? [String] == ["prompt", "toolSchema"])
  }

  @Test("--staged, the default (index to working tree) and REV --worktree")
  func indexAndWorkTree() throws {
    let repository = try ExampleProject.repository()
    try repository.write("prompts/support/system.md", "Staged.\n")
    try repository.git("add", "-A")
    try repository.write("policies/safety.md", "Unstaged policy.\n")

    let staged = try repository.run("promptgate-diff", ["--staged"])
    staged.expect(exit: 0)
    #expect(staged.stdout.contains("modified  prompts/support/system.md"))
    #expect(!staged.stdout.contains("policies/safety.md"))

    let unstaged = try repository.run("promptgate-diff")
    #expect(unstaged.stdout.contains("modified  policies/safety.md"))
    #expect(!unstaged.stdout.contains("prompts/support/system.md"))

    let both = try repository.run("promptgate-diff", ["HEAD", "--worktree"])
    #expect(both.stdout.contains("prompts/support/system.md"))
    #expect(both.stdout.contains("policies/safety.md"))
  }

  @Test("an unknown revision and conflicting options exit 2")
  func errors() throws {
    let repository = try ExampleProject.repository()
    let unknown = try repository.run("promptgate-diff", ["nosuch", "HEAD"])
    unknown.expect(exit: 2)
    #expect(unknown.stdout.isEmpty)
    #expect(unknown.stderr.contains("nosuch"))
    let conflicting = try repository.run("promptgate-diff", ["--staged", "--worktree"])
    conflicting.expect(exit: 2)
    #expect(conflicting.stdout.isEmpty)
  }

  @Test("a side without a mapping has no behaviors; neither side having one exits 2")
  func mappingPresence() throws {
    let repository = try TemporaryRepository()
    try repository.write("README.md", "Before adoption.\n")
    try repository.commit("Before")
    try repository.write("README.md", "Still before.\n")
    try repository.commit("Still before")
    let neither = try repository.run("promptgate-diff", ["HEAD~1", "HEAD"])
    neither.expect(exit: 2)
    #expect(neither.stdout.isEmpty)
    #expect(neither.stderr.contains("promptgate.yaml"))

    try ExampleProject.write(to: repository)
    try repository.commit("Adopt PromptGate")
    let adopted = try repository.run("promptgate-diff", ["HEAD~1", "HEAD", "--exit-code"])
    adopted.expect(exit: 1)
    #expect(adopted.stdout.contains("support-agent: appeared pgv1-"))
  }

  @Test("--config applies to every side, for history without a mapping")
  func configOption() throws {
    let repository = try TemporaryRepository()
    try repository.write("prompts/system.md", "v1\n")
    try repository.commit("v1")
    try repository.write("prompts/system.md", "v2\n")
    try repository.commit("v2")
    let config = repository.container + "/mapping.yaml"
    try "behaviors:\n  agent: {prompt: [prompts/*.md]}\n".write(
      toFile: config, atomically: true, encoding: .utf8)
    let result = try repository.run(
      "promptgate-diff", ["--config", config, "HEAD~1", "HEAD", "--exit-code"])
    result.expect(exit: 1)
    #expect(result.stdout.contains("modified  prompts/system.md"))
    let select = try repository.run("promptgate-select", ["--config", config, "HEAD~1", "HEAD"])
    select.expect(exit: 0)
    #expect(select.stdout == "no eval set selected\n")
  }
}
