import PromptGateCore
import Testing

/// YAML merge keys, expanded in data files and not in the mapping file.
@Suite("YAML merge keys")
struct YAMLMergeKeyTests {
  private func data(_ text: String) throws -> JSONValue {
    try YAMLLoader.load(text, file: "config/agents.yaml", mergeKeys: true)
  }

  @Test("a merge key merges a mapping; the mapping's own keys win")
  func mergeMapping() throws {
    let value = try data(
      """
      defaults: &defaults
        model: gpt-4o-mini
        temperature: 0.2
      agents:
        planner: {<<: *defaults, model: gpt-4o}
      """)
    guard case .object(let root) = value, case .object(let agents)? = root["agents"] else {
      Issue.record("not a mapping: \(value)")
      return
    }
    #expect(
      agents["planner"] == .object(["model": .string("gpt-4o"), "temperature": .number(0.2)]))
  }

  @Test("a list of merged mappings: earlier entries win over later ones, own keys over all")
  func mergeList() throws {
    let value = try data(
      """
      a: &a {x: 1, y: 1}
      b: &b {x: 2, y: 2, z: 2}
      c:
        <<: [*a, *b]
        y: 3
      """)
    guard case .object(let root) = value else { return }
    #expect(root["c"] == .object(["x": .number(1), "y": .number(3), "z": .number(2)]))
  }

  @Test("merged mappings that merge in turn are expanded")
  func nestedMerge() throws {
    let value = try data(
      """
      base: &base {retries: 2}
      defaults: &defaults {<<: *base, temperature: 0.2}
      planner: {<<: *defaults}
      """)
    guard case .object(let root) = value else { return }
    #expect(root["planner"] == .object(["retries": .number(2), "temperature": .number(0.2)]))
  }

  @Test("a quoted \"<<\" is an ordinary key, and without merge keys (the mapping file) so is <<")
  func quotedAndStrict() throws {
    guard case .object(let quoted) = try data("k: {\"<<\": {a: 1}}\n") else { return }
    #expect(quoted["k"] == .object(["<<": .object(["a": .number(1)])]))
    let strict = try YAMLLoader.load("d: &d {a: 1}\nk: {<<: *d}\n", file: "promptgate.yaml")
    guard case .object(let members) = strict else { return }
    #expect(members["k"] == .object(["<<": .object(["a": .number(1)])]))
  }

  @Test("a merge key holding a scalar is an error with its line and the fix")
  func mergeScalar() throws {
    let error = try #require(throws: Diagnostic.self) { try data("a: 1\nb:\n  <<: 3\n") }
    #expect(error.line == 3)
    #expect(error.message.contains("'<<'"))
    #expect(error.fix?.contains("*anchor") == true)
  }

  @Test("YAML case files expand merge keys too")
  func caseFile() throws {
    let text = """
      - id: a
        vars: &base {lang: en, q: one}
      - id: b
        vars: {<<: *base, q: two}
      """
    let cases = try CaseFile.parse(Array(text.utf8), file: "cases.yaml")
    #expect(
      cases.map(\.vars) == [
        ["lang": .string("en"), "q": .string("one")], ["lang": .string("en"), "q": .string("two")],
      ])
  }
}
