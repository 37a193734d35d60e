import Foundation

/// The gate as the JSON document `promptgate gate --format json` prints (`schemaVersion: 1`).
public enum JSONReport {
  /// `result` as every PromptGate JSON document is written.
  public static func render(_ result: GateResult) throws -> String {
    try document(result)
  }

  /// `value` with sorted keys and two-space indentation: the one form of every JSON document
  /// PromptGate prints, so output is stable and diffable.
  public static func document<Value: Encodable>(_ value: Value) throws -> String {
    let data = try JSONEncoder().encode(value)
    return try CanonicalJSON.pretty(try JSONDecoder().decode(JSONValue.self, from: data))
  }
}
