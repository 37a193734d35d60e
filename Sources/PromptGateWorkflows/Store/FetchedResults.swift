import Foundation
import GitKit
import PromptGateCore

/// The entries of the shared ref as this clone last fetched it (`refs/promptgate/fetched`),
/// read from git objects where the gate looks them up. Nothing is copied out of the object
/// database, so a first fetch of 100,000 results costs what `git fetch` costs, and only an
/// entry's own path (`results/ab/KEY.json`, made from its key) is ever read.
public final class FetchedResults: FetchedEntries, @unchecked Sendable {
  private let lock = NSLock()
  private let gitDirectory: String
  /// The fetched commit's tree, in a repository of its own, opened at the first lookup (a gate
  /// whose results are all local, such as most hooks, never opens it); nil inside when the
  /// clone has fetched nothing. Gates look entries up from concurrent tasks: the lock
  /// serialises them.
  private var snapshot: Snapshot??

  /// The fetched entries of the repository at `gitDirectory`.
  public init(gitDirectory: String) {
    self.gitDirectory = gitDirectory
  }

  public func contents(at path: String) -> Data? {
    lock.withLock {
      if snapshot == nil {
        snapshot = .some(
          (try? Repository(discoveringFrom: gitDirectory)).flatMap {
            try? $0.snapshot(ofReference: SharedResults.fetchedReference)
          })
      }
      guard let tree = snapshot ?? nil, let entry = try? tree.entry(at: path),
        entry.mode == .regular, let bytes = try? tree.contents(of: entry)
      else { return nil }
      return Data(bytes)
    }
  }
}
