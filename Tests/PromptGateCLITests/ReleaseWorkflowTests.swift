import Foundation
import PromptGateCore
import TestSupport
import Testing

/// This repository's own release workflow (.github/workflows/release.yml): valid for actionlint
/// and GitHub's schema, and building what docs/install.md promises.
@Suite("Release workflow")
struct ReleaseWorkflowTests {
  static let file = ".github/workflows/release.yml"

  @Test("passes actionlint and the workflow schema")
  func valid() throws {
    let lint = try TestTools.run(
      "actionlint", ["-no-color", PackageFiles.path(Self.file)], in: PackageFiles.root)
    #expect(lint.exitCode == 0, "\(lint)")
    let schema = try TestTools.run(
      "check-jsonschema", ["--builtin-schema", "vendor.github-workflows", Self.file],
      in: PackageFiles.root)
    #expect(schema.exitCode == 0, "\(schema)")
  }

  @Test("runs on version tags, builds both platforms with the tarball script, then publishes")
  func shape() throws {
    let text = try String(contentsOfFile: PackageFiles.path(Self.file), encoding: .utf8)
    let workflow = try #require(try YAMLLoader.load(text, file: Self.file).object)
    #expect(workflow["on"]?.object?["push"]?.object?["tags"] == .array([.string("v*")]))
    #expect(workflow["permissions"] == .object(["contents": .string("read")]))
    let jobs = try #require(workflow["jobs"]?.object)
    let build = try #require(jobs["build"]?.object)
    let platforms = build["strategy"]?.object?["matrix"]?.object?["include"]?.array ?? []
    #expect(platforms.compactMap { $0.object?["arch"]?.string } == ["x86_64", "aarch64"])
    #expect(platforms.last?.object?["runner"]?.string?.hasSuffix("-arm") == true)
    let scripts = (build["steps"]?.array ?? []).compactMap { $0.object?["run"]?.string }
    #expect(scripts.contains { $0.contains("scripts/release-tarball.sh \"${GITHUB_REF_NAME#v}\"") })
    let verify = try #require(jobs["verify"]?.object)
    let checks = (verify["steps"]?.array ?? []).compactMap { $0.object?["run"]?.string }
    #expect(checks.contains { $0.contains("sha256sum -c") })
    let publish = try #require(jobs["publish"]?.object)
    #expect(publish["needs"] == .string("verify"))
    #expect(publish["permissions"] == .object(["contents": .string("write")]))
  }
}
