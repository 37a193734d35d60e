import Foundation
import TestSupport
import Testing

@testable import GitKit

/// A sample of the corrupted variants, run through the built executables: each exits with its
/// usual answer or a documented non-zero status and a message, never a signal. (The 1,000
/// variants of each kind run in-process, which keeps CI short.)
@Suite("Corrupt files through the executables", .timeLimit(.minutes(3)))
struct CorruptFilesThroughBinariesTests {
  /// Runs `command` on the first `count` variants (from `seed`) of the file at `relative`.
  private func sample(
    _ repository: TemporaryRepository, file relative: String, seed: UInt64, count: Int = 8,
    command: String, _ arguments: [String]
  ) throws {
    let path = repository.absolute(relative)
    let original = try repository.readBytes(relative)
    defer { try? Data(original).write(to: URL(fileURLWithPath: path)) }
    let undamaged = try repository.run(command, arguments)
    #expect(undamaged.exitCode == 0, "\(undamaged)")
    for corruption in Corruption.variants(count: count, size: original.count, seed: seed) {
      try Data(corruption.apply(to: original)).write(to: URL(fileURLWithPath: path))
      let result = try repository.run(command, arguments)
      #expect(
        [0, 1, 2, 3].contains(result.exitCode), "\(relative) \(corruption): \(result)")
      if result.exitCode != 0 {
        #expect(!result.stderr.isEmpty, "\(relative) \(corruption): a non-zero exit says why")
      }
    }
  }

  @Test(
    "promptgate-log over damaged pack indexes, packs and commit-graphs; version --staged over damaged indexes"
  )
  func sampled() throws {
    let repository = try ExampleProject.repository()
    for step in 0..<3 {
      try repository.write("notes/\(step).md", "Notes \(step).\n")
      try repository.commit("Notes \(step)")
    }
    try repository.git("gc", "-q")
    try repository.git("commit-graph", "write", "--reachable")
    let packs = try FileManager.default.contentsOfDirectory(
      atPath: repository.absolute(".git/objects/pack"))
    let index = try #require(packs.first { $0.hasSuffix(".idx") })
    let pack = ".git/objects/pack/" + index.dropLast(4)
    try sample(
      repository, file: pack + ".idx", seed: 0x1D7_0001, command: "promptgate-log",
      ["--format", "json", "--no-cache"])
    try sample(
      repository, file: pack + ".pack", seed: 0x9AC_0002, command: "promptgate-log",
      ["--format", "json", "--no-cache"])
    try sample(
      repository, file: ".git/objects/info/commit-graph", seed: 0xC6_0003,
      command: "promptgate-log", ["--format", "json", "--no-cache"])
    try sample(
      repository, file: ".git/index", seed: 0x1DE_0006, command: "promptgate-version",
      ["--staged"])
  }
}
