import Foundation
import Testing

@testable import PromptGateCore

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// The JUnit report: well-formed XML whose failures are exactly what fails the gate.
@Suite("report: JUnit")
struct ReportJUnitTests {
  private func parse(_ xml: String) throws -> XMLElement {
    let document = try XMLDocument(xmlString: xml, options: [])
    return try #require(document.rootElement())
  }

  private func attribute(_ element: XMLElement?, _ name: String) -> String? {
    element?.attribute(forName: name)?.stringValue
  }

  private func testCase(_ root: XMLElement, _ name: String) throws -> XMLElement {
    let nodes = try root.nodes(forXPath: "//testcase[@name='\(name)']")
    return try #require(nodes.first as? XMLElement)
  }

  @Test("counts cases, failures and skips; only the regressed case fails")
  func counts() throws {
    let root = try parse(JUnitReport.render(ReportFixture.regressedResult()))
    #expect(root.name == "testsuites")
    #expect(attribute(root, "name") == "promptgate")
    #expect(attribute(root, "tests") == "5")
    #expect(attribute(root, "failures") == "1")
    #expect(attribute(root, "errors") == "0")
    #expect(attribute(root, "skipped") == "1")
    let suites = root.elements(forName: "testsuite")
    #expect(suites.count == 1)
    #expect(attribute(suites.first, "name") == "support-smoke")
    #expect(attribute(suites.first, "tests") == "5")
    let regressed = try testCase(root, "refund-torn")
    #expect(attribute(regressed, "classname") == "support-smoke")
    let failure = try #require(regressed.elements(forName: "failure").first)
    #expect(attribute(failure, "message")?.hasPrefix("regressed") == true)
    #expect(failure.stringValue?.contains("icontains: expected 'refund'") == true)
    #expect(failure.stringValue?.contains("head output:\nout") == true)
    for name in ["both-bad", "brand-new"] {
      let other = try testCase(root, name)
      #expect(other.elements(forName: "failure").isEmpty)
      #expect(other.elements(forName: "system-out").first?.stringValue?.contains("status:") == true)
    }
    let flaky = try testCase(root, "flaky")
    #expect(attribute(flaky.elements(forName: "skipped").first, "message") == "quarantined")
    #expect(try testCase(root, "fine").childCount == 0)
  }

  @Test("a set that regressed through its floor gets a (set verdict) failure with the findings")
  func setVerdict() throws {
    let set = ReportFixture.set(
      "floors", cases: [ReportFixture.verdict("a", .failingBoth)], regressed: true,
      findings: ["refusal rate rose from 0% to 50% (budget +5%)"])
    let root = try parse(JUnitReport.render(ReportFixture.result(sets: [set])))
    #expect(attribute(root, "tests") == "2")
    #expect(attribute(root, "failures") == "1")
    let verdict = try testCase(root, JUnitReport.setVerdictCase)
    let failure = try #require(verdict.elements(forName: "failure").first)
    #expect(failure.stringValue == "- refusal rate rose from 0% to 50% (budget +5%)")
  }

  @Test(
    "an unconfirmed case (fewer passes, not significantly) in a set that passed is not a failure")
  func notSignificant() throws {
    let set = ReportFixture.set(
      "big",
      cases: [ReportFixture.verdict("r", .unconfirmed), ReportFixture.verdict("p", .passing)],
      regressed: false)
    let root = try parse(JUnitReport.render(ReportFixture.result(sets: [set])))
    #expect(attribute(root, "failures") == "0")
    let out = try testCase(root, "r").elements(forName: "system-out")
    #expect(out.count == 1)
    #expect(
      out.first?.stringValue?.hasPrefix("not a failure: fewer runs passed at the head") == true)
  }

  @Test("a set that could not be evaluated is one test case in error")
  func notEvaluated() throws {
    let result = ReportFixture.result(
      sets: [], notEvaluated: [NotEvaluated(evalSet: "slow", reason: "OPENAI_API_KEY is unset")])
    let root = try parse(JUnitReport.render(result))
    #expect(attribute(root, "tests") == "1")
    #expect(attribute(root, "errors") == "1")
    let suite = try #require(root.elements(forName: "testsuite").first)
    #expect(attribute(suite, "name") == "slow")
    #expect(attribute(suite, "errors") == "1")
    let error = try #require(
      try testCase(root, JUnitReport.notEvaluatedCase).elements(forName: "error").first)
    #expect(attribute(error, "message") == "could not evaluate")
    #expect(error.stringValue == "OPENAI_API_KEY is unset")
  }

  @Test("markup, quotes and characters XML 1.0 forbids are escaped or replaced")
  func escaping() throws {
    let output = "<b>\"x\" & 'y'</b> ]]> \u{1}\u{0}\u{FFFE} done\r\nnext"
    let evil = ReportFixture.verdict(
      "id <&> \"q\" \u{7}", .regressed,
      head: ReportFixture.score(
        false, output: output,
        failures: [FailedAssertion(type: "regex", description: "a\nb", reason: "no <match>")]))
    let set = ReportFixture.set("set & <co>", cases: [evil], regressed: true)
    let xml = JUnitReport.render(ReportFixture.result(sets: [set]))
    let root = try parse(xml)
    let suite = try #require(root.elements(forName: "testsuite").first)
    #expect(attribute(suite, "name") == "set & <co>")
    let testCase = try #require(suite.elements(forName: "testcase").first)
    #expect(attribute(testCase, "name") == "id <&> \"q\" \u{FFFD}")
    let failure = try #require(testCase.elements(forName: "failure").first)
    let text = try #require(failure.stringValue)
    #expect(text.contains("<b>\"x\" & 'y'</b> ]]> \u{FFFD}\u{FFFD}\u{FFFD} done\r\nnext"))
    #expect(text.contains("regex (a\nb): no <match>"))
  }

  @Test("nothing selected is an empty, well-formed report")
  func empty() throws {
    let root = try parse(JUnitReport.render(ReportFixture.result(sets: [], behaviors: [])))
    #expect(attribute(root, "tests") == "0")
    #expect(root.childCount == 0)
  }
}
