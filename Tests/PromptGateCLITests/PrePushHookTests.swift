import Foundation
import PromptGateCLI
import TestSupport
import Testing

/// A gate fixture with a bare remote, `origin`, that holds its "Baseline" on `main`.
final class PushFixture {
  let gate: GateFixture
  /// The bare remote's path.
  let remote: String

  var repository: TemporaryRepository { gate.repository }

  /// Makes the remote, pushes main to it, then installs the package's hooks/pre-push, as
  /// committed (unless `hook` is false).
  init(hook: Bool = true) throws {
    gate = try GateFixture()
    remote = gate.repository.container + "/remote.git"
    try gate.repository.git("init", "-q", "--bare", remote)
    try gate.repository.git("remote", "add", "origin", remote)
    try gate.repository.git("push", "-q", "origin", "main")
    if hook { try Self.install("hooks/pre-push", in: gate.repository) }
  }

  /// Copies the package file `file` into the repository's hooks directory, executable.
  static func install(_ file: String, in repository: TemporaryRepository) throws {
    let hooks = repository.absolute(".git/hooks")
    try FileManager.default.createDirectory(atPath: hooks, withIntermediateDirectories: true)
    let target = hooks + "/" + URL(fileURLWithPath: file).lastPathComponent
    try? FileManager.default.removeItem(atPath: target)
    try FileManager.default.copyItem(atPath: PackageFiles.path(file), toPath: target)
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: target)
  }

  /// `git push ARGUMENTS` with the harness's environment and `extra`.
  func push(_ arguments: [String], environment extra: [String: String] = [:]) throws
    -> CommandResult
  {
    try repository.runProgram(
      "git", ["push"] + arguments, environment: gate.environment.merging(extra) { $1 })
  }

  /// The commit `branch` names on the remote, or nil when it has no such branch.
  func remoteCommit(_ branch: String) throws -> String? {
    let listed = try repository.git("ls-remote", remote, "refs/heads/" + branch)
    return listed.split(separator: "\t").first.map(String.init)
  }

  /// Commits the fixture's prompt edit `edit` as `message`; returns the commit.
  @discardableResult
  func commit(_ message: String, _ edit: (GateFixture) throws -> Void) throws -> String {
    try edit(gate)
    return try repository.commit(message)
  }
}

/// The native pre-push hook inside real `git push` runs to a local bare remote.
@Suite("pre-push hook")
struct PrePushHookTests {
  @Test("the committed hooks/pre-push is HookScript.prePush and is executable")
  func committedScript() throws {
    let path = PackageFiles.path("hooks/pre-push")
    let data = try #require(FileManager.default.contents(atPath: path))
    #expect(String(decoding: data, as: UTF8.self) == HookScript.prePush + "\n")
    #expect(FileManager.default.isExecutableFile(atPath: path))
  }

  @Test("a push of a commit that breaks a case is refused and says how to skip")
  func regressionRefused() throws {
    let fixture = try PushFixture()
    try fixture.commit("Store credit only") { try $0.breakRefund() }
    let result = try fixture.push(["origin", "main"])
    #expect(result.exitCode != 0, "\(result)")
    #expect(try fixture.remoteCommit("main") == fixture.gate.baseline)
    #expect(result.stderr.contains("promptgate: main: bot changed (prompt)"))
    #expect(result.stderr.contains("REGRESSED"))
    #expect(result.stderr.contains("regressed refund"))
    #expect(result.stderr.contains("PROMPTGATE_SKIP=1 git push"))
    #expect(result.stderr.contains("git push --no-verify"))
    // Three cases a side, then the refund case re-sampled to 15 runs a side.
    #expect(fixture.gate.calls().count == 6 + 28)
  }

  @Test("a harmless push goes through after the gate passes")
  func harmlessPushes() throws {
    let fixture = try PushFixture()
    let head = try fixture.commit("Reword") { try $0.rewordShipping() }
    let result = try fixture.push(["origin", "main"])
    result.expect(exit: 0)
    #expect(try fixture.remoteCommit("main") == head)
    #expect(result.stderr.contains("promptgate: main: selected smoke"))
    #expect(fixture.gate.calls().count == 6)
  }

  @Test("a push that touches no behavior runs nothing and prints nothing of PromptGate's")
  func irrelevantPush() throws {
    let fixture = try PushFixture()
    try fixture.repository.write("README.md", "A better bot.\n")
    let head = try fixture.repository.commit("Docs")
    let result = try fixture.push(["-q", "origin", "main"])
    result.expect(exit: 0)
    #expect(try fixture.remoteCommit("main") == head)
    #expect(!result.stderr.contains("promptgate:"))
    #expect(fixture.gate.calls().isEmpty)
  }

  @Test("PROMPTGATE_SKIP=1 and --no-verify push a regression without a provider call")
  func skip() throws {
    let fixture = try PushFixture()
    let head = try fixture.commit("Store credit only") { try $0.breakRefund() }
    let skipped = try fixture.push(["origin", "main"], environment: ["PROMPTGATE_SKIP": "1"])
    skipped.expect(exit: 0)
    #expect(skipped.stderr.contains("promptgate: pre-push skipped (PROMPTGATE_SKIP=1)"))
    #expect(try fixture.remoteCommit("main") == head)
    try fixture.repository.git("checkout", "-q", "-b", "other")
    try fixture.push(["--no-verify", "origin", "other"]).expect(exit: 0)
    #expect(try fixture.remoteCommit("other") == head)
    #expect(fixture.gate.calls().isEmpty)
  }

  @Test("deleting a remote branch is not gated")
  func deletion() throws {
    let fixture = try PushFixture()
    try fixture.repository.git("checkout", "-q", "-b", "feature")
    try fixture.commit("Store credit only") { try $0.breakRefund() }
    try fixture.push(["origin", "feature"], environment: ["PROMPTGATE_SKIP": "1"]).expect(exit: 0)
    #expect(try fixture.remoteCommit("feature") != nil)
    let result = try fixture.push(["origin", "--delete", "feature"])
    result.expect(exit: 0)
    #expect(try fixture.remoteCommit("feature") == nil)
    #expect(!result.stderr.contains("promptgate:"))
    #expect(fixture.gate.calls().isEmpty)
  }

  @Test("a new branch is gated against its merge-base with the remote's default branch")
  func newBranch() throws {
    let fixture = try PushFixture()
    // main moves on locally (not pushed): the merge-base is still the remote's Baseline.
    try fixture.commit("Reword") { try $0.rewordShipping() }
    try fixture.repository.git("checkout", "-q", "-b", "feature", "main~1")
    try fixture.commit("Store credit only") { try $0.breakRefund() }
    let short = String(fixture.gate.baseline.prefix(7))
    let refused = try fixture.push(["origin", "feature"])
    #expect(refused.exitCode != 0, "\(refused)")
    #expect(
      refused.stderr.contains(
        "promptgate: feature: new on the remote: gated against its merge-base with origin/main, "
          + short))
    #expect(refused.stderr.contains("regressed refund"))
    #expect(try fixture.remoteCommit("feature") == nil)

    try fixture.repository.git("checkout", "-q", "-b", "harmless", "main")
    let accepted = try fixture.push(["origin", "harmless"])
    accepted.expect(exit: 0)
    #expect(accepted.stderr.contains("merge-base with origin/main, " + short))
    #expect(try fixture.remoteCommit("harmless") != nil)
  }

  @Test("origin/HEAD names the default branch when the remote has one")
  func remoteHead() throws {
    let fixture = try PushFixture()
    try fixture.repository.git("checkout", "-q", "-b", "trunk")
    try fixture.commit("Store credit only") { try $0.breakRefund() }
    try fixture.push(["-q", "origin", "trunk"], environment: ["PROMPTGATE_SKIP": "1"])
      .expect(exit: 0)
    try fixture.repository.git(
      "symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/trunk")
    // Against trunk (already broken) a further harmless change passes; against main it would not.
    try fixture.repository.git("checkout", "-q", "-b", "topic")
    try fixture.commit("Reword") { try $0.rewordShipping() }
    let result = try fixture.push(["origin", "topic"])
    result.expect(exit: 0)
    #expect(result.stderr.contains("merge-base with origin/HEAD"))
  }

  @Test("pushed to a path, a new branch is gated against the local main")
  func pathRemoteUsesLocalMain() throws {
    let fixture = try PushFixture()
    try fixture.repository.git("checkout", "-q", "-b", "feature")
    try fixture.commit("Store credit only") { try $0.breakRefund() }
    // Pushing to a path, not a named remote: there are no remote-tracking branches to look at.
    let result = try fixture.push([fixture.remote, "feature"])
    #expect(result.exitCode != 0, "\(result)")
    #expect(result.stderr.contains("gated against its merge-base with main, "))
    #expect(result.stderr.contains("regressed refund"))
    #expect(try fixture.remoteCommit("feature") == nil)
  }

  @Test("with no default branch here at all, the push stops and names the fetch to run")
  func noDefaultBranch() throws {
    let fixture = try PushFixture()
    try fixture.repository.git("checkout", "-q", "-b", "feature")
    try fixture.commit("Store credit only") { try $0.breakRefund() }
    try fixture.repository.git("branch", "-q", "-D", "main")
    let result = try fixture.push([fixture.remote, "feature"])
    result.expect(exit: 1)
    #expect(result.stderr.contains("cannot find where this new branch starts"), "\(result)")
    #expect(result.stderr.contains("git fetch origin main"))
    #expect(result.stderr.contains("PROMPTGATE_SKIP=1 git push"))
    #expect(try fixture.remoteCommit("feature") == nil)
  }

  @Test("a remote commit missing here is said so, and the ref is gated as a new branch")
  func unknownRemoteCommit() throws {
    let fixture = try PushFixture()
    let head = try fixture.commit("Store credit only") { try $0.breakRefund() }
    let missing = String(repeating: "ab", count: 20)
    let result = try fixture.repository.run(
      "promptgate-hook", ["pre-push", "origin", fixture.remote],
      environment: fixture.gate.environment,
      stdin: "refs/heads/main \(head) refs/heads/main \(missing)\n")
    result.expect(exit: 1)
    #expect(result.stderr.contains("the remote's abababa is not in this repository"))
    #expect(result.stderr.contains("merge-base with origin/main"))
    #expect(result.stderr.contains("regressed refund"))
  }

  @Test("a malformed line on stdin is a usage error")
  func malformedInput() throws {
    let fixture = try PushFixture(hook: false)
    let result = try fixture.repository.run(
      "promptgate-hook", ["pre-push", "origin", fixture.remote], stdin: "refs/heads/main\n")
    result.expect(exit: 2)
    #expect(result.stderr.contains("<local ref> <local sha> <remote ref> <remote sha>"))
  }

  @Test("install-hooks installs pre-push too, and git push runs it")
  func installHooks() throws {
    let fixture = try PushFixture(hook: false)
    let installed = try fixture.repository.run("promptgate-install-hooks")
    installed.expect(exit: 0)
    #expect(installed.stdout.contains("installed the PromptGate pre-commit hook"))
    #expect(installed.stdout.contains("installed the PromptGate pre-push hook"))
    let hook = try fixture.repository.read(".git/hooks/pre-push")
    #expect(hook.contains(Executable.directory))
    #expect(hook.contains("exec \"$hook\" pre-push \"$@\""))
    try fixture.gate.breakRefund()
    try fixture.repository.git("commit", "-q", "--no-verify", "-a", "-m", "Store credit only")
    let push = try fixture.push(["origin", "main"], environment: ["PROMPTGATE_BIN_DIR": ""])
    #expect(push.exitCode != 0, "\(push)")
    #expect(push.stderr.contains("regressed refund"))
  }

  @Test("install-hooks leaves a foreign pre-push alone; --force keeps it as pre-push.local")
  func foreignPrePush() throws {
    let fixture = try PushFixture(hook: false)
    let foreign = "#!/bin/sh\necho 'my own push checks'\n"
    try fixture.repository.write(".git/hooks/pre-push", foreign)
    let refused = try fixture.repository.run("promptgate-install-hooks")
    refused.expect(exit: 2)
    #expect(refused.stderr.contains("pre-push already exists and is not PromptGate's"))
    #expect(try fixture.repository.read(".git/hooks/pre-push") == foreign)
    #expect(
      !FileManager.default.fileExists(atPath: fixture.repository.absolute(".git/hooks/pre-commit")))
    let forced = try fixture.repository.run("promptgate-install-hooks", ["--force"])
    forced.expect(exit: 0)
    #expect(try fixture.repository.read(".git/hooks/pre-push.local") == foreign)
    #expect(try fixture.repository.read(".git/hooks/pre-push").contains("promptgate-hook"))
    #expect(
      !FileManager.default.fileExists(
        atPath: fixture.repository.absolute(".git/hooks/pre-commit.local")))
  }
}
