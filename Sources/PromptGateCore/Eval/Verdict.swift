import Foundation

/// One assertion that failed on a run, as reports show it.
public struct FailedAssertion: Codable, Sendable, Hashable {
  /// The assertion's type as written.
  public let type: String
  /// Its description, when it has one.
  public let description: String?
  /// Why it failed.
  public let reason: String
}

/// A case's outcome at one side, over its repeats.
public struct CaseScore: Codable, Sendable {
  /// Runs that passed every assertion.
  public let passes: Int
  /// Runs made.
  public let runs: Int
  /// Whether the case passes under the set's rule (at least `passAtLeast` of `repeat`).
  public let pass: Bool
  /// The failed assertions of the first failing run.
  public let failures: [FailedAssertion]
  /// The output of the first failing run (else the first run), truncated.
  public let output: String?
  /// The mean latency of the runs, in milliseconds (nil when none recorded one).
  public var latencyMs: Double? = nil

  /// Creates a score.
  public init(
    passes: Int, runs: Int, pass: Bool, failures: [FailedAssertion], output: String?,
    latencyMs: Double? = nil
  ) {
    self.passes = passes
    self.runs = runs
    self.pass = pass
    self.failures = failures
    self.output = output
    self.latencyMs = latencyMs
  }
}

/// How a case compares between the baseline and the head.
public enum CaseStatus: String, Codable, Sendable {
  /// Passes significantly less often at the head: the one-sided exact test on its runs, after
  /// Holm's control across the set's cases, is below `caseAlpha`.
  case regressed
  /// Passed at the baseline and fails at the head by `passAtLeast`, but its runs do not show
  /// that it passes less often: reported, not a regression.
  case unconfirmed
  /// Failed at the baseline, passes at the head.
  case fixed
  /// Passes at both sides.
  case passing
  /// Fails at both sides: reported, not a regression.
  case failingBoth
  /// New at the head (no baseline result): reported, never a regression.
  case new
  /// Quarantined as known-flaky: reported, never deciding.
  case quarantined
}

/// One case of a set, compared.
public struct CaseVerdict: Codable, Sendable {
  /// The case id.
  public let id: String
  /// Its status.
  public let status: CaseStatus
  /// The head's score.
  public let head: CaseScore
  /// The baseline's score, when there is a baseline.
  public let baseline: CaseScore?
  /// The runs and passes behind the decision, at each side.
  public var baselineRuns: Int? = nil
  public var baselinePasses: Int? = nil
  public var headRuns: Int = 0
  public var headPasses: Int = 0
  /// The one-sided exact test's p-value (nil without a baseline or when quarantined).
  public var pValue: Double? = nil
  /// The level its p-value was held to after Holm's control (nil when its runs agree, so it
  /// was not tested).
  public var threshold: Double? = nil
  /// Runs added at each side by re-sampling (0 when it was not re-sampled).
  public var resampled: Int = 0
}

/// Aggregate metrics of one side of a set.
public struct SideMetrics: Codable, Sendable {
  /// 95th percentile latency over runs made in this gate, milliseconds (nil when stored).
  public let p95LatencyMs: Double?
  /// Mean cost per case run, when every run's cost is known.
  public let costPerCase: Double?
  /// Share of runs whose output is a refusal.
  public let refusalRate: Double
  /// Runs taken from the store rather than made now.
  public let storedRuns: Int
  /// Runs made now.
  public let freshRuns: Int

  /// Creates metrics.
  public init(
    p95LatencyMs: Double?, costPerCase: Double?, refusalRate: Double, storedRuns: Int,
    freshRuns: Int
  ) {
    self.p95LatencyMs = p95LatencyMs
    self.costPerCase = costPerCase
    self.refusalRate = refusalRate
    self.storedRuns = storedRuns
    self.freshRuns = freshRuns
  }
}

/// The verdict on one eval set.
public struct SetVerdict: Codable, Sendable {
  /// The eval set.
  public let evalSet: String
  /// Its tier.
  public let tier: String
  /// The behavior run.
  public let behavior: String
  /// The head's and baseline's version ids (baseline nil when the behavior is new).
  public let headId: String
  public let baselineId: String?
  /// Why the set was selected.
  public let reasons: [String]
  /// Pass rates over non-quarantined cases (baseline over the cases it has).
  public let headPassRate: Double
  public let baselinePassRate: Double?
  /// Counts behind them.
  public let headPassed: Int
  public let headCases: Int
  public let baselinePassed: Int?
  public let baselineCases: Int?
  /// The set-level test's one-sided p-value (Cochran–Mantel–Haenszel over the cases' runs), and
  /// its alpha.
  public let pValue: Double
  public let alpha: Double
  /// Each case's level before the control across cases.
  public var caseAlpha: Double = 0.005
  /// Cases re-sampled because their runs disagreed, and the calls that took in this gate.
  public var resampledCases: Int = 0
  public var resamplingCalls: Int = 0
  /// True when the set regressed.
  public let regressed: Bool
  /// Why it regressed, or notes (below the floor at both sides, budgets).
  public let findings: [String]
  /// Every case, compared.
  public let cases: [CaseVerdict]
  /// Case ids in the baseline's cases file that the head no longer has.
  public let removedCases: [String]
  /// Metrics at each side.
  public let headMetrics: SideMetrics
  public let baselineMetrics: SideMetrics?
}

/// Decides a set's verdict from per-case scores.
public enum VerdictRule {
  /// Compares `head` with `baseline` (nil per case when it has no baseline result). Runs beyond
  /// the set's `repeat` were added by re-sampling; `resamplingCalls` says what they cost now.
  public static func decide(
    set: EvalSetDefinition, behavior: String, headId: String, baselineId: String?,
    reasons: [String], scores: [(id: String, head: CaseScore, baseline: CaseScore?)],
    removed: [String], headMetrics: SideMetrics, baselineMetrics: SideMetrics?,
    resamplingCalls: Int = 0
  ) -> SetVerdict {
    var headPassed = 0
    var headCount = 0
    var basePassed = 0
    var baseCount = 0
    var tables: [PairedTest.Table] = []
    // The exact test per case; only the cases whose runs disagree are tested, and Holm's
    // control runs over them.
    var pValues: [Int: Double] = [:]
    var tested: [Int] = []
    for (index, score) in scores.enumerated() where !set.run.quarantine.contains(score.id) {
      headCount += 1
      if score.head.pass { headPassed += 1 }
      guard let baseline = score.baseline else { continue }
      baseCount += 1
      if baseline.pass { basePassed += 1 }
      let table = PairedTest.Table(
        baselinePasses: baseline.passes, baselineRuns: baseline.runs,
        headPasses: score.head.passes, headRuns: score.head.runs)
      tables.append(table)
      pValues[index] = PairedTest.fisher(
        baselinePasses: baseline.passes, baselineRuns: baseline.runs,
        headPasses: score.head.passes, headRuns: score.head.runs)
      if Self.disagrees(table) { tested.append(index) }
    }
    let holm = PairedTest.holm(tested.map { pValues[$0] ?? 1 }, alpha: set.run.caseAlpha)
    var decided: [Int: (threshold: Double, rejected: Bool)] = [:]
    for (position, index) in tested.enumerated() { decided[index] = holm[position] }
    var cases: [CaseVerdict] = []
    var findings: [String] = []
    var regressed = false
    var resampledCases = 0
    for (index, score) in scores.enumerated() {
      let status: CaseStatus
      if set.run.quarantine.contains(score.id) {
        status = .quarantined
      } else if let baseline = score.baseline {
        if decided[index]?.rejected == true {
          status = .regressed
        } else {
          switch (baseline.pass, score.head.pass) {
          case (true, false): status = .unconfirmed
          case (false, true): status = .fixed
          case (true, true): status = .passing
          case (false, false): status = .failingBoth
          }
        }
      } else {
        status = .new
      }
      let added = max(0, score.head.runs - set.run.repeats)
      if added > 0, status != .quarantined { resampledCases += 1 }
      var verdict = CaseVerdict(
        id: score.id, status: status, head: score.head, baseline: score.baseline)
      verdict.headRuns = score.head.runs
      verdict.headPasses = score.head.passes
      verdict.baselineRuns = score.baseline?.runs
      verdict.baselinePasses = score.baseline?.passes
      verdict.pValue = status == .quarantined ? nil : pValues[index]
      verdict.threshold = decided[index]?.threshold
      verdict.resampled = added
      if status == .regressed {
        regressed = true
        findings.append(reason(verdict))
      }
      cases.append(verdict)
    }
    let pValue = PairedTest.mantelHaenszel(tables)
    let headRate = headCount == 0 ? 1 : Double(headPassed) / Double(headCount)
    let baseRate: Double? = baseCount == 0 ? nil : Double(basePassed) / Double(baseCount)
    // The set-level test; its finding is left out when a case already says why the set failed.
    if pValue < set.run.alpha {
      let caseFailed = regressed
      regressed = true
      let worse = tables.filter(Self.disagrees).count
      if !caseFailed {
        findings.append(
          "pass rate fell significantly across the set: \(worse) of \(tables.count) cases passed fewer runs at the head, p = \(scientific(pValue)) < alpha \(format(set.run.alpha))"
        )
      }
    }
    if let floor = set.run.floor, headRate < floor {
      if baseRate == nil {
        // Nothing to fall from: a new behavior's cases are reported, never regressions.
        findings.append(
          "pass rate \(percent(headRate)) is below the floor \(percent(floor)); there is no baseline, so this is reported, not failed"
        )
      } else if let baseRate, baseRate < floor {
        findings.append(
          "pass rate \(percent(headRate)) is below the floor \(percent(floor)), as the baseline's \(percent(baseRate)) was: not a regression"
        )
      } else {
        regressed = true
        findings.append("pass rate \(percent(headRate)) fell below the floor \(percent(floor))")
      }
    }
    if let budget = set.run.budgets.p95Latency, let now = headMetrics.p95LatencyMs,
      let before = baselineMetrics?.p95LatencyMs, before > 0, now / before > budget
    {
      regressed = true
      findings.append(
        "p95 latency \(format(now)) ms is \(format(now / before))x the baseline's \(format(before)) ms (budget \(format(budget))x)"
      )
    }
    if let budget = set.run.budgets.costPerCase, let now = headMetrics.costPerCase,
      let before = baselineMetrics?.costPerCase, before > 0, now / before > budget
    {
      regressed = true
      findings.append(
        "cost per case \(format(now)) is \(format(now / before))x the baseline's \(format(before)) (budget \(format(budget))x)"
      )
    }
    if let budget = set.run.budgets.refusalRate, let before = baselineMetrics?.refusalRate,
      headMetrics.refusalRate - before > budget + 1e-12
    {
      regressed = true
      findings.append(
        "refusal rate rose from \(percent(before)) to \(percent(headMetrics.refusalRate)) (budget +\(percent(budget)))"
      )
    }
    return SetVerdict(
      evalSet: set.name, tier: set.tier, behavior: behavior, headId: headId,
      baselineId: baselineId, reasons: reasons, headPassRate: headRate, baselinePassRate: baseRate,
      headPassed: headPassed, headCases: headCount,
      baselinePassed: baseRate == nil ? nil : basePassed,
      baselineCases: baseRate == nil ? nil : baseCount, pValue: pValue, alpha: set.run.alpha,
      caseAlpha: set.run.caseAlpha, resampledCases: resampledCases,
      resamplingCalls: resamplingCalls, regressed: regressed, findings: findings, cases: cases,
      removedCases: removed, headMetrics: headMetrics, baselineMetrics: baselineMetrics)
  }

  /// Whether the head passed a smaller share of its runs than the baseline did.
  public static func disagrees(_ table: PairedTest.Table) -> Bool {
    table.headPasses * table.baselineRuns < table.baselinePasses * table.headRuns
  }

  /// One line saying why a case regressed, with its counts, p-value and re-sampling.
  public static func reason(_ verdict: CaseVerdict) -> String {
    var text =
      "\(verdict.id) regressed: baseline \(verdict.baselinePasses ?? 0)/\(verdict.baselineRuns ?? 0), head \(verdict.headPasses)/\(verdict.headRuns) (p = \(scientific(verdict.pValue ?? 1))"
    if verdict.resampled > 0 {
      text += ", re-sampled from \(verdict.headRuns - verdict.resampled)"
    }
    return text + ")"
  }

  /// A p-value to about two significant digits: `0.031`, `0.0011`, `6.4e-9`.
  public static func scientific(_ value: Double) -> String {
    if value >= 0.01 || value == 0 { return format(value) }
    if value >= 0.001 {
      let rounded = (value * 10000).rounded() / 10000
      return CanonicalJSON.format(rounded) ?? "\(rounded)"
    }
    let exponent = Int(log10(value).rounded(.down))
    var mantissa = (value / pow(10, Double(exponent)) * 10).rounded() / 10
    var power = exponent
    if mantissa >= 10 {
      mantissa /= 10
      power += 1
    }
    let digits = CanonicalJSON.format(mantissa) ?? "\(mantissa)"
    return "\(digits)e\(power)"
  }

  static func format(_ value: Double) -> String {
    let rounded = (value * 1000).rounded() / 1000
    return CanonicalJSON.format(rounded) ?? "\(rounded)"
  }

  static func percent(_ value: Double) -> String {
    "\(CanonicalJSON.format((value * 1000).rounded() / 10) ?? "?")%"
  }
}
