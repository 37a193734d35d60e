import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// A real HTTP server on 127.0.0.1 that stands in for GitHub's REST API: commit statuses, check
/// runs and issue comments. It checks every request against the shape GitHub documents for it
/// (required fields, allowed values, limits, headers) and records what it accepted, so a test can
/// see the status, the check run and the one comment a gate left.
public final class LoopbackGitHubServer: Sendable {
  /// One request as received.
  public struct Request: Sendable {
    public let method: String
    public let path: String
    public let authorization: String?
    public let accept: String?
    public let rawBody: String

    /// The body as a JSON object.
    public var body: [String: Any]? {
      (try? JSONSerialization.jsonObject(with: Data(rawBody.utf8))) as? [String: Any]
    }

    /// The body's `key` as a string.
    public func string(_ key: String) -> String? { body?[key] as? String }
  }

  /// A comment as stored.
  public struct Comment: Sendable {
    public let id: Int
    public let issue: Int
    public let body: String
  }

  struct Store {
    var requests: [Request] = []
    var violations: [String] = []
    var comments: [Comment] = []
    var nextID = 1000
    var forbidden = false
  }

  /// The port, and the API URL to give as `GITHUB_API_URL`.
  public let port: Int
  public let apiURL: String
  /// The token requests must carry.
  public let token: String
  private let group: MultiThreadedEventLoopGroup
  private let store: NIOLockedValueBox<Store>

  /// Starts a server expecting `token`.
  public init(token: String) throws {
    let store = NIOLockedValueBox(Store())
    let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    let bootstrap = ServerBootstrap(group: group)
      .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
      .childChannelInitializer { channel in
        channel.eventLoop.makeCompletedFuture {
          try channel.pipeline.syncOperations.configureHTTPServerPipeline()
          try channel.pipeline.syncOperations.addHandler(
            GitHubHandler(store: store, token: token))
        }
      }
    let channel = try bootstrap.bind(host: "127.0.0.1", port: 0).wait()
    self.group = group
    self.store = store
    self.token = token
    port = channel.localAddress?.port ?? 0
    apiURL = "http://127.0.0.1:\(port)"
  }

  deinit { try? group.syncShutdownGracefully() }

  /// Answers every write with 403, as GitHub does for a fork's read-only token.
  public func forbidWrites() { store.withLockedValue { $0.forbidden = true } }

  /// Every request received.
  public var requests: [Request] { store.withLockedValue { $0.requests } }
  /// Every way a request departed from GitHub's documented shape.
  public var violations: [String] { store.withLockedValue { $0.violations } }
  /// The comments, as they stand.
  public var comments: [Comment] { store.withLockedValue { $0.comments } }
}

/// Reads whole requests and answers them from the store.
final class GitHubHandler: ChannelInboundHandler, @unchecked Sendable {
  typealias InboundIn = HTTPServerRequestPart
  typealias OutboundOut = HTTPServerResponsePart

  let store: NIOLockedValueBox<LoopbackGitHubServer.Store>
  let token: String
  private var head: HTTPRequestHead?
  private var body: [UInt8] = []

  init(store: NIOLockedValueBox<LoopbackGitHubServer.Store>, token: String) {
    self.store = store
    self.token = token
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    switch unwrapInboundIn(data) {
    case .head(let value):
      head = value
      body = []
    case .body(let buffer): body += buffer.readableBytesView
    case .end:
      guard let head else { return }
      let (status, answer) = route(head)
      var headers = HTTPHeaders()
      headers.add(name: "content-type", value: "application/json")
      headers.add(name: "content-length", value: String(answer.utf8.count))
      context.write(
        wrapOutboundOut(
          .head(HTTPResponseHead(version: head.version, status: status, headers: headers))),
        promise: nil)
      context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: answer)))), promise: nil)
      context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }
  }

  private func route(_ head: HTTPRequestHead) -> (HTTPResponseStatus, String) {
    let text = String(decoding: body, as: UTF8.self)
    let json =
      body.isEmpty ? nil : (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
    let request = LoopbackGitHubServer.Request(
      method: head.method.rawValue, path: head.uri,
      authorization: head.headers.first(name: "authorization"),
      accept: head.headers.first(name: "accept"), rawBody: text)
    let path = String(head.uri.split(separator: "?").first ?? "")
    let parts = path.split(separator: "/").map(String.init)
    return store.withLockedValue { store -> (HTTPResponseStatus, String) in
      store.requests.append(request)
      var problems: [String] = []
      if request.authorization != "Bearer \(token)" { problems.append("missing or wrong token") }
      if request.accept != "application/vnd.github+json" {
        problems.append("Accept is not application/vnd.github+json")
      }
      if head.method != .GET, json == nil { problems.append("the body is not a JSON object") }
      if store.forbidden, head.method != .GET {
        return (.forbidden, #"{"message": "Resource not accessible by integration"}"#)
      }
      var status = HTTPResponseStatus.created
      var answer = "{}"
      // /repos/{owner}/{repo}/...
      switch (head.method, parts.count >= 3 ? Array(parts.dropFirst(3)) : []) {
      case (.POST, let rest) where rest.count == 2 && rest[0] == "statuses":
        problems += Self.checkStatus(json ?? [:])
        answer = #"{"id": 1, "state": "\#(json?["state"] as? String ?? "")"}"#
      case (.POST, ["check-runs"]):
        problems += Self.checkCheckRun(json ?? [:])
        answer = #"{"id": 2}"#
      case (.GET, let rest) where rest.count == 3 && rest[0] == "issues" && rest[2] == "comments":
        let issue = Int(rest[1]) ?? -1
        let list = store.comments.filter { $0.issue == issue }.map {
          ["id": $0.id, "body": $0.body] as [String: Any]
        }
        status = .ok
        answer = String(
          decoding: (try? JSONSerialization.data(withJSONObject: list)) ?? Data("[]".utf8),
          as: UTF8.self)
      case (.POST, let rest) where rest.count == 3 && rest[0] == "issues" && rest[2] == "comments":
        guard let text = json?["body"] as? String, !text.isEmpty else {
          problems.append("a comment needs a non-empty `body`")
          break
        }
        store.nextID += 1
        store.comments.append(.init(id: store.nextID, issue: Int(rest[1]) ?? -1, body: text))
        answer = #"{"id": \#(store.nextID)}"#
      case (.PATCH, let rest) where rest.count == 3 && rest[0] == "issues" && rest[1] == "comments":
        guard let id = Int(rest[2]), let index = store.comments.firstIndex(where: { $0.id == id })
        else { return (.notFound, #"{"message": "Not Found"}"#) }
        guard let text = json?["body"] as? String, !text.isEmpty else {
          problems.append("a comment update needs a non-empty `body`")
          break
        }
        let old = store.comments[index]
        store.comments[index] = .init(id: old.id, issue: old.issue, body: text)
        status = .ok
        answer = #"{"id": \#(id)}"#
      default:
        problems.append("no such endpoint: \(head.method.rawValue) \(path)")
        status = .notFound
      }
      if !problems.isEmpty {
        store.violations += problems.map { "\(head.method.rawValue) \(path): \($0)" }
        if status != .notFound { status = .unprocessableEntity }
        answer = #"{"message": "Validation Failed"}"#
      }
      return (status, answer)
    }
  }

  /// `POST /repos/{owner}/{repo}/statuses/{sha}`: state is required and one of four values.
  static func checkStatus(_ body: [String: Any]) -> [String] {
    var problems: [String] = []
    if !["error", "failure", "pending", "success"].contains(body["state"] as? String ?? "") {
      problems.append("state must be error, failure, pending or success")
    }
    if let context = body["context"], !(context is String) {
      problems.append("context must be a string")
    }
    if let text = body["description"] as? String, text.count > 140 {
      problems.append("description is longer than 140 characters")
    }
    return problems
  }

  /// `POST /repos/{owner}/{repo}/check-runs`: name and head_sha required; a completed run needs
  /// a conclusion; output needs title and summary; at most 50 annotations, each complete.
  static func checkCheckRun(_ body: [String: Any]) -> [String] {
    var problems: [String] = []
    if (body["name"] as? String ?? "").isEmpty { problems.append("name is required") }
    if (body["head_sha"] as? String ?? "").isEmpty { problems.append("head_sha is required") }
    let conclusions = [
      "action_required", "cancelled", "failure", "neutral", "success", "skipped", "stale",
      "timed_out",
    ]
    if body["status"] as? String == "completed" || body["conclusion"] != nil {
      if !conclusions.contains(body["conclusion"] as? String ?? "") {
        problems.append("a completed check run needs a valid conclusion")
      }
    }
    if let output = body["output"] as? [String: Any] {
      if output["title"] as? String == nil || output["summary"] as? String == nil {
        problems.append("output needs title and summary")
      }
      if let summary = output["summary"] as? String, summary.utf8.count > 65_535 {
        problems.append("output.summary is longer than 65535 characters")
      }
      let annotations = output["annotations"] as? [[String: Any]] ?? []
      if annotations.count > 50 { problems.append("more than 50 annotations in one request") }
      for annotation in annotations {
        for key in ["path", "start_line", "end_line", "annotation_level", "message"]
        where annotation[key] == nil {
          problems.append("an annotation lacks \(key)")
        }
        if !["notice", "warning", "failure"].contains(
          annotation["annotation_level"] as? String ?? "")
        {
          problems.append("annotation_level must be notice, warning or failure")
        }
      }
    }
    return problems
  }
}
