import Foundation
import TestSupport
import Testing

/// A commit made with git's plumbing can hold tree entries that `git checkout` refuses (`..`,
/// `.git`); reading or gating it must refuse them and write nothing outside the temporary
/// directory.
@Suite("Crafted trees")
struct CraftedTreeTests {
  /// A commit on top of the fixture's baseline whose `prompts/` holds `../../escaped/x.md`.
  static func crafted(_ fixture: GateFixture, name: String) throws -> String {
    let repository = fixture.repository
    func run(_ arguments: [String], stdin: String? = nil) throws -> String {
      let result = try Subprocess.run(
        try Subprocess.which("git"), arguments, in: repository.path,
        environment: repository.environment, stdin: stdin)
      guard result.exitCode == 0 else { throw CommandError("git \(arguments): \(result.stderr)") }
      return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }
    let blob = try run(["hash-object", "-w", "--stdin"], stdin: "refund: store credit\n")
    let leaf = try run(["mktree"], stdin: "100644 blob \(blob)\tx.md\n")
    let escaped = try run(["mktree"], stdin: "040000 tree \(leaf)\tescaped\n")
    let up = try run(["mktree"], stdin: "040000 tree \(escaped)\t\(name)\n")
    let prompts = try run(["mktree"], stdin: "040000 tree \(up)\t\(name)\n")
    var root = try run(["ls-tree", "HEAD"]).split(separator: "\n").map(String.init)
      .filter { !$0.hasSuffix("\tprompts") }
    root.append("040000 tree \(prompts)\tprompts")
    let tree = try run(["mktree"], stdin: root.joined(separator: "\n") + "\n")
    return try run(["commit-tree", tree, "-p", "HEAD", "-m", "crafted"])
  }

  @Test(
    "version and gate refuse a tree entry '..' or '.git', name it, and write nothing",
    arguments: ["..", ".GIT"])
  func refused(name: String) throws {
    let fixture = try GateFixture(
      mapping: GateFixture.mapping().replacingOccurrences(
        of: "prompt: [prompts/*.md]", with: "prompt: [prompts/**/*.md]"))
    let commit = try Self.crafted(fixture, name: name)
    let version = try fixture.repository.run("promptgate-version", ["--rev", commit])
    version.expect(exit: 2)
    #expect(version.stderr.contains("which git refuses"), "\(version)")
    #expect(version.stderr.contains("'prompts/\(name)'"))
    let temporary = fixture.repository.container + "/tmp"
    try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: true)
    let gate = try fixture.gate(
      ["\(fixture.baseline)..\(commit)", "--store", fixture.store],
      environment: ["TMPDIR": temporary + "/"])
    gate.expect(exit: 2)
    let everything = try FileManager.default.subpathsOfDirectory(
      atPath: fixture.repository.container)
    #expect(!everything.contains { $0.hasSuffix("escaped/x.md") }, "\(everything)")
  }
}
