import GitKit

/// Parsed mappings, parsed data files and content digests, keyed by git blob id, so that a walk
/// over many commits reads and hashes each distinct blob once.
public final class ContentCache {
  var mappings: [ObjectID: Mapping] = [:]
  var documents: [ObjectID: JSONValue] = [:]
  var digests: [DigestKey: String] = [:]
  /// The most recent resolutions (``resolutionLimit``), and their keys oldest first: a walk
  /// over thousands of commits would otherwise keep every file list it resolved (2,000 lists
  /// of 500 files held 80 MB), where only the last few are ever met again. Those that list no
  /// files (a history walk's) hold a digest each, and more of them are kept
  /// (``digestResolutionLimit``): the branches a walk alternates between meet the same
  /// subtrees again.
  private var resolutions: [ResolutionKey: BehaviorResolver.Outcome] = [:]
  private var resolutionOrder: [ResolutionKey] = []
  private var digestResolutionOrder: [ResolutionKey] = []
  static let resolutionLimit = 64
  static let digestResolutionLimit = 2048
  /// The last resolution of each file-set source, updated side to side from what changed.
  var fileSets: [FileSetKey: FileSetMemo] = [:]

  struct DigestKey: Hashable {
    let id: ObjectID
    let canonical: Bool
    /// The prompt text alone, without front matter (``Source/hashesBody``).
    let body: Bool
  }

  /// A source resolved for a component in trees whose objects at the source's watched paths
  /// had these ids: the same ids give the same outcome.
  struct ResolutionKey: Hashable {
    let source: Source
    let component: Component
    let objects: [ObjectLookup]
    /// Whether a file set's outcome lists its files (``BehaviorResolver/listsFiles``).
    let listsFiles: Bool
  }

  /// Creates an empty cache.
  public init() {}

  /// The outcome kept for `key`.
  func resolution(_ key: ResolutionKey) -> BehaviorResolver.Outcome? { resolutions[key] }

  /// Keeps `outcome` for `key`, forgetting the oldest kept beyond ``resolutionLimit``.
  func keep(_ outcome: BehaviorResolver.Outcome, for key: ResolutionKey) {
    guard resolutions.updateValue(outcome, forKey: key) == nil else { return }
    if key.listsFiles {
      resolutionOrder.append(key)
      if resolutionOrder.count > Self.resolutionLimit {
        resolutions[resolutionOrder.removeFirst()] = nil
      }
    } else {
      digestResolutionOrder.append(key)
      if digestResolutionOrder.count > Self.digestResolutionLimit {
        // Half at once: removing the first of 2,048 keys one at a time moves all the others.
        for old in digestResolutionOrder.prefix(Self.digestResolutionLimit / 2) {
          resolutions[old] = nil
        }
        digestResolutionOrder.removeFirst(Self.digestResolutionLimit / 2)
      }
    }
  }
}
