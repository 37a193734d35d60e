import GitKit
import PromptGateCore
import PromptGateWorkflows
import TestSupport
import Testing

@Suite("BranchBase: one rule for where a new branch starts")
struct BranchBaseTests {
  /// main with two commits, `feature` one commit past main's first, and `topic` past main's tip.
  private static func repository() throws -> (TemporaryRepository, first: String, tip: String) {
    let repository = try TemporaryRepository()
    try repository.write("a.txt", "one\n")
    let first = try repository.commit("one")
    try repository.write("a.txt", "two\n")
    let tip = try repository.commit("two")
    try repository.git("checkout", "-q", "-b", "feature", first)
    try repository.write("b.txt", "feature\n")
    try repository.commit("feature")
    return (repository, first, tip)
  }

  private static func find(
    _ repository: TemporaryRepository, reference: String? = "refs/heads/feature",
    remote: String? = "origin", defaultBranch: String? = nil
  ) throws -> BranchBase.Found {
    let opened = try Repository(discoveringFrom: repository.path)
    return try BranchBase.find(
      head: try opened.resolveCommit("feature"), reference: reference, remote: remote,
      defaultBranch: defaultBranch, in: opened)
  }

  @Test("the candidates, in order: REMOTE/HEAD, the CI's default branch, main, master")
  func order() {
    let names = BranchBase.candidates(remote: "up", defaultBranch: "trunk").map(\.name)
    #expect(names == ["up/HEAD", "up/trunk", "trunk", "up/main", "main", "up/master", "master"])
    // A default branch that is main is not tried twice.
    let plain = BranchBase.candidates(remote: "origin", defaultBranch: "main").map(\.name)
    #expect(plain == ["origin/HEAD", "origin/main", "main", "origin/master", "master"])
  }

  @Test("with no remote-tracking branch, the local main decides")
  func localMain() throws {
    let (repository, first, _) = try Self.repository()
    let found = try Self.find(repository)
    #expect(found.against == "main")
    #expect(found.mergeBase?.hex == first)
    #expect(found.side == .revision(first))
  }

  @Test("REMOTE/HEAD wins over the CI's default branch, which wins over main")
  func remoteHeadFirst() throws {
    let (repository, first, tip) = try Self.repository()
    try repository.git("update-ref", "refs/remotes/origin/trunk", tip)
    #expect(try Self.find(repository, defaultBranch: "trunk").against == "origin/trunk")
    try repository.git("update-ref", "refs/remotes/origin/stable", first)
    try repository.git(
      "symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/stable")
    #expect(try Self.find(repository, defaultBranch: "trunk").against == "origin/HEAD")
  }

  @Test("the branch being gated is never its own base; master is the last resort")
  func notItself() throws {
    let (repository, first, _) = try Self.repository()
    try repository.git("branch", "-m", "main", "master")
    try repository.git("branch", "-m", "feature", "main")
    let opened = try Repository(discoveringFrom: repository.path)
    let found = try BranchBase.find(
      head: try opened.resolveCommit("main"), reference: "refs/heads/main", remote: nil,
      defaultBranch: nil, in: opened)
    #expect(found.against == "master")
    #expect(found.mergeBase?.hex == first)
  }

  @Test("a branch with no history in common is compared with nothing: every behavior is new")
  func unrelated() throws {
    let (repository, _, _) = try Self.repository()
    try repository.git("checkout", "-q", "--orphan", "island")
    try repository.write("c.txt", "alone\n")
    try repository.commit("alone")
    try repository.git("branch", "-f", "feature", "island")
    let found = try Self.find(repository)
    #expect(found.side == .empty)
    #expect(found.mergeBase == nil)
  }

  @Test("with none of them here, the error names the fetch to run")
  func noneFound() throws {
    let (repository, _, _) = try Self.repository()
    try repository.git("branch", "-m", "main", "old")
    #expect {
      try Self.find(repository, remote: "upstream", defaultBranch: "trunk")
    } throws: { error in
      guard let error = error as? PromptGateError else { return false }
      return error.kind == .usage && error.message.contains("git fetch upstream trunk")
        && error.message.contains("upstream/HEAD, upstream/trunk, trunk")
    }
  }
}
