import AsyncHTTPClient
import Foundation
import NIOCore
import PromptGateCore
import TestSupport
import Testing

@testable import PromptGateTransport

@Suite("The one HTTP transport")
struct HTTPTransportTests {
  @Test("a refused connection fails at once: one attempt, one readable reason, no retry")
  func refusedFailsAtOnce() async throws {
    let port = try closedLoopbackPort()
    let client = HTTPTransport.makeClient()
    let request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/v1/chat/completions")
    let attempts = Counter()
    let policy = RetryPolicy(initialBackoff: .milliseconds(10))
    await #expect {
      _ = try await policy.run(label: "POST /v1/chat/completions", retries: 5) { _ in
        attempts.increment()
        return await HTTPTransport.attempt(
          request, client: client, timeout: 10, maximumBytes: 1 << 20)
      }
    } throws: { error in
      guard let failure = error as? RetryFailure else { return false }
      return !failure.retryable && failure.attempts == 1
        && failure.message
          == "POST /v1/chat/completions: cannot connect to 127.0.0.1:\(port): connection refused"
    }
    #expect(attempts.value == 1)
    try await client.shutdown()
  }

  @Test("a host that does not resolve is not retried, and says so")
  func unresolvableIsNotRetried() {
    // Classified from the error NIO reports, so that no name lookup leaves the machine.
    let error = SocketAddressError.unknown(host: "models.example.invalid", port: 443)
    guard
      case .fail(let message) = HTTPTransport.classify(error: error, timeoutText: "", target: "x:1")
    else {
      Issue.record("a name that does not resolve must not be retried")
      return
    }
    #expect(
      message == "cannot connect to models.example.invalid:443: the host name does not resolve")
  }

  @Test("Retry-After: seconds, dates, garbage and absurd values parse without trapping")
  func retryAfterBounds() {
    let now = Date(timeIntervalSince1970: 1_445_412_470)
    #expect(RetryAfter.parse("2") == .seconds(2))
    #expect(RetryAfter.parse("1e300") == .seconds(10 * 365 * 86_400))
    #expect(RetryAfter.parse("-inf") == .zero)
    #expect(RetryAfter.parse("inf") == .seconds(10 * 365 * 86_400))
    #expect(RetryAfter.parse("nan") == nil)
    #expect(
      RetryAfter.parse("Fri, 31 Dec 9999 23:59:59 GMT", now: now) == .seconds(10 * 365 * 86_400))
    #expect(RetryAfter.parse("soon") == nil)
    #expect(RetryAfter.parse(String(repeating: "9", count: 5000)) == nil)
  }

  @Test("a Retry-After longer than the policy's maximum fails the call instead of waiting")
  func longRetryAfterFails() async throws {
    let policy = RetryPolicy(initialBackoff: .milliseconds(1))
    let attempts = Counter()
    await #expect {
      let _: Int = try await policy.run(label: "POST /x", retries: 3) { _ in
        attempts.increment()
        return .retry("HTTP 429 Too Many Requests", retryAfter: RetryAfter.parse("100000"))
      }
    } throws: { error in
      guard let failure = error as? RetryFailure else { return false }
      return failure.retryable
        && failure.message.contains("asked to retry after 100000 s, longer than the 60 s")
    }
    #expect(attempts.value == 1)
  }
}

/// A thread-safe count.
final class Counter: @unchecked Sendable {
  private let lock = NSLock()
  private var count = 0

  var value: Int {
    lock.lock()
    defer { lock.unlock() }
    return count
  }

  func increment() {
    lock.lock()
    defer { lock.unlock() }
    count += 1
  }
}
