import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// A real HTTP/1.1 server on 127.0.0.1 that serves fixed files by path (`GET /v1.2.0/x.tar.gz`)
/// and answers 404 for anything else, recording the paths asked for: a release's download
/// page, for the install script's tests.
///
/// It binds an ephemeral port on the loopback address only, and stops with ``stop()``, when
/// released, or by itself after `lifetime` seconds, whichever comes first.
public final class LoopbackFileServer: Sendable {
  /// `http://127.0.0.1:PORT`.
  public let baseURL: String

  private let group: MultiThreadedEventLoopGroup
  private let stopped = NIOLockedValueBox(false)
  private let asked = NIOLockedValueBox<[String]>([])

  /// Starts a server for `files` (URL path → bytes) that stops after `lifetime` seconds.
  public init(files: [String: [UInt8]], lifetime: Int64 = 120) throws {
    let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    let asked = self.asked
    let bootstrap = ServerBootstrap(group: group)
      .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
      .childChannelInitializer { channel in
        channel.eventLoop.makeCompletedFuture {
          try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
          try channel.pipeline.syncOperations.addHandler(FileHandler(files: files, asked: asked))
        }
      }
    let channel: any Channel
    do {
      channel = try bootstrap.bind(host: "127.0.0.1", port: 0).wait()
    } catch {
      try? group.syncShutdownGracefully()
      throw error
    }
    self.group = group
    baseURL = "http://127.0.0.1:\(channel.localAddress?.port ?? 0)"
    let stopped = self.stopped
    group.next().scheduleTask(in: .seconds(lifetime)) {
      if stopped.withLockedValue({ was in
        defer { was = true }
        return !was
      }) {
        group.shutdownGracefully { _ in }
      }
    }
  }

  deinit { stop(waiting: false) }

  /// The paths requested so far, in order.
  public var requests: [String] { asked.withLockedValue { $0 } }

  /// Closes every connection and stops the event loop thread; idempotent.
  public func stop() { stop(waiting: true) }

  private func stop(waiting: Bool) {
    guard
      stopped.withLockedValue({ was in
        defer { was = true }
        return !was
      })
    else { return }
    if waiting { try? group.syncShutdownGracefully() } else { group.shutdownGracefully { _ in } }
  }
}

private final class FileHandler: ChannelInboundHandler {
  typealias InboundIn = HTTPServerRequestPart
  typealias OutboundOut = HTTPServerResponsePart

  let files: [String: [UInt8]]
  let asked: NIOLockedValueBox<[String]>

  init(files: [String: [UInt8]], asked: NIOLockedValueBox<[String]>) {
    self.files = files
    self.asked = asked
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    guard case .head(let head) = unwrapInboundIn(data) else { return }
    asked.withLockedValue { $0.append(head.uri) }
    let found = head.method == .GET ? files[head.uri] : nil
    let body = found ?? Array("not found: \(head.uri)\n".utf8)
    var headers = HTTPHeaders()
    headers.add(name: "content-length", value: "\(body.count)")
    headers.add(name: "connection", value: "close")
    let status: HTTPResponseStatus = found == nil ? .notFound : .ok
    context.write(
      wrapOutboundOut(
        .head(HTTPResponseHead(version: head.version, status: status, headers: headers))),
      promise: nil)
    var buffer = context.channel.allocator.buffer(capacity: body.count)
    buffer.writeBytes(body)
    context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
    context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
      context.close(promise: nil)
    }
  }
}
