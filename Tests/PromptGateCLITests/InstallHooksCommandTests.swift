import Foundation
import TestSupport
import Testing

@Suite("promptgate-install-hooks")
struct InstallHooksCommandTests {
  private func isExecutable(_ path: String) -> Bool {
    FileManager.default.isExecutableFile(atPath: path)
  }

  @Test("installs an executable pre-commit hook into .git/hooks, and again is a no-op")
  func install() throws {
    let repository = try TemporaryRepository()
    let result = try repository.run("promptgate-install-hooks")
    result.expect(exit: 0)
    #expect(result.stderr.isEmpty)
    let hook = repository.absolute(".git/hooks/pre-commit")
    #expect(isExecutable(hook))
    let installed = try repository.read(".git/hooks/pre-commit")
    #expect(installed.hasPrefix("#!/bin/sh\n"))
    #expect(installed.contains("promptgate-hook"))
    #expect(installed.contains(Executable.directory))

    let again = try repository.run("promptgate-install-hooks")
    again.expect(exit: 0)
    #expect(try repository.read(".git/hooks/pre-commit") == installed)
    #expect(!FileManager.default.fileExists(atPath: hook + ".local"))
  }

  @Test("installs into core.hooksPath when it is set")
  func hooksPath() throws {
    let repository = try TemporaryRepository()
    try repository.git("config", "core.hooksPath", "githooks")
    let result = try repository.run("promptgate-install-hooks")
    result.expect(exit: 0)
    #expect(isExecutable(repository.absolute("githooks/pre-commit")))
    #expect(!FileManager.default.fileExists(atPath: repository.absolute(".git/hooks/pre-commit")))
    // git runs it: a staged prompt change is reported by the commit.
    try ExampleProject.write(to: repository)
    try repository.git("add", "-A")
    let commit = try repository.runProgram("git", ["commit", "-q", "-m", "Example"])
    commit.expect(exit: 0)
    #expect(commit.stderr.contains("promptgate: support-agent added"))
  }

  @Test("refuses to replace a foreign hook; --force keeps it as pre-commit.local")
  func foreignHook() throws {
    let repository = try TemporaryRepository()
    let foreign = "#!/bin/sh\necho 'my own checks'\n"
    try repository.write(".git/hooks/pre-commit", foreign)
    let refused = try repository.run("promptgate-install-hooks")
    refused.expect(exit: 2)
    #expect(refused.stdout.isEmpty)
    #expect(refused.stderr.contains("--force"))
    #expect(try repository.read(".git/hooks/pre-commit") == foreign)

    let forced = try repository.run("promptgate-install-hooks", ["--force"])
    forced.expect(exit: 0)
    #expect(try repository.read(".git/hooks/pre-commit.local") == foreign)
    #expect(try repository.read(".git/hooks/pre-commit").contains("promptgate-hook"))
    #expect(forced.stdout.contains("pre-commit.local"))
  }

  @Test("the installed hook finds the executables without PATH or PROMPTGATE_BIN_DIR")
  func installedHookFindsExecutables() throws {
    let repository = try ExampleProject.repository()
    try repository.run("promptgate-install-hooks").expect(exit: 0)
    try repository.write("prompts/support/system.md", "Changed.\n")
    try repository.git("add", "-A")
    let commit = try repository.runProgram(
      "git", ["commit", "-q", "-m", "Change the prompt"], environment: ["PROMPTGATE_BIN_DIR": ""])
    commit.expect(exit: 0)
    #expect(commit.stderr.contains("promptgate: support-agent changed (prompt)"))
  }
}
