import Foundation
import TestSupport
import Testing

/// `promptgate-store`: where the store is, and pruning what no recent commit needs.
@Suite("promptgate-store")
struct StoreCommandTests {
  @Test("path names the store in the common git directory, or --store")
  func path() throws {
    let fixture = try GateFixture()
    let result = try fixture.repository.run("promptgate-store", ["path"])
    result.expect(exit: 0)
    #expect(result.stdout.hasSuffix(".git/promptgate/store\n"), "\(result)")
  }

  @Test("prune keeps the versions branches need and removes the rest; --dry-run removes nothing")
  func prune() throws {
    let fixture = try GateFixture()
    try fixture.breakRefund()
    let broken = try fixture.repository.commit("Store credit only")
    try fixture.gate(["--base", fixture.baseline, "--head", broken, "--store", fixture.store])
    let before = fixture.resultFiles()
    // Three cases a side, and the refund case re-sampled to 15 runs a side: 17 per version.
    #expect(before.count == 34)

    // The broken commit leaves every branch: its version's results are no longer needed.
    _ = try fixture.repository.git("reset", "-q", "--hard", fixture.baseline)
    _ = try fixture.repository.git("reflog", "expire", "--expire=now", "--all")
    let dry = try fixture.repository.run(
      "promptgate-store", ["prune", "--store", fixture.store, "--dry-run"])
    dry.expect(exit: 0)
    #expect(dry.stdout.split(separator: "\n").count == 17, "\(dry)")
    #expect(dry.stderr.contains("would remove 17 results"))
    #expect(fixture.resultFiles().count == 34)

    let pruned = try fixture.repository.run(
      "promptgate-store", ["prune", "--store", fixture.store])
    pruned.expect(exit: 0)
    #expect(pruned.stderr.contains("removed 17 results"))
    #expect(fixture.resultFiles().count == 17)

    // What remains is what the baseline needs: gating it again makes no call.
    let calls = fixture.calls().count
    try fixture.breakRefund()
    _ = try fixture.repository.git("add", "-A")
    try fixture.gate(["--staged", "--store", fixture.store])
    #expect(fixture.calls().count == calls + 17)
  }
}
