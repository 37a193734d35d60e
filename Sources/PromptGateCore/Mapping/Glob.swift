import Foundation

/// A path pattern in gitignore's syntax, anchored at the repository root: `*`, `?` and `[...]`
/// match within one path segment, `**` matches any number of segments, a trailing `/` means
/// everything below a directory, and a leading `!` excludes what earlier patterns included.
public struct Glob: Hashable, Sendable, CustomStringConvertible {
  /// The pattern as written.
  public let text: String
  /// True for an exclusion (`!pattern`).
  public let isNegated: Bool
  /// The pattern's segments, without the `!`.
  let segments: [String]
  /// The directory that holds every match: the literal segments before the first wildcard, less
  /// the last when the whole pattern is literal. File-set paths are hashed relative to it.
  public let baseDirectory: String
  /// True when the pattern has no wildcard: it names one file, or every file below a directory.
  public let isLiteral: Bool
  /// The directory or file whose contents can match: the place to list a snapshot's files
  /// (kept, since a history walk and a large mapping ask for it at every source).
  public let searchRoot: String

  /// Parses `text`, or explains why it can never match.
  public init(_ text: String) throws(GlobError) {
    self.text = text
    var body = Substring(text)
    isNegated = body.hasPrefix("!")
    if isNegated { body = body.dropFirst() }
    if body.hasSuffix("/") { body += "**" }
    guard !body.isEmpty else { throw GlobError("the pattern is empty") }
    guard !body.hasPrefix("/") else {
      throw GlobError(
        "\(Diagnostic.quote(text)) is absolute; patterns are relative to the repository root (drop the leading /)"
      )
    }
    let segments = body.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
    for segment in segments {
      if segment.isEmpty {
        throw GlobError("\(Diagnostic.quote(text)) has an empty path segment (//)")
      }
      if segment == ".." || segment == "." {
        throw GlobError(
          "\(Diagnostic.quote(text)) uses \(Diagnostic.quote(segment)); patterns cannot leave or re-enter a directory"
        )
      }
      try Glob.validate(segment: segment, in: text)
    }
    self.segments = segments
    let literal = segments.prefix { !Glob.hasWildcard($0) }
    isLiteral = literal.count == segments.count
    baseDirectory = (isLiteral ? literal.dropLast() : literal[...]).joined(separator: "/")
    searchRoot = isLiteral ? segments.joined(separator: "/") : baseDirectory
  }

  public var description: String { text }

  // Everything else is derived from the text.
  public static func == (lhs: Glob, rhs: Glob) -> Bool { lhs.text == rhs.text }

  public func hash(into hasher: inout Hasher) { hasher.combine(text) }

  /// True when `path` (repository-relative) matches, ignoring negation.
  public func matches(_ path: String) -> Bool {
    let parts = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
    if isLiteral {
      return parts.starts(with: segments)
    }
    return Glob.match(segments[...], parts[...])
  }

  /// `path` relative to ``baseDirectory``.
  public func relativePath(of path: String) -> String {
    baseDirectory.isEmpty ? path : String(path.dropFirst(baseDirectory.count + 1))
  }

  private static func match(_ pattern: ArraySlice<String>, _ path: ArraySlice<String>) -> Bool {
    guard let first = pattern.first else { return path.isEmpty }
    if first == "**" {
      let rest = pattern.dropFirst()
      if rest.isEmpty { return !path.isEmpty }
      var remaining = path
      while true {
        if match(rest, remaining) { return true }
        guard !remaining.isEmpty else { return false }
        remaining = remaining.dropFirst()
      }
    }
    guard let segment = path.first, fnmatch(first, segment, 0) == 0 else { return false }
    return match(pattern.dropFirst(), path.dropFirst())
  }

  static func hasWildcard(_ segment: String) -> Bool {
    segment.contains { $0 == "*" || $0 == "?" || $0 == "[" || $0 == "\\" }
  }

  private static func validate(segment: String, in text: String) throws(GlobError) {
    var characters = segment.makeIterator()
    while let character = characters.next() {
      switch character {
      case "\\":
        guard characters.next() != nil else {
          throw GlobError("\(Diagnostic.quote(text)) ends with a lone backslash")
        }
      case "[":
        var first = true
        var closed = false
        while let inner = characters.next() {
          if (inner == "!" || inner == "^") && first { continue }
          if inner == "]" && !first {
            closed = true
            break
          }
          first = false
        }
        if !closed { throw GlobError("\(Diagnostic.quote(text)) has a '[' with no closing ']'") }
      default:
        continue
      }
    }
  }
}

/// Why a pattern can never match anything.
public struct GlobError: Error, Sendable, CustomStringConvertible {
  /// The explanation, naming the pattern.
  public let description: String
  init(_ description: String) { self.description = description }
}
