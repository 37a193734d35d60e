import Yams

/// YAML 1.2 core schema tag resolution for plain scalars, written out instead of as regexes.
enum CoreSchema {
  /// The tag a plain scalar's text resolves to.
  static func resolve(_ text: String) -> Tag.Name {
    var text = text
    return text.withUTF8 { resolve(bytes: $0) }
  }

  /// The tag of a plain scalar's UTF-8 text. Only text starting with one of a few characters
  /// can be anything but a string, so most text is told apart by its first byte.
  private static func resolve(bytes: UnsafeBufferPointer<UInt8>) -> Tag.Name {
    guard let first = bytes.first else { return .null }
    switch first {
    case UInt8(ascii: "~"), UInt8(ascii: "n"), UInt8(ascii: "N"):
      return matches(bytes, oneOf: nulls) ? .null : .str
    case UInt8(ascii: "t"), UInt8(ascii: "T"), UInt8(ascii: "f"), UInt8(ascii: "F"):
      return matches(bytes, oneOf: booleans) ? .bool : .str
    case UInt8(ascii: "."), UInt8(ascii: "+"), UInt8(ascii: "-"),
      UInt8(ascii: "0")...UInt8(ascii: "9"):
      if matches(bytes, oneOf: specialFloats) { return .float }
      if isInteger(bytes) { return .int }
      return isFloat(bytes) ? .float : .str
    default:
      return .str
    }
  }

  private static let nulls = ["~", "null", "Null", "NULL"].map { Array($0.utf8) }
  private static let booleans = ["true", "True", "TRUE", "false", "False", "FALSE"].map {
    Array($0.utf8)
  }
  private static let specialFloats = [
    ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", ".nan", ".NaN",
    ".NAN",
  ].map { Array($0.utf8) }

  private static func matches(_ bytes: UnsafeBufferPointer<UInt8>, oneOf words: [[UInt8]]) -> Bool {
    words.contains { $0.elementsEqual(bytes) }
  }

  /// `[-+]?[0-9]+`, `0o[0-7]+` or `0x[0-9a-fA-F]+`.
  private static func isInteger(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    if bytes.count > 2, bytes[0] == UInt8(ascii: "0") {
      let digits = bytes[2...]
      if bytes[1] == UInt8(ascii: "o") { return digits.allSatisfy { (0x30...0x37).contains($0) } }
      if bytes[1] == UInt8(ascii: "x") { return digits.allSatisfy { $0.isHexDigit } }
    }
    let body =
      bytes.first == UInt8(ascii: "-") || bytes.first == UInt8(ascii: "+")
      ? bytes.dropFirst() : bytes[...]
    return !body.isEmpty && body.allSatisfy(\.isDecimalDigit)
  }

  /// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`
  private static func isFloat(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    var index = 0
    func digits() -> Int {
      let start = index
      while index < bytes.count, bytes[index].isDecimalDigit { index += 1 }
      return index - start
    }
    if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
      index += 1
    }
    let whole = digits()
    var fraction = 0
    var hasPoint = false
    if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
      hasPoint = true
      index += 1
      fraction = digits()
    }
    guard whole > 0 || (hasPoint && fraction > 0) else { return false }
    if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
      index += 1
      if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+")
      {
        index += 1
      }
      guard digits() > 0 else { return false }
    }
    return index == bytes.count
  }
}

extension UInt8 {
  fileprivate var isDecimalDigit: Bool { (0x30...0x39).contains(self) }
  fileprivate var isHexDigit: Bool {
    (0x30...0x39).contains(self) || (0x61...0x66).contains(self) || (0x41...0x46).contains(self)
  }
}
