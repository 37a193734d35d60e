import Foundation
import TestSupport
import Testing

/// The history walk reads parents, trees and times from git's commit-graph when there is one:
/// the log must be the same with and without it.
@Suite("commit-graph")
struct CommitGraphTests {
  /// The example with a side branch, a two-parent merge and an octopus merge (whose extra
  /// parents the graph keeps in its EDGE chunk).
  private func repositoryWithMerges() throws -> TemporaryRepository {
    let repository = try ExampleProject.repository()
    for branch in ["one", "two", "three"] {
      try repository.git("checkout", "-q", "-b", branch, "main")
      try repository.write("notes/\(branch).md", "Notes for \(branch).\n")
      try repository.commit("Notes \(branch)")
    }
    try repository.git("checkout", "-q", "one")
    try repository.write("prompts/support/system.md", "Branch one's prompt.\n")
    try repository.commit("Prompt on one")
    try repository.git("checkout", "-q", "main")
    try repository.edit("config/llm.yaml", replacing: "gpt-4o-mini", with: "gpt-4o")
    try repository.commit("Model on main")
    try repository.git("merge", "-q", "--no-edit", "one")
    try repository.git("merge", "-q", "--no-edit", "two", "three")
    let parents = try repository.git("log", "-1", "--format=%P").split(separator: " ")
    #expect(parents.count == 3, "the last commit is an octopus merge")
    return repository
  }

  private func logs(_ repository: TemporaryRepository) throws -> [String] {
    try [[], ["--first-parent"], ["HEAD~1..HEAD"]].map { extra in
      let result = try repository.runComparingHistoryCache(
        "promptgate-log", ["--format", "json"] + extra)
      result.expect(exit: 0)
      return result.stdout
    }
  }

  @Test("a single commit-graph file gives the same log as reading every commit")
  func singleFile() throws {
    let repository = try repositoryWithMerges()
    let without = try logs(repository)
    #expect(without[0].contains("\"previousId\": null"))
    try repository.git("commit-graph", "write", "--reachable")
    #expect(
      FileManager.default.fileExists(atPath: repository.absolute(".git/objects/info/commit-graph")))
    #expect(try logs(repository) == without)
  }

  @Test("a split commit-graph chain gives the same log")
  func splitChain() throws {
    let repository = try repositoryWithMerges()
    let without = try logs(repository)
    try repository.git("commit-graph", "write", "--reachable", "--split")
    try repository.write("README.md", "After the first layer.\n")
    try repository.commit("Docs")
    try repository.write("prompts/support/system.md", "A later prompt.\n")
    try repository.commit("Later prompt")
    let moreWithout = try logs(repository)
    try repository.git("commit-graph", "write", "--reachable", "--split=no-merge")
    #expect(
      FileManager.default.fileExists(
        atPath: repository.absolute(".git/objects/info/commit-graphs/commit-graph-chain")))
    #expect(try logs(repository) == moreWithout)
    #expect(moreWithout != without)
  }
}
