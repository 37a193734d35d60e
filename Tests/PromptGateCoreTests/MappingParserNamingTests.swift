import PromptGateCore
import Testing

/// Names that collide where they are used, and eval sets that do not say what they run:
/// errors at parse time, with the line.
@Suite("MappingParser names and eval set behaviors")
struct MappingParserNamingTests {
  @Test(
    "behavior names that become the same environment variable",
    arguments: [("a-b", "a_b"), ("bot", "Bot"), ("x.y", "x-y")])
  func environmentCollision(first: String, second: String) {
    let yaml = """
      behaviors:
        \(first):
          model: {value: m}
        \(second):
          model: {value: m}
      """
    let diagnostic = MappingProblems.one(yaml, at: "\(second):")
    let variable = Mapping.environmentVariable(for: first)
    #expect(diagnostic?.message.contains(variable) == true, "\(String(describing: diagnostic))")
    #expect(diagnostic?.message.contains("'\(first)'") == true)
    #expect(diagnostic?.message.contains("'\(second)'") == true)
    #expect(diagnostic?.fix?.contains("rename") == true)
  }

  @Test("the environment variable is the name upper-cased, other characters as _")
  func environmentVariable() {
    #expect(
      Mapping.environmentVariable(for: "support-agent.v2")
        == "PROMPTGATE_BEHAVIOR_ID_SUPPORT_AGENT_V2")
  }

  static let twoBehaviors = """
    behaviors:
      a:
        model: {value: m}
      b:
        model: {value: m}
    providers:
      harness: {type: exec, command: [python3, h.py]}
    evalSets:
      both:
        tier: fast
        provider: harness
        cases: evals/both.jsonl
        protects: {a: all, b: [model]}

    """

  @Test("a set protecting several behaviors without `behavior:` is an error at its name")
  func severalBehaviors() throws {
    let diagnostic = MappingProblems.one(Self.twoBehaviors, at: "both:")
    #expect(diagnostic?.message.contains("several behaviors (a, b)") == true)
    #expect(diagnostic?.fix?.contains("add `behavior: NAME`") == true)
    let named = try MappingParser.parse(
      Self.twoBehaviors + "    behavior: b\n", file: MappingProblems.file)
    #expect(named.evalSet(named: "both")?.run.behavior == "b")
  }

  @Test("a set without a provider that protects several behaviors needs `behavior:` too")
  func severalBehaviorsNoProvider() {
    let yaml = Self.twoBehaviors.replacingOccurrences(of: "    provider: harness\n", with: "")
    MappingProblems.one(yaml, at: "both:")
  }

  @Test("a set with a provider that protects nothing is an error at its name")
  func protectsNothing() {
    let yaml = Self.twoBehaviors.replacingOccurrences(
      of: "    protects: {a: all, b: [model]}\n", with: "")
    let diagnostic = MappingProblems.one(yaml, at: "both:")
    #expect(diagnostic?.fix?.contains("protects") == true)
  }
}
