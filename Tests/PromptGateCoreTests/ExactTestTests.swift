import Foundation
import PromptGateCore
import Testing

/// Fisher's exact test per case, Holm's control across cases, the stratified drift test and the
/// fewest runs that can reach a level.
@Suite("exact tests")
struct ExactTestTests {
  @Test(
    "one-sided Fisher p-values against known values",
    arguments: [
      (3, 3, 0, 3, 0.05),
      (15, 15, 0, 15, 6.44672503789385e-09),
      (9, 10, 3, 10, 0.009883305548940223),
      (15, 15, 12, 15, 0.11206896551724138),
      (3, 3, 3, 3, 1.0),
      (2, 3, 3, 3, 1.0),
    ])
  func fisher(
    baselinePasses: Int, baselineRuns: Int, headPasses: Int, headRuns: Int, expected: Double
  ) {
    let p = PairedTest.fisher(
      baselinePasses: baselinePasses, baselineRuns: baselineRuns, headPasses: headPasses,
      headRuns: headRuns)
    #expect(abs(p - expected) <= expected * 1e-9, "\(p), expected \(expected)")
  }

  @Test("a single run a side can never be significant: 1/1 against 0/1 is p = 0.5")
  func singleRun() {
    #expect(
      abs(PairedTest.fisher(baselinePasses: 1, baselineRuns: 1, headPasses: 0, headRuns: 1) - 0.5)
        < 1e-12)
  }

  @Test("Holm: the smallest p at alpha/m, then alpha/(m-1), stopping at the first not rejected")
  func holm() {
    let result = PairedTest.holm([0.01, 0.001, 0.04, 0.03], alpha: 0.05)
    // Sorted: 0.001 at 0.0125 (rejected), 0.01 at 0.01667 (rejected), 0.03 at 0.025 (not),
    // 0.04 at 0.05 (not: the procedure stopped).
    #expect(result.map(\.rejected) == [true, true, false, false])
    #expect(abs(result[1].threshold - 0.0125) < 1e-12)
    #expect(abs(result[0].threshold - 0.05 / 3) < 1e-12)
    #expect(abs(result[3].threshold - 0.025) < 1e-12)
    #expect(abs(result[2].threshold - 0.05) < 1e-12)
    #expect(PairedTest.holm([], alpha: 0.05).isEmpty)
    #expect(PairedTest.holm([0.004], alpha: 0.005).map(\.rejected) == [true])
  }

  @Test("drift: 50 cases each 90% to 70% fail the stratified test; unchanged cases do not")
  func drift() {
    // 15 runs a side: 13/15 → 11/15 per case, never significant alone.
    let worse = Array(
      repeating: PairedTest.Table(
        baselinePasses: 13, baselineRuns: 15, headPasses: 11, headRuns: 15), count: 50)
    #expect(
      PairedTest.fisher(baselinePasses: 13, baselineRuns: 15, headPasses: 11, headRuns: 15)
        > 0.1)
    #expect(PairedTest.mantelHaenszel(worse) < 1e-4)
    let same = Array(
      repeating: PairedTest.Table(
        baselinePasses: 12, baselineRuns: 15, headPasses: 12, headRuns: 15), count: 50)
    #expect(PairedTest.mantelHaenszel(same) == 1)
    let better = Array(
      repeating: PairedTest.Table(
        baselinePasses: 10, baselineRuns: 15, headPasses: 13, headRuns: 15), count: 50)
    #expect(PairedTest.mantelHaenszel(better) == 1)
    // Cases whose runs all agree carry no information.
    let agreeing = PairedTest.Table(baselinePasses: 3, baselineRuns: 3, headPasses: 3, headRuns: 3)
    #expect(PairedTest.mantelHaenszel([agreeing, agreeing]) == 1)
  }

  @Test("the fewest runs a side that can reach a level: 1/C(2n, n) <= alpha")
  func minimumRuns() {
    #expect(PairedTest.minimumRuns(toReach: 0.05) == 3)
    #expect(PairedTest.minimumRuns(toReach: 0.005) == 5)
    #expect(PairedTest.minimumRuns(toReach: 0.001) == 7)
    #expect(PairedTest.minimumRuns(toReach: 0.5) == 1)
  }

  @Test("p-values read with two significant digits")
  func scientific() {
    #expect(VerdictRule.scientific(6.44672503789385e-09) == "6.4e-9")
    #expect(VerdictRule.scientific(0.05) == "0.05")
    #expect(VerdictRule.scientific(0.0010822) == "0.0011")
    #expect(VerdictRule.scientific(0.000996) == "1e-3")
    #expect(VerdictRule.scientific(5e-6) == "5e-6")
  }
}
