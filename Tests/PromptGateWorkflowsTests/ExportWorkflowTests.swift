import Foundation
import PromptGateCore
import PromptGateWorkflows
import TestSupport
import Testing

/// The behavior as a release artifact: its files as of one version, and a manifest.
@Suite("ExportWorkflow: the behavior as a release artifact")
struct ExportWorkflowTests {
  private func export(_ fixture: RollbackFixture, to target: String = "HEAD") throws
    -> ExportWorkflow
  {
    ExportWorkflow(workspace: try fixture.workspace(), behavior: "agent", target: target)
  }

  @Test("the same version exported twice, at different times, gives identical archive bytes")
  func reproducible() throws {
    let fixture = try RollbackFixture()
    try fixture.changeEverything()
    let first = fixture.repository.container + "/one.tar"
    let second = fixture.repository.container + "/two.tar"
    _ = try (try export(fixture, to: fixture.v1)).run(to: .archive(first))
    // Another mtime on every file of the working tree changes nothing: the export reads git
    // objects, and the archive stores mtime 0.
    try fixture.repository.git("checkout", "-q", fixture.v1)
    _ = try (try export(fixture, to: "HEAD")).run(to: .archive(second))
    let one = try #require(FileManager.default.contents(atPath: first))
    let two = try #require(FileManager.default.contents(atPath: second))
    #expect(one == two)
    // Real tar reads it: sorted names, owner 0/0, mode 0644, mtime 0.
    let listing = try fixture.repository.runProgram("tar", ["tvf", first])
    #expect(listing.exitCode == 0, "\(listing)")
    let lines = listing.stdout.split(separator: "\n").map(String.init)
    #expect(
      lines.map { $0.split(separator: " ").last.map(String.init) ?? "" }
        == [
          "app/settings.py", "behavior.json", "config/llm.yaml", "config/settings.json",
          "prompts/agent/rules/refunds.md", "prompts/agent/system.md", "tools/lookup.json",
        ])
    #expect(lines.allSatisfy { $0.hasPrefix("-rw-r--r-- 0/0") && $0.contains("1970-01-01 00:00") })
  }

  @Test("behavior.json names the id, the commit, the tuple and each component's source and files")
  func manifest() throws {
    let fixture = try RollbackFixture()
    let v1 = try fixture.id(at: .revision("HEAD"))
    try fixture.changeEverything()
    let directory = fixture.repository.container + "/out"
    let outcome = try (try export(fixture, to: "pgv1-" + v1.digest.prefix(10))).run(
      to: .directory(directory))
    #expect(outcome.manifest.id == v1)
    #expect(outcome.target.kind == .versionID)
    let text = try String(contentsOfFile: directory + "/behavior.json", encoding: .utf8)
    let manifest = try #require(
      try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    #expect(manifest["schemaVersion"] as? Int == 1)
    #expect(manifest["behavior"] as? String == "agent")
    #expect(manifest["id"] as? String == v1.full)
    #expect(manifest["commit"] as? String == fixture.v1)
    let tuple = try #require(manifest["tuple"] as? [String: Any])
    #expect(tuple["model"] as? String == "gpt-4o")
    let components = try #require(manifest["components"] as? [String: [String: Any]])
    #expect(
      components["prompt"]?["files"] as? [String]
        == ["prompts/agent/rules/refunds.md", "prompts/agent/system.md"])
    #expect(
      components["model"]?["source"] as? [String: String]
        == ["file": "config/llm.yaml", "pointer": "/agent/model"])
    #expect(components["safetyPolicy"]?["source"] is NSNull)
    // The files are the version's, whole, at their repository paths.
    #expect(
      try String(contentsOfFile: directory + "/config/llm.yaml", encoding: .utf8)
        == RollbackFixture.llm)
    #expect(
      try String(contentsOfFile: directory + "/prompts/agent/system.md", encoding: .utf8)
        == "You are a careful support agent.\n")
    #expect(!FileManager.default.fileExists(atPath: directory + "/README.md"))
    // A directory that is not empty is refused: no file of another version may stay in it.
    #expect {
      try (try export(fixture)).run(to: .directory(directory))
    } throws: { error in
      (error as? PromptGateError)?.message.contains("is not an empty directory") == true
    }
  }

  @Test("a path longer than 100 bytes goes into the ustar prefix, and tar extracts it")
  func longPath() throws {
    let fixture = try RollbackFixture()
    let deep = "prompts/agent/" + String(repeating: "nested-directory/", count: 6) + "deep.md"
    #expect(deep.utf8.count > 100)
    try fixture.repository.write(deep, "deep\n")
    try fixture.repository.commit("deep")
    let archive = fixture.repository.container + "/deep.tar"
    _ = try (try export(fixture)).run(to: .archive(archive))
    let out = fixture.repository.container + "/extracted"
    try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
    let extracted = try fixture.repository.runProgram("tar", ["xf", archive, "-C", out])
    #expect(extracted.exitCode == 0, "\(extracted)")
    #expect(try String(contentsOfFile: out + "/" + deep, encoding: .utf8) == "deep\n")
  }
}
