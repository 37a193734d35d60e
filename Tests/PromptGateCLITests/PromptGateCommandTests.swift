import Foundation
import TestSupport
import Testing

/// The conventions every executable shares, and the `promptgate` umbrella that dispatches to them.
@Suite("promptgate and the shared conventions")
struct PromptGateCommandTests {
  static let commands = ["version", "diff", "select", "check-config", "install-hooks", "hook"]

  @Test("--help exits 0 on every executable, with usage on stdout", arguments: commands)
  func help(command: String) throws {
    let repository = try TemporaryRepository()
    let direct = try repository.run("promptgate-\(command)", ["--help"])
    direct.expect(exit: 0)
    #expect(direct.stdout.contains("USAGE:"))
    #expect(direct.stderr.isEmpty)

    let umbrella = try repository.run("promptgate", [command, "--help"])
    umbrella.expect(exit: 0)
    #expect(umbrella.stdout == direct.stdout)
    #expect(umbrella.stderr.isEmpty)

    let helpCommand = try repository.run("promptgate", ["help", command])
    helpCommand.expect(exit: 0)
    #expect(helpCommand.stdout == direct.stdout)
  }

  @Test("an unknown option exits 2 with the problem on stderr", arguments: commands)
  func unknownOption(command: String) throws {
    let repository = try TemporaryRepository()
    // The hook's one required argument comes first, so that the option is the only problem.
    let arguments = (command == "hook" ? ["pre-commit"] : []) + ["--frobnicate"]
    let result = try repository.run("promptgate-\(command)", arguments)
    result.expect(exit: 2)
    #expect(result.stdout.isEmpty)
    #expect(result.stderr.contains("--frobnicate"))
    let umbrella = try repository.run("promptgate", [command] + arguments)
    umbrella.expect(exit: 2)
    #expect(umbrella.stdout.isEmpty)
  }

  @Test("promptgate --help lists every command and exits 0")
  func umbrellaHelp() throws {
    let repository = try TemporaryRepository()
    let result = try repository.run("promptgate", ["--help"])
    result.expect(exit: 0)
    #expect(result.stderr.isEmpty)
    for command in Self.commands {
      #expect(result.stdout.contains(command))
    }
  }

  @Test("promptgate with an unknown command exits 2")
  func unknownCommand() throws {
    let repository = try TemporaryRepository()
    let result = try repository.run("promptgate", ["nosuch"])
    result.expect(exit: 2)
    #expect(result.stdout.isEmpty)
    #expect(result.stderr.contains("nosuch"))
  }

  @Test("promptgate COMMAND runs promptgate-COMMAND with the same arguments and results")
  func dispatch() throws {
    let repository = try ExampleProject.repository()
    let direct = try repository.run("promptgate-version", ["--format", "json"])
    let umbrella = try repository.run("promptgate", ["version", "--format", "json"])
    umbrella.expect(exit: 0)
    #expect(umbrella.stdout == direct.stdout)
    #expect(!umbrella.stdout.isEmpty)

    let failing = try repository.run("promptgate", ["version", "--behavior", "nobody"])
    failing.expect(exit: 2)
    #expect(failing.stderr.contains("nobody"))
  }

  @Test("-C runs as if started in another directory")
  func directoryOption() throws {
    let repository = try ExampleProject.repository()
    let result = try Executable.run(
      "promptgate-version", ["-C", repository.path, "--format", "json"], in: repository.home,
      environment: repository.environment)
    result.expect(exit: 0)
    #expect(try JSONOutput.objects(result.stdout).first?["behavior"] as? String == "support-agent")
  }
}
