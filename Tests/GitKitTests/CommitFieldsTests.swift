import Foundation
import TestSupport
import Testing

@testable import GitKit

/// Commits read straight from the object files (for walks without a commit-graph) have the
/// parents, tree and time libgit2 reads, loose and packed; headers the parser does not read are
/// left to libgit2.
@Suite("CommitFields")
struct CommitFieldsTests {
  /// Merges (an octopus among them), an author name holding `>`, a negative time zone, a
  /// message with header-like lines, and an extra header.
  private func history() throws -> TemporaryRepository {
    let repository = try TemporaryRepository()
    try repository.write("a.md", "a\n")
    try repository.commit("Start")
    for branch in ["one", "two", "three"] {
      try repository.git("checkout", "-q", "-b", branch, "main")
      try repository.write("\(branch).md", "\(branch)\n")
      try repository.git("add", "-A")
      try repository.git(
        ["commit", "-q", "-m", "tree \(String(repeating: "0", count: 40))\nparent x"],
        environment: [
          "GIT_AUTHOR_NAME": "Odd > Name", "GIT_COMMITTER_DATE": "1767268900 -0730",
        ])
    }
    try repository.git("checkout", "-q", "main")
    try repository.git("merge", "-q", "--no-ff", "--no-edit", "one")
    try repository.git("merge", "-q", "--no-edit", "two", "three")
    try repository.git(
      ["-c", "i18n.commitEncoding=ISO-8859-1", "commit", "-q", "--allow-empty", "-m", "Encoded"])
    return repository
  }

  private func expectAgreement(_ repository: TemporaryRepository) throws {
    let opened = try Repository(discoveringFrom: repository.path)
    let ids = try repository.git("rev-list", "--all").split(separator: "\n").compactMap {
      ObjectID(hex: String($0))
    }
    #expect(ids.count == 7)
    for id in ids {
      let direct = try #require(try opened.storedCommit(id), "read \(id.hex) directly")
      #expect(direct == (try opened.libgit2Commit(id)), "\(id.hex) agrees with libgit2")
    }
  }

  @Test("loose and packed commits agree with libgit2")
  func agreesWithLibgit2() throws {
    let repository = try history()
    try expectAgreement(repository)
    try repository.git("gc", "-q")
    try expectAgreement(repository)
  }

  @Test("a header out of git's order is declined, and read through libgit2")
  func unusualHeaderDeclined() throws {
    let tree = String(repeating: "a", count: 40)
    let reordered = Array(
      "author A <a@b> 1 +0000\ntree \(tree)\ncommitter C <c@d> 2 +0000\n\nm\n".utf8)
    #expect(CommitFields(parsing: reordered) == nil)
    let upper = Array(
      "tree \(tree.uppercased())\nauthor A <a@b> 1 +0000\ncommitter C <c@d> 2 +0000\n".utf8)
    #expect(CommitFields(parsing: upper) == nil)
    let good = Array("tree \(tree)\nauthor A <a@b> 1 +0000\ncommitter C <c@d> 22 +0000\n\nm\n".utf8)
    #expect(CommitFields(parsing: good)?.time == 22)
  }

  @Test("parents are read in order, none to an octopus, the first held inline")
  func parentsInOrder() throws {
    let ids = (1...4).map { String(repeating: String($0), count: 40) }
    for count in 0...4 {
      let header =
        "tree \(String(repeating: "a", count: 40))\n"
        + ids.prefix(count).map { "parent \($0)\n" }.joined()
        + "author A <a@b> 1 +0000\ncommitter C <c@d> 2 +0000\n\nm\n"
      let fields = try #require(CommitFields(parsing: Array(header.utf8)))
      #expect(fields.parentCount == count)
      #expect(fields.parents == ids.prefix(count).compactMap { ObjectID(hex: $0) })
      var list = [ObjectID(hex: String(repeating: "f", count: 40))!]
      fields.appendParents(to: &list)
      #expect(list.count == count + 1)
      #expect(Array(list.dropFirst()) == fields.parents)
      #expect(fields.time == 2)
    }
  }
}
