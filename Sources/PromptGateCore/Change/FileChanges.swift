/// How a set of files differs between two sides: added, removed, modified and renamed paths.
public struct FileChanges: Hashable, Sendable, Codable {
  /// A path that moved with its content unchanged.
  public struct Rename: Hashable, Sendable, Codable {
    public let from: String
    public let to: String
  }

  public var added: [String] = []
  public var removed: [String] = []
  public var modified: [String] = []
  public var renamed: [Rename] = []

  /// True when nothing differs.
  public var isEmpty: Bool {
    added.isEmpty && removed.isEmpty && modified.isEmpty && renamed.isEmpty
  }

  /// Every path involved, for selection reasons and annotations.
  public var paths: [String] {
    added + removed + modified + renamed.flatMap { [$0.from, $0.to] }
  }

  /// Compares two path-to-fingerprint maps; a removed and an added path with the same
  /// fingerprint are a rename.
  public init(old: [String: String], new: [String: String]) {
    for path in new.keys.sorted() {
      if let before = old[path] {
        if before != new[path] { modified.append(path) }
      } else {
        added.append(path)
      }
    }
    removed = old.keys.sorted().filter { new[$0] == nil }
    for path in removed {
      if let match = added.first(where: { new[$0] == old[path] }) {
        renamed.append(Rename(from: path, to: match))
        added.removeAll { $0 == match }
      }
    }
    removed.removeAll { path in renamed.contains { $0.from == path } }
  }

  init() {}
}
