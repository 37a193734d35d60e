import Foundation
import TestSupport
import Testing

@testable import GitKit

/// The three kinds of snapshot agree, and each reads what git would.
@Suite("Snapshots")
struct SnapshotTests {
  /// A repository with regular, executable, nested and symlinked files, all staged.
  private func populated() throws -> TemporaryRepository {
    let repository = try TemporaryRepository()
    try repository.write("README.md", "readme\n")
    try repository.write("prompts/system.md", "system prompt\n")
    try repository.write("prompts/deep/er/nested.md", "nested\n")
    try repository.write("bin/run.sh", "#!/bin/sh\necho hi\n")
    try repository.runProgram("chmod", ["+x", "bin/run.sh"])
    try repository.symlink("prompts/link.md", to: "system.md")
    try repository.write("data/bytes.bin", bytes: [0, 1, 2, 255, 10, 13])
    try repository.git("add", "-A")
    return repository
  }

  private struct Listing: Equatable {
    let path: String
    let mode: FileMode
    let contents: [UInt8]
  }

  private func listing(_ snapshot: Snapshot, under directory: String = "") throws -> [Listing] {
    try snapshot.files(under: directory).map {
      Listing(path: $0.path, mode: $0.mode, contents: try snapshot.contents(of: $0))
    }
  }

  @Test("the tree, the index and the working tree list the same files with the same bytes")
  func sidesAgree() throws {
    let repository = try populated()
    let git = try Repository(discoveringFrom: repository.path)
    let index = try git.indexSnapshot()
    let worktree = try git.workTreeSnapshot()
    let staged = try listing(index)
    #expect(
      staged.map(\.path) == [
        "README.md", "bin/run.sh", "data/bytes.bin", "prompts/deep/er/nested.md",
        "prompts/link.md", "prompts/system.md",
      ])
    #expect(staged.first { $0.path == "bin/run.sh" }?.mode == .executable)
    #expect(staged.first { $0.path == "prompts/link.md" }?.mode == .symlink)
    #expect(staged.first { $0.path == "prompts/link.md" }?.contents == Array("system.md".utf8))
    #expect(staged.first { $0.path == "data/bytes.bin" }?.contents == [0, 1, 2, 255, 10, 13])
    #expect(try listing(worktree) == staged)

    try repository.commit("Everything")
    let tree = try git.snapshot(of: try #require(try git.headCommit()))
    #expect(try listing(tree) == staged)
    // Tree and index name the same blobs; git agrees on each id.
    let treeIDs = try tree.files(under: "").map(\.id)
    #expect(treeIDs == (try git.indexSnapshot().files(under: "").map(\.id)))
    let readme = try #require(try tree.entry(at: "README.md")?.id)
    #expect(
      readme.hex
        == (try repository.git("rev-parse", "HEAD:README.md").trimmingCharacters(
          in: .whitespacesAndNewlines)))
  }

  @Test("files(under:) lists one directory, recursively; a directory is not an entry")
  func subdirectories() throws {
    let repository = try populated()
    try repository.commit("Everything")
    let git = try Repository(discoveringFrom: repository.path)
    let snapshots: [Snapshot] = [
      try git.snapshot(of: try git.resolveCommit("HEAD")), try git.indexSnapshot(),
      try git.workTreeSnapshot(),
    ]
    for snapshot in snapshots {
      #expect(
        try snapshot.files(under: "prompts").map(\.path) == [
          "prompts/deep/er/nested.md", "prompts/link.md", "prompts/system.md",
        ], "\(snapshot.label)")
      #expect(
        try snapshot.files(under: "prompts/deep").map(\.path) == ["prompts/deep/er/nested.md"])
      #expect(try snapshot.files(under: "missing").isEmpty)
      #expect(try snapshot.entry(at: "prompts") == nil, "\(snapshot.label)")
      #expect(try snapshot.entry(at: "prompts/missing.md") == nil)
      #expect(try snapshot.entry(at: "prompts/system.md")?.mode == .regular)
    }
  }

  @Test("a working tree edit is seen by the working tree only")
  func unstagedEdit() throws {
    let repository = try populated()
    try repository.commit("Everything")
    try repository.write("prompts/system.md", "edited\n")
    try repository.write("prompts/new.md", "untracked but not ignored\n")
    let git = try Repository(discoveringFrom: repository.path)
    let worktree = try git.workTreeSnapshot()
    let index = try git.indexSnapshot()
    let edited = try #require(try worktree.entry(at: "prompts/system.md"))
    #expect(try worktree.contents(of: edited) == Array("edited\n".utf8))
    let staged = try #require(try index.entry(at: "prompts/system.md"))
    #expect(try index.contents(of: staged) == Array("system prompt\n".utf8))
    #expect(try worktree.files(under: "prompts").map(\.path).contains("prompts/new.md"))
    #expect(try index.entry(at: "prompts/new.md") == nil)
  }

  @Test("ignored untracked files are left out of the working tree; tracked ones stay")
  func ignoredFiles() throws {
    let repository = try TemporaryRepository()
    try repository.write(".gitignore", "*.log\nbuild/\n")
    try repository.write("keep.md", "keep\n")
    try repository.write("tracked.log", "tracked although ignored\n")
    try repository.write("build/tracked.txt", "tracked inside an ignored directory\n")
    try repository.git("add", "-A")
    try repository.git("add", "-f", "tracked.log", "build/tracked.txt")
    try repository.commit("Tracked files")
    try repository.write("debug.log", "ignored\n")
    try repository.write("build/output.o", "ignored\n")
    try repository.write("notes.md", "untracked, not ignored\n")

    let git = try Repository(discoveringFrom: repository.path)
    let paths = try git.workTreeSnapshot().files(under: "").map(\.path)
    #expect(
      paths == [".gitignore", "build/tracked.txt", "keep.md", "notes.md", "tracked.log"])
    // git agrees on what `git add -A` would stage.
    try repository.git("add", "-A")
    #expect(try git.indexSnapshot().files(under: "").map(\.path) == paths)
  }

  @Test("an index named by a path is read, not the repository's own (as GIT_INDEX_FILE names it)")
  func alternateIndex() throws {
    let repository = try TemporaryRepository()
    try repository.write("a.md", "a\n")
    try repository.commit("a")
    let alternate = repository.container + "/alternate-index"
    try repository.git(["read-tree", "HEAD"], environment: ["GIT_INDEX_FILE": alternate])
    try repository.write("b.md", "b\n")
    try repository.git(["add", "b.md"], environment: ["GIT_INDEX_FILE": alternate])

    let git = try Repository(discoveringFrom: repository.path)
    let other = try IndexSnapshot(repository: git, file: alternate)
    #expect(try other.files(under: "").map(\.path) == ["a.md", "b.md"])
    let entry = try #require(try other.entry(at: "b.md"))
    #expect(try other.contents(of: entry) == Array("b\n".utf8))
    #expect(try git.indexSnapshot().files(under: "").map(\.path) == ["a.md"])
  }

  @Test("a commit's tree is read from git objects, whatever the working tree holds")
  func treeFromObjects() throws {
    let repository = try TemporaryRepository()
    try repository.write("a.md", "one\n")
    let first = try repository.commit("one")
    try repository.write("a.md", "two\n")
    try repository.commit("two")
    try repository.remove("a.md")
    let git = try Repository(discoveringFrom: repository.path)
    let tree = try git.snapshot(of: try #require(ObjectID(hex: first)), label: "first")
    let entry = try #require(try tree.entry(at: "a.md"))
    #expect(try tree.contents(of: entry) == Array("one\n".utf8))
    #expect(tree.label == "first")
    #expect(tree.location(of: "a.md") == "first:a.md")
  }
}
