/// The gate as JUnit XML, for GitLab's `artifacts:reports:junit` and GitHub's test-report actions.
///
/// Each eval set is a `<testsuite>` and each case a `<testcase>`. Only what fails the gate is a
/// `<failure>`: the regressed cases of a regressed set, or one `(set verdict)` test case when the
/// set regressed through its floor or a budget. Cases failing at both sides, new cases and
/// regressions too few to be significant are passing test cases whose `<system-out>` says so.
/// Quarantined cases are skipped; a set that could not be evaluated is one test case in error.
public enum JUnitReport {
  /// The name of the test case that carries a set-level regression (floor, budget).
  public static let setVerdictCase = "(set verdict)"
  /// The name of the test case that carries a set that could not be evaluated.
  public static let notEvaluatedCase = "(could not evaluate)"

  /// The JUnit XML document for `result`.
  public static func render(_ result: GateResult) -> String {
    let suites = result.sets.map(suite) + result.notEvaluated.map(unavailable)
    let totals = suites.reduce(into: Counts()) { $0.add($1.counts) }
    var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    xml += "<testsuites name=\"promptgate\"\(totals.attributes)"
    guard !suites.isEmpty else { return xml + "/>\n" }
    xml += ">\n"
    for suite in suites {
      xml += "  <testsuite name=\"\(attribute(suite.name))\"\(suite.counts.attributes)>\n"
      if !suite.properties.isEmpty {
        xml += "    <properties>\n"
        for (name, value) in suite.properties {
          xml += "      <property name=\"\(attribute(name))\" value=\"\(attribute(value))\"/>\n"
        }
        xml += "    </properties>\n"
      }
      for testCase in suite.cases { xml += testCase }
      if let out = suite.systemOut {
        xml += "    <system-out>\(text(out))</system-out>\n"
      }
      xml += "  </testsuite>\n"
    }
    return xml + "</testsuites>\n"
  }

  /// Test, failure, error and skip counts.
  struct Counts {
    var tests = 0
    var failures = 0
    var errors = 0
    var skipped = 0

    mutating func add(_ other: Counts) {
      tests += other.tests
      failures += other.failures
      errors += other.errors
      skipped += other.skipped
    }

    var attributes: String {
      " tests=\"\(tests)\" failures=\"\(failures)\" errors=\"\(errors)\" skipped=\"\(skipped)\""
    }
  }

  /// One `<testsuite>`, its test cases already written.
  struct Suite {
    let name: String
    var counts = Counts()
    var properties: [(String, String)] = []
    var cases: [String] = []
    var systemOut: String?
  }

  static func suite(_ set: SetVerdict) -> Suite {
    var suite = Suite(name: set.evalSet)
    suite.properties = [
      ("behavior", set.behavior), ("tier", set.tier), ("headId", set.headId),
      ("baselineId", set.baselineId ?? ""),
      (
        "headPassRate",
        ReportText.rate(passed: set.headPassed, cases: set.headCases, rate: set.headPassRate)
      ),
      ("baselinePassRate", baselineRate(set)), ("pValue", VerdictRule.scientific(set.pValue)),
      ("alpha", ReportText.number(set.alpha)), ("caseAlpha", ReportText.number(set.caseAlpha)),
      ("resampledCases", "\(set.resampledCases)"), ("resamplingCalls", "\(set.resamplingCalls)"),
      ("verdict", set.regressed ? "regressed" : "pass"),
    ]
    if let p95 = set.headMetrics.p95LatencyMs {
      suite.properties.append(("headP95LatencyMs", ReportText.number(p95)))
    }
    if let p95 = set.baselineMetrics?.p95LatencyMs {
      suite.properties.append(("baselineP95LatencyMs", ReportText.number(p95)))
    }
    let blamed = Set(ReportText.blamed(set).map(\.id))
    for verdict in set.cases {
      suite.counts.tests += 1
      var body = ""
      if blamed.contains(verdict.id) {
        suite.counts.failures += 1
        let count = verdict.head.failures.count
        let message =
          "regressed: \(ReportText.counts(verdict)); \(count) assertion\(count == 1 ? "" : "s") failed at the head"
        body += element("failure", message: message, type: "regression", details(verdict))
      } else if verdict.status == .quarantined {
        suite.counts.skipped += 1
        body += "      <skipped message=\"quarantined\"/>\n"
        body += systemOut(details(verdict))
      } else if verdict.status == .unconfirmed {
        let note =
          "not a failure: fewer runs passed at the head, not significantly (\(ReportText.counts(verdict)))"
        body += systemOut(note + "\n" + details(verdict))
      } else if verdict.status != .passing {
        body += systemOut(details(verdict))
      }
      suite.cases.append(
        testCase(set.evalSet, verdict.id, body, seconds: verdict.head.latencyMs.map { $0 / 1000 }))
    }
    if set.regressed && blamed.isEmpty {
      suite.counts.tests += 1
      suite.counts.failures += 1
      let findings = set.findings.isEmpty ? ["the set regressed"] : set.findings
      let body = element(
        "failure", message: "eval set \(set.evalSet) regressed", type: "set-regression",
        findings.map { "- \($0)" }.joined(separator: "\n"))
      suite.cases.append(testCase(set.evalSet, setVerdictCase, body))
    }
    var notes = set.findings.map { "finding: \($0)" }
    if !set.removedCases.isEmpty {
      notes.append("removed at the head: \(set.removedCases.joined(separator: ", "))")
    }
    suite.systemOut = notes.isEmpty ? nil : notes.joined(separator: "\n")
    return suite
  }

  static func unavailable(_ missing: NotEvaluated) -> Suite {
    var suite = Suite(name: missing.evalSet)
    suite.counts.tests = 1
    suite.counts.errors = 1
    let body = element(
      "error", message: "could not evaluate", type: "unavailable", missing.reason)
    suite.cases = [testCase(missing.evalSet, notEvaluatedCase, body)]
    return suite
  }

  static func baselineRate(_ set: SetVerdict) -> String {
    guard let rate = set.baselinePassRate, let passed = set.baselinePassed,
      let cases = set.baselineCases
    else { return "none (the behavior is new)" }
    return ReportText.rate(passed: passed, cases: cases, rate: rate)
  }

  /// A case's status, failed assertions and the head's output, as plain text.
  static func details(_ verdict: CaseVerdict) -> String {
    var lines = ["status: \(ReportText.describe(verdict.status))"]
    lines.append("head: \(ReportText.runs(verdict.head))")
    if let baseline = verdict.baseline { lines.append("baseline: \(ReportText.runs(baseline))") }
    if verdict.baseline != nil { lines.append("test: \(ReportText.counts(verdict))") }
    if !verdict.head.failures.isEmpty {
      lines.append("failed assertions at the head:")
      lines += verdict.head.failures.map { "- \(ReportText.failure($0))" }
    }
    if let output = verdict.head.output {
      lines.append("head output:")
      lines.append(output)
    }
    return lines.joined(separator: "\n")
  }

  static func testCase(_ set: String, _ name: String, _ body: String, seconds: Double? = nil)
    -> String
  {
    var open = "    <testcase classname=\"\(attribute(set))\" name=\"\(attribute(name))\""
    if let seconds, seconds.isFinite {
      open += " time=\"\(CanonicalJSON.format((seconds * 1000).rounded() / 1000) ?? "0")\""
    }
    return body.isEmpty ? open + "/>\n" : open + ">\n" + body + "    </testcase>\n"
  }

  static func element(_ name: String, message: String, type: String, _ content: String) -> String {
    "      <\(name) message=\"\(attribute(message))\" type=\"\(attribute(type))\">\(text(content))</\(name)>\n"
  }

  static func systemOut(_ content: String) -> String {
    "      <system-out>\(text(content))</system-out>\n"
  }

  /// `value` escaped for character data.
  static func text(_ value: String) -> String { escape(value, attribute: false) }

  /// `value` escaped for a double-quoted attribute, whitespace kept as character references.
  static func attribute(_ value: String) -> String { escape(value, attribute: true) }

  private static func escape(_ value: String, attribute: Bool) -> String {
    var output = ""
    for scalar in ReportText.scrubbed(value).unicodeScalars {
      switch scalar {
      case "&": output += "&amp;"
      case "<": output += "&lt;"
      case ">": output += "&gt;"
      case "\r": output += "&#13;"
      case "\"" where attribute: output += "&quot;"
      case "'" where attribute: output += "&apos;"
      case "\n" where attribute: output += "&#10;"
      case "\t" where attribute: output += "&#9;"
      default: output.unicodeScalars.append(scalar)
      }
    }
    return output
  }
}
