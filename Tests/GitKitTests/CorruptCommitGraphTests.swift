import Foundation
import TestSupport
import Testing

@testable import GitKit

/// A damaged commit-graph — a single file, or any file of a real chain of layers — never
/// crashes or hangs a walk, and never changes its answer: the graph is declined and the commits
/// are read through libgit2.
@Suite("Corrupt commit-graph", .timeLimit(.minutes(2)))
struct CorruptCommitGraphTests {
  /// A history with merges and an octopus merge, `extra` more commits on top.
  static func history(extra: Int = 0) throws -> TemporaryRepository {
    let repository = try TemporaryRepository()
    try repository.write("a.txt", "base\n")
    try repository.commit("Base")
    for branch in ["one", "two", "three"] {
      try repository.git("checkout", "-q", "-b", branch, "main")
      try repository.write("\(branch).txt", "\(branch)\n")
      try repository.commit(branch)
    }
    try repository.git("checkout", "-q", "main")
    try repository.write("a.txt", "main\n")
    try repository.commit("Main")
    try repository.git("merge", "-q", "--no-edit", "one")
    try repository.git("merge", "-q", "--no-edit", "two", "three")
    for step in 0..<extra {
      try repository.write("a.txt", "step \(step)\n")
      try repository.commit("Step \(step)")
    }
    return repository
  }

  /// What a walk over `repository` reads: every commit, the ancestors of HEAD and the commit
  /// list in git's order, as libgit2 reads them from the commits themselves.
  struct Expected {
    let head: ObjectID
    let commits: [Commit]
    let order: [ObjectID]

    init(_ repository: TemporaryRepository) throws {
      let opened = try Repository(discoveringFrom: repository.path)
      head = try #require(ObjectID(hex: try repository.head()))
      let ids = try repository.git("rev-list", "--all").split(separator: "\n").compactMap {
        ObjectID(hex: String($0))
      }
      commits = try ids.map { try opened.libgit2Commit($0) }
      // The order is the undamaged graph's walk, which holds every commit once.
      order = try opened.commitList(from: head, hiding: [], firstParent: false, boundary: []).ids
      #expect(Set(order) == Set(ids) && order.count == ids.count)
    }

    /// Whether a fresh repository's walk gives these answers, or throws a ``GitError``.
    func outcome(_ repository: TemporaryRepository) throws -> CorruptionOutcome {
      let opened = try Repository(discoveringFrom: repository.path)
      for commit in commits {
        let read = try opened.commit(commit.id)
        guard read == commit else { return .disagreed("\(commit.id.short) read as \(read)") }
      }
      let ancestors = try opened.ancestors(of: head, boundary: [])
      guard ancestors == Set(order) else {
        return .disagreed("\(ancestors.count) ancestors instead of \(order.count)")
      }
      let list = try opened.commitList(from: head, hiding: [], firstParent: false, boundary: [])
      guard list.ids == order else {
        return .disagreed("the walk's order \(list.ids.map(\.short))")
      }
      return .agreed
    }
  }

  @Test("1,000 corrupted variants of a single commit-graph file")
  func singleFile() throws {
    let repository = try Self.history(extra: 5)
    try repository.git("commit-graph", "write", "--reachable")
    let expected = try Expected(repository)
    #expect(try expected.outcome(repository) == .agreed)
    #expect(try Repository(discoveringFrom: repository.path).commitGraph != nil)
    let tally = try runCorruptions(
      name: "commit-graph", of: repository.path + "/.git/objects/info/commit-graph",
      seed: 0xC6_0003
    ) { _ in try expected.outcome(repository) }
    #expect(tally.variants == 1000)
    #expect(tally.disagreements.isEmpty, "\(tally.disagreements.prefix(5))")
    #expect(tally.slow.isEmpty, "\(tally.slow)")
  }

  @Test("1,000 corrupted variants spread over a chain of three layers and its chain file")
  func chain() throws {
    let repository = try Self.history()
    try repository.git("commit-graph", "write", "--reachable", "--split")
    for layer in 0..<2 {
      for step in 0..<4 {
        try repository.write("b.txt", "layer \(layer) step \(step)\n")
        try repository.commit("Layer \(layer) step \(step)")
      }
      try repository.git("commit-graph", "write", "--reachable", "--split=no-merge")
    }
    let directory = repository.path + "/.git/objects/info/commit-graphs"
    let chain = try String(contentsOfFile: directory + "/commit-graph-chain", encoding: .utf8)
    let layers = chain.split(separator: "\n").map { "\(directory)/graph-\($0).graph" }
    #expect(layers.count == 3)
    let expected = try Expected(repository)
    #expect(try expected.outcome(repository) == .agreed)
    let graph = try #require(try Repository(discoveringFrom: repository.path).commitGraph)
    #expect(graph.count == expected.commits.count)
    var total = CorruptionTally(name: "commit-graph chain")
    // The top layer, the base layer, the middle one and the chain file, 250 variants each.
    for (number, file) in [layers[2], layers[0], layers[1], directory + "/commit-graph-chain"]
      .enumerated()
    {
      let tally = try runCorruptions(
        name: "commit-graph chain file \(number)", of: file, count: 250,
        seed: 0xC6_0004 + UInt64(number)
      ) { _ in try expected.outcome(repository) }
      total.variants += tally.variants
      total.agreed += tally.agreed
      total.errors += tally.errors
      total.disagreements += tally.disagreements
      total.seconds += tally.seconds
    }
    print(total)
    #expect(total.variants == 1000)
    #expect(total.disagreements.isEmpty, "\(total.disagreements.prefix(5))")
  }

  @Test("a damaged file whose checksum is made to match again still never crashes the reader")
  func resealed() throws {
    let repository = try Self.history(extra: 5)
    try repository.git("commit-graph", "write", "--reachable")
    let path = repository.path + "/.git/objects/info/commit-graph"
    let expected = try Expected(repository)
    // The checksum no longer guards these: the structure checks must keep every read in
    // bounds. Answers may be wrong (the file says so, validly); reading must not crash or hang.
    let tally = try runCorruptions(
      name: "commit-graph, resealed", of: path, count: 500, seed: 0xC6_0005
    ) { _ in
      try Checksum.reseal(path)
      let opened = try Repository(discoveringFrom: repository.path)
      guard let graph = opened.commitGraph else { return .agreed }
      var parents: [Int] = []
      for position in 0..<graph.count {
        _ = graph.commit(at: position)
        _ = graph.parentPositions(at: position, into: &parents)
      }
      for commit in expected.commits { _ = graph.position(of: commit.id) }
      _ = try? opened.commitList(from: expected.head, hiding: [], firstParent: false, boundary: [])
      _ = try? opened.ancestors(of: expected.head, boundary: [])
      return .agreed
    }
    #expect(tally.variants == 500)
    #expect(tally.slow.isEmpty, "\(tally.slow)")
  }
}

/// Rewrites a file's trailing SHA-1 to match its damaged content, as a crafted file would.
enum Checksum {
  static func reseal(_ path: String) throws {
    var bytes = try Array(Data(contentsOf: URL(fileURLWithPath: path)))
    guard bytes.count >= 20 else { return }
    let body = Array(bytes[..<(bytes.count - 20)])
    bytes.replaceSubrange((bytes.count - 20)..., with: sha1(body))
    try Data(bytes).write(to: URL(fileURLWithPath: path))
  }

  /// SHA-1 by `git hash-object`'s arithmetic is not what is wanted here; this is the plain digest.
  static func sha1(_ bytes: [UInt8]) -> [UInt8] { TrailingChecksum.sha1(bytes) }
}
