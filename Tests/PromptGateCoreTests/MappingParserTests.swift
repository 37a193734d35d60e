import PromptGateCore
import TestSupport
import Testing

@Suite("MappingParser")
struct MappingParserTests {
  static let file = "promptgate.yaml"

  @Test("the issue's example mapping parses into every source form")
  func exampleMapping() throws {
    let mapping = try MappingParser.parse(ExampleProject.mapping, file: Self.file)
    #expect(mapping.file == Self.file)
    #expect(mapping.behaviors.map(\.name) == ["support-agent"])
    let agent = try #require(mapping.behavior(named: "support-agent"))
    #expect(agent.sources[.prompt] == Source(.files([try Glob("prompts/support/**/*.md")])))
    #expect(
      agent.sources[.model]
        == Source(
          .pointer(file: "config/llm.yaml", pointer: try #require(JSONPointer("/support/model")))))
    #expect(agent.sources[.toolSchema] == Source(.files([try Glob("tools/support/*.json")])))
    #expect(
      agent.sources[.retrievalPolicy]
        == Source(
          .pointer(file: "config/retrieval.yaml", pointer: try #require(JSONPointer("/support")))))
    #expect(
      agent.sources[.safetyPolicy]
        == Source(.files([try Glob("policies/safety.md")]), optional: true))
    #expect(
      agent.sources[.temperature]
        == Source(
          .pointer(
            file: "config/llm.yaml", pointer: try #require(JSONPointer("/support/temperature")))))
    #expect(
      agent.sources[.maxOutputTokens]
        == Source(
          .pointer(
            file: "config/llm.yaml", pointer: try #require(JSONPointer("/support/max_tokens")))))

    #expect(mapping.evalSets.map(\.name) == ["support-smoke", "support-release"])
    let smoke = try #require(mapping.evalSet(named: "support-smoke"))
    #expect(smoke.tier == "fast")
    #expect(smoke.cases == "evals/support/smoke.jsonl")
    #expect(
      smoke.protects
        == ["support-agent": [.prompt, .toolSchema, .model, .temperature, .maxOutputTokens]])
    let release = try #require(mapping.evalSet(named: "support-release"))
    #expect(release.tier == "release")
    #expect(release.protects == ["support-agent": Set(Component.allCases)])
    #expect(mapping.global == [try Glob("evals/lib/**")])
  }

  @Test("long forms, literals and optional sources")
  func longForms() throws {
    let yaml = """
      behaviors:
        agent:
          prompt: {files: [prompts/*.md, "!prompts/draft.md"], optional: true}
          model: {file: app/main.py, regex: '^MODEL = "([^"]+)"$'}
          toolSchema: {file: tools.json, pointer: /tools, optional: true}
          retrievalPolicy: {value: {top_k: 5}}
          safetyPolicy: policies/
          decoding:
            temperature: 0.7
            maxOutputTokens: "1024"
        other:
          prompt: other.md
          model: {value: gpt-4o, optional: false}
          decoding: {temperature: {file: c.json, pointer: /t}, maxOutputTokens: {value: 10}}
      """
    let mapping = try MappingParser.parse(yaml, file: Self.file)
    let agent = try #require(mapping.behavior(named: "agent"))
    #expect(
      agent.sources[.prompt]
        == Source(
          .files([try Glob("prompts/*.md"), try Glob("!prompts/draft.md")]), optional: true))
    #expect(
      agent.sources[.model]
        == Source(.regex(file: "app/main.py", pattern: "^MODEL = \"([^\"]+)\"$", group: 1)))
    #expect(
      agent.sources[.toolSchema]
        == Source(
          .pointer(file: "tools.json", pointer: try #require(JSONPointer("/tools"))), optional: true
        ))
    #expect(
      agent.sources[.retrievalPolicy] == Source(.value(.object(["top_k": .number(5)]))))
    #expect(agent.sources[.safetyPolicy] == Source(.files([try Glob("policies/")])))
    #expect(agent.sources[.temperature] == Source(.value(.number(0.7))))
    if case .value = agent.sources[.maxOutputTokens]?.form {
    } else {
      Issue.record("maxOutputTokens: \"1024\" should be a literal value")
    }
    let other = try #require(mapping.behavior(named: "other"))
    #expect(other.sources[.prompt] == Source(.files([try Glob("other.md")])))
    #expect(other.sources[.model] == Source(.value(.string("gpt-4o"))))
    #expect(
      other.sources[.temperature]
        == Source(.pointer(file: "c.json", pointer: try #require(JSONPointer("/t")))))
    #expect(other.sources[.maxOutputTokens] == Source(.value(.number(10))))
    #expect(other.sources[.toolSchema] == nil)
    #expect(mapping.evalSets.isEmpty)
    #expect(mapping.global.isEmpty)
  }
}
