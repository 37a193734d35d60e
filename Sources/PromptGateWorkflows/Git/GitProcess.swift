import Foundation
import PromptGateCore

/// Runs the real `git` CLI, for what the user's own git must do: the network (`fetch`, `push`,
/// whose authentication and transports are the user's), commits that run the team's hooks, and
/// the plumbing of the shared result ref. Credential prompts are off; standard output and
/// error are read concurrently, so that neither pipe fills while the other is read.
struct GitProcess: Sendable {
  /// What one git command gave.
  struct Result: Sendable {
    let status: Int32
    let stdout: Data
    let stderr: String

    /// Standard output as text, without its last newline.
    var text: String {
      String(decoding: stdout, as: UTF8.self).trimmingCharacters(in: .newlines)
    }
  }

  /// Where git runs (a working tree, or the git directory of a bare repository).
  let directory: String
  /// Variables added to git's environment (a temporary index, an identity).
  var environment: [String: String] = [:]
  /// Options before the command (`--literal-pathspecs`).
  var options: [String] = []
  /// What a git that cannot be started is reported as.
  var launchFailure: PromptGateError.Kind = .environment

  /// Runs `git arguments` with `input` on its standard input.
  func run(_ arguments: [String], input: Data? = nil) throws -> Result {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["git", "-C", directory] + options + arguments
    var variables = ProcessInfo.processInfo.environment
    variables["GIT_TERMINAL_PROMPT"] = "0"
    variables.merge(environment) { $1 }
    process.environment = variables
    let output = Pipe()
    let errors = Pipe()
    let feed = Pipe()
    process.standardOutput = output
    process.standardError = errors
    process.standardInput = input == nil ? FileHandle.nullDevice : feed
    do {
      try process.run()
    } catch {
      throw PromptGateError(launchFailure, "cannot run git: \(error)")
    }
    let collected = GitOutput()
    let group = DispatchGroup()
    DispatchQueue.global().async(group: group) {
      collected.errors = errors.fileHandleForReading.readDataToEndOfFile()
    }
    if let input {
      DispatchQueue.global().async(group: group) {
        try? feed.fileHandleForWriting.write(contentsOf: input)
        try? feed.fileHandleForWriting.close()
      }
    }
    let stdout = output.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return Result(
      status: process.terminationStatus, stdout: stdout,
      stderr: String(decoding: collected.errors, as: UTF8.self))
  }

  /// Runs `git arguments` and returns its output; a failure throws `kind` with git's message.
  func checked(_ arguments: [String], input: Data? = nil, kind: PromptGateError.Kind = .environment)
    throws -> Result
  {
    let result = try run(arguments, input: input)
    guard result.status == 0 else {
      throw PromptGateError(
        kind,
        "git \(arguments.first ?? "") failed: \(Redactor.scrub(result.stderr.trimmingCharacters(in: .whitespacesAndNewlines)))"
      )
    }
    return result
  }

  /// The commit `reference` names, or nil when it does not exist.
  func commit(_ reference: String) throws -> String? {
    let result = try run(["rev-parse", "--verify", "--quiet", reference + "^{commit}"])
    return result.status == 0 ? result.text : nil
  }
}

/// Standard error, read on another thread.
private final class GitOutput: @unchecked Sendable {
  var errors = Data()
}
