import Foundation
import TestSupport
import Testing

/// The history cache beside the result store: where it lives, that it never changes an
/// answer (new commits, a rewritten history, another `--config`, a corrupt file), and that a
/// cache that cannot be written is only a warning.
@Suite("history cache")
struct HistoryCacheTests {
  private func repository() throws -> TemporaryRepository {
    try TemporaryRepository.twoBehaviorHistory()
  }

  private func log(_ repository: TemporaryRepository, _ arguments: [String] = []) throws -> String {
    let result = try repository.runComparingHistoryCache(
      "promptgate-log", arguments + ["--format", "json"])
    result.expect(exit: 0)
    #expect(result.stderr.isEmpty, "\(result)")
    return result.stdout
  }

  @Test("the first walk writes the cache in the store's history/ folder; --no-cache writes none")
  func whereItLives() throws {
    let repository = try repository()
    let uncached = try repository.run("promptgate-log", ["--no-cache"])
    uncached.expect(exit: 0)
    #expect(try repository.historyCacheFiles().isEmpty)
    #expect(uncached.stdout.split(separator: "\n").count == 4, "\(uncached)")
    _ = try log(repository)
    #expect(try repository.historyCacheFiles().count == 1)

    let elsewhere = repository.container + "/elsewhere"
    let moved = try repository.run("promptgate-log", ["--store", elsewhere])
    moved.expect(exit: 0)
    #expect(moved.stdout == uncached.stdout)
    let written = try FileManager.default.contentsOfDirectory(atPath: elsewhere + "/history")
    #expect(written.filter { $0.hasSuffix(".cache") }.count == 1, "\(written)")
  }

  @Test("commits added, amended or reset after a cached walk are listed as without the cache")
  func historyMovesOn() throws {
    let repository = try repository()
    let before = try log(repository)
    try repository.write("prompts/system.md", "Three.\n")
    try repository.commit("Agent again")
    let after = try log(repository)
    #expect(after != before)

    try repository.write("config.yaml", "model: m2\n")
    try repository.git("add", "-A")
    try repository.git("commit", "-q", "--amend", "-m", "Agent again, new model")
    _ = try log(repository)
    try repository.git("reset", "-q", "--hard", "HEAD~2")
    _ = try log(repository)
    _ = try log(repository, ["--first-parent"])
    _ = try log(repository, ["HEAD~1..HEAD"])
  }

  @Test("another --config is never served from the cache of the first")
  func configKeysTheCache() throws {
    let repository = try repository()
    let one = repository.container + "/one.yaml"
    let two = repository.container + "/two.yaml"
    try "behaviors:\n  agent: {prompt: [prompts/*.md], model: {value: a}}\n".write(
      toFile: one, atomically: true, encoding: .utf8)
    try "behaviors:\n  agent: {prompt: [prompts/*.md], model: {value: b}}\n".write(
      toFile: two, atomically: true, encoding: .utf8)
    let first = try log(repository, ["--config", one])
    let second = try log(repository, ["--config", two])
    #expect(first != second)
    let own = try log(repository)
    #expect(own != first && own != second)
    #expect(try repository.historyCacheFiles().count == 3)
  }

  @Test(
    "a corrupt cache file gives a warning naming it, the same entries, and is written anew",
    arguments: ["truncated", "flipped", "garbage", "empty"])
  func corruptFile(damage: String) throws {
    let repository = try repository()
    let expected = try log(repository)
    let file = try #require(try repository.historyCacheFiles().first)
    var bytes = try #require(FileManager.default.contents(atPath: file))
    switch damage {
    case "truncated": bytes = bytes.prefix(bytes.count / 2)
    case "flipped": bytes[bytes.count / 2] ^= 0x40
    case "garbage": bytes = Data("not a cache\n".utf8)
    default: bytes = Data()
    }
    try bytes.write(to: URL(fileURLWithPath: file))
    let damaged = try repository.run("promptgate-log", ["--format", "json"])
    damaged.expect(exit: 0)
    #expect(damaged.stdout == expected)
    #expect(
      damaged.stderr.contains("warning: the history cache \(file) is unreadable"), "\(damaged)")
    #expect(damaged.stderr.contains("recomputed"), "\(damaged)")
    let again = try repository.run("promptgate-log", ["--format", "json"])
    #expect(again.stdout == expected)
    #expect(again.stderr.isEmpty, "the cache should have been written anew: \(again)")
  }

  @Test("a cache that cannot be written is a warning, and the walk still answers")
  func unwritable() throws {
    let repository = try repository()
    let expected = try log(repository)
    let blocker = repository.container + "/a-file"
    try "not a folder\n".write(toFile: blocker, atomically: true, encoding: .utf8)
    let result = try repository.run(
      "promptgate-log", ["--format", "json", "--store", blocker + "/store"])
    result.expect(exit: 0)
    #expect(result.stdout == expected)
    #expect(result.stderr.contains("warning: cannot write the history cache"), "\(result)")
  }

  @Test("store prune drops the commits no branch, tag or HEAD reaches, and unreadable files")
  func prune() throws {
    let repository = try repository()
    try repository.write("prompts/system.md", "Dropped.\n")
    try repository.commit("Soon unreachable")
    _ = try log(repository)
    try repository.git("reset", "-q", "--hard", "HEAD~1")
    let folder = repository.absolute(".git/promptgate/store/history")
    try "junk".write(toFile: folder + "/old.cache", atomically: true, encoding: .utf8)

    let dry = try repository.run("promptgate-store", ["prune", "--dry-run"])
    dry.expect(exit: 0)
    #expect(
      dry.stderr.contains(
        "history cache: would drop 1 commits no branch, tag or HEAD reaches"
          + " and 1 unreadable file; kept 4"), "\(dry)")
    let pruned = try repository.run("promptgate-store", ["prune"])
    pruned.expect(exit: 0)
    #expect(pruned.stderr.contains("history cache: dropped 1 commits"), "\(pruned)")
    #expect(try repository.historyCacheFiles().count == 1)
    let after = try repository.run("promptgate-store", ["prune", "--dry-run"])
    #expect(after.stderr.contains("history cache: would drop 0 commits"), "\(after)")
    #expect(after.stderr.contains("kept 4"), "\(after)")
    _ = try log(repository)
  }

  @Test("rollback --to an id and report label versions alike with and without the cache")
  func rollbackAndReport() throws {
    let repository = try repository()
    let entries = try JSONOutput.objects(try log(repository, ["--behavior", "agent"]))
    let oldest = try #require(entries.last?["id"] as? String)
    let prefix = String(oldest.dropFirst("pgv1-".count).prefix(10))
    let rollback = try repository.runComparingHistoryCache(
      "promptgate-rollback", ["agent", "--to", prefix, "--dry-run", "--format", "json"])
    rollback.expect(exit: 0)
    #expect(rollback.stdout.contains(oldest), "\(rollback)")

    let events = repository.container + "/events.jsonl"
    try #"{"ts":"2026-01-01T00:00:00Z","behaviorId":"\#(oldest)","latencyMs":10}"#.write(
      toFile: events, atomically: true, encoding: .utf8)
    let report = try repository.runComparingHistoryCache(
      "promptgate-report", [events, "--format", "json"])
    report.expect(exit: 0)
    #expect(report.stdout.contains("inHistory"), "\(report)")
  }
}
