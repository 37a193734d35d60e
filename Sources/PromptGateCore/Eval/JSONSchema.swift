import Foundation

/// A schema PromptGate cannot check completely: an unsupported keyword or a malformed value.
public struct SchemaError: Error, Sendable, Equatable, CustomStringConvertible {
  /// What is wrong, naming the place in the schema (`#/properties/name`).
  public let message: String

  /// Creates an error.
  public init(_ message: String) { self.message = message }

  /// The message.
  public var description: String { message }
}

/// A JSON Schema in a documented subset of the 2020-12 vocabulary (see ``supportedKeywords``);
/// any other keyword is rejected when the schema is read, so a schema is never half-checked.
///
/// String lengths count Unicode scalars (code points), as JSON Schema defines them; `format` is
/// refused (a schema that says `format: email` expects it checked, and it would not be: write a
/// `pattern`); `$ref` reaches `#/$defs/NAME` or `#/definitions/NAME`.
public struct JSONSchema: Sendable, Hashable {
  /// The schema as written.
  public let value: JSONValue

  /// The keywords that constrain an instance.
  public static let supportedKeywords: [String] = [
    "type", "properties", "required", "additionalProperties", "items", "prefixItems", "enum",
    "const", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf",
    "minLength", "maxLength", "pattern", "minItems", "maxItems", "uniqueItems", "minProperties",
    "maxProperties", "allOf", "anyOf", "oneOf", "not", "$ref", "$defs", "definitions",
  ]

  /// Keywords that only annotate, accepted and ignored.
  public static let annotationKeywords: Set<String> = [
    "$schema", "$id", "$comment", "title", "description", "default", "examples", "readOnly",
    "writeOnly", "deprecated",
  ]

  /// How deep `$ref`s may nest while validating, so that a cycle cannot recurse forever.
  static let maximumDepth = 128

  private static let typeNames: Set<String> = [
    "null", "boolean", "object", "array", "number", "string", "integer",
  ]

  /// Reads `value` as a schema; throws for keywords outside the subset and malformed values.
  public init(_ value: JSONValue) throws(SchemaError) {
    try Self.check(value, at: "#", root: value)
    self.value = value
  }

  /// The ways `instance` breaks the schema, each as `at /path: message`; empty when it is valid.
  public func validate(_ instance: JSONValue) -> [String] {
    var violations: [String] = []
    Self.validate(instance, against: value, path: "", root: value, depth: 0, into: &violations)
    return violations
  }
}

// MARK: - Reading a schema

extension JSONSchema {
  private static func check(_ schema: JSONValue, at path: String, root: JSONValue)
    throws(SchemaError)
  {
    guard case .object(let members) = schema else {
      if case .bool = schema { return }
      throw SchemaError("\(path) must be a schema (a mapping or a boolean), not \(schema.typeName)")
    }
    for (key, keyword) in members.sorted(by: { $0.key < $1.key }) {
      let here = "\(path)/\(escape(key))"
      switch key {
      case _ where annotationKeywords.contains(key): continue
      case "type":
        let names: [JSONValue]
        if case .array(let list) = keyword, !list.isEmpty {
          names = list
        } else {
          names = [keyword]
        }
        for name in names {
          guard case .string(let text) = name, typeNames.contains(text) else {
            throw SchemaError(
              "\(here) must name types among \(typeNames.sorted().joined(separator: ", "))")
          }
        }
      case "properties", "$defs", "definitions":
        guard case .object(let schemas) = keyword else {
          throw SchemaError("\(here) must be a mapping of names to schemas")
        }
        for (name, schema) in schemas.sorted(by: { $0.key < $1.key }) {
          try check(schema, at: "\(here)/\(escape(name))", root: root)
        }
      case "required":
        guard case .array(let names) = keyword, names.allSatisfy({ $0.scalarIsString }) else {
          throw SchemaError("\(here) must be a list of property names")
        }
      case "items" where keyword.isArray:
        throw SchemaError(
          "\(here) is a list, the pre-2020 tuple form; use prefixItems for a tuple")
      case "additionalProperties", "items", "not":
        try check(keyword, at: here, root: root)
      case "prefixItems", "allOf", "anyOf", "oneOf":
        guard case .array(let schemas) = keyword, !schemas.isEmpty else {
          throw SchemaError("\(here) must be a non-empty list of schemas")
        }
        for (index, element) in schemas.enumerated() {
          try check(element, at: "\(here)/\(index)", root: root)
        }
      case "enum":
        guard case .array = keyword else { throw SchemaError("\(here) must be a list of values") }
      case "const": continue
      case "format":
        throw SchemaError(
          "\(here): `format` is not checked by PromptGate, so the schema would pass what it "
            + "means to refuse; remove it, or write the shape as a `pattern`")
      case "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum":
        guard case .number = keyword else { throw SchemaError("\(here) must be a number") }
      case "multipleOf":
        guard case .number(let number) = keyword, number > 0 else {
          throw SchemaError("\(here) must be a number greater than 0")
        }
      case "minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties":
        guard case .number(let number) = keyword, number >= 0, number.rounded() == number else {
          throw SchemaError("\(here) must be a non-negative integer")
        }
      case "uniqueItems":
        guard case .bool = keyword else { throw SchemaError("\(here) must be true or false") }
      case "pattern":
        guard case .string(let pattern) = keyword, (try? regex(pattern)) != nil else {
          throw SchemaError("\(here) must be a valid regular expression")
        }
      case "$ref":
        guard case .string(let reference) = keyword else {
          throw SchemaError("\(here) must be a string")
        }
        guard resolve(reference, in: root) != nil else {
          throw SchemaError(
            "\(here) \(Diagnostic.quote(reference)) does not name a schema in this document; only "
              + "'#/$defs/NAME' and '#/definitions/NAME' references are supported")
        }
      default:
        throw SchemaError(
          "\(here): unsupported keyword \(Diagnostic.quote(key)); PromptGate checks only "
            + supportedKeywords.joined(separator: ", ") + " (and ignores annotations such as "
            + "title and description)")
      }
    }
  }

  static func resolve(_ reference: String, in root: JSONValue) -> JSONValue? {
    guard reference.hasPrefix("#"),
      let fragment = String(reference.dropFirst()).removingPercentEncoding,
      let pointer = JSONPointer(fragment), pointer.tokens.count == 2,
      pointer.tokens[0] == "$defs" || pointer.tokens[0] == "definitions",
      case .success(let schema) = pointer.resolve(in: root)
    else { return nil }
    return schema
  }

  static func regex(_ pattern: String) throws -> NSRegularExpression {
    try NSRegularExpression(pattern: pattern)
  }

  static func escape(_ token: String) -> String {
    token.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
  }
}

extension JSONValue {
  fileprivate var scalarIsString: Bool {
    if case .string = self { return true }
    return false
  }

  fileprivate var isArray: Bool {
    if case .array = self { return true }
    return false
  }
}
