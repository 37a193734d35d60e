/// A strict RFC 8259 JSON reader for case lines and model outputs: it reports where the text
/// stops being JSON (column), and rejects duplicate keys, which JSONDecoder silently drops.
enum JSONText {
  /// Where and why text is not JSON.
  struct SyntaxError: Error, Sendable, Equatable {
    /// The 1-based column (in Unicode scalars) of the offending character.
    let column: Int
    /// What is wrong.
    let message: String
    /// Whether the bytes are not UTF-8 (only ``JSONText/parse(utf8:)`` reads bytes).
    var isEncoding = false
  }

  /// The deepest nesting accepted, so that hostile input cannot exhaust the stack.
  static let maximumDepth = 512

  /// Parses `text` as one JSON value, with optional whitespace around it.
  static func parse(_ text: String) throws(SyntaxError) -> JSONValue {
    var text = text
    return try text.withUTF8 { buffer in Result { () throws(SyntaxError) in try parse(buffer) } }
      .get()
  }

  /// Parses `bytes` as one JSON value, with optional whitespace around it; bytes that are not
  /// UTF-8 throw an error whose `isEncoding` is set (checked in strings as they are read, and
  /// over the whole of `bytes` when the text is not JSON, so that the encoding is named first).
  static func parse(utf8 bytes: ArraySlice<UInt8>) throws(SyntaxError) -> JSONValue {
    let result = bytes.withUnsafeBufferPointer { buffer in
      Result { () throws(SyntaxError) in try parse(buffer) }
    }
    if case .failure(let error) = result, !error.isEncoding, bytes.contains(where: { $0 >= 0x80 }),
      String(validating: bytes, as: UTF8.self) == nil
    {
      throw Reader.encodingError
    }
    return try result.get()
  }

  private static func parse(_ buffer: UnsafeBufferPointer<UInt8>) throws(SyntaxError) -> JSONValue {
    var reader = Reader(bytes: buffer)
    reader.skipWhitespace()
    let value = try reader.value(depth: 0)
    reader.skipWhitespace()
    guard reader.offset == reader.bytes.count else {
      throw reader.error("unexpected text after the JSON value")
    }
    return value
  }

  private struct Reader {
    static let encodingError = SyntaxError(
      column: 1, message: "is not UTF-8 text", isEncoding: true)

    let bytes: UnsafeBufferPointer<UInt8>
    var offset = 0

    func error(_ message: String) -> SyntaxError {
      let column = bytes[..<min(offset, bytes.count)].reduce(1) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }
      return SyntaxError(column: column, message: message)
    }

    var current: UInt8? { offset < bytes.count ? bytes[offset] : nil }

    mutating func skipWhitespace() {
      while let byte = current, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 {
        offset += 1
      }
    }

    mutating func expect(_ byte: UInt8, _ message: String) throws(SyntaxError) {
      guard current == byte else { throw error(message) }
      offset += 1
    }

    mutating func value(depth: Int) throws(SyntaxError) -> JSONValue {
      guard depth < JSONText.maximumDepth else { throw error("nesting is too deep") }
      guard let byte = current else { throw error("expected a value, found the end of the line") }
      switch byte {
      case UInt8(ascii: "{"): return try object(depth: depth)
      case UInt8(ascii: "["): return try array(depth: depth)
      case UInt8(ascii: "\""): return .string(try string())
      case UInt8(ascii: "t"): return try literal("true", .bool(true))
      case UInt8(ascii: "f"): return try literal("false", .bool(false))
      case UInt8(ascii: "n"): return try literal("null", .null)
      case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
      default: throw error("expected a value")
      }
    }

    mutating func literal(_ word: String, _ value: JSONValue) throws(SyntaxError) -> JSONValue {
      guard bytes[offset...].starts(with: word.utf8) else { throw error("expected '\(word)'") }
      offset += word.utf8.count
      return value
    }

    /// The members of the objects being read, innermost last, while each is small: an object's
    /// dictionary is made once its size is known, instead of growing from empty key by key
    /// (regrowing was an eighth of reading a large case file, `benchmarks/parse_scale.py`).
    var pending: [(key: String, value: JSONValue)] = []
    /// The most members an object gathers in `pending`, whose keys are compared one by one to
    /// find a duplicate; a larger object continues in a dictionary.
    static let smallObject = 8

    mutating func object(depth: Int) throws(SyntaxError) -> JSONValue {
      offset += 1
      skipWhitespace()
      if current == UInt8(ascii: "}") {
        offset += 1
        return .object([:])
      }
      if pending.capacity == 0 { pending.reserveCapacity(2 * Self.smallObject) }
      let base = pending.count
      // Only a throw leaves members behind: a finished object takes its own.
      defer { if pending.count > base { pending.removeSubrange(base...) } }
      var members: [String: JSONValue] = [:]
      var large = false
      while true {
        skipWhitespace()
        guard current == UInt8(ascii: "\"") else { throw error("expected a quoted key") }
        let keyStart = offset
        let key = try string()
        skipWhitespace()
        try expect(UInt8(ascii: ":"), "expected ':' after a key")
        skipWhitespace()
        let value = try value(depth: depth + 1)
        // A duplicate is found as its value is stored, as a dictionary would find it.
        if large {
          guard members.updateValue(value, forKey: key) == nil else {
            offset = keyStart
            throw error("duplicate key '\(key)'")
          }
        } else {
          for index in base..<pending.count where pending[index].key == key {
            offset = keyStart
            throw error("duplicate key '\(key)'")
          }
          pending.append((key, value))
          if pending.count - base > Self.smallObject {
            large = true
            members = takeMembers(from: base, minimumCapacity: 4 * Self.smallObject)
          }
        }
        skipWhitespace()
        if current == UInt8(ascii: ",") {
          offset += 1
          continue
        }
        try expect(UInt8(ascii: "}"), "expected ',' or '}'")
        return .object(large ? members : takeMembers(from: base))
      }
    }

    /// A dictionary of the members gathered from `base` on, whose keys are distinct, made at its
    /// final size; they are moved out of `pending`.
    mutating func takeMembers(from base: Int, minimumCapacity: Int = 0) -> [String: JSONValue] {
      var dictionary = [String: JSONValue](
        minimumCapacity: max(pending.count - base, minimumCapacity))
      while pending.count > base {
        let member = pending.removeLast()
        dictionary[member.key] = member.value
      }
      return dictionary
    }

    mutating func array(depth: Int) throws(SyntaxError) -> JSONValue {
      offset += 1
      var elements: [JSONValue] = []
      skipWhitespace()
      if current == UInt8(ascii: "]") {
        offset += 1
        return .array(elements)
      }
      while true {
        skipWhitespace()
        elements.append(try value(depth: depth + 1))
        skipWhitespace()
        if current == UInt8(ascii: ",") {
          offset += 1
          continue
        }
        try expect(UInt8(ascii: "]"), "expected ',' or ']'")
        return .array(elements)
      }
    }

    mutating func digits() -> Int {
      let start = offset
      while let byte = current, (0x30...0x39).contains(byte) { offset += 1 }
      return offset - start
    }

    mutating func number() throws(SyntaxError) -> JSONValue {
      let start = offset
      if current == UInt8(ascii: "-") { offset += 1 }
      if current == UInt8(ascii: "0") {
        offset += 1
        if let byte = current, (0x30...0x39).contains(byte) {
          throw error("a number may not have a leading zero")
        }
      } else if digits() == 0 {
        throw error("expected a digit")
      }
      if current == UInt8(ascii: ".") {
        offset += 1
        guard digits() > 0 else { throw error("expected a digit after '.'") }
      }
      if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
        offset += 1
        if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { offset += 1 }
        guard digits() > 0 else { throw error("expected a digit in the exponent") }
      }
      let lexeme = String(decoding: bytes[start..<offset], as: UTF8.self)
      guard let number = Double(lexeme), number.isFinite else {
        offset = start
        throw error("the number \(lexeme) is out of range")
      }
      return .number(number)
    }

    /// A string; one without escapes is made straight from its bytes.
    mutating func string() throws(SyntaxError) -> String {
      offset += 1
      let start = offset
      var ascii = true
      while offset < bytes.count {
        let byte = bytes[offset]
        switch byte {
        case UInt8(ascii: "\""):
          let text = try Self.text(UnsafeBufferPointer(rebasing: bytes[start..<offset]), ascii)
          offset += 1
          return text
        case UInt8(ascii: "\\"):
          return try escapedString(from: start, ascii: ascii)
        case 0..<0x20:
          throw error("a control character must be escaped in a string")
        case 0x80...:
          ascii = false
        default:
          break
        }
        offset += 1
      }
      throw error("unterminated string")
    }

    /// The rest of a string that holds an escape, its bytes gathered from `start`.
    mutating func escapedString(from start: Int, ascii: Bool) throws(SyntaxError) -> String {
      var ascii = ascii
      var gathered = Array(bytes[start..<offset])
      while let byte = current {
        switch byte {
        case UInt8(ascii: "\""):
          offset += 1
          return try gathered.withUnsafeBufferPointer { buffer in
            Result { () throws(SyntaxError) in try Self.text(buffer, ascii) }
          }.get()
        case UInt8(ascii: "\\"):
          offset += 1
          let scalar = try escape()
          if scalar.value >= 0x80 { ascii = false }
          UTF8.encode(scalar) { gathered.append($0) }
        case 0..<0x20:
          throw error("a control character must be escaped in a string")
        default:
          if byte >= 0x80 { ascii = false }
          gathered.append(byte)
          offset += 1
        }
      }
      throw error("unterminated string")
    }

    /// `bytes` as text; checked as UTF-8 unless they are all ASCII.
    static func text(_ bytes: UnsafeBufferPointer<UInt8>, _ ascii: Bool) throws(SyntaxError)
      -> String
    {
      if ascii { return String(decoding: bytes, as: UTF8.self) }
      guard let text = String(validating: bytes, as: UTF8.self) else { throw encodingError }
      return text
    }

    mutating func escape() throws(SyntaxError) -> Unicode.Scalar {
      guard let byte = current else { throw error("unterminated string") }
      offset += 1
      switch byte {
      case UInt8(ascii: "\""): return "\""
      case UInt8(ascii: "\\"): return "\\"
      case UInt8(ascii: "/"): return "/"
      case UInt8(ascii: "b"): return "\u{08}"
      case UInt8(ascii: "f"): return "\u{0C}"
      case UInt8(ascii: "n"): return "\n"
      case UInt8(ascii: "r"): return "\r"
      case UInt8(ascii: "t"): return "\t"
      case UInt8(ascii: "u"):
        let high = try hex4()
        if (0xD800..<0xDC00).contains(high) {
          guard bytes[offset...].starts(with: "\\u".utf8) else {
            throw error("a high surrogate must be followed by a low surrogate")
          }
          offset += 2
          let low = try hex4()
          guard (0xDC00..<0xE000).contains(low) else { throw error("invalid low surrogate") }
          return Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)) ?? "\u{FFFD}"
        }
        guard let scalar = Unicode.Scalar(high) else { throw error("unpaired surrogate") }
        return scalar
      default:
        offset -= 1
        throw error("invalid escape '\\\(Character(Unicode.Scalar(byte)))'")
      }
    }

    mutating func hex4() throws(SyntaxError) -> UInt32 {
      var value: UInt32 = 0
      for _ in 0..<4 {
        guard let byte = current, let digit = Self.hexValue(byte) else {
          throw error("expected four hex digits after '\\u'")
        }
        value = value << 4 | digit
        offset += 1
      }
      return value
    }

    static func hexValue(_ byte: UInt8) -> UInt32? {
      switch byte {
      case 0x30...0x39: return UInt32(byte - 0x30)
      case 0x41...0x46: return UInt32(byte - 0x41 + 10)
      case 0x61...0x66: return UInt32(byte - 0x61 + 10)
      default: return nil
      }
    }
  }
}
