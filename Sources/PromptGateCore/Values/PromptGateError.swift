/// A failure a user can meet, with a stable kind that decides the exit code and a message that
/// says what to do next.
///
/// The kinds follow the documented exit codes: ``Kind/usage`` and ``Kind/configuration`` exit 2,
/// ``Kind/unavailable`` exits 3, ``Kind/environment`` exits 4. A ``Diagnostic`` (a problem in a
/// file the user wrote) is a configuration error too; it carries its own location.
public struct PromptGateError: Error, CustomStringConvertible, Sendable, Equatable {
  /// Why the command could not do its job.
  public enum Kind: String, Sendable, CaseIterable {
    /// The command was called wrongly: an unknown name, a revision that does not exist, a tier
    /// no eval set declares.
    case usage
    /// The mapping, a cases file or an assertion is wrong, or the repository is one this build
    /// cannot read.
    case configuration
    /// Could not evaluate: a provider or harness failed, the spending cap was reached, a key
    /// variable is unset, a program an assertion needs is missing, a push failed.
    case unavailable
    /// The machine failed the command: the result store or a cache cannot be read or written,
    /// a lock was not obtained, a temporary directory cannot be made.
    case environment
  }

  /// What kind of failure this is.
  public let kind: Kind
  /// What went wrong, and what to do about it.
  public let message: String

  /// Creates an error of `kind`.
  public init(_ kind: Kind, _ message: String) {
    self.kind = kind
    self.message = message
  }

  public var description: String { message }
}
