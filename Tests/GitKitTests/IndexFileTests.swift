import Foundation
import TestSupport
import Testing

@testable import GitKit

/// The direct index reader (the hook's fast path) reads every index it accepts exactly as libgit2
/// and git do, and declines every index it does not cover.
@Suite("IndexFile")
struct IndexFileTests {
  // MARK: Helpers

  /// Stages `entries` (path, mode and content) without touching the working tree, in one
  /// `git update-index --index-info` run.
  private func stage(
    _ entries: [(path: String, mode: String, content: String)],
    in repository: TemporaryRepository
  ) throws {
    var ids: [String: String] = [:]
    var lines: [String] = []
    for entry in entries {
      if ids[entry.content] == nil {
        ids[entry.content] = try hashObject(entry.content, in: repository)
      }
      lines.append("\(entry.mode) \(ids[entry.content]!)\t\(entry.path)")
    }
    let result = try Subprocess.run(
      try Subprocess.which("git"), ["update-index", "--add", "--index-info"], in: repository.path,
      environment: repository.environment, stdin: lines.joined(separator: "\n") + "\n")
    guard result.exitCode == 0 else { throw CommandError("update-index failed: \(result)") }
  }

  /// Writes `content` as a blob; returns its id.
  private func hashObject(_ content: String, in repository: TemporaryRepository) throws -> String {
    let result = try Subprocess.run(
      try Subprocess.which("git"), ["hash-object", "-w", "--stdin"], in: repository.path,
      environment: repository.environment, stdin: content)
    guard result.exitCode == 0 else { throw CommandError("hash-object failed: \(result)") }
    return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// The index file's bytes.
  private func indexBytes(_ repository: TemporaryRepository) throws -> [UInt8] {
    try repository.readBytes(".git/index")
  }

  /// The index format version in the file's header.
  private func version(_ repository: TemporaryRepository) throws -> UInt32 {
    let bytes = try indexBytes(repository)
    return bytes[4..<8].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
  }

  /// True when the index holds an extension with the four-letter `signature`.
  private func hasExtension(_ signature: String, _ repository: TemporaryRepository) throws -> Bool {
    let bytes = try indexBytes(repository)
    let needle = Array(signature.utf8)
    return bytes.indices.dropLast(needle.count).contains {
      bytes[$0..<$0 + needle.count].elementsEqual(needle)
    }
  }

  /// What `git ls-files --stage` lists: mode, id and path of every entry, as the direct reader
  /// should report them.
  private func gitListing(_ repository: TemporaryRepository) throws -> [FileEntry] {
    let output = try repository.git("ls-files", "--stage", "-z")
    return try output.split(separator: "\0").map { record in
      let tab = try #require(record.firstIndex(of: "\t"))
      let fields = record[..<tab].split(separator: " ")
      let mode = try #require(FileMode(rawValue: UInt32(fields[0], radix: 8) ?? 0))
      return FileEntry(
        path: String(record[record.index(after: tab)...]), mode: mode,
        id: ObjectID(hex: String(fields[1])))
    }
  }

  /// Every prefix worth asking for: each entry's path, each of its directories, and each path
  /// cut one byte short (which names no entry unless another path is exactly that).
  private func prefixes(of entries: [FileEntry]) -> [String] {
    var result: Set<String> = [""]
    for entry in entries {
      result.insert(entry.path)
      result.insert(String(entry.path.dropLast()))
      var directory = entry.path
      while let slash = directory.lastIndex(of: "/") {
        directory = String(directory[..<slash])
        result.insert(directory)
        result.insert(String(directory.dropLast()))
      }
    }
    return result.sorted()
  }

  /// Checks that the direct reader accepts the repository's index and reads it as libgit2 and git
  /// do, for the whole index and for every prefix.
  private func expectAgreement(
    _ repository: TemporaryRepository, sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    let git = try Repository(discoveringFrom: repository.path)
    let direct = try #require(
      IndexFile(path: git.gitDir + "/index"), "the direct reader declined",
      sourceLocation: sourceLocation)
    let libgit2 = try git.indexSnapshot().readThroughLibgit2()
    #expect(!libgit2.isReadDirectly, sourceLocation: sourceLocation)
    let all = try libgit2.files(under: "")
    #expect(!all.isEmpty, sourceLocation: sourceLocation)
    #expect(direct.entries(under: "") == all, sourceLocation: sourceLocation)
    #expect(direct.count == all.count, sourceLocation: sourceLocation)
    #expect(all == (try gitListing(repository)), sourceLocation: sourceLocation)
    for prefix in prefixes(of: all) {
      let expected = all.filter {
        prefix.isEmpty || $0.path == prefix || $0.path.hasPrefix(prefix + "/")
      }
      #expect(
        direct.entries(under: prefix) == expected, "prefix '\(prefix)'",
        sourceLocation: sourceLocation)
    }
    // The commands read the index through the direct reader whenever it accepts the file.
    #expect(try git.indexSnapshot().isReadDirectly, sourceLocation: sourceLocation)
  }

  /// A repository with regular, executable, symlinked, nested and gitlink entries, staged.
  private func populated() throws -> TemporaryRepository {
    let repository = try TemporaryRepository()
    try repository.write("promptgate.yaml", "behaviors: {}\n")
    try repository.write("prompts/system.md", "system\n")
    try repository.write("prompts/deep/er/nested.md", "nested\n")
    try repository.write("bin/run.sh", "#!/bin/sh\n")
    try repository.runProgram("chmod", ["+x", "bin/run.sh"])
    try repository.symlink("prompts/link.md", to: "system.md")
    try repository.write("data/bytes.bin", bytes: [0, 1, 2, 255])
    try repository.git("add", "-A")
    let submodule = try repository.commit("Files")
    // A gitlink as a submodule records it: a commit id, mode 160000. Its directory exists but is
    // empty, as for a submodule not checked out, so that `git add -A` keeps the entry.
    try repository.git("update-index", "--add", "--cacheinfo", "160000,\(submodule),vendor/sub")
    try FileManager.default.createDirectory(
      atPath: repository.absolute("vendor/sub"), withIntermediateDirectories: true)
    return repository
  }

  // MARK: Indexes the reader covers

  @Test("a plain version 2 index with every kind of entry")
  func version2() throws {
    let repository = try populated()
    #expect(try version(repository) == 2)
    try expectAgreement(repository)
    let git = try Repository(discoveringFrom: repository.path)
    let direct = try #require(IndexFile(path: git.gitDir + "/index"))
    let modes = Dictionary(
      uniqueKeysWithValues: direct.entries(under: "").map { ($0.path, $0.mode) })
    #expect(modes["bin/run.sh"] == .executable)
    #expect(modes["prompts/link.md"] == .symlink)
    #expect(modes["vendor/sub"] == .gitlink)
    #expect(modes["prompts/system.md"] == .regular)
  }

  @Test("version 3 with extended flags (skip-worktree), and assume-unchanged entries")
  func version3() throws {
    let repository = try populated()
    try repository.git("update-index", "--skip-worktree", "prompts/system.md")
    try repository.git("update-index", "--assume-unchanged", "bin/run.sh")
    #expect(try version(repository) == 3)
    try expectAgreement(repository)
  }

  @Test("optional extensions: cache tree, untracked cache, resolve-undo, end of index entries")
  func extensions() throws {
    let repository = try populated()
    try repository.commit("Everything")
    #expect(try repository.git("ls-files", "--stage", "vendor/sub").hasPrefix("160000"))
    try repository.git("write-tree")
    #expect(try hasExtension("TREE", repository))
    try repository.git("update-index", "--untracked-cache")
    try repository.write("untracked.txt", "untracked\n")
    try repository.git("status", "--porcelain")
    #expect(try hasExtension("UNTR", repository))
    try expectAgreement(repository)

    // A resolved conflict leaves a resolve-undo record.
    try repository.git("checkout", "-q", "-b", "topic")
    try repository.write("prompts/system.md", "topic\n")
    try repository.commit("Topic")
    try repository.git("checkout", "-q", "main")
    try repository.write("prompts/system.md", "main\n")
    try repository.commit("Main")
    let merge = try repository.runProgram("git", ["merge", "-q", "topic"])
    #expect(merge.exitCode != 0, "the merge should conflict")
    try repository.write("prompts/system.md", "resolved\n")
    try repository.git("add", "prompts/system.md")
    #expect(try hasExtension("REUC", repository))
    try expectAgreement(repository)

    try repository.git(
      "-c", "index.recordEndOfIndexEntries=true", "-c", "index.recordOffsetTable=true",
      "-c", "index.threads=2", "update-index", "--force-write-index")
    #expect(try hasExtension("EOIE", repository))
    try expectAgreement(repository)
  }

  @Test("one parse serves the quick check and the index snapshot, until git replaces the index")
  func parsedOnceWhileUnchanged() throws {
    let repository = try populated()
    let git = try Repository(discoveringFrom: repository.path)
    let before = try #require(git.stagedEntries(under: ""))
    #expect(try git.indexSnapshot().files(under: "") == before)
    try repository.write("prompts/added.md", "added\n")
    try repository.git("add", "prompts/added.md")
    let after = try #require(git.stagedEntries(under: ""))
    #expect(after.count == before.count + 1)
    #expect(after.contains { $0.path == "prompts/added.md" })
    #expect(try git.indexSnapshot().files(under: "") == after)
  }

  @Test("a path longer than 4095 bytes, whose length field overflows")
  func longPath() throws {
    let repository = try populated()
    let long =
      Array(repeating: String(repeating: "d", count: 200), count: 21).joined(separator: "/")
      + "/prompt.md"
    #expect(long.utf8.count > 4095)
    try stage([(long, "100644", "deep\n"), ("zz-after.md", "100644", "after\n")], in: repository)
    try expectAgreement(repository)
    let git = try Repository(discoveringFrom: repository.path)
    let direct = try #require(IndexFile(path: git.gitDir + "/index"))
    #expect(direct.entries(under: long).map(\.path) == [long])
    #expect(direct.entries(under: "zz-after.md").map(\.path) == ["zz-after.md"])
  }

  @Test("entries(under:) finds a directory among siblings that share its name as a prefix")
  func siblingPrefixes() throws {
    let repository = try TemporaryRepository()
    var entries: [(path: String, mode: String, content: String)] = [
      ("prompt", "100644", "a file named like the start of the directory\n"),
      ("prompts-old/x.md", "100644", "old\n"),
      ("prompts.md", "100644", "dot\n"),
      ("prompts/a.md", "100644", "a\n"),
      ("prompts/a.md.bak", "100644", "backup\n"),
      ("prompts/b/c.md", "100644", "c\n"),
      ("prompts0/y.md", "100644", "zero\n"),
      ("promptsZ/y.md", "100644", "capital\n"),
    ]
    // Fillers on both sides, so that the binary search has real work to do.
    for number in 0..<150 {
      entries.append(("a/filler-\(number).md", "100644", "filler\n"))
      entries.append(("z/filler-\(number).md", "100644", "filler\n"))
    }
    try stage(entries, in: repository)
    try expectAgreement(repository)

    let git = try Repository(discoveringFrom: repository.path)
    let direct = try #require(IndexFile(path: git.gitDir + "/index"))
    #expect(
      direct.entries(under: "prompts").map(\.path) == [
        "prompts/a.md", "prompts/a.md.bak", "prompts/b/c.md",
      ])
    #expect(direct.entries(under: "prompts/a.md").map(\.path) == ["prompts/a.md"])
    #expect(direct.entries(under: "prompts/b").map(\.path) == ["prompts/b/c.md"])
    #expect(direct.entries(under: "prompts-old").map(\.path) == ["prompts-old/x.md"])
    #expect(direct.entries(under: "prompts.md").map(\.path) == ["prompts.md"])
    #expect(direct.entries(under: "prompt").map(\.path) == ["prompt"])
    #expect(direct.entries(under: "prompts/a").isEmpty)
    #expect(direct.entries(under: "promp").isEmpty)
    #expect(direct.entries(under: "0-before-everything").isEmpty)
    #expect(direct.entries(under: "zzz-after-everything").isEmpty)
    #expect(direct.count == entries.count)
  }

  // MARK: Indexes the reader declines

  /// The indexes the direct reader leaves to libgit2.
  enum Declined: String, CaseIterable, Sendable, CustomStringConvertible {
    case version4, splitIndex, sparseIndex, intentToAdd, unmerged, truncated, badSignature

    var description: String { rawValue }

    /// Puts `repository`'s index in this shape.
    func apply(to repository: TemporaryRepository) throws {
      switch self {
      case .version4:
        try repository.git("update-index", "--index-version", "4")
      case .splitIndex:
        try repository.git("update-index", "--split-index")
      case .sparseIndex:
        try repository.git("sparse-checkout", "init", "--cone", "--sparse-index")
      case .intentToAdd:
        try repository.write("prompts/new.md", "not yet added\n")
        try repository.git("add", "-N", "prompts/new.md")
      case .unmerged:
        try repository.git("checkout", "-q", "-b", "topic")
        try repository.write("prompts/system.md", "topic\n")
        try repository.commit("Topic")
        try repository.git("checkout", "-q", "main")
        try repository.write("prompts/system.md", "main\n")
        try repository.commit("Main")
        let merge = try repository.runProgram("git", ["merge", "-q", "topic"])
        guard merge.exitCode != 0 else { throw CommandError("the merge did not conflict") }
      case .truncated:
        let bytes = try repository.readBytes(".git/index")
        try repository.write(".git/index", bytes: Array(bytes.prefix(bytes.count / 2 + 3)))
      case .badSignature:
        var bytes = try repository.readBytes(".git/index")
        bytes.replaceSubrange(0..<4, with: Array("DIRX".utf8))
        try repository.write(".git/index", bytes: bytes)
      }
    }
  }

  @Test("declines what it does not cover", arguments: Declined.allCases)
  func declines(_ shape: Declined) throws {
    let repository = try populated()
    try repository.write("other/deep/notes.txt", "outside the sparse cone\n")
    try repository.commit("Everything")
    let git = try Repository(discoveringFrom: repository.path)
    let before = try #require(IndexFile(path: git.gitDir + "/index")).entries(under: "")
    try shape.apply(to: repository)
    #expect(IndexFile(path: git.gitDir + "/index") == nil)

    // What libgit2 makes of it, now that it reads the file.
    switch shape {
    case .version4:
      #expect(try version(repository) == 4)
      let index = try git.indexSnapshot()
      #expect(!index.isReadDirectly)
      #expect(try index.files(under: "") == before)
    case .intentToAdd:
      let index = try git.indexSnapshot()
      #expect(!index.isReadDirectly)
      #expect(try index.files(under: "") == before)
      #expect(try index.entry(at: "prompts/new.md") == nil)
    case .unmerged:
      let error = try #require(throws: GitError.self) {
        try git.indexSnapshot().files(under: "prompts")
      }
      #expect(error.message.contains("prompts/system.md"))
      #expect(error.message.contains("unmerged"))
    case .splitIndex, .sparseIndex:
      let error = try #require(throws: GitError.self) { try git.indexSnapshot() }
      #expect(error.kind == .unsupportedRepository)
    case .truncated, .badSignature:
      #expect(throws: GitError.self) { try git.indexSnapshot() }
    }
  }

  @Test("a missing or tiny file is declined, not a crash")
  func missingFile() throws {
    let repository = try TemporaryRepository()
    #expect(IndexFile(path: repository.absolute(".git/index")) == nil)
    // A header that claims one entry, cut short at several lengths below the smallest index.
    let header: [UInt8] =
      Array("DIRC".utf8) + [0, 0, 0, 2, 0, 0, 0, 1] + Array(repeating: 0, count: 19)
    for size in [0, 4, 12, 31] {
      try repository.write(".git/index", bytes: Array(header.prefix(size)))
      #expect(IndexFile(path: repository.absolute(".git/index")) == nil, "\(size) bytes")
    }
  }
}
