import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import PromptGateCore
import PromptGateTransport

/// GitHub's REST API, as much of it as the gate reports through: commit statuses, check runs and
/// issue comments. The token goes in the Authorization header and nowhere else.
public struct GitHubClient: Sendable {
  /// What went wrong talking to GitHub (never holding the token).
  public struct Failure: Error, CustomStringConvertible, Sendable {
    /// The HTTP status, when there was an answer.
    public let status: Int?
    /// What happened.
    public let description: String
    /// True when GitHub could not be reached at all (a refused connection, a host that does
    /// not resolve): the next call would fail the same way.
    public var unreachable: Bool = false
  }

  let apiURL: String
  let repository: String
  let token: Secret
  let client: HTTPClient
  let attempts: Int
  let policy: RetryPolicy

  /// A client for `repository` (`owner/name`) at `apiURL`, retrying by `policy`.
  public init(
    apiURL: String, repository: String, token: String, client: HTTPClient, attempts: Int = 3,
    policy: RetryPolicy = RetryPolicy(maximumResponseBytes: 8 << 20)
  ) {
    self.apiURL = apiURL.hasSuffix("/") ? String(apiURL.dropLast()) : apiURL
    self.repository = repository
    self.token = Secret(token)
    self.client = client
    self.attempts = max(1, attempts)
    self.policy = policy
  }

  /// A commit status's state.
  public enum State: String, Sendable, CaseIterable {
    case success, failure, error, pending
  }

  /// A completed check run's conclusion.
  public enum Conclusion: String, Sendable, CaseIterable {
    case success, failure, neutral
  }

  /// Creates a commit status (`POST /repos/{owner}/{repo}/statuses/{sha}`).
  public func createStatus(
    sha: String, state: State, context: String, description: String, targetURL: String? = nil
  ) async throws(Failure) {
    var body: [String: JSONValue] = [
      "state": .string(state.rawValue), "context": .string(context),
      "description": .string(String(description.prefix(140))),
    ]
    if let targetURL { body["target_url"] = .string(targetURL) }
    _ = try await send(.POST, "/repos/\(repository)/statuses/\(sha)", body: .object(body))
  }

  /// Creates a completed check run (`POST /repos/{owner}/{repo}/check-runs`).
  public func createCheckRun(
    name: String, sha: String, conclusion: Conclusion, title: String, summary: String,
    annotations: [JSONValue]
  ) async throws(Failure) {
    let body: JSONValue = .object([
      "name": .string(name), "head_sha": .string(sha), "status": .string("completed"),
      "conclusion": .string(conclusion.rawValue),
      "output": .object([
        "title": .string(title), "summary": .string(String(summary.prefix(65_000))),
        "annotations": .array(Array(annotations.prefix(50))),
      ]),
    ])
    _ = try await send(.POST, "/repos/\(repository)/check-runs", body: body)
  }

  /// Creates the pull request's comment that starts with `marker`, or updates it in place.
  public func upsertComment(pullRequest: Int, marker: String, body: String) async throws(Failure) {
    var page = 1
    while page <= 10 {
      let answer = try await send(
        .GET, "/repos/\(repository)/issues/\(pullRequest)/comments?per_page=100&page=\(page)",
        body: nil)
      guard case .array(let comments) = answer else { break }
      for comment in comments {
        guard case .object(let fields) = comment, case .string(let text)? = fields["body"],
          text.hasPrefix(marker), case .number(let id)? = fields["id"]
        else { continue }
        _ = try await send(
          .PATCH, "/repos/\(repository)/issues/comments/\(Int(id))",
          body: .object(["body": .string(body)]))
        return
      }
      if comments.count < 100 { break }
      page += 1
    }
    _ = try await send(
      .POST, "/repos/\(repository)/issues/\(pullRequest)/comments",
      body: .object(["body": .string(body)]))
  }

  /// One API call by the one transport and retry policy: 5xx, 429 and a 403 with
  /// `Retry-After` (GitHub's secondary rate limit) are retried; a refused connection or an
  /// unknown host fails at once.
  private func send(_ method: HTTPMethod, _ path: String, body: JSONValue?) async throws(Failure)
    -> JSONValue
  {
    var request = HTTPClientRequest(url: apiURL + path)
    request.method = method
    request.headers.add(name: "Authorization", value: "Bearer \(token.value)")
    request.headers.add(name: "Accept", value: "application/vnd.github+json")
    request.headers.add(name: "X-GitHub-Api-Version", value: "2022-11-28")
    request.headers.add(name: "User-Agent", value: "promptgate")
    if let body {
      request.headers.add(name: "Content-Type", value: "application/json")
      // Nothing posted holds a secret (a model's output can echo one into a comment).
      let text = Redactor.scrub((try? CanonicalJSON.serialize(body)) ?? "{}")
      request.body = .bytes(Array(text.utf8))
    }
    let label = "\(method.rawValue) \(path.split(separator: "?").first ?? "")"
    let status = LockedValue<Int?>(nil)
    do {
      let answer = try await policy.run(label: label, retries: attempts - 1) { _ in
        let outcome = await HTTPTransport.attempt(
          request, client: client, timeout: 30, maximumBytes: policy.maximumResponseBytes)
        guard case .success(let answer) = outcome else { return outcome }
        status.value = answer.code
        let message = Self.message(in: Data(answer.body.readableBytesView))
        if answer.code == 403, answer.retryAfter != nil {
          return .retry("HTTP 403 \(message)", retryAfter: answer.retryAfter)
        }
        return HTTPTransport.classify(answer, summary: message)
      }
      let data = Data(answer.body.readableBytesView)
      return data.isEmpty
        ? .null : (try? JSONDecoder().decode(JSONValue.self, from: data)) ?? .null
    } catch {
      throw Failure(
        status: status.value, description: token.scrub(error.message),
        unreachable: status.value == nil && !error.retryable)
    }
  }

  static func message(in data: Data) -> String {
    if case .object(let fields)? = try? JSONDecoder().decode(JSONValue.self, from: data),
      case .string(let message)? = fields["message"]
    {
      return "(\(message.prefix(200)))"
    }
    return ""
  }
}
