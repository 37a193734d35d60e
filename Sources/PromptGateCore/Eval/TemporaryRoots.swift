import Dispatch
import Foundation

/// The temporary directories a gate materialises files into (prompts, harnesses), and the one
/// place that removes them: when the gate ends, when it is interrupted (SIGINT, SIGTERM: the
/// directories go, and the process exits 130 or 143 as shells expect), and, for a process that
/// died without cleaning up (`kill -9`), at the next start.
///
/// Each directory is `$TMPDIR/promptgate-<pid>-<random>` and holds a `.lock` file its process
/// keeps locked with `flock` while it lives; a directory whose lock can be taken belongs to a
/// dead process (process ids are not unique across namespaces; a lock is).
public enum TemporaryRoots {
  private static let lock = NSLock()
  nonisolated(unsafe) private static var live: [String: Int32] = [:]
  nonisolated(unsafe) private static var installed = false

  /// The name every root starts with.
  static let prefix = "promptgate-"

  /// Makes a new root, locked by this process; sweeps the roots of dead processes first.
  static func make() throws -> String {
    installInterruptCleanup()
    let temporary = NSTemporaryDirectory()
    sweep(temporary)
    let path = temporary + "\(prefix)\(getpid())-\(UUID().uuidString.prefix(8))"
    do {
      try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    } catch {
      throw PromptGateError(
        .environment,
        "cannot make a temporary directory at \(path): check TMPDIR and the free space")
    }
    let descriptor = open(path + "/.lock", O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
    guard descriptor >= 0, flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
      if descriptor >= 0 { close(descriptor) }
      try? FileManager.default.removeItem(atPath: path)
      throw PromptGateError(.environment, "cannot lock the temporary directory \(path)")
    }
    lock.lock()
    live[path] = descriptor
    lock.unlock()
    return path
  }

  /// Removes `path`, made by ``make()``.
  static func remove(_ path: String) {
    lock.lock()
    let descriptor = live.removeValue(forKey: path)
    lock.unlock()
    try? FileManager.default.removeItem(atPath: path)
    if let descriptor { close(descriptor) }
  }

  /// Removes every root this process still has.
  public static func removeAll() {
    lock.lock()
    let roots = live
    live = [:]
    lock.unlock()
    for (path, descriptor) in roots {
      try? FileManager.default.removeItem(atPath: path)
      close(descriptor)
    }
  }

  /// Removes the roots in `directory` whose process is gone (their lock is free).
  static func sweep(_ directory: String) {
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
      return
    }
    for name in names where name.hasPrefix(prefix) {
      let path = (directory as NSString).appendingPathComponent(name)
      let descriptor = open(path + "/.lock", O_RDWR | O_CLOEXEC | O_NOFOLLOW)
      guard descriptor >= 0 else { continue }
      defer { close(descriptor) }
      guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else { continue }
      try? FileManager.default.removeItem(atPath: path)
    }
  }

  /// On SIGINT or SIGTERM: remove the roots, then exit 128 + the signal. The handler only writes
  /// the signal's number to a pipe (all a signal handler may safely do); the cleanup runs on a
  /// dispatch queue. A handler, unlike an ignored signal, is reset in the programs the gate
  /// starts, so a harness still stops on Ctrl-C.
  private static func installInterruptCleanup() {
    lock.lock()
    defer { lock.unlock() }
    guard !installed else { return }
    installed = true
    var ends: [Int32] = [0, 0]
    guard pipe(&ends) == 0 else { return }
    for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
    interruptWriteEnd = ends[1]
    let source = DispatchSource.makeReadSource(fileDescriptor: ends[0], queue: .global())
    source.setEventHandler {
      var number: UInt8 = 0
      _ = read(ends[0], &number, 1)
      removeAll()
      exit(128 + Int32(number))
    }
    source.resume()
    interruptSource = source
    for signal in [SIGINT, SIGTERM] {
      var action = sigaction()
      action.__sigaction_handler.sa_handler = { number in
        var byte = UInt8(truncatingIfNeeded: number)
        _ = write(interruptWriteEnd, &byte, 1)
      }
      sigemptyset(&action.sa_mask)
      sigaction(signal, &action, nil)
    }
  }
}

/// The pipe's write end, for the signal handler (which can capture nothing).
nonisolated(unsafe) private var interruptWriteEnd: Int32 = -1
/// Kept alive for the process's life.
nonisolated(unsafe) private var interruptSource: (any DispatchSourceRead)?
