import Foundation

/// git's `safe.directory` rules, applied before libgit2 opens a repository owned by another
/// user: libgit2 1.5 ignores `safe.directory=*`, and switching its owner check off for the
/// whole process would trust every repository opened afterwards.
///
/// As git does, only the protected configuration counts — the system and global files and
/// `GIT_CONFIG_COUNT` settings, never the repository's own — and the values are read in that
/// order: a value equal to the directory, or `*`, trusts it; an empty value forgets the values
/// before it.
enum SafeDirectory {
  /// A repository as discovery finds it: the directory whose owner counts.
  struct Candidate: Equatable {
    /// The working tree, nil for a bare repository.
    let workdir: String?
    /// The git directory.
    let gitDir: String
    /// The `.git` file pointing at the git directory, when there is one.
    let gitFile: String?

    /// The path `safe.directory` values are compared with: the working tree, or the git
    /// directory of a bare repository.
    var trustedPath: String { workdir ?? gitDir }

    /// True when every directory git checks is owned by the current user.
    var isOwnedByCurrentUser: Bool {
      [workdir, gitDir, gitFile].compactMap { $0 }.allSatisfy { path in
        var info = stat()
        return stat(path, &info) == 0 && info.st_uid == geteuid()
      }
    }
  }

  /// The repository discovery would find at or above `path` (symlinks resolved, as git
  /// resolves the current directory); nil when there is none.
  static func candidate(above path: String) -> Candidate? {
    var directory = realPath(path) ?? URL(fileURLWithPath: path).standardizedFileURL.path
    while true {
      let dotGit = directory + "/.git"
      var info = stat()
      if lstat(dotGit, &info) == 0 {
        if info.st_mode & S_IFMT == S_IFREG,
          let text = try? String(contentsOfFile: dotGit, encoding: .utf8),
          text.hasPrefix("gitdir: ")
        {
          let target = text.dropFirst("gitdir: ".count).trimmingCharacters(
            in: .whitespacesAndNewlines)
          let gitDir = target.hasPrefix("/") ? target : directory + "/" + target
          return Candidate(workdir: directory, gitDir: realPath(gitDir) ?? gitDir, gitFile: dotGit)
        }
        return Candidate(workdir: directory, gitDir: dotGit, gitFile: nil)
      }
      if isGitDirectory(directory) {
        return Candidate(workdir: nil, gitDir: directory, gitFile: nil)
      }
      guard directory != "/" else { return nil }
      directory = URL(fileURLWithPath: directory).deletingLastPathComponent().path
    }
  }

  /// True when `directory` looks like a git directory to git: `HEAD`, `objects/` and `refs/`.
  private static func isGitDirectory(_ directory: String) -> Bool {
    var isDirectory: ObjCBool = false
    let manager = FileManager.default
    return manager.fileExists(atPath: directory + "/HEAD")
      && manager.fileExists(atPath: directory + "/objects", isDirectory: &isDirectory)
      && isDirectory.boolValue
      && manager.fileExists(atPath: directory + "/refs", isDirectory: &isDirectory)
      && isDirectory.boolValue
  }

  static func realPath(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
  }

  /// True when the protected configuration that `environment` names trusts `path`.
  static func trusts(_ path: String, environment: [String: String]) -> Bool {
    var trusted = false
    for value in values(environment: environment) {
      guard let value, !value.isEmpty else {
        trusted = false
        continue
      }
      if value == "*" || expandingHome(value, environment: environment) == path { trusted = true }
    }
    return trusted
  }

  /// Every `safe.directory` value of the protected configuration, in the order git reads them.
  static func values(environment: [String: String]) -> [String?] {
    var result: [String?] = []
    for file in protectedFiles(environment: environment) {
      collect(file, environment: environment, depth: 0, into: &result)
    }
    // `git -c safe.directory=...` reaches hooks and subcommands through these variables.
    if let count = environment["GIT_CONFIG_COUNT"].flatMap({ Int($0) }), count > 0 {
      for index in 0..<min(count, 1000)
      where GitConfig.canonical(environment["GIT_CONFIG_KEY_\(index)"] ?? "") == "safe.directory" {
        result.append(environment["GIT_CONFIG_VALUE_\(index)"])
      }
    }
    return result
  }

  /// The system file (unless `GIT_CONFIG_NOSYSTEM`), then the global ones, as git finds them.
  static func protectedFiles(environment: [String: String]) -> [String] {
    var files: [String] = []
    if GitConfig.boolean(environment["GIT_CONFIG_NOSYSTEM"] ?? "false") != true {
      files.append(environment["GIT_CONFIG_SYSTEM"] ?? "/etc/gitconfig")
    }
    if let global = environment["GIT_CONFIG_GLOBAL"] {
      files.append(global)
    } else {
      let home = environment["HOME"]
      if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty {
        files.append(xdg + "/git/config")
      } else if let home {
        files.append(home + "/.config/git/config")
      }
      if let home { files.append(home + "/.gitconfig") }
    }
    return files.filter { !$0.isEmpty }
  }

  /// The `safe.directory` values of `file` and the files its `include.path` entries name.
  private static func collect(
    _ file: String, environment: [String: String], depth: Int, into result: inout [String?]
  ) {
    guard depth < 10, let config = GitConfig(path: file) else { return }
    for entry in config.entries {
      if entry.section == "safe", entry.subsection == nil, entry.key == "directory" {
        result.append(entry.value)
      } else if entry.section == "include", entry.subsection == nil, entry.key == "path",
        let value = entry.value, !value.isEmpty
      {
        var included = expandingHome(value, environment: environment)
        if !included.hasPrefix("/") {
          included = URL(fileURLWithPath: file).deletingLastPathComponent().path + "/" + included
        }
        collect(included, environment: environment, depth: depth + 1, into: &result)
      }
    }
  }

  /// `value` with a leading `~/` replaced by the home directory, as git's paths are.
  private static func expandingHome(_ value: String, environment: [String: String]) -> String {
    guard value.hasPrefix("~/"), let home = environment["HOME"] else { return value }
    return home + value.dropFirst(1)
  }
}
