import Foundation
import TestSupport
import Testing

/// The hook templates in ci-templates/ through the real hook managers: the pre-commit framework
/// and lefthook, installed by scripts/test-tools.sh. PromptGate's executables are found on PATH,
/// as the templates expect.
@Suite("hook frameworks")
struct HookFrameworkTests {
  /// A gate fixture with `template` committed at `name`, a bare remote `origin` holding main,
  /// and an environment that finds PromptGate and the tools on PATH.
  private final class Managed {
    let push: PushFixture
    let environment: [String: String]
    /// The commit main is at once the template is committed (and pushed).
    let start: String

    var repository: TemporaryRepository { push.repository }

    init(template: String, as name: String) throws {
      push = try PushFixture(hook: false)
      let text = try String(contentsOfFile: PackageFiles.path(template), encoding: .utf8)
      try push.repository.write(name, text)
      start = try push.repository.commit("Hook manager")
      try push.repository.git("push", "-q", "origin", "main")
      let path = push.repository.environment["PATH"] ?? "/usr/bin:/bin"
      environment = push.gate.environment.merging([
        "PATH": Executable.directory + ":" + TestTools.directory + ":" + path,
        // Only PATH: the templates run `promptgate-hook` by name.
        "PROMPTGATE_BIN_DIR": "",
        "PRE_COMMIT_HOME": push.repository.container + "/pre-commit-home",
        "PRE_COMMIT_COLOR": "never",
        "NO_COLOR": "1",
      ]) { $1 }
    }

    /// Runs the tool `name` (from .build/test-tools) in the working tree.
    func tool(_ name: String, _ arguments: [String]) throws -> CommandResult {
      try repository.runProgram(try TestTools.path(name), arguments, environment: environment)
    }

    /// `git ARGUMENTS` in the working tree with the environment.
    func git(_ arguments: [String]) throws -> CommandResult {
      try repository.runProgram("git", arguments, environment: environment)
    }

    /// Stages everything and commits it as `message` through whatever hooks are installed.
    func commit(_ message: String) throws -> CommandResult {
      try repository.git("add", "-A")
      return try git(["commit", "-q", "-m", message])
    }
  }

  private func output(_ result: CommandResult) -> String { result.stdout + result.stderr }

  private func expectCommits(_ managed: Managed, _ hooks: String) throws {
    try managed.push.gate.breakRefund()
    let refused = try managed.commit("Store credit only")
    #expect(refused.exitCode != 0, "\(hooks) let a regression through\n\(refused)")
    #expect(try managed.repository.head() == managed.start)
    #expect(output(refused).contains("regressed refund"))
    #expect(output(refused).contains("PROMPTGATE_SKIP=1"))

    try managed.repository.git("reset", "-q")
    try managed.repository.git("checkout", "-q", "--", ".")
    try managed.push.gate.rewordShipping()
    let before = managed.push.gate.calls().count
    let accepted = try managed.commit("Reword")
    #expect(accepted.exitCode == 0, "\(hooks) refused a harmless change\n\(accepted)")
    #expect(try managed.repository.head() != managed.start)
    // The gate ran the new prompt's three cases (the baseline's are in the store), though the
    // manager may hide the output of a hook that passed.
    #expect(managed.push.gate.calls().count == before + 3)
  }

  private func expectPushes(_ managed: Managed, _ hooks: String) throws {
    try managed.push.gate.breakRefund()
    try managed.repository.git("add", "-A")
    try managed.git(["commit", "-q", "--no-verify", "-m", "Store credit only"]).expect(exit: 0)
    let refused = try managed.git(["push", "origin", "main"])
    #expect(refused.exitCode != 0, "\(hooks) pushed a regression\n\(refused)")
    #expect(try managed.push.remoteCommit("main") == managed.start)
    #expect(output(refused).contains("regressed refund"))

    try managed.git(["reset", "-q", "--hard", managed.start]).expect(exit: 0)
    try managed.push.gate.rewordShipping()
    try managed.repository.git("add", "-A")
    try managed.git(["commit", "-q", "--no-verify", "-m", "Reword"]).expect(exit: 0)
    let accepted = try managed.git(["push", "origin", "main"])
    #expect(accepted.exitCode == 0, "\(hooks) refused a harmless push\n\(accepted)")
    #expect(try managed.push.remoteCommit("main") == managed.repository.head())
  }

  private func installPreCommit() throws -> Managed {
    let managed = try Managed(
      template: "ci-templates/pre-commit/.pre-commit-config.yaml", as: ".pre-commit-config.yaml")
    let installed = try managed.tool("pre-commit", ["install"])
    installed.expect(exit: 0)
    #expect(installed.stdout.contains("pre-commit installed at .git/hooks/pre-commit"))
    #expect(installed.stdout.contains("pre-commit installed at .git/hooks/pre-push"))
    return managed
  }

  private func installLefthook() throws -> Managed {
    let managed = try Managed(template: "ci-templates/lefthook/lefthook.yml", as: "lefthook.yml")
    try managed.tool("lefthook", ["install"]).expect(exit: 0)
    let hook = try managed.repository.read(".git/hooks/pre-commit")
    #expect(hook.contains("lefthook"))
    return managed
  }

  @Test("pre-commit framework: a commit that breaks a case is refused, a harmless one accepted")
  func preCommitFrameworkCommits() throws {
    try expectCommits(try installPreCommit(), "the pre-commit framework")
  }

  @Test("pre-commit framework: a push that breaks a case is refused, a harmless one accepted")
  func preCommitFrameworkPushes() throws {
    try expectPushes(try installPreCommit(), "the pre-commit framework")
  }

  @Test("lefthook: a commit that breaks a case is refused, a harmless one accepted")
  func lefthookCommits() throws {
    try expectCommits(try installLefthook(), "lefthook")
  }

  @Test("lefthook: a push that breaks a case is refused, a harmless one accepted")
  func lefthookPushes() throws {
    try expectPushes(try installLefthook(), "lefthook")
  }

  @Test("the templates are valid for their managers, and .pre-commit-hooks.yaml for pre-commit")
  func validTemplates() throws {
    let managed = try Managed(template: "ci-templates/lefthook/lefthook.yml", as: "lefthook.yml")
    try managed.tool("lefthook", ["validate"]).expect(exit: 0)
    let config = PackageFiles.path("ci-templates/pre-commit/.pre-commit-config.yaml")
    try managed.tool("pre-commit", ["validate-config", config]).expect(exit: 0)
    let manifest = PackageFiles.path(".pre-commit-hooks.yaml")
    try managed.tool("pre-commit", ["validate-manifest", manifest]).expect(exit: 0)
    let text = try String(contentsOfFile: manifest, encoding: .utf8)
    #expect(text.contains("entry: promptgate-hook pre-push"))
    #expect(text.contains("stages: [pre-push]"))
  }
}
