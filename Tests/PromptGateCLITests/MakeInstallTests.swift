import Foundation
import TestSupport
import Testing

/// `make install`'s installing step on the debug build (a release build is too slow for the
/// test run): the executables, completions, manual pages and schema, where shells and `man`
/// look for them, and the installed `promptgate` runs its commands.
@Suite("make install")
struct MakeInstallTests {
  @Test("install-files lays out bin, completions, man pages and the schema under PREFIX")
  func installFiles() throws {
    let repository = try TemporaryRepository()
    let prefix = repository.container + "/prefix"
    let make = try Subprocess.run(
      try Subprocess.which("make"),
      ["-s", "install-files", "BIN_DIR=\(Executable.directory)", "PREFIX=\(prefix)"],
      in: PackageFiles.root,
      environment: ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"])
    #expect(make.exitCode == 0, "\(make)")
    let manager = FileManager.default
    for file in [
      "bin/promptgate", "bin/promptgate-hook", "bin/promptgate-gate",
      "share/bash-completion/completions/promptgate",
      "share/bash-completion/completions/promptgate-gate",
      "share/zsh/site-functions/_promptgate", "share/fish/vendor_completions.d/promptgate.fish",
      "share/man/man1/promptgate-gate.1", "share/promptgate/promptgate.schema.json",
    ] {
      #expect(manager.fileExists(atPath: prefix + "/" + file), "\(file) is not installed")
    }
    #expect(manager.isExecutableFile(atPath: prefix + "/bin/promptgate-version"))
    let installed = try manager.contentsOfDirectory(atPath: prefix + "/bin")
    #expect(!installed.contains { $0.contains(".") || $0 == "generate-manual" }, "\(installed)")
    let completion = try String(
      contentsOfFile: prefix + "/share/bash-completion/completions/promptgate", encoding: .utf8)
    #expect(completion.contains("version"))

    try repository.write("prompts/system.md", "You are a support agent.\n")
    try repository.write(
      "promptgate.yaml", "behaviors:\n  support:\n    prompt: [prompts/*.md]\n    model: gpt-4o\n")
    var environment = repository.environment
    environment["PATH"] = prefix + "/bin:/usr/bin:/bin"
    environment["PROMPTGATE_BIN_DIR"] = nil
    let version = try Subprocess.run(
      prefix + "/bin/promptgate", ["version", "--worktree"], in: repository.path,
      environment: environment)
    #expect(version.exitCode == 0, "\(version)")
    #expect(version.stdout.contains("support"), "\(version)")
  }
}
