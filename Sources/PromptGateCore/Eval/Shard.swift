/// One of `count` slices of a gate's cases, for spreading a gate over CI runners: a case belongs
/// to the shard its stable hash of (eval set, case id) falls in, on every machine.
public struct Shard: Sendable, Hashable, Codable, CustomStringConvertible {
  /// 1-based.
  public let index: Int
  public let count: Int

  /// Parses `i/n` with 1 ≤ i ≤ n.
  public init?(_ text: String) {
    let parts = text.split(separator: "/")
    guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]), count >= 1,
      index >= 1, index <= count
    else { return nil }
    self.index = index
    self.count = count
  }

  public var description: String { "\(index)/\(count)" }

  /// True when the case `caseID` of `evalSet` is this shard's.
  public func contains(evalSet: String, caseID: String) -> Bool {
    let digest = Digest.sha256(Array(evalSet.utf8) + [0] + Array(caseID.utf8))
    let prefix = UInt64(digest.prefix(15), radix: 16) ?? 0
    return Int(prefix % UInt64(count)) == index - 1
  }
}

/// What one shard produced: its identity, and every raw result its cases needed.
public struct ShardResults: Codable, Sendable {
  /// The file's schema version.
  public var schemaVersion = 1
  /// Which shard.
  public let shard: Shard
  /// The gated commits and tier: every shard of one gate has the same.
  public let base: String
  public let head: String
  public let tier: String?
  /// The raw results (from the run or the store).
  public let results: [StoredResult]
  /// The gradings (judge verdicts, `command` results) those results needed; absent in files
  /// written before gradings travelled with shards.
  public let judgements: [StoredJudgement]?

  /// Creates shard results.
  public init(
    shard: Shard, base: String, head: String, tier: String?, results: [StoredResult],
    judgements: [StoredJudgement] = []
  ) {
    self.shard = shard
    self.base = base
    self.head = head
    self.tier = tier
    self.results = results
    self.judgements = judgements
  }
}
