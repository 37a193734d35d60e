import Foundation
import PromptGateCore
import PromptGateWorkflows
import TestSupport
import Testing

/// What `promptgate init` guesses, and what it refuses to guess, on small repositories.
@Suite("InitWorkflow: the starter mapping's guesses")
struct InitWorkflowTests {
  static func starter(_ files: [String: String]) throws -> (TemporaryRepository, Mapping, String) {
    let repository = try TemporaryRepository()
    for (path, text) in files.sorted(by: { $0.key < $1.key }) { try repository.write(path, text) }
    let outcome = try InitWorkflow.run(
      InitWorkflow.Input(repository: repository.path, output: nil, dryRun: true))
    #expect(!outcome.written)
    #expect(!FileManager.default.fileExists(atPath: repository.absolute("promptgate.yaml")))
    let text = outcome.mapping.text
    return (repository, try MappingParser.parse(text, file: "promptgate.yaml"), text)
  }

  @Test("several models, none named after the behavior: the first, with the others in the comment")
  func severalCandidates() throws {
    let (_, mapping, text) = try Self.starter([
      "prompts/agent/system.md": "Be brief.\n",
      "config/a.yaml": "model: gpt-4o\n",
      "config/b.yaml": "model: claude-3-5-sonnet\n",
    ])
    #expect(mapping.behaviors.map(\.name) == ["agent"])
    #expect(text.contains("model: config/a.yaml#/model"))
    #expect(text.contains("a guess, the first of 2 found (also config/b.yaml#/model)"))
  }

  @Test("a value under another behavior's name is never guessed for this one")
  func othersValues() throws {
    let (_, mapping, text) = try Self.starter([
      "prompts/support/system.md": "Help.\n",
      "prompts/billing/system.md": "Bill.\n",
      "config/llm.yaml": "support: {model: gpt-4o}\n",
    ])
    #expect(mapping.behavior(named: "billing")?.sources[.model] == nil)
    #expect(mapping.behavior(named: "support")?.sources[.model] != nil)
    #expect(text.components(separatedBy: "config/llm.yaml#/support/model").count == 2)
  }

  @Test("a suite that cannot be read as cases is a comment with the reason, not an eval set")
  func unreadableSuite() throws {
    let (_, mapping, text) = try Self.starter([
      "prompts/agent/system.md": "Be brief.\n",
      "evals/agent/promptfooconfig.yaml": "tests: file://tests/*.yaml\n",
      "evals/agent/good.jsonl": "{\"input\": \"hi\", \"target\": \"hello\"}\n",
    ])
    #expect(mapping.evalSets.map(\.name) == ["agent-good"])
    #expect(
      text.contains(
        "# Found a promptfoo config at evals/agent/promptfooconfig.yaml, but it cannot be read as cases: "
      ))
  }

  @Test("a model assigned twice in one file is not a regex source: it would match twice")
  func ambiguousCode() throws {
    let (_, mapping, _) = try Self.starter([
      "prompts/agent/system.md": "Be brief.\n",
      "agent/app.py": "MODEL = \"gpt-4o\"\nif DEBUG:\n    MODEL = \"gpt-4o-mini\"\n",
    ])
    #expect(mapping.behavior(named: "agent")?.sources[.model] == nil)
  }

  @Test("folder names become valid behavior names; ignored files and node_modules are skipped")
  func namesAndSkips() throws {
    let (_, mapping, text) = try Self.starter([
      "prompts/Customer Support/system.md": "Help.\n",
      "prompts/_drafts/idea.md": "Maybe.\n",
      "node_modules/pkg/prompts/x/a.md": "vendored\n",
      "build/prompts/y/a.md": "ignored\n",
      ".gitignore": "build/\n",
      "config/broken.yaml": "model: [unclosed\n",
    ])
    #expect(mapping.behaviors.map(\.name).sorted() == ["Customer-Support", "drafts"])
    #expect(!text.contains("node_modules") && !text.contains("build/"))
    #expect(text.contains("'prompts/Customer Support/**/*.md'"))
  }

  @Test("an existing mapping is refused with a usage error and left as it was")
  func existing() throws {
    let repository = try TemporaryRepository()
    try repository.write("promptgate.yaml", "behaviors: {}\n")
    #expect(throws: PromptGateError.self) {
      _ = try InitWorkflow.run(
        InitWorkflow.Input(repository: repository.path, output: nil, dryRun: false))
    }
    do {
      _ = try InitWorkflow.run(
        InitWorkflow.Input(repository: repository.path, output: nil, dryRun: false))
    } catch let error as PromptGateError {
      #expect(error.kind == .usage)
      #expect(error.message.contains("promptgate.yaml already exists"))
    }
    #expect(try repository.read("promptgate.yaml") == "behaviors: {}\n")
  }

  @Test("a bare repository has no working tree to scan")
  func bare() throws {
    let repository = try TemporaryRepository()
    try repository.write("a.txt", "a\n")
    try repository.commit("a")
    let bare = repository.container + "/bare.git"
    try repository.git("clone", "-q", "--bare", repository.path, bare)
    do {
      _ = try InitWorkflow.run(InitWorkflow.Input(repository: bare, output: nil, dryRun: true))
      Issue.record("init ran in a bare repository")
    } catch let error as PromptGateError {
      #expect(error.kind == .usage)
      #expect(error.message.contains("bare repository"))
    }
  }
}
