import PromptGateCore
import Testing

/// The problems a mapping has, for the tests of parse-time checks.
enum MappingProblems {
  static let file = "promptgate.yaml"

  /// The problems of `yaml`; records an issue when it parses.
  static func of(_ yaml: String, sourceLocation: SourceLocation = #_sourceLocation)
    -> [Diagnostic]
  {
    do {
      _ = try MappingParser.parse(yaml, file: file)
      Issue.record("the mapping parsed, but an error was expected", sourceLocation: sourceLocation)
      return []
    } catch {
      return error.items
    }
  }

  /// The one problem of `yaml`, checked to be at the `occurrence`th `anchor` (line and column)
  /// and to have a fix.
  @discardableResult
  static func one(
    _ yaml: String, at anchor: String, occurrence: Int = 1,
    sourceLocation: SourceLocation = #_sourceLocation
  ) -> Diagnostic? {
    let found = of(yaml, sourceLocation: sourceLocation)
    guard found.count == 1, let diagnostic = found.first else {
      Issue.record("expected one problem, got \(found)", sourceLocation: sourceLocation)
      return nil
    }
    let expected = position(of: anchor, in: yaml, occurrence: occurrence)
    #expect(diagnostic.line == expected.line, "\(diagnostic)", sourceLocation: sourceLocation)
    #expect(diagnostic.column == expected.column, "\(diagnostic)", sourceLocation: sourceLocation)
    #expect(diagnostic.fix != nil, "\(diagnostic)", sourceLocation: sourceLocation)
    return diagnostic
  }

  /// The 1-based line and column of the `occurrence`th `needle` in `text`.
  static func position(of needle: String, in text: String, occurrence: Int = 1) -> (
    line: Int, column: Int
  ) {
    var seen = 0
    for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
    {
      var searched = line.startIndex
      while let range = line[searched...].range(of: needle) {
        seen += 1
        if seen == occurrence {
          return (index + 1, line.distance(from: line.startIndex, to: range.lowerBound) + 1)
        }
        searched = line.index(after: range.lowerBound)
      }
    }
    return (0, 0)
  }
}
