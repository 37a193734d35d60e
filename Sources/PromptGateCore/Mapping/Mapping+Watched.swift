extension Mapping {
  /// The repository paths whose content can change what this mapping resolves to: each source's
  /// file or pattern base and, with `selection`, the eval sets' cases and files and the global
  /// patterns. Paths below another listed path are left out; "" stands for the whole tree.
  public func watchedPaths(selection: Bool) -> [String] {
    var paths: Set<String> = []
    var patterns = behaviors.flatMap { $0.sources.values.flatMap(\.watchedPatterns) }
    if selection {
      patterns += global + evalSets.flatMap(\.files)
      paths.formUnion(evalSets.map(\.cases))
    }
    for glob in patterns where !glob.isNegated { paths.insert(glob.searchRoot) }
    return Self.outermost(paths)
  }

  /// `paths` without those below another of them, sorted.
  public static func outermost<Paths: Sequence>(_ paths: Paths) -> [String]
  where Paths.Element == String {
    let sorted = Set(paths).sorted()
    return sorted.filter { path in
      !sorted.contains { $0 != path && ($0.isEmpty || path.hasPrefix($0 + "/")) }
    }
  }
}
