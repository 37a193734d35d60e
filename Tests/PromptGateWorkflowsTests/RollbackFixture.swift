import Foundation
import GitKit
import PromptGateCore
import PromptGateWorkflows
import TestSupport
import Testing

/// A repository whose behavior `agent` reads every source form: a file set, values in a shared
/// YAML file (with comments, an anchor elsewhere, flow and block styles, quoted and plain
/// scalars, a numeric string), a subtree of a JSON file with odd spacing, and a regex.
struct RollbackFixture {
  let repository: TemporaryRepository
  /// The first version's commit.
  let v1: String

  static let mapping = """
    behaviors:
      agent:
        prompt: [prompts/agent/**/*.md]
        model: config/llm.yaml#/agent/model
        toolSchema: tools/*.json
        retrievalPolicy: config/settings.json#/retrieval
        decoding:
          temperature: config/llm.yaml#/agent/temperature
          maxOutputTokens: {file: app/settings.py, regex: '^MAX_TOKENS = (\\d+)$'}

    """

  static let llm = """
    # Model settings; the anchor is shared by other services.
    shared: &shared {timeout: 30, retries: 2}
    agent:
      model: "gpt-4o"   # the model users see
      temperature: 0.2
      stop: [END, 'STOP']
      budget: "1024"
    billing: *shared

    """

  static let settings =
    "{ \"retrieval\" :{\"top_k\":  5,\n\t\"index\" : \"faq\"},\n  \"log\": true }\n"

  init() throws {
    repository = try TemporaryRepository()
    try repository.write("promptgate.yaml", Self.mapping)
    try repository.write("prompts/agent/system.md", "You are a careful support agent.\n")
    try repository.write("prompts/agent/rules/refunds.md", "Offer a refund within 30 days.\n")
    try repository.write("tools/lookup.json", "{\"name\": \"lookup\"}\n")
    try repository.write("config/llm.yaml", Self.llm)
    try repository.write("config/settings.json", Self.settings)
    try repository.write("app/settings.py", "import os\nMAX_TOKENS = 512\nDEBUG = False\n")
    try repository.write("README.md", "The agent.\n")
    v1 = try repository.commit("v1")
  }

  /// The second version: every component changed, and bytes outside the values changed too.
  @discardableResult
  func changeEverything() throws -> String {
    try repository.write("prompts/agent/system.md", "You are a terse agent.\n")
    try repository.write("prompts/agent/extra.md", "Upsell everything.\n")
    try repository.remove("prompts/agent/rules/refunds.md")
    try repository.write("tools/lookup.json", "{\"name\": \"lookup\", \"strict\": true}\n")
    try repository.edit("config/llm.yaml", replacing: "\"gpt-4o\"", with: "\"gpt-4o-mini\"")
    try repository.edit("config/llm.yaml", replacing: "temperature: 0.2", with: "temperature: 0.9")
    try repository.edit("config/llm.yaml", replacing: "retries: 2", with: "retries: 5")
    try repository.edit("config/settings.json", replacing: "5,", with: "1,")
    try repository.edit("config/settings.json", replacing: "true", with: "false")
    try repository.edit("app/settings.py", replacing: "512", with: "4096")
    try repository.edit("app/settings.py", replacing: "False", with: "True")
    try repository.write("README.md", "The agent, changed.\n")
    return try repository.commit("v2")
  }

  /// A fresh workspace (nothing cached from an earlier read).
  func workspace() throws -> Workspace {
    try Workspace(repository: Repository(discoveringFrom: repository.path))
  }

  /// The id of `agent` at `side`.
  func id(at side: Side = .workTree) throws -> BehaviorID {
    let state = try #require(try workspace().state(of: side).state(of: "agent"))
    return try #require(state.version?.id)
  }

  /// Rolls `agent` back to `target` through the workflow.
  func rollback(
    to target: String, dryRun: Bool = false, force: Bool = false
  ) throws -> RollbackWorkflow.Outcome {
    var workflow = RollbackWorkflow(workspace: try workspace(), behavior: "agent", target: target)
    workflow.dryRun = dryRun
    workflow.force = force
    return try workflow.run()
  }

  /// Records a release of `agent` at HEAD as `promptgate release` would: an annotated tag
  /// whose message holds the tuple, tagged at the `n`th minute so that releases order.
  func release(date n: Int) throws -> String {
    let state = try #require(try workspace().state(of: .revision("HEAD")).state(of: "agent"))
    let version = try #require(state.version)
    let commit = try repository.head()
    let tag = "promptgate/agent/\(version.id.short)"
    let message = [
      "promptgate release agent \(version.id.full)", "",
      "PromptGate-Behavior: agent",
      "PromptGate-Id: \(version.id.full)",
      "PromptGate-Commit: \(commit)",
      "PromptGate-Tier: release",
      "PromptGate-Baseline: none",
      "PromptGate-Tuple: \(try CanonicalJSON.serialize(version.tuple))",
    ].joined(separator: "\n")
    try repository.git(
      ["tag", "-a", tag, "-m", message, commit],
      environment: ["GIT_COMMITTER_DATE": "\(1_767_400_000 + 60 * n) +0000"])
    return tag
  }

  /// Every file of the working tree with its bytes and mode, and the index's tree: what must be
  /// the same after a dry run or a failed rollback.
  func everything() throws -> [String: String] {
    var found: [String: String] = [:]
    let root = repository.path
    let enumerator = FileManager.default.enumerator(atPath: root)
    while let relative = enumerator?.nextObject() as? String {
      if relative == ".git" || relative.hasPrefix(".git/") { continue }
      let path = root + "/" + relative
      let attributes = try FileManager.default.attributesOfItem(atPath: path)
      let kind = attributes[.type] as? FileAttributeType
      let mode = (attributes[.posixPermissions] as? Int).map { String($0, radix: 8) } ?? "?"
      if kind == .typeDirectory {
        found[relative] = "directory " + mode
      } else {
        let bytes = FileManager.default.contents(atPath: path).map { Array($0) } ?? []
        found[relative] = "\(mode) \(String(decoding: bytes, as: UTF8.self))"
      }
    }
    found[":index"] = try repository.git("write-tree")
    return found
  }

  /// The paths staged relative to HEAD.
  func staged() throws -> [String] {
    try repository.git("diff", "--cached", "--name-only").split(separator: "\n").map(String.init)
  }
}
