import GitKit

/// Walks a range of commits and finds each commit at which a behavior's version changed.
///
/// Only commits whose trees differ under the behaviors' source paths (and the mapping file) are
/// resolved: the rest inherit their parent's versions, so the walk costs little more than reading
/// the commits.
public final class BehaviorHistory {
  /// How to walk.
  public struct Options: Sendable {
    /// Follow only first parents.
    public var firstParent = false
    /// Report only this behavior.
    public var behavior: String?

    /// Creates options.
    public init(firstParent: Bool = false, behavior: String? = nil) {
      self.firstParent = firstParent
      self.behavior = behavior
    }
  }

  /// The versions at one commit, and the paths to compare to tell whether a child differs.
  struct State {
    var behaviors: [String: BehaviorVersion?]
    var watched: [TreePath]
  }

  let workspace: Workspace
  let repository: Repository
  let options: Options
  let shallow: Set<ObjectID>
  private var states: [ObjectID: State] = [:]
  private var commits: [ObjectID: Commit] = [:]
  private var warnings: [String] = []
  private var cut: Set<ObjectID> = []

  /// Creates a walker over `workspace`'s repository.
  public init(workspace: Workspace, options: Options) {
    self.workspace = workspace
    self.repository = workspace.repository
    self.options = options
    self.shallow = workspace.repository.shallowBoundary()
  }

  /// The entries for commits reachable from `head` but not from `base` (all of `head`'s history
  /// when `base` is nil), newest first.
  public func walk(from base: ObjectID?, to head: ObjectID) throws -> History {
    let hidden = try base.map { try ancestors(of: $0) } ?? []
    let order = try commitsNewestFirst(from: head, excluding: hidden)
    var entries: [LogEntry] = []
    for id in order.reversed() {
      let commit = try self.commit(id)
      let parents = parents(of: commit)
      let parentStates = try parents.map { try self.state(ofParent: $0) }
      let state = try self.state(of: commit, parents: parents)
      // Past a shallow boundary nothing is known, so the boundary commit reports no appearance.
      if cut.contains(commit.id) { continue }
      entries += changes(
        at: commit, state: state, parents: parentStates.isEmpty ? [nil] : parentStates)
    }
    return History(
      entries: entries.reversed(), cutAt: cut.map(\.hex).sorted(), warnings: warnings)
  }

  // MARK: Commits

  private func commit(_ id: ObjectID) throws -> Commit {
    if let known = commits[id] { return known }
    let commit = try repository.commit(id)
    commits[id] = commit
    return commit
  }

  /// The parents the walk follows: the first only with `--first-parent`, none past a shallow
  /// boundary.
  private func parents(of commit: Commit) -> [ObjectID] {
    if shallow.contains(commit.id) {
      if !commit.parents.isEmpty { cut.insert(commit.id) }
      return []
    }
    return options.firstParent ? Array(commit.parents.prefix(1)) : commit.parents
  }

  /// Every commit reachable from `id`, stopping at shallow boundaries.
  private func ancestors(of id: ObjectID) throws -> Set<ObjectID> {
    var seen: Set<ObjectID> = [id]
    var stack = [id]
    while let next = stack.popLast() {
      for parent in shallow.contains(next) ? [] : try commit(next).parents
      where seen.insert(parent).inserted {
        stack.append(parent)
      }
    }
    return seen
  }

  /// The commits to report, children before parents, newer before older among unrelated ones.
  private func commitsNewestFirst(from head: ObjectID, excluding hidden: Set<ObjectID>) throws
    -> [ObjectID]
  {
    guard !hidden.contains(head) else { return [] }
    var members: Set<ObjectID> = [head]
    var stack = [head]
    var children: [ObjectID: Int] = [:]
    while let next = stack.popLast() {
      for parent in parents(of: try commit(next)) where !hidden.contains(parent) {
        children[parent, default: 0] += 1
        if members.insert(parent).inserted { stack.append(parent) }
      }
    }
    var ready = [head]
    var order: [ObjectID] = []
    while !ready.isEmpty {
      let index = try ready.indices.max { try commit(ready[$0]).time < commit(ready[$1]).time }!
      let next = ready.remove(at: index)
      order.append(next)
      for parent in parents(of: try commit(next)) where members.contains(parent) {
        children[parent]! -= 1
        if children[parent] == 0 { ready.append(parent) }
      }
    }
    return order
  }

  // MARK: States

  /// The state of a parent, which may lie outside the range.
  private func state(ofParent id: ObjectID) throws -> State {
    if let known = states[id] { return known }
    return try state(of: try commit(id), parents: [])
  }

  /// The versions at `commit`: a parent's when nothing watched differs, else resolved.
  private func state(of commit: Commit, parents: [ObjectID]) throws -> State {
    if let known = states[commit.id] { return known }
    for parent in parents {
      guard let inherited = states[parent] else { continue }
      if try !repository.treesDiffer(
        try self.commit(parent).tree, commit.tree, under: inherited.watched)
      {
        states[commit.id] = inherited
        return inherited
      }
    }
    let state = try resolve(commit, fallback: parents.first.flatMap { states[$0] })
    states[commit.id] = state
    return state
  }

  private func resolve(_ commit: Commit, fallback: State?) throws -> State {
    let side = Side.revision(commit.id.hex)
    do {
      let snapshot = try repository.snapshot(of: commit.id, label: commit.id.short)
      let sideState = try workspace.state(of: side, snapshot: snapshot)
      var behaviors: [String: BehaviorVersion?] = [:]
      for (name, state) in sideState.behaviors
      where options.behavior == nil || options.behavior == name {
        behaviors[name] = state.version
      }
      return State(
        behaviors: behaviors,
        watched: Self.watchedPaths(sideState, override: workspace.override != nil).map(
          TreePath.init))
    } catch let error as Diagnostic {
      warnings.append("commit \(commit.id.short): \(error.description); its versions are skipped")
    } catch let error as Diagnostics {
      warnings.append(
        "commit \(commit.id.short): invalid mapping; its versions are skipped\n\(error.description)"
      )
    }
    // An unreadable commit keeps the versions before it, so one bad commit adds no noise.
    return State(behaviors: fallback?.behaviors ?? [:], watched: [TreePath("")])
  }

  /// The paths whose content decides the versions at a side: each source's file or pattern
  /// base, the targets of followed symlinks, and the mapping file itself.
  static func watchedPaths(_ state: SideState, override: Bool) -> [String] {
    var paths = state.mapping?.watchedPaths(selection: false) ?? []
    if !override { paths.append(MappingParser.fileName) }
    return Mapping.outermost(paths + state.resolverSymlinkTargets)
  }

  // MARK: Entries

  private func changes(at commit: Commit, state: State, parents: [State?]) -> [LogEntry] {
    // Most commits inherit their parent's versions: nothing to compare.
    if parents.contains(where: { $0?.behaviors == state.behaviors }) { return [] }
    var names = Set(state.behaviors.keys)
    for parent in parents { names.formUnion(parent?.behaviors.keys ?? [:].keys) }
    var entries: [LogEntry] = []
    for name in names.sorted() {
      let now = state.behaviors[name] ?? nil
      let before = parents.map { $0?.behaviors[name] ?? nil }
      // A merge is reported only when it differs from every parent, as git simplifies history.
      // Versions compare by value; ids are hashed only for the entries reported.
      guard before.allSatisfy({ $0 != now }) else { continue }
      let previous = before[0]
      let changed = Component.allCases.filter { component in
        previous == nil || now == nil || previous!.value(of: component) != now!.value(of: component)
      }
      entries.append(
        LogEntry(
          commit: commit.id.hex, behavior: name, previousId: previous?.id, id: now?.id,
          changed: changed))
    }
    return entries
  }
}

extension SideState {
  var resolverSymlinkTargets: Set<String> { resolver.symlinkTargets }
}
