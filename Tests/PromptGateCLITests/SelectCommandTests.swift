import Foundation
import TestSupport
import Testing

@Suite("promptgate-select")
struct SelectCommandTests {
  /// The example with the support model changed in the index.
  private func repositoryWithStagedModelChange() throws -> TemporaryRepository {
    let repository = try ExampleProject.repository()
    try repository.edit("config/llm.yaml", replacing: "gpt-4o-mini", with: "gpt-4o")
    try repository.git("add", "-A")
    return repository
  }

  @Test("text lists each selected set with its tier and reasons")
  func text() throws {
    let repository = try repositoryWithStagedModelChange()
    let result = try repository.run("promptgate-select", ["--staged"])
    result.expect(exit: 0)
    #expect(result.stderr.isEmpty)
    #expect(
      result.stdout
        == """
        support-smoke (fast)
          support-agent.model changed
        support-release (release)
          support-agent.model changed

        """)
    let fast = try repository.run("promptgate-select", ["--staged", "--tier", "fast"])
    #expect(fast.stdout == "support-smoke (fast)\n  support-agent.model changed\n")
  }

  @Test("json lists sets, tiers and structured reasons")
  func json() throws {
    let repository = try repositoryWithStagedModelChange()
    let result = try repository.run("promptgate-select", ["--staged", "--format", "json"])
    result.expect(exit: 0)
    let document = try JSONOutput.object(result.stdout)
    let sets = try #require(document["evalSets"] as? [[String: Any]])
    #expect(sets.map { $0["evalSet"] as? String } == ["support-smoke", "support-release"])
    #expect(sets.map { $0["tier"] as? String } == ["fast", "release"])
    let reason = try #require((sets.first?["reasons"] as? [[String: Any]])?.first)
    #expect(reason["kind"] as? String == "component")
    #expect(reason["behavior"] as? String == "support-agent")
    #expect(reason["component"] as? String == "model")
    #expect(document["tier"] is NSNull)
    #expect(document["base"] != nil)
    #expect(document["head"] != nil)
  }

  @Test("a change no fast set protects selects none with --tier fast")
  func precision() throws {
    let repository = try ExampleProject.repository()
    try repository.edit("config/retrieval.yaml", replacing: "top_k: 5", with: "top_k: 9")
    let fast = try repository.run("promptgate-select", ["HEAD", "--tier", "fast"])
    fast.expect(exit: 0)
    #expect(fast.stdout == "no fast eval set selected\n")
    let json = try repository.run(
      "promptgate-select", ["HEAD", "--tier", "fast", "--format", "json"])
    let document = try JSONOutput.object(json.stdout)
    #expect((document["evalSets"] as? [Any])?.isEmpty == true)
    #expect(document["tier"] as? String == "fast")
    let all = try repository.run("promptgate-select", ["HEAD"])
    #expect(all.stdout == "support-release (release)\n  support-agent.retrievalPolicy changed\n")
  }
}
