import PromptGateCore

/// The gate's text output.
enum GateRenderer {
  static func text(_ result: GateResult) -> String {
    var lines: [String] = []
    if result.sets.isEmpty && result.notEvaluated.isEmpty {
      let tier = result.tier.map { " \($0)" } ?? ""
      return "no\(tier) eval set is selected: no behavior it protects changed"
    }
    for set in result.sets {
      let verdict = set.regressed ? "REGRESSED" : "pass"
      let ids = "\(short(set.baselineId)) -> \(short(set.headId))"
      lines.append("\(set.evalSet) (\(set.tier)) \(set.behavior) \(ids): \(verdict)")
      var rates = "  head \(set.headPassed)/\(set.headCases) passed (\(percent(set.headPassRate)))"
      if let passed = set.baselinePassed, let cases = set.baselineCases,
        let rate = set.baselinePassRate
      {
        rates +=
          ", baseline \(passed)/\(cases) (\(percent(rate))); p = \(VerdictRule.scientific(set.pValue))"
      } else {
        rates += ", no baseline (the behavior is new)"
      }
      lines.append(rates)
      for finding in set.findings { lines.append("  - \(finding)") }
      if set.baselineId != nil {
        lines.append("  \(ReportText.resampling(set))")
      }
      for verdict in set.cases where verdict.status != .passing {
        let label =
          verdict.status == .failingBoth ? "failing at both sides" : verdict.status.rawValue
        var line = "  \(label) \(verdict.id)"
        if verdict.status == .unconfirmed || verdict.status == .regressed {
          line += " (\(ReportText.counts(verdict)))"
        } else if verdict.head.runs > 1 {
          line += " (\(verdict.head.passes)/\(verdict.head.runs) runs passed)"
        }
        lines.append(line)
        if verdict.status == .regressed || verdict.status == .new && !verdict.head.pass {
          for failure in verdict.head.failures.prefix(3) {
            lines.append("      \(failure.type): \(failure.reason)")
          }
          if let output = verdict.head.output {
            lines.append(
              "      output: \(output.prefix(200).replacingOccurrences(of: "\n", with: " "))")
          }
        }
      }
      if !set.removedCases.isEmpty {
        lines.append("  removed: \(set.removedCases.joined(separator: ", "))")
      }
    }
    for skipped in result.notEvaluated {
      lines.append("\(skipped.evalSet): NOT EVALUATED: \(skipped.reason)")
    }
    if let cap = result.capReached { lines.append("stopped: \(cap)") }
    lines.append("\(result.calls) calls made, \(result.storedRuns) runs read from the store")
    return lines.joined(separator: "\n")
  }

  static func short(_ id: String?) -> String {
    guard let id else { return "(none)" }
    return String(id.prefix(17))
  }

  static func percent(_ value: Double) -> String {
    "\(CanonicalJSON.format((value * 1000).rounded() / 10) ?? "?")%"
  }

  static func number(_ value: Double) -> String {
    CanonicalJSON.format((value * 10000).rounded() / 10000) ?? "\(value)"
  }
}
