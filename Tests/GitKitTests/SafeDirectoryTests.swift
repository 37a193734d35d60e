import Foundation
import TestSupport
import Testing

@testable import GitKit

/// A repository owned by another user opens only when git's `safe.directory` rules trust it,
/// and trusting it relaxes libgit2's owner check for that open alone.
@Suite("safe.directory")
struct SafeDirectoryTests {
  /// A committed repository handed to another user, and a home whose `.gitconfig` the test
  /// writes.
  private func foreign() throws -> TemporaryRepository {
    let repository = try TemporaryRepository()
    try repository.write("a.txt", "a\n")
    try repository.commit("A")
    try repository.runProgram("chown", ["-R", "12345:12345", repository.path])
    return repository
  }

  private func environment(_ repository: TemporaryRepository) -> [String: String] {
    ["HOME": repository.home, "GIT_CONFIG_NOSYSTEM": "1"]
  }

  private func setGlobal(_ repository: TemporaryRepository, _ text: String) throws {
    try Data(text.utf8).write(to: URL(fileURLWithPath: repository.home + "/.gitconfig"))
  }

  @Test(
    "the rules: the path or *, in order, an empty value resetting; the repository's own ignored")
  func rules() throws {
    let repository = try TemporaryRepository()
    let environment = environment(repository)
    let path = repository.path
    #expect(!SafeDirectory.trusts(path, environment: environment))
    try setGlobal(repository, "[safe]\n\tdirectory = \(path)\n")
    #expect(SafeDirectory.trusts(path, environment: environment))
    #expect(!SafeDirectory.trusts(path + "/sub", environment: environment))
    try setGlobal(repository, "[safe]\n\tdirectory = *\n")
    #expect(SafeDirectory.trusts("/anywhere", environment: environment))
    try setGlobal(repository, "[safe]\n\tdirectory = *\n\tdirectory =\n")
    #expect(!SafeDirectory.trusts(path, environment: environment))
    try setGlobal(repository, "[safe]\n\tdirectory =\n[Safe]\n\tDirectory=\(path)\n")
    #expect(SafeDirectory.trusts(path, environment: environment))
    try setGlobal(repository, "[include]\n\tpath = more.config\n")
    try Data("[safe]\n\tdirectory = ~/../repo\n".utf8).write(
      to: URL(fileURLWithPath: repository.home + "/more.config"))
    #expect(SafeDirectory.trusts(repository.home + "/../repo", environment: environment))
    // The repository's own config is not protected configuration.
    try setGlobal(repository, "")
    try repository.git("config", "safe.directory", "*")
    #expect(!SafeDirectory.trusts(path, environment: environment))
    // `git -c safe.directory=...` arrives through the environment.
    var command = environment
    command["GIT_CONFIG_COUNT"] = "1"
    command["GIT_CONFIG_KEY_0"] = "safe.directory"
    command["GIT_CONFIG_VALUE_0"] = path
    #expect(SafeDirectory.trusts(path, environment: command))
  }

  @Test(
    "a foreign repository: refused with the path and the fix; opened once trusted, for that open only",
    .enabled(if: geteuid() == 0, "changing a directory's owner needs root"))
  func foreignOwner() throws {
    let trusted = try foreign()
    let other = try foreign()
    let environment = environment(trusted)
    let refused = try #require(throws: GitError.self) {
      try Repository(discoveringFrom: trusted.path, environment: environment)
    }
    #expect(refused.kind == .untrustedOwner)
    #expect(refused.message.contains(trusted.path), "\(refused)")
    #expect(
      refused.message.contains("git config --global --add safe.directory \(trusted.path)"),
      "\(refused)")

    try setGlobal(trusted, "[safe]\n\tdirectory = \(trusted.path)\n")
    let opened = try Repository(discoveringFrom: trusted.path + "/", environment: environment)
    #expect(opened.isLibgit2Open, "a foreign repository is not plain: libgit2 opened it")
    #expect(try opened.headCommit()?.hex == (try trusted.head()))
    // libgit2's own check is back on: the other repository, not named, is refused by it too.
    let second = try #require(throws: GitError.self) {
      try Repository.open(other.path, gitDir: nil, relaxingOwnerCheck: false)
    }
    #expect(second.kind == .untrustedOwner)
    #expect(throws: GitError.self) {
      try Repository(discoveringFrom: other.path, environment: environment)
    }

    try setGlobal(trusted, "[safe]\n\tdirectory = *\n")
    #expect(throws: Never.self) {
      try Repository(discoveringFrom: other.path, environment: environment)
    }
    try setGlobal(trusted, "[safe]\n\tdirectory = *\n\tdirectory = \n")
    #expect(throws: GitError.self) {
      try Repository(discoveringFrom: other.path, environment: environment)
    }
  }
}
