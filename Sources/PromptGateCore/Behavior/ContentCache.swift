import GitKit

/// Parsed mappings, parsed data files and content digests, keyed by git blob id, so that a walk
/// over many commits reads and hashes each distinct blob once.
public final class ContentCache {
  var mappings: [ObjectID: Mapping] = [:]
  var documents: [ObjectID: JSONValue] = [:]
  var digests: [DigestKey: String] = [:]

  struct DigestKey: Hashable {
    let id: ObjectID
    let canonical: Bool
  }

  /// Creates an empty cache.
  public init() {}
}
