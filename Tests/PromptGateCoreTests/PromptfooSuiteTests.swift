import Testing

@testable import PromptGateCore

/// promptfoo configurations read as promptfoo reads them. Each expected result cites the
/// promptfoo documentation page or source it comes from (promptfoo cannot be installed here).
@Suite("PromptfooSuite: defaultTest, var expansion, file:// vars, assertion templates")
struct PromptfooSuiteTests {
  private func parse(
    _ text: String, path: String = "evals/promptfooconfig.yaml", files: [String: String] = [:]
  )
    throws -> [EvalCase]
  {
    try CaseFile.parse(Array(text.utf8), file: path, path: path, tree: .memory(files))
  }

  private func problems(
    _ text: String, path: String = "evals/promptfooconfig.yaml", files: [String: String] = [:]
  ) -> [Diagnostic] {
    do {
      let cases = try parse(text, path: path, files: files)
      Issue.record("expected an error, parsed \(cases.count) cases")
      return []
    } catch {
      return (error as? Diagnostics)?.items ?? []
    }
  }

  private func output(_ text: String) -> ProviderOutput { ProviderOutput(output: text) }

  private func passes(_ evalCase: EvalCase, _ text: String) -> Bool {
    evalCase.assertions.allSatisfy {
      $0.evaluate(output(text), context: AssertionContext())?.pass == true
    }
  }

  // promptfoo docs, configuration/expected-outputs: "value" is rendered with Nunjucks and the
  // test's vars (`contains: '{{city}}'`); source: src/assertions/index.ts renders a string value
  // with nunjucks.renderString(value, test.vars), and each entry of a list value.
  @Test("{{var}} in an assertion value is rendered with the test's vars")
  func rendersAssertionValues() throws {
    let cases = try parse(
      """
      prompts: ['What is the capital of {{country}}?']
      tests:
        - vars: {country: France, city: Paris, n: 3, info: {lang: French}}
          assert:
            - type: contains
              value: '{{city}}'
            - type: icontains-any
              value: ['{{ city }}', 'the {{info.lang}} capital']
            - type: not-contains
              value: '{{n}} cities'
      """)
    #expect(
      cases[0].assertions[0].kind == .contains(["Paris"], mode: .one, caseInsensitive: false))
    #expect(
      cases[0].assertions[1].kind
        == .contains(["Paris", "the French capital"], mode: .any, caseInsensitive: true))
    #expect(passes(cases[0], "It is Paris."))
    #expect(!passes(cases[0], "It is {{city}}."))
    #expect(!passes(cases[0], "Paris, among 3 cities"))
  }

  @Test("a template PromptGate cannot render as Nunjucks does is refused at its line")
  func refusesTemplatesBeyondTheSubset() {
    let found = problems(
      """
      tests:
        - vars: {city: Paris, info: {lang: French}}
          assert:
            - type: contains
              value: '{{ city | upper }}'
            - type: contains
              value: '{{ town }}'
            - type: contains
              value: '{{ info }}'
            - type: contains
              value: '{% if city %}yes{% endif %}'
      """)
    #expect(found.map(\.line) == [4, 6, 8, 10])
    #expect(found[0].message.contains("filters"))
    #expect(found[1].message.contains("names no variable"))
    #expect(found[2].message.contains("[object Object]"))
    #expect(found[3].message.contains("tag"))
  }

  // promptfoo docs, configuration/test-cases ("vars can be arrays"): a var holding a list of
  // strings runs the test once per value, every combination of several; source:
  // src/evaluator.ts generateVarCombinations (a list whose first entry is not a string is one
  // value; options.disableVarExpansion keeps lists whole).
  @Test("array vars expand into one case per combination, each with its own id and rendering")
  func expandsArrayVars() throws {
    let cases = try parse(
      """
      tests:
        - description: capital
          vars:
            city: [Paris, Rome]
            tone: [formal, casual]
            numbers: [1, 2]
          assert:
            - type: icontains
              value: '{{city}}'
        - description: whole
          vars: {city: [Paris, Rome]}
          options: {disableVarExpansion: true}
      """)
    #expect(
      cases.map(\.id) == [
        "capital [city=Paris, tone=formal]", "capital [city=Paris, tone=casual]",
        "capital [city=Rome, tone=formal]", "capital [city=Rome, tone=casual]", "whole",
      ])
    #expect(cases[2].vars["city"] == .string("Rome"))
    #expect(cases[2].vars["numbers"] == .array([.number(1), .number(2)]))
    #expect(cases[2].assertions[0].kind == .contains(["Rome"], mode: .one, caseInsensitive: true))
    #expect(cases[4].vars["city"] == .array([.string("Paris"), .string("Rome")]))
    #expect(Set(cases.map(\.content)).count == 5)
  }

  // promptfoo docs, configuration/test-cases ("Loading variables from files"): file:// vars
  // are read relative to the config; source: src/evaluatorHelpers.ts renderPrompt reads a text
  // file and trims it, runs .js/.py, converts .yaml; a glob gives one test per file
  // (generateVarCombinations).
  @Test("file:// vars are read from the tree, trimmed, and their content is the case's key")
  func readsFileVars() throws {
    let config = """
      tests:
        - description: policy
          vars: {policy: file://data/policy.txt}
          assert: [{type: icontains, value: '{{policy}}'}]
        - description: each
          vars: {doc: 'file://docs/*.md'}
      """
    let files = [
      "evals/data/policy.txt": "  30-day refund\n\n",
      "evals/docs/a.md": "A", "evals/docs/b.md": "B", "evals/other.md": "no",
    ]
    let cases = try parse(config, files: files)
    #expect(
      cases.map(\.id) == ["policy", "each [doc=evals/docs/a.md]", "each [doc=evals/docs/b.md]"])
    #expect(cases[0].vars["policy"] == .string("30-day refund"))
    #expect(
      cases[0].assertions[0].kind == .contains(["30-day refund"], mode: .one, caseInsensitive: true)
    )
    #expect(cases[1].vars["doc"] == .string("A"))
    var changed = files
    changed["evals/data/policy.txt"] = "14-day refund"
    let again = try parse(config, files: changed)
    #expect(again[0].content != cases[0].content)
    #expect(again[1].content == cases[1].content)
  }

  @Test("file:// vars PromptGate cannot read as promptfoo does are refused, naming the var")
  func refusesFileVars() {
    let found = problems(
      """
      tests:
        - vars: {a: file://missing.txt}
        - vars: {b: file://make.py}
        - vars: {c: file://data.yaml}
        - vars: {d: file://../../outside.txt}
        - vars: {e: 'file://none/*.txt'}
      """, files: ["evals/data.yaml": "x: 1"])
    #expect(found.count == 5)
    #expect(found[0].message.contains("var 'a'") && found[0].message.contains("names no file"))
    #expect(found[1].message.contains("script"))
    #expect(found[2].message.contains(".yaml"))
    #expect(found[3].message.contains("leaves the repository"))
    #expect(found[4].message.contains("matches no file"))
  }

  // promptfoo docs, configuration/guide ("Default test cases"): defaultTest's vars and assert
  // apply to every test; source: src/util/config/load.ts / evaluator merges
  // {...defaultTest, ...test, vars: {...defaultTest.vars, ...test.vars},
  //  assert: [...defaultTest.assert, ...test.assert], options merged}.
  @Test("defaultTest is merged into each test: vars (the test's win), assertions concatenated")
  func mergesDefaultTest() throws {
    let cases = try parse(
      """
      defaultTest:
        vars: {tone: polite, city: Nowhere}
        assert:
          - type: not-icontains
            value: sorry
      tests:
        - vars: {city: Paris}
          assert:
            - type: contains
              value: '{{city}} ({{tone}})'
        - vars: {city: Rome}
      """)
    #expect(cases.count == 2)
    #expect(cases[0].vars == ["tone": .string("polite"), "city": .string("Paris")])
    #expect(cases[0].assertions.map(\.type) == ["not-icontains", "contains"])
    #expect(
      cases[0].assertions[1].kind
        == .contains(["Paris (polite)"], mode: .one, caseInsensitive: false))
    #expect(cases[1].assertions.map(\.type) == ["not-icontains"])
    #expect(!passes(cases[1], "Sorry, no."))
  }

  // promptfoo docs, configuration/guide: defaultTest may be a file://path to a YAML file.
  @Test("defaultTest: file://... is read from the tree and merged")
  func defaultTestFile() throws {
    let cases = try parse(
      "defaultTest: file://defaults.yaml\ntests: [{vars: {city: Paris}}]\n",
      files: [
        "evals/defaults.yaml":
          "vars: {tone: calm}\nassert:\n  - {type: icontains, value: '{{city}}'}\n"
      ])
    #expect(cases[0].vars == ["tone": .string("calm"), "city": .string("Paris")])
    #expect(cases[0].assertions[0].kind == .contains(["Paris"], mode: .one, caseInsensitive: true))
    let missing = problems("defaultTest: file://none.yaml\ntests: [{vars: {q: 1}}]\n")
    #expect(missing.first?.line == 1)
    #expect(missing.first?.message.contains("names no file") == true)
  }

  @Test("defaultTest in a JSON config is merged the same way")
  func mergesDefaultTestJSON() throws {
    let cases = try parse(
      #"{"defaultTest": {"vars": {"x": "1"}, "assert": [{"type": "contains", "value": "{{x}}"}]}, "tests": [{"vars": {"y": "2"}}]}"#,
      path: "evals/promptfooconfig.json")
    #expect(cases[0].vars == ["x": .string("1"), "y": .string("2")])
    #expect(cases[0].assertions[0].kind == .contains(["1"], mode: .one, caseInsensitive: false))
  }

  // promptfoo docs, configuration/expected-outputs ("Assertion sets"): an assert-set passes
  // when its assertions pass (or a share of them, with threshold).
  @Test("assert-set without threshold is its assertions; with a threshold it is refused")
  func assertSets() throws {
    let cases = try parse(
      """
      tests:
        - vars: {q: hi}
          assert:
            - type: assert-set
              assert:
                - {type: contains, value: a}
                - {type: contains, value: b}
      """)
    #expect(cases[0].assertions.map(\.type) == ["contains", "contains"])
    #expect(passes(cases[0], "ab") && !passes(cases[0], "a"))
    let found = problems(
      """
      tests:
        - vars: {q: hi}
          assert:
            - type: assert-set
              threshold: 0.5
              assert: [{type: contains, value: a}]
      """)
    #expect(found.first?.line == 4)
    #expect(found.first?.message.contains("assert-set") == true)
  }

  // promptfoo docs, configuration/reference (TestCase.options.transform; Assertion.transform);
  // test-level threshold: configuration/expected-outputs ("Weighted assertions").
  @Test("options that change what is asserted, and an assert-set under a threshold, are refused")
  func refusesOptions() {
    let found = problems(
      """
      tests:
        - vars: {q: hi}
          options: {transform: output.toUpperCase()}
        - vars: {q: hi}
          threshold: 0.5
          assert: [{type: assert-set, assert: [{type: contains, value: a}]}]
        - vars: {q: hi}
          options: {prefix: 'Answer: '}
      """)
    #expect(found.map(\.line) == [3, 6, 8])
    #expect(found[0].message.contains("options.transform"))
    #expect(found[0].fix?.contains("harness") == true)
    #expect(found[1].message.contains("assert-set inside a test with a threshold"))
    #expect(found[2].message.contains("options.prefix"))
  }

  @Test("a test threshold and assertion weights are read; a threshold of 0 means none")
  func thresholdAndWeight() throws {
    let cases = try parse(
      """
      tests:
        - vars: {q: hi}
          threshold: 0.6
          assert: [{type: contains, value: a, weight: 2}, {type: contains, value: b}]
        - vars: {q: ho}
          threshold: 0
      """)
    #expect(cases[0].threshold == 0.6)
    #expect(cases[0].assertions.map(\.weight) == [2, 1])
    #expect(cases[1].threshold == nil)
  }

  @Test("scenarios are still refused")
  func scenarios() {
    let found = problems("scenarios: [{config: [{vars: {a: 1}}]}]\ntests: [{vars: {q: 1}}]\n")
    #expect(found.first?.message.contains("scenarios") == true)
  }
}

/// promptfoo's `tests: file://...` (docs, configuration/test-cases: "tests: file://tests.csv",
/// a glob such as file://tests/*.yaml, or a list mixing paths and inline tests; paths are
/// relative to the config).
@Suite("CaseFile references: tests as a path, a glob or a list")
struct CaseFileReferenceTests {
  private func parse(_ text: String, files: [String: String]) throws -> [EvalCase] {
    let path = "evals/promptfooconfig.yaml"
    return try CaseFile.parse(Array(text.utf8), file: path, path: path, tree: .memory(files))
  }

  @Test("tests: a path, a glob, and a list mixing them with inline tests; defaultTest applies")
  func references() throws {
    let files = [
      "evals/tests.csv": "city,__expected\nParis,icontains:{{city}}\n",
      "evals/more/a.yaml": "- description: a\n  vars: {city: Rome}\n",
      "evals/more/b.jsonl": "{\"description\": \"b\", \"vars\": {\"city\": \"Bern\"}}\n",
    ]
    let single = try parse(
      "defaultTest: {assert: [{type: not-icontains, value: sorry}]}\ntests: file://tests.csv\n",
      files: files)
    #expect(single.count == 1)
    #expect(single[0].assertions.map(\.type) == ["not-icontains", "icontains"])
    let mixed = try parse(
      """
      tests:
        - file://more/*
        - description: inline
          vars: {city: Oslo}
        - file://tests.csv
      """, files: files)
    #expect(mixed.map(\.id) == ["a", "b", "inline", "case-4"])
    #expect(mixed[3].vars == ["city": .string("Paris")])
  }

  @Test("a reference that names nothing, or code, is refused at its line; a bad file names itself")
  func badReferences() {
    func problems(_ text: String, _ files: [String: String] = [:]) -> [Diagnostic] {
      do {
        _ = try parse(text, files: files)
        return []
      } catch {
        return (error as? Diagnostics)?.items ?? []
      }
    }
    #expect(problems("tests: file://none.csv\n").first?.message.contains("names no file") == true)
    #expect(problems("tests: [file://gen.py]\n").first?.message.contains("running code") == true)
    let bad = problems("tests: file://t.yaml\n", ["evals/t.yaml": "- vars: {q: 1}\n  asert: []\n"])
    #expect(bad.first?.file == "evals/t.yaml")
    #expect(bad.first?.line == 2)
  }

  @Test("a test promptfoo would not rewrite is passed on as the full expansion would give it")
  func plainShortcut() throws {
    let tree = CaseTree.memory(["evals/a.txt": "alpha"])
    let suite = PromptfooSuite(
      file: "evals/t.jsonl", baseDirectory: "evals", tree: tree, defaultTest: nil)
    let lines = [
      #"{"vars": {"q": "plain", "n": 1, "list": [1, 2]}, "assert": [{"type": "icontains", "value": "x"}]}"#,
      #"{"vars": {"q": "a"}, "assert": [{"type": "icontains", "value": "{{q}}"}]}"#,
      #"{"vars": {"q": "a"}, "assert": [{"type": "icontains", "value": "{% if %}"}]}"#,
      #"{"vars": {"q": "a"}, "assert": [{"type": "icontains", "value": "file://a.txt"}]}"#,
      #"{"vars": {"q": "a"}, "assert": [{"type": "icontains-any", "value": ["{{q}}", "b"]}]}"#,
      #"{"vars": {"q": "a"}, "assert": [{"type": "equals", "value": {"k": "{{q}}"}}]}"#,
      #"{"vars": {"q": "a"}, "assert": [{"type": "equals", "value": {"k": "v"}}]}"#,
      #"{"vars": {"q": ["a", "b"]}, "assert": [{"type": "icontains", "value": "a"}]}"#,
      #"{"vars": {"q": "file://a.txt"}}"#,
      #"{"vars": {"q": "a"}, "options": {"transform": "x"}}"#,
      #"{"vars": {"q": "a"}, "options": null}"#,
      #"{"vars": "text", "assert": "not a list"}"#,
      #"{"vars": {"q": "a"}, "assert": [{"type": "assert-set", "assert": [{"type": "contains", "value": "a"}]}]}"#,
      #"{"vars": {"q": "a"}, "assert": ["not an object", {"type": "is-json"}]}"#,
      #"{"input": "hello", "target": "hi"}"#,
      #"{"id": 3}"#,
    ]
    for (index, line) in lines.enumerated() {
      let source = CaseSource(
        value: try JSONText.parse(utf8: Array(line.utf8)[...]), line: index + 1,
        position: index + 1)
      var shortcut: [Diagnostic] = []
      var full: [Diagnostic] = []
      let quick = suite.expand(source, problems: &shortcut)
      let slow = suite.expandInFull(source, problems: &full)
      #expect(quick.map(\.value) == slow.map(\.value), "line \(index + 1)")
      #expect(quick.map(\.assertionLines) == slow.map(\.assertionLines), "line \(index + 1)")
      #expect(shortcut == full, "line \(index + 1)")
    }
    // These take the shortcut; each other line is rewritten, refused, or read in full.
    let plain = lines.map { line in
      guard case .object(let fields) = try? JSONText.parse(utf8: Array(line.utf8)[...]) else {
        return false
      }
      return suite.isPlain(CaseFields(fields))
    }
    #expect(plain.enumerated().filter(\.element).map(\.offset) == [0, 6, 13, 14, 15])
  }
}
