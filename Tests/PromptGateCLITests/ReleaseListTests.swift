import Foundation
import TestSupport
import Testing

/// `promptgate-release list` and `show`: reading releases back from their tags.
@Suite("promptgate-release list and show")
struct ReleaseListTests {
  /// A fixture with two releases: the baseline (date 0) and a reworded prompt (date 1).
  private func twoReleases() throws -> (GateFixture, first: String, second: String) {
    let fixture = try ReleaseFixture.make()
    let first = try fixture.botId()
    try fixture.release(date: 0).expect(exit: 0)
    try fixture.rewordShipping()
    try fixture.repository.commit("Reword")
    try fixture.release(date: 1).expect(exit: 0)
    return (fixture, first, try fixture.botId())
  }

  @Test("list: one line per release, newest first; --behavior filters")
  func listText() throws {
    let (fixture, first, second) = try twoReleases()
    let head = try fixture.repository.head()
    let result = try fixture.repository.run("promptgate-release", ["list"])
    result.expect(exit: 0)
    #expect(result.stderr.isEmpty)
    let lines = result.stdout.split(separator: "\n").map(String.init)
    #expect(
      lines == [
        "bot  \(second.prefix(17))  \(head.prefix(12))  2026-01-01 20:41:00 +0000  \(GateFixture.botTag(second))  smoke 3/3 pass",
        "bot  \(first.prefix(17))  \(fixture.baseline.prefix(12))  2026-01-01 20:40:00 +0000  \(GateFixture.botTag(first))  smoke 3/3 pass",
      ])
    let filtered = try fixture.repository.run("promptgate-release", ["list", "--behavior", "bot"])
    #expect(filtered.stdout == result.stdout)
    let none = try fixture.repository.run("promptgate-release", ["list", "--behavior", "other"])
    none.expect(exit: 0)
    #expect(none.stdout.isEmpty)
  }

  @Test("list --format json: every field of every release, newest first")
  func listJSON() throws {
    let (fixture, first, second) = try twoReleases()
    let result = try fixture.repository.run("promptgate-release", ["list", "--format", "json"])
    result.expect(exit: 0)
    let releases = try JSONOutput.objects(result.stdout)
    #expect(releases.map { $0["id"] as? String } == [second, first])
    let newest = releases[0]
    #expect(newest["behavior"] as? String == "bot")
    #expect(newest["tag"] as? String == GateFixture.botTag(second))
    #expect(newest["commit"] as? String == (try fixture.repository.head()))
    #expect(newest["baseline"] as? String == fixture.baseline)
    #expect(newest["tier"] as? String == "release")
    #expect((newest["tuple"] as? [String: Any])?["model"] as? String == "test-model")
    let tagger = try #require(newest["tagger"] as? [String: Any])
    #expect(tagger["name"] as? String == "Test Committer")
    #expect(tagger["date"] as? String == "2026-01-01 20:41:00 +0000")
    let evals = try #require(newest["evals"] as? [[String: Any]])
    #expect(evals.first?["headPassed"] as? Int == 3)
    #expect(evals.first?["baselinePassed"] as? Int == 3)
    #expect(releases[1]["baseline"] is NSNull)
  }

  @Test("show ID: by 7 digits, with or without pgv1-, or the full id; text and JSON")
  func show() throws {
    let (fixture, first, _) = try twoReleases()
    let digits = String(first.dropFirst(5))
    for given in [String(digits.prefix(7)), "pgv1-" + digits.prefix(9), first] {
      let result = try fixture.repository.run("promptgate-release", ["show", given])
      result.expect(exit: 0)
      #expect(result.stdout.contains("tag:       \(GateFixture.botTag(first))\n"))
      #expect(result.stdout.contains("id:        \(first)\n"))
      #expect(result.stdout.contains("commit:    \(fixture.baseline)\n"))
      #expect(
        result.stdout.contains(
          "tagger:    Test Committer <committer@example.com> 2026-01-01 20:40:00 +0000\n"))
      #expect(result.stdout.contains("baseline:  none (the first release)\n"))
      #expect(result.stdout.contains("  model: test-model\n"))
      #expect(result.stdout.contains("  smoke (release): pass, head 3/3 (100%), no baseline\n"))
    }
    let json = try fixture.repository.run(
      "promptgate-release", ["show", first, "--format", "json"])
    json.expect(exit: 0)
    let document = try JSONOutput.object(json.stdout)
    #expect(document["id"] as? String == first)
    #expect(document["commit"] as? String == fixture.baseline)
  }

  @Test("show: an unknown id, a malformed one and an ambiguous one exit 2; --behavior decides")
  func showErrors() throws {
    // Two behaviors with the same tuple have the same id: one version, two releases.
    let mapping = GateFixture.mapping()
      .replacingOccurrences(of: "tier: fast", with: "tier: release")
      .replacingOccurrences(
        of: "providers:",
        with: "  twin:\n    prompt: [prompts/*.md]\n    model: {value: test-model}\nproviders:")
    let fixture = try ReleaseFixture.make(mapping: mapping)
    let released = try fixture.release()
    released.expect(exit: 0)
    let id = try fixture.botId()
    let short = id.dropFirst(5).prefix(12)
    #expect(try fixture.releaseTags() == ["promptgate/bot/\(short)", "promptgate/twin/\(short)"])
    #expect(released.stdout.contains("note: no release eval set protects what changed"))
    let ambiguous = try fixture.repository.run("promptgate-release", ["show", id])
    ambiguous.expect(exit: 2)
    #expect(ambiguous.stderr.contains("is ambiguous: it matches 2 releases"))
    #expect(ambiguous.stderr.contains("  bot \(id) promptgate/bot/\(short)"))
    #expect(ambiguous.stderr.contains("  twin \(id) promptgate/twin/\(short)"))
    let picked = try fixture.repository.run(
      "promptgate-release", ["show", id, "--behavior", "twin"])
    picked.expect(exit: 0)
    #expect(picked.stdout.contains("evals: none selected"))
    let unknown = try fixture.repository.run("promptgate-release", ["show", "0000000"])
    unknown.expect(exit: 2)
    #expect(unknown.stderr.contains("no release of 0000000"))
    let malformed = try fixture.repository.run("promptgate-release", ["show", "abc"])
    malformed.expect(exit: 2)
    #expect(malformed.stderr.contains("give 7 or more hex digits"))
  }

  @Test("a tag under promptgate/ that is no release is skipped with a warning, or blocks its name")
  func foreignTags() throws {
    let fixture = try ReleaseFixture.make()
    try fixture.repository.git("tag", "-a", "promptgate/bot/deadbeefdead", "-m", "hello")
    try fixture.repository.git("tag", "promptgate/bot/light")
    let list = try fixture.repository.run("promptgate-release", ["list"])
    list.expect(exit: 0)
    #expect(list.stdout.isEmpty)
    #expect(
      list.stderr.contains(
        "warning: tag promptgate/bot/deadbeefdead is skipped: its message does not start with"))
    #expect(list.stderr.contains("tag promptgate/bot/light is skipped: a lightweight tag"))
    // A foreign tag with the very name of the version's release is never taken over.
    let tag = GateFixture.botTag(try fixture.botId())
    try fixture.repository.git("tag", "-a", tag, "-m", "not a release")
    let result = try fixture.release()
    result.expect(exit: 2)
    #expect(result.stderr.contains("tag \(tag) exists but does not record the release"))
    #expect(fixture.calls().isEmpty)
  }
}
