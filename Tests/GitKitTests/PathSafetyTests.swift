import GitKit
import Testing

@Suite("Paths git refuses")
struct PathSafetyTests {
  @Test(
    "refused: dot entries, .git in any case and its NTFS and HFS+ forms, separators",
    arguments: [
      ".", "..", ".git", ".GIT", ".Git", ".git.", ".git ", ".git . .", "git~1", "GIT~1",
      ".git::$INDEX_ALLOCATION", ".g\u{200C}it", "\u{FEFF}.git", "a/b", "a\\b", "", "nul\0",
    ])
  func refused(name: String) {
    #expect(PathSafety.problem(inName: name) != nil)
  }

  @Test(
    "accepted: ordinary names, including ones that only look close",
    arguments: ["x.md", ".gitignore", ".github", "git", "..md", "...", "a b", ".git-blame", "gitx"])
  func accepted(name: String) {
    #expect(PathSafety.problem(inName: name) == nil)
  }

  @Test("a path is refused when any component is, naming where it was found")
  func paths() {
    #expect(throws: GitError.self) { try PathSafety.check("prompts/../x.md", at: "HEAD") }
    #expect(throws: Never.self) { try PathSafety.check("prompts/support/x.md", at: "HEAD") }
  }
}
