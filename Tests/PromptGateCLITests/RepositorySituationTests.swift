import Foundation
import TestSupport
import Testing

/// The hard repository situations, end to end through the built executables: what each prints on
/// stdout and stderr, and how it exits.
@Suite("Repository situations")
struct RepositorySituationTests {
  /// The example, then a second commit that moves the support model to gpt-4o.
  private func exampleWithModelChange() throws -> TemporaryRepository {
    let repository = try ExampleProject.repository()
    try repository.edit("config/llm.yaml", replacing: "gpt-4o-mini", with: "gpt-4o")
    try repository.commit("Move to gpt-4o")
    return repository
  }

  /// The entries `promptgate-log --format json ARGUMENTS` prints, run in `directory`.
  private func logEntries(
    _ repository: TemporaryRepository, _ arguments: [String] = [], in directory: String? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> [[String: Any]] {
    let result = try repository.runComparingHistoryCache(
      "promptgate-log", arguments + ["--format", "json"], in: directory ?? repository.path,
      sourceLocation: sourceLocation)
    result.expect(exit: 0, sourceLocation: sourceLocation)
    return try JSONOutput.objects(result.stdout, sourceLocation: sourceLocation)
  }

  // MARK: Formats libgit2 1.5 cannot read

  @Test(
    "each format libgit2 1.5 cannot read exits 2 with a clear message and prints nothing",
    arguments: UnreadableFormat.refused)
  func unreadable(_ format: UnreadableFormat) throws {
    let repository = try format.repository()
    let commands: [[String]]
    if format.isIndexFormat {
      // Commits stay readable; whatever reads the index says why it cannot.
      let committed = try repository.run("promptgate-version", ["--rev", "HEAD"])
      committed.expect(exit: 0)
      commands = [
        ["promptgate-version", "--staged"], ["promptgate-version", "--worktree"],
        ["promptgate-diff", "--staged"], ["promptgate-diff"], ["promptgate-hook", "pre-commit"],
      ]
    } else {
      commands = [
        ["promptgate-version"], ["promptgate-log"], ["promptgate-diff", "HEAD", "HEAD"],
        ["promptgate-install-hooks"],
      ]
    }
    for command in commands {
      let result = try repository.run(command[0], Array(command.dropFirst()))
      #expect(
        result.exitCode == 2 && result.stdout.isEmpty && format.isExplained(by: result.stderr)
          && result.stderr.hasPrefix(command[0] + ": "), "\(command): \(result)")
    }
  }

  @Test("an index.skipHash index gives the versions of the commit it matches; the hook is silent")
  func skipHashIndex() throws {
    let repository = try UnreadableFormat.skipHash.repository()
    let staged = try repository.run("promptgate-version", ["--staged", "--format", "json"])
    staged.expect(exit: 0)
    let committed = try repository.run("promptgate-version", ["--rev", "HEAD", "--format", "json"])
    committed.expect(exit: 0)
    #expect(staged.stdout == committed.stdout)
    let hook = try repository.run("promptgate-hook", ["pre-commit"])
    hook.expect(exit: 0)
    #expect(hook.stderr.isEmpty && hook.stdout.isEmpty)
  }

  // MARK: Where HEAD and the index are

  @Test("detached HEAD: version and diff read the commit HEAD names")
  func detachedHead() throws {
    let repository = try exampleWithModelChange()
    let first = try repository.commitID("HEAD~1")
    try repository.git("checkout", "-q", "--detach", first)
    #expect(
      try repository.git("rev-parse", "--abbrev-ref", "HEAD").trimmingCharacters(
        in: .whitespacesAndNewlines) == "HEAD")

    let atHead = try repository.versionIDs()
    #expect(atHead.keys.sorted() == ["support-agent"])
    #expect(atHead == (try repository.versionIDs(["--rev", first])))
    #expect(atHead != (try repository.versionIDs(["--rev", "main"])))
    #expect(atHead == (try repository.versionIDs(["--staged"])))
    #expect(atHead == (try repository.versionIDs(["--worktree"])))

    let diff = try repository.run("promptgate-diff", ["HEAD", "main"])
    diff.expect(exit: 0)
    #expect(diff.stderr.isEmpty)
    #expect(diff.stdout.contains("support-agent: changed"))
    #expect(diff.stdout.contains("model: gpt-4o-mini -> gpt-4o"))
    let staged = try repository.run("promptgate-diff", ["--staged", "--exit-code"])
    staged.expect(exit: 0)
    #expect(staged.stdout.isEmpty)

    let log = try logEntries(repository)
    #expect(log.map { $0["commit"] as? String } == [first])
  }

  @Test("a bare repository: --rev and A B work; the index and the working tree exit 2 saying why")
  func bare() throws {
    let repository = try exampleWithModelChange()
    let bare = repository.container + "/bare.git"
    try repository.git("clone", "-q", "--bare", repository.path, bare)

    #expect(try repository.versionIDs(["--rev", "HEAD"], in: bare) == repository.versionIDs())
    #expect(
      try repository.versionIDs(["--rev", "HEAD~1"], in: bare)
        == repository.versionIDs(["--rev", "HEAD~1"]))
    let diff = try repository.run("promptgate-diff", ["HEAD~1", "HEAD"], in: bare)
    diff.expect(exit: 0)
    #expect(diff.stdout.contains("model: gpt-4o-mini -> gpt-4o"))
    #expect(diff.stdout == (try repository.run("promptgate-diff", ["HEAD~1", "HEAD"]).stdout))
    let log = try repository.runComparingHistoryCache("promptgate-log", [], in: bare)
    log.expect(exit: 0)
    #expect(!log.stdout.isEmpty)
    #expect(log.stdout == (try repository.run("promptgate-log", []).stdout))

    for command in [
      ["promptgate-version", "--staged"], ["promptgate-version", "--worktree"],
      ["promptgate-diff", "--staged"], ["promptgate-diff"], ["promptgate-diff", "HEAD"],
    ] {
      let result = try repository.run(command[0], Array(command.dropFirst()), in: bare)
      #expect(
        result.exitCode == 2 && result.stdout.isEmpty && result.stderr.contains("bare repository"),
        "\(command): \(result)")
    }
  }

  @Test("a linked worktree reads its own index, and install-hooks uses the common git directory")
  func linkedWorktree() throws {
    let repository = try ExampleProject.repository()
    let linked = repository.container + "/linked"
    try repository.git("worktree", "add", "-q", "-b", "topic", linked)
    let committed = try repository.versionIDs(["--rev", "HEAD"])

    try repository.write("prompts/support/system.md", "Staged in the main checkout.\n")
    try repository.git("add", "-A")
    try Data("Staged in the linked worktree.\n".utf8).write(
      to: URL(fileURLWithPath: linked + "/prompts/support/system.md"))
    try repository.git(["add", "-A"], in: linked)

    let mainStaged = try repository.versionIDs(["--staged"])
    let linkedStaged = try repository.versionIDs(["--staged"], in: linked)
    #expect(mainStaged != committed)
    #expect(linkedStaged != committed)
    #expect(mainStaged != linkedStaged)
    #expect(mainStaged == (try repository.versionIDs(["--worktree"])))
    #expect(linkedStaged == (try repository.versionIDs(["--worktree"], in: linked)))
    let diff = try repository.run("promptgate-diff", ["--staged"], in: linked)
    diff.expect(exit: 0)
    #expect(diff.stdout.contains("modified  prompts/support/system.md"), "\(diff)")

    let install = try repository.run("promptgate-install-hooks", [], in: linked)
    install.expect(exit: 0)
    let hook = repository.absolute(".git/hooks/pre-commit")
    #expect(install.stdout.contains(hook), "\(install)")
    #expect(FileManager.default.isExecutableFile(atPath: hook))
    #expect(
      !FileManager.default.fileExists(
        atPath: repository.absolute(".git/worktrees/linked/hooks/pre-commit")))

    // The hook git runs from the worktree sees the worktree's staged change; what it commits has
    // the id --staged printed.
    let commit = try repository.runProgram("git", ["-C", linked, "commit", "-q", "-m", "Linked"])
    commit.expect(exit: 0)
    #expect(commit.stderr.contains("promptgate: support-agent changed (prompt)"), "\(commit)")
    #expect(try repository.versionIDs(["--rev", "topic"]) == linkedStaged)
    try repository.git("commit", "-q", "-m", "Main")
    #expect(try repository.versionIDs(["--rev", "main"]) == mainStaged)
  }

  @Test(
    "a shallow clone: log stops at the boundary and says so; a base beyond it exits 2 with the fix")
  func shallowClone() throws {
    let origin = try exampleWithModelChange()
    try origin.git("checkout", "-q", "-b", "topic")
    try origin.write("prompts/support/system.md", "Topic prompt.\n")
    try origin.commit("Topic prompt")
    try origin.git("checkout", "-q", "main")
    try origin.write("tools/support/lookup_order.json", #"{"name": "lookup_order_v2"}"#)
    let tip = try origin.commit("Tools v2")
    let clone = origin.container + "/shallow"
    try origin.git(
      "clone", "-q", "--depth", "1", "--no-single-branch", "file://" + origin.path, clone)

    let log = try origin.runComparingHistoryCache("promptgate-log", [], in: clone)
    log.expect(exit: 0)
    #expect(log.stdout.isEmpty, "the boundary commit must not claim an appearance: \(log)")
    #expect(log.stderr.contains("shallow"), "\(log)")
    #expect(log.stderr.contains(String(tip.prefix(12))), "\(log)")
    #expect(log.stderr.contains("fetch-depth: 0"), "\(log)")

    let mergeBase = try origin.run("promptgate-diff", ["origin/main...origin/topic"], in: clone)
    mergeBase.expect(exit: 2)
    #expect(mergeBase.stdout.isEmpty)
    #expect(mergeBase.stderr.contains("merge-base"), "\(mergeBase)")
    #expect(mergeBase.stderr.contains("fetch-depth: 0"), "\(mergeBase)")

    let parent = try origin.run("promptgate-diff", ["HEAD~1", "HEAD"], in: clone)
    parent.expect(exit: 2)
    #expect(parent.stdout.isEmpty)
    #expect(parent.stderr.contains("shallow clone"), "\(parent)")

    // One commit deeper, the change at the tip is listed and the merge-base is within reach.
    try origin.git(["fetch", "-q", "--deepen", "1"], in: clone)
    let deeper = try origin.runComparingHistoryCache(
      "promptgate-log", ["--format", "json"], in: clone)
    deeper.expect(exit: 0)
    let entries = try JSONOutput.objects(deeper.stdout)
    #expect(entries.map { $0["commit"] as? String } == [tip])
    #expect(entries.first?["changed"] as? [String] == ["toolSchema"])
    #expect(
      entries.first?["id"] as? String == (try origin.versionIDs(["--rev", tip]))["support-agent"])
    #expect(deeper.stderr.contains("shallow"), "\(deeper)")
    let reachable = try origin.run("promptgate-diff", ["origin/main...origin/topic"], in: clone)
    reachable.expect(exit: 0)
    #expect(reachable.stdout == (try origin.run("promptgate-diff", ["main...topic"]).stdout))
    #expect(!reachable.stdout.isEmpty)
  }

  // MARK: Content and files

  @Test("renames and deletions of component files show in diff and log")
  func renamesAndDeletions() throws {
    let repository = try ExampleProject.repository()
    try repository.git("mv", "prompts/support/system.md", "prompts/support/base.md")
    let renamed = try repository.commit("Rename the system prompt")
    let rename = try repository.run("promptgate-diff", ["HEAD~1", "HEAD"])
    rename.expect(exit: 0)
    #expect(
      rename.stdout.contains("renamed   prompts/support/system.md -> prompts/support/base.md"),
      "\(rename)")

    try repository.remove("prompts/support/examples/refund.md")
    let deleted = try repository.commit("Delete the refund example")
    let deletion = try repository.run("promptgate-diff", ["HEAD~1", "HEAD"])
    deletion.expect(exit: 0)
    #expect(deletion.stdout.contains("removed   prompts/support/examples/refund.md"), "\(deletion)")
    #expect(!deletion.stdout.contains("added"))

    let entries = try logEntries(repository)
    #expect(entries.count == 3)
    #expect(entries.prefix(2).map { $0["commit"] as? String } == [deleted, renamed])
    #expect(entries.prefix(2).map { $0["changed"] as? [String] } == [["prompt"], ["prompt"]])
    #expect(entries[0]["previousId"] as? String == entries[1]["id"] as? String)
    #expect(entries[1]["previousId"] as? String == entries[2]["id"] as? String)
  }

  @Test("non-UTF-8 and binary prompt content hash and diff without error")
  func binaryContent() throws {
    let repository = try TemporaryRepository()
    try repository.write(
      "promptgate.yaml", "behaviors:\n  agent: {prompt: [prompts/*], model: {value: m1}}\n")
    try repository.write("prompts/latin1.txt", bytes: Array("caf".utf8) + [0xE9, 0x0A])
    try repository.write("prompts/blob.bin", bytes: [0x00, 0xFF, 0xFE, 0x00, 0x80, 0x0A])
    try repository.commit("Binary prompts")
    let first = try repository.versionIDs()
    #expect(first.keys.sorted() == ["agent"])
    #expect(try repository.versionIDs(["--staged"]) == first)
    #expect(try repository.versionIDs(["--worktree"]) == first)

    try repository.write("prompts/blob.bin", bytes: [0x00, 0xFF, 0xFE, 0x01, 0x80, 0x0A])
    #expect(try repository.versionIDs(["--worktree"]) != first)
    try repository.commit("Binary edit")
    try repository.write("prompts/latin1.txt", bytes: Array("caf".utf8) + [0xE8, 0x0A])
    try repository.commit("Latin-1 edit")

    for (revision, path) in [("HEAD~1", "prompts/blob.bin"), ("HEAD", "prompts/latin1.txt")] {
      let diff = try repository.run("promptgate-diff", [revision + "~1", revision])
      diff.expect(exit: 0)
      #expect(diff.stderr.isEmpty, "\(diff)")
      #expect(diff.stdout.contains("modified  \(path)"), "\(diff)")
    }
    let entries = try logEntries(repository)
    #expect(entries.count == 3)
    #expect(Set(entries.compactMap { $0["id"] as? String }).count == 3)
  }

  @Test("a symlinked prompt whose target changes changes the version, in version, diff and log")
  func symlinkTarget() throws {
    let repository = try TemporaryRepository()
    try repository.write("promptgate.yaml", "behaviors:\n  agent: {prompt: [prompts/*.md]}\n")
    try repository.write("shared/base.md", "You are helpful.\n")
    try repository.symlink("prompts/system.md", to: "../shared/base.md")
    let linked = try repository.commit("Link the prompt")
    try repository.write("shared/base.md", "You are very helpful.\n")
    let retargeted = try repository.commit("Edit the link's target only")
    try repository.write("README.md", "Unrelated.\n")
    let unrelated = try repository.commit("Docs")

    let before = try repository.versionIDs(["--rev", linked])
    let after = try repository.versionIDs(["--rev", retargeted])
    #expect(before.keys.sorted() == ["agent"])
    #expect(before != after)
    #expect(try repository.versionIDs(["--rev", unrelated]) == after)

    let diff = try repository.run("promptgate-diff", [linked, retargeted])
    diff.expect(exit: 0)
    #expect(diff.stdout.contains("modified  prompts/system.md"), "\(diff)")

    let entries = try logEntries(repository)
    #expect(entries.map { $0["commit"] as? String } == [retargeted, linked])
    #expect(entries.first?["changed"] as? [String] == ["prompt"])
    #expect(entries.first?["id"] as? String == after["agent"])
  }
}
