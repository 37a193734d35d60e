import Foundation
import TestSupport
import Testing

@testable import PromptGateCore

/// The result store: one file per key, written atomically, shared by concurrent writers.
@Suite("result store")
struct ResultStoreTests {
  /// A store in a fresh temporary directory, removed by `cleanup`.
  private func makeStore() throws -> (ResultStore, cleanup: () -> Void) {
    let directory =
      FileManager.default.temporaryDirectory.path + "/promptgate-store-\(UUID().uuidString)"
    return (
      ResultStore(directory: directory),
      { try? FileManager.default.removeItem(atPath: directory) }
    )
  }

  private func key(_ caseID: String, repeatIndex: Int = 0, behavior: String = "pgv1-a") throws
    -> String
  {
    try ResultKey.result(
      behaviorId: behavior,
      caseContent: .object(["id": .string(caseID), "vars": .object(["q": .string("hi")])]),
      provider: .object(["type": .string("exec"), "command": .array([.string("python3")])]),
      messages: nil, harnessDigest: "h", repeatIndex: repeatIndex)
  }

  private func result(_ key: String, caseID: String = "c", output: String = "out")
    -> StoredResult
  {
    StoredResult(
      key: key, behaviorId: "pgv1-a", behavior: "bot", evalSet: "smoke", caseId: caseID,
      repeatIndex: 0,
      output: ProviderOutput(
        output: output,
        toolCalls: [ToolCall(name: "lookup", arguments: .object(["id": .number(7)]))],
        usage: Usage(inputTokens: 12, outputTokens: 3), latencyMs: 41.5, model: "m"))
  }

  @Test("a written result reads back whole, and no temporary file is left behind")
  func roundTrip() throws {
    let (store, cleanup) = try makeStore()
    defer { cleanup() }
    let key = try key("a")
    try store.write(result(key, caseID: "a", output: "Order 1042 is in transit.\nÜnïcode ✓"))
    let read = try #require(store.result(key))
    #expect(read.key == key)
    #expect(read.caseId == "a")
    #expect(read.output.output == "Order 1042 is in transit.\nÜnïcode ✓")
    #expect(
      read.output.toolCalls == [ToolCall(name: "lookup", arguments: .object(["id": .number(7)]))])
    #expect(read.output.usage == Usage(inputTokens: 12, outputTokens: 3))
    #expect(read.output.latencyMs == 41.5)
    #expect(read.output.model == "m")
    let file = "\(store.directory)/results/\(key.prefix(2))/\(key).json"
    #expect(FileManager.default.fileExists(atPath: file))
    let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: store.directory + "/tmp"))
    #expect(leftovers?.isEmpty ?? true)
    #expect(store.allResults().map(\.path) == [file])
  }

  @Test("a key never written is nil; so is a damaged file")
  func missing() throws {
    let (store, cleanup) = try makeStore()
    defer { cleanup() }
    let key = try key("a")
    #expect(store.result(key) == nil)
    #expect(store.judgement(key) == nil)
    let file = "\(store.directory)/results/\(key.prefix(2))/\(key).json"
    try FileManager.default.createDirectory(
      atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    _ = FileManager.default.createFile(atPath: file, contents: Data("{\"key\": \"trunc".utf8))
    #expect(store.result(key) == nil)
  }

  @Test("judgements are stored apart from results")
  func judgements() throws {
    let (store, cleanup) = try makeStore()
    defer { cleanup() }
    let key = try ResultKey.judgement(
      provider: .object(["type": .string("anthropic")]), model: "judge-1", rubric: "polite",
      output: "Hello")
    try store.write(StoredJudgement(key: key, pass: true, score: 0.9, reason: "polite"))
    let read = try #require(store.judgement(key))
    #expect(read.pass && read.score == 0.9 && read.reason == "polite")
    #expect(store.result(key) == nil)
    #expect(store.allResults().isEmpty)
  }

  @Test("keys: equal inputs give equal keys; the repeat, behavior and case each change it")
  func keys() throws {
    #expect(try key("a") == key("a"))
    #expect(try key("a") != key("a", repeatIndex: 1))
    #expect(try key("a") != key("a", behavior: "pgv1-b"))
    #expect(try key("a") != key("b"))
    let withMessages = try ResultKey.result(
      behaviorId: "pgv1-a",
      caseContent: .object(["id": .string("a"), "vars": .object(["q": .string("hi")])]),
      provider: .object(["type": .string("exec"), "command": .array([.string("python3")])]),
      messages: MessagesSpec(system: "prompts/system.md", user: "{{q}}"), harnessDigest: "h",
      repeatIndex: 0)
    #expect(try withMessages != key("a"))
  }

  @Test("concurrent writers from many tasks all land, each readable")
  func concurrentWriters() async throws {
    let (store, cleanup) = try makeStore()
    defer { cleanup() }
    let keys = try (0..<8).flatMap { task in try (0..<25).map { try key("t\(task)-\($0)") } }
    try await withThrowingTaskGroup(of: Void.self) { group in
      for task in 0..<8 {
        let mine = Array(keys[(task * 25)..<(task * 25 + 25)])
        group.addTask {
          for key in mine { try store.write(result(key, output: key)) }
        }
      }
      try await group.waitForAll()
    }
    for key in keys {
      #expect(store.result(key)?.output.output == key)
    }
    #expect(store.allResults().count == 200)
  }

  @Test("writers racing on one key never leave a reader half a file")
  func sameKeyRace() async throws {
    let (store, cleanup) = try makeStore()
    defer { cleanup() }
    let key = try key("shared")
    let big = String(repeating: "x", count: 200_000)
    try store.write(result(key, output: "first"))
    let torn = await withTaskGroup(of: Int.self) { group in
      for writer in 0..<4 {
        group.addTask {
          for round in 0..<20 {
            try? store.write(result(key, output: "\(writer)-\(round)-" + big))
          }
          return 0
        }
      }
      group.addTask {
        var bad = 0
        for _ in 0..<200 where store.result(key) == nil { bad += 1 }
        return bad
      }
      return await group.reduce(0, +)
    }
    #expect(torn == 0)
    #expect(store.result(key)?.output.output.hasSuffix(big) == true)
  }

  @Test("an exclusive lock (prune) waits for a shared one (a run), and shared locks coexist")
  func lock() throws {
    let (store, cleanup) = try makeStore()
    defer { cleanup() }
    let events = EventLog()
    let sharedHeld = DispatchSemaphore(value: 0)
    let releaseShared = DispatchSemaphore(value: 0)
    let runner = Thread {
      try? store.withLock(exclusive: false) {
        events.append("run start")
        sharedHeld.signal()
        releaseShared.wait()
        events.append("run end")
      }
    }
    runner.start()
    sharedHeld.wait()
    // A second shared lock is granted while the first is held.
    let second = try store.withLock(exclusive: false) { "shared twice" }
    #expect(second == "shared twice")
    let pruned = DispatchSemaphore(value: 0)
    let pruner = Thread {
      try? store.withLock(exclusive: true) { events.append("prune") }
      pruned.signal()
    }
    pruner.start()
    // The pruner must still be waiting after a while.
    #expect(pruned.wait(timeout: .now() + 0.3) == .timedOut)
    releaseShared.signal()
    #expect(pruned.wait(timeout: .now() + 5) == .success)
    #expect(events.all == ["run start", "run end", "prune"])
    #expect(FileManager.default.fileExists(atPath: store.directory + "/lock"))
  }

  @Test("the default store is promptgate/store in the common git directory")
  func defaultDirectory() {
    #expect(
      ResultStore.defaultDirectory(commonDir: "/repo/.git") == "/repo/.git/promptgate/store")
  }
}

/// A thread-safe list of events, in order.
private final class EventLog: @unchecked Sendable {
  private let lock = NSLock()
  private var events: [String] = []

  func append(_ event: String) {
    lock.lock()
    events.append(event)
    lock.unlock()
  }

  var all: [String] {
    lock.lock()
    defer { lock.unlock() }
    return events
  }
}
