import Foundation
import Testing

@testable import PromptGateCI

/// Finding base and head from GitHub's and GitLab's environment.
@Suite("CI detection")
struct CIDetectorTests {
  let base = String(repeating: "b", count: 40)
  let head = String(repeating: "c", count: 40)
  let merge = String(repeating: "d", count: 40)
  let zeros = String(repeating: "0", count: 40)

  func github(_ event: String, _ payload: [String: Any]) throws -> CIContext? {
    let data = try JSONSerialization.data(withJSONObject: payload)
    return try CIDetector.detect(
      environment: [
        "GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": event, "GITHUB_EVENT_PATH": "/event.json",
        "GITHUB_SHA": merge, "GITHUB_REPOSITORY": "acme/bot",
        "GITHUB_API_URL": "https://github.example.com/api/v3",
      ], readFile: { $0 == "/event.json" ? data : nil })
  }

  @Test("outside CI there is no context")
  func outside() throws {
    #expect(try CIDetector.detect(environment: ["CI": "true"]) == nil)
  }

  @Test("pull_request: the test merge against the base, reported on the pull request's head")
  func pullRequest() throws {
    let context = try #require(
      try github(
        "pull_request",
        [
          "number": 12,
          "pull_request": [
            "number": 12, "base": ["sha": base, "repo": ["full_name": "acme/bot"]],
            "head": ["sha": head, "repo": ["full_name": "acme/bot"]],
          ],
          "repository": ["default_branch": "main"],
        ]))
    #expect(context.base == base)
    #expect(context.head == merge)
    #expect(context.reportCommit == head)
    #expect(context.pullRequest == 12)
    #expect(!context.isFork)
    #expect(!context.baseMayFallBack)
    #expect(context.apiURL == "https://github.example.com/api/v3")
    #expect(context.fetchFix.contains("fetch-depth: 0"))
  }

  @Test("a pull request from a fork is marked, so missing secrets warn instead of failing")
  func fork() throws {
    let context = try #require(
      try github(
        "pull_request",
        [
          "pull_request": [
            "number": 3, "base": ["sha": base, "repo": ["full_name": "acme/bot"]],
            "head": ["sha": head, "repo": ["full_name": "someone/bot"]],
          ]
        ]))
    #expect(context.isFork)
  }

  @Test("merge_group: the group's head against its base")
  func mergeGroup() throws {
    let context = try #require(
      try github("merge_group", ["merge_group": ["base_sha": base, "head_sha": head]]))
    #expect(context.base == base)
    #expect(context.head == head)
    #expect(context.reportCommit == head)
  }

  @Test("push: after against before; a new branch has no base and may fall back")
  func push() throws {
    let pushed = try #require(try github("push", ["before": base, "after": head]))
    #expect(pushed.base == base)
    #expect(pushed.head == head)
    #expect(pushed.baseMayFallBack)
    let created = try #require(
      try github(
        "push", ["before": zeros, "after": head, "repository": ["default_branch": "trunk"]]))
    #expect(created.base == nil)
    #expect(created.defaultBranch == "trunk")
  }

  @Test(
    "pull_request_target gates the pull request's head against its base; without them, or for an unknown event, it asks for --base and --head"
  )
  func pullRequestTarget() throws {
    let context = try #require(
      try github(
        "pull_request_target",
        ["pull_request": ["number": 4, "base": ["sha": base], "head": ["sha": head]]]))
    #expect(context.base == base && context.head == head && context.reportCommit == head)
    #expect(context.pullRequest == 4)
    #expect(throws: CIError.self) { try github("pull_request_target", ["pull_request": [:]]) }
    #expect(throws: CIError.self) { try github("workflow_dispatch", [:]) }
  }

  @Test("GitLab merge request: the diff base against the commit; branch pipelines use before")
  func gitlab() throws {
    let request = try #require(
      try CIDetector.detect(environment: [
        "GITLAB_CI": "true", "CI_PIPELINE_SOURCE": "merge_request_event",
        "CI_MERGE_REQUEST_DIFF_BASE_SHA": base, "CI_COMMIT_SHA": head,
        "CI_MERGE_REQUEST_IID": "5",
      ]))
    #expect(request.service == .gitlab)
    #expect(request.base == base)
    #expect(request.head == head)
    #expect(request.pullRequest == 5)
    #expect(request.fetchFix.contains("GIT_DEPTH: 0"))
    let branch = try #require(
      try CIDetector.detect(environment: [
        "GITLAB_CI": "true", "CI_PIPELINE_SOURCE": "push", "CI_COMMIT_BEFORE_SHA": zeros,
        "CI_COMMIT_SHA": head, "CI_DEFAULT_BRANCH": "main",
      ]))
    #expect(branch.base == nil)
    #expect(branch.baseMayFallBack)
    #expect(branch.defaultBranch == "main")
  }
}
