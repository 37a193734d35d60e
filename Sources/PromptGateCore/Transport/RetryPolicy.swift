/// How every client PromptGate has retries: the HTTP providers, the GitHub client, the exec
/// provider, and every client to come. How many attempts and how long each may take come from
/// the caller (a provider's `limits`); this is the shape of the waits and the one retry loop.
public struct RetryPolicy: Sendable, Hashable {
  /// The wait before the first retry; each later retry waits twice as long as the one before.
  public var initialBackoff: Duration
  /// The longest wait between attempts, before jitter.
  public var maximumBackoff: Duration
  /// The longest `Retry-After` honoured; a server asking for more fails that call (could not
  /// evaluate now) instead of pausing it, or anything else, for longer.
  public var maximumRetryAfter: Duration
  /// The largest response body accepted, in bytes.
  public var maximumResponseBytes: Int

  /// The documented longest `Retry-After` honoured by default, in seconds.
  public static let defaultMaximumRetryAfterSeconds = 60

  /// Creates a policy; the defaults suit hosted APIs.
  public init(
    initialBackoff: Duration = .milliseconds(500), maximumBackoff: Duration = .seconds(30),
    maximumRetryAfter: Duration = .seconds(defaultMaximumRetryAfterSeconds),
    maximumResponseBytes: Int = 32 << 20
  ) {
    self.initialBackoff = initialBackoff
    self.maximumBackoff = maximumBackoff
    self.maximumRetryAfter = maximumRetryAfter
    self.maximumResponseBytes = maximumResponseBytes
  }

  /// The wait before retry number `retry` (0 for the first): exponential back-off with jitter
  /// (between half and all of the step), or at least what the server asked for, plus a little
  /// jitter so that callers it turned away together do not all come back at once.
  public func delay(beforeRetry retry: Int, retryAfter: Duration?) -> Duration {
    let step = min(initialBackoff * (1 << min(retry, 30)), maximumBackoff)
    let backoff = step * Double.random(in: 0.5...1.0)
    guard let retryAfter else { return backoff }
    let spread = min(retryAfter * 0.1, initialBackoff)
    return max(retryAfter + spread * Double.random(in: 0...1), backoff)
  }

  /// Runs `attempt` (given the retry number, 0 for the first try) until it succeeds, fails for
  /// good, or `retries` retries are spent, waiting ``delay(beforeRetry:retryAfter:)`` between
  /// tries. `label` starts every failure's message (`POST https://…`).
  public func run<Value: Sendable>(
    label: String, retries: Int, _ attempt: (_ retry: Int) async -> Attempt<Value>
  ) async throws(RetryFailure) -> Value {
    var retry = 0
    while true {
      switch await attempt(retry) {
      case .success(let value):
        return value
      case .fail(let message):
        throw RetryFailure("\(label): \(message)", attempts: retry + 1, retryable: false)
      case .retry(let message, let retryAfter):
        if Task.isCancelled {
          throw RetryFailure(
            "\(label): cancelled; the last attempt: \(message)", attempts: retry + 1,
            retryable: false)
        }
        if let retryAfter, retryAfter > maximumRetryAfter {
          throw RetryFailure(
            "\(label): \(message), and asked to retry after \(Int(retryAfter.totalSeconds)) s, "
              + "longer than the \(Int(maximumRetryAfter.totalSeconds)) s this tool waits",
            attempts: retry + 1, retryable: true)
        }
        guard retry < retries else {
          let attempts = retry + 1
          throw RetryFailure(
            "\(label) failed after \(attempts) attempt\(attempts == 1 ? "" : "s"); the last: "
              + message, attempts: attempts, retryable: true)
        }
        do {
          try await Task.sleep(for: delay(beforeRetry: retry, retryAfter: retryAfter))
        } catch {
          throw RetryFailure(
            "\(label): cancelled while waiting to retry; the last attempt: \(message)",
            attempts: retry + 1, retryable: false)
        }
        retry += 1
      }
    }
  }
}

/// What one try of a call came to, for ``RetryPolicy/run(label:retries:_:)``.
public enum Attempt<Value: Sendable>: Sendable {
  /// It worked.
  case success(Value)
  /// It failed in a way worth trying again (a timeout, a dropped connection, 429, 5xx), after
  /// `retryAfter` when the server asked for a wait.
  case retry(String, retryAfter: Duration? = nil)
  /// It failed in a way another try would not change (a refused connection, a bad request).
  case fail(String)
}

/// A call that did not succeed: the last attempt's reason, and how many were made.
public struct RetryFailure: Error, Sendable, CustomStringConvertible {
  /// What happened, starting with the call's label.
  public let message: String
  /// How many attempts were made.
  public let attempts: Int
  /// True when the last failure was of a kind worth retrying later (the server is overloaded
  /// or away), false when retrying would not help.
  public let retryable: Bool

  /// Creates a failure.
  public init(_ message: String, attempts: Int, retryable: Bool) {
    self.message = message
    self.attempts = attempts
    self.retryable = retryable
  }

  public var description: String { message }
}
