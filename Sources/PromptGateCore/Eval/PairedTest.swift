/// The exact and stratified tests the verdict uses.
///
/// A case's outcome at one side is a count of passes out of runs. Whether the head passes less
/// often than the baseline is Fisher's exact test on that 2x2 table, one-sided; the tests over a
/// set's cases are controlled with Holm's step-down procedure; a set whose cases each get a
/// little worse is caught by the Cochran–Mantel–Haenszel test over the per-case tables.
public enum PairedTest {
  /// The one-sided exact McNemar p-value for `regressed` (b) against `fixed` (c): P(X ≥ b) for
  /// X ~ Binomial(b + c, 1/2).
  public static func mcNemar(regressed b: Int, fixed c: Int) -> Double {
    let n = b + c
    guard n > 0, b > 0 else { return 1 }
    var total = 0.0
    for k in b...n {
      total += exp(logChoose(n, k) - Double(n) * log(2.0))
    }
    return min(1, total)
  }

  /// Fisher's exact test, one-sided: the chance, with the passes' total fixed, that the head
  /// passes at most `headPasses` of its runs if both sides pass equally often.
  ///
  /// The head's passes follow the hypergeometric law: of `baselineRuns + headRuns` runs with
  /// `baselinePasses + headPasses` passes among them, `headRuns` drawn for the head.
  public static func fisher(
    baselinePasses: Int, baselineRuns: Int, headPasses: Int, headRuns: Int
  ) -> Double {
    let total = baselineRuns + headRuns
    let passes = baselinePasses + headPasses
    guard total > 0, headRuns > 0, baselineRuns > 0 else { return 1 }
    let low = max(0, passes - baselineRuns)
    guard headPasses >= low else { return 1 }
    let denominator = logChoose(total, headRuns)
    var p = 0.0
    for x in low...headPasses {
      p += exp(logChoose(passes, x) + logChoose(total - passes, headRuns - x) - denominator)
    }
    return min(1, p)
  }

  /// Holm's step-down thresholds for `pValues` at `alpha`: the i-th smallest p-value is tested
  /// at alpha / (m - i), and once one is not rejected, no larger one is. Returns, per input,
  /// its threshold and whether it is rejected.
  public static func holm(_ pValues: [Double], alpha: Double) -> [(
    threshold: Double, rejected: Bool
  )] {
    let m = pValues.count
    let order = pValues.indices.sorted { pValues[$0] < pValues[$1] }
    var result = [(threshold: Double, rejected: Bool)](
      repeating: (alpha, false), count: m)
    var stillRejecting = true
    for (rank, index) in order.enumerated() {
      let threshold = alpha / Double(m - rank)
      stillRejecting = stillRejecting && pValues[index] <= threshold
      result[index] = (threshold, stillRejecting)
    }
    return result
  }

  /// One case's table: passes and runs at each side.
  public struct Table: Sendable, Hashable {
    public let baselinePasses: Int
    public let baselineRuns: Int
    public let headPasses: Int
    public let headRuns: Int

    /// Creates a table.
    public init(baselinePasses: Int, baselineRuns: Int, headPasses: Int, headRuns: Int) {
      self.baselinePasses = baselinePasses
      self.baselineRuns = baselineRuns
      self.headPasses = headPasses
      self.headRuns = headRuns
    }
  }

  /// The one-sided Cochran–Mantel–Haenszel test over per-case tables, with a continuity
  /// correction: the chance that the head's passes, summed over the cases, fall this far below
  /// what each case's totals lead one to expect if nothing changed. Cases whose runs all agree
  /// (all pass or all fail at both sides) carry no information and drop out.
  public static func mantelHaenszel(_ tables: [Table]) -> Double {
    var deviation = 0.0
    var variance = 0.0
    for table in tables {
      let n1 = Double(table.baselineRuns)
      let n2 = Double(table.headRuns)
      let total = n1 + n2
      let passes = Double(table.baselinePasses + table.headPasses)
      guard total > 1, passes > 0, passes < total else { continue }
      deviation += Double(table.headPasses) - n2 * passes / total
      variance += n1 * n2 * passes * (total - passes) / (total * total * (total - 1))
    }
    guard variance > 0, deviation < 0 else { return 1 }
    let z = (deviation + 0.5) / variance.squareRoot()
    return min(1, 0.5 * erfc(-z / 2.0.squareRoot()))
  }

  /// The fewest runs per side with which a case can ever reach `alpha`: the smallest one-sided
  /// Fisher p-value with n runs a side is n/n against 0/n, 1 / C(2n, n).
  public static func minimumRuns(toReach alpha: Double) -> Int {
    var n = 1
    while n < 1_000, exp(-logChoose(2 * n, n)) > alpha { n += 1 }
    return n
  }

  static func logChoose(_ n: Int, _ k: Int) -> Double {
    guard k >= 0, k <= n else { return -.infinity }
    return lgamma(Double(n + 1)) - lgamma(Double(k + 1)) - lgamma(Double(n - k + 1))
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
