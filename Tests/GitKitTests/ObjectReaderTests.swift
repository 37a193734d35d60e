import Foundation
import TestSupport
import Testing

@testable import GitKit

/// The direct object reader returns exactly what libgit2 reads, for loose objects, packed ones
/// and deltas of every depth; and the layout discovery finds what libgit2 finds.
@Suite("ObjectReader")
struct ObjectReaderTests {
  /// A history whose files change a little at each commit, so that packs hold delta chains.
  private func repositoryWithHistory() throws -> TemporaryRepository {
    let repository = try TemporaryRepository()
    var text = (0..<200).map { "line \($0) of a slowly changing prompt\n" }.joined()
    for step in 0..<30 {
      text = text.replacingOccurrences(
        of: "line \(step * 3) ", with: "line \(step * 3) (edited \(step)) ")
      try repository.write("prompts/system.md", text)
      try repository.write("config/llm.yaml", "model: m\(step % 4)\ntemperature: 0.\(step % 10)\n")
      try repository.write("big/\(step % 5).bin", String(repeating: "\(step)", count: 40_000))
      try repository.commit("Step \(step)")
    }
    return repository
  }

  private func expectAgreement(_ repository: TemporaryRepository) throws {
    let opened = try Repository(discoveringFrom: repository.path)
    let reader = try #require(ObjectReader(directory: opened.commonDir + "/objects"))
    let listing = try repository.git("rev-list", "--objects", "--all")
    let ids = listing.split(separator: "\n").compactMap { ObjectID(hex: String($0.prefix(40))) }
    #expect(ids.count > 100)
    for id in ids {
      let direct = try reader.read(id)
      #expect(direct != nil, "read \(id.hex) directly")
      #expect(direct == (try opened.libgit2Object(id)), "\(id.hex) agrees with libgit2")
    }
    let absent = try #require(ObjectID(hex: String(repeating: "f", count: 40)))
    #expect(try reader.read(absent) == nil)
    // Locating many objects at once, in one pass over each index, finds the same objects (a
    // repeated id and an absent one included, in no particular order).
    let batch = ids.reversed() + [ids[0], absent]
    let locations = reader.locate(batch)
    #expect(locations.count == batch.count)
    #expect(locations.last! == nil, "an absent object has no location")
    // Every packed object is located at the offset git's own index reader gives; loose objects
    // are not located.
    var packed: [ObjectID: Int] = [:]
    let packs = opened.commonDir + "/objects/pack"
    for name in try FileManager.default.contentsOfDirectory(atPath: packs)
    where name.hasSuffix(".idx") {
      // `SHA TYPE SIZE SIZE-IN-PACK OFFSET [DEPTH BASE]` for each object, then a summary.
      for line in try repository.git("verify-pack", "-v", packs + "/" + name).split(separator: "\n")
      {
        let fields = line.split(separator: " ", omittingEmptySubsequences: true)
        if fields.count >= 5, let id = ObjectID(hex: String(fields[0])), let offset = Int(fields[4])
        {
          packed[id] = offset
        }
      }
    }
    for (id, location) in zip(batch, locations) {
      #expect(location?.offset == packed[id], "\(id.hex) is located where git's index says")
      #expect(
        try reader.read(id, at: location) == reader.read(id), "\(id.hex) read at its location")
    }
  }

  @Test("ids are put in order by the counting sort as by a comparison sort")
  func sortedOrder() throws {
    var generator = SystemRandomNumberGenerator()
    for count in [0, 1, 2, 17, 1000, 5000] {
      var ids = (0..<count).map { _ in
        ObjectID(bytes: (0..<20).map { _ in UInt8.random(in: 0...255, using: &generator) })
      }
      // Repeated ids and ids sharing their leading bits land in the same bucket.
      if count > 2 {
        ids[1] = ids[0]
        ids[2] = ObjectID(bytes: ids[0].bytes.prefix(8) + Array(repeating: 0, count: 12))
      }
      let order = ObjectReader.sortedOrder(ids)
      #expect(order.map { ids[$0] } == ids.sorted(), "\(count) ids")
      #expect(Set(order) == Set(ids.indices), "every position once")
    }
  }

  @Test("loose objects")
  func loose() throws {
    try expectAgreement(try repositoryWithHistory())
  }

  @Test("a pack with deltas, as git gc leaves it")
  func packed() throws {
    let repository = try repositoryWithHistory()
    try repository.git("gc", "-q")
    #expect(try repository.git("count-objects", "-v").contains("in-pack: "))
    try expectAgreement(repository)
  }

  @Test("deep delta chains, reference deltas and several packs")
  func deepAndMixed() throws {
    let repository = try repositoryWithHistory()
    try repository.git("repack", "-adq", "--depth=50", "--window=50")
    try repository.write("prompts/system.md", "A new prompt after the pack.\n")
    try repository.commit("After")
    // Deltas that name their base by id (as fetched packs hold them), in a second pack.
    try repository.git("-c", "repack.useDeltaBaseOffset=false", "repack", "-dq")
    try repository.write("notes.md", "Loose again.\n")
    try repository.commit("Loose")
    try expectAgreement(repository)
  }

  @Test("the layout names the same directories as libgit2, and HEAD the same commit")
  func layout() throws {
    let repository = try repositoryWithHistory()
    try repository.git("pack-refs", "--all")
    let opened = try Repository(discoveringFrom: repository.path)
    let layout = try #require(GitLayout.discover(from: repository.path + "/prompts"))
    let paths = try Repository.libgit2Paths(repository.path + "/prompts")
    #expect(layout.workdir == paths.0)
    #expect(layout.gitDir == paths.1)
    #expect(layout.commonDir == paths.2)
    // HEAD~0 is resolved by libgit2's revparse, HEAD by the layout.
    #expect(layout.resolve("HEAD") == (try opened.resolveCommit("HEAD~0")))
    #expect(try opened.resolveCommit("HEAD") == (try opened.resolveCommit("HEAD~0")))

    let linked = repository.container + "/linked"
    try repository.git("worktree", "add", "-q", linked, "HEAD~3")
    let worktree = try #require(GitLayout.discover(from: linked))
    let worktreePaths = try Repository.libgit2Paths(linked)
    #expect(worktree.workdir == worktreePaths.0)
    #expect(worktree.gitDir == worktreePaths.1)
    #expect(worktree.commonDir == worktreePaths.2)
    let openedWorktree = try Repository(discoveringFrom: linked)
    #expect(worktree.resolve("HEAD") == (try openedWorktree.resolveCommit("HEAD~0")))
    #expect(worktree.resolve("HEAD") != layout.resolve("HEAD"))
  }

  @Test("layout discovery declines what needs libgit2: bare repositories and extensions")
  func declines() throws {
    let repository = try repositoryWithHistory()
    let bare = repository.container + "/bare.git"
    try repository.git("clone", "-q", "--bare", repository.path, bare)
    #expect(GitLayout.discover(from: bare) == nil)
    try repository.git("config", "extensions.worktreeConfig", "true")
    #expect(GitLayout.discover(from: repository.path) == nil)
  }
}
