/// How long the HTTP providers wait between attempts. How many attempts and how long each may
/// take come from the provider's `limits`; this is the shape of the waits.
public struct RetryPolicy: Sendable, Hashable {
  /// The wait before the first retry; each later retry waits twice as long as the one before.
  public var initialBackoff: Duration
  /// The longest wait between attempts, before jitter.
  public var maximumBackoff: Duration
  /// The longest `Retry-After` honoured; a server asking for more fails the call instead.
  public var maximumRetryAfter: Duration
  /// The largest response body accepted, in bytes.
  public var maximumResponseBytes: Int

  /// Creates a policy; the defaults suit hosted APIs.
  public init(
    initialBackoff: Duration = .milliseconds(500), maximumBackoff: Duration = .seconds(30),
    maximumRetryAfter: Duration = .seconds(120), maximumResponseBytes: Int = 32 << 20
  ) {
    self.initialBackoff = initialBackoff
    self.maximumBackoff = maximumBackoff
    self.maximumRetryAfter = maximumRetryAfter
    self.maximumResponseBytes = maximumResponseBytes
  }

  /// The wait before retry number `retry` (0 for the first): exponential back-off with jitter
  /// (between half and all of the step), or at least what the server asked for, plus a little
  /// jitter so that callers it turned away together do not all come back at once.
  func delay(beforeRetry retry: Int, retryAfter: Duration?) -> Duration {
    let step = min(initialBackoff * (1 << min(retry, 30)), maximumBackoff)
    let backoff = step * Double.random(in: 0.5...1.0)
    guard let retryAfter else { return backoff }
    let spread = min(retryAfter * 0.1, initialBackoff)
    return max(retryAfter + spread * Double.random(in: 0...1), backoff)
  }
}
