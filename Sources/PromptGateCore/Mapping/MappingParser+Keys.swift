/// The keys the parser reads at each place of the mapping file: the tables its "unknown key"
/// checks use, gathered so that the JSON Schema (``MappingSchema``) can be compared with them.
extension MappingParser {
  static let decodingKeys = ["temperature", "maxOutputTokens"]
  static let sourceKeys = [
    "files", "file", "pointer", "regex", "group", "value", "optional", "hash",
  ]
  /// What `hash` takes in a long-form file set: whole files, or prompt text without front matter.
  static let sourceHashes = ["file", "body"]
  static let messagesKeys = ["system", "user"]
  static let priceKeys = ["input", "output"]
  static let limitKeys = ["maxCalls", "maxCost"]
  static let hookKeys = ["onUnavailable", "timeout", "maxRepeat"]
  static let budgetKeys = ["p95Latency", "costPerCase", "refusalRate"]
  static let judgeKeys = ["provider", "model"]

  /// Every place that has a fixed set of keys, named as ``MappingSchema/Place`` names it, with
  /// the keys the parser accepts there. A new table of keys belongs here, or the schema test
  /// cannot see it.
  public static let keyTables: [(place: String, keys: [String])] = [
    ("the top level", topLevelKeys),
    ("behaviors.NAME", behaviorKeys),
    ("behaviors.NAME.decoding", decodingKeys),
    ("a long-form source", sourceKeys),
    ("messages", messagesKeys),
    ("evalSets.NAME", evalSetKeys + runKeys),
    ("evalSets.NAME.budgets", budgetKeys),
    ("evalSets.NAME.judge", judgeKeys),
    ("providers.NAME", providerKeys),
    ("prices.MODEL", priceKeys),
    ("limits", limitKeys),
    ("hook", hookKeys),
    ("telemetry", telemetryKeys),
    ("telemetry.clickhouse", clickHouseKeys),
  ]
}
