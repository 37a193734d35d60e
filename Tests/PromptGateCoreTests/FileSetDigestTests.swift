import Foundation
import GitKit
import PromptGateCore
import TestSupport
import Testing

/// A file set's digest, updated in a history walk from the entries that changed (hashing from
/// the first changed one on), equals the digest of the same set resolved afresh.
@Suite("file set digests")
struct FileSetDigestTests {
  @Test("edits at the start, middle and end of a set of 100 files, and files added and removed")
  func updatedEqualsFresh() throws {
    let repository = try TemporaryRepository()
    try repository.write("promptgate.yaml", "behaviors:\n  agent: {prompt: [prompts/**/*.md]}\n")
    func name(_ number: Int) -> String { "prompts/p\(String(format: "%03d", number)).md" }
    for number in 0..<100 { try repository.write(name(number), "File \(number).\n") }
    try repository.commit("Start")
    let steps: [(TemporaryRepository) throws -> Void] = [
      { try $0.write(name(0), "First, edited.\n") },
      { try $0.write(name(50), "Middle, edited.\n") },
      { try $0.write(name(99), "Last, edited.\n") },
      { try $0.write("prompts/p031b.md", "Added at a stride boundary.\n") },
      { try $0.remove(name(64)) },
      { try $0.write("prompts/zz.md", "Added last.\n") },
      { try $0.write(name(1), "Second, edited.\n") },
      { try $0.remove("prompts/zz.md") },
    ]
    for (number, step) in steps.enumerated() {
      try step(repository)
      try repository.commit("Step \(number)")
    }
    let workspace = try repository.workspace()
    let head = try workspace.repository.resolveCommit("HEAD")
    let entries = try BehaviorHistory(workspace: workspace, options: .init()).walk(
      from: nil, to: head
    ).entries
    #expect(entries.count == steps.count + 1)
    for entry in entries {
      // A new workspace has an empty content cache: the set is listed and hashed in full.
      let fresh = try repository.workspace().state(of: .revision(entry.commit))
      guard case .present(let resolved) = fresh.state(of: "agent") else {
        Issue.record("agent is not resolvable at \(entry.commit)")
        continue
      }
      #expect(entry.id == resolved.version.id, "at \(entry.commit)")
    }
  }
}
