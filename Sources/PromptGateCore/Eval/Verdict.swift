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
}

/// How a case compares between the baseline and the head.
public enum CaseStatus: String, Codable, Sendable {
  /// Passed at the baseline, fails at the head.
  case regressed
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
  /// The paired test's one-sided p-value, and its alpha.
  public let pValue: Double
  public let alpha: Double
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
  /// Compares `head` with `baseline` (nil per case when it has no baseline result).
  public static func decide(
    set: EvalSetDefinition, behavior: String, headId: String, baselineId: String?,
    reasons: [String], scores: [(id: String, head: CaseScore, baseline: CaseScore?)],
    removed: [String], headMetrics: SideMetrics, baselineMetrics: SideMetrics?
  ) -> SetVerdict {
    var cases: [CaseVerdict] = []
    var regressedCount = 0
    var fixedCount = 0
    var headPassed = 0
    var headCount = 0
    var basePassed = 0
    var baseCount = 0
    for score in scores {
      let status: CaseStatus
      if set.run.quarantine.contains(score.id) {
        status = .quarantined
      } else {
        headCount += 1
        if score.head.pass { headPassed += 1 }
        if let baseline = score.baseline {
          baseCount += 1
          if baseline.pass { basePassed += 1 }
          switch (baseline.pass, score.head.pass) {
          case (true, false): status = .regressed
          case (false, true): status = .fixed
          case (true, true): status = .passing
          case (false, false): status = .failingBoth
          }
        } else {
          status = .new
        }
      }
      if status == .regressed { regressedCount += 1 }
      if status == .fixed { fixedCount += 1 }
      cases.append(
        CaseVerdict(id: score.id, status: status, head: score.head, baseline: score.baseline))
    }
    let pValue = PairedTest.mcNemar(regressed: regressedCount, fixed: fixedCount)
    let headRate = headCount == 0 ? 1 : Double(headPassed) / Double(headCount)
    let baseRate: Double? = baseCount == 0 ? nil : Double(basePassed) / Double(baseCount)
    var findings: [String] = []
    var regressed = false
    if regressedCount > 0, pValue < set.run.alpha {
      regressed = true
      findings.append(
        "pass rate fell significantly: \(regressedCount) regressed, \(fixedCount) fixed, p = \(format(pValue)) < alpha \(format(set.run.alpha))"
      )
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
      regressed: regressed, findings: findings, cases: cases, removedCases: removed,
      headMetrics: headMetrics, baselineMetrics: baselineMetrics)
  }

  static func format(_ value: Double) -> String {
    let rounded = (value * 1000).rounded() / 1000
    return CanonicalJSON.format(rounded) ?? "\(rounded)"
  }

  static func percent(_ value: Double) -> String {
    "\(CanonicalJSON.format((value * 1000).rounded() / 10) ?? "?")%"
  }
}
