import GitKit
import PromptGateCore

/// The one rule for where a new branch starts, used by CI sides and by the pre-push hook.
///
/// The base of a new branch (or of a push whose previous commit is gone) is its merge-base with
/// the first of these that exists: `<remote>/HEAD`, the CI's default branch (`<remote>/<name>`,
/// then the local branch), `main` (`<remote>/main`, then the local branch), `master` (the same).
/// A candidate that is the branch being gated itself is passed over. When none exists, the base
/// cannot be found here, and the error names the fetch that brings it.
public enum BranchBase {
  /// The base found for a new branch.
  public struct Found: Sendable, Equatable {
    /// The side to compare with: the merge-base, or `.empty` when the branch shares no history
    /// with the default branch (every behavior is new).
    public let side: Side
    /// The branch the merge-base was taken with, as a user names it (`origin/main`).
    public let against: String
    /// The merge-base, when there is one.
    public let mergeBase: ObjectID?
  }

  /// The references to try, in order, for `remote` and the CI's `defaultBranch`.
  public static func candidates(remote: String, defaultBranch: String?) -> [(
    name: String, reference: String
  )] {
    var names: [String] = []
    if let defaultBranch, !defaultBranch.isEmpty { names.append(defaultBranch) }
    for name in ["main", "master"] where !names.contains(name) { names.append(name) }
    var result = [(name: "\(remote)/HEAD", reference: "refs/remotes/\(remote)/HEAD")]
    for name in names {
      result.append((name: "\(remote)/\(name)", reference: "refs/remotes/\(remote)/\(name)"))
      result.append((name: name, reference: "refs/heads/\(name)"))
    }
    return result
  }

  /// The base of `head`, a new branch (`reference` when it has one, so that it is not compared
  /// with itself), by the rule above.
  public static func find(
    head: ObjectID, reference: String? = nil, remote: String?, defaultBranch: String?,
    in repository: Repository
  ) throws -> Found {
    let remote = remote.flatMap { $0.isEmpty || $0.contains("/") || $0.contains(":") ? nil : $0 }
    let tried = candidates(remote: remote ?? "origin", defaultBranch: defaultBranch)
      .filter { remote != nil || !$0.reference.hasPrefix("refs/remotes/") }
    for candidate in tried where candidate.reference != reference {
      guard let tip = try? repository.resolveCommit(candidate.reference) else { continue }
      do {
        let base = try repository.mergeBase(head, tip)
        return Found(side: .revision(base.hex), against: candidate.name, mergeBase: base)
      } catch let error as GitError where error.kind == .notFound {
        return Found(side: .empty, against: candidate.name, mergeBase: nil)
      }
    }
    let names = tried.filter { $0.reference != reference }.map(\.name)
    let fetch =
      remote.map { "git fetch \($0) \(defaultBranch ?? "main")" }
      ?? "git fetch origin \(defaultBranch ?? "main")"
    throw PromptGateError(
      .usage,
      "cannot find where this new branch starts: none of \(names.joined(separator: ", ")) exists here; "
        + "fetch the default branch (\(fetch)) or name the base explicitly")
  }
}
