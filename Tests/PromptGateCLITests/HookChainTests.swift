import Foundation
import TestSupport
import Testing

/// A hook that `install-hooks --force` replaces is kept as `<hook>.local` and still runs: first,
/// with the same arguments and standard input, and its failure stops the commit or push.
@Suite("hook chaining")
struct HookChainTests {
  /// A foreign hook that appends its arguments and standard input to `record` and exits with
  /// the status in `status` (a file: absent means 0), saying so on stderr.
  static func foreignHook(record: String, status: String) -> String {
    """
    #!/bin/sh
    printf 'args:%s\\n' "$*" >> '\(record)'
    cat >> '\(record)'
    code=0
    if [ -f '\(status)' ]; then code=$(cat '\(status)'); fi
    echo "team check exits $code" >&2
    exit "$code"

    """
  }

  @Test(
    "the kept pre-commit.local runs before PromptGate's check, and its failure stops the commit")
  func preCommitChain() throws {
    let repository = try ExampleProject.repository()
    let record = repository.container + "/record"
    let status = repository.container + "/status"
    try repository.write(
      ".git/hooks/pre-commit", Self.foreignHook(record: record, status: status))
    _ = chmod(repository.absolute(".git/hooks/pre-commit"), 0o755)
    let forced = try repository.run("promptgate-install-hooks", ["--force"])
    forced.expect(exit: 0)
    #expect(
      forced.stdout.contains("pre-commit.local; the PromptGate pre-commit hook runs it first"))

    try repository.write("prompts/support/system.md", "Changed.\n")
    try repository.git("add", "-A")
    let head = try repository.head()
    try Data("3".utf8).write(to: URL(fileURLWithPath: status))
    let refused = try repository.runProgram("git", ["commit", "-q", "-m", "Change the prompt"])
    #expect(refused.exitCode != 0, "\(refused)")
    #expect(refused.stderr.contains("team check exits 3"))
    // PromptGate's part did not run, and nothing was committed.
    #expect(!refused.stderr.contains("promptgate: support-agent"), "\(refused)")
    #expect(try repository.head() == head)

    try FileManager.default.removeItem(atPath: status)
    let committed = try repository.runProgram("git", ["commit", "-q", "-m", "Change the prompt"])
    committed.expect(exit: 0)
    #expect(committed.stderr.contains("team check exits 0"))
    #expect(committed.stderr.contains("promptgate: support-agent changed (prompt)"))
    #expect(try repository.head() != head)
    let recorded = try String(contentsOfFile: record, encoding: .utf8)
    #expect(recorded.components(separatedBy: "args:").count == 3, "ran once per commit attempt")
  }

  @Test("the pre-push hook gives pre-push.local and PromptGate the same arguments and stdin")
  func prePushSameInput() throws {
    let repository = try TemporaryRepository()
    let record = repository.container + "/record"
    let status = repository.container + "/status"
    try repository.write(".git/hooks/pre-push", Self.foreignHook(record: record, status: status))
    _ = chmod(repository.absolute(".git/hooks/pre-push"), 0o755)
    try repository.run("promptgate-install-hooks", ["--force"]).expect(exit: 0)

    // A stand-in promptgate-hook records what the hook passes it.
    let bin = repository.container + "/bin"
    let seen = repository.container + "/seen"
    try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
    try Data(
      "#!/bin/sh\nprintf 'args:%s\\n' \"$*\" >> '\(seen)'\ncat >> '\(seen)'\nexit 0\n".utf8
    ).write(to: URL(fileURLWithPath: bin + "/promptgate-hook"))
    _ = chmod(bin + "/promptgate-hook", 0o755)

    let refs =
      "refs/heads/main \(String(repeating: "1", count: 40)) refs/heads/main "
      + "\(String(repeating: "0", count: 40))\nrefs/heads/topic \(String(repeating: "2", count: 40)) "
      + "refs/heads/topic \(String(repeating: "0", count: 40))\n\n"
    let hook = repository.absolute(".git/hooks/pre-push")
    let environment = repository.environment.merging(["PROMPTGATE_BIN_DIR": bin]) { $1 }
    let passed = try Subprocess.run(
      hook, ["origin", "/srv/remote.git"], in: repository.path, environment: environment,
      stdin: refs)
    passed.expect(exit: 0)
    #expect(
      try String(contentsOfFile: record, encoding: .utf8) == "args:origin /srv/remote.git\n" + refs)
    #expect(
      try String(contentsOfFile: seen, encoding: .utf8)
        == "args:pre-push origin /srv/remote.git\n" + refs)

    // A failing local hook stops the push with its own status; PromptGate's part does not run.
    try FileManager.default.removeItem(atPath: seen)
    try Data("5".utf8).write(to: URL(fileURLWithPath: status))
    let failed = try Subprocess.run(
      hook, ["origin", "/srv/remote.git"], in: repository.path, environment: environment,
      stdin: refs)
    failed.expect(exit: 5)
    #expect(failed.stderr.contains("team check exits 5"))
    #expect(!FileManager.default.fileExists(atPath: seen))
  }

  @Test("a real git push runs pre-push.local with git's refs and stops when it fails")
  func prePushChainInGit() throws {
    let fixture = try PushFixture(hook: false)
    let repository = fixture.repository
    let record = repository.container + "/record"
    let status = repository.container + "/status"
    try repository.write(".git/hooks/pre-push", Self.foreignHook(record: record, status: status))
    _ = chmod(repository.absolute(".git/hooks/pre-push"), 0o755)
    let forced = try repository.run("promptgate-install-hooks", ["--force"])
    forced.expect(exit: 0)
    #expect(forced.stdout.contains("its failure stops the push"))

    try fixture.gate.rewordShipping()
    let head = try repository.commit("Reword shipping")
    try Data("4".utf8).write(to: URL(fileURLWithPath: status))
    let refused = try fixture.push(["origin", "main"])
    #expect(refused.exitCode != 0, "\(refused)")
    #expect(refused.stderr.contains("team check exits 4"))
    #expect(try fixture.remoteCommit("main") == fixture.gate.baseline)

    try FileManager.default.removeItem(atPath: status)
    let pushed = try fixture.push(["origin", "main"])
    pushed.expect(exit: 0)
    #expect(try fixture.remoteCommit("main") == head)
    let recorded = try String(contentsOfFile: record, encoding: .utf8)
    #expect(recorded.contains("refs/heads/main \(head) refs/heads/main \(fixture.gate.baseline)"))
  }

  @Test("a pre-commit.local that is not executable is not run, and the hook says so")
  func notExecutable() throws {
    let repository = try ExampleProject.repository()
    try repository.run("promptgate-install-hooks").expect(exit: 0)
    try repository.write(".git/hooks/pre-commit.local", "#!/bin/sh\nexit 1\n")
    _ = chmod(repository.absolute(".git/hooks/pre-commit.local"), 0o644)
    try repository.write("README.md", "Changed.\n")
    try repository.git("add", "-A")
    let commit = try repository.runProgram("git", ["commit", "-q", "-m", "Docs"])
    commit.expect(exit: 0)
    #expect(commit.stderr.contains("pre-commit.local is not executable, so it was not run"))
  }
}
