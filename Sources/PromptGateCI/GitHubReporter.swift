import AsyncHTTPClient
import Foundation
import PromptGateCore

/// Reports a gate's verdict on GitHub: a commit status with a fixed context (always, so that a
/// required check never hangs), a check run with annotations, and one pull-request comment
/// updated in place. A report that cannot be posted (a fork's read-only token) is a warning,
/// never a failure.
public struct GitHubReporter: Sendable {
  /// The status context and check-run name.
  public static let context = "promptgate/gate"

  let context: CIContext
  let github: GitHubClient

  /// A reporter for `context`, posting with `token`.
  public init(context: CIContext, token: String, client: HTTPClient) {
    self.context = context
    self.github = GitHubClient(
      apiURL: context.apiURL ?? "https://api.github.com", repository: context.repository ?? "",
      token: token, client: client)
  }

  /// Posts the status, the check run and the comment; returns a warning per part that failed.
  public func report(_ result: GateResult, markdown: String) async -> [String] {
    var warnings: [String] = []
    let (state, description) = Self.status(of: result)
    do {
      try await github.createStatus(
        sha: context.reportCommit, state: state, context: Self.context, description: description)
    } catch {
      // GitHub cannot be reached at all: one line, and no further attempt.
      if error.unreachable { return ["could not reach GitHub, nothing was posted: \(error)"] }
      warnings.append("could not post the commit status: \(error)")
    }
    let conclusion: GitHubClient.Conclusion
    switch state {
    case .success: conclusion = .success
    case .failure: conclusion = .failure
    case .error, .pending: conclusion = .neutral
    }
    do {
      try await github.createCheckRun(
        name: Self.context, sha: context.reportCommit, conclusion: conclusion,
        title: description, summary: markdown, annotations: Self.annotations(result))
    } catch {
      // Tokens without `checks: write` (forks, GITHUB_TOKEN defaults) cannot create check runs.
      warnings.append("could not create the check run: \(error)")
    }
    if let number = context.pullRequest {
      do {
        try await github.upsertComment(
          pullRequest: number, marker: MarkdownReport.commentMarker, body: markdown)
      } catch {
        warnings.append("could not comment on pull request #\(number): \(error)")
      }
    }
    return warnings
  }

  /// Posts an `error` status for a gate that could not reach a verdict; returns a warning when
  /// that fails.
  public func reportError(_ message: String) async -> [String] {
    do {
      try await github.createStatus(
        sha: context.reportCommit, state: .error, context: Self.context,
        description: "could not gate: \(message)")
      return []
    } catch {
      return ["could not post the error status: \(error)"]
    }
  }

  /// The commit status for a result: state and a description of at most 140 characters.
  public static func status(of result: GateResult) -> (GitHubClient.State, String) {
    if result.sets.isEmpty && result.notEvaluated.isEmpty {
      return (.success, "no behavior changed")
    }
    let regressed = result.sets.filter(\.regressed).map(\.evalSet)
    if !regressed.isEmpty {
      return (.failure, "regressed: \(regressed.joined(separator: ", "))")
    }
    if !result.notEvaluated.isEmpty {
      let names = result.notEvaluated.map(\.evalSet).joined(separator: ", ")
      return (.error, "could not evaluate: \(names)")
    }
    return (.success, "\(result.sets.count) eval set\(result.sets.count == 1 ? "" : "s") passed")
  }

  /// Check-run annotations on the changed lines that regressed sets point to (at most 50).
  static func annotations(_ result: GateResult) -> [JSONValue] {
    var annotations: [JSONValue] = []
    for set in result.sets where set.regressed {
      let cases = set.cases.filter { $0.status == .regressed }.map(\.id)
      let message =
        "\(set.evalSet) regressed"
        + (cases.isEmpty ? "" : ": \(cases.prefix(5).joined(separator: ", "))")
        + (set.findings.isEmpty ? "" : "\n" + set.findings.joined(separator: "\n"))
      for input in result.changedInputs[set.evalSet] ?? [] {
        for range in input.lines.prefix(5) {
          annotations.append(
            .object([
              "path": .string(input.path), "start_line": .number(Double(range.start)),
              "end_line": .number(Double(range.end)), "annotation_level": .string("failure"),
              "title": .string("\(set.evalSet): \(input.component.rawValue) change regressed"),
              "message": .string(message),
            ]))
        }
      }
    }
    return Array(annotations.prefix(50))
  }
}
