import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import PromptGateCore

/// GitHub's REST API, as much of it as the gate reports through: commit statuses, check runs and
/// issue comments. The token goes in the Authorization header and nowhere else.
public struct GitHubClient: Sendable {
  /// What went wrong talking to GitHub (never holding the token).
  public struct Failure: Error, CustomStringConvertible, Sendable {
    /// The HTTP status, when there was an answer.
    public let status: Int?
    /// What happened.
    public let description: String
  }

  let apiURL: String
  let repository: String
  let token: String
  let client: HTTPClient
  let attempts: Int

  /// A client for `repository` (`owner/name`) at `apiURL`.
  public init(
    apiURL: String, repository: String, token: String, client: HTTPClient, attempts: Int = 3
  ) {
    self.apiURL = apiURL.hasSuffix("/") ? String(apiURL.dropLast()) : apiURL
    self.repository = repository
    self.token = token
    self.client = client
    self.attempts = max(1, attempts)
  }

  /// Creates a commit status (`POST /repos/{owner}/{repo}/statuses/{sha}`).
  public func createStatus(
    sha: String, state: String, context: String, description: String, targetURL: String? = nil
  ) async throws(Failure) {
    var body: [String: JSONValue] = [
      "state": .string(state), "context": .string(context),
      "description": .string(String(description.prefix(140))),
    ]
    if let targetURL { body["target_url"] = .string(targetURL) }
    _ = try await send(.POST, "/repos/\(repository)/statuses/\(sha)", body: .object(body))
  }

  /// Creates a completed check run (`POST /repos/{owner}/{repo}/check-runs`).
  public func createCheckRun(
    name: String, sha: String, conclusion: String, title: String, summary: String,
    annotations: [JSONValue]
  ) async throws(Failure) {
    let body: JSONValue = .object([
      "name": .string(name), "head_sha": .string(sha), "status": .string("completed"),
      "conclusion": .string(conclusion),
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

  private func send(_ method: HTTPMethod, _ path: String, body: JSONValue?) async throws(Failure)
    -> JSONValue
  {
    var request = HTTPClientRequest(url: apiURL + path)
    request.method = method
    request.headers.add(name: "Authorization", value: "Bearer \(token)")
    request.headers.add(name: "Accept", value: "application/vnd.github+json")
    request.headers.add(name: "X-GitHub-Api-Version", value: "2022-11-28")
    request.headers.add(name: "User-Agent", value: "promptgate")
    if let body {
      request.headers.add(name: "Content-Type", value: "application/json")
      request.body = .bytes(Array((try? CanonicalJSON.serialize(body))?.utf8 ?? "{}".utf8))
    }
    let label = "\(method.rawValue) \(path.split(separator: "?").first ?? "")"
    var last = Failure(status: nil, description: "\(label): not sent")
    for attempt in 1...attempts {
      do {
        let response = try await client.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 8 << 20)
        let status = Int(response.status.code)
        if (200..<300).contains(status) {
          let data = Data(bytes.readableBytesView)
          return data.isEmpty
            ? .null : (try? JSONDecoder().decode(JSONValue.self, from: data)) ?? .null
        }
        let message = Self.message(in: Data(bytes.readableBytesView))
        last = Failure(status: status, description: "\(label): HTTP \(status) \(message)")
        let retryable =
          status >= 500 || status == 429
          || (status == 403 && response.headers.first(name: "retry-after") != nil)
        guard retryable, attempt < attempts else { throw last }
        let wait =
          response.headers.first(name: "retry-after").flatMap(Double.init) ?? Double(attempt)
        try? await Task.sleep(for: .seconds(min(wait, 30)))
      } catch let failure as Failure {
        throw failure
      } catch {
        last = Failure(status: nil, description: "\(label): \(error)")
        guard attempt < attempts else { throw last }
        try? await Task.sleep(for: .seconds(Double(attempt)))
      }
    }
    throw last
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
