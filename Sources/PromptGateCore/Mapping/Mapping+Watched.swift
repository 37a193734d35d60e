extension Mapping {
  /// The repository paths whose content can change what this mapping resolves to: each source's
  /// file or pattern base and, with `selection`, the eval sets' cases and files and the global
  /// patterns. Paths below another listed path are left out; "" stands for the whole tree.
  public func watchedPaths(selection: Bool) -> [String] {
    guard selection else { return sourceRoots }
    let patterns = global + evalSets.flatMap(\.files)
    return Self.outermost(sourceRoots + Self.searchRoots(patterns) + evalSets.map(\.cases))
  }

  /// Where the patterns that include files can match.
  static func searchRoots(_ patterns: [Glob]) -> [String] {
    patterns.filter { !$0.isNegated }.map(\.searchRoot)
  }

  /// `paths` without those below another of them, sorted. Each path's own parents are looked
  /// up, so the cost follows the paths' depth, not their number squared.
  public static func outermost<Paths: Sequence>(_ paths: Paths) -> [String]
  where Paths.Element == String {
    let all = Set(paths)
    if all.contains("") { return [""] }
    return all.filter { path in
      var parent = Substring(path)
      while let slash = parent.lastIndex(of: "/") {
        parent = parent[..<slash]
        if all.contains(String(parent)) { return false }
      }
      return true
    }.sorted()
  }
}
