import GitKit

/// Walks a range of commits and finds each commit at which a behavior's version changed.
///
/// Only commits whose trees differ under the behaviors' source paths (and the mapping file) are
/// resolved: the rest inherit their parent's versions, found by comparing the ids of the tree
/// entries at those paths, so the walk costs little more than reading the commits.
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

  /// The versions at one commit, the paths whose content decides them, and the ids of the tree
  /// entries at those paths there (a child with the same ids has the same versions).
  struct State {
    var behaviors: [String: BehaviorVersion?]
    /// The watched paths, with what earlier lookups of them found (shared by inheriting states).
    var watched: TreePathMemo
    var entryIDs: [ObjectID?]
  }

  /// A commit of the range, with its parents as positions in the range or commits outside it.
  struct Node {
    enum Parent {
      case member(Int)
      case outside(ObjectID)
    }

    let commit: Commit
    var parents: [Parent]
    let isCut: Bool
  }

  let workspace: Workspace
  let repository: Repository
  let options: Options
  let shallow: Set<ObjectID>
  private var outsideStates: [ObjectID: State] = [:]
  private var warnings: [String] = []

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
    let nodes = try members(from: head, excluding: hidden)
    var states = [State?](repeating: nil, count: nodes.count)
    // Entries per commit, oldest commit first; each commit's own entries stay in name order.
    var groups: [[LogEntry]] = []
    for index in nodes.indices.reversed() {
      let node = nodes[index]
      let parentStates = try node.parents.map { parent -> State in
        switch parent {
        case .member(let position): return states[position]!
        case .outside(let id): return try outsideState(id)
        }
      }
      let state = try self.state(of: node.commit, parents: parentStates)
      states[index] = state
      // Past a shallow boundary nothing is known, so the boundary commit reports no appearance.
      if node.isCut { continue }
      groups.append(
        changes(at: node.commit, state: state, parents: parentStates.isEmpty ? [nil] : parentStates)
      )
    }
    return History(
      entries: groups.reversed().flatMap { $0 },
      cutAt: nodes.filter(\.isCut).map(\.commit.id.hex).sorted(),
      warnings: warnings)
  }

  // MARK: Commits

  /// The parents the walk follows: the first only with `--first-parent`, none past a shallow
  /// boundary.
  private func followedParents(of commit: Commit) -> [ObjectID] {
    if shallow.contains(commit.id) { return [] }
    return options.firstParent ? Array(commit.parents.prefix(1)) : commit.parents
  }

  /// Every commit reachable from `id`, stopping at shallow boundaries.
  private func ancestors(of id: ObjectID) throws -> Set<ObjectID> {
    try repository.ancestors(of: id, boundary: shallow)
  }

  /// The commits to report, children before parents and newer before older among unrelated
  /// ones, as git orders them.
  private func members(from head: ObjectID, excluding hidden: Set<ObjectID>) throws -> [Node] {
    guard !hidden.contains(head) else { return [] }
    // Discover the range, numbering commits as they are found.
    var found: [Commit] = [try repository.commit(head)]
    var position: [ObjectID: Int] = [head: 0]
    var parentPositions: [[Int]] = []
    var children: [Int] = [0]
    var next = 0
    while next < found.count {
      var positions: [Int] = []
      for parent in followedParents(of: found[next]) where !hidden.contains(parent) {
        if let known = position[parent] {
          positions.append(known)
          children[known] += 1
        } else {
          position[parent] = found.count
          positions.append(found.count)
          found.append(try repository.commit(parent))
          children.append(1)
        }
      }
      parentPositions.append(positions)
      next += 1
    }
    // Order them: a commit is ready once all its children are placed; the newest ready goes first.
    var ready = [0]
    var order: [Int] = []
    order.reserveCapacity(found.count)
    while !ready.isEmpty {
      var newest = 0
      for candidate in ready.indices where found[ready[candidate]].time > found[ready[newest]].time
      {
        newest = candidate
      }
      let current = ready.remove(at: newest)
      order.append(current)
      for parent in parentPositions[current] {
        children[parent] -= 1
        if children[parent] == 0 { ready.append(parent) }
      }
    }
    var rank = [Int](repeating: 0, count: found.count)
    for (index, member) in order.enumerated() { rank[member] = index }
    return order.map { member in
      let commit = found[member]
      let followed = followedParents(of: commit)
      let parents: [Node.Parent] = followed.map { id in
        position[id].map { .member(rank[$0]) } ?? .outside(id)
      }
      return Node(
        commit: commit, parents: parents,
        isCut: shallow.contains(commit.id) && !commit.parents.isEmpty)
    }
  }

  // MARK: States

  /// The state of a parent outside the range, resolved once.
  private func outsideState(_ id: ObjectID) throws -> State {
    if let known = outsideStates[id] { return known }
    let state = try resolve(try repository.commit(id), fallback: nil)
    outsideStates[id] = state
    return state
  }

  /// The versions at `commit`: a parent's when nothing watched differs, else resolved.
  private func state(of commit: Commit, parents: [State]) throws -> State {
    for parent in parents {
      let ids = try repository.entryIDs(in: commit.tree, memo: parent.watched)
      if ids == parent.entryIDs {
        var inherited = parent
        inherited.entryIDs = ids
        return inherited
      }
    }
    return try resolve(commit, fallback: parents.first)
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
      let watched = TreePathMemo(
        paths: Self.watchedPaths(sideState, override: workspace.override != nil).map(TreePath.init))
      return State(
        behaviors: behaviors, watched: watched,
        entryIDs: try repository.entryIDs(in: commit.tree, memo: watched))
    } catch let error as Diagnostic {
      warnings.append("commit \(commit.id.short): \(error.description); its versions are skipped")
    } catch let error as Diagnostics {
      warnings.append(
        "commit \(commit.id.short): invalid mapping; its versions are skipped\n\(error.description)"
      )
    }
    // An unreadable commit keeps the versions before it, so one bad commit adds no noise; the
    // whole tree is watched, so that its first readable child is resolved again.
    return State(
      behaviors: fallback?.behaviors ?? [:], watched: TreePathMemo(paths: [TreePath("")]),
      entryIDs: [commit.tree])
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
