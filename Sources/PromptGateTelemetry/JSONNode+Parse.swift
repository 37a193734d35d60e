import Foundation

/// Where and why a line is not JSON.
struct JSONSyntaxError: Error, Equatable {
  /// The 1-based byte column of the offending character.
  let column: Int
  let message: String
}

extension JSONNode {
  /// The deepest nesting accepted, so that a hostile line cannot exhaust the stack.
  static let maximumDepth = 128

  /// Parses `bytes` as one JSON value with optional whitespace around it.
  static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(JSONSyntaxError) -> JSONNode {
    var parser = JSONParser(bytes: bytes)
    parser.skipWhitespace()
    let node = try parser.value(depth: 0)
    parser.skipWhitespace()
    guard parser.offset == bytes.count else {
      throw parser.error("unexpected text after the JSON value")
    }
    return node
  }

  /// Parses `text` as one JSON value.
  static func parse(_ text: String) throws(JSONSyntaxError) -> JSONNode {
    let bytes = Array(text.utf8)
    let result = bytes.withUnsafeBufferPointer { buffer in
      Result { () throws(JSONSyntaxError) -> JSONNode in try parse(buffer) }
    }
    return try result.get()
  }
}

/// A strict RFC 8259 reader over one line's bytes.
private struct JSONParser {
  let bytes: UnsafeBufferPointer<UInt8>
  var offset = 0

  init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

  func error(_ message: String) -> JSONSyntaxError {
    JSONSyntaxError(column: offset + 1, message: message)
  }

  var current: UInt8? { offset < bytes.count ? bytes[offset] : nil }

  mutating func skipWhitespace() {
    while offset < bytes.count {
      switch bytes[offset] {
      case 0x20, 0x09, 0x0A, 0x0D: offset += 1
      default: return
      }
    }
  }

  mutating func value(depth: Int) throws(JSONSyntaxError) -> JSONNode {
    guard let byte = current else { throw error("the line ends where a value should start") }
    switch byte {
    case UInt8(ascii: "{"): return try object(depth: depth + 1)
    case UInt8(ascii: "["): return try array(depth: depth + 1)
    case UInt8(ascii: "\""): return .string(try string())
    case UInt8(ascii: "t"):
      try literal(Self.trueBytes)
      return .bool(true)
    case UInt8(ascii: "f"):
      try literal(Self.falseBytes)
      return .bool(false)
    case UInt8(ascii: "n"):
      try literal(Self.nullBytes)
      return .null
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
    default: throw error("unexpected character '\(Character(Unicode.Scalar(byte)))'")
    }
  }

  static let trueBytes = Array("true".utf8)
  static let falseBytes = Array("false".utf8)
  static let nullBytes = Array("null".utf8)

  mutating func literal(_ spelled: [UInt8]) throws(JSONSyntaxError) {
    let count = spelled.count
    guard offset + count <= bytes.count else {
      throw error("the line ends inside '\(String(decoding: spelled, as: UTF8.self))'")
    }
    for index in 0..<count where bytes[offset + index] != spelled[index] {
      throw error("unexpected word (expected '\(String(decoding: spelled, as: UTF8.self))')")
    }
    offset += count
  }

  mutating func object(depth: Int) throws(JSONSyntaxError) -> JSONNode {
    guard depth <= JSONNode.maximumDepth else { throw error("nested deeper than 128 levels") }
    offset += 1
    var members: [(String, JSONNode)] = []
    skipWhitespace()
    if current == UInt8(ascii: "}") {
      offset += 1
      return .object(members)
    }
    while true {
      skipWhitespace()
      guard current == UInt8(ascii: "\"") else { throw error("expected a key in quotes") }
      let key = try string()
      skipWhitespace()
      guard current == UInt8(ascii: ":") else { throw error("expected ':' after a key") }
      offset += 1
      skipWhitespace()
      let member = try value(depth: depth)
      if members.contains(where: { $0.0 == key }) {
        throw error("the key '\(key)' appears twice")
      }
      members.append((key, member))
      skipWhitespace()
      switch current {
      case UInt8(ascii: ","): offset += 1
      case UInt8(ascii: "}"):
        offset += 1
        return .object(members)
      case nil: throw error("the line ends inside an object (truncated?)")
      default: throw error("expected ',' or '}' in an object")
      }
    }
  }

  mutating func array(depth: Int) throws(JSONSyntaxError) -> JSONNode {
    guard depth <= JSONNode.maximumDepth else { throw error("nested deeper than 128 levels") }
    offset += 1
    var items: [JSONNode] = []
    skipWhitespace()
    if current == UInt8(ascii: "]") {
      offset += 1
      return .array(items)
    }
    while true {
      skipWhitespace()
      items.append(try value(depth: depth))
      skipWhitespace()
      switch current {
      case UInt8(ascii: ","): offset += 1
      case UInt8(ascii: "]"):
        offset += 1
        return .array(items)
      case nil: throw error("the line ends inside a list (truncated?)")
      default: throw error("expected ',' or ']' in a list")
      }
    }
  }

  mutating func number() throws(JSONSyntaxError) -> Double {
    let start = offset
    if current == UInt8(ascii: "-") { offset += 1 }
    func digits(_ parser: inout JSONParser) -> Int {
      let first = parser.offset
      while let byte = parser.current, byte >= 0x30, byte <= 0x39 { parser.offset += 1 }
      return parser.offset - first
    }
    let integerStart = offset
    guard digits(&self) > 0 else { throw error("a number needs digits") }
    if bytes[integerStart] == UInt8(ascii: "0"), offset - integerStart > 1 {
      throw JSONSyntaxError(column: integerStart + 1, message: "a number cannot start with 0")
    }
    var simple = true
    if current == UInt8(ascii: ".") {
      simple = false
      offset += 1
      guard digits(&self) > 0 else { throw error("a number needs digits after '.'") }
    }
    if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
      simple = false
      offset += 1
      if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { offset += 1 }
      guard digits(&self) > 0 else { throw error("a number needs digits in its exponent") }
    }
    // Most telemetry numbers are short integers: add their digits up without a string.
    if simple, offset - integerStart <= 15 {
      var total: Int64 = 0
      for index in integerStart..<offset { total = total * 10 + Int64(bytes[index] - 0x30) }
      return bytes[start] == UInt8(ascii: "-") ? -Double(total) : Double(total)
    }
    let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<offset]), as: UTF8.self)
    guard let number = Double(text), number.isFinite else {
      throw JSONSyntaxError(column: start + 1, message: "the number \(text) is out of range")
    }
    return number
  }

  mutating func string() throws(JSONSyntaxError) -> String {
    offset += 1
    let start = offset
    // The common case: no escapes, so the bytes are the string.
    while let byte = current {
      if byte == UInt8(ascii: "\"") {
        let slice = UnsafeBufferPointer(rebasing: bytes[start..<offset])
        offset += 1
        return try validated(slice, start: start)
      }
      if byte == UInt8(ascii: "\\") { break }
      if byte < 0x20 { throw error("a control character inside a string") }
      offset += 1
    }
    var scalars = Array(UnsafeBufferPointer(rebasing: bytes[start..<offset]))
    while let byte = current {
      switch byte {
      case UInt8(ascii: "\""):
        offset += 1
        let result = scalars.withUnsafeBufferPointer { buffer in
          Result { () throws(JSONSyntaxError) -> String in try validated(buffer, start: start) }
        }
        return try result.get()
      case UInt8(ascii: "\\"):
        offset += 1
        guard let escape = current else { break }
        offset += 1
        switch escape {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scalars.append(escape)
        case UInt8(ascii: "b"): scalars.append(0x08)
        case UInt8(ascii: "f"): scalars.append(0x0C)
        case UInt8(ascii: "n"): scalars.append(0x0A)
        case UInt8(ascii: "r"): scalars.append(0x0D)
        case UInt8(ascii: "t"): scalars.append(0x09)
        case UInt8(ascii: "u"):
          var code = try hex4()
          if (0xD800..<0xDC00).contains(code), current == UInt8(ascii: "\\"),
            offset + 1 < bytes.count, bytes[offset + 1] == UInt8(ascii: "u")
          {
            offset += 2
            let low = try hex4()
            if (0xDC00..<0xE000).contains(low) {
              code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
            } else {
              code = 0xFFFD
            }
          }
          let scalar = Unicode.Scalar(code) ?? "\u{FFFD}"
          scalars.append(contentsOf: Array(String(Character(scalar)).utf8))
        default:
          offset -= 1
          throw error("unknown escape '\\\(Character(Unicode.Scalar(escape)))'")
        }
      default:
        if byte < 0x20 { throw error("a control character inside a string") }
        scalars.append(byte)
        offset += 1
      }
    }
    throw error("the line ends inside a string (truncated?)")
  }

  mutating func hex4() throws(JSONSyntaxError) -> UInt32 {
    guard offset + 4 <= bytes.count else { throw error("\\u needs four hex digits") }
    var code: UInt32 = 0
    for _ in 0..<4 {
      let byte = bytes[offset]
      let digit: UInt8
      switch byte {
      case 0x30...0x39: digit = byte - 0x30
      case 0x41...0x46: digit = byte - 0x41 + 10
      case 0x61...0x66: digit = byte - 0x61 + 10
      default: throw error("\\u needs four hex digits")
      }
      code = code << 4 | UInt32(digit)
      offset += 1
    }
    return code
  }

  func validated(_ slice: UnsafeBufferPointer<UInt8>, start: Int) throws(JSONSyntaxError)
    -> String
  {
    guard let text = String(validating: slice, as: UTF8.self) else {
      throw JSONSyntaxError(column: start, message: "a string that is not valid UTF-8")
    }
    return text
  }
}
