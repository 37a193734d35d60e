import PromptGateCore

/// Renders user-message templates: `{{name}}` placeholders over a case's variables.
///
/// A placeholder holds a variable name or a dotted path into objects (`{{ticket.subject}}`;
/// a numeric segment indexes a list), with optional whitespace inside the braces. A string value
/// is inserted as it is; any other value as compact JSON. Text outside placeholders is copied
/// unchanged.
public enum Template {
  /// `template` with every placeholder replaced by its value in `vars`.
  public static func render(_ template: String, vars: [String: JSONValue]) throws(TemplateError)
    -> String
  {
    var output = ""
    var rest = template[...]
    while let open = rest.firstRange(of: "{{") {
      output += rest[..<open.lowerBound]
      let afterOpen = rest[open.upperBound...]
      guard let close = afterOpen.firstRange(of: "}}") else {
        throw .unterminatedPlaceholder(String(rest[open.lowerBound...].prefix(40)))
      }
      let path = afterOpen[..<close.lowerBound].trimmingWhitespaceAndNewlines()
      output += try text(of: try resolve(path, in: vars))
      rest = afterOpen[close.upperBound...]
    }
    output += rest
    return output
  }

  /// The value at a dotted `path` in `vars`.
  private static func resolve(_ path: Substring, in vars: [String: JSONValue]) throws(TemplateError)
    -> JSONValue
  {
    let segments = path.split(separator: ".", omittingEmptySubsequences: false)
    guard !path.isEmpty, segments.allSatisfy({ !$0.isEmpty && !$0.contains(where: \.isWhitespace) })
    else { throw .invalidPlaceholder(String(path)) }
    guard var value = vars[String(segments[0])] else { throw .unknownVariable(String(path)) }
    for segment in segments.dropFirst() {
      switch value {
      case .object(let members):
        guard let member = members[String(segment)] else { throw .unknownVariable(String(path)) }
        value = member
      case .array(let list):
        guard let index = Int(segment), list.indices.contains(index) else {
          throw .unknownVariable(String(path))
        }
        value = list[index]
      default:
        throw .unknownVariable(String(path))
      }
    }
    return value
  }

  /// How a value appears in the rendered text.
  private static func text(of value: JSONValue) throws(TemplateError) -> String {
    if case .string(let text) = value { return text }
    do {
      return try CanonicalJSON.serialize(value)
    } catch {
      throw .unrepresentableValue(String(describing: error))
    }
  }
}

/// Why a template could not be rendered.
public enum TemplateError: Error, Sendable, Hashable, CustomStringConvertible {
  /// A placeholder names a variable (or a path) the case does not define.
  case unknownVariable(String)
  /// A `{{` with no `}}` after it; holds the text from the `{{`.
  case unterminatedPlaceholder(String)
  /// A placeholder that is not a dotted name (`{{}}`, `{{a..b}}`, `{{a b}}`).
  case invalidPlaceholder(String)
  /// A value JSON cannot write (a NaN or infinite number).
  case unrepresentableValue(String)

  /// A one-line explanation for the user.
  public var description: String {
    switch self {
    case .unknownVariable(let path):
      return "the user template uses {{\(path)}}, but the case has no variable \(path)"
    case .unterminatedPlaceholder(let text):
      return "the user template has a '{{' with no closing '}}': \(text)"
    case .invalidPlaceholder(let text):
      return "the user template has an invalid placeholder {{\(text)}}: expected a name or a.b.c"
    case .unrepresentableValue(let reason):
      return "the user template inserts a value JSON cannot hold: \(reason)"
    }
  }
}
