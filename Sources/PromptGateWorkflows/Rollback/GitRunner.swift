import Foundation
import PromptGateCore

/// The real `git` CLI in a working tree, for what a user's own git must do: status, add and
/// commit (so that the team's hooks run).
struct GitRunner {
  let root: String

  struct Result {
    let status: Int32
    let stdout: String
    let stderr: String
  }

  /// Runs `git -C root ARGUMENTS` with no standard input. Paths are literal, so that a file
  /// named `a*.md` or `[x].md` names only itself.
  func run(_ arguments: [String]) throws -> Result {
    let result = try GitProcess(directory: root, options: ["--literal-pathspecs"]).run(arguments)
    return Result(
      status: result.status, stdout: String(decoding: result.stdout, as: UTF8.self),
      stderr: result.stderr)
  }

  /// The paths among `paths` that differ from HEAD in the index or the working tree, or are
  /// untracked.
  func dirtyPaths(_ paths: [String]) throws -> [String] {
    let result = try run(["status", "--porcelain=v1", "-z", "--untracked-files=all", "--"] + paths)
    guard result.status == 0 else {
      throw PromptGateError(.environment, "git status failed: \(result.stderr)")
    }
    var dirty: [String] = []
    var records = result.stdout.split(separator: "\0", omittingEmptySubsequences: true)[...]
    while let record = records.popFirst() {
      guard record.count > 3 else { continue }
      dirty.append(String(record.dropFirst(3)))
      // A rename's record is followed by its source path.
      if record.first == "R" || record.first == "C" { _ = records.popFirst() }
    }
    return dirty.sorted()
  }

  /// Stages exactly `paths`: new and changed contents, and removals.
  func stage(_ paths: [String]) throws {
    let result = try run(["add", "-A", "--"] + paths)
    guard result.status == 0 else {
      throw PromptGateError(
        .environment,
        "git add failed, so nothing was staged and every file was put back: "
          + result.stderr.trimmingCharacters(in: .whitespacesAndNewlines))
    }
  }

  /// Commits only `paths` (other staged changes stay staged), with `message`'s paragraphs:
  /// the commit's id (nil when git or a hook refused) and what git and its hooks printed.
  func commit(_ paths: [String], message: [String]) throws -> (id: String?, output: String) {
    let result = try run(["commit", "--quiet"] + message.flatMap { ["-m", $0] } + ["--"] + paths)
    let output = result.stdout + result.stderr
    guard result.status == 0 else { return (nil, output) }
    let head = try run(["rev-parse", "HEAD"])
    return (head.stdout.trimmingCharacters(in: .whitespacesAndNewlines), output)
  }
}
