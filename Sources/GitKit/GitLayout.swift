import Foundation

/// Where a repository's files are and what HEAD names, found without libgit2, for the hook's
/// no-op path.
///
/// It declines (nil) whatever needs git's full rules — `GIT_DIR` and related variables, a
/// repository owned by another user, repository-format extensions, bare repositories — so that
/// the caller opens the repository through libgit2, which handles or explains them.
struct GitLayout: Sendable {
  /// The working tree's root.
  let workdir: String
  /// The repository's own git directory (a linked worktree's private one).
  let gitDir: String
  /// The git directory shared by every worktree.
  let commonDir: String

  /// The layout of the repository containing `path`, or nil when it needs libgit2.
  static func discover(
    from path: String, environment: [String: String] = ProcessInfo.processInfo.environment
  ) -> GitLayout? {
    for variable in [
      "GIT_DIR", "GIT_WORK_TREE", "GIT_COMMON_DIR", "GIT_OBJECT_DIRECTORY",
      "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_CEILING_DIRECTORIES", "GIT_NAMESPACE",
    ]
    where !(environment[variable] ?? "").isEmpty {
      return nil
    }
    var directory = URL(fileURLWithPath: path).standardizedFileURL.path
    while true {
      let dotGit = directory + "/.git"
      var info = stat()
      if lstat(dotGit, &info) == 0 {
        var gitDir = dotGit
        if info.st_mode & S_IFMT == S_IFREG {
          guard let text = try? String(contentsOfFile: dotGit, encoding: .utf8),
            text.hasPrefix("gitdir: ")
          else { return nil }
          let target = text.dropFirst("gitdir: ".count).trimmingCharacters(
            in: .whitespacesAndNewlines)
          gitDir = target.hasPrefix("/") ? target : directory + "/" + target
        } else if info.st_mode & S_IFMT != S_IFDIR {
          return nil
        }
        var commonDir = gitDir
        if let text = try? String(contentsOfFile: gitDir + "/commondir", encoding: .utf8) {
          let target = text.trimmingCharacters(in: .whitespacesAndNewlines)
          commonDir = target.hasPrefix("/") ? target : gitDir + "/" + target
        }
        // As libgit2 names them: `..` and `.` resolved (a linked worktree's commondir is
        // relative, `../..`).
        let layout = GitLayout(
          workdir: directory, gitDir: Self.normalized(gitDir), commonDir: Self.normalized(commonDir)
        )
        return layout.isPlain ? layout : nil
      }
      guard directory != "/" else { return nil }
      directory = URL(fileURLWithPath: directory).deletingLastPathComponent().path
    }
  }

  private static func normalized(_ path: String) -> String {
    URL(fileURLWithPath: path).standardizedFileURL.path
  }

  /// True when nothing here needs libgit2's rules: owned by the current user, not bare, and a
  /// configuration (read with git's rules) that sets no working tree, no repository-format
  /// extension and no include.
  var isPlain: Bool {
    for path in [workdir, gitDir, commonDir] {
      var info = stat()
      guard stat(path, &info) == 0, info.st_uid == geteuid() else { return false }
    }
    guard let config = GitConfig(path: commonDir + "/config") else { return false }
    return Self.isPlainConfig(config)
  }

  /// True when `config` leaves the layout as found: no `core.worktree`, `core.bare` false,
  /// format version 0 or 1 with no `extensions.*`, no `include` or `includeIf` (which could
  /// set any of these).
  static func isPlainConfig(_ config: GitConfig) -> Bool {
    for entry in config.entries {
      switch (entry.section, entry.key) {
      case ("core", "worktree"), ("extensions", _), ("include", _), ("includeif", _):
        return false
      case ("core", "bare"):
        guard GitConfig.boolean(entry.value) == false else { return false }
      case ("core", "repositoryformatversion"):
        guard entry.value == "0" || entry.value == "1" else { return false }
      default:
        continue
      }
    }
    return true
  }

  /// The objects directory.
  var objectsDirectory: String { commonDir + "/objects" }

  /// The commit a reference (`HEAD`, `refs/heads/main`) names; nil when it is unborn or cannot
  /// be read here.
  func resolve(_ reference: String) -> ObjectID? {
    var name = reference
    for _ in 0..<5 {
      // HEAD and other pseudo-refs live in the worktree's own git directory; refs/ are shared.
      let directory = name.hasPrefix("refs/") ? commonDir : gitDir
      if let text = try? String(contentsOfFile: directory + "/" + name, encoding: .utf8) {
        let line = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if line.hasPrefix("ref: ") {
          name = String(line.dropFirst(5))
          continue
        }
        return ObjectID(hex: line)
      }
      return packedReference(name)
    }
    return nil
  }

  private func packedReference(_ name: String) -> ObjectID? {
    guard let text = try? String(contentsOfFile: commonDir + "/packed-refs", encoding: .utf8) else {
      return nil
    }
    for line in text.split(separator: "\n") where !line.hasPrefix("#") && !line.hasPrefix("^") {
      let parts = line.split(separator: " ", maxSplits: 1)
      if parts.count == 2, parts[1] == name { return ObjectID(hex: String(parts[0])) }
    }
    return nil
  }
}
