import Foundation
import GitKit
import TestSupport
import Testing

@Suite("Repository")
struct RepositoryTests {
  @Test("an unborn HEAD has no commit; after the first commit it has")
  func unbornHead() throws {
    let repository = try TemporaryRepository()
    let git = try Repository(discoveringFrom: repository.path)
    #expect(try git.headCommit() == nil)
    #expect(try git.indexSnapshot().files(under: "").isEmpty)
    try repository.write("a.md", "a\n")
    let id = try repository.commit("first")
    #expect(try git.headCommit()?.hex == id)
  }

  @Test("a revision that names nothing throws notFound, naming it")
  func unknownRevision() throws {
    let repository = try TemporaryRepository()
    try repository.write("a.md", "a\n")
    try repository.commit("first")
    let git = try Repository(discoveringFrom: repository.path)
    for name in ["nosuch", "HEAD~3", "refs/heads/other"] {
      let error = try #require(throws: GitError.self) { try git.resolveCommit(name) }
      #expect(error.kind == .notFound, "\(name)")
      #expect(error.message.contains("'\(name)'"))
    }
  }

  @Test("revisions resolve to commits: branches, abbreviations, ancestors and annotated tags")
  func resolve() throws {
    let repository = try TemporaryRepository()
    try repository.write("a.md", "a\n")
    let first = try repository.commit("first")
    try repository.git("tag", "-a", "v1", "-m", "release 1")
    try repository.write("a.md", "b\n")
    let second = try repository.commit("second")
    let git = try Repository(discoveringFrom: repository.path)
    #expect(try git.resolveCommit("HEAD").hex == second)
    #expect(try git.resolveCommit("main").hex == second)
    #expect(try git.resolveCommit("HEAD~1").hex == first)
    #expect(try git.resolveCommit("v1").hex == first)
    #expect(try git.resolveCommit(String(second.prefix(8))).hex == second)
    let tree = try #require(throws: GitError.self) { try git.resolveCommit("HEAD^{tree}") }
    #expect(tree.kind == .invalid)
    #expect(tree.message.contains("commit"))
  }

  @Test("the merge-base of two branches")
  func mergeBase() throws {
    let repository = try TemporaryRepository()
    try repository.write("a.md", "a\n")
    let base = try repository.commit("base")
    try repository.git("checkout", "-q", "-b", "topic")
    try repository.write("b.md", "b\n")
    let topic = try repository.commit("topic")
    try repository.git("checkout", "-q", "main")
    try repository.write("c.md", "c\n")
    let main = try repository.commit("main")
    let git = try Repository(discoveringFrom: repository.path)
    let found = try git.mergeBase(
      try #require(ObjectID(hex: main)), try #require(ObjectID(hex: topic)))
    #expect(found.hex == base)
    #expect(
      found.hex
        == (try repository.git("merge-base", "main", "topic").trimmingCharacters(
          in: .whitespacesAndNewlines)))
  }

  @Test("discovery from a subdirectory finds the root; outside a repository it fails clearly")
  func discovery() throws {
    let repository = try TemporaryRepository()
    try repository.write("deep/dir/a.md", "a\n")
    let git = try Repository(discoveringFrom: repository.absolute("deep/dir"))
    #expect(git.workdir == repository.path)
    #expect(!git.isBare)
    let error = try #require(throws: GitError.self) {
      try Repository(discoveringFrom: repository.home)
    }
    #expect(error.kind == .notFound)
    #expect(error.message.contains("not a git repository"))
  }

  @Test("configuration values are read from the repository's config")
  func config() throws {
    let repository = try TemporaryRepository()
    try repository.git("config", "core.hooksPath", "custom-hooks")
    let git = try Repository(discoveringFrom: repository.path)
    #expect(try git.configString("core.hooksPath") == "custom-hooks")
    #expect(try git.configString("promptgate.nothing") == nil)
  }
}
