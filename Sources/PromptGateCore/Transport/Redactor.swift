import Foundation

/// The one place that keeps secrets out of everything that leaves the process: stdout, stderr,
/// reports, GitHub posts, and the result store (model outputs included, since a gateway can echo
/// a key in a 200 answer).
///
/// Every credential PromptGate reads is registered here (each provider's `apiKeyEnv` value,
/// `GITHUB_TOKEN`, and the credentials of clients to come). ``scrub(_:)`` replaces every whole
/// occurrence with `[redacted]`, and also any piece of 8 or more characters at either edge of
/// the text, where a cut made elsewhere may have split a secret.
public enum Redactor {
  /// What replaces a secret.
  public static let placeholder = "[redacted]"
  /// The shortest piece of a secret, at an edge of a text, that is redacted.
  public static let minimumEdge = 8

  private static let lock = NSLock()
  nonisolated(unsafe) private static var secrets: [String] = []

  /// Adds `secret` (trimmed; ignored when shorter than 4 characters, which would redact
  /// ordinary words).
  public static func register(_ secret: String) {
    let value = secret.trimmingCharacters(in: .whitespacesAndNewlines)
    guard value.count >= 4 else { return }
    lock.lock()
    defer { lock.unlock() }
    if !secrets.contains(value) {
      secrets.append(value)
      // Longer first, so that a secret containing another is redacted whole.
      secrets.sort { $0.count > $1.count }
    }
  }

  /// Registers the values of `names` in `environment` that are set.
  public static func register(variables names: [String], in environment: [String: String]) {
    for name in names { if let value = environment[name] { register(value) } }
  }

  /// The credential variables every command knows of, whatever the mapping says.
  public static let knownVariables = [
    "GITHUB_TOKEN", "GH_TOKEN", "GITLAB_TOKEN", "CI_JOB_TOKEN", "PROMPTGATE_PUSH_TOKEN",
    "OPENAI_API_KEY", "ANTHROPIC_API_KEY", "CLICKHOUSE_PASSWORD",
  ]

  /// True when a secret is registered: text written without one needs no scrubbing.
  public static var hasSecrets: Bool {
    lock.lock()
    defer { lock.unlock() }
    return !secrets.isEmpty
  }

  /// `text` with every registered secret, and every edge piece of one, replaced.
  public static func scrub(_ text: String) -> String {
    lock.lock()
    let known = secrets
    lock.unlock()
    return scrub(text, secrets: known)
  }

  /// `text` scrubbed of `secrets` (exposed for tests).
  public static func scrub(_ text: String, secrets: [String]) -> String {
    guard !secrets.isEmpty, !text.isEmpty else { return text }
    var result = text
    for secret in secrets where result.contains(secret) {
      result = result.replacing(secret, with: placeholder)
    }
    for secret in secrets where secret.count > minimumEdge {
      result = scrubEdges(result, secret: secret)
    }
    return result
  }

  /// Redacts a prefix of `text` that is a suffix of `secret`, and a suffix of `text` that is a
  /// prefix of `secret`, when 8 characters or longer (the longest such piece).
  static func scrubEdges(_ text: String, secret: String) -> String {
    var result = text
    let characters = Array(secret)
    let longest = min(characters.count - 1, result.count)
    if longest >= minimumEdge {
      for length in stride(from: longest, through: minimumEdge, by: -1) {
        let piece = String(characters.prefix(length))
        if result.hasSuffix(piece) {
          result = String(result.dropLast(length)) + placeholder
          break
        }
      }
    }
    let longestStart = min(characters.count - 1, result.count)
    if longestStart >= minimumEdge {
      for length in stride(from: longestStart, through: minimumEdge, by: -1) {
        let piece = String(characters.suffix(length))
        if result.hasPrefix(piece) {
          result = placeholder + String(result.dropFirst(length))
          break
        }
      }
    }
    return result
  }
}
