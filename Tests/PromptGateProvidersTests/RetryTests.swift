import Foundation
import PromptGateCore
import PromptGateProviders
import TestSupport
import Testing

@Suite("Retries, timeouts and failures")
struct RetryTests {
  @Test func retriesARateLimitAfterRetryAfter() async throws {
    try await withLoopback { server, fixture in
      server.inject(.rateLimited(retryAfter: "1"))
      let provider = try fixture.provider(ProviderFixture.definition(.openai, server: server))
      let clock = ContinuousClock()
      let start = clock.now
      let output = try await provider.complete(fixture.request())
      #expect(clock.now - start >= .seconds(1))
      #expect(output.latencyMs >= 1000)
      #expect(output.output == "echo: Q: What is 2+2?")
      #expect(server.requestCount == 2)
    }
  }

  @Test func retriesServerErrorsThenSucceeds() async throws {
    try await withLoopback { server, fixture in
      server.inject(.serverError, count: 2)
      let provider = try fixture.provider(
        ProviderFixture.definition(.anthropic, server: server, retries: 2))
      let output = try await provider.complete(fixture.request())
      #expect(output.output == "echo: Q: What is 2+2?")
      #expect(server.requestCount == 3)
    }
  }

  @Test func retriesAHangThenFailsWithATimeout() async throws {
    try await withLoopback { server, fixture in
      server.inject(.hang, count: 5)
      let provider = try fixture.provider(
        ProviderFixture.definition(.openai, server: server, timeout: 0.3, retries: 1))
      let clock = ContinuousClock()
      let start = clock.now
      let error = await providerError { _ = try await provider.complete(fixture.request()) }
      let elapsed = clock.now - start
      let message = try #require(error?.message)
      #expect(message.contains("timed out"))
      #expect(message.contains("2 attempts"))
      #expect(server.requestCount == 2)
      #expect(elapsed >= .milliseconds(600))
    }
  }

  @Test func retriesAHangThenSucceeds() async throws {
    try await withLoopback { server, fixture in
      server.inject(.hang)
      // Long enough that the answer to the retry arrives in time on a loaded machine.
      let provider = try fixture.provider(
        ProviderFixture.definition(.openai, server: server, timeout: 1.5, retries: 1))
      let output = try await provider.complete(fixture.request())
      #expect(output.output.hasPrefix("echo:"))
      #expect(output.latencyMs >= 1500)
    }
  }

  @Test func retriesADroppedConnection() async throws {
    try await withLoopback { server, fixture in
      server.inject(.dropConnection)
      let provider = try fixture.provider(ProviderFixture.definition(.anthropic, server: server))
      let output = try await provider.complete(fixture.request())
      #expect(output.output.hasPrefix("echo:"))
      #expect(server.requestCount == 2)
    }
  }

  @Test func reportsAMalformedBodyWithoutRetrying() async throws {
    try await withLoopback { server, fixture in
      server.inject(.malformedBody)
      let provider = try fixture.provider(ProviderFixture.definition(.openai, server: server))
      let error = await providerError { _ = try await provider.complete(fixture.request()) }
      #expect(error?.message.contains("not JSON") == true)
      server.inject(.unexpectedJSON)
      let second = await providerError { _ = try await provider.complete(fixture.request()) }
      #expect(second?.message.contains("choices[0].message") == true)
      #expect(server.requestCount == 2)
    }
  }

  @Test func doesNotRetryAClientError() async throws {
    try await withLoopback { server, fixture in
      server.inject(.status(400, body: #"{"error": {"message": "model 'x' does not exist"}}"#))
      let provider = try fixture.provider(
        ProviderFixture.definition(.openai, server: server, retries: 3))
      let error = await providerError { _ = try await provider.complete(fixture.request()) }
      let message = try #require(error?.message)
      #expect(message.contains("400"))
      #expect(message.contains("model 'x' does not exist"))
      #expect(message.contains("not retried"))
      #expect(server.requestCount == 1)
    }
  }

  @Test func truncatesLongErrorBodies() async throws {
    try await withLoopback { server, fixture in
      server.inject(.status(404, body: String(repeating: "x", count: 5000)))
      let provider = try fixture.provider(ProviderFixture.definition(.openai, server: server))
      let error = await providerError { _ = try await provider.complete(fixture.request()) }
      let message = try #require(error?.message)
      #expect(message.contains("404"))
      #expect(message.count < 600)
    }
  }

  @Test func givesUpWhenRetriesAreExhausted() async throws {
    try await withLoopback { server, fixture in
      server.inject(.serverError, count: 10)
      let provider = try fixture.provider(
        ProviderFixture.definition(.anthropic, server: server, retries: 2))
      let error = await providerError { _ = try await provider.complete(fixture.request()) }
      let message = try #require(error?.message)
      #expect(message.contains("3 attempts"))
      #expect(message.contains("HTTP 500"))
      #expect(message.contains("the loopback server failed"))
      #expect(server.requestCount == 3)
    }
  }

  @Test func refusesARetryAfterLongerThanThePolicyAllows() async throws {
    try await withLoopback { server, fixture in
      server.inject(.rateLimited(retryAfter: "3600"))
      let provider = try fixture.provider(ProviderFixture.definition(.openai, server: server))
      let error = await providerError { _ = try await provider.complete(fixture.request()) }
      #expect(error?.message.contains("3600 s") == true)
      #expect(server.requestCount == 1)
    }
  }

  @Test func aCancelledCallFreesItsSlot() async throws {
    try await withLoopback { server, fixture in
      server.inject(.hang)
      let provider = try fixture.provider(
        ProviderFixture.definition(.openai, server: server, concurrency: 1, timeout: 10))
      let request = fixture.request()
      let hung = Task { try await provider.complete(request) }
      while server.requestCount == 0 { try await Task.sleep(for: .milliseconds(10)) }
      hung.cancel()
      let error = await providerError { _ = try await hung.value }
      #expect(error?.message.contains("cancelled") == true)
      let output = try await provider.complete(request)
      #expect(output.output.hasPrefix("echo:"))
      #expect(output.latencyMs < 5000)
    }
  }

  @Test func keepsCallsInFlightWithinTheConcurrencyLimit() async throws {
    try await withLoopback { server, fixture in
      server.latencyMs = 100
      let provider = try fixture.provider(
        ProviderFixture.definition(.openai, server: server, concurrency: 3))
      let request = fixture.request()
      try await withThrowingTaskGroup(of: Void.self) { group in
        for _ in 0..<12 { group.addTask { _ = try await provider.complete(request) } }
        try await group.waitForAll()
      }
      #expect(server.requestCount == 12)
      #expect(server.maxInFlight == 3)
    }
  }

  @Test func servesManyConcurrentSlowCalls() async throws {
    try await withLoopback { server, fixture in
      server.latencyMs = 200
      let provider = try fixture.provider(
        ProviderFixture.definition(.anthropic, server: server, concurrency: 32, timeout: 5))
      let request = fixture.request()
      let clock = ContinuousClock()
      let start = clock.now
      let outputs = try await withThrowingTaskGroup(of: String.self) { group in
        for _ in 0..<320 { group.addTask { try await provider.complete(request).output } }
        return try await group.reduce(into: [String]()) { $0.append($1) }
      }
      #expect(outputs.count == 320)
      #expect(server.maxInFlight == 32)

    }
  }
}
