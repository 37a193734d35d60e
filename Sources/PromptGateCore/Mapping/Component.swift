/// One field of the behavior version tuple, named as `diff`, `select` and `protects` name it.
public enum Component: String, CaseIterable, Codable, Sendable, Comparable {
  case prompt
  case model
  case toolSchema
  case retrievalPolicy
  case safetyPolicy
  case temperature = "decoding.temperature"
  case maxOutputTokens = "decoding.maxOutputTokens"

  /// What a component's resolved value is.
  public enum Kind: Sendable {
    /// A SHA-256 of files or of a canonical value.
    case digest
    /// A name, such as the model's.
    case name
    /// A finite number.
    case number
    /// A non-negative integer.
    case count
  }

  /// What this component's resolved value is.
  public var kind: Kind {
    switch self {
    case .prompt, .toolSchema, .retrievalPolicy, .safetyPolicy: return .digest
    case .model: return .name
    case .temperature: return .number
    case .maxOutputTokens: return .count
    }
  }

  /// True when JSON and YAML files of the component hash in canonical form (prompts hash as bytes).
  public var hashesStructuredFilesCanonically: Bool {
    self == .toolSchema || self == .retrievalPolicy || self == .safetyPolicy
  }

  /// The components a name in `protects` stands for: `all`, `decoding`, or one component.
  public static func expanding(_ name: String) -> [Component]? {
    switch name {
    case "all": return allCases
    case "decoding": return [.temperature, .maxOutputTokens]
    default: return Component(rawValue: name).map { [$0] }
    }
  }

  public static func < (lhs: Component, rhs: Component) -> Bool {
    (allCases.firstIndex(of: lhs) ?? 0) < (allCases.firstIndex(of: rhs) ?? 0)
  }
}
