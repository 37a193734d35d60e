internal import Clibgit2

/// An error from libgit2 or from reading a repository, with what to do next.
public struct GitError: Error, CustomStringConvertible, Sendable {
  /// The stable kinds of failure a caller may react to.
  public enum Kind: Sendable, Equatable {
    /// The object, reference or path does not exist.
    case notFound
    /// The revision names more than one object.
    case ambiguous
    /// The repository uses a format or feature this build of libgit2 cannot read.
    case unsupportedRepository
    /// The repository is owned by another user and not trusted by `safe.directory`.
    case untrustedOwner
    /// The revision or path is malformed.
    case invalid
    /// Any other failure reported by libgit2 or the file system.
    case other
  }

  /// What went wrong, as a stable kind.
  public let kind: Kind
  /// libgit2's own message, or ours, with the fix where one is known.
  public let message: String
  /// The failing C function, when the error came from libgit2.
  public let function: String?

  /// Creates an error of `kind` with `message`.
  public init(_ kind: Kind, _ message: String, function: String? = nil) {
    self.kind = kind
    self.message = message
    self.function = function
  }

  public var description: String { message }
}

/// Checks the return code of a libgit2 call and turns a failure into a ``GitError``.
///
/// The library's message is read at once, on the calling thread, as libgit2 keeps it per thread.
@discardableResult
func check(_ code: Int32, _ function: String) throws -> Int32 {
  guard code < 0 else { return code }
  throw lastError(code, function)
}

/// The error libgit2 recorded for `code` on this thread.
func lastError(_ code: Int32, _ function: String) -> GitError {
  var text = "\(function) failed (\(code))"
  if let error = git_error_last(), let message = error.pointee.message {
    text = String(cString: message)
  }
  let kind: GitError.Kind
  switch code {
  case GIT_ENOTFOUND.rawValue: kind = .notFound
  case GIT_EAMBIGUOUS.rawValue: kind = .ambiguous
  case GIT_EINVALIDSPEC.rawValue: kind = .invalid
  case GIT_EOWNER.rawValue: kind = .untrustedOwner
  default: kind = .other
  }
  return GitError(kind, text, function: function)
}
