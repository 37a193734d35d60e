import Testing

@testable import PromptGateCore

/// `.json` case files and data files are read as JSON, not as YAML.
@Suite("JSON files read as JSON")
struct JSONFileTests {
  @Test("a .json case file with surrogate-pair escapes parses, with each case's line")
  func surrogateCaseFile() throws {
    let text = """
      [
        {"id": "emoji", "vars": {"q": "\\ud83d\\ude00 smile"},
         "assert": [{"type": "icontains", "value": "\\ud83d\\ude00"}]},
        {"id": "plain", "vars": {"q": "two"}}
      ]
      """
    let cases = try CaseFile.parse(Array(text.utf8), file: "evals/cases.json")
    #expect(cases.map(\.id) == ["emoji", "plain"])
    #expect(cases.map(\.line) == [2, 4])
    #expect(cases[0].vars["q"] == .string("😀 smile"))
  }

  @Test("a promptfoo .json config with tests: reads its cases")
  func promptfooJSON() throws {
    let text = """
      {"prompts": ["p"],
       "tests": [
         {"description": "first", "vars": {"q": "\\u00e9"}}
       ]}
      """
    let cases = try CaseFile.parse(Array(text.utf8), file: "promptfooconfig.json")
    #expect(cases.map(\.line) == [3])
    #expect(cases[0].vars["q"] == .string("é"))
  }

  @Test("invalid JSON in a case file names the file, line and column")
  func caseSyntaxError() throws {
    let text = "[\n  {\"id\": \"a\"},\n  {\"id\": b}\n]\n"
    let error = try #require(throws: Diagnostics.self) {
      try CaseFile.parse(Array(text.utf8), file: "evals/cases.json")
    }
    let problem = try #require(error.items.first)
    #expect(problem.file == "evals/cases.json")
    #expect(problem.line == 3, "\(problem)")
    #expect(problem.column == 10, "\(problem)")
    #expect(problem.message.hasPrefix("invalid JSON"), "\(problem)")
  }

  @Test("a duplicate key in a .json case file is still an error, at the duplicate")
  func caseDuplicateKey() throws {
    let text = "[\n  {\"id\": \"a\",\n   \"id\": \"b\"}\n]\n"
    let error = try #require(throws: Diagnostics.self) {
      try CaseFile.parse(Array(text.utf8), file: "c.json")
    }
    let problem = try #require(error.items.first)
    #expect(problem.line == 3, "\(problem)")
    #expect(problem.message.contains("'id'"))
    #expect(problem.message.contains("line 2"), "\(problem)")
  }

  @Test("a bad assertion in a .json case file names the assertion's own line")
  func caseAssertionLine() throws {
    let text = """
      [{"id": "a",
        "assert": [
          {"type": "contains", "value": "ok"},
          {"type": "similar", "value": "hello"}
        ]}]
      """
    let error = try #require(throws: Diagnostics.self) {
      try CaseFile.parse(Array(text.utf8), file: "a.json")
    }
    #expect(error.items.map(\.line) == [4], "\(error)")
  }

  @Test("a JSON data file: surrogate pairs read, syntax errors name the line")
  func dataFile() throws {
    let value = try StructuredFile.parse(
      Array(#"{"greeting": "\ud83d\ude00"}"#.utf8), path: "config/x.json", location: "config/x.json"
    )
    #expect(value == .object(["greeting": .string("😀")]))

    let error = try #require(throws: Diagnostic.self) {
      try StructuredFile.parse(
        Array("{\n  \"a\": 1,\n  \"b\": x\n}\n".utf8), path: "config/x.json",
        location: "HEAD:config/x.json")
    }
    #expect(error.file == "HEAD:config/x.json")
    #expect(error.line == 3, "\(error)")
    #expect(error.column == 8, "\(error)")
  }
}
