import NIOCore
import NIOHTTP1

/// One connection of the loopback server: reads whole requests, then answers each as its plan
/// says, after the configured latency (a timer on the event loop, never a sleeping thread).
final class LoopbackHandler: ChannelInboundHandler, RemovableChannelHandler {
  typealias InboundIn = HTTPServerRequestPart
  typealias OutboundOut = HTTPServerResponsePart

  private let state: LoopbackState
  private var head: HTTPRequestHead?
  private var body: [UInt8] = []
  /// Whether a request on this connection has been counted in flight and not yet answered.
  private var pending = false

  init(state: LoopbackState) {
    self.state = state
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    switch unwrapInboundIn(data) {
    case .head(let requestHead):
      head = requestHead
      body = []
    case .body(let buffer):
      body += buffer.readableBytesView
    case .end:
      if let head { handle(head, context: context) }
      head = nil
    }
  }

  func channelInactive(context: ChannelHandlerContext) {
    finish()
    context.fireChannelInactive()
  }

  func errorCaught(context: ChannelHandlerContext, error: any Error) {
    finish()
    context.close(promise: nil)
  }

  private func handle(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
    let record = RecordedRequest(
      method: head.method.rawValue, path: head.uri,
      headers: head.headers.map { (name: $0.name, value: $0.value) }, body: body)
    let api = head.method == .POST ? LoopbackWire.api(forPath: head.uri) : nil
    let plan = state.begin(record, isChat: api != nil)
    pending = true
    let keepAlive = head.isKeepAlive
    guard let api else {
      let message = "no route for \(head.method.rawValue) \(head.uri)"
      respond(
        .notFound, LoopbackWire.errorBody(message, type: "not_found_error"), [], keepAlive, context)
      return
    }
    let status: HTTPResponseStatus
    var headers: [(String, String)] = []
    let bytes: [UInt8]
    switch plan.fault {
    case .hang?:
      return  // counted in flight until the client gives up and the connection closes
    case .dropConnection?:
      finish()
      context.close(promise: nil)
      return
    case .rateLimited(let retryAfter)?:
      status = .tooManyRequests
      if let retryAfter { headers.append(("retry-after", retryAfter)) }
      bytes = LoopbackWire.errorBody("rate limit reached, slow down", type: "rate_limit_error")
    case .serverError?:
      status = .internalServerError
      bytes = LoopbackWire.errorBody("the loopback server failed", type: "api_error")
    case .status(let code, let text)?:
      status = HTTPResponseStatus(statusCode: code)
      bytes = Array(text.utf8)
    case .drip(let interval)?:
      let chat = LoopbackWire.chatRequest(body, api: api)
      let answer = chat.map {
        LoopbackWire.answerBody(plan.responder($0), to: $0, serial: plan.serial)
      }
      drip(answer ?? Array("{}".utf8), every: interval, context)
      return
    case .malformedBody?:
      status = .ok
      bytes = Array("<html>this is not json".utf8)
    case .unexpectedJSON?:
      status = .ok
      bytes = Array(#"{"object":"nothing","result":[]}"#.utf8)
    case nil:
      guard let chat = LoopbackWire.chatRequest(body, api: api) else {
        status = .badRequest
        bytes = LoopbackWire.errorBody(
          "the body is not a JSON object", type: "invalid_request_error")
        break
      }
      status = .ok
      bytes = LoopbackWire.answerBody(plan.responder(chat), to: chat, serial: plan.serial)
    }
    guard plan.latencyMs > 0 else {
      respond(status, bytes, headers, keepAlive, context)
      return
    }
    context.eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(Int64(plan.latencyMs))) {
      self.respond(status, bytes, headers, keepAlive, context)
    }
  }

  private func respond(
    _ status: HTTPResponseStatus, _ bytes: [UInt8], _ extraHeaders: [(String, String)],
    _ keepAlive: Bool, _ context: ChannelHandlerContext
  ) {
    guard context.channel.isActive else {
      finish()
      return
    }
    var headers = HTTPHeaders()
    headers.add(name: "content-type", value: "application/json")
    headers.add(name: "content-length", value: String(bytes.count))
    headers.add(name: "connection", value: keepAlive ? "keep-alive" : "close")
    for (name, value) in extraHeaders { headers.add(name: name, value: value) }
    let responseHead = HTTPResponseHead(version: .http1_1, status: status, headers: headers)
    // Out of flight before the answer leaves: a client that has read it sees the count at zero.
    finish()
    context.write(wrapOutboundOut(.head(responseHead)), promise: nil)
    context.write(
      wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: bytes)))),
      promise: nil)
    let written = context.writeAndFlush(wrapOutboundOut(.end(nil)))
    if !keepAlive {
      written.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
    }
  }

  /// Sends a 200 head, then `bytes` one at a time, `interval` milliseconds apart, until they are
  /// sent or the client closes the connection.
  private func drip(_ bytes: [UInt8], every interval: Int, _ context: ChannelHandlerContext) {
    var headers = HTTPHeaders()
    headers.add(name: "content-type", value: "application/json")
    headers.add(name: "content-length", value: String(bytes.count))
    finish()
    context.writeAndFlush(
      wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))),
      promise: nil)
    func send(_ index: Int) {
      guard context.channel.isActive else { return }
      guard index < bytes.count else {
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        return
      }
      context.writeAndFlush(
        wrapOutboundOut(
          .body(.byteBuffer(context.channel.allocator.buffer(bytes: [bytes[index]])))),
        promise: nil)
      context.eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(Int64(interval))) {
        send(index + 1)
      }
    }
    send(0)
  }

  private func finish() {
    guard pending else { return }
    pending = false
    state.end()
  }
}
