import PromptGateCore
import TestSupport
import Testing

/// The leaves that changed inside structured files, for file sets as for pointers.
@Suite("Changed leaves of structured files")
struct FileValueChangesTests {
  private func repository() throws -> TemporaryRepository {
    let repository = try TemporaryRepository()
    try repository.write(
      "promptgate.yaml",
      """
      behaviors:
        agent:
          prompt: prompts/
          safetyPolicy: policies/
          retrievalPolicy: config/retrieval.yaml#/support
      """)
    try repository.write("prompts/system.md", "Be helpful.\n")
    try repository.write("policies/rules.yaml", "blocked: [weapons]\nlevel: strict\n")
    try repository.write("policies/README.md", "Policies.\n")
    try repository.write(
      "config/retrieval.yaml",
      "support:\n" + (1...25).map { "  k\($0): 1\n" }.joined())
    try repository.commit("Agent")
    return repository
  }

  @Test("a modified YAML policy file lists its changed leaves; other files list none")
  func policyLeaves() throws {
    let repository = try repository()
    try repository.write("policies/rules.yaml", "blocked: [weapons, drugs]\nlevel: strict\n")
    try repository.write("policies/README.md", "Policies, edited.\n")
    try repository.write("prompts/system.md", "Be very helpful.\n")
    let change = try repository.changes(.revision("HEAD"), .workTree).behavior("agent")
    let safety = try change.component(.safetyPolicy)
    #expect(safety.files?.modified == ["policies/README.md", "policies/rules.yaml"])
    let leaves = try #require(safety.fileValues)
    #expect(leaves.map(\.path) == ["policies/rules.yaml"])
    #expect(leaves.first?.values.map(\.pointer) == ["/blocked"])
    #expect(leaves.first?.values.first?.new == .array([.string("weapons"), .string("drugs")]))
    #expect(leaves.first?.omitted == 0)
    // Prompts are hashed as bytes: no leaves, even for structured names.
    #expect(try change.component(.prompt).fileValues == nil)
  }

  @Test("a pointer's subtree with more than 20 changed leaves says how many more")
  func pointerOmitted() throws {
    let repository = try repository()
    try repository.write(
      "config/retrieval.yaml", "support:\n" + (1...25).map { "  k\($0): 2\n" }.joined())
    let retrieval = try repository.changes(.revision("HEAD"), .workTree).behavior("agent")
      .component(.retrievalPolicy)
    #expect(retrieval.values?.count == 20)
    #expect(retrieval.omittedValues == 5)
  }
}
