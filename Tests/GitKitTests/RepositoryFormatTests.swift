import Foundation
import TestSupport
import Testing

@testable import GitKit

/// Formats libgit2 1.5 cannot read give a clear message and a stable error kind, never a crash or
/// a silently wrong answer; a repository owned by another user is trusted only as git would.
@Suite("Repository formats")
struct RepositoryFormatTests {
  @Test(
    "each format libgit2 1.5 cannot read is an unsupportedRepository error with a clear message",
    arguments: UnreadableFormat.refused)
  func unreadable(_ format: UnreadableFormat) throws {
    let repository = try format.repository()
    let error: GitError
    if format.isIndexFormat {
      // The repository and its commits are readable; its index is not.
      let git = try Repository(discoveringFrom: repository.path)
      let head = try #require(try git.headCommit())
      #expect(try git.snapshot(of: head).entry(at: "prompts/system.md") != nil)
      error = try #require(throws: GitError.self) { try git.indexSnapshot().files(under: "") }
      let worktree = try #require(throws: GitError.self) {
        try git.workTreeSnapshot().files(under: "")
      }
      #expect(worktree.kind == .unsupportedRepository)
    } else {
      error = try #require(throws: GitError.self) {
        try Repository(discoveringFrom: repository.path)
      }
    }
    #expect(error.kind == .unsupportedRepository, "\(error.kind): \(error.message)")
    #expect(format.isExplained(by: error.message), "\(error.message)")
    #expect(error.message.contains("libgit2"), "\(error.message)")
  }

  @Test("an index.skipHash index is read directly with its entries; libgit2 alone refuses it")
  func skipHash() throws {
    let repository = try UnreadableFormat.skipHash.repository()
    let git = try Repository(discoveringFrom: repository.path)
    let head = try #require(try git.headCommit())
    let index = try git.indexSnapshot()
    #expect(index.isReadDirectly)
    #expect(try index.files(under: "") == (try git.snapshot(of: head).files(under: "")))
    let error = try #require(throws: GitError.self) { try index.readThroughLibgit2() }
    #expect(error.kind == .unsupportedRepository)
    #expect(UnreadableFormat.skipHash.isExplained(by: error.message), "\(error.message)")
  }

  @Test("the index GIT_INDEX_FILE names is explained the same way when libgit2 cannot read it")
  func alternateIndexFile() throws {
    let repository = try UnreadableFormat.splitIndex.repository()
    let git = try Repository(discoveringFrom: repository.path)
    let error = try #require(throws: GitError.self) {
      try IndexSnapshot(repository: git, file: git.gitDir + "/index")
    }
    #expect(error.kind == .unsupportedRepository)
    #expect(UnreadableFormat.splitIndex.isExplained(by: error.message))
  }

  @Test(
    "a repository owned by another user: refused with the fix, opened once safe.directory names it or is *",
    .enabled(if: getuid() == 0, "changing a directory's owner needs root"))
  func foreignOwner() throws {
    let repository = try TemporaryRepository()
    try repository.write("promptgate.yaml", UnreadableFormat.mapping)
    try repository.write("prompts/system.md", "You are helpful.\n")
    try repository.commit("Agent")
    let trusted = try repository.run("promptgate-version", [])
    trusted.expect(exit: 0)

    try repository.runProgram("chown", ["-R", "12345:12345", repository.path])
    let refused = try repository.run("promptgate-version", [])
    refused.expect(exit: 2)
    #expect(refused.stdout.isEmpty)
    #expect(refused.stderr.contains("owned by another user"), "\(refused)")
    #expect(refused.stderr.contains(repository.path), "\(refused)")
    #expect(refused.stderr.contains("git config --global --add safe.directory"), "\(refused)")

    // In this process, whose HOME the test does not control, libgit2 refuses it too, unless
    // that configuration trusts every directory.
    let environment = ProcessInfo.processInfo.environment
    if SafeDirectory.trusts(repository.path, environment: environment) {
      #expect(throws: Never.self) { try Repository(discoveringFrom: repository.path) }
    } else {
      let error = try #require(throws: GitError.self) {
        try Repository(discoveringFrom: repository.path)
      }
      #expect(error.kind == .untrustedOwner)
      #expect(error.message.contains("safe.directory"))
    }

    // git config runs outside the repository, whose owner git would also refuse.
    func configure(_ arguments: String...) throws {
      try repository.git(["-C", repository.home, "config", "--global"] + arguments)
    }
    try configure("--add", "safe.directory", repository.path)
    let named = try repository.run("promptgate-version", [])
    named.expect(exit: 0)
    #expect(named.stdout == trusted.stdout)

    try configure("--unset-all", "safe.directory")
    try repository.run("promptgate-version", []).expect(exit: 2)
    try configure("--add", "safe.directory", "*")
    let everything = try repository.run("promptgate-version", [])
    everything.expect(exit: 0)
    #expect(everything.stdout == trusted.stdout)
    #expect(everything.stderr.isEmpty)
    // Reading the index and the working tree works as well once trusted.
    try repository.run("promptgate-version", ["--staged"]).expect(exit: 0)
    try repository.run("promptgate-version", ["--worktree"]).expect(exit: 0)
  }
}

extension CommandResult {
  /// Records an issue unless the command exited with `code`.
  fileprivate func expect(exit code: Int32, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(exitCode == code, "\(self)", sourceLocation: sourceLocation)
  }
}
