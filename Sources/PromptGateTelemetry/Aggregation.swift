import PromptGateCore

/// What to count: a window of time, a stratum to split each version by, and the prices that
/// cost requests which did not record their cost.
public struct TelemetryQuery: Sendable {
  /// A stratum each version's requests can be split by.
  public enum Stratum: String, Sendable, CaseIterable {
    case route, tenant, model
  }

  /// Requests at or after this time (Unix ms), when set.
  public var since: Int64?
  /// Requests before this time (Unix ms), when set.
  public var until: Int64?
  /// Split each version by this, when set.
  public var groupBy: Stratum?
  /// Prices by model name, per million tokens (the mapping's `prices:`).
  public var prices: [String: Price]

  /// Creates a query.
  public init(
    since: Int64? = nil, until: Int64? = nil, groupBy: Stratum? = nil,
    prices: [String: Price] = [:]
  ) {
    self.since = since
    self.until = until
    self.groupBy = groupBy
    self.prices = prices
  }

  /// True when `time` is inside the window.
  public func contains(_ time: Int64) -> Bool {
    if let since, time < since { return false }
    if let until, time >= until { return false }
    return true
  }

  /// The stratum value of `event` ("(none)" when it has none); nil without `groupBy`.
  public func group(of event: TelemetryEvent) -> String? {
    switch groupBy {
    case nil: return nil
    case .route?: return event.route ?? Self.none
    case .tenant?: return event.tenant ?? Self.none
    case .model?: return event.model ?? Self.none
    }
  }

  /// The stratum of requests that have no value for it.
  public static let none = "(none)"

  /// The cost of `event`: what it recorded, else its tokens at its model's price, else nil.
  public func cost(of event: TelemetryEvent) -> Double? {
    if let cost = event.costUsd { return cost }
    guard let model = event.model, let price = prices[model] else { return nil }
    return price.cost(of: Usage(inputTokens: event.inputTokens, outputTokens: event.outputTokens))
  }
}

/// Which aggregate a request counts in: its version, and its stratum when grouped.
public struct AggregateKey: Hashable, Sendable, Comparable {
  public let behaviorId: BehaviorID
  public let group: String?

  /// Creates a key.
  public init(behaviorId: BehaviorID, group: String?) {
    self.behaviorId = behaviorId
    self.group = group
  }

  public static func < (left: AggregateKey, right: AggregateKey) -> Bool {
    (left.behaviorId.digest, left.group ?? "") < (right.behaviorId.digest, right.group ?? "")
  }
}

/// The aggregates of every source read so far, with what was skipped.
public struct Aggregation: Sendable {
  /// What is counted.
  public let query: TelemetryQuery
  /// Aggregates by version (and stratum).
  public private(set) var aggregates: [AggregateKey: VersionAggregate] = [:]
  /// Lines skipped and keys ignored.
  public var problems = ReadProblems()
  /// Requests read that fell outside the window.
  public private(set) var outsideWindow = 0
  /// Sources read, in order.
  public private(set) var sources: [String] = []

  /// An empty aggregation for `query`.
  public init(query: TelemetryQuery) { self.query = query }

  /// Counts `event` when it is inside the window.
  public mutating func add(_ event: TelemetryEvent) {
    guard query.contains(event.timestamp) else {
      outsideWindow += 1
      return
    }
    let key = AggregateKey(behaviorId: event.behaviorId, group: query.group(of: event))
    aggregates[key, default: VersionAggregate()].add(event, cost: query.cost(of: event))
  }

  /// Adds an aggregate computed elsewhere (by a database) under `key`.
  public mutating func merge(_ aggregate: VersionAggregate, at key: AggregateKey) {
    aggregates[key, default: VersionAggregate()].merge(aggregate)
  }

  /// Counts `requests` a database found outside the window.
  public mutating func countOutside(_ requests: Int) { outsideWindow += requests }

  /// Records that `name` was read.
  public mutating func read(_ name: String) { sources.append(name) }

  /// Requests counted in all.
  public var requests: Int { aggregates.values.reduce(0) { $0 + $1.requests } }
}
