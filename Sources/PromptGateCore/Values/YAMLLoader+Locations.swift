import Yams

/// Finding in the text what libyaml's messages leave unsaid: the tab that broke the indentation,
/// and the second occurrence of a duplicate key (Yams marks only the first).
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

  /// Where `key`, first written at `first`, is written again in the same mapping: a block
  /// mapping's later line at the same indentation, or later on the same line in a flow mapping.
  static func repeatedKey(_ key: String, after first: Yams.Mark, in text: String)
    -> (line: Int, column: Int)?
  {
    let lines = Self.lines(text)
    guard lines.indices.contains(first.line - 1) else { return nil }
    let spellings = [key, "\"\(key)\"", "'\(key)'"]
    func startsWithKey(_ text: Substring) -> Bool {
      spellings.contains { spelling in
        guard text.hasPrefix(spelling) else { return false }
        return text.dropFirst(spelling.count).drop { $0 == " " }.first == ":"
      }
    }
    // Flow mapping: later on the first key's line, after a `,` or `{`.
    let firstLine = Array(lines[first.line - 1])
    if first.column - 1 < firstLine.count {
      var index = first.column
      while index < firstLine.count {
        if firstLine[index] == "," || firstLine[index] == "{" {
          var start = index + 1
          while start < firstLine.count, firstLine[start] == " " { start += 1 }
          if startsWithKey(Substring(String(firstLine[start...]))) {
            return (first.line, start + 1)
          }
        }
        index += 1
      }
    }
    // Block mapping: a later line at the same indentation, until the mapping ends.
    for number in first.line..<lines.count {
      let line = lines[number]
      let content = line.drop { $0 == " " }
      if content.isEmpty || content.hasPrefix("#") { continue }
      let column = line.count - content.count + 1
      if column < first.column { return nil }
      if column == first.column, startsWithKey(content) { return (number + 1, column) }
    }
    return nil
  }

  private static func lines(_ text: String) -> [Substring] {
    text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
  }
}
