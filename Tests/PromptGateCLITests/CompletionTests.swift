import Foundation
import TestSupport
import Testing

/// Completion scripts for bash, zsh and fish: `promptgate` completes its commands' names and,
/// after one, that command's options, from the script scripts/completions.sh writes.
@Suite("Shell completion")
struct CompletionTests {
  /// What bash's completion offers for `line` (the cursor at its end), with the scripts in
  /// `directory/bash` sourced.
  static func complete(_ line: String, in directory: String, sourcing: String = "*") throws
    -> [String]
  {
    let words = line.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
    let quoted = words.map { "'\($0)'" }.joined(separator: " ")
    let script = """
      for f in \(directory)/bash/\(sourcing); do source "$f"; done
      COMP_LINE='\(line)'; COMP_POINT=${#COMP_LINE}; COMP_WORDS=(\(quoted))
      COMP_CWORD=\(words.count - 1)
      "_\(words[0])" '\(words[0])' '\(words[words.count - 1])' '\(words[max(0, words.count - 2)])' 2>/dev/null
      printf '%s\\n' "${COMPREPLY[@]}"
      """
    let result = try Subprocess.run(
      try Subprocess.which("bash"), ["-c", script], in: directory,
      environment: [
        "PATH": Executable.directory + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? ""),
        "HOME": directory,
      ])
    #expect(result.exitCode == 0, "\(result)")
    return result.stdout.split(separator: "\n").map(String.init)
  }

  static func scripts() throws -> TemporaryRepository {
    let scratch = try TemporaryRepository()
    let result = try Subprocess.run(
      PackageFiles.path("scripts/completions.sh"), [Executable.directory, scratch.path + "/out"],
      in: scratch.path, environment: ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? ""])
    #expect(result.exitCode == 0, "\(result)")
    return scratch
  }

  @Test("scripts/completions.sh writes a script per shell for promptgate and every command")
  func writesEveryScript() throws {
    let scratch = try Self.scripts()
    for name in ["promptgate", "promptgate-version", "promptgate-init", "promptgate-gate"] {
      for path in ["bash/\(name)", "zsh/_\(name)", "fish/\(name).fish"] {
        let text = try scratch.read("out/" + path)
        #expect(text.contains(name), "\(path)")
      }
    }
    #expect(try scratch.read("out/zsh/_promptgate").hasPrefix("#compdef promptgate"))
    #expect(try scratch.read("out/fish/promptgate.fish").contains("-a version -d"))
  }

  @Test("bash: promptgate completes command names, then the command's own options")
  func bashDispatcher() throws {
    let scratch = try Self.scripts()
    let directory = scratch.path + "/out"
    #expect(try Self.complete("promptgate ver", in: directory) == ["version"])
    #expect(
      try Self.complete("promptgate in", in: directory).sorted() == ["init", "install-hooks"])
    let options = try Self.complete("promptgate version --fo", in: directory)
    #expect(options == ["--format"], "\(options)")
    // With only promptgate's own script loaded, the command's completion is loaded on demand.
    let lazy = try Self.complete("promptgate gate --ti", in: directory, sourcing: "promptgate")
    #expect(lazy == ["--tier"], "\(lazy)")
    let direct = try Self.complete("promptgate-init --dr", in: directory)
    #expect(direct == ["--dry-run"], "\(direct)")
  }

  @Test("the dispatcher's script for an unknown shell is a usage error")
  func unknownShell() throws {
    let scratch = try TemporaryRepository()
    let result = try scratch.run("promptgate", ["--generate-completion-script", "tcsh"])
    result.expect(exit: 2)
    #expect(result.stderr.contains("bash, zsh, fish"))
    #expect(result.stdout.isEmpty)
  }
}

/// Manual pages from the argument parser: one per `promptgate-<command>`, rendered by groff.
@Suite("Manual pages")
struct ManualPageTests {
  @Test("scripts/manpages.sh writes a page per command that man renders with its options")
  func pages() throws {
    let scratch = try TemporaryRepository()
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    let result = try Subprocess.run(
      PackageFiles.path("scripts/manpages.sh"), [Executable.directory, scratch.path + "/man"],
      in: scratch.path, environment: ["PATH": path])
    #expect(result.exitCode == 0, "\(result)")
    for (command, option) in [("init", "--dry-run"), ("gate", "--tier"), ("schema", "--help")] {
      let page = scratch.path + "/man/promptgate-\(command).1"
      let rendered = try Subprocess.run(
        try Subprocess.which("groff"), ["-mandoc", "-Tascii", "-P", "-cbou", page],
        in: scratch.path, environment: ["PATH": path])
      #expect(rendered.exitCode == 0, "\(rendered)")
      #expect(rendered.stdout.contains("NAME"))
      #expect(rendered.stdout.contains("promptgate-\(command)"))
      #expect(rendered.stdout.contains(option))
    }
  }
}
