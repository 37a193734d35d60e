import Foundation

/// A git repository in a fresh temporary directory, made and driven with the real `git` CLI.
///
/// Every subprocess gets ``environment``: a private `HOME`, no system configuration, and a fixed
/// author, committer and date, so that tests behave the same on a machine with no git identity.
/// The directory is deleted when the value is released.
public final class TemporaryRepository {
  /// The temporary directory holding the working tree and the private home.
  public let container: String
  /// The working tree's root (symlinks resolved).
  public let path: String
  /// The `HOME` every subprocess sees.
  public let home: String
  /// The environment every subprocess gets; ``git(_:environment:)`` and ``run(_:_:environment:stdin:)``
  /// add to it per call.
  public let environment: [String: String]
  private var commits = 0

  /// Seconds since 1970 of the first commit; each later commit is a minute later.
  public static let firstCommitTime = 1_767_268_800

  /// Creates the directory and runs `git init` on branch `main`.
  public init() throws {
    var template = Array(
      (FileManager.default.temporaryDirectory.path + "/promptgate-test-XXXXXX").utf8CString)
    guard let made = mkdtemp(&template) else {
      throw CommandError("mkdtemp failed: \(String(cString: strerror(errno)))")
    }
    container = String(cString: made)
    let resolved = URL(fileURLWithPath: container).resolvingSymlinksInPath().path
    path = resolved + "/repo"
    home = resolved + "/home"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
    environment = Self.baseEnvironment(home: home)
    try git("init", "-q", "-b", "main")
  }

  deinit { try? FileManager.default.removeItem(atPath: container) }

  /// The environment of a subprocess that must not depend on the machine's git set-up.
  public static func baseEnvironment(home: String) -> [String: String] {
    let inherited = ProcessInfo.processInfo.environment
    let date = "\(firstCommitTime) +0000"
    var environment = [
      "PATH": inherited["PATH"] ?? "/usr/local/bin:/usr/bin:/bin",
      "HOME": home,
      "XDG_CONFIG_HOME": home + "/.config",
      "GIT_CONFIG_NOSYSTEM": "1",
      "GIT_AUTHOR_NAME": "Test Author",
      "GIT_AUTHOR_EMAIL": "author@example.com",
      "GIT_AUTHOR_DATE": date,
      "GIT_COMMITTER_NAME": "Test Committer",
      "GIT_COMMITTER_EMAIL": "committer@example.com",
      "GIT_COMMITTER_DATE": date,
      "LC_ALL": "C",
      "PROMPTGATE_BIN_DIR": Executable.directory,
      // Every hook a test runs also checks the fast index path against the full comparison.
      "PROMPTGATE_VERIFY_FAST_PATH": "1",
    ]
    environment["TMPDIR"] = inherited["TMPDIR"]
    return environment
  }

  // MARK: Files

  /// The absolute path of the repository-relative `relative`.
  public func absolute(_ relative: String) -> String { path + "/" + relative }

  /// Writes `text` at `relative`, creating directories as needed.
  public func write(_ relative: String, _ text: String) throws {
    try write(relative, bytes: Array(text.utf8))
  }

  /// Writes `bytes` at `relative`, creating directories as needed.
  public func write(_ relative: String, bytes: [UInt8]) throws {
    let url = URL(fileURLWithPath: absolute(relative))
    try FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(bytes).write(to: url)
  }

  /// Replaces every `old` in the file at `relative` with `new`; throws when `old` is not there, so
  /// that an edit cannot silently do nothing.
  public func edit(_ relative: String, replacing old: String, with new: String) throws {
    let text = try read(relative)
    guard text.contains(old) else { throw CommandError("\(relative) does not contain '\(old)'") }
    try write(relative, text.replacingOccurrences(of: old, with: new))
  }

  /// The text at `relative`.
  public func read(_ relative: String) throws -> String {
    String(decoding: try readBytes(relative), as: UTF8.self)
  }

  /// The bytes at `relative`.
  public func readBytes(_ relative: String) throws -> [UInt8] {
    guard let data = FileManager.default.contents(atPath: absolute(relative)) else {
      throw CommandError("cannot read \(relative)")
    }
    return Array(data)
  }

  /// Deletes the file or directory at `relative`.
  public func remove(_ relative: String) throws {
    try FileManager.default.removeItem(atPath: absolute(relative))
  }

  /// Makes `relative` a symlink whose target is `target`, exactly as written.
  public func symlink(_ relative: String, to target: String) throws {
    let url = URL(fileURLWithPath: absolute(relative))
    try FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(atPath: url.path, withDestinationPath: target)
  }

  // MARK: Commands

  /// Runs `git` with `arguments` in the working tree; returns stdout, throws with stderr on failure.
  @discardableResult
  public func git(_ arguments: String...) throws -> String {
    try git(arguments)
  }

  /// Runs `git` with `arguments` and `environment` added to ``environment``.
  @discardableResult
  public func git(_ arguments: [String], environment extra: [String: String] = [:]) throws
    -> String
  {
    let result = try Subprocess.run(
      try Subprocess.which("git"), arguments, in: path,
      environment: environment.merging(extra) { $1 })
    guard result.exitCode == 0 else {
      throw CommandError(
        "git \(arguments.joined(separator: " ")) failed (\(result.exitCode)): \(result.stderr)")
    }
    return result.stdout
  }

  /// Stages everything (`git add -A`) and commits it; returns the new commit's id. Each commit is
  /// dated a minute after the previous one.
  @discardableResult
  public func commit(_ message: String) throws -> String {
    try git("add", "-A")
    let date = "\(Self.firstCommitTime + 60 * commits) +0000"
    commits += 1
    try git(
      ["commit", "-q", "-m", message],
      environment: ["GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date])
    return try head()
  }

  /// The full id of the commit HEAD names.
  public func head() throws -> String {
    try git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// Runs the built executable `name` in the working tree, with `environment` added.
  @discardableResult
  public func run(
    _ name: String, _ arguments: [String] = [], environment extra: [String: String] = [:],
    stdin: String? = nil
  ) throws -> CommandResult {
    try Executable.run(
      name, arguments, in: path, environment: environment.merging(extra) { $1 }, stdin: stdin)
  }

  /// Runs the program at `executable` (a path, or a name on `PATH`) in the working tree.
  @discardableResult
  public func runProgram(
    _ executable: String, _ arguments: [String] = [], environment extra: [String: String] = [:]
  ) throws -> CommandResult {
    let resolved = executable.contains("/") ? executable : try Subprocess.which(executable)
    return try Subprocess.run(
      resolved, arguments, in: path, environment: environment.merging(extra) { $1 })
  }
}
