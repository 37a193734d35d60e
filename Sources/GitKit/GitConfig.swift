import Foundation

/// A git configuration file read with git's own rules, for the decisions made before libgit2 is
/// started (is this repository plain? does `safe.directory` trust it?).
///
/// Sections and keys are case-insensitive, subsections (`[remote "origin"]`) are not; a value
/// may be quoted, escaped, continued with a trailing backslash and followed by a `#` or `;`
/// comment; a key with no `=` is a boolean true. A file that breaks these rules is not read
/// (nil), as git refuses it too.
struct GitConfig: Equatable {
  /// One `key = value` line.
  struct Entry: Equatable {
    /// The section, lower-cased.
    let section: String
    /// The subsection, as written; nil when there is none.
    let subsection: String?
    /// The key, lower-cased.
    let key: String
    /// The value, unquoted; nil for a key with no `=`.
    let value: String?

    /// `section.key` or `section.subsection.key`, with section and key lower-cased.
    var name: String { [section, subsection, key].compactMap { $0 }.joined(separator: ".") }
  }

  /// The entries in file order.
  let entries: [Entry]

  /// Reads the file at `path`; nil when it cannot be read or parsed.
  init?(path: String) {
    guard let data = FileManager.default.contents(atPath: path) else { return nil }
    self.init(text: Array(data))
  }

  /// Parses `text`; nil when it is not a valid configuration file.
  init?(text: [UInt8]) {
    var parser = Parser(text: text)
    guard let entries = parser.parse() else { return nil }
    self.entries = entries
  }

  /// The values of `name` (`section.key` or `section.subsection.key`, section and key in any
  /// case) in file order.
  func values(_ name: String) -> [String?] {
    let wanted = Self.canonical(name)
    return entries.filter { $0.name == wanted }.map(\.value)
  }

  /// `name` with its section and key lower-cased and its subsection kept.
  static func canonical(_ name: String) -> String {
    guard let first = name.firstIndex(of: "."), let last = name.lastIndex(of: ".") else {
      return name.lowercased()
    }
    let section = name[..<first].lowercased()
    let key = name[name.index(after: last)...].lowercased()
    guard first != last else { return section + "." + key }
    return section + "." + name[name.index(after: first)..<last] + "." + key
  }

  /// git's boolean: true, yes, on, a non-zero number, or no value; false, no, off, 0 or empty;
  /// nil for anything else.
  static func boolean(_ value: String?) -> Bool? {
    guard let value else { return true }
    switch value.lowercased() {
    case "true", "yes", "on": return true
    case "false", "no", "off", "": return false
    default: return Int(value).map { $0 != 0 }
    }
  }

  private struct Parser {
    let text: [UInt8]
    var position = 0
    var section: String?
    var subsection: String?

    init(text: [UInt8]) {
      // A UTF-8 byte-order mark is skipped, as git skips it.
      self.text = text.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(text.dropFirst(3)) : text
    }

    var current: UInt8? { position < text.count ? text[position] : nil }

    static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0D }
    static func isNameByte(_ byte: UInt8) -> Bool {
      (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
        || byte == UInt8(ascii: "-")
    }

    mutating func skipSpaces() {
      while let byte = current, Self.isSpace(byte) { position += 1 }
    }

    mutating func skipLine() {
      while let byte = current, byte != 0x0A { position += 1 }
      if current == 0x0A { position += 1 }
    }

    mutating func parse() -> [Entry]? {
      var entries: [Entry] = []
      while true {
        skipSpaces()
        guard let byte = current else { return entries }
        switch byte {
        case 0x0A:
          position += 1
        case UInt8(ascii: "#"), UInt8(ascii: ";"):
          skipLine()
        case UInt8(ascii: "["):
          position += 1
          guard parseSectionHeader() else { return nil }
        default:
          guard (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte), section != nil,
            let entry = parseEntry()
          else { return nil }
          entries.append(entry)
        }
      }
    }

    /// `[section]`, `[section "subsection"]` or the old `[section.subsection]`, after the `[`.
    mutating func parseSectionHeader() -> Bool {
      var name: [UInt8] = []
      while let byte = current, Self.isNameByte(byte) || byte == UInt8(ascii: ".") {
        name.append(byte)
        position += 1
      }
      guard !name.isEmpty else { return false }
      var sub: String?
      if current == 0x20 || current == 0x09 {
        skipSpaces()
        guard current == UInt8(ascii: "\"") else { return false }
        position += 1
        var bytes: [UInt8] = []
        while true {
          guard let byte = current, byte != 0x0A else { return false }
          position += 1
          if byte == UInt8(ascii: "\"") { break }
          if byte == UInt8(ascii: "\\") {
            guard let escaped = current, escaped != 0x0A else { return false }
            bytes.append(escaped)
            position += 1
          } else {
            bytes.append(byte)
          }
        }
        sub = String(decoding: bytes, as: UTF8.self)
      } else if let dot = name.firstIndex(of: UInt8(ascii: ".")) {
        // The deprecated form: the subsection is lower-cased like the section.
        sub = String(decoding: name[(dot + 1)...], as: UTF8.self).lowercased()
        name = Array(name[..<dot])
      }
      guard current == UInt8(ascii: "]") else { return false }
      position += 1
      section = String(decoding: name, as: UTF8.self).lowercased()
      subsection = sub
      return true
    }

    /// `key`, `key = value` or `key=value`, with quoting, escapes, comments and continuations.
    mutating func parseEntry() -> Entry? {
      var key: [UInt8] = []
      while let byte = current, Self.isNameByte(byte) {
        key.append(byte)
        position += 1
      }
      skipSpaces()
      guard let section else { return nil }
      let name = String(decoding: key, as: UTF8.self).lowercased()
      guard let byte = current, byte != 0x0A, byte != UInt8(ascii: "#"), byte != UInt8(ascii: ";")
      else {
        if current != nil { skipLine() }
        return Entry(section: section, subsection: subsection, key: name, value: nil)
      }
      guard byte == UInt8(ascii: "=") else { return nil }
      position += 1
      guard let value = parseValue() else { return nil }
      return Entry(section: section, subsection: subsection, key: name, value: value)
    }

    /// A value up to the end of its line: spaces around it dropped, spaces inside kept.
    mutating func parseValue() -> String? {
      var value: [UInt8] = []
      var quoted = false
      // Unquoted trailing spaces are dropped; `kept` is the length up to the last byte to keep.
      var kept = 0
      skipSpaces()
      while true {
        guard let byte = current else { break }
        position += 1
        if byte == 0x0A {
          guard !quoted else { return nil }
          break
        }
        if !quoted, byte == UInt8(ascii: "#") || byte == UInt8(ascii: ";") {
          skipLine()
          break
        }
        if byte == UInt8(ascii: "\"") {
          quoted.toggle()
          kept = value.count
          continue
        }
        if byte == UInt8(ascii: "\\") {
          guard let escaped = current else { return nil }
          position += 1
          switch escaped {
          case 0x0A:
            continue
          case 0x0D where current == 0x0A:
            position += 1
            continue
          case UInt8(ascii: "n"): value.append(0x0A)
          case UInt8(ascii: "t"): value.append(0x09)
          case UInt8(ascii: "b"): value.append(0x08)
          case UInt8(ascii: "\\"), UInt8(ascii: "\""): value.append(escaped)
          default: return nil
          }
          kept = value.count
          continue
        }
        value.append(byte)
        if quoted || !Self.isSpace(byte) { kept = value.count }
      }
      guard !quoted else { return nil }
      return String(decoding: value.prefix(kept), as: UTF8.self)
    }
  }
}
