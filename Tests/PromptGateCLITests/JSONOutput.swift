import Foundation
import TestSupport
import Testing

/// Parsing commands' JSON output with Foundation, independently of the encoders under test.
enum JSONOutput {
  /// `text` parsed as JSON.
  static func parse(_ text: String) throws -> Any {
    try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
  }

  /// `text` parsed as a JSON object.
  static func object(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws
    -> [String: Any]
  {
    try #require(try parse(text) as? [String: Any], sourceLocation: sourceLocation)
  }

  /// `text` parsed as a JSON array of objects.
  static func objects(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws
    -> [[String: Any]]
  {
    try #require(try parse(text) as? [[String: Any]], sourceLocation: sourceLocation)
  }
}

extension CommandResult {
  /// Records an issue unless the command exited with `code`.
  func expect(exit code: Int32, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(exitCode == code, "\(self)", sourceLocation: sourceLocation)
  }
}
