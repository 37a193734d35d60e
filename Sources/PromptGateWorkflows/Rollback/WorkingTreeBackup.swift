import Foundation
import GitKit
import PromptGateCore

/// The bytes and modes of the paths a rollback writes, taken before it writes any, so that a
/// failure half-way puts every byte back as it was.
struct WorkingTreeBackup {
  let root: String
  /// What was at a path before.
  private enum Saved {
    /// Nothing: restoring removes what the rollback wrote.
    case absent
    /// A file or symlink, with its bytes and mode.
    case file([UInt8], FileMode)
    /// Something a rollback cannot write over (a directory): left alone on restore.
    case other
  }

  private let saved: [(path: String, before: Saved)]
  /// Directories the writes created, removed again on restore (deepest first).
  private let created = CreatedDirectories()

  init(root: String, paths: [String]) throws {
    self.root = root
    saved = paths.map { path in
      let full = root + "/" + path
      if let file = RollbackPlanner.read(full) { return (path, .file(file.bytes, file.mode)) }
      var info = stat()
      return (path, lstat(full, &info) == 0 ? .other : .absent)
    }
  }

  /// Writes each path's new contents (or removes it); throws naming the path that failed.
  func write(_ writes: [PathWrite]) throws {
    for write in writes {
      let full = root + "/" + write.path
      do {
        if let contents = write.contents {
          try makeParent(of: write.path)
          try Self.put(contents, mode: write.mode, at: full)
        } else {
          try Self.remove(full)
        }
      } catch {
        throw PromptGateError(
          .environment,
          "cannot write \(write.path): \(error.localizedDescription). Every file was put back "
            + "as it was")
      }
    }
  }

  /// Puts every saved path back byte for byte, and removes directories the writes made.
  func restore() throws {
    var failures: [String] = []
    for (path, before) in saved {
      let full = root + "/" + path
      do {
        switch before {
        case .file(let bytes, let mode):
          if RollbackPlanner.read(full).map({ $0.bytes == bytes && $0.mode == mode }) != true {
            try Self.put(bytes, mode: mode, at: full)
          }
        case .absent:
          try Self.remove(full)
        case .other:
          continue
        }
      } catch {
        failures.append("\(path) (\(error.localizedDescription))")
      }
    }
    for directory in created.paths.reversed() {
      try? FileManager.default.removeItem(atPath: directory)
    }
    if !failures.isEmpty {
      throw PromptGateError(
        .environment, "could not put back \(failures.joined(separator: ", ")); check them by hand")
    }
  }

  private func makeParent(of path: String) throws {
    var parts = path.split(separator: "/").dropLast().map(String.init)[...]
    var current = root
    while let part = parts.popFirst() {
      current += "/" + part
      var info = stat()
      if lstat(current, &info) == 0 { continue }
      try FileManager.default.createDirectory(atPath: current, withIntermediateDirectories: false)
      created.paths.append(current)
    }
  }

  /// Writes `contents` at `full` with `mode`: a symlink's target for `.symlink`.
  static func put(_ contents: [UInt8], mode: FileMode, at full: String) throws {
    var info = stat()
    let exists = lstat(full, &info) == 0
    if mode == .symlink || (exists && info.st_mode & S_IFMT == S_IFLNK) {
      if exists { try FileManager.default.removeItem(atPath: full) }
    }
    if mode == .symlink {
      try FileManager.default.createSymbolicLink(
        atPath: full, withDestinationPath: String(decoding: contents, as: UTF8.self))
      return
    }
    let descriptor = open(full, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666)
    guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    defer { close(descriptor) }
    var offset = 0
    while offset < contents.count {
      let written = contents[offset...].withUnsafeBytes {
        Glibc.write(descriptor, $0.baseAddress, $0.count)
      }
      if written < 0 {
        if errno == EINTR { continue }
        throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
      }
      offset += written
    }
    var after = stat()
    guard fstat(descriptor, &after) == 0 else { return }
    let current = after.st_mode & 0o7777
    let target =
      mode == .executable ? current | (0o111 & ~umaskValue()) : current & ~mode_t(0o111)
    if target != current { fchmod(descriptor, target) }
  }

  private static func umaskValue() -> mode_t {
    let value = umask(0)
    umask(value)
    return value
  }

  static func remove(_ full: String) throws {
    var info = stat()
    guard lstat(full, &info) == 0 else { return }
    try FileManager.default.removeItem(atPath: full)
  }
}

/// Directories made while writing, in the order they were made.
private final class CreatedDirectories: @unchecked Sendable {
  var paths: [String] = []
}
