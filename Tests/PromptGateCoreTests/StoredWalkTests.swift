import Foundation
import GitKit
import PromptGateCore
import TestSupport
import Testing

/// Walks answered from the history cache's stored walks: an unchanged tip lists no commit, a
/// tip that moved on lists only the commits added since, and every answer equals a walk
/// without the cache, also where the stored walk cannot be extended.
@Suite("stored walks")
struct StoredWalkTests {
  private func repository() throws -> TemporaryRepository {
    try TemporaryRepository.twoBehaviorHistory()
  }

  private func lines(_ history: History) -> [String] {
    history.entries.map {
      "\($0.commit) \($0.behavior) \($0.previousId?.full ?? "-") \($0.id?.full ?? "-") "
        + $0.changed.map(\.rawValue).joined(separator: ",")
    }
  }

  /// Walks HEAD's history with the repository's history cache and without, expects the same
  /// answer, and returns the cached walk.
  @discardableResult
  private func walk(
    _ repository: TemporaryRepository, _ options: BehaviorHistory.Options = .init(),
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> History {
    func run(_ cached: Bool) throws -> History {
      let workspace = try repository.workspace()
      let store = ResultStore.defaultDirectory(commonDir: workspace.repository.commonDir)
      let cache = cached ? HistoryCache(storeDirectory: store, workspace: workspace) : nil
      return try BehaviorHistory(workspace: workspace, options: options, cache: cache).walk(
        from: nil, to: try workspace.repository.resolveCommit("HEAD"))
    }
    let uncached = try run(false)
    let cached = try run(true)
    #expect(lines(cached) == lines(uncached), sourceLocation: sourceLocation)
    #expect(cached.warnings == uncached.warnings, sourceLocation: sourceLocation)
    #expect(cached.cutAt == uncached.cutAt, sourceLocation: sourceLocation)
    return cached
  }

  private func count(_ repository: TemporaryRepository, firstParent: Bool = false) throws -> Int {
    let arguments = ["rev-list", "--count"] + (firstParent ? ["--first-parent"] : []) + ["HEAD"]
    return Int(try repository.git(arguments).trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
  }

  @Test("an unchanged tip is answered with no commit listed, whatever --behavior and -n ask")
  func unchangedTip() throws {
    let repository = try repository()
    for firstParent in [false, true] {
      #expect(try walk(repository, .init(firstParent: firstParent)).listed == 4)
      #expect(try walk(repository, .init(firstParent: firstParent)).listed == 0)
    }
    let writer = try walk(repository, .init(behavior: "writer", maxCount: 1))
    #expect(writer.listed == 0)
    #expect(writer.entries.map(\.behavior) == ["writer"])
    #expect(throws: PromptGateError.self) {
      try walk(repository, .init(behavior: "nobody"))
    }
  }

  @Test("a tip that moved on lists only the commits added since")
  func movedOn() throws {
    let repository = try repository()
    try walk(repository)
    try repository.write("prompts/system.md", "Three.\n")
    try repository.commit("Agent again")
    try repository.write("notes.txt", "Nothing watched.\n")
    try repository.commit("Notes")
    #expect(try walk(repository).listed == 2)
    #expect(try walk(repository).listed == 0)
  }

  @Test("a merge of a branch forked before the stored tip lists the branch and the merge only")
  func mergeOfOlderFork() throws {
    let repository = try repository()
    try repository.git("checkout", "-q", "-b", "topic", "HEAD~2")
    try repository.write("writer/deep/c.md", "Topic.\n")
    try repository.commit("Topic writer prompt")
    try repository.git("checkout", "-q", "main")
    try walk(repository)
    try walk(repository, .init(firstParent: true))
    try repository.git("merge", "-q", "--no-ff", "--no-commit", "topic")
    try repository.commit("Merge topic")
    #expect(try walk(repository).listed == 2)
    #expect(try walk(repository, .init(firstParent: true)).listed == 1)
  }

  @Test("a merged commit older than the stored tip interleaves in git's order: walked whole")
  func olderMergedCommit() throws {
    let repository = try repository()
    try walk(repository)
    try repository.git("checkout", "-q", "-b", "old", "HEAD~3")
    try repository.write("prompts/extra.md", "Old extra.\n")
    let old = "\(TemporaryRepository.firstCommitTime + 30) +0000"
    try repository.git(["add", "-A"])
    try repository.git(
      ["commit", "-q", "-m", "Old-dated"],
      environment: ["GIT_AUTHOR_DATE": old, "GIT_COMMITTER_DATE": old])
    try repository.git("checkout", "-q", "main")
    try repository.git("merge", "-q", "--no-ff", "--no-commit", "old")
    try repository.commit("Merge old")
    #expect(try walk(repository).listed == (try count(repository)))
    #expect(try walk(repository).listed == 0)
  }

  @Test("an amended or reset tip is never answered by the stored walk of the old one")
  func rewritten() throws {
    let repository = try repository()
    try walk(repository)
    try repository.write("config.yaml", "model: m2\n")
    try repository.git("add", "-A")
    try repository.git("commit", "-q", "--amend", "-m", "Writer prompt, new model")
    #expect(try walk(repository).listed > 0)
    try repository.git("reset", "-q", "--hard", "HEAD~2")
    try walk(repository)
  }

  @Test("a stored walk that warned is answered with its warnings, and not extended")
  func warnings() throws {
    let repository = try repository()
    try repository.write("promptgate.yaml", "behaviors: [not, a, mapping]\n")
    try repository.commit("Broken mapping")
    try repository.git("checkout", "-q", "HEAD~1", "--", "promptgate.yaml")
    try repository.commit("Mapping back")
    let first = try walk(repository)
    #expect(first.warnings.count == 1, "\(first.warnings)")
    #expect(try walk(repository).warnings == first.warnings)
    try repository.write("prompts/system.md", "Four.\n")
    try repository.commit("Agent prompt four")
    let extended = try walk(repository)
    #expect(extended.listed == (try count(repository)))
    #expect(extended.warnings == first.warnings)
  }
}
