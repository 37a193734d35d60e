import Foundation
import PromptGateCLI
import TestSupport
import Testing

/// `promptgate` run through a link named `promptgate-<command>` is that command, as the release
/// tarball installs it (one executable, a link per command).
@Suite("promptgate as a multi-call executable")
struct MultiCallTests {
  @Test("a link named promptgate-<command> runs the command, for every command")
  func links() throws {
    let repository = try TemporaryRepository()
    let bin = repository.container + "/bin"
    try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
    let real = try Executable.path("promptgate")
    for (name, _) in PromptGateCommand.commands {
      let link = bin + "/promptgate-" + name
      try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: real)
      let result = try Subprocess.run(
        link, ["--help"], in: repository.path, environment: repository.environment)
      #expect(result.exitCode == 0, "promptgate-\(name) --help\n\(result)")
      #expect(result.stdout.contains("USAGE: promptgate-\(name)"), "\(name)\n\(result)")
    }
    try repository.write("prompts/system.md", "You are a support agent.\n")
    try repository.write(
      "promptgate.yaml", "behaviors:\n  support:\n    prompt: [prompts/*.md]\n    model: gpt-4o\n")
    let direct = try Subprocess.run(
      bin + "/promptgate-version", ["--worktree"], in: repository.path,
      environment: repository.environment)
    #expect(direct.exitCode == 0, "\(direct)")
    let expected = try repository.run("promptgate-version", ["--worktree"])
    #expect(direct.stdout == expected.stdout)
  }
}
