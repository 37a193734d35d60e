/// One side of a comparison.
public enum Side: Hashable, Sendable, CustomStringConvertible {
  /// A commit, named as the user typed it (`HEAD`, `main~2`, an id).
  case revision(String)
  /// The index (`GIT_INDEX_FILE` when set).
  case index
  /// The working tree, as `git add -A` would stage it.
  case workTree
  /// No files: the parent of a root commit.
  case empty

  /// A stable name for machine-readable output: the revision as given, `index`, `worktree` or `empty`.
  public var token: String {
    switch self {
    case .revision(let name): return name
    case .index: return "index"
    case .workTree: return "worktree"
    case .empty: return "empty"
    }
  }

  public var description: String {
    switch self {
    case .revision(let name): return name
    case .index: return "the index"
    case .workTree: return "the working tree"
    case .empty: return "the empty tree"
    }
  }
}
