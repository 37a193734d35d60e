import Testing

@testable import PromptGateCore

@Suite("CaseFile: native, promptfoo and Inspect case files")
struct CaseFileTests {
  private func parse(_ text: String, file: String) throws -> [EvalCase] {
    try CaseFile.parse(Array(text.utf8), file: file)
  }

  /// The problems parsing reports; fails the test when parsing succeeds.
  private func problems(_ bytes: [UInt8], file: String) -> [Diagnostic] {
    do {
      let cases = try CaseFile.parse(bytes, file: file)
      Issue.record("expected an error, parsed \(cases.count) cases")
      return []
    } catch {
      return error.items
    }
  }

  private func problems(_ text: String, file: String) -> [Diagnostic] {
    problems(Array(text.utf8), file: file)
  }

  @Test("native JSONL: ids from id, description or position; vars; assertions; lines")
  func nativeJSONL() throws {
    let cases = try parse(
      """
      {"id": "refund", "vars": {"question": "Can I get a refund?"}, "assert": [{"type": "icontains", "value": "refund"}]}

      {"description": "greets", "vars": {"name": "Ada"}}
      {"id": 7, "assert": [{"type": "is-refusal"}]}
      {"vars": {"n": 1}}
      """, file: "evals/smoke.jsonl")
    #expect(cases.map(\.id) == ["refund", "greets", "7", "case-4"])
    #expect(cases.map(\.line) == [1, 3, 4, 5])
    #expect(cases[0].vars == ["question": .string("Can I get a refund?")])
    #expect(
      cases[0].assertions == [
        Assertion(type: "icontains", kind: .contains(["refund"], mode: .one, caseInsensitive: true))
      ])
    #expect(cases[1].description == "greets")
    #expect(cases[2].vars.isEmpty)
    #expect(cases[2].assertions.map(\.kind) == [.isRefusal])
    #expect(cases[3].assertions.isEmpty)
  }

  @Test("content holds id and vars, not the assertions")
  func content() throws {
    let first = try parse(
      #"{"id": "a", "vars": {"q": 1}, "assert": [{"type": "contains", "value": "x"}]}"#,
      file: "c.jsonl")[0]
    let second = try parse(
      #"{"id": "a", "vars": {"q": 1}, "assert": [{"type": "contains", "value": "y"}]}"#,
      file: "c.jsonl")[0]
    #expect(first.content == .object(["id": .string("a"), "vars": .object(["q": .number(1)])]))
    #expect(first.content == second.content)
  }

  @Test("native YAML list, with each case's line")
  func nativeYAML() throws {
    let cases = try parse(
      """
      # smoke cases
      - id: refund
        vars:
          question: Can I get a refund?
        assert:
          - type: not-icontains
            value: sorry
      - description: order status
        vars: {order: 42}
      """, file: "evals/smoke.yaml")
    #expect(cases.map(\.id) == ["refund", "order status"])
    #expect(cases.map(\.line) == [2, 8])
    #expect(cases[0].assertions.first?.negated == true)
    #expect(cases[1].vars == ["order": .number(42)])
  }

  @Test("promptfoo config: cases under tests:, other config keys and harmless extras ignored")
  func promptfooTests() throws {
    let cases = try parse(
      """
      description: support bot
      prompts: [prompts/support.txt]
      providers: [openai:gpt-4o-mini]
      tests:
        - description: refund policy
          vars: {question: refund?}
          metadata: {owner: support}
          options: {runSerially: true}
          assert:
            - type: llm-rubric
              value: mentions the 30-day window
              weight: 2
              metric: policy
      """, file: "promptfooconfig.yml")
    #expect(cases.count == 1)
    #expect(cases[0].id == "refund policy")
    #expect(cases[0].line == 5)
    #expect(cases[0].assertions.first?.kind == .rubric("mentions the 30-day window"))
    #expect(cases[0].assertions.first?.threshold == 0.5)
  }

  @Test("a .json file holds a list of cases")
  func jsonList() throws {
    let cases = try parse(
      """
      [
        {"id": "a", "vars": {"q": "one"}},
        {"id": "b", "vars": {"q": "two"}}
      ]
      """, file: "cases.json")
    #expect(cases.map(\.id) == ["a", "b"])
    #expect(cases.map(\.line) == [2, 3])
  }

  @Test("Inspect samples: string target is icontains, list target is icontains-any")
  func inspectTargets() throws {
    let cases = try parse(
      """
      {"id": 1, "input": "What is 2+2?", "target": "4", "metadata": {"topic": "math"}}
      {"input": "Name a primary colour", "target": ["red", "blue", "yellow"]}
      {"input": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}], "sandbox": "docker", "files": {}, "setup": "true"}
      """, file: "inspect.jsonl")
    #expect(cases.map(\.id) == ["1", "case-2", "case-3"])
    #expect(
      cases[0].vars == [
        "input": .string("What is 2+2?"), "metadata": .object(["topic": .string("math")]),
      ])
    #expect(
      cases[0].assertions == [
        Assertion(type: "icontains", kind: .contains(["4"], mode: .one, caseInsensitive: true))
      ])
    #expect(
      cases[1].assertions == [
        Assertion(
          type: "icontains-any",
          kind: .contains(["red", "blue", "yellow"], mode: .any, caseInsensitive: true))
      ])
    #expect(
      cases[2].vars["input"]
        == .array([
          .object(["role": .string("system"), "content": .string("Be brief.")]),
          .object(["role": .string("user"), "content": .string("Hi")]),
        ]))
    #expect(cases[2].vars["metadata"] == nil)
    #expect(cases[2].assertions.isEmpty)
  }

  @Test("an Inspect target scores the output the way includes() does")
  func inspectScoring() throws {
    let sample = try parse(#"{"input": "2+2?", "target": "Four"}"#, file: "s.jsonl")[0]
    let assertion = try #require(sample.assertions.first)
    let context = AssertionContext()
    #expect(
      assertion.evaluate(ProviderOutput(output: "It is four."), context: context)?.pass == true)
    #expect(assertion.evaluate(ProviderOutput(output: "It is 4."), context: context)?.pass == false)
  }

  @Test("an unknown key names file, line and key, and lists the known keys")
  func unknownKey() {
    let found = problems(
      """
      - id: a
        vars: {q: 1}
        asserts: [{type: is-json}]
      """, file: "evals/c.yaml")
    #expect(found.count == 1)
    #expect(found.first?.file == "evals/c.yaml")
    #expect(found.first?.line == 3)
    #expect(found.first?.message.contains("'asserts'") == true)
    #expect(found.first?.fix?.contains("id, description, vars and assert") == true)
  }

  // Inspect's default FieldSpec reads input, target, choices, id, metadata, sandbox, files and
  // setup, and ignores every other field of a record (inspect_ai/dataset/_util.py).
  @Test("fields beyond Inspect's field mapping are ignored, as Inspect ignores them")
  func unknownInspectKey() throws {
    let cases = try parse(
      #"{"input": "hi", "target": "x", "answer": "y", "explanation": 1}"#, file: "s.jsonl")
    #expect(cases[0].vars == ["input": .string("hi")])
    #expect(cases[0].assertions.count == 1)
  }

  // Inspect parses metadata given as text with json.loads, and reads a target with Python's
  // str() (inspect_ai/dataset/_util.py read_target): 4 -> "4", True -> "True".
  @Test("Inspect metadata as JSON text is parsed; numeric and list targets become text")
  func inspectLeniencies() throws {
    let cases = try parse(
      """
      {"input": "2+2?", "target": 4, "metadata": "{\\"topic\\": \\"math\\"}"}
      {"input": "odd?", "target": [1, 3]}
      {"input": "true?", "target": true}
      """, file: "s.jsonl")
    #expect(cases[0].vars["metadata"] == .object(["topic": .string("math")]))
    #expect(cases[0].assertions[0].kind == .contains(["4"], mode: .one, caseInsensitive: true))
    #expect(
      cases[1].assertions[0].kind == .contains(["1", "3"], mode: .any, caseInsensitive: true))
    #expect(cases[2].assertions[0].kind == .contains(["True"], mode: .one, caseInsensitive: true))
    let bad = problems(#"{"input": "x", "metadata": "not json"}"#, file: "s.jsonl")
    #expect(bad.first?.message.contains("json.loads") == true)
  }

  // Inspect scores choices with choice(), on what its multiple_choice() solver made the model
  // write ("ANSWER: A"): includes("A") would pass nearly any English answer.
  @Test("an Inspect sample with choices is refused, in Inspect's vocabulary")
  func inspectChoices() {
    let found = problems(
      #"{"input": "Capital of France?", "choices": ["Paris", "Rome"], "target": "A"}"#,
      file: "s.jsonl")
    #expect(found.count == 1)
    #expect(found.first?.message.contains("choice()") == true)
    #expect(found.first?.fix?.contains("target") == true)
    #expect(found.first?.fix?.contains("vars") == false)
  }

  @Test("duplicate case ids name both lines")
  func duplicateIDs() {
    let found = problems(
      """
      {"id": "a"}
      {"id": "b"}
      {"id": "a"}
      """, file: "d.jsonl")
    #expect(found.count == 1)
    #expect(found.first?.line == 3)
    #expect(found.first?.message.contains("line 3") == true)
    #expect(found.first?.message.contains("line 1") == true)
    #expect(found.first?.fix?.contains("distinct id") == true)
  }

  @Test("ids taken from descriptions collide too")
  func duplicateDescriptions() {
    let found = problems("- description: same\n- description: same\n", file: "d.yaml")
    #expect(found.map(\.line) == [2])
  }

  @Test("malformed JSON on a line names the line and column; every bad line is reported")
  func malformedLines() {
    let found = problems(
      """
      {"id": "a"}
      {"id": "b",}
      {"id": "c" "vars": {}}
      """, file: "m.jsonl")
    #expect(found.map(\.line) == [2, 3])
    #expect(found.map(\.column) == [12, 12])
    #expect(found.allSatisfy { $0.message.hasPrefix("malformed JSON") })
    #expect(found.first?.fix?.contains("single line") == true)
  }

  @Test("duplicate keys on a JSONL line are an error, not a silent overwrite")
  func duplicateJSONKeys() {
    let found = problems(#"{"id": "a", "id": "b"}"#, file: "k.jsonl")
    #expect(found.first?.message.contains("duplicate key 'id'") == true)
  }

  @Test("nested objects, small and large, keep their own members and find their own duplicates")
  func nestedObjects() throws {
    let large = (0..<20).map { "\"n\($0)\": {\"x\": \($0)}" }.joined(separator: ", ")
    let text =
      "{\"a\": {\"x\": 1, \"y\": {\"x\": 2}}, \"big\": {" + large
      + "}, \"b\": [{\"x\": 3}, {}], \"x\": 4}"
    guard case .object(let top) = try JSONText.parse(text),
      case .object(let big) = top["big"]
    else {
      Issue.record("\(text) did not read as nested objects")
      return
    }
    #expect(top.keys.sorted() == ["a", "b", "big", "x"])
    #expect(top["a"] == .object(["x": .number(1), "y": .object(["x": .number(2)])]))
    #expect(top["b"] == .array([.object(["x": .number(3)]), .object([:])]))
    #expect(big.count == 20)
    #expect(big["n19"] == .object(["x": .number(19)]))
    // The outer key `a` again, after inner objects that also hold `x`: found at its column.
    let repeated = #"{"a": {"x": 1}, "b": {"x": 2, "a": 3}, "a": 0}"#
    #expect(throws: JSONText.SyntaxError(column: 40, message: "duplicate key 'a'")) {
      try JSONText.parse(repeated)
    }
  }

  @Test(
    "a duplicate key is found at its column in small and large objects alike",
    arguments: [(2, 5), (0, 8), (7, 8), (8, 9), (3, 11), (10, 11)])
  func duplicateKeyInLargeObject(first: Int, repeated: Int) throws {
    func object(_ keys: [String]) -> String {
      "{" + keys.map { "\"\($0)\": 1" }.joined(separator: ", ") + "}"
    }
    let distinct = (0..<12).map { "k\($0)" }
    guard case .object(let members) = try JSONText.parse(object(distinct)) else {
      Issue.record("twelve distinct keys did not read as an object")
      return
    }
    #expect(members.count == 12)
    var keys = distinct
    keys[repeated] = "k\(first)"
    let text = object(keys)
    let second = try #require(text.range(of: "\"k\(first)\"", options: .backwards))
    let column = text.distance(from: text.startIndex, to: second.lowerBound) + 1
    #expect(throws: JSONText.SyntaxError(column: column, message: "duplicate key 'k\(first)'")) {
      try JSONText.parse(text)
    }
  }

  @Test("duplicate keys in YAML are an error")
  func duplicateYAMLKeys() {
    let found = problems("- id: a\n  id: b\n", file: "k.yaml")
    #expect(found.first?.message.contains("duplicate key") == true)
    #expect(found.first?.fix != nil)
  }

  @Test("a case that is not a mapping")
  func notAnObject() {
    let found = problems("[1, 2]\n", file: "n.jsonl")
    #expect(found.first?.line == 1)
    #expect(found.first?.message.contains("must be a mapping") == true)
    #expect(found.first?.fix != nil)
    #expect(problems("- just text\n", file: "n.yaml").first?.line == 1)
  }

  @Test("invalid UTF-8 names its line", arguments: ["u.jsonl", "u.yaml"])
  func invalidUTF8(file: String) {
    let bytes = Array("{\"id\": \"a\"}\n".utf8) + [0x7B, 0xFF, 0xFE, 0x7D, 0x0A]
    let found = problems(bytes, file: file)
    #expect(found.first?.line == 2)
    #expect(found.first?.message.contains("UTF-8") == true)
    #expect(found.first?.fix == "save the file as UTF-8")
  }

  @Test("JSON Lines: invalid UTF-8 inside a string, or after an escape, names its line")
  func invalidUTF8InStrings() {
    for line in [
      Array("{\"id\": \"a".utf8) + [0xC3, 0x28] + Array("\"}".utf8),
      Array("{\"id\": \"a\\n".utf8) + [0xFF] + Array("\"}".utf8),
      Array("{\"id\": 1} ".utf8) + [0xFE],
    ] {
      let found = problems(Array("{\"id\": \"ok\"}\n".utf8) + line, file: "u.jsonl")
      #expect(found.count == 1)
      #expect(found.first?.line == 2)
      #expect(found.first?.message == "is not UTF-8 text")
    }
  }

  @Test("JSON Lines: text, escapes and non-ASCII read exactly; blank lines of any space skipped")
  func jsonLinesText() throws {
    let cases = try parse(
      "{\"id\": \"caf\u{E9}\", \"vars\": {\"q\": \"tab\\there \\u00e9 \\ud83d\\ude00 \\\"q\\\" \u{1F600}\"}}\n"
        + "\u{A0}\u{2003}\n  \t\n{\"vars\": {\"q\": \"\"}}\n",
      file: "t.jsonl")
    #expect(cases.map(\.id) == ["caf\u{E9}", "case-2"])
    #expect(cases.first?.vars["q"] == .string("tab\there \u{E9} \u{1F600} \"q\" \u{1F600}"))
    #expect(cases.last?.line == 4)
  }

  @Test("an empty file is an error with the fix", arguments: ["e.jsonl", "e.yaml", "e.json"])
  func emptyFile(file: String) {
    let found = problems("\n  \n", file: file)
    #expect(found.count == 1)
    #expect(found.first?.message == "has no cases")
    #expect(found.first?.fix != nil)
    #expect(problems("tests: []\n", file: "p.yaml").first?.message == "has no cases")
  }

  @Test("a mapping without tests:, and tests: that is not a list")
  func badDocumentShape() {
    #expect(problems("prompts: [a]\n", file: "p.yaml").first?.message.contains("tests:") == true)
    let reference = problems("prompts: [a]\ntests: 3\n", file: "p.yaml")
    #expect(reference.first?.line == 2)
    #expect(reference.first?.fix?.contains("inline") == true)
    let outside = problems("prompts: [a]\ntests: file://tests.csv\n", file: "p.yaml")
    #expect(outside.first?.line == 2)
    #expect(outside.first?.message.contains("repository") == true)
  }

  @Test("a defaultTest key promptfoo does not merge is refused at its line")
  func defaultTest() {
    let found = problems(
      """
      defaultTest:
        assert: [{type: is-json}]
        provider: openai:gpt-4o
      tests:
        - vars: {q: 1}
      """, file: "promptfooconfig.yaml")
    #expect(found.map(\.line) == [3])
    #expect(found.first?.message.contains("defaultTest") == true)
  }

  @Test("an unknown extension is an error with the fix")
  func unknownExtension() {
    let found = problems("{}", file: "cases.txt")
    #expect(found.first?.fix?.contains(".jsonl") == true)
    #expect(found.first?.fix?.contains(".csv") == true)
  }

  @Test("a bad assertion in YAML names the assertion's own line")
  func assertionLine() {
    let found = problems(
      """
      - id: a
        assert:
          - type: contains
            value: ok
          - type: similar
            value: hello
      """, file: "a.yaml")
    #expect(found.count == 1)
    #expect(found.first?.line == 5)
    #expect(found.first?.message.contains("assertion type 'similar'") == true)
  }

  @Test("all problems in a file are reported together")
  func collectsProblems() {
    let found = problems(
      """
      {"id": "a", "extra": 1}
      {"id": "b", "vars": [1]}
      {"id": "c", "assert": [{"type": "regex", "value": "("}]}
      """, file: "many.jsonl")
    #expect(found.map(\.line) == [1, 2, 3])
  }

  @Test("wrong types for id, vars, assert, input and target are errors")
  func wrongTypes() {
    #expect(problems(#"{"id": 1.5}"#, file: "t.jsonl").first?.message.contains("id") == true)
    #expect(problems(#"{"assert": {}}"#, file: "t.jsonl").first?.message.contains("assert") == true)
    #expect(problems(#"{"input": 3}"#, file: "t.jsonl").first?.message.contains("input") == true)
    #expect(
      problems(#"{"input": [{"text": "hi"}]}"#, file: "t.jsonl").first?.message.contains(
        "role and content") == true)
    #expect(
      problems(#"{"input": "hi", "target": {}}"#, file: "t.jsonl").first?.message.contains(
        "target") == true)
  }
}
