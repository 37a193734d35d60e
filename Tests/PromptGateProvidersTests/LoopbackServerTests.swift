import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import TestSupport
import Testing

@Suite("Loopback LLM server")
struct LoopbackServerTests {
  /// A plain client for talking to the server directly.
  private struct RawClient {
    let client: HTTPClient

    /// Sends `body` to `path` on `port`; the status and body text.
    func send(
      _ path: String, method: HTTPMethod = .POST, port: Int, body: String = "{}"
    ) async throws -> (status: Int, text: String) {
      var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
      request.method = method
      request.body = .bytes(Array(body.utf8))
      let response = try await client.execute(request, timeout: .seconds(2))
      let bytes = try await response.body.collect(upTo: 1 << 20)
      return (Int(response.status.code), String(buffer: bytes))
    }
  }

  /// Runs `body` with a client that fails at once when nothing listens (the shared client keeps
  /// trying to connect), shutting it down afterwards.
  private func withClient(_ body: (RawClient) async throws -> Void) async throws {
    var configuration = HTTPClient.Configuration()
    configuration.connectionPool.retryConnectionEstablishment = false
    let client = HTTPClient(
      eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    do {
      try await body(RawClient(client: client))
      try await client.shutdown()
    } catch {
      try? await client.shutdown()
      throw error
    }
  }

  @Test func bindsTheLoopbackAddressAndAnswersBothAPIs() async throws {
    try await withClient { raw in
      try await LoopbackLLMServer.withServer { server in
        #expect(server.port > 0)
        #expect(server.baseURL == "http://127.0.0.1:\(server.port)")
        let chat = #"{"model": "m", "messages": [{"role": "user", "content": "hi there"}]}"#
        let openAI = try await raw.send("/v1/chat/completions", port: server.port, body: chat)
        #expect(openAI.status == 200)
        #expect(openAI.text.contains(#""content":"echo: hi there""#))
        let anthropic = try await raw.send("/v1/messages", port: server.port, body: chat)
        #expect(anthropic.status == 200)
        #expect(anthropic.text.contains(#""type":"text""#))
        #expect(try await raw.send("/v1/embeddings", port: server.port).status == 404)
        #expect(
          try await raw.send("/v1/messages", method: .GET, port: server.port, body: "").status
            == 404)
        #expect(try await raw.send("/v1/messages", port: server.port, body: "[").status == 400)
        #expect(
          server.requests.map(\.path) == [
            "/v1/chat/completions", "/v1/messages", "/v1/embeddings", "/v1/messages",
            "/v1/messages",
          ])
        #expect(server.requests[0].json?["model"] as? String == "m")
        #expect(server.inFlight == 0)
      }
    }
  }

  @Test func actsOutQueuedFaultsInOrder() async throws {
    try await withClient { raw in
      let configure: (LoopbackLLMServer) -> Void = { server in
        server.inject(.rateLimited(retryAfter: "1"))
        server.inject(.serverError, count: 2)
      }
      try await LoopbackLLMServer.withServer(configure) { server in
        let chat = #"{"messages": []}"#
        let first = try await raw.send("/chat/completions", port: server.port, body: chat)
        #expect(first.status == 429)
        #expect(server.requests.count == 1)
        let second = try await raw.send("/chat/completions", port: server.port, body: chat)
        #expect(second.status == 500)
        #expect(server.pendingFaults == [.serverError])
        server.clearFaults()
        let third = try await raw.send("/chat/completions", port: server.port, body: chat)
        #expect(third.status == 200)
      }
    }
  }

  @Test func stopsWhenDoneOrReleased() async throws {
    try await withClient { raw in
      let port = try await LoopbackLLMServer.withServer { $0.port }
      await #expect(throws: (any Error).self) { _ = try await raw.send("/v1/messages", port: port) }
      var server: LoopbackLLMServer? = try LoopbackLLMServer()
      let stopped = try #require(server?.port)
      #expect(
        try await raw.send("/v1/messages", port: stopped, body: #"{"messages":[]}"#).status == 200)
      await server?.shutdown()
      server?.stop()
      await #expect(throws: (any Error).self) {
        _ = try await raw.send("/v1/messages", port: stopped)
      }
      server = try LoopbackLLMServer()
      let released = try #require(server?.port)
      server = nil
      try await Task.sleep(for: .milliseconds(200))
      await #expect(throws: (any Error).self) {
        _ = try await raw.send("/v1/messages", port: released)
      }
    }
  }
}
