/// An allowed range of a numeric setting: a lower bound (inclusive or not) and an optional upper
/// bound, always finite.
public struct NumberRange: Sendable, CustomStringConvertible {
  /// The lower bound.
  public let minimum: Double
  /// True when the lower bound itself is allowed.
  public let includesMinimum: Bool
  /// The upper bound, when there is one.
  public let maximum: Double?
  /// True when the upper bound itself is allowed.
  public let includesMaximum: Bool

  /// True when `value` is finite and within the bounds.
  public func contains(_ value: Double) -> Bool {
    guard value.isFinite else { return false }
    guard includesMinimum ? value >= minimum : value > minimum else { return false }
    guard let maximum else { return true }
    return includesMaximum ? value <= maximum : value < maximum
  }

  /// The range in words: "from 0 to 1", "greater than 0 and at most 86,400".
  public var description: String {
    let low = Ranges.format(minimum)
    guard let maximum else { return includesMinimum ? "of at least \(low)" : "greater than \(low)" }
    let high = Ranges.format(maximum)
    switch (includesMinimum, includesMaximum) {
    case (true, true): return "from \(low) to \(high)"
    case (false, true): return "greater than \(low) and at most \(high)"
    case (true, false): return "of at least \(low) and less than \(high)"
    case (false, false): return "strictly between \(low) and \(high)"
    }
  }
}

/// The allowed range of every numeric setting of the mapping file (docs/mapping.md and
/// docs/gate.md list them). Each is checked when the mapping is parsed, so no later conversion
/// (seconds to a `Duration`, a count to an `Int`) can trap on an absurd value.
public enum Ranges {
  /// A provider's `timeout`, in seconds: above 0, at most a day.
  public static let timeout = NumberRange(
    minimum: 0, includesMinimum: false, maximum: maximumTimeout, includesMaximum: true)
  /// The longest timeout, in seconds (a day).
  public static let maximumTimeout = 86_400.0
  /// A provider's `concurrency`: calls in flight at once.
  public static let concurrency = 1...1_000
  /// A provider's `retries`.
  public static let retries = 0...100
  /// An eval set's `repeat` and `passAtLeast`.
  public static let repeats = 1...1_000
  /// An eval set's `alpha`: a significance level, strictly between 0 and 1.
  public static let alpha = NumberRange(
    minimum: 0, includesMinimum: false, maximum: 1, includesMaximum: false)
  /// A rate or a share: `floor`, `budgets.refusalRate`.
  public static let fraction = NumberRange(
    minimum: 0, includesMinimum: true, maximum: 1, includesMaximum: true)
  /// A ratio to the baseline: `budgets.p95Latency`, `budgets.costPerCase`.
  public static let ratio = NumberRange(
    minimum: 0, includesMinimum: false, maximum: nil, includesMaximum: false)
  /// A price or an amount of money: `prices.*.input`, `prices.*.output`, `limits.maxCost`.
  public static let price = NumberRange(
    minimum: 0, includesMinimum: true, maximum: nil, includesMaximum: false)
  /// `limits.maxCalls`.
  public static let maxCalls = 1...1_000_000_000

  /// `value` with thousands separators when whole ("86,400"), else as Swift prints it.
  static func format(_ value: Double) -> String {
    guard value.rounded() == value, abs(value) < 1e15 else { return "\(value)" }
    return format(Int(value))
  }

  /// `value` with thousands separators.
  static func format(_ value: Int) -> String {
    let digits = String(value.magnitude)
    var grouped = ""
    for (index, digit) in digits.enumerated() {
      if index > 0, (digits.count - index) % 3 == 0 { grouped += "," }
      grouped.append(digit)
    }
    return (value < 0 ? "-" : "") + grouped
  }
}
