import Foundation
import TestSupport
import Testing

/// `promptgate-release --push`: create-only pushes to a real bare remote, races and fetches.
@Suite("promptgate-release --push")
struct ReleasePushTests {
  /// A release fixture whose `main` is pushed to a bare repository `remote.git` beside it, and
  /// `count` clones of that remote.
  private func remoteAndClones(_ count: Int) throws -> (GateFixture, remote: String, [String]) {
    let fixture = try ReleaseFixture.make()
    let remote = fixture.repository.container + "/remote.git"
    try git(
      ["init", "-q", "--bare", "-b", "main", remote], in: fixture.repository.container, fixture)
    try fixture.repository.git("remote", "add", "origin", remote)
    try fixture.repository.git("push", "-q", "origin", "main")
    var clones: [String] = []
    for index in 0..<count {
      let clone = fixture.repository.container + "/clone\(index)"
      try git(["clone", "-q", remote, clone], in: fixture.repository.container, fixture)
      clones.append(clone)
    }
    return (fixture, remote, clones)
  }

  @discardableResult
  private func git(_ arguments: [String], in directory: String, _ fixture: GateFixture) throws
    -> String
  {
    let result = try Subprocess.run(
      try Subprocess.which("git"), arguments, in: directory,
      environment: fixture.repository.environment)
    guard result.exitCode == 0 else { throw CommandError("git \(arguments): \(result)") }
    return result.stdout
  }

  /// Runs `promptgate-release` in `directory` with the fixture's environment.
  private func release(
    _ arguments: [String], in directory: String, _ fixture: GateFixture, date: Int
  ) throws -> CommandResult {
    try Executable.run(
      "promptgate-release", arguments, in: directory,
      environment: fixture.repository.environment.merging(fixture.environment) { $1 }
        .merging(["GIT_COMMITTER_DATE": ReleaseFixture.date(date)]) { $1 })
  }

  /// The remote's release tags: `name object` lines, without peeled entries.
  private func remoteTags(_ remote: String, _ fixture: GateFixture) throws -> [String] {
    try git(["ls-remote", "--tags", remote, "refs/tags/promptgate/*"], in: remote, fixture)
      .split(separator: "\n").filter { !$0.hasSuffix("^{}") }.map(String.init)
  }

  @Test("two pipelines release the same version at once: one tag on the remote, both exit 0")
  func race() throws {
    let (fixture, remote, clones) = try remoteAndClones(2)
    let id = try fixture.botId()
    let tag = GateFixture.botTag(id)
    let results = ResultsBox(count: 2)
    // Different tagger dates make different tag objects for the same name.
    let environment = fixture.repository.environment.merging(fixture.environment) { $1 }
    DispatchQueue.concurrentPerform(iterations: 2) { index in
      let mine = environment.merging(["GIT_COMMITTER_DATE": ReleaseFixture.date(index)]) { $1 }
      results.set(
        index,
        Result {
          try Executable.run(
            "promptgate-release", ["--push", "origin"], in: clones[index], environment: mine)
        })
    }
    let outcomes = try results.values.map { try $0!.get() }
    for outcome in outcomes { outcome.expect(exit: 0) }
    let winners = outcomes.indices.filter {
      outcomes[$0].stdout.contains("pushed \(tag) to origin")
    }
    let losers = outcomes.indices.filter {
      outcomes[$0].stdout.contains(
        "lost the race: origin already has \(tag) (at \(fixture.baseline))")
    }
    #expect(winners.count == 1, "\(outcomes)")
    #expect(losers.count == 1, "\(outcomes)")
    #expect(outcomes.allSatisfy { $0.stdout.contains("released bot") }, "\(outcomes)")
    // Exactly one tag on the remote: the winner's, untouched by the loser.
    let onRemote = try remoteTags(remote, fixture)
    #expect(onRemote.count == 1, "\(onRemote)")
    let winner = try #require(winners.first)
    let winnerObject = try git(["rev-parse", tag], in: clones[winner], fixture)
    #expect(onRemote.first == winnerObject.trimmingCharacters(in: .newlines) + "\trefs/tags/\(tag)")
    // The loser's own tag stays local; pushing again changes nothing on the remote.
    let loser = try #require(losers.first)
    let again = try release(["--push", "origin"], in: clones[loser], fixture, date: 5)
    again.expect(exit: 0)
    #expect(again.stdout.contains("already released at \(fixture.baseline)"))
    #expect(again.stdout.contains("lost the race"))
    #expect(try remoteTags(remote, fixture) == onRemote)
  }

  @Test(
    "release tags travel with git fetch --tags: the other clone sees the release and runs nothing")
  func fetchTags() throws {
    let (fixture, remote, clones) = try remoteAndClones(1)
    let pushed = try fixture.release(["--push", "origin"])
    pushed.expect(exit: 0)
    let tag = GateFixture.botTag(try fixture.botId())
    #expect(pushed.stdout.contains("pushed \(tag) to origin"))
    #expect(try remoteTags(remote, fixture).count == 1)
    let calls = fixture.calls().count
    try git(["fetch", "-q", "--tags", "origin"], in: clones[0], fixture)
    #expect(try fixture.releaseTags(in: clones[0]) == [tag])
    let list = try Executable.run(
      "promptgate-release", ["list", "--format", "json"], in: clones[0],
      environment: fixture.repository.environment)
    #expect(try JSONOutput.objects(list.stdout).first?["tag"] as? String == tag)
    let again = try release(["--push", "origin"], in: clones[0], fixture, date: 3)
    again.expect(exit: 0)
    #expect(again.stdout.contains("already released at \(fixture.baseline)"))
    #expect(again.stdout.contains("pushed \(tag) to origin"))
    #expect(fixture.calls().count == calls)
  }

  @Test(
    "a push that fails for another reason exits 3, keeps the local tag, and shows no credentials")
  func pushFailure() throws {
    let fixture = try ReleaseFixture.make()
    let url = "https://builder:s3cret-token@127.0.0.1:1/team/repo.git"
    let result = try fixture.release(["--push", url])
    result.expect(exit: 3)
    let tag = GateFixture.botTag(try fixture.botId())
    #expect(try fixture.releaseTags() == [tag])
    #expect(result.stderr.contains("could not push \(tag) to https://127.0.0.1:1/team/repo.git"))
    #expect(!result.stderr.contains("s3cret"))
    #expect(!result.stdout.contains("s3cret"))
  }
}

/// Results written by concurrent iterations, each to its own slot.
private final class ResultsBox: @unchecked Sendable {
  private let lock = NSLock()
  private var slots: [Result<CommandResult, any Error>?]

  init(count: Int) { slots = Array(repeating: nil, count: count) }

  func set(_ index: Int, _ value: Result<CommandResult, any Error>) {
    lock.lock()
    defer { lock.unlock() }
    slots[index] = value
  }

  var values: [Result<CommandResult, any Error>?] {
    lock.lock()
    defer { lock.unlock() }
    return slots
  }
}
