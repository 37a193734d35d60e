/// The exact McNemar test on paired pass/fail outcomes.
///
/// Head and baseline run the same cases, so only the discordant cases carry information: `b`
/// passed at the baseline and fail at the head, `c` the reverse. Under the null hypothesis (no
/// change) each discordant case is equally likely to go either way, so `b` follows
/// Binomial(b + c, 1/2). The one-sided p-value is P(X ≥ b): the chance of at least this many
/// regressions among the discordant cases if the change made no difference.
public enum PairedTest {
  /// The one-sided exact McNemar p-value for `regressed` (b) against `fixed` (c).
  public static func mcNemar(regressed b: Int, fixed c: Int) -> Double {
    let n = b + c
    guard n > 0, b > 0 else { return 1 }
    // Sum C(n, k) / 2^n for k = b...n, in logs to stay finite for large n.
    var total = 0.0
    for k in b...n {
      total += exp(logChoose(n, k) - Double(n) * log(2.0))
    }
    return min(1, total)
  }

  static func logChoose(_ n: Int, _ k: Int) -> Double {
    lgamma(Double(n + 1)) - lgamma(Double(k + 1)) - lgamma(Double(n - k + 1))
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
