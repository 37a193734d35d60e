/// The tuple that names a behavior's release, and its stable id.
///
/// The id is ``BehaviorID/prefix`` followed by the SHA-256 of the RFC 8785 canonical JSON of
/// `{schema: 1, promptSha, model, toolSchemaSha, retrievalPolicySha, safetyPolicySha,
/// decoding: {temperature, maxOutputTokens}}`, every key present and null when absent. The
/// behavior's name and how its sources are declared are not part of it.
public struct BehaviorVersion: Hashable, Sendable {
  /// The version of the canonical form; a change of form changes ``BehaviorID/prefix`` too.
  public static let schema = 1

  public var promptSha: String?
  public var model: String?
  public var toolSchemaSha: String?
  public var retrievalPolicySha: String?
  public var safetyPolicySha: String?
  public var temperature: Double?
  public var maxOutputTokens: Int?

  /// Creates a version from its fields.
  public init(
    promptSha: String? = nil, model: String? = nil, toolSchemaSha: String? = nil,
    retrievalPolicySha: String? = nil, safetyPolicySha: String? = nil,
    temperature: Double? = nil, maxOutputTokens: Int? = nil
  ) {
    self.promptSha = promptSha
    self.model = model
    self.toolSchemaSha = toolSchemaSha
    self.retrievalPolicySha = retrievalPolicySha
    self.safetyPolicySha = safetyPolicySha
    self.temperature = temperature
    self.maxOutputTokens = maxOutputTokens
  }

  /// The field for `component`, as JSON.
  public func value(of component: Component) -> JSONValue {
    switch component {
    case .prompt: return promptSha.map(JSONValue.string) ?? .null
    case .model: return model.map(JSONValue.string) ?? .null
    case .toolSchema: return toolSchemaSha.map(JSONValue.string) ?? .null
    case .retrievalPolicy: return retrievalPolicySha.map(JSONValue.string) ?? .null
    case .safetyPolicy: return safetyPolicySha.map(JSONValue.string) ?? .null
    case .temperature: return temperature.map(JSONValue.number) ?? .null
    case .maxOutputTokens: return maxOutputTokens.map { .number(Double($0)) } ?? .null
    }
  }

  /// The tuple's fields, keyed as in JSON output, without `schema`.
  public var tuple: JSONValue {
    .object([
      "promptSha": value(of: .prompt),
      "model": value(of: .model),
      "toolSchemaSha": value(of: .toolSchema),
      "retrievalPolicySha": value(of: .retrievalPolicy),
      "safetyPolicySha": value(of: .safetyPolicy),
      "decoding": .object([
        "temperature": value(of: .temperature),
        "maxOutputTokens": value(of: .maxOutputTokens),
      ]),
    ])
  }

  /// The canonical JSON text the id hashes.
  ///
  /// Written field by field in the canonical key order when no text needs an escape (digests
  /// and model names do not): a first walk hashes thousands of versions, and building the
  /// tuple as JSON to serialise it was a twentieth of the walk. Otherwise, and for a number
  /// JSON cannot hold, it is the tuple serialised (``serializedForm``); a test checks that
  /// both give the same text.
  public var canonicalForm: String { directForm ?? serializedForm }

  /// The canonical form written directly; nil when a text needs escapes or a number is not
  /// finite.
  var directForm: String? {
    func text(_ value: String?, to output: inout String) -> Bool {
      guard let value else {
        output += "null"
        return true
      }
      guard
        !value.utf8.contains(where: {
          $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\")
        })
      else { return false }
      output += "\""
      output += value
      output += "\""
      return true
    }
    func number(_ value: Double?, to output: inout String) -> Bool {
      guard let value else {
        output += "null"
        return true
      }
      guard let formatted = CanonicalJSON.format(value) else { return false }
      output += formatted
      return true
    }
    var output = "{\"decoding\":{\"maxOutputTokens\":"
    output.reserveCapacity(384)
    guard number(maxOutputTokens.map(Double.init), to: &output) else { return nil }
    output += ",\"temperature\":"
    guard number(temperature, to: &output) else { return nil }
    output += "},\"model\":"
    guard text(model, to: &output) else { return nil }
    output += ",\"promptSha\":"
    guard text(promptSha, to: &output) else { return nil }
    output += ",\"retrievalPolicySha\":"
    guard text(retrievalPolicySha, to: &output) else { return nil }
    output += ",\"safetyPolicySha\":"
    guard text(safetyPolicySha, to: &output) else { return nil }
    output += ",\"schema\":\(Self.schema),\"toolSchemaSha\":"
    guard text(toolSchemaSha, to: &output) else { return nil }
    output += "}"
    return output
  }

  /// The canonical form as ``CanonicalJSON`` serialises the tuple.
  var serializedForm: String {
    guard case .object(var members) = tuple else { preconditionFailure("the tuple is an object") }
    members["schema"] = .number(Double(Self.schema))
    // Every field is a string, a finite number or null, so serialization cannot fail.
    return (try? CanonicalJSON.serialize(.object(members))) ?? ""
  }

  /// The version's id.
  public var id: BehaviorID { BehaviorID(digest: Digest.sha256(canonicalForm)) }

  /// Sets the field for `component` from its coerced JSON value.
  mutating func set(_ component: Component, _ value: JSONValue) {
    let text: String? = if case .string(let string) = value { string } else { nil }
    let number: Double? = if case .number(let double) = value { double } else { nil }
    switch component {
    case .prompt: promptSha = text
    case .model: model = text
    case .toolSchema: toolSchemaSha = text
    case .retrievalPolicy: retrievalPolicySha = text
    case .safetyPolicy: safetyPolicySha = text
    case .temperature: temperature = number
    case .maxOutputTokens: maxOutputTokens = number.map { Int($0) }
    }
  }
}

/// A behavior version's id: `pgv1-` and 64 hex digits. The short form is the first 12 digits.
public struct BehaviorID: Hashable, Sendable, Comparable, CustomStringConvertible, Codable {
  /// The prefix that marks the id's scheme; the `1` is ``BehaviorVersion/schema``.
  public static let prefix = "pgv1-"
  /// The fewest hex digits a user may give to name a version.
  public static let minimumPrefixLength = 7

  /// The 64 hex digits.
  public let digest: String

  /// Creates an id from its digest.
  public init(digest: String) { self.digest = digest }

  /// Parses a full id, with or without the prefix.
  public init?(_ text: String) {
    let digits = text.hasPrefix(Self.prefix) ? String(text.dropFirst(Self.prefix.count)) : text
    guard digits.utf8.count == 64, digits.utf8.allSatisfy({ Self.isLowerHex($0) }) else {
      return nil
    }
    digest = digits
  }

  /// `pgv1-` and the full digest.
  public var full: String { Self.prefix + digest }
  /// The first 12 hex digits.
  /// (Cut by bytes: the digits are ASCII, and cutting by characters was a visible part of
  /// printing a long log.)
  public var short: String { String(decoding: digest.utf8.prefix(12), as: UTF8.self) }
  public var description: String { full }

  /// True when `abbreviation` (7 or more hex digits, with or without the prefix) names this id.
  public func matches(_ abbreviation: String) -> Bool {
    guard let digits = Self.abbreviationDigits(abbreviation) else { return false }
    return digest.hasPrefix(digits)
  }

  /// The hex digits of an abbreviation, or nil when it is too short or not hex.
  public static func abbreviationDigits(_ text: String) -> String? {
    let digits = (text.hasPrefix(prefix) ? String(text.dropFirst(prefix.count)) : text).lowercased()
    guard digits.utf8.count >= minimumPrefixLength, digits.utf8.count <= 64,
      digits.utf8.allSatisfy({ isLowerHex($0) })
    else { return nil }
    return digits
  }

  public func encode(to encoder: Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(full)
  }

  public init(from decoder: Decoder) throws {
    let container = try decoder.singleValueContainer()
    let text = try container.decode(String.self)
    guard let id = BehaviorID(text) else {
      throw DecodingError.dataCorruptedError(
        in: container, debugDescription: "not a behavior id: \(text)")
    }
    self = id
  }

  public static func < (lhs: BehaviorID, rhs: BehaviorID) -> Bool { lhs.digest < rhs.digest }

  private static func isLowerHex(_ byte: UInt8) -> Bool {
    (0x30...0x39).contains(byte) || (0x61...0x66).contains(byte)
  }
}
