import Foundation
import TestSupport
import Testing

@testable import GitKit

/// A damaged pack index never crashes or hangs the direct reader, and never makes it answer
/// differently from libgit2: it declines, and libgit2 answers or says what is wrong.
@Suite("Corrupt pack index", .timeLimit(.minutes(2)))
struct CorruptPackIndexTests {
  @Test("1,000 corrupted variants of a pack index: each read is libgit2's answer or a GitError")
  func variants() throws {
    let fixture = try PackFixture()
    #expect(try fixture.outcome() == .agreed, "the undamaged pack reads as libgit2 reads it")
    let tally = try runCorruptions(
      name: "pack index", of: fixture.packBase + ".idx", seed: 0x1D7_0001
    ) { _ in try fixture.outcome() }
    #expect(tally.variants == 1000)
    #expect(tally.disagreements.isEmpty, "\(tally.disagreements.prefix(5))")
    #expect(tally.slow.isEmpty, "\(tally.slow)")
  }

  @Test("a pack index with 64-bit offsets (git index-pack --index-version=2,OFFSET) reads alike")
  func largeOffsets() throws {
    let fixture = try PackFixture()
    let index = fixture.packBase + ".idx"
    let before = try FileManager.default.attributesOfItem(atPath: index)[.size] as? Int ?? 0
    // Every object past byte 100 of the pack gets an entry in the 64-bit table.
    try FileManager.default.removeItem(atPath: index)
    try fixture.repository.git(
      "index-pack", "--index-version=2,100", "-o", index, fixture.packBase + ".pack")
    let data = try Array(Data(contentsOf: URL(fileURLWithPath: index)))
    #expect(data.count > before, "the index has a 64-bit offset table")
    let count = data[(8 + 1020)..<(8 + 1024)].reduce(0) { $0 << 8 | Int($1) }
    let smallTable = 8 + 1024 + 24 * count
    let largeTable = smallTable + 4 * count
    func word(_ at: Int) -> Int { data[at..<(at + 4)].reduce(0) { $0 << 8 | Int($1) } }
    let large = (0..<count).filter { word(smallTable + 4 * $0) & 0x8000_0000 != 0 }
    #expect(large.count > count / 2, "most entries use the 64-bit table")
    let pack = try #require(PackFile(path: fixture.packBase))
    #expect(large.allSatisfy { if case .offset = pack.entry($0) { true } else { false } })
    #expect(try fixture.outcome() == .agreed)
    let opened = try Repository(discoveringFrom: fixture.repository.path)
    let reader = try #require(opened.objectReader)
    for id in fixture.ids {
      #expect(try reader.read(id) != nil, "\(id.hex) read directly through the 64-bit table")
    }

    // An entry naming a slot past the end of the table, and a 64-bit offset past the end of
    // the pack, are declined; libgit2 then answers or says the object cannot be read.
    var crafted = data
    crafted.replaceSubrange(
      (smallTable + 4 * large[0])..<(smallTable + 4 * large[0] + 4), with: [0xFF, 0xFF, 0xFF, 0xFF])
    let slot = word(smallTable + 4 * large[1]) & 0x7FFF_FFFF
    crafted.replaceSubrange(
      (largeTable + 8 * slot)..<(largeTable + 8 * slot + 8), with: [0, 0, 0, 1, 0, 0, 0, 0])
    try Data(crafted).write(to: URL(fileURLWithPath: index))
    let damaged = try #require(PackFile(path: fixture.packBase))
    #expect(damaged.entry(large[0]) == .pastTheEnd(nil), "a slot past the end of the table")
    #expect(damaged.entry(large[1]) == .pastTheEnd(nil), "an offset past the end of the pack")
    #expect(damaged.entry(large[2]) != .pastTheEnd(nil))
    #expect(try fixture.outcome() == .refused)
  }

  @Test(
    "an entry far past the end of the pack, which crashes libgit2 1.5.1, is refused before libgit2 reads the pack"
  )
  func entryPastTheEnd() throws {
    let fixture = try PackFixture()
    let path = fixture.packBase + ".idx"
    var bytes = try Array(Data(contentsOf: URL(fileURLWithPath: path)))
    let count = bytes[(8 + 1020)..<(8 + 1024)].reduce(0) { $0 << 8 | Int($1) }
    let entry = 8 + 1024 + 24 * count + 4 * (count - 1)
    bytes.replaceSubrange(entry..<(entry + 4), with: [0x00, 0x80, 0x0A, 0x24])
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    // Whatever opens libgit2 — a revision other than HEAD, a tree read through libgit2 — gets
    // the error first.
    let opened = try Repository(discoveringFrom: fixture.repository.path)
    let error = try #require(throws: GitError.self) { try opened.resolveCommit("HEAD~1") }
    #expect(error.message.contains("is corrupt"), "\(error)")
    #expect(error.message.contains("git index-pack"), "\(error)")
    #expect(!opened.isLibgit2Open)
    // The executables say the same and exit 2, rather than crash.
    let result = try fixture.repository.run("promptgate-version", ["--rev", "HEAD~1"])
    #expect(result.exitCode == 2, "\(result)")
    #expect(result.stderr.contains("git index-pack"), "\(result)")
  }

  @Test("a version-1 index, which libgit2 reads and the direct reader does not, is checked alike")
  func version1() throws {
    let fixture = try PackFixture()
    let path = fixture.packBase + ".idx"
    try FileManager.default.removeItem(atPath: path)
    try fixture.repository.git(
      "index-pack", "--index-version=1", "-o", path, fixture.packBase + ".pack")
    let opened = try Repository(discoveringFrom: fixture.repository.path)
    #expect(try opened.objectReader?.read(fixture.ids[0]) == nil, "declined to libgit2")
    #expect(try fixture.outcome() == .agreed, "libgit2 reads a version-1 index")

    var bytes = try Array(Data(contentsOf: URL(fileURLWithPath: path)))
    bytes.replaceSubrange(1024..<1028, with: [0x00, 0x80, 0x0A, 0x24])
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    let damaged = try Repository(discoveringFrom: fixture.repository.path)
    let error = try #require(throws: GitError.self) { try damaged.resolveCommit("HEAD~1") }
    #expect(error.message.contains("git index-pack"), "\(error)")
  }

  @Test(
    "an alternate's pack index is checked too, though the direct reader does not read alternates")
  func alternate() throws {
    let fixture = try PackFixture()
    let clone = fixture.repository.container + "/shared"
    try fixture.repository.git("clone", "-q", "--shared", fixture.repository.path, clone)
    _ = try Repository(discoveringFrom: clone).resolveCommit("HEAD~1")
    let path = fixture.packBase + ".idx"
    var bytes = try Array(Data(contentsOf: URL(fileURLWithPath: path)))
    let count = bytes[(8 + 1020)..<(8 + 1024)].reduce(0) { $0 << 8 | Int($1) }
    let entry = 8 + 1024 + 24 * count
    bytes.replaceSubrange(entry..<(entry + 4), with: [0x00, 0x80, 0x0A, 0x24])
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    let error = try #require(throws: GitError.self) {
      try Repository(discoveringFrom: clone).resolveCommit("HEAD~1")
    }
    #expect(error.message.contains(fixture.packBase + ".idx is corrupt"), "\(error)")
  }
}
