import Foundation
import TestSupport
import Testing

/// `promptgate -C PATH <command>`: the directory option before the command, as git takes it.
@Suite("promptgate -C")
struct UmbrellaDirectoryTests {
  @Test("promptgate -C DIR COMMAND runs the command in DIR")
  func before() throws {
    let repository = try ExampleProject.repository()
    let direct = try repository.run("promptgate-version", ["--format", "json"])
    direct.expect(exit: 0)
    let umbrella = try Executable.run(
      "promptgate", ["-C", repository.path, "version", "--format", "json"], in: repository.home,
      environment: repository.environment)
    umbrella.expect(exit: 0)
    #expect(umbrella.stdout == direct.stdout)
    #expect(umbrella.stderr.isEmpty)
  }

  @Test("each -C is relative to the one before, and an empty one changes nothing")
  func repeated() throws {
    let repository = try ExampleProject.repository()
    let direct = try repository.run("promptgate-version")
    let umbrella = try Executable.run(
      "promptgate",
      ["-C", repository.container, "-C", "", "-C", "repo", "-C", "prompts", "version"],
      in: repository.home, environment: repository.environment)
    umbrella.expect(exit: 0)
    #expect(umbrella.stdout == direct.stdout)
  }

  @Test("a -C directory that does not exist exits 2 naming it; -C without one exits 2")
  func missing() throws {
    let repository = try ExampleProject.repository()
    let missing = repository.container + "/nowhere"
    let result = try Executable.run(
      "promptgate", ["-C", missing, "version"], in: repository.path,
      environment: repository.environment)
    result.expect(exit: 2)
    #expect(result.stdout.isEmpty)
    #expect(result.stderr.contains(missing), "\(result)")
    #expect(result.stderr.contains("No such file or directory"), "\(result)")

    let bare = try Executable.run(
      "promptgate", ["-C"], in: repository.path, environment: repository.environment)
    bare.expect(exit: 2)
    #expect(bare.stdout.isEmpty)
    #expect(bare.stderr.contains("-C needs a directory"), "\(bare)")
  }

  @Test("promptgate --help shows -C and every exit code, within 79 columns")
  func help() throws {
    let repository = try TemporaryRepository()
    let result = try repository.run("promptgate", ["--help"])
    result.expect(exit: 0)
    #expect(result.stdout.contains("promptgate [-C <path>]... <command>"))
    #expect(result.stdout.contains("3 could not evaluate; 4 the\nenvironment failed."))
    for line in result.stdout.split(separator: "\n") {
      #expect(line.count < 80, "longer than 79 columns: \(line)")
    }
  }
}
