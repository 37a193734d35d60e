/// An RFC 6901 JSON Pointer (`/support/model`, `/tools/0`, `` for the whole document).
public struct JSONPointer: Hashable, Sendable, CustomStringConvertible {
  /// The unescaped reference tokens.
  public let tokens: [String]

  /// Parses `text`; nil when it is not a pointer (it must be empty or start with `/`, and `~` may
  /// only be followed by `0` or `1`).
  public init?(_ text: String) {
    if text.isEmpty {
      tokens = []
      return
    }
    guard text.hasPrefix("/") else { return nil }
    var tokens: [String] = []
    for raw in text.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
      var token = ""
      var escape = false
      for character in raw {
        if escape {
          switch character {
          case "0": token.append("~")
          case "1": token.append("/")
          default: return nil
          }
          escape = false
        } else if character == "~" {
          escape = true
        } else {
          token.append(character)
        }
      }
      if escape { return nil }
      tokens.append(token)
    }
    self.tokens = tokens
  }

  public var description: String {
    tokens.map {
      "/" + $0.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }
    .joined()
  }

  /// The value the pointer selects in `document`, or where it stopped: the pointer to the last
  /// value that exists.
  public func resolve(in document: JSONValue) -> Result<JSONValue, Miss> {
    var current = document
    for (depth, token) in tokens.enumerated() {
      let parent = JSONPointer(tokens: Array(tokens[..<depth]))
      switch current {
      case .object(let members):
        guard let next = members[token] else { return .failure(Miss(found: parent, token: token)) }
        current = next
      case .array(let list):
        guard let index = Int(token), String(index) == token, list.indices.contains(index) else {
          return .failure(Miss(found: parent, token: token))
        }
        current = list[index]
      default:
        return .failure(Miss(found: parent, token: token))
      }
    }
    return .success(current)
  }

  init(tokens: [String]) { self.tokens = tokens }

  /// Where a pointer stopped: the deepest value that exists and the token not found in it.
  public struct Miss: Error, Sendable {
    /// The pointer to the deepest existing value.
    public let found: JSONPointer
    /// The token missing from it.
    public let token: String
  }
}
