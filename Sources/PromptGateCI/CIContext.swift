import Foundation
import PromptGateCore

/// What a CI run is gating: found from GitHub Actions' or GitLab CI's environment.
public struct CIContext: Sendable, Equatable {
  /// Which CI.
  public enum Service: String, Sendable {
    case github
    case gitlab
  }

  /// The CI service.
  public let service: Service
  /// The event (`pull_request`, `merge_group`, `push`, `merge_request_event`, ...).
  public let event: String
  /// The baseline commit; nil when there is none to compare with (a new branch with no default
  /// branch to fall back on), and every behavior counts as changed.
  public var base: String?
  /// The commit evaluated (for a pull request, GitHub's test merge).
  public let head: String
  /// The commit statuses and check runs are reported on (a pull request's head commit).
  public let reportCommit: String
  /// The pull request's number, for its comment.
  public let pullRequest: Int?
  /// `owner/name`.
  public let repository: String?
  /// The REST API's base URL (GitHub Enterprise sets its own).
  public let apiURL: String?
  /// True for a pull request from a fork: no secrets, a read-only token.
  public let isFork: Bool
  /// The default branch, to find a merge-base when `base` is missing or unreachable.
  public let defaultBranch: String?
  /// How `base` was chosen, for messages.
  public var baseReason: String
  /// True when `base` may be replaced by a merge-base with the default branch if it is not in
  /// the repository (push events: a force-push or a new branch); false when it must be there.
  public let baseMayFallBack: Bool

  /// How to fetch a missing base commit in this CI.
  public var fetchFix: String {
    switch service {
    case .github:
      return
        "set `fetch-depth: 0` on actions/checkout, or fetch the base commit (`git fetch origin \(base ?? "BASE")`)"
    case .gitlab:
      return
        "set `GIT_DEPTH: 0` in the job's variables, or fetch the base commit (`git fetch origin \(base ?? "BASE")`)"
    }
  }
}

/// A CI environment that cannot be gated as it is.
public struct CIError: Error, CustomStringConvertible, Sendable {
  /// What is wrong and what to do.
  public let description: String

  /// Creates an error.
  public init(_ description: String) { self.description = description }
}

/// Finds what to gate from the CI's environment variables and event payload.
public enum CIDetector {
  /// The context of the CI run described by `environment`, or nil outside CI.
  public static func detect(
    environment: [String: String],
    readFile: (String) -> Data? = { FileManager.default.contents(atPath: $0) }
  ) throws -> CIContext? {
    if environment["GITHUB_ACTIONS"] == "true" {
      return try github(environment, readFile: readFile)
    }
    if environment["GITLAB_CI"] == "true" {
      return try gitlab(environment)
    }
    return nil
  }

  static let zeros = String(repeating: "0", count: 40)

  /// The events whose head nobody with the protected credential has reviewed yet: a pull or
  /// merge request, and the merge queue's trial merges. Decided from the CI's event, never from
  /// how the sides are given.
  public static func pullRequestEvent(in environment: [String: String]) -> String? {
    if let event = environment["GITHUB_EVENT_NAME"],
      ["pull_request", "pull_request_target", "merge_group"].contains(event)
    {
      return "the GitHub event \(event)"
    }
    if environment["GITLAB_CI"] == "true",
      environment["CI_PIPELINE_SOURCE"] == "merge_request_event"
        || environment["CI_MERGE_REQUEST_IID"] != nil
    {
      return "a GitLab merge-request pipeline"
    }
    return nil
  }

  static func github(_ environment: [String: String], readFile: (String) -> Data?) throws
    -> CIContext
  {
    let event = environment["GITHUB_EVENT_NAME"] ?? ""
    guard let path = environment["GITHUB_EVENT_PATH"], let data = readFile(path),
      case .object(let payload)? = try? JSONDecoder().decode(JSONValue.self, from: data)
    else {
      throw CIError(
        "GITHUB_EVENT_PATH does not name a readable event payload; run inside GitHub Actions, or give --base and --head"
      )
    }
    let repository = environment["GITHUB_REPOSITORY"]
    let apiURL = environment["GITHUB_API_URL"] ?? "https://api.github.com"
    let defaultBranch = payload.string("repository", "default_branch")
    let sha = environment["GITHUB_SHA"] ?? ""
    switch event {
    case "pull_request":
      guard let base = payload.string("pull_request", "base", "sha"),
        let reportOn = payload.string("pull_request", "head", "sha")
      else { throw CIError("the pull_request payload has no base or head sha") }
      let headRepository = payload.string("pull_request", "head", "repo", "full_name")
      let baseRepository = payload.string("pull_request", "base", "repo", "full_name") ?? repository
      return CIContext(
        service: .github, event: event, base: base, head: sha.isEmpty ? reportOn : sha,
        reportCommit: reportOn,
        pullRequest: payload.int("pull_request", "number") ?? payload.int("number"),
        repository: repository, apiURL: apiURL,
        isFork: headRepository != nil && headRepository != baseRepository,
        defaultBranch: defaultBranch, baseReason: "the pull request's base (pull_request.base.sha)",
        baseMayFallBack: false)
    case "pull_request_target":
      // The job holds the base repository's secrets: the gate runs only the base's code
      // (`CodeTrust`), and the pull request's head is what is gated.
      guard let base = payload.string("pull_request", "base", "sha"),
        let head = payload.string("pull_request", "head", "sha")
      else { throw CIError("the pull_request_target payload has no base or head sha") }
      return CIContext(
        service: .github, event: event, base: base, head: head, reportCommit: head,
        pullRequest: payload.int("pull_request", "number") ?? payload.int("number"),
        repository: repository, apiURL: apiURL, isFork: false,
        defaultBranch: defaultBranch, baseReason: "the pull request's base (pull_request.base.sha)",
        baseMayFallBack: false)
    case "merge_group":
      guard let base = payload.string("merge_group", "base_sha"),
        let head = payload.string("merge_group", "head_sha")
      else { throw CIError("the merge_group payload has no base_sha or head_sha") }
      return CIContext(
        service: .github, event: event, base: base, head: head, reportCommit: head,
        pullRequest: nil, repository: repository, apiURL: apiURL, isFork: false,
        defaultBranch: defaultBranch, baseReason: "the merge group's base (merge_group.base_sha)",
        baseMayFallBack: false)
    case "push":
      let after = payload.string("after") ?? sha
      let before = payload.string("before")
      let newBranch = before == nil || before == zeros
      return CIContext(
        service: .github, event: event, base: newBranch ? nil : before, head: after,
        reportCommit: after, pullRequest: nil, repository: repository, apiURL: apiURL,
        isFork: false, defaultBranch: defaultBranch,
        baseReason: newBranch ? "a new branch" : "the commit before the push (before)",
        baseMayFallBack: true)
    default:
      throw CIError(
        "cannot tell what to gate for the GitHub event '\(event)': give --base REV --head REV")
    }
  }

  static func gitlab(_ environment: [String: String]) throws -> CIContext {
    let head = environment["CI_COMMIT_SHA"] ?? ""
    guard !head.isEmpty else { throw CIError("CI_COMMIT_SHA is not set") }
    let source = environment["CI_PIPELINE_SOURCE"] ?? ""
    let defaultBranch = environment["CI_DEFAULT_BRANCH"]
    if source == "merge_request_event" || environment["CI_MERGE_REQUEST_IID"] != nil {
      guard let base = environment["CI_MERGE_REQUEST_DIFF_BASE_SHA"], !base.isEmpty else {
        throw CIError("CI_MERGE_REQUEST_DIFF_BASE_SHA is not set in this merge-request pipeline")
      }
      return CIContext(
        service: .gitlab, event: "merge_request_event", base: base, head: head,
        reportCommit: head, pullRequest: environment["CI_MERGE_REQUEST_IID"].flatMap { Int($0) },
        repository: environment["CI_PROJECT_PATH"], apiURL: environment["CI_API_V4_URL"],
        isFork: environment["CI_MERGE_REQUEST_SOURCE_PROJECT_ID"]
          .map { $0 != environment["CI_MERGE_REQUEST_PROJECT_ID"] } ?? false,
        defaultBranch: defaultBranch,
        baseReason: "the merge request's diff base (CI_MERGE_REQUEST_DIFF_BASE_SHA)",
        baseMayFallBack: false)
    }
    let before = environment["CI_COMMIT_BEFORE_SHA"]
    let newBranch = before == nil || before == zeros || before == ""
    return CIContext(
      service: .gitlab, event: source.isEmpty ? "push" : source, base: newBranch ? nil : before,
      head: head, reportCommit: head, pullRequest: nil,
      repository: environment["CI_PROJECT_PATH"], apiURL: environment["CI_API_V4_URL"],
      isFork: false, defaultBranch: defaultBranch,
      baseReason: newBranch ? "a new branch" : "the commit before the push (CI_COMMIT_BEFORE_SHA)",
      baseMayFallBack: true)
  }
}

extension [String: JSONValue] {
  /// The string at a path of keys.
  func string(_ keys: String...) -> String? {
    guard case .string(let text)? = value(keys) else { return nil }
    return text
  }

  /// The integer at a path of keys.
  func int(_ keys: String...) -> Int? {
    guard case .number(let number)? = value(keys) else { return nil }
    return Int(exactly: number)
  }

  private func value(_ keys: [String]) -> JSONValue? {
    var current: JSONValue = .object(self)
    for key in keys {
      guard case .object(let members) = current, let next = members[key] else { return nil }
      current = next
    }
    return current
  }
}
