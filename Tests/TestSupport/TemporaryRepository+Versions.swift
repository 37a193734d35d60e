import Foundation

/// Running the executables elsewhere than the working tree, and reading the ids they print.
extension TemporaryRepository {
  /// Runs the built executable `name` in `directory` (a clone, a worktree, a bare repository) with
  /// this repository's ``environment``.
  public func run(_ name: String, _ arguments: [String], in directory: String) throws
    -> CommandResult
  {
    try Executable.run(name, arguments, in: directory, environment: environment)
  }

  /// Runs `git` with `arguments` in `directory` (a clone, a worktree) with this repository's
  /// ``environment``; returns stdout, throws with stderr on failure.
  @discardableResult
  public func git(_ arguments: [String], in directory: String) throws -> String {
    let result = try Subprocess.run(
      try Subprocess.which("git"), arguments, in: directory, environment: environment)
    guard result.exitCode == 0 else {
      throw CommandError(
        "git \(arguments.joined(separator: " ")) failed (\(result.exitCode)): \(result.stderr)")
    }
    return result.stdout
  }

  /// The id of each behavior that `promptgate-version ARGUMENTS --format json` prints, by name.
  ///
  /// Behaviors absent at that side are left out (the command then exits 2 and prints the present
  /// ones); a run that prints no JSON array throws with what it wrote.
  public func versionIDs(_ arguments: [String] = [], in directory: String? = nil) throws
    -> [String: String]
  {
    let result = try run(
      "promptgate-version", arguments + ["--format", "json"], in: directory ?? path)
    let parsed = try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
    guard let entries = parsed as? [[String: Any]] else {
      throw CommandError("promptgate-version \(arguments) printed no JSON array:\n\(result)")
    }
    var ids: [String: String] = [:]
    for entry in entries {
      if let name = entry["behavior"] as? String, let id = entry["id"] as? String {
        ids[name] = id
      }
    }
    return ids
  }

  /// The full id of the commit `revision` names.
  public func commitID(_ revision: String) throws -> String {
    try git("rev-parse", "--verify", revision + "^{commit}").trimmingCharacters(
      in: .whitespacesAndNewlines)
  }
}
