/// An API key. Its value goes into one request header and nowhere else: it prints, dumps and
/// reflects as `[redacted]`, and ``scrub(_:)`` removes it from any text that might echo it.
struct Secret: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
  /// The key itself; read only to build the authentication header.
  let value: String

  /// The placeholder shown instead of the key.
  static let placeholder = "[redacted]"

  /// A key, with surrounding whitespace (a trailing newline from a file or `export`) removed.
  init(_ value: String) {
    self.value = String(value.trimmingWhitespaceAndNewlines())
  }

  var description: String { Self.placeholder }
  var debugDescription: String { Self.placeholder }
  var customMirror: Mirror { Mirror(self, children: [:]) }

  /// `text` with every occurrence of the key replaced by the placeholder.
  func scrub(_ text: String) -> String {
    guard !value.isEmpty, text.contains(value) else { return text }
    return text.replacing(value, with: Self.placeholder)
  }
}

extension Optional where Wrapped == Secret {
  /// `text` without the key, when there is one.
  func scrub(_ text: String) -> String {
    switch self {
    case .some(let secret): return secret.scrub(text)
    case .none: return text
    }
  }
}

extension StringProtocol {
  /// The text without leading and trailing whitespace or newlines.
  func trimmingWhitespaceAndNewlines() -> SubSequence {
    guard let first = firstIndex(where: { !$0.isWhitespace }),
      let last = lastIndex(where: { !$0.isWhitespace })
    else { return self[endIndex...] }
    return self[first...last]
  }
}
