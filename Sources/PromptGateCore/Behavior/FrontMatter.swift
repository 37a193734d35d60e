/// The YAML front matter of Dotprompt (`.prompt`) and Prompty (`.prompty`) files: the settings
/// between a first line `---` and the next line `---`, before the prompt text.
///
/// The front matter is the file's prefix up to its closing line, so the parser's line and column
/// marks in it are the file's own: messages point into the file, and a splice of the prefix is a
/// splice of the file.
public enum FrontMatter {
  /// True for the prompt files whose front matter pointers read: `.prompt` and `.prompty`.
  public static func isPromptFile(_ path: String) -> Bool {
    let lower = path.lowercased()
    return lower.hasSuffix(".prompt") || lower.hasSuffix(".prompty")
  }

  /// Where the front matter ends: `yamlEnd` is the offset of the closing `---` line (the YAML is
  /// `bytes[..<yamlEnd]`, its opening `---` included) and `bodyStart` that of the prompt text.
  struct Bounds: Equatable {
    let yamlEnd: Int
    let bodyStart: Int
  }

  /// The front matter's bounds in `bytes` (the contents of `file`), or nil when the file has
  /// none (its first line is not `---`); throws when it is opened and never closed.
  static func bounds(_ bytes: [UInt8], file: String) throws(Diagnostic) -> Bounds? {
    var lineStart = 0
    var lineNumber = 1
    while lineStart <= bytes.count {
      var lineEnd = lineStart
      while lineEnd < bytes.count, bytes[lineEnd] != 0x0A { lineEnd += 1 }
      var content = bytes[lineStart..<lineEnd]
      if content.last == 0x0D { content = content.dropLast() }
      let isDelimiter = content.elementsEqual("---".utf8)
      if lineNumber == 1, !isDelimiter { return nil }
      if lineNumber > 1, isDelimiter {
        return Bounds(yamlEnd: lineStart, bodyStart: min(lineEnd + 1, bytes.count))
      }
      guard lineEnd < bytes.count else { break }
      lineStart = lineEnd + 1
      lineNumber += 1
    }
    throw Diagnostic(
      file: file, line: 1,
      "the front matter opened by '---' on line 1 is never closed",
      fix: "end the settings with a line '---' before the prompt text")
  }

  /// The front matter of `bytes` (the contents of `file`) as a value: always a mapping (an
  /// empty one for `---` followed at once by `---`).
  public static func parse(_ bytes: [UInt8], file: String) throws(Diagnostic) -> JSONValue {
    guard let bounds = try bounds(bytes, file: file) else {
      throw Diagnostic(
        file: file, line: 1,
        "has no front matter: a pointer reads the settings between a first line '---' and the "
          + "next line '---'",
        fix: "start the file with its settings between two '---' lines, or point at a YAML file")
    }
    let yaml = Array(bytes[..<bounds.yamlEnd])
    guard let text = String(validating: yaml, as: UTF8.self) else {
      throw Diagnostic.notUTF8(yaml, file: file)
    }
    let value = try YAMLLoader.load(text, file: file, mergeKeys: true)
    switch value {
    case .object: return value
    case .null: return .object([:])
    default:
      throw Diagnostic(
        file: file, line: 2,
        "the front matter is \(value.typeName), not a mapping of settings",
        fix: "write the settings as 'key: value' lines between the two '---' lines")
    }
  }

  /// The prompt text of `bytes` without its front matter (all of it when there is none).
  static func body(_ bytes: [UInt8], file: String) throws(Diagnostic) -> ArraySlice<UInt8> {
    guard let bounds = try bounds(bytes, file: file) else { return bytes[...] }
    return bytes[bounds.bodyStart...]
  }
}
