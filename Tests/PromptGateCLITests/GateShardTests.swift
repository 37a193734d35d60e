import Foundation
import TestSupport
import Testing

/// `--shard i/n` and `promptgate gate merge`: the CI's job matrix spreads one gate's cases.
@Suite("gate shards")
struct GateShardTests {
  /// A fixture with ten cases and a commit that breaks the refund case.
  func brokenRefund() throws -> (GateFixture, String, String) {
    var cases = GateFixture.cases
    for index in 0..<7 {
      cases +=
        GateFixture.caseLine("greeting-\(index)", topic: "greeting", "icontains", "hello")
        + "\n"
    }
    let fixture = try GateFixture(files: ["evals/smoke.jsonl": cases])
    let base = try fixture.repository.head()
    try fixture.breakRefund()
    return (fixture, base, try fixture.repository.commit("Store credit only"))
  }

  @Test(
    "shards run disjoint cases that cover the set; merge gives the unsharded verdict without a call"
  )
  func shardsAndMerge() throws {
    let (fixture, base, head) = try brokenRefund()
    let container = fixture.repository.container
    var files: [String] = []
    for index in 1...3 {
      let file = "\(container)/shard-\(index).json"
      let result = try fixture.gate(
        [
          "--base", base, "--head", head, "--shard", "\(index)/3", "--shard-output", file,
          "--store", "\(container)/store-\(index)", "--format", "json",
        ])
      #expect([0, 1].contains(result.exitCode), "\(result)")
      files.append(file)
    }
    // Every case ran at both sides exactly once over all shards, and the refund case, whose
    // runs disagreed, was re-sampled by its own shard to 15 runs a side.
    #expect(fixture.calls().count == 20 + 28, "\(fixture.calls())")
    #expect(Set(fixture.calls()).count == 20 + 28)
    let callsBefore = fixture.calls().count

    let merged = try fixture.repository.run(
      "promptgate-gate",
      ["merge"] + files + ["--store", "\(container)/merged", "--format", "json"],
      environment: fixture.environment)
    merged.expect(exit: 1)
    #expect(fixture.calls().count == callsBefore, "merge called the provider")
    let document = try #require(
      try JSONSerialization.jsonObject(with: Data(merged.stdout.utf8)) as? [String: Any])
    #expect(document["status"] as? String == "regressed")
    #expect(document["calls"] as? Int == 0)

    let whole = try fixture.gate(
      ["--base", base, "--head", head, "--store", "\(container)/merged", "--format", "json"])
    whole.expect(exit: 1)
    let unsharded = try #require(
      try JSONSerialization.jsonObject(with: Data(whole.stdout.utf8)) as? [String: Any])
    let mergedSets = document["sets"] as? [[String: Any]]
    let wholeSets = unsharded["sets"] as? [[String: Any]]
    #expect(mergedSets?.first?["headPassed"] as? Int == wholeSets?.first?["headPassed"] as? Int)
    #expect(mergedSets?.first?["headCases"] as? Int == 10)
  }

  @Test("merge refuses a missing shard, a shard given twice, and shards of different commits")
  func mergeRefuses() throws {
    let (fixture, base, head) = try brokenRefund()
    let container = fixture.repository.container
    func shard(_ index: Int, of count: Int, base: String, head: String) throws -> String {
      let file = "\(container)/shard-\(index)-\(count)-\(head.prefix(6)).json"
      _ = try fixture.gate(
        ["--base", base, "--head", head, "--shard", "\(index)/\(count)", "--shard-output", file])
      return file
    }
    let one = try shard(1, of: 2, base: base, head: head)
    let two = try shard(2, of: 2, base: base, head: head)
    let missing = try fixture.repository.run("promptgate-gate", ["merge", one])
    missing.expect(exit: 2)
    #expect(missing.stderr.contains("missing shards: 2/2"))
    let twice = try fixture.repository.run("promptgate-gate", ["merge", one, one, two])
    twice.expect(exit: 2)
    #expect(twice.stderr.contains("given twice"))
    let other = try shard(2, of: 2, base: base, head: base)
    let mixed = try fixture.repository.run("promptgate-gate", ["merge", one, other])
    mixed.expect(exit: 2)
    #expect(mixed.stderr.contains("not one gate"))
  }

  @Test("--shard needs --shard-output and takes i/n; a shard posts no status")
  func shardUsage() throws {
    let fixture = try GateFixture()
    let head = try fixture.repository.head()
    for arguments in [
      ["--base", head, "--head", head, "--shard", "1/2"],
      ["--base", head, "--head", head, "--shard", "3/2", "--shard-output", "x.json"],
      ["--base", head, "--head", head, "--shard", "1/2", "--shard-output", "x", "--github-status"],
    ] {
      try fixture.gate(arguments).expect(exit: 2)
    }
  }
}
