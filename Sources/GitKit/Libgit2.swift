internal import Clibgit2

/// Starts libgit2 once per process, before the first handle is made.
///
/// Objects are not re-hashed on every read (libgit2's default): git does not verify them on
/// ordinary reads either, and verification triples the cost of a history walk.
let libgit2Started: Bool = {
  git_libgit2_init()
  _ = promptgate_git_set_strict_hash_verification(0)
  return true
}()

/// Copies a `git_buf` into bytes and disposes of it.
func consume(_ buffer: inout git_buf) -> [UInt8] {
  defer { git_buf_dispose(&buffer) }
  guard let pointer = buffer.ptr, buffer.size > 0 else { return [] }
  return pointer.withMemoryRebound(to: UInt8.self, capacity: buffer.size) {
    Array(UnsafeBufferPointer(start: $0, count: buffer.size))
  }
}
