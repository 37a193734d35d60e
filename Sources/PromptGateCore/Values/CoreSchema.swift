import Yams

/// YAML 1.2 core schema tag resolution for plain scalars, written out instead of as regexes.
enum CoreSchema {
  /// The tag a plain scalar's text resolves to.
  static func resolve(_ text: String) -> Tag.Name {
    switch text {
    case "", "~", "null", "Null", "NULL": return .null
    case "true", "True", "TRUE", "false", "False", "FALSE": return .bool
    case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF",
      ".nan", ".NaN", ".NAN":
      return .float
    default: break
    }
    let bytes = Array(text.utf8)
    if isInteger(bytes) { return .int }
    if isFloat(bytes) { return .float }
    return .str
  }

  /// `[-+]?[0-9]+`, `0o[0-7]+` or `0x[0-9a-fA-F]+`.
  private static func isInteger(_ bytes: [UInt8]) -> Bool {
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
  private static func isFloat(_ bytes: [UInt8]) -> Bool {
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
