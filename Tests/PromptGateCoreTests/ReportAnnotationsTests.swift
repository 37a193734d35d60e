import Testing

@testable import PromptGateCore

/// GitHub workflow commands pointing at the changed lines.
@Suite("report: GitHub annotations")
struct ReportAnnotationsTests {
  @Test("a regressed set gives one error per changed range, naming the cases and the component")
  func errors() {
    let lines = GitHubAnnotations.render(ReportFixture.regressedResult())
    #expect(lines.count == 2)
    let message =
      "eval set support-smoke regressed after this change to support-agent.prompt: refund-torn regressed (pass rate 25%25 vs 66.7%25 at the baseline)"
    #expect(
      lines.first
        == "::error file=prompts/system.md,line=3,endLine=4,title=PromptGate%3A support-smoke regressed::\(message)"
    )
    #expect(lines.last?.hasPrefix("::error file=prompts/system.md,line=10,endLine=10,") == true)
  }

  @Test("without a known changed input the error has no file")
  func noFile() {
    let set = ReportFixture.set(
      "s", cases: [ReportFixture.verdict("a", .passing)], regressed: true,
      findings: ["pass rate 0% fell below the floor 100%"])
    let lines = GitHubAnnotations.render(ReportFixture.result(sets: [set]))
    #expect(
      lines == [
        "::error title=PromptGate%3A s regressed::eval set s (behavior support-agent) regressed: pass rate 0%25 fell below the floor 100%25"
      ])
  }

  @Test("a changed input without changed lines is annotated on the whole file")
  func wholeFile() {
    let inputs = ["s": [ChangedInput(path: "tools/search.json", component: .toolSchema, lines: [])]]
    let set = ReportFixture.set(
      "s", cases: [ReportFixture.verdict("a", .regressed)], regressed: true)
    let lines = GitHubAnnotations.render(ReportFixture.result(sets: [set], changedInputs: inputs))
    #expect(lines.count == 1)
    #expect(lines[0].hasPrefix("::error file=tools/search.json,title=PromptGate%3A s regressed::"))
    #expect(lines[0].contains("support-agent.toolSchema"))
  }

  @Test("messages escape %, CR and LF; properties also : and ,")
  func escaping() {
    #expect(GitHubAnnotations.data("100% done\r\nnext: a,b") == "100%25 done%0D%0Anext: a,b")
    #expect(GitHubAnnotations.property("a:b,c%\n") == "a%3Ab%2Cc%25%0A")
    let inputs = [
      "s": [
        ChangedInput(path: "dir,x/a:b.md", component: .prompt, lines: [LineRange(start: 1, end: 2)])
      ]
    ]
    let set = ReportFixture.set(
      "s", cases: [ReportFixture.verdict("50%\nid", .regressed)], regressed: true)
    let line = GitHubAnnotations.render(ReportFixture.result(sets: [set], changedInputs: inputs))[0]
    #expect(line.hasPrefix("::error file=dir%2Cx/a%3Ab.md,line=1,endLine=2,title="))
    #expect(line.contains("50%25%0Aid regressed"))
    #expect(!line.contains("\n"))
  }

  @Test("not-evaluated sets, notes and unconfirmed (insignificant) failures are warnings")
  func warnings() {
    let noted = ReportFixture.set(
      "noted", cases: [ReportFixture.verdict("r", .unconfirmed)], regressed: false,
      findings: [
        "pass rate 50% is below the floor 90%, as the baseline's 50% was: not a regression"
      ])
    let result = ReportFixture.result(
      sets: [noted], notEvaluated: [NotEvaluated(evalSet: "slow", reason: "timeout")])
    let lines = GitHubAnnotations.render(result)
    #expect(lines.count == 3)
    #expect(lines.allSatisfy { $0.hasPrefix("::warning title=") })
    #expect(lines[1].contains("r failed at the head, but not significantly"))
    #expect(
      lines[2]
        == "::warning title=PromptGate%3A slow not evaluated::eval set slow could not be evaluated: timeout"
    )
  }

  @Test("at most 10 errors and 10 warnings; the last says how many more")
  func caps() {
    let ranges = (1...15).map { LineRange(start: $0 * 10, end: $0 * 10) }
    let inputs = ["s": [ChangedInput(path: "p.md", component: .prompt, lines: ranges)]]
    let set = ReportFixture.set(
      "s", cases: [ReportFixture.verdict("a", .regressed)], regressed: true)
    let missing = (1...12).map { NotEvaluated(evalSet: "m\($0)", reason: "down") }
    let lines = GitHubAnnotations.render(
      ReportFixture.result(sets: [set], notEvaluated: missing, changedInputs: inputs))
    let errors = lines.filter { $0.hasPrefix("::error ") }
    let warnings = lines.filter { $0.hasPrefix("::warning ") }
    #expect(errors.count == 10)
    #expect(warnings.count == 10)
    #expect(errors[9].contains("%0Aand 5 more: p.md:110, p.md:120, p.md:130, p.md:140, p.md:150"))
    #expect(warnings[9].contains("%0Aand 2 more: PromptGate: m11 not evaluated, PromptGate: m12"))
    #expect(!errors[8].contains("more"))
  }
}
