import Foundation
import PromptGateCore

extension JSONValue {
  /// The value decoded from JSON `bytes`, or nil when they are not JSON.
  static func decode(_ bytes: some Collection<UInt8>) -> JSONValue? {
    try? JSONDecoder().decode(JSONValue.self, from: Data(bytes))
  }

  /// Compact JSON bytes for a request body (NaN and infinities, which JSON cannot hold, become
  /// null; no request value the providers build holds one).
  var wireBytes: [UInt8] {
    Array(((try? CanonicalJSON.serialize(self)) ?? "null").utf8)
  }

  /// The member named `key`, when this is an object that has one.
  subscript(member key: String) -> JSONValue? {
    if case .object(let members) = self { return members[key] }
    return nil
  }

  /// The text, when this is a string.
  var stringContent: String? {
    if case .string(let text) = self { return text }
    return nil
  }

  /// The elements, when this is a list.
  var listContent: [JSONValue]? {
    if case .array(let list) = self { return list }
    return nil
  }

  /// The whole number, when this is a number (token counts).
  var integerContent: Int? {
    guard case .number(let number) = self, number.isFinite, number.magnitude < 1e15 else {
      return nil
    }
    return Int(number)
  }

  /// True for a JSON object.
  var isObject: Bool {
    if case .object = self { return true }
    return false
  }
}

/// Pieces of response bodies shared by the providers.
enum ResponseText {
  /// The most useful short text of an error body: `error.message` (OpenAI, Anthropic and most
  /// gateways), `error` when it is a string, `message`, or else the body itself; truncated.
  static func errorSummary(_ bytes: some Collection<UInt8>, limit: Int = 300) -> String {
    if let value = JSONValue.decode(bytes), let summary = errorSummary(value, limit: limit) {
      return summary
    }
    let text = String(decoding: bytes, as: UTF8.self).trimmingWhitespaceAndNewlines()
    return text.isEmpty ? "(empty body)" : truncate(String(text), limit: limit)
  }

  /// The error message in a decoded error body, when it has one.
  static func errorSummary(_ value: JSONValue, limit: Int = 300) -> String? {
    let candidates = [
      value[member: "error"]?[member: "message"], value[member: "error"],
      value[member: "message"], value[member: "detail"],
    ]
    for case .string(let text)? in candidates where !text.isEmpty {
      return truncate(text, limit: limit)
    }
    return nil
  }

  /// `text` cut to `limit` characters, on one line, with an ellipsis when cut.
  /// Secrets are scrubbed before the cut, and pieces of one left at the cut after it.
  static func truncate(_ text: String, limit: Int) -> String {
    let line = String(Redactor.scrub(text).map { $0.isNewline ? " " : $0 })
    return line.count <= limit ? line : Redactor.scrub(String(line.prefix(limit))) + "…"
  }
}
