/// Wording and number formats the reports share.
public enum ReportText {
  /// A rate as a percentage with one decimal: `66.7%`.
  static func percent(_ value: Double) -> String {
    "\(CanonicalJSON.format((value * 1000).rounded() / 10) ?? "?")%"
  }

  /// A number with at most four decimals: `0.5`, `0.0312`.
  static func number(_ value: Double) -> String {
    CanonicalJSON.format((value * 10000).rounded() / 10000) ?? "\(value)"
  }

  /// `2/3 (66.7%)`, the passed cases over the cases.
  static func rate(passed: Int, cases: Int, rate: Double) -> String {
    "\(percent(rate)) (\(passed)/\(cases))"
  }

  /// How a case's status reads in a sentence.
  static func describe(_ status: CaseStatus) -> String {
    switch status {
    case .regressed: return "regressed: passes significantly less often at the head"
    case .unconfirmed:
      return
        "unconfirmed: fails at the head by passAtLeast, but not significantly: not a regression"
    case .fixed: return "fixed: failed at the baseline, passes at the head"
    case .passing: return "passing at both sides"
    case .failingBoth: return "failing at both sides: not a regression"
    case .new: return "new at the head (no baseline result): never a regression"
    case .quarantined: return "quarantined: reported, never deciding"
    }
  }

  /// A case's counts and test: `baseline 15/15, head 0/15, p = 6.4e-9, threshold 0.005, re-sampled from 3`.
  public static func counts(_ verdict: CaseVerdict) -> String {
    var text =
      "baseline \(verdict.baselinePasses ?? 0)/\(verdict.baselineRuns ?? 0), head \(verdict.headPasses)/\(verdict.headRuns)"
    if let p = verdict.pValue { text += ", p = \(VerdictRule.scientific(p))" }
    if let threshold = verdict.threshold {
      text += ", threshold \(VerdictRule.scientific(threshold))"
    }
    if verdict.resampled > 0 { text += ", re-sampled from \(verdict.headRuns - verdict.resampled)" }
    return text
  }

  /// What re-sampling did in a set: `re-sampled 2 cases whose runs disagreed (56 calls)`.
  public static func resampling(_ set: SetVerdict) -> String {
    let cases = set.resampledCases == 1 ? "1 case" : "\(set.resampledCases) cases"
    let calls = set.resamplingCalls == 1 ? "1 call" : "\(set.resamplingCalls) calls"
    return "re-sampled \(cases) whose runs disagreed (\(calls) now)"
  }

  /// The runs behind a score: `0/3 runs passed`.
  static func runs(_ score: CaseScore) -> String {
    "\(score.passes)/\(score.runs) run\(score.runs == 1 ? "" : "s") passed"
  }

  /// One failed assertion on a line: `icontains (mentions refunds): expected ...`.
  static func failure(_ failure: FailedAssertion) -> String {
    let description = failure.description.map { " (\($0))" } ?? ""
    return "\(failure.type)\(description): \(failure.reason)"
  }

  /// The cases a set's verdict blames: its regressed cases, when the set regressed.
  static func blamed(_ set: SetVerdict) -> [CaseVerdict] {
    set.regressed ? set.cases.filter { $0.status == .regressed } : []
  }

  /// Replaces characters that are invalid in XML 1.0 and other C0 controls (but tab, newline
  /// and carriage return) with U+FFFD.
  static func scrubbed(_ text: String) -> String {
    var scalars = String.UnicodeScalarView()
    for scalar in text.unicodeScalars {
      switch scalar.value {
      case 0x9, 0xA, 0xD, 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF:
        scalars.append(scalar)
      default:
        scalars.append("\u{FFFD}")
      }
    }
    return String(scalars)
  }

  /// The longest prefix of `text` that is at most `bytes` bytes of UTF-8, cut between scalars.
  static func prefix(_ text: String, bytes: Int) -> String {
    guard text.utf8.count > bytes else { return text }
    var scalars = String.UnicodeScalarView()
    var used = 0
    for scalar in text.unicodeScalars {
      let size = UTF8.width(scalar)
      if used + size > bytes { break }
      used += size
      scalars.append(scalar)
    }
    return String(scalars)
  }
}
