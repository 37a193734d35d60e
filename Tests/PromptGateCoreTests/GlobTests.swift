import PromptGateCore
import Testing

@Suite("Glob")
struct GlobTests {
  private func matches(_ pattern: String, _ path: String) throws -> Bool {
    try Glob(pattern).matches(path)
  }

  @Test(
    "** matches any number of directories, as in gitignore",
    arguments: [
      ("prompts/**/*.md", "prompts/a.md", true),
      ("prompts/**/*.md", "prompts/x/y/a.md", true),
      ("prompts/**/*.md", "prompts/x/a.txt", false),
      ("prompts/**/*.md", "other/prompts/a.md", false),
      ("prompts/**/*.md", "prompts.md", false),
      ("a/**", "a/x", true),
      ("a/**", "a/x/y/z", true),
      ("a/**", "a", false),
      ("a/**", "ab/x", false),
      ("**/x.md", "x.md", true),
      ("**/x.md", "d/x.md", true),
      ("**/x.md", "d/e/x.md", true),
      ("**/x.md", "d/y.md", false),
      ("**/x.md", "dx.md", false),
      ("a/**/b", "a/b", true),
      ("a/**/b", "a/x/y/b", true),
      ("a/**/b", "a/x/y/bc", false),
      ("**", "any/depth/file", true),
    ])
  func doubleStar(pattern: String, path: String, expected: Bool) throws {
    #expect(try matches(pattern, path) == expected)
  }

  @Test(
    "*, ? and classes stay within one segment",
    arguments: [
      ("prompts/*.md", "prompts/a.md", true),
      ("prompts/*.md", "prompts/x/a.md", false),
      ("*.md", "a.md", true),
      ("*", "a/b", false),
      ("a?b", "axb", true),
      ("a?b", "a/b", false),
      ("p/[abc].md", "p/b.md", true),
      ("p/[abc].md", "p/d.md", false),
      ("p/[a-c]x.md", "p/cx.md", true),
      ("p/[a-c]x.md", "p/dx.md", false),
      ("p/[!abc].md", "p/d.md", true),
      ("p/[!abc].md", "p/a.md", false),
      ("p/[]].md", "p/].md", true),
      ("p/\\*.md", "p/*.md", true),
      ("p/\\*.md", "p/a.md", false),
    ])
  func wildcards(pattern: String, path: String, expected: Bool) throws {
    #expect(try matches(pattern, path) == expected)
  }

  @Test("a trailing slash means everything below a directory")
  func trailingSlash() throws {
    let glob = try Glob("prompts/")
    #expect(glob.matches("prompts/a.md"))
    #expect(glob.matches("prompts/x/y.md"))
    #expect(!glob.matches("prompts"))
    #expect(!glob.matches("promptsx/a.md"))
    #expect(glob.baseDirectory == "prompts")
    #expect(glob.relativePath(of: "prompts/x/y.md") == "x/y.md")
  }

  @Test("a literal pattern matches its file, or every file below its directory")
  func literal() throws {
    let file = try Glob("policies/safety.md")
    #expect(file.isLiteral)
    #expect(file.matches("policies/safety.md"))
    #expect(!file.matches("policies/safety.mdx"))
    #expect(!file.matches("policies/other.md"))
    #expect(file.baseDirectory == "policies")
    #expect(file.searchRoot == "policies/safety.md")
    #expect(file.relativePath(of: "policies/safety.md") == "safety.md")

    let directory = try Glob("policies")
    #expect(directory.matches("policies/a.md"))
    #expect(directory.matches("policies/x/b.md"))
    #expect(!directory.matches("policiesx/a.md"))
    #expect(directory.baseDirectory == "")
    #expect(directory.relativePath(of: "policies/x/b.md") == "policies/x/b.md")
  }

  @Test(
    "the base directory is the literal prefix, and paths are relative to it",
    arguments: [
      ("prompts/support/**/*.md", "prompts/support", "prompts/support/x/a.md", "x/a.md"),
      ("tools/*.json", "tools", "tools/a.json", "a.json"),
      ("*.md", "", "a.md", "a.md"),
      ("a/b[0-9]/c.md", "a", "a/b1/c.md", "b1/c.md"),
      ("**/x.md", "", "d/x.md", "d/x.md"),
      ("config/llm.yaml", "config", "config/llm.yaml", "llm.yaml"),
    ])
  func baseDirectory(pattern: String, base: String, path: String, relative: String) throws {
    let glob = try Glob(pattern)
    #expect(glob.baseDirectory == base)
    #expect(glob.matches(path))
    #expect(glob.relativePath(of: path) == relative)
  }

  @Test("a leading ! negates")
  func negation() throws {
    let glob = try Glob("!prompts/drafts/**")
    #expect(glob.isNegated)
    #expect(glob.matches("prompts/drafts/a.md"))
    #expect(!glob.matches("prompts/a.md"))
    #expect(!(try Glob("prompts/**")).isNegated)
  }

  @Test(
    "patterns that can never match are rejected",
    arguments: [
      "", "/abs/x.md", "!/abs", "../x.md", "a/../b", "./a", "a/./b", "a//b", "p/[abc",
      "p/x\\", "!",
    ])
  func invalid(pattern: String) {
    #expect(throws: GlobError.self) { try Glob(pattern) }
  }

  @Test("the error names the pattern and the problem")
  func errorText() throws {
    let absolute = try #require(throws: GlobError.self) { try Glob("/prompts/*.md") }
    #expect(absolute.description.contains("/prompts/*.md"))
    #expect(absolute.description.contains("absolute"))
    let parent = try #require(throws: GlobError.self) { try Glob("prompts/../x") }
    #expect(parent.description.contains(".."))
    let bracket = try #require(throws: GlobError.self) { try Glob("p/[ab.md") }
    #expect(bracket.description.contains("["))
  }
}
