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

  /// The component's place in the tuple. Equality, hashing and order go by it: a raw-valued
  /// enum otherwise hashes and compares its raw value's text, and components key dictionaries
  /// on every path that resolves a behavior.
  var ordinal: Int {
    switch self {
    case .prompt: return 0
    case .model: return 1
    case .toolSchema: return 2
    case .retrievalPolicy: return 3
    case .safetyPolicy: return 4
    case .temperature: return 5
    case .maxOutputTokens: return 6
    }
  }

  public static func == (lhs: Component, rhs: Component) -> Bool { lhs.ordinal == rhs.ordinal }

  public func hash(into hasher: inout Hasher) { hasher.combine(ordinal) }

  public static func < (lhs: Component, rhs: Component) -> Bool { lhs.ordinal < rhs.ordinal }
}
