import Foundation
import TestSupport
import Testing

/// Two gates over one result store at once (two CI jobs on a shared cache, a hook and a manual
/// gate) make each call once: one claims a run, the other waits and reads what it stored.
@Suite("Concurrent gates on one store")
struct ConcurrentGateTests {
  /// Twelve cases over the fixture's three topics, ids `c01`..`c12`.
  static let cases =
    (1...12).map { index in
      let topic = ["greeting", "refund", "shipping"][index % 3]
      let check = ["hello", "refund", "ship"][index % 3]
      return GateFixture.caseLine(
        String(format: "c%02d", index), topic: topic, "icontains", check)
    }.joined(separator: "\n") + "\n"

  @Test("two gates started together make every call once between them, and agree")
  func twoGatesPayOnce() throws {
    let fixture = try GateFixture(files: ["evals/smoke.jsonl": Self.cases])
    try fixture.rewordShipping()
    let head = try fixture.repository.commit("Reword shipping")
    let block = fixture.repository.container + "/block"
    FileManager.default.createFile(atPath: block, contents: Data())
    // Every case waits while the block file exists, so that both gates are under way together.
    let environment = ["GATE_SLOW": "c", "GATE_BLOCK": block]
    let results = LockedResults()
    let group = DispatchGroup()
    // Each thread only runs the command; the fixture is not changed while they run.
    nonisolated(unsafe) let shared = fixture
    for _ in 0..<2 {
      group.enter()
      DispatchQueue.global().async {
        let result = try? shared.gate(
          ["\(shared.baseline)..\(head)", "--store", shared.store, "--format", "json"],
          environment: environment)
        results.append(result)
        group.leave()
      }
    }
    // The first calls have started (up to four at once) and the second gate is under way,
    // waiting on their claims, before any finishes.
    let started = Date()
    while fixture.calls().count < 4, Date().timeIntervalSince(started) < 20 {
      Thread.sleep(forTimeInterval: 0.05)
    }
    Thread.sleep(forTimeInterval: 1)
    try FileManager.default.removeItem(atPath: block)
    #expect(group.wait(timeout: .now() + 120) == .success)
    let finished = results.all
    try #require(finished.count == 2)
    for result in finished {
      let result = try #require(result)
      result.expect(exit: 0)
    }
    // 12 cases on each of two sides: 24 distinct runs, each made once.
    let calls = fixture.calls()
    #expect(calls.count == 24, "\(calls.count) calls: \(calls)")
    #expect(Set(calls).count == calls.count)
    let documents = try finished.compactMap { $0 }.map { try JSONOutput.object($0.stdout) }
    #expect(documents.allSatisfy { $0["status"] as? String == "pass" }, "\(documents)")
    // Between them they report 24 calls: what one gate made, the other read.
    #expect(documents.compactMap { $0["calls"] as? Int }.reduce(0, +) == 24, "\(documents)")
    // No claim is left behind.
    let claims = (try? FileManager.default.contentsOfDirectory(atPath: fixture.store + "/claims"))
    #expect(claims ?? [] == [])
  }

  @Test("the claims of a gate killed outright release themselves: the next gate runs them at once")
  func deadGateClaims() throws {
    let fixture = try GateFixture(files: ["evals/smoke.jsonl": Self.cases])
    try fixture.rewordShipping()
    let head = try fixture.repository.commit("Reword shipping")
    let block = fixture.repository.container + "/block"
    FileManager.default.createFile(atPath: block, contents: Data())
    let process = Process()
    process.executableURL = URL(fileURLWithPath: try Executable.path("promptgate-gate"))
    process.arguments = ["\(fixture.baseline)..\(head)", "--store", fixture.store]
    process.currentDirectoryURL = URL(fileURLWithPath: fixture.repository.path)
    process.environment = fixture.repository.environment.merging(fixture.environment) { $1 }
      .merging(["GATE_SLOW": "c", "GATE_BLOCK": block]) { $1 }
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    let deadline = Date().addingTimeInterval(20)
    while fixture.calls().count < 4, Date() < deadline { usleep(20_000) }
    try #require(fixture.calls().count == 4, "the first gate never reached its harness")
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
    try FileManager.default.removeItem(atPath: block)
    // The fixture's provider waits 20 s for a call: waiting for a dead claim would take that
    // long per claim; the next gate starts on them at once.
    let started = Date()
    let result = try fixture.gate(
      ["\(fixture.baseline)..\(head)", "--store", fixture.store, "--format", "json"])
    result.expect(exit: 0)
    #expect(Date().timeIntervalSince(started) < 15, "the next gate waited for a dead claim")
    #expect(try JSONOutput.object(result.stdout)["calls"] as? Int == 24)
  }
}

/// Results gathered from two threads.
final class LockedResults: @unchecked Sendable {
  private let lock = NSLock()
  private var results: [CommandResult?] = []

  func append(_ result: CommandResult?) {
    lock.lock()
    results.append(result)
    lock.unlock()
  }

  var all: [CommandResult?] {
    lock.lock()
    defer { lock.unlock() }
    return results
  }
}
