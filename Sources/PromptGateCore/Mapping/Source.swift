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

  /// Creates a source.
  public init(_ form: Form, optional: Bool = false) {
    self.form = form
    self.isOptional = optional
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

  /// The repository paths whose content can change what this source resolves to, as patterns.
  public var watchedPatterns: [Glob] {
    switch form {
    case .files(let globs): return globs
    case .pointer(let file, _), .regex(let file, _, _):
      return (try? Glob(file)).map { [$0] } ?? []
    case .value: return []
    }
  }
}
