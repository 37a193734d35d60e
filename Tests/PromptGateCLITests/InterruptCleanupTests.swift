import Foundation
import TestSupport
import Testing

/// Materialised prompts never outlive the gate: removed on SIGINT and SIGTERM (exit 130, 143),
/// and swept by the next gate when the process was killed outright.
@Suite("Interrupted gates leave nothing behind")
struct InterruptCleanupTests {
  /// A gate whose harness blocks on the refund case until `block` is removed, with its own TMPDIR.
  struct Blocked {
    let fixture: GateFixture
    let temporary: String
    let block: String
    let process: Process

    init() throws {
      fixture = try GateFixture()
      try fixture.breakRefund()
      let head = try fixture.repository.commit("Store credit only")
      temporary = fixture.repository.container + "/tmp"
      block = fixture.repository.container + "/block"
      try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: true)
      FileManager.default.createFile(atPath: block, contents: Data())
      process = Process()
      process.executableURL = URL(fileURLWithPath: try Executable.path("promptgate-gate"))
      process.arguments = ["\(fixture.baseline)..\(head)", "--store", fixture.store]
      process.currentDirectoryURL = URL(fileURLWithPath: fixture.repository.path)
      process.environment = fixture.repository.environment.merging(fixture.environment) { $1 }
        .merging(["TMPDIR": temporary + "/", "GATE_SLOW": "refund", "GATE_BLOCK": block]) { $1 }
      process.standardOutput = FileHandle.nullDevice
      process.standardError = FileHandle.nullDevice
      try process.run()
    }

    /// The gate's temporary directories.
    func roots() -> [String] {
      ((try? FileManager.default.contentsOfDirectory(atPath: temporary)) ?? [])
        .filter { $0.hasPrefix("promptgate-") && !$0.hasPrefix("promptgate-input") }
    }

    /// Waits (at most 20 s) until the harness is blocked with the prompts materialised.
    func waitUntilBlocked() throws {
      let deadline = Date().addingTimeInterval(20)
      while Date() < deadline {
        if !roots().isEmpty, fixture.calls(of: "refund") > 0 { return }
        usleep(20_000)
      }
      throw CommandError("the gate never reached its harness")
    }

    func finish() -> Int32 {
      try? FileManager.default.removeItem(atPath: block)
      process.waitUntilExit()
      return process.terminationStatus
    }
  }

  @Test(
    "SIGTERM and SIGINT remove the materialised prompts and exit 143 and 130",
    arguments: [
      (SIGTERM, Int32(143)), (SIGINT, Int32(130)),
    ])
  func signals(signal: Int32, status: Int32) throws {
    let gate = try Blocked()
    try gate.waitUntilBlocked()
    #expect(!gate.roots().isEmpty)
    kill(gate.process.processIdentifier, signal)
    gate.process.waitUntilExit()
    #expect(gate.process.terminationStatus == status)
    #expect(gate.roots().isEmpty, "\(gate.roots())")
    _ = gate.finish()
  }

  @Test("after kill -9 the next gate sweeps the dead process's directory, and only that one")
  func killedOutright() throws {
    let gate = try Blocked()
    try gate.waitUntilBlocked()
    let left = gate.roots()
    #expect(left.count == 1)
    kill(gate.process.processIdentifier, SIGKILL)
    _ = gate.finish()
    #expect(gate.roots() == left)
    // A directory of a live process (this test's own lock) is left alone.
    let alive = gate.temporary + "/promptgate-live-test"
    try FileManager.default.createDirectory(atPath: alive, withIntermediateDirectories: true)
    let descriptor = open(alive + "/.lock", O_CREAT | O_RDWR, 0o600)
    defer { close(descriptor) }
    #expect(flock(descriptor, LOCK_EX | LOCK_NB) == 0)
    let next = try gate.fixture.gate(
      ["\(gate.fixture.baseline)..HEAD", "--store", gate.fixture.store],
      environment: ["TMPDIR": gate.temporary + "/"])
    #expect(next.exitCode == 1, "\(next)")
    #expect(gate.roots() == ["promptgate-live-test"])
  }
}
