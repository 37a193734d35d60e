import NIOCore
import NIOHTTP1
import NIOPosix

/// A real HTTP/1.1 server on 127.0.0.1 that speaks OpenAI chat completions
/// (`POST /v1/chat/completions`, also `/chat/completions`) and Anthropic messages
/// (`POST /v1/messages`), with scripted deterministic answers and injectable faults.
///
/// It binds an ephemeral port on the loopback address only, records every request it receives,
/// and tracks how many are in flight. Latency is a timer on the event loop, so thousands of
/// slow requests cost no threads. It stops with ``stop()``, ``shutdown()``, or when released;
/// ``withServer(_:body:)`` scopes one to a block. It uses no test framework, so a benchmark
/// executable can use it too.
public final class LoopbackLLMServer: Sendable {
  /// The port it listens on.
  public let port: Int
  /// `http://127.0.0.1:PORT`: the base URL for an Anthropic provider.
  public let baseURL: String
  /// `http://127.0.0.1:PORT/v1`: the base URL for an OpenAI provider.
  public var openAIBaseURL: String { baseURL + "/v1" }

  private let group: MultiThreadedEventLoopGroup
  private let channel: any Channel
  private let state: LoopbackState

  /// Starts a server answering with `responder` (by default, echoing the user message) on
  /// `threads` event loop threads.
  public init(threads: Int = 1, responder: @escaping LoopbackResponder = ScriptedAnswer.echo)
    throws
  {
    let state = LoopbackState(responder: responder)
    let group = MultiThreadedEventLoopGroup(numberOfThreads: max(threads, 1))
    let bootstrap = ServerBootstrap(group: group)
      .serverChannelOption(ChannelOptions.backlog, value: 1024)
      .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
      .childChannelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
      .childChannelInitializer { channel in
        channel.eventLoop.makeCompletedFuture {
          try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
          try channel.pipeline.syncOperations.addHandler(LoopbackHandler(state: state))
        }
      }
    do {
      channel = try bootstrap.bind(host: "127.0.0.1", port: 0).wait()
    } catch {
      try? group.syncShutdownGracefully()
      throw error
    }
    self.group = group
    self.state = state
    port = channel.localAddress?.port ?? 0
    baseURL = "http://127.0.0.1:\(port)"
  }

  deinit {
    if state.markStopped() { group.shutdownGracefully { _ in } }
  }

  /// Closes every connection and stops the event loop threads, waiting for them; idempotent.
  /// Not for an event loop thread; from async code prefer ``shutdown()``.
  public func stop() {
    guard state.markStopped() else { return }
    try? group.syncShutdownGracefully()
  }

  /// Closes every connection and stops the event loop threads; idempotent.
  public func shutdown() async {
    guard state.markStopped() else { return }
    try? await group.shutdownGracefully()
  }

  /// Runs `body` with a new server set up by `configure`, and stops the server afterwards,
  /// whether `body` returns or throws.
  public static func withServer<T>(
    _ configure: (LoopbackLLMServer) throws -> Void = { _ in },
    body: (LoopbackLLMServer) async throws -> T
  ) async throws -> T {
    let server = try LoopbackLLMServer()
    do {
      try configure(server)
      let result = try await body(server)
      await server.shutdown()
      return result
    } catch {
      await server.shutdown()
      throw error
    }
  }

  // MARK: Script and faults

  /// Milliseconds added before every answer (faults included, hangs and drops excepted).
  public var latencyMs: Int {
    get { state.latency }
    set { state.latency = newValue }
  }

  /// Answers from now on with `responder`.
  public func setResponder(_ responder: @escaping LoopbackResponder) {
    state.setResponder(responder)
  }

  /// Acts out `fault` on the next `count` chat requests, after any faults already queued.
  public func inject(_ fault: LoopbackFault, count: Int = 1) {
    state.append(fault, count: count)
  }

  /// Forgets the faults not yet acted out.
  public func clearFaults() { state.clearFaults() }

  /// The faults still queued.
  public var pendingFaults: [LoopbackFault] { state.pendingFaults }

  // MARK: Records

  /// Every request received, in order of arrival.
  public var requests: [RecordedRequest] { state.requests }

  /// How many requests have been received.
  public var requestCount: Int { state.requests.count }

  /// Requests received and not yet answered (hung ones until their connection closes).
  public var inFlight: Int { state.currentInFlight }

  /// The most requests in flight at once since the start or the last ``resetRecords()``.
  public var maxInFlight: Int { state.highestInFlight }

  /// Forgets the requests received and restarts the in-flight high-water mark.
  public func resetRecords() { state.clearRecords() }
}
