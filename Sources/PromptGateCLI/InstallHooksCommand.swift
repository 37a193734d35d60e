import ArgumentParser
import Foundation
import GitKit

/// `promptgate-install-hooks`: installs the native pre-commit and pre-push hooks.
public struct InstallHooksCommand: AsyncParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "promptgate-install-hooks",
    abstract:
      "Install PromptGate's pre-commit and pre-push hooks into the repository's hooks directory.",
    usage: "promptgate-install-hooks [<options>] [--force]",
    discussion: """
      The hooks directory is core.hooksPath when set, else the hooks folder of the common git \
      directory (shared by linked worktrees). When an existing pre-commit or pre-push hook is not \
      PromptGate's, nothing is installed unless --force is given.

      With --force each such hook is kept beside the new one as pre-commit.local or \
      pre-push.local, and PromptGate's hook runs it first, with the same arguments and the same \
      standard input; when it fails, the commit or push stops with its exit status. \
      PROMPTGATE_SKIP=1 skips only PromptGate's part; git's --no-verify skips both.
      """)

  @OptionGroup public var common: CommonOptions

  @Flag(
    help: "Replace existing hooks, keeping each as <hook>.local, which the new hook runs first.")
  public var force = false

  public init() {}

  public func run() async throws {
    let repository =
      try common.repository.map { try Repository(discoveringFrom: $0) } ?? Repository()
    let directory = try Self.hooksDirectory(repository)
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let binDirectory = URL(fileURLWithPath: CommandLine.executablePath).deletingLastPathComponent()
      .path
    let plans = HookScript.all.map { hook in
      Plan(
        name: hook.name, target: directory + "/" + hook.name,
        script: HookScript.installed(hook.script, binDirectory: binDirectory) + "\n")
    }
    // Check every hook before writing any, so that a refusal leaves the directory as it was.
    for plan in plans where plan.isForeign {
      guard force else {
        throw ExitWith(
          .usage,
          "\(plan.target) already exists and is not PromptGate's; it was left as it is\n"
            + "  fix: run with --force to keep it as \(plan.name).local, which PromptGate's hook runs first, "
            + "or call `promptgate-hook \(plan.name)` from it")
      }
      if FileManager.default.fileExists(atPath: plan.target + ".local") {
        throw ExitWith(
          .usage,
          "\(plan.target).local already exists; move it away first so that nothing is lost")
      }
    }
    for plan in plans { try plan.install() }
  }

  /// One hook to install: where, and what.
  private struct Plan {
    let name: String
    let target: String
    let script: String

    /// The text of the hook already there, if any.
    var existing: String? {
      FileManager.default.contents(atPath: target).map { String(decoding: $0, as: UTF8.self) }
    }

    /// True when a hook is there that PromptGate did not write and that does not call it.
    var isForeign: Bool {
      guard let text = existing, text != script else { return false }
      return !text.contains("promptgate-hook \(name)")
        && !text.contains("\n# PromptGate \(name) hook: ")
    }

    func install() throws {
      if existing == script {
        Output.write("the PromptGate \(name) hook is already installed at \(target)")
        return
      }
      if isForeign {
        try FileManager.default.moveItem(atPath: target, toPath: target + ".local")
        Output.write(
          "kept the existing hook as \(target).local; the PromptGate \(name) hook runs it first, "
            + "and its failure stops the \(name == "pre-push" ? "push" : "commit")")
      }
      try Data(script.utf8).write(to: URL(fileURLWithPath: target), options: .atomic)
      guard chmod(target, 0o755) == 0 else {
        throw ExitWith(
          .usage, "cannot make \(target) executable: \(String(cString: strerror(errno)))")
      }
      Output.write("installed the PromptGate \(name) hook at \(target)")
    }
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
