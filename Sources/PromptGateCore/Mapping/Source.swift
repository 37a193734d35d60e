/// Where a component's value comes from at a given side.
public struct Source: Hashable, Sendable, CustomStringConvertible {
  /// The forms a source takes.
  public enum Form: Hashable, Sendable {
    /// A set of files matched by patterns.
    case files([Glob])
    /// A value inside a YAML or JSON file, selected by a JSON Pointer.
    case pointer(file: String, pointer: JSONPointer)
    /// A value captured by a regular expression that must match a text file exactly once.
    case regex(file: String, pattern: String, group: Int)
    /// A literal value.
    case value(JSONValue)
  }

  /// The form and its parameters.
  public let form: Form
  /// True when matching nothing gives null instead of making the behavior absent.
  public let isOptional: Bool
  /// True when a file set hashes the `.prompt` and `.prompty` files it matches by their prompt
  /// text alone, without their front matter (`hash: body`); false hashes whole files.
  public let hashesBody: Bool

  /// The repository paths whose content can change what this source resolves to, as patterns
  /// (built once: a history walk asks for them at every commit it resolves).
  public let watchedPatterns: [Glob]

  /// Creates a source.
  public init(_ form: Form, optional: Bool = false, hashesBody: Bool = false) {
    self.form = form
    self.isOptional = optional
    self.hashesBody = hashesBody
    switch form {
    case .files(let globs): watchedPatterns = globs
    case .pointer(let file, _), .regex(let file, _, _):
      watchedPatterns = (try? Glob(file)).map { [$0] } ?? []
    case .value: watchedPatterns = []
    }
  }

  // Equal forms have equal watched patterns, so they are not compared.
  public static func == (lhs: Source, rhs: Source) -> Bool {
    lhs.form == rhs.form && lhs.isOptional == rhs.isOptional && lhs.hashesBody == rhs.hashesBody
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(form)
    hasher.combine(isOptional)
    hasher.combine(hashesBody)
  }

  /// The source as a user would write its short form, for messages.
  public var description: String {
    switch form {
    case .files(let globs): return globs.map(\.text).joined(separator: ", ")
    case .pointer(let file, let pointer): return "\(file)#\(pointer)"
    case .regex(let file, let pattern, _): return "\(file) =~ /\(pattern)/"
    case .value(let value): return (try? CanonicalJSON.serialize(value)) ?? "a value"
    }
  }
}
