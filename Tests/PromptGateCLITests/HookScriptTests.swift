import Foundation
import PromptGateCLI
import TestSupport
import Testing

@Suite("HookScript")
struct HookScriptTests {
  @Test("the committed hooks/pre-commit is HookScript.preCommit and is executable")
  func committedScript() throws {
    let path = PackageFiles.path("hooks/pre-commit")
    let data = try #require(FileManager.default.contents(atPath: path))
    #expect(String(decoding: data, as: UTF8.self) == HookScript.preCommit + "\n")
    #expect(FileManager.default.isExecutableFile(atPath: path))
  }

  @Test("the installed form only adds a default for PROMPTGATE_BIN_DIR, quoted for the shell")
  func installedForm() throws {
    let directory = "bin dir/it's here"
    let installed = HookScript.installed(HookScript.preCommit, binDirectory: directory)
    var lines = installed.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let added = lines.remove(at: 1)
    #expect(lines.joined(separator: "\n") == HookScript.preCommit)
    let repository = try TemporaryRepository()
    let shell = try repository.runProgram(
      "sh", ["-c", added + "\nprintf '%s' \"$PROMPTGATE_BIN_DIR\""],
      environment: ["PROMPTGATE_BIN_DIR": ""])
    #expect(shell.stdout == directory)
  }
}
