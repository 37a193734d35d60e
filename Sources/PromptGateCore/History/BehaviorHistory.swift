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
    /// Report only this behavior; a name no walked commit defines is a usage error.
    public var behavior: String?
    /// Report at most this many entries, the newest (`git log -n`).
    public var maxCount: Int?

    /// Creates options.
    public init(firstParent: Bool = false, behavior: String? = nil, maxCount: Int? = nil) {
      self.firstParent = firstParent
      self.behavior = behavior
      self.maxCount = maxCount
    }
  }

  /// The versions at one or more commits, the paths whose content decides them, and the ids of
  /// the tree entries at those paths there (a child with the same ids has the same versions, so
  /// it shares its parent's state).
  struct State {
    var behaviors: [String: BehaviorVersion?]
    /// The watched paths, with what earlier lookups of them found (shared by later states that
    /// watch the same paths).
    var watched: TreePathMemo
    var entryIDs: [ObjectID?]
  }

  let workspace: Workspace
  let repository: Repository
  let options: Options
  let shallow: Set<ObjectID>
  /// Every distinct state met, by number: commits share their parent's when nothing differs.
  private var states: [State] = []
  private var outsideStates: [ObjectID: Int] = [:]
  /// One memo per list of watched paths.
  private var memos: [[String]: TreePathMemo] = [:]
  private var warnings: [String] = []
  /// Every behavior name a resolved commit's mapping defines.
  private var defined: Set<String> = []

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
    let hidden = try base.map { try repository.ancestors(of: $0, boundary: shallow) } ?? []
    let list = try repository.commitList(
      from: head, hiding: hidden, firstParent: options.firstParent, boundary: shallow)
    let locations = repository.locations(of: list.trees)
    var stateOf = [Int](repeating: 0, count: list.count)
    var parents: [Int] = []
    // Entries per commit, oldest commit first; each commit's own entries stay in name order.
    var groups: [[LogEntry]] = []
    for index in stride(from: list.count - 1, through: 0, by: -1) {
      parents.removeAll(keepingCapacity: true)
      for parent in list.parents(of: index) {
        switch parent {
        case .member(let position): parents.append(stateOf[position])
        case .outside(let id): parents.append(try outsideState(id))
        }
      }
      let id = list.ids[index]
      let state = try self.state(
        of: id, tree: list.trees[index], location: locations[index], parents: parents)
      stateOf[index] = state
      // Past a shallow boundary nothing is known, so the boundary commit reports no appearance.
      if list.isCut[index] { continue }
      let entries = changes(at: id, state: state, parents: parents)
      if !entries.isEmpty { groups.append(entries) }
    }
    try checkBehaviorDefined(from: base, to: head, walked: list.count)
    let entries = groups.reversed().flatMap { $0 }
    return History(
      entries: options.maxCount.map { Array(entries.prefix($0)) } ?? entries,
      cutAt: list.ids.indices.filter { list.isCut[$0] }.map { list.ids[$0].hex }.sorted(),
      warnings: warnings)
  }

  /// Throws a usage error naming the defined behaviors when `options.behavior` is defined at no
  /// commit of the range (nor at `head` when the range is empty), as `version` does for a side.
  private func checkBehaviorDefined(from base: ObjectID?, to head: ObjectID, walked: Int) throws {
    guard let wanted = options.behavior, !defined.contains(wanted) else { return }
    if walked == 0, let state = try? workspace.state(of: .revision(head.hex)) {
      defined.formUnion(state.behaviors.map(\.name))
      if defined.contains(wanted) { return }
    }
    // Commits whose mapping could not be read may define it: their warnings say so instead.
    if defined.isEmpty && !warnings.isEmpty { return }
    let range = base.map { "\($0.short)..\(head.short)" } ?? "the history of \(head.short)"
    let names = defined.isEmpty ? "none" : defined.sorted().joined(separator: ", ")
    throw PromptGateError(
      .usage, "no behavior named '\(wanted)' in \(range); defined: \(names)")
  }

  // MARK: States

  /// The state of a parent outside the range, resolved once.
  private func outsideState(_ id: ObjectID) throws -> Int {
    if let known = outsideStates[id] { return known }
    let state = try resolve(id, tree: try repository.commit(id).tree, fallback: nil)
    outsideStates[id] = state
    return state
  }

  /// The state at a commit: a parent's when nothing watched differs, else resolved.
  private func state(
    of commit: ObjectID, tree: ObjectID, location: ObjectLocation?, parents: [Int]
  ) throws -> Int {
    for parent in parents
    where try repository.entryIDs(
      in: tree, memo: states[parent].watched, equal: states[parent].entryIDs, location: location)
    {
      return parent
    }
    return try resolve(commit, tree: tree, fallback: parents.first)
  }

  /// Resolves the versions at `commit` into a new state.
  private func resolve(_ commit: ObjectID, tree: ObjectID, fallback: Int?) throws -> Int {
    let side = Side.revision(commit.hex)
    let previous = fallback.map { states[$0] }
    do {
      let snapshot = try repository.snapshot(of: commit, tree: tree, label: commit.short)
      let sideState = try workspace.state(of: side, snapshot: snapshot)
      var behaviors: [String: BehaviorVersion?] = [:]
      defined.formUnion(sideState.behaviors.map(\.name))
      for (name, state) in sideState.behaviors
      where options.behavior == nil || options.behavior == name {
        behaviors[name] = state.version
      }
      let paths = Self.watchedPaths(sideState, override: workspace.override != nil)
      // The same paths keep one memo, so unchanged subtrees are not read again.
      let watched = memos[paths] ?? TreePathMemo(paths: paths.map(TreePath.init))
      memos[paths] = watched
      return add(
        State(
          behaviors: behaviors, watched: watched,
          entryIDs: try repository.entryIDs(in: tree, memo: watched)))
    } catch let error as Diagnostic {
      warnings.append("commit \(commit.short): \(error.description); its versions are skipped")
    } catch let error as Diagnostics {
      warnings.append(
        "commit \(commit.short): invalid mapping; its versions are skipped\n\(error.description)"
      )
    }
    // An unreadable commit keeps the versions before it, so one bad commit adds no noise; the
    // whole tree is watched, so that its first readable child is resolved again.
    return add(
      State(
        behaviors: previous?.behaviors ?? [:], watched: TreePathMemo(paths: [TreePath("")]),
        entryIDs: [tree]))
  }

  private func add(_ state: State) -> Int {
    states.append(state)
    return states.count - 1
  }

  /// The paths whose content decides the versions at a side: each source's file or pattern
  /// base, the targets of followed symlinks, and the mapping file itself.
  static func watchedPaths(_ state: SideState, override: Bool) -> [String] {
    var paths = state.mapping?.watchedPaths(selection: false) ?? []
    if !override { paths.append(MappingParser.fileName) }
    return Mapping.outermost(paths + state.resolverSymlinkTargets)
  }

  // MARK: Entries

  private func changes(at commit: ObjectID, state: Int, parents: [Int]) -> [LogEntry] {
    // Most commits share a parent's state: nothing to compare.
    if parents.contains(state) { return [] }
    let now = states[state].behaviors
    let before: [[String: BehaviorVersion?]?] =
      parents.isEmpty ? [nil] : parents.map { states[$0].behaviors }
    if before.contains(where: { $0 == now }) { return [] }
    var names = Set(now.keys)
    for parent in before { names.formUnion(parent?.keys ?? [:].keys) }
    var entries: [LogEntry] = []
    for name in names.sorted() {
      let current = now[name] ?? nil
      let previous = before.map { $0?[name] ?? nil }
      // A merge is reported only when it differs from every parent, as git simplifies history.
      // Versions compare by value; ids are hashed only for the entries reported.
      guard previous.allSatisfy({ $0 != current }) else { continue }
      let first = previous[0]
      let changed = Component.allCases.filter { component in
        guard let first, let current else { return true }
        return first.value(of: component) != current.value(of: component)
      }
      entries.append(
        LogEntry(
          commit: commit.hex, behavior: name, previousId: first?.id, id: current?.id,
          changed: changed))
    }
    return entries
  }
}

extension SideState {
  var resolverSymlinkTargets: Set<String> { resolver.symlinkTargets }
}
