import Foundation
import TestSupport
import Testing

/// `promptgate-rollback` end to end: the built binary, real `git commit` and its hooks.
@Suite("promptgate-rollback")
struct RollbackCommandTests {
  private func rollback(_ fixture: GateFixture, _ arguments: [String]) throws -> CommandResult {
    try fixture.repository.run(
      "promptgate-rollback", arguments, environment: fixture.environment)
  }

  @Test("--commit commits only the restored paths through the hooks; the gate reads stored results")
  func commitThroughHooks() throws {
    let fixture = try GateFixture()
    try fixture.installHook()
    let repository = fixture.repository
    let baselineID = try fixture.botId()
    // A change the fast gate lets through: the hook runs both sides and stores their results.
    try fixture.rewordShipping()
    try repository.git("add", "-A")
    try repository.runProgram(
      "git", ["commit", "-q", "-m", "Reword shipping"], environment: fixture.environment
    ).expect(exit: 0)
    let changedID = try fixture.botId()
    let calls = fixture.calls().count
    #expect(calls > 0)
    // Another staged change, which the rollback commit must leave staged and uncommitted.
    try repository.write("README.md", "A bot, documented.\n")
    try repository.git("add", "README.md")

    let result = try rollback(fixture, ["bot", "--to", fixture.baseline, "--commit"])
    result.expect(exit: 0)
    #expect(result.stdout.contains("proof: the working tree's bot is now \(baselineID)"))
    #expect(result.stdout.contains("    restore   prompts/system.md"))
    #expect(result.stdout.contains("committed "))
    // The pre-commit gate ran on the rollback commit and found both versions in the store.
    #expect(result.stdout.contains("0 calls made"), "\(result)")
    #expect(fixture.calls().count == calls)
    #expect(try fixture.botId() == baselineID)
    #expect(try repository.read("prompts/system.md") == GateFixture.prompt)
    let message = try repository.git("log", "-1", "--format=%B")
    #expect(message.hasPrefix("Roll back bot to \(baselineID.dropFirst(5).prefix(12))\n"))
    #expect(message.contains("Behavior-Version: \(baselineID)\nRolled-Back-From: \(changedID)\n"))
    #expect(try repository.git("show", "--format=", "--name-only", "HEAD") == "prompts/system.md\n")
    #expect(try repository.git("diff", "--cached", "--name-only") == "README.md\n")
  }

  @Test("--dry-run --format json prints the plan and changes nothing; exit codes for refusals")
  func jsonAndExitCodes() throws {
    let fixture = try GateFixture()
    let repository = fixture.repository
    let baselineID = try fixture.botId()
    try fixture.breakRefund()
    try repository.commit("Store credit only")
    let headID = try fixture.botId()

    let planned = try rollback(fixture, ["bot", "--to", "HEAD~1", "--dry-run", "--format", "json"])
    planned.expect(exit: 0)
    let outcome = try JSONOutput.object(planned.stdout)
    #expect(outcome["schemaVersion"] as? Int == 1)
    #expect(outcome["status"] as? String == "planned")
    let plan = try #require(outcome["plan"] as? [String: Any])
    #expect(plan["to"] as? String == baselineID)
    #expect(plan["from"] as? String == headID)
    #expect(plan["paths"] as? [String] == ["prompts/system.md"])
    let target = try #require(plan["target"] as? [String: Any])
    #expect(target["kind"] as? String == "revision")
    #expect(target["commit"] as? String == fixture.baseline)
    let components = try #require(plan["components"] as? [[String: Any]])
    #expect(components.first?["component"] as? String == "prompt")
    #expect(components.first?["status"] as? String == "restore")
    #expect(try repository.read("prompts/system.md").contains(GateFixture.brokenRefund))

    let unknown = try rollback(fixture, ["bot", "--to", "no-such-revision"])
    unknown.expect(exit: 2)
    #expect(unknown.stderr.contains("unknown revision 'no-such-revision'"))

    let noBehavior = try rollback(fixture, ["nobody", "--to", "HEAD~1"])
    noBehavior.expect(exit: 2)
    #expect(noBehavior.stderr.contains("nobody is not defined or not present at"))

    try repository.edit("prompts/system.md", replacing: "Hello", with: "Hi")
    let dirty = try rollback(fixture, ["bot", "--to", "HEAD~1"])
    dirty.expect(exit: 2)
    #expect(dirty.stderr.contains("uncommitted changes in prompts/system.md"))
    #expect(try repository.read("prompts/system.md").contains("Hi, how"))
    let forced = try rollback(fixture, ["bot", "--to", "HEAD~1", "--force"])
    forced.expect(exit: 0)
    #expect(try repository.read("prompts/system.md") == GateFixture.prompt)
  }

  @Test("a hook that refuses the rollback commit exits 1 and leaves the restored paths staged")
  func hookRefuses() throws {
    let fixture = try GateFixture()
    let repository = fixture.repository
    // A broken prompt committed past the hook, then fixed: rolling back to it regresses.
    try fixture.breakRefund()
    let broken = try repository.commit("Store credit only")
    try repository.edit(
      "prompts/system.md", replacing: GateFixture.brokenRefund, with: GateFixture.refundLine)
    let fixed = try repository.commit("Refunds again")
    try fixture.installHook()
    let result = try rollback(fixture, ["bot", "--to", broken, "--commit"])
    result.expect(exit: 1)
    #expect(result.stdout.contains("REGRESSED"), "\(result)")
    #expect(result.stderr.contains("git commit refused the commit"))
    #expect(try repository.head() == fixed)
    #expect(try repository.git("diff", "--cached", "--name-only") == "prompts/system.md\n")
    #expect(try repository.read("prompts/system.md").contains(GateFixture.brokenRefund))
  }
}
