import Foundation
import GitKit
import TestSupport
import Testing

@testable import PromptGateCore

/// The history cache indexes the commits it records only when a lookup needs them: a commit
/// recorded twice keeps its first record, whether it is looked up before the second, after it,
/// or only read back from the file.
@Suite("history cache records")
struct HistoryCacheRecordTests {
  private func cache(_ repository: TemporaryRepository) throws -> HistoryCache {
    let workspace = try repository.workspace()
    let store = repository.path + "/.git/promptgate/store"
    return HistoryCache(storeDirectory: store, workspace: workspace)
  }

  private func state(_ name: String) -> HistoryCache.State {
    HistoryCache.State(behaviors: [name: nil], paths: [name], entryIDs: [nil], warning: nil)
  }

  @Test("a commit recorded twice keeps its first record, looked up or written")
  func firstRecordKept() throws {
    let repository = try TemporaryRepository()
    try repository.write("a.txt", "A.\n")
    try repository.commit("One")
    let ids = (0..<5).map { ObjectID(hex: String(repeating: "\($0 + 1)", count: 40))! }
    let tree = ids[4]
    for lookupFirst in [false, true] {
      let cache = try cache(repository)
      let first = cache.add(state("first"))
      let second = cache.add(state("second"))
      cache.reserve(records: 4)
      cache.record(ids[0], parents: [ids[1]], tree: tree, time: 1, state: first)
      cache.record(ids[1], parents: [], tree: tree, time: 0, state: first)
      if lookupFirst { #expect(cache.state(of: ids[0]) == first) }
      cache.record(ids[0], parents: [], tree: tree, time: 2, state: second)
      cache.record(ids[2], parents: [ids[0]], tree: tree, time: 3, state: second)
      #expect(cache.state(of: ids[0]) == first)
      #expect(cache.knownCommit(ids[0])?.parents == [ids[1]])
      #expect(cache.knownCommit(ids[0])?.time == 1)
      #expect(cache.count == 3)
      try cache.write()
      let read = try self.cache(repository)
      #expect(read.count == 3)
      #expect(read.knownCommit(ids[0])?.parents == [ids[1]])
      #expect(read.knownCommit(ids[0])?.time == 1)
      #expect(read.state(of: ids[0]).flatMap { read.state(number: $0) } == state("first"))
      #expect(read.knownCommit(ids[2])?.parents == [ids[0]])
      #expect(read.knownCommit(ids[3]) == nil)
      try FileManager.default.removeItem(atPath: read.path)
    }
  }
}
