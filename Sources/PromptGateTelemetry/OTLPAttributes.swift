/// An OTLP attribute value as the Collector's file exporter writes it (`stringValue`,
/// `intValue` as a string, `doubleValue`, `boolValue`, `arrayValue`).
enum OTLPValue: Equatable {
  case string(String)
  case int(Int64)
  case double(Double)
  case bool(Bool)
  case array([OTLPValue])
  /// A kind PromptGate does not read (`kvlistValue`, `bytesValue`).
  case other

  /// The value as text.
  var text: String? {
    switch self {
    case .string(let text): return text
    case .int(let number): return String(number)
    case .double(let number): return String(number)
    case .bool(let flag): return String(flag)
    default: return nil
    }
  }

  /// The value as a whole number (an `intValue`, or digits in a string as ClickHouse writes it).
  var int: Int? {
    switch self {
    case .int(let number): return Int(exactly: number)
    case .double(let number) where number >= 0 && number.rounded() == number && number < 1e15:
      return Int(number)
    case .string(let text): return Int(text)
    default: return nil
    }
  }

  /// The value as a flag (`true`, or the text `true`).
  var flag: Bool {
    switch self {
    case .bool(let flag): return flag
    case .string(let text): return text == "true"
    default: return false
    }
  }

  /// Reads one `AnyValue` object.
  init(_ node: JSONNode) {
    guard case .object(let members) = node, let (key, value) = members.first else {
      self = .other
      return
    }
    switch (key, value) {
    case ("stringValue", .string(let text)): self = .string(text)
    case ("intValue", .string(let text)): self = Int64(text).map { .int($0) } ?? .other
    case ("intValue", .number(let number)):
      self = number.rounded() == number && abs(number) < 9e15 ? .int(Int64(number)) : .other
    case ("doubleValue", .number(let number)): self = .double(number)
    case ("doubleValue", .string(let text)): self = Double(text).map { .double($0) } ?? .other
    case ("boolValue", .bool(let flag)): self = .bool(flag)
    case ("arrayValue", let array):
      guard case .array(let items)? = array["values"] else {
        self = .array([])
        return
      }
      self = .array(items.map { OTLPValue($0) })
    default: self = .other
    }
  }

  /// The attributes of a span, resource or event (`[{"key": ..., "value": {...}}]`).
  static func attributes(_ node: JSONNode?) -> [String: OTLPValue] {
    guard case .array(let items)? = node else { return [:] }
    var attributes: [String: OTLPValue] = [:]
    attributes.reserveCapacity(items.count)
    for item in items {
      guard case .string(let key)? = item["key"] else { continue }
      attributes[key] = item["value"].map { OTLPValue($0) } ?? .other
    }
    return attributes
  }
}
