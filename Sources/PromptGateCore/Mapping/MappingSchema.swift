/// The JSON Schema (draft 2020-12) of `promptgate.yaml`, for editors: built from the places and
/// keys below, which a test compares with the parser's tables (``MappingParser/keyTables``) and
/// with what the parser accepts and rejects. `promptgate schema` prints it; the repository keeps
/// a copy at `schema/promptgate.schema.json`.
public enum MappingSchema {
  /// One place of the mapping file with a fixed set of keys.
  public struct Place: Sendable {
    /// The place as ``MappingParser/keyTables`` names it ("behaviors.NAME").
    public let name: String
    /// Its name under `$defs` (nil for the top level, which is the document itself).
    public let definition: String?
    /// What it is, for editors.
    public let description: String
    /// Its keys.
    public let keys: [Key]
    /// The keys that must be there.
    public let required: [String]
    /// Whole examples of the place, which between them use every key.
    public let examples: [JSONValue]
    /// More schema keywords for rules across keys (`oneOf`, `if`/`then`).
    public let rules: [String: JSONValue]

    init(
      _ name: String, definition: String?, _ description: String, keys: [Key],
      required: [String] = [], examples: [SchemaJSON], rules: [String: SchemaJSON] = [:]
    ) {
      self.name = name
      self.definition = definition
      self.description = description
      self.keys = keys
      self.required = required
      self.examples = examples.map(\.value)
      self.rules = rules.mapValues(\.value)
    }
  }

  /// One key of a place.
  public struct Key: Sendable {
    /// The key.
    public let name: String
    /// What its value may be.
    public let type: KeyType
    /// What it means, for editors.
    public let description: String

    init(_ name: String, _ type: KeyType, _ description: String) {
      self.name = name
      self.type = type
      self.description = description
    }
  }

  /// What a key's value may be, as the parser reads it.
  public enum KeyType: Sendable {
    /// A scalar read as text (a string, or a number or boolean written plainly).
    case text
    /// A list of such scalars.
    case texts
    /// `true` or `false`.
    case flag
    /// A whole number within the range.
    case integer(ClosedRange<Int>)
    /// A number within the range.
    case number(NumberRange)
    /// One of these strings.
    case choice([String])
    /// A mapping of the place with this name.
    case place(String)
    /// A mapping of names (behavior, eval set or provider names when `checksNames`) to mappings
    /// of the place with this name.
    case named(String, checksNames: Bool)
    /// A pattern or a list of patterns.
    case patterns
    /// The source of a component.
    case source(Component)
    /// Behavior name to the components an eval set protects.
    case protects
    /// Any value.
    case anyValue
  }

  /// The schema as a JSON value.
  public static func document() -> JSONValue {
    guard let top = places.first(where: { $0.definition == nil }) else { return .null }
    var definitions = sourceDefinitions.mapValues(\.value)
    for place in places {
      guard let name = place.definition else { continue }
      definitions[name] = schema(of: place)
    }
    var root: [String: JSONValue] = [:]
    if case .object(let members) = schema(of: top) { root = members }
    root["$schema"] = .string("https://json-schema.org/draft/2020-12/schema")
    root["title"] = .string("promptgate.yaml")
    root["$defs"] = .object(definitions)
    return .object(root)
  }

  /// The schema as `promptgate schema` prints it: sorted keys, two-space indentation, a final
  /// newline.
  public static func text() throws -> String {
    try CanonicalJSON.pretty(document()) + "\n"
  }

  /// The first example value of `key` in `place`'s examples.
  public static func example(of key: String, in place: Place) -> JSONValue? {
    for case .object(let members) in place.examples {
      if let value = members[key] { return value }
    }
    return nil
  }

  static func schema(of place: Place) -> JSONValue {
    var properties: [String: JSONValue] = [:]
    for key in place.keys {
      var property = schema(of: key.type).members
      property["description"] = .string(key.description)
      if let example = example(of: key.name, in: place) { property["examples"] = .array([example]) }
      properties[key.name] = .object(property)
    }
    var result: [String: JSONValue] = [
      "type": .string("object"),
      "description": .string(place.description),
      "properties": .object(properties),
      "additionalProperties": .bool(false),
      "examples": .array(place.examples),
    ]
    if !place.required.isEmpty { result["required"] = .array(place.required.map(JSONValue.string)) }
    result.merge(place.rules) { $1 }
    return .object(result)
  }

  static func reference(_ definition: String) -> SchemaJSON {
    ["$ref": SchemaJSON(.string("#/$defs/\(definition)"))]
  }

  static func schema(of type: KeyType) -> SchemaJSON {
    switch type {
    case .text: return reference("text")
    case .texts: return ["type": "array", "items": reference("text")]
    case .flag: return ["type": "boolean"]
    case .integer(let range):
      return [
        "type": "integer", "minimum": SchemaJSON(.number(Double(range.lowerBound))),
        "maximum": SchemaJSON(.number(Double(range.upperBound))),
      ]
    case .number(let range): return schema(of: range)
    case .choice(let values): return ["enum": SchemaJSON(.array(values.map(JSONValue.string)))]
    case .place(let name): return reference(definitionName(of: name))
    case .named(let name, let checksNames):
      let base: SchemaJSON = [
        "type": "object", "additionalProperties": reference(definitionName(of: name)),
      ]
      var result = base.members
      if checksNames { result["propertyNames"] = reference("name").value }
      return SchemaJSON(.object(result))
    case .patterns: return reference("patterns")
    case .source(let component): return reference(sourceDefinition(of: component))
    case .protects:
      return [
        "type": "object",
        "additionalProperties": [
          "anyOf": [
            reference("componentName"),
            ["type": "array", "items": reference("componentName")],
          ]
        ],
      ]
    case .anyValue: return [:]
    }
  }

  static func schema(of range: NumberRange) -> SchemaJSON {
    var result: [String: JSONValue] = ["type": .string("number")]
    result[range.includesMinimum ? "minimum" : "exclusiveMinimum"] = .number(range.minimum)
    if let maximum = range.maximum {
      result[range.includesMaximum ? "maximum" : "exclusiveMaximum"] = .number(maximum)
    }
    return SchemaJSON(.object(result))
  }

  /// The `$defs` name of the place called `name`.
  static func definitionName(of name: String) -> String {
    places.first { $0.name == name }?.definition ?? name
  }
}

/// A JSON value written as a literal, for the schema's tables (kept apart from ``JSONValue`` so
/// that no literal elsewhere changes meaning).
struct SchemaJSON: ExpressibleByStringLiteral, ExpressibleByBooleanLiteral,
  ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByFloatLiteral,
  ExpressibleByIntegerLiteral, Sendable
{
  /// The value.
  let value: JSONValue

  init(_ value: JSONValue) { self.value = value }
  init(stringLiteral value: String) { self.value = .string(value) }
  init(booleanLiteral value: Bool) { self.value = .bool(value) }
  init(arrayLiteral elements: SchemaJSON...) { value = .array(elements.map(\.value)) }
  init(dictionaryLiteral elements: (String, SchemaJSON)...) {
    value = .object(Dictionary(elements.map { ($0.0, $0.1.value) }) { $1 })
  }
  init(floatLiteral value: Double) { self.value = .number(value) }
  init(integerLiteral value: Int) { self.value = .number(Double(value)) }

  /// The members, when the value is a mapping.
  var members: [String: JSONValue] {
    if case .object(let members) = value { return members }
    return [:]
  }
}
