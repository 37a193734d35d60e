import AsyncHTTPClient
import Foundation
import PromptGateCI
import PromptGateCore

/// Posts a gate's verdict to GitHub; failures are warnings, never the gate's outcome.
enum GitHubStatus {
  static func post(_ result: GateResult, context: CIContext?) {
    let markdown = MarkdownReport.render(result, limit: 65_000)
    withReporter(context, explain: true) { reporter in
      await reporter.report(result, markdown: markdown)
    }
  }

  /// Posts an `error` status for a gate that failed before it had a verdict (a missing base
  /// commit, an invalid mapping), so that a required check fails instead of hanging. Only what
  /// happens after the gate delivered (its own exit) is not reported here.
  static func postError(_ error: any Error, context: CIContext) {
    if let exit = error as? ExitWith, exit.status != .usage { return }
    let message = (error as? ExitWith)?.message ?? String(describing: error)
    let firstLine = message.split(separator: "\n").first.map(String.init) ?? "the gate failed"
    withReporter(context, explain: false) { reporter in
      await reporter.reportError(firstLine)
    }
  }

  /// Runs `body` with a reporter for `context` and prints its warnings with the token redacted;
  /// does nothing (saying why when `explain`) outside GitHub Actions or without GITHUB_TOKEN.
  private static func withReporter(
    _ context: CIContext?, explain: Bool,
    _ body: @escaping @Sendable (GitHubReporter) async -> [String]
  ) {
    guard let context, context.service == .github, context.repository != nil else {
      if explain {
        Output.error(
          "promptgate-gate: warning: --github-status needs GitHub Actions' environment (GITHUB_REPOSITORY, the event); nothing posted"
        )
      }
      return
    }
    guard let token = ProcessInfo.processInfo.environment["GITHUB_TOKEN"], !token.isEmpty else {
      if explain {
        Output.error(
          "promptgate-gate: warning: GITHUB_TOKEN is not set, so no status was posted; pass it with `env: GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}`"
        )
      }
      return
    }
    let client = HTTPClient(eventLoopGroupProvider: .singleton)
    defer { try? client.syncShutdown() }
    let reporter = GitHubReporter(context: context, token: token, client: client)
    for warning in blocking({ await body(reporter) }) {
      // A fork's read-only token cannot post: say so, and let the verdict stand.
      Output.error(
        "promptgate-gate: warning: \(warning.replacingOccurrences(of: token, with: "[redacted]"))")
    }
  }
}
