/// RFC 8785 (JSON Canonicalization Scheme) serialization: sorted keys, no insignificant
/// whitespace, minimal string escapes, and numbers written as ECMAScript writes a double.
public enum CanonicalJSON {
  /// The canonical text of `value`; throws for numbers JSON cannot hold (NaN, infinity).
  public static func serialize(_ value: JSONValue) throws -> String {
    var output = ""
    try write(value, to: &output)
    return output
  }

  /// A double as ECMAScript's `Number.prototype.toString` writes it (the shortest form that reads
  /// back as the same double); nil for NaN and infinities.
  public static func format(_ value: Double) -> String? {
    guard value.isFinite else { return nil }
    if value == 0 { return "0" }
    // Swift's description is already the shortest round-trip digit string; only its layout differs.
    var text = "\(value.magnitude)"
    var exponent = 0
    if let mark = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
      exponent = Int(text[text.index(after: mark)...]) ?? 0
      text = String(text[..<mark])
    }
    let parts = text.split(separator: ".", omittingEmptySubsequences: false)
    let whole = String(parts[0])
    var digits = Array(whole + (parts.count > 1 ? String(parts[1]) : ""))
    var point = whole.count + exponent
    while digits.first == "0" {
      digits.removeFirst()
      point -= 1
    }
    while digits.last == "0" { digits.removeLast() }
    let count = digits.count
    let body: String
    if count <= point && point <= 21 {
      body = String(digits) + String(repeating: "0", count: point - count)
    } else if 0 < point && point <= 21 {
      body = String(digits[..<point]) + "." + String(digits[point...])
    } else if -6 < point && point <= 0 {
      body = "0." + String(repeating: "0", count: -point) + String(digits)
    } else {
      let power = point - 1
      let mantissa = count == 1 ? String(digits) : "\(digits[0])." + String(digits[1...])
      body = mantissa + "e" + (power < 0 ? "-" : "+") + String(power.magnitude)
    }
    return value < 0 ? "-" + body : body
  }

  private static func write(_ value: JSONValue, to output: inout String) throws {
    switch value {
    case .null: output += "null"
    case .bool(let flag): output += flag ? "true" : "false"
    case .number(let number):
      guard let text = format(number) else { throw NotRepresentable(value: number) }
      output += text
    case .string(let text): writeString(text, to: &output)
    case .array(let list):
      output += "["
      for (offset, element) in list.enumerated() {
        if offset > 0 { output += "," }
        try write(element, to: &output)
      }
      output += "]"
    case .object(let members):
      output += "{"
      let keys = members.keys.sorted { $0.utf16.lexicographicallyPrecedes($1.utf16) }
      for (offset, key) in keys.enumerated() {
        if offset > 0 { output += "," }
        writeString(key, to: &output)
        output += ":"
        try write(members[key] ?? .null, to: &output)
      }
      output += "}"
    }
  }

  private static func writeString(_ text: String, to output: inout String) {
    // Most strings (digests, paths, names) need no escape: append them whole.
    if !text.utf8.contains(where: {
      $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\")
    }) {
      output += "\""
      output += text
      output += "\""
      return
    }
    output += "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": output += "\\\""
      case "\\": output += "\\\\"
      case "\u{08}": output += "\\b"
      case "\u{0C}": output += "\\f"
      case "\n": output += "\\n"
      case "\r": output += "\\r"
      case "\t": output += "\\t"
      case _ where scalar.value < 0x20:
        let hex = String(scalar.value, radix: 16)
        output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      default: output.unicodeScalars.append(scalar)
      }
    }
    output += "\""
  }

  /// A number that JSON cannot represent.
  public struct NotRepresentable: Error, CustomStringConvertible {
    /// The offending value.
    public let value: Double
    public var description: String { "\(value) cannot be written as JSON" }
  }
}

extension CanonicalJSON {
  /// `value` indented by two spaces per level, keys sorted as in the canonical form: the layout
  /// of every JSON document PromptGate prints.
  public static func pretty(_ value: JSONValue) throws -> String {
    var output = ""
    try writePretty(value, indent: "", to: &output)
    return output
  }

  private static func writePretty(_ value: JSONValue, indent: String, to output: inout String)
    throws
  {
    let inner = indent + "  "
    switch value {
    case .array(let list) where !list.isEmpty:
      output += "[\n"
      for (offset, element) in list.enumerated() {
        output += inner
        try writePretty(element, indent: inner, to: &output)
        output += offset == list.count - 1 ? "\n" : ",\n"
      }
      output += indent + "]"
    case .object(let members) where !members.isEmpty:
      output += "{\n"
      let keys = members.keys.sorted { $0.utf16.lexicographicallyPrecedes($1.utf16) }
      for (offset, key) in keys.enumerated() {
        output += inner + (try serialize(.string(key))) + ": "
        try writePretty(members[key] ?? .null, indent: inner, to: &output)
        output += offset == keys.count - 1 ? "\n" : ",\n"
      }
      output += indent + "}"
    default:
      output += try serialize(value)
    }
  }
}
