import Yams

/// Finds where a value is written in YAML text, from the parser's marks, and writes a new one
/// there in the surrounding style. It never re-serialises the document.
enum YAMLSplicer {
  /// A value found in the text: its node, the bytes it spans, and whether it sits in a flow
  /// collection (where `,`, `]` and `}` end a plain scalar).
  struct Located {
    let node: YAMLNode
    let span: TextSpan
    let inFlow: Bool
    let isBlock: Bool
  }

  /// The value at `pointer` in `bytes`, the contents of `file`.
  static func locate(_ bytes: [UInt8], file: String, pointer: JSONPointer) throws(Diagnostic)
    -> Located
  {
    guard let text = String(validating: bytes, as: UTF8.self) else {
      throw Diagnostic.notUTF8(bytes, file: file)
    }
    guard var node = try YAMLLoader.compose(text, file: file) else {
      throw Diagnostic(file: file, "is empty, so it has no \(pointer)")
    }
    let lines = LineTable(bytes)
    var inFlow = false
    var walked = JSONPointer(steps: [])
    try checkProperties(node, lines: lines, file: file, at: walked)
    for step in pointer.steps {
      let next: YAMLNode?
      switch (step, node) {
      case (.key(let key), .mapping(let mapping)):
        inFlow = inFlow || isFlow(node, lines: lines)
        next =
          mapping.first { pair in
            if case .scalar(let scalar) = pair.key { return scalar.string == key }
            return false
          }?.value
      case (_, .sequence(let sequence)):
        inFlow = inFlow || isFlow(node, lines: lines)
        var values: [JSONValue] = []
        for element in sequence {
          values.append(try YAMLLoader.value(of: element, file: file, mergeKeys: true))
        }
        let elements = Array(sequence)
        next = JSONValue.selectedIndex(step, in: values).map { elements[$0] }
      default:
        next = nil
      }
      walked = JSONPointer(steps: walked.steps + [step])
      guard let next else {
        throw Diagnostic(
          file: file, line: node.mark.line,
          "\(walked) is not written in the file itself (it may come from a merge key '<<')",
          fix: "write the value in place, or restore the file by hand")
      }
      try checkProperties(next, lines: lines, file: file, at: walked)
      node = next
    }
    let (span, isBlock) = try self.span(of: node, lines: lines, file: file, inFlow: inFlow)
    return Located(node: node, span: span, inFlow: inFlow, isBlock: isBlock)
  }

  /// True for a flow collection: one whose text starts with `[` or `{`. (Yams 6 reads a
  /// collection's style from its end event, which has none, so the node's style cannot tell.)
  static func isFlow(_ node: YAMLNode, lines: LineTable) -> Bool {
    let mark = node.mark
    guard let offset = lines.offset(line: mark.line, column: mark.column),
      offset < lines.bytes.count
    else { return false }
    return lines.bytes[offset] == UInt8(ascii: "[") || lines.bytes[offset] == UInt8(ascii: "{")
  }

  /// Refuses anchored, aliased and explicitly tagged nodes: editing an anchor's text changes
  /// every alias of it, and an alias resolves to the anchored node itself.
  private static func checkProperties(
    _ node: YAMLNode, lines: LineTable, file: String, at pointer: JSONPointer
  ) throws(Diagnostic) {
    let mark = node.mark
    guard let offset = lines.offset(line: mark.line, column: mark.column),
      offset < lines.bytes.count
    else { return }
    let place = pointer.steps.isEmpty ? "the document" : "\(pointer)"
    switch lines.bytes[offset] {
    case UInt8(ascii: "&"), UInt8(ascii: "*"):
      throw Diagnostic(
        file: file, line: mark.line, column: mark.column,
        "\(place) is an anchor or an alias: splicing it would change every alias of it",
        fix: "write the value without the anchor, or restore the file by hand")
    case UInt8(ascii: "!"):
      throw Diagnostic(
        file: file, line: mark.line, column: mark.column,
        "\(place) has an explicit tag, which a splice does not rewrite",
        fix: "remove the tag, or restore the file by hand")
    default: return
    }
  }

  /// The bytes a node spans, and whether it is a block collection.
  static func span(of node: YAMLNode, lines: LineTable, file: String, inFlow: Bool)
    throws(Diagnostic) -> (TextSpan, Bool)
  {
    let mark = node.mark
    guard let start = lines.offset(line: mark.line, column: mark.column)
    else {
      throw Diagnostic(file: file, "the parser gave no position for the value")
    }
    let bytes = lines.bytes
    func spanTo(_ end: Int) -> TextSpan {
      TextSpan(start: start, end: end, line: mark.line, column: mark.column)
    }
    switch node {
    case .scalar(let scalar):
      switch scalar.style {
      case .singleQuoted:
        var index = start + 1
        while index < bytes.count {
          if bytes[index] == UInt8(ascii: "'") {
            if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "'") {
              index += 2
              continue
            }
            return (spanTo(index + 1), false)
          }
          index += 1
        }
      case .doubleQuoted:
        var index = start + 1
        while index < bytes.count {
          if bytes[index] == UInt8(ascii: "\\") {
            index += 2
            continue
          }
          if bytes[index] == UInt8(ascii: "\"") { return (spanTo(index + 1), false) }
          index += 1
        }
      case .plain, .any:
        var index = start
        while index < bytes.count {
          let byte = bytes[index]
          if byte == 0x0A || byte == 0x0D { break }
          if byte == UInt8(ascii: "#"), index > start,
            bytes[index - 1] == 0x20 || bytes[index - 1] == 0x09
          {
            break
          }
          if inFlow,
            byte == UInt8(ascii: ",") || byte == UInt8(ascii: "]") || byte == UInt8(ascii: "}")
          {
            break
          }
          index += 1
        }
        while index > start, bytes[index - 1] == 0x20 || bytes[index - 1] == 0x09 { index -= 1 }
        let written = String(decoding: bytes[start..<index], as: UTF8.self)
        guard written == scalar.string else {
          throw Diagnostic(
            file: file, line: mark.line, column: mark.column,
            "the plain value here spans more than one line, so its end cannot be found safely",
            fix: "write it on one line or quote it, or restore the file by hand")
        }
        return (spanTo(index), false)
      case .literal, .folded:
        throw Diagnostic(
          file: file, line: mark.line, column: mark.column,
          "the value here is a block scalar ('|' or '>'), which a splice does not rewrite",
          fix: "write it as a quoted value, or restore the file by hand")
      }
      throw Diagnostic(
        file: file, line: mark.line, column: mark.column, "the quoted value here is not closed")
    case _ where node.scalar == nil && isFlow(node, lines: lines):
      return (spanTo(try closingBracket(from: start, bytes: bytes, file: file, mark: mark)), false)
    case .mapping(let mapping):
      guard let last = Array(mapping).last?.value else {
        throw Diagnostic(file: file, line: mark.line, "an empty block mapping has no extent")
      }
      let end = try span(of: last, lines: lines, file: file, inFlow: false).0.end
      return (
        spanTo(
          try checkedEnd(
            end, of: Array(mapping).map(\.value), start: start, lines: lines, file: file)), true
      )
    case .sequence(let sequence):
      guard let last = Array(sequence).last else {
        throw Diagnostic(file: file, line: mark.line, "an empty block list has no extent")
      }
      let end = try span(of: last, lines: lines, file: file, inFlow: false).0.end
      return (
        spanTo(try checkedEnd(end, of: Array(sequence), start: start, lines: lines, file: file)),
        true
      )
    }
  }

  /// `end`, after checking that every child is written inside the collection: an alias among
  /// them resolves to a node written elsewhere, so the extent would be wrong.
  private static func checkedEnd(
    _ end: Int, of children: [YAMLNode], start: Int, lines: LineTable, file: String
  ) throws(Diagnostic) -> Int {
    for child in children {
      let mark = child.mark
      guard let offset = lines.offset(line: mark.line, column: mark.column),
        offset >= start, offset <= end
      else {
        throw Diagnostic(
          file: file, line: child.mark.line,
          "the subtree holds an alias of a value written elsewhere",
          fix: "write the values in place, or restore the file by hand")
      }
    }
    return end
  }

  /// One past the `]` or `}` that closes the flow collection opening at `start`.
  private static func closingBracket(from start: Int, bytes: [UInt8], file: String, mark: Mark)
    throws(Diagnostic) -> Int
  {
    var depth = 0
    var index = start
    var quote: UInt8?
    while index < bytes.count {
      let byte = bytes[index]
      if let open = quote {
        if open == UInt8(ascii: "\""), byte == UInt8(ascii: "\\") {
          index += 2
          continue
        }
        if byte == open { quote = nil }
      } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
        quote = byte
      } else if byte == UInt8(ascii: "[") || byte == UInt8(ascii: "{") {
        depth += 1
      } else if byte == UInt8(ascii: "]") || byte == UInt8(ascii: "}") {
        depth -= 1
        if depth == 0 { return index + 1 }
      }
      index += 1
    }
    throw Diagnostic(
      file: file, line: mark.line, column: mark.column, "the flow collection here is not closed")
  }

  /// `value` written as a scalar in `style`, or in the nearest style that keeps its type.
  static func scalarText(_ value: JSONValue, style: YAMLNode.Scalar.Style, inFlow: Bool) -> String?
  {
    switch value {
    case .null: return "null"
    case .bool(let flag): return flag ? "true" : "false"
    case .number(let number): return CanonicalJSON.format(number)
    case .string(let text):
      if style == .plain || style == .any, isPlainSafe(text, inFlow: inFlow) { return text }
      if style == .singleQuoted, !text.contains("\n"), !text.contains("\r") {
        return "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
      }
      return try? CanonicalJSON.serialize(value)
    case .array, .object:
      return nil
    }
  }

  /// True when `text` reads back as the same string when written plain.
  static func isPlainSafe(_ text: String, inFlow: Bool) -> Bool {
    guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last,
      CoreSchema.resolve(text) == .str
    else { return false }
    if "-?:,[]{}#&*!|>'\"%@`".unicodeScalars.contains(first) { return false }
    if first == " " || first == "\t" || last == " " || last == "\t" || last == ":" { return false }
    if text.contains(": ") || text.contains(" #") || text.contains("\n") || text.contains("\r")
      || text.contains("\t")
    {
      return false
    }
    if inFlow, text.contains(where: { ",[]{}".contains($0) }) { return false }
    return text.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value != 0x7F }
  }
}
