import Foundation
import PromptGateCore
import PromptGateWorkflows
import TestSupport
import Testing

/// Rolling a behavior back with real repositories: every source form restored from git
/// objects, proved by the working tree's id, and nothing else touched.
@Suite("RollbackWorkflow: restore every component and prove it")
struct RollbackWorkflowTests {
  @Test(
    "every source form comes back; the working tree's id is the target's; only its paths change")
  func everyForm() throws {
    let fixture = try RollbackFixture()
    let v1 = try fixture.id(at: .revision("HEAD"))
    try fixture.changeEverything()
    let outcome = try fixture.rollback(to: fixture.v1)
    #expect(outcome.status == .restored)
    #expect(outcome.plan.target.kind == .revision)
    #expect(outcome.proof == v1)
    #expect(try fixture.id() == v1)
    let repository = fixture.repository
    // The file set is exactly the version's: restored, re-added, and the new file removed.
    #expect(try repository.read("prompts/agent/system.md") == "You are a careful support agent.\n")
    #expect(
      try repository.read("prompts/agent/rules/refunds.md") == "Offer a refund within 30 days.\n")
    #expect(!FileManager.default.fileExists(atPath: repository.absolute("prompts/agent/extra.md")))
    // The shared YAML file: the two values spliced back, the anchored line's change kept.
    #expect(
      try repository.read("config/llm.yaml")
        == RollbackFixture.llm.replacingOccurrences(of: "retries: 2", with: "retries: 5"))
    // The JSON subtree comes back as the version's text; the rest keeps its odd spacing.
    #expect(
      try repository.read("config/settings.json")
        == RollbackFixture.settings.replacingOccurrences(of: "true", with: "false"))
    // The regex group only.
    #expect(try repository.read("app/settings.py") == "import os\nMAX_TOKENS = 512\nDEBUG = True\n")
    // Files outside the behavior are never touched.
    #expect(try repository.read("README.md") == "The agent, changed.\n")
    // Exactly the restored paths are staged.
    #expect(
      try fixture.staged().sorted()
        == [
          "app/settings.py", "config/llm.yaml", "config/settings.json", "prompts/agent/extra.md",
          "prompts/agent/rules/refunds.md", "prompts/agent/system.md", "tools/lookup.json",
        ])
    let steps = Dictionary(uniqueKeysWithValues: outcome.plan.components.map { ($0.component, $0) })
    #expect(
      steps[.prompt]?.files
        == [
          .init(path: "prompts/agent/extra.md", action: .remove),
          .init(path: "prompts/agent/rules/refunds.md", action: .add),
          .init(path: "prompts/agent/system.md", action: .restore),
        ])
    #expect(
      steps[.model]?.values
        == [
          .init(
            file: "config/llm.yaml", line: 4, selector: "#/agent/model",
            old: .string("gpt-4o-mini"), new: .string("gpt-4o"))
        ])
    #expect(steps[.safetyPolicy]?.status == .unchanged)
  }

  @Test("--dry-run prints the plan and changes no byte and not the index")
  func dryRun() throws {
    let fixture = try RollbackFixture()
    try fixture.changeEverything()
    let before = try fixture.everything()
    let outcome = try fixture.rollback(to: fixture.v1, dryRun: true)
    #expect(outcome.status == .planned)
    #expect(outcome.plan.paths.count == 7)
    #expect(try fixture.everything() == before)
  }

  @Test("a write that fails half-way puts every byte and the index back")
  func failureHalfWay() throws {
    let fixture = try RollbackFixture()
    try fixture.changeEverything()
    // The last prompt file to write is a directory in the working tree: writing it fails
    // after system.md (written first) and before anything else.
    try fixture.repository.write("prompts/agent/rules/refunds.md/keep.txt", "not a prompt\n")
    let before = try fixture.everything()
    #expect {
      try fixture.rollback(to: fixture.v1, force: true)
    } throws: { error in
      let failure = error as? PromptGateError
      return failure?.kind == .environment
        && failure?.message.contains("cannot write prompts/agent/rules/refunds.md") == true
        && failure?.message.contains("Every file was put back") == true
    }
    #expect(try fixture.everything() == before)
  }

  @Test("a proof that fails puts every byte back and names the component")
  func proofFails() throws {
    let fixture = try RollbackFixture()
    try fixture.changeEverything()
    // The restored refunds.md is ignored now, so the working tree would not hash it.
    try fixture.repository.write(".gitignore", "refunds.md\n")
    try fixture.repository.commit("ignore refunds")
    let before = try fixture.everything()
    #expect {
      try fixture.rollback(to: fixture.v1)
    } throws: { error in
      let failure = error as? PromptGateError
      return failure?.kind == .configuration
        && failure?.message.contains("prompt could not be restored") == true
        && failure?.message.contains("Every file was put back as it was") == true
    }
    #expect(try fixture.everything() == before)
  }

  @Test("uncommitted changes in a path to be written stop it, unless --force")
  func dirty() throws {
    let fixture = try RollbackFixture()
    try fixture.changeEverything()
    try fixture.repository.edit("config/llm.yaml", replacing: "# Model", with: "# My model")
    #expect {
      try fixture.rollback(to: fixture.v1)
    } throws: { error in
      (error as? PromptGateError)?.message
        == "uncommitted changes in config/llm.yaml, which the rollback would overwrite: "
        + "commit or stash them, or pass --force"
    }
    let outcome = try fixture.rollback(to: fixture.v1, force: true)
    #expect(outcome.status == .restored)
    // The splice kept the uncommitted edit elsewhere in the file.
    #expect(try fixture.repository.read("config/llm.yaml").hasPrefix("# My model settings"))
  }

  @Test("TARGET as a release tag, a version id prefix, previous, previous~2 and a revision")
  func targets() throws {
    let fixture = try RollbackFixture()
    let repository = fixture.repository
    let v1 = try fixture.id(at: .revision("HEAD"))
    let tag1 = try fixture.release(date: 1)
    try repository.edit("config/llm.yaml", replacing: "temperature: 0.2", with: "temperature: 0.3")
    let c2 = try repository.commit("v2")
    let v2 = try fixture.id(at: .revision("HEAD"))
    try fixture.release(date: 2)
    try repository.edit("config/llm.yaml", replacing: "temperature: 0.3", with: "temperature: 0.4")
    try repository.commit("v3")
    let v3 = try fixture.id(at: .revision("HEAD"))
    try fixture.release(date: 3)
    try repository.edit("config/llm.yaml", replacing: "temperature: 0.4", with: "temperature: 0.5")
    try repository.commit("v4")

    let previous = try fixture.rollback(to: "previous", dryRun: true)
    #expect(previous.plan.target.kind == .previous)
    #expect(previous.plan.to == v3)
    #expect(try fixture.rollback(to: "previous~1", dryRun: true).plan.to == v2)
    let third = try fixture.rollback(to: "previous~2", dryRun: true)
    #expect(third.plan.to == v1)
    #expect(third.plan.target.tag == tag1)
    #expect(third.plan.target.commit == fixture.v1)
    #expect {
      try fixture.rollback(to: "previous~3", dryRun: true)
    } throws: { error in
      (error as? PromptGateError)?.message.contains("the oldest is previous~2") == true
    }

    let byTag = try fixture.rollback(to: tag1, dryRun: true)
    #expect(byTag.plan.target.kind == .release)
    #expect(byTag.plan.to == v1)

    let byID = try fixture.rollback(to: "pgv1-" + v2.digest.prefix(9), dryRun: true)
    #expect(byID.plan.target.kind == .versionID)
    #expect(byID.plan.target.commit == c2)
    #expect(byID.plan.to == v2)
    #expect {
      try fixture.rollback(to: "pgv1-0000000", dryRun: true)
    } throws: { error in
      (error as? PromptGateError)?.message.contains("no version of agent has an id beginning")
        == true
    }

    let byRevision = try fixture.rollback(to: "HEAD~3", dryRun: true)
    #expect(byRevision.plan.target.kind == .revision)
    #expect(byRevision.plan.to == v1)

    // And a real restore through `previous` proves the release's id.
    let restored = try fixture.rollback(to: "previous")
    #expect(restored.proof == v3)
    #expect(try fixture.id() == v3)
  }

  @Test("bare hex that begins a version id and names a commit is refused, listing both")
  func ambiguousHex() throws {
    let fixture = try RollbackFixture()
    let v1 = try fixture.id(at: .revision("HEAD"))
    // Tag the commit with a name that is also the id's first 7 digits: both readings exist.
    let digits = String(v1.digest.prefix(7))
    try fixture.repository.git("tag", digits, fixture.v1)
    #expect {
      try fixture.rollback(to: digits, dryRun: true)
    } throws: { error in
      let message = (error as? PromptGateError)?.message ?? ""
      return message.contains("is ambiguous") && message.contains(v1.full)
        && message.contains(fixture.v1)
    }
  }

  @Test("renamed prompt files and a moved mapping: the current mapping decides where things go")
  func mappingMoved() throws {
    let fixture = try RollbackFixture()
    let repository = fixture.repository
    let v1 = try fixture.id(at: .revision("HEAD"))
    try repository.git("mv", "prompts/agent", "prompts/bot")
    try repository.edit("promptgate.yaml", replacing: "prompts/agent/**", with: "prompts/bot/**")
    // The model moves to another key of another file.
    try repository.write("config/models.yaml", "bot:\n  name: gpt-4o-mini\n")
    try repository.edit(
      "promptgate.yaml", replacing: "config/llm.yaml#/agent/model",
      with: "config/models.yaml#/bot/name")
    try repository.edit("prompts/bot/system.md", replacing: "careful", with: "hasty")
    try repository.commit("rename")
    let outcome = try fixture.rollback(to: fixture.v1)
    #expect(outcome.proof == v1)
    #expect(try repository.read("prompts/bot/system.md") == "You are a careful support agent.\n")
    #expect(!FileManager.default.fileExists(atPath: repository.absolute("prompts/agent")))
    #expect(try repository.read("config/models.yaml") == "bot:\n  name: gpt-4o\n")
  }

  @Test("what the current mapping cannot hold is refused, saying what to change")
  func cannotRepresent() throws {
    let fixture = try RollbackFixture()
    let repository = fixture.repository
    try repository.edit("tools/lookup.json", replacing: "lookup", with: "search")
    try repository.edit("promptgate.yaml", replacing: "    toolSchema: tools/*.json\n", with: "")
    try repository.commit("drop tool schemas")
    #expect {
      try fixture.rollback(to: fixture.v1, dryRun: true)
    } throws: { error in
      (error as? PromptGateError)?.message.contains(
        "agent.toolSchema has no source in the current promptgate.yaml") == true
    }
    // A literal: the mapping line to change is named.
    try repository.edit(
      "promptgate.yaml", replacing: "model: config/llm.yaml#/agent/model",
      with: "model: {value: gpt-5}\n    toolSchema: tools/*.json")
    try repository.edit("tools/lookup.json", replacing: "search", with: "lookup")
    try repository.commit("literal model")
    #expect {
      try fixture.rollback(to: fixture.v1, dryRun: true)
    } throws: { error in
      let diagnostic = error as? Diagnostic
      return diagnostic?.line == 4 && diagnostic?.message.contains("literal") == true
        && diagnostic?.fix?.contains("{value: \"gpt-4o\"}") == true
    }
  }

  @Test("file names with glob characters are restored and staged as themselves")
  func literalPaths() throws {
    let fixture = try RollbackFixture()
    let repository = fixture.repository
    try repository.write("prompts/agent/[draft]*.md", "Draft rules.\n")
    try repository.write("prompts/agent/d.md", "Not a draft.\n")
    try repository.commit("drafts")
    let v2 = try fixture.id(at: .revision("HEAD"))
    try repository.remove("prompts/agent/[draft]*.md")
    try repository.write("prompts/agent/d.md", "Changed.\n")
    try repository.commit("no drafts")
    let outcome = try fixture.rollback(to: "HEAD~1")
    #expect(outcome.proof == v2)
    #expect(try repository.read("prompts/agent/[draft]*.md") == "Draft rules.\n")
    #expect(try fixture.staged() == ["prompts/agent/[draft]*.md", "prompts/agent/d.md"])
  }

  @Test("a value that became an alias is refused with its file and line; nothing is written")
  func aliasRefused() throws {
    let fixture = try RollbackFixture()
    let repository = fixture.repository
    try repository.edit(
      "config/llm.yaml", replacing: "  model: \"gpt-4o\"   # the model users see",
      with: "  model: *default_model")
    try repository.edit(
      "config/llm.yaml", replacing: "shared: &shared",
      with: "default: &default_model o3\nshared: &shared")
    try repository.commit("model from an anchor")
    let before = try fixture.everything()
    #expect {
      try fixture.rollback(to: fixture.v1)
    } throws: { error in
      let diagnostic = error as? Diagnostic
      return diagnostic?.file == "config/llm.yaml" && diagnostic?.line == 2
        && diagnostic?.message.contains("anchor or an alias") == true
    }
    #expect(try fixture.everything() == before)
  }

  @Test("a symlink in a file set is restored as a symlink")
  func symlink() throws {
    let fixture = try RollbackFixture()
    let repository = fixture.repository
    try repository.symlink("prompts/agent/current.md", to: "system.md")
    try repository.commit("link")
    let linked = try fixture.id(at: .revision("HEAD"))
    try repository.remove("prompts/agent/current.md")
    try repository.write("prompts/agent/current.md", "A copy, not a link.\n")
    try repository.commit("copy")
    let outcome = try fixture.rollback(to: "HEAD~1")
    #expect(outcome.proof == linked)
    #expect(
      try FileManager.default.destinationOfSymbolicLink(
        atPath: repository.absolute("prompts/agent/current.md")) == "system.md")
  }

  @Test("a working tree that already has the version is left alone")
  func alreadyThere() throws {
    let fixture = try RollbackFixture()
    let before = try fixture.everything()
    let outcome = try fixture.rollback(to: "HEAD")
    #expect(outcome.status == .unchanged)
    #expect(outcome.plan.components.allSatisfy { $0.status == .unchanged })
    #expect(try fixture.everything() == before)
  }
}
