import Foundation
import TestSupport
import Testing

/// `promptgate-store prune`: a missing store, and what `--dry-run` lists.
@Suite("promptgate-store prune")
struct StorePruneTests {
  @Test(
    "--store naming a directory that does not exist exits 2 naming it and creates nothing",
    arguments: [[], ["--dry-run"]])
  func missingStore(extra: [String]) throws {
    let fixture = try GateFixture()
    let missing = fixture.repository.container + "/no-such-store"
    let result = try fixture.repository.run(
      "promptgate-store", ["prune", "--store", missing] + extra)
    result.expect(exit: 2)
    #expect(result.stdout.isEmpty)
    #expect(result.stderr.contains("no result store at \(missing)"), "\(result)")
    #expect(!FileManager.default.fileExists(atPath: missing))
  }

  @Test("with no gate run yet, the default store is not created and nothing is pruned")
  func missingDefaultStore() throws {
    let fixture = try GateFixture()
    let result = try fixture.repository.run("promptgate-store", ["prune"])
    result.expect(exit: 0)
    #expect(result.stderr.contains("nothing to prune"), "\(result)")
    #expect(
      !FileManager.default.fileExists(
        atPath: fixture.repository.absolute(".git/promptgate/store")))
  }

  @Test("--dry-run lists each result with its behavior, version, eval set, case and repeat")
  func dryRunListing() throws {
    let fixture = try GateFixture()
    try fixture.breakRefund()
    let broken = try fixture.repository.commit("Store credit only")
    try fixture.gate(["--base", fixture.baseline, "--head", broken, "--store", fixture.store])
    let brokenId = try fixture.repository.run(
      "promptgate-version", ["--rev", broken, "--format", "env"]
    ).stdout.split(separator: "'")[1].prefix(17)
    _ = try fixture.repository.git("reset", "-q", "--hard", fixture.baseline)
    _ = try fixture.repository.git("reflog", "expire", "--expire=now", "--all")

    let dry = try fixture.repository.run(
      "promptgate-store", ["prune", "--store", fixture.store, "--dry-run"])
    dry.expect(exit: 0)
    let lines = dry.stdout.split(separator: "\n").map(String.init)
    // The refund case disagreed, so the gate re-sampled it to 15 runs a side.
    let expected =
      ["greeting repeat 0", "shipping repeat 0"] + (0..<15).map { "refund repeat \($0)" }
    let listed = lines.map { line -> String in
      #expect(line.hasPrefix("bot \(brokenId) smoke "), "\(line)")
      #expect(line.hasSuffix(".json") && line.contains("  results/"), "\(line)")
      let fields = line.split(separator: " ")
      return fields.count > 5 ? "\(fields[3]) repeat \(fields[5])" : line
    }
    #expect(listed.sorted() == expected.sorted(), "\(dry)")
    #expect(
      dry.stderr.contains(
        "would remove \(expected.count) results; kept \(expected.count) results of"),
      "\(dry)")
    #expect(fixture.resultFiles().count == 2 * expected.count)
  }
}
