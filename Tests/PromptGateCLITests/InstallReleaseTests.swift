import Foundation
import PromptGateCore
import TestSupport
import Testing

/// scripts/install-release.sh, and the composite action's and the GitLab template's steps that
/// run it, against a loopback server holding a release's files: a good checksum installs, a bad
/// one is refused and nothing reaches PATH, a missing release falls back to building.
@Suite("Installing a release")
struct InstallReleaseTests {
  static let version = "1.2.3"
  static var arch: String {
    var info = utsname()
    uname(&info)
    let machine = withUnsafeBytes(of: &info.machine) {
      String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
    }
    return machine == "arm64" ? "aarch64" : machine
  }
  static var name: String { "promptgate-\(version)-linux-\(arch)" }

  /// A directory for one test, removed when released.
  final class Scratch {
    let path: String
    init() throws {
      path =
        FileManager.default.temporaryDirectory.appendingPathComponent(
          "pg-install-\(UUID().uuidString)"
        ).path
      try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
  }

  /// A release's two files, as the release workflow names them: the tarball (holding
  /// NAME/bin/promptgate, a stand-in that prints its version) and its `sha256sum` line.
  static func release(in scratch: Scratch) throws -> (tarball: [UInt8], checksum: [UInt8]) {
    let bin = scratch.path + "/build/\(name)/bin"
    try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
    try Data("#!/bin/sh\necho \"promptgate \(version)\"\n".utf8).write(
      to: URL(fileURLWithPath: bin + "/promptgate"))
    try FileManager.default.setAttributes(
      [.posixPermissions: 0o755], ofItemAtPath: bin + "/promptgate")
    let environment = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
    let tar = try Subprocess.run(
      try Subprocess.which("tar"), ["-czf", "../\(name).tar.gz", name],
      in: scratch.path + "/build", environment: environment)
    #expect(tar.exitCode == 0, "\(tar)")
    let sum = try Subprocess.run(
      try Subprocess.which("sha256sum"), ["\(name).tar.gz"], in: scratch.path,
      environment: environment)
    #expect(sum.exitCode == 0, "\(sum)")
    let tarball = Array(
      try Data(contentsOf: URL(fileURLWithPath: "\(scratch.path)/\(name).tar.gz")))
    return (tarball, Array(sum.stdout.utf8))
  }

  static func server(tarball: [UInt8], checksum: [UInt8]) throws -> LoopbackFileServer {
    try LoopbackFileServer(files: [
      "/v\(version)/\(name).tar.gz": tarball, "/v\(version)/\(name).tar.gz.sha256": checksum,
    ])
  }

  static func install(_ server: LoopbackFileServer, version: String = version, into dest: String)
    throws -> CommandResult
  {
    try Subprocess.run(
      PackageFiles.path("scripts/install-release.sh"),
      ["--version", version, "--base-url", server.baseURL, "--dest", dest],
      in: PackageFiles.root,
      environment: ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"])
  }

  @Test("a release whose checksum matches is unpacked, and its bin directory printed")
  func goodChecksum() throws {
    let scratch = try Scratch()
    let (tarball, checksum) = try Self.release(in: scratch)
    let server = try Self.server(tarball: tarball, checksum: checksum)
    defer { server.stop() }
    let result = try Self.install(server, version: "v\(Self.version)", into: scratch.path + "/dest")
    #expect(result.exitCode == 0, "\(result)")
    let bin = "\(scratch.path)/dest/\(Self.name)/bin"
    #expect(result.stdout == bin + "\n", "\(result)")
    let run = try Subprocess.run(bin + "/promptgate", [], in: scratch.path, environment: [:])
    #expect(run.stdout == "promptgate \(Self.version)\n")
    #expect(
      server.requests == [
        "/v\(Self.version)/\(Self.name).tar.gz.sha256", "/v\(Self.version)/\(Self.name).tar.gz",
      ])
  }

  @Test("a tarball that does not match its checksum is refused, and nothing is unpacked")
  func badChecksum() throws {
    let scratch = try Scratch()
    var (tarball, checksum) = try Self.release(in: scratch)
    tarball[tarball.count / 2] ^= 0xFF
    let server = try Self.server(tarball: tarball, checksum: checksum)
    defer { server.stop() }
    let result = try Self.install(server, into: scratch.path + "/dest")
    #expect(result.exitCode == 1, "\(result)")
    #expect(result.stdout.isEmpty)
    #expect(result.stderr.contains("the SHA-256 of \(Self.name).tar.gz is "), "\(result)")
    #expect(
      result.stderr.contains("the download is corrupt or not the release; nothing was installed"))
    #expect(!FileManager.default.fileExists(atPath: scratch.path + "/dest/\(Self.name)"))
    // A checksum file for another file is refused too.
    checksum = Array("\(String(repeating: "0", count: 64))  other.tar.gz\n".utf8)
    let other = try Self.server(tarball: tarball, checksum: checksum)
    defer { other.stop() }
    let wrongName = try Self.install(other, into: scratch.path + "/dest")
    #expect(wrongName.exitCode == 1, "\(wrongName)")
    #expect(wrongName.stderr.contains("is not the checksum file of \(Self.name).tar.gz"))
  }

  @Test("a version with no release exits 3, so that the caller builds from source")
  func noRelease() throws {
    let scratch = try Scratch()
    let (tarball, checksum) = try Self.release(in: scratch)
    let server = try Self.server(tarball: tarball, checksum: checksum)
    defer { server.stop() }
    let result = try Self.install(server, version: "9.9.9", into: scratch.path + "/dest")
    #expect(result.exitCode == 3, "\(result)")
    #expect(result.stderr.contains("no release 9.9.9 for linux-\(Self.arch)"), "\(result)")
  }

  /// The `run:` text of action.yml's step `id`, and its `env:` names.
  static func actionStep(_ id: String) throws -> (run: String, env: [String]) {
    let text = try String(contentsOfFile: PackageFiles.path("action.yml"), encoding: .utf8)
    let action = try YAMLLoader.load(text, file: "action.yml")
    let steps = action.object?["runs"]?.object?["steps"]?.array?.compactMap(\.object) ?? []
    let step = try #require(steps.first { $0["id"] == .string(id) })
    return (
      try #require(step["run"]?.string), (step["env"]?.object?.keys).map { Array($0) } ?? []
    )
  }

  @Test("the action's release step puts the bin directory on PATH only when the checksum matches")
  func actionStep() throws {
    let (script, env) = try Self.actionStep("release")
    #expect(
      Set(env) == [
        "PROMPTGATE_VERSION", "PROMPTGATE_ACTION_REF", "PROMPTGATE_RELEASES", "PROMPTGATE_HOME",
      ])
    for tampered in [false, true] {
      let scratch = try Scratch()
      var (tarball, checksum) = try Self.release(in: scratch)
      if tampered { tarball[tarball.count / 2] ^= 0xFF }
      let server = try Self.server(tarball: tarball, checksum: checksum)
      defer { server.stop() }
      let files = (path: scratch.path + "/github-path", output: scratch.path + "/github-output")
      FileManager.default.createFile(atPath: files.path, contents: nil)
      FileManager.default.createFile(atPath: files.output, contents: nil)
      let result = try Subprocess.run(
        try Subprocess.which("bash"), ["-e", "-c", script], in: scratch.path,
        environment: [
          "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
          "PROMPTGATE_VERSION": "", "PROMPTGATE_ACTION_REF": "v\(Self.version)",
          "PROMPTGATE_RELEASES": server.baseURL, "PROMPTGATE_HOME": scratch.path + "/home",
          "GITHUB_ACTION_PATH": PackageFiles.root, "GITHUB_PATH": files.path,
          "GITHUB_OUTPUT": files.output,
        ])
      let path = try String(contentsOfFile: files.path, encoding: .utf8)
      let output = try String(contentsOfFile: files.output, encoding: .utf8)
      if tampered {
        #expect(result.exitCode == 1, "\(result)")
        #expect(result.stderr.contains("nothing was installed"), "\(result)")
        #expect(path.isEmpty && output.isEmpty)
      } else {
        let bin = "\(scratch.path)/home/\(Self.name)/bin"
        #expect(result.exitCode == 0, "\(result)")
        #expect(path == bin + "\n")
        #expect(output == "installed=true\nbin-path=\(bin)\n")
      }
    }
  }

  @Test("the GitLab template installs the release its ref names, and builds only without one")
  func gitlabStep() throws {
    let text = try String(
      contentsOfFile: PackageFiles.path("ci-templates/gitlab/promptgate.gitlab-ci.yml"),
      encoding: .utf8)
    let template = try YAMLLoader.load(text, file: "promptgate.gitlab-ci.yml")
    let before = template.object?[".promptgate-install"]?.object?["before_script"]?.array ?? []
    let script = try #require(
      before.compactMap(\.string).first { $0.contains("scripts/install-release.sh") })
    #expect(script.contains("swift build -c release --static-swift-stdlib"))
    for tampered in [false, true] {
      let scratch = try Scratch()
      var (tarball, checksum) = try Self.release(in: scratch)
      if tampered { tarball[tarball.count / 2] ^= 0xFF }
      let server = try Self.server(tarball: tarball, checksum: checksum)
      defer { server.stop() }
      let home = scratch.path + "/promptgate"
      try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
      try FileManager.default.createSymbolicLink(
        atPath: home + "/src", withDestinationPath: PackageFiles.root)
      let result = try Subprocess.run(
        try Subprocess.which("bash"),
        ["-e", "-o", "pipefail", "-c", script + "\necho \"PATH=$PATH\"\n"],
        in: scratch.path,
        environment: [
          "PATH": "/usr/bin:/bin", "PROMPTGATE_VERSION": "", "PROMPTGATE_REF": "v\(Self.version)",
          "PROMPTGATE_RELEASES": server.baseURL, "PROMPTGATE_HOME": home,
          "PROMPTGATE_BUILD_FROM_SOURCE": "false",
        ])
      if tampered {
        #expect(result.exitCode == 1, "\(result)")
        #expect(!result.stdout.contains("PATH="), "\(result)")
        #expect(!result.stdout.contains("building from source"), "\(result)")
      } else {
        #expect(result.exitCode == 0, "\(result)")
        #expect(
          result.stdout.contains("PATH=\(home)/release/\(Self.name)/bin:/usr/bin:/bin"), "\(result)"
        )
      }
    }
  }
}
