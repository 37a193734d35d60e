import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import PromptGateCore

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

  /// What one attempt came to.
  private enum Outcome: Sendable {
    case success(ByteBuffer)
    case retryable(String, retryAfter: Duration?, rateLimited: Bool)
    case fatal(String)
  }

  /// A response read whole.
  private struct Answer: Sendable {
    let status: HTTPResponseStatus
    let headers: HTTPHeaders
    let body: ByteBuffer
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

  /// POSTs `body` to `url` until an attempt succeeds or retrying stops.
  func post(url: String, headers: HTTPHeaders, body: [UInt8]) async throws(ProviderError)
    -> Delivery
  {
    var request = HTTPClientRequest(url: url)
    request.method = .POST
    request.headers = headers
    request.body = .bytes(body)
    let clock = ContinuousClock()
    var firstStart: ContinuousClock.Instant?
    var retry = 0
    while true {
      let permit: AdaptiveLimiter.Permit
      do {
        permit = try await limiter.acquire()
      } catch {
        throw failure("cancelled before \(url) answered")
      }
      if let notBefore = permit.notBefore {
        do {
          try await clock.sleep(until: notBefore)
        } catch {
          await limiter.release(permit, .neutral)
          throw failure("cancelled before \(url) answered")
        }
      }
      let start = firstStart ?? clock.now
      firstStart = start
      let outcome = await attempt(request)
      switch outcome {
      case .success: await limiter.release(permit, .success)
      case .retryable(_, let retryAfter, true):
        await limiter.release(permit, .rateLimited(retryAfter: retryAfter))
      default: await limiter.release(permit, .neutral)
      }
      switch outcome {
      case .success(let buffer):
        let elapsed = clock.now - start
        return Delivery(body: buffer, latencyMs: elapsed.seconds * 1000)
      case .fatal(let message):
        throw failure("POST \(url): \(message)")
      case .retryable(let message, let retryAfter, _):
        if Task.isCancelled { throw failure("cancelled; the last attempt: \(message)") }
        guard retry < limits.retries else {
          let attempts = retry + 1
          throw failure(
            "POST \(url) failed after \(attempts) attempt\(attempts == 1 ? "" : "s"); the last: "
              + message)
        }
        if let retryAfter, retryAfter > policy.maximumRetryAfter {
          throw failure(
            "POST \(url): \(message), and asked to retry after \(Int(retryAfter.seconds)) s, "
              + "longer than the \(Int(policy.maximumRetryAfter.seconds)) s this tool waits")
        }
        do {
          try await clock.sleep(for: policy.delay(beforeRetry: retry, retryAfter: retryAfter))
        } catch {
          throw failure("cancelled while waiting to retry; the last attempt: \(message)")
        }
        retry += 1
      }
    }
  }

  /// One attempt, within the per-attempt deadline (which covers reading the body too).
  private func attempt(_ request: HTTPClientRequest) async -> Outcome {
    let timeout = max(limits.timeoutSeconds, 0.001)
    let timeoutText = "no complete answer within \(formatSeconds(timeout)) s (timed out)"
    let response: Answer?
    do {
      response = try await withThrowingTaskGroup(of: Answer?.self) { group in
        group.addTask {
          let answer = try await self.client.execute(
            request, timeout: .nanoseconds(Int64(timeout * 1e9)))
          let body = try await answer.body.collect(upTo: self.policy.maximumResponseBytes)
          return Answer(status: answer.status, headers: answer.headers, body: body)
        }
        group.addTask {
          try await Task.sleep(for: .seconds(timeout))
          return nil
        }
        defer { group.cancelAll() }
        return try await group.next() ?? nil
      }
    } catch {
      if Task.isCancelled { return .retryable("cancelled", retryAfter: nil, rateLimited: false) }
      return Self.classify(error, timeoutText: timeoutText)
    }
    guard let response else { return .retryable(timeoutText, retryAfter: nil, rateLimited: false) }
    let code = Int(response.status.code)
    if (200..<300).contains(code) { return .success(response.body) }
    let summary =
      "HTTP \(code) \(response.status.reasonPhrase): "
      + ResponseText.errorSummary(response.body.readableBytesView)
    let retryAfter = response.headers.first(name: "retry-after").flatMap { RetryAfter.parse($0) }
    switch code {
    case 429: return .retryable(summary, retryAfter: retryAfter, rateLimited: true)
    case 503: return .retryable(summary, retryAfter: retryAfter, rateLimited: false)
    case 408, 500...599: return .retryable(summary, retryAfter: nil, rateLimited: false)
    default: return .fatal(summary + " (not retried)")
    }
  }

  /// Whether a transport error is worth retrying: timeouts and connection failures are; a bad
  /// URL, a shut-down client or an oversized body are not.
  private static func classify(_ error: any Error, timeoutText: String) -> Outcome {
    if error is NIOTooManyBytesError {
      return .fatal("the response body is larger than this tool accepts")
    }
    if let error = error as? HTTPClientError {
      let timeouts: [HTTPClientError] = [
        .deadlineExceeded, .readTimeout, .writeTimeout, .connectTimeout, .tlsHandshakeTimeout,
        .getConnectionFromPoolTimeout,
      ]
      if timeouts.contains(error) {
        return .retryable(timeoutText, retryAfter: nil, rateLimited: false)
      }
      let fatal: [HTTPClientError] = [
        .invalidURL, .emptyHost, .emptyScheme, .alreadyShutdown, .missingSocketPath,
      ]
      if fatal.contains(error) { return .fatal("cannot send the request: \(error)") }
    }
    return .retryable(
      "the connection failed or was dropped: \(error)", retryAfter: nil, rateLimited: false)
  }

  private func formatSeconds(_ seconds: Double) -> String {
    CanonicalJSON.format(seconds) ?? "\(seconds)"
  }
}
