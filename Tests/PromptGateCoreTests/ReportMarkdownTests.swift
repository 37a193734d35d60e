import Foundation
import Testing

@testable import PromptGateCore

/// The Markdown report for the step summary and the pull-request comment.
@Suite("report: Markdown")
struct ReportMarkdownTests {
  @Test("starts with the marker and a heading with the status")
  func heading() {
    let text = MarkdownReport.render(ReportFixture.regressedResult())
    #expect(text.hasPrefix(MarkdownReport.commentMarker + "\n## ❌ PromptGate: regressed\n"))
    let unavailable = ReportFixture.result(
      sets: [], notEvaluated: [NotEvaluated(evalSet: "slow", reason: "harness exited 2\nline")])
    let warned = MarkdownReport.render(unavailable)
    #expect(warned.contains("## ⚠️ PromptGate: could not evaluate"))
    #expect(warned.contains("- **slow**: harness exited 2 line"))
    let passing = ReportFixture.result(
      sets: [
        ReportFixture.set("s", cases: [ReportFixture.verdict("a", .passing)], regressed: false)
      ])
    #expect(MarkdownReport.render(passing).contains("## ✅ PromptGate: pass"))
    let nothing = MarkdownReport.render(ReportFixture.result(sets: [], behaviors: []))
    #expect(nothing.contains("## ✅ PromptGate: no behavior changed"))
    #expect(!nothing.contains("### Eval sets"))
  }

  @Test("the behavior diff is a table with short digests, files under the component")
  func behaviors() {
    let text = MarkdownReport.render(ReportFixture.regressedResult())
    let digestA = String(repeating: "a", count: 12)
    let digestB = String(repeating: "b", count: 12)
    #expect(text.contains("| support-agent | version | `pgv1-\(digestA)` | `pgv1-\(digestB)` |"))
    #expect(
      text.contains(
        "|  | prompt<br>added prompts/extra.md<br>modified prompts/system.md | `\(digestA)` | `\(digestB)` |"
      ))
    #expect(!text.contains(String(repeating: "a", count: 13)))
    #expect(text.contains("|  | model | gpt-4o-mini | gpt-4o\\|mini |"))
  }

  @Test("the eval set table has rates, the p-value and the verdict")
  func sets() {
    let text = MarkdownReport.render(ReportFixture.regressedResult())
    #expect(
      text.contains(
        "| support-smoke | fast | support-agent | 25% (1/4) | 66.7% (2/3) | 0.5 | ❌ regressed |"))
    #expect(text.contains("- pass rate 50% fell below the floor 100%"))
    #expect(text.contains("<details><summary><code>refund-torn</code>"))
    #expect(!text.contains("<code>both-bad</code>"))
  }

  @Test("table cells escape pipes and line breaks")
  func cells() {
    #expect(MarkdownReport.cell("a|b\nc\r\nd") == "a\\|b<br>c<br>d")
    #expect(MarkdownReport.cell("<img src=x>") == "&lt;img src=x&gt;")
  }

  @Test("backticks in the output cannot close the fence")
  func fence() {
    let output = "before\n```\nrm -rf /\n````\nafter"
    let verdict = ReportFixture.verdict(
      "tick", .regressed, head: ReportFixture.score(false, output: output))
    let set = ReportFixture.set("s", cases: [verdict], regressed: true)
    let text = MarkdownReport.render(ReportFixture.result(sets: [set]))
    #expect(text.contains("`````text\n\(output)\n`````\n"))
  }

  @Test("a huge report drops case details from the end and stays within the limit")
  func limit() {
    let big = String(repeating: "x", count: 15_000) + "é€😀"
    let cases = (0..<100).map {
      ReportFixture.verdict(
        "case-\($0)", .regressed, head: ReportFixture.score(false, output: big + "\n```"))
    }
    let set = ReportFixture.set("huge", cases: cases, regressed: true)
    let result = ReportFixture.result(sets: [set])
    let limit = 1_048_576
    let whole = MarkdownReport.render(result, limit: 10 * limit)
    #expect(whole.utf8.count > limit)
    #expect(!whole.contains("omitted"))
    let text = MarkdownReport.render(result)
    #expect(text.utf8.count <= limit)
    let kept = text.components(separatedBy: "<details>").count - 1
    #expect(kept > 0 && kept < 100)
    #expect(text.contains("<code>case-0</code>"))
    #expect(!text.contains("<code>case-99</code>"))
    #expect(text.contains("The details of \(100 - kept) regressed cases were omitted"))
    let fences = text.split(separator: "\n").filter { $0.hasPrefix("````") }
    #expect(fences.count == 2 * kept)
    #expect(text.components(separatedBy: "</details>").count - 1 == kept)
  }

  @Test("any limit holds, even one smaller than the tables")
  func tinyLimit() {
    for limit in [0, 10, 30, 200, 700, 2_000] {
      let text = MarkdownReport.render(ReportFixture.regressedResult(), limit: limit)
      #expect(text.utf8.count <= limit)
      if limit >= 200 { #expect(text.hasPrefix(MarkdownReport.commentMarker)) }
      #expect(text.components(separatedBy: "```").count % 2 == 1)
    }
  }
}
