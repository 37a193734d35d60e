import Foundation

/// The two-sided 95% normal quantile, used by every interval.
let z95 = 1.959963984540054

/// A proportion with its Wilson score 95% interval.
public struct RateEstimate: Sendable, Equatable, Encodable {
  /// How many had the property.
  public let count: Int
  /// Out of how many.
  public let total: Int
  /// count / total, nil when total is 0.
  public let rate: Double?
  /// The interval's bounds, nil when total is 0.
  public let low: Double?
  public let high: Double?

  /// The estimate for `count` out of `total`.
  public init(_ count: Int, of total: Int) {
    self.count = count
    self.total = total
    guard total > 0 else {
      rate = nil
      low = nil
      high = nil
      return
    }
    let n = Double(total)
    let p = Double(count) / n
    let z2 = z95 * z95
    let center = (p + z2 / (2 * n)) / (1 + z2 / n)
    let half = z95 / (1 + z2 / n) * sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    rate = p
    low = max(0, center - half)
    high = min(1, center + half)
  }
}

/// A running mean and variance (Welford), mergeable (Chan et al.).
public struct MeanTally: Sendable, Equatable {
  /// Values counted.
  public private(set) var count = 0
  /// Their sum.
  public private(set) var sum = 0.0
  public private(set) var mean = 0.0
  /// The sum of squared differences from the mean.
  public private(set) var m2 = 0.0

  /// No values yet.
  public init() {}

  /// Creates a tally from its parts (what a database computed).
  public init(count: Int, sum: Double, variance: Double) {
    self.count = count
    self.sum = sum
    mean = count > 0 ? sum / Double(count) : 0
    m2 = count > 1 ? variance * Double(count - 1) : 0
  }

  /// Counts `value`.
  public mutating func add(_ value: Double) {
    count += 1
    sum += value
    let delta = value - mean
    mean += delta / Double(count)
    m2 += delta * (value - mean)
  }

  /// Adds `other`'s values.
  public mutating func merge(_ other: MeanTally) {
    guard other.count > 0 else { return }
    guard count > 0 else {
      self = other
      return
    }
    let total = Double(count + other.count)
    let delta = other.mean - mean
    m2 += other.m2 + delta * delta * Double(count) * Double(other.count) / total
    mean += delta * Double(other.count) / total
    count += other.count
    sum += other.sum
  }

  /// The mean with its normal-approximation 95% interval (mean ± 1.96·s/√n); no interval below
  /// two values.
  public var estimate: MeanEstimate {
    guard count > 0 else { return MeanEstimate(count: 0, mean: nil, low: nil, high: nil) }
    guard count > 1 else { return MeanEstimate(count: count, mean: mean, low: nil, high: nil) }
    let half = z95 * sqrt(m2 / Double(count - 1)) / sqrt(Double(count))
    return MeanEstimate(count: count, mean: mean, low: max(0, mean - half), high: mean + half)
  }
}

/// A mean with its 95% interval.
public struct MeanEstimate: Sendable, Equatable, Encodable {
  /// How many values it is the mean of.
  public let count: Int
  public let mean: Double?
  public let low: Double?
  public let high: Double?
}
