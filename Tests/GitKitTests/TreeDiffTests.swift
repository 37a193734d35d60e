import Foundation
import TestSupport
import Testing

@testable import GitKit

/// `changedFiles` pairs two trees' entries in git's order and lists what `git diff-tree -r`
/// lists; a tree out of that order is declined.
@Suite("Tree diffs")
struct TreeDiffTests {
  /// The tree of commit `commit`.
  private func tree(_ repository: TemporaryRepository, _ commit: String) throws -> ObjectID {
    let hex = try repository.git("rev-parse", commit + "^{tree}")
      .trimmingCharacters(in: .whitespacesAndNewlines)
    return try #require(ObjectID(hex: hex))
  }

  @Test("the changes are git's, across names that sort around a directory's and type changes")
  func matchesGit() throws {
    let repository = try TemporaryRepository()
    try repository.write("a.md", "a\n")
    try repository.write("dir/x.md", "x\n")
    try repository.write("dir/sub/y.md", "y\n")
    try repository.write("dir-a.md", "dash\n")
    try repository.write("dir.txt", "dot\n")
    try repository.write("keep/z.md", "z\n")
    try repository.write("swap", "a file, then a directory\n")
    try repository.write("gone/w.md", "w\n")
    try repository.write("tree-later/file.md", "a directory, then a file\n")
    let first = try repository.commit("first")
    try repository.write("a.md", "a, changed\n")
    try repository.write("dir/sub/y.md", "y, changed\n")
    try repository.write("dir-b.md", "another dash\n")
    try repository.write("dir0", "after the directory\n")
    try repository.remove("gone/w.md")
    try repository.remove("swap")
    try repository.write("swap/inner.md", "inner\n")
    try repository.remove("tree-later")
    try repository.write("tree-later", "now a file\n")
    try repository.write("new/n.md", "n\n")
    try repository.runProgram("chmod", ["+x", "dir.txt"])
    let second = try repository.commit("second")

    let git = try Repository(discoveringFrom: repository.path)
    let changes = try #require(
      try git.changedFiles(
        from: try tree(repository, first), to: try tree(repository, second), at: "",
        label: "test"))
    let found = Set(changes.map { "\($0.path) \($0.entry?.id?.hex ?? "gone")" })
    var expected: Set<String> = []
    let listing = try repository.git("diff-tree", "-r", "--no-renames", first, second)
    for line in listing.split(separator: "\n") {
      let fields = line.split(separator: "\t", maxSplits: 1)
      let parts = fields[0].split(separator: " ")
      let path = String(fields[1])
      expected.insert("\(path) \(parts[4] == "D" ? "gone" : String(parts[3]))")
    }
    #expect(found == expected)
    #expect(changes.count == expected.count)

    // Below a prefix, paths keep it; equal trees differ in nothing.
    let dirBefore = try #require(
      try git.entryID(in: try tree(repository, first), at: TreePath("dir")))
    let dirAfter = try #require(
      try git.entryID(in: try tree(repository, second), at: TreePath("dir")))
    let below = try #require(
      try git.changedFiles(from: dirBefore, to: dirAfter, at: "dir", label: "test"))
    #expect(below.map(\.path) == ["dir/sub/y.md"])
    #expect(
      try git.changedFiles(from: dirAfter, to: dirAfter, at: "dir", label: "test")?.isEmpty == true)
  }

  @Test("a tree whose entries are out of git's order, or name one entry twice, is declined")
  func declinesUnsortedTrees() throws {
    let repository = try TemporaryRepository()
    try repository.write("a", "a\n")
    try repository.write("b", "b\n")
    let commit = try repository.commit("sorted")
    let blob = try #require(
      ObjectID(
        hex: try repository.git("rev-parse", "HEAD:a").trimmingCharacters(
          in: .whitespacesAndNewlines)))
    let git = try Repository(discoveringFrom: repository.path)
    let sorted = try tree(repository, commit)
    for names in [["b", "a"], ["a", "a"]] {
      var bytes: [UInt8] = []
      for name in names {
        bytes += Array("100644 \(name)".utf8) + [0]
        blob.append(to: &bytes)
      }
      try repository.write("raw.tree", bytes: bytes)
      let hex = try repository.git("hash-object", "-t", "tree", "-w", "--literally", "raw.tree")
        .trimmingCharacters(in: .whitespacesAndNewlines)
      try repository.remove("raw.tree")
      let crafted = try #require(ObjectID(hex: hex))
      #expect(try git.changedFiles(from: sorted, to: crafted, at: "", label: "test") == nil)
      #expect(try git.changedFiles(from: crafted, to: sorted, at: "", label: "test") == nil)
    }
  }
}
