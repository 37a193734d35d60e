import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import PromptGateCore
import PromptGateTransport

/// Sends one provider's HTTP calls: through its concurrency limit, with a deadline per attempt,
/// retrying rate limits, server errors, dropped connections and timeouts with back-off. Both
/// HTTP providers share this one mechanism; one instance serves every call of one provider, so
/// its limit holds across all of them.
final class RetryingCaller: Sendable {
  /// A successful answer.
  struct Delivery: Sendable {
    /// The response body.
    let body: ByteBuffer
    /// Wall time from the first attempt's start to the end of the last, in milliseconds.
    let latencyMs: Double
  }

  private let provider: String
  private let client: HTTPClient
  private let limits: ProviderDefinition.Limits
  private let policy: RetryPolicy
  private let secret: Secret?
  /// The provider's concurrency limit.
  let limiter: AdaptiveLimiter

  /// A caller for the provider `provider`, whose key (if any) is `secret`.
  init(
    provider: String, client: HTTPClient, limits: ProviderDefinition.Limits, policy: RetryPolicy,
    secret: Secret?
  ) {
    self.provider = provider
    self.client = client
    self.limits = limits
    self.policy = policy
    self.secret = secret
    limiter = AdaptiveLimiter(concurrency: limits.concurrency)
  }

  /// A provider error whose message never holds the key.
  func failure(_ message: String) -> ProviderError {
    ProviderError(provider: provider, secret.scrub(message))
  }

  /// POSTs `body` to `url` until an attempt succeeds or retrying stops, each attempt through
  /// the provider's limit, by the one transport and retry policy.
  func post(url: String, headers: HTTPHeaders, body: [UInt8]) async throws(ProviderError)
    -> Delivery
  {
    var request = HTTPClientRequest(url: url)
    request.method = .POST
    request.headers = headers
    request.body = .bytes(body)
    let clock = ContinuousClock()
    let started = LockedValue<ContinuousClock.Instant?>(nil)
    do {
      let answer = try await policy.run(label: "POST \(url)", retries: limits.retries) { _ in
        await self.attempt(request, clock: clock, started: started)
      }
      let elapsed = clock.now - (started.value ?? clock.now)
      return Delivery(body: answer.body, latencyMs: elapsed.totalSeconds * 1000)
    } catch {
      throw failure(error.message)
    }
  }

  /// One attempt under a permit of the limiter, which hears how it went.
  private func attempt(
    _ request: HTTPClientRequest, clock: ContinuousClock,
    started: LockedValue<ContinuousClock.Instant?>
  ) async -> Attempt<HTTPTransport.Answer> {
    let permit: AdaptiveLimiter.Permit
    do {
      permit = try await limiter.acquire()
    } catch {
      return .fail("cancelled before the server answered")
    }
    if let notBefore = permit.notBefore {
      do {
        try await clock.sleep(until: notBefore)
      } catch {
        await limiter.release(permit, .neutral)
        return .fail("cancelled before the server answered")
      }
    }
    started.update { first in first = first ?? clock.now }
    var outcome = await HTTPTransport.attempt(
      request, client: client, timeout: limits.timeoutSeconds,
      maximumBytes: policy.maximumResponseBytes)
    var signal = AdaptiveLimiter.Signal.neutral
    if case .success(let answer) = outcome {
      outcome = HTTPTransport.classify(
        answer, summary: ResponseText.errorSummary(answer.body.readableBytesView))
      if (200..<300).contains(answer.code) {
        signal = .success
      } else if answer.code == 429 {
        // A wait longer than the policy honours fails this call; it never holds the others
        // longer than the policy's maximum.
        signal = .rateLimited(
          retryAfter: answer.retryAfter.map { min($0, policy.maximumRetryAfter) })
      }
    }
    await limiter.release(permit, signal)
    return outcome
  }
}
