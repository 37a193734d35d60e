import Foundation
import TestSupport
import Testing

@testable import GitKit

/// A damaged index file never crashes or hangs the direct reader, and never makes it answer
/// differently from git: it reads what git reads, or declines, and libgit2 answers or says the
/// index is corrupt.
@Suite("Corrupt index file", .timeLimit(.minutes(2)))
struct CorruptIndexFileTests {
  /// A repository with nested, executable, symlinked and long-named entries, an extended-flag
  /// entry and a cache-tree extension.
  static func repository() throws -> TemporaryRepository {
    let repository = try TemporaryRepository()
    try repository.write("promptgate.yaml", "behaviors: {}\n")
    for number in 0..<30 {
      try repository.write("prompts/\(number % 4)/prompt-\(number).md", "prompt \(number)\n")
    }
    try repository.write("bin/run.sh", "#!/bin/sh\n")
    try repository.runProgram("chmod", ["+x", "bin/run.sh"])
    try repository.symlink("prompts/link.md", to: "0/prompt-0.md")
    try repository.write(String(repeating: "long-name-", count: 12) + ".md", "long\n")
    try repository.commit("Files")
    try repository.git("update-index", "--skip-worktree", "prompts/1/prompt-1.md")
    try repository.git("write-tree")
    return repository
  }

  /// What the repository's index reading gives against libgit2's, or, where libgit2 refuses the
  /// file (it verifies the trailing checksum, which git does not on ordinary reads, and cannot
  /// read a zero one), against git's own listing: the direct reader must read what git reads.
  static func outcome(_ repository: TemporaryRepository) throws -> CorruptionOutcome {
    let opened = try Repository(discoveringFrom: repository.path)
    let libgit2 = answer { try opened.indexSnapshot().readThroughLibgit2().files(under: "") }
    let direct = opened.stagedEntries(under: "")
    var reference = libgit2
    if libgit2 == nil {
      reference = answer { try gitListing(repository) }
    }
    if let direct, direct != reference {
      return .disagreed(
        "the direct reader read \(direct.count) entries; the reference \(reference?.count ?? -1)")
    }
    let read = try opened.indexSnapshot().files(under: "")
    guard read == reference else {
      return .disagreed("read \(read.count) entries; the reference \(reference?.count ?? -1)")
    }
    return .agreed
  }

  /// `git ls-files --stage` as entries.
  static func gitListing(_ repository: TemporaryRepository) throws -> [FileEntry] {
    let output = try repository.git("ls-files", "--stage", "-z")
    return try output.split(separator: "\0").map { record in
      let tab = try #require(record.firstIndex(of: "\t"))
      let fields = record[..<tab].split(separator: " ")
      guard fields[2] == "0", let mode = FileMode(gitMode: UInt32(fields[0], radix: 8) ?? 0) else {
        throw GitError(.invalid, "git lists an entry the reader does not cover")
      }
      return FileEntry(
        path: String(record[record.index(after: tab)...]), mode: mode,
        id: ObjectID(hex: String(fields[1])))
    }
  }

  @Test("1,000 corrupted variants of an index: each read is libgit2's answer or a GitError")
  func variants() throws {
    let repository = try Self.repository()
    #expect(try Self.outcome(repository) == .agreed)
    #expect(try Repository(discoveringFrom: repository.path).stagedEntries(under: "") != nil)
    let tally = try runCorruptions(
      name: "index", of: repository.path + "/.git/index", seed: 0x1DE_0006
    ) { _ in try Self.outcome(repository) }
    #expect(tally.variants == 1000)
    #expect(tally.disagreements.isEmpty, "\(tally.disagreements.prefix(5))")
    #expect(tally.slow.isEmpty, "\(tally.slow)")
  }

  @Test("a damaged index whose checksum is made to match again never crashes the reader")
  func resealed() throws {
    let repository = try Self.repository()
    let path = repository.path + "/.git/index"
    let original = try Self.gitListing(repository)
    var declined = 0
    var read = 0
    let tally = try runCorruptions(name: "index, resealed", of: path, count: 500, seed: 0x1DE_0007)
    {
      _ in
      try Checksum.reseal(path)
      guard let index = IndexFile(path: path) else {
        declined += 1
        return .agreed
      }
      read += 1
      // Whatever it accepts is well formed: paths in order, each found by its own search.
      let entries = index.entries(under: "")
      for (earlier, later) in zip(entries, entries.dropFirst()) {
        guard earlier.path.utf8.lexicographicallyPrecedes(later.path.utf8) else {
          return .disagreed("\(earlier.path) before \(later.path)")
        }
      }
      // A path that is not UTF-8 has no String to look it up by (libgit2's reader alike).
      for entry in entries.prefix(8)
      where !entry.path.contains("\u{FFFD}") && !index.entries(under: entry.path).contains(entry) {
        return .disagreed("\(entry.path) is not found by its path")
      }
      return .agreed
    }
    print("index, resealed: \(declined) declined, \(read) read; the original has \(original.count)")
    #expect(tally.disagreements.isEmpty, "\(tally.disagreements.prefix(5))")
    #expect(tally.slow.isEmpty, "\(tally.slow)")
  }
}
