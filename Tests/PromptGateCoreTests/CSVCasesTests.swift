import Testing

@testable import PromptGateCore

/// CSV case files, as promptfoo and Inspect AI read them. promptfoo's expected results come from
/// its docs (configuration/test-cases, "CSV format": `__expected`, `__expectedN`,
/// `__description`, `__threshold`, `__metadata:<key>`, and `type:value` / `type(threshold):value`
/// in `__expected`) and its source src/csv.ts (assertionFromString: `grade:` is llm-rubric,
/// plain text is equals, -any/-all values split on commas).
@Suite("CSVCases: promptfoo test CSV and Inspect CSV samples")
struct CSVCasesTests {
  private func parse(_ text: String, file: String = "evals/tests.csv") throws -> [EvalCase] {
    try CaseFile.parse(Array(text.utf8), file: file, path: file, tree: .memory([:]))
  }

  private func problems(_ text: String, file: String = "evals/tests.csv") -> [Diagnostic] {
    do {
      let cases = try parse(text, file: file)
      Issue.record("expected an error, parsed \(cases.count) cases")
      return []
    } catch {
      return (error as? Diagnostics)?.items ?? []
    }
  }

  private func passes(_ evalCase: EvalCase, _ text: String) -> Bool {
    evalCase.assertions.allSatisfy {
      $0.evaluate(ProviderOutput(output: text), context: AssertionContext())?.pass == true
    }
  }

  @Test("promptfoo columns: vars, __expected forms, __description, __metadata")
  func promptfooColumns() throws {
    let cases = try parse(
      """
      city,country,__expected1,__expected2,__description,__metadata:owner
      Paris,France,icontains:{{city}},"not-contains-any: London, Rome",capital,geo
      "Rome, Italy",Italy,Rome is the capital,,,geo
      Bern,Switzerland,"grade: names Bern",is-json,,

      """)
    #expect(cases.map(\.id) == ["capital", "case-2", "case-3"])
    #expect(cases.map(\.line) == [2, 3, 4])
    #expect(cases[0].vars == ["city": .string("Paris"), "country": .string("France")])
    #expect(cases[0].assertions[0].kind == .contains(["Paris"], mode: .one, caseInsensitive: true))
    #expect(cases[0].assertions[1].type == "not-contains-any")
    #expect(
      cases[0].assertions[1].kind
        == .contains(["London", "Rome"], mode: .any, caseInsensitive: false))
    #expect(passes(cases[0], "PARIS it is") && !passes(cases[0], "Paris, not Rome"))
    #expect(cases[1].vars["city"] == .string("Rome, Italy"))
    #expect(cases[1].assertions.map(\.kind) == [.equals(.string("Rome is the capital"))])
    #expect(cases[2].assertions[0].kind == .rubric(" names Bern"))
    #expect(cases[2].assertions[1].kind == .isJSON(schema: nil))
  }

  @Test("type(threshold):value carries the threshold; quotes, CRLF and a BOM are read")
  func thresholdsAndQuoting() throws {
    let cases = try parse(
      "\u{FEFF}q,__expected\r\n\"say \"\"hi\"\"\",llm-rubric(0.8):is friendly\r\n\"two\nlines\",latency(500)\r\n"
    )
    #expect(cases[0].vars["q"] == .string("say \"hi\""))
    #expect(cases[0].assertions[0].threshold == 0.8)
    #expect(cases[0].assertions[0].kind == .rubric("is friendly"))
    #expect(cases[1].vars["q"] == .string("two\nlines"))
    #expect(cases[1].assertions[0].kind == .latency(maxMs: 500))
    // src/csv.ts: levenshtein without (threshold) gets 0.75, so only an exact match passes.
    let exact = try parse("q,__expected\nx,levenshtein:Paris\n")
    #expect(exact[0].assertions[0].kind == .levenshtein("Paris", maxDistance: 0.75))
  }

  @Test("what promptfoo would score and PromptGate cannot is refused at the row's line")
  func refusals() {
    let found = problems(
      """
      q,__expected,__threshold,__prefix
      a,javascript: output.length < 10,,
      c,contains:y,,Answer:
      """)
    #expect(found.count == 2)
    #expect(found.map(\.line) == [2, 3])
    #expect(found[0].message.contains("javascript"))
    #expect(found[1].message.contains("prefix"))
    let weighted = try? parse("q,__expected,__threshold\nb,contains:x,0.5\n")
    #expect(weighted?.first?.threshold == 0.5)
    let broken = problems("q,__expected\nd,\"broken,\n")
    #expect(broken.first?.line == 2)
    #expect(broken.first?.message.contains("never closed") == true)
  }

  @Test("a row with the wrong number of fields names its line")
  func ragged() {
    let found = problems("q,__expected\na,contains:x,extra\n")
    #expect(found.first?.line == 2)
    #expect(found.first?.message.contains("3 fields") == true)
  }

  // Inspect's csv_dataset reads rows with Python's csv module and its default FieldSpec
  // (input, target, id, metadata, choices; other columns ignored); a target is text.
  @Test("Inspect CSV: input and target columns, other columns ignored, includes() scoring")
  func inspectCSV() throws {
    let cases = try parse(
      """
      id,input,target,difficulty
      q1,What is 2+2?,4,easy
      q2,Name a colour,,hard

      """, file: "evals/samples.csv")
    #expect(cases.map(\.id) == ["q1", "q2"])
    #expect(cases[0].vars == ["input": .string("What is 2+2?")])
    #expect(cases[0].assertions[0].kind == .contains(["4"], mode: .one, caseInsensitive: true))
    #expect(cases[1].assertions.isEmpty)
    let choices = problems("input,choices,target\nCapital?,\"Paris,Rome\",A\n")
    #expect(choices.first?.message.contains("choice()") == true)
  }
}
