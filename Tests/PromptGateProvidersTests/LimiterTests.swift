import Foundation
import PromptGateCore
import Testing

@testable import PromptGateProviders

@Suite("Adaptive concurrency and Retry-After")
struct LimiterTests {
  @Test func halvesOnceARoundOnRateLimitsAndRecoversOnSuccesses() async throws {
    let limiter = AdaptiveLimiter(concurrency: 8)
    var permits: [AdaptiveLimiter.Permit] = []
    for _ in 0..<8 { permits.append(try await limiter.acquire()) }
    #expect(await limiter.effectiveLimit == 8)
    await limiter.release(permits.removeFirst(), .rateLimited(retryAfter: nil))
    #expect(await limiter.effectiveLimit == 4)
    // Another 429 from a call sent before the cut does not cut again.
    await limiter.release(permits.removeFirst(), .rateLimited(retryAfter: nil))
    #expect(await limiter.effectiveLimit == 4)
    // Six calls still in flight, over the limit of 4: a new one waits until two are back.
    let waiter = Task { try await limiter.acquire() }
    try await Task.sleep(for: .milliseconds(50))
    #expect(await limiter.callsInFlight == 6)
    await limiter.release(permits.removeFirst(), .neutral)
    await limiter.release(permits.removeFirst(), .neutral)
    #expect(await limiter.callsInFlight == 4)
    await limiter.release(permits.removeFirst(), .neutral)
    let late = try await waiter.value
    #expect(await limiter.callsInFlight == 4)
    // A 429 for a call sent after the cut cuts again, down to no less than 1.
    await limiter.release(late, .rateLimited(retryAfter: nil))
    #expect(await limiter.effectiveLimit == 2)
    for _ in 0..<3 { await limiter.release(permits.removeFirst(), .success) }
    #expect(await limiter.callsInFlight == 0)
    #expect(await limiter.effectiveLimit == 3)
    for _ in 0..<40 {
      let permit = try await limiter.acquire()
      await limiter.release(permit, .success)
    }
    #expect(await limiter.effectiveLimit == 8)
  }

  @Test func neverGoesBelowOne() async throws {
    let limiter = AdaptiveLimiter(concurrency: 1)
    for _ in 0..<3 {
      let permit = try await limiter.acquire()
      await limiter.release(permit, .rateLimited(retryAfter: nil))
    }
    #expect(await limiter.effectiveLimit == 1)
  }

  @Test func holdsNewCallsUntilARetryAfterHasPassed() async throws {
    let limiter = AdaptiveLimiter(concurrency: 4)
    let first = try await limiter.acquire()
    #expect(first.notBefore == nil)
    await limiter.release(first, .rateLimited(retryAfter: .seconds(2)))
    let second = try await limiter.acquire()
    let wait = try #require(second.notBefore) - .now
    #expect(wait > .seconds(1) && wait <= .seconds(2))
  }

  @Test func cancelsAWaitingCall() async throws {
    let limiter = AdaptiveLimiter(concurrency: 1)
    let held = try await limiter.acquire()
    let waiter = Task { try await limiter.acquire() }
    try await Task.sleep(for: .milliseconds(20))
    waiter.cancel()
    await #expect(throws: CancellationError.self) { _ = try await waiter.value }
    await limiter.release(held, .success)
    #expect(await limiter.callsInFlight == 0)
  }

  @Test func readsRetryAfterSecondsAndDates() {
    let now = Date(timeIntervalSince1970: 1_445_412_470)  // Wed, 21 Oct 2015 07:27:50 GMT
    #expect(RetryAfter.parse("1") == .seconds(1))
    #expect(RetryAfter.parse(" 0.5 ") == .milliseconds(500))
    #expect(RetryAfter.parse("-3") == .zero)
    #expect(RetryAfter.parse("Wed, 21 Oct 2015 07:28:00 GMT", now: now) == .seconds(10))
    #expect(RetryAfter.parse("Wed, 21 Oct 2015 07:27:00 GMT", now: now) == .zero)
    #expect(RetryAfter.parse("soon") == nil)
  }

  @Test func backsOffExponentiallyWithJitterAndHonoursRetryAfter() {
    let policy = RetryPolicy(initialBackoff: .milliseconds(100), maximumBackoff: .seconds(1))
    for retry in 0..<6 {
      let step = min(Duration.milliseconds(100) * (1 << retry), .seconds(1))
      let delay = policy.delay(beforeRetry: retry, retryAfter: nil)
      #expect(delay >= step / 2 && delay <= step)
    }
    let honoured = policy.delay(beforeRetry: 0, retryAfter: .seconds(2))
    #expect(honoured >= .seconds(2) && honoured <= .milliseconds(2100))
  }
}
