import Foundation

/// Replaces the group a source's pattern captures, and nothing else of the file.
public enum RegexSplice {
  /// `bytes` (the contents of `file`) with group `group` of the one match of `pattern` replaced
  /// by `value`; also the match's 1-based line and the text it replaced.
  public static func splice(
    _ bytes: [UInt8], file: String, pattern: String, group: Int, to value: String
  ) throws -> ([UInt8], Int, String?) {
    guard let text = String(validating: bytes, as: UTF8.self) else {
      throw Diagnostic(file: file, "is not UTF-8 text, so a regex cannot edit it")
    }
    let expression = try NSRegularExpression(pattern: pattern, options: [.anchorsMatchLines])
    let matches = expression.matches(in: text, range: NSRange(text.startIndex..., in: text))
    guard matches.count == 1 else {
      throw Diagnostic(
        file: file,
        "/\(pattern)/ matches \(matches.count) times; a rollback edits only a pattern that "
          + "matches once",
        fix: matches.isEmpty
          ? "put the line the pattern reads back, or restore the file by hand"
          : "make the pattern specific to the one place that sets the value")
    }
    let range = matches[0].range(at: group)
    guard range.location != NSNotFound, let captured = Range(range, in: text) else {
      throw Diagnostic(file: file, "group \(group) of /\(pattern)/ captures nothing")
    }
    let old = String(text[captured])
    let line = text[..<captured.lowerBound].unicodeScalars.reduce(1) { $0 + ($1 == "\n" ? 1 : 0) }
    var edited = text
    edited.replaceSubrange(captured, with: value)
    // The pattern must read the new value back, and match only once.
    let again = expression.matches(in: edited, range: NSRange(edited.startIndex..., in: edited))
    guard again.count == 1, let back = Range(again[0].range(at: group), in: edited),
      edited[back] == value
    else {
      throw Diagnostic(
        file: file, line: line,
        "after replacing '\(old)' with '\(value)', /\(pattern)/ would not read the value back",
        fix: "restore the file by hand")
    }
    return (Array(edited.utf8), line, old)
  }
}
