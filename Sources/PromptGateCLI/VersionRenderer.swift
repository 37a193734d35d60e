import PromptGateCore

/// Renders behavior versions as text, JSON or shell assignments.
struct VersionRenderer {
  let behaviors: [ResolvedBehavior]

  /// One JSON object per behavior: the tuple's keys, `id` and `behavior`.
  struct Entry: Encodable {
    let behavior: String
    let id: BehaviorID
    let promptSha: String?
    let model: String?
    let toolSchemaSha: String?
    let retrievalPolicySha: String?
    let safetyPolicySha: String?
    let decoding: Decoding

    struct Decoding: Encodable {
      let temperature: JSONValue
      let maxOutputTokens: Int?

      func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(temperature, forKey: .temperature)
        try container.encode(maxOutputTokens, forKey: .maxOutputTokens)
      }

      enum CodingKeys: String, CodingKey { case temperature, maxOutputTokens }
    }

    init(_ behavior: ResolvedBehavior) {
      let version = behavior.version
      self.behavior = behavior.name
      id = version.id
      promptSha = version.promptSha
      model = version.model
      toolSchemaSha = version.toolSchemaSha
      retrievalPolicySha = version.retrievalPolicySha
      safetyPolicySha = version.safetyPolicySha
      decoding = Decoding(
        temperature: version.value(of: .temperature), maxOutputTokens: version.maxOutputTokens)
    }

    // Every key is written, null when absent, so consumers see one shape.
    func encode(to encoder: Encoder) throws {
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(behavior, forKey: .behavior)
      try container.encode(id, forKey: .id)
      try container.encode(promptSha, forKey: .promptSha)
      try container.encode(model, forKey: .model)
      try container.encode(toolSchemaSha, forKey: .toolSchemaSha)
      try container.encode(retrievalPolicySha, forKey: .retrievalPolicySha)
      try container.encode(safetyPolicySha, forKey: .safetyPolicySha)
      try container.encode(decoding, forKey: .decoding)
    }

    enum CodingKeys: String, CodingKey {
      case behavior, id, promptSha, model, toolSchemaSha, retrievalPolicySha, safetyPolicySha,
        decoding
    }
  }

  func text() -> String {
    behaviors.map { behavior in
      var lines = ["\(behavior.name) \(behavior.version.id.full)"]
      for component in Component.allCases {
        let resolved = behavior.components[component] ?? ResolvedComponentText.null
        lines.append(
          "  " + component.rawValue.padding(toLength: 26, withPad: " ", startingAt: 0)
            + ResolvedComponentText.describe(component, resolved))
      }
      return lines.joined(separator: "\n")
    }.joined(separator: "\n\n")
  }

  func json() throws -> String { try Output.json(behaviors.map(Entry.init)) }

  func env(single: Bool) throws -> String {
    var lines: [String] = []
    var owners: [String: String] = [:]
    for behavior in behaviors {
      let variable = Mapping.environmentVariable(for: behavior.name)
      if let other = owners[variable] {
        throw ExitWith(
          .usage, "behaviors '\(other)' and '\(behavior.name)' both map to \(variable); rename one")
      }
      owners[variable] = behavior.name
      lines.append("\(variable)='\(behavior.version.id.full)'")
    }
    if single, let only = behaviors.first {
      lines.append("PROMPTGATE_BEHAVIOR_ID='\(only.version.id.full)'")
    }
    return lines.joined(separator: "\n")
  }
}

/// Short text for a component's value in human-readable output.
enum ResolvedComponentText {
  static let null = ResolvedComponent.nullComponent

  static func describe(_ component: Component, _ resolved: ResolvedComponent) -> String {
    let value = describe(resolved.value, component: component)
    if let files = resolved.files {
      return value + " (\(files.count) file\(files.count == 1 ? "" : "s"))"
    }
    return value
  }

  static func describe(_ value: JSONValue, component: Component) -> String {
    switch value {
    case .null: return "null"
    case .string(let text): return component.kind == .digest ? String(text.prefix(12)) : text
    default: return value.scalarText ?? "?"
    }
  }
}
