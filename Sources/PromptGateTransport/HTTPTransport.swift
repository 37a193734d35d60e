import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import PromptGateCore

/// The one HTTP transport every client of PromptGate uses (the model providers, GitHub, and the
/// clients to come): one client configuration, one attempt with a deadline and a body limit,
/// one classification of failures into "retry" and "fail now", and the one retry loop of
/// ``RetryPolicy``. Callers add only what their API means by a status.
public enum HTTPTransport {
  /// A response read whole.
  public struct Answer: Sendable {
    public let status: HTTPResponseStatus
    public let headers: HTTPHeaders
    public let body: ByteBuffer

    /// The status code as an integer.
    public var code: Int { Int(status.code) }
    /// The `Retry-After` the answer asked for, parsed without trusting it (see ``RetryAfter``).
    public var retryAfter: Duration? {
      headers.first(name: "retry-after").flatMap { RetryAfter.parse($0) }
    }
  }

  /// The client configuration for every client: enough pooled connections per host for
  /// `concurrency` calls at once (the default keeps 8, and calls beyond those would wait in
  /// the pool, on their attempt's clock), gzip answers accepted, and a refused connection
  /// reported at once instead of retried inside the client until the deadline.
  public static func configuration(concurrency: Int = 8) -> HTTPClient.Configuration {
    var configuration = HTTPClient.Configuration(decompression: .enabled(limit: .ratio(25)))
    configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = max(concurrency, 8)
    configuration.connectionPool.retryConnectionEstablishment = false
    return configuration
  }

  /// A client with ``configuration(concurrency:)``; shut it down when done.
  public static func makeClient(concurrency: Int = 8) -> HTTPClient {
    HTTPClient(
      eventLoopGroupProvider: .singleton, configuration: configuration(concurrency: concurrency))
  }

  /// One attempt of `request`, within `timeout` seconds (which covers reading the body too),
  /// reading at most `maximumBytes`. Timeouts and dropped connections are worth retrying; a
  /// refused connection, a host that does not resolve, a bad URL and an oversized body are not.
  /// The answer comes back whatever its status: ``classify(_:)`` gives the usual meaning.
  public static func attempt(
    _ request: HTTPClientRequest, client: HTTPClient, timeout: Double, maximumBytes: Int
  ) async -> Attempt<Answer> {
    let timeout = min(max(timeout, 0.001), 86_400)
    let timeoutText = "no complete answer within \(format(timeout)) s (timed out)"
    let answer: Answer?
    do {
      answer = try await withThrowingTaskGroup(of: Answer?.self) { group in
        group.addTask {
          let response = try await client.execute(
            request, timeout: .nanoseconds(Int64(timeout * 1e9)))
          let body = try await response.body.collect(upTo: maximumBytes)
          return Answer(status: response.status, headers: response.headers, body: body)
        }
        group.addTask {
          try await Task.sleep(for: .seconds(timeout))
          return nil
        }
        defer { group.cancelAll() }
        return try await group.next() ?? nil
      }
    } catch {
      if Task.isCancelled { return .fail("cancelled") }
      return classify(error: error, timeoutText: timeoutText, target: target(of: request.url))
    }
    guard let answer else { return .retry(timeoutText) }
    return .success(answer)
  }

  /// The usual meaning of an answer: 2xx succeeds; 429, 503 (honouring `Retry-After`), 408 and
  /// other 5xx are retried; anything else fails now. `summary` describes a failed answer's body.
  public static func classify(_ answer: Answer, summary: String) -> Attempt<Answer> {
    let code = answer.code
    if (200..<300).contains(code) { return .success(answer) }
    let text = "HTTP \(code) \(answer.status.reasonPhrase): \(summary)"
    switch code {
    case 429, 503: return .retry(text, retryAfter: answer.retryAfter)
    case 408, 500...599: return .retry(text)
    default: return .fail(text + " (not retried)")
    }
  }

  /// Whether a transport error is worth retrying.
  static func classify(error: any Error, timeoutText: String, target: String) -> Attempt<Answer> {
    if error is NIOTooManyBytesError {
      return .fail("the response body is larger than this tool accepts")
    }
    if let error = error as? HTTPClientError {
      let timeouts: [HTTPClientError] = [
        .deadlineExceeded, .readTimeout, .writeTimeout, .connectTimeout, .tlsHandshakeTimeout,
        .getConnectionFromPoolTimeout,
      ]
      if timeouts.contains(error) { return .retry(timeoutText) }
      let fatal: [HTTPClientError] = [
        .invalidURL, .emptyHost, .emptyScheme, .alreadyShutdown, .missingSocketPath,
      ]
      if fatal.contains(error) { return .fail("cannot send the request: \(error)") }
    }
    if let reason = unreachable(error, target: target) { return .fail(reason) }
    return .retry("the connection failed or was dropped: \(error)")
  }

  /// A readable reason when `error` says the host cannot be reached at all (it does not
  /// resolve, or nothing listens there): retrying would only make the user wait.
  static func unreachable(_ error: any Error, target: String) -> String? {
    if let error = error as? NIOConnectionError {
      if error.connectionErrors.isEmpty, error.dnsAError != nil || error.dnsAAAAError != nil {
        return "cannot connect to \(error.host): the host name does not resolve"
      }
      let reasons = error.connectionErrors.compactMap { failure -> String? in
        (failure.error as? IOError).map { String(cString: strerror($0.errnoCode)) }
      }
      let reason = reasons.first ?? "the connection failed"
      return "cannot connect to \(error.host):\(error.port): \(reason.lowercased())"
    }
    if let error = error as? IOError,
      [ECONNREFUSED, EHOSTUNREACH, ENETUNREACH].contains(error.errnoCode)
    {
      return
        "cannot connect to \(target): \(String(cString: strerror(error.errnoCode)).lowercased())"
    }
    if let error = error as? SocketAddressError, case .unknown(let host, let port) = error {
      return "cannot connect to \(host):\(port): the host name does not resolve"
    }
    return nil
  }

  /// `host:port` of `url`, for messages (never its user information or path).
  static func target(of url: String) -> String {
    guard let components = URLComponents(string: url), let host = components.host else {
      return "the server"
    }
    let port = components.port ?? (components.scheme?.lowercased() == "https" ? 443 : 80)
    return "\(host):\(port)"
  }

  private static func format(_ seconds: Double) -> String {
    CanonicalJSON.format(seconds) ?? "\(seconds)"
  }
}
