import Foundation

/// Quantiles of non-negative values from a bounded, mergeable structure: values are counted in
/// logarithmic buckets `(γ^(i-1), γ^i]` with `γ = (1+α)/(1-α)`, and a quantile is read as its
/// bucket's midpoint `2γ^i/(γ+1)` (the DDSketch construction).
///
/// The answer for quantile `q` is within a relative error of ``relativeAccuracy`` (1%) of the
/// exact nearest-rank quantile, the `⌈q·n⌉`-th smallest value. Values at or below
/// ``smallest`` (1 µs for latencies in ms) count as 0. Memory is one counter per bucket used: at
/// most about 1,600 for values from 1 µs to a week in milliseconds, whatever the number of values.
public struct QuantileSketch: Sendable, Equatable {
  /// The guaranteed relative error of every quantile.
  public static let relativeAccuracy = 0.01
  /// Values at or below this count as zero.
  public static let smallest = 0.001

  static let gamma = (1 + relativeAccuracy) / (1 - relativeAccuracy)
  static let logGamma = log(gamma)

  /// Counts by bucket index.
  public private(set) var buckets: [Int32: Int] = [:]
  /// Values counted as zero.
  public private(set) var zeros = 0
  /// Values counted.
  public private(set) var count = 0

  /// An empty sketch.
  public init() {}

  /// The bucket a value falls in.
  public static func bucket(of value: Double) -> Int32 {
    Int32(min(max((log(value) / logGamma).rounded(.up), -20_000), 20_000))
  }

  /// The value a bucket stands for.
  public static func representative(of bucket: Int32) -> Double {
    2 * pow(gamma, Double(bucket)) / (gamma + 1)
  }

  /// Counts `value`; a negative or non-finite value is ignored.
  public mutating func add(_ value: Double) {
    guard value.isFinite, value >= 0 else { return }
    count += 1
    if value <= Self.smallest {
      zeros += 1
    } else {
      buckets[Self.bucket(of: value), default: 0] += 1
    }
  }

  /// Counts `count` values in `bucket` (what a database that bucketed the values returns).
  public mutating func add(bucket: Int32, count: Int) {
    guard count > 0 else { return }
    buckets[bucket, default: 0] += count
    self.count += count
  }

  /// Counts `count` values as zero.
  public mutating func addZeros(_ count: Int) {
    guard count > 0 else { return }
    zeros += count
    self.count += count
  }

  /// Adds `other`'s values.
  public mutating func merge(_ other: QuantileSketch) {
    for (bucket, count) in other.buckets { buckets[bucket, default: 0] += count }
    zeros += other.zeros
    count += other.count
  }

  /// The `q` quantile (0 < q ≤ 1), or nil with no values.
  public func quantile(_ q: Double) -> Double? {
    guard count > 0 else { return nil }
    let rank = max(1, Int((q * Double(count)).rounded(.up)))
    if rank <= zeros { return 0 }
    var seen = zeros
    for bucket in buckets.keys.sorted() {
      seen += buckets[bucket] ?? 0
      if seen >= rank { return Self.representative(of: bucket) }
    }
    return buckets.keys.max().map(Self.representative(of:))
  }
}
