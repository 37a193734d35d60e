import Foundation

/// Where each value of a valid JSON document is written: its byte range, and its members' or
/// elements' ranges, in document order.
indirect enum JSONSpans {
  case scalar(Range<Int>)
  case array(Range<Int>, [JSONSpans])
  case object(Range<Int>, [(key: String, value: JSONSpans)])

  /// The bytes the value spans.
  var range: Range<Int> {
    switch self {
    case .scalar(let range), .array(let range, _), .object(let range, _): return range
    }
  }

  /// The spans of `bytes`, which must be valid JSON; nil when they are not.
  init?(_ bytes: [UInt8]) {
    var scanner = Scanner(bytes: bytes)
    scanner.skipWhitespace()
    guard let spans = scanner.value() else { return nil }
    self = spans
  }

  private struct Scanner {
    let bytes: [UInt8]
    var offset = 0

    var current: UInt8? { offset < bytes.count ? bytes[offset] : nil }

    mutating func skipWhitespace() {
      while let byte = current, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 {
        offset += 1
      }
    }

    mutating func value() -> JSONSpans? {
      let start = offset
      switch current {
      case UInt8(ascii: "{")?:
        offset += 1
        var members: [(key: String, value: JSONSpans)] = []
        while true {
          skipWhitespace()
          if current == UInt8(ascii: "}") { break }
          let keyStart = offset
          guard string() else { return nil }
          let key =
            (try? JSONSerialization.jsonObject(
              with: Data(bytes[keyStart..<offset]), options: [.fragmentsAllowed])) as? String
          skipWhitespace()
          guard let key, current == UInt8(ascii: ":") else { return nil }
          offset += 1
          skipWhitespace()
          guard let element = value() else { return nil }
          members.append((key, element))
          skipWhitespace()
          guard current == UInt8(ascii: ",") else { break }
          offset += 1
        }
        guard current == UInt8(ascii: "}") else { return nil }
        offset += 1
        return .object(start..<offset, members)
      case UInt8(ascii: "[")?:
        offset += 1
        var elements: [JSONSpans] = []
        while true {
          skipWhitespace()
          if current == UInt8(ascii: "]") { break }
          guard let element = value() else { return nil }
          elements.append(element)
          skipWhitespace()
          guard current == UInt8(ascii: ",") else { break }
          offset += 1
        }
        guard current == UInt8(ascii: "]") else { return nil }
        offset += 1
        return .array(start..<offset, elements)
      case UInt8(ascii: "\"")?:
        return string() ? .scalar(start..<offset) : nil
      case nil:
        return nil
      default:
        while let byte = current, !" \t\r\n,]}".utf8.contains(byte) { offset += 1 }
        return offset > start ? .scalar(start..<offset) : nil
      }
    }

    mutating func string() -> Bool {
      guard current == UInt8(ascii: "\"") else { return false }
      offset += 1
      while let byte = current, byte != UInt8(ascii: "\"") {
        offset += byte == UInt8(ascii: "\\") ? 2 : 1
      }
      guard current != nil else { return false }
      offset += 1
      return true
    }
  }
}

/// Finds where a value is written in JSON text.
enum JSONSplicer {
  /// The span of the value at `pointer` in `bytes`, the contents of `file`.
  static func locate(_ bytes: [UInt8], file: String, pointer: JSONPointer) throws(Diagnostic)
    -> TextSpan
  {
    var document = try JSONFile.parse(bytes, file: file)
    guard var spans = JSONSpans(bytes) else {
      throw Diagnostic(file: file, "cannot find the values' positions in the file")
    }
    var walked = JSONPointer(steps: [])
    let lines = LineTable(bytes)
    for step in pointer.steps {
      walked = JSONPointer(steps: walked.steps + [step])
      var next: (JSONValue, JSONSpans)?
      switch (step, document, spans) {
      case (.key(let key), .object(let members), .object(_, let written)):
        let matching = written.filter { $0.key == key }
        if matching.count > 1 {
          let (line, _) = lines.position(of: matching[1].value.range.lowerBound)
          throw Diagnostic(
            file: file, line: line, "\(walked) is written more than once",
            fix: "keep one of the keys")
        }
        if let member = members[key], let span = matching.first?.value { next = (member, span) }
      case (_, .array(let list), .array(_, let written)) where list.count == written.count:
        if let index = JSONValue.selectedIndex(step, in: list) {
          next = (list[index], written[index])
        }
      default:
        next = nil
      }
      guard let next else {
        throw Diagnostic(
          file: file, "has no \(walked)", fix: "check the pointer in promptgate.yaml")
      }
      (document, spans) = next
    }
    let (line, column) = lines.position(of: spans.range.lowerBound)
    return TextSpan(
      start: spans.range.lowerBound, end: spans.range.upperBound, line: line, column: column)
  }
}
