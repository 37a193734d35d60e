import Foundation
import GitKit
import PromptGateCore

/// The entries of the shared ref as this clone last fetched it (`refs/promptgate/fetched`),
/// read from git objects where the gate looks them up. Nothing is copied out of the object
/// database, so a first fetch of 100,000 results costs what `git fetch` costs, and only an
/// entry's own path (`results/ab/KEY.json`, made from its key) is ever read.
public final class FetchedResults: FetchedEntries, @unchecked Sendable {
  private let lock = NSLock()
  /// The fetched commit's tree, in a repository of its own: gates look entries up from
  /// concurrent tasks, and the lock serialises them.
  private let snapshot: Snapshot

  /// The fetched entries of the repository at `gitDirectory`; nil when it has fetched none.
  public init?(gitDirectory: String) {
    guard let repository = try? Repository(discoveringFrom: gitDirectory),
      let snapshot = try? repository.snapshot(ofReference: SharedResults.fetchedReference)
    else { return nil }
    self.snapshot = snapshot
  }

  public func contents(at path: String) -> Data? {
    lock.withLock {
      guard let entry = try? snapshot.entry(at: path), entry.mode == .regular,
        let bytes = try? snapshot.contents(of: entry)
      else { return nil }
      return Data(bytes)
    }
  }
}
