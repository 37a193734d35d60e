import Foundation
import PromptGateCore
import Testing

@testable import PromptGateTelemetry

@Suite("Aggregates per behavior version")
struct AggregationTests {
  /// Random events over three versions, two routes, some fields missing.
  static func events(count: Int, seed: UInt64) -> [TelemetryEvent] {
    var random = SeededGenerator(seed: seed)
    let ids = [testID("a"), testID("b"), testID("c")]
    return (0..<count).map { index in
      var event = TelemetryEvent(
        timestamp: 1_767_225_600_000 + Int64(index) * 1000,
        behaviorId: ids[Int.random(in: 0..<3, using: &random)])
      event.model = Bool.random(using: &random) ? "small" : "large"
      if Int.random(in: 0..<10, using: &random) > 0 {
        // Log-normal-ish latencies from 20 ms to several seconds.
        let exponent = Double.random(in: 3...8.5, using: &random)
        event.latencyMs = exp(exponent).rounded()
      }
      if Int.random(in: 0..<10, using: &random) > 0 {
        event.inputTokens = Int.random(in: 100...4000, using: &random)
        event.outputTokens = Int.random(in: 1...800, using: &random)
      }
      if Int.random(in: 0..<4, using: &random) == 0 {
        event.costUsd = Double.random(in: 0...0.02, using: &random)
      }
      event.tools = (0..<Int.random(in: 0...3, using: &random)).map { _ in
        TelemetryToolCall(
          name: ["lookup", "refund"][Int.random(in: 0...1, using: &random)],
          failed: Int.random(in: 0..<8, using: &random) == 0)
      }
      if Bool.random(using: &random) {
        event.retrievalCalls = Int.random(in: 0...5, using: &random)
      }
      event.refusal = Int.random(in: 0..<20, using: &random) == 0
      event.fallback = Int.random(in: 0..<30, using: &random) == 0
      event.userRetry = Int.random(in: 0..<12, using: &random) == 0
      event.route = Bool.random(using: &random) ? "checkout" : nil
      return event
    }
  }

  static let prices = [
    "small": Price(input: 0.15, output: 0.6), "large": Price(input: 2.5, output: 10),
  ]

  /// The exact nearest-rank quantile, computed by sorting.
  static func exactQuantile(_ values: [Double], _ q: Double) -> Double {
    let sorted = values.sorted()
    let rank = max(1, Int((q * Double(sorted.count)).rounded(.up)))
    return sorted[rank - 1]
  }

  @Test("each version's figures equal a direct computation over its events")
  func figures() throws {
    let events = Self.events(count: 5000, seed: 7)
    var aggregation = Aggregation(query: TelemetryQuery(prices: Self.prices))
    for event in events { aggregation.add(event) }
    #expect(aggregation.aggregates.count == 3)
    #expect(aggregation.requests == 5000)
    for (key, aggregate) in aggregation.aggregates {
      let mine = events.filter { $0.behaviorId == key.behaviorId }
      let metrics = VersionMetrics(aggregate)
      #expect(metrics.requests == mine.count)
      let latencies: [Double] = mine.compactMap { $0.latencyMs }
      #expect(metrics.latencyMs.count == latencies.count)
      for (q, value) in [
        (0.5, metrics.latencyMs.p50), (0.95, metrics.latencyMs.p95), (0.99, metrics.latencyMs.p99),
      ] {
        let exact = Self.exactQuantile(latencies, q)
        let estimate = try #require(value)
        #expect(abs(estimate - exact) <= QuantileSketch.relativeAccuracy * exact, "q\(q)")
      }
      let input: [Double] = mine.compactMap { $0.inputTokens.map { Double($0) } }
      #expect(metrics.inputTokensPerRequest.count == input.count)
      let inputMean = input.reduce(0, +) / Double(input.count)
      #expect(abs((metrics.inputTokensPerRequest.mean ?? 0) - inputMean) < 1e-6)
      let squares: [Double] = input.map { ($0 - inputMean) * ($0 - inputMean) }
      let variance = squares.reduce(0, +) / Double(input.count - 1)
      let half: Double = 1.959963984540054 * (variance / Double(input.count)).squareRoot()
      #expect(abs((metrics.inputTokensPerRequest.low ?? 0) - (inputMean - half)) < 1e-6)
      #expect(abs((metrics.inputTokensPerRequest.high ?? 0) - (inputMean + half)) < 1e-6)
      // Cost: recorded, else tokens at the model's price per million; unknown without tokens.
      let costs: [Double] = mine.compactMap { (event: TelemetryEvent) -> Double? in
        if let cost = event.costUsd { return cost }
        guard let model = event.model, let price = Self.prices[model],
          let tokensIn = event.inputTokens, let tokensOut = event.outputTokens
        else { return nil }
        return (Double(tokensIn) * price.input + Double(tokensOut) * price.output) / 1e6
      }
      #expect(metrics.cost.known == costs.count)
      #expect(abs(metrics.cost.total - costs.reduce(0, +)) < 1e-9)
      let calls: [TelemetryToolCall] = mine.flatMap { $0.tools }
      #expect(metrics.toolFailureRate.total == calls.count)
      #expect(metrics.toolFailureRate.count == calls.filter { $0.failed }.count)
      let failedRequests = mine.filter { event in event.tools.contains { $0.failed } }
      #expect(metrics.requestToolFailureRate.count == failedRequests.count)
      for tool in metrics.tools {
        let named = calls.filter { $0.name == tool.name }
        #expect(tool.calls == named.count)
        #expect(tool.failureRate.count == named.filter { $0.failed }.count)
      }
      #expect(metrics.refusalRate.count == mine.filter { $0.refusal }.count)
      #expect(metrics.fallbackRate.count == mine.filter { $0.fallback }.count)
      #expect(metrics.userRetryRate.count == mine.filter { $0.userRetry }.count)
      #expect(metrics.refusalRate.total == mine.count)
      let retrieval: [Double] = mine.compactMap { $0.retrievalCalls.map { Double($0) } }
      let retrievalMean = retrieval.reduce(0, +) / Double(retrieval.count)
      #expect(abs((metrics.retrievalCallsPerRequest.mean ?? 0) - retrievalMean) < 1e-9)
      let times: [Int64] = mine.map { $0.timestamp }
      #expect(metrics.firstSeen == Timestamp.format(times.min() ?? 0))
      #expect(metrics.lastSeen == Timestamp.format(times.max() ?? 0))
      #expect(metrics.models.map(\.requests).reduce(0, +) == mine.count)
    }
  }

  @Test("aggregates of two halves merge into the aggregate of the whole")
  func merge() {
    let events = Self.events(count: 3000, seed: 11)
    var whole = VersionAggregate()
    var first = VersionAggregate()
    var second = VersionAggregate()
    for (index, event) in events.enumerated() {
      whole.add(event, cost: event.costUsd)
      if index % 3 == 0 {
        first.add(event, cost: event.costUsd)
      } else {
        second.add(event, cost: event.costUsd)
      }
    }
    first.merge(second)
    #expect(first.requests == whole.requests)
    #expect(first.latency == whole.latency)
    #expect(first.tools == whole.tools)
    #expect(first.models == whole.models)
    #expect(first.firstSeen == whole.firstSeen && first.lastSeen == whole.lastSeen)
    #expect(first.refusals == whole.refusals && first.userRetries == whole.userRetries)
    let a = first.inputTokens.estimate
    let b = whole.inputTokens.estimate
    #expect(a.count == b.count)
    #expect(abs((a.mean ?? 0) - (b.mean ?? 0)) < 1e-9)
    #expect(abs((a.high ?? 0) - (b.high ?? 0)) < 1e-6)
  }

  @Test("the window keeps [since, until) and counts the rest; grouping splits by stratum")
  func windowAndGroups() {
    let events = Self.events(count: 1000, seed: 3)
    let since = events[100].timestamp
    let until = events[900].timestamp
    var aggregation = Aggregation(
      query: TelemetryQuery(since: since, until: until, groupBy: .route))
    for event in events { aggregation.add(event) }
    #expect(aggregation.requests == 800)
    #expect(aggregation.outsideWindow == 200)
    let groups = Set(aggregation.aggregates.keys.map(\.group))
    #expect(groups == ["checkout", TelemetryQuery.none])
    let inWindow = events[100..<900]
    for (key, aggregate) in aggregation.aggregates {
      let expected = inWindow.filter {
        $0.behaviorId == key.behaviorId && ($0.route ?? TelemetryQuery.none) == key.group
      }
      #expect(aggregate.requests == expected.count)
    }
  }

  @Test("Wilson intervals match published values; means need two values for an interval")
  func intervals() {
    let half = RateEstimate(5, of: 10)
    #expect(abs((half.low ?? 0) - 0.2366) < 5e-5 && abs((half.high ?? 0) - 0.7634) < 5e-5)
    let none = RateEstimate(0, of: 10)
    #expect(none.low == 0 && abs((none.high ?? 0) - 0.2775) < 5e-5)
    let empty = RateEstimate(0, of: 0)
    #expect(empty.rate == nil && empty.low == nil)
    var one = MeanTally()
    one.add(4)
    #expect(one.estimate.mean == 4 && one.estimate.low == nil)
  }

  @Test("the sketch's quantiles stay within 1% on skewed data, with few buckets")
  func sketch() throws {
    var random = SeededGenerator(seed: 99)
    var sketch = QuantileSketch()
    var values: [Double] = []
    for _ in 0..<100_000 {
      let exponent = Double.random(in: -2...13, using: &random)
      let value = exp(exponent)
      values.append(value)
      sketch.add(value)
    }
    values.append(0)
    sketch.add(0)
    #expect(sketch.buckets.count < 2000)
    for q in [0.001, 0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 0.999, 1] {
      let exact = Self.exactQuantile(values, q)
      let estimate = try #require(sketch.quantile(q))
      #expect(abs(estimate - exact) <= QuantileSketch.relativeAccuracy * exact, "q\(q)")
    }
    #expect(sketch.quantile(0.000_001) == 0)
  }
}
