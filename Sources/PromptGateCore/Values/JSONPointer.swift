/// An RFC 6901 JSON Pointer (`/support/model`, `/tools/0`, `` for the whole document), extended
/// with one step RFC 6901 lacks: `[KEY=VALUE]` selects the element of a list whose member `KEY`
/// is the scalar `VALUE` (`/nodes/[name=classify]/inputs/model`), so that a pointer does not
/// depend on the element's position.
///
/// `~0` is `~`, `~1` is `/` and `~2` is `[`: a key that really begins with `[` is written `~2`.
public struct JSONPointer: Hashable, Sendable, CustomStringConvertible {
  /// One step of a pointer.
  public enum Step: Hashable, Sendable {
    /// A member of a mapping by key, or an element of a list by its decimal index.
    case key(String)
    /// The one element of a list that is a mapping whose `key` member has the scalar text
    /// `value` (a string, or a number or boolean as JSON writes it).
    case element(key: String, value: String)
  }

  /// The steps, unescaped.
  public let steps: [Step]

  /// The steps as text: a key as itself, a selector as `[KEY=VALUE]`.
  public var tokens: [String] { steps.map(\.text) }

  /// Parses `text`; nil when it is not a pointer: it must be empty or start with `/`, `~` may
  /// only be followed by `0`, `1` or `2`, and a step that begins with `[` must be a whole
  /// `[KEY=VALUE]` selector with a non-empty key.
  public init?(_ text: String) {
    if text.isEmpty {
      steps = []
      return
    }
    guard text.hasPrefix("/") else { return nil }
    var steps: [Step] = []
    for raw in text.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
      if raw.hasPrefix("[") {
        guard raw.hasSuffix("]"), raw.count >= 2, let equals = raw.firstIndex(of: "=") else {
          return nil
        }
        let key = raw[raw.index(after: raw.startIndex)..<equals]
        let value = raw[raw.index(after: equals)..<raw.index(before: raw.endIndex)]
        guard !key.isEmpty, let key = Self.unescape(key), let value = Self.unescape(value) else {
          return nil
        }
        steps.append(.element(key: key, value: value))
      } else {
        guard let key = Self.unescape(raw) else { return nil }
        steps.append(.key(key))
      }
    }
    self.steps = steps
  }

  /// Creates a pointer of plain keys.
  init(tokens: [String]) { steps = tokens.map(Step.key) }

  init(steps: [Step]) { self.steps = steps }

  private static func unescape(_ raw: Substring) -> String? {
    var token = ""
    var escape = false
    for character in raw {
      if escape {
        switch character {
        case "0": token.append("~")
        case "1": token.append("/")
        case "2": token.append("[")
        default: return nil
        }
        escape = false
      } else if character == "~" {
        escape = true
      } else {
        token.append(character)
      }
    }
    return escape ? nil : token
  }

  static func escape(_ token: String) -> String {
    let escaped = token.replacingOccurrences(of: "~", with: "~0")
      .replacingOccurrences(of: "/", with: "~1")
    return escaped.hasPrefix("[") ? "~2" + escaped.dropFirst() : escaped
  }

  public var description: String { steps.map { "/" + $0.escaped }.joined() }

  /// The value the pointer selects in `document`, or why it selects none: where it stopped (the
  /// pointer to the last value that exists), or a selector that matched several elements.
  public func resolve(in document: JSONValue) -> Result<JSONValue, Miss> {
    var current = document
    for (depth, step) in steps.enumerated() {
      let parent = JSONPointer(steps: Array(steps[..<depth]))
      let miss = Miss(found: parent, token: step.text)
      switch (step, current) {
      case (.key(let token), .object(let members)):
        guard let next = members[token] else { return .failure(miss) }
        current = next
      case (.key(let token), .array(let list)):
        guard let index = Int(token), String(index) == token, list.indices.contains(index) else {
          return .failure(miss)
        }
        current = list[index]
      case (.element(let key, let value), .array(let list)):
        let matches = list.indices.filter { index in
          guard case .object(let members) = list[index] else { return false }
          return members[key]?.scalarText == value
        }
        guard let first = matches.first else { return .failure(miss) }
        guard matches.count == 1 else {
          return .failure(Miss(found: parent, token: step.text, ambiguousIndices: matches))
        }
        current = list[first]
      default:
        return .failure(miss)
      }
    }
    return .success(current)
  }

  /// Why a pointer selects nothing: the deepest value that exists and the step not found in it,
  /// or a selector that several elements of that list match.
  public struct Miss: Error, Sendable {
    /// The pointer to the deepest existing value.
    public let found: JSONPointer
    /// The step missing from it (a selector as `[KEY=VALUE]`).
    public let token: String
    /// The indices of the elements a selector matched, when it matched more than one; empty
    /// when nothing matched.
    public var ambiguousIndices: [Int] = []

    /// True when a selector matched several elements: a configuration error, not an absence.
    public var isAmbiguous: Bool { !ambiguousIndices.isEmpty }
  }
}

extension JSONPointer.Step {
  /// The step unescaped: a key as itself, a selector as `[KEY=VALUE]`.
  public var text: String {
    switch self {
    case .key(let key): return key
    case .element(let key, let value): return "[\(key)=\(value)]"
    }
  }

  /// The step as a pointer writes it.
  var escaped: String {
    switch self {
    case .key(let key): return JSONPointer.escape(key)
    case .element(let key, let value):
      return "[" + JSONPointer.escape(key) + "=" + JSONPointer.escape(value) + "]"
    }
  }
}
