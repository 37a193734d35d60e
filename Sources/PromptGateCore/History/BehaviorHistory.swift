import GitKit

/// Walks a range of commits and finds each commit at which a behavior's version changed.
///
/// Only commits whose trees differ under the behaviors' source paths (and the mapping file) are
/// resolved: the rest inherit their parent's versions, found by comparing the ids of the tree
/// entries at those paths, so the walk costs little more than reading the commits. With a
/// ``HistoryCache``, commits an earlier walk met are not read again: their parents and states
/// come from the cache, and the commits added since are recorded in it.
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
    /// Every behavior the mapping defines (``Options/behavior`` filters the entries only, so
    /// that a cached state serves every filter).
    var behaviors: [String: BehaviorVersion?]
    /// The watched paths, with what earlier lookups of them found (shared by later states that
    /// watch the same paths).
    var watched: TreePathMemo
    var entryIDs: [ObjectID?]
    /// Why the commit's versions were skipped, when they were.
    var warning: String? = nil
  }

  let workspace: Workspace
  let repository: Repository
  let options: Options
  let shallow: Set<ObjectID>
  let cache: HistoryCache?
  /// The cache's number for each state of this walk, and this walk's state for each cached
  /// one met.
  private var cachedNumber = StateNumbers()
  private var replayed: [Int: Int] = [:]
  /// Every distinct state met, by number: commits share their parent's when nothing differs.
  private var states: [State] = []
  private var outsideStates: [ObjectID: Int] = [:]
  /// One memo per list of watched paths.
  private var memos: [[String]: TreePathMemo] = [:]
  private(set) var warnings: [String] = []
  /// Every behavior name a resolved commit's mapping defines.
  private(set) var defined: Set<String> = []

  /// Creates a walker over `workspace`'s repository, reading and extending `cache` when given.
  public init(workspace: Workspace, options: Options, cache: HistoryCache? = nil) {
    self.workspace = workspace
    self.repository = workspace.repository
    self.options = options
    self.shallow = workspace.repository.shallowBoundary()
    self.cache = cache
  }

  /// The entries for commits reachable from `head` but not from `base` (all of `head`'s history
  /// when `base` is nil), newest first.
  ///
  /// With a cache, all of a history whose tip a stored walk answers is not walked at all, and
  /// one whose tip has moved on from a stored walk's walks only the commits added since.
  public func walk(from base: ObjectID?, to head: ObjectID) throws -> History {
    let shallowKey = HistoryCache.shallowDigest(shallow)
    if base == nil, let cache {
      let slots = cache.storedWalks(firstParent: options.firstParent, shallow: shallowKey)
      if let slot = slots.first(where: { $0.head == head }), let stored = slot.walk() {
        return try answer(stored, from: base, to: head, listed: 0)
      }
      // Only the most recent walk of another tip is tried: a tip it cannot extend costs the
      // commits back to where the two histories meet, and then the whole walk.
      if let slot = slots.first, !slot.listed(head), let stored = slot.walk(),
        let walked = try extend(stored, of: slot, to: head)
      {
        cache.store(
          walked.walk, head: head, firstParent: options.firstParent, shallow: shallowKey,
          members: walked.members, memberCount: walked.members.count)
        return try answer(walked.walk, from: base, to: head, listed: walked.listed)
      }
    }
    let hidden = try base.map { try repository.ancestors(of: $0, boundary: shallow) } ?? []
    let walked: StoredWalk
    let listed: Int
    // The list is let go before the cache is saved: its tables and the file's bytes were both
    // at the peak of a first walk's memory.
    do {
      let list = try repository.commitList(
        from: head, hiding: hidden, firstParent: options.firstParent, boundary: shallow,
        known: cache)
      walked = StoredWalk(
        walked: list.count, entries: try entries(of: list, split: base == nil),
        cutAt: Self.cuts(of: list),
        warnings: warnings, defined: defined)
      listed = list.count
      if base == nil, let cache {
        let members = ObjectID.sortedOrder(list.ids).map { list.ids[$0] }
        cache.store(
          walked, head: head, firstParent: options.firstParent, shallow: shallowKey,
          members: members, memberCount: members.count)
      }
    }
    return try answer(walked, from: base, to: head, listed: listed)
  }

  /// What `walked`, the answer for all behaviors, says under these options; saves the cache.
  private func answer(
    _ walked: StoredWalk, from base: ObjectID?, to head: ObjectID, listed: Int
  ) throws -> History {
    try checkBehaviorDefined(
      from: base, to: head, walked: walked.walked, defined: walked.defined,
      warned: !walked.warnings.isEmpty)
    var entries = walked.entries
    if let wanted = options.behavior { entries = entries.filter { $0.behavior == wanted } }
    cache?.save()
    return History(
      entries: options.maxCount.map { Array(entries.prefix($0)) } ?? entries,
      cutAt: walked.cutAt, warnings: walked.warnings + (cache?.warnings ?? []), listed: listed)
  }

  /// Histories shorter than this are walked on one thread: a second walker (its own reader,
  /// and a full resolution at each commit where the halves meet) costs more than it saves.
  /// (Tests lower it, to check that a split walk answers as a single one.)
  var splitThreshold = 4_096

  /// The entries of every behavior at the commits of `list`, newest first.
  ///
  /// With `split` (the list has no parents outside it) a long history met for the first time
  /// is walked in two halves at once, the older here and the newer on another thread (CI
  /// runners and laptops have two cores or more; `git log` uses one). The answer is the one a
  /// single walk gives (``walkSplit(_:locations:)``).
  func entries(of list: CommitList, split: Bool = false) throws -> [LogEntry] {
    let locations = repository.locations(of: list.trees)
    cache?.reserve(records: list.count)
    if split, list.count >= splitThreshold, cache?.holdsRecords != true,
      let groups = try walkSplit(list, locations: locations)
    {
      return groups.reversed().flatMap { $0 }
    }
    var stateOf = [Int](repeating: 0, count: list.count)
    // Entries per commit, oldest commit first; each commit's own entries stay in name order.
    var groups: [[LogEntry]] = []
    try walk(
      list, locations: locations, range: 0..<list.count, outsideFrom: nil, stateOf: &stateOf,
      groups: &groups)
    return groups.reversed().flatMap { $0 }
  }

  /// The entries per commit of `list`, oldest commit first, found by two walkers at once: this
  /// one walks the older half, and one over a sibling of the workspace (its own reader and
  /// content cache) the newer half on another thread, resolving afresh the parents its commits
  /// have in the older half. Nil when the repository cannot be read from two threads.
  ///
  /// A commit's versions depend on nothing but its tree, so the newer walker finds the same
  /// versions at those parents as this one does, except where a commit's versions are skipped
  /// (a warning: a skipped commit keeps its parent's versions, which the newer walker does not
  /// know); then the newer half is walked again here, after the older.
  private func walkSplit(_ list: CommitList, locations: [ObjectLocation?]) throws -> [[LogEntry]]? {
    guard let sibling = workspace.sibling() else { return nil }
    let newer = BehaviorHistory(workspace: sibling, options: options)
    let middle = list.count / 2
    var stateOf = [Int](repeating: 0, count: list.count)
    var newerStateOf = [Int](repeating: 0, count: list.count)
    var groups: [[LogEntry]] = []
    var newerGroups: [[LogEntry]] = []
    // Each part writes only its own walker, states and groups, and reads the list.
    let outcomes = Parts.run(2) { part -> Result<Void, any Error> in
      Result {
        if part == 0 {
          try walk(
            list, locations: locations, range: middle..<list.count, outsideFrom: nil,
            stateOf: &stateOf, groups: &groups)
        } else {
          try newer.walk(
            list, locations: locations, range: 0..<middle, outsideFrom: middle,
            stateOf: &newerStateOf, groups: &newerGroups)
        }
      }
    }
    for outcome in outcomes { try outcome.get() }
    if newer.boundaryWarned {
      try walk(
        list, locations: locations, range: 0..<middle, outsideFrom: nil, stateOf: &stateOf,
        groups: &groups)
      return groups
    }
    let offset = states.count
    states += newer.states
    warnings += newer.warnings
    defined.formUnion(newer.defined)
    for index in stride(from: middle - 1, through: 0, by: -1) {
      let state = newerStateOf[index] + offset
      record(list.ids[index], tree: list.trees[index], time: list.times[index], state: state) {
        list.appendAllParents(of: index, to: &$0)
      }
    }
    return groups + newerGroups
  }

  /// Walks the commits of `list` at `range`, oldest first: sets each one's state in `stateOf`,
  /// records it in the cache, and appends its entries, when it has any, to `groups`. A followed
  /// parent at `outsideFrom` or later, which another walker walks, is resolved here as a parent
  /// outside the range is (``boundaryState(_:of:)``).
  private func walk(
    _ list: CommitList, locations: [ObjectLocation?], range: Range<Int>, outsideFrom: Int?,
    stateOf: inout [Int], groups: inout [[LogEntry]]
  ) throws {
    var parents: [Int] = []
    // A cache that holds no record yet cannot know a commit of the list (an outside parent
    // recorded on the way is never one): a first walk does not ask it about each.
    let replays = cache?.holdsRecords == true
    for index in range.reversed() {
      parents.removeAll(keepingCapacity: true)
      for parent in list.parents(of: index) {
        switch parent {
        case .member(let position):
          if let outsideFrom, position >= outsideFrom {
            parents.append(try boundaryState(position, of: list))
          } else {
            parents.append(stateOf[position])
          }
        case .outside(let id): parents.append(try outsideState(id))
        }
      }
      let id = list.ids[index]
      let state: Int
      if replays, let cached = cache?.state(of: id) {
        state = replay(cached, fallback: parents.first)
      } else {
        state = try self.state(
          of: id, tree: list.trees[index], location: locations[index], parents: parents)
        record(id, tree: list.trees[index], time: list.times[index], state: state) {
          list.appendAllParents(of: index, to: &$0)
        }
      }
      stateOf[index] = state
      // Past a shallow boundary nothing is known, so the boundary commit reports no appearance.
      if list.isCut[index] { continue }
      let entries = changes(at: id, state: state, parents: parents)
      if !entries.isEmpty { groups.append(entries) }
    }
  }

  /// States of commits another walker walks, resolved here, by list position.
  private var boundaryStates: [Int: Int] = [:]
  /// True when a commit another walker walks had its versions skipped here.
  private(set) var boundaryWarned = false

  /// The state of the commit at `position` of `list`, which another walker walks: resolved
  /// once, neither recorded nor counted in ``warnings`` or ``defined`` (that walker does so).
  private func boundaryState(_ position: Int, of list: CommitList) throws -> Int {
    if let known = boundaryStates[position] { return known }
    let (warned, known) = (warnings.count, defined)
    let state = try resolve(list.ids[position], tree: list.trees[position], fallback: nil)
    if states[state].warning != nil { boundaryWarned = true }
    warnings.removeSubrange(warned...)
    defined = known
    boundaryStates[position] = state
    return state
  }

  /// The shallow boundary commits `list` reached, sorted.
  static func cuts(of list: CommitList) -> [String] {
    list.ids.indices.filter { list.isCut[$0] }.map { list.ids[$0].hex }.sorted()
  }

  /// Throws a usage error naming the defined behaviors when `options.behavior` is defined at no
  /// commit of the range (nor at `head` when the range is empty), as `version` does for a side.
  private func checkBehaviorDefined(
    from base: ObjectID?, to head: ObjectID, walked: Int, defined: Set<String>, warned: Bool
  ) throws {
    guard let wanted = options.behavior, !defined.contains(wanted) else { return }
    var defined = defined
    if walked == 0, let state = try? workspace.state(of: .revision(head.hex)) {
      defined.formUnion(state.behaviors.map(\.name))
      if defined.contains(wanted) { return }
    }
    // Commits whose mapping could not be read may define it: their warnings say so instead.
    if defined.isEmpty && warned { return }
    let range = base.map { "\($0.short)..\(head.short)" } ?? "the history of \(head.short)"
    let names = defined.isEmpty ? "none" : defined.sorted().joined(separator: ", ")
    throw PromptGateError(
      .usage, "no behavior named '\(wanted)' in \(range); defined: \(names)")
  }

  // MARK: States

  /// The state of a parent outside the range, resolved once.
  private func outsideState(_ id: ObjectID) throws -> Int {
    if let known = outsideStates[id] { return known }
    let state: Int
    if let cached = cache?.state(of: id) {
      state = replay(cached, fallback: nil)
    } else {
      let commit = try repository.commit(id)
      state = try resolve(id, tree: commit.tree, fallback: nil)
      record(id, tree: commit.tree, time: commit.time, state: state) {
        $0 += commit.parents
        return true
      }
    }
    outsideStates[id] = state
    return state
  }

  // MARK: Cache

  /// This walk's state for the cache's state `number`: made once, from the cached versions, or
  /// for a commit that could not be read, from `fallback`'s versions with the warning again,
  /// as ``resolve(_:tree:fallback:)`` makes it.
  private func replay(_ number: Int, fallback: Int?) -> Int {
    if let known = replayed[number] { return known }
    // ``HistoryCache/state(of:)`` gave the number only after decoding its state.
    guard let cached = cache?.state(number: number) else {
      preconditionFailure("replaying a state the cache cannot give")
    }
    var behaviors = cached.behaviors
    if let warning = cached.warning {
      warnings.append(warning)
      behaviors = fallback.map { states[$0].behaviors } ?? [:]
    } else {
      defined.formUnion(cached.behaviors.keys)
    }
    let watched = memo(for: cached.paths)
    let state = add(State(behaviors: behaviors, watched: watched, entryIDs: cached.entryIDs))
    replayed[number] = state
    cachedNumber[state] = number
    return state
  }

  /// Records commit `id` in the cache with this walk's state `state` (and the warning it gave,
  /// when its versions were skipped); `parents` appends its parents to the table it is given.
  private func record(
    _ id: ObjectID, tree: ObjectID, time: Int64, state: Int,
    parents: (inout [ObjectID]) -> Bool
  ) {
    guard let cache else { return }
    let number: Int
    if let known = cachedNumber[state] {
      number = known
    } else {
      let current = states[state]
      number = cache.add(
        HistoryCache.State(
          behaviors: current.behaviors, paths: current.watched.paths.map(\.text),
          entryIDs: current.entryIDs, warning: current.warning))
      cachedNumber[state] = number
    }
    cache.record(id, tree: tree, time: time, state: number, parents: parents)
  }

  /// The memo of `paths`, shared by every state that watches them, so unchanged subtrees are
  /// not read again.
  private func memo(for paths: [String]) -> TreePathMemo {
    if let known = memos[paths] { return known }
    let memo = TreePathMemo(paths: paths.map(TreePath.init))
    memos[paths] = memo
    return memo
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
    var warning = ""
    do {
      let snapshot = try repository.snapshot(of: commit, tree: tree, label: commit.short)
      // Versions only: a walk never asks for a set's files.
      let sideState = try workspace.state(of: side, snapshot: snapshot, listsFiles: false)
      var behaviors: [String: BehaviorVersion?] = [:]
      defined.formUnion(sideState.behaviors.map(\.name))
      for (name, state) in sideState.behaviors { behaviors[name] = state.version }
      let watched = memo(for: watchedPaths(sideState))
      return add(
        State(
          behaviors: behaviors, watched: watched,
          entryIDs: try repository.entryIDs(in: tree, memo: watched)))
    } catch let error as Diagnostic {
      warning = "commit \(commit.short): \(error.description); its versions are skipped"
    } catch let error as Diagnostics {
      warning =
        "commit \(commit.short): invalid mapping; its versions are skipped\n\(error.description)"
    }
    warnings.append(warning)
    // An unreadable commit keeps the versions before it, so one bad commit adds no noise; the
    // whole tree is watched, so that its first readable child is resolved again.
    return add(
      State(
        behaviors: previous?.behaviors ?? [:], watched: memo(for: [""]), entryIDs: [tree],
        warning: warning))
  }

  private func add(_ state: State) -> Int {
    states.append(state)
    return states.count - 1
  }

  /// The last sources' roots (with the mapping file) that followed no symlink, and their
  /// watched paths: most resolved commits share their mapping, and sorting out the outermost
  /// paths again at each was a thirtieth of a first walk.
  private var lastWatched: (roots: [String], paths: [String])?

  /// The paths whose content decides the versions at a side: each source's file or pattern
  /// base, the targets of followed symlinks, and the mapping file itself (unless `--config`
  /// gives it); remembered while the roots stay the same.
  private func watchedPaths(_ state: SideState) -> [String] {
    var roots = state.mapping?.watchedPaths(selection: false) ?? []
    if workspace.override == nil { roots.append(MappingParser.fileName) }
    let targets = state.resolverSymlinkTargets
    guard targets.isEmpty else { return Mapping.outermost(roots + targets) }
    if let last = lastWatched, last.roots == roots { return last.paths }
    let paths = Mapping.outermost(roots)
    lastWatched = (roots, paths)
    return paths
  }

  // MARK: Entries

  /// Each version's id, hashed once: a walk reports the same few versions many times.
  private var ids: [BehaviorVersion: BehaviorID] = [:]

  private func id(_ version: BehaviorVersion) -> BehaviorID {
    if let known = ids[version] { return known }
    let id = version.id
    ids[version] = id
    return id
  }

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
          commit: commit.hex, behavior: name, previousId: first.map(id), id: current.map(id),
          changed: changed))
    }
    return entries
  }
}

extension SideState {
  var resolverSymlinkTargets: Set<String> { resolver.symlinkTargets }
}

/// A number for some of a walk's states, by state: an array where a dictionary hashed the
/// state of every commit a walk records.
struct StateNumbers {
  private var numbers: [Int] = []

  subscript(state: Int) -> Int? {
    get { state < numbers.count && numbers[state] >= 0 ? numbers[state] : nil }
    set {
      if numbers.count <= state {
        numbers += repeatElement(-1, count: state + 1 - numbers.count)
      }
      numbers[state] = newValue ?? -1
    }
  }
}
