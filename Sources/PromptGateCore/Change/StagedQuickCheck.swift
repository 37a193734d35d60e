import GitKit

/// The pre-commit hook's no-op path: proves, without libgit2's index loader, that nothing a
/// behavior, an eval set or a global pattern reads differs between a commit and the index.
public enum StagedQuickCheck {
  /// True only when it is certain that nothing relevant differs between `base`'s tree and the
  /// index; false when something differs or the fast path cannot tell (the caller then does the
  /// full comparison).
  public static func indexMatches(_ repository: Repository, base: ObjectID, override: Mapping?)
    throws -> Bool
  {
    try indexMatches(
      base: try repository.snapshot(of: base), indexPath: repository.indexFilePath,
      override: override)
  }

  /// The same check with the base tree read by any snapshot: libgit2's, or ``StoredTreeSnapshot``
  /// when the hook runs without starting libgit2.
  public static func indexMatches(base tree: Snapshot, indexPath: String, override: Mapping?) throws
    -> Bool
  {
    guard let index = IndexFile(path: indexPath) else { return false }
    let mapping: Mapping
    var watched: [String] = []
    if let override {
      mapping = override
    } else {
      let committed = try tree.entry(at: MappingParser.fileName)
      let staged = index.entries(under: MappingParser.fileName).first {
        $0.path == MappingParser.fileName
      }
      guard committed?.id == staged?.id, committed?.mode == staged?.mode else { return false }
      guard let found = try Workspace.mapping(in: tree) else { return true }
      mapping = found
      watched.append(MappingParser.fileName)
    }
    watched = Mapping.outermost(watched + mapping.watchedPaths(selection: true))
    for path in watched {
      guard !path.isEmpty else { return false }
      let committed = try tree.entry(at: path).map { [$0] } ?? tree.files(under: path)
      let staged = index.entries(under: path)
      // A symlink may point outside the watched paths: leave it to the full comparison.
      guard committed == staged, !staged.contains(where: { $0.mode == .symlink }) else {
        return false
      }
    }
    return true
  }
}
