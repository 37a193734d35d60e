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
}
