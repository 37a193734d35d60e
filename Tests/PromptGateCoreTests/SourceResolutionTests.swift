import PromptGateCore
import TestSupport
import Testing

/// Each source form and shorthand, resolved from real repositories.
@Suite("Source resolution")
struct SourceResolutionTests {
  /// A repository with prompts, YAML and JSON configuration and a Python file naming a model.
  private func repository(mapping: String) throws -> TemporaryRepository {
    let repository = try TemporaryRepository()
    try repository.write("promptgate.yaml", mapping)
    try repository.write("prompts/system.md", "You are helpful.\n")
    try repository.write("prompts/tone/friendly.md", "Be friendly.\n")
    try repository.write("prompts/drafts/new.md", "Unfinished.\n")
    try repository.write(
      "config/llm.yaml",
      """
      support:
        model: gpt-4o-mini
        temperature: "0.7"
        max_tokens: 512
      retrieval:
        index: kb
        top_k: 5

      """)
    try repository.write("config/llm.json", #"{"model": "claude-3", "limits": {"tokens": 256}}"#)
    try repository.write(
      "app/main.py",
      """
      import client
      MODEL = "gpt-4o"
      FALLBACK_MODEL = "gpt-3.5"

      """)
    return repository
  }

  @Test("a list of globs, a single glob string and {files:} give the same file set")
  func fileSetForms() throws {
    let repository = try repository(
      mapping: """
        behaviors:
          list: {prompt: [prompts/**/*.md, "!prompts/drafts/**"]}
          long: {prompt: {files: [prompts/**/*.md, "!prompts/drafts/**"]}}
          single: {prompt: prompts/*.md}
          everything: {prompt: prompts/**/*.md}
        """)
    let list = try repository.resolved("list")
    let files = try #require(list.components[.prompt]?.files)
    #expect(files.map(\.relativePath) == ["system.md", "tone/friendly.md"])
    #expect(files.map(\.path) == ["prompts/system.md", "prompts/tone/friendly.md"])
    #expect(files.allSatisfy { $0.mode == "100644" && $0.digest.count == 64 })
    let promptSha = try #require(list.version.promptSha)
    #expect(promptSha.count == 64)
    #expect(try repository.version("long").promptSha == promptSha)

    let single = try repository.resolved("single")
    #expect(single.components[.prompt]?.files?.map(\.relativePath) == ["system.md"])
    #expect(single.version.promptSha != promptSha)
    let everything = try repository.resolved("everything")
    #expect(everything.components[.prompt]?.files?.count == 3)
    #expect(everything.version.promptSha != promptSha)
    // Components the behavior leaves out are null.
    #expect(list.version.model == nil)
    #expect(list.version.temperature == nil)
    #expect(list.components[.toolSchema]?.value == .null)
  }

  @Test("FILE#/pointer selects a scalar from YAML or JSON, as {file:, pointer:} does")
  func pointerScalar() throws {
    let repository = try repository(
      mapping: """
        behaviors:
          short:
            model: config/llm.yaml#/support/model
            decoding:
              temperature: config/llm.yaml#/support/temperature
              maxOutputTokens: config/llm.yaml#/support/max_tokens
          long:
            model: {file: config/llm.yaml, pointer: /support/model}
            decoding:
              temperature: {file: config/llm.yaml, pointer: /support/temperature}
              maxOutputTokens: {file: config/llm.yaml, pointer: /support/max_tokens}
          json:
            model: config/llm.json#/model
            decoding: {maxOutputTokens: config/llm.json#/limits/tokens}
        """)
    let short = try repository.version("short")
    #expect(short.model == "gpt-4o-mini")
    #expect(short.temperature == 0.7)
    #expect(short.maxOutputTokens == 512)
    #expect(try repository.version("long") == short)
    let json = try repository.version("json")
    #expect(json.model == "claude-3")
    #expect(json.maxOutputTokens == 256)
  }

  @Test("FILE#/pointer selects a subtree, hashed in canonical form")
  func pointerSubtree() throws {
    let repository = try repository(
      mapping: """
        behaviors:
          pointer: {retrievalPolicy: config/llm.yaml#/retrieval}
          long: {retrievalPolicy: {file: config/llm.yaml, pointer: /retrieval}}
          literal: {retrievalPolicy: {value: {top_k: 5, index: kb}}}
          whole: {retrievalPolicy: config/llm.json#}
        """)
    let pointer = try repository.resolved("pointer")
    #expect(
      pointer.components[.retrievalPolicy]?.selected
        == .object(["index": .string("kb"), "top_k": .number(5)]))
    let expected = try Subprocess.sha256(#"{"index":"kb","top_k":5}"#)
    #expect(pointer.version.retrievalPolicySha == expected)
    #expect(try repository.version("long").retrievalPolicySha == expected)
    #expect(try repository.version("literal").retrievalPolicySha == expected)
    #expect(
      try repository.version("whole").retrievalPolicySha
        == (try Subprocess.sha256(#"{"limits":{"tokens":256},"model":"claude-3"}"#)))
  }

  @Test("{file:, regex:} captures group 1 by default, or the group named")
  func regex() throws {
    let repository = try repository(
      mapping: #"""
        behaviors:
          default: {model: {file: app/main.py, regex: '^MODEL = "([^"]+)"$'}}
          group: {model: {file: app/main.py, regex: '^(FALLBACK_MODEL) = "([^"]+)"$', group: 2}}
          whole: {model: {file: app/main.py, regex: 'gpt-4\w', group: 0}}
        """#)
    #expect(try repository.version("default").model == "gpt-4o")
    #expect(try repository.version("group").model == "gpt-3.5")
    #expect(try repository.version("whole").model == "gpt-4o")
  }

  @Test("a regex that matches twice is an error naming the file and the lines")
  func regexTwice() throws {
    let repository = try repository(
      mapping: """
        behaviors:
          agent: {model: {file: app/main.py, regex: 'MODEL = "([^"]+)"'}}
        """)
    let error = try #require(throws: Diagnostic.self) {
      try repository.workspace().state(of: .workTree)
    }
    #expect(error.file == "app/main.py")
    #expect(error.message.contains("2 times"))
    #expect(error.line == 2)
  }

  @Test("{value:} literals for every kind of component")
  func literals() throws {
    let repository = try repository(
      mapping: """
        behaviors:
          agent:
            model: {value: gpt-4o}
            safetyPolicy: {value: [no pii, no medical advice]}
            decoding: {temperature: {value: 0.2}, maxOutputTokens: {value: "1024"}}
          shorthand:
            model: gpt-4o
            decoding: {temperature: 0.2, maxOutputTokens: 1024}
        """)
    let agent = try repository.version("agent")
    #expect(agent.model == "gpt-4o")
    #expect(agent.temperature == 0.2)
    #expect(agent.maxOutputTokens == 1024)
    #expect(
      agent.safetyPolicySha == (try Subprocess.sha256(#"["no pii","no medical advice"]"#)))
    let shorthand = try repository.version("shorthand")
    #expect(shorthand.model == agent.model)
    #expect(shorthand.temperature == agent.temperature)
    #expect(shorthand.maxOutputTokens == agent.maxOutputTokens)
  }

  @Test("an optional source that matches nothing gives null")
  func optionalNothing() throws {
    let repository = try repository(
      mapping: """
        behaviors:
          agent:
            prompt: [prompts/system.md]
            safetyPolicy: {files: [policies/**], optional: true}
            toolSchema: {file: config/tools.json, pointer: /tools, optional: true}
            retrievalPolicy: {file: config/llm.yaml, pointer: /nowhere, optional: true}
            model: {file: app/main.py, regex: 'NO_SUCH = (.*)', optional: true}
        """)
    let agent = try repository.resolved("agent")
    #expect(agent.version.promptSha != nil)
    #expect(agent.version.safetyPolicySha == nil)
    #expect(agent.version.toolSchemaSha == nil)
    #expect(agent.version.retrievalPolicySha == nil)
    #expect(agent.version.model == nil)
    #expect(agent.components[.safetyPolicy]?.value == .null)
  }

  @Test(
    "a required source that matches nothing makes the behavior absent, naming the source",
    arguments: [
      ("prompt: [policies/**/*.md]", Component.prompt, "policies/**/*.md"),
      ("model: config/llm.yaml#/support/modle", .model, "config/llm.yaml#/support/modle"),
      ("model: config/missing.yaml#/model", .model, "config/missing.yaml"),
      ("model: {file: app/main.py, regex: 'NO_SUCH = (.*)'}", .model, "NO_SUCH"),
      ("safetyPolicy: policies/safety.md", .safetyPolicy, "policies/safety.md"),
    ])
  func absent(source: String, component: Component, named: String) throws {
    let repository = try repository(
      mapping: """
        behaviors:
          agent:
            \(source)
        """)
    guard case .absent(let absence) = try repository.state("agent") else {
      Issue.record("the behavior should be absent")
      return
    }
    #expect(absence.component == component)
    #expect(absence.description.contains(named))
    #expect(!absence.reason.isEmpty)
  }

  @Test("a pointer that misses says where it stopped")
  func pointerMissReason() throws {
    let repository = try repository(
      mapping: "behaviors:\n  agent: {model: config/llm.yaml#/support/modle}\n")
    guard case .absent(let absence) = try repository.state("agent") else {
      Issue.record("the behavior should be absent")
      return
    }
    #expect(absence.reason.contains("modle"))
    #expect(absence.reason.contains("/support"))
  }

  @Test("sources resolve at a commit from git objects, not from the working tree")
  func atCommit() throws {
    let repository = try repository(
      mapping: """
        behaviors:
          agent:
            prompt: [prompts/*.md]
            model: config/llm.yaml#/support/model
        """)
    try repository.commit("Initial")
    let committed = try repository.version("agent", at: .revision("HEAD"))
    #expect(committed == (try repository.version("agent")))
    try repository.write("config/llm.yaml", "support: {model: gpt-5}\n")
    try repository.remove("prompts/system.md")
    #expect(try repository.version("agent", at: .revision("HEAD")) == committed)
    #expect(try repository.version("agent", at: .index) == committed)
    guard case .absent = try repository.state("agent") else {
      Issue.record("with its only prompt deleted, the behavior is absent in the working tree")
      return
    }
  }
}
