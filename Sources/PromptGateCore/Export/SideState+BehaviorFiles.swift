import GitKit

extension SideState {
  /// The files that decide `behavior` at this side, at their repository paths: each file-set
  /// component's files and each whole file a pointer or regex reads, symlinks followed, from
  /// git objects (what `PROMPTGATE_BEHAVIOR_DIR` holds for a harness). Submodules are left out.
  public func behaviorFiles(_ behavior: ResolvedBehavior) throws -> [USTarArchive.Entry] {
    var paths = Set<String>()
    for component in behavior.components.values {
      paths.formUnion(component.inputs)
      for file in component.files ?? [] { paths.insert(file.path) }
    }
    var entries: [USTarArchive.Entry] = []
    for path in paths.sorted() {
      try PathSafety.check(path, at: snapshot.location(of: ""))
      guard let entry = try snapshot.entry(at: path) else { continue }
      let target = try resolver.follow(entry)
      guard target.mode != .gitlink else { continue }
      entries.append(
        USTarArchive.Entry(
          path: path, contents: try snapshot.contents(of: target),
          executable: target.mode == .executable))
    }
    return entries
  }
}
