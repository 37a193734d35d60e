import Foundation

/// JSON files read as data (what pointers read, policy files, case files): the document as a
/// ``JSONValue``, and where its values are.
///
/// The value comes from Foundation's `JSONDecoder`, as it always has, so canonical hashes stay
/// the same; when the text is not JSON, `JSONSerialization` (which says at which byte it
/// stopped) places the error on a line and column.
public enum JSONFile {
  /// The document in `bytes`, the contents of `file`.
  public static func parse(_ bytes: [UInt8], file: String) throws(Diagnostic) -> JSONValue {
    do {
      return try JSONDecoder().decode(JSONValue.self, from: Data(bytes))
    } catch {
      throw syntaxError(bytes, file: file, decoderError: error)
    }
  }

  private static func syntaxError(_ bytes: [UInt8], file: String, decoderError: Error)
    -> Diagnostic
  {
    let fix =
      "fix the syntax at that place; JSON wants double-quoted keys and strings, commas "
      + "between members and no trailing comma"
    var problem = describe(decoderError)
    do {
      _ = try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
    } catch {
      let text = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? ""
      // Foundation names no offset when the text stops early: the place is the end.
      let ended = text.hasPrefix("Unexpected end of file during JSON parse")
      if let offset = characterOffset(in: text) ?? (ended ? bytes.count : nil) {
        let (line, column) = position(ofByte: offset, in: bytes)
        let reason = text.components(separatedBy: " around character").first ?? text
        return Diagnostic(
          file: file, line: line, column: column, "invalid JSON: \(reason.lowercased())", fix: fix)
      }
      if !text.isEmpty { problem = text }
    }
    return Diagnostic(file: file, "invalid JSON: \(problem)", fix: fix)
  }

  /// The byte offset in "... around character N." (JSONSerialization's wording).
  private static func characterOffset(in message: String) -> Int? {
    guard let range = message.range(of: "around character ") else { return nil }
    return Int(message[range.upperBound...].prefix { $0.isNumber })
  }

  /// The 1-based line and column (in Unicode scalars) of the byte at `offset`.
  static func position(ofByte offset: Int, in bytes: [UInt8]) -> (line: Int, column: Int) {
    var line = 1
    var column = 1
    for byte in bytes.prefix(offset) {
      if byte == 0x0A {
        line += 1
        column = 1
      } else if byte & 0xC0 != 0x80 {
        column += 1
      }
    }
    return (line, column)
  }

  private static func describe(_ error: Error) -> String {
    if case DecodingError.dataCorrupted(let context) = error {
      let underlying =
        (context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
      return underlying ?? context.debugDescription
    }
    return "\(error)"
  }
}

/// Where the values of a valid JSON document are: each value's line, and each member's key with
/// its line, in document order (so duplicate keys, which `JSONDecoder` drops, are still seen).
indirect enum JSONOutline {
  case scalar(line: Int)
  case array(line: Int, [JSONOutline])
  case object(line: Int, [Member])

  /// A member of an object: its key as decoded, where the key is, and its value.
  struct Member {
    let key: String
    let line: Int
    let column: Int
    let value: JSONOutline
  }

  /// The line where the value starts.
  var line: Int {
    switch self {
    case .scalar(let line), .array(let line, _), .object(let line, _): return line
    }
  }

  /// The outline of `bytes`, which must be valid JSON (parse it first); nil when it is not.
  init?(_ bytes: [UInt8]) {
    var scanner = Scanner(bytes: bytes)
    scanner.skipWhitespace()
    guard let outline = scanner.value() else { return nil }
    self = outline
  }

  /// The first key written twice in one object, at its second occurrence, with the line of the
  /// first.
  var firstDuplicateKey: (key: String, line: Int, column: Int, firstLine: Int)? {
    switch self {
    case .scalar: return nil
    case .array(_, let elements):
      for element in elements {
        if let found = element.firstDuplicateKey { return found }
      }
      return nil
    case .object(_, let members):
      var seen: [String: Int] = [:]
      for member in members {
        if let first = seen[member.key] {
          return (member.key, member.line, member.column, first)
        }
        seen[member.key] = member.line
        if let found = member.value.firstDuplicateKey { return found }
      }
      return nil
    }
  }

  /// The member named `key` of an object.
  func member(_ key: String) -> Member? {
    guard case .object(_, let members) = self else { return nil }
    return members.first { $0.key == key }
  }

  private struct Scanner {
    let bytes: [UInt8]
    var offset = 0
    var line = 1
    var lineStart = 0

    var current: UInt8? { offset < bytes.count ? bytes[offset] : nil }

    mutating func advance() {
      if bytes[offset] == 0x0A {
        line += 1
        lineStart = offset + 1
      }
      offset += 1
    }

    mutating func skipWhitespace() {
      while let byte = current, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 {
        advance()
      }
    }

    mutating func value() -> JSONOutline? {
      let start = line
      switch current {
      case UInt8(ascii: "{")?:
        advance()
        var members: [Member] = []
        while true {
          skipWhitespace()
          if current == UInt8(ascii: "}") { break }
          let keyLine = line
          let column =
            bytes[lineStart..<offset].reduce(1) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }
          guard let key = string() else { return nil }
          skipWhitespace()
          guard current == UInt8(ascii: ":") else { return nil }
          advance()
          skipWhitespace()
          guard let element = value() else { return nil }
          members.append(Member(key: key, line: keyLine, column: column, value: element))
          skipWhitespace()
          guard current == UInt8(ascii: ",") else { break }
          advance()
        }
        guard current == UInt8(ascii: "}") else { return nil }
        advance()
        return .object(line: start, members)
      case UInt8(ascii: "[")?:
        advance()
        var elements: [JSONOutline] = []
        while true {
          skipWhitespace()
          if current == UInt8(ascii: "]") { break }
          guard let element = value() else { return nil }
          elements.append(element)
          skipWhitespace()
          guard current == UInt8(ascii: ",") else { break }
          advance()
        }
        guard current == UInt8(ascii: "]") else { return nil }
        advance()
        return .array(line: start, elements)
      case UInt8(ascii: "\"")?:
        return string() == nil ? nil : .scalar(line: start)
      case nil:
        return nil
      default:
        while let byte = current, !" \t\r\n,]}".utf8.contains(byte) { advance() }
        return .scalar(line: start)
      }
    }

    /// A string token, decoded; its escapes are decoded by Foundation.
    mutating func string() -> String? {
      guard current == UInt8(ascii: "\"") else { return nil }
      let start = offset
      var escaped = false
      advance()
      while let byte = current, byte != UInt8(ascii: "\"") {
        if byte == UInt8(ascii: "\\") {
          escaped = true
          advance()
          guard current != nil else { return nil }
        }
        advance()
      }
      guard current != nil else { return nil }
      advance()
      let token = bytes[(start + 1)..<(offset - 1)]
      guard escaped else { return String(decoding: token, as: UTF8.self) }
      let object = try? JSONSerialization.jsonObject(
        with: Data(bytes[start..<offset]), options: [.fragmentsAllowed])
      return object as? String
    }
  }
}
