/// Writes one value back into a YAML or JSON file the way Renovate edits files: locate the value
/// from the parser's positions, replace only its bytes, then re-parse and check that the pointer
/// now reads the new value and that the rest of the document is unchanged.
public enum ValueSplice {
  /// The file a value was read from at the version being restored: its own text of the value
  /// is what a subtree is written as.
  public struct Origin: Sendable {
    public let bytes: [UInt8]
    public let path: String
    public let pointer: JSONPointer

    /// Creates an origin.
    public init(bytes: [UInt8], path: String, pointer: JSONPointer) {
      self.bytes = bytes
      self.path = path
      self.pointer = pointer
    }
  }

  /// What a splice did: the new bytes, and where the value is written (1-based line).
  public struct Result: Sendable {
    public let bytes: [UInt8]
    public let line: Int
  }

  /// `current` (the bytes of `file`, at `path`) with the value at `pointer` set to `value`;
  /// throws a ``Diagnostic`` naming the file, the line and why when it cannot be spliced safely.
  public static func splice(
    _ current: [UInt8], path: String, file: String, pointer: JSONPointer, to value: JSONValue,
    origin: Origin?
  ) throws(Diagnostic) -> Result {
    if FrontMatter.isPromptFile(path) {
      return try spliceFrontMatter(
        current, path: path, file: file, pointer: pointer, to: value, origin: origin)
    }
    let isJSON = path.lowercased().hasSuffix(".json")
    let span: TextSpan
    let replacement: String
    if isJSON {
      span = try JSONSplicer.locate(current, file: file, pointer: pointer)
      replacement = try jsonText(value, span: span, origin: origin, file: file)
    } else {
      let located = try YAMLSplicer.locate(current, file: file, pointer: pointer)
      span = located.span
      replacement = try yamlText(value, at: located, origin: origin, file: file)
    }
    var bytes = Array(current[..<span.start]) + Array(replacement.utf8)
    if span.start == span.end, span.start > 0, current[span.start - 1] == UInt8(ascii: ":") {
      bytes.insert(0x20, at: span.start)
    }
    bytes += current[span.end...]
    try verify(
      old: current, new: bytes, path: path, file: file, pointer: pointer, value: value,
      line: span.line)
    return Result(bytes: bytes, line: span.line)
  }

  /// A splice into the front matter of a `.prompt` or `.prompty` file: the front matter is the
  /// file's prefix, so it is spliced as a YAML file of its own (its marks are the file's) and
  /// the prompt text after it is kept byte for byte.
  private static func spliceFrontMatter(
    _ current: [UInt8], path: String, file: String, pointer: JSONPointer, to value: JSONValue,
    origin: Origin?
  ) throws(Diagnostic) -> Result {
    guard let bounds = try FrontMatter.bounds(current, file: file) else {
      throw Diagnostic(
        file: file, line: 1, "has no front matter, so there is no \(pointer) to write",
        fix: "put the settings back between two '---' lines at the top, or restore the file by hand"
      )
    }
    // Only the name's ending matters below: it makes the prefix read as YAML.
    var yamlOrigin: Origin?
    if let origin {
      if FrontMatter.isPromptFile(origin.path) {
        if let from = try? FrontMatter.bounds(origin.bytes, file: origin.path) {
          yamlOrigin = Origin(
            bytes: Array(origin.bytes[..<from.yamlEnd]), path: origin.path + ".yaml",
            pointer: origin.pointer)
        }
      } else {
        yamlOrigin = origin
      }
    }
    let spliced = try splice(
      Array(current[..<bounds.yamlEnd]), path: path + ".yaml", file: file, pointer: pointer,
      to: value, origin: yamlOrigin)
    return Result(bytes: spliced.bytes + current[bounds.yamlEnd...], line: spliced.line)
  }

  private static func jsonText(_ value: JSONValue, span: TextSpan, origin: Origin?, file: String)
    throws(Diagnostic) -> String
  {
    if let origin, origin.path.lowercased().hasSuffix(".json"),
      let from = try? JSONSplicer.locate(origin.bytes, file: origin.path, pointer: origin.pointer)
    {
      let text = String(decoding: origin.bytes[from.start..<from.end], as: UTF8.self)
      return reindent(text, from: from.column, to: span.column)
    }
    do {
      return try CanonicalJSON.serialize(value)
    } catch {
      throw Diagnostic(file: file, line: span.line, "\(error)")
    }
  }

  private static func yamlText(
    _ value: JSONValue, at located: YAMLSplicer.Located, origin: Origin?, file: String
  ) throws(Diagnostic) -> String {
    let span = located.span
    if case .scalar(let scalar) = located.node,
      let text = YAMLSplicer.scalarText(value, style: scalar.style, inFlow: located.inFlow)
    {
      return text
    }
    // A subtree: the version's own text of it, re-indented to where it goes.
    if let origin, !origin.path.lowercased().hasSuffix(".json") {
      let from = try YAMLSplicer.locate(origin.bytes, file: origin.path, pointer: origin.pointer)
      guard from.isBlock == located.isBlock else {
        throw Diagnostic(
          file: file, line: span.line, column: span.column,
          "the value here is written \(located.isBlock ? "as a block" : "on one line"), the "
            + "version restored wrote it \(from.isBlock ? "as a block" : "on one line"); a splice "
            + "cannot change the layout",
          fix: "write it in the same layout as the version restored, or restore the file by hand")
      }
      let text = String(decoding: origin.bytes[from.span.start..<from.span.end], as: UTF8.self)
      return reindent(text, from: from.span.column, to: span.column)
    }
    if !located.isBlock, let text = try? CanonicalJSON.serialize(value) {
      return text
    }
    throw Diagnostic(
      file: file, line: span.line, column: span.column,
      "the subtree here is a block and the version restored read it from another kind of file, "
        + "so there is no text in this file's style to write",
      fix: "restore the file by hand")
  }

  /// `text`, whose first line starts at column `from`, with its later lines moved to start at
  /// column `to` (spaces added or taken away).
  static func reindent(_ text: String, from: Int, to: Int) -> String {
    guard from != to, text.contains("\n") else { return text }
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    var result = [String(lines[0])]
    for line in lines.dropFirst() {
      if to > from {
        result.append(line.isEmpty ? "" : String(repeating: " ", count: to - from) + line)
      } else {
        let removable = line.prefix { $0 == " " }.count
        result.append(String(line.dropFirst(min(removable, from - to))))
      }
    }
    return result.joined(separator: "\n")
  }

  /// Re-parses the spliced file: the pointer must read `value` and the rest must be unchanged.
  private static func verify(
    old: [UInt8], new: [UInt8], path: String, file: String, pointer: JSONPointer,
    value: JSONValue, line: Int
  ) throws(Diagnostic) {
    let before: JSONValue
    let after: JSONValue
    do {
      before = try StructuredFile.parse(old, path: path, location: file)
      after = try StructuredFile.parse(new, path: path, location: file)
    } catch let error as Diagnostic {
      throw Diagnostic(
        file: file, line: line,
        "the spliced file would not parse (\(error.message)); nothing was written",
        fix: "restore the file by hand")
    } catch {
      throw Diagnostic(file: file, line: line, "the spliced file would not parse: \(error)")
    }
    guard case .success(let read) = pointer.resolve(in: after), read == value else {
      throw Diagnostic(
        file: file, line: line,
        "after the splice \(pointer) would not read the restored value; nothing was written",
        fix: "restore the file by hand")
    }
    guard before.replacing(pointer, with: value) == after else {
      throw Diagnostic(
        file: file, line: line,
        "the splice would change more of the document than \(pointer); nothing was written",
        fix: "restore the file by hand")
    }
  }
}
