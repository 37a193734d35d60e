import ArgumentParser
import Foundation
import GitKit

/// `promptgate-install-hooks`: installs the native pre-commit hook.
public struct InstallHooksCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "promptgate-install-hooks",
    abstract: "Install PromptGate's pre-commit hook into the repository's hooks directory.",
    discussion: """
      The hooks directory is core.hooksPath when set, else the hooks folder of the common git
      directory (shared by linked worktrees). An existing hook that is not PromptGate's is left
      alone unless --force is given; it is then kept beside the new one as pre-commit.local.
      """)

  @OptionGroup public var common: CommonOptions

  @Flag(help: "Replace an existing pre-commit hook, keeping it as pre-commit.local.")
  public var force = false

  public init() {}

  public func run() throws {
    let repository =
      try common.repository.map { try Repository(discoveringFrom: $0) } ?? Repository()
    let directory = try Self.hooksDirectory(repository)
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let target = directory + "/pre-commit"
    let binDirectory = URL(fileURLWithPath: CommandLine.executablePath).deletingLastPathComponent()
      .path
    let script = HookScript.installed(HookScript.preCommit, binDirectory: binDirectory) + "\n"
    if let existing = FileManager.default.contents(atPath: target) {
      let text = String(decoding: existing, as: UTF8.self)
      if text == script {
        Output.write("the PromptGate pre-commit hook is already installed at \(target)")
        return
      }
      if !text.contains("promptgate-hook pre-commit") {
        guard force else {
          throw ExitWith(
            .usage,
            "\(target) already exists and is not PromptGate's; it was left as it is\n"
              + "  fix: run with --force to keep it as pre-commit.local and install PromptGate's, "
              + "or call `promptgate-hook pre-commit` from it")
        }
        let backup = directory + "/pre-commit.local"
        if FileManager.default.fileExists(atPath: backup) {
          throw ExitWith(
            .usage, "\(backup) already exists; move it away first so that nothing is lost")
        }
        try FileManager.default.moveItem(atPath: target, toPath: backup)
        Output.write("kept the existing hook as \(backup)")
      }
    }
    try Data(script.utf8).write(to: URL(fileURLWithPath: target), options: .atomic)
    guard chmod(target, 0o755) == 0 else {
      throw ExitWith(
        .usage, "cannot make \(target) executable: \(String(cString: strerror(errno)))")
    }
    Output.write("installed the PromptGate pre-commit hook at \(target)")
  }

  /// `core.hooksPath` (relative to the working tree's root when relative), else `$GIT_COMMON_DIR/hooks`.
  static func hooksDirectory(_ repository: Repository) throws -> String {
    if let configured = try repository.configString("core.hooksPath"), !configured.isEmpty {
      if configured.hasPrefix("/") { return configured }
      if configured.hasPrefix("~/"), let home = ProcessInfo.processInfo.environment["HOME"] {
        return home + configured.dropFirst()
      }
      return (repository.workdir ?? repository.gitDir) + "/" + configured
    }
    return repository.commonDir + "/hooks"
  }
}

extension CommandLine {
  /// The running executable's absolute path.
  static var executablePath: String {
    (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? arguments[0]
  }
}
