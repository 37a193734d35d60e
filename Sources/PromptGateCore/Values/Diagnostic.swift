/// A problem in a file a user wrote, located by file, line and column, with the fix.
public struct Diagnostic: Error, CustomStringConvertible, Sendable, Equatable {
  /// How serious a problem is: an error stops the command (exit 2), a warning does not.
  public enum Severity: String, Sendable, Equatable {
    case error
    case warning
  }

  /// Where the file lives, in git's notation when it came from a commit (`HEAD:promptgate.yaml`).
  public var file: String
  /// The 1-based line, when known.
  public var line: Int?
  /// The 1-based column, when known.
  public var column: Int?
  /// What is wrong.
  public var message: String
  /// What to do about it, when there is something to say.
  public var fix: String?
  /// Error or warning.
  public var severity: Severity

  /// The most characters of a user's value a message quotes (see ``quote(_:)``).
  public static let quotedLength = 200
  /// The longest message or fix kept whole: a safety net for values quoted without
  /// ``quote(_:)``, so that a 5 MB value cannot become 5 MB of stderr.
  static let messageLength = 2_000

  /// Creates a diagnostic.
  public init(
    file: String, line: Int? = nil, column: Int? = nil, _ message: String, fix: String? = nil,
    severity: Severity = .error
  ) {
    self.file = file
    self.line = line
    self.column = column
    self.message = Self.clip(message, to: Self.messageLength)
    self.fix = fix.map { Self.clip($0, to: Self.messageLength) }
    self.severity = severity
  }

  /// `value` in single quotes, cut to ``quotedLength`` characters with the length of the rest.
  public static func quote(_ value: String) -> String {
    "'\(clip(value, to: quotedLength))'"
  }

  /// `text` cut to `limit` characters, saying how many were left out.
  static func clip(_ text: String, to limit: Int) -> String {
    guard text.utf8.count > limit, text.count > limit else { return text }
    return String(text.prefix(limit)) + "… (\(text.count - limit) more characters)"
  }

  /// `file:line:column`, as compilers and editors print a location.
  public var location: String {
    var text = file
    if let line {
      text += ":\(line)"
      if let column { text += ":\(column)" }
    }
    return text
  }

  public var description: String {
    var text = "\(location): \(severity.rawValue): \(message)"
    if let fix { text += "\n  fix: \(fix)" }
    return text
  }
}

extension Diagnostic {
  /// The diagnostic for `bytes` of `file` that are not UTF-8, located at the first offending
  /// byte (only the file when every byte decodes).
  public static func notUTF8(_ bytes: [UInt8], file: String, fix: String = "save it as UTF-8")
    -> Diagnostic
  {
    var offset = 0
    var iterator = bytes.makeIterator()
    var decoder = UTF8()
    var valid: [UInt8] = []
    loop: while true {
      switch decoder.decode(&iterator) {
      case .scalarValue(let scalar):
        offset += UTF8.width(scalar)
      case .emptyInput:
        return Diagnostic(file: file, "is not UTF-8 text", fix: fix)
      case .error:
        valid = Array(bytes[..<offset])
        break loop
      }
    }
    let (line, column) = position(ofUTF8Offset: offset, in: String(decoding: valid, as: UTF8.self))
    return Diagnostic(
      file: file, line: line, column: column,
      "is not UTF-8 text (byte \(offset + 1), 0x\(String(bytes[offset], radix: 16, uppercase: true)))",
      fix: fix)
  }

  /// The 1-based line and column of the character `offset` characters into `text` (as Yams
  /// counts a reader error's offset).
  public static func position(ofCharacterOffset offset: Int, in text: String) -> (
    line: Int, column: Int
  ) {
    let index = text.index(text.startIndex, offsetBy: offset, limitedBy: text.endIndex)
    let bytes = text.utf8.distance(from: text.startIndex, to: index ?? text.endIndex)
    return position(ofUTF8Offset: bytes, in: text)
  }

  /// The 1-based line and column (in Unicode scalars, as YAML marks count) of the byte at
  /// `offset` of `text`'s UTF-8; past the end, the position just after the last character.
  public static func position(ofUTF8Offset offset: Int, in text: String) -> (line: Int, column: Int)
  {
    var line = 1
    var column = 1
    var consumed = 0
    for scalar in text.unicodeScalars {
      guard consumed < offset else { break }
      consumed += UTF8.width(scalar)
      if scalar == "\n" {
        line += 1
        column = 1
      } else {
        column += 1
      }
    }
    return (line, column)
  }
}

/// Several diagnostics at once, so that a user fixes a file in one pass.
public struct Diagnostics: Error, CustomStringConvertible, Sendable {
  /// The problems, in file order.
  public let items: [Diagnostic]

  /// The most problems printed; the rest are counted ("and N more").
  public static let shownLimit = 20

  /// Creates a list of problems.
  public init(_ items: [Diagnostic]) { self.items = items }

  /// The first ``shownLimit`` problems, then how many more there are.
  public var description: String {
    var lines = items.prefix(Self.shownLimit).map(\.description)
    if items.count > Self.shownLimit {
      let more = items.count - Self.shownLimit
      lines.append("and \(more) more problem\(more == 1 ? "" : "s")")
    }
    return lines.joined(separator: "\n")
  }
}
