import Foundation
import GitKit
import TestSupport
import Testing

@testable import PromptGateCore

/// The history walk prunes by comparing tree entries along the watched paths; these tests check
/// it against resolving every commit in full, which prunes nothing.
@Suite("BehaviorHistory")
struct BehaviorHistoryTests {
  static let mapping = """
    behaviors:
      agent:
        prompt: [prompts/agent/**/*.md]
        model: {file: app/main.py, regex: '^MODEL = "([^"]+)"$'}
        retrievalPolicy: config/retrieval.yaml#/agent
        safetyPolicy: {files: [policies/safety.md], optional: true}
        decoding: {temperature: config/llm.yaml#/temperature}
      writer:
        prompt: [prompts/writer/*.md]
        toolSchema: tools/*.json

    """

  /// A history that touches every kind of source, with commits that change nothing a behavior
  /// reads, a symlink whose target lies outside every pattern, merges and a mapping change.
  private func history() throws -> TemporaryRepository {
    let repository = try TemporaryRepository()
    try repository.write("promptgate.yaml", Self.mapping)
    try repository.write("prompts/agent/system.md", "You are an agent.\n")
    try repository.write("shared/base.md", "Shared rules.\n")
    try repository.symlink("prompts/agent/links/shared.md", to: "../../../shared/base.md")
    try repository.write("app/main.py", "MODEL = \"gpt-4o\"\nDEBUG = False\n")
    try repository.write(
      "config/retrieval.yaml", "agent:\n  index: help\n  top_k: 5\nbilling:\n  index: bills\n")
    try repository.write("config/llm.yaml", "temperature: 0.2\nlogging: info\n")
    try repository.write("prompts/writer/a.md", "Write.\n")
    try repository.write("tools/t.json", #"{"name": "t"}"#)
    try repository.commit("Start")

    try repository.edit("app/main.py", replacing: "DEBUG = False", with: "DEBUG = True")
    try repository.commit("Unselected line of a regex source")
    try repository.write("shared/base.md", "Shared rules, revised.\n")
    try repository.commit("Only the symlink's target")
    try repository.write("policies/safety.md", "Be safe.\n")
    try repository.commit("Optional safety policy appears")

    try repository.git("checkout", "-q", "-b", "feature")
    try repository.edit("config/retrieval.yaml", replacing: "bills", with: "invoices")
    try repository.commit("Unselected subtree")
    try repository.edit("config/retrieval.yaml", replacing: "top_k: 5", with: "top_k: 8")
    try repository.commit("Selected subtree")
    try repository.git("checkout", "-q", "main")
    try repository.write("prompts/writer/a.md", "Write well.\n")
    try repository.commit("Writer prompt")
    try repository.git("merge", "-q", "--no-ff", "--no-commit", "feature")
    try repository.commit("Merge feature")

    try repository.edit(
      "promptgate.yaml", replacing: "prompts/writer/*.md", with: "prompts/writer/**/*.md")
    try repository.write("prompts/writer/deep/b.md", "Deeper.\n")
    try repository.commit("Writer reads subdirectories")
    try repository.write("prompts/writer/deep/c.md", "Deeper still.\n")
    try repository.commit("Another deep prompt")
    try repository.remove("tools/t.json")
    try repository.commit("Writer loses its tools")
    try repository.remove("policies/safety.md")
    try repository.edit("config/llm.yaml", replacing: "logging: info", with: "logging: debug")
    try repository.commit("Optional policy goes, unselected key changes")
    try repository.write("tools/t.json", #"{"name": "t2"}"#)
    try repository.edit("promptgate.yaml", replacing: "  writer:", with: "  author:")
    try repository.commit("Tools back, writer renamed author")
    return repository
  }

  /// An entry as one comparable line.
  private func line(
    _ commit: String, _ behavior: String, _ previous: BehaviorID?, _ id: BehaviorID?,
    _ changed: [Component]
  ) -> String {
    let components = changed.map(\.rawValue).joined(separator: ",")
    return "\(commit) \(behavior) \(previous?.full ?? "null") \(id?.full ?? "null") \(components)"
  }

  /// The entries a walk reports, each as one comparable line.
  private func lines(_ entries: [LogEntry]) -> [String] {
    entries.map { line($0.commit, $0.behavior, $0.previousId, $0.id, $0.changed) }
  }

  /// The entries found by resolving every commit of `range` and each of its parents in full.
  private func bruteForce(
    _ repository: TemporaryRepository, range: String, firstParent: Bool, behavior: String? = nil
  ) throws -> [String] {
    let workspace = try repository.workspace()
    var versions: [String: [String: BehaviorVersion?]] = [:]
    func versionsAt(_ commit: String) throws -> [String: BehaviorVersion?] {
      if let known = versions[commit] { return known }
      var result: [String: BehaviorVersion?] = [:]
      for (name, state) in try workspace.state(of: .revision(commit)).behaviors
      where behavior == nil || behavior == name {
        if case .present(let resolved) = state {
          result[name] = resolved.version
        } else {
          result[name] = .some(nil)
        }
      }
      versions[commit] = result
      return result
    }
    var arguments = ["rev-list", "--parents", range]
    if firstParent { arguments.insert("--first-parent", at: 1) }
    var result: [String] = []
    for record in try repository.git(arguments).split(separator: "\n") {
      let ids = record.split(separator: " ").map(String.init)
      let commit = ids[0]
      let parents = firstParent ? Array(ids.dropFirst().prefix(1)) : Array(ids.dropFirst())
      let now = try versionsAt(commit)
      let before = try parents.map { try versionsAt($0) }
      var names = Set(now.keys)
      for parent in before { names.formUnion(parent.keys) }
      for name in names.sorted() {
        let current = now[name] ?? nil
        let previous = before.map { $0[name] ?? nil }
        let compared = previous.isEmpty ? [nil] : previous
        guard compared.allSatisfy({ $0?.id != current?.id }) else { continue }
        let first = compared[0]
        let changed = Component.allCases.filter { component in
          guard let first, let current else { return true }
          return first.value(of: component) != current.value(of: component)
        }
        result.append(line(commit, name, first?.id, current?.id, changed))
      }
    }
    return result
  }

  /// The walk of `base..head`, checked to report the same when split in two halves walked at
  /// once (with and without a cache to write), and with the repository's history cache (which
  /// earlier walks of the test may have filled) while it extends it and once it holds the
  /// range.
  private func walk(
    _ repository: TemporaryRepository, from base: String? = nil, to head: String = "HEAD",
    options: BehaviorHistory.Options = .init(),
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> History {
    func run(_ cache: HistoryCache?, splitting: Bool = false) throws -> History {
      let workspace = try repository.workspace()
      let git = workspace.repository
      let walker = BehaviorHistory(workspace: workspace, options: options, cache: cache)
      walker.splitThreshold = splitting ? 2 : .max
      return try walker.walk(
        from: try base.map { try git.resolveCommit($0) }, to: try git.resolveCommit(head))
    }
    let uncached = try run(nil)
    // A store of its own, emptied first: the split walk is a first walk.
    let store = repository.container + "/split-store"
    try? FileManager.default.removeItem(atPath: store)
    let fresh = HistoryCache(storeDirectory: store, workspace: try repository.workspace())
    for cache in [nil, fresh] {
      let split = try run(cache, splitting: true)
      #expect(lines(split.entries) == lines(uncached.entries), sourceLocation: sourceLocation)
      #expect(split.warnings == uncached.warnings, sourceLocation: sourceLocation)
      #expect(split.cutAt == uncached.cutAt, sourceLocation: sourceLocation)
    }
    // What the split walk wrote serves the next walk alike.
    let reread = try run(HistoryCache(storeDirectory: store, workspace: try repository.workspace()))
    #expect(lines(reread.entries) == lines(uncached.entries), sourceLocation: sourceLocation)
    #expect(reread.warnings == uncached.warnings, sourceLocation: sourceLocation)
    for _ in 0..<2 {
      let workspace = try repository.workspace()
      let store = ResultStore.defaultDirectory(commonDir: workspace.repository.commonDir)
      let cached = try run(HistoryCache(storeDirectory: store, workspace: workspace))
      #expect(lines(cached.entries) == lines(uncached.entries), sourceLocation: sourceLocation)
      #expect(cached.warnings == uncached.warnings, sourceLocation: sourceLocation)
      #expect(cached.cutAt == uncached.cutAt, sourceLocation: sourceLocation)
    }
    return uncached
  }

  @Test("the pruned walk reports exactly what resolving every commit finds, in both modes")
  func agreesWithFullResolution() throws {
    let repository = try history()
    for firstParent in [false, true] {
      let history = try walk(repository, options: .init(firstParent: firstParent))
      #expect(history.warnings.isEmpty)
      #expect(history.cutAt.isEmpty)
      let expected = try bruteForce(repository, range: "HEAD", firstParent: firstParent)
      #expect(lines(history.entries).sorted() == expected.sorted(), "first parent: \(firstParent)")
      // Every kind of change in the history shows up, so the comparison covers them.
      #expect(expected.count >= 10)
    }
  }

  @Test(
    "a symlink target, a regex source and an optional file are watched; unselected edits are not")
  func watchedSources() throws {
    let repository = try history()
    let entries = try walk(repository).entries
    func entry(_ subject: String) throws -> [String] {
      let commit = try repository.git("log", "--all", "--format=%H", "--grep=^\(subject)$")
        .trimmingCharacters(in: .whitespacesAndNewlines)
      return entries.filter { $0.commit == commit }.map {
        "\($0.behavior): \($0.changed.map(\.rawValue).joined(separator: ","))"
      }
    }
    #expect(try entry("Only the symlink's target") == ["agent: prompt"])
    #expect(try entry("Optional safety policy appears") == ["agent: safetyPolicy"])
    #expect(try entry("Selected subtree") == ["agent: retrievalPolicy"])
    #expect(try entry("Unselected line of a regex source").isEmpty)
    #expect(try entry("Unselected subtree").isEmpty)
    #expect(try entry("Another deep prompt") == ["writer: prompt"])
    #expect(try entry("Optional policy goes, unselected key changes") == ["agent: safetyPolicy"])
  }

  @Test("a range and --behavior report the same as the full walk, restricted")
  func rangeAndBehavior() throws {
    let repository = try history()
    let ranged = try walk(repository, from: "HEAD~4", to: "HEAD")
    #expect(
      lines(ranged.entries).sorted()
        == (try bruteForce(repository, range: "HEAD~4..HEAD", firstParent: false)).sorted())
    #expect(!ranged.entries.isEmpty)
    let writer = try walk(repository, options: .init(behavior: "writer"))
    #expect(
      lines(writer.entries).sorted()
        == (try bruteForce(repository, range: "HEAD", firstParent: false, behavior: "writer"))
        .sorted())
    #expect(Set(writer.entries.map(\.behavior)) == ["writer"])
  }

  /// A file set whose files are added, changed, removed and moved between directories, whose
  /// search root disappears and comes back, and which a directory replaces a file in.
  private func churningFileSet() throws -> TemporaryRepository {
    let repository = try TemporaryRepository()
    try repository.write(
      "promptgate.yaml",
      "behaviors:\n  agent:\n    prompt: [prompts/**/*.md, '!prompts/drafts/**', prompts/a/*.txt]\n"
    )
    try repository.write("prompts/a/one.md", "One.\n")
    try repository.write("prompts/a/two.txt", "Two.\n")
    try repository.write("prompts/b/c/three.md", "Three.\n")
    try repository.commit("Start")
    let steps: [(String, (TemporaryRepository) throws -> Void)] = [
      ("change one", { try $0.write("prompts/a/one.md", "One, again.\n") }),
      ("add deep", { try $0.write("prompts/b/c/d/e/four.md", "Four.\n") }),
      ("draft only", { try $0.write("prompts/drafts/x.md", "Draft.\n") }),
      (
        "move",
        {
          try $0.remove("prompts/b/c/three.md")
          try $0.write("prompts/z/three.md", "Three.\n")
        }
      ),
      (
        "file to directory",
        {
          try $0.remove("prompts/a/two.txt")
          try $0.write("prompts/a/two.txt/inner.md", "In.\n")
        }
      ),
      (
        "directory to file",
        {
          try $0.remove("prompts/a/two.txt")
          try $0.write("prompts/a/two.txt", "Back.\n")
        }
      ),
      ("root goes", { try $0.remove("prompts") }),
      (
        "root returns",
        {
          try $0.write("prompts/a/one.md", "One.\n")
          try $0.write("prompts/q.md", "Q.\n")
        }
      ),
      ("unrelated", { try $0.write("README.md", "Docs.\n") }),
    ]
    for (message, step) in steps {
      try step(repository)
      try repository.commit(message)
    }
    return repository
  }

  @Test("a file set updated from the files that changed reports what resolving each commit finds")
  func incrementalFileSet() throws {
    let repository = try churningFileSet()
    for firstParent in [false, true] {
      let history = try walk(repository, options: .init(firstParent: firstParent))
      #expect(history.warnings.isEmpty, "\(history.warnings)")
      let expected = try bruteForce(repository, range: "HEAD", firstParent: firstParent)
      #expect(lines(history.entries) == expected)
      #expect(expected.count >= 8)
    }
  }

  @Test("entries are newest first: every commit comes before its ancestors")
  func order() throws {
    let repository = try history()
    let entries = try walk(repository).entries
    #expect(entries.count >= 10)
    var ancestors: [String: Set<String>] = [:]
    for entry in entries where ancestors[entry.commit] == nil {
      let listed = try repository.git("rev-list", entry.commit).split(separator: "\n")
      ancestors[entry.commit] = Set(listed.map(String.init)).subtracting([entry.commit])
    }
    for (index, entry) in entries.enumerated() {
      for earlier in entries[..<index] {
        #expect(
          ancestors[entry.commit]?.contains(earlier.commit) == false,
          "\(earlier.commit), an ancestor of \(entry.commit), is listed before it")
      }
    }
  }
}
