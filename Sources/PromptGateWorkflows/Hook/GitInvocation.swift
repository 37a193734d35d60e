import Foundation

/// What the git command that runs a hook was asked to do.
enum GitInvocation {
  /// True when the hook runs under `git commit --amend`.
  ///
  /// git documents `GIT_REFLOG_ACTION` for this, but git 2.39 does not export it to pre-commit,
  /// so the hook also looks for the `git commit` among its ancestor processes (its parent for
  /// the native hook; further up under the pre-commit framework, lefthook or husky) and reads
  /// its arguments.
  static func isAmending() -> Bool {
    if let action = ProcessInfo.processInfo.environment["GIT_REFLOG_ACTION"], !action.isEmpty {
      return action.hasPrefix("commit (amend)")
    }
    var pid = getppid()
    for _ in 0..<6 where pid > 1 {
      let arguments = Self.arguments(of: pid)
      if let command = arguments.first, command == "git" || command.hasSuffix("/git"),
        let commit = arguments.firstIndex(of: "commit")
      {
        return arguments[commit...].contains("--amend")
      }
      guard let parent = Self.parent(of: pid) else { return false }
      pid = parent
    }
    return false
  }

  private static func arguments(of pid: pid_t) -> [String] {
    read("/proc/\(pid)/cmdline").split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
  }

  private static func parent(of pid: pid_t) -> pid_t? {
    let text = String(decoding: read("/proc/\(pid)/stat"), as: UTF8.self)
    // The command name in parentheses may hold spaces; the fields after its closing one are fixed.
    guard let close = text.lastIndex(of: ")") else { return nil }
    let fields = text[text.index(after: close)...].split(separator: " ")
    return fields.count > 1 ? pid_t(fields[1]) : nil
  }

  /// A file's bytes up to end of file: /proc files report a size of 0, so the size is not used.
  private static func read(_ path: String) -> [UInt8] {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { return [] }
    defer { close(descriptor) }
    var result: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
      let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
      guard count > 0 else { return result }
      result += buffer[..<count]
    }
  }
}
