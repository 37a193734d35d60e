import Yams

/// Finding in the text what libyaml's messages leave unsaid: the tab that broke the indentation.
extension YAMLLoader {
  /// The line and column of a tab in the indentation of the line `mark` points at (or of the line
  /// before it, where a tab-indented line ends a block), when there is one.
  static func tabIndentation(near mark: Yams.Mark, in text: String) -> (line: Int, column: Int)? {
    let lines = Self.lines(text)
    for line in [mark.line, mark.line - 1] where lines.indices.contains(line - 1) {
      let indentation = lines[line - 1].prefix { $0 == " " || $0 == "\t" }
      if let tab = indentation.firstIndex(of: "\t") {
        return (line, indentation.distance(from: indentation.startIndex, to: tab) + 1)
      }
      // A tab right at the mark, such as after a sequence's `- `, is indentation too.
      let characters = Array(lines[line - 1])
      if line == mark.line, characters.indices.contains(mark.column - 1),
        characters[mark.column - 1] == "\t",
        characters[..<(mark.column - 1)].allSatisfy({ " -\t".contains($0) })
      {
        return (line, mark.column)
      }
    }
    return nil
  }

  private static func lines(_ text: String) -> [Substring] {
    text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
  }
}
