import Foundation

/// A credential (an API key, a token). Its value goes into one request header and nowhere
/// else: it prints, dumps and reflects as `[redacted]`, and ``scrub(_:)`` removes it from any
/// text that might echo it.
public struct Secret: Sendable, CustomStringConvertible, CustomDebugStringConvertible,
  CustomReflectable
{
  /// The credential itself; read only to build the authentication header.
  public let value: String

  /// The placeholder shown instead of the credential.
  public static let placeholder = "[redacted]"

  /// A credential, with surrounding whitespace (a trailing newline from a file or `export`)
  /// removed.
  public init(_ value: String) {
    self.value = value.trimmingCharacters(in: .whitespacesAndNewlines)
  }

  public var description: String { Self.placeholder }
  public var debugDescription: String { Self.placeholder }
  public var customMirror: Mirror { Mirror(self, children: [:]) }

  /// `text` with every occurrence of the credential replaced by the placeholder.
  public func scrub(_ text: String) -> String {
    guard !value.isEmpty, text.contains(value) else { return text }
    return text.replacing(value, with: Self.placeholder)
  }
}

extension Optional where Wrapped == Secret {
  /// `text` without the credential, when there is one.
  public func scrub(_ text: String) -> String {
    switch self {
    case .some(let secret): return secret.scrub(text)
    case .none: return text
    }
  }
}
