import Foundation
import TestSupport
import Testing

/// A simulated pull request: GitHub's environment and event payload, a loopback GitHub API that
/// checks each request's documented shape, and the real gate.
@Suite("GitHub pull request")
struct GitHubPullRequestTests {
  static let token = "ghs_TESTTOKEN_do_not_print_0123456789"

  /// The repository: `main` at the baseline, `feature` one commit ahead with `change` applied.
  struct PullRequest {
    let fixture: GateFixture
    let base: String
    var head: String
    let server: LoopbackGitHubServer
    let summary: String
    let junit: String

    /// The environment GitHub Actions gives a `pull_request` job.
    func environment(number: Int = 7, forkRepository: String? = nil) throws -> [String: String] {
      let payload: [String: Any] = [
        "action": "synchronize", "number": number,
        "pull_request": [
          "number": number,
          "head": [
            "sha": head, "ref": "feature",
            "repo": ["full_name": forkRepository ?? "acme/support-bot"],
          ],
          "base": ["sha": base, "ref": "main", "repo": ["full_name": "acme/support-bot"]],
        ],
        "repository": ["full_name": "acme/support-bot", "default_branch": "main"],
      ]
      let path = fixture.repository.container + "/event.json"
      try JSONSerialization.data(withJSONObject: payload).write(to: URL(fileURLWithPath: path))
      return [
        "GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": "pull_request", "GITHUB_EVENT_PATH": path,
        "GITHUB_SHA": head, "GITHUB_REPOSITORY": "acme/support-bot",
        "GITHUB_API_URL": server.apiURL, "GITHUB_TOKEN": GitHubPullRequestTests.token,
        "GITHUB_STEP_SUMMARY": summary,
      ]
    }

    func gate(_ environment: [String: String]) throws -> CommandResult {
      try fixture.gate(
        [
          "--tier", "fast", "--store", fixture.store, "--report", "markdown=\(summary)",
          "--report", "junit=\(junit)", "--report", "annotations", "--github-status",
        ], environment: environment)
    }
  }

  func pullRequest(_ change: (GateFixture) throws -> Void) throws -> PullRequest {
    let fixture = try GateFixture()
    let base = try fixture.repository.head()
    _ = try fixture.repository.git("checkout", "-q", "-b", "feature")
    try change(fixture)
    let head = try fixture.repository.commit("Change the prompt")
    let summary = fixture.repository.container + "/summary.md"
    FileManager.default.createFile(atPath: summary, contents: Data())
    return PullRequest(
      fixture: fixture, base: base, head: head,
      server: try LoopbackGitHubServer(token: Self.token), summary: summary,
      junit: fixture.repository.container + "/junit.xml")
  }

  @Test(
    "an unreachable GitHub API costs one connection attempt and one warning line; the verdict's exit stands"
  )
  func unreachableAPI() throws {
    let pr = try pullRequest { try $0.breakRefund() }
    var environment = try pr.environment()
    environment["GITHUB_API_URL"] = "http://127.0.0.1:\(try closedLoopbackPort())"
    let result = try pr.gate(environment)
    result.expect(exit: 1)
    let warnings = result.stderr.split(separator: "\n").filter { $0.contains("warning:") }
    #expect(warnings.count == 1, "\(result)")
    #expect(warnings.first?.contains("could not reach GitHub, nothing was posted") == true)
    #expect(warnings.first?.contains("connection refused") == true)
    #expect(!result.stderr.contains(Self.token))
    #expect(pr.server.requests.isEmpty)
  }

  @Test(
    "a regressing pull request gets a failure status, a check run with annotations, and one comment that the next push updates"
  )
  func regressionThenFix() throws {
    var pr = try pullRequest { try $0.breakRefund() }
    let first = try pr.gate(try pr.environment())
    first.expect(exit: 1)
    #expect(pr.server.violations.isEmpty, "\(pr.server.violations)")

    let statuses = pr.server.requests.filter { $0.path.contains("/statuses/") }
    try #require(statuses.count == 1)
    #expect(statuses[0].path == "/repos/acme/support-bot/statuses/\(pr.head)")
    #expect(statuses[0].string("state") == "failure")
    #expect(statuses[0].string("context") == "promptgate/gate")

    let checks = pr.server.requests.filter { $0.path.hasSuffix("/check-runs") }
    try #require(checks.count == 1)
    let check = try #require(checks[0].body)
    #expect(check["conclusion"] as? String == "failure")
    #expect(check["head_sha"] as? String == pr.head)
    let output = try #require(check["output"] as? [String: Any])
    let annotations = try #require(output["annotations"] as? [[String: Any]])
    #expect(annotations.contains { $0["path"] as? String == "prompts/system.md" })

    try #require(pr.server.comments.count == 1)
    let comment = pr.server.comments[0]
    #expect(comment.issue == 7)
    #expect(comment.body.contains("refund"))
    // The step summary and the JUnit report were written; annotations went to stdout.
    let summary = try String(contentsOfFile: pr.summary, encoding: .utf8)
    #expect(summary.contains("smoke"))
    let junit = try String(contentsOfFile: pr.junit, encoding: .utf8)
    #expect(junit.contains("<testsuite"))
    // Each case carries its mean latency, as test reporters show it.
    #expect(junit.contains("<testcase classname=\"smoke\" name=\"refund\" time=\""), "\(junit)")
    #expect(first.stdout.contains("::error"))

    // The author fixes the prompt and pushes: the same comment is updated, the status passes.
    try pr.fixture.repository.edit(
      "prompts/system.md", replacing: GateFixture.brokenRefund, with: GateFixture.refundLine)
    try pr.fixture.rewordShipping()
    pr.head = try pr.fixture.repository.commit("Keep refunds")
    let second = try pr.gate(try pr.environment())
    second.expect(exit: 0)
    #expect(pr.server.violations.isEmpty, "\(pr.server.violations)")
    #expect(pr.server.comments.count == 1)
    #expect(pr.server.comments[0].id == comment.id)
    #expect(pr.server.comments[0].body != comment.body)
    let lastStatus = try #require(pr.server.requests.last { $0.path.contains("/statuses/") })
    #expect(lastStatus.path.hasSuffix(pr.head))
    #expect(lastStatus.string("state") == "success")
    #expect(pr.server.requests.filter { $0.method == "PATCH" }.count == 1)

    for result in [first, second] {
      #expect(!result.stdout.contains(Self.token) && !result.stderr.contains(Self.token))
    }
    #expect(!summary.contains(Self.token))
  }

  @Test(
    "a pull request that changes no behavior still reports success, so a required check never hangs"
  )
  func nothingSelected() throws {
    let pr = try pullRequest { try $0.repository.write("README.md", "A helpful bot.\n") }
    let result = try pr.gate(try pr.environment())
    result.expect(exit: 0)
    let status = try #require(pr.server.requests.first { $0.path.contains("/statuses/") })
    #expect(status.string("state") == "success")
    #expect(status.string("description") == "no behavior changed")
    #expect(pr.server.violations.isEmpty, "\(pr.server.violations)")
  }

  @Test("a fork's read-only token cannot post: the gate warns and its verdict stands")
  func forkCannotPost() throws {
    let pr = try pullRequest { try $0.rewordShipping() }
    pr.server.forbidWrites()
    let result = try pr.gate(try pr.environment(forkRepository: "someone/support-bot"))
    result.expect(exit: 0)
    #expect(result.stderr.contains("could not post the commit status"))
    #expect(!result.stderr.contains(Self.token))
  }

  @Test("the base commit missing from a shallow clone: exit 2 with the fix for GitHub")
  func missingBase() throws {
    var pr = try pullRequest { try $0.breakRefund() }
    var environment = try pr.environment()
    pr.head = try pr.fixture.repository.head()
    environment["GITHUB_EVENT_PATH"] = environment["GITHUB_EVENT_PATH"]
    let payload = try String(contentsOfFile: environment["GITHUB_EVENT_PATH"]!, encoding: .utf8)
      .replacingOccurrences(of: pr.base, with: String(repeating: "ab", count: 20))
    try payload.write(toFile: environment["GITHUB_EVENT_PATH"]!, atomically: true, encoding: .utf8)
    let result = try pr.gate(environment)
    result.expect(exit: 2)
    #expect(result.stderr.contains("fetch-depth: 0"))
    // The required check fails rather than hanging: an error status is posted.
    let status = try #require(pr.server.requests.first { $0.path.contains("/statuses/") })
    #expect(status.string("state") == "error")
    #expect(status.string("description")?.contains("not in this clone") == true)
    #expect(pr.server.violations.isEmpty, "\(pr.server.violations)")
  }

  @Test(
    "a push that creates a branch, or force-pushes, is gated against the merge-base with the default branch"
  )
  func pushNewBranch() throws {
    let pr = try pullRequest { try $0.breakRefund() }
    for before in [String(repeating: "0", count: 40), String(repeating: "ab", count: 20)] {
      let payload: [String: Any] = [
        "before": before, "after": pr.head,
        "repository": ["full_name": "acme/support-bot", "default_branch": "main"],
      ]
      let path = pr.fixture.repository.container + "/push.json"
      try JSONSerialization.data(withJSONObject: payload).write(to: URL(fileURLWithPath: path))
      let result = try pr.fixture.gate(
        ["--tier", "fast", "--store", pr.fixture.store],
        environment: [
          "GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": "push", "GITHUB_EVENT_PATH": path,
          "GITHUB_SHA": pr.head, "GITHUB_REPOSITORY": "acme/support-bot",
        ])
      result.expect(exit: 1)
      #expect(result.stderr.contains("the merge-base with main"), "\(result)")
      #expect(result.stderr.contains(String(pr.base.prefix(12))) || result.stderr.contains(pr.base))
    }
  }
}
