import Foundation
import PromptGateCore
import Testing

/// The exact one-sided McNemar test that decides whether a set's fall is significant.
@Suite("paired test")
struct PairedTestTests {
  @Test(
    "exact p-values: P(X >= b) for X ~ Binomial(b + c, 1/2)",
    arguments: [
      (1, 0, 0.5),
      (2, 0, 0.25),
      (5, 0, 0.03125),
      (3, 1, 5.0 / 16.0),
      (4, 1, 6.0 / 32.0),
      (2, 2, 11.0 / 16.0),
      (1, 3, 15.0 / 16.0),
      (6, 2, 37.0 / 256.0),
    ])
  func exact(regressed: Int, fixed: Int, expected: Double) {
    let p = PairedTest.mcNemar(regressed: regressed, fixed: fixed)
    #expect(abs(p - expected) < 1e-12, "b=\(regressed) c=\(fixed): \(p), expected \(expected)")
  }

  @Test("no regressed case gives p = 1, whatever was fixed", arguments: [0, 1, 7, 500])
  func noRegression(fixed: Int) {
    #expect(PairedTest.mcNemar(regressed: 0, fixed: fixed) == 1)
  }

  @Test("one regressed case out of one is never significant at 0.05; five out of five is")
  func smallSets() {
    #expect(PairedTest.mcNemar(regressed: 1, fixed: 0) >= 0.05)
    #expect(PairedTest.mcNemar(regressed: 4, fixed: 0) >= 0.05)
    #expect(PairedTest.mcNemar(regressed: 5, fixed: 0) < 0.05)
  }

  @Test("the tails are complementary: P(X >= b) + P(X <= b - 1) = 1")
  func complementary() {
    for n in 1...40 {
      for b in 1...n {
        // P(X <= b - 1) = P(X >= n - b + 1) by symmetry of Binomial(n, 1/2).
        let upper = PairedTest.mcNemar(regressed: b, fixed: n - b)
        let lower = PairedTest.mcNemar(regressed: n - b + 1, fixed: b - 1)
        #expect(abs(upper + lower - 1) < 1e-9, "n=\(n) b=\(b): \(upper) + \(lower)")
      }
    }
  }

  @Test("more regressions make p smaller; more fixes make it larger")
  func monotone() {
    for c in 0...10 {
      var previous = 1.0
      for b in 1...20 {
        let p = PairedTest.mcNemar(regressed: b, fixed: c)
        #expect(p <= previous + 1e-15)
        #expect(p > 0 && p <= 1)
        previous = p
      }
    }
    for b in 1...10 {
      var previous = 0.0
      for c in 0...20 {
        let p = PairedTest.mcNemar(regressed: b, fixed: c)
        #expect(p >= previous - 1e-15)
        previous = p
      }
    }
  }

  @Test("large counts stay finite and in [0, 1]")
  func large() {
    let balanced = PairedTest.mcNemar(regressed: 2000, fixed: 2000)
    #expect(balanced > 0.5 && balanced < 0.52)
    let lopsided = PairedTest.mcNemar(regressed: 3000, fixed: 10)
    #expect(lopsided >= 0 && lopsided < 1e-100)
    #expect(PairedTest.mcNemar(regressed: 1, fixed: 5000) <= 1)
  }
}
