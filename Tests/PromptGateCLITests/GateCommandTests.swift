import Foundation
import TestSupport
import Testing

/// `promptgate-gate` end to end: real repositories, a real exec harness, the real store.
@Suite("promptgate-gate")
struct GateCommandTests {
  /// The fixture with a second commit that breaks the refund case; returns it and that commit.
  private func brokenRefund(_ given: GateFixture? = nil) throws -> (GateFixture, String) {
    let fixture = try given ?? GateFixture()
    try fixture.breakRefund()
    return (fixture, try fixture.repository.commit("Store credit only"))
  }

  /// The only set of a JSON gate document.
  private func onlySet(_ document: [String: Any], sourceLocation: SourceLocation = #_sourceLocation)
    throws -> [String: Any]
  {
    let sets = try #require(document["sets"] as? [[String: Any]], sourceLocation: sourceLocation)
    try #require(sets.count == 1, "\(document)", sourceLocation: sourceLocation)
    return sets[0]
  }

  /// The case `id` of a set in a JSON gate document.
  private func caseEntry(
    _ set: [String: Any], _ id: String, sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> [String: Any] {
    let cases = try #require(set["cases"] as? [[String: Any]], sourceLocation: sourceLocation)
    return try #require(
      cases.first { $0["id"] as? String == id }, "no case \(id) in \(cases)",
      sourceLocation: sourceLocation)
  }

  private func statuses(_ set: [String: Any]) -> [String: String] {
    var result: [String: String] = [:]
    for entry in set["cases"] as? [[String: Any]] ?? [] {
      if let id = entry["id"] as? String { result[id] = entry["status"] as? String }
    }
    return result
  }

  // MARK: Verdicts

  @Test("a prompt change that breaks a case fails with 1 and names the set, case and assertion")
  func regressionText() throws {
    let (fixture, head) = try brokenRefund()
    let result = try fixture.gate(["--base", fixture.baseline, "--head", head])
    result.expect(exit: 1)
    #expect(result.stdout.contains("smoke (fast) bot "))
    #expect(result.stdout.contains(": REGRESSED"))
    #expect(result.stdout.contains("  regressed refund (baseline 15/15, head 0/15, p = 6.4e-9"))
    #expect(result.stdout.contains("icontains: expected output to contain 'refund'"))
    #expect(result.stdout.contains("output: We offer store credit only."))
    #expect(result.stdout.contains("head 2/3 passed"))
    #expect(result.stdout.contains("baseline 3/3"))
    #expect(!result.stdout.contains("regressed greeting"))
    #expect(result.stderr.contains("regressed: smoke"))
    // Three cases at each side, each run once; then the refund case, whose runs disagree, to 15
    // runs a side.
    #expect(fixture.calls().count == 6 + 28)
  }

  @Test("--format json: schemaVersion 2, status regressed, the case paired baseline pass/head fail")
  func regressionJSON() throws {
    let (fixture, head) = try brokenRefund()
    let result = try fixture.gate(["\(fixture.baseline)..\(head)", "--format", "json"])
    result.expect(exit: 1)
    let document = try JSONOutput.object(result.stdout)
    #expect(document["schemaVersion"] as? Int == 2)
    #expect(document["status"] as? String == "regressed")
    #expect(document["calls"] as? Int == 34)
    #expect(document["storedRuns"] as? Int == 0)
    #expect((document["notEvaluated"] as? [Any])?.isEmpty == true)
    let set = try onlySet(document)
    #expect(set["evalSet"] as? String == "smoke")
    #expect(set["behavior"] as? String == "bot")
    #expect(set["regressed"] as? Bool == true)
    #expect(set["headPassed"] as? Int == 2)
    #expect(set["baselinePassed"] as? Int == 3)
    #expect((set["headId"] as? String) != (set["baselineId"] as? String))
    #expect(statuses(set) == ["greeting": "passing", "refund": "regressed", "shipping": "passing"])
    let refund = try caseEntry(set, "refund")
    let headSide = try #require(refund["head"] as? [String: Any])
    let baseSide = try #require(refund["baseline"] as? [String: Any])
    #expect(headSide["pass"] as? Bool == false)
    #expect(baseSide["pass"] as? Bool == true)
    #expect(headSide["output"] as? String == "We offer store credit only.")
    let failures = try #require(headSide["failures"] as? [[String: Any]])
    #expect(failures.first?["type"] as? String == "icontains")
    #expect((failures.first?["reason"] as? String)?.contains("refund") == true)
    #expect((set["findings"] as? [String])?.contains { $0.contains("floor") } == true)
  }

  @Test("a change that breaks nothing passes with 0")
  func harmlessChange() throws {
    let fixture = try GateFixture()
    try fixture.rewordShipping()
    let head = try fixture.repository.commit("Reword")
    let result = try fixture.gate(["--base", fixture.baseline, "--head", head])
    result.expect(exit: 0)
    #expect(result.stdout.contains(": pass\n"))
    #expect(result.stdout.contains("head 3/3 passed"))
    #expect(fixture.calls().count == 6)
  }

  @Test("nothing selected: exit 0, the 'no eval set is selected' line, and no provider call")
  func nothingSelected() throws {
    let fixture = try GateFixture()
    try fixture.repository.write("README.md", "A better bot.\n")
    let head = try fixture.repository.commit("Docs")
    let result = try fixture.gate(["\(fixture.baseline)..\(head)", "--tier", "fast"])
    result.expect(exit: 0)
    #expect(result.stdout.contains("no fast eval set is selected"))
    let json = try fixture.gate(["\(fixture.baseline)..\(head)", "--format", "json"])
    json.expect(exit: 0)
    let document = try JSONOutput.object(json.stdout)
    #expect(document["status"] as? String == "pass")
    #expect((document["sets"] as? [Any])?.isEmpty == true)
    #expect(fixture.calls().isEmpty)
    // No store was made for nothing.
    #expect(
      !FileManager.default.fileExists(atPath: fixture.repository.absolute(".git/promptgate/store")))
  }

  // MARK: The store

  @Test("a second gate reads the store (no call); --refresh runs again with the same verdict")
  func storeAndRefresh() throws {
    let (fixture, head) = try brokenRefund()
    let range = "\(fixture.baseline)..\(head)"
    let first = try fixture.gate([range, "--format", "json"])
    first.expect(exit: 1)
    #expect(fixture.calls().count == 34)

    let second = try fixture.gate([range, "--format", "json"])
    second.expect(exit: 1)
    let stored = try JSONOutput.object(second.stdout)
    #expect(stored["calls"] as? Int == 0)
    #expect(stored["storedRuns"] as? Int == 34)
    #expect(stored["status"] as? String == "regressed")
    #expect(fixture.calls().count == 34)
    // The default store is in the git directory, out of the working tree.
    #expect(
      FileManager.default.fileExists(atPath: fixture.repository.absolute(".git/promptgate/store")))
    #expect(try fixture.repository.git("status", "--porcelain").isEmpty)

    let refreshed = try fixture.gate([range, "--format", "json", "--refresh"])
    refreshed.expect(exit: 1)
    let again = try JSONOutput.object(refreshed.stdout)
    #expect(again["calls"] as? Int == 34)
    #expect(again["status"] as? String == "regressed")
    #expect(statuses(try onlySet(again)) == statuses(try onlySet(stored)))
    #expect(fixture.calls().count == 68)
  }

  @Test("an unchanged behaviour is run once, not once per side")
  func unchangedBehaviorRunsOnce() throws {
    let fixture = try GateFixture(mapping: GateFixture.mapping(set: ["repeat: 2"]))
    // Only the set's definition changes: it is selected, and the behavior is the same.
    try fixture.repository.write(
      "promptgate.yaml", GateFixture.mapping(set: ["repeat: 2", "alpha: 0.1"]))
    let head = try fixture.repository.commit("Looser alpha")
    let result = try fixture.gate(["\(fixture.baseline)..\(head)", "--format", "json"])
    result.expect(exit: 0)
    let document = try JSONOutput.object(result.stdout)
    let set = try onlySet(document)
    #expect(set["headId"] as? String == set["baselineId"] as? String)
    #expect(document["calls"] as? Int == 6)
    // Three cases, two repeats: six runs, not twelve.
    #expect(fixture.calls().count == 6)
    #expect(statuses(set).values.allSatisfy { $0 == "passing" })
  }

  @Test(
    "editing only an assertion re-scores the stored outputs without a call and flips the verdict")
  func assertionOnlyEdit() throws {
    let (fixture, broken) = try brokenRefund()
    try fixture.gate(["\(fixture.baseline)..\(broken)"]).expect(exit: 1)
    #expect(fixture.calls().count == 34)
    // Same id and vars, a different assertion that the new answer also meets.
    try fixture.repository.write(
      "evals/smoke.jsonl",
      GateFixture.cases.replacingOccurrences(
        of: GateFixture.caseLine("refund", "icontains", "refund"),
        with: GateFixture.caseLine("refund", "icontains", "we offer")))
    let head = try fixture.repository.commit("Accept store credit")
    let result = try fixture.gate(["\(fixture.baseline)..\(head)", "--format", "json"])
    result.expect(exit: 0)
    let document = try JSONOutput.object(result.stdout)
    #expect(document["calls"] as? Int == 0)
    #expect(document["status"] as? String == "pass")
    #expect(try caseEntry(try onlySet(document), "refund")["status"] as? String == "passing")
    #expect(fixture.calls().count == 34)
  }

  // MARK: Repeats

  @Test(
    "repeat 3, passAtLeast 2 without re-sampling: one failing repeat passes the case, two fail it")
  func repeats() throws {
    // `adaptive: false`: the first three runs are all there is, so `passAtLeast` and the floor
    // decide (re-sampling is tested in GateResamplingTests).
    let fixture = try GateFixture(
      mapping: GateFixture.mapping(set: ["repeat: 3", "passAtLeast: 2", "adaptive: false"]))
    try fixture.repository.write("prompts/system.md", GateFixture.prompt + "flaky: 1\n")
    let oneFlake = try fixture.repository.commit("One flaky repeat")
    let tolerated = try fixture.gate(["\(fixture.baseline)..\(oneFlake)", "--format", "json"])
    tolerated.expect(exit: 0)
    let passing = try onlySet(try JSONOutput.object(tolerated.stdout))
    let refund = try #require(try caseEntry(passing, "refund")["head"] as? [String: Any])
    #expect(refund["passes"] as? Int == 2)
    #expect(refund["runs"] as? Int == 3)
    #expect(refund["pass"] as? Bool == true)
    #expect(statuses(passing).values.allSatisfy { $0 == "passing" })
    // Three cases, three repeats, two sides.
    #expect(fixture.calls().count == 18)

    try fixture.repository.write("prompts/system.md", GateFixture.prompt + "flaky: 0,2\n")
    let twoFlakes = try fixture.repository.commit("Two flaky repeats")
    let failed = try fixture.gate(["\(fixture.baseline)..\(twoFlakes)"])
    failed.expect(exit: 1)
    #expect(failed.stdout.contains("unconfirmed refund (baseline 3/3, head 1/3"))
    #expect(failed.stdout.contains("fell below the floor 100%"))
    // The baseline's nine runs came from the store.
    #expect(fixture.calls().count == 27)
  }

  // MARK: Could not evaluate

  @Test("a harness that exits non-zero: exit 3 'could not evaluate', not 1; warn lets it pass")
  func harnessFailure() throws {
    let (fixture, head) = try brokenRefund()
    let range = "\(fixture.baseline)..\(head)"
    let failed = try fixture.gate([range], environment: ["GATE_CRASH": "1"])
    failed.expect(exit: 3)
    #expect(failed.stderr.contains("could not evaluate: smoke"))
    #expect(failed.stdout.contains("smoke: NOT EVALUATED"))
    #expect(failed.stdout.contains("the model is unreachable"))
    #expect(!failed.stdout.contains("REGRESSED"))

    let warned = try fixture.gate(
      [range, "--on-unavailable", "warn"], environment: ["GATE_CRASH": "1"])
    warned.expect(exit: 0)
    #expect(warned.stderr.contains("warning: could not evaluate smoke"))

    let json = try fixture.gate([range, "--format", "json"], environment: ["GATE_CRASH": "1"])
    json.expect(exit: 3)
    let document = try JSONOutput.object(json.stdout)
    #expect(document["status"] as? String == "unavailable")
    let skipped = try #require(document["notEvaluated"] as? [[String: Any]])
    #expect(skipped.map { $0["evalSet"] as? String } == ["smoke"])
    // Nothing was stored: a fixed harness gets a verdict.
    try fixture.gate([range]).expect(exit: 1)
  }

  @Test("--max-calls stops the run with 3; the rerun redoes none of what finished")
  func spendingCap() throws {
    let (fixture, head) = try brokenRefund()
    let range = "\(fixture.baseline)..\(head)"
    let capped = try fixture.gate([range, "--store", fixture.store, "--max-calls", "2"])
    capped.expect(exit: 3)
    #expect(capped.stdout.contains("cap of 2 calls"))
    #expect(capped.stderr.contains("could not evaluate"))
    #expect(fixture.calls().count == 2)
    #expect(fixture.resultFiles().count == 2)

    let resumed = try fixture.gate([range, "--store", fixture.store, "--format", "json"])
    resumed.expect(exit: 1)
    let document = try JSONOutput.object(resumed.stdout)
    #expect(document["calls"] as? Int == 4 + 28)
    #expect(document["storedRuns"] as? Int == 2)
    #expect(fixture.calls().count == 34)
    #expect(Set(fixture.calls()).count == 34)
  }

  @Test("limits.maxCalls in the mapping caps the run as --max-calls does")
  func mappingCap() throws {
    let fixture = try GateFixture(mapping: GateFixture.mapping(top: ["limits: {maxCalls: 1}"]))
    try fixture.breakRefund()
    let head = try fixture.repository.commit("Break")
    let capped = try fixture.gate(["\(fixture.baseline)..\(head)"])
    capped.expect(exit: 3)
    #expect(capped.stdout.contains("cap of 1 calls"))
    #expect(fixture.calls().count == 1)
  }

  @Test("a killed gate resumes: finished runs are not redone and the verdict is right")
  func killedRunResumes() throws {
    let fixture = try GateFixture(
      mapping: GateFixture.mapping(
        provider:
          "harness: {type: exec, command: [python3, evals/harness.py], concurrency: 8, timeout: 20}"
      ))
    try fixture.breakRefund()
    let head = try fixture.repository.commit("Break")
    let block = fixture.repository.container + "/block"
    _ = FileManager.default.createFile(atPath: block, contents: Data())
    defer { try? FileManager.default.removeItem(atPath: block) }

    let process = Process()
    process.executableURL = URL(fileURLWithPath: try Executable.path("promptgate-gate"))
    process.arguments = ["\(fixture.baseline)..\(head)", "--store", fixture.store]
    process.currentDirectoryURL = URL(fileURLWithPath: fixture.repository.path)
    process.environment = fixture.repository.environment.merging(
      fixture.environment.merging(["GATE_SLOW": "refund", "GATE_BLOCK": block]) { $1 }
    ) { $1 }
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    // The greeting and shipping runs of both sides finish; the refund runs wait on `block`.
    // Wait for all six to have started too, so that no harness logs after the kill.
    let deadline = Date().addingTimeInterval(20)
    while fixture.resultFiles().count < 4 || fixture.calls().count < 6, process.isRunning,
      Date() < deadline
    {
      Thread.sleep(forTimeInterval: 0.02)
    }
    let finished = fixture.resultFiles().count
    #expect(process.isRunning, "the gate ended before it was killed")
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
    try FileManager.default.removeItem(atPath: block)
    try #require(finished == 4, "results stored before the kill: \(finished)")
    #expect(fixture.calls(of: "greeting") == 2)
    #expect(fixture.calls(of: "shipping") == 2)
    #expect(fixture.calls(of: "refund") == 2)

    let resumed = try fixture.gate(
      ["\(fixture.baseline)..\(head)", "--store", fixture.store, "--format", "json"])
    resumed.expect(exit: 1)
    let document = try JSONOutput.object(resumed.stdout)
    // The two interrupted refund runs, then the refund case re-sampled to 15 runs a side.
    #expect(document["calls"] as? Int == 2 + 28)
    #expect(document["storedRuns"] as? Int == 4)
    #expect(statuses(try onlySet(document))["refund"] == "regressed")
    #expect(fixture.calls(of: "greeting") == 2)
    #expect(fixture.calls(of: "shipping") == 2)
    // The two interrupted refund runs are the only ones made again (then 28 new repeats).
    #expect(fixture.calls(of: "refund") == 4 + 28)
  }

  // MARK: What decides

  @Test("a behavior new at the head: its cases are 'new', never regressions")
  func newBehavior() throws {
    let fixture = try GateFixture()
    // A second behavior and a set for it, added at the head; one of its cases fails.
    let mapping = GateFixture.mapping().replacingOccurrences(
      of: "providers:",
      with:
        "  helper:\n    prompt: [prompts/system.md]\n    model: {value: helper-model}\nproviders:")
    try fixture.repository.write(
      "promptgate.yaml",
      mapping + """
          helper-smoke:
            tier: fast
            provider: harness
            files: [evals/harness.py]
            cases: evals/helper.jsonl
            protects: {helper: [prompt]}

        """)
    try fixture.repository.write(
      "evals/helper.jsonl",
      GateFixture.caseLine("h-greeting", topic: "greeting", "icontains", "hello") + "\n"
        + GateFixture.caseLine("h-refund", topic: "refund", "icontains", "never said") + "\n")
    let head = try fixture.repository.commit("Add a helper")
    try fixture.repository.run("promptgate-check-config", []).expect(exit: 0)
    let result = try fixture.gate(["\(fixture.baseline)..\(head)", "--format", "json"])
    result.expect(exit: 0)
    let document = try JSONOutput.object(result.stdout)
    let sets = try #require(document["sets"] as? [[String: Any]])
    let helper = try #require(sets.first { $0["evalSet"] as? String == "helper-smoke" })
    #expect(helper["regressed"] as? Bool == false)
    #expect(helper["baselineId"] == nil)
    #expect(statuses(helper) == ["h-greeting": "new", "h-refund": "new"])
    let failing = try #require(try caseEntry(helper, "h-refund")["head"] as? [String: Any])
    #expect(failing["pass"] as? Bool == false)
    // Only the head ran: two cases, once each.
    #expect(fixture.calls().count == 2)
  }

  @Test("a case removed from the head's file is listed as removed")
  func removedCase() throws {
    let fixture = try GateFixture()
    try fixture.repository.write(
      "evals/smoke.jsonl",
      GateFixture.caseLine("greeting", "icontains", "hello") + "\n"
        + GateFixture.caseLine("refund", "icontains", "refund") + "\n")
    try fixture.rewordShipping()
    let head = try fixture.repository.commit("Drop shipping")
    let result = try fixture.gate(["\(fixture.baseline)..\(head)", "--format", "json"])
    result.expect(exit: 0)
    let set = try onlySet(try JSONOutput.object(result.stdout))
    #expect(set["removedCases"] as? [String] == ["shipping"])
    #expect(statuses(set) == ["greeting": "passing", "refund": "passing"])
    let text = try fixture.gate(["\(fixture.baseline)..\(head)"])
    #expect(text.stdout.contains("  removed: shipping\n"))
  }

  @Test("a case added at the head runs on the baseline's behaviour too: paired, not 'new'")
  func addedCase() throws {
    let fixture = try GateFixture(mapping: GateFixture.mapping(set: ["quarantine: [refund]"]))
    // The new case checks the refund answer, and the same commit breaks that answer.
    try fixture.repository.write(
      "evals/smoke.jsonl",
      GateFixture.cases
        + GateFixture.caseLine("refund-again", topic: "refund", "icontains", "30 days") + "\n")
    try fixture.breakRefund()
    let head = try fixture.repository.commit("New case")
    let result = try fixture.gate(["\(fixture.baseline)..\(head)", "--format", "json"])
    result.expect(exit: 1)
    let set = try onlySet(try JSONOutput.object(result.stdout))
    let added = try caseEntry(set, "refund-again")
    #expect(added["status"] as? String == "regressed")
    #expect((added["baseline"] as? [String: Any])?["pass"] as? Bool == true)
    #expect((set["removedCases"] as? [String])?.isEmpty == true)
  }

  @Test("a quarantined case that regresses is reported and does not decide")
  func quarantine() throws {
    let fixture = try GateFixture(mapping: GateFixture.mapping(set: ["quarantine: [refund]"]))
    let (_, head) = try brokenRefund(fixture)
    let result = try fixture.gate(["\(fixture.baseline)..\(head)", "--format", "json"])
    result.expect(exit: 0)
    let set = try onlySet(try JSONOutput.object(result.stdout))
    #expect(set["regressed"] as? Bool == false)
    #expect(statuses(set)["refund"] == "quarantined")
    #expect(set["headCases"] as? Int == 2)
    let text = try fixture.gate(["\(fixture.baseline)..\(head)"])
    text.expect(exit: 0)
    #expect(text.stdout.contains("  quarantined refund"))
  }

  // MARK: Sides

  @Test("--staged gates the index: an unstaged breaking edit is not seen")
  func stagedReadsIndex() throws {
    let fixture = try GateFixture()
    try fixture.rewordShipping()
    try fixture.repository.git("add", "-A")
    try fixture.breakRefund()
    let staged = try fixture.gate(["--staged", "--format", "json"])
    staged.expect(exit: 0)
    let document = try JSONOutput.object(staged.stdout)
    #expect((document["head"] as? [String: Any])?["side"] as? String == "index")
    #expect(statuses(try onlySet(document))["refund"] == "passing")
    // The working tree's edit does break it: the index was what made the difference.
    let worktree = try fixture.gate(["--worktree"])
    worktree.expect(exit: 1)
    #expect(worktree.stdout.contains("regressed refund"))
  }

  @Test("the default store is shared by linked worktrees: the same gate there makes no call")
  func worktreeSharesStore() throws {
    let (fixture, head) = try brokenRefund()
    let range = "\(fixture.baseline)..\(head)"
    try fixture.gate([range]).expect(exit: 1)
    #expect(fixture.calls().count == 34)
    let linked = fixture.repository.container + "/linked"
    try fixture.repository.git("worktree", "add", "-q", linked, fixture.baseline)
    let result = try Executable.run(
      "promptgate-gate", [range, "--format", "json"], in: linked,
      environment: fixture.repository.environment.merging(fixture.environment) { $1 })
    result.expect(exit: 1)
    let document = try JSONOutput.object(result.stdout)
    #expect(document["calls"] as? Int == 0)
    #expect(document["storedRuns"] as? Int == 34)
    #expect(fixture.calls().count == 34)
    #expect(!FileManager.default.fileExists(atPath: linked + "/.git/promptgate"))
  }

  // MARK: Bad input

  @Test("a malformed cases line: exit 2 naming the file and the line, no call")
  func malformedCase() throws {
    let fixture = try GateFixture()
    try fixture.repository.write(
      "evals/smoke.jsonl",
      GateFixture.caseLine("greeting", "icontains", "hello") + "\n{\"id\": \"refund\", \"vars\": \n"
    )
    try fixture.rewordShipping()
    let head = try fixture.repository.commit("Bad line")
    let result = try fixture.gate(["\(fixture.baseline)..\(head)"])
    result.expect(exit: 2)
    #expect(result.stderr.contains("evals/smoke.jsonl:2"), "\(result)")
    #expect(result.stderr.contains("malformed JSON"))
    #expect(fixture.calls().isEmpty)
  }

  @Test("an unknown assertion type: exit 2 naming it")
  func unknownAssertion() throws {
    let fixture = try GateFixture()
    try fixture.repository.write(
      "evals/smoke.jsonl",
      GateFixture.cases.replacingOccurrences(of: "\"contains\"", with: "\"contians\""))
    try fixture.rewordShipping()
    let head = try fixture.repository.commit("Typo")
    let result = try fixture.gate(["\(fixture.baseline)..\(head)"])
    result.expect(exit: 2)
    #expect(result.stderr.contains("unknown assertion type 'contians'"), "\(result)")
    #expect(result.stderr.contains("evals/smoke.jsonl:3"))
    #expect(fixture.calls().isEmpty)
  }

  @Test("an eval set naming an undefined provider: exit 2, and check-config reports it too")
  func undefinedProvider() throws {
    let fixture = try GateFixture()
    try fixture.repository.write(
      "promptgate.yaml",
      GateFixture.mapping().replacingOccurrences(
        of: "provider: harness", with: "provider: harnes"))
    try fixture.rewordShipping()
    let head = try fixture.repository.commit("Typo in the provider")
    let result = try fixture.gate(["\(fixture.baseline)..\(head)"])
    result.expect(exit: 2)
    #expect(result.stderr.contains("'harnes'"), "\(result)")
    #expect(result.stderr.contains("promptgate.yaml"))
    #expect(fixture.calls().isEmpty)
    let check = try fixture.repository.run("promptgate-check-config", [])
    check.expect(exit: 2)
    #expect(check.stderr.contains("'harnes'"))
  }

  @Test("what to gate is required: no sides is a usage error")
  func usage() throws {
    let fixture = try GateFixture()
    let result = try fixture.gate([])
    result.expect(exit: 2)
    #expect(result.stderr.contains("--staged"))
  }
}
