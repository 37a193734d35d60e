import GitKit

/// Parsed mappings, parsed data files and content digests, keyed by git blob id, so that a walk
/// over many commits reads and hashes each distinct blob once.
public final class ContentCache {
  var mappings: [ObjectID: Mapping] = [:]
  var documents: [ObjectID: JSONValue] = [:]
  var digests: [DigestKey: String] = [:]
  var resolutions: [ResolutionKey: BehaviorResolver.Outcome] = [:]
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
  }

  /// Creates an empty cache.
  public init() {}
}
