import PromptGateCore
import TestSupport
import Testing

/// The same behaviour gets the same id whatever else changes; a real change changes it.
@Suite("Behavior id stability")
struct BehaviorIDStabilityTests {
  @Test("an edit elsewhere in a shared YAML file keeps the id")
  func unrelatedEdit() throws {
    let repository = try ExampleProject.repository()
    let before = try repository.version("support-agent", at: .revision("HEAD"))
    try repository.write(
      "config/llm.yaml",
      """
      support:
        model: gpt-4o-mini
        temperature: 0.2
        max_tokens: 1024
      logging:
        level: debug
      summarizer:
        model: gpt-4o

      """)
    try repository.commit("Log more; add a summarizer block")
    #expect(try repository.version("support-agent", at: .revision("HEAD")) == before)
    #expect(
      try repository.version("support-agent", at: .revision("HEAD")).id
        == (try repository.version("support-agent", at: .revision("HEAD~1")).id))
  }

  @Test("a reformat or key reorder inside a selected subtree keeps the id")
  func reformatSubtree() throws {
    let repository = try ExampleProject.repository()
    let before = try repository.version("support-agent", at: .revision("HEAD"))
    try repository.write(
      "config/retrieval.yaml",
      """
      # Retrieval settings.
      billing: {index: invoices}
      support: {top_k: 5, filters: {audience: customers, locale: en},   index: "help-center"}

      """)
    try repository.commit("Reformat retrieval.yaml")
    let after = try repository.version("support-agent", at: .revision("HEAD"))
    #expect(after.retrievalPolicySha == before.retrievalPolicySha)
    #expect(after.id == before.id)

    try repository.write(
      "config/retrieval.yaml",
      "support: {top_k: 6, filters: {audience: customers, locale: en}, index: help-center}\n")
    #expect(try repository.version("support-agent").id != before.id)
  }

  @Test("temperature 0.2 and \"0.2\", maxOutputTokens 1024 and \"1024\" give the same id")
  func numericStrings() throws {
    let repository = try ExampleProject.repository()
    let before = try repository.version("support-agent", at: .revision("HEAD"))
    #expect(before.temperature == 0.2)
    #expect(before.maxOutputTokens == 1024)
    try repository.write(
      "config/llm.yaml",
      """
      support:
        model: gpt-4o-mini
        temperature: "0.2"
        max_tokens: "1024"
      logging:
        level: info

      """)
    let quoted = try repository.version("support-agent")
    #expect(quoted.temperature == 0.2)
    #expect(quoted.maxOutputTokens == 1024)
    #expect(quoted.id == before.id)

    try repository.write(
      "config/llm.yaml", "support: {model: gpt-4o-mini, temperature: 0.20, max_tokens: 1024.0}\n")
    #expect(try repository.version("support-agent").id == before.id)

    try repository.write(
      "config/llm.yaml", "support: {model: gpt-4o-mini, temperature: 0.3, max_tokens: 1024}\n")
    #expect(try repository.version("support-agent").id != before.id)
  }

  @Test(
    "reformatting a JSON tool schema keeps toolSchemaSha; a prompt whitespace edit changes promptSha"
  )
  func toolSchemaAndPrompt() throws {
    let repository = try ExampleProject.repository()
    let before = try repository.version("support-agent", at: .revision("HEAD"))
    try repository.write(
      "tools/support/lookup_order.json",
      """
      {
        "parameters": {
          "properties": { "id": { "type": "string" } },
          "type": "object"
        },
        "name": "lookup_order"
      }

      """)
    let reformatted = try repository.version("support-agent")
    #expect(reformatted.toolSchemaSha == before.toolSchemaSha)
    #expect(reformatted.id == before.id)

    try repository.write(
      "prompts/support/system.md", "You are a support agent for an online shop.\nBe brief. \n")
    let edited = try repository.version("support-agent")
    #expect(edited.promptSha != before.promptSha)
    #expect(edited.toolSchemaSha == before.toolSchemaSha)
    #expect(edited.id != before.id)
  }

  @Test("the same content at a commit, in the index and in the working tree has the same id")
  func sidesAgree() throws {
    let repository = try ExampleProject.repository()
    let committed = try repository.version("support-agent", at: .revision("HEAD"))
    #expect(try repository.version("support-agent", at: .index) == committed)
    #expect(try repository.version("support-agent", at: .workTree) == committed)

    try repository.write("prompts/support/examples/shipping.md", "Q: Shipping?\nA: 3 days.\n")
    let worktree = try repository.version("support-agent", at: .workTree)
    #expect(worktree.id != committed.id)
    #expect(try repository.version("support-agent", at: .index) == committed)

    try repository.git("add", "-A")
    #expect(try repository.version("support-agent", at: .index) == worktree)
    try repository.commit("Add a shipping example")
    #expect(try repository.version("support-agent", at: .revision("HEAD")) == worktree)
    #expect(try repository.version("support-agent", at: .revision("HEAD~1")) == committed)
  }

  @Test("moving the prompts with the same relative layout keeps promptSha")
  func movedPrompts() throws {
    let repository = try ExampleProject.repository()
    let before = try repository.version("support-agent", at: .revision("HEAD"))
    try repository.git("mv", "prompts/support", "agents")
    try repository.write(
      "promptgate.yaml",
      ExampleProject.mapping.replacingOccurrences(
        of: "prompts/support/**/*.md", with: "agents/**/*.md"))
    try repository.commit("Move the prompts")
    let after = try repository.version("support-agent", at: .revision("HEAD"))
    #expect(after.promptSha == before.promptSha)
    #expect(after.id == before.id)

    // A different relative layout is a different file set.
    try repository.git("mv", "agents/examples/refund.md", "agents/refund.md")
    #expect(try repository.version("support-agent").promptSha != before.promptSha)
  }

  @Test("renaming the behavior keeps its id")
  func renamedBehavior() throws {
    let repository = try ExampleProject.repository()
    let before = try repository.version("support-agent", at: .revision("HEAD"))
    try repository.write(
      "promptgate.yaml",
      ExampleProject.mapping.replacingOccurrences(of: "support-agent", with: "helpdesk"))
    let renamed = try repository.version("helpdesk")
    #expect(renamed.id == before.id)
  }

  @Test("the id is pgv1- and the SHA-256 of the canonical form written by hand")
  func goldenFromRepository() throws {
    let repository = try TemporaryRepository()
    try repository.write(
      "promptgate.yaml",
      """
      behaviors:
        tiny:
          model: {value: gpt-4o}
          decoding: {temperature: "0.2", maxOutputTokens: 1024}
      """)
    let version = try repository.version("tiny")
    let canonical =
      #"{"decoding":{"maxOutputTokens":1024,"temperature":0.2},"model":"gpt-4o","promptSha":null,"#
      + #""retrievalPolicySha":null,"safetyPolicySha":null,"schema":1,"toolSchemaSha":null}"#
    #expect(version.id.full == "pgv1-" + (try Subprocess.sha256(canonical)))
  }

  /// A repository whose retrieval policy and tool schema are data files written as given.
  private func policyRepository(retrieval: String, tool: String) throws -> TemporaryRepository {
    let repository = try TemporaryRepository()
    try repository.write(
      "promptgate.yaml",
      """
      behaviors:
        agent:
          model: {value: gpt-4o}
          toolSchema: tools/*.json
          retrievalPolicy: config/retrieval.yaml#/support
          decoding: {temperature: 0.2, maxOutputTokens: 1024}
      """)
    try repository.write("config/retrieval.yaml", retrieval)
    try repository.write("tools/lookup.json", tool)
    return repository
  }

  /// The id of the policy repository's behavior, computed by hand from the documented form.
  private func handID(retrieval: String, tool: String) throws -> String {
    let toolDigest = try Subprocess.sha256(tool)
    let toolSet = try Subprocess.sha256(
      #"[{"digest":"\#(toolDigest)","mode":"100644","path":"lookup.json"}]"#)
    let canonical =
      #"{"decoding":{"maxOutputTokens":1024,"temperature":0.2},"model":"gpt-4o","promptSha":null,"#
      + #""retrievalPolicySha":"\#(try Subprocess.sha256(retrieval))","safetyPolicySha":null,"#
      + #""schema":1,"toolSchemaSha":"\#(toolSet)"}"#
    return "pgv1-" + (try Subprocess.sha256(canonical))
  }

  @Test("YAML and JSON data files without << keep the id the documented form gives")
  func dataFilesWithoutMergeKeys() throws {
    let repository = try policyRepository(
      retrieval: """
        common: &common {locale: en}
        support:
          index: help-center
          top_k: 5
          filters: *common

        """,
      tool: #"{"name": "lookup", "description": "caf\u00e9 \ud83d\ude00", "parameters": {}}"#)
    let version = try repository.version("agent")
    #expect(
      version.id.full
        == (try handID(
          retrieval: #"{"filters":{"locale":"en"},"index":"help-center","top_k":5}"#,
          tool: #"{"description":"café 😀","name":"lookup","parameters":{}}"#)))
  }

  @Test("a YAML data file with << hashes like its expanded form, and pointers read through it")
  func mergeKeysHashExpanded() throws {
    let tool = #"{"name": "lookup"}"#
    let merged = try policyRepository(
      retrieval: """
        defaults: &defaults {index: help-center, top_k: 5}
        support:
          <<: *defaults
          top_k: 8

        """, tool: tool)
    let expanded = try policyRepository(
      retrieval: "support: {index: help-center, top_k: 8}\n", tool: tool)
    let version = try merged.version("agent")
    #expect(version == (try expanded.version("agent")))
    #expect(
      version.id.full
        == (try handID(
          retrieval: #"{"index":"help-center","top_k":8}"#, tool: #"{"name":"lookup"}"#)))
  }

  @Test("a pointer reaches a key that a merge key brings in")
  func pointerThroughMergeKey() throws {
    let repository = try TemporaryRepository()
    try repository.write(
      "promptgate.yaml",
      """
      behaviors:
        planner:
          model: config/agents.yaml#/agents/planner/model
          decoding: {temperature: config/agents.yaml#/agents/planner/temperature}
      """)
    try repository.write(
      "config/agents.yaml",
      """
      defaults: &defaults
        model: gpt-4o-mini
        temperature: 0.3
      agents:
        planner: {<<: *defaults, model: gpt-4o}

      """)
    let version = try repository.version("planner")
    #expect(version.model == "gpt-4o")
    #expect(version.temperature == 0.3)
  }

  @Test("the mapping file stays strict: a << there is still an error")
  func mappingFileKeepsMergeKeyStrict() throws {
    let repository = try TemporaryRepository()
    try repository.write(
      "promptgate.yaml",
      """
      behaviors:
        base: &base {model: {value: gpt-4o}}
        agent: {<<: *base}
      """)
    let error = try #require(throws: (any Error).self) {
      try repository.workspace().state(of: .workTree)
    }
    #expect("\(error)".contains("'<<'"), "\(error)")
  }
}
