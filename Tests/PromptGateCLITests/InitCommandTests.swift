import Foundation
import TestSupport
import Testing

/// `promptgate init` on repositories shaped like real LLM apps: the mapping it writes passes
/// check-config and the schema, and `version` resolves every behavior it declares to the values
/// in the repository's own files.
@Suite("promptgate init")
struct InitCommandTests {
  /// A promptflow-style app: a flow folder with its DAG and Jinja prompts, and an Inspect dataset.
  static let flowApp: [String: String] = [
    "web-classification/flow.dag.yaml": """
    inputs:
      url: {type: string}
    nodes:
      - name: fetch_text
        type: python
        source: {type: code, path: fetch_text.py}
      - name: retrieve_examples
        type: python
        inputs: {top_k: 3, index: examples}
      - name: classify
        type: llm
        source: {type: code, path: classify.jinja2}
        inputs:
          deployment_name: gpt-4o
          temperature: 0.1
          max_tokens: 128
      - name: summarize
        type: llm
        source: {type: code, path: summarize.jinja2}
        inputs: {deployment_name: gpt-4o-mini, temperature: 0.3, max_tokens: 256}

    """,
    "web-classification/classify.jinja2": "system:\nClassify {{url}} into a category.\n",
    "web-classification/summarize.jinja2": "system:\nSummarize {{text}} in one line.\n",
    "web-classification/fetch_text.py": "def fetch_text(url):\n    return url\n",
    "evals/classification.jsonl":
      "{\"input\": \"https://example.com/a\", \"target\": \"App\"}\n"
      + "{\"input\": \"https://example.com/b\", \"target\": \"Movie\"}\n",
    "README.md": "A web classification flow.\n",
  ]

  /// A gpt-engineer-style app: a folder of preprompt files without extensions, settings in code.
  static let prepromptApp: [String: String] = [
    "gpt_engineer/preprompts/clarify": "Ask for clarification first.\n",
    "gpt_engineer/preprompts/generate": "Write the whole program, file by file.\n",
    "gpt_engineer/preprompts/philosophy": "Prefer small files.\n",
    "gpt_engineer/preprompts/roadmap": "Plan, then write.\n",
    "gpt_engineer/core/ai.py": "MODEL = \"gpt-4o\"\n",
    "pyproject.toml": "[project]\nname = \"gpt-engineer\"\n",
  ]

  /// An app with a shared config/llm.yaml, prompts per agent, tool schemas and eval suites.
  static let sharedConfigApp: [String: String] = [
    "config/llm.yaml": """
    model: gpt-4o-mini
    temperature: 0.2
    max_tokens: 1024
    logging: {level: info}

    """,
    "app/prompts/support/system.md": "You are a support agent.\n",
    "app/prompts/support/examples/refund.md": "Q: refund?\nA: within 30 days.\n",
    "app/prompts/billing/system.md": "You answer billing questions.\n",
    "tools/support/lookup_order.json":
      "{\"name\": \"lookup_order\", \"parameters\": {\"type\": \"object\", \"properties\": {}}}\n",
    "tools/common/search.json":
      "{\"type\": \"function\", \"function\": {\"name\": \"search\", \"parameters\": {}}}\n",
    "policies/safety.md": "Never reveal another customer's data.\n",
    "evals/support/smoke.jsonl":
      "{\"vars\": {\"question\": \"refund?\"}, \"assert\": [{\"type\": \"icontains\", \"value\": \"30 days\"}]}\n",
    "evals/billing/promptfooconfig.yaml": """
    prompts: [app/prompts/billing/system.md]
    providers: [openai:gpt-4o-mini]
    tests:
      - vars: {question: "Why was I charged twice?"}
        assert:
          - {type: icontains, value: refund}

    """,
    "package.json": "{\"name\": \"shop-assistant\", \"version\": \"1.0.0\"}\n",
  ]

  static func repository(_ files: [String: String]) throws -> TemporaryRepository {
    let repository = try TemporaryRepository()
    for (path, text) in files.sorted(by: { $0.key < $1.key }) { try repository.write(path, text) }
    try repository.commit("App")
    return repository
  }

  /// Runs init, then check-config and version at the commit that adds the mapping; returns
  /// the versions by behavior.
  static func initAndResolve(_ repository: TemporaryRepository) throws -> [String: [String: Any]] {
    let result = try repository.run("promptgate-init")
    result.expect(exit: 0)
    #expect(result.stdout.hasPrefix("wrote promptgate.yaml: "))
    let check = try repository.run("promptgate-check-config")
    check.expect(exit: 0)
    #expect(check.stderr.isEmpty, "check-config warned:\n\(check.stderr)")
    try repository.commit("Add the starter mapping")
    let version = try repository.run("promptgate-version", ["--format", "json"])
    version.expect(exit: 0)
    var byName: [String: [String: Any]] = [:]
    for entry in try JSONOutput.objects(version.stdout) {
      byName[entry["behavior"] as? String ?? "?"] = entry
    }
    return byName
  }

  @Test("a flow folder: the templates, and the DAG's model, decoding and retrieval by node name")
  func flowFolder() throws {
    let repository = try Self.repository(Self.flowApp)
    let versions = try Self.initAndResolve(repository)
    #expect(versions.keys.sorted() == ["web-classification"])
    let flow = try #require(versions["web-classification"])
    #expect(flow["model"] as? String == "gpt-4o")
    let decoding = try #require(flow["decoding"] as? [String: Any])
    #expect(decoding["temperature"] as? Double == 0.1)
    #expect(decoding["maxOutputTokens"] as? Double == 128)
    #expect(flow["retrievalPolicySha"] is String)
    let mapping = try repository.read("promptgate.yaml")
    #expect(mapping.contains("prompt: [web-classification/*.jinja2]"))
    #expect(
      mapping.contains(
        "web-classification/flow.dag.yaml#/nodes/[name=classify]/inputs/deployment_name"))
    #expect(mapping.contains("(the first of 2 there)"), "the guess among two llm nodes is said")
    #expect(mapping.contains("cases: evals/classification.jsonl"))
    #expect(mapping.contains("protects: {web-classification: all}"))

    // A node moved in the list is no change: the pointer selects by name.
    try repository.edit(
      "web-classification/flow.dag.yaml", replacing: "temperature: 0.1", with: "temperature: 0.4")
    let diff = try repository.run("promptgate-diff", ["--exit-code"])
    diff.expect(exit: 1)
    #expect(diff.stdout.contains("0.1 -> 0.4"), "\(diff)")
  }

  @Test("a folder of preprompt files without extensions: one behavior over them all")
  func prepromptFolder() throws {
    let repository = try Self.repository(Self.prepromptApp)
    let versions = try Self.initAndResolve(repository)
    #expect(versions.keys.sorted() == ["gpt_engineer"])
    let mapping = try repository.read("promptgate.yaml")
    #expect(mapping.contains("prompt: [gpt_engineer/preprompts/*]"))
    #expect(!mapping.contains("evalSets:"))
    // Editing a preprompt changes the behavior's version.
    let before = try #require(versions["gpt_engineer"]?["id"] as? String)
    try repository.write("gpt_engineer/preprompts/philosophy", "Prefer one file.\n")
    try repository.commit("Edit a preprompt")
    let after = try repository.run("promptgate-version", ["--format", "json"])
    let id = try JSONOutput.objects(after.stdout).first?["id"] as? String
    #expect(id != nil && id != before)
  }

  @Test(
    "a shared config/llm.yaml: every behavior points at it; tools, safety and eval suites found")
  func sharedConfig() throws {
    let repository = try Self.repository(Self.sharedConfigApp)
    let versions = try Self.initAndResolve(repository)
    #expect(versions.keys.sorted() == ["billing", "support"])
    for name in ["billing", "support"] {
      let version = try #require(versions[name])
      #expect(version["model"] as? String == "gpt-4o-mini", "\(name)")
      let decoding = try #require(version["decoding"] as? [String: Any])
      #expect(decoding["maxOutputTokens"] as? Double == 1024)
      #expect(version["toolSchemaSha"] is String)
      #expect(version["safetyPolicySha"] is String)
    }
    let mapping = try repository.read("promptgate.yaml")
    #expect(mapping.contains("model: config/llm.yaml#/model"))
    #expect(mapping.contains("the only `model` key found in the repository"))
    #expect(mapping.contains("prompt: [app/prompts/support/**/*.md]"))
    #expect(mapping.contains("- tools/support/lookup_order.json"))
    #expect(mapping.contains("- tools/common/search.json"))
    #expect(mapping.contains("cases: evals/support/smoke.jsonl"))
    #expect(mapping.contains("cases: evals/billing/promptfooconfig.yaml"))
    #expect(mapping.contains("protects: {billing: all}"))
    #expect(mapping.contains("protects: {support: all}"))
    // The support tool belongs to support alone; billing sees only the shared one.
    let billingTools = mapping.components(separatedBy: "  support:")[0]
    #expect(!billingTools.contains("lookup_order"))

    // A billing prompt edit selects billing's suite, not support's.
    try repository.edit("app/prompts/billing/system.md", replacing: "billing", with: "invoice")
    let selected = try repository.run("promptgate-select", ["--worktree"])
    selected.expect(exit: 0)
    #expect(selected.stdout.contains("billing-promptfoo (fast)"), "\(selected)")
    #expect(!selected.stdout.contains("smoke"), "\(selected)")
  }

  @Test("--dry-run prints what init writes, and writes nothing")
  func dryRun() throws {
    let repository = try Self.repository(Self.sharedConfigApp)
    let dry = try repository.run("promptgate-init", ["--dry-run"])
    dry.expect(exit: 0)
    #expect(dry.stderr.isEmpty)
    #expect(!FileManager.default.fileExists(atPath: repository.absolute("promptgate.yaml")))
    #expect(try repository.git("status", "--porcelain").isEmpty)
    try repository.run("promptgate-init").expect(exit: 0)
    #expect(try repository.read("promptgate.yaml") == dry.stdout)
  }

  @Test("an existing mapping is never overwritten, in the working tree or at --config")
  func neverOverwrites() throws {
    let repository = try Self.repository(Self.flowApp)
    let mine = "# mine\nbehaviors: {}\n"
    try repository.write("promptgate.yaml", mine)
    let result = try repository.run("promptgate-init")
    result.expect(exit: 2)
    #expect(result.stdout.isEmpty)
    #expect(result.stderr.contains("promptgate.yaml already exists"))
    #expect(result.stderr.contains("--dry-run"))
    #expect(try repository.read("promptgate.yaml") == mine)

    let dry = try repository.run("promptgate-init", ["--dry-run"])
    dry.expect(exit: 0)
    #expect(dry.stdout.contains("web-classification:"))
    #expect(dry.stderr.contains("already exists; init would not overwrite it"))
    #expect(try repository.read("promptgate.yaml") == mine)

    try repository.run("promptgate-init", ["--config", "starter.yaml"]).expect(exit: 0)
    #expect(try repository.read("starter.yaml").contains("web-classification:"))
    let again = try repository.run("promptgate-init", ["--config", "starter.yaml"])
    again.expect(exit: 2)
    #expect(again.stderr.contains("starter.yaml already exists"))
  }

  @Test("from a subdirectory, and through the umbrella, it writes at the repository root")
  func subdirectory() throws {
    let repository = try Self.repository(Self.prepromptApp)
    let result = try repository.run("promptgate", ["-C", "gpt_engineer/core", "init"])
    result.expect(exit: 0)
    #expect(FileManager.default.fileExists(atPath: repository.absolute("promptgate.yaml")))
  }

  @Test("a repository with no prompts gets a mapping that parses and says what to add")
  func nothingFound() throws {
    let repository = try Self.repository(["main.py": "print('hi')\n"])
    try repository.run("promptgate-init").expect(exit: 0)
    let mapping = try repository.read("promptgate.yaml")
    #expect(mapping.contains("No prompt files were found"))
    #expect(mapping.contains("behaviors: {}"))
    try repository.run("promptgate-check-config").expect(exit: 0)
  }

  @Test("on the bundled example, init finds what its hand-written mapping names: the same id")
  func bundledExample() throws {
    let repository = try TemporaryRepository()
    let root = PackageFiles.path("examples/support-bot")
    let found = FileManager.default.enumerator(atPath: root)?.compactMap { $0 as? String } ?? []
    for path in found where path != "promptgate.yaml" {
      var isDirectory: ObjCBool = false
      FileManager.default.fileExists(atPath: root + "/" + path, isDirectory: &isDirectory)
      if !isDirectory.boolValue {
        try repository.write(path, try String(contentsOfFile: root + "/" + path, encoding: .utf8))
      }
    }
    try repository.commit("The example without its mapping")
    let versions = try Self.initAndResolve(repository)
    #expect(versions.keys.sorted() == ["summarizer", "support"])
    let mapping = try repository.read("promptgate.yaml")
    #expect(mapping.contains(#"model: {file: app/summarizer.py, regex: '^MODEL = "([^"]+)"'}"#))
    #expect(mapping.contains("retrievalPolicy: config/retrieval.yaml#/support"))
    #expect(mapping.contains("tier: release"))
    let handWritten = try repository.run(
      "promptgate-version",
      ["--config", root + "/promptgate.yaml", "--behavior", "support-agent", "--format", "json"])
    handWritten.expect(exit: 0)
    let expected = try JSONOutput.objects(handWritten.stdout).first?["id"] as? String
    #expect(expected != nil)
    #expect(versions["support"]?["id"] as? String == expected)
    #expect(versions["summarizer"]?["model"] as? String == "gpt-4o-mini")
    // docs/init.md shows exactly this output.
    let docs = try String(contentsOfFile: PackageFiles.path("docs/init.md"), encoding: .utf8)
    let shown = docs.components(separatedBy: "prints\n\n```yaml\n").last?
      .components(separatedBy: "```\n").first
    #expect(shown == mapping, "docs/init.md's example is not what init prints")
  }

  @Test("what init writes validates against the schema", arguments: [0, 1, 2])
  func validatesAgainstTheSchema(_ app: Int) throws {
    let files = [Self.flowApp, Self.prepromptApp, Self.sharedConfigApp][app]
    let repository = try Self.repository(files)
    try repository.run("promptgate-init").expect(exit: 0)
    let result = try TestTools.run(
      "check-jsonschema",
      ["--schemafile", PackageFiles.path("schema/promptgate.schema.json"), "promptgate.yaml"],
      in: repository.path)
    let written = try repository.read("promptgate.yaml")
    #expect(result.exitCode == 0, "\(result)\n\(written)")
  }
}
