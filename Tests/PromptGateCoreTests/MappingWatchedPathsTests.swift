import Testing

@testable import PromptGateCore

/// The paths the hook compares between a commit and the index: each listed once, none below
/// another, so that a path is neither compared twice nor missed.
@Suite("Mapping: watched paths")
struct MappingWatchedPathsTests {
  @Test("outermost keeps a path only when no other path contains it, sorted, once each")
  func outermost() {
    let paths = ["a/b", "a", "a-b/c", "a-b", "c/d/e", "c/d", "x", "ab", "x", "c/de"]
    #expect(Mapping.outermost(paths) == ["a", "a-b", "ab", "c/d", "c/de", "x"])
    #expect(Mapping.outermost(["prompts/a.md", "", "tools"]) == [""])
    #expect(Mapping.outermost([String]()) == [])
  }

  @Test("100,000 distinct paths, each in a directory of its own, are all kept")
  func manyDistinctPaths() {
    let paths = (0..<100_000).map { "prompts/\($0)/system.md" }
    #expect(Mapping.outermost(paths).count == 100_000)
    #expect(Mapping.outermost(paths + ["prompts"]) == ["prompts"])
  }
}
