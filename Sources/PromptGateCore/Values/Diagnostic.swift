/// A problem in a file a user wrote, located by file, line and column, with the fix.
public struct Diagnostic: Error, CustomStringConvertible, Sendable, Equatable {
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

  /// Creates a diagnostic.
  public init(
    file: String, line: Int? = nil, column: Int? = nil, _ message: String, fix: String? = nil
  ) {
    self.file = file
    self.line = line
    self.column = column
    self.message = message
    self.fix = fix
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
    var text = "\(location): error: \(message)"
    if let fix { text += "\n  fix: \(fix)" }
    return text
  }
}

/// Several diagnostics at once, so that a user fixes a file in one pass.
public struct Diagnostics: Error, CustomStringConvertible, Sendable {
  /// The problems, in file order.
  public let items: [Diagnostic]

  /// Creates a list of problems.
  public init(_ items: [Diagnostic]) { self.items = items }

  public var description: String { items.map(\.description).joined(separator: "\n") }
}
