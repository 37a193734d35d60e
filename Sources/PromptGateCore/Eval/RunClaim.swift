import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A claim on one run or grading of a result store, so that two gates over the same store make
/// each call once: the first takes the claim and makes the call; the second waits for the claim,
/// then finds the result stored and reads it instead of paying for it again.
///
/// A claim is an exclusive `flock` on `claims/KEY` in the store: the kernel releases it when the
/// process dies, however it dies, so a dead gate's claim never blocks anyone. The file is removed
/// while the claim is still held; a waiter that then obtains the lock on the removed file sees
/// that the path no longer names it, and claims anew.
public final class RunClaim: @unchecked Sendable {
  private var descriptor: Int32
  private let path: String

  private init(descriptor: Int32, path: String) {
    self.descriptor = descriptor
    self.path = path
  }

  /// What taking a claim came to.
  public struct Taken: Sendable {
    /// The claim; nil when the wait ran out or the claim file cannot be made (the caller then
    /// runs unclaimed: a claim saves money, it is never needed for correctness).
    public let claim: RunClaim?
    /// Whether another process held the claim first (and may have stored the result).
    public let waited: Bool
  }

  /// Claims `key` in `store`, waiting while another process holds it, at most `seconds`.
  public static func take(_ key: String, in store: ResultStore, waitingAtMost seconds: Double)
    async -> Taken
  {
    var waited = false
    let folder = store.directory + "/claims"
    let path = folder + "/" + key
    try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let deadline = ContinuousClock.now + .milliseconds(Int64(min(max(seconds, 0), 86_400) * 1000))
    var descriptor: Int32 = -1
    defer { if descriptor >= 0 { close(descriptor) } }
    while true {
      if descriptor < 0 {
        descriptor = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        if descriptor < 0 { return Taken(claim: nil, waited: waited) }
      }
      if flock(descriptor, LOCK_EX | LOCK_NB) == 0 {
        if names(path, descriptor) {
          let claim = RunClaim(descriptor: descriptor, path: path)
          descriptor = -1
          return Taken(claim: claim, waited: waited)
        }
        // The holder removed the file as it finished: claim the path anew.
        close(descriptor)
        descriptor = -1
        continue
      }
      guard errno == EWOULDBLOCK || errno == EINTR, ContinuousClock.now < deadline,
        !Task.isCancelled
      else {
        return Taken(claim: nil, waited: waited)
      }
      waited = true
      try? await Task.sleep(nanoseconds: 20_000_000)
    }
  }

  /// Whether `path` still names the file open at `descriptor`.
  private static func names(_ path: String, _ descriptor: Int32) -> Bool {
    var open = stat()
    var named = stat()
    guard fstat(descriptor, &open) == 0, stat(path, &named) == 0 else { return false }
    return open.st_dev == named.st_dev && open.st_ino == named.st_ino
  }

  /// Ends the claim: removes the file, then releases the lock. Later calls do nothing.
  public func release() {
    guard descriptor >= 0 else { return }
    unlink(path)
    close(descriptor)
    descriptor = -1
  }

  deinit { release() }
}
