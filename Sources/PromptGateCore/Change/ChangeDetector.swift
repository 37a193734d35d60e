/// Compares two sides: behaviors by their resolved components, eval sets by their definitions and
/// files, and global files by content.
public enum ChangeDetector {
  /// What differs from `base` to `head`.
  public static func compare(_ base: SideState, _ head: SideState) throws -> ChangeSet {
    var names = head.behaviors.map(\.name)
    names += base.behaviors.map(\.name).filter { head.state(of: $0) == nil }
    let behaviors = names.map { name in
      let before = base.mapping?.behavior(named: name)
      let after = head.mapping?.behavior(named: name)
      let definitionChanged =
        switch (before, after) {
        case (nil, nil): false
        case (let before?, let after?): !before.declaresSame(as: after)
        default: true
        }
      return withFileValues(
        behaviorChange(
          name, base.state(of: name), head.state(of: name),
          definitionChanged: definitionChanged),
        base: base.resolver, head: head.resolver)
    }
    let globalPatterns = (head.mapping?.global ?? []) + (base.mapping?.global ?? [])
    let global = FileChanges(
      old: try base.resolver.fingerprints(globalPatterns),
      new: try head.resolver.fingerprints(globalPatterns))
    return ChangeSet(
      base: base.summary, head: head.summary, behaviors: behaviors,
      evalSets: try evalSetChanges(base, head), global: global)
  }

  static func behaviorChange(
    _ name: String, _ old: BehaviorState?, _ new: BehaviorState?, definitionChanged: Bool
  ) -> BehaviorChange {
    let before = presentBehavior(old)
    let after = presentBehavior(new)
    let status: BehaviorChange.Status
    var components: [ComponentChange] = []
    switch (before, after) {
    case (nil, nil): status = .unchanged
    case (nil, .some): status = .added
    case (.some, nil): status = .removed
    case (.some(let old), .some(let new)):
      status = old.version.id == new.version.id ? .unchanged : .changed
    }
    if status != .unchanged {
      for component in Component.allCases {
        let old = before?.components[component] ?? .null
        let new = after?.components[component] ?? .null
        if status == .changed && old.value == new.value { continue }
        components.append(componentChange(component, old, new))
      }
    }
    return BehaviorChange(
      behavior: name, status: status, previousId: before?.version.id, id: after?.version.id,
      previousAbsence: absence(old), absence: absence(new), changed: components.map(\.component),
      components: components, definitionChanged: definitionChanged)
  }

  static func componentChange(
    _ component: Component, _ old: ResolvedComponent, _ new: ResolvedComponent
  )
    -> ComponentChange
  {
    var files: FileChanges?
    if old.files != nil || new.files != nil {
      let fingerprint = { (file: ResolvedFile) in (file.path, file.mode + " " + file.digest) }
      files = FileChanges(
        old: Dictionary(uniqueKeysWithValues: (old.files ?? []).map(fingerprint)),
        new: Dictionary(uniqueKeysWithValues: (new.files ?? []).map(fingerprint)))
    }
    var values: [ValueChange]?
    var omitted: Int?
    if component.kind == .digest, let before = old.selected, let after = new.selected {
      (values, omitted) = ValueChange.shown(before, after)
    }
    return ComponentChange(
      component: component, old: old.value, new: new.value, files: files, values: values,
      omittedValues: omitted)
  }

  /// `change` with the changed leaves of each modified JSON or YAML file of its file sets that
  /// hash in canonical form, and of the front matter of each modified `.prompt` or `.prompty`
  /// file of any file set, read from the two sides (only now, so that a walk never parses them
  /// for a diff it does not print).
  static func withFileValues(
    _ change: BehaviorChange, base: BehaviorResolver, head: BehaviorResolver
  ) -> BehaviorChange {
    guard change.status == .changed else { return change }
    var components = change.components
    for (index, component) in components.enumerated() {
      guard let modified = component.files?.modified, !modified.isEmpty else { continue }
      let canonical = component.component.hashesStructuredFilesCanonically
      // A prompt set without .prompt or .prompty files has no leaves to show: none, not empty.
      guard canonical || modified.contains(where: FrontMatter.isPromptFile) else { continue }
      var fileValues: [FileValueChanges] = []
      for path in modified
      where (canonical && StructuredFile.isStructured(path)) || FrontMatter.isPromptFile(path) {
        // A file that does not parse here (an LFS pointer) hashed by other means: no leaves.
        guard let old = try? base.document(at: path), let new = try? head.document(at: path)
        else { continue }
        fileValues.append(FileValueChanges(path: path, old: old, new: new))
      }
      components[index].fileValues = fileValues
    }
    return BehaviorChange(
      behavior: change.behavior, status: change.status, previousId: change.previousId,
      id: change.id, previousAbsence: change.previousAbsence, absence: change.absence,
      changed: change.changed, components: components,
      definitionChanged: change.definitionChanged)
  }

  private static func presentBehavior(_ state: BehaviorState?) -> ResolvedBehavior? {
    if case .present(let behavior)? = state { return behavior }
    return nil
  }

  private static func absence(_ state: BehaviorState?) -> String? {
    switch state {
    case .absent(let absence)?: return absence.description
    case nil: return "not defined"
    case .present?: return nil
    }
  }

  static func evalSetChanges(_ base: SideState, _ head: SideState) throws -> [EvalSetChange] {
    var result: [EvalSetChange] = []
    let oldSets = base.mapping?.evalSets ?? []
    let newSets = head.mapping?.evalSets ?? []
    for set in newSets {
      guard let old = oldSets.first(where: { $0.name == set.name }) else {
        result.append(EvalSetChange(evalSet: set.name, kinds: [.added], paths: [set.cases]))
        continue
      }
      var kinds: [EvalSetChange.Kind] = []
      var paths: [String] = []
      if old.definition != set.definition { kinds.append(.definition) }
      if try base.resolver.fingerprint(at: old.cases) != head.resolver.fingerprint(at: set.cases) {
        kinds.append(.cases)
        paths.append(set.cases)
      }
      let files = FileChanges(
        old: try base.resolver.fingerprints(old.files),
        new: try head.resolver.fingerprints(set.files))
      if !files.isEmpty {
        kinds.append(.files)
        paths += files.paths
      }
      if !kinds.isEmpty {
        result.append(EvalSetChange(evalSet: set.name, kinds: kinds, paths: paths))
      }
    }
    for set in oldSets where !newSets.contains(where: { $0.name == set.name }) {
      result.append(EvalSetChange(evalSet: set.name, kinds: [.removed], paths: []))
    }
    return result
  }
}
