import Foundation
import GitKit
import TestSupport
import Testing

/// Annotated tags through libgit2, checked against the git CLI, and the committer identity.
@Suite("Tags")
struct TagTests {
  private let tagger = GitSignature(
    name: "Release Bot", email: "bot@example.com", time: 1_767_272_400, offsetMinutes: 90)

  private func repositoryWithCommits() throws -> (TemporaryRepository, String, String) {
    let repository = try TemporaryRepository()
    try repository.write("a.md", "a\n")
    let first = try repository.commit("first")
    try repository.write("a.md", "b\n")
    let second = try repository.commit("second")
    return (repository, first, second)
  }

  @Test("createAnnotatedTag makes a tag git reads back: name, target, tagger, date, message")
  func create() throws {
    let (repository, first, _) = try repositoryWithCommits()
    let git = try Repository(discoveringFrom: repository.path)
    let target = try #require(ObjectID(hex: first))
    let made = try git.createAnnotatedTag(
      name: "promptgate/bot/0123456789ab", target: target, message: "title\n\nbody line",
      tagger: tagger)
    #expect(made)
    #expect(try repository.git("cat-file", "-t", "promptgate/bot/0123456789ab") == "tag\n")
    #expect(try repository.git("rev-parse", "promptgate/bot/0123456789ab^{commit}") == first + "\n")
    let raw = try repository.git("cat-file", "-p", "promptgate/bot/0123456789ab")
    #expect(raw.contains("type commit\n"))
    #expect(raw.contains("tag promptgate/bot/0123456789ab\n"))
    #expect(raw.contains("tagger Release Bot <bot@example.com> 1767272400 +0130\n"))
    #expect(raw.hasSuffix("\ntitle\n\nbody line\n"))
    let format = try repository.git(
      "tag", "-l", "--format=%(contents:subject)|%(taggerdate:iso)", "promptgate/*")
    #expect(format == "title|2026-01-01 14:30:00 +0130\n")
  }

  @Test("an existing tag is never replaced: createAnnotatedTag returns false and changes nothing")
  func neverReplaces() throws {
    let (repository, first, second) = try repositoryWithCommits()
    let git = try Repository(discoveringFrom: repository.path)
    try repository.git("tag", "-a", "promptgate/bot/aaaaaaaaaaaa", "-m", "theirs", first)
    let before = try repository.git("rev-parse", "promptgate/bot/aaaaaaaaaaaa")
    let made = try git.createAnnotatedTag(
      name: "promptgate/bot/aaaaaaaaaaaa", target: try #require(ObjectID(hex: second)),
      message: "ours", tagger: tagger)
    #expect(!made)
    #expect(try repository.git("rev-parse", "promptgate/bot/aaaaaaaaaaaa") == before)
    // A lightweight tag of that name counts too.
    try repository.git("tag", "promptgate/bot/bbbbbbbbbbbb", first)
    #expect(
      try !git.createAnnotatedTag(
        name: "promptgate/bot/bbbbbbbbbbbb", target: try #require(ObjectID(hex: second)),
        message: "ours", tagger: tagger))
    #expect(try repository.git("cat-file", "-t", "promptgate/bot/bbbbbbbbbbbb") == "commit\n")
  }

  @Test("tags(prefix:) lists annotated and lightweight tags, loose and packed, peeled to commits")
  func list() throws {
    let (repository, first, second) = try repositoryWithCommits()
    try repository.git(
      ["tag", "-a", "promptgate/bot/111111111111", "-m", "one\n\nmore", first],
      environment: ["GIT_COMMITTER_DATE": "1767272400 -0500"])
    try repository.git("tag", "promptgate/bot/222222222222", second)
    try repository.git("tag", "-a", "other/tag", "-m", "not ours", second)
    try repository.git("pack-refs", "--all")
    try repository.git("tag", "-a", "promptgate/web/333333333333", "-m", "loose", second)
    let git = try Repository(discoveringFrom: repository.path)
    let tags = try git.tags(prefix: "promptgate/")
    #expect(
      tags.map(\.name) == [
        "promptgate/bot/111111111111", "promptgate/bot/222222222222", "promptgate/web/333333333333",
      ])
    #expect(tags[0].target.hex == first)
    #expect(tags[0].message == "one\n\nmore\n")
    #expect(
      tags[0].tagger
        == GitSignature(
          name: "Test Committer", email: "committer@example.com", time: 1_767_272_400,
          offsetMinutes: -300))
    #expect(
      tags[0].object.hex
        == (try repository.git("rev-parse", "promptgate/bot/111111111111")).trimmingCharacters(
          in: .newlines))
    #expect(tags[1].target.hex == second)
    #expect(tags[1].message == nil)
    #expect(tags[1].tagger == nil)
    #expect(try git.tags(prefix: "promptgate/bot/").count == 2)
    #expect(try git.tag(named: "promptgate/none/000000000000") == nil)
    #expect(try git.tag(named: "promptgate/web/333333333333")?.message == "loose\n")
  }

  @Test("tag names are checked as git checks reference names")
  func names() throws {
    let (repository, _, _) = try repositoryWithCommits()
    let git = try Repository(discoveringFrom: repository.path)
    #expect(git.isValidTagName("promptgate/support-agent/0cfe97675b35"))
    #expect(git.isValidTagName("promptgate/bot.v2/0cfe97675b35"))
    for bad in ["promptgate/a..b/0", "promptgate/x.lock/0", "promptgate/has space/0", "a/.b/c"] {
      #expect(!git.isValidTagName(bad), "\(bad)")
    }
  }

  @Test("the committer comes from GIT_COMMITTER_* first, then committer.*, then user.*")
  func identity() throws {
    let (repository, _, _) = try repositoryWithCommits()
    try repository.git("config", "user.name", "Local User")
    try repository.git("config", "user.email", "local@example.com")
    let git = try Repository(discoveringFrom: repository.path)
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    let fromEnvironment = try git.committerSignature(
      environment: [
        "GIT_COMMITTER_NAME": "Env Name", "GIT_COMMITTER_EMAIL": "env@example.com",
        "GIT_COMMITTER_DATE": "@1767268800 +0200",
      ], now: now)
    #expect(
      fromEnvironment
        == GitSignature(
          name: "Env Name", email: "env@example.com", time: 1_767_268_800, offsetMinutes: 120))
    let fromConfig = try git.committerSignature(environment: [:], now: now)
    #expect(fromConfig.name == "Local User")
    #expect(fromConfig.email == "local@example.com")
    #expect(fromConfig.time == 1_800_000_000)
    try repository.git("config", "committer.name", "Committer Key")
    #expect(try git.committerSignature(environment: [:], now: now).name == "Committer Key")
  }

  @Test("GIT_COMMITTER_DATE in git's forms; an unreadable one is a clear error")
  func dates() throws {
    let (repository, _, _) = try repositoryWithCommits()
    let git = try Repository(discoveringFrom: repository.path)
    let expectations: [(String, Int64, Int)] = [
      ("1767268800 +0000", 1_767_268_800, 0),
      ("@1767268800", 1_767_268_800, 0),
      ("2026-01-01T12:00:00Z", 1_767_268_800, 0),
      ("2026-01-01T13:30:00+01:30", 1_767_268_800, 90),
      ("2026-01-01 07:00:00 -0500", 1_767_268_800, -300),
      ("Thu, 1 Jan 2026 12:00:00 +0000", 1_767_268_800, 0),
    ]
    for (text, time, offset) in expectations {
      let signature = try git.committerSignature(
        environment: [
          "GIT_COMMITTER_NAME": "n", "GIT_COMMITTER_EMAIL": "e@x", "GIT_COMMITTER_DATE": text,
        ])
      #expect(signature.time == time, "\(text)")
      #expect(signature.offsetMinutes == offset, "\(text)")
    }
    let error = try #require(throws: GitError.self) {
      try git.committerSignature(
        environment: [
          "GIT_COMMITTER_NAME": "n", "GIT_COMMITTER_EMAIL": "e@x", "GIT_COMMITTER_DATE": "someday",
        ])
    }
    #expect(error.message.contains("GIT_COMMITTER_DATE 'someday'"))
  }
}
