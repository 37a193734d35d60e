import Foundation
import TestSupport
import Testing

@testable import GitKit

/// The commit-graph reader gives, for every commit, what libgit2 reads from the commit itself.
@Suite("CommitGraph reader")
struct CommitGraphReaderTests {
  /// Linear history, a two-parent merge and an octopus merge.
  private func repositoryWithMerges() throws -> TemporaryRepository {
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
    return repository
  }

  private func expectAgreement(_ repository: TemporaryRepository, commits: Int = 7) throws {
    let opened = try Repository(discoveringFrom: repository.path)
    let graph = try #require(opened.commitGraph, "the graph file is read")
    let ids = try repository.git("rev-list", "--all").split(separator: "\n").map(String.init)
    #expect(ids.count == commits)
    #expect(graph.count == commits)
    for hex in ids {
      let id = try #require(ObjectID(hex: hex))
      let position = try #require(graph.position(of: id), "the graph holds \(hex)")
      #expect(graph.commit(at: position) == (try opened.libgit2Commit(id)))
    }
    #expect(
      graph.position(of: try #require(ObjectID(hex: String(repeating: "0", count: 40)))) == nil)
  }

  @Test("a single graph file agrees with libgit2 on every commit, octopus merges included")
  func singleFile() throws {
    let repository = try repositoryWithMerges()
    try repository.git("commit-graph", "write", "--reachable")
    try expectAgreement(repository)
  }

  @Test("a split chain of two layers agrees with libgit2 on every commit")
  func splitChain() throws {
    let repository = try repositoryWithMerges()
    try repository.git("commit-graph", "write", "--reachable", "--split")
    // Commits written after the first layer go into a second one, kept apart by no-merge.
    try repository.git("checkout", "-q", "-b", "later", "main")
    for step in 0..<3 {
      try repository.write("later.txt", "later \(step)\n")
      try repository.commit("Later \(step)")
    }
    try repository.git("checkout", "-q", "main")
    try repository.git("merge", "-q", "--no-edit", "--no-ff", "later")
    try repository.git("commit-graph", "write", "--reachable", "--split=no-merge")
    let chain = try repository.read(".git/objects/info/commit-graphs/commit-graph-chain")
    #expect(chain.split(separator: "\n").count >= 2, "\(chain)")
    #expect(
      !FileManager.default.fileExists(
        atPath: repository.absolute(".git/objects/info/commit-graph")),
      "no single file to read instead of the chain")
    try expectAgreement(repository, commits: 11)
  }

  @Test("no graph file: every commit is read through libgit2")
  func noGraph() throws {
    let repository = try repositoryWithMerges()
    let opened = try Repository(discoveringFrom: repository.path)
    #expect(opened.commitGraph == nil)
    let head = try #require(ObjectID(hex: try repository.head()))
    #expect(try opened.commit(head).parents.count == 3)
  }
}
