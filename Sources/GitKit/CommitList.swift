/// The commits of a range in the order `git log` lists them: children before parents and, among
/// commits that do not descend from one another, the most recently committed first.
///
/// Held as parallel arrays: a history walk over tens of thousands of commits then allocates
/// nothing per commit.
public struct CommitList {
  /// A followed parent of a listed commit.
  public enum Parent: Equatable, Sendable {
    /// A commit of the list, by position.
    case member(Int)
    /// A commit outside the range (reachable from its base).
    case outside(ObjectID)
  }

  /// The commits' ids.
  public fileprivate(set) var ids: [ObjectID] = []
  /// Their root trees.
  public fileprivate(set) var trees: [ObjectID] = []
  /// True where a commit is a shallow clone's boundary and has parents the clone lacks.
  public fileprivate(set) var isCut: [Bool] = []
  /// Their committer times.
  public fileprivate(set) var times: [Int64] = []
  fileprivate var parentStart: [Int] = [0]
  fileprivate var parentList: [Parent] = []
  /// Where every parent (followed or not) is found: the graph position of a commit the
  /// commit-graph holds (-1 for others), and the parents of the others as they were read.
  fileprivate var positions: [Int] = []
  fileprivate var readParents = ReadParents()
  fileprivate var graph: CommitGraph?
  /// True when every parent was followed (no `--first-parent`): a commit's parents are then
  /// its followed ones, save at a shallow boundary, which follows none.
  fileprivate var followsAllParents = false

  /// The number of commits.
  public var count: Int { ids.count }

  /// The followed parents of the commit at `index`, first parent first.
  public func parents(of index: Int) -> ArraySlice<Parent> {
    parentList[parentStart[index]..<parentStart[index + 1]]
  }

  /// Appends every parent of the commit at `index`, followed or not, first parent first, to
  /// `parents` (what a cache of the walk keeps, in one table for all commits); false when the
  /// graph's record cannot be read, and what was appended is then to be dropped.
  public func appendAllParents(of index: Int, to parents: inout [ObjectID]) -> Bool {
    // Read from the list itself when it holds them all: looking each up in the graph again
    // was a tenth of recording a first walk.
    if followsAllParents, !isCut[index] {
      for parent in self.parents(of: index) {
        switch parent {
        case .member(let position): parents.append(ids[position])
        case .outside(let id): parents.append(id)
        }
      }
      return true
    }
    if let range = readParents.range(of: index) {
      parents += readParents.ids[range]
      return true
    }
    guard let graph, positions[index] >= 0 else { return false }
    return graph.appendParentIDs(at: positions[index], to: &parents)
  }

  /// Every parent of the commit at `index`, followed or not, first parent first (what a cache
  /// of the walk keeps); nil when the graph's record cannot be read.
  public func allParents(of index: Int) -> [ObjectID]? {
    if let range = readParents.range(of: index) { return Array(readParents.ids[range]) }
    guard let graph, positions[index] >= 0 else { return nil }
    var found: [Int] = []
    guard graph.parentPositions(at: positions[index], into: &found) else { return nil }
    var parents: [ObjectID] = []
    for position in found {
      guard let id = graph.id(at: position) else { return nil }
      parents.append(id)
    }
    return parents
  }
}

/// The parents of the commits a commit-graph does not hold, as they were read, in one table:
/// a dictionary of arrays cost an allocation and two hashes for each commit, a third of
/// listing a history without a commit-graph.
struct ReadParents {
  /// Each commit's first parent in ``ids`` (-1 for a commit whose parents were not read), and
  /// how many it has.
  private var starts: [Int32] = []
  private var counts: [Int32] = []
  private(set) var ids: [ObjectID] = []

  /// Room for `commits` commits' entries.
  mutating func reserve(_ commits: Int) {
    starts.reserveCapacity(commits)
    counts.reserveCapacity(commits)
    ids.reserveCapacity(commits + commits / 4)
  }

  /// Adds the next commit's entry: `parents` as read, or none.
  mutating func append(_ parents: [ObjectID]?) {
    guard let parents else {
      starts.append(-1)
      counts.append(0)
      return
    }
    starts.append(Int32(ids.count))
    counts.append(Int32(parents.count))
    ids += parents
  }

  /// Sets commit `number`'s parents (its entry added before with none).
  mutating func set(_ parents: [ObjectID], of number: Int) {
    starts[number] = Int32(ids.count)
    counts[number] = Int32(parents.count)
    ids += parents
  }

  /// Sets commit `number`'s parents to those of `fields` (its entry added before with none).
  mutating func set(_ fields: CommitFields, of number: Int) {
    starts[number] = Int32(ids.count)
    counts[number] = Int32(fields.parentCount)
    fields.appendParents(to: &ids)
  }

  /// The same table with the entries of `order`'s commits, in that order (the ids are shared).
  func reordered(_ order: [Int]) -> ReadParents {
    var result = ReadParents()
    result.ids = ids
    result.starts = order.map { starts[$0] }
    result.counts = order.map { counts[$0] }
    return result
  }

  /// Where commit `number`'s parents lie in ``ids``; nil when they were not read.
  func range(of number: Int) -> Range<Int>? {
    guard number < starts.count, starts[number] >= 0 else { return nil }
    let start = Int(starts[number])
    return start..<(start + Int(counts[number]))
  }
}

extension Repository {
  /// The commits reachable from `head` and not in `hidden`, following only first parents when
  /// `firstParent` is set and no parents of the commits in `boundary` (a shallow clone's edge).
  ///
  /// With a commit-graph the range is discovered over graph positions, reading no commit;
  /// commits the graph lacks come from `known`, else from the object files, else libgit2.
  /// Commits for which `stop` is true are treated as hidden too, with their ancestors (the
  /// caller knows them all already): a walk that extends an earlier one stops where it began.
  public func commitList(
    from head: ObjectID, hiding hidden: Set<ObjectID>, firstParent: Bool,
    boundary: Set<ObjectID>, known: (any KnownCommits)? = nil,
    stoppingAt stop: ((ObjectID) -> Bool)? = nil
  ) throws -> CommitList {
    guard !hidden.contains(head), stop?(head) != true else { return CommitList() }
    // Without a commit-graph every commit is inflated: for a whole history, which needs about
    // every commit a pack holds, they are read ahead on another core meanwhile, and the walk
    // below looks them up. (A walk of first parents or of a range needs a fraction of them:
    // waiting for a reader going through them all made it slower.)
    let wholeHistory = !firstParent && hidden.isEmpty && stop == nil
    let readsAhead = commitGraph == nil && wholeHistory ? objectReader : nil
    readsAhead?.startReadingCommits()
    defer { readsAhead?.stopReadingCommits() }
    var discovery = RangeDiscovery(
      repository: self, hidden: hidden, firstParent: firstParent, boundary: boundary,
      known: known, stop: stop, expected: readsAhead?.commitEstimate ?? 0)
    _ = try discovery.add(head)
    var next = 0
    while next < discovery.ids.count {
      try discovery.expand(next)
      next += 1
    }
    let list = discovery.ordered()
    // Only a commit-graph whose parents form a cycle leaves commits unplaced.
    guard list.count == discovery.ids.count else {
      throw GitError(
        .other,
        "the commit-graph in \(commonDir)/objects/info is inconsistent (its parents form a cycle)\n"
          + "  fix: git commit-graph write --reachable")
    }
    return list
  }
}

/// The state of ``Repository/commitList(from:hiding:firstParent:boundary:)`` while it numbers
/// the commits of a range in the order it finds them.
private struct RangeDiscovery {
  let repository: Repository
  let graph: CommitGraph?
  let hidden: Set<ObjectID>
  let firstParent: Bool
  let boundary: Set<ObjectID>
  let known: (any KnownCommits)?
  let stop: ((ObjectID) -> Bool)?

  var ids: [ObjectID] = []
  var trees: [ObjectID] = []
  var times: [Int64] = []
  /// Each commit's graph position, or -1 for a commit the graph does not hold.
  var positions: [Int] = []
  var isCut: [Bool] = []
  /// Each commit's followed parents: a found commit's number, or `~k` for `outside[k]`.
  var parentStart: [Int] = [0]
  var parentRefs: [Int] = []
  var outside: [ObjectID] = []
  /// How many found commits name each commit as a followed parent.
  var children: [Int] = []
  /// Found commits by graph position (-1 when not found), and those outside the graph by id.
  var byPosition: [Int32]
  var byID: [ObjectID: Int] = [:]
  /// The parents of the commits the graph does not hold, as they were read.
  var readParents = ReadParents()
  var scratch: [Int] = []

  init(
    repository: Repository, hidden: Set<ObjectID>, firstParent: Bool, boundary: Set<ObjectID>,
    known: (any KnownCommits)?, stop: ((ObjectID) -> Bool)?, expected withoutGraph: Int
  ) {
    self.repository = repository
    self.known = known
    self.stop = stop
    graph = repository.commitGraph
    self.hidden = hidden
    self.firstParent = firstParent
    self.boundary = boundary
    byPosition = [Int32](repeating: -1, count: graph?.count ?? 0)
    // Most walks cover most of the graph (or, without one, of the commits read ahead):
    // growing the arrays and tables step by step would copy them.
    let expected = graph?.count ?? withoutGraph
    if graph == nil {
      byID.reserveCapacity(expected)
      readParents.reserve(expected)
    }
    ids.reserveCapacity(expected)
    trees.reserveCapacity(expected)
    times.reserveCapacity(expected)
    positions.reserveCapacity(expected)
    isCut.reserveCapacity(expected)
    children.reserveCapacity(expected)
    parentStart.reserveCapacity(expected + 1)
    parentRefs.reserveCapacity(expected)
  }

  /// The number of commit `id`, found now when it was not before.
  mutating func add(_ id: ObjectID) throws -> Int {
    if let known = byID[id] { return known }
    if let graph, let position = graph.position(of: id) {
      if byPosition[position] >= 0 { return Int(byPosition[position]) }
      if let number = add(position: position, id: id) { return number }
    }
    let known = known?.knownCommit(id)
    // Read directly, the parents go from the fields into the table with no array between.
    if known == nil, let fields = try repository.objectReader?.commitFields(id) {
      let number = append(id: id, tree: fields.tree, time: fields.time, position: -1)
      byID[id] = number
      readParents.set(fields, of: number)
      return number
    }
    let commit = try known ?? repository.libgit2Commit(id)
    let number = append(id: id, tree: commit.tree, time: commit.time, position: -1)
    byID[id] = number
    readParents.set(commit.parents, of: number)
    return number
  }

  /// The number of the commit at graph position `position`, found now; nil when the graph
  /// cannot give it.
  mutating func add(position: Int, id knownID: ObjectID? = nil) -> Int? {
    guard let graph, let id = knownID ?? graph.id(at: position),
      let (tree, time) = graph.treeAndTime(at: position)
    else { return nil }
    let number = append(id: id, tree: tree, time: time, position: position)
    byPosition[position] = Int32(number)
    return number
  }

  private mutating func append(id: ObjectID, tree: ObjectID, time: Int64, position: Int) -> Int {
    ids.append(id)
    trees.append(tree)
    times.append(time)
    positions.append(position)
    isCut.append(false)
    children.append(0)
    readParents.append(nil)
    return ids.count - 1
  }

  /// Records the followed parents of commit `number`, finding those not yet found.
  mutating func expand(_ number: Int) throws {
    let isBoundary = !boundary.isEmpty && boundary.contains(ids[number])
    if let graph, positions[number] >= 0,
      graph.parentPositions(at: positions[number], into: &scratch),
      scratch.allSatisfy({ $0 < graph.count })
    {
      isCut[number] = isBoundary && !scratch.isEmpty
      for position in scratch.prefix(isBoundary ? 0 : firstParent ? 1 : scratch.count) {
        if byPosition[position] >= 0 {
          link(Int(byPosition[position]))
        } else if !hidden.isEmpty || stop != nil, let id = graph.id(at: position), isHidden(id) {
          linkOutside(id)
        } else if let found = add(position: position) {
          link(found)
        } else {
          throw GitError(.other, "the commit-graph's entry \(position) cannot be read")
        }
      }
    } else {
      // Read one by one from the table, which adding a parent appends to: a slice of it kept
      // while adding would copy the whole table.
      let read = readParents.range(of: number)
      let fetched = read == nil ? try repository.commit(ids[number]).parents : []
      let count = read?.count ?? fetched.count
      isCut[number] = isBoundary && count > 0
      for index in 0..<(isBoundary ? 0 : firstParent ? min(1, count) : count) {
        let parent = read.map { readParents.ids[$0.lowerBound + index] } ?? fetched[index]
        if isHidden(parent) { linkOutside(parent) } else { link(try add(parent)) }
      }
    }
    parentStart.append(parentRefs.count)
  }

  private func isHidden(_ id: ObjectID) -> Bool {
    hidden.contains(id) || stop?(id) == true
  }

  private mutating func link(_ parent: Int) {
    parentRefs.append(parent)
    children[parent] += 1
  }

  private mutating func linkOutside(_ id: ObjectID) {
    parentRefs.append(~outside.count)
    outside.append(id)
  }

  /// The found commits in git's order: a commit is ready once all its children are placed, and
  /// the most recently committed ready one goes next.
  mutating func ordered() -> CommitList {
    var ready = [0]
    var order: [Int] = []
    order.reserveCapacity(ids.count)
    while !ready.isEmpty {
      var newest = 0
      for candidate in ready.indices where times[ready[candidate]] > times[ready[newest]] {
        newest = candidate
      }
      let current = ready.remove(at: newest)
      order.append(current)
      for parent in parentRefs[parentStart[current]..<parentStart[current + 1]] where parent >= 0 {
        children[parent] -= 1
        if children[parent] == 0 { ready.append(parent) }
      }
    }
    var rank = [Int](repeating: 0, count: ids.count)
    for (index, number) in order.enumerated() { rank[number] = index }
    var list = CommitList()
    list.graph = graph
    list.followsAllParents = !firstParent
    list.ids.reserveCapacity(order.count)
    list.trees.reserveCapacity(order.count)
    list.times.reserveCapacity(order.count)
    list.positions.reserveCapacity(order.count)
    list.isCut.reserveCapacity(order.count)
    list.parentStart.reserveCapacity(order.count + 1)
    list.parentList.reserveCapacity(parentRefs.count)
    list.readParents = readParents.reordered(order)
    for number in order {
      list.ids.append(ids[number])
      list.trees.append(trees[number])
      list.times.append(times[number])
      list.positions.append(positions[number])
      list.isCut.append(isCut[number])
      for parent in parentRefs[parentStart[number]..<parentStart[number + 1]] {
        list.parentList.append(parent >= 0 ? .member(rank[parent]) : .outside(outside[~parent]))
      }
      list.parentStart.append(list.parentList.count)
    }
    return list
  }
}
