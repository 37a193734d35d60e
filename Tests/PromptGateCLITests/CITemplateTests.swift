import Foundation
import PromptGateCore
import TestSupport
import Testing

/// The tools scripts/test-tools.sh installs into `.build/test-tools` (make test runs it).
enum TestTools {
  /// `.build/test-tools/bin` under the package's root.
  static let directory = PackageFiles.path(".build/test-tools/bin")

  /// The path of `name` there; throws, saying how to install it, when it is missing.
  static func path(_ name: String) throws -> String {
    let candidate = directory + "/" + name
    guard FileManager.default.isExecutableFile(atPath: candidate) else {
      throw CommandError(
        "\(name) is not installed in \(directory): run scripts/test-tools.sh (make test does)")
    }
    return candidate
  }

  /// Runs `name` with `arguments` in `directory`, with a private HOME and the tools on PATH.
  static func run(_ name: String, _ arguments: [String], in directory: String) throws
    -> CommandResult
  {
    let home = FileManager.default.temporaryDirectory.appendingPathComponent(
      "pg-tools-\(UUID().uuidString)"
    ).path
    try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: home) }
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    return try Subprocess.run(
      try Self.path(name), arguments, in: directory,
      environment: ["PATH": Self.directory + ":" + path, "HOME": home, "LC_ALL": "C.UTF-8"])
  }
}

/// The CI templates and the composite action: valid for GitHub's and GitLab's schemas and for
/// actionlint, and shaped as docs/ci.md promises.
@Suite("CI templates")
struct CITemplateTests {
  static let workflows = [
    "ci-templates/github/promptgate-pr.yml",
    "ci-templates/github/promptgate-release.yml",
    "ci-templates/github/promptgate-sharded.yml",
    "ci-templates/github/promptgate-share.yml",
  ]

  private func expectSuccess(_ result: CommandResult, _ what: String) {
    #expect(result.exitCode == 0, "\(what)\n\(result)")
  }

  /// The file at the package-relative `path`, parsed with the YAML 1.2 core schema (so that a
  /// workflow's `on:` stays a string, as GitHub reads it).
  private func load(_ path: String) throws -> [String: JSONValue] {
    let text = try String(contentsOfFile: PackageFiles.path(path), encoding: .utf8)
    guard case .object(let members) = try YAMLLoader.load(text, file: path) else {
      throw CommandError("\(path) is not a YAML mapping")
    }
    return members
  }

  @Test("every GitHub workflow passes actionlint", arguments: workflows)
  func actionlint(_ workflow: String) throws {
    let result = try TestTools.run(
      "actionlint", ["-no-color", PackageFiles.path(workflow)], in: PackageFiles.root)
    expectSuccess(result, "actionlint \(workflow)")
  }

  @Test("every GitHub workflow matches the workflow schema", arguments: workflows)
  func workflowSchema(_ workflow: String) throws {
    let result = try TestTools.run(
      "check-jsonschema", ["--builtin-schema", "vendor.github-workflows", workflow],
      in: PackageFiles.root)
    expectSuccess(result, "check-jsonschema \(workflow)")
  }

  @Test("action.yml matches the action schema and is a composite action")
  func action() throws {
    let result = try TestTools.run(
      "check-jsonschema", ["--builtin-schema", "vendor.github-actions", "action.yml"],
      in: PackageFiles.root)
    expectSuccess(result, "check-jsonschema action.yml")
    let action = try load("action.yml")
    let runs = try #require(action["runs"]?.object)
    #expect(runs["using"] == .string("composite"))
    let steps = try #require(runs["steps"]?.array).compactMap(\.object)
    let cache = try #require(
      steps.first { $0["uses"]?.string?.hasPrefix("actions/cache@") == true })
    #expect(cache["with"]?.object?["path"]?.string?.hasSuffix("/.build") == true)
    let key = try #require(cache["with"]?.object?["key"]?.string)
    #expect(key.contains("runner.os") && key.contains("steps.hash.outputs.key"))
    let scripts = steps.compactMap { $0["run"]?.string }.joined(separator: "\n")
    #expect(scripts.contains("swift build -c release --static-swift-stdlib"))
    #expect(scripts.contains(">>\"$GITHUB_PATH\""))
    #expect(scripts.contains("scripts/bootstrap.sh"))
  }

  @Test("the GitLab template matches GitLab's CI schema")
  func gitlabSchema() throws {
    let result = try TestTools.run(
      "check-jsonschema",
      [
        "--builtin-schema", "vendor.gitlab-ci", "--data-transform", "gitlab-ci",
        "ci-templates/gitlab/promptgate.gitlab-ci.yml",
      ], in: PackageFiles.root)
    expectSuccess(result, "check-jsonschema promptgate.gitlab-ci.yml")
  }

  @Test("the validators reject a broken workflow and a broken GitLab file")
  func validatorsCatchMistakes() throws {
    let scratch = try TemporaryRepository()
    try scratch.write(
      "bad.yml",
      "on: pull_request\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        + "      - uses: actions/checkout@v4\n        with: {fetch-dept: 0}\n")
    try scratch.write("bad.gitlab-ci.yml", "job:\n  scriptt: [echo]\n")
    #expect(try TestTools.run("actionlint", ["bad.yml"], in: scratch.path).exitCode != 0)
    let gitlab = try TestTools.run(
      "check-jsonschema", ["--builtin-schema", "vendor.gitlab-ci", "bad.gitlab-ci.yml"],
      in: scratch.path)
    #expect(gitlab.exitCode != 0)
  }

  @Test(
    "pull-request workflows: no workflow-level paths filter, full history, never pull_request_target",
    arguments: [
      "ci-templates/github/promptgate-pr.yml", "ci-templates/github/promptgate-sharded.yml",
    ]
  )
  func pullRequestShape(_ workflow: String) throws {
    let parsed = try load(workflow)
    let triggers = try #require(parsed["on"]?.object, "\(workflow) has no `on:` mapping")
    #expect(Set(triggers.keys) == ["pull_request", "merge_group"])
    for (event, settings) in triggers {
      let keys = Set(settings.object?.keys.map { $0 } ?? [])
      #expect(keys.isDisjoint(with: ["paths", "paths-ignore"]), "\(event) filters paths")
    }
    let jobs = try #require(parsed["jobs"]?.object)
    for (name, job) in jobs {
      let steps = try #require(job.object?["steps"]?.array).compactMap(\.object)
      let checkouts = steps.filter { $0["uses"]?.string?.hasPrefix("actions/checkout@") == true }
      #expect(!checkouts.isEmpty, "job \(name) checks nothing out")
      for checkout in checkouts {
        #expect(checkout["with"]?.object?["fetch-depth"] == .number(0), "job \(name)")
      }
    }
  }

  @Test("the pull-request workflow asks for minimal permissions and reports everywhere")
  func pullRequestGate() throws {
    let parsed = try load("ci-templates/github/promptgate-pr.yml")
    #expect(
      parsed["permissions"]
        == .object([
          "contents": .string("read"), "statuses": .string("write"),
          "checks": .string("write"), "pull-requests": .string("write"),
        ]))
    let job = try #require(parsed["jobs"]?.object?["gate"]?.object)
    let steps = try #require(job["steps"]?.array).compactMap(\.object)
    let scripts = steps.compactMap { $0["run"]?.string }
    let gate = try #require(scripts.first { $0.contains("promptgate gate") })
    // The shared results are fetched before the gate, and never pushed from a pull request.
    let fetch = try #require(scripts.firstIndex { $0.contains("promptgate store fetch") })
    #expect(fetch < (scripts.firstIndex(of: gate) ?? 0))
    #expect(!scripts.contains { $0.contains("store push") })
    for flag in [
      "--report junit=", "--report markdown=\"$GITHUB_STEP_SUMMARY\"", "--report annotations",
      "--github-status", "--store",
    ] {
      #expect(gate.contains(flag), "the gate step lacks \(flag)")
    }
    let uses = steps.compactMap { $0["uses"]?.string }
    #expect(uses.contains { $0.hasPrefix("actions/cache/restore@") })
    #expect(uses.contains { $0.hasPrefix("actions/upload-artifact@") })
    let restore = try #require(
      steps.first { $0["uses"]?.string?.hasPrefix("actions/cache/") == true })
    #expect(restore["with"]?.object?["restore-keys"]?.string?.contains("promptgate-store-") == true)
  }

  @Test("the share workflow runs on pushes to main and release branches, gates, then pushes")
  func shareWorkflow() throws {
    let parsed = try load("ci-templates/github/promptgate-share.yml")
    let push = try #require(parsed["on"]?.object?["push"]?.object)
    #expect(push["branches"] == .array([.string("main"), .string("release/**")]))
    let job = try #require(parsed["jobs"]?.object?["share"]?.object)
    #expect(job["environment"] == .string("promptgate-results"))
    let scripts = try #require(job["steps"]?.array).compactMap { $0.object?["run"]?.string }
    let order = ["promptgate store fetch", "promptgate gate", "promptgate store push"].map {
      command in scripts.firstIndex { $0.contains(command) } ?? -1
    }
    #expect(order.allSatisfy { $0 >= 0 } && order == order.sorted(), "\(scripts)")
  }

  @Test("the release workflow runs on release branches and may push tags")
  func releaseWorkflow() throws {
    let parsed = try load("ci-templates/github/promptgate-release.yml")
    let push = try #require(parsed["on"]?.object?["push"]?.object)
    #expect(push["branches"] == .array([.string("release/**")]))
    #expect(parsed["permissions"] == .object(["contents": .string("write")]))
    let text = try String(
      contentsOfFile: PackageFiles.path("ci-templates/github/promptgate-release.yml"),
      encoding: .utf8)
    #expect(text.contains("promptgate release --tier release"))
    #expect(text.contains("--push origin"))
  }

  @Test("the sharded workflow runs three shards and merges them in one job that reports")
  func shardedWorkflow() throws {
    let parsed = try load("ci-templates/github/promptgate-sharded.yml")
    let jobs = try #require(parsed["jobs"]?.object)
    let shard = try #require(jobs["shard"]?.object)
    let matrix = shard["strategy"]?.object?["matrix"]?.object
    #expect(matrix?["shard"] == .array([.number(1), .number(2), .number(3)]))
    let merge = try #require(jobs["merge"]?.object)
    #expect(merge["needs"] == .string("shard"))
    let scripts = try #require(merge["steps"]?.array).compactMap { $0.object?["run"]?.string }
    #expect(
      scripts.contains { $0.contains("promptgate gate merge") && $0.contains("--github-status") })
  }

  @Test(
    "docs/ci.md shows each template exactly as it is in ci-templates/",
    arguments: workflows + [
      "ci-templates/gitlab/promptgate.gitlab-ci.yml",
      "ci-templates/pre-commit/.pre-commit-config.yaml", "ci-templates/lefthook/lefthook.yml",
    ])
  func documented(_ template: String) throws {
    let docs = try String(contentsOfFile: PackageFiles.path("docs/ci.md"), encoding: .utf8)
    let text = try String(contentsOfFile: PackageFiles.path(template), encoding: .utf8)
    #expect(docs.contains("```yaml\n" + text + "```\n"), "docs/ci.md lacks \(template) as it is")
  }

  @Test("the GitLab template gates merge requests with the full history and a JUnit report")
  func gitlabShape() throws {
    let parsed = try load("ci-templates/gitlab/promptgate.gitlab-ci.yml")
    let install = try #require(parsed[".promptgate-install"]?.object)
    #expect(install["cache"] != nil)
    let gate = try #require(parsed["promptgate-gate"]?.object)
    #expect(gate["extends"] == .string(".promptgate-install"))
    let rules = try #require(gate["rules"]?.array).compactMap { $0.object?["if"]?.string }
    #expect(rules == ["$CI_PIPELINE_SOURCE == \"merge_request_event\""])
    #expect(gate["variables"]?.object?["GIT_DEPTH"] == .number(0))
    let reports = gate["artifacts"]?.object?["reports"]?.object
    #expect(reports?["junit"] == .string("promptgate-junit.xml"))
    let release = try #require(parsed["promptgate-release"]?.object)
    let releaseRules = try #require(release["rules"]?.array).compactMap { $0.object?["if"]?.string }
    #expect(releaseRules.contains { $0.contains("release") })
    // The merge request fetches the shared results and never pushes; promptgate-share, on the
    // default and release branches only, fetches, gates and pushes, in that order.
    let gateScript = try #require(gate["script"]?.array).compactMap(\.string).joined()
    #expect(gateScript.contains("promptgate store fetch") && !gateScript.contains("store push"))
    let share = try #require(parsed["promptgate-share"]?.object)
    let shareRules = try #require(share["rules"]?.array).compactMap { $0.object?["if"]?.string }
    #expect(
      shareRules == [
        "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH || $CI_COMMIT_BRANCH =~ /^release\\//"
      ])
    let steps = try #require(share["script"]?.array).compactMap(\.string)
    let order = ["store fetch", "promptgate gate", "store push"].map { command in
      steps.firstIndex { $0.contains(command) } ?? -1
    }
    #expect(order.allSatisfy { $0 >= 0 } && order == order.sorted(), "\(steps)")
  }
}
