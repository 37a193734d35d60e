import AsyncHTTPClient
import Foundation
import PromptGateCI
import PromptGateCore
import PromptGateTransport

/// Posts a gate's verdict to GitHub. Failures are warnings, returned for the caller to show,
/// never the gate's outcome.
public enum GitHubStatus {
  /// Posts the commit status, the check run and the pull-request comment for `result`; returns
  /// the warnings, with the token redacted.
  public static func post(_ result: GateResult, context: CIContext?) async -> [String] {
    let markdown = MarkdownReport.render(result, limit: 65_000)
    return await withReporter(context, explain: true) { reporter in
      await reporter.report(result, markdown: markdown)
    }
  }

  /// Posts an `error` status for a gate that failed before it had a verdict (a missing base
  /// commit, an invalid mapping), so that a required check fails instead of hanging.
  public static func postError(_ error: any Error, context: CIContext) async -> [String] {
    let message = (error as? PromptGateError)?.message ?? String(describing: error)
    let firstLine = message.split(separator: "\n").first.map(String.init) ?? "the gate failed"
    return await withReporter(context, explain: false) { reporter in
      await reporter.reportError(firstLine)
    }
  }

  /// Runs `body` with a reporter for `context` and returns its warnings with the token
  /// redacted; does nothing (saying why when `explain`) outside GitHub Actions or without
  /// GITHUB_TOKEN.
  private static func withReporter(
    _ context: CIContext?, explain: Bool,
    _ body: @escaping @Sendable (GitHubReporter) async -> [String]
  ) async -> [String] {
    guard let context, context.service == .github, context.repository != nil else {
      return explain
        ? [
          "--github-status needs GitHub Actions' environment (GITHUB_REPOSITORY, the event); nothing posted"
        ] : []
    }
    guard let token = ProcessInfo.processInfo.environment["GITHUB_TOKEN"], !token.isEmpty else {
      return explain
        ? [
          "GITHUB_TOKEN is not set, so no status was posted; pass it with `env: GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}`"
        ] : []
    }
    let client = HTTPTransport.makeClient()
    let reporter = GitHubReporter(context: context, token: token, client: client)
    let warnings = await body(reporter)
    try? await client.shutdown()
    // A fork's read-only token cannot post: say so, and let the verdict stand.
    return warnings.map { $0.replacingOccurrences(of: token, with: "[redacted]") }
  }
}
