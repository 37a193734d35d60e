import AsyncHTTPClient
import Foundation
import PromptGateCI
import PromptGateCore

/// Posts a gate's verdict to GitHub; failures are warnings, never the gate's outcome.
enum GitHubStatus {
  static func post(_ result: GateResult, context: CIContext?) {
    let environment = ProcessInfo.processInfo.environment
    guard let context, context.service == .github, context.repository != nil else {
      Output.error(
        "promptgate-gate: warning: --github-status needs GitHub Actions' environment (GITHUB_REPOSITORY, the event); nothing posted"
      )
      return
    }
    guard let token = environment["GITHUB_TOKEN"], !token.isEmpty else {
      Output.error(
        "promptgate-gate: warning: GITHUB_TOKEN is not set, so no status was posted; pass it with `env: GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}`"
      )
      return
    }
    let markdown = MarkdownReport.render(result, limit: 65_000)
    let client = HTTPClient(eventLoopGroupProvider: .singleton)
    defer { try? client.syncShutdown() }
    let reporter = GitHubReporter(context: context, token: token, client: client)
    let warnings = blocking { await reporter.report(result, markdown: markdown) }
    for warning in warnings {
      // A fork's read-only token cannot post: say so, and let the verdict stand.
      Output.error(
        "promptgate-gate: warning: \(warning.replacingOccurrences(of: token, with: "[redacted]"))")
    }
  }

  /// Posts an `error` status for a gate that failed before it had a verdict (a missing base
  /// commit, an invalid mapping), so that a required check fails instead of hanging. Only what
  /// happens after the gate delivered (its own exit) is not reported here.
  static func postError(_ error: any Error, context: CIContext) {
    if error is ExitWith, (error as? ExitWith)?.status != .usage { return }
    let environment = ProcessInfo.processInfo.environment
    guard context.service == .github, context.repository != nil,
      let token = environment["GITHUB_TOKEN"], !token.isEmpty
    else { return }
    let message =
      (error as? ExitWith)?.message ?? String(describing: error)
    let firstLine = message.split(separator: "\n").first.map(String.init) ?? "the gate failed"
    let client = HTTPClient(eventLoopGroupProvider: .singleton)
    defer { try? client.syncShutdown() }
    let github = GitHubClient(
      apiURL: context.apiURL ?? "https://api.github.com", repository: context.repository ?? "",
      token: token, client: client)
    let failure: String? = blocking {
      do {
        try await github.createStatus(
          sha: context.reportCommit, state: "error", context: GitHubReporter.context,
          description: "could not gate: \(firstLine)")
        return nil
      } catch {
        return String(describing: error)
      }
    }
    if let failure {
      Output.error(
        "promptgate-gate: warning: could not post the error status: \(failure.replacingOccurrences(of: token, with: "[redacted]"))"
      )
    }
  }
}
