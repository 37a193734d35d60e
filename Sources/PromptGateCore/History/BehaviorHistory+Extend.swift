import GitKit

extension BehaviorHistory {
  /// A walk of all of a tip's history made from a stored walk of an ancestor: its answer, the
  /// commits it lists (sorted), and how many of them were added since.
  struct Extended {
    var walk: StoredWalk
    var members: [ObjectID]
    var listed: Int
  }

  /// The walk of all of `head`'s history from `stored`, the stored walk `slot` of an older tip,
  /// reading only the commits `head` reaches and that walk did not list; nil when that walk
  /// cannot be extended to an answer equal to a whole walk's, and `head` must be walked whole.
  ///
  /// The commits added since come first in git's order, and then the older walk's entries
  /// unchanged, exactly when the older tip is a followed parent of an added commit and every
  /// added commit placed after the older tip becomes ready is newer than it: until it is
  /// placed, no other listed commit is ready (each has a listed child, placed after it). A
  /// stored walk that gave warnings is not extended, so that each is given once, in order.
  func extend(_ stored: StoredWalk, of slot: StoredWalk.Slot, to head: ObjectID) throws
    -> Extended?
  {
    // What stops the extension before any commit is resolved (an old tip git has since
    // pruned, a commit that cannot be read) is met again, or not, by the whole walk.
    guard stored.warnings.isEmpty, let cache,
      let list = try? repository.commitList(
        from: head, hiding: [], firstParent: options.firstParent, boundary: shallow,
        known: cache, stoppingAt: slot.listed)
    else { return nil }
    var ready: Int?
    for index in list.ids.indices where list.parents(of: index).contains(.outside(slot.head)) {
      ready = index
    }
    guard let ready else { return nil }
    guard let tip = cache.knownCommit(slot.head) ?? (try? repository.commit(slot.head)),
      list.times[(ready + 1)...].allSatisfy({ $0 > tip.time })
    else { return nil }
    let added = try entries(of: list)
    let walk = StoredWalk(
      walked: stored.walked + list.count, entries: added + stored.entries,
      cutAt: Set(stored.cutAt + Self.cuts(of: list)).sorted(), warnings: warnings,
      defined: defined.union(stored.defined))
    return Extended(walk: walk, members: Self.merge(slot, list.ids.sorted()), listed: list.count)
  }

  /// The commits `slot` lists and `sorted`, in order.
  private static func merge(_ slot: StoredWalk.Slot, _ sorted: [ObjectID]) -> [ObjectID] {
    var merged: [ObjectID] = []
    merged.reserveCapacity(slot.memberCount + sorted.count)
    var next = 0
    for index in 0..<slot.memberCount {
      let member = slot.member(at: index)
      while next < sorted.count, sorted[next] < member {
        merged.append(sorted[next])
        next += 1
      }
      if next < sorted.count, sorted[next] == member { next += 1 }
      merged.append(member)
    }
    merged += sorted[next...]
    return merged
  }
}
