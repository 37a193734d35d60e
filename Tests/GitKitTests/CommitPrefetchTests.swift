import Foundation
import TestSupport
import Testing

@testable import GitKit

/// Without a commit-graph a walk looks commits up among those read ahead on another thread:
/// what it lists must be what the commit-graph lists, commit for commit.
@Suite("Commits read ahead")
struct CommitPrefetchTests {
  @Test("a packed history without a commit-graph lists what the graph lists, merges included")
  func sameAsTheGraph() throws {
    let repository = try TemporaryRepository()
    for step in 0..<40 {
      try repository.write("prompts/\(step % 7).md", "Prompt \(step).\n")
      try repository.commit("Main \(step)")
      if step % 10 == 9 {
        try repository.git("checkout", "-q", "-b", "side\(step)", "HEAD~3")
        for side in 0..<3 {
          try repository.write("side/\(step)-\(side).txt", "Side \(side).\n")
          try repository.commit("Side \(step).\(side)")
        }
        try repository.git("checkout", "-q", "-")
        try repository.git("merge", "-q", "--no-ff", "-m", "Merge \(step)", "side\(step)")
      }
    }
    try repository.git("-c", "gc.writeCommitGraph=false", "gc", "-q")
    // A few commits after the pack, loose: read directly, not ahead.
    for step in 0..<3 {
      try repository.write("prompts/late.md", "Late \(step).\n")
      try repository.commit("Late \(step)")
    }
    func list(firstParent: Bool) throws -> (CommitList, Bool) {
      let opened = try Repository(discoveringFrom: repository.path)
      let head = try opened.resolveCommit("HEAD")
      let list = try opened.commitList(
        from: head, hiding: [], firstParent: firstParent, boundary: [])
      return (list, opened.commitGraph != nil)
    }
    for firstParent in [false, true] {
      let (direct, hadGraph) = try list(firstParent: firstParent)
      #expect(!hadGraph)
      try repository.git("commit-graph", "write", "--reachable")
      let (graphed, hasGraph) = try list(firstParent: firstParent)
      #expect(hasGraph)
      try FileManager.default.removeItem(
        atPath: repository.path + "/.git/objects/info/commit-graph")
      #expect(direct.ids == graphed.ids)
      #expect(direct.trees == graphed.trees)
      #expect(direct.times == graphed.times)
      let counted = try repository.git(
        ["rev-list", "--count"] + (firstParent ? ["--first-parent"] : []) + ["HEAD"])
      #expect(direct.count == Int(counted.trimmingCharacters(in: .whitespacesAndNewlines)))
      #expect(direct.count > (firstParent ? 40 : 50))
      for index in 0..<direct.count {
        #expect(Array(direct.parents(of: index)) == Array(graphed.parents(of: index)))
        #expect(direct.allParents(of: index) == graphed.allParents(of: index))
      }
    }
  }

  @Test(
    "the reader reads a pack's commits in the order stored, and stops at the first other object")
  func readsLeadingCommits() throws {
    let repository = try TemporaryRepository()
    for step in 0..<12 {
      try repository.write("file.txt", "Step \(step).\n")
      try repository.commit("Step \(step)")
    }
    try repository.git("-c", "gc.writeCommitGraph=false", "gc", "-q")
    let reader = try #require(ObjectReader(directory: repository.path + "/.git/objects"))
    let ids = try repository.git("rev-list", "HEAD").split(separator: "\n").compactMap {
      ObjectID(hex: String($0))
    }
    #expect(ids.count == 12)
    reader.startReadingCommits()
    // Twelve commits are enough to split: the second reader starts at the seventh stored.
    #expect(reader.commitReaders == 2)
    for id in ids {
      let fields = try #require(try reader.commitFields(id))
      let object = try #require(try reader.read(id))
      let parsed = try #require(CommitFields(parsing: object.data))
      #expect(fields.tree == parsed.tree)
      #expect(fields.parents == parsed.parents)
      #expect(fields.time == parsed.time)
    }
    reader.stopReadingCommits()
  }

  @Test("the sampled commit offsets are commits of the pack's leading run, ascending")
  func sampledOffsets() throws {
    let repository = try TemporaryRepository()
    for step in 0..<30 {
      try repository.write("file\(step % 4).txt", "Step \(step).\n")
      try repository.commit("Step \(step)")
    }
    try repository.git("-c", "gc.writeCommitGraph=false", "gc", "-q")
    let pack = try #require(
      try FileManager.default.contentsOfDirectory(atPath: repository.path + "/.git/objects/pack")
        .first { $0.hasSuffix(".idx") }
        .flatMap { PackFile(path: repository.path + "/.git/objects/pack/" + $0.dropLast(4)) })
    // Every entry is sampled in a small pack: the offsets are all the commits'.
    let verified = try repository.git("verify-pack", "-v", pack.path + ".idx")
    let commits = verified.split(separator: "\n").compactMap { line -> Int? in
      let fields = line.split(separator: " ", omittingEmptySubsequences: true)
      guard fields.count >= 5, fields[1] == "commit" else { return nil }
      return Int(fields[4])
    }.sorted()
    #expect(commits.count == 30)
    #expect(pack.leadingCommitOffsets(samples: 1024) == commits)
    // A sparser sample still yields commits only, ascending.
    let few = pack.leadingCommitOffsets(samples: 8)
    #expect(few == few.sorted())
    #expect(few.allSatisfy { commits.contains($0) })
    // Read in two parts or one, the pack's commits are read alike.
    for readers in [1, 2, 3] {
      let prefetch = CommitPrefetch(pack: pack, readers: readers)
      #expect(prefetch.partCount == readers)
      var position = 12
      var expected: [(Int, CommitFields)] = []
      pack.readCommits(from: &position, inflater: Inflater()) { offset, fields in
        expected.append((offset, fields))
        return true
      }
      #expect(expected.count == 30)
      for (offset, fields) in expected {
        let read = try #require(prefetch.fields(at: offset))
        #expect(read.tree == fields.tree && read.parents == fields.parents)
        #expect(read.time == fields.time)
      }
      prefetch.stop()
    }
  }
}
