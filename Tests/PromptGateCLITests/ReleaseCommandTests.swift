import Foundation
import TestSupport
import Testing

/// `promptgate-release` end to end: real repositories, the exec harness, real tags.
@Suite("promptgate-release")
struct ReleaseCommandTests {
  @Test("the first release gates the release tier with no baseline, tags HEAD and exits 0")
  func firstRelease() throws {
    let fixture = try ReleaseFixture.make()
    let id = try fixture.botId()
    let tag = GateFixture.botTag(id)
    let result = try fixture.release()
    result.expect(exit: 0)
    #expect(result.stdout.contains("smoke (release) bot (none) -> \(id.prefix(17)): pass"))
    #expect(
      result.stdout.contains("released bot \(id.prefix(17)) at \(fixture.baseline) as \(tag)"))
    #expect(try fixture.releaseTags() == [tag])
    // Three cases at the head; nothing to run at a baseline that does not exist.
    #expect(fixture.calls().count == 3)
    #expect(try fixture.repository.git("cat-file", "-t", tag) == "tag\n")
    #expect(try fixture.repository.git("rev-parse", "\(tag)^{commit}") == fixture.baseline + "\n")
    let message = try fixture.repository.git("tag", "-l", "--format=%(contents)", tag)
    let lines = message.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    #expect(lines[0] == "promptgate release bot \(id)")
    #expect(lines[1] == "")
    #expect(lines.contains("PromptGate-Behavior: bot"))
    #expect(lines.contains("PromptGate-Id: \(id)"))
    #expect(lines.contains("PromptGate-Commit: \(fixture.baseline)"))
    #expect(lines.contains("PromptGate-Tier: release"))
    #expect(lines.contains("PromptGate-Baseline: none"))
    // The tuple, canonical JSON on one line, hashes to the id (as docs/behavior-version.md says).
    let tupleLine = try #require(lines.first { $0.hasPrefix("PromptGate-Tuple: ") })
    let tuple = String(tupleLine.dropFirst("PromptGate-Tuple: ".count))
    #expect(tuple.contains("\"model\":\"test-model\""))
    let canonical = tuple.replacingOccurrences(
      of: ",\"toolSchemaSha\"", with: ",\"schema\":1,\"toolSchemaSha\"")
    #expect(try "pgv1-" + Subprocess.sha256(canonical) == id)
    let eval = try #require(lines.first { $0.hasPrefix("PromptGate-Eval: ") })
    let summary = try JSONOutput.object(String(eval.dropFirst("PromptGate-Eval: ".count)))
    #expect(summary["evalSet"] as? String == "smoke")
    #expect(summary["verdict"] as? String == "pass")
    #expect(summary["headPassed"] as? Int == 3)
    #expect(summary["headCases"] as? Int == 3)
    let tagger = try fixture.repository.git(
      "tag", "-l", "--format=%(taggername)|%(taggerdate:raw)", tag)
    #expect(tagger == "Test Committer|\(ReleaseFixture.date(0))\n")
  }

  @Test(
    "releasing the same version again says 'already released at <commit>', exits 0, runs nothing")
  func alreadyReleased() throws {
    let fixture = try ReleaseFixture.make()
    try fixture.release().expect(exit: 0)
    // A commit that leaves the behavior alone is the same version.
    try fixture.repository.write("README.md", "A better bot.\n")
    try fixture.repository.commit("Docs")
    let again = try fixture.release(date: 1)
    again.expect(exit: 0)
    let id = try fixture.botId()
    #expect(
      again.stdout.contains(
        "bot \(id.prefix(17)): already released at \(fixture.baseline) (\(GateFixture.botTag(id)))")
    )
    #expect(try fixture.releaseTags().count == 1)
    #expect(fixture.calls().count == 3)
  }

  @Test("a change is gated against the last release; rolled back, it keeps its first release")
  func rollback() throws {
    let fixture = try ReleaseFixture.make()
    let first = try fixture.botId()
    try fixture.release(date: 0).expect(exit: 0)
    try fixture.rewordShipping()
    let second = try fixture.repository.commit("Reword")
    let secondId = try fixture.botId()
    let released = try fixture.release(date: 1)
    released.expect(exit: 0)
    #expect(
      released.stdout.contains(
        "smoke (release) bot \(first.prefix(17)) -> \(secondId.prefix(17)): pass"))
    let message = try fixture.repository.git(
      "tag", "-l", "--format=%(contents)", GateFixture.botTag(secondId))
    #expect(message.contains("PromptGate-Baseline: \(fixture.baseline)\n"))
    #expect(message.contains("PromptGate-Commit: \(second)\n"))
    // 3 for the first release, then 3 at the head (the baseline's are in the store).
    #expect(fixture.calls().count == 6)

    try fixture.repository.git("revert", "--no-edit", "HEAD")
    #expect(try fixture.botId() == first)
    let rolledBack = try fixture.release(date: 2)
    rolledBack.expect(exit: 0)
    #expect(rolledBack.stdout.contains("already released at \(fixture.baseline)"))
    #expect(
      try fixture.releaseTags()
        == [GateFixture.botTag(first), GateFixture.botTag(secondId)].sorted())
    #expect(fixture.calls().count == 6)
  }

  @Test("a release-tier regression exits 1 and tags nothing")
  func regression() throws {
    let fixture = try ReleaseFixture.make()
    try fixture.release().expect(exit: 0)
    try fixture.breakRefund()
    try fixture.repository.commit("Store credit only")
    let result = try fixture.release(date: 1)
    result.expect(exit: 1)
    #expect(result.stdout.contains(": REGRESSED"))
    #expect(result.stdout.contains("not released: the release tier regressed"))
    #expect(result.stderr.contains("regressed: smoke; nothing was released"))
    #expect(try fixture.releaseTags().count == 1)
    let json = try fixture.release(["--format", "json"], date: 1)
    json.expect(exit: 1)
    let document = try JSONOutput.object(json.stdout)
    #expect(document["status"] as? String == "regressed")
    let entries = try #require(document["behaviors"] as? [[String: Any]])
    #expect(entries.first?["status"] as? String == "regressed")
    #expect(try fixture.releaseTags().count == 1)
  }

  @Test("a case going 3/3 to 0/3, with no floor, fails the release and tags nothing")
  func threeToZero() throws {
    let fixture = try ReleaseFixture.make(
      mapping: GateResamplingTests.noFloor(["repeat: 3"]).replacingOccurrences(
        of: "tier: fast", with: "tier: release"))
    try fixture.release().expect(exit: 0)
    try fixture.breakRefund()
    try fixture.repository.commit("Store credit only")
    let result = try fixture.release(date: 1)
    result.expect(exit: 1)
    #expect(
      result.stdout.contains("refund regressed: baseline 15/15, head 0/15"), "\(result.stdout)")
    #expect(result.stderr.contains("nothing was released"))
    #expect(try fixture.releaseTags().count == 1)
  }

  @Test("a first release off a branch is gated against the merge-base with main, not 'no baseline'")
  func firstReleaseBaseline() throws {
    let fixture = try ReleaseFixture.make(
      mapping: GateResamplingTests.noFloor().replacingOccurrences(
        of: "tier: fast", with: "tier: release"))
    try fixture.repository.git("checkout", "-q", "-b", "release/1")
    try fixture.breakRefund()
    try fixture.repository.commit("Store credit only")
    let result = try fixture.release(["--format", "json"])
    result.expect(exit: 1)
    let document = try JSONOutput.object(result.stdout)
    let entries = try #require(document["behaviors"] as? [[String: Any]])
    #expect(entries.first?["baseline"] as? String == fixture.baseline)
    #expect(entries.first?["status"] as? String == "regressed")
    #expect(try fixture.releaseTags().isEmpty)
  }

  @Test("--allow-unevaluated tags a release whose sets could not run, and the tag says which")
  func allowUnevaluated() throws {
    let fixture = try ReleaseFixture.make()
    try fixture.release(environment: ["GATE_CRASH": "1"]).expect(exit: 3)
    #expect(try fixture.releaseTags().isEmpty)
    let allowed = try fixture.release(
      ["--allow-unevaluated"], environment: ["GATE_CRASH": "1"])
    allowed.expect(exit: 0)
    let tags = try fixture.releaseTags()
    try #require(tags.count == 1)
    let message = try fixture.repository.git("tag", "-l", "--format=%(contents)", tags[0])
    #expect(message.contains("PromptGate-Allowed-Unevaluated: smoke\n"))
    let list = try fixture.repository.run("promptgate-release", ["list", "--format", "json"])
    list.expect(exit: 0)
    #expect(list.stdout.contains("\"allowedUnevaluated\""), "\(list.stdout)")
  }

  @Test("a set that cannot be evaluated exits 3 and tags nothing")
  func unevaluable() throws {
    let fixture = try ReleaseFixture.make()
    let result = try fixture.release(environment: ["GATE_CRASH": "1"])
    result.expect(exit: 3)
    #expect(result.stdout.contains("smoke: NOT EVALUATED"))
    #expect(result.stdout.contains("not released: the release tier could not be evaluated"))
    #expect(result.stderr.contains("could not evaluate: smoke; nothing was released"))
    #expect(try fixture.releaseTags().isEmpty)
  }

  @Test("--format json: the status, each behavior with its tag and evals, and the gate document")
  func json() throws {
    let fixture = try ReleaseFixture.make()
    let result = try fixture.release(["--format", "json"])
    result.expect(exit: 0)
    let document = try JSONOutput.object(result.stdout)
    #expect(document["schemaVersion"] as? Int == 1)
    #expect(document["status"] as? String == "released")
    #expect(document["commit"] as? String == fixture.baseline)
    #expect(document["tier"] as? String == "release")
    let entry = try #require((document["behaviors"] as? [[String: Any]])?.first)
    #expect(entry["status"] as? String == "released")
    #expect(entry["id"] as? String == (try fixture.botId()))
    #expect(entry["tag"] as? String == GateFixture.botTag(try fixture.botId()))
    #expect(entry["baseline"] == nil || entry["baseline"] is NSNull)
    #expect((entry["evals"] as? [[String: Any]])?.first?["evalSet"] as? String == "smoke")
    let gates = try #require(document["gates"] as? [[String: Any]])
    #expect(gates.count == 1)
    #expect(gates.first?["status"] as? String == "pass")
  }

  @Test("no committer identity: exit 2 naming git config and the variables, before any eval")
  func missingIdentity() throws {
    let fixture = try ReleaseFixture.make()
    var environment = fixture.repository.environment.merging(fixture.environment) { $1 }
    for key in ["GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL"] {
      environment[key] = nil
    }
    let result = try Executable.run(
      "promptgate-release", [], in: fixture.repository.path, environment: environment)
    result.expect(exit: 2)
    #expect(result.stderr.contains("no committer identity"))
    #expect(result.stderr.contains("git config user.name"))
    #expect(result.stderr.contains("user.email"))
    #expect(result.stderr.contains("GIT_COMMITTER_NAME"))
    #expect(try fixture.releaseTags().isEmpty)
    #expect(fixture.calls().isEmpty)
  }

  @Test("usage errors exit 2: an unknown behavior, a revision without a mapping, an unknown remote")
  func usageErrors() throws {
    let fixture = try ReleaseFixture.make()
    let unknown = try fixture.release(["--behavior", "nosuch"])
    unknown.expect(exit: 2)
    #expect(unknown.stderr.contains("no behavior 'nosuch'"))
    let remote = try fixture.release(["--push", "nosuch"])
    remote.expect(exit: 2)
    #expect(remote.stderr.contains("'nosuch' is not a remote"))
    #expect(try fixture.releaseTags().isEmpty)
    #expect(fixture.calls().isEmpty)
    try fixture.repository.git("rm", "-q", "promptgate.yaml")
    try fixture.repository.commit("No mapping")
    let bare = try fixture.release()
    bare.expect(exit: 2)
    #expect(bare.stderr.contains("has no promptgate.yaml"))
  }

  /// The release fixture with a second behavior `twin`: the same prompt, its own model value,
  /// and no eval set.
  private func twins(model: String = "twin-model") throws -> GateFixture {
    try ReleaseFixture.make(
      mapping: GateFixture.mapping()
        .replacingOccurrences(of: "tier: fast", with: "tier: release")
        .replacingOccurrences(
          of: "providers:",
          with: "  twin:\n    prompt: [prompts/*.md]\n    model: {value: \(model)}\nproviders:"))
  }

  @Test("all or nothing: one behavior's regression holds back the others' releases")
  func allOrNothing() throws {
    let fixture = try twins()
    try fixture.release().expect(exit: 0)
    #expect(try fixture.releaseTags().count == 2)
    try fixture.breakRefund()
    try fixture.repository.commit("Store credit only")
    let result = try fixture.release(["--format", "json"], date: 1)
    result.expect(exit: 1)
    let document = try JSONOutput.object(result.stdout)
    let entries = try #require(document["behaviors"] as? [[String: Any]])
    #expect(entries.map { $0["behavior"] as? String } == ["bot", "twin"])
    #expect(entries.map { $0["status"] as? String } == ["regressed", "held"])
    #expect(try fixture.releaseTags().count == 2)
  }

  @Test("behaviors last released at different commits are gated against their own release")
  func separateBaselines() throws {
    let fixture = try twins()
    try fixture.release().expect(exit: 0)
    try fixture.repository.edit("promptgate.yaml", replacing: "twin-model", with: "twin-model-2")
    let twinRelease = try fixture.repository.commit("Twin model")
    let second = try fixture.release(date: 1)
    second.expect(exit: 0)
    #expect(second.stdout.contains("released twin"))
    #expect(second.stdout.contains("bot pgv1-"))
    #expect(second.stdout.contains(": already released at \(fixture.baseline)"))
    try fixture.rewordShipping()
    let head = try fixture.repository.commit("Reword")
    let third = try fixture.release(["--format", "json"], date: 2)
    third.expect(exit: 0)
    let document = try JSONOutput.object(third.stdout)
    #expect(document["status"] as? String == "released")
    let gates = try #require(document["gates"] as? [[String: Any]])
    let bases = gates.compactMap { ($0["base"] as? [String: Any])?["commit"] as? String }
    #expect(bases == [fixture.baseline, twinRelease])
    let entries = try #require(document["behaviors"] as? [[String: Any]])
    #expect(entries.map { $0["baseline"] as? String } == [fixture.baseline, twinRelease])
    #expect(
      entries.allSatisfy {
        $0["status"] as? String == "released" && $0["commit"] as? String == head
      })
    #expect(try fixture.releaseTags().count == 5)
  }
}
