import Foundation
import TestSupport
import Testing

@testable import GitKit

/// A repository whose objects are in one pack with offset and reference deltas, and the ids of
/// all its objects: what the pack and pack-index corruption tests damage and read back.
struct PackFixture {
  let repository: TemporaryRepository
  let ids: [ObjectID]
  /// The pack's path without `.idx` or `.pack`.
  let packBase: String

  init() throws {
    repository = try TemporaryRepository()
    var text = (0..<60).map { "line \($0) of a slowly changing prompt\n" }.joined()
    for step in 0..<5 {
      text = text.replacingOccurrences(of: "line \(step * 3) ", with: "line \(step * 3) (\(step)) ")
      try repository.write("prompts/system.md", text)
      try repository.write("config/llm.yaml", "model: m\(step % 3)\n")
      try repository.write("empty/\(step % 2).txt", "")
      try repository.commit("Step \(step)")
    }
    try repository.git("repack", "-adq", "--depth=10")
    let listing = try repository.git("rev-list", "--objects", "--all")
    ids = listing.split(separator: "\n").compactMap { ObjectID(hex: String($0.prefix(40))) }
    let directory = repository.path + "/.git/objects/pack"
    let names = try FileManager.default.contentsOfDirectory(atPath: directory)
    let index = try #require(names.first { $0.hasSuffix(".idx") })
    packBase = directory + "/" + index.dropLast(4)
  }

  /// Reads every object through the repository (the direct reader, declining to libgit2) and
  /// through libgit2 alone, and says whether each answer is libgit2's or a thrown error.
  ///
  /// libgit2 alone is asked only about objects the repository answered: where the direct
  /// reader refuses an object with an error, libgit2 would crash reading it.
  func outcome() throws -> CorruptionOutcome {
    let opened = try Repository(discoveringFrom: repository.path)
    // libgit2 as it is, without the check of every index entry that protects it from entries
    // past the end of the pack (asked only about objects whose entries are sound).
    let libgit2Only = try Repository(discoveringFrom: repository.path)
    libgit2Only.verifiesPackIndexes = false
    var sawError = false
    var refused = false
    for id in ids {
      do {
        let object = try opened.object(id)
        let libgit2 = answer { try libgit2Only.libgit2Object(id) } ?? nil
        guard object == libgit2 else {
          return .disagreed(
            "\(id.hex) read as a \(object.kind) of \(object.data.count) bytes; libgit2: "
              + (libgit2.map { "a \($0.kind) of \($0.data.count) bytes" } ?? "no object"))
        }
      } catch let error as GitError {
        sawError = true
        refused = refused || error.message.hasPrefix("the pack index")
      }
    }
    return refused ? .refused : sawError ? .clearError : .agreed
  }
}
