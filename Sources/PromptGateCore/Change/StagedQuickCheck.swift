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
    try indexMatches(repository, tree: try repository.snapshot(of: base), override: override)
  }

  /// The same check with the base tree read by any snapshot of `repository`: libgit2's, or
  /// ``Repository/snapshot(ofReference:)``'s when the hook runs without starting libgit2. The
  /// index is the one ``Repository/indexFilePath`` names, read directly.
  public static func indexMatches(_ repository: Repository, tree: Snapshot, override: Mapping?)
    throws -> Bool
  {
    func staged(_ path: String) -> [FileEntry]? { repository.stagedEntries(under: path) }
    // Whether the direct reader takes this index at all, asked with a path that lists at most
    // one entry: asking with "" would build all of a large index's entries (a third of the hook's
    // time on 100,000 files).
    guard staged(MappingParser.fileName) != nil else { return false }
    let mapping: Mapping
    var watched: [String] = []
    if let override {
      mapping = override
    } else {
      let committed = try tree.entry(at: MappingParser.fileName)
      guard let entries = staged(MappingParser.fileName) else { return false }
      let stagedMapping = entries.first { $0.path == MappingParser.fileName }
      guard committed?.id == stagedMapping?.id, committed?.mode == stagedMapping?.mode else {
        return false
      }
      guard let found = try Workspace.mapping(in: tree) else { return true }
      mapping = found
      watched.append(MappingParser.fileName)
    }
    watched = Mapping.outermost(watched + mapping.watchedPaths(selection: true))
    for path in watched {
      guard !path.isEmpty else { return false }
      let committed = try tree.entry(at: path).map { [$0] } ?? tree.files(under: path)
      // A symlink may point outside the watched paths: leave it to the full comparison.
      guard let entries = staged(path), committed == entries,
        !entries.contains(where: { $0.mode == .symlink })
      else {
        return false
      }
    }
    return true
  }
}
