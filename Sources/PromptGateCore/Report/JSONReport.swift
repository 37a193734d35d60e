import Foundation

/// The gate as the JSON document `promptgate gate --format json` prints (`schemaVersion: 1`).
public enum JSONReport {
  /// `result` with sorted keys and two-space indentation, as every PromptGate JSON document.
  public static func render(_ result: GateResult) throws -> String {
    let data = try JSONEncoder().encode(result)
    return try CanonicalJSON.pretty(try JSONDecoder().decode(JSONValue.self, from: data))
  }
}
