extension BehaviorVersion {
  /// The version whose ``tuple`` is `tuple`, or nil when `tuple` is not exactly the tuple of a
  /// version (a field missing, of the wrong type, or one too many).
  ///
  /// This is the inverse of ``tuple``: the candidate read from the fields must encode back to
  /// the same value, so that a record holding a tuple (a release tag) can never decode into a
  /// version with another id.
  public init?(tuple: JSONValue) {
    guard case .object(let fields) = tuple, case .object(let decoding)? = fields["decoding"]
    else { return nil }
    var version = BehaviorVersion()
    for component in Component.allCases {
      let value: JSONValue?
      switch component {
      case .temperature: value = decoding["temperature"]
      case .maxOutputTokens: value = decoding["maxOutputTokens"]
      case .prompt: value = fields["promptSha"]
      case .model: value = fields["model"]
      case .toolSchema: value = fields["toolSchemaSha"]
      case .retrievalPolicy: value = fields["retrievalPolicySha"]
      case .safetyPolicy: value = fields["safetyPolicySha"]
      }
      guard let value else { return nil }
      // A count converts to Int only when it is one (Int(1e300) would trap).
      if component == .maxOutputTokens, case .number(let number) = value,
        number.rounded() != number || abs(number) > 1e15
      {
        return nil
      }
      version.set(component, value)
    }
    guard version.tuple == tuple else { return nil }
    self = version
  }
}
